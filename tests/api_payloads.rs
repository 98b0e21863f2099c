//! Parsing the servers' answers (docs/protocol.md §6.3–6.14) in every casing they use: the SDK-made
//! fixture's `token.json` (Vaultwarden shape), the same in camelCase, Cozy's PascalCase, and the
//! error and two-factor shapes quoted in §6.5 and §6.7.

#[path = "support/data.rs"]
mod data;

use keyfill::api::payloads::{
    form, jwt_expiry, parse_config_version, parse_revision_date, security_stamp, status_of,
    Failure, Saved, TokenAnswer,
};
use keyfill::crypto::Kdf;
use serde_json::json;

fn token_fixture() -> String {
    data::sdk_account("token.json")
}

#[test]
fn fixture_token_response_reads_case_insensitively() {
    let text = token_fixture();
    let a = TokenAnswer::parse(text.as_bytes());
    assert_eq!(a.access_token.as_deref(), Some("not-a-real-token"));
    assert_eq!(a.refresh_token.as_deref(), Some("not-a-real-refresh-token"));
    assert_eq!(a.expires_in, Some(7200));
    assert!(a.wrapped_user_key().unwrap().starts_with("2.iY5tefiz"));
    assert!(a.private_key.as_deref().unwrap().starts_with("2.4ZMYmG5U"));
    assert_eq!(
        a.kdf().unwrap(),
        Some(Kdf::Pbkdf2 {
            iterations: 600_000
        })
    );
    assert_eq!(a.two_factor_providers(), None);
    // The same answer with camelCase custom fields (as a newer server could send) reads alike.
    let camel = text
        .replace("\"Key\"", "\"key\"")
        .replace("\"PrivateKey\"", "\"privateKey\"")
        .replace("\"Kdf\"", "\"kdf\"")
        .replace("\"KdfIterations\"", "\"kdfIterations\"");
    let b = TokenAnswer::parse(camel.as_bytes());
    assert_eq!(b.wrapped_user_key(), a.wrapped_user_key());
    assert_eq!(b.kdf().unwrap(), a.kdf().unwrap());
}

#[test]
fn user_decryption_options_give_kdf_key_and_salt() {
    let body = json!({
        "access_token": "t", "expires_in": 3600, "token_type": "Bearer",
        "UserDecryptionOptions": {
            "HasMasterPassword": true,
            "MasterPasswordUnlock": {
                "Kdf": {"KdfType": 1, "Iterations": 3, "Memory": 64, "Parallelism": 4},
                "MasterKeyEncryptedUserKey": "2.a|b|c", "MasterKeyWrappedUserKey": "2.a|b|c",
                "Salt": "Alice@Example.test"
            },
            "Object": "userDecryptionOptions"
        }
    });
    let a = TokenAnswer::parse(body.to_string().as_bytes());
    assert_eq!(
        a.kdf().unwrap(),
        Some(Kdf::Argon2id {
            iterations: 3,
            memory_mib: 64,
            parallelism: 4
        })
    );
    assert_eq!(a.wrapped_user_key().as_deref(), Some("2.a|b|c"));
    assert_eq!(a.salt().as_deref(), Some("Alice@Example.test"));
    // Out-of-bounds KDF in a token answer is refused, not used.
    let weak = json!({"access_token": "t", "Kdf": 0, "KdfIterations": 1000});
    let e = TokenAnswer::parse(weak.to_string().as_bytes())
        .kdf()
        .unwrap_err();
    assert_eq!(e.code(), "kdf_rejected");
}

#[test]
fn two_factor_challenges_from_every_server() {
    // Vaultwarden (§6.5): providers as strings, the map's keys are what counts.
    let vw = json!({
        "error": "invalid_grant", "error_description": "Two factor required.",
        "TwoFactorProviders": ["0", "1"],
        "TwoFactorProviders2": {"0": null, "1": {"Email": "al***@example.test"}},
        "MasterPasswordPolicy": {"Object": "masterPasswordPolicy"}
    });
    assert_eq!(
        TokenAnswer::parse(vw.to_string().as_bytes()).two_factor_providers(),
        Some(vec![0, 1])
    );
    // Cozy: ints, e-mail only.
    let cozy = json!({"error": "invalid_grant", "error_description": "Two factor required.",
        "TwoFactorProviders": [1], "TwoFactorProviders2": {"1": {"Email": "***@alice.cozy"}}});
    assert_eq!(
        TokenAnswer::parse(cozy.to_string().as_bytes()).two_factor_providers(),
        Some(vec![1])
    );
    // Only the list (an older server).
    let list = json!({"error": "invalid_grant", "TwoFactorProviders": [0, 5]});
    assert_eq!(
        TokenAnswer::parse(list.to_string().as_bytes()).two_factor_providers(),
        Some(vec![0, 5])
    );
    // Out of order and repeated: sorted, once each.
    let list = json!({"error": "invalid_grant", "TwoFactorProviders": [5, "0", 5, 255, 256]});
    assert_eq!(
        TokenAnswer::parse(list.to_string().as_bytes()).two_factor_providers(),
        Some(vec![0, 5, 255])
    );
    // Not JSON at all (a proxy's page) reads as an empty answer.
    let html = TokenAnswer::parse(b"<html>502</html>");
    assert!(html.access_token.is_none() && html.two_factor_providers().is_none());
}

