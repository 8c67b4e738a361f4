// The classroom page: levers generated from the engine's parameter table,
// presets, play/pause/step/reset, live charts, two regimes side by side,
// lessons, export; in Swedish and English. Talks to `tillit serve` only.
import { ChartGrid, SIDE_COLORS } from './charts.js';
import { t, setLang, getLang, pick, fmtNum, fmtWait } from './i18n.js';
import { LEVERS } from './levers.js';
import { PARTS, REFS, PRINCIPLES } from './principles.js';
import { predictTeacher, predictStudent, predictPace, predictStop, predictRerender, predictAutoAsk } from './predict.js';
import { steerTeacher, steerStudent, steerStop, steerRerender } from './steer.js';
import { voteTeacher, voteStudent, voteStop, voteRerender } from './votes.js';

const $ = (sel) => document.querySelector(sel);

// A DOM element; children are nodes or strings (set as text, never as HTML).
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const SPEEDS = [2, 5, 10, 25, 50];
const SIDE_NAMES = ['A', 'B'];
const STORE = 'tillit-classroom-session';

const S = {
  info: null,
  params: [],
  pindex: {},
  metrics: [],
  mindex: {},
  presets: [],
  lessons: [],
  session: null,
  rows: [[], []],
  bands: null, // replicates: per side {lo, med, hi} rows, else null
  playing: false,
  wps: 10,
  acc: 0,
  pending: 0,
  editSide: 0,
  highlightRef: null,
  questionShown: false,
  lessonCollapsed: false,
  notesOpen: false, // the teacher notes of a lesson, open or closed
  extraMetric: null,
  layoutKey: '',
};

let grid = null;

// ---- talking to the server ------------------------------------------------------
class ApiError extends Error {
  constructor(status, msg) {
    super(msg);
    this.status = status;
  }
}

async function api(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(`/api/${path}`, opts);
  let j = null;
  try {
    j = await r.json();
  } catch {
    j = null;
  }
  if (!r.ok) throw new ApiError(r.status, (j && j.error) || r.statusText);
  return j;
}

// Requests to the session run one after another, so that replies arrive in
// the order the server applied them.
let chain = Promise.resolve();
function enqueue(fn) {
  S.pending += 1;
  const p = chain.then(fn).finally(() => { S.pending -= 1; });
  chain = p.catch(() => {});
  return p;
}

function sid() {
  return S.session && S.session.id;
}

async function sessionCall(method, action, body) {
  try {
    return await api(method, `sessions/${sid()}${action ? `/${action}` : ''}`, body);
  } catch (e) {
    if (e.status === 404 && /session/.test(e.message)) {
      // expired: start afresh
      await newSession({});
      notice(t('lost'), 'warn');
      return null;
    }
    throw e;
  }
}

async function newSession(setup) {
  try {
    const j = await api('POST', 'sessions', setup);
    sessionStorage.setItem(STORE, j.id);
    applySession(j);
    return j;
  } catch (e) {
    if (e.status === 429) notice(t('too_many'), 'error', true);
    else notice(`${t('error')}: ${e.message}`, 'error', true);
    throw e;
  }
}

function run(action, body, method = 'POST') {
  return enqueue(async () => {
    try {
      const j = await sessionCall(method, action, body);
      if (j) applySession(j);
      return j;
    } catch (e) {
      notice(`${t('error')}: ${e.message}`, 'error');
      if (action === 'step') setPlaying(false);
      return null;
    }
  });
}

// ---- state from the server --------------------------------------------------------
function applySession(j) {
  const old = S.session;
  S.session = j;
  if (j.from === 0) {
    S.rows = j.rows.map((r) => r.slice());
    S.bands = j.bands ? j.bands.map((b) => ({ lo: b.lo.slice(), med: b.med.slice(), hi: b.hi.slice() })) : null;
  } else {
    for (let k = 0; k < j.rows.length; k += 1) {
      const band = j.bands && S.bands && S.bands[k];
      if (!S.rows[k] || S.rows[k].length !== j.from || (!!j.bands !== !!S.bands) ||
          (band && band.med.length !== j.from)) {
        // out of step: fetch everything again
        enqueue(async () => {
          const full = await sessionCall('GET', '');
          if (full) applySession(full);
        });
        return;
      }
      for (const r of j.rows[k]) S.rows[k].push(r);
      if (band) for (const p of ['lo', 'med', 'hi']) for (const r of j.bands[k][p]) band[p].push(r);
    }
  }
  if (S.editSide >= j.sides.length) S.editSide = 0;
  $('#compare').checked = j.sides.length > 1;
  refresh(!old);
}

// Draw the page for the session held; rebuild what depends on the layout
// (sides, horizon, lesson, language, extra chart) when that changed.
function refresh(force = false) {
  const j = S.session;
  const key = `${j.sides.length}|${j.horizon}|${j.lesson}|${getLang()}|${S.extraMetric}`;
  if (force || key !== S.layoutKey) {
    S.layoutKey = key;
    renderAll();
  } else {
    renderDynamic();
  }
}

// ---- names -------------------------------------------------------------------------
// labels, descriptions and the per-cent flag come from /api/metrics: the
// engine's one label table (include/tillit/metric_labels.h)
function metricInfo(name) {
  return S.metrics[S.mindex[name]];
}

function metricLabel(name) {
  const m = metricInfo(name);
  return (m && pick(m, 'label')) || name;
}

function metricDescription(name) {
  const m = metricInfo(name);
  return m ? (getLang() === 'sv' ? m.description_sv : m.description) : '';
}

