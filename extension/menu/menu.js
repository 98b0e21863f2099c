// The inline menu (docs/extension.md "Inline menu"), an extension page framed under the field the
// user is in. The page cannot read or script it (another origin) and the browser gives it only
// the user's real clicks; still it acts on a click only while it has been fully visible, not
// covered and not made transparent, for a moment (IntersectionObserver v2), and the worker has
// the field's own document check the click point and the page's tampering before any fill. It
// talks only to the worker, with the one-time token in its address; it has no `message`
// listener, so nothing a page posts reaches it. It is loaded hidden as soon as the field has
// the icon, and asks what to list only when the worker says it is shown ("open" over its port;
// "hide" empties it); keys typed in the field arrive over the same port.
const token = location.hash.slice(1);
const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;
const $ = (id) => document.getElementById(id);
const VISIBLE_FOR_MS = 300;

document.documentElement.lang = chrome.i18n.getUILanguage();

let visibleSince = 0;
if ("IntersectionObserver" in self) {
  new IntersectionObserver(
    (entries) => {
      for (const e of entries) visibleSince = e.isVisible ? visibleSince || performance.now() : 0;
    },
    { trackVisibility: true, delay: 100, threshold: 1 },
  ).observe($("menu"));
}
const visibleEnough = () => visibleSince > 0 && performance.now() - visibleSince >= VISIBLE_FOR_MS;

const send = (type, fields = {}) => chrome.runtime.sendMessage({ type, token, ...fields }).catch(() => null);

let state = null;
let selected = -1;
let shown = false;

const REASONS = {
  menu_covered: "menuCovered",
  field_hidden: "menuHidden",
  field_moved: "menuMoved",
  page_interferes: "menuInterferes",
  not_visible: "menuCovered",
};

function entry(pick, name, detail, cls = "") {
  const li = document.createElement("li");
  const b = document.createElement("button");
  b.type = "button";
  b.setAttribute("role", "option");
  if (cls) b.className = cls;
  const n = document.createElement("span");
  n.className = "name";
  n.textContent = name;
  b.append(n);
  if (detail) {
    const d = document.createElement("span");
    d.className = "detail";
    d.textContent = detail;
    b.append(d);
  }
  b.dataset.testid = "menu-entry";
  b.addEventListener("click", (e) => {
    if (!e.isTrusted) return;
    act(pick, { via: "click", x: e.clientX, y: e.clientY });
  });
  b.pick = pick;
  li.append(b);
  return li;
}

function render(s) {
  state = s;
  selected = -1;
  $("site").textContent = s?.host ?? "";
  const items = [];
  if (!s || s.state === "gone") {
    $("note").textContent = t("menuGone");
  } else if (s.state === "locked") {
    items.push(entry({ unlock: true }, t("menuUnlock"), t("menuUnlockHint"), "action"));
  } else {
    const confirmHint = s.kind === "login" ? "" : t("menuConfirmInPopup");
    for (const r of s.rows ?? []) items.push(entry({ id: r.id }, r.name, [r.detail, confirmHint].filter(Boolean).join(" · ")));
    if (s.generate) items.push(entry({ generate: true }, t("menuGenerate"), t("menuGenerateHint"), "action"));
    if (s.kind === "login" && !(s.rows ?? []).length) items.push(entry({ add: true }, t("menuAdd"), t("menuAddHint"), "action"));
    if (!items.length) $("note").textContent = t(s.kind === "card" ? "menuNoCards" : "menuNoIdentities");
  }
  $("list").replaceChildren(...items);
  // For the benchmark (scripts/bench-menu.mjs): when the menu showed what it lists.
  performance.mark("keyfill:menu-ready");
}

/** Hidden by the field's page: nothing shown stays behind for the next open. */
function clear() {
  state = null;
  selected = -1;
  $("list").replaceChildren();
  $("note").textContent = "";
}

let loading = null;
function refresh() {
  loading = send("menuState")
    .then((reply) => {
      if (shown) render(reply?.ok ? reply : { state: "gone" }); // else hidden meanwhile
    })
    .finally(() => (loading = null));
  return loading;
}

const buttons = () => [...document.querySelectorAll("#list button")];

function select(i) {
  const all = buttons();
  if (!all.length) return;
  selected = (i + all.length) % all.length;
  all.forEach((b, k) => b.setAttribute("aria-selected", String(k === selected)));
  all[selected].scrollIntoView({ block: "nearest" });
}

async function act(pick, how) {
  if (!visibleEnough()) {
    $("note").textContent = t("menuCovered");
    return;
  }
  $("note").textContent = "";
  const reply = await send("menuPick", { pick, ...how });
  if (!reply?.ok) {
    $("note").textContent = reply?.error?.message ?? t("menuGone");
    return;
  }
  if (reply.status === "refused" || reply.status === "confirm") {
    $("note").textContent = t(REASONS[reply.reason] ?? "menuRefused");
  } else if (reply.status === "popup") {
    $("note").textContent = t("menuOpenedPopup");
  }
}

// The worker says when the menu is shown or hidden, and relays the keys typed in the field.
const port = chrome.runtime.connect({ name: token });
port.onMessage.addListener((m) => {
  // Loaded ahead and hidden, the page asks for nothing until it is shown.
  if (m?.type === "open") {
    shown = true;
    return void refresh();
  }
  if (m?.type === "hide") {
    shown = false;
    return clear();
  }
  if (m?.type === "key") onKey(m.key);
});
// The worker refused the token (a closed menu's page framed again) or stopped (its sessions
// went with it): whenever this shows, it says the menu is closed.
port.onDisconnect.addListener(() => render({ state: "gone" }));

function onKey(key) {
  // The key that opened the menu acts on what it lists.
  if (loading) return void loading.then(() => onKey(key));
  if (key === "ArrowDown") select(selected + 1);
  else if (key === "ArrowUp") select(selected - 1);
  else if (key === "Enter" && selected >= 0) act(buttons()[selected].pick, { via: "key" });
}

// While shown and locked, watch for the unlock in the popup.
setInterval(() => {
  if (shown && state?.state === "locked") refresh();
}, 2000);
