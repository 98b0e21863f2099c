//! Tokens, sync and writes against an in-memory transport: refresh before expiry and on 401,
//! log-out rules (refused refresh, new security stamp, deleted account), the one-request
//! unchanged sync, conflicts, and per-item keys only where the server keeps them (§6.6–6.14).

#[path = "api_support/mock.rs"]
mod mock;

use keyfill::api::native::block_on;
use keyfill::api::{Method, SyncOutcome, SyncState};
use keyfill::Error;
use mock::*;
use serde_json::{json, Value};

#[test]
fn refresh_before_expiry_then_call() {
    let (c, mock, _) = client("https://vw.example.org");
    logged_in(&c, NOW + 120); // under five minutes left
    mock.answer(200, token_ok("access-2"))
        .text(200, "1700000000000");
    assert_eq!(block_on(c.revision_date()).unwrap(), 1_700_000_000_000);
    let seen = mock.seen();
    assert_eq!(seen[0].url, "https://vw.example.org/identity/connect/token");
    assert_eq!(
        field(&seen[0], "grant_type").as_deref(),
        Some("refresh_token")
    );
    assert_eq!(
        field(&seen[0], "refresh_token").as_deref(),
        Some("refresh-1")
    );
    assert_eq!(field(&seen[0], "client_id").as_deref(), Some("browser"));
    assert_eq!(
        seen[1].url,
        "https://vw.example.org/api/accounts/revision-date"
    );
    assert_eq!(seen[1].header("Authorization"), Some("Bearer access-2"));
    assert_eq!(seen[1].header("Cache-Control"), Some("no-store"));
    assert_eq!(seen[1].header("Pragma"), Some("no-cache"));
    let t = c.tokens().unwrap();
    assert_eq!(
        (t.refresh_token.as_deref(), t.expires_at),
        (Some("r-access-2"), NOW + 3600)
    );
}

#[test]
fn refresh_on_401_retries_once() {
    let (c, mock, _) = client("https://vw.example.org");
    logged_in(&c, NOW + 7200);
    mock.answer(401, json!({"error": {"code": 401}}))
        .answer(200, json!({"access_token": "access-3", "expires_in": 7200}))
        .text(200, "5");
    assert_eq!(block_on(c.revision_date()).unwrap(), 5);
    let seen = mock.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].header("Authorization"), Some("Bearer access-1"));
    assert_eq!(seen[2].header("Authorization"), Some("Bearer access-3"));
    // Cozy hands the same refresh token back or none at all: the old one is kept.
    assert_eq!(
        c.tokens().unwrap().refresh_token.as_deref(),
        Some("refresh-1")
    );
    // A second 401 after a good refresh: logged out.
    mock.answer(401, json!({}))
        .answer(200, token_ok("access-4"))
        .answer(401, json!({}));
    assert_eq!(block_on(c.revision_date()).unwrap_err(), Error::LoggedOut);
    assert!(c.tokens().is_none());
}

#[test]
fn refused_refresh_logs_out() {
    for body in [
        json!({"error": "invalid_grant"}),
        json!({"error": "invalid refresh token"}),
    ] {
        let (c, mock, _) = client("https://vw.example.org");
        logged_in(&c, NOW + 10);
        mock.answer(400, body);
        assert_eq!(block_on(c.sync()).unwrap_err(), Error::LoggedOut);
        assert!(c.tokens().is_none());
        assert_eq!(mock.seen().len(), 1, "nothing sent with a dead token");
        assert_eq!(
            block_on(c.sync()).unwrap_err(),
            Error::LoggedOut,
            "stays logged out"
        );
    }
    let (c, mock, _) = client("https://vw.example.org");
    logged_in(&c, NOW + 10);
    mock.fail(Error::ServerUnreachable);
    assert_eq!(block_on(c.sync()).unwrap_err(), Error::ServerUnreachable);
    assert!(c.tokens().is_some(), "offline is not a log-out");
}

