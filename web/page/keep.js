// Redrawing a box of the page without losing what someone is doing in it.
// A class's boxes (predict.js, steer.js) are drawn again whenever the class
// changes: with 30 students that is every answer of every classmate, and in
// steer mode every step of the teacher's play (twice a second) and every
// lever any team sets. Drawn again from scratch, a number half typed into a
// field would be lost and the field's focus with it (a phone's keyboard
// closes), and a tap landing on a button as it is replaced does nothing.
// redraw() leaves the box alone when the new children are the same markup as
// the old (a classmate's answer does not change what this student sees);
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

export function redraw(box, children) {
  watch(box);
  if (box.childNodes.length && markup(children) === markup([...box.childNodes]).replace(/ data-edited="true"/g, '')) return;
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
