//! No edit is lost to a failing server: for each kind of fault the test server can inject (500,
//! 502 with an HTML page, 200 with an HTML page, 400 with a validation message, a dropped
//! connection, a revision conflict) and each kind of edit, after the sync the edit is either on
//! the server or still queued with its error; with the fault gone, a retry stores it. A refused
//! edit holds back later edits of the same item only.

#[path = "api_support/bwserver.rs"]
mod bwserver;

use std::cell::RefCell;

use bwserver::{Mode, Server, MODES};
use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::{Client, Device, OfflineQueue, Remote, ServerUrls, SyncOutcome, SyncReport};
use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::view::CipherView;
use serde_json::json;

const EMAIL: &str = "dave@example.test";
const PASSWORD: &str = "fault injection password";
const NOW: u64 = 1_795_000_000_000;
const FAULTS: [&str; 6] = [
    "500",
    "502-html",
    "200-html",
    "400-validation",
    "drop",
    "conflict",
];

type Account = (Remote<NativeTransport>, RefCell<Session>);

fn login(name: &str, password: &str) -> CipherView {
    serde_json::from_value(json!({
        "type": 1, "name": name,
        "login": {"username": "dave", "password": password, "uris": [{"uri": "https://bank.test"}]}
    }))
    .unwrap()
}

fn join(server: &Server, device: &str) -> Account {
    join_with(server, device, OfflineQueue::default())
}

/// `join` with a queue stored earlier (the worker restarted).
fn join_with(server: &Server, device: &str, queue: OfflineQueue) -> Account {
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
    let remote = Remote::new(client, prelogin, queue, Some(state));
    (remote, RefCell::new(session))
}

fn sync_at((r, s): &Account, now: u64) -> SyncReport {
    block_on(r.sync(s, now)).unwrap()
}

fn sync(acct: &Account) -> SyncReport {
    sync_at(acct, NOW)
}

/// The id of the (only) item or folder with this name in the local copy.
fn item_id((_, s): &Account, name: &str) -> String {
    let s = s.borrow();
    let rows = s.summaries().unwrap();
    rows.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no item {name}"))
        .id
        .clone()
}

fn folder_id((_, s): &Account, name: &str) -> String {
    s.borrow()
        .folders()
        .unwrap()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no folder {name}"))
        .id
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    SaveNew,
    SaveExisting,
    Partial,
    Trash,
    Restore,
    Delete,
    FolderSave,
    FolderDelete,
}

const OPS: [Op; 8] = [
    Op::SaveNew,
    Op::SaveExisting,
    Op::Partial,
    Op::Trash,
    Op::Restore,
    Op::Delete,
    Op::FolderSave,
    Op::FolderDelete,
];

/// What being on the server means for one edit.
enum Stored {
    /// Some live item has this name and password (a conflict's copy counts).
    Item {
        name: String,
        password: String,
    },
    Favorite(String),
    Trashed(String),
    Restored(String),
    ItemGone(String),
    Folder(String),
    FolderGone(String),
}

/// Whether the server holds the edit, as another device sees after a sync.
fn on_server(observer: &Account, stored: &Stored) -> bool {
    sync(observer);
    let s = observer.1.borrow();
    let rows = s.summaries().unwrap().to_vec();
    let item = |id: &str| s.item(id).ok();
    match stored {
        Stored::Item { name, password } => rows.iter().any(|r| {
            let v = item(&r.id).unwrap();
            !r.deleted
                && v.name.starts_with(name.as_str())
                && v.login.and_then(|l| l.password).as_deref() == Some(password)
        }),
        Stored::Favorite(id) => item(id).is_some_and(|v| v.favorite),
        Stored::Trashed(id) => item(id).is_some_and(|v| v.deleted_date.is_some()),
        Stored::Restored(id) => item(id).is_some_and(|v| v.deleted_date.is_none()),
        Stored::ItemGone(id) => item(id).is_none(),
        Stored::Folder(name) => s.folders().unwrap().iter().any(|f| &f.name == name),
        Stored::FolderGone(id) => s.folders().unwrap().iter().all(|f| &f.id != id),
    }
}

