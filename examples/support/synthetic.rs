//! A synthetic account for benchmarks: `n` items (mostly logins, some cards, identities and
//! notes), about six EncStrings each, as a sync response.

use keyfill::crypto::Kdf;
use keyfill::keys::{self, NewAccount};
use keyfill::vault::encrypt::{encrypt_cipher, EncryptOptions};
use keyfill::vault::records::Card;
use keyfill::vault::view::*;
use serde_json::{json, Value};

pub const EMAIL: &str = "bench@example.test";
pub const PASSWORD: &str = "benchmark master password";

use crate::rng::Rng;

fn item(i: usize, rng: &mut Rng) -> CipherView {
    // About three items per registrable domain, as in a real vault.
    let domain = format!(
        "site{}{}",
        rng.below(3000),
        [".com", ".co.uk", ".org"][rng.below(3)]
    );
    let mut v = CipherView {
        id: format!("00000000-0000-4000-8000-{i:012}"),
        name: format!("Account {i} at {domain}"),
        favorite: rng.below(20) == 0,
        ..CipherView::default()
    };
    match rng.below(20) {
        0 => {
            v.kind = TYPE_CARD;
            v.card = Some(Card {
                cardholder_name: Some("Bench Mark".into()),
                brand: Some("Visa".into()),
                number: Some(format!("4111111111{:06}", i % 1_000_000)),
                exp_month: Some("7".into()),
                exp_year: Some("2031".into()),
                code: Some("123".into()),
            });
        }
        1 => {
            v.kind = TYPE_SECURE_NOTE;
            v.notes = Some(format!("note {i} with some longer text in it to decrypt"));
            v.secure_note = Some(SecureNoteView { kind: 0 });
        }
        _ => {
            v.kind = TYPE_LOGIN;
            v.login = Some(LoginView {
                uris: vec![
                    LoginUriView {
                        uri: Some(format!("https://login.{domain}/signin")),
                        match_type: None,
                    },
                    LoginUriView {
                        uri: Some(format!("https://{domain}")),
                        match_type: None,
                    },
                ],
                username: Some(format!("user{i}@mail.example")),
                password: Some(format!("pw-{:016x}", rng.next_u64())),
                totp: (rng.below(5) == 0).then(|| "JBSWY3DPEHPK3PXP".to_string()),
                ..LoginView::default()
            });
        }
    }
    v
}

/// `n` synthetic items (the same ones `account` encrypts).
pub fn items(n: usize) -> Vec<CipherView> {
    let mut rng = Rng(42);
    (0..n).map(|i| item(i, &mut rng)).collect()
}

/// Prelogin and sync JSON text for an account of `n` items, with the given KDF.
#[allow(dead_code)] // not every benchmark builds whole accounts
pub fn account(n: usize, kdf: Kdf) -> (String, String) {
    let NewAccount {
        ring,
        wrapped_user_key,
        wrapped_private_key,
        ..
    } = keyfill::crypto::asymmetric::ready(keys::create(EMAIL, PASSWORD, kdf)).expect("account");
    let opts = EncryptOptions {
        existing_key: None,
        use_cipher_key: false,
        last_known_revision_date: None,
    };
    let ciphers: Vec<Value> = items(n)
        .into_iter()
        .map(|v| {
            let mut body = encrypt_cipher(&v, &ring, &opts).expect("encrypt");
            body["id"] = json!(v.id);
            body["revisionDate"] = json!("2026-01-01T00:00:00.000000Z");
            body["creationDate"] = json!("2026-01-01T00:00:00.000000Z");
            body["deletedDate"] = Value::Null;
            body["object"] = json!("cipherDetails");
            body
        })
        .collect();
    let sync = json!({
        "profile": { "id": "p", "email": EMAIL, "key": wrapped_user_key, "privateKey": wrapped_private_key,
                     "securityStamp": "s", "organizations": [] },
        "folders": [], "collections": [], "policies": [], "ciphers": ciphers, "domains": null, "object": "sync"
    });
    (keyfill::session::prelogin_json(&kdf), sync.to_string())
}
