// Build the classroom page into dist/: one bundled, minified script (Chart.js
// included, so the page needs no network once built), the HTML and the CSS.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });
await build({
  entryPoints: [join(here, 'src/main.js')],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: ['es2020'],
  outfile: join(dist, 'assets/app.js'),
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(join(here, 'src/index.html'), join(dist, 'index.html'));
copyFileSync(join(here, 'src/style.css'), join(dist, 'assets/style.css'));
copyFileSync(join(here, 'src/favicon.svg'), join(dist, 'favicon.svg'));
console.log(`built ${dist}`);
