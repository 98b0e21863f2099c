//! What Keyfill writes, the official Bitwarden CLI reads. Keyfill's core (the account path the
//! extension uses: `Remote` over a `Session`) signs up and writes folders, logins, notes, cards,
//! identities and an SSH key (non-ASCII, quotes, newlines, a long note, every URI match type and
//! custom field type, password history), edits, trashes and restores, against the test server
//! over HTTPS (Vaultwarden dialect; the official CLI cannot sign in to Cozy, see
//! docs/protocol.md §12). Then the official CLI (`@bitwarden/cli` 2026.9.0, pinned in
//! package.json) logs in and every `bw get item` must equal Keyfill's own view of the item,
//! field for field.

#[path = "api_support/bwserver.rs"]
mod bwserver;

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use bwserver::{Mode, Server};
use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::{Client, Device, OfflineQueue, Remote, ServerUrls, SyncOutcome};
use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::view::CipherView;
use serde_json::{json, Map, Value};

const EMAIL: &str = "keyfill-writer@example.test";
const PASSWORD: &str = "Keyfill «writes» ✓";
const NOW: u64 = 1_795_000_000_000;
const BW_VERSION: &str = "2026.9.0";

/// The official CLI's entry point; fails (never skips) when it is not installed.
fn bw_js() -> PathBuf {
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
struct OfficialCli<'a> {
    server: &'a Server,
    js: PathBuf,
    home: PathBuf,
    session: Option<String>,
}

