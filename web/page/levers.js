// What the page says about each regime lever. The sliders themselves (range,
// default, part, the principle in the model) come from the engine's parameter
// table through /api/params, and so do its name and what it does in the model
// (the label table include/tillit/param_labels.h); this file adds the words a
// class needs beyond that: what the two ends mean and what the source says
// about it (Swedish verbatim, with an English rendering). A test fails when a
// lever of the table has no entry here, or an entry names no lever.
//
// refs: keys of REFS in principles.js (a principle, reservation, table row or
// passage); the first is the lever's badge.
// quotes: what the source says; `col` marks a quote from one column of the
// source's table ('control' or 'trust').

export const LEVERS = {
  baseline_trust: {
    lo_sv: 'misstro', lo_en: 'distrust', hi_sv: 'tillit', hi_en: 'trust',
    refs: ['tillit'],
    quotes: [{
      sv: 'Sträva efter att som utgångspunkt välja att lita på dem du samarbetar med och ha positiva förväntningar.',
      en: 'Strive, as a starting point, to choose to trust those you work with, and hold positive expectations.',
    }],
  },
  mandate: {
    lo_sv: 'allt beslutas uppåt', lo_en: 'all decided above', hi_sv: 'medarbetaren beslutar', hi_en: 'employee decides',
    refs: ['handlingsutrymme'],
    quotes: [{
      sv: 'Delegera befogenheter och mandat, välkomna medbestämmande.',
      en: 'Delegate authority and mandate; welcome co-determination.',
    }],
  },
  control_intensity: {
    lo_sv: 'ingen granskning', lo_en: 'no audits', hi_sv: 'allt granskas', hi_en: 'everything audited',
    refs: ['res3'],
    quotes: [{
      sv: 'Tillit innebär inte att man ska sluta kontrollera, men däremot att man gör det mer selektivt och utifrån en närmare dialog med dem som ska rapportera.',
      en: 'Trust does not mean that one should stop controlling, but that one does it more selectively and in closer dialogue with those who report.',
    }],
  },
  control_selectivity: {
    lo_sv: 'alla lika', lo_en: 'everyone alike', hi_sv: 'riktad', hi_en: 'targeted',
    refs: ['res3'],
    quotes: [{
      sv: 'Men det behöver ske mer selektivt, kvalitativt och utifrån dialog med den granskade.',
      en: 'But it needs to be done more selectively, qualitatively and in dialogue with those controlled.',
    }],
  },
  control_mode: {
    lo_sv: 'mätning på distans', lo_en: 'measurement', hi_sv: 'dialog', hi_en: 'dialogue',
    refs: ['row-followup', 'res3'],
    quotes: [
      { col: 'control', sv: 'Uppföljning på distans från mätning, fokus på avvikelser', en: 'Follow-up at a distance by measurement, focus on deviations' },
      { col: 'trust', sv: 'Uppföljningen sker i nära dialog med verksamheten, delvis kvalitativt, fokus på främjande', en: 'Follow-up in close dialogue with the operation, partly qualitative, focused on improvement' },
    ],
  },
  error_tolerance: {
    lo_sv: 'nolltolerans', lo_en: 'zero tolerance', hi_sv: 'lär av dem', hi_en: 'learn from them',
    refs: ['res2'],
    quotes: [{
      sv: 'Lika viktigt som det är att lära sig att överse med mindre fel och misstag och att använda dem för ett lärande, är det att agera på allvarliga problem.',
      en: 'Just as important as learning to overlook minor faults and mistakes and to use them for learning is acting on serious problems.',
    }],
  },
  firmness: {
    lo_sv: 'låt det passera', lo_en: 'let it pass', hi_sv: 'agera alltid', hi_en: 'always act',
    refs: ['res2'],
    quotes: [{
      sv: 'Det kan handla om medarbetare som konsekvent missköter sitt arbete eller om system som inte fungerar.',
      en: 'It may concern employees who consistently mismanage their work, or systems that do not work.',
    }],
  },
  support: {
    lo_sv: 'inget stöd', lo_en: 'none', hi_sv: 'fullt stöd', hi_en: 'full',
    refs: ['stod'],
    quotes: [{
      sv: 'Säkerställ ett verksamhetsnära, serviceinriktat och kvalificerat professionellt, administrativt och psykosocialt stöd i kärnverksamheten.',
      en: 'Secure close, service-minded and qualified professional, administrative and psychosocial support in the core work.',
    }],
  },
  knowledge: {
    lo_sv: 'ingen tid', lo_en: 'no time', hi_sv: 'tid och struktur', hi_en: 'time and structure',
    refs: ['kunskap'],
    quotes: [{
      sv: 'Premiera kunskapsutveckling, ständigt lärande och en praktik baserad på vetenskap och beprövad erfarenhet.',
      en: 'Reward knowledge development, continuous learning and a practice based on science and proven experience.',
    }],
  },
  openness: {
    lo_sv: 'slutenhet', lo_en: 'closed', hi_sv: 'öppenhet', hi_en: 'open',
    refs: ['oppenhet'],
    quotes: [{
      sv: 'Sträva efter öppenhet genom att dela information, välkomna oliktänkande och respektera kritik.',
      en: 'Strive for openness by sharing information, welcoming dissent and respecting criticism.',
    }],
  },
  holistic_view: {
    lo_sv: 'stuprör', lo_en: 'silos', hi_sv: 'gemensamt ansvar', hi_en: 'shared responsibility',
    refs: ['helhetssyn'],
    quotes: [{
      sv: 'Uppmuntra alla i styrkedjan att aktivt och gemensamt ta ansvar för helheten, det vill säga medledarskap, och samverka över gränser.',
      en: 'Encourage everyone in the steering chain to take active, shared responsibility for the whole – co-leadership – and to collaborate across boundaries.',
    }],
  },
  citizen_focus: {
    lo_sv: 'indikatorer uppåt', lo_en: 'indicators upward', hi_sv: 'medborgarens röst', hi_en: "citizens' voice",
    refs: ['medborgarfokus', 'row-focus'],
    quotes: [
      {
        sv: 'Sätt medborgaren och brukarens upplevelse samt kunskap i fokus och försök förstå vad som värdesätts.',
        en: "Put the citizen's and user's experience and knowledge in focus and try to understand what they value.",
      },
      { col: 'control', sv: 'Fokus på överordnade beslutsfattare (uppåt)', en: 'Focus on superior decision makers (upward)' },
      { col: 'trust', sv: 'Fokus på kärnverksamheten (nedåt)', en: 'Focus on the core operation (downward)' },
    ],
  },
  rule_frame: {
    lo_sv: 'fritt', lo_en: 'free', hi_sv: 'tydliga ramar', hi_en: 'clear frames',
    refs: ['res1'],
    quotes: [{
      sv: 'Det innebär dock inte fritt valt arbete, utan det finns alltid lagstiftning och regler som måste respekteras. En anledning är att man behöver säkerställa likvärdighet i behandling av medborgare.',
      en: 'It does not, however, mean freely chosen work: there are always laws and rules that must be respected. One reason is the need to secure equal treatment of citizens.',
    }],
  },
  co_creation: {
    lo_sv: 'centralt', lo_en: 'central', hi_sv: 'i dialog', hi_en: 'in dialogue',
    refs: ['row-design'],
    quotes: [
      { col: 'control', sv: 'Utformningen av styrningen sker centralt, utifrån kontrollbehov', en: 'Steering is designed centrally, from the need for control' },
      { col: 'trust', sv: 'Utformningen av styrningen sker i samskapande dialog med verksamheten', en: 'Steering is designed in co-creating dialogue with the operation' },
    ],
  },
  targeted_grants: {
    lo_sv: 'generella', lo_en: 'general', hi_sv: 'riktade', hi_en: 'targeted',
    refs: ['grants'],
    quotes: [{
      sv: 'Statens styrning har kommit att bli allt mer kontrollerande med allt fler riktade statsbidrag istället för generella statsbidrag. Det hämmar den lokala utvecklingen och självstyret för kommuner och regioner.',
      en: "The state's steering has become more and more controlling, with more and more targeted state grants instead of general grants. This hampers the local development and self-government of municipalities and regions.",
    }],
  },
  trust_from_above: {
    lo_sv: 'misstro', lo_en: 'distrust', hi_sv: 'tillit', hi_en: 'trust',
    refs: ['res4'],
    quotes: [{
      sv: 'Tillit är inte bara ett ansvar för den högre delen av styrkedjan, utan det är ett ansvar för alla involverade i styrningen.',
      en: 'Trust is not only a responsibility of the upper part of the steering chain; it is a responsibility of everyone involved in steering.',
    }],
  },
};
