// The save prompt (docs/extension.md "Save prompt"), an extension page framed in the page's top
// frame. The page cannot read or script it (another origin), and the browser gives it only the
// user's real clicks; still it acts on a click only while it has been fully visible, not covered
// and not made transparent, for a moment (IntersectionObserver v2), so a page that hides it or
// lays something over it cannot trick the user into saving. It talks to the worker with the
// one-time token the worker put in its address, which binds it to this tab's capture.
const token = location.hash.slice(1);
const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;
const $ = (id) => document.getElementById(id);
const VISIBLE_FOR_MS = 400;

for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
document.documentElement.lang = chrome.i18n.getUILanguage();

let visibleSince = 0;
if ("IntersectionObserver" in self) {
  new IntersectionObserver(
    (entries) => {
      for (const e of entries) visibleSince = e.isVisible ? visibleSince || performance.now() : 0;
    },
    { trackVisibility: true, delay: 100, threshold: 1 },
  ).observe($("bar"));
}
const visibleEnough = () => visibleSince > 0 && performance.now() - visibleSince >= VISIBLE_FOR_MS;

const send = (type, fields = {}) => chrome.runtime.sendMessage({ type, token, ...fields });

let state = null;

function render(s) {
  state = s;
  const kind = s?.state;
  $("site").textContent = s?.host ?? "";
  $("fields").hidden = kind !== "save" && kind !== "update";
  $("save").hidden = $("never").hidden = $("fields").hidden;
  if (kind === "locked") {
    $("title").textContent = t("promptLocked");
    $("note").textContent = t("promptLockedHint");
    return;
  }
  if (kind !== "save" && kind !== "update") {
    $("title").textContent = t("promptGone");
    return;
  }
  $("title").textContent = t(kind === "save" ? "promptSaveTitle" : "promptUpdateTitle");
  $("save").textContent = t(kind === "save" ? "promptSave" : "promptUpdate");
  $("user").textContent = s.username || t("promptNoUsername");
  $("name").parentElement.hidden = kind !== "save";
  $("folder-row").hidden = kind !== "save";
  if (kind === "save" && !$("name").value) $("name").value = s.name;
  const folder = $("folder");
  if (!folder.options.length) {
    folder.append(new Option(t("noFolder"), ""));
    for (const f of s.folders ?? []) folder.append(new Option(f.name, f.id));
  }
}

async function refresh() {
  const reply = await send("promptState").catch(() => null);
  render(reply?.ok ? reply : { state: "gone", host: state?.host });
}

/** A click counts only when it is the user's and the prompt was plainly on screen. */
function guarded(fn) {
  return async (e) => {
    if (!e.isTrusted) return;
    if (!visibleEnough()) {
      $("note").textContent = t("promptCovered");
      return;
    }
    $("note").textContent = "";
    await fn();
  };
}

$("save").addEventListener(
  "click",
  guarded(async () => {
    const reply = await send("promptAnswer", { answer: "save", name: $("name").value, folderId: $("folder").value });
    if (!reply?.ok) $("note").textContent = reply?.error?.message ?? "";
  }),
);
$("never").addEventListener("click", guarded(() => send("promptAnswer", { answer: "never" })));
$("close").addEventListener("click", (e) => e.isTrusted && send("promptAnswer", { answer: "close" }));
$("reveal").addEventListener(
  "click",
  guarded(async () => {
    const reply = await send("promptReveal");
    if (reply?.ok) $("pw").textContent = reply.password;
  }),
);

refresh();
// While locked, watch for the unlock (every 2 s). Otherwise only keep the worker, and its memory
// of the capture, awake while the prompt shows: a message every 20 s is under the 30 s after
// which Chrome stops an idle worker, and asks the core nothing it answered already.
let ticks = 0;
setInterval(() => {
  ticks += 1;
  if (state?.state === "locked") refresh();
  else if (ticks % 10 === 0) send("promptState").catch(() => {});
}, 2000);
