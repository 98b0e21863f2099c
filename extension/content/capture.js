// Save capture (docs/autofill.md "Save / update"): when the user submits a group of fields that
// holds a typed password (the form's submit, a click on a button of the group, Enter in one of
// its fields), the group's fields and their values go to the worker once, which asks the core
// what to offer. Only trusted events count, so a page's script cannot stage a capture, and
// nothing is kept here after it is sent. A formless group is the nearest ancestor of the field
// that holds a password input. A username-only first step (one filled field that says it is a
// username or e-mail, no password field) sends just that value, for the next step's capture.
import { E, localName, formElements } from "./dom.js";
import { labelOf, formText } from "./labels.js";
import { isVisible, pageBox } from "./visibility.js";

const TYPES = new Set(["text", "email", "tel", "password", "number", "search", "url", ""]);
const MAX_FIELDS = 64;
const BUTTONS = "button, input[type=submit], input[type=button], input[type=image], [role=button]";

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

// A first step that asks for the username alone: its field must say it is one.
const USERNAME_WORDS = /user|login|e-?mail|identifi|account|compte|benutzer|usuario|utente/i;

/** The username typed on a username-only step (no password field in the group), or "". */
function usernameStep(fields) {
  const filled = fields.filter((el) => el.value && el.type !== "hidden");
  if (filled.length !== 1 || fields.some((el) => el.type === "password")) return "";
  const el = filled[0];
  const ac = (el.getAttribute("autocomplete") ?? "").toLowerCase();
  const words = `${el.getAttribute("name") ?? ""} ${el.id ?? ""} ${ac} ${labelOf(el, el.labels)}`;
  const says = el.type === "email" || /\b(username|email)\b/.test(ac) || USERNAME_WORDS.test(words);
  return says && el.type !== "search" && el.value.length <= 256 ? el.value : "";
}

function capture(group) {
  const fields = fieldsOf(group);
  if (!fields.some((el) => el.type === "password" && el.value)) {
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
      visible: isVisible(el, memo, page),
      value: el.value,
    })),
    text: `${document.title} ${formText(group)}`.slice(0, 400),
  };
}

export function watchSubmits(runtime) {
  let last = { key: "", at: 0 };
  const send = (group) => {
    const cap = group && capture(group);
    if (!cap) return;
    // A click on the submit button, then the submit event: one capture.
    const key = cap.step ? `u\u0000${cap.username}` : cap.fields.map((f) => f.value).join("\u0000");
    const now = Date.now();
    if (key === last.key && now - last.at < 2000) return;
    last = { key, at: now };
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
  addEventListener(
    "submit",
    (e) => {
      if (e.isTrusted) send(target(e));
    },
    true,
  );
  addEventListener(
    "click",
    (e) => {
      if (!e.isTrusted) return;
      const el = target(e);
      const button = el && E.closest.call(el, BUTTONS);
      if (button) send(groupOf(button));
    },
    true,
  );
  addEventListener(
    "keydown",
    (e) => {
      if (!e.isTrusted || e.key !== "Enter") return;
      const el = target(e);
      if (el && localName.call(el) === "input") send(groupOf(el));
    },
    true,
  );
}
