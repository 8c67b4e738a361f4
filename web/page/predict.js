// Predict mode of a class: at a lesson's pause the teacher asks which way a
// measure will go; each student (a token from the server, kept in this tab)
// answers up, same or down and, if they like, by how much; the teacher sees
// how many answered and reveals the class's answers beside what the run then
// shows (with R replicates: the seed's run, and the median and range over
// all R). Students see the answers only after the reveal. The class view
// comes as "event: round" on the class's event stream (no polling); the
// debrief lists every round. main.js hands in what this needs (ctx).
import { t, pick, fmtNum } from './i18n.js';
import { redraw } from './keep.js';

const DIRS = [['up', '↑'], ['same', '→'], ['down', '↓']];
const P = { ctx: null, role: null, code: null, es: null, token: null, view: null, mine: {}, metric: null };

const $ = (sel) => document.querySelector(sel);

function box() {
  return $('#predict');
}

// The teacher: the class's view comes on its own event stream.
export function predictTeacher(ctx, code) {
  if (P.role === 'teacher' && P.code === code) {
    predictRerender(); // the language changed: the same class, new words
    return;
  }
  predictStop();
  Object.assign(P, { ctx, role: 'teacher', code, view: null });
  P.es = new EventSource(`/api/classes/${encodeURIComponent(code)}/events`);
  P.es.addEventListener('round', (e) => render(JSON.parse(e.data)));
  P.es.addEventListener('end', () => predictStop());
  // the view as it is now (the stream pushes changes only)
  ctx.api('GET', `classes/${encodeURIComponent(code)}/debrief`)
    .then((v) => { if (P.code === code && !P.view) render(v); })
    .catch(() => {});
}

// A student: joins once per tab (the token is this student's alone) and
// listens on the stream they already follow.
export async function predictStudent(ctx, code, es) {
  Object.assign(P, { ctx, role: 'student', code, es: null, view: null });
  const key = `tillit-token-${code.toUpperCase()}`;
  P.token = sessionStorage.getItem(key);
  P.mine = JSON.parse(sessionStorage.getItem(`${key}-mine`) || '{}');
  if (!P.token) {
    try {
      P.token = (await ctx.api('POST', `classes/${encodeURIComponent(code)}/join`, {})).token;
      sessionStorage.setItem(key, P.token);
    } catch (e) {
      ctx.notice(`${t('error')}: ${e.message}`, 'error');
      return;
    }
  }
  es.addEventListener('round', (e) => render(JSON.parse(e.data)));
  if (P.view) render(P.view);
}

// The teacher's event stream of the class (votes.js listens on it too,
// rather than opening one more connection), or null.
export function predictEvents() {
  return P.role === 'teacher' ? P.es : null;
}

// This tab's student token (steer mode acts with it too), or null.
export function predictToken() {
  return P.role === 'student' ? P.token : null;
}

// Draw the class view again (after a change of language).
export function predictRerender() {
  if (P.view) render(P.view);
}

// A lesson's question as a round's question: one line (the files end it
// with a newline, and the server refuses control characters) of at most
// 280 bytes of UTF-8.
function lessonQuestion(l) {
  let q = pick(l.question).replace(/\s+/g, ' ').trim();
  while (new TextEncoder().encode(q).length > 280) q = q.slice(0, -1);
  return q;
}

// At a lesson's pause with a class open: put the lesson's question to the
// class by itself (its first measure to watch, side A), unless a round is
// open already, so that every student's box opens with the question.
export function predictAutoAsk(week) {
  if (P.role !== 'teacher' || !P.code) return;
  const l = P.ctx.lesson();
  if (!l) return;
  const rounds = P.view ? P.view.rounds : [];
  const last = rounds.length ? rounds[rounds.length - 1] : null;
  if (last && (last.state === 'open' || last.week === week)) return;
  const names = l.watch.length ? l.watch : ['quality_true'];
  if (!names.includes(P.metric)) [P.metric] = names;
  teacherCall('rounds', { metric: P.metric, question: lessonQuestion(l) || undefined });
}

// The teacher's play and pause, told to the class.
export function predictPace(playing) {
  if (P.role !== 'teacher' || !P.code) return;
  teacherCall('pace', { state: playing ? 'play' : 'pause' });
}

export function predictStop() {
  if (P.es) P.es.close();
  Object.assign(P, { role: null, code: null, es: null, view: null });
  const b = box();
  if (b) {
    b.hidden = true;
    b.replaceChildren();
  }
}

async function teacherCall(path, body) {
  try {
    await P.ctx.api('POST', `classes/${P.code}/${path}`, { session: P.ctx.sid(), ...body });
  } catch (e) {
    P.ctx.notice(`${t('error')}: ${e.message}`, 'error');
  }
}

