//! The local vault: created, edited, stored, re-opened with the password and with a resume token.

use keyfill::crypto::Kdf;
use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::view::CipherView;

const PASSWORD: &str = "local vault password";
const NOW: u64 = 1_795_000_000_000;

fn new_vault() -> (Session, String) {
    let mut s = Session::new();
    let prelogin = s
        .create_local(PASSWORD, Kdf::Pbkdf2 { iterations: 5_000 })
        .unwrap();
    (s, prelogin)
}

fn login(name: &str, user: &str, pw: &str, uri: &str) -> CipherView {
    serde_json::from_value(serde_json::json!({
        "type": 1, "name": name,
        "login": {"username": user, "password": pw, "uris": [{"uri": uri, "match": null}]}
    }))
    .unwrap()
}

fn reopen(s: &Session, prelogin: &str) -> Session {
    let material = AccountMaterial::parse(prelogin, s.material_json().unwrap()).unwrap();
    let mut again = Session::new();
    again.unlock("", PASSWORD, material).unwrap();
    again
}

#[test]
fn a_new_vault_is_empty_and_reopens_with_its_password_only() {
    let (s, prelogin) = new_vault();
    assert!(s.summaries().unwrap().is_empty());
    let again = reopen(&s, &prelogin);
    assert!(again.summaries().unwrap().is_empty());
    let material = AccountMaterial::parse(&prelogin, s.material_json().unwrap()).unwrap();
    let err = Session::new().unlock("", "not it", material).unwrap_err();
    assert_eq!(err.code(), "wrong_password");
}

#[test]
fn the_stored_vault_holds_no_plaintext() {
    let (mut s, _) = new_vault();
    s.save_item(
        login(
            "Bank of Tests",
            "alice@bank.test",
            "s3cret-Pa55",
            "https://bank.test",
        ),
        NOW,
    )
    .unwrap();
    s.save_folder("", "Money matters", NOW).unwrap();
    let stored = s.material_json().unwrap();
    for plain in [
        "Bank of Tests",
        "alice@bank.test",
        "s3cret-Pa55",
        "bank.test",
        "Money matters",
        PASSWORD,
    ] {
        assert!(!stored.contains(plain), "{plain} stored in clear");
    }
}

#[test]
fn saved_items_list_match_search_and_survive_a_reopen() {
    let (mut s, prelogin) = new_vault();
    let id = s
        .save_item(
            login("Bank", "alice", "pw-1", "https://bank.test/login"),
            NOW,
        )
        .unwrap();
    let rows = s.summaries().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].name.as_str(), rows[0].subtitle.as_str()),
        ("Bank", "alice")
    );
    let found = s.candidates_for("https://www.bank.test/").unwrap();
    assert_eq!(found[0].id, id);
    assert!(s.candidates_for("https://evil.test/").unwrap().is_empty());
    assert_eq!(s.search("ban", &Default::default(), 10).unwrap().len(), 1);

    let again = reopen(&s, &prelogin);
    let item = again.item(&id).unwrap();
    assert_eq!(item.login.unwrap().password.as_deref(), Some("pw-1"));
    assert!(item.creation_date.is_some() && item.revision_date.is_some());
}

#[test]
fn editing_a_password_keeps_the_old_one_in_history_and_refreshes_indexes() {
    let (mut s, prelogin) = new_vault();
    let id = s
        .save_item(login("Bank", "alice", "old-pw", "https://bank.test"), NOW)
        .unwrap();
    assert_eq!(s.candidates_for("https://bank.test").unwrap().len(), 1);
    let mut edit = login("Bank renamed", "alice", "new-pw", "https://other.test");
    edit.id = id.clone();
    assert_eq!(s.save_item(edit, NOW + 1000).unwrap(), id);
    assert!(s.candidates_for("https://bank.test").unwrap().is_empty());
    assert_eq!(
        s.candidates_for("https://other.test").unwrap()[0].name,
        "Bank renamed"
    );
    assert_eq!(
        s.search("renamed", &Default::default(), 10).unwrap().len(),
        1
    );
    let item = reopen(&s, &prelogin).item(&id).unwrap();
    let history = item.password_history.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].password, "old-pw");
    assert_eq!(item.login.unwrap().password.as_deref(), Some("new-pw"));
}

#[test]
fn trash_restore_and_purge() {
    let (mut s, prelogin) = new_vault();
    let id = s
        .save_item(login("Bank", "alice", "pw", "https://bank.test"), NOW)
        .unwrap();
    let keep = s
        .save_item(login("Mail", "bob", "pw2", "https://mail.test"), NOW)
        .unwrap();
    s.set_trashed(&id, true, NOW).unwrap();
    assert!(s.summaries().unwrap()[0].deleted);
    assert!(s.candidates_for("https://bank.test").unwrap().is_empty());
    assert!(reopen(&s, &prelogin).summaries().unwrap()[0].deleted);
    s.set_trashed(&id, false, NOW).unwrap();
    assert_eq!(s.candidates_for("https://bank.test").unwrap().len(), 1);
    s.purge(&id).unwrap();
    assert_eq!(s.summaries().unwrap().len(), 1);
    assert_eq!(s.item(&id).unwrap_err().code(), "not_found");
    assert_eq!(reopen(&s, &prelogin).summaries().unwrap()[0].id, keep);
}