function leverLabel(name) {
  const p = S.params.find((x) => x.name === name);
  return (p && pick(p, 'label')) || name;
}

// Preset labels and summaries: the engine's preset table (sim/core/presets.c) via /api/presets.
function presetLabel(name) {
  const p = S.presets.find((x) => x.name === name);
  return (p && pick(p, 'label')) || name;
}

function presetSummary(p) {
  return (getLang() === 'sv' && p.summary_sv) || p.summary;
}

function refShort(key) {
  const r = REFS[key];
  if (!r) return '';
  if (r.kind === 'principle') return pick(r);
  if (r.kind === 'reservation') return `${getLang() === 'sv' ? 'Reservation' : 'Reservation'} ${key.slice(3)}`;
  if (r.kind === 'row') return getLang() === 'sv' ? 'Tabellen' : 'The table';
  return getLang() === 'sv' ? 'Statsbidrag' : 'State grants';
}

function regimePresets() {
  return S.presets.filter((p) => p.regime);
}

function levers() {
  return S.params.filter((p) => p.lever);
}

// The preset whose levers all equal these values, or null.
function presetMatching(values) {
  for (const p of regimePresets()) {
    const keys = Object.keys(p.settings);
    if (keys.length && keys.every((k) => values[k] === undefined || Math.abs(values[k] - p.settings[k]) < 1e-9)
        && keys.some((k) => values[k] !== undefined)) return p.name;
  }
  return null;
}

function sideNow(k) {
  const side = S.session.sides[k];
  const vals = {};
  for (const p of levers()) vals[p.name] = side.params[p.name];
  return presetMatching(vals);
}

function sideTitle(k) {
  const side = S.session.sides[k];
  const l = currentLesson();
  const ls = l && l.sides[k];
  if (ls && ls.label === side.label && ls.title) return pick(ls.title);
  return presetLabel(side.label);
}

// "Control-based → Balanced" once a side has been switched to another preset.
function sideTitleNow(k) {
  const side = S.session.sides[k];
  const now = sideNow(k);
  if (side.changes.length && now && now !== side.label) return `${sideTitle(k)} → ${presetLabel(now)}`;
  if (side.changes.length && !now) return `${sideTitle(k)} → ${t('custom')}`;
  return sideTitle(k);
}

// ---- notices -----------------------------------------------------------------------
let noticeTimer = null;
function notice(msg, kind = 'info', sticky = false) {
  const n = $('#notice');
  n.textContent = msg;
  n.className = `notice ${kind}`;
  n.hidden = false;
  clearTimeout(noticeTimer);
  if (!sticky) noticeTimer = setTimeout(() => { n.hidden = true; }, kind === 'error' ? 9000 : 6000);
}

function clearNotice() {
  $('#notice').hidden = true;
}

// ---- playing -------------------------------------------------------------------------
function setPlaying(on) {
  if (S.classCode && on !== S.playing) predictPace(on);
  S.playing = on;
  S.acc = 0;
  renderToolbar();
}

function nextPause(t) {
  const l = currentLesson();
  if (!l) return Infinity;
  const p = l.pause_at.filter((w) => w > t);
  return p.length ? Math.min(...p) : Infinity;
}

let lastTick = performance.now();
function tick() {
  const now = performance.now();
  const dt = Math.min(0.5, (now - lastTick) / 1000);
  lastTick = now;
  if (!S.playing || !S.session) return;
  S.acc = Math.min(S.acc + S.wps * dt, 60);
  if (S.pending > 0) return;
  const s = S.session;
  if (s.t >= s.horizon) {
    setPlaying(false);
    notice(t('finished', s.t));
    return;
  }
  let n = Math.floor(S.acc);
  if (n < 1) return;
  const pause = nextPause(s.t);
  n = Math.min(n, s.horizon - s.t, pause - s.t);
  S.acc -= n;
  run('step', { n }).then((j) => {
    if (!j) return;
    if (j.t === pause) {
      setPlaying(false);
      notice(t('paused_at', j.t), 'pause', true);
      if (S.classCode) predictAutoAsk(j.t);
    } else if (j.t >= j.horizon) {
      setPlaying(false);
      notice(t('finished', j.t));
    }
  });
}

function togglePlay() {
  if (!S.session) return;
  if (!S.playing && S.session.t >= S.session.horizon) return;
  if (!S.playing) clearNotice();
  setPlaying(!S.playing);
}

function stepOnce() {
  setPlaying(false);
  if (S.session.t < S.session.horizon) run('step', { n: 1 });
}

function resetRun() {
  setPlaying(false);
  clearNotice();
  run('reset', {});
}

// ---- set-ups -------------------------------------------------------------------------
function currentLesson() {
  if (!S.session || !S.session.lesson) return null;
  return S.lessons.find((l) => l.name === S.session.lesson) || null;
}

// The body that starts the current sides again with other sizes, sides or seed.
function setupBody({ nsides, seed, sizes } = {}) {
  const s = S.session;
  const A = s.sides[0].params;
  const set = sizes || { employees: A.employees, citizens: A.citizens, units: A.units };
  const body = { seed: seed ?? s.seed, steps: sizes && sizes.steps ? sizes.steps : s.horizon, set: {}, replicates: s.replicates || 1 };
  for (const k of ['employees', 'citizens', 'units']) body.set[k] = set[k];
  const n = nsides ?? s.sides.length;
  body.sides = [];
  for (let k = 0; k < n; k += 1) {
    if (k < s.sides.length) {
      const side = s.sides[k];
      const lv = {};
      for (const p of levers()) lv[p.name] = side.start[p.name];
      const entry = { set: lv };
      if (/^[\x20-\x7e]{1,63}$/.test(side.label)) entry.label = side.label;
      body.sides.push(entry);
    } else {
      // a second side: the opposite of the first
      const now = sideNow(0);
      body.sides.push({ preset: now === 'control-based' ? 'trust-based' : 'control-based' });
    }
  }
  return body;
}