async function answer(n, dir) {
  const amountIn = $('#predict-amount');
  const amount = amountIn && amountIn.value !== '' ? Number(amountIn.value) : undefined;
  try {
    await P.ctx.api('POST', `classes/${encodeURIComponent(P.code)}/rounds/${n}/answer`,
      { token: P.token, direction: dir, amount });
    P.mine[n] = dir;
    sessionStorage.setItem(`tillit-token-${P.code.toUpperCase()}-mine`, JSON.stringify(P.mine));
    render(P.view);
  } catch (e) {
    P.ctx.notice(`${t('error')}: ${e.message}`, 'error');
  }
}

function dirLabel(d) {
  return t(`predict_${d}`);
}

// The class's answers as bars, the run's direction marked.
function distribution(r) {
  const { el } = P.ctx;
  const total = Math.max(1, r.answered);
  const rows = DIRS.map(([d, arrow]) => {
    const n = r.answers[d];
    const hit = r.outcome.direction === d;
    const fill = el('span', { class: 'predict-bar-fill' });
    fill.style.width = `${(100 * n) / total}%`; // CSSOM: allowed by the page's CSP, an attribute is not
    return el('div', { class: `predict-bar${hit ? ' hit' : ''}`, dataset: { dir: d } },
      el('span', { class: 'predict-bar-label' }, `${arrow} ${dirLabel(d)}`),
      el('span', { class: 'predict-bar-track' },
        fill),
      el('span', { class: 'predict-bar-n' }, String(n)),
      r.mean_amount[d] !== null ? el('span', { class: 'predict-bar-amount' }, t('predict_mean_amount', fmtNum(r.mean_amount[d], 0))) : null);
  });
  const o = r.outcome;
  const change = o.change_percent === null ? '' : ` (${signed(o.change_percent)} %)`;
  return el('div', { class: 'predict-result' }, ...rows,
    el('p', { class: 'predict-outcome', id: 'predict-outcome' },
      t(o.replicates ? 'predict_outcome_seed' : 'predict_outcome', o.week,
        `${DIRS.find(([d]) => d === o.direction)[1]} ${dirLabel(o.direction)}`, change),
      ' ', t('predict_right', o.right, r.answered)),
    o.replicates ? replicatesLine(o) : null);
}

function signed(v) {
  return `${v > 0 ? '+' : ''}${fmtNum(v, 1)}`;
}

// With R > 1 replicates: what happened over all of them, the median and
// the range of the measure at the reveal and of its change, and how many
// replicates went each way (beside the class's answers above).
function replicatesLine(o) {
  const { el } = P.ctx;
  const x = o.replicates;
  // enough digits that a range that is not one value does not read as one
  let digits = Math.abs(x.to.median) >= 100 ? 0 : 2;
  while (digits < 4 && x.to.lo !== x.to.hi && fmtNum(x.to.lo, digits) === fmtNum(x.to.hi, digits)) digits += 1;
  const ways = DIRS.map(([d, arrow]) => `${arrow} ${x.directions[d]}`).join(', ');
  return el('p', { class: 'predict-outcome predict-replicates', id: 'predict-replicates' },
    t('predict_replicates', x.n, fmtNum(x.to.median, digits), fmtNum(x.to.lo, digits), fmtNum(x.to.hi, digits),
      x.change_percent.median === null ? '–' : signed(x.change_percent.median),
      x.change_percent.lo === null ? '–' : signed(x.change_percent.lo),
      x.change_percent.hi === null ? '–' : signed(x.change_percent.hi), ways));
}

// The debrief's cell of what the run did: with replicates, their median
// change and range too.
function runCell(o) {
  const own = `${dirLabel(o.direction)}${o.change_percent === null ? '' : ` ${fmtNum(o.change_percent, 1)} %`}`;
  const x = o.replicates;
  if (!x || x.change_percent.median === null) return own;
  return `${own}; ${t('predict_replicates_short', x.n, signed(x.change_percent.median),
    signed(x.change_percent.lo), signed(x.change_percent.hi))}`;
}

function roundTitle(r) {
  const { el, metricLabel } = P.ctx;
  return el('p', { class: 'predict-question' },
    r.question || t('predict_default_q', metricLabel(r.metric)),
    el('span', { class: 'predict-metric' }, ` — ${metricLabel(r.metric)}, ${t('side')} ${r.side}, ${t('week').toLowerCase()} ${r.week}`));
}

