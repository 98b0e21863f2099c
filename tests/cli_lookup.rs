//! `keyfill match` and `keyfill search` on an export (the expected export of the SDK fixture,
//! `tests/data/fixtures/sdk-account/expected.json`, plus small exports written here).

#[path = "support/data.rs"]
mod data;

use std::path::PathBuf;
use std::process::{Command, Output};

fn keyfill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyfill"))
        .args(args)
        .output()
        .unwrap()
}

fn lines(out: &Output) -> Vec<String> {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn fixture() -> String {
    data::path("fixtures/sdk-account/expected.json")
        .to_string_lossy()
        .into()
}

const MAIL: &str = "4a414a53-6e3f-484b-bd5e-7f3db7abcad6";
const ROUTER: &str = "95e8fc68-69b9-4b04-a862-bf1fab04bf95";
const REGEX: &str = "3e2e148d-d09b-41ad-93f4-a04ccf298c98";

fn matches(url: &str, extra: &[&str]) -> Vec<String> {
    let v = fixture();
    let mut args = vec!["match", "--vault", v.as_str(), "--url", url];
    args.extend(extra);
    lines(&keyfill(&args))
}

#[test]
fn match_follows_each_strategy_of_the_fixture() {
    assert_eq!(matches("https://mail.example.test/inbox", &[]), [MAIL]);
    assert_eq!(
        matches("https://other.example.test/", &[]),
        [MAIL],
        "Domain match on the first URI"
    );
    assert!(matches("https://example.test.evil.test/", &[]).is_empty());
    assert!(matches("https://examp1e.test/", &[]).is_empty());
    assert_eq!(matches("http://192.168.1.1:8080/admin", &[]), [ROUTER]);
    assert!(
        matches("http://192.168.1.1:8081/", &[]).is_empty(),
        "IP port must match"
    );
    assert_eq!(matches("https://www.regex.test/login", &[]), [REGEX]);
    assert!(matches("https://regex.test.evil/", &[]).is_empty());
    // With Host as the default, the first URI (match null) needs the exact host.
    assert!(matches("https://other.example.test/", &["--default-match", "host"]).is_empty());
    assert_eq!(
        matches("https://mail.example.test/x", &["--default-match", "host"]),
        [MAIL]
    );
    assert!(matches("https://mail.example.test/x", &["--default-match", "never"]).is_empty());
    assert!(matches("chrome://settings", &[]).is_empty());
}

fn temp(name: &str, text: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("keyfill-lookup-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn equivalent_domains_and_ordering() {
    let export = r#"{"encrypted":false,"folders":[],"items":[
      {"id":"g","type":1,"name":"Google","revisionDate":"2026-01-01T00:00:00Z","login":{"uris":[{"uri":"https://accounts.google.com","match":null}]}},
      {"id":"exact","type":1,"name":"Exact","revisionDate":"2025-01-01T00:00:00Z","login":{"uris":[{"uri":"https://www.youtube.com/watch","match":3}]}},
      {"id":"old","type":1,"name":"Old","revisionDate":"2020-01-01T00:00:00Z","login":{"uris":[{"uri":"youtube.com","match":0}]}},
      {"id":"trash","type":1,"name":"T","deletedDate":"2026-01-01T00:00:00Z","login":{"uris":[{"uri":"https://youtube.com"}]}}]}"#;
    let vault = temp("eq.json", export);
    let domains = temp(
        "domains.json",
        r#"{"equivalentDomains":[],"globalEquivalentDomains":[{"type":0,"domains":["youtube.com","google.com","gmail.com"],"excluded":false}]}"#,
    );
    let run = |url: &str, eq: bool| {
        let mut args = vec!["match", "--vault", vault.to_str().unwrap(), "--url", url];
        if eq {
            args.extend(["--equivalent-domains", domains.to_str().unwrap()]);
        }
        lines(&keyfill(&args))
    };
    assert_eq!(
        run("https://www.youtube.com/watch", false),
        ["exact", "old"]
    );
    assert_eq!(
        run("https://www.youtube.com/watch", true),
        ["exact", "g", "old"]
    );
    // The blacklist keeps google.com logins off script.google.com; the youtube.com login still
    // matches through the equivalence (the rule looks at the stored URI's own domain, §8.4).
    assert_eq!(run("https://script.google.com/", true), ["old"]);
}

#[test]
fn search_ranks_and_never_reads_secrets() {
    let v = fixture();
    let search = |q: &str| lines(&keyfill(&["search", "--vault", v.as_str(), q]));
    assert_eq!(
        search("example mail").first().map(String::as_str),
        Some(MAIL)
    );
    assert_eq!(search("EXAMPLE").first().map(String::as_str), Some(MAIL));
    assert!(
        search("exmaple").contains(&MAIL.to_string()),
        "one typo still finds it"
    );
    assert_eq!(
        search("1111"),
        ["17ba2de4-5357-4606-b18e-36e0b83fd72f"],
        "card last four"
    );
    assert!(search("p@ss").is_empty(), "passwords are not searched");
    assert!(
        search("b3BlbnNzaC1rZXkt").is_empty(),
        "SSH private keys are not searched"
    );
    assert!(
        search("0xdeadbeef").is_empty(),
        "notes are not searched by default"
    );
    assert!(
        search("eu-west").is_empty(),
        "custom fields are not searched"
    );
    assert!(search("Exämple").contains(&"48323cb2-bf11-40bd-87c5-049272287038".to_string()));
    assert!(
        search("Perso").contains(&"1d4f4ca9-796e-43aa-9b14-40f9aaa24f5e".to_string()),
        "folder name"
    );
}

#[test]
fn bad_arguments_exit_3() {
    let v = fixture();
    for args in [
        vec!["match", "--vault", v.as_str()],
        vec![
            "match",
            "--vault",
            v.as_str(),
            "--url",
            "https://a.test",
            "--default-match",
            "fuzzy",
        ],
        vec![
            "match",
            "--vault",
            "/nonexistent.json",
            "--url",
            "https://a.test",
        ],
        vec!["search", "--vault", v.as_str()],
        vec!["search", "--vault", v.as_str(), "a", "b"],
    ] {
        assert_eq!(keyfill(&args).status.code(), Some(3), "{args:?}");
    }
    let bad = temp("bad.json", "{\"items\": 5}");
    assert_eq!(
        keyfill(&["search", "--vault", bad.to_str().unwrap(), "x"])
            .status
            .code(),
        Some(3)
    );
}
