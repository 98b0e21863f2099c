//! The official Bitwarden CLI (`@bitwarden/cli`, pinned in package.json) beside Keyfill's core, both
//! against the test server over HTTPS: shared by `official_cli_reads.rs` and
//! `official_cli_conflicts.rs`.

#![allow(dead_code)]

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::{Client, Device, OfflineQueue, Remote, ServerUrls, SyncOutcome};
use keyfill::session::{AccountMaterial, Session};
use serde_json::{json, Map, Value};

use crate::bwserver::Server;

static HOMES: AtomicUsize = AtomicUsize::new(0);

pub const BW_VERSION: &str = "2026.9.0";

/// The official CLI's entry point; fails (never skips) when it is not installed.
pub fn bw_js() -> PathBuf {
    let pkg = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/@bitwarden/cli");
    let version = std::fs::read_to_string(pkg.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v["version"].as_str().map(str::to_string));
    assert_eq!(
        version.as_deref(),
        Some(BW_VERSION),
        "the official Bitwarden CLI @bitwarden/cli@{BW_VERSION} is not installed in node_modules: \
         run bash scripts/setup.sh"
    );
    pkg.join("build/bw.js")
}

/// One official CLI installation with its own data folder, trusting the server's test CA.
pub struct OfficialCli<'a> {
    server: &'a Server,
    js: PathBuf,
    pub home: PathBuf,
    session: Option<String>,
}

impl<'a> OfficialCli<'a> {
    pub fn new(server: &'a Server) -> Self {
        let home = std::env::temp_dir().join(format!(
            "keyfill-bw-{}-{}",
            std::process::id(),
            HOMES.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).unwrap();
        OfficialCli {
            server,
            js: bw_js(),
            home,
            session: None,
        }
    }

    /// Runs `bw ARGS --response`: whether it succeeded, the answer, bw's stderr.
    fn run(&self, args: &[&str]) -> (bool, Value, String) {
        let mut cmd = Command::new("node");
        cmd.arg(&self.js)
            .args(args)
            .args(["--response", "--nointeraction"])
            .current_dir(&self.home)
            .env("BITWARDENCLI_APPDATA_DIR", &self.home)
            .env("NODE_EXTRA_CA_CERTS", self.server.ca_file())
            .env_remove("BW_SESSION");
        if let Some(s) = &self.session {
            cmd.env("BW_SESSION", s);
        }
        let out = cmd.output().expect("node runs the official CLI");
        let answer: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| json!({"notJson": String::from_utf8_lossy(&out.stdout)}));
        let ok = out.status.success() && answer["success"] == json!(true);
        (
            ok,
            answer,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// A call that may be refused: whether it succeeded, and bw's whole answer.
    pub fn attempt(&self, args: &[&str]) -> (bool, Value) {
        let (ok, answer, _) = self.run(args);
        (ok, answer)
    }

    /// The parsed `data` of a successful answer, else a panic with bw's answer, its stderr and
    /// the server's request log.
    pub fn bw(&self, args: &[&str]) -> Value {
        let (ok, answer, stderr) = self.run(args);
        if !ok {
            panic!(
                "bw {} failed: {answer}\n--- bw stderr ---\n{stderr}\n--- server requests ---\n{}",
                args.first().copied().unwrap_or(""),
                self.server.requests().join("\n")
            );
        }
        answer["data"].clone()
    }

    pub fn login(&mut self, email: &str, password: &str) {
        self.bw(&["config", "server", &self.server.base()]);
        let data = self.bw(&["login", email, password]);
        self.session = Some(data["raw"].as_str().expect("a session key").to_string());
    }
}

impl Drop for OfficialCli<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// Logs in, syncs and opens a session over HTTPS with the server's CA: the extension's path.
pub fn join(
    server: &Server,
    email: &str,
    password: &str,
    device: &str,
) -> (Remote<NativeTransport>, RefCell<Session>) {
    let pem = std::fs::read(server.ca_file()).unwrap();
    let client = Client::new(
        NativeTransport::with_ca_pem(Duration::from_secs(30), &pem).unwrap(),
        ServerUrls::parse(&server.base()).unwrap(),
        Device::browser(2, "chrome", device),
    );
    let li = block_on(client.log_in(email, password, None)).unwrap();
    let cipher_keys = block_on(client.supports_cipher_keys()).unwrap();
    let SyncOutcome::Synced { text, state } = block_on(client.sync_if_changed(None)).unwrap()
    else {
        panic!("a first sync always syncs");
    };
    let prelogin = li.credentials.prelogin.text.clone();
    let mut session = Session::new();
    session.set_cipher_keys(cipher_keys);
    let material = AccountMaterial::parse(&prelogin, text).unwrap();
    session
        .unlock_with_master_key(li.credentials.master_key(), material)
        .unwrap();
    let remote = Remote::new(client, prelogin, OfflineQueue::default(), Some(state));
    (remote, RefCell::new(session))
}

/// An item as two correct readers of one account both show it: null, absent and an empty list
/// mean the same; dates as milliseconds (the server keeps microseconds, JavaScript clients
/// milliseconds); the official CLI's own bookkeeping (`object`, the wrapped `key`, attachments,
/// collection ids, FIDO2 credentials, all empty or not item content) left out.
pub fn normalised(v: &Value) -> Value {
    fn clean(v: &Value, key: &str) -> Option<Value> {
        match v {
            Value::Null => None,
            Value::Array(a) if a.is_empty() => None,
            Value::Array(a) => Some(Value::Array(
                a.iter()
                    .map(|x| clean(x, "").unwrap_or(Value::Null))
                    .collect(),
            )),
            Value::Object(o) => {
                let mut out = Map::new();
                for (k, x) in o {
                    if ["object", "key", "attachments", "collectionIds"].contains(&k.as_str()) {
                        continue;
                    }
                    if let Some(x) = clean(x, k) {
                        out.insert(k.clone(), x);
                    }
                }
                Some(Value::Object(out))
            }
            Value::String(s) if key.ends_with("Date") => Some(json!(ms(s))),
            other => Some(other.clone()),
        }
    }
    clean(v, "").unwrap_or(Value::Null)
}

/// An ISO 8601 UTC date as milliseconds since the epoch (`2026-12-04T07:21:24.870123Z`).
pub fn ms(s: &str) -> i64 {
    let (date, time) = s
        .trim_end_matches('Z')
        .split_once('T')
        .expect("an ISO date");
    let d: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let t: Vec<i64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
    let millis: i64 = format!("{frac:0<3}")[..3].parse().unwrap();
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, m) = if d[1] <= 2 {
        (d[0] - 1, d[1] + 9)
    } else {
        (d[0], d[1] - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d[2] - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    ((days * 24 + t[0]) * 60 + t[1]) * 60_000 + t[2] * 1000 + millis
}
