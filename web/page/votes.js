// Lever votes of a class: the teacher puts one lever of the run the class
// follows to the vote (lower / keep / raise by a tenth of its range), each
// student votes once from their device, the teacher sees the counts as they
// come, closes the vote (the class then sees the distribution) and applies
// the winning value — or the one they choose, on a tie — to the run. The
// class's view comes as "event: vote" on the class's event stream (without
// counts while a vote is open); the teacher reads the counts with the
// session's id. main.js hands in what this needs (ctx), as for predict.js.
import { t, fmtNum } from './i18n.js';
import { predictToken, predictEvents } from './predict.js';

const V = { ctx: null, role: null, code: null, heard: null, view: null, mine: {}, param: 'control_intensity', side: 'A' };
const $ = (sel) => document.querySelector(sel);
const box = () => $('#vote');
const base = () => `classes/${encodeURIComponent(V.code)}/votes`;

// ---- the teacher ----------------------------------------------------------------------
// The teacher listens on predict mode's stream of the class (a browser
// holds few connections to one server; a class's page needs no more).
export function voteTeacher(ctx, code) {
  const es = predictEvents();
  if (V.role === 'teacher' && V.code === code && V.heard === es) {
    render();
    return;
  }
  voteStop();
  Object.assign(V, { ctx, role: 'teacher', code, view: null, heard: es });
  if (es) {
    es.addEventListener('vote', () => teacherCall('view', {}));
    es.addEventListener('end', () => voteStop());
  }
  render();
}

async function teacherCall(path, body) {
  if (!V.code || V.role !== 'teacher') return;
  try {
    const d = await V.ctx.api('POST', `${base()}${path ? `/${path}` : ''}`, { session: V.ctx.sid(), ...body });
    V.view = d.view || d;
    render();
  } catch (e) {
    V.ctx.notice(`${t('error')}: ${e.message}`, 'error');
  }
}

// ---- a student ------------------------------------------------------------------------
export function voteStudent(ctx, code, es) {
  Object.assign(V, { ctx, role: 'student', code, view: null, heard: es });
  V.mine = JSON.parse(sessionStorage.getItem(`tillit-votes-${code.toUpperCase()}`) || '{}');
  es.addEventListener('vote', (e) => render(JSON.parse(e.data)));
}

async function cast(n, choice) {
  const token = predictToken();
  if (!token) return;
  try {
    await V.ctx.api('POST', `${base()}/${n}/ballot`, { token, choice });
    V.mine[n] = choice;
    sessionStorage.setItem(`tillit-votes-${V.code.toUpperCase()}`, JSON.stringify(V.mine));
    render();
  } catch (e) {
    V.ctx.notice(`${t('error')}: ${e.message}`, 'error');
  }
}

export function voteRerender() {
  render();
}

export function voteStop() {
  Object.assign(V, { role: null, code: null, view: null, heard: null });
  const b = box();
  if (b) {
    b.hidden = true;
    b.replaceChildren();
  }
}

// ---- drawing --------------------------------------------------------------------------
// "↓ Lower to 0.05", "→ Keep 0.15", "↑ Raise to 0.25"
function choiceLabel(v, i) {
  const x = v.choices[i];
  const num = fmtNum(x, Math.abs(x) >= 10 ? 0 : 2);
  if (x < v.current) return `↓ ${t('vote_lower', num)}`;
  if (x > v.current) return `↑ ${t('vote_raise', num)}`;
  return `→ ${t('vote_keep', num)}`;
}

function question(v) {
  const { el, leverLabel } = V.ctx;
  return el('p', { class: 'predict-question vote-question' }, t('vote_q', leverLabel(v.param)),
    el('span', { class: 'predict-metric' }, ` — ${t('side')} ${v.side}, ${t('week').toLowerCase()} ${v.week}`));
}

