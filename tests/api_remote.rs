//! A server account joined to the session (`api::Remote`) against the test server, in both
//! modes: edits made in the session reach the server, an edit from another client appears after
//! a sync, edits made offline are sent once the server is back, an item edited in two places
//! keeps both versions, and a local vault moves into an account.

#[path = "api_support/bwserver.rs"]
mod bwserver;

use std::cell::RefCell;

use bwserver::{Mode, Server, MODES};
use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::{Client, Device, OfflineQueue, Remote, ServerUrls, SyncOutcome};
use keyfill::crypto::Kdf;
use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::view::CipherView;
use serde_json::json;

const EMAIL: &str = "carol@example.test";
const PASSWORD: &str = "remote account password";
const NOW: u64 = 1_795_000_000_000;

fn login(name: &str, password: &str) -> CipherView {
    serde_json::from_value(json!({
        "type": 1, "name": name,
        "login": {"username": "carol", "password": password, "uris": [{"uri": "https://shop.test"}]}
    }))
    .unwrap()
}

/// Logs in with `device`, syncs, opens a session: what the worker does when an account is added.
fn join(server: &Server, device: &str) -> (Remote<NativeTransport>, RefCell<Session>) {
    let client = Client::new(
        NativeTransport::default(),
        ServerUrls::parse(&server.base()).unwrap(),
        Device::browser(2, "chrome", device),
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

fn names(session: &RefCell<Session>) -> Vec<String> {
    let mut n: Vec<String> = session
        .borrow()
        .summaries()
        .unwrap()
        .iter()
        .filter(|r| !r.deleted)
        .map(|r| r.name.clone())
        .collect();
    n.sort();
    n
}

fn save(remote: &Remote<NativeTransport>, session: &RefCell<Session>, view: CipherView) -> String {
    remote.save_item(session, view, NOW).unwrap()
}

fn sync(remote: &Remote<NativeTransport>, session: &RefCell<Session>) -> keyfill::api::SyncReport {
    block_on(remote.sync(session, NOW)).unwrap()
}

#[test]
fn edits_reach_the_server_and_edits_from_elsewhere_come_back() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let (a, sa) = join(&server, "11111111-1111-4111-8111-111111111111");
        let (b, sb) = join(&server, "22222222-2222-4222-8222-222222222222");

        let id = save(&a, &sa, login("Shop", "first"));
        let report = sync(&a, &sa);
        assert_eq!(
            (report.sent, report.pending, report.synced),
            (1, 0, true),
            "{mode:?}"
        );
        // The server gave it its own id; the local copy is the server's now.
        let server_id = sa.borrow().summaries().unwrap()[0].id.clone();
        assert_ne!(server_id, id);

        assert!(sync(&b, &sb).synced);
        assert_eq!(names(&sb), ["Shop"]);
        let mut edit = sb.borrow().item(&server_id).unwrap();
        edit.login.as_mut().unwrap().password = Some("second".into());
        save(&b, &sb, edit);
        assert_eq!(sync(&b, &sb).sent, 1);

        assert!(sync(&a, &sa).synced, "{mode:?}");
        let seen = sa.borrow().item(&server_id).unwrap();
        assert_eq!(seen.login.unwrap().password.as_deref(), Some("second"));
        // Nothing moved since: a sync is the one small request.
        server.reset_log();
        let quiet = sync(&a, &sa);
        assert!(!quiet.synced && quiet.sent == 0);
        assert_eq!(server.requests().len(), 1, "{:?}", server.requests());

        // A favourite change alone goes as the partial edit.
        let mut fav = sa.borrow().item(&server_id).unwrap();
        fav.favorite = true;
        save(&a, &sa, fav);
        // (Cozy has no `/partial`: there it is a whole update.)
        let partial = mode == Mode::Vaultwarden;
        assert_eq!(
            a.queue_json().contains("\"partial\""),
            partial,
            "{}",
            a.queue_json()
        );
        server.reset_log();
        sync(&a, &sa);
        assert_eq!(
            server.requests().iter().any(|r| r.contains("/partial")),
            partial,
            "{:?}",
            server.requests()
        );
        sync(&b, &sb);
        assert!(sb.borrow().summaries().unwrap()[0].favorite, "{mode:?}");

        // Trash and restore travel too.
        sa.borrow_mut().set_trashed(&server_id, true, NOW).unwrap();
        a.record(keyfill::api::PendingEdit::Trash {
            id: server_id.clone(),
        });
        sync(&a, &sa);
        sync(&b, &sb);
        assert!(names(&sb).is_empty(), "{mode:?}");
    }
}

