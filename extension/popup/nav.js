// A stack of views. go() enters a view, back() returns to the one below (which resumes as it
// was, so the edit form keeps its input while the generator is open), reset() starts over.
// A view is {el, enter(params), resume?(params), leave?(final)}: leave(false) when another view
// covers it, leave(true) when it is popped (time to drop secrets from the DOM).

const views = new Map();
const stack = [];

export function register(name, view) {
  views.set(name, view);
}

export function current() {
  return stack.at(-1)?.name;
}

function show(name) {
  for (const [n, v] of views) v.el.hidden = n !== name;
}

// Focus the view's first field (data-autofocus) or its heading, so keyboard users land inside.
function focusView(name, previous) {
  const { el } = views.get(name);
  if (previous?.isConnected && !previous.closest("[hidden]")) return previous.focus();
  const target = [...el.querySelectorAll("[data-autofocus]")].find((x) => !x.closest("[hidden]") && !x.disabled);
  (target ?? el.querySelector("h1"))?.focus();
}

function leaveTop() {
  const top = stack.at(-1);
  if (!top) return;
  top.focus = document.activeElement;
  views.get(top.name).leave?.(false);
}

export function go(name, params = {}) {
  leaveTop();
  stack.push({ name, params });
  show(name);
  views.get(name).enter?.(params);
  focusView(name);
}

/** Returns false when there is nothing to go back to. */
export function back() {
  if (stack.length < 2) return false;
  const top = stack.pop();
  views.get(top.name).leave?.(true);
  const prev = stack.at(-1);
  const view = views.get(prev.name);
  show(prev.name);
  (view.resume ?? view.enter)?.call(view, prev.params);
  focusView(prev.name, prev.focus);
  return true;
}

/** Swaps the top view for another (e.g. a new item's form for its item view). */
export function replace(name, params = {}) {
  const top = stack.pop();
  if (top) views.get(top.name).leave?.(true);
  stack.push({ name, params });
  show(name);
  views.get(name).enter?.(params);
  focusView(name);
}

export function reset(name, params = {}) {
  while (stack.length) views.get(stack.pop().name).leave?.(true);
  go(name, params);
}