function setCompare(on) {
  setPlaying(false);
  clearNotice();
  S.editSide = 0;
  run('reset', setupBody({ nsides: on ? 2 : 1 }));
}

function loadLesson(name) {
  setPlaying(false);
  clearNotice();
  S.questionShown = false;
  if (!name) {
    run('reset', setupBody({ nsides: 1 }));
    return;
  }
  run('reset', { lesson: name, replicates: S.session.replicates || 1 });
}

function endLesson() {
  setPlaying(false);
  clearNotice();
  run('reset', { sides: [{ preset: 'balanced' }], replicates: S.session.replicates || 1 });
}

function applyPreset(name) {
  const side = SIDE_NAMES[S.editSide];
  run('set', { side, preset: name });
}

function setLever(name, value) {
  run('set', { side: SIDE_NAMES[S.editSide], set: { [name]: value } });
}

// ---- rendering -----------------------------------------------------------------------
function renderAll() {
  renderStatic();
  renderToolbar();
  renderSideTabs();
  renderPresets();
  renderPrinciples();
  renderLevers();
  renderOrg();
  renderLesson();
  buildCharts();
  renderDynamic();
}

function renderRunTitle() {
  const s = S.session;
  const box = $('#run-title');
  box.replaceChildren();
  s.sides.forEach((_, k) => {
    box.append(el('span', { class: `run-side side-${k}`, dataset: { side: SIDE_NAMES[k] } },
      s.sides.length > 1 ? el('b', {}, `${SIDE_NAMES[k]} `) : null, sideTitleNow(k)));
  });
}

function renderDynamic() {
  renderRunTitle();
  renderToolbar();
  renderSideTabs();
  renderPresets();
  syncLevers();
  renderKPIs();
  renderExport();
  updateCharts();
}

function renderStatic() {
  document.title = `tillit – ${t('title')}`;
  $('#title').textContent = t('title');
  $('#subtitle').textContent = t('subtitle');
  $('#lessons-label').textContent = t('lessons');
  $('#export-label').textContent = t('export');
  $('#speed-label').textContent = `${t('speed')} (${t('weeks_per_s')})`;
  $('#compare-label').textContent = t('compare');
  $('#compare-wrap').title = t('compare_hint');
  $('#seed-label').textContent = t('seed');
  $('#present-label').textContent = t('present');
  $('#class-label').textContent = t('class_btn');
  $('#class-btn').title = t('class_hint');
  if (S.classCode) showClass(S.classCode);
  else predictRerender();
  steerRerender();
  voteRerender();
  $('#present').title = t('present_hint');
  $('#present').setAttribute('aria-pressed', String(document.body.classList.contains('present')));
  $('#keys-hint').textContent = t('keys_hint');
  $('#source-line').textContent = t('source_doc');
  for (const b of document.querySelectorAll('.lang button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
  }
  const sel = $('#lesson-select');
  sel.replaceChildren(el('option', { value: '' }, t('choose_lesson')),
    ...S.lessons.map((l) => el('option', { value: l.name }, pick(l.title))));
  sel.value = (S.session && S.session.lesson) || '';
  const speeds = $('#speeds');
  speeds.replaceChildren(...SPEEDS.map((w) => el('button', {
    type: 'button', 'aria-pressed': String(w === S.wps), dataset: { wps: w },
    onclick: () => { S.wps = w; renderStatic(); },
  }, String(w))));
}

// Small inline icons (the projector's fonts may lack the media symbols).
const ICONS = {
  play: 'M6 4l14 8-14 8z',
  pause: 'M6 4h4v16H6zM14 4h4v16h-4z',
  step: 'M5 4l10 8-10 8zM16 4h3v16h-3z',
  reset: 'M12 5a7 7 0 1 1-6.6 4.7l2.8 1A4 4 0 1 0 12 8v3L7 6.5 12 2z',
};
function withIcon(button, icon, text) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[icon]);
  svg.append(path);
  button.replaceChildren(svg, document.createTextNode(text));
}

function renderToolbar() {
  const s = S.session;
  if (!s) return;
  const play = $('#play');
  withIcon(play, S.playing ? 'pause' : 'play', S.playing ? t('pause') : t('play'));
  play.setAttribute('aria-pressed', String(S.playing));
  play.disabled = !S.playing && s.t >= s.horizon;
  withIcon($('#step'), 'step', t('step'));
  $('#step').disabled = s.t >= s.horizon;
  withIcon($('#reset'), 'reset', t('reset'));
  const yr = Math.floor(s.t / 52);
  $('#week').textContent = `${t('week')} ${s.t} / ${s.horizon}  ·  ${t('year')} ${yr}`;
  $('#week').dataset.week = String(s.t);
  $('#progress-bar').style.width = `${(100 * s.t) / s.horizon}%`;
  const seed = $('#seed');
  if (document.activeElement !== seed) seed.value = String(s.seed);
  renderReplicates();
}

