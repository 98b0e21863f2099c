//! The API client against the Bitwarden-protocol test server (`tests/server/bwserver.py`), in
//! Vaultwarden and Cozy modes: token refresh, log-out rules, the one-request unchanged sync,
//! per-item keys only where kept, conflicts resolved by keeping both, the offline queue.

#[path = "api_support/bwserver.rs"]
mod bwserver;

use bwserver::{Mode, Server, MODES};
use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::{
    resolve_conflict, Client, ConflictResolution, Device, LoggedIn, Method, OfflineQueue,
    PendingEdit, ServerUrls, SyncOutcome,
};
use keyfill::keys::{unwrap_user_key, Keyring};
use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::encrypt::{encrypt_cipher, EncryptOptions};
use keyfill::vault::view::{CipherView, LoginView};
use keyfill::Error;
use serde_json::{json, Value};

const EMAIL: &str = "bob@example.test";
const PASSWORD: &str = "hunter2 hunter2";

fn connect(server: &Server) -> (Client<NativeTransport>, LoggedIn) {
    let client = Client::new(
        NativeTransport::default(),
        ServerUrls::parse(&server.base()).unwrap(),
        Device::cli("9d0b7c1e-5a2f-4c61-8e3d-2f1a0b9c8d7e"),
    );
    let li = block_on(client.log_in(EMAIL, PASSWORD, None)).unwrap();
    (client, li)
}

fn ring(li: &LoggedIn) -> Keyring {
    let wrapped = li.login.wrapped_user_key.as_deref().unwrap();
    Keyring::new(unwrap_user_key(li.credentials.master_key(), wrapped).unwrap())
}

fn login_view(name: &str, password: &str) -> CipherView {
    CipherView {
        kind: 1,
        name: name.into(),
        login: Some(LoginView {
            username: Some("bob".into()),
            password: Some(password.into()),
            ..LoginView::default()
        }),
        ..CipherView::default()
    }
}

fn body(ring: &Keyring, view: &CipherView, cipher_key: bool, last: Option<&str>) -> Value {
    let opts = EncryptOptions {
        existing_key: None,
        use_cipher_key: cipher_key,
        last_known_revision_date: last,
    };
    encrypt_cipher(view, ring, &opts).unwrap()
}

/// The synced vault, opened the way the extension opens it.
fn session(li: &LoggedIn, sync_text: String) -> Session {
    let material = AccountMaterial::parse(&li.credentials.prelogin.text, sync_text).unwrap();
    let mut s = Session::new();
    s.unlock_with_master_key(li.credentials.master_key(), material)
        .unwrap();
    s
}