#[test]
fn error_messages_in_the_order_of_section_6_7() {
    let m = "Username or password is incorrect. Try again";
    let vw = json!({
        "message": m, "validationErrors": {"": [m]},
        "errorModel": {"message": m, "object": "error"},
        "error": "", "error_description": "", "exceptionMessage": null, "object": "error"
    });
    let f = Failure::parse(vw.to_string().as_bytes());
    assert_eq!(f.message().as_deref(), Some(m));
    assert_eq!(f.code(), None);
    let official = json!({"error": "invalid_grant", "error_description": "invalid_username_or_password",
        "ErrorModel": {"Message": "Username or password is incorrect.", "Object": "error"}});
    assert_eq!(
        Failure::parse(official.to_string().as_bytes())
            .message()
            .as_deref(),
        Some("Username or password is incorrect.")
    );
    let cozy = Failure::parse(br#"{"error": "invalid refresh token"}"#);
    assert_eq!(cozy.message().as_deref(), Some("invalid refresh token"));
    let catcher = json!({"error": {"code": 404, "reason": "Not Found",
        "description": "The requested resource could not be found."}});
    assert_eq!(
        Failure::parse(catcher.to_string().as_bytes())
            .message()
            .as_deref(),
        Some("The requested resource could not be found.")
    );
    let only_validation = json!({"validationErrors": {"Ciphers[0].Notes": ["too long"]}});
    assert_eq!(
        Failure::parse(only_validation.to_string().as_bytes())
            .message()
            .as_deref(),
        Some("too long")
    );
}

#[test]
fn described_errors_hide_what_was_sent() {
    let hash = "wmyadRMyBZOH7P/a/ucTCbSghKgdzDpPqUnu/DAVtSw=";
    let echo = json!({"message": format!("bad hash {hash}\n\u{1b}[31m")});
    let text = Failure::parse(echo.to_string().as_bytes()).describe(400, &[hash]);
    assert!(!text.contains(hash), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\n'));
    assert_eq!(status_of(&text), Some(400));
    let empty = Failure::parse(b"").describe(502, &[]);
    assert_eq!(status_of(&empty), Some(502));
    let long = json!({"message": "x".repeat(5000)});
    assert!(
        Failure::parse(long.to_string().as_bytes())
            .describe(500, &[])
            .len()
            < 400
    );
}

#[test]
fn revision_dates_json_or_text() {
    assert_eq!(
        parse_revision_date(b"1735689600123").unwrap(),
        1735689600123
    );
    assert_eq!(
        parse_revision_date(b" 1735689600123\n").unwrap(),
        1735689600123
    );
    assert_eq!(
        parse_revision_date(b"-62135596800000").unwrap(),
        -62135596800000
    );
    assert_eq!(parse_revision_date(b"\"17\"").unwrap(), 17);
    assert_eq!(parse_revision_date(b"1.7e3").unwrap(), 1700);
    assert_eq!(
        parse_revision_date(b"soon").unwrap_err().code(),
        "malformed"
    );
}

#[test]
fn config_versions() {
    let vw = json!({"version": "2026.6.0", "gitHash": "x", "server": {"name": "Vaultwarden"},
        "object": "config"});
    assert_eq!(
        parse_config_version(vw.to_string().as_bytes()),
        Some((2026, 6, 0))
    );
    assert_eq!(
        parse_config_version(br#"{"Version": "2024.2.1-beta"}"#),
        Some((2024, 2, 1))
    );
    assert_eq!(parse_config_version(br#"{"version": "x"}"#), None);
    assert_eq!(parse_config_version(b"Not Found"), None);
}

#[test]
fn jwt_expiry_is_read_from_the_payload() {
    use base64::Engine;
    let enc = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let token = format!(
        "{}.{}.sig",
        enc(json!({"alg": "HS256"})),
        enc(json!({"exp": 1_900_000_000u64, "sub": "u~?>"}))
    );
    assert_eq!(jwt_expiry(&token), Some(1_900_000_000));
    assert_eq!(jwt_expiry("not-a-real-token"), None);
    assert_eq!(jwt_expiry("a.%%%.c"), None);
}

#[test]
fn security_stamp_in_both_casings() {
    let camel = json!({"profile": {"securityStamp": "s1"}, "ciphers": []});
    assert_eq!(
        security_stamp(&camel.to_string()).unwrap().as_deref(),
        Some("s1")
    );
    let pascal = json!({"Profile": {"SecurityStamp": "s2"}, "Ciphers": []});
    assert_eq!(
        security_stamp(&pascal.to_string()).unwrap().as_deref(),
        Some("s2")
    );
    assert!(security_stamp(&data::sdk_account("sync.json"))
        .unwrap()
        .is_some());
    assert!(security_stamp("{}").is_err());
}

#[test]
fn saved_items_keep_their_json() {
    let cozy =
        br#"{"Id": "abc", "RevisionDate": "2026-01-02T03:04:05.123456789Z", "Name": "2.x|y|z"}"#;
    let s = Saved::parse(cozy).unwrap();
    assert_eq!(s.id, "abc");
    assert_eq!(
        s.revision_date.as_deref(),
        Some("2026-01-02T03:04:05.123456789Z")
    );
    assert!(s.json.contains("\"Name\""));
    assert!(!format!("{s:?}").contains("2.x"));
    assert!(Saved::parse(b"{}").is_err());
}

#[test]
fn form_bodies_are_percent_encoded() {
    let body = form(&[
        ("password", "a+b/c=="),
        ("scope", "api offline_access"),
        ("username", "a@b.c"),
    ]);
    let text = String::from_utf8(body).unwrap();
    assert_eq!(
        text,
        "password=a%2Bb%2Fc%3D%3D&scope=api+offline_access&username=a%40b.c"
    );
}
