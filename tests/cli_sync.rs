//! `keyfill sync` and `keyfill add-login` against the Bitwarden-protocol test server
//! (`tests/server/bwserver.py`) in Vaultwarden and Cozy modes: output, exit codes, two-factor.

#[path = "api_support/bwserver.rs"]
mod bwserver;

use std::process::{Command, Output};

use bwserver::{closed_port, now_secs, Mode, Server, MODES};
use keyfill::api::Method;
use keyfill::totp::Totp;
use serde_json::{json, Value};

const EMAIL: &str = "alice@example.test";
const PASSWORD: &str = "correct horse battery staple";

fn keyfill(args: &[&str], password: &str, totp: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keyfill"));
    cmd.args(args)
        .env("KEYFILL_PASSWORD", password)
        .env_remove("KEYFILL_TOTP")
        .env_remove("KEYFILL_DEVICE_ID");
    if let Some(code) = totp {
        cmd.env("KEYFILL_TOTP", code);
    }
    cmd.output().expect("keyfill runs")
}

fn sync(server: &Server, password: &str, totp: Option<&str>) -> Output {
    keyfill(
        &["sync", "--server", &server.base(), "--email", EMAIL],
        password,
        totp,
    )
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn export_of(out: &Output) -> Value {
    assert_eq!(code(out), 0, "stderr: {}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("the export is JSON")
}

#[test]
fn sync_exports_and_add_login_round_trips() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let empty = export_of(&sync(&server, PASSWORD, None));
        assert_eq!(
            empty,
            json!({"encrypted": false, "folders": [], "items": []}),
            "{mode:?}"
        );

        let out = keyfill(
            &[
                "add-login",
                "--server",
                &server.base(),
                "--email",
                EMAIL,
                "--name",
                "Mail",
                "--username",
                "alice",
                "--password-value",
                "s3cret!",
                "--uri",
                "https://mail.example.test/login",
            ],
            PASSWORD,
            None,
        );
        assert_eq!(code(&out), 0, "{mode:?}: {}", stderr(&out));
        let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
        assert_eq!(id.len(), 36, "an id: {id}");

        let export = export_of(&sync(&server, PASSWORD, None));
        let items = export["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{mode:?}");
        let item = &items[0];
        assert_eq!(item["id"], id.as_str());
        assert_eq!(item["name"], "Mail");
        assert_eq!(item["type"], 1);
        assert_eq!(item["login"]["username"], "alice");
        assert_eq!(item["login"]["password"], "s3cret!");
        assert_eq!(
            item["login"]["uris"][0]["uri"],
            "https://mail.example.test/login"
        );
    }
}

#[test]
fn wrong_password_disabled_account_bad_input() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let out = sync(&server, "not the password", None);
        assert_eq!(code(&out), 2, "{mode:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("wrong_password"), "{}", stderr(&out));
        assert!(!stderr(&out).contains("not the password"));

        let out = keyfill(
            &[
                "add-login",
                "--server",
                &server.base(),
                "--email",
                EMAIL,
                "--name",
                " ",
            ],
            PASSWORD,
            None,
        );
        assert_eq!(code(&out), 3, "empty name");

        server.control(Method::Post, "disable", Some(json!({"email": EMAIL})));
        let out = sync(&server, PASSWORD, None);
        assert_eq!(code(&out), 2, "{mode:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("account_locked"), "{}", stderr(&out));
    }
    for bad in [
        "ftp://vault.example.test",
        "http://vault.example.test",
        "https://",
        "https://u:p@x.test",
    ] {
        let out = keyfill(&["sync", "--server", bad, "--email", EMAIL], PASSWORD, None);
        assert_eq!(code(&out), 3, "{bad}: {}", stderr(&out));
        assert!(stderr(&out).contains("unknown_server"));
    }
    let out = keyfill(&["sync", "--email", EMAIL], PASSWORD, None);
    assert_eq!(code(&out), 3, "missing --server");
    let out = keyfill(
        &[
            "sync",
            "--server",
            "https://x.test",
            "--email",
            EMAIL,
            "--bogus",
            "1",
        ],
        PASSWORD,
        None,
    );
    assert_eq!(code(&out), 3, "unknown option");
}

#[test]
fn server_down_is_exit_4() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = keyfill(
        &["sync", "--server", &url, "--email", EMAIL],
        PASSWORD,
        None,
    );
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("server_unreachable"));
    // A server that goes away between two runs.
    let mut server = Server::start(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    assert_eq!(code(&sync(&server, PASSWORD, None)), 0);
    server.stop();
    let out = sync(&server, PASSWORD, None);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
}

#[test]
fn authenticator_two_factor() {
    let server = Server::start(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let v = server.control(
        Method::Post,
        "two-factor",
        Some(json!({"email": EMAIL, "provider": 0})),
    );
    let secret = v["secret"].as_str().unwrap().to_string();
    let out = sync(&server, PASSWORD, None);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("KEYFILL_TOTP"), "{}", stderr(&out));
    // A code from ten minutes ago is refused: still 5.
    let totp = Totp::parse(&secret).unwrap();
    let stale = totp.code_at(now_secs() - 600);
    let out = sync(&server, PASSWORD, Some(&stale));
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(!stderr(&out).contains(&stale));
    // The current code (computed by keyfill's own TOTP) logs in.
    let good = totp.code_at(now_secs());
    let out = sync(&server, PASSWORD, Some(&good));
    export_of(&out);
    // The wrong password still says so, two-factor or not.
    assert_eq!(code(&sync(&server, "nope", Some(&good))), 2);
}

#[test]
fn email_two_factor_in_both_modes() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        server.control(
            Method::Post,
            "two-factor",
            Some(json!({"email": EMAIL, "provider": 1})),
        );
        let out = sync(&server, PASSWORD, None);
        assert_eq!(code(&out), 5, "{mode:?}: {}", stderr(&out));
        // Vaultwarden: the CLI asked for the mail; Cozy sent it by itself.
        let mailed = server
            .last_email_code(EMAIL)
            .unwrap_or_else(|| panic!("{mode:?}: no code was e-mailed"));
        let out = sync(&server, PASSWORD, Some(&mailed));
        assert_eq!(code(&out), 0, "{mode:?}: {}", stderr(&out));
        export_of(&out);
        let out = sync(&server, PASSWORD, Some("000000"));
        assert_eq!(code(&out), 5, "{mode:?}: {}", stderr(&out));
    }
}