function teacherControls(v, r) {
  const { el, metricLabel } = P.ctx;
  const open = r && r.state === 'open';
  const parts = [];
  if (open) {
    parts.push(el('p', { class: 'predict-count', id: 'predict-answered' }, t('predict_answered', r.answered, v.students)),
      el('button', { type: 'button', id: 'predict-reveal', onclick: () => teacherCall(`rounds/${r.n}/reveal`, {}) }, t('predict_reveal')),
      el('button', { type: 'button', id: 'predict-end', onclick: () => teacherCall(`rounds/${r.n}/end`, {}) }, t('predict_end')));
  } else {
    const l = P.ctx.lesson();
    const question = l ? lessonQuestion(l) : '';
    const names = l && l.watch.length ? l.watch : ['quality_true', 'motivation_mean', 'time_documentation', 'cost_per_case'];
    if (!names.includes(P.metric)) [P.metric] = names;
    const sel = el('select', { id: 'predict-metric', onchange: (e) => { P.metric = e.target.value; } },
      names.map((m) => el('option', { value: m, selected: m === P.metric }, metricLabel(m))));
    const sides = P.ctx.nsides();
    const sideSel = sides > 1 ? el('select', { id: 'predict-side' }, ['A', 'B'].map((s) => el('option', { value: s }, `${t('side')} ${s}`))) : null;
    parts.push(el('p', { class: 'predict-count' }, t('predict_students', v.students)),
      el('label', {}, `${t('predict_measure')}: `, sel), sideSel,
      el('button', {
        type: 'button', id: 'predict-ask',
        onclick: () => teacherCall('rounds', {
          metric: P.metric,
          question: question || undefined,
          side: sideSel ? sideSel.value : undefined,
        }),
      }, t('predict_ask')));
  }
  return parts;
}

function studentControls(v, r) {
  const { el } = P.ctx;
  if (!r || r.state !== 'open') return [el('p', { class: 'hint' }, t(v.playing ? 'predict_playing' : 'predict_wait'))];
  const mine = P.mine[r.n];
  return [
    el('div', { class: 'predict-dirs' }, DIRS.map(([d, arrow]) => el('button', {
      type: 'button', class: 'predict-dir', dataset: { dir: d }, 'aria-pressed': String(mine === d),
      onclick: () => answer(r.n, d),
    }, `${arrow} ${dirLabel(d)}`))),
    el('label', { class: 'predict-amount' }, `${t('predict_amount')} `,
      el('input', { id: 'predict-amount', type: 'number', min: 0, max: 1000, step: 1, inputmode: 'numeric' }), ' %'),
    el('p', { class: 'hint', id: 'predict-mine' }, mine ? t('predict_mine', dirLabel(mine)) : t('predict_once')),
  ];
}

function debrief(v) {
  const { el, metricLabel } = P.ctx;
  const done = v.rounds.filter((r) => r.outcome);
  if (!done.length) return null;
  return el('details', { class: 'predict-debrief', id: 'predict-debrief' },
    el('summary', {}, done.length === 1 ? t('predict_debrief_one') : t('predict_debrief', done.length)),
    el('table', {},
      el('thead', {}, el('tr', {}, [t('predict_col_q'), '↑', '→', '↓', t('predict_col_run')].map((h) => el('th', {}, h)))),
      el('tbody', {}, done.map((r) => el('tr', {},
        el('td', {}, `${r.n}. ${r.question || metricLabel(r.metric)} (${metricLabel(r.metric)}, ${r.side})`),
        ...DIRS.map(([d]) => el('td', { class: r.outcome.direction === d ? 'hit' : '' }, String(r.answers[d]))),
        el('td', {}, runCell(r.outcome)))))));
}

function render(v) {
  P.view = v;
  const b = box();
  if (!b || !P.ctx || !v) return;
  const { el } = P.ctx;
  const r = v.rounds.length ? v.rounds[v.rounds.length - 1] : null;
  const body = [el('h2', { dataset: { round: r ? r.n : 0 } }, t('predict_title'), // a new round is new markup (keep.js)
    el('span', { class: 'predict-pace', id: 'predict-pace' }, t(v.playing ? 'predict_pace_play' : 'predict_pace_pause')))];
  if (r && r.state !== 'ended') body.push(roundTitle(r));
  if (r && r.outcome && r.state !== 'ended') body.push(distribution(r));
  body.push(...(P.role === 'teacher' ? teacherControls(v, r) : studentControls(v, r)));
  body.push(debrief(v));
  redraw(b, body.filter(Boolean)); // a tap or a typed amount survives classmates' answers
  const was = b.dataset.round;
  b.dataset.role = P.role;
  b.dataset.round = r ? `${r.n}-${r.state}` : '0';
  b.hidden = false;
  // a student's box comes into view by itself when a question opens
  if (P.role === 'student' && r && r.state === 'open' && was !== b.dataset.round) {
    b.scrollIntoView({ block: 'nearest' });
  }
}