impl<'a> OfficialCli<'a> {
    fn new(server: &'a Server) -> Self {
        let home = std::env::temp_dir().join(format!("keyfill-bw-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).unwrap();
        OfficialCli {
            server,
            js: bw_js(),
            home,
            session: None,
        }
    }

    /// Runs `bw ARGS --response`; the parsed `data` of a successful answer, else a panic with
    /// bw's answer, its stderr and the server's request log.
    fn bw(&self, args: &[&str]) -> Value {
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
        let answer: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        if !out.status.success() || answer["success"] != json!(true) {
            panic!(
                "bw {} failed ({}): {}\n--- bw stderr ---\n{}\n--- server requests ---\n{}",
                args.first().copied().unwrap_or(""),
                out.status,
                if answer.is_null() {
                    String::from_utf8_lossy(&out.stdout).into_owned()
                } else {
                    answer.to_string()
                },
                String::from_utf8_lossy(&out.stderr),
                self.server.requests().join("\n")
            );
        }
        answer["data"].clone()
    }

    fn login(&mut self) {
        self.bw(&["config", "server", &self.server.base()]);
        let data = self.bw(&["login", EMAIL, PASSWORD]);
        self.session = Some(data["raw"].as_str().expect("a session key").to_string());
    }
}

impl Drop for OfficialCli<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// Logs in, syncs and opens a session over HTTPS with the server's CA: the extension's path.
fn join(server: &Server) -> (Remote<NativeTransport>, RefCell<Session>) {
    let pem = std::fs::read(server.ca_file()).unwrap();
    let client = Client::new(
        NativeTransport::with_ca_pem(Duration::from_secs(30), &pem).unwrap(),
        ServerUrls::parse(&server.base()).unwrap(),
        Device::browser(2, "chrome", "33333333-3333-4333-8333-333333333333"),
    );
    let li = block_on(client.log_in(EMAIL, PASSWORD, None)).unwrap();
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

fn view(v: Value) -> CipherView {
    serde_json::from_value(v).unwrap()
}

fn long_note() -> String {
    (0..60)
        .map(|i| format!("line {i}: «quoted» \"double\" 'single' \\ tab\there — ünïcödé ✓ 日本語"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What Keyfill writes: every type, with the awkward text.
fn items(folder: &str) -> Vec<CipherView> {
    vec![
        view(json!({
            "type": 1, "name": "Shop \"Ünïcode\" «quotes»", "favorite": true, "reprompt": 1,
            "folderId": folder, "notes": "first line\nsecond line\n\ttabbed — ✓",
            "login": {
                "username": "zoë@shop.test", "password": "pa\"ss'wörd\n2",
                "totp": "otpauth://totp/Shop:zoe?secret=JBSWY3DPEHPK3PXP&issuer=Shop",
                "uris": [
                    {"uri": "https://shop.test/login", "match": null},
                    {"uri": "shop.example", "match": 0},
                    {"uri": "https://host.shop.test:8443", "match": 1},
                    {"uri": "https://shop.test/app", "match": 2},
                    {"uri": "https://shop.test/exact?q=1", "match": 3},
                    {"uri": "^https://.*\\.shop\\.test/", "match": 4},
                    {"uri": "https://never.shop.test", "match": 5}
                ]
            },
            "fields": [
                {"name": "Text «field»", "value": "multi\nline", "type": 0},
                {"name": "Hidden", "value": "s3cr3t ✓", "type": 1},
                {"name": "Boolean", "value": "true", "type": 2},
                {"name": "Linked password", "value": null, "type": 3, "linkedId": 101}
            ],
            "passwordHistory": [{"password": "older \"one\"", "lastUsedDate": "2025-01-02T03:04:05.000Z"}]
        })),
        view(json!({
            "type": 2, "name": "Long note ✎", "notes": long_note(), "secureNote": {"type": 0},
            "fields": [{"name": "Where", "value": "in the safe", "type": 0}]
        })),
        view(json!({
            "type": 3, "name": "Card «Visa»",
            "card": {"cardholderName": "Zoë O'Brien", "brand": "Visa", "number": "4111111111111111",
                     "expMonth": "7", "expYear": "2031", "code": "123"}
        })),
        view(json!({
            "type": 4, "name": "Identity Ünal",
            "identity": {
                "title": "Dr", "firstName": "Zoë", "middleName": "Q", "lastName": "Ünal",
                "address1": "1 «Rue» de l'Église", "address2": "Bât. B", "city": "Zürich",
                "state": "ZH", "postalCode": "8001", "country": "CH", "company": "ACME \"Ltd\"",
                "email": "zoe@example.test", "phone": "+41 44 000 00 00", "ssn": "756.1234.5678.97",
                "username": "zoe", "passportNumber": "X1234567", "licenseNumber": "ZH-42"
            }
        })),
        view(json!({
            "type": 5, "name": "SSH ✓",
            "sshKey": {"privateKey": "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIEcUyRqi8+JnYLnCwptPyGAYeOxwC5t5RqXE8JeD/yyM\n-----END PRIVATE KEY-----\n",
                       "publicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKri3aR5JtyHADcwzQ+YDvt30xdbGw3adc6ZQff59UhA test",
                       "keyFingerprint": "SHA256:test-fingerprint"}
        })),
        view(
            json!({"type": 1, "name": "To trash", "login": {"username": "gone", "password": "x"}}),
        ),
        view(json!({"type": 1, "name": "Trashed and restored", "login": {"username": "back"}})),
    ]
}

/// An item as two correct readers of one account both show it: null, absent and an empty list
/// mean the same; dates as milliseconds (the server keeps microseconds, JavaScript clients
/// milliseconds); the official CLI's own bookkeeping (`object`, the wrapped `key`, attachments,
/// collection ids, FIDO2 credentials, all empty or not item content) left out.
fn normalised(v: &Value) -> Value {
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
fn ms(s: &str) -> i64 {
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

#[test]
fn the_official_cli_reads_what_keyfill_wrote_field_for_field() {
    let server = Server::start_tls(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let (remote, session) = join(&server);

    let folder = remote
        .save_folder(&session, "", "Travel ✈ «home»", NOW)
        .unwrap();
    for item in items(&folder) {
        remote.save_item(&session, item, NOW).unwrap();
    }
    let report = block_on(remote.sync(&session, NOW)).unwrap();
    assert_eq!((report.pending, report.failed), (0, 0), "{report:?}");
    let id_of = |name: &str| {
        let s = session.borrow();
        let found = s.summaries().unwrap().iter().find(|r| r.name == name);
        found.unwrap_or_else(|| panic!("{name} synced")).id.clone()
    };

    // Edits: a new password (the old one goes to the history) and a new name; trash one item
    // for good and bring another back.
    let shop = id_of("Shop \"Ünïcode\" «quotes»");
    let mut edit = session.borrow().item(&shop).unwrap();
    edit.login.as_mut().unwrap().password = Some("new «secret»\nline ✓".into());
    edit.name = "Shop «renamed» \"again\"".into();
    remote.save_item(&session, edit, NOW + 1000).unwrap();
    let trashed = id_of("To trash");
    let restored = id_of("Trashed and restored");
    remote.set_trashed(&session, &trashed, true, NOW).unwrap();
    remote.set_trashed(&session, &restored, true, NOW).unwrap();
    block_on(remote.sync(&session, NOW + 2000)).unwrap();
    remote.set_trashed(&session, &restored, false, NOW).unwrap();
    let report = block_on(remote.sync(&session, NOW + 3000)).unwrap();
    assert_eq!((report.pending, report.failed), (0, 0), "{report:?}");

    let mut bw = OfficialCli::new(&server);
    bw.login();
    bw.bw(&["sync"]);

    let folders = bw.bw(&["list", "folders"]);
    let mut names: Vec<&str> = folders["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["No Folder", "Travel ✈ «home»"]);

    let summaries: Vec<(String, bool)> = session
        .borrow()
        .summaries()
        .unwrap()
        .iter()
        .map(|r| (r.id.clone(), r.deleted))
        .collect();
    assert_eq!(summaries.len(), 7);
    for (id, deleted) in &summaries {
        let ours = serde_json::to_value(session.borrow().item(id).unwrap()).unwrap();
        let theirs = bw.bw(&["get", "item", id]);
        assert_eq!(
            normalised(&theirs),
            normalised(&ours),
            "item {} (official CLI left, Keyfill right)",
            ours["name"]
        );
        assert_eq!(*deleted, id == &trashed, "{}", ours["name"]);
        // Keyfill wrote per-item keys (the server's config allows them), which bw unwrapped.
        assert!(
            theirs["key"].as_str().is_some_and(|k| k.starts_with("2.")),
            "{}",
            ours["name"]
        );
    }
    let edited = bw.bw(&["get", "item", &shop]);
    assert_eq!(edited["login"]["password"], "new «secret»\nline ✓");
    let history: Vec<&str> = edited["passwordHistory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["password"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["pa\"ss'wörd\n2", "older \"one\""]);
    let trash = bw.bw(&["list", "items", "--trash"]);
    assert_eq!(trash["data"].as_array().unwrap().len(), 1);
    assert_eq!(trash["data"][0]["id"], json!(trashed));
    let found = bw.bw(&["list", "items", "--search", "renamed"]);
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    assert_eq!(found["data"][0]["id"], json!(shop));
}
