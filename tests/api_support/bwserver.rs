//! Starts `tests/server/bwserver.py` (the Bitwarden-protocol test server) on a fresh database
//! and drives its `/__test/` control endpoints. Shared by `cli_sync.rs` and `api_server.rs`.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use keyfill::api::native::NativeTransport;
use keyfill::api::{HttpRequest, Method};
use keyfill::crypto::Kdf;
use keyfill::keys;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Vaultwarden,
    Cozy,
}

pub const MODES: [Mode; 2] = [Mode::Vaultwarden, Mode::Cozy];

pub struct Server {
    child: Child,
    pub mode: Mode,
    /// `http://127.0.0.1:PORT`
    pub root: String,
    dir: PathBuf,
    http: NativeTransport,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Server {
    pub fn start(mode: Mode) -> Server {
        Self::start_with(mode, &[])
    }

    /// Starts with extra options (e.g. `--token-ttl 60`).
    pub fn start_with(mode: Mode, extra: &[&str]) -> Server {
        let dir = std::env::temp_dir().join(format!(
            "keyfill-bwserver-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self::spawn(mode, dir, "0", extra)
    }

    /// The server over HTTPS with a test CA made in its folder (`--tls-dir`); its control calls
    /// trust that CA, as a client given `ca_file()` does.
    pub fn start_tls(mode: Mode) -> Server {
        let dir = std::env::temp_dir().join(format!(
            "keyfill-bwserver-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let tls = dir.join("tls");
        let mut server = Self::spawn(mode, dir, "0", &["--tls-dir", tls.to_str().unwrap()]);
        let pem = std::fs::read(server.ca_file()).expect("the server made its test CA");
        server.http = NativeTransport::with_ca_pem(std::time::Duration::from_secs(30), &pem)
            .expect("the test CA is PEM");
        server
    }

    /// The test CA of a server started with `start_tls`.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("tls").join("ca.pem")
    }

    /// A stopped server back on the same port and database (the network came back).
    pub fn restart(mut self) -> Server {
        self.stop();
        let port = self.root.rsplit(':').next().unwrap().to_string();
        let dir = std::mem::take(&mut self.dir);
        let mode = self.mode;
        std::mem::forget(self);
        Self::spawn(mode, dir, &port, &[])
    }

    fn spawn(mode: Mode, dir: PathBuf, port: &str, extra: &[&str]) -> Server {
        let mut child = Command::new("python3")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/server/bwserver.py"
            ))
            .arg("--db")
            .arg(dir.join("db.sqlite"))
            .args(["--mode", mode.name(), "--port", port])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs tests/server/bwserver.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let root = line
            .trim()
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("bwserver.py said {line:?}"))
            .to_string();
        Server {
            child,
            mode,
            root,
            dir,
            http: NativeTransport::default(),
        }
    }

    /// The server's SQLite file.
    pub fn db_path(&self) -> PathBuf {
        self.dir.join("db.sqlite")
    }

    /// The address a user types: the root, or the Cozy instance's `/bitwarden`.
    pub fn base(&self) -> String {
        match self.mode {
            Mode::Vaultwarden => self.root.clone(),
            Mode::Cozy => format!("{}/bitwarden", self.root),
        }
    }

    /// A path as the server logs it (`/bitwarden` prefix in Cozy mode).
    pub fn logged(&self, path: &str) -> String {
        match self.mode {
            Mode::Vaultwarden => path.to_string(),
            Mode::Cozy => format!("/bitwarden{path}"),
        }
    }

    pub fn call(&self, method: Method, url: String, body: Option<Value>) -> (u16, Value) {
        let mut headers = Vec::new();
        if body.is_some() {
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
        }
        let resp = self
            .http
            .send_blocking(HttpRequest {
                method,
                url,
                headers,
                body: body.map(|b| b.to_string().into_bytes()),
            })
            .expect("the test server answers");
        let value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
        (resp.status, value)
    }

    /// A `/__test/...` control call; panics unless it succeeds.
    pub fn control(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/__test/{path}", self.base());
        let (status, value) = self.call(method, url, body);
        assert_eq!(status, 200, "/__test/{path}: {value}");
        value
    }

    /// Registers an account whose keys `keyfill::keys::create` made (§6.8 legacy body).
    pub fn register(&self, email: &str, password: &str) {
        // Vaultwarden refuses new PBKDF2 settings under 100 000; Cozy's docs show 10 000.
        let iterations = match self.mode {
            Mode::Vaultwarden => 100_000,
            Mode::Cozy => 10_000,
        };
        let acct = keyfill::crypto::asymmetric::ready(keys::create(
            email,
            password,
            Kdf::Pbkdf2 { iterations },
        ))
        .unwrap();
        let body = json!({
            "email": email, "name": "Test", "masterPasswordHash": acct.server_hash,
            "masterPasswordHint": null, "key": acct.wrapped_user_key,
            "kdf": 0, "kdfIterations": iterations,
            "keys": {"publicKey": acct.public_key, "encryptedPrivateKey": acct.wrapped_private_key},
        });
        let url = match self.mode {
            Mode::Vaultwarden => format!("{}/identity/accounts/register", self.root),
            Mode::Cozy => format!("{}/bitwarden/__test/register", self.root),
        };
        let (status, value) = self.call(Method::Post, url, Some(body));
        assert_eq!(status, 200, "register: {value}");
    }

    /// The requests logged since the last `reset_log`, as `METHOD PATH STATUS`.
    pub fn requests(&self) -> Vec<String> {
        let v = self.control(Method::Get, "requests", None);
        v["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} {} {}",
                    r["method"].as_str().unwrap(),
                    r["path"].as_str().unwrap(),
                    r["status"]
                )
            })
            .collect()
    }

    pub fn reset_log(&self) {
        self.control(Method::Post, "reset-log", Some(json!({})));
    }

    /// The next `count` requests `method` makes to a path fully matching the regular expression
    /// `path` (as in Vaultwarden mode: no `/bitwarden`) get `fault` instead of their answer
    /// (`500`, `502-html`, `200-html`, `400-validation`, `conflict`, `drop`). With `apply`, the
    /// request is stored first and only its answer is replaced.
    pub fn fault(&self, method: &str, path: &str, fault: &str, count: u32, apply: bool) {
        let body = json!({"method": method, "path": path, "fault": fault, "count": count,
            "apply": apply});
        self.control(Method::Post, "fault", Some(body));
    }

    /// Forgets the faults still waiting.
    pub fn clear_faults(&self) {
        self.control(Method::Post, "clear-faults", Some(json!({})));
    }

    /// The last code e-mailed to `email`.
    pub fn last_email_code(&self, email: &str) -> Option<String> {
        let v = self.control(Method::Get, &format!("emails?email={email}"), None);
        v["last"].as_str().map(str::to_string)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Vaultwarden => "vaultwarden",
            Mode::Cozy => "cozy",
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Seconds since the epoch.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
