//! Decrypting many items together (one batch for the whole vault) gives exactly what decrypting
//! them one by one gives, damaged items included.

#[path = "support/data.rs"]
mod data;

use keyfill::crypto::SymmetricKey;
use keyfill::keys::Keyring;
use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::decrypt::{decrypt_cipher, decrypt_ciphers};
use keyfill::vault::encrypt::{encrypt_cipher, EncryptOptions};
use keyfill::vault::records::Card;
use keyfill::vault::view::*;
use keyfill::vault::wire::Cipher;
use serde_json::{json, Value};

fn item(n: usize) -> CipherView {
    let mut view = CipherView {
        id: format!("c{n}"),
        kind: [TYPE_LOGIN, TYPE_CARD, TYPE_SECURE_NOTE][n % 3],
        name: format!("item {n} ☂"),
        notes: n.is_multiple_of(2).then(|| "n".repeat(n * 7)),
        fields: (0..n % 3)
            .map(|f| FieldView {
                name: Some(format!("field {f}")),
                value: Some("v".repeat(f * 20)),
                kind: FIELD_HIDDEN,
                linked_id: None,
            })
            .collect(),
        password_history: Some(vec![PasswordHistoryView {
            password: format!("old {n}"),
            last_used_date: Some("2026-01-01T00:00:00Z".into()),
        }]),
        ..CipherView::default()
    };
    match view.kind {
        TYPE_LOGIN => {
            view.login = Some(LoginView {
                uris: (0..2)
                    .map(|u| LoginUriView {
                        uri: Some(format!("https://site{n}-{u}.example/")),
                        match_type: None,
                    })
                    .collect(),
                username: Some(format!("user{n}")),
                password: Some("p".repeat(n % 40)),
                ..LoginView::default()
            })
        }
        TYPE_CARD => {
            view.card = Some(Card {
                number: Some("4111111111111111".into()),
                code: Some("123".into()),
                ..Card::default()
            })
        }
        _ => view.secure_note = Some(SecureNoteView { kind: 0 }),
    }
    view
}

/// Flips a character inside the MAC of the EncString at `body[path...]`.
fn tamper(body: &mut Value, pointer: &str) {
    let text = body.pointer_mut(pointer).unwrap();
    let mut s = text.as_str().unwrap().to_string();
    let at = s.len() - 4;
    let c = if &s[at..=at] == "A" { "B" } else { "A" };
    s.replace_range(at..=at, c);
    *text = json!(s);
}

/// The stored text of an encrypted item, under a test id.
fn wire_text(mut body: Value, n: usize) -> String {
    body["id"] = json!(format!("c{n}"));
    body.to_string()
}

#[test]
fn many_items_decrypt_together_as_they_do_one_by_one() {
    let ring = Keyring::new(SymmetricKey::generate().unwrap());
    let mut texts = Vec::new();
    for n in 0..60 {
        let opts = EncryptOptions {
            existing_key: None,
            use_cipher_key: n % 4 == 1,
            last_known_revision_date: None,
        };
        let mut body = encrypt_cipher(&item(n), &ring, &opts).unwrap();
        match n % 10 {
            3 => tamper(&mut body, "/name"),
            4 if body["login"].is_object() => tamper(&mut body, "/login/uris/0/uri"),
            5 if body["key"].is_string() => tamper(&mut body, "/key"),
            5 if body["login"].is_object() => tamper(&mut body, "/login/password"),
            6 => body["organizationId"] = json!("an organization we have no key for"),
            7 => body["type"] = json!(9),
            8 => body["notes"] = json!("2.not|an|encstring"),
            _ => {}
        }
        // A keyed login whose first checksum belongs to the other URI.
        if n % 4 == 1 && n % 10 == 9 && body["login"].is_object() {
            body["login"]["uris"][0]["uriChecksum"] =
                body["login"]["uris"][1]["uriChecksum"].clone();
        }
        texts.push(wire_text(body, n));
    }
    let ciphers: Vec<Cipher> = texts
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect();
    let refs: Vec<&Cipher> = ciphers.iter().collect();
    let together = decrypt_ciphers(&refs, &ring);
    assert_eq!(together.len(), ciphers.len());
    let mut damaged = 0;
    for (c, view) in ciphers.iter().zip(&together) {
        let alone = decrypt_cipher(c, &ring);
        assert_eq!(
            serde_json::to_value(view).unwrap(),
            serde_json::to_value(&alone).unwrap(),
            "item {}",
            c.id
        );
        damaged += usize::from(!alone.errors.is_empty());
    }
    // The damage above really marks items, so both paths were compared on failures too.
    assert!(damaged >= 20, "{damaged} damaged items");
    assert!(together
        .iter()
        .any(|v| v.errors.contains(&"uriChecksum".to_string())));
}

#[test]
fn the_sdk_account_opens_whole_as_it_does_item_by_item() {
    let fixture = data::sdk_account;
    let mut session = Session::new();
    let material = AccountMaterial::parse(&fixture("prelogin.json"), fixture("sync.json")).unwrap();
    session
        .unlock(
            fixture("email").trim(),
            fixture("password").trim_end_matches('\n'),
            material,
        )
        .unwrap();
    let vault = session.vault().unwrap();
    assert!(vault.ciphers.len() > 3);
    for view in &vault.ciphers {
        let alone = session.item(&view.id).unwrap();
        assert_eq!(
            serde_json::to_value(view).unwrap(),
            serde_json::to_value(&alone).unwrap()
        );
    }
}
