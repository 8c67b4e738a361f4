// Steer mode of a class: the teacher starts N teams on one seed; each
// student (the token from joining the class, predict.js) joins a team and
// moves its levers; the teacher plays, pauses and steps every team to the
// same week, and sees every team's levers and five criteria side by side (no
// single winner); reveal shows the students the whole class (the debrief:
// each team's choices beside its outcomes); end stops the changes; export
// gives one HDF5 file of all teams and a CSV. The teams' state comes as
// "event: steer" on the class's event stream. main.js hands in ctx.
import { t, fmtNum } from './i18n.js';
import { predictToken } from './predict.js';
import { redraw, forget } from './keep.js';

const WEEKS_PER_TICK = 2; // the teacher's play: 2 weeks every half second
const G = {
  ctx: null, role: null, code: null, es: null, state: null, dash: null, team: null, view: null,
  playing: false, busy: false, timer: null, lever: null,
};

const $ = (sel) => document.querySelector(sel);
const box = () => $('#steer');
const base = () => `classes/${encodeURIComponent(G.code)}/teams`;

// ---- the teacher ----------------------------------------------------------------------
export function steerTeacher(ctx, code) {
  if (G.role === 'teacher' && G.code === code) {
    render();
    return;
  }
  steerStop();
  Object.assign(G, { ctx, role: 'teacher', code });
  G.es = new EventSource(`/api/classes/${encodeURIComponent(code)}/events`);
  G.es.addEventListener('steer', (e) => {
    const s = JSON.parse(e.data);
    const old = G.state;
    G.state = s;
    // a step's reply has the dashboard already; joins and the flags do not
    if (!old || JSON.stringify(old.members) !== JSON.stringify(s.members) || old.teams !== s.teams) teacherCall('dashboard', {});
    else render();
  });
  G.es.addEventListener('end', () => steerStop());
  G.timer = setInterval(tick, 500);
  render();
}

async function teacherCall(path, body) {
  if (!G.code) return null;
  try {
    const d = await G.ctx.api('POST', `${base()}${path ? `/${path}` : ''}`, { session: G.ctx.sid(), ...body });
    if (d && d.runs) {
      G.dash = d;
      G.state = d.state;
    }
    render();
    return d;
  } catch (e) {
    if (path === 'step') setPlaying(false);
    G.ctx.notice(`${t('error')}: ${e.message}`, 'error');
    return null;
  }
}

function setPlaying(on) {
  G.playing = on;
  G.ctx.api('POST', `classes/${encodeURIComponent(G.code)}/pace`, { session: G.ctx.sid(), state: on ? 'play' : 'pause' }).catch(() => {});
  render();
}

async function tick() {
  if (G.role !== 'teacher' || !G.playing || G.busy || !G.dash) return;
  const r = G.dash.runs[0];
  if (!r || r.week >= r.horizon || G.dash.state.ended) {
    setPlaying(false);
    return;
  }
  G.busy = true;
  await teacherCall('step', { n: WEEKS_PER_TICK });
  G.busy = false;
}

async function download(format) {
  try {
    const r = await fetch(`/api/${base()}/export`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ session: G.ctx.sid(), format }),
    });
    if (!r.ok) throw new Error(((await r.json().catch(() => null)) || {}).error || r.statusText);
    const a = G.ctx.el('a', { href: URL.createObjectURL(await r.blob()), download: `tillit-teams-w${G.state.week}.${format === 'csv' ? 'csv' : 'h5'}` });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (e) {
    G.ctx.notice(`${t('error')}: ${e.message}`, 'error');
  }
}

function teacherStart() {
  const { el, presets } = G.ctx;
  const n = el('input', { id: 'steer-n', type: 'number', min: 2, max: 8, value: 4, inputmode: 'numeric' });
  const pr = el('select', { id: 'steer-preset' }, presets().map((p) => el('option', { value: p.name, selected: p.name === 'balanced' }, G.ctx.presetLabel(p.name))));
  return [
    el('p', { class: 'hint' }, t('steer_hint')),
    el('label', {}, `${t('steer_teams')}: `, n),
    el('label', {}, `${t('steer_preset')}: `, pr),
    el('button', { type: 'button', id: 'steer-start', onclick: () => teacherCall('', { teams: Number(n.value), preset: pr.value }) }, t('steer_start')),
  ];
}

