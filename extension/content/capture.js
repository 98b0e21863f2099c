// Save capture (docs/autofill.md "Save / update"): when the user submits a group of fields that
// holds a password, the group's fields and their values go to the worker once, which asks the
// core what to offer. A formless group is the nearest ancestor of the field that holds a
// password input. A username-only first step (one filled field that says it is a username or
// e-mail, no password field) sends just that value, for the next step's capture. The group goes
// with the words around it (buttons, headings, links) for the core's form classifier.
//
// What counts as a submit, always from trusted events (a page's script cannot stage one):
// - the form's `submit`; Enter in a field of the group;
// - a click on a button of the group, or on anything in it that looks clickable (a `<span>` or
//   `<a>` the page's script listens to: role, tabindex, link or a pointer cursor);
// - after the user, done typing, pressed Enter or put the pointer down on something that is
//   neither a field nor a link leading away (within 10 s), the password field the user typed
//   into leaving the page or the screen (a sign-in by `fetch` or `XMLHttpRequest` that swaps
//   the panel for the signed-in view), or the page itself going away (`pagehide`: a page that
//   navigates before its own submit handler ends). A page that takes the field away while the
//   user types, or a link the user follows, is no submit.
// Values: what the user last typed into a field (trusted `input`), else its current value, so
// a script that clears or rewrites a field without telling (hashing it, emptying the form after
// a fetch) changes nothing we send. Any script-made `input` event (Keyfill's own fill, the page
// announcing its change) drops the typed value: the current one counts again, as it is what
// the form will send. A password field a script filled (a generated password Keyfill typed)
// and then emptied is sent empty, flagged `cleared`; only the worker can put a value back, the
// one Keyfill generated and typed into this tab itself, so a page cannot plant one.
// Why not webRequest or a main-world hook on fetch/XHR: both would see what the page sends, but
// the page writes the request, so it could make Keyfill "capture" any value at any time; a
// main-world hook can also be removed or lied to by the page's own scripts. The DOM and trusted
// events in this isolated world are the user's side of the page.
// Typed values are held in a WeakMap keyed by the field (gone with it) and dropped once sent.
import { E, localName, formElements } from "./dom.js";
import { labelOf, formText } from "./labels.js";
import { isVisible, pageBox } from "./visibility.js";
import { describeForm } from "./forms.js";
import { describeSection } from "./sections.js";

const TYPES = new Set(["text", "email", "tel", "password", "number", "search", "url", ""]);
const MAX_FIELDS = 64;
const BUTTONS = "button, input[type=submit], input[type=button], input[type=image], [role=button]";
// Once the user typed a password: what else a page's script may listen to for its sign-in (a
// link that goes nowhere, anything focusable).
const SCRIPTED = "a:not([href]), a[href^='#'], a[href^='javascript:'], [tabindex], [onclick]";
/** How long after the user's last Enter or pointer-down a vanishing field or page counts. */
const INTENT_MS = 10_000;

/** field → the value the user last typed into it */
const typed = new WeakMap();
/** password fields a script filled with a value (Keyfill's fill, or the page) */
const scripted = new WeakSet();

const isTextField = (el) => localName.call(el) === "input" && TYPES.has(el.type);

function groupOf(el) {
  if (el.form) return el.form;
  for (let n = el.parentElement; n; n = n.parentElement) {
    if (E.querySelector.call(n, "input[type=password]")) return n;
    if (localName.call(n) === "body") break;
  }
  return null;
}

function fieldsOf(group) {
  const all = localName.call(group) === "form" ? [...formElements.call(group)] : [...E.querySelectorAll.call(group, "input")];
  // A hidden username the site keeps for password managers (a change-password form) counts too.
  const kept = (el) =>
    TYPES.has(el.type) || (el.type === "hidden" && /\b(username|email)\b/.test(el.getAttribute("autocomplete") ?? ""));
  return all.filter((el) => localName.call(el) === "input" && kept(el)).slice(0, MAX_FIELDS);
}

const valueOf = (el) => (typed.has(el) ? typed.get(el) : el.value);

// A first step that asks for the username alone: its field must say it is one.
const USERNAME_WORDS = /user|login|e-?mail|identifi|account|compte|benutzer|usuario|utente/i;

/** The username typed on a username-only step (no password field in the group but an empty one
 *  not on screen yet, the next step's), or "". */
function usernameStep(fields) {
  const filled = fields.filter((el) => valueOf(el) && el.type !== "hidden");
  const later = (el) => !valueOf(el) && !(el.checkVisibility?.() ?? true);
  if (filled.length !== 1 || fields.some((el) => el.type === "password" && !later(el))) return "";
  const el = filled[0];
  const value = valueOf(el);
  const ac = (el.getAttribute("autocomplete") ?? "").toLowerCase();
  const words = `${el.getAttribute("name") ?? ""} ${el.id ?? ""} ${ac} ${labelOf(el, el.labels)}`;
  const says = el.type === "email" || /\b(username|email)\b/.test(ac) || USERNAME_WORDS.test(words);
  return says && el.type !== "search" && value.length <= 256 ? value : "";
}

const cleared = (el) => el.type === "password" && !valueOf(el) && scripted.has(el);

