//! The save prompt on the open vault (keyfill::Keyfill): a submit compared with the logins stored
//! for its page, and the offer accepted — a new login saved for the site, or the stored one's
//! password updated with the old one kept in its history; the same submit afterwards offers
//! nothing.

use keyfill::api::native::NativeTransport;
use keyfill::crypto::derive::kdf_for_new_vault;
use keyfill::save_prompt::{Offer, Submission, SubmitKind};
use keyfill::vault::view::{CipherView, LoginUriView, LoginView, TYPE_LOGIN};
use keyfill::Keyfill;

fn vault() -> (Keyfill<NativeTransport>, String) {
    let app = Keyfill::new();
    keyfill::crypto::asymmetric::ready(
        app.create_local("master pw", kdf_for_new_vault("").unwrap()),
    )
    .unwrap();
    let id = app
        .save_item(
            CipherView {
                kind: TYPE_LOGIN,
                name: "Example".into(),
                login: Some(LoginView {
                    username: Some("ann@example.com".into()),
                    password: Some("old-pw".into()),
                    uris: vec![LoginUriView {
                        uri: Some("https://example.com".into()),
                        match_type: None,
                    }],
                    ..LoginView::default()
                }),
                ..CipherView::default()
            },
            1_700_000_000_000,
        )
        .unwrap();
    (app, id)
}

fn submit(url: &str, user: &str, pw: &str) -> Submission {
    Submission {
        url: url.into(),
        kind: SubmitKind::SignIn,
        username: Some(user.into()),
        password: Some(pw.into()),
        new_password: None,
    }
}

#[test]
fn an_update_keeps_the_old_password_in_the_history_and_the_uris() {
    let (app, id) = vault();
    let sub = submit("https://www.example.com/login", "ann@example.com", "new-pw");
    let offer = app.save_offer(&sub, &[]).unwrap();
    assert!(
        matches!(&offer, Offer::Update { item_id, .. } if *item_id == id),
        "{offer:?}"
    );
    assert_eq!(
        app.accept_offer(&offer, None, None, 1_700_000_100_000)
            .unwrap(),
        id
    );
    let item = app.read().item(&id).unwrap();
    let login = item.login.as_ref().unwrap();
    assert_eq!(login.password.as_deref(), Some("new-pw"));
    assert_eq!(login.uris[0].uri.as_deref(), Some("https://example.com"));
    let history = item.password_history.unwrap_or_default();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].password, "old-pw");
    // The same submit again: already stored.
    let again = app.save_offer(&sub, &[]).unwrap();
    assert!(matches!(again, Offer::Nothing { ref reason } if reason == "already_stored"));
}

#[test]
fn a_new_login_is_saved_for_the_site_and_then_matches_it() {
    let (app, _) = vault();
    let sub = submit("https://shop.test/account/login?x=1", "carol", "carol-pw");
    let offer = app.save_offer(&sub, &[]).unwrap();
    let id = app
        .accept_offer(&offer, Some("My shop"), None, 1_700_000_200_000)
        .unwrap();
    let item = app.read().item(&id).unwrap();
    assert_eq!(item.name, "My shop");
    let login = item.login.unwrap();
    assert_eq!(login.uris[0].uri.as_deref(), Some("https://shop.test"));
    assert_eq!(login.username.as_deref(), Some("carol"));
    let rows = app
        .read()
        .candidates_for("https://shop.test/other")
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        [id.as_str()]
    );
    // Never list: nothing.
    let never = app
        .save_offer(
            &submit("https://shop.test/", "dave", "x"),
            &["shop.test".into()],
        )
        .unwrap();
    assert!(matches!(never, Offer::Nothing { ref reason } if reason == "never_save"));
}

#[test]
fn a_capture_is_read_by_the_form_classifier() {
    let (app, _) = vault();
    let cap =
        |json: &str| -> keyfill::save_prompt::Captured { serde_json::from_str(json).unwrap() };
    // A payment form whose security code is a password input: no login, nothing offered.
    let pay = cap(r#"{"fields": [
            {"type": "text", "name": "cardnumber", "autocomplete": "cc-number", "visible": true, "value": "4111111111111111"},
            {"type": "text", "name": "exp", "placeholder": "MM / YY", "visible": true, "value": "12/30"},
            {"type": "password", "name": "cvc", "visible": true, "value": "123"}],
          "group": {"buttons": ["Pay now"]}}"#);
    let offer = app
        .offer_for_capture("https://shop.example.net/checkout", &pay, &[])
        .unwrap();
    assert!(
        matches!(&offer, Offer::Nothing { reason } if reason == "not_login_form"),
        "{offer:?}"
    );
    // A sign-up its buttons name, on a site with a login stored: a new login, the new password.
    let join = cap(r#"{"fields": [
            {"type": "email", "name": "email", "visible": true, "value": "bob@example.com"},
            {"type": "password", "name": "password", "visible": true, "value": "fresh-pw"},
            {"type": "password", "name": "password2", "visible": true, "value": "fresh-pw"}],
          "group": {"buttons": ["Create account"], "headings": ["Join Example"]}}"#);
    let offer = app
        .offer_for_capture("https://example.com/join", &join, &[])
        .unwrap();
    assert!(
        matches!(&offer, Offer::Save { username: Some(u), password, .. } if u == "bob@example.com" && password == "fresh-pw"),
        "{offer:?}"
    );
}
