// The official Bitwarden CLI (`bw`, @bitwarden/cli pinned in package.json) driven against the
// test server over HTTPS, next to Keyfill's own CLI. Every `bw` call runs with --response and is
// parsed as JSON; a failure throws with bw's stderr and the server's request log, so a broken
// test says what the official client saw.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const BW_VERSION = "2026.9.0";
const BW_PACKAGE = join(ROOT, "node_modules/@bitwarden/cli");
const BW_JS = join(BW_PACKAGE, "build/bw.js");

/** Fails (never skips) when the pinned official CLI is not installed. */
export function requireOfficialCli() {
  const found = existsSync(join(BW_PACKAGE, "package.json")) ? JSON.parse(readFileSync(join(BW_PACKAGE, "package.json"), "utf8")).version : null;
  if (found !== BW_VERSION || !existsSync(BW_JS)) {
    throw new Error(
      `the official Bitwarden CLI @bitwarden/cli@${BW_VERSION} is not installed (found ${found ?? "nothing"} in node_modules): run bash scripts/setup.sh`,
    );
  }
}

/** Runs a program to its end; resolves {code, stdout, stderr}. */
function run(cmd, args, { env, cwd }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/**
 * The test server (tests/server/bwserver.py) over HTTPS, its certificate from a test CA made in
 * its folder. `call` reaches it trusting that CA only; `log()` is its request log.
 */
export async function startHttpsServer({ mode = "vaultwarden" } = {}) {
  const home = mkdtempSync(join(tmpdir(), "keyfill-official-"));
  const tls = join(home, "tls");
  const child = spawn("python3", [join(ROOT, "tests/server/bwserver.py"), "--db", join(home, "db.sqlite"), "--mode", mode, "--port", "0", "--tls-dir", tls], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const serverErr = [];
  child.stderr.on("data", (d) => serverErr.push(d));
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bwserver exited with ${code}: ${Buffer.concat(serverErr)}`)));
  });
  const root = line.replace(/^listening /, "").trim();
  const base = mode === "cozy" ? `${root}/bitwarden` : root;
  const ca = join(tls, "ca.pem");
  const caPem = readFileSync(ca);
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(`${base}${path}`, { method, ca: caPem, headers: data ? { "content-type": "application/json", "content-length": data.length } : {} }, (res) => {
        const parts = [];
        res.on("data", (d) => parts.push(d));
        res.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8");
          resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null });
        });
      });
      req.once("error", reject);
      req.end(data);
    });
  const control = async (method, path, body) => {
    const r = await call(method, `/__test/${path}`, body);
    if (r.status !== 200) throw new Error(`/__test/${path}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };
  return {
    mode,
    base,
    ca,
    control,
    /** Registers an account with keys made by the independent Python implementation. */
    register: async (email, password, kdf = "5000") => {
      const r = await run("python3", [join(ROOT, "tests/server/register.py"), base, email, password, kdf, "--ca", ca], { env: process.env });
      if (r.code !== 0) throw new Error(`register ${email}: ${r.stderr}`);
    },
    /** The request log as `METHOD PATH STATUS` lines, for failure messages. */
    log: async () => (await control("GET", "requests")).requests.map((r) => `${r.method} ${r.path} ${r.status}`).join("\n"),
    stderr: () => Buffer.concat(serverErr).toString("utf8"),
    stop: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await gone;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * One official CLI installation: its own data folder (BITWARDENCLI_APPDATA_DIR), the server's
 * CA trusted through NODE_EXTRA_CA_CERTS, its session from `login`/`unlock`. `bw(args)` resolves
 * the parsed `data` of a successful --response answer, else throws with what went wrong.
 */
export function officialCli(server) {
  requireOfficialCli();
  const home = mkdtempSync(join(tmpdir(), "keyfill-bw-"));
  let session = null;
  const env = () => {
    const e = { ...process.env, BITWARDENCLI_APPDATA_DIR: home, NODE_EXTRA_CA_CERTS: server.ca, BW_NOINTERACTION: "true" };
    for (const k of ["BW_SESSION", "BW_CLIENTID", "BW_CLIENTSECRET", "BW_PASSWORD"]) delete e[k];
    if (session) e.BW_SESSION = session;
    return e;
  };
  /** Resolves the raw answer: {code, answer (parsed JSON or null), stderr}. */
  const attempt = async (args) => {
    const r = await run(process.execPath, [BW_JS, ...args, "--response", "--nointeraction"], { env: env(), cwd: home });
    let answer = null;
    try {
      answer = JSON.parse(r.stdout);
    } catch {
      answer = null;
    }
    return { code: r.code, answer, stderr: r.stderr, stdout: r.stdout };
  };
  const bw = async (...args) => {
    const r = await attempt(args);
    if (r.code !== 0 || !r.answer?.success) {
      const shown = args.map((a) => (a.length > 60 ? `${a.slice(0, 20)}…` : a)).join(" ");
      throw new Error(
        `bw ${shown} failed (exit ${r.code}): ${r.answer ? JSON.stringify(r.answer) : `not JSON: ${r.stdout.slice(0, 300)}`}\n--- bw stderr ---\n${r.stderr}\n--- server requests ---\n${await server.log()}\n--- server stderr ---\n${server.stderr()}`,
      );
    }
    return r.answer.data;
  };
  const encode = (obj) => Buffer.from(JSON.stringify(obj), "utf8").toString("base64");
  return {
    home,
    bw,
    attempt,
    /** `bw config server`, `bw login` (a TOTP code for an account with an authenticator app). */
    login: async (email, password, { totp } = {}) => {
      await bw("config", "server", server.base);
      const extra = totp ? ["--method", "0", "--code", totp] : [];
      session = (await bw("login", email, password, ...extra)).raw;
      return session;
    },
    lock: async () => {
      await bw("lock");
      session = null;
    },
    unlock: async (password) => {
      session = (await bw("unlock", password)).raw;
      return session;
    },
    create: (kind, obj) => bw("create", kind, encode(obj)),
    edit: (kind, id, obj) => bw("edit", kind, id, encode(obj)),
    /** `bw export` into a file of its folder; resolves the file's text. */
    exportText: async (format) => {
      const file = join(home, `export-${format}-${Date.now()}`);
      await bw("export", "--format", format, "--output", file);
      return readFileSync(file, "utf8");
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** Keyfill's CLI (debug build, made by `cargo build` if missing) trusting the server's CA. */
export async function keyfill(server, args, password, extraEnv = {}) {
  const bin = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, "target"), "debug", "keyfill");
  if (!existsSync(bin)) {
    const built = await run("cargo", ["build", "--quiet", "--bin", "keyfill"], { env: process.env, cwd: ROOT });
    if (built.code !== 0) throw new Error(`cargo build failed: ${built.stderr}`);
  }
  const env = { ...process.env, KEYFILL_PASSWORD: password, KEYFILL_CA_FILE: server.ca, ...extraEnv };
  delete env.KEYFILL_TOTP;
  const r = await run(bin, [...args, "--server", server.base], { env, cwd: ROOT });
  if (r.code !== 0) throw new Error(`keyfill ${args[0]} failed (exit ${r.code}): ${r.stderr}\n--- server requests ---\n${await server.log()}`);
  return r.stdout;
}

/**
 * Items (or whole exports) in a form two correct readers of one account share: null, absent and
 * an empty list mean the same (the official CLI leaves nulls out and writes [] where Keyfill
 * writes null); dates as milliseconds (the server keeps microseconds, JavaScript clients
 * milliseconds); `drop` names bookkeeping keys to leave out. Anything with a value must be equal.
 */
export function comparable(value, drop = []) {
  const clean = (v, key = "") => {
    if (Array.isArray(v)) return v.map((x) => clean(x));
    if (v && typeof v === "object") {
      const out = {};
      for (const k of Object.keys(v).sort()) {
        if (drop.includes(k)) continue;
        const x = clean(v[k], k);
        if (x === null || x === undefined || (Array.isArray(x) && x.length === 0)) continue;
        out[k] = x;
      }
      return out;
    }
    if (typeof v === "string" && key.endsWith("Date")) return new Date(v).toISOString();
    return v;
  };
  return clean(value);
}