function capture(group, fields = fieldsOf(group)) {
  if (!fields.some((el) => el.type === "password" && (valueOf(el) || cleared(el)))) {
    const username = usernameStep(fields);
    return username ? { step: "username", username } : null;
  }
  const page = pageBox();
  const memo = new Map();
  return {
    fields: fields.map((el) => ({
      type: el.type,
      name: el.getAttribute("name") ?? "",
      htmlId: el.id ?? "",
      autocomplete: (el.getAttribute("autocomplete") ?? "").toLowerCase(),
      label: labelOf(el, el.labels),
      placeholder: el.getAttribute("placeholder") ?? "",
      ariaLabel: el.getAttribute("aria-label") ?? "",
      className: (el.getAttribute("class") ?? "").slice(0, 100),
      maxLength: el.maxLength,
      visible: el.isConnected && isVisible(el, memo, page),
      value: valueOf(el),
      ...(cleared(el) ? { cleared: true } : {}),
    })),
    text: `${document.title} ${formText(group)}`.slice(0, 400),
    // What the form classifier reads around a group, as the fill's page details have it.
    group: localName.call(group) === "form" ? describeForm(group) : describeSection(group),
  };
}

/** Whether a click on `el` (not a field) looks like the page's own control, not a link. */
function clickable(el) {
  if (E.closest.call(el, SCRIPTED)) return true;
  if (E.closest.call(el, "a[href]")) return false;
  try {
    return getComputedStyle(el).cursor === "pointer";
  } catch {
    return false;
  }
}

export function watchSubmits(runtime) {
  let last = { key: "", group: null, at: 0 };
  /** The password field the user typed into last, its group and fields as of the last intent. */
  let armed = null;
  let intentAt = 0;
  let watch = null;
  let check = 0;

  let stop = 0;
  const unwatch = () => {
    watch?.disconnect();
    watch = null;
    clearTimeout(stop);
  };
  const disarm = () => {
    armed = null;
    unwatch();
  };
  const send = (group, given) => {
    // A click on the submit button, then the submit event: one capture (the typed values are
    // gone after the first, so the group counts as well as the values), and the second costs
    // nothing.
    const now = Date.now();
    if (!group || (group === last.group && now - last.at < 2000)) return;
    const fields = given ?? fieldsOf(group);
    const cap = capture(group, fields);
    if (!cap) return;
    const key = cap.step ? `u\u0000${cap.username}` : cap.fields.map((f) => f.value).join("\u0000");
    if (key === last.key && now - last.at < 2000) return;
    last = { key, group: cap.step ? null : group, at: now };
    for (const el of fields) typed.delete(el);
    if (!cap.step && armed && fields.includes(armed.pw)) disarm();
    try {
      const p = runtime.sendMessage({ type: "submitted", captured: cap });
      if (p && typeof p.catch === "function") p.catch(() => {});
    } catch {
      // Extension reloaded: this copy is orphaned.
    }
  };
  const target = (e) => {
    const path = e.composedPath ? e.composedPath() : [e.target];
    return path.find((n) => n instanceof Element) ?? null;
  };
  // The armed field gone from the page or the screen soon after a gesture: the page signed in
  // by script and moved on. Checked once per burst of mutations, only after a gesture.
  const vanished = () => {
    check = 0;
    if (!submitting()) return;
    const { pw, group, fields } = armed;
    if (pw.isConnected && (pw.checkVisibility?.() ?? true)) return;
    send(group, fields);
    disarm();
  };
  // The user's gesture came after the last keystroke, and not long ago: a field or page going
  // away while the user types, or after they stopped and did nothing, is no submit.
  const submitting = () => armed && intentAt >= armed.typedAt && Date.now() - intentAt <= INTENT_MS;
  const arm = (pw) => {
    if (armed?.pw === pw) {
      armed.typedAt = Date.now();
      return;
    }
    unwatch();
    armed = { pw, group: null, fields: null, typedAt: Date.now() };
  };
  // A gesture: the fields as they are now, before the page's own handler swaps them out; the
  // page's changes are watched for the next 10 s only (a page that re-renders all the time costs
  // nothing otherwise).
  const intent = () => {
    intentAt = Date.now();
    if (!armed) return;
    armed.group = groupOf(armed.pw) ?? armed.group;
    if (armed.group) armed.fields = fieldsOf(armed.group);
    unwatch();
    watch = new MutationObserver(() => {
      if (!check && submitting()) check = setTimeout(vanished, 30);
    });
    watch.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["style", "class", "hidden"] });
    stop = setTimeout(unwatch, INTENT_MS);
  };

  addEventListener(
    "input",
    (e) => {
      const el = target(e);
      if (!el || !isTextField(el)) return;
      if (e.isTrusted) {
        typed.set(el, el.value);
        if (el.type === "password" && el.value) arm(el);
        else if (armed) armed.typedAt = Date.now();
      } else {
        typed.delete(el);
        if (el.type === "password" && el.value) scripted.add(el);
      }
    },
    true,
  );
  addEventListener(
    "submit",
    (e) => {
      if (e.isTrusted) send(target(e));
    },
    true,
  );
  addEventListener(
    "pointerdown",
    (e) => {
      // Into a field, or on a link that leads away, is no submit.
      const el = e.isTrusted ? target(e) : null;
      if (!el || isTextField(el) || E.closest.call(el, "label, select, option, textarea")) return;
      if (E.closest.call(el, "a[href]") && !E.closest.call(el, SCRIPTED)) return;
      intent();
    },
    true,
  );
  addEventListener(
    "click",
    (e) => {
      if (!e.isTrusted) return;
      const el = target(e);
      if (!el || isTextField(el) || E.closest.call(el, "label, select, option, textarea")) return;
      const button = E.closest.call(el, BUTTONS);
      if (button) send(groupOf(button));
      else if (armed && clickable(el)) send(groupOf(el));
    },
    true,
  );
  addEventListener(
    "keydown",
    (e) => {
      if (!e.isTrusted || e.key !== "Enter") return;
      intent();
      const el = target(e);
      if (el && localName.call(el) === "input") send(groupOf(el));
    },
    true,
  );
  addEventListener(
    "pagehide",
    () => {
      if (armed?.group && submitting()) send(armed.group, armed.fields);
    },
    true,
  );
}