// The replicates a run has (1 to the server's limit), chosen in the toolbar.
const REPLICATE_CHOICES = [1, 2, 3, 5, 10];
function renderReplicates() {
  const sel = $('#replicates');
  const max = (S.info && S.info.limits && S.info.limits.max_replicates) || 1;
  const n = S.session.replicates || 1;
  const choices = REPLICATE_CHOICES.filter((r) => r <= max);
  if (!choices.includes(n)) choices.push(n);
  if (sel.options.length !== choices.length) {
    sel.replaceChildren(...choices.sort((a, b) => a - b).map((r) => el('option', { value: String(r) }, `×${r}`)));
  }
  sel.value = String(n);
  $('#replicates-label').textContent = t('replicates');
  sel.closest('label').title = `${t('replicates')}: ${t('replicates_x')}`;
  sel.setAttribute('aria-label', t('replicates'));
}

function renderSideTabs() {
  const s = S.session;
  const box = $('#side-tabs');
  box.replaceChildren();
  box.hidden = s.sides.length < 2;
  if (s.sides.length < 2) return;
  box.append(el('span', { class: 'small-label' }, `${t('editing')}:`));
  s.sides.forEach((side, k) => {
    box.append(el('button', {
      type: 'button', class: `side-tab side-${k}`, 'aria-pressed': String(k === S.editSide),
      dataset: { side: SIDE_NAMES[k] },
      onclick: () => { S.editSide = k; renderDynamic(); renderPresets(); },
    }, `${SIDE_NAMES[k]}: ${sideTitleNow(k)}`));
  });
}

function renderPresets() {
  const box = $('#presets');
  const s = S.session;
  const now = sideNow(S.editSide);
  box.replaceChildren(el('h2', {}, t('presets')));
  const row = el('div', { class: 'preset-row' });
  for (const p of regimePresets()) {
    row.append(el('button', {
      type: 'button', class: 'preset', dataset: { preset: p.name },
      'aria-pressed': String(now === p.name),
      title: presetSummary(p),
      onclick: () => applyPreset(p.name),
    }, presetLabel(p.name)));
  }
  box.append(row, el('p', { class: 'hint' }, s.t === 0 ? t('presets_hint_start') : t('presets_hint_mid')));
}

function renderPrinciples() {
  const box = $('#principles');
  box.replaceChildren(el('h2', {}, t('principles')));
  const row = el('div', { class: 'chips' });
  for (const key of PRINCIPLES) {
    row.append(el('button', {
      type: 'button', class: 'chip', dataset: { ref: key },
      'aria-pressed': String(S.highlightRef === key),
      onclick: () => {
        S.highlightRef = S.highlightRef === key ? null : key;
        renderPrinciples();
        highlightLevers();
      },
    }, pick(REFS[key])));
  }
  box.append(row);
  if (S.highlightRef) {
    const r = REFS[S.highlightRef];
    box.append(el('div', { class: 'principle-quote' },
      el('blockquote', { lang: 'sv' }, `”${r.quote_sv}”`),
      el('p', { class: 'en', lang: 'en' }, `“${r.quote_en}”`)));
  }
}

function highlightLevers() {
  for (const d of document.querySelectorAll('.lever')) {
    const refs = (LEVERS[d.dataset.lever] || {}).refs || [];
    d.classList.toggle('hl', !!S.highlightRef && refs.includes(S.highlightRef));
    d.classList.toggle('dim', !!S.highlightRef && !refs.includes(S.highlightRef));
  }
}

function fmtLever(p, v) {
  if (v === undefined || v === null) return '–';
  return p.type === 'int' ? String(v) : fmtNum(v, 2);
}

function renderLevers() {
  const box = $('#levers');
  box.replaceChildren();
  for (const part of PARTS) {
    const ps = levers().filter((p) => p.part === part.key);
    if (!ps.length) continue;
    const sec = el('section', { class: `part part-${part.key}`, dataset: { part: part.key } },
      el('h2', {}, pick(part)));
    for (const p of ps) sec.append(leverControl(p));
    box.append(sec);
  }
  // levers without a part, if the table ever has any
  const rest = levers().filter((p) => !PARTS.some((x) => x.key === p.part));
  if (rest.length) {
    const sec = el('section', { class: 'part' }, el('h2', {}, t('levers')));
    for (const p of rest) sec.append(leverControl(p));
    box.append(sec);
  }
  highlightLevers();
}

function leverControl(p) {
  const L = LEVERS[p.name] || {};
  const ref = (L.refs && L.refs[0]) || null;
  const refInfo = ref ? REFS[ref] : null;
  const step = p.type === 'int' ? 1 : (p.max - p.min) / 20;
  const out = el('output', { class: 'lever-value' });
  const other = el('span', { class: 'lever-other' });
  const input = el('input', {
    type: 'range', min: p.min, max: p.max, step, 'aria-label': leverLabel(p.name),
    dataset: { param: p.name },
    oninput: () => { out.textContent = fmtLever(p, Number(input.value)); },
    onchange: () => setLever(p.name, Number(input.value)),
  });
  const info = el('div', { class: 'lever-info', hidden: true });
  for (const q of L.quotes || []) {
    const col = q.col ? `${t(q.col === 'control' ? 'col_control' : 'col_trust')}: ` : '';
    info.append(el('blockquote', { lang: 'sv' }, col ? el('span', { class: 'col' }, col) : null, `”${q.sv}”`),
      el('p', { class: 'en', lang: 'en' }, `“${q.en}”`));
  }
  if (refInfo) info.append(el('p', { class: 'ref' }, `${t('source_says')}: ${pick(refInfo)}`));
  info.append(el('p', { class: 'model' }, el('b', {}, `${t('in_model')}: `),
    getLang() === 'sv' ? p.description_sv : p.description));
  const btn = el('button', {
    type: 'button', class: 'info-btn', 'aria-expanded': 'false', 'aria-label': `${t('source_says')}: ${leverLabel(p.name)}`,
    onclick: () => {
      info.hidden = !info.hidden;
      btn.setAttribute('aria-expanded', String(!info.hidden));
    },
  }, 'i');
  return el('div', { class: 'lever', dataset: { lever: p.name } },
    el('div', { class: 'lever-head' },
      el('span', { class: 'lever-name' }, leverLabel(p.name)),
      el('span', { class: 'grow' }),
      other, out, btn),
    input,
    el('div', { class: 'lever-ends' },
      el('span', {}, pick(L, 'lo')),
      ref ? el('span', { class: `badge badge-${refInfo.kind}`, title: pick(refInfo) }, refShort(ref)) : null,
      el('span', {}, pick(L, 'hi'))),
    info);
}