/// Sets the server up for `op` (through a clean sync), makes the edit locally, and says which
/// request carries it, what name the queue shows, and what being stored looks like.
fn make_edit(a: &Account, op: Op, tag: &str) -> (&'static str, String, String, Stored) {
    let (r, s) = a;
    let name = format!("{op:?} {tag}");
    let existing = |trashed: bool| {
        r.save_item(s, login(&name, "old"), NOW).unwrap();
        sync(a);
        let id = item_id(a, &name);
        if trashed {
            r.set_trashed(s, &id, true, NOW).unwrap();
            sync(a);
        }
        assert_eq!(r.pending(), 0, "{name}: set up");
        id
    };
    match op {
        Op::SaveNew => {
            r.save_item(s, login(&name, "new"), NOW).unwrap();
            let stored = Stored::Item {
                name: name.clone(),
                password: "new".into(),
            };
            ("POST", "/api/ciphers".into(), name, stored)
        }
        Op::SaveExisting => {
            let id = existing(false);
            let mut v = s.borrow().item(&id).unwrap();
            v.login.as_mut().unwrap().password = Some("new".into());
            r.save_item(s, v, NOW).unwrap();
            let stored = Stored::Item {
                name: name.clone(),
                password: "new".into(),
            };
            ("PUT", format!("/api/ciphers/{id}"), name, stored)
        }
        Op::Partial => {
            let id = existing(false);
            let mut v = s.borrow().item(&id).unwrap();
            v.favorite = true;
            r.save_item(s, v, NOW).unwrap();
            let path = format!("/api/ciphers/{id}/partial");
            ("PUT", path, name, Stored::Favorite(id))
        }
        Op::Trash => {
            let id = existing(false);
            r.set_trashed(s, &id, true, NOW).unwrap();
            let path = format!("/api/ciphers/{id}/delete");
            ("PUT", path, name, Stored::Trashed(id))
        }
        Op::Restore => {
            let id = existing(true);
            r.set_trashed(s, &id, false, NOW).unwrap();
            let path = format!("/api/ciphers/{id}/restore");
            ("PUT", path, name, Stored::Restored(id))
        }
        Op::Delete => {
            let id = existing(true);
            r.purge(s, &id).unwrap();
            (
                "DELETE",
                format!("/api/ciphers/{id}"),
                name,
                Stored::ItemGone(id),
            )
        }
        Op::FolderSave => {
            r.save_folder(s, "", &name, NOW).unwrap();
            (
                "POST",
                "/api/folders".into(),
                name.clone(),
                Stored::Folder(name),
            )
        }
        Op::FolderDelete => {
            r.save_folder(s, "", &name, NOW).unwrap();
            sync(a);
            let id = folder_id(a, &name);
            r.delete_folder(s, &id).unwrap();
            let path = format!("/api/folders/{id}");
            ("DELETE", path, name, Stored::FolderGone(id))
        }
    }
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::SaveNew | Op::SaveExisting => "saveCipher",
        Op::Partial => "partial",
        Op::Trash => "trash",
        Op::Restore => "restore",
        Op::Delete => "delete",
        Op::FolderSave => "saveFolder",
        Op::FolderDelete => "deleteFolder",
    }
}

