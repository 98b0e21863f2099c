//! What Keyfill writes, the official Bitwarden CLI reads. Keyfill's core (the account path the
//! extension uses: `Remote` over a `Session`) signs up and writes folders, logins, notes, cards,
//! identities and an SSH key (non-ASCII, quotes, newlines, a long note, every URI match type and
//! custom field type, password history), edits, trashes and restores, against the test server
//! over HTTPS (Vaultwarden dialect; the official CLI cannot sign in to Cozy, see
//! docs/protocol.md §12). Then the official CLI (`@bitwarden/cli` 2026.9.0, pinned in
//! package.json) logs in and every item it lists must equal Keyfill's own view of the item,
//! field for field; and Keyfill's export imports into a fresh account with
//! `bw import bitwardenjson` with nothing lost.

#[path = "api_support/bwserver.rs"]
mod bwserver;
#[path = "api_support/official_cli.rs"]
mod official_cli;

use bwserver::{Mode, Server};
use keyfill::api::native::block_on;
use keyfill::vault::view::CipherView;
use official_cli::{join, normalised, OfficialCli};
use serde_json::{json, Value};

const EMAIL: &str = "keyfill-writer@example.test";
const PASSWORD: &str = "Keyfill «writes» ✓";
const NOW: u64 = 1_795_000_000_000;

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

#[test]
fn the_official_cli_reads_what_keyfill_wrote_field_for_field() {
    let server = Server::start_tls(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let (remote, session) = join(
        &server,
        EMAIL,
        PASSWORD,
        "33333333-3333-4333-8333-333333333333",
    );

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
    bw.login(EMAIL, PASSWORD);
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
    // `bw list items` gives whole items (as `bw get item` does), the trash separately.
    let listed = bw.bw(&["list", "items"]);
    let trash = bw.bw(&["list", "items", "--trash"]);
    let official: Vec<&Value> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(trash["data"].as_array().unwrap())
        .collect();
    assert_eq!(official.len(), 7);
    for (id, deleted) in &summaries {
        let ours = serde_json::to_value(session.borrow().item(id).unwrap()).unwrap();
        let theirs = official.iter().find(|i| i["id"] == json!(id));
        let theirs = theirs.unwrap_or_else(|| panic!("bw lists {}", ours["name"]));
        assert_eq!(
            normalised(theirs),
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
    assert_eq!(trash["data"].as_array().unwrap().len(), 1);
    assert_eq!(trash["data"][0]["id"], json!(trashed));
    let edited = bw.bw(&["get", "item", &shop]);
    assert_eq!(edited["login"]["password"], "new «secret»\nline ✓");
    let history: Vec<&str> = edited["passwordHistory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["password"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["pa\"ss'wörd\n2", "older \"one\""]);
    let found = bw.bw(&["list", "items", "--search", "renamed"]);
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    assert_eq!(found["data"][0]["id"], json!(shop));
}

/// An export item compared by content only: a fresh account gives new ids and dates, and the
/// folder is named instead of referenced.
fn content(item: &Value, folders: &Value) -> Value {
    let mut v = normalised(item);
    let o = v.as_object_mut().unwrap();
    for k in ["id", "creationDate", "revisionDate", "deletedDate"] {
        o.remove(k);
    }
    if let Some(fid) = o.remove("folderId") {
        let name = folders
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == fid)
            .map(|f| f["name"].clone());
        o.insert(
            "folder".into(),
            name.expect("the item's folder is exported"),
        );
    }
    if let Some(login) = o.get_mut("login").and_then(Value::as_object_mut) {
        // Bitwarden's export format has no passwordRevisionDate (Keyfill's keeps it).
        login.remove("passwordRevisionDate");
    }
    v
}

fn contents(export: &Value) -> Vec<Value> {
    let mut items: Vec<Value> = export["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| content(i, &export["folders"]))
        .collect();
    items.sort_by_key(|i| i["name"].as_str().unwrap().to_string());
    items
}

#[test]
fn keyfill_s_export_imports_into_the_official_client_with_nothing_lost() {
    let server = Server::start_tls(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let (remote, session) = join(
        &server,
        EMAIL,
        PASSWORD,
        "44444444-4444-4444-8444-444444444444",
    );
    let folder = remote
        .save_folder(&session, "", "Travel ✈ «home»", NOW)
        .unwrap();
    for item in items(&folder) {
        remote.save_item(&session, item, NOW).unwrap();
    }
    block_on(remote.sync(&session, NOW)).unwrap();
    // What `keyfill sync` / `keyfill export` write.
    let (ours, notes) = keyfill::vault::export::to_json_export(&session.borrow().vault().unwrap());
    assert!(notes.skipped.is_empty() && notes.partial.is_empty());

    let other = "fresh-account@example.test";
    server.register(other, PASSWORD);
    let mut bw = OfficialCli::new(&server);
    bw.login(other, PASSWORD);
    let file = bw.home.join("keyfill-export.json");
    std::fs::write(&file, serde_json::to_string_pretty(&ours).unwrap()).unwrap();
    bw.bw(&["import", "bitwardenjson", file.to_str().unwrap()]);
    bw.bw(&["sync"]);
    let out = bw.home.join("official-export.json");
    bw.bw(&[
        "export",
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    let theirs: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();

    assert_eq!(theirs["items"].as_array().unwrap().len(), 7);
    assert_eq!(theirs["folders"][0]["name"], "Travel ✈ «home»");
    assert_eq!(contents(&theirs), contents(&ours));
}
