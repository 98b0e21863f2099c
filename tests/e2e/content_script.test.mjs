// The content script in real Chromium, without the extension: a fake `chrome` object (installed
// before any page script) captures the message listener and the pageDetails it sends; the script
// is then added to the page and driven with `collect` and `fill` messages, against the fixture
// sites served by support/site-server.mjs (every host name resolves to it).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  EXT_ID, sites, openPage, inject, send, collect, fill, byName, origin, values, submission,
} from "./support/content-harness.mjs";

test("login/simple: snapshot, fill with events, and the site receives the values", async () => {
  sites.reset();
  const page = await openPage("/login/simple.html");
  await inject(page);
  const html = await page.content();
  const d = await collect(page);
  console.log("login/simple.html snapshot:", JSON.stringify(d));
  assert.equal(d.fields.length, 2);
  const [user, pass] = d.fields;
  assert.equal(user.label, "Username");
  assert.equal(user.type, "text");
  assert.equal(user.htmlId, "username");
  assert.equal(pass.label, "Password");
  assert.equal(pass.type, "password");
  for (const f of d.fields) {
    assert.equal(f.visible, true);
    assert.equal(f.shadow, "none");
    assert.equal(f.hasValue, false);
    assert.equal(f.form, d.forms[0].opid);
    assert.match(f.opid, /^__kf\d+$/);
  }
  assert.equal(d.forms.length, 1);
  assert.equal(d.forms[0].action, sites.url("bank.test", "/submit"));
  assert.equal(d.forms[0].method, "post");
  assert.match(d.forms[0].text, /Sign in/);
  assert.match(d.forms[0].text, /Forgot password\?/);
  assert.equal(d.pageText, "Bank — Sign in Sign in to Bank");
  assert.equal(await page.content(), html, "collect must not touch the DOM");

  // Stable opids: a second collect names the same elements the same way.
  const again = await collect(page);
  assert.deepEqual(
    again.fields.map((f) => f.opid),
    d.fields.map((f) => f.opid),
  );

  await page.evaluate(() => {
    window.__seen = [];
    for (const t of ["focus", "focusin", "keydown", "input", "keyup", "change", "blur"]) {
      document.addEventListener(t, (e) => window.__seen.push(`${t}:${e.target.name}:${e.isTrusted ? "t" : "s"}`), true);
    }
  });
  const reply = await fill(page, origin(), [
    { opid: user.opid, value: "alice" },
    { opid: pass.opid, value: "hunter2-secret" },
  ]);
  assert.deepEqual(reply, { ok: true, filled: 2 });
  assert.deepEqual(await values(page), { username: "alice", password: "hunter2-secret" });
  const seen = await page.evaluate(() => window.__seen.map((s) => s.replace(/:[ts]$/, "")));
  for (const name of ["username", "password"]) {
    const order = seen.filter((s) => s.endsWith(`:${name}`)).map((s) => s.split(":")[0]);
    assert.deepEqual(order, ["focus", "focusin", "keydown", "input", "keyup", "change", "blur"], name);
  }
  await page.click("button");
  const s = await submission("bank.test");
  assert.deepEqual(s.fields, { username: "alice", password: "hunter2-secret" });
  await page.context().close();
});

test("collect never sends values, only hasValue", async () => {
  const page = await openPage("/login/simple.html");
  await page.fill("#username", "typed-by-user-1234");
  await page.fill("#password", "pw-typed-by-user-5678");
  await inject(page);
  const d = await collect(page);
  assert.deepEqual(
    d.fields.map((f) => [f.hasValue, f.focused]),
    [
      [true, false],
      [true, true],
    ],
  );
  const json = JSON.stringify(d);
  assert.ok(!json.includes("typed-by-user-1234") && !json.includes("pw-typed-by-user-5678"));
  await page.context().close();
});