#[test]
fn folders_are_created_renamed_and_deleted_leaving_items_unfiled() {
    let (mut s, prelogin) = new_vault();
    let folder = s.save_folder("", "Work", NOW).unwrap();
    let mut item = login("Intranet", "me", "pw", "https://intra.test");
    item.folder_id = Some(folder.clone());
    let id = s.save_item(item, NOW).unwrap();
    s.save_folder(&folder, "Job", NOW).unwrap();
    let again = reopen(&s, &prelogin);
    assert_eq!(again.folders().unwrap()[0].name, "Job");
    assert_eq!(
        again.summaries().unwrap()[0].folder_id.as_deref(),
        Some(folder.as_str())
    );
    s.delete_folder(&folder).unwrap();
    assert!(s.folders().unwrap().is_empty());
    assert_eq!(s.item(&id).unwrap().folder_id, None);
    assert_eq!(s.delete_folder(&folder).unwrap_err().code(), "not_found");
}

#[test]
fn a_resume_token_reopens_without_the_kdf_and_a_wrong_one_is_refused() {
    let (mut s, prelogin) = new_vault();
    let id = s
        .save_item(login("Bank", "alice", "pw", "https://bank.test"), NOW)
        .unwrap();
    let token = s.resume_token().unwrap();
    let material = || AccountMaterial::parse(&prelogin, s.material_json().unwrap()).unwrap();
    let mut resumed = Session::new();
    resumed.resume(&token, material()).unwrap();
    assert_eq!(resumed.item(&id).unwrap().name, "Bank");

    let (other, _) = new_vault();
    let foreign = other.resume_token().unwrap();
    for bad in [foreign.as_str(), "", "not base64!", "AAAA"] {
        let err = Session::new().resume(bad, material()).unwrap_err();
        assert_eq!(err.code(), "wrong_password", "{bad:?}");
    }
    s.lock();
    assert_eq!(s.resume_token().unwrap_err().code(), "locked");
}

#[test]
fn bad_edits_are_refused_and_change_nothing() {
    let (mut s, prelogin) = new_vault();
    let before = s.material_json().unwrap();
    let mut nameless = login("", "a", "b", "https://x.test");
    assert_eq!(
        s.save_item(nameless.clone(), NOW).unwrap_err().code(),
        "malformed"
    );
    nameless.name = "x".into();
    nameless.id = "no-such-id".into();
    assert_eq!(s.save_item(nameless, NOW).unwrap_err().code(), "not_found");
    let mut odd = login("x", "a", "b", "https://x.test");
    odd.kind = 9;
    assert_eq!(s.save_item(odd, NOW).unwrap_err().code(), "unsupported");
    assert_eq!(s.material_json().unwrap(), before);
    assert!(reopen(&s, &prelogin).summaries().unwrap().is_empty());
}

#[test]
fn totp_codes_come_from_the_item() {
    let (mut s, _) = new_vault();
    let mut item = login("2fa", "u", "p", "https://2fa.test");
    item.login.as_mut().unwrap().totp = Some("JBSWY3DPEHPK3PXP".into());
    let id = s.save_item(item, NOW).unwrap();
    let code = s.totp(&id, 59).unwrap();
    assert_eq!((code.code.len(), code.period, code.remaining), (6, 30, 1));
    let plain = s
        .save_item(login("none", "u", "p", "https://x.test"), NOW)
        .unwrap();
    assert_eq!(s.totp(&plain, 59).unwrap_err().code(), "not_found");
}

#[test]
fn a_sync_reopen_needs_the_vault_still_open_with_the_same_key() {
    use keyfill::crypto::asymmetric::ready;
    use keyfill::keys::Keyring;
    use keyfill::session::open_keyring;
    let (mut s, prelogin) = new_vault();
    let id = s
        .save_item(login("Kept", "u", "pw", "https://a.test"), NOW)
        .unwrap();
    let material =
        |s: &Session| AccountMaterial::parse(&prelogin, s.material_json().unwrap()).unwrap();
    // The keyring opens apart from the session (async in the browser), then the session takes it.
    let fresh = |s: &Session| {
        let m = material(s);
        let ring = ready(open_keyring(s.user_key().unwrap(), &m)).unwrap();
        (m, ring)
    };
    let (m, ring) = fresh(&s);
    s.reopen(ring, m).unwrap();
    assert_eq!(s.summaries().unwrap()[0].id, id);
    // Another key (a lock, then another vault opened, while the keyring opened): refused.
    let (other, _) = new_vault();
    let m = material(&s);
    let err = s
        .reopen(Keyring::new(other.user_key().unwrap()), m)
        .unwrap_err();
    assert_eq!(err.code(), "locked");
    assert_eq!(s.summaries().unwrap()[0].id, id);
    // Locked meanwhile: refused, and it stays locked.
    let (m, ring) = fresh(&s);
    s.lock();
    assert_eq!(s.reopen(ring, m).unwrap_err().code(), "locked");
    assert!(!s.is_unlocked());
}