function teacherControls() {
  const { el } = G.ctx;
  const s = G.state;
  return el('div', { class: 'steer-controls' },
    el('button', { type: 'button', id: 'steer-play', class: 'primary', disabled: s.ended, onclick: () => setPlaying(!G.playing) }, t(G.playing ? 'pause' : 'play')),
    el('button', { type: 'button', id: 'steer-step', disabled: s.ended, onclick: () => teacherCall('step', { n: 1 }) }, t('step')),
    el('button', { type: 'button', id: 'steer-reveal', disabled: s.revealed, onclick: () => teacherCall('reveal', {}) }, t('steer_reveal')),
    el('button', { type: 'button', id: 'steer-end', disabled: s.ended, onclick: () => { setPlaying(false); teacherCall('end', {}); } }, t('steer_end')),
    el('button', { type: 'button', id: 'steer-h5', onclick: () => download('hdf5') }, t('steer_export_h5')),
    el('button', { type: 'button', id: 'steer-csv', onclick: () => download('csv') }, t('steer_export_csv')),
    el('button', { type: 'button', id: 'steer-again', onclick: () => { setPlaying(false); G.dash = null; G.state = { teams: 0 }; render(); } }, t('steer_again')));
}

// ---- a student ------------------------------------------------------------------------
export function steerStudent(ctx, code, es) {
  Object.assign(G, { ctx, role: 'student', code, es: null });
  G.team = Number(sessionStorage.getItem(`tillit-team-${code.toUpperCase()}`)) || null;
  es.addEventListener('steer', (e) => {
    G.state = JSON.parse(e.data);
    if (G.state.teams && G.team && G.team > G.state.teams) G.team = null;
    refreshStudent();
  });
}

async function studentCall(path, body) {
  const token = predictToken();
  if (!token) return null;
  try {
    return await G.ctx.api('POST', `${base()}/${path}`, { token, ...body });
  } catch (e) {
    if (e.status === 403 && path.endsWith('/view')) {
      G.team = null; // the teacher started the teams again
      render();
    } else {
      G.ctx.notice(`${t('error')}: ${e.message}`, 'error');
    }
    return null;
  }
}

// One refresh at a time; a change that arrives while one is under way is
// fetched after it (dropped, the last step of a burst would never show).
let studentBusy = false;
let studentAgain = false;
async function refreshStudent() {
  if (studentBusy) {
    studentAgain = true;
    return;
  }
  studentBusy = true;
  do {
    studentAgain = false;
    if (G.team && G.state && G.state.teams) {
      const v = await studentCall(`${G.team}/view`, {});
      if (v) G.view = v;
    }
    if (G.state && G.state.revealed) {
      const d = await studentCall('dashboard', {});
      if (d) G.dash = d;
    }
  } while (studentAgain && G.role === 'student');
  studentBusy = false;
  render();
}

async function joinTeam(n) {
  const v = await studentCall('join', n ? { team: n } : {});
  if (!v) return;
  G.team = v.team;
  G.view = v;
  sessionStorage.setItem(`tillit-team-${G.code.toUpperCase()}`, String(v.team));
  render();
}

async function setLever(body) {
  const v = await studentCall(`${G.team}/set`, body);
  if (v) {
    G.view = v;
    forget(box()); // sent: the field shows the team's value again
    render();
  }
}

function studentPick() {
  const { el } = G.ctx;
  const s = G.state;
  return el('div', { class: 'steer-pick' },
    el('p', {}, t('steer_pick')),
    ...Array.from({ length: s.teams }, (_, i) => el('button', { type: 'button', class: 'steer-team-btn', dataset: { team: i + 1 }, onclick: () => joinTeam(i + 1) },
      `${t('steer_team', i + 1)} (${s.members[i]})`)),
    el('button', { type: 'button', id: 'steer-any', onclick: () => joinTeam(null) }, t('steer_any')));
}

function studentTeam() {
  const { el, params, leverLabel, presets } = G.ctx;
  const v = G.view;
  if (!v) return el('p', { class: 'hint' }, t('loading'));
  const now = v.run.sides[0].params;
  const levers = params().filter((p) => p.lever);
  if (!G.lever || !levers.some((p) => p.name === G.lever)) G.lever = levers[0].name;
  const p = levers.find((q) => q.name === G.lever);
  const input = el('input', { id: 'steer-value', type: 'number', min: p.min, max: p.max, step: p.type === 'int' ? 1 : 'any', value: now[p.name], dataset: { keep: p.name } });
  const ended = G.state && G.state.ended;
  return el('div', { class: 'steer-mine' },
    el('p', { class: 'steer-team-name', id: 'steer-mine' }, `${t('steer_team', v.team)} — ${t('week')} ${v.run.t}`),
    criteriaTable([{ label: t('steer_team', v.team), now: v.now, over_run: v.over_run }]),
    // what teammates set shows on every member's screen (the week-0 choices are in the debrief)
    el('p', { class: 'hint', id: 'steer-our-changes' }, `${t('steer_our_changes')}: ${changesText(v.run.sides[0])}`),
    ended ? el('p', { class: 'hint' }, t('steer_ended')) : el('div', { class: 'steer-set' },
      el('label', {}, `${t('levers')}: `, el('select', { id: 'steer-lever', onchange: (e) => { G.lever = e.target.value; render(); } },
        levers.map((q) => el('option', { value: q.name, selected: q.name === G.lever }, leverLabel(q.name))))),
      input, el('span', { class: 'hint' }, ` [${p.min}, ${p.max}] `),
      el('button', { type: 'button', id: 'steer-apply', onclick: () => setLever({ set: { [p.name]: Number(input.value) } }) }, t('steer_apply')),
      el('label', {}, `${t('presets')}: `, el('select', { id: 'steer-team-preset', onchange: (e) => { if (e.target.value) setLever({ preset: e.target.value }); } },
        el('option', { value: '' }, '–'), presets().map((q) => el('option', { value: q.name }, G.ctx.presetLabel(q.name)))))));
}