function syncLevers() {
  const s = S.session;
  const side = s.sides[S.editSide];
  const otherSide = s.sides.length > 1 ? s.sides[1 - S.editSide] : null;
  for (const d of document.querySelectorAll('.lever')) {
    const name = d.dataset.lever;
    const p = S.pindex[name];
    const input = d.querySelector('input');
    if (document.activeElement !== input) input.value = String(side.params[name]);
    d.querySelector('.lever-value').textContent = fmtLever(p, side.params[name]);
    d.querySelector('.lever-value').style.color = s.sides.length > 1 ? SIDE_COLORS[S.editSide] : '';
    const o = d.querySelector('.lever-other');
    o.textContent = otherSide ? `${SIDE_NAMES[1 - S.editSide]} ${fmtLever(p, otherSide.params[name])}` : '';
    o.style.color = otherSide ? SIDE_COLORS[1 - S.editSide] : '';
    d.classList.toggle('differs', !!otherSide && otherSide.params[name] !== side.params[name]);
  }
  $('#panel').dataset.side = SIDE_NAMES[S.editSide];
}

function renderOrg() {
  const box = $('#org');
  const s = S.session;
  const A = s.sides[0].params;
  const lim = S.info.limits;
  const field = (name, label, value, max) => el('label', { class: 'org-field' },
    el('span', {}, label),
    el('input', { type: 'number', name, min: 1, max, step: 1, value }));
  const form = el('form', { class: 'org-form' },
    field('employees', t('employees'), A.employees, lim.max_employees),
    field('citizens', t('citizens'), A.citizens, lim.max_citizens),
    field('units', t('units'), A.units, lim.max_units),
    field('steps', t('steps'), s.horizon, lim.max_steps),
    el('button', { type: 'submit' }, t('restart_with')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const sizes = {};
    for (const k of ['employees', 'citizens', 'units', 'steps']) sizes[k] = Number(f.get(k));
    setPlaying(false);
    run('reset', setupBody({ sizes }));
  });
  box.replaceChildren(el('summary', {}, t('org')), el('p', { class: 'hint' }, t('org_hint')), form);
}

// The lesson's notes for the teacher (expected result, timing, points to
// discuss): on the teacher's own screen only — never for a student following
// a class, and hidden in presentation mode (style.css). Kept open or closed.
function teacherNotes(l) {
  if (!l.notes || document.body.classList.contains('follow')) return null;
  const kinds = ['expected', 'timing', 'discuss'].filter((k) => l.notes[k]);
  if (!kinds.length) return null;
  const d = el('details', { class: 'teacher-notes', id: 'teacher-notes', open: !!S.notesOpen },
    el('summary', {}, t('notes_title')),
    el('dl', {}, kinds.flatMap((k) => [el('dt', {}, t(`notes_${k}`)), el('dd', { dataset: { note: k } }, pick(l.notes[k]))])));
  d.addEventListener('toggle', () => { S.notesOpen = d.open; });
  return d;
}

function renderLesson() {
  const box = $('#lesson');
  const l = currentLesson();
  box.hidden = !l;
  box.replaceChildren();
  box.classList.toggle('collapsed', !!S.lessonCollapsed);
  $('#lesson-select').value = l ? l.name : '';
  if (!l) return;
  const q = el('div', { class: 'question', hidden: !S.questionShown },
    el('h3', {}, t('question')), el('p', {}, pick(l.question)));
  const qb = el('button', {
    type: 'button', class: 'question-btn',
    onclick: () => {
      S.questionShown = !S.questionShown;
      q.hidden = !S.questionShown;
      qb.textContent = S.questionShown ? t('hide_question') : t('show_question');
    },
  }, S.questionShown ? t('hide_question') : t('show_question'));
  box.append(
    el('div', { class: 'lesson-main' },
      el('div', { class: 'lesson-head' },
        el('button', {
          type: 'button', class: 'collapse-btn', 'aria-expanded': String(!S.lessonCollapsed),
          'aria-label': t('lesson'),
          onclick: () => { S.lessonCollapsed = !S.lessonCollapsed; renderLesson(); },
        }, S.lessonCollapsed ? '▸' : '▾'),
        el('span', { class: 'small-label' }, t('lesson')),
        el('h2', {}, pick(l.title))),
      el('p', { class: 'lesson-text' }, pick(l.text)),
      el('p', { class: 'watch' }, el('b', {}, `${t('watch')}: `), l.watch.map(metricLabel).join(' · ')),
      teacherNotes(l)),
    el('div', { class: 'lesson-side' },
      el('div', { class: 'lesson-buttons' }, qb,
        el('button', { type: 'button', class: 'end-lesson', onclick: endLesson }, t('end_lesson'))),
      q));
}

