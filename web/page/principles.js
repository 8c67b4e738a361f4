// The source's structure: its three parts, seven guiding principles, five
// reservations, the rows of its control-versus-trust table and its passage on
// state grants. Swedish text is quoted verbatim from the source (SKR,
// "Tillitsbaserad styrning", 6 May 2022; a test checks every quote against
// the text); English is the project's rendering.

export const PARTS = [
  { key: 'governance', sv: 'Styrning', en: 'Governance' },
  { key: 'culture', sv: 'Kultur och ledarskap', en: 'Culture and leadership' },
  { key: 'work', sv: 'Arbetsorganisation', en: 'Work organisation' },
];

// kind: principle | reservation | row | passage
export const REFS = {
  tillit: {
    kind: 'principle', sv: 'Tillit', en: 'Trust',
    quote_sv: 'Sträva efter att som utgångspunkt välja att lita på dem du samarbetar med och ha positiva förväntningar.',
    quote_en: 'Strive, as a starting point, to choose to trust those you work with, and hold positive expectations.',
  },
  medborgarfokus: {
    kind: 'principle', sv: 'Medborgarfokus', en: 'Citizen focus',
    quote_sv: 'Sätt medborgaren och brukarens upplevelse samt kunskap i fokus och försök förstå vad som värdesätts.',
    quote_en: "Put the citizen's and user's experience and knowledge in focus and try to understand what they value.",
  },
  helhetssyn: {
    kind: 'principle', sv: 'Helhetssyn', en: 'Holistic view',
    quote_sv: 'Uppmuntra alla i styrkedjan att aktivt och gemensamt ta ansvar för helheten, det vill säga medledarskap, och samverka över gränser.',
    quote_en: 'Encourage everyone in the steering chain to take active, shared responsibility for the whole – co-leadership – and to collaborate across boundaries.',
  },
  handlingsutrymme: {
    kind: 'principle', sv: 'Handlingsutrymme', en: 'Room for action',
    quote_sv: 'Delegera befogenheter och mandat, välkomna medbestämmande.',
    quote_en: 'Delegate authority and mandate; welcome co-determination.',
  },
  stod: {
    kind: 'principle', sv: 'Stöd', en: 'Support',
    quote_sv: 'Säkerställ ett verksamhetsnära, serviceinriktat och kvalificerat professionellt, administrativt och psykosocialt stöd i kärnverksamheten.',
    quote_en: 'Secure close, service-minded and qualified professional, administrative and psychosocial support in the core work.',
  },
  kunskap: {
    kind: 'principle', sv: 'Kunskap', en: 'Knowledge',
    quote_sv: 'Premiera kunskapsutveckling, ständigt lärande och en praktik baserad på vetenskap och beprövad erfarenhet.',
    quote_en: 'Reward knowledge development, continuous learning and a practice based on science and proven experience.',
  },
  oppenhet: {
    kind: 'principle', sv: 'Öppenhet', en: 'Openness',
    quote_sv: 'Sträva efter öppenhet genom att dela information, välkomna oliktänkande och respektera kritik.',
    quote_en: 'Strive for openness by sharing information, welcoming dissent and respecting criticism.',
  },
  res1: {
    kind: 'reservation', sv: 'Reservation 1: Tillit innebär inte valfritt arbete', en: 'Reservation 1: trust is not optional work',
    quote_sv: 'Det innebär dock inte fritt valt arbete, utan det finns alltid lagstiftning och regler som måste respekteras.',
    quote_en: 'It does not, however, mean freely chosen work: there are always laws and rules that must be respected.',
  },
  res2: {
    kind: 'reservation', sv: 'Reservation 2: Tillit innebär att premiera lärande', en: 'Reservation 2: trust means rewarding learning',
    quote_sv: 'Det innebär att ha överseende med mindre allvarliga misstag, men agera vid allvarliga problem.',
    quote_en: 'It means overlooking less serious mistakes, but acting on serious problems.',
  },
  res3: {
    kind: 'reservation', sv: 'Reservation 3: Tillit innebär att fortsätta kontrollera', en: 'Reservation 3: trust means continuing to control',
    quote_sv: 'Men det behöver ske mer selektivt, kvalitativt och utifrån dialog med den granskade.',
    quote_en: 'But it needs to be done more selectively, qualitatively and in dialogue with those controlled.',
  },
  res4: {
    kind: 'reservation', sv: 'Reservation 4: Tillit är ett ansvar för alla delar i styrkedjan', en: 'Reservation 4: trust is a responsibility of every part of the chain',
    quote_sv: 'Tillit är inte bara ett ansvar för den högre delen av styrkedjan, utan det är ett ansvar för alla involverade i styrningen.',
    quote_en: 'Trust is not only a responsibility of the upper part of the steering chain; it is a responsibility of everyone involved in steering.',
  },
  res5: {
    kind: 'reservation', sv: 'Reservation 5: Tillitsbaserad styrning kan komplettera nuvarande styrmodell', en: 'Reservation 5: trust-based steering can complement the current model',
    quote_sv: 'En väl fungerande styrning och ledning måste bygga både på ordning och reda, det vill säga kontroll på ekonomi och kvalitet, men också på tillit till de som utför välfärdstjänsterna.',
    quote_en: 'Well-functioning steering and management must rest both on order – control of economy and quality – and on trust in those who deliver the welfare services.',
  },
  'row-design': {
    kind: 'row', sv: 'Tabellraden: utformningen av styrningen', en: 'Table row: design of steering',
    quote_sv: 'Utformningen av styrningen sker i samskapande dialog med verksamheten',
    quote_en: 'Steering is designed in co-creating dialogue with the operation',
  },
  'row-focus': {
    kind: 'row', sv: 'Tabellraden: fokus', en: 'Table row: focus',
    quote_sv: 'Fokus på kärnverksamheten (nedåt)',
    quote_en: 'Focus on the core operation (downward)',
  },
  'row-followup': {
    kind: 'row', sv: 'Tabellraden: uppföljning', en: 'Table row: follow-up',
    quote_sv: 'Uppföljningen sker i nära dialog med verksamheten, delvis kvalitativt, fokus på främjande',
    quote_en: 'Follow-up in close dialogue with the operation, partly qualitative, focused on improvement',
  },
  grants: {
    kind: 'passage', sv: 'Statens styrning: riktade statsbidrag', en: "The state's steering: targeted grants",
    quote_sv: 'Statens styrning har kommit att bli allt mer kontrollerande med allt fler riktade statsbidrag istället för generella statsbidrag.',
    quote_en: "The state's steering has become more and more controlling, with more and more targeted state grants instead of general grants.",
  },
};

export const PRINCIPLES = ['tillit', 'medborgarfokus', 'helhetssyn', 'handlingsutrymme', 'stod', 'kunskap', 'oppenhet'];
export const RESERVATIONS = ['res1', 'res2', 'res3', 'res4', 'res5'];