#[test]
fn unchanged_sync_is_one_small_request() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let (client, li) = connect(&server);
        let SyncOutcome::Synced { state, .. } = block_on(client.sync_if_changed(None)).unwrap()
        else {
            panic!("first sync is full")
        };
        server.reset_log();
        let again = block_on(client.sync_if_changed(Some(&state))).unwrap();
        assert!(matches!(again, SyncOutcome::Unchanged), "{mode:?}");
        assert_eq!(
            server.requests(),
            [format!(
                "GET {} 200",
                server.logged("/api/accounts/revision-date")
            )]
        );
        // A change elsewhere makes the next one full, and the item is there.
        let saved =
            block_on(client.create_cipher(&body(&ring(&li), &login_view("A", "p"), false, None)))
                .unwrap();
        match block_on(client.sync_if_changed(Some(&state))).unwrap() {
            SyncOutcome::Synced { text, state: next } => {
                assert!(next.revision_date > state.revision_date);
                assert_eq!(next.security_stamp, state.security_stamp);
                assert_eq!(session(&li, text).item(&saved.id).unwrap().name, "A");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn tokens_refresh_before_expiry_and_on_401() {
    for mode in MODES {
        // Tokens valid for one minute: under the five-minute margin, so refreshed first.
        let server = Server::start_with(mode, &["--token-ttl", "60"]);
        server.register(EMAIL, PASSWORD);
        let (client, _) = connect(&server);
        let before = client.tokens().unwrap();
        server.reset_log();
        block_on(client.revision_date()).unwrap();
        assert_eq!(
            server.requests(),
            [
                format!("POST {} 200", server.logged("/identity/connect/token")),
                format!("GET {} 200", server.logged("/api/accounts/revision-date")),
            ],
            "{mode:?}"
        );
        assert_ne!(client.tokens().unwrap().access_token, before.access_token);

        // Tokens revoked on the server: the 401 triggers a refresh and one retry.
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let (client, _) = connect(&server);
        server.control(Method::Post, "expire-tokens", Some(json!({"email": EMAIL})));
        server.reset_log();
        block_on(client.sync()).unwrap();
        let sync = server.logged("/api/sync");
        assert_eq!(
            server.requests(),
            [
                format!("GET {sync} 401"),
                format!("POST {} 200", server.logged("/identity/connect/token")),
                format!("GET {sync} 200"),
            ],
            "{mode:?}"
        );
        // Refresh tokens revoked too: logged out.
        server.control(
            Method::Post,
            "expire-tokens",
            Some(json!({"email": EMAIL, "refresh": true})),
        );
        assert_eq!(block_on(client.sync()).unwrap_err(), Error::LoggedOut);
        assert!(client.tokens().is_none());
    }
}

#[test]
fn security_stamp_change_logs_out() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let (client, _) = connect(&server);
        let SyncOutcome::Synced { state, .. } = block_on(client.sync_if_changed(None)).unwrap()
        else {
            panic!()
        };
        server.control(
            Method::Post,
            "security-stamp",
            Some(json!({"email": EMAIL})),
        );
        // This login's tokens die with the stamp (refresh refused).
        assert_eq!(
            block_on(client.sync_if_changed(Some(&state))).unwrap_err(),
            Error::LoggedOut,
            "{mode:?}"
        );
        // A new login still finds the stamp changed since the stored sync: log out, resync.
        let (fresh, _) = connect(&server);
        assert_eq!(
            block_on(fresh.sync_if_changed(Some(&state))).unwrap_err(),
            Error::LoggedOut
        );
        let (fresh, _) = connect(&server);
        assert!(matches!(
            block_on(fresh.sync_if_changed(None)).unwrap(),
            SyncOutcome::Synced { .. }
        ));
    }
}

#[test]
fn item_keys_only_where_the_server_keeps_them() {
    for (mode, want) in [(Mode::Vaultwarden, true), (Mode::Cozy, false)] {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let (client, li) = connect(&server);
        let keyed = block_on(client.supports_cipher_keys()).unwrap();
        assert_eq!(keyed, want, "{mode:?}");
        let saved =
            block_on(client.create_cipher(&body(&ring(&li), &login_view("K", "p"), keyed, None)))
                .unwrap();
        let text = block_on(client.sync()).unwrap();
        let sync: Value = serde_json::from_str(&text).unwrap();
        let ciphers = sync.get("ciphers").or_else(|| sync.get("Ciphers")).unwrap();
        let stored = &ciphers[0];
        let key = stored
            .get("key")
            .or_else(|| stored.get("Key"))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(!key.is_null(), want, "{mode:?}: {stored}");
        let view = session(&li, text).item(&saved.id).unwrap();
        assert_eq!(view.login.unwrap().password.as_deref(), Some("p"));
    }
}