// ---- KPIs ---------------------------------------------------------------------------------
const KPIS = [
  { key: 'kpi_quality', metric: 'quality_true', how: 'mean4', digits: 2 },
  { key: 'kpi_motivation', metric: 'motivation_mean', how: 'last', digits: 2 },
  { key: 'kpi_doc', metric: 'time_documentation', how: 'last', pct: true },
  { key: 'kpi_wait', metric: 'wait_mean', how: 'mean4', wait: true },
  { key: 'kpi_incidents', metric: 'incidents', how: 'sum', digits: 0, note: 'kpi_total' },
  { key: 'kpi_cost', metric: 'cost_per_case', how: 'mean4', digits: 0, note: 'kpi_sek' },
];

// The rows the tiles and charts show for side k: the median of the
// replicates when the run has several, else the run itself.
function shownRows(k) {
  return (S.bands && S.bands[k] ? S.bands[k].med : S.rows[k]) || [];
}

function kpiValue(rows, col, how) {
  if (!rows.length) return null;
  if (how === 'last') return rows[rows.length - 1][col];
  if (how === 'sum') return rows.reduce((a, r) => a + (r[col] || 0), 0);
  const tail = rows.slice(-4).map((r) => r[col]).filter((v) => v !== null);
  return tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : null;
}

function renderKPIs() {
  const box = $('#kpis');
  const s = S.session;
  box.replaceChildren();
  for (const k of KPIS) {
    const col = S.mindex[k.metric];
    const vals = s.sides.map((_, i) => kpiValue(shownRows(i), col, k.how));
    const fmt = (v) => {
      if (v === null || v === undefined) return '–';
      if (k.pct) return `${fmtNum(v * 100, 0)} %`;
      if (k.wait) return fmtWait(v);
      return fmtNum(v, k.digits);
    };
    const tile = el('div', { class: 'kpi', dataset: { metric: k.metric }, title: t(`${k.key}_x`) },
      el('div', { class: 'kpi-label' }, t(k.key), k.note ? el('span', { class: 'kpi-note' }, ` (${t(k.note)})`) : null));
    const valsBox = el('div', { class: 'kpi-values' });
    vals.forEach((v, i) => {
      valsBox.append(el('span', { class: `kpi-value side-${i}`, dataset: { side: SIDE_NAMES[i] } },
        s.sides.length > 1 ? el('small', {}, `${SIDE_NAMES[i]} `) : null, fmt(v)));
    });
    tile.append(valsBox, el('p', { class: 'kpi-explain' }, t(`${k.key}_x`)));
    box.append(tile);
  }
}

// ---- charts ---------------------------------------------------------------------------------
const BASE_CHARTS = [
  { id: 'quality', title: 'chart_quality', metrics: ['quality_true', 'quality_measured'], y: { suggestedMin: 0.45, suggestedMax: 0.7 } },
  { id: 'staff', title: 'chart_staff', metrics: ['skill_mean', 'motivation_mean', 'safety_mean'], y: { min: 0, max: 1 } },
  { id: 'documentation', title: 'chart_doc', metrics: ['time_documentation'], y: { min: 0, suggestedMax: 0.4 }, pct: true },
  { id: 'waiting', title: 'chart_wait', metrics: ['wait_mean'], y: { beginAtZero: true, suggestedMax: 0.2 }, wait: true },
  { id: 'incidents', title: 'chart_incidents', metrics: ['incidents'], y: { beginAtZero: true, suggestedMax: 2 }, smooth: 8 },
  { id: 'cost', title: 'chart_cost', metrics: ['cost_per_case'], y: { suggestedMin: 4000, suggestedMax: 6000 }, smooth: 4, digits: 0 },
];

function chartSpecs() {
  const l = currentLesson();
  const watch = l ? l.watch : [];
  const inBase = new Set(BASE_CHARTS.flatMap((c) => c.metrics));
  const specs = BASE_CHARTS.map((c) => ({
    ...c,
    title: t(c.title),
    highlight: c.metrics.some((m) => watch.includes(m)),
  }));
  const extra = watch.filter((m) => !inBase.has(m)).slice(0, 3);
  if (S.extraMetric && !extra.includes(S.extraMetric) && !inBase.has(S.extraMetric)) extra.push(S.extraMetric);
  for (const m of extra) {
    const info = metricInfo(m);
    const unit = info && info.unit !== '1' ? ` (${info.unit})` : '';
    const pct = !!(info && info.pct);
    specs.push({
      id: `extra-${m}`,
      title: watch.includes(m) ? t('chart_extra', metricLabel(m) + unit) : metricLabel(m) + unit,
      metrics: [m],
      y: pct ? { min: 0, suggestedMax: 0.5 } : { beginAtZero: true },
      pct,
      highlight: watch.includes(m),
      smooth: info && info.aggregation === 'count' ? 4 : 0,
    });
  }
  return specs;
}

function buildCharts() {
  const s = S.session;
  grid.build(chartSpecs(), s.sides.map((_, k) => (s.sides.length > 1 ? SIDE_NAMES[k] : '')), s.horizon, metricLabel);
  renderExtraPick();
}

function changeLabel(k, group, compare) {
  const who = compare ? `${SIDE_NAMES[k]}: ` : '';
  const values = {};
  for (const c of group) values[c.param] = c.value;
  const p = group.length >= 3 ? presetMatching(values) : null;
  if (p) return `${who}→ ${presetLabel(p)}`;
  if (group.length === 1) {
    const c = group[0];
    return `${who}${leverLabel(c.param)} ${fmtNum(c.value, 2)}`;
  }
  return `${who}${t('n_levers', group.length)}`;
}

