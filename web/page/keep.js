// Redrawing a box of the page without losing what someone is doing in it.
// A class's boxes (predict.js, steer.js) are drawn again whenever the class
// changes: with 30 students that is every answer of every classmate, and in
// steer mode every step of the teacher's play (twice a second) and every
// lever any team sets. Drawn again from scratch, a number half typed into a
// field would be lost and the field's focus with it (a phone's keyboard
// closes), and a tap landing on a button as it is replaced does nothing.
// redraw() leaves the box alone when the new children are the same markup as
// the old (a classmate's answer does not change what this student sees),
// changes only the text where only text changed (a team's count as classmates
// join, the week, a teammate's change: the buttons stay, so a tap lands);
// otherwise it replaces them and puts back, in the new field with the same
// id and the same data-keep, what the user typed or chose there since it was
// drawn, and the focus. forget() drops those edits once they have been sent.
const watched = new WeakSet();

function watch(box) {
  if (watched.has(box)) return;
  watched.add(box);
  box.addEventListener('input', (e) => {
    if (e.target.id) e.target.dataset.edited = 'true';
  });
}

const key = (f) => `${f.id}\u0000${f.dataset.keep ?? ''}`;
const markup = (nodes) => nodes.map((n) => (n.nodeType === Node.ELEMENT_NODE ? n.outerHTML : n.textContent)).join('');

// Two nodes of the same shape: the same elements with the same attributes (but for
// keep's own data-edited), differing at most in their text.
function sameShape(a, b) {
  if (a.nodeType !== b.nodeType) return false;
  if (a.nodeType === Node.TEXT_NODE) return true;
  if (a.nodeType !== Node.ELEMENT_NODE) return a.isEqualNode(b);
  if (a.tagName !== b.tagName || a.childNodes.length !== b.childNodes.length) return false;
  const attrs = (e) => [...e.attributes].filter((x) => x.name !== 'data-edited').map((x) => `${x.name}=${x.value}`).sort().join('\u0000');
  if (attrs(a) !== attrs(b)) return false;
  return [...a.childNodes].every((c, i) => sameShape(c, b.childNodes[i]));
}

function setText(a, b) {
  if (a.nodeType === Node.TEXT_NODE) {
    if (a.nodeValue !== b.nodeValue) a.nodeValue = b.nodeValue;
    return;
  }
  a.childNodes.forEach((c, i) => setText(c, b.childNodes[i]));
}

export function redraw(box, children) {
  watch(box);
  const old = [...box.childNodes];
  if (old.length && markup(children) === markup(old).replace(/ data-edited="true"/g, '')) return;
  // only text changed (a count, a week, a teammate's change): change the text where it is,
  // so the buttons stay the same elements and a tap landing as the class changes counts
  if (old.length && old.length === children.length && old.every((n, i) => sameShape(n, children[i]))) {
    old.forEach((n, i) => setText(n, children[i]));
    return;
  }
  const active = document.activeElement;
  const focus = active && active !== box && box.contains(active) && active.id ? key(active) : null;
  const edits = new Map([...box.querySelectorAll('[data-edited="true"][id]')].map((f) => [key(f), f.value]));
  box.replaceChildren(...children);
  if (!edits.size && !focus) return;
  for (const f of box.querySelectorAll('[id]')) {
    const k = key(f);
    if (edits.has(k)) {
      f.value = edits.get(k);
      f.dataset.edited = 'true';
    }
    if (k === focus) f.focus({ preventScroll: true });
  }
}

export function forget(box) {
  for (const f of box.querySelectorAll('[data-edited]')) delete f.dataset.edited;
}
