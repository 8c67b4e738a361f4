// The page's words in Swedish and English. t(key, ...args) picks the
// current language; {0}, {1} are replaced by the arguments.

const STR = {
  title: { sv: 'Tillit i klassrummet', en: 'Trust in the classroom' },
  subtitle: { sv: 'Styr en välfärdsorganisation – kontroll eller tillit', en: 'Steer a welfare organisation – control or trust' },
  play: { sv: 'Spela', en: 'Play' },
  pause: { sv: 'Pausa', en: 'Pause' },
  step: { sv: 'Steg', en: 'Step' },
  reset: { sv: 'Börja om', en: 'Reset' },
  speed: { sv: 'Fart', en: 'Speed' },
  weeks_per_s: { sv: 'veckor/s', en: 'weeks/s' },
  week: { sv: 'Vecka', en: 'Week' },
  year: { sv: 'år', en: 'year' },
  compare: { sv: 'Jämför två', en: 'Compare two' },
  compare_hint: { sv: 'Två styrningar sida vid sida med samma slump', en: 'Two regimes side by side, same chance events' },
  seed: { sv: 'Slumpfrö', en: 'Seed' },
  replicates: { sv: 'Körningar', en: 'Replicates' },
  replicates_x: { sv: 'Kör samma inställningar med flera slumpfrön och visa spridningen', en: 'Run the same settings on several seeds and show the spread' },
  band_note: { sv: 'Linjen är medianen av {0} körningar med olika slump; det skuggade bandet går från den lägsta till den högsta. Rutorna visar medianen.', en: 'The line is the median of {0} runs with different chance events; the shaded band runs from the lowest to the highest. The tiles show the median.' },
  presets: { sv: 'Förinställningar', en: 'Presets' },
  presets_hint_start: { sv: 'Vecka 0: klick startar med läget.', en: 'At week 0 a click starts with the regime.' },
  presets_hint_mid: { sv: 'Under körning: klick byter styrning nu (markeras i diagrammen).', en: 'During a run a click switches regime now (marked on the charts).' },
  editing: { sv: 'Ändrar', en: 'Editing' },
  side: { sv: 'Sida', en: 'Side' },
  levers: { sv: 'Styrmedel', en: 'Levers' },
  principles: { sv: 'De sju principerna', en: 'The seven principles' },
  source_says: { sv: 'Källan', en: 'The source' },
  in_model: { sv: 'I modellen', en: 'In the model' },
  col_control: { sv: 'Kontrollbaserad', en: 'Control-based' },
  col_trust: { sv: 'Tillitsbaserad', en: 'Trust-based' },
  lessons: { sv: 'Lektioner', en: 'Lessons' },
  lesson: { sv: 'Lektion', en: 'Lesson' },
  choose_lesson: { sv: 'Välj lektion …', en: 'Choose a lesson …' },
  end_lesson: { sv: 'Avsluta lektionen', en: 'End the lesson' },
  show_question: { sv: 'Visa frågan till klassen', en: 'Show the question for the class' },
  hide_question: { sv: 'Dölj frågan', en: 'Hide the question' },
  question: { sv: 'Fråga till klassen', en: 'Question for the class' },
  watch: { sv: 'Titta på', en: 'Watch' },
  export: { sv: 'Exportera', en: 'Export' },
  export_h5: { sv: 'Körningen som HDF5', en: 'The run as HDF5' },
  export_png: { sv: 'Diagrammen som PNG', en: 'The charts as PNG' },
  export_none: { sv: 'Kör minst en vecka först', en: 'Run at least one week first' },
  org: { sv: 'Organisation och körning', en: 'Organisation and run' },
  employees: { sv: 'Medarbetare', en: 'Employees' },
  citizens: { sv: 'Medborgare', en: 'Citizens' },
  units: { sv: 'Enheter', en: 'Units' },
  steps: { sv: 'Veckor', en: 'Weeks' },
  restart_with: { sv: 'Starta om med dessa', en: 'Restart with these' },
  org_hint: { sv: 'Storleken kan bara ändras när körningen startar om.', en: 'Sizes change only when the run restarts.' },
  paused_at: { sv: 'Pausad vecka {0}. Vad tror klassen händer nu?', en: 'Paused in week {0}. What does the class think happens next?' },
  finished: { sv: 'Körningen är klar (vecka {0}).', en: 'The run has finished (week {0}).' },
  too_many: { sv: 'Servern har för många öppna sessioner just nu. Försök igen om en stund.', en: 'The server has too many open sessions right now. Try again in a while.' },
  lost: { sv: 'Sessionen fanns inte längre – en ny har startats.', en: 'The session had expired – a new one has started.' },
  error: { sv: 'Fel', en: 'Error' },
  changed: { sv: '{0}: {1} = {2}', en: '{0}: {1} = {2}' },
  n_levers: { sv: '{0} styrmedel', en: '{0} levers' },
  custom: { sv: 'egen', en: 'custom' },
  now_like: { sv: 'nu ≈ {0}', en: 'now ≈ {0}' },
  changes_made: { sv: 'Ändringar under körningen', en: 'Changes during the run' },
  none: { sv: 'inga', en: 'none' },
  mark_scheduled: { sv: 'planerat', en: 'scheduled' },
  metric_pick: { sv: 'Välj mått …', en: 'Choose a measure …' },
  any_metric: { sv: 'Valfritt mått', en: 'Any measure' },
  kpi_quality: { sv: 'Verklig kvalitet', en: 'True quality' },
  kpi_motivation: { sv: 'Motivation', en: 'Motivation' },
  kpi_doc: { sv: 'Dokumentation', en: 'Documentation' },
  kpi_wait: { sv: 'Väntetid', en: 'Waiting' },
  kpi_incidents: { sv: 'Allvarliga händelser', en: 'Serious incidents' },
  kpi_cost: { sv: 'Kostnad/ärende', en: 'Cost/case' },
  kpi_total: { sv: 'totalt', en: 'in total' },
  kpi_quality_x: { sv: 'Hur väl medborgarna faktiskt får hjälp (0–1), medel av de senaste 4 veckorna.', en: 'How well citizens are actually helped (0–1), mean of the last 4 weeks.' },
  kpi_motivation_x: { sv: 'Personalens inre drivkraft, deras ”vill” (0–1), nu.', en: 'The staff’s inner drive, their “want” (0–1), now.' },
  kpi_doc_x: { sv: 'Andel av arbetstiden som går till dokumentation och rapportering, nu.', en: 'Share of working time spent documenting and reporting, now.' },
  kpi_wait_x: { sv: 'Hur länge ett avslutat ärende väntade, medel av de senaste 4 veckorna.', en: 'How long a completed case waited, mean of the last 4 weeks.' },
  kpi_incidents_x: { sv: 'Allvarliga fel som skadade någon, hittills i körningen.', en: 'Serious errors that harmed someone, so far in the run.' },
  kpi_cost_x: { sv: 'Veckans kostnad per avslutat ärende, medel av de senaste 4 veckorna.', en: 'The week’s cost per completed case, mean of the last 4 weeks.' },
  days: { sv: 'dagar', en: 'days' },
  day: { sv: 'dag', en: 'day' },
  weeks: { sv: 'veckor', en: 'weeks' },
  week1: { sv: 'vecka', en: 'week' },
  years: { sv: 'år', en: 'years' },
  days_short: { sv: 'd', en: 'd' },
  present: { sv: 'Visning', en: 'Present' },
  class_btn: { sv: 'Klass', en: 'Class' },
  class_hint: { sv: 'Öppna en klass: eleverna följer din körning live med en kod', en: 'Open a class: students follow your run live by a code' },
  class_code: { sv: 'Klasskod', en: 'Class code' },
  class_join: { sv: 'Eleverna öppnar {0}', en: 'Students open {0}' },
  class_local: { sv: 'Servern lyssnar bara på den här datorn: starta den med tillit serve --host 0.0.0.0 så att eleverna kan ansluta.', en: 'The server listens on this computer only: start it with tillit serve --host 0.0.0.0 for students to join.' },
  class_end: { sv: 'Avsluta klassen', en: 'End the class' },
  following: { sv: 'Du följer lärarens körning – klass {0}', en: 'You are following the teacher’s run – class {0}' },
  class_ended: { sv: 'Läraren har avslutat klassen.', en: 'The teacher has ended the class.' },
  class_lost: { sv: 'Ingen klass med den koden – kontrollera den eller fråga läraren.', en: 'No class with this code – check it or ask the teacher.' },
  present_hint: { sv: 'Visningsläge för projektorn: stora diagram och fråga, utan reglage (tangent P)', en: 'Presentation mode for the projector: large charts and question, no sliders (key P)' },
  kpi_sek: { sv: 'kr', en: 'SEK' },
  kpi_last4: { sv: 'senaste 4 v', en: 'last 4 wk' },
  weeks_unit: { sv: 'v', en: 'wk' },
  chart_quality: { sv: 'Kvalitet för medborgarna: verklig och uppmätt', en: 'Quality for citizens: true and measured' },
  chart_staff: { sv: 'Personalen: kan, vill, vågar', en: 'Staff: can, want, dare' },
  chart_doc: { sv: 'Arbetstid till dokumentation', en: 'Working time spent documenting' },
  chart_wait: { sv: 'Väntetid för medborgarna', en: 'Waiting time for citizens' },
  chart_incidents: { sv: 'Allvarliga händelser per vecka (medel 8 v)', en: 'Serious incidents per week (8-week mean)' },
  chart_cost: { sv: 'Kostnad per ärende (kr, medel 4 v)', en: 'Cost per case (SEK, 4-week mean)' },
  chart_extra: { sv: 'Lektionen: {0}', en: 'Lesson: {0}' },
  png_title: { sv: 'tillit – vecka {0} av {1}, slumpfrö {2}', en: 'tillit – week {0} of {1}, seed {2}' },
  lang_name: { sv: 'Svenska', en: 'English' },
  keys_hint: { sv: 'Mellanslag: spela/pausa · →: ett steg · P: visningsläge', en: 'Space: play/pause · →: one step · P: presentation mode' },
  loading: { sv: 'Laddar …', en: 'Loading …' },
  source_doc: { sv: 'Källa: SKR, Tillitsbaserad styrning (2022); sammanfattad i docs/source.md i tillits källkod', en: 'Source: SKR, Tillitsbaserad styrning (2022); summarised in docs/source.md of the tillit repository' },
  principle_levers: { sv: 'Styrmedel', en: 'Levers' },
  reservations: { sv: 'Reservationer', en: 'Reservations' },
  predict_title: { sv: 'Förutsäg', en: 'Predict' },
  vote_title: { sv: 'Omröstning', en: 'Vote' },
  notes_title: { sv: 'Lärarens anteckningar (visas bara här)', en: 'Teacher notes (shown only here)' },
  notes_expected: { sv: 'Förväntat resultat', en: 'Expected result' },
  notes_timing: { sv: 'Tidsåtgång', en: 'Timing' },
  notes_discuss: { sv: 'Att diskutera', en: 'To discuss' },
  vote_q: { sv: 'Vad ska vi göra med {0}?', en: 'What shall we do with {0}?' },
  vote_lower: { sv: 'Sänk till {0}', en: 'Lower to {0}' },
  vote_keep: { sv: 'Behåll {0}', en: 'Keep {0}' },
  vote_raise: { sv: 'Höj till {0}', en: 'Raise to {0}' },
  vote_lever: { sv: 'Styrmedel', en: 'Lever' },
  vote_open: { sv: 'Låt klassen rösta', en: 'Let the class vote' },
  vote_close: { sv: 'Stäng omröstningen', en: 'Close the vote' },
  vote_count: { sv: '{0} har röstat', en: '{0} have voted' },
  vote_apply: { sv: 'Genomför vinnaren: {0}', en: 'Apply the winner: {0}' },
  vote_apply_this: { sv: 'Genomför', en: 'Apply' },
  vote_applied: { sv: 'Genomfört: {0} = {1} från vecka {2}.', en: 'Applied: {0} = {1} from week {2}.' },
  vote_mine: { sv: 'Din röst: {0}. Resultatet visas när läraren stänger omröstningen.', en: 'Your vote: {0}. The result shows when the teacher closes the vote.' },
  vote_once: { sv: 'En röst var.', en: 'One vote each.' },
  predict_ask: { sv: 'Fråga klassen', en: 'Ask the class' },
  predict_measure: { sv: 'Mått', en: 'Measure' },
  predict_students: { sv: '{0} elever anslutna', en: '{0} students joined' },
  predict_answered: { sv: '{0} av {1} har svarat', en: '{0} of {1} have answered' },
  predict_reveal: { sv: 'Visa svaren och vad som hände', en: 'Reveal the answers and what happened' },
  predict_end: { sv: 'Avsluta omgången', en: 'End the round' },
  predict_up: { sv: 'stiger', en: 'rises' },
  predict_same: { sv: 'står still', en: 'stays' },
  predict_down: { sv: 'sjunker', en: 'falls' },
  predict_default_q: { sv: 'Stiger, står still eller sjunker {0}?', en: 'Will {0} rise, stay or fall?' },
  predict_amount: { sv: 'Hur mycket? (valfritt)', en: 'By how much? (optional)' },
  predict_once: { sv: 'Ett svar per elev; du kan ändra det tills läraren visar svaren.', en: 'One answer per student; you can change it until the teacher reveals.' },
  predict_mine: { sv: 'Ditt svar: {0}. Du kan ändra det tills läraren visar svaren.', en: 'Your answer: {0}. You can change it until the teacher reveals.' },
  predict_wait: { sv: 'Läraren har pausat. Vänta på frågan.', en: 'The teacher has paused. Wait for the question.' },
  predict_playing: { sv: 'Körningen spelas.', en: 'The run is playing.' },
  predict_pace_play: { sv: '▶ spelar', en: '▶ playing' },
  predict_pace_pause: { sv: '‖ pausad', en: '‖ paused' },
  predict_outcome: { sv: 'Körningen, vecka {0}: {1}{2}.', en: 'The run, week {0}: {1}{2}.' },
  predict_outcome_seed: { sv: 'Slumpfröets egen körning, vecka {0}: {1}{2}.', en: 'The seed\'s run, week {0}: {1}{2}.' },
  predict_replicates: { sv: 'Alla {0} körningar: median {1} (från {2} till {3}), förändring {4} % ({5} till {6} %); gick {7}.', en: 'All {0} replicates: median {1} (from {2} to {3}), change {4} % ({5} to {6} %); went {7}.' },
  predict_replicates_short: { sv: '{0} körningar: median {1} % ({2} till {3} %)', en: '{0} replicates: median {1} % ({2} to {3} %)' },
  predict_right: { sv: '{0} av {1} svarade så.', en: '{0} of {1} answered so.' },
  predict_mean_amount: { sv: 'medel {0} %', en: 'mean {0} %' },
  predict_debrief: { sv: 'Genomgång: {0} omgångar', en: 'Debrief: {0} rounds' },
  predict_debrief_one: { sv: 'Genomgång: 1 omgång', en: 'Debrief: 1 round' },
  predict_col_q: { sv: 'Fråga', en: 'Question' },
  predict_col_run: { sv: 'Körningen', en: 'The run' },
  steer_title: { sv: 'Styr i lag', en: 'Steer in teams' },
  steer_hint: { sv: 'Varje lag styr en egen organisation med samma slumpfrö; du bestämmer takten.', en: 'Each team steers an organisation of its own on the same seed; you set the pace.' },
  steer_teams: { sv: 'Lag', en: 'Teams' },
  steer_preset: { sv: 'Alla börjar med', en: 'Everyone starts with' },
  steer_start: { sv: 'Starta lagen', en: 'Start the teams' },
  steer_reveal: { sv: 'Visa alla lag för klassen', en: 'Reveal every team to the class' },
  steer_end: { sv: 'Avsluta körningen', en: 'End the run' },
  steer_export_h5: { sv: 'Exportera alla (HDF5)', en: 'Export all (HDF5)' },
  steer_export_csv: { sv: 'Exportera alla (CSV)', en: 'Export all (CSV)' },
  steer_again: { sv: 'Nya lag', en: 'New teams' },
  steer_pick: { sv: 'Välj ditt lag:', en: 'Choose your team:' },
  steer_team: { sv: 'Lag {0}', en: 'Team {0}' },
  steer_any: { sv: 'Vilket som helst', en: 'Any team' },
  steer_apply: { sv: 'Ändra', en: 'Set' },
  steer_ended: { sv: 'Läraren har avslutat körningen.', en: 'The teacher has ended the run.' },
  steer_ended_short: { sv: 'avslutad', en: 'ended' },
  steer_debrief: { sv: 'Genomgång: alla lag', en: 'Debrief: every team' },
  steer_col_team: { sv: 'Lag', en: 'Team' },
  steer_col_members: { sv: 'Elever', en: 'Students' },
  steer_col_choices: { sv: 'Val (ändringar)', en: 'Choices (changes)' },
  steer_no_changes: { sv: 'inga ändringar', en: 'no changes' },
  steer_our_changes: { sv: 'Lagets ändringar', en: 'Our team\'s changes' },
  steer_now_run: { sv: 'senaste veckan / hela körningen (medel; incidenter: summa)', en: 'latest week / whole run (mean; incidents: total)' },
  steer_dash_hint: { sv: 'Varje mått: senaste veckan / hela körningen (medel; incidenter: summa). Ingen vinnare – jämför.', en: 'Each measure: latest week / whole run (mean; incidents: total). No winner – compare.' },
};

