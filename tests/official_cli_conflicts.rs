//! One item edited by the official Bitwarden CLI and by Keyfill (the core's account path, as the
//! extension runs it), in both orders, on the test server over HTTPS. Keyfill's rule
//! (docs/protocol.md §11): no edit is lost; when the server refuses Keyfill's save because the
//! item changed there, the server's version stays and Keyfill's becomes a copy named
//! "<name> (conflict …)". The official client refuses to overwrite a newer item too (the server
//! answers "out of date" to its stale copy), syncs and edits again. Afterwards the official CLI
//! still reads the whole account.

#[path = "api_support/bwserver.rs"]
mod bwserver;
#[path = "api_support/official_cli.rs"]
mod official_cli;

use std::cell::RefCell;

use bwserver::{Mode, Server};
use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::{Method, Remote};
use keyfill::session::Session;
use keyfill::vault::view::CipherView;
use official_cli::{join, OfficialCli};
use serde_json::{json, Value};

const EMAIL: &str = "both-sides@example.test";
const PASSWORD: &str = "two clients, one item";
const NOW: u64 = 1_795_000_000_000;

fn login(name: &str, password: &str) -> CipherView {
    serde_json::from_value(json!({
        "type": 1, "name": name,
        "login": {"username": "sam", "password": password, "uris": [{"uri": "https://shared.test"}]}
    }))
    .unwrap()
}

fn sync(remote: &Remote<NativeTransport>, session: &RefCell<Session>) -> keyfill::api::SyncReport {
    block_on(remote.sync(session, NOW)).unwrap()
}

/// "Time passes" on the server: the item's revision date moves 5 s ahead, past the one-second
/// slack Vaultwarden allows a stale copy (§6.10), without sleeping.
fn later(server: &Server, id: &str) {
    server.control(
        Method::Post,
        "touch-cipher",
        Some(json!({"email": EMAIL, "id": id, "seconds": 5})),
    );
}

fn bw_edit_password(bw: &OfficialCli, id: &str, password: &str) -> (bool, Value) {
    let mut item = bw.bw(&["get", "item", id]);
    item["login"]["password"] = json!(password);
    let encoded = base64_json(&item);
    bw.attempt(&["edit", "item", id, &encoded])
}

fn base64_json(v: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(v.to_string())
}

/// Every readable item's (name, password) as the official CLI lists them, sorted.
fn official_view(bw: &OfficialCli) -> Vec<(String, String)> {
    bw.bw(&["sync"]);
    let list = bw.bw(&["list", "items"]);
    let mut out: Vec<(String, String)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["login"]["password"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn an_item_edited_by_both_clients_keeps_both_versions_in_either_order() {
    let server = Server::start_tls(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let (remote, session) = join(
        &server,
        EMAIL,
        PASSWORD,
        "55555555-5555-4555-8555-555555555555",
    );
    remote
        .save_item(&session, login("Shared", "original"), NOW)
        .unwrap();
    sync(&remote, &session);
    let id = session.borrow().summaries().unwrap()[0].id.clone();
    let mut bw = OfficialCli::new(&server);
    bw.login(EMAIL, PASSWORD);

    // 1. The official CLI edits first; Keyfill edits its older copy, then syncs.
    let (ok, answer) = bw_edit_password(&bw, &id, "from bw");
    assert!(ok, "{answer}");
    later(&server, &id);
    let mut mine = session.borrow().item(&id).unwrap();
    mine.login.as_mut().unwrap().password = Some("from keyfill".into());
    remote.save_item(&session, mine, NOW).unwrap();
    let report = sync(&remote, &session);
    assert_eq!(report.kept_both.len(), 1, "{report:?}");
    assert!(
        report.kept_both[0].starts_with("Shared (conflict "),
        "{report:?}"
    );
    let copy = report.kept_both[0].clone();
    assert_eq!(
        official_view(&bw),
        [
            ("Shared".to_string(), "from bw".to_string()),
            (copy.clone(), "from keyfill".to_string()),
        ]
    );

    // 2. Keyfill edits first and syncs; the official CLI's copy is now stale.
    let mut mine = session.borrow().item(&id).unwrap();
    mine.login.as_mut().unwrap().password = Some("keyfill again".into());
    remote.save_item(&session, mine, NOW).unwrap();
    assert_eq!(sync(&remote, &session).pending, 0);
    later(&server, &id);
    // bw edits from the copy it synced before Keyfill's edit: the server refuses it whole.
    let stale = bw.bw(&["get", "item", &id]);
    assert_eq!(stale["login"]["password"], "from bw");
    let mut edited = stale.clone();
    edited["login"]["password"] = json!("bw again");
    let (ok, answer) = bw.attempt(&["edit", "item", &id, &base64_json(&edited)]);
    assert!(
        !ok,
        "a stale copy must not overwrite Keyfill's edit: {answer}"
    );
    assert!(
        answer.to_string().contains("out of date"),
        "the server's refusal reaches the user: {answer}"
    );
    // After a sync the official CLI sees Keyfill's version and can edit it.
    assert!(official_view(&bw).contains(&("Shared".to_string(), "keyfill again".to_string())));
    let (ok, answer) = bw_edit_password(&bw, &id, "bw again");
    assert!(ok, "{answer}");
    sync(&remote, &session);
    let seen = session.borrow().item(&id).unwrap();
    assert_eq!(seen.login.unwrap().password.as_deref(), Some("bw again"));
    assert_eq!(
        official_view(&bw),
        [
            ("Shared".to_string(), "bw again".to_string()),
            (copy, "from keyfill".to_string()),
        ]
    );
}
