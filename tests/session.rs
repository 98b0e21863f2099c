//! The unlocked state: list rows without secrets, items on demand, URIs for matching, lock.
//! Account: `tests/data/fixtures/sdk-account` (written by Bitwarden's SDK; see tests/data/README.md).

#[path = "support/data.rs"]
mod data;

use keyfill::session::{AccountMaterial, Session};
use keyfill::Error;
use serde_json::Value;

fn fixture(name: &str) -> String {
    data::sdk_account(name)
}

fn unlocked(sync: &str) -> Session {
    let mut s = Session::new();
    let material = AccountMaterial::parse(&fixture("prelogin.json"), sync).unwrap();
    s.unlock(
        fixture("email").trim(),
        fixture("password").trim_end_matches('\n'),
        material,
    )
    .unwrap();
    s
}

#[test]
fn rows_items_and_uris() {
    let s = unlocked(&fixture("sync.json"));
    let expected: Value = serde_json::from_str(&fixture("expected.json")).unwrap();
    let rows = s.summaries().unwrap();
    assert_eq!(
        rows.iter().filter(|r| !r.deleted).count(),
        expected["items"].as_array().unwrap().len()
    );
    assert_eq!(rows.iter().filter(|r| r.deleted).count(), 1);
    let mail = rows.iter().find(|r| r.name == "Example mail").unwrap();
    assert_eq!(mail.subtitle, "alice@mail.example.test");
    assert!(!rows.iter().any(|r| r.damaged));
    let visa = rows.iter().find(|r| r.name == "Visa").unwrap();
    assert_eq!(visa.subtitle, "Visa, *1111");
    let rows_json = serde_json::to_string(rows).unwrap();
    for item in expected["items"].as_array().unwrap() {
        if let Some(pw) = item["login"]["password"].as_str() {
            assert!(!rows_json.contains(pw), "a password reached the list rows");
        }
        let full = s.item(item["id"].as_str().unwrap()).unwrap();
        assert_eq!(&serde_json::to_value(&full).unwrap(), item);
    }
    assert!(!rows_json.contains("4111111111111111"));
    let uris = s.login_uris().unwrap();
    let mail_uris = uris.iter().find(|u| u.id == mail.id).unwrap();
    assert_eq!(
        mail_uris.uris,
        vec![
            ("https://mail.example.test/login".to_string(), None),
            ("https://webmail.example.test".to_string(), Some(1))
        ]
    );
    assert!(matches!(s.item("nope"), Err(Error::NotFound(_))));
}

#[test]
fn lock_forgets_everything() {
    let mut s = unlocked(&fixture("sync.json"));
    s.lock();
    assert!(!s.is_unlocked());
    assert!(matches!(s.summaries(), Err(Error::Locked)));
    assert!(matches!(s.login_uris(), Err(Error::Locked)));
    assert!(matches!(
        s.item("4a414a53-6e3f-484b-bd5e-7f3db7abcad6"),
        Err(Error::Locked)
    ));
}

#[test]
fn odd_ciphers_become_damaged_rows_and_a_swapped_uri_is_not_matched() {
    let mut sync: Value = serde_json::from_str(&fixture("sync.json")).unwrap();
    let ciphers = sync["ciphers"].as_array_mut().unwrap();
    // The first item has its own key: give its first URI the second one's ciphertext.
    let second = ciphers[0]["login"]["uris"][1]["uri"].clone();
    ciphers[0]["login"]["uris"][0]["uri"] = second;
    ciphers.push(serde_json::json!({"id": "broken-1", "type": "not a number", "name": 7}));
    ciphers.push(serde_json::json!(["not", "an", "object"]));
    let s = unlocked(&sync.to_string());
    let rows = s.summaries().unwrap();
    let broken: Vec<_> = rows.iter().filter(|r| r.damaged).collect();
    assert_eq!(broken.len(), 2);
    assert!(broken.iter().any(|r| r.id == "broken-1"));
    let first_id = sync["ciphers"][0]["id"].as_str().unwrap();
    let uris = s
        .login_uris()
        .unwrap()
        .into_iter()
        .find(|u| u.id == first_id)
        .unwrap();
    assert_eq!(
        uris.uris,
        vec![("https://webmail.example.test".to_string(), Some(1))]
    );
}

