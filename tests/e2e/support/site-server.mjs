// Local fixture "internet" for the browser tests: one HTTPS and one HTTP server on 127.0.0.1
// that serve tests/e2e/pages/ for ANY Host header (the browser maps every name to 127.0.0.1),
// so bank.test, other.test, victim.github.io, examp1e.com… are all this one server, each a
// distinct origin to the browser. Every POST is recorded so tests can see what a site received.
import { createServer as createHttps } from "node:https";
import { createServer as createHttp } from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const pagesRoot = path.resolve(here, "../pages");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };
const MAX_BODY = 1 << 20;

const listen = (server) =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error("body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

// urlencoded (a real form post) or JSON (a fetch); anything else is kept as raw text.
function parseFields(type, body) {
  if (type.includes("application/json")) {
    try {
      return JSON.parse(body || "{}");
    } catch {
      return { _raw: body };
    }
  }
  if (type.includes("application/x-www-form-urlencoded") || type.includes("text/plain") || !type) {
    return Object.fromEntries(new URLSearchParams(body));
  }
  return { _raw: body };
}

/** `root`: the folder to serve (the fixture pages by default; the demo serves its own site). */
export async function startSites({ root = pagesRoot } = {}) {
  const submissions = [];
  const ports = { https: 0, http: 0 };
  const [cert, key] = await Promise.all([
    readFile(path.join(here, "certs/cert.pem")),
    readFile(path.join(here, "certs/key.pem")),
  ]);

  const handler = (scheme) => async (req, res) => {
    try {
      const url = new URL(req.url, `${scheme}://${req.headers.host || "localhost"}`);
      // Cross-origin fetch POSTs (JSON) preflight; the fixtures are a test internet, allow all.
      res.setHeader("Access-Control-Allow-Origin", req.headers.origin || "*");
      res.setHeader("Access-Control-Allow-Headers", "content-type");
      res.setHeader("Cache-Control", "no-store");
      if (req.method === "OPTIONS") return res.writeHead(204).end();
      if (req.method === "POST") {
        const body = await readBody(req);
        submissions.push({
          scheme,
          host: url.hostname,
          path: url.pathname,
          origin: req.headers.origin ?? null,
          fields: parseFields(String(req.headers["content-type"] || ""), body),
        });
        // `?next=/path` lets a multi-step page land on its next step, like a real site would.
        const next = url.searchParams.get("next");
        if (next && next.startsWith("/") && !next.startsWith("//")) {
          return res.writeHead(303, { Location: next }).end();
        }
        res.writeHead(200, { "Content-Type": TYPES[".html"] });
        return res.end("<!doctype html><title>Received</title><h1>received</h1>");
      }
      if (req.method !== "GET" && req.method !== "HEAD") return res.writeHead(405).end();
      let rel = decodeURIComponent(url.pathname);
      if (rel.endsWith("/")) rel += "index.html";
      const file = path.resolve(root, "." + rel);
      if (!file.startsWith(path.resolve(root) + path.sep)) return res.writeHead(403).end();
      let data;
      try {
        data = await readFile(file);
      } catch {
        return res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      }
      const ext = path.extname(file);
      if (ext === ".html") {
        data = data
          .toString("utf8")
          .replaceAll("{{HTTPS_PORT}}", String(ports.https))
          .replaceAll("{{HTTP_PORT}}", String(ports.http));
      }
      res.writeHead(200, { "Content-Type": TYPES[ext] || "application/octet-stream" });
      res.end(req.method === "HEAD" ? undefined : data);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(e && e.message));
    }
  };

  const httpsServer = createHttps({ cert, key }, handler("https"));
  const httpServer = createHttp(handler("http"));
  ports.https = await listen(httpsServer);
  ports.http = await listen(httpServer);

  const close = (server) =>
    new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });

  return {
    httpsPort: ports.https,
    httpPort: ports.http,
    submissions,
    url(host, p = "/", { http = false } = {}) {
      return http ? `http://${host}:${ports.http}${p}` : `https://${host}:${ports.https}${p}`;
    },
    reset() {
      submissions.length = 0;
    },
    async close() {
      await Promise.all([close(httpsServer), close(httpServer)]);
    },
  };
}