function chartMarks() {
  const s = S.session;
  const compare = s.sides.length > 1;
  const marks = [];
  s.sides.forEach((side, k) => {
    const color = compare ? SIDE_COLORS[k] : '#111827';
    const byWeek = new Map();
    for (const c of side.changes) {
      if (!byWeek.has(c.week)) byWeek.set(c.week, []);
      byWeek.get(c.week).push(c);
    }
    for (const [w, g] of byWeek) marks.push({ x: w + 0.5, label: changeLabel(k, g, compare), color });
    const byAt = new Map();
    for (const c of side.schedule) {
      if (!byAt.has(c.at)) byAt.set(c.at, []);
      byAt.get(c.at).push(c);
    }
    for (const [at, g] of byAt) marks.push({ x: at - 0.5, label: changeLabel(k, g, compare), color });
  });
  return marks;
}

function updateCharts() {
  grid.update(S.rows, S.mindex, chartMarks(), S.bands);
  const note = $('#band-note');
  note.hidden = !S.bands;
  if (S.bands) note.textContent = t('band_note', S.session.replicates);
}

function renderExtraPick() {
  const box = $('#extra-pick');
  const sel = el('select', {
    'aria-label': t('any_metric'),
    onchange: () => {
      S.extraMetric = sel.value || null;
      refresh();
    },
  }, el('option', { value: '' }, t('metric_pick')));
  const sorted = S.metrics.map((m) => m.name).sort((a, b) => metricLabel(a).localeCompare(metricLabel(b), getLang()));
  for (const m of sorted) {
    sel.append(el('option', { value: m, title: metricDescription(m) }, metricLabel(m)));
  }
  sel.value = S.extraMetric || '';
  box.replaceChildren(el('label', {}, el('span', { class: 'small-label' }, `${t('any_metric')}: `), sel));
}

// ---- export ----------------------------------------------------------------------------------
function renderExport() {
  const s = S.session;
  const list = $('#export-list');
  list.replaceChildren();
  if (s.t < 1) {
    list.append(el('p', { class: 'hint' }, t('export_none')));
  } else {
    s.sides.forEach((side, k) => {
      const name = s.sides.length > 1 ? `${t('export_h5')} – ${SIDE_NAMES[k]} (${sideTitle(k)})` : t('export_h5');
      list.append(el('a', {
        href: `/api/sessions/${s.id}/export?side=${SIDE_NAMES[k]}`, download: '', dataset: { export: `h5-${SIDE_NAMES[k]}` },
      }, name));
    });
  }
  list.append(el('button', { type: 'button', dataset: { export: 'png' }, onclick: exportPNG }, t('export_png')));
}

function exportPNG() {
  const s = S.session;
  const l = currentLesson();
  const lines = [t('title') + (l ? ` – ${pick(l.title)}` : '')];
  lines.push(s.sides.map((_, k) => `${s.sides.length > 1 ? `${SIDE_NAMES[k]}: ` : ''}${sideTitleNow(k)}`).join('   |   '));
  lines.push(t('png_title', s.t, s.horizon, s.seed));
  const url = grid.toPNG(lines);
  if (!url) return;
  const a = el('a', { href: url, download: `tillit-${s.lesson || 'classroom'}-week-${s.t}-${getLang()}.png` });
  document.body.append(a);
  a.click();
  a.remove();
  $('#export-menu').open = false;
}

// ---- start -------------------------------------------------------------------------------------
function chooseLang() {
  const q = new URLSearchParams(window.location.search).get('lang');
  if (q === 'sv' || q === 'en') return q;
  const stored = localStorage.getItem('tillit-lang');
  if (stored === 'sv' || stored === 'en') return stored;
  return (navigator.language || 'sv').toLowerCase().startsWith('sv') ? 'sv' : 'en';
}