test("fill: wrong origin, stale opid, unknown type, scrubbed message, double injection", async () => {
  const page = await openPage("/login/simple.html");
  await inject(page);
  await inject(page); // a second copy must not add a second listener (send() checks there is one)
  const d = await collect(page);
  const [user] = d.fields;
  assert.deepEqual(await fill(page, "https://other.test", [{ opid: user.opid, value: "x" }]), {
    ok: false,
    error: { code: "origin_changed", message: "the frame is no longer on the expected origin" },
  });
  assert.deepEqual(await fill(page, origin(), [{ opid: "__kf999999", value: "x" }]), { ok: true, filled: 0 });
  assert.equal((await values(page)).username, "");
  const { reply } = await send(page, { type: "nope" });
  assert.equal(reply.error.code, "unknown_message");

  // The action values are dropped from the message object once used.
  const leftover = await page.evaluate(
    ({ opid, o, extId }) =>
      new Promise((resolve) => {
        const msg = { type: "fill", origin: o, actions: [{ opid, value: "s3cret" }] };
        window.__kfTest.listeners[0](msg, { id: extId }, () => resolve(JSON.stringify(msg)));
      }),
    { opid: user.opid, o: origin(), extId: EXT_ID },
  );
  assert.ok(!leftover.includes("s3cret"), leftover);

  // The element is gone: its opid no longer fills anything.
  await page.evaluate(() => document.querySelector("#username").remove());
  assert.deepEqual(await fill(page, origin(), [{ opid: user.opid, value: "x" }]), { ok: true, filled: 0 });
  // Messages from another extension are ignored (no reply at all).
  const ignored = await page.evaluate(
    () =>
      new Promise((resolve) => {
        window.__kfTest.listeners[0]({ type: "collect", token: "x" }, { id: "someone-else" }, () => resolve(false));
        setTimeout(() => resolve(true), 100);
      }),
  );
  assert.equal(ignored, true);
  await page.context().close();
});

test("autocomplete tokens are reported; autocomplete=off still fills", async () => {
  const page = await openPage("/login/autocomplete-full.html");
  await inject(page);
  let d = await collect(page);
  assert.deepEqual(
    d.fields.map((f) => [f.type, f.autocomplete, f.label]),
    [
      ["email", "username", "Email"],
      ["password", "current-password", "Password"],
    ],
  );
  assert.equal(d.forms[0].htmlId, "login");
  assert.match(d.forms[0].text, /Log in/);
  await page.context().close();

  const off = await openPage("/login/autocomplete-off.html");
  await inject(off);
  d = await collect(off);
  assert.deepEqual(
    d.fields.map((f) => f.autocomplete),
    ["off", "off"],
  );
  assert.deepEqual(
    d.fields.map((f) => f.label),
    ["User ID", "Password"],
  );
  const reply = await fill(off, origin(), d.fields.map((f, i) => ({ opid: f.opid, value: `v${i}` })));
  assert.equal(reply.filled, 2);
  assert.deepEqual(await values(off), { userid: "v0", pass: "v1" });
  await off.context().close();
});

test("formless login with a script submit", async () => {
  sites.reset();
  const page = await openPage("/login/formless-script-submit.html");
  await inject(page);
  const d = await collect(page);
  assert.equal(d.fields.length, 2);
  assert.deepEqual(
    d.fields.map((f) => [f.form, f.label, f.placeholder]),
    [
      [null, "Email", "you@example.com"],
      [null, "Password", ""],
    ],
  );
  assert.deepEqual(d.forms, []);
  assert.equal((await fill(page, origin(), [
    { opid: d.fields[0].opid, value: "a@b.test" },
    { opid: d.fields[1].opid, value: "pw" },
  ])).filled, 2);
  await page.click("#go");
  assert.deepEqual((await submission("bank.test")).fields, { email: "a@b.test", password: "pw" });
  await page.context().close();
});

test("ambiguous unlabeled inputs are all reported, without labels", async () => {
  const page = await openPage("/login/ambiguous-unlabeled.html");
  await inject(page);
  const d = await collect(page);
  assert.deepEqual(
    d.fields.map((f) => [f.name, f.type, f.label]),
    [
      ["f1", "text", ""],
      ["f2", "text", ""],
      ["f3", "text", ""],
      ["f4", "password", ""],
    ],
  );
  await page.context().close();
});

test("a form revealed later is found by the next collect", async () => {
  const page = await openPage("/login/revealed-later.html");
  await inject(page);
  assert.equal((await collect(page)).fields.length, 0);
  await page.click("#reveal");
  const d = await collect(page);
  assert.equal(d.fields.length, 2);
  assert.ok(d.fields.every((f) => f.visible));
  assert.match(d.forms[0].text, /^Log in {2}Log in$/);
  await page.context().close();
});