// ---- both: the criteria, every team side by side ---------------------------------------
function num(m, v) {
  if (v === null || v === undefined) return '–';
  return m === 'incidents' ? fmtNum(v, 0) : fmtNum(v, m === 'budget_deviation' ? 3 : 2);
}

// On a phone the table is drawn as a list, a block per team, each cell
// named by its column (data-label; style.css).
function criteriaTable(rows, extra) {
  const { el, metricLabel } = G.ctx;
  const CRITERIA = G.ctx.criteria();
  const named = (td, label) => {
    td.dataset.label = label;
    return td;
  };
  return el('table', { class: 'steer-table' },
    el('thead', {}, el('tr', {}, el('th', {}, t('steer_col_team')), extra ? extra.head.map((h) => el('th', {}, h)) : null,
      CRITERIA.map((m) => el('th', { title: t('steer_now_run') }, metricLabel(m))))),
    el('tbody', {}, rows.map((r, i) => el('tr', { dataset: { team: r.team || '' } }, el('td', { class: 'steer-row-name' }, r.label),
      extra ? extra.cells(r, i).map((td, j) => named(td, extra.head[j])) : null,
      CRITERIA.map((m) => el('td', { dataset: { metric: m, label: metricLabel(m) } }, `${num(m, r.now[m])} / ${num(m, r.over_run[m])}`))))));
}

function changesText(r) {
  if (!r.changes.length) return t('steer_no_changes');
  return r.changes.map((c) => `${t('week').toLowerCase()} ${c.week}: ${G.ctx.leverLabel(c.param)} → ${fmtNum(c.value, 2)}`).join('; ');
}

function dashboard() {
  const { el } = G.ctx;
  const d = G.dash;
  if (!d) return null;
  const rows = d.runs.map((r) => ({ ...r, label: t('steer_team', r.team) }));
  return el('div', { class: 'steer-dash', id: 'steer-dash' },
    el('p', { class: 'hint' }, t('steer_dash_hint')),
    criteriaTable(rows, {
      head: [t('steer_col_members'), t('week'), t('steer_col_choices')],
      cells: (r) => [el('td', {}, String(r.members)), el('td', {}, String(r.week)), el('td', { class: 'steer-choices' }, changesText(r))],
    }));
}

function render() {
  const b = box();
  if (!b || !G.ctx) return;
  const { el } = G.ctx;
  const s = G.state;
  const body = [el('h2', {}, t('steer_title'),
    s && s.teams ? el('span', { class: 'predict-pace', id: 'steer-week' },
      `${t('week')} ${s.week} · ${t(s.playing ? 'predict_pace_play' : 'predict_pace_pause')}${s.ended ? ` · ${t('steer_ended_short')}` : ''}`) : null)];
  if (G.role === 'teacher') {
    if (!s || !s.teams) body.push(...teacherStart());
    else body.push(teacherControls(), dashboard());
  } else {
    if (!s || !s.teams) {
      b.hidden = true;
      return;
    }
    body.push(G.team ? studentTeam() : studentPick());
    if (s.revealed && G.dash) body.push(el('h3', {}, t('steer_debrief')), dashboard());
  }
  redraw(b, body.filter(Boolean)); // what a student is typing survives the class's changes
  b.dataset.role = G.role;
  b.dataset.teams = s ? String(s.teams) : '0';
  b.hidden = false;
}

export function steerRerender() {
  render();
}

export function steerStop() {
  if (G.es) G.es.close();
  if (G.timer) clearInterval(G.timer);
  Object.assign(G, { role: null, code: null, es: null, state: null, dash: null, view: null, playing: false, timer: null });
  const b = box();
  if (b) {
    b.hidden = true;
    b.replaceChildren();
  }
}