#[test]
fn no_fault_loses_an_edit_and_a_retry_stores_it() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let a = join(&server, "a1a1a1a1-1111-4111-8111-111111111111");
        let observer = join(&server, "b2b2b2b2-2222-4222-8222-222222222222");
        for fault in FAULTS {
            for op in OPS {
                // Cozy has no `/partial`: a favourite goes as a whole save there.
                if op == Op::Partial && mode == Mode::Cozy {
                    continue;
                }
                let case = format!("{mode:?} {op:?} {fault}");
                let (method, path, name, stored) = make_edit(&a, op, fault);
                server.fault(method, &path, fault, 1, false);
                let report = sync(&a);
                let queued = a.0.unsynced(&a.1.borrow());
                let is_stored = on_server(&observer, &stored);
                assert!(is_stored || !queued.is_empty(), "{case}: the edit was lost");
                let refused_save = fault == "conflict" && op == Op::SaveExisting;
                if refused_save {
                    // Keep both: the user's version is on the server as a copy.
                    assert!(is_stored && queued.is_empty(), "{case}: {queued:?}");
                    assert_eq!(report.kept_both.len(), 1, "{case}: {report:?}");
                    let kept = a.0.kept_both(&a.1.borrow());
                    assert_eq!(kept.len(), 1, "{case}");
                    assert!(kept[0].name.starts_with(&format!("{name} (conflict ")));
                    a.0.resolve_kept_both(&kept[0].id).unwrap();
                    assert!(a.0.kept_both(&a.1.borrow()).is_empty());
                    server.clear_faults();
                    continue;
                }
                assert!(!is_stored, "{case}: the fault answered before storing");
                assert_eq!(queued.len(), 1, "{case}: {queued:?}");
                let edit = &queued[0];
                assert_eq!(edit.op, op_name(op), "{case}");
                assert_eq!(
                    edit.name, name,
                    "{case}: the queue names what the edit is about"
                );
                if fault == "drop" {
                    assert!(report.offline, "{case}: {report:?}");
                } else {
                    let error = edit.error.as_ref().expect("the error is kept");
                    assert!(!error.message.is_empty(), "{case}");
                    if fault == "conflict" {
                        assert_eq!(error.code, "conflict", "{case}");
                    }
                    if fault == "400-validation" {
                        assert!(
                            error.message.contains("Name is invalid"),
                            "{case}: {error:?}"
                        );
                    }
                    assert_eq!(edit.attempts, 1, "{case}");
                    assert_eq!(edit.retry_at, Some(NOW + 30_000), "{case}");
                    assert_eq!((report.failed, report.pending), (1, 1), "{case}");
                }
                // The fault is gone; the user (or the back-off) retries.
                server.clear_faults();
                a.0.retry_edit(&edit.key).unwrap();
                let report = sync(&a);
                assert_eq!((report.sent, report.pending), (1, 0), "{case}: {report:?}");
                assert!(on_server(&observer, &stored), "{case}: stored on retry");
            }
        }
    }
}

