//! Equivalent domains sent by the server (the sync's `domains`) widen matching only when the
//! user's own setting allows it: a hostile or careless server must not make a login show up on
//! a foreign site. Account: `tests/data/fixtures/sdk-account`, its sync given a
//! server-sent group that joins `example.test` to `evil.test`.

#[path = "support/data.rs"]
mod data;

use keyfill::session::{AccountMaterial, Session};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    data::sdk_account(name)
}

fn unlocked_with_server_domains() -> Session {
    let mut sync: Value = serde_json::from_str(&fixture("sync.json")).unwrap();
    sync["domains"] = json!({
        "equivalentDomains": [["example.test", "evil.test"]],
        "globalEquivalentDomains": [{"type": 90, "domains": ["example.test", "evil2.test"],
            "excluded": false}],
        "object": "domains",
    });
    let mut s = Session::new();
    let material = AccountMaterial::parse(&fixture("prelogin.json"), sync.to_string()).unwrap();
    s.unlock(
        fixture("email").trim(),
        fixture("password").trim_end_matches('\n'),
        material,
    )
    .unwrap();
    s
}

fn names(s: &Session, url: &str) -> Vec<String> {
    let rows = s.candidates_for(url).unwrap();
    rows.into_iter().map(|r| r.name).collect()
}

#[test]
fn server_equivalent_domains_are_off_by_default() {
    let s = unlocked_with_server_domains();
    assert_eq!(names(&s, "https://mail.example.test/"), ["Example mail"]);
    assert!(names(&s, "https://evil.test/login").is_empty());
    assert!(names(&s, "https://evil2.test/login").is_empty());
}

#[test]
fn server_equivalent_domains_apply_once_the_user_allows_them() {
    let mut s = unlocked_with_server_domains();
    assert!(names(&s, "https://evil.test/login").is_empty());
    s.set_use_server_equivalent_domains(true);
    assert_eq!(names(&s, "https://evil.test/login"), ["Example mail"]);
    assert_eq!(names(&s, "https://evil2.test/login"), ["Example mail"]);
    // And off again: the built index follows the setting.
    s.set_use_server_equivalent_domains(false);
    assert!(names(&s, "https://evil.test/login").is_empty());
    assert_eq!(names(&s, "https://mail.example.test/"), ["Example mail"]);
}