function wire() {
  $('#play').addEventListener('click', togglePlay);
  $('#step').addEventListener('click', stepOnce);
  $('#reset').addEventListener('click', resetRun);
  $('#compare').addEventListener('change', (e) => setCompare(e.target.checked));
  $('#seed').addEventListener('change', (e) => {
    const v = Number(e.target.value);
    if (Number.isInteger(v) && v >= 0) {
      setPlaying(false);
      run('reset', { seed: v });
    }
  });
  $('#replicates').addEventListener('change', (e) => {
    const v = Number(e.target.value);
    if (Number.isInteger(v) && v >= 1) {
      setPlaying(false);
      run('reset', { replicates: v });
    }
  });
  $('#lesson-select').addEventListener('change', (e) => loadLesson(e.target.value));
  // a chosen export closes the menu
  $('#export-list').addEventListener('click', (e) => {
    if (e.target.closest('a, button')) setTimeout(() => { $('#export-menu').open = false; }, 0);
  });
  for (const b of document.querySelectorAll('.lang button')) {
    b.addEventListener('click', () => {
      setLang(b.dataset.lang);
      localStorage.setItem('tillit-lang', getLang());
      if (S.session) refresh(true);
    });
  }
  $('#class-btn').addEventListener('click', openClass);
  document.addEventListener('keydown', (e) => {
    const tag = (e.target && e.target.tagName) || '';
    if (S.following) return;
    if (['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'SUMMARY', 'A'].includes(tag)) return;
    if (e.key === ' ') {
      e.preventDefault();
      togglePlay();
    } else if (e.key === 'ArrowRight') {
      e.preventDefault();
      stepOnce();
    } else if (e.key === 'p' || e.key === 'P') {
      e.preventDefault();
      setPresent(!document.body.classList.contains('present'));
    }
  });
  $('#present').addEventListener('click', () => setPresent(!document.body.classList.contains('present')));
  setInterval(tick, 100);
}

// ---- a class ---------------------------------------------------------------------------------
// The teacher opens a class on their run and shows its code; a student who
// opens ?class=CODE follows the run live (server-sent events), read-only.
function showClass(code, urls = S.classUrls) {
  const b = $('#class-banner');
  S.classCode = code;
  S.classUrls = urls || [];
  if (!code) {
    b.hidden = true;
    b.replaceChildren();
    predictStop();
    steerStop();
    voteStop();
    return;
  }
  b.replaceChildren(
    el('span', {}, `${t('class_code')}:`),
    el('span', { class: 'class-code', id: 'class-code' }, code),
    S.classUrls.length ? el('img', { class: 'class-qr', src: `/api/classes/${code}/qr.svg`, alt: S.classUrls[0], width: 120, height: 120 }) : '', // replaceChildren would write null as text
    el('span', { class: 'grow', id: 'class-where' },
      S.classUrls.length ? t('class_join', S.classUrls.join(' · ')) : t('class_local')),
    el('button', { type: 'button', id: 'class-end', onclick: endClass }, t('class_end')),
  );
  b.hidden = false;
  predictTeacher(predictCtx(), code);
  steerTeacher(predictCtx(), code);
  voteTeacher(predictCtx(), code);
}

// what predict.js and steer.js need of this page
function predictCtx() {
  return {
    api, el, notice, metricLabel, leverLabel, presetLabel, sid,
    params: () => S.params,
    // the criteria shown side by side (the engine's TL_CRITERIA, in its order)
    criteria: () => S.metrics.filter((m) => m.criterion > 0).sort((a, b) => a.criterion - b.criterion).map((m) => m.name),
    presets: regimePresets,
    lesson: currentLesson,
    nsides: () => (S.session ? S.session.sides.length : 1),
  };
}

async function openClass() {
  try {
    const j = await api('POST', 'classes', { session: sid() });
    showClass(j.code, j.urls);
  } catch (e) {
    notice(`${t('error')}: ${e.message}`, 'error');
  }
}

async function endClass() {
  const code = S.classCode;
  showClass(null);
  try {
    await api('POST', `classes/${code}/end`, { session: sid() });
  } catch (e) {
    notice(`${t('error')}: ${e.message}`, 'error');
  }
}

function follow(code) {
  const es = new EventSource(`/api/classes/${encodeURIComponent(code)}/events`);
  S.events = es;
  es.onmessage = (e) => {
    const j = JSON.parse(e.data);
    if (j.from !== 0 && (!S.rows[0] || S.rows[0].length !== j.from)) {
      es.close(); // out of step: the stream starts again with the whole run
      follow(code);
      return;
    }
    applySession(j);
    const b = $('#class-banner');
    b.replaceChildren(el('span', {}, t('following', code.toUpperCase())));
    b.hidden = false;
    document.body.dataset.ready = 'true';
  };
  predictStudent(predictCtx(), code, es);
  steerStudent(predictCtx(), code, es);
  voteStudent(predictCtx(), code, es);
  es.addEventListener('end', () => {
    es.close();
    predictStop();
    steerStop();
    voteStop();
    notice(t('class_ended'), 'warn', true);
  });
}

// Presentation mode (the teacher's projector): large charts and question,
// no sliders; remembered, and ?present=1 in the address turns it on.
function setPresent(on) {
  document.body.classList.toggle('present', on);
  localStorage.setItem('tillit-present', on ? '1' : '0');
  $('#present').setAttribute('aria-pressed', String(on));
  if (grid) grid.resize();
}

async function start() {
  setLang(chooseLang());
  {
    const q = new URLSearchParams(window.location.search).get('present');
    const on = q !== null ? q === '1' : localStorage.getItem('tillit-present') === '1';
    document.body.classList.toggle('present', on);
  }
  grid = new ChartGrid($('#charts'));
  wire();
  try {
    const [info, params, metrics, presets, lessons] = await Promise.all(
      ['info', 'params', 'metrics', 'presets', 'lessons'].map((p) => api('GET', p)),
    );
    S.info = info;
    S.params = params;
    params.forEach((p) => { S.pindex[p.name] = p; });
    S.metrics = metrics;
    metrics.forEach((m, i) => { S.mindex[m.name] = i; });
    S.presets = presets;
    S.lessons = lessons;
  } catch (e) {
    notice(`${t('error')}: ${e.message}`, 'error', true);
    return;
  }
  const classCode = new URLSearchParams(window.location.search).get('class');
  if (classCode) {
    S.following = true;
    document.body.classList.add('follow');
    try {
      await api('GET', `classes/${encodeURIComponent(classCode)}`);
    } catch {
      notice(t('class_lost'), 'error', true);
      document.body.dataset.ready = 'false';
      return;
    }
    follow(classCode);
    return;
  }
  const stored = sessionStorage.getItem(STORE);
  const wanted = new URLSearchParams(window.location.search).get('lesson');
  let ok = false;
  if (stored && /^[0-9a-f]{32}$/.test(stored) && !wanted) {
    try {
      applySession(await api('GET', `sessions/${stored}`));
      ok = true;
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    try {
      await newSession(wanted && S.lessons.some((l) => l.name === wanted) ? { lesson: wanted } : {});
    } catch {
      return;
    }
  }
  document.body.dataset.ready = 'true';
}

start();