#[test]
fn candidates_and_search_come_from_the_unlocked_vault() {
    let mut s = unlocked(&fixture("sync.json"));
    let rows = s.candidates_for("https://mail.example.test/inbox").unwrap();
    assert_eq!(
        rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["Example mail"]
    );
    assert!(s.candidates_for("https://evil.test/").unwrap().is_empty());
    assert_eq!(
        s.candidates_for("http://192.168.1.1:8080/").unwrap()[0].name,
        "Router 🛜"
    );
    // Host as the user's default: the mail item's first URI no longer covers a sibling host.
    s.set_default_match(Some(1));
    assert!(s
        .candidates_for("https://other.example.test/")
        .unwrap()
        .is_empty());
    s.set_default_match(None);
    assert_eq!(
        s.candidates_for("https://other.example.test/")
            .unwrap()
            .len(),
        1
    );

    let names = |s: &mut Session, q: &str, f: keyfill::session::FilterRequest| -> Vec<String> {
        s.search(q, &f.to_filters(), 50)
            .unwrap()
            .iter()
            .map(|r| r.name.to_string())
            .collect()
    };
    use keyfill::session::FilterRequest;
    assert_eq!(
        names(&mut s, "mail", FilterRequest::default())[0],
        "Example mail"
    );
    assert!(names(&mut s, "deadbeef", FilterRequest::default()).is_empty());
    let with_notes = FilterRequest {
        include_notes: true,
        ..Default::default()
    };
    assert_eq!(names(&mut s, "deadbeef", with_notes), ["Wi-Fi"]);
    assert_eq!(names(&mut s, "1111", FilterRequest::default()), ["Visa"]);
    assert_eq!(
        names(&mut s, "alice@example", FilterRequest::default()),
        ["Me"]
    );
    let cards = FilterRequest {
        kind: Some(3),
        ..Default::default()
    };
    assert_eq!(names(&mut s, "", cards), ["Visa"]);
    let trash = FilterRequest {
        trash: true,
        ..Default::default()
    };
    assert_eq!(names(&mut s, "", trash).len(), 1);
    let work = FilterRequest {
        folder_id: Some("cc065209-1390-4c2e-a4fb-bcc260803067".into()),
        ..Default::default()
    };
    assert_eq!(names(&mut s, "", work), ["Example mail"]);
    assert_eq!(
        names(&mut s, "perso", FilterRequest::default()),
        ["Wi-Fi"],
        "folder names are searched"
    );
    assert_eq!(
        s.search("", &FilterRequest::default().to_filters(), 2)
            .unwrap()
            .len(),
        2,
        "limit"
    );
}

#[test]
fn the_master_password_is_checked_again_without_reopening() {
    let mut s = unlocked(&fixture("sync.json"));
    let email = fixture("email");
    let password = fixture("password");
    let (email, password) = (email.trim(), password.trim_end_matches('\n'));
    let rows = s.summaries().unwrap().len();
    s.verify_password(email, password).unwrap();
    let wrong = s
        .verify_password(email, &format!("{password}x"))
        .unwrap_err();
    assert_eq!(wrong.code(), "wrong_password");
    // Still open, unchanged, whatever the answer.
    assert_eq!(s.summaries().unwrap().len(), rows);
    s.lock();
    assert_eq!(
        s.verify_password(email, password).unwrap_err().code(),
        "locked"
    );
}

#[test]
fn the_reprompt_flag_is_read_from_the_stored_item() {
    let mut s = unlocked(&fixture("sync.json"));
    let id = s.summaries().unwrap()[0].id.clone();
    assert!(!s.asks_reprompt(&id).unwrap());
    let mut view = s.item(&id).unwrap();
    view.reprompt = 1;
    s.save_item(view, 1_795_000_000_000).unwrap();
    assert!(s.asks_reprompt(&id).unwrap());
    assert_eq!(
        s.asks_reprompt("no such item").unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn a_generated_password_comes_sealed_for_the_generator_history() {
    let s = unlocked(&fixture("sync.json"));
    let page = |focused: bool| {
        serde_json::json!({"tabId": 1, "topUrl": "https://signup.example.test/join",
        "trigger": "popup", "generate": true, "nowMs": 1_795_000_000_000u64,
        "frames": [{"frameId": 0, "documentId": "d", "origin": "https://signup.example.test",
            "url": "https://signup.example.test/join", "details": {
            "fields": [
              {"opid": "e", "form": "R", "type": "email", "name": "email", "visible": true},
              {"opid": "n", "form": "R", "type": "password", "autocomplete": "new-password",
               "visible": true, "focused": focused},
              {"opid": "c", "form": "R", "type": "password", "name": "confirm", "visible": true}],
            "forms": [{"opid": "R", "action": "https://signup.example.test/join",
                       "buttons": ["Create account"]}]}}]})
        .to_string()
    };
    // No item: a generated password the user asked for, in new and confirm only.
    let plan = serde_json::to_value(s.plan_tab(&page(false), "").unwrap()).unwrap();
    assert_eq!(plan["status"], "fill", "{plan}");
    let actions = plan["actions"].as_array().unwrap();
    let opids: Vec<&str> = actions
        .iter()
        .map(|a| a["opid"].as_str().unwrap())
        .collect();
    assert_eq!(opids, ["n", "c"]);
    let typed = actions[0]["value"].as_str().unwrap();
    assert_eq!(actions[1]["value"], typed);
    // Sealed under the user key: an EncString that opens to exactly what is typed.
    let sealed = plan["generated"].as_str().unwrap();
    assert!(sealed.starts_with("2.") && !sealed.contains(typed));
    assert_eq!(s.unseal(sealed).unwrap(), typed);
    // The popup's view opens it; an entry this vault cannot open is left out.
    let stored = serde_json::json!([{"password": sealed, "date": "2026-12-04T08:00:00Z"},
        {"password": "2.AAAA|BBBB|CCCC", "date": "2026-12-03T08:00:00Z"}]);
    let opened = s.generator_history(&stored.to_string()).unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].password, typed);
    assert_eq!(opened[0].date, "2026-12-04T08:00:00Z");
    // Not asked for, no item: nothing, and nothing generated.
    let unasked = page(false).replace("\"generate\":true", "\"generate\":false");
    assert_ne!(unasked, page(false));
    let plan = serde_json::to_value(s.plan_tab(&unasked, "").unwrap()).unwrap();
    assert_eq!(plan["status"], "refused", "{plan}");
    assert!(plan.get("generated").is_none(), "{plan}");
}
