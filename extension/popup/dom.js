// Small DOM helpers shared by the views: element builder, icons, toast, confirm dialog, copy.
import { t } from "./i18n.js";
import { send } from "./api.js";

export const $ = (sel, root = document) => root.querySelector(sel);

/** h('button', {class, text, type, 'data-id': id, onclick}, ...children): one element. */
export function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const key in props) {
    const v = props[key];
    if (v == null || v === false) continue;
    if (key === "class") el.className = v;
    else if (key === "text") el.textContent = v;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), v);
    else el.setAttribute(key, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid != null && kid !== false) el.append(kid);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

/** A decorative icon from the sprite in popup.html. */
export function icon(name, cls = "") {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", cls ? `icon ${cls}` : "icon");
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS(SVG, "use");
  use.setAttribute("href", `#i-${name}`);
  svg.append(use);
  return svg;
}

export function setIcon(button, name) {
  button.querySelector("use")?.setAttribute("href", `#i-${name}`);
}

/** An icon-only button: its label (already translated) is both aria-label and tooltip. */
export function iconButton(name, label, props = {}) {
  return h("button", { type: "button", class: "icon-btn", "aria-label": label, title: label, ...props }, icon(name));
}

let toastTimer = 0;

/** A short status message in the aria-live region (errors use kind 'error'). */
export function toast(message, kind = "info") {
  const el = $("#toast");
  el.textContent = message;
  el.className = `toast show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.className = "toast"), kind === "error" ? 4000 : 2200);
}

/**
 * Modal confirmation. Resolves true only for the OK button; Escape or Cancel give false.
 * Focus starts on Cancel so a stray Enter never confirms a warning.
 */
export function confirmDialog({ text, detail = "", ok, danger = false, testid = "confirm-ok" }) {
  const dlg = $("#dialog");
  $("#dialog-text").textContent = text;
  $("#dialog-detail").textContent = detail;
  const okBtn = $("#dialog-ok");
  okBtn.textContent = ok;
  okBtn.dataset.testid = testid;
  okBtn.className = danger ? "danger" : "primary";
  const back = document.activeElement;
  dlg.returnValue = "";
  dlg.showModal();
  $("#dialog-cancel").focus();
  return new Promise((resolve) => {
    dlg.addEventListener(
      "close",
      () => {
        if (back?.isConnected) back.focus();
        resolve(dlg.returnValue === "ok");
      },
      { once: true },
    );
  });
}

/**
 * Copies a value; the worker empties the clipboard after the delay chosen in the settings, if it
 * still holds that value, even once the popup has closed. It gets a SHA-256 of the value, not
 * the value.
 */
export async function copyValue(value, what) {
  try {
    await navigator.clipboard.writeText(value);
  } catch {
    toast(t("copyFailed"), "error");
    return;
  }
  toast(t("copied", [what]));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  const hash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  await send("clearClipboard", { hash }).catch(() => {});
}

/**
 * Shows or masks a password input; the button's icon and label follow ("Show password", or
 * "Show <what>" when the button names what it reveals in data-reveal-what).
 */
export function toggleReveal(button) {
  const input = document.getElementById(button.dataset.reveal);
  if (!input) return;
  const show = input.type === "password";
  setRevealed(button, input, show);
}

export function setRevealed(button, input, show) {
  input.type = show ? "text" : "password";
  button.setAttribute("aria-pressed", String(show));
  const what = button.dataset.revealWhat;
  let label = show ? t("hidePassword") : t("showPassword");
  if (what) label = show ? t("hideWhat", [what]) : t("showWhat", [what]);
  button.setAttribute("aria-label", label);
  button.title = label;
  setIcon(button, show ? "eye-off" : "eye");
}