test("frames: each frame reports only itself; origins are checked per frame", async () => {
  for (const [path, host] of [
    ["/login/same-origin-iframe.html", "bank.test"],
    ["/login/cross-origin-iframe.html", "other.test"],
  ]) {
    sites.reset();
    const page = await openPage(path);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    await frame.waitForLoadState();
    await inject(page);
    await inject(frame);
    const top = await collect(page);
    assert.equal(top.fields.length, 0, `${path}: the top frame must not reach into iframes`);
    const d = await collect(frame);
    assert.equal(d.fields.length, 2);
    assert.ok(d.fields.every((f) => f.visible));
    const actions = () => d.fields.map((f) => ({ opid: f.opid, value: "v" }));
    if (host !== "bank.test") {
      // The worker thought it was filling bank.test: the frame is other.test, refuse.
      assert.equal((await fill(frame, origin("bank.test"), actions())).error.code, "origin_changed");
      assert.deepEqual(await values(frame), { username: "", password: "" });
    }
    assert.equal((await fill(frame, origin(host), actions())).filled, 2);
    await frame.click("button");
    assert.deepEqual((await submission(host)).fields, { username: "v", password: "v" });
    await page.context().close();
  }
});

test("frames: a sandboxed (opaque-origin) frame is never filled", async () => {
  const page = await openPage("/login/sandboxed-iframe.html");
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await frame.waitForLoadState();
  await inject(frame);
  const d = await collect(frame);
  assert.equal(d.fields.length, 2);
  for (const o of ["null", origin()]) {
    const reply = await fill(frame, o, d.fields.map((f) => ({ opid: f.opid, value: "v" })));
    assert.equal(reply.error.code, "opaque_origin");
  }
  assert.deepEqual(await values(frame), { username: "", password: "" });
  await page.context().close();
});

test("frames: nested iframes, the innermost frame fills", async () => {
  const page = await openPage("/login/nested-iframes.html");
  await page.waitForFunction(() => document.querySelector("iframe").contentDocument?.querySelector("iframe")?.contentDocument?.forms.length === 1);
  const inner = page.frames().find((f) => f.url().endsWith("/login/iframe-inner.html"));
  const middle = page.frames().find((f) => f.url().endsWith("/login/nested-middle.html"));
  await inject(middle);
  await inject(inner);
  assert.equal((await collect(middle)).fields.length, 0);
  const d = await collect(inner);
  assert.equal((await fill(inner, origin(), d.fields.map((f) => ({ opid: f.opid, value: "n" })))).filled, 2);
  assert.deepEqual(await values(inner), { username: "n", password: "n" });
  await page.context().close();
});

test("constraints are reported", async () => {
  const page = await openPage("/login/constraints.html");
  await inject(page);
  const d = await collect(page);
  const member = byName(d, "member");
  assert.deepEqual(
    [member.maxLength, member.minLength, member.pattern, member.inputMode, member.label],
    [8, 8, "[0-9]{8}", "numeric", "Member number"],
  );
  const pw = byName(d, "password");
  assert.deepEqual([pw.maxLength, pw.minLength, pw.pattern], [12, 6, ""]);
  await page.context().close();
});

test("honeypots are invisible and stay empty even when asked to fill them", async () => {
  sites.reset();
  const page = await openPage("/login/honeypot.html");
  await inject(page);
  const d = await collect(page);
  assert.equal(byName(d, "user"), undefined, "type=hidden is not a field");
  const visible = Object.fromEntries(d.fields.map((f) => [f.name, f.visible]));
  assert.deepEqual(visible, {
    username: true,
    password: true,
    email: false, // display:none ancestor
    login: false, // off-screen
    user_name: false, // zero size
    pass: false, // opacity 0.1
    email2: false, // visibility:hidden
    username2: false, // hidden attribute
    mail: false, // 1px "visually hidden"
    nickname: false, // inside a 1px clipping wrapper
    phone: false, // clip: rect(0 0 0 0)
    account: false, // 0.8 × 0.8 = 0.64 opacity up the chain
    password2: false, // opacity 0 ancestor
    far: false, // right of the viewport on a page that cannot scroll sideways
  });
  const reply = await fill(page, origin(), d.fields.map((f) => ({ opid: f.opid, value: `x-${f.name}` })));
  assert.equal(reply.filled, 2);
  await page.click("button");
  const got = (await submission("bank.test")).fields;
  assert.equal(got.username, "x-username");
  assert.equal(got.password, "x-password");
  for (const [k, v] of Object.entries(got)) if (k !== "username" && k !== "password") assert.equal(v, "", k);
  await page.context().close();
});

