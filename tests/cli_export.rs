//! `keyfill export` end to end: the SDK-written fixture (`tests/data/fixtures/sdk-account`, see
//! tests/data/README.md), accounts built by the independent Python implementation (`tests/interop/bwref.py`),
//! and every way the input can be wrong.

#[path = "support/data.rs"]
mod data;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

#[path = "support/python.rs"]
mod py;
use py::python;

fn keyfill(password: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyfill"))
        .args(args)
        .env("KEYFILL_PASSWORD", password)
        .output()
        .expect("keyfill runs")
}

fn export(dir: &Path, password: &str, email: &str) -> Output {
    keyfill(
        password,
        &[
            "export",
            "--email",
            email,
            "--prelogin",
            dir.join("prelogin.json").to_str().unwrap(),
            "--sync",
            dir.join("sync.json").to_str().unwrap(),
        ],
    )
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn assert_same_export(out: &Output, expected: &str) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let want: Value = serde_json::from_str(expected).unwrap();
    assert_eq!(got["encrypted"], want["encrypted"]);
    assert_eq!(got["folders"], want["folders"]);
    assert_eq!(got.get("collections"), want.get("collections"));
    let (g, w) = (
        got["items"].as_array().unwrap(),
        want["items"].as_array().unwrap(),
    );
    assert_eq!(g.len(), w.len(), "item count");
    for (gi, wi) in g.iter().zip(w) {
        for (field, value) in wi.as_object().unwrap() {
            assert_eq!(&gi[field], value, "item {} field {field}", wi["id"]);
        }
        assert_eq!(
            gi.as_object().unwrap().len(),
            wi.as_object().unwrap().len(),
            "item {} keys",
            wi["id"]
        );
    }
}

fn fixture() -> PathBuf {
    data::path("fixtures/sdk-account")
}

#[test]
fn sdk_fixture_exports_exactly_the_expected_items() {
    let dir = fixture();
    let out = export(
        &dir,
        read(&dir, "password").trim_end_matches('\n'),
        read(&dir, "email").trim(),
    );
    assert_same_export(&out, &read(&dir, "expected.json"));
    assert!(
        out.stderr.is_empty(),
        "no warnings expected: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn wrong_password_exits_2_with_one_line_and_no_secret() {
    let dir = fixture();
    let out = export(&dir, "not the password", read(&dir, "email").trim());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("wrong master password"));
    assert!(!err.contains("not the password"));
}

