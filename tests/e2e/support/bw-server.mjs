// The Bitwarden-protocol test server (tests/server/bwserver.py) as a child process, and the CLI
// (`keyfill`, built by `cargo test`/`cargo build`) as "another client" of the same account.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ROOT, launch } from "./browser.mjs";
import { startSites } from "./site-server.mjs";

export async function startServer({ mode = "vaultwarden", port = 0, dir } = {}) {
  const home = dir ?? mkdtempSync(join(tmpdir(), "keyfill-bw-"));
  const child = spawn("python3", [join(ROOT, "tests/server/bwserver.py"), "--db", join(home, "db.sqlite"), "--mode", mode, "--port", String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bwserver exited with ${code}`)));
  });
  const root = line.replace(/^listening /, "").trim();
  const base = mode === "cozy" ? `${root}/bitwarden` : root;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return {
    base,
    root,
    stop,
    /** The same server back on the same port and database (the network came back). */
    restart: async () => {
      await stop();
      return startServer({ mode, port: new URL(root).port, dir: home });
    },
    register: (email, password) => execFileSync("python3", [join(ROOT, "tests/server/register.py"), base, email, password]),
    control: async (path, body) => {
      const r = await fetch(`${base}/__test/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return r.json();
    },
    cleanup: async () => {
      await stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Runs the `keyfill` CLI (debug build) with the master password in the environment. */
export function cli(args, password) {
  const target = process.env.CARGO_TARGET_DIR ?? join(ROOT, "target");
  const bin = join(target, "debug", "keyfill");
  if (!existsSync(bin)) execFileSync("cargo", ["build", "--quiet", "--bin", "keyfill"], { cwd: ROOT, stdio: "inherit" });
  return execFileSync(bin, args, { env: { ...process.env, KEYFILL_PASSWORD: password }, encoding: "utf8" });
}

/**
 * The scene of the sync tests: a test server with one registered account on which another
 * client (the CLI) has put a "Bank" login for https://bank.test, the fixture sites, and Chromium
 * with the extension. `close` stops them all (pass the server as it is then: tests restart it).
 */
export async function startScene({ mode = "vaultwarden", email, password, username, secret }) {
  const server = await startServer({ mode });
  server.register(email, password);
  cli(["add-login", "--server", server.base, "--email", email, "--name", "Bank", "--username", username,
    "--password-value", secret, "--uri", "https://bank.test"], password);
  const sites = await startSites();
  const browser = await launch();
  const close = async (current = server) => {
    await browser.close();
    await sites.close();
    await current.cleanup();
  };
  return { server, sites, browser, close };
}