test("open and closed shadow roots", async () => {
  for (const kind of ["open", "closed"]) {
    sites.reset();
    const page = await openPage(`/login/${kind}-shadow.html`);
    await inject(page);
    const d = await collect(page);
    assert.deepEqual(
      d.fields.map((f) => [f.name, f.shadow, f.label, f.visible]),
      [
        ["username", kind, "Username", true],
        ["password", kind, "Password", true],
      ],
    );
    assert.equal(d.forms.length, 1);
    assert.match(d.forms[0].text, /Sign in/);
    const reply = await fill(page, origin(), [
      { opid: d.fields[0].opid, value: `u-${kind}` },
      { opid: d.fields[1].opid, value: `p-${kind}` },
    ]);
    assert.equal(reply.filled, 2);
    // The fake chrome.dom reaches the closed root too (the page itself could not).
    await page.evaluate(() => chrome.dom.openOrClosedShadowRoot(document.querySelector("login-box")).querySelector("button").click());
    assert.deepEqual((await submission("bank.test")).fields, { username: `u-${kind}`, password: `p-${kind}` });
    await page.context().close();
  }
});

test("forms in a modal <dialog> and in a popover are visible", async () => {
  for (const path of ["/login/dialog.html", "/login/popover.html"]) {
    const page = await openPage(path);
    await inject(page);
    const d = await collect(page);
    assert.equal(d.fields.length, 2, path);
    assert.ok(d.fields.every((f) => f.visible), path);
    assert.equal((await fill(page, origin(), d.fields.map((f) => ({ opid: f.opid, value: "v" })))).filled, 2);
    await page.context().close();
  }
});

test("security question, sign-up and change-password forms", async () => {
  sites.reset();
  let page = await openPage("/login/security-question.html");
  await inject(page);
  let d = await collect(page);
  assert.deepEqual(
    d.fields.map((f) => [f.tag, f.type, f.label]),
    [
      ["input", "text", "Customer ID"],
      ["input", "password", "Password"],
      ["select", "select-one", "Security question"],
      ["input", "text", "Answer to your security question"], // aria-labelledby
    ],
  );
  const q = byName(d, "question");
  assert.deepEqual(q.options[2], { value: "city", text: "In which city were you born?" });
  assert.equal(q.hasValue, false);
  // A <select> takes the option whose value or text matches; no match fills nothing.
  assert.equal((await fill(page, origin(), [{ opid: q.opid, value: "nowhere" }])).filled, 0);
  assert.equal((await fill(page, origin(), [{ opid: q.opid, value: "in which city were you born?" }])).filled, 1);
  assert.equal(await page.inputValue("select"), "city");
  await fill(page, origin(), [
    { opid: q.opid, value: "pet" },
    { opid: byName(d, "customer").opid, value: "c-1" },
    { opid: byName(d, "password").opid, value: "p-1" },
    { opid: byName(d, "answer").opid, value: "Rex" },
  ]);
  await page.click("button");
  assert.deepEqual((await submission("bank.test")).fields, { customer: "c-1", password: "p-1", question: "pet", answer: "Rex" });
  await page.context().close();

  page = await openPage("/login/signup-new-password.html");
  await inject(page);
  d = await collect(page);
  assert.deepEqual(
    d.fields.map((f) => f.autocomplete),
    ["username", "new-password", "new-password"],
  );
  assert.match(d.forms[0].text, /Sign up/);
  await page.context().close();

  page = await openPage("/login/change-password.html");
  await inject(page);
  d = await collect(page);
  assert.deepEqual(
    d.fields.map((f) => [f.autocomplete, f.label]),
    [
      ["current-password", "Current password"],
      ["new-password", "New password"],
      ["new-password", "Confirm new password"],
    ],
  );
  await page.context().close();
});