#[test]
fn offline_edits_are_sent_when_the_server_is_back() {
    let mut server = Server::start(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let (a, sa) = join(&server, "33333333-3333-4333-8333-333333333333");
    let root = server.root.clone();
    server.stop();
    save(&a, &sa, login("Written offline", "pw"));
    let report = sync(&a, &sa);
    assert!(report.offline);
    assert_eq!(report.pending, 1);
    // The edit is still in the local copy and in the stored queue.
    assert_eq!(names(&sa), ["Written offline"]);
    let queue = a.queue_json();
    assert!(queue.contains("saveCipher") && !queue.contains("Written offline"));
    drop(root);

    let server = server.restart();
    let report = sync(&a, &sa);
    assert_eq!((report.sent, report.pending, report.offline), (1, 0, false));
    let (_, sb) = join(&server, "44444444-4444-4444-8444-444444444444");
    assert_eq!(names(&sb), ["Written offline"]);
}

#[test]
fn an_item_edited_in_two_places_keeps_both_versions() {
    for mode in [Mode::Vaultwarden] {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let (a, sa) = join(&server, "55555555-5555-4555-8555-555555555555");
        let (b, sb) = join(&server, "66666666-6666-4666-8666-666666666666");
        save(&a, &sa, login("Shared", "original"));
        sync(&a, &sa);
        sync(&b, &sb);
        let id = sa.borrow().summaries().unwrap()[0].id.clone();

        let mut theirs = sb.borrow().item(&id).unwrap();
        theirs.login.as_mut().unwrap().password = Some("from B".into());
        save(&b, &sb, theirs);
        sync(&b, &sb);
        // B's write is newer than what A last saw by more than the server's one-second slack.
        server.control(
            keyfill::api::Method::Post,
            "touch-cipher",
            Some(json!({"email": EMAIL, "id": id, "seconds": 5})),
        );

        let mut mine = sa.borrow().item(&id).unwrap();
        mine.login.as_mut().unwrap().password = Some("from A".into());
        save(&a, &sa, mine);
        let report = sync(&a, &sa);
        assert_eq!(report.kept_both.len(), 1, "{report:?}");
        assert!(report.kept_both[0].starts_with("Shared (conflict "));

        sync(&b, &sb);
        for s in [&sa, &sb] {
            let rows = s.borrow().summaries().unwrap().to_vec();
            let mut passwords: Vec<String> = rows
                .iter()
                .map(|r| {
                    s.borrow()
                        .item(&r.id)
                        .unwrap()
                        .login
                        .unwrap()
                        .password
                        .unwrap()
                })
                .collect();
            passwords.sort();
            assert_eq!(passwords, ["from A", "from B"]);
        }
    }
}

#[test]
fn a_local_vault_moves_into_an_account() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let mut local = Session::new();
        local
            .create_local("local password", Kdf::Pbkdf2 { iterations: 5_000 })
            .unwrap();
        let folder = local.save_folder("", "Shopping", NOW).unwrap();
        let mut filed = login("Filed", "pw1");
        filed.folder_id = Some(folder.clone());
        local.save_item(filed, NOW).unwrap();
        local.save_item(login("Loose", "pw2"), NOW).unwrap();
        let vault = local.vault().unwrap();
        let folders = vec![(folder, "Shopping".to_string())];

        let (a, sa) = join(&server, "77777777-7777-4777-8777-777777777777");
        let moved = block_on(a.upload(&sa, vault.ciphers, folders, NOW)).unwrap();
        assert_eq!(moved, 2);
        let (_, sb) = join(&server, "88888888-8888-4888-8888-888888888888");
        assert_eq!(names(&sb), ["Filed", "Loose"], "{mode:?}");
        let folders = sb.borrow().folders().unwrap();
        assert_eq!(folders.len(), 1);
        assert_eq!(folders[0].name, "Shopping");
        let filed = sb
            .borrow()
            .summaries()
            .unwrap()
            .iter()
            .find(|r| r.name == "Filed")
            .unwrap()
            .clone();
        assert_eq!(filed.folder_id.as_deref(), Some(folders[0].id.as_str()));
    }
}