#[test]
fn answers_lost_after_storing_lose_nothing() {
    let server = Server::start(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let a = join(&server, "c3c3c3c3-3333-4333-8333-333333333333");
    let observer = join(&server, "d4d4d4d4-4444-4444-8444-444444444444");
    for op in [Op::SaveNew, Op::Delete, Op::FolderDelete, Op::Trash] {
        for fault in ["drop", "200-html", "502-html"] {
            let case = format!("{op:?} {fault}");
            let (method, path, _, stored) = make_edit(&a, op, &format!("{fault} applied"));
            server.fault(method, &path, fault, 1, true);
            sync(&a);
            // Stored, but the client could not know: still queued.
            assert!(on_server(&observer, &stored), "{case}");
            let queued = a.0.unsynced(&a.1.borrow());
            assert_eq!(queued.len(), 1, "{case}");
            a.0.retry_edit(&queued[0].key).unwrap();
            // An item already gone is deleted; a create comes again (a duplicate, never a
            // loss). A folder already gone is refused as "Invalid folder" (400, as Vaultwarden
            // answers): it stays queued with that error until the user discards it.
            let report = sync(&a);
            if op == Op::FolderDelete {
                let queued = a.0.unsynced(&a.1.borrow());
                let error = queued[0].error.as_ref().unwrap();
                assert!(
                    error.message.contains("Invalid folder"),
                    "{case}: {error:?}"
                );
                a.0.discard_edit(&queued[0].key).unwrap();
            } else {
                assert_eq!(report.pending, 0, "{case}: {report:?}");
            }
            assert_eq!(a.0.pending(), 0, "{case}");
            assert!(on_server(&observer, &stored), "{case}");
        }
    }
}

#[test]
fn a_refused_edit_holds_back_its_own_item_only() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let a = join(&server, "e5e5e5e5-5555-4555-8555-555555555555");
        let (r, s) = &a;
        r.save_item(s, login("P", "p0"), NOW).unwrap();
        r.save_item(s, login("Q", "q0"), NOW).unwrap();
        sync(&a);
        let (p, q) = (item_id(&a, "P"), item_id(&a, "Q"));

        let mut v = s.borrow().item(&p).unwrap();
        v.login.as_mut().unwrap().password = Some("p1".into());
        r.save_item(s, v, NOW).unwrap();
        let mut v = s.borrow().item(&q).unwrap();
        v.login.as_mut().unwrap().password = Some("q1".into());
        r.save_item(s, v, NOW).unwrap();
        r.set_trashed(s, &p, true, NOW).unwrap();
        // A folder whose creation is refused, and a new item filed in it.
        r.save_folder(s, "", "Refused folder", NOW).unwrap();
        let local_folder = folder_id(&a, "Refused folder");
        let mut filed = login("Filed", "f0");
        filed.folder_id = Some(local_folder);
        r.save_item(s, filed, NOW).unwrap();

        server.fault(
            "PUT",
            &format!("/api/ciphers/{p}"),
            "400-validation",
            1,
            false,
        );
        server.fault("POST", "/api/folders", "400-validation", 1, false);
        server.reset_log();
        let report = sync(&a);
        assert_eq!((report.sent, report.failed), (1, 2), "{mode:?}: {report:?}");
        let sent: Vec<String> = server.requests();
        assert!(
            sent.iter()
                .any(|l| l.contains(&format!("/api/ciphers/{q} 200"))),
            "{mode:?}: Q's edit went through: {sent:?}"
        );
        assert!(
            !sent
                .iter()
                .any(|l| l.contains("/delete") || l.contains("POST /api/ciphers ")),
            "{mode:?}: P's trash and the filed item wait: {sent:?}"
        );
        let queued = r.unsynced(&s.borrow());
        let shown: Vec<(&str, &str, bool)> = queued
            .iter()
            .map(|e| (e.op, e.name.as_str(), e.error.is_some()))
            .collect();
        assert_eq!(
            shown,
            [
                ("saveCipher", "P", true),
                ("trash", "P", false),
                ("saveFolder", "Refused folder", true),
                ("saveCipher", "Filed", false),
            ],
            "{mode:?}"
        );
        // The sync replaced the local copy with the server's, and what still waits went back on
        // top: the vault shows (and fills) what the user wrote, not the server's older version.
        assert!(report.synced, "{mode:?}");
        let shown = s.borrow().item(&p).unwrap();
        assert_eq!(
            shown.login.as_ref().unwrap().password.as_deref(),
            Some("p1"),
            "{mode:?}"
        );
        assert!(shown.deleted_date.is_some(), "{mode:?}");
        let kept_folder = folder_id(&a, "Refused folder");
        let filed_here = s.borrow().item(&item_id(&a, "Filed")).unwrap();
        assert_eq!(filed_here.folder_id, Some(kept_folder), "{mode:?}");
        // Before the back-off ends nothing is sent again; after it, everything goes, in order.
        server.reset_log();
        assert_eq!(sync_at(&a, NOW + 10_000).sent, 0);
        assert!(
            !server
                .requests()
                .iter()
                .any(|l| !l.contains("revision-date")),
            "{:?}",
            server.requests()
        );
        let report = sync_at(&a, NOW + 30_001);
        assert_eq!(
            (report.sent, report.pending),
            (4, 0),
            "{mode:?}: {report:?}"
        );
        let observer = join(&server, "f6f6f6f6-6666-4666-8666-666666666666");
        let o = observer.1.borrow();
        assert!(o.item(&p).unwrap().deleted_date.is_some());
        assert_eq!(
            o.item(&p).unwrap().login.unwrap().password.as_deref(),
            Some("p1")
        );
        let filed = o
            .summaries()
            .unwrap()
            .iter()
            .find(|r| r.name == "Filed")
            .unwrap()
            .clone();
        let folder = o.folders().unwrap();
        assert_eq!(filed.folder_id.as_deref(), Some(folder[0].id.as_str()));
    }
}