#[test]
fn a_different_email_is_a_wrong_password_too() {
    let dir = fixture();
    // The fixture carries a server salt (userDecryption.masterPasswordUnlock.salt), which wins
    // over the typed e-mail; without it, the e-mail is the salt.
    let mut sync: Value = serde_json::from_str(&read(&dir, "sync.json")).unwrap();
    sync.as_object_mut().unwrap().remove("userDecryption");
    let tmp = tempdir("email");
    std::fs::write(tmp.join("sync.json"), sync.to_string()).unwrap();
    std::fs::copy(dir.join("prelogin.json"), tmp.join("prelogin.json")).unwrap();
    let pw = read(&dir, "password");
    let out = export(&tmp, pw.trim_end_matches('\n'), "someone@else.test");
    assert_eq!(out.status.code(), Some(2));
    let out = export(
        &tmp,
        pw.trim_end_matches('\n'),
        &format!("  {}  ", read(&dir, "email").trim().to_uppercase()),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "e-mail is trimmed and lower-cased"
    );
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyfill-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn malformed_input_exits_3_and_names_the_problem() {
    let dir = fixture();
    let pw = read(&dir, "password");
    let pw = pw.trim_end_matches('\n');
    let email = read(&dir, "email");
    let sync = read(&dir, "sync.json");
    let cases: Vec<(&str, String, String, &str)> = vec![
        ("bad-json", "{\"kdf\": 0,".into(), sync.clone(), "prelogin"),
        (
            "low-iterations",
            r#"{"kdf":0,"kdfIterations":4999}"#.into(),
            sync.clone(),
            "downgrade",
        ),
        (
            "huge-iterations",
            r#"{"kdf":0,"kdfIterations":900000000}"#.into(),
            sync.clone(),
            "above",
        ),
        (
            "argon-memory",
            r#"{"kdf":1,"kdfIterations":3,"kdfMemory":4096,"kdfParallelism":4}"#.into(),
            sync.clone(),
            "memory",
        ),
        (
            "argon-weak",
            r#"{"kdf":1,"kdfIterations":1,"kdfMemory":64,"kdfParallelism":4}"#.into(),
            sync.clone(),
            "iterations",
        ),
        (
            "kdf-type",
            r#"{"kdf":7,"kdfIterations":3}"#.into(),
            sync.clone(),
            "KDF type",
        ),
        ("no-kdf", "{}".into(), sync.clone(), "kdf"),
        (
            "sync-not-json",
            read(&dir, "prelogin.json"),
            "[1,2".into(),
            "sync",
        ),
        (
            "sync-no-key",
            read(&dir, "prelogin.json"),
            r#"{"profile":{}}"#.into(),
            "user key",
        ),
        (
            "sync-bad-key",
            read(&dir, "prelogin.json"),
            r#"{"profile":{"key":"2.abc|def"}}"#.into(),
            "account key",
        ),
        (
            "sync-v2-key",
            read(&dir, "prelogin.json"),
            r#"{"profile":{"key":"7.oAEBAg=="}}"#.into(),
            "version 2",
        ),
    ];
    for (name, prelogin, sync, needle) in cases {
        let tmp = tempdir(name);
        std::fs::write(tmp.join("prelogin.json"), prelogin).unwrap();
        std::fs::write(tmp.join("sync.json"), sync).unwrap();
        let out = export(&tmp, pw, email.trim());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{name}: {err}");
        assert!(
            err.contains(needle),
            "{name}: {err:?} should mention {needle:?}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}");
    }
    let missing = keyfill(
        pw,
        &[
            "export",
            "--email",
            "a@b",
            "--prelogin",
            "/nonexistent/p.json",
            "--sync",
            "x",
        ],
    );
    assert_eq!(missing.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/p.json"));
    for args in [
        vec!["export"],
        vec!["export", "--bogus", "1"],
        vec!["frobnicate"],
        vec![],
    ] {
        assert_eq!(keyfill(pw, &args).status.code(), Some(3), "{args:?}");
    }
}

#[test]
fn a_damaged_item_is_marked_and_the_rest_exports() {
    let dir = fixture();
    let mut sync: Value = serde_json::from_str(&read(&dir, "sync.json")).unwrap();
    let ciphers = sync["ciphers"].as_array_mut().unwrap();
    // Flip the first MAC character of one item's password and give another an unknown type.
    let pw = ciphers[1]["login"]["password"]
        .as_str()
        .unwrap()
        .to_string();
    let mac_at = pw.rfind('|').unwrap() + 1;
    let flipped = if &pw[mac_at..mac_at + 1] == "A" {
        "B"
    } else {
        "A"
    };
    ciphers[1]["login"]["password"] =
        Value::String(format!("{}{flipped}{}", &pw[..mac_at], &pw[mac_at + 1..]));
    ciphers[2]["type"] = Value::from(42);
    let damaged_id = ciphers[1]["id"].as_str().unwrap().to_string();
    let unknown_id = ciphers[2]["id"].as_str().unwrap().to_string();
    let tmp = tempdir("damaged");
    std::fs::write(tmp.join("sync.json"), sync.to_string()).unwrap();
    std::fs::copy(dir.join("prelogin.json"), tmp.join("prelogin.json")).unwrap();
    let out = export(
        &tmp,
        read(&dir, "password").trim_end_matches('\n'),
        read(&dir, "email").trim(),
    );
    assert_eq!(out.status.code(), Some(0));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = got["items"].as_array().unwrap();
    assert_eq!(items.len(), 6, "one unknown-type item left out");
    let damaged = items
        .iter()
        .find(|i| i["id"] == damaged_id.as_str())
        .unwrap();
    assert_eq!(damaged["login"]["password"], Value::Null);
    assert_eq!(damaged["login"]["username"], "admin");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&damaged_id) && err.contains("password"),
        "{err}"
    );
    assert!(err.contains(&unknown_id), "{err}");
}

#[test]
fn accounts_built_independently_export_identically() {
    for (name, flags) in [
        ("argon2-pascal", vec!["--argon2", "--pascal"]),
        ("pbkdf2-camel", vec![]),
    ] {
        let dir = tempdir(name);
        let mut args = vec!["make-account", dir.to_str().unwrap()];
        args.extend(flags);
        python(&args);
        let out = export(&dir, &read(&dir, "password"), &read(&dir, "email"));
        assert_same_export(&out, &read(&dir, "expected.json"));
    }
}
