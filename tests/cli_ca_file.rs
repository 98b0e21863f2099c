//! `keyfill sync --ca-file` / `KEYFILL_CA_FILE`: a server behind a private CA (the test server
//! over HTTPS with a certificate from a test CA) is reached when that CA is given, and refused
//! otherwise: the option adds trust, it never turns certificate checks off.

#[path = "api_support/bwserver.rs"]
mod bwserver;

use std::process::{Command, Output};

use bwserver::{Mode, Server};
use serde_json::{json, Value};

const EMAIL: &str = "alice@example.test";
const PASSWORD: &str = "correct horse battery staple";

fn sync(server: &Server, extra: &[&str], env_ca: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keyfill"));
    cmd.args(["sync", "--server", &server.base(), "--email", EMAIL])
        .args(extra)
        .env("KEYFILL_PASSWORD", PASSWORD)
        .env_remove("KEYFILL_TOTP")
        .env_remove("KEYFILL_CA_FILE");
    if let Some(ca) = env_ca {
        cmd.env("KEYFILL_CA_FILE", ca);
    }
    cmd.output().expect("keyfill runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn empty_export(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("the export is JSON");
    assert_eq!(v, json!({"encrypted": false, "folders": [], "items": []}));
}

#[test]
fn a_private_ca_is_trusted_only_when_given() {
    for mode in [Mode::Vaultwarden, Mode::Cozy] {
        let server = Server::start_tls(mode);
        assert!(server.root.starts_with("https://"), "{}", server.root);
        server.register(EMAIL, PASSWORD);
        let ca = server.ca_file();
        let ca = ca.to_str().unwrap();

        // Without the CA: the built-in roots do not know the test CA.
        let out = sync(&server, &[], None);
        assert_eq!(out.status.code(), Some(4), "{mode:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("[tls]"), "{}", stderr(&out));
        assert!(stderr(&out).contains("not trusted"), "{}", stderr(&out));

        empty_export(&sync(&server, &["--ca-file", ca], None));
        empty_export(&sync(&server, &[], Some(ca)));

        // Another CA (a self-signed certificate of the browser tests) does not vouch for it.
        let other = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/e2e/support/certs/cert.pem"
        );
        let out = sync(&server, &["--ca-file", other], None);
        assert_eq!(out.status.code(), Some(4), "{mode:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("[tls]"), "{}", stderr(&out));
    }
}

#[test]
fn an_unusable_ca_file_is_bad_input() {
    let server = Server::start_tls(Mode::Vaultwarden);
    let out = sync(&server, &["--ca-file", "/nonexistent/ca.pem"], None);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read the CA file"),
        "{}",
        stderr(&out)
    );
    let not_pem = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = sync(&server, &["--ca-file", not_pem], None);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("no certificate"), "{}", stderr(&out));
}