#[test]
fn back_off_doubles_to_a_cap_and_the_queue_survives_a_restart() {
    let server = Server::start(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let a = join(&server, "a7a7a7a7-7777-4777-8777-777777777777");
    a.0.save_item(&a.1, login("Stubborn", "s"), NOW).unwrap();
    server.fault("POST", "/api/ciphers", "500", 100, false);
    let mut now = NOW;
    let mut waits = Vec::new();
    for _ in 0..9 {
        sync_at(&a, now);
        let e = &a.0.unsynced(&a.1.borrow())[0];
        waits.push(e.retry_at.unwrap() - now);
        now = e.retry_at.unwrap();
    }
    assert_eq!(
        waits,
        [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]
    );
    // What the worker stores, read back after a restart: the same edit, error, attempts.
    let stored = a.0.queue_json();
    let before = a.0.unsynced(&a.1.borrow());
    let again = OfflineQueue::from_json(&stored).unwrap();
    assert_eq!(again.to_json(), stored);
    assert_eq!(again.edits[0].attempts, 9);
    assert_eq!(again.edits[0].key, before[0].key);
    assert_eq!(again.edits[0].error.as_ref().unwrap().code, "server");
    assert!(
        !stored.contains("Stubborn"),
        "names stay encrypted: {stored}"
    );
    // A queue stored before edits had keys and errors still loads, each edit with a key.
    let old =
        OfflineQueue::from_json(r#"{"edits":[{"op":"trash","id":"x"},{"op":"delete","id":"y"}]}"#)
            .unwrap();
    let keys: Vec<&str> = old.edits.iter().map(|e| e.key.as_str()).collect();
    assert!(keys[0] != keys[1] && !keys[0].is_empty(), "{keys:?}");
    assert!(old
        .edits
        .iter()
        .all(|e| e.error.is_none() && e.attempts == 0));
}

#[test]
fn the_user_keeps_a_copy_discards_or_retries_and_kept_copies_survive_a_restart() {
    let server = Server::start(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let device = "a8a8a8a8-8888-4888-8888-888888888888";
    let a = join(&server, device);
    let b = join(&server, "b9b9b9b9-9999-4999-8999-999999999999");
    let (r, s) = &a;
    for name in ["Gone", "Trashy", "Shared"] {
        r.save_item(s, login(name, "0"), NOW).unwrap();
    }
    sync(&a);
    sync(&b);
    let (gone, trashy, shared) = (
        item_id(&a, "Gone"),
        item_id(&a, "Trashy"),
        item_id(&a, "Shared"),
    );

    // Deleted elsewhere while edited here: the save is refused (404) and stays queued.
    b.0.set_trashed(&b.1, &gone, true, NOW).unwrap();
    b.0.purge(&b.1, &gone).unwrap();
    sync(&b);
    let mut v = s.borrow().item(&gone).unwrap();
    v.login.as_mut().unwrap().password = Some("mine".into());
    r.save_item(s, v, NOW).unwrap();
    server.fault(
        "PUT",
        &format!("/api/ciphers/{trashy}/delete"),
        "400-validation",
        1,
        false,
    );
    r.set_trashed(s, &trashy, true, NOW).unwrap();
    server.fault(
        "PUT",
        &format!("/api/ciphers/{shared}"),
        "conflict",
        1,
        false,
    );
    let mut v = s.borrow().item(&shared).unwrap();
    v.login.as_mut().unwrap().password = Some("here".into());
    r.save_item(s, v, NOW).unwrap();
    let report = sync(&a);
    assert_eq!(report.failed, 2, "{report:?}");
    let queued = r.unsynced(&s.borrow());
    let codes: Vec<(&str, &str)> = queued
        .iter()
        .map(|e| (e.name.as_str(), e.error.as_ref().unwrap().code.as_str()))
        .collect();
    assert_eq!(codes, [("Gone", "not_found"), ("Trashy", "server")]);
    let (save_key, trash_key) = (queued[0].key.clone(), queued[1].key.clone());

    assert_eq!(
        r.keep_local_copy(s, &trash_key, NOW).unwrap_err().code(),
        "unsupported"
    );
    assert_eq!(r.retry_edit("nope").unwrap_err().code(), "not_found");
    assert_eq!(r.discard_edit("nope").unwrap_err().code(), "not_found");
    assert_eq!(
        r.keep_local_copy(s, "nope", NOW).unwrap_err().code(),
        "not_found"
    );
    // The user keeps their version as an item of its own, and lets the trash go.
    r.keep_local_copy(s, &save_key, NOW).unwrap();
    let queued = r.unsynced(&s.borrow());
    assert_eq!(queued[0].key, save_key);
    assert!(queued[0].error.is_none() && queued[0].retry_at.is_none());
    r.discard_edit(&trash_key).unwrap();
    let report = sync(&a);
    assert_eq!((report.sent, report.pending), (1, 0), "{report:?}");
    sync(&b);
    let names_passwords: Vec<(String, String)> = {
        let o = b.1.borrow();
        let mut v: Vec<(String, String)> = o
            .summaries()
            .unwrap()
            .iter()
            .filter(|r| !r.deleted)
            .map(|r| {
                let item = o.item(&r.id).unwrap();
                (item.name, item.login.unwrap().password.unwrap())
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(names_passwords.len(), 4, "{names_passwords:?}");
    assert_eq!(names_passwords[0], ("Gone".into(), "mine".into()));
    assert!(
        names_passwords[2].0.starts_with("Shared (conflict "),
        "{names_passwords:?}"
    );
    assert_eq!(names_passwords[2].1, "here");
    assert_eq!(
        names_passwords[3],
        ("Trashy".into(), "0".into()),
        "discarded: not trashed"
    );

    // The kept copy is listed by name after a worker restart (from the stored queue) until the
    // user resolves it.
    let kept = r.kept_both(&s.borrow());
    assert_eq!(kept.len(), 1);
    let stored = r.queue_json();
    assert!(!stored.contains("Shared"), "{stored}");
    let again = join_with(&server, device, OfflineQueue::from_json(&stored).unwrap());
    let kept_again = again.0.kept_both(&again.1.borrow());
    assert_eq!(kept_again, kept);
    assert!(kept_again[0].name.starts_with("Shared (conflict "));
    again.0.resolve_kept_both(&kept[0].id).unwrap();
    assert!(again.0.kept_both(&again.1.borrow()).is_empty());
    assert_eq!(
        again.0.resolve_kept_both(&kept[0].id).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn after_a_discard_the_next_sync_brings_the_servers_version_back() {
    let server = Server::start(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let a = join(&server, "c7c7c7c7-7777-4777-8777-777777777777");
    let (r, s) = &a;
    r.save_item(s, login("Kept", "k0"), NOW).unwrap();
    sync(&a);
    let id = item_id(&a, "Kept");
    server.fault(
        "PUT",
        &format!("/api/ciphers/{id}"),
        "400-validation",
        1,
        false,
    );
    let mut v = s.borrow().item(&id).unwrap();
    v.login.as_mut().unwrap().password = Some("refused".into());
    r.save_item(s, v, NOW).unwrap();
    assert_eq!(sync(&a).failed, 1);
    let password = |s: &RefCell<Session>| s.borrow().item(&id).unwrap().login.unwrap().password;
    assert_eq!(
        password(s).as_deref(),
        Some("refused"),
        "kept on top until decided"
    );

    let key = r.unsynced(&s.borrow())[0].key.clone();
    r.discard_edit(&key).unwrap();
    // Nothing else moved on the server, yet the next sync downloads again.
    let report = sync(&a);
    assert!(report.synced && report.pending == 0, "{report:?}");
    assert_eq!(password(s).as_deref(), Some("k0"));
}
