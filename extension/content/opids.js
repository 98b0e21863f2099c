// Opids: the names the worker uses for this frame's fields and forms. Kept in a WeakMap, never
// in the DOM, stable for an element's life.
let counter = 0;
const opids = new WeakMap(); // element → opid

export const opidOf = (el, prefix) => {
  let id = opids.get(el);
  if (!id) opids.set(el, (id = prefix + ++counter));
  return id;
};