let lang = 'sv';

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'sv';
  document.documentElement.lang = lang;
}

export function getLang() {
  return lang;
}

export function t(key, ...args) {
  const e = STR[key];
  let s = e ? e[lang] : key;
  args.forEach((a, i) => { s = s.replace(`{${i}}`, String(a)); });
  return s;
}

// pick({sv, en}) or pick(obj, 'title') for obj.title_sv / obj.title_en
export function pick(obj, prefix) {
  if (!obj) return '';
  if (prefix) return obj[`${prefix}_${lang}`] ?? obj[`${prefix}_en`] ?? '';
  return obj[lang] ?? obj.en ?? '';
}

export function fmtNum(v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return v.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// A waiting time given in weeks, in the unit that fits it: days below two
// weeks, weeks below a year, years beyond.
export function fmtWait(weeks) {
  if (weeks === null || weeks === undefined || Number.isNaN(weeks)) return '–';
  if (weeks < 2) {
    const d = weeks * 7;
    const digits = d < 10 ? 1 : 0;
    const shown = Number(d.toFixed(digits));
    return `${fmtNum(d, digits)} ${t(shown === 1 ? 'day' : 'days')}`;
  }
  if (weeks < 52) {
    const digits = weeks < 10 ? 1 : 0;
    return `${fmtNum(weeks, digits)} ${t('weeks')}`;
  }
  return `${fmtNum(weeks / 52, 1)} ${t('years')}`;
}

// An axis of waiting times (weeks): labelled in days when its top is below
// two weeks, else in weeks.
export function waitTick(value, axisMaxWeeks) {
  if (axisMaxWeeks < 2) return `${fmtNum(value * 7, value * 7 < 10 && value * 7 % 1 ? 1 : 0)} ${t('days_short')}`;
  return `${fmtNum(value, value % 1 ? 1 : 0)} ${t('weeks_unit')}`;
}