function bars(v) {
  const { el } = V.ctx;
  const total = Math.max(1, v.voted);
  return el('div', { class: 'predict-result vote-result' }, v.choices.map((_, i) => {
    const n = v.counts[i];
    const fill = el('span', { class: 'predict-bar-fill' });
    fill.style.width = `${(100 * n) / total}%`; // CSSOM: allowed by the page's CSP
    const win = v.applied ? v.applied.choice === i : v.winner === i;
    const apply = V.role === 'teacher' && v.state !== 'applied'
      ? el('button', { type: 'button', class: 'vote-apply-one', dataset: { choice: i }, onclick: () => teacherCall(`${v.n}/apply`, { choice: i }) }, t('vote_apply_this'))
      : null;
    return el('div', { class: `predict-bar vote-bar${win ? ' hit' : ''}`, dataset: { choice: i } },
      el('span', { class: 'predict-bar-label' }, choiceLabel(v, i)),
      el('span', { class: 'predict-bar-track' }, fill),
      el('span', { class: 'predict-bar-n' }, String(n)), apply);
  }));
}

function applied(v) {
  const { el, leverLabel } = V.ctx;
  return el('p', { class: 'predict-outcome', id: 'vote-applied' },
    t('vote_applied', leverLabel(v.param), fmtNum(v.applied.value, 2), v.applied.week + 1));
}

function teacherControls(v) {
  const { el, leverLabel } = V.ctx;
  const parts = [];
  if (v && v.state === 'open') {
    parts.push(el('p', { class: 'predict-count', id: 'vote-count' }, t('vote_count', v.voted)),
      el('button', { type: 'button', id: 'vote-close', onclick: () => teacherCall(`${v.n}/close`, {}) }, t('vote_close')));
  }
  if (v && v.state !== 'applied' && v.winner !== null && v.winner !== undefined) {
    parts.push(el('button', { type: 'button', id: 'vote-apply', onclick: () => teacherCall(`${v.n}/apply`, {}) },
      t('vote_apply', choiceLabel(v, v.winner))));
  }
  if (!v || v.state !== 'open') {
    const levers = V.ctx.params().filter((p) => p.lever);
    if (!levers.some((p) => p.name === V.param) && levers.length) V.param = levers[0].name;
    const sel = el('select', { id: 'vote-param', onchange: (e) => { V.param = e.target.value; } },
      levers.map((p) => el('option', { value: p.name, selected: p.name === V.param }, leverLabel(p.name))));
    const sides = V.ctx.nsides();
    if (sides < 2) V.side = 'A';
    const sideSel = sides > 1 ? el('select', { id: 'vote-side', onchange: (e) => { V.side = e.target.value; } },
      ['A', 'B'].map((s) => el('option', { value: s, selected: s === V.side }, `${t('side')} ${s}`))) : null;
    parts.push(el('label', {}, `${t('vote_lever')}: `, sel), sideSel,
      el('button', { type: 'button', id: 'vote-open', onclick: () => teacherCall('', { param: V.param, side: V.side }) }, t('vote_open')));
  }
  return parts;
}

function studentControls(v) {
  const { el } = V.ctx;
  if (!v || v.state !== 'open') return [];
  const mine = V.mine[v.n];
  if (mine !== undefined) return [el('p', { class: 'hint', id: 'vote-mine' }, t('vote_mine', choiceLabel(v, mine)))];
  return [el('div', { class: 'predict-dirs vote-choices' }, v.choices.map((_, i) => el('button', {
    type: 'button', class: 'predict-dir vote-choice', dataset: { choice: i }, onclick: () => cast(v.n, i),
  }, choiceLabel(v, i)))), el('p', { class: 'hint' }, t('vote_once'))];
}

function render(view) {
  if (view) V.view = view;
  const b = box();
  if (!b || !V.ctx || !V.role) return;
  const { el } = V.ctx;
  const list = V.view ? V.view.votes : [];
  const v = list.length ? list[list.length - 1] : null;
  // a student sees the box only when there is a vote
  if (V.role === 'student' && !v) {
    b.hidden = true;
    return;
  }
  const body = [el('h2', {}, t('vote_title'))];
  if (v) body.push(question(v));
  if (v && v.counts) body.push(bars(v));
  if (v && v.applied) body.push(applied(v));
  body.push(...(V.role === 'teacher' ? teacherControls(v) : studentControls(v)));
  const was = b.dataset.vote;
  b.replaceChildren(...body.filter(Boolean));
  b.dataset.role = V.role;
  b.dataset.vote = v ? `${v.n}-${v.state}` : '0';
  b.hidden = false;
  if (V.role === 'student' && v && v.state === 'open' && was !== b.dataset.vote) b.scrollIntoView({ block: 'nearest' });
}
