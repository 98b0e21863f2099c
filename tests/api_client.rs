//! Logging in against an in-memory transport: the requests built (§6.2–6.5) and what each
//! answer means (prelogin fallback chain, two-factor retry, wrong password, locked account).

#[path = "api_support/mock.rs"]
mod mock;

use keyfill::api::native::block_on;
use keyfill::api::SecondFactor;
use keyfill::crypto::Kdf;
use keyfill::Error;
use mock::*;
use serde_json::{json, Value};

#[test]
fn prelogin_falls_back_to_cozys_path() {
    let (c, mock, _) = client("https://alice.mycozy.cloud/bitwarden");
    mock.answer(404, json!({"error": "Not Found"}))
        .answer(405, json!({"error": "Method Not Allowed"}))
        .answer(200, json!({"Kdf": 0, "KdfIterations": 10000}));
    let p = block_on(c.prelogin(" alice@example.test ")).unwrap();
    assert_eq!(p.kdf, Kdf::Pbkdf2 { iterations: 10000 });
    assert_eq!(
        mock.paths(),
        [
            "POST https://alice.mycozy.cloud/bitwarden/identity/accounts/prelogin/password",
            "POST https://alice.mycozy.cloud/bitwarden/identity/accounts/prelogin",
            "POST https://alice.mycozy.cloud/bitwarden/api/accounts/prelogin",
        ]
    );
    let req = &mock.seen()[0];
    let body: Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({"email": "alice@example.test"}));
    assert_eq!(req.header("bitwarden-client-name"), Some("browser"));
    assert_eq!(req.header("Bitwarden-Client-Version"), Some("2025.6.0"));
    assert_eq!(req.header("Device-Type"), Some("2"));
    assert!(req
        .header("Content-Type")
        .unwrap()
        .starts_with("application/json"));
    // The text is kept verbatim: it is what `AccountMaterial::parse` reads later.
    assert!(p.text.contains("KdfIterations"));
}

#[test]
fn prelogin_refuses_weak_kdf_and_stops_on_other_errors() {
    let (c, mock, _) = client("https://vw.example.org");
    mock.answer(200, json!({"kdf": 0, "kdfIterations": 1000}));
    assert_eq!(
        block_on(c.prelogin("a@b.c")).unwrap_err().code(),
        "kdf_rejected"
    );
    mock.answer(500, json!({"message": "db down"}));
    assert_eq!(block_on(c.prelogin("a@b.c")).unwrap_err().code(), "server");
    assert_eq!(mock.seen().len(), 2, "no fallback on a 500");
    mock.fail(Error::ServerUnreachable);
    assert_eq!(
        block_on(c.prelogin("a@b.c")).unwrap_err(),
        Error::ServerUnreachable
    );
}

#[test]
fn password_grant_form_and_fixture_answer() {
    let (c, mock, _) = client("https://vw.example.org/sub");
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/fixtures/sdk-account/token.json"),
        )
        .unwrap(),
    )
    .unwrap();
    mock.answer(200, fixture);
    let cr = creds();
    let login = block_on(c.login(&cr, None)).unwrap();
    let req = &mock.seen()[0];
    assert_eq!(req.url, "https://vw.example.org/sub/identity/connect/token");
    assert!(req
        .header("content-type")
        .unwrap()
        .starts_with("application/x-www-form-urlencoded"));
    let raw = String::from_utf8(req.body.clone().unwrap()).unwrap();
    assert!(raw.contains("scope=api+offline_access"), "{raw}");
    let f = |n| field(req, n).unwrap();
    assert_eq!(f("grant_type"), "password");
    assert_eq!(f("username"), "alice@example.test");
    assert_eq!(f("client_id"), "browser");
    assert_eq!(f("deviceType"), "2");
    assert_eq!(f("deviceName"), "chrome");
    assert_eq!(
        f("deviceIdentifier"),
        "4b1c0f7e-1111-4222-8333-444455556666"
    );
    assert_eq!(
        f("password").len(),
        44,
        "the base64 server hash, decoded intact"
    );
    assert!(field(req, "twoFactorToken").is_none());
    assert_eq!(login.tokens.access_token, "not-a-real-token");
    assert_eq!(login.tokens.expires_at, NOW + 7200, "not a JWT: expires_in");
    assert!(login.wrapped_user_key.as_deref().unwrap().starts_with("2."));
    assert_eq!(
        login.kdf,
        Some(Kdf::Pbkdf2 {
            iterations: 600_000
        })
    );
    assert_eq!(
        c.tokens().unwrap().refresh_token.as_deref(),
        Some("not-a-real-refresh-token")
    );
    for text in [
        format!("{login:?}"),
        format!("{cr:?}"),
        format!("{:?}", c.tokens()),
        format!("{req:?}"),
    ] {
        assert!(
            !text.contains("not-a-real") && !text.contains(&f("password")),
            "{text}"
        );
    }
}