#[test]
fn conflicting_edit_keeps_both_versions() {
    let server = Server::start(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let (client, li) = connect(&server);
    let ring = ring(&li);
    let saved =
        block_on(client.create_cipher(&body(&ring, &login_view("Mail", "one"), true, None)))
            .unwrap();
    let base = saved.revision_date.clone().unwrap();
    // An edit from the revision it started at goes through.
    let mut mine = login_view("Mail", "two");
    mine.id = saved.id.clone();
    // Edits keep the item's own key.
    let stored: Value = serde_json::from_str(&saved.json).unwrap();
    let re_encrypted = EncryptOptions {
        existing_key: stored["key"].as_str(),
        use_cipher_key: false,
        last_known_revision_date: Some(&base),
    };
    let edit = encrypt_cipher(&mine, &ring, &re_encrypted).unwrap();
    let after = block_on(client.update_cipher(&saved.id, &edit)).unwrap();
    // Another client edits it meanwhile; my next edit, from the old revision, is refused.
    server.control(
        Method::Post,
        "touch-cipher",
        Some(json!({"email": EMAIL, "id": saved.id, "seconds": 5})),
    );
    let mut mine = login_view("Mail", "three");
    mine.id = saved.id.clone();
    let stale = EncryptOptions {
        last_known_revision_date: after.revision_date.as_deref(),
        ..re_encrypted
    };
    let e =
        block_on(client.update_cipher(&saved.id, &encrypt_cipher(&mine, &ring, &stale).unwrap()));
    assert_eq!(e.unwrap_err(), Error::Conflict);
    // Resync, compare, keep both.
    let theirs = session(&li, block_on(client.sync()).unwrap())
        .item(&saved.id)
        .unwrap();
    let ConflictResolution::KeepBoth(copy) = resolve_conflict(&mine, &theirs, 1_780_000_000_000)
    else {
        panic!("the versions differ")
    };
    block_on(client.create_cipher(&body(&ring, &copy, true, None))).unwrap();
    let vault = session(&li, block_on(client.sync()).unwrap())
        .vault()
        .unwrap();
    let mut rows: Vec<(String, String)> = vault
        .ciphers
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.login.as_ref().unwrap().password.clone().unwrap(),
            )
        })
        .collect();
    rows.sort();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0], ("Mail".into(), "two".into()));
    assert!(rows[1].0.starts_with("Mail (conflict 2026-"), "{rows:?}");
    assert_eq!(rows[1].1, "three");
}

#[test]
fn offline_edits_replay_in_order() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let (client, li) = connect(&server);
        let ring = ring(&li);
        let folder = ring.user_key.encrypt_str("Work").unwrap().to_string();
        let mut view = login_view("Queued", "q");
        view.folder_id = Some("local-folder".into());
        let mut q = OfflineQueue::new();
        q.push(PendingEdit::SaveFolder {
            id: "local-folder".into(),
            name: folder,
            is_new: true,
        });
        q.push(PendingEdit::SaveCipher {
            id: "local-item".into(),
            cipher: body(&ring, &view, false, None),
            last_known_revision_date: None,
            is_new: true,
        });
        q.push(PendingEdit::Trash {
            id: "local-item".into(),
        });
        // Stored as JSON while offline, replayed later.
        let mut q = OfflineQueue::from_json(&q.to_json()).unwrap();
        let report = block_on(q.replay(&client, 0));
        assert!(
            report.stopped.is_none() && report.failed == 0,
            "{mode:?}: {report:?}"
        );
        assert_eq!(report.done, 3);
        assert!(q.is_empty());
        let item_id = &report.new_ids[1].1;
        let s = session(&li, block_on(client.sync()).unwrap());
        let item = s.item(item_id).unwrap();
        assert_eq!(item.name, "Queued");
        assert!(item.deleted_date.is_some(), "{mode:?}: trashed");
        let folders = s.folders().unwrap();
        assert_eq!(folders.len(), 1);
        assert_eq!(folders[0].name, "Work");
        assert_eq!(item.folder_id.as_deref(), Some(folders[0].id.as_str()));
        // Offline: the queue keeps the edit.
        let mut q = OfflineQueue::new();
        q.push(PendingEdit::Restore {
            id: item_id.clone(),
        });
        let mut server = server;
        server.stop();
        let report = block_on(q.replay(&client, 0));
        assert_eq!(report.stopped, Some(Error::ServerUnreachable));
        assert_eq!(q.len(), 1);
    }
}