#[test]
fn sync_skips_when_unchanged_and_logs_out_on_stamp_or_deletion() {
    let (c, mock, _) = client("https://vw.example.org");
    logged_in(&c, NOW + 7200);
    let state = SyncState {
        revision_date: 2000,
        security_stamp: Some("stamp-1".into()),
    };
    mock.text(200, "2000");
    assert!(matches!(
        block_on(c.sync_if_changed(Some(&state))).unwrap(),
        SyncOutcome::Unchanged
    ));
    assert_eq!(mock.seen().len(), 1, "one small request");
    let sync = json!({"Profile": {"SecurityStamp": "stamp-1", "Key": "2.a|b|c"}, "Ciphers": []});
    mock.text(200, "3000").answer(200, sync.clone());
    match block_on(c.sync_if_changed(Some(&state))).unwrap() {
        SyncOutcome::Synced { text, state } => {
            assert!(text.contains("Ciphers"));
            assert_eq!(state.revision_date, 3000);
            assert_eq!(state.security_stamp.as_deref(), Some("stamp-1"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(mock.seen()[2].url, "https://vw.example.org/api/sync");
    // First sync: no state, always full.
    mock.text(200, "1").answer(200, sync.clone());
    assert!(matches!(
        block_on(c.sync_if_changed(None)).unwrap(),
        SyncOutcome::Synced { .. }
    ));
    // A new security stamp: the keys or password changed elsewhere.
    let changed = json!({"profile": {"securityStamp": "stamp-2"}});
    mock.text(200, "4000").answer(200, changed);
    assert_eq!(
        block_on(c.sync_if_changed(Some(&state))).unwrap_err(),
        Error::LoggedOut
    );
    assert!(c.tokens().is_none());
    // A negative revision date: the account was deleted.
    logged_in(&c, NOW + 7200);
    mock.answer(200, json!(-62135596800000i64));
    assert_eq!(
        block_on(c.sync_if_changed(Some(&state))).unwrap_err(),
        Error::LoggedOut
    );
    assert!(c.tokens().is_none());
}

#[test]
fn writes_and_conflicts() {
    let (c, mock, _) = client("https://vw.example.org");
    logged_in(&c, NOW + 7200);
    let id = "5f1e0a86-2b7c-4c3a-9d7e-0123456789ab";
    let body = json!({"type": 1, "name": "2.a|b|c", "login": {}, "lastKnownRevisionDate": "2026-01-01T00:00:00.000Z"});
    mock.answer(400, json!({"message": "The client copy of this cipher is out of date. Resync the client and try again.", "object": "error"}));
    assert_eq!(
        block_on(c.update_cipher(id, &body)).unwrap_err(),
        Error::Conflict
    );
    let req = &mock.seen()[0];
    assert_eq!(
        (req.method, req.url.as_str()),
        (
            Method::Put,
            &*format!("https://vw.example.org/api/ciphers/{id}")
        )
    );
    let sent: Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent["lastKnownRevisionDate"], "2026-01-01T00:00:00.000Z");
    mock.answer(
        200,
        json!({"id": "new-id", "revisionDate": "2026-02-01T00:00:00Z", "object": "cipherDetails"}),
    );
    let saved = block_on(c.create_cipher(&body)).unwrap();
    assert_eq!(saved.id, "new-id");
    mock.text(200, "")
        .text(200, "")
        .text(200, "")
        .answer(200, json!({}));
    block_on(c.trash_cipher(id)).unwrap();
    block_on(c.restore_cipher(id)).unwrap();
    block_on(c.delete_cipher(id)).unwrap();
    block_on(c.update_partial(id, None, true)).unwrap();
    mock.answer(
        200,
        json!({"Id": "f1", "Name": "2.x|y|z", "RevisionDate": "2026-01-01T00:00:00Z"}),
    )
    .answer(404, json!({"error": "not found"}));
    assert_eq!(block_on(c.create_folder("2.x|y|z")).unwrap().id, "f1");
    // The server's own JSON 404 to a delete: the folder is gone already, which is what the
    // delete wanted (a retry after a lost answer).
    block_on(c.delete_folder("f1")).unwrap();
    let paths = mock.paths();
    assert_eq!(
        &paths[1..],
        [
            "POST https://vw.example.org/api/ciphers",
            &format!("PUT https://vw.example.org/api/ciphers/{id}/delete"),
            &format!("PUT https://vw.example.org/api/ciphers/{id}/restore"),
            &format!("DELETE https://vw.example.org/api/ciphers/{id}"),
            &format!("PUT https://vw.example.org/api/ciphers/{id}/partial"),
            "POST https://vw.example.org/api/folders",
            "DELETE https://vw.example.org/api/folders/f1",
        ]
    );
    // Organization items go through /ciphers/create with their collections.
    let org =
        json!({"type": 1, "name": "2.a|b|c", "organizationId": "o1", "collectionIds": ["c1"]});
    mock.answer(200, json!({"id": "x"}));
    block_on(c.create_cipher(&org)).unwrap();
    let last = mock.seen().pop().unwrap();
    assert!(last.url.ends_with("/api/ciphers/create"));
    let sent: Value = serde_json::from_slice(last.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent["collectionIds"], json!(["c1"]));
    assert_eq!(sent["cipher"]["organizationId"], "o1");
    assert!(block_on(c.delete_cipher("../sync")).is_err());
}

#[test]
fn cipher_keys_only_where_the_server_keeps_them() {
    for (status, body, want) in [
        (
            200,
            json!({"version": "2026.6.0", "object": "config"}),
            true,
        ),
        (200, json!({"version": "2024.1.9"}), false),
        (404, json!({"error": "Not Found"}), false), // Cozy
    ] {
        let (c, mock, _) = client("https://vw.example.org");
        mock.answer(status, body);
        assert_eq!(block_on(c.supports_cipher_keys()).unwrap(), want);
        assert_eq!(
            block_on(c.supports_cipher_keys()).unwrap(),
            want,
            "asked once"
        );
        assert_eq!(mock.paths(), ["GET https://vw.example.org/api/config"]);
        assert!(mock.seen()[0].header("Authorization").is_none());
    }
}