#[test]
fn two_factor_retry_and_remember_token() {
    let (c, mock, _) = client("https://vw.example.org");
    mock.answer(400, json!({"error": "invalid_grant", "error_description": "Two factor required.",
        "TwoFactorProviders": ["0", "1"], "TwoFactorProviders2": {"0": null, "1": {"Email": "a***@x"}}}));
    let cr = creds();
    assert_eq!(
        block_on(c.login(&cr, None)).unwrap_err(),
        Error::TwoFactorRequired {
            providers: vec![0, 1]
        }
    );
    let mut ok = token_ok("a2");
    ok["TwoFactorToken"] = json!("remember-me-token");
    mock.answer(200, ok);
    let sf = SecondFactor {
        provider: 0,
        token: "123456".into(),
        remember: true,
    };
    let login = block_on(c.login(&cr, Some(&sf))).unwrap();
    assert_eq!(login.remember_token.as_deref(), Some("remember-me-token"));
    let retry = &mock.seen()[1];
    assert_eq!(field(retry, "twoFactorToken").as_deref(), Some("123456"));
    assert_eq!(field(retry, "twoFactorProvider").as_deref(), Some("0"));
    assert_eq!(field(retry, "twoFactorRemember").as_deref(), Some("1"));
    assert!(!format!("{sf:?}").contains("123456"));
    // A refused code (Vaultwarden: a plain 400) asks for a code again.
    mock.answer(
        400,
        json!({"message": "Invalid TOTP code! Server time: x", "object": "error"}),
    );
    assert_eq!(
        block_on(c.login(&cr, Some(&sf))).unwrap_err(),
        Error::TwoFactorRequired { providers: vec![0] }
    );
    // A stale remembered-device token: the server asks again with its providers.
    mock.answer(
        400,
        json!({"error": "invalid_grant", "TwoFactorProviders2": {"0": null}}),
    );
    let remembered = SecondFactor {
        provider: 5,
        token: "old".into(),
        remember: false,
    };
    assert_eq!(
        block_on(c.login(&cr, Some(&remembered))).unwrap_err(),
        Error::TwoFactorRequired { providers: vec![0] }
    );
}

#[test]
fn login_failures_are_told_apart() {
    let (c, mock, _) = client("https://vw.example.org");
    let cr = creds();
    let m = "Username or password is incorrect. Try again";
    let cases = [
        (
            400,
            json!({"message": m, "errorModel": {"message": m}, "error": "", "object": "error"}),
            "wrong_password",
        ),
        (
            400,
            json!({"error": "invalid_grant", "error_description": "invalid_username_or_password",
            "ErrorModel": {"Message": "Username or password is incorrect.", "Object": "error"}}),
            "wrong_password",
        ),
        (401, json!({"error": "invalid password"}), "wrong_password"),
        (
            400,
            json!({"message": "This user has been disabled", "object": "error"}),
            "account_locked",
        ),
        (
            400,
            json!({"error": "invalid_grant", "error_description": "Your account is locked."}),
            "account_locked",
        ),
        (500, json!({"message": "Internal server error"}), "server"),
        (400, json!({"message": "Scope not supported"}), "server"),
        (429, json!({}), "server"),
    ];
    for (status, body, code) in cases {
        mock.answer(status, body.clone());
        let e = block_on(c.login(&cr, None)).unwrap_err();
        assert_eq!(e.code(), code, "{status} {body}");
    }
    // A server echoing the hash back never gets it into the message.
    let hash = field(&mock.seen()[0], "password").unwrap();
    mock.answer(500, json!({"message": format!("cannot check {hash}")}));
    let e = block_on(c.login(&cr, None)).unwrap_err();
    assert!(!e.to_string().contains(&hash), "{e}");
    assert!(c.tokens().is_none());
}

#[test]
fn email_code_request() {
    let (c, mock, _) = client("https://vw.example.org");
    mock.text(200, "");
    let cr = creds();
    block_on(c.send_email_code(&cr)).unwrap();
    let req = &mock.seen()[0];
    assert_eq!(
        req.url,
        "https://vw.example.org/api/two-factor/send-email-login"
    );
    let body: Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["email"], "alice@example.test");
    assert_eq!(
        body["deviceIdentifier"],
        "4b1c0f7e-1111-4222-8333-444455556666"
    );
    assert_eq!(body["masterPasswordHash"].as_str().unwrap().len(), 44);
}

#[test]
fn error_codes_are_stable() {
    let all = [
        (Error::ServerUnreachable, "server_unreachable"),
        (Error::UnknownServer("x".into()), "unknown_server"),
        (
            Error::TwoFactorRequired {
                providers: vec![0, 1],
            },
            "two_factor_required",
        ),
        (Error::AccountLocked, "account_locked"),
        (Error::Tls("x".into()), "tls"),
        (Error::Server("x".into()), "server"),
        (Error::Conflict, "conflict"),
        (Error::LoggedOut, "logged_out"),
    ];
    for (e, code) in all {
        assert_eq!(e.code(), code);
        assert!(!e.hint().is_empty() && !e.to_string().is_empty());
    }
    assert!(Error::TwoFactorRequired {
        providers: vec![0, 1]
    }
    .to_string()
    .contains("authenticator app, e-mail"));
}
