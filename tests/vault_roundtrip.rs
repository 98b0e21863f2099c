//! Encrypting an item into the request shape of docs/protocol.md §7.2 and reading it back, with and
//! without a per-cipher key, plus the password-history rule of edits.

use keyfill::crypto::{EncString, SymmetricKey};
use keyfill::keys::Keyring;
use keyfill::vault::decrypt::{decrypt_cipher, decrypt_text, uri_checksum};
use keyfill::vault::encrypt::{encrypt_cipher, record_password_history, EncryptOptions};
use keyfill::vault::records::{Card, Identity};
use keyfill::vault::view::*;
use keyfill::vault::wire::Cipher;
use serde_json::Value;

fn ring() -> Keyring {
    Keyring::new(SymmetricKey::generate().unwrap())
}

fn login() -> CipherView {
    CipherView {
        id: "c1".into(),
        kind: TYPE_LOGIN,
        name: "Bank ☂".into(),
        notes: Some("two\nlines".into()),
        fields: vec![FieldView {
            name: Some("PIN".into()),
            value: Some("0000".into()),
            kind: FIELD_HIDDEN,
            linked_id: None,
        }],
        login: Some(LoginView {
            uris: vec![LoginUriView {
                uri: Some("https://bank.example".into()),
                match_type: Some(1),
            }],
            username: Some("me".into()),
            password: Some("secret-1".into()),
            totp: Some("JBSWY3DPEHPK3PXP".into()),
            ..LoginView::default()
        }),
        ..CipherView::default()
    }
}

fn back(body: &Value, ring: &Keyring) -> CipherView {
    let text = body.to_string();
    let mut wire: Cipher = serde_json::from_str(&text).unwrap();
    wire.id = "c1".into();
    decrypt_cipher(&wire, ring)
}

#[test]
fn a_login_survives_the_round_trip_with_and_without_its_own_key() {
    let ring = ring();
    for use_cipher_key in [false, true] {
        let opts = EncryptOptions {
            existing_key: None,
            use_cipher_key,
            last_known_revision_date: Some("2026-01-01T00:00:00Z"),
        };
        let body = encrypt_cipher(&login(), &ring, &opts).unwrap();
        assert_eq!(body["key"].is_string(), use_cipher_key);
        assert_eq!(body["lastKnownRevisionDate"], "2026-01-01T00:00:00Z");
        assert_eq!(body["type"], 1);
        for k in ["card", "identity", "secureNote", "sshKey"] {
            assert!(body[k].is_null());
        }
        // Every user-entered value is an EncString, never plaintext.
        let text = body.to_string();
        for secret in ["secret-1", "Bank", "0000", "bank.example", "JBSWY3DP"] {
            assert!(!text.contains(secret), "{secret} leaked into the request");
        }
        let view = back(&body, &ring);
        assert!(view.errors.is_empty(), "{:?}", view.errors);
        assert_eq!(view.name, "Bank ☂");
        assert_eq!(view.notes.as_deref(), Some("two\nlines"));
        assert_eq!(view.fields, login().fields);
        let l = view.login.unwrap();
        assert_eq!(l.password.as_deref(), Some("secret-1"));
        assert_eq!(l.uris, login().login.unwrap().uris);
        // The checksum is written for every URI.
        let item_key = body["key"].as_str().map(|k| {
            SymmetricKey::from_bytes(
                &ring
                    .user_key
                    .decrypt(&k.parse::<EncString>().unwrap())
                    .unwrap(),
            )
            .unwrap()
        });
        let checksum = body["login"]["uris"][0]["uriChecksum"].as_str().unwrap();
        let sum = decrypt_text(item_key.as_ref().unwrap_or(&ring.user_key), checksum).unwrap();
        assert_eq!(sum, uri_checksum("https://bank.example"));
    }
}

#[test]
fn a_swapped_uri_on_a_keyed_item_is_dropped() {
    let ring = ring();
    let opts = EncryptOptions {
        existing_key: None,
        use_cipher_key: true,
        last_known_revision_date: None,
    };
    let mut body = encrypt_cipher(&login(), &ring, &opts).unwrap();
    // Replace the URI with another encrypted under the same item key but keep the old checksum.
    let other = {
        let mut v = login();
        v.login.as_mut().unwrap().uris[0].uri = Some("https://evil.example".into());
        encrypt_cipher(
            &v,
            &ring,
            &EncryptOptions {
                existing_key: body["key"].as_str(),
                use_cipher_key: true,
                last_known_revision_date: None,
            },
        )
        .unwrap()
    };
    body["login"]["uris"][0]["uri"] = other["login"]["uris"][0]["uri"].clone();
    let view = back(&body, &ring);
    assert!(view.login.unwrap().uris.is_empty());
    assert!(view.errors.contains(&"uriChecksum".to_string()));
}

#[test]
fn cards_identities_and_notes_round_trip() {
    let ring = ring();
    let mut card = CipherView {
        id: "c1".into(),
        kind: TYPE_CARD,
        name: "Visa".into(),
        ..Default::default()
    };
    card.card = Some(Card {
        number: Some("4111111111111111".into()),
        code: Some("123".into()),
        ..Default::default()
    });
    let mut ident = CipherView {
        id: "c1".into(),
        kind: TYPE_IDENTITY,
        name: "Me".into(),
        ..Default::default()
    };
    ident.identity = Some(Identity {
        last_name: Some("Exämple".into()),
        ..Default::default()
    });
    let note = CipherView {
        id: "c1".into(),
        kind: TYPE_SECURE_NOTE,
        name: "N".into(),
        secure_note: Some(SecureNoteView { kind: 0 }),
        ..Default::default()
    };
    let opts = EncryptOptions {
        existing_key: None,
        use_cipher_key: false,
        last_known_revision_date: None,
    };
    let c = back(&encrypt_cipher(&card, &ring, &opts).unwrap(), &ring);
    assert_eq!(c.card, card.card);
    let i = back(&encrypt_cipher(&ident, &ring, &opts).unwrap(), &ring);
    assert_eq!(i.identity, ident.identity);
    let n = back(&encrypt_cipher(&note, &ring, &opts).unwrap(), &ring);
    assert_eq!(n.secure_note, Some(SecureNoteView { kind: 0 }));
}

#[test]
fn edits_push_old_passwords_and_hidden_fields_to_history() {
    let old = login();
    let mut new = login();
    new.login.as_mut().unwrap().password = Some("secret-2".into());
    new.fields[0].value = Some("1111".into());
    record_password_history(&old, &mut new, "2026-11-22T10:00:00.000Z");
    let h = new.password_history.clone().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].password, "secret-1");
    assert_eq!(h[1].password, "PIN: 0000");
    assert_eq!(
        new.login
            .as_ref()
            .unwrap()
            .password_revision_date
            .as_deref(),
        Some("2026-11-22T10:00:00.000Z")
    );
    // Unchanged password: nothing added. History is capped at five, newest first.
    let mut same = new.clone();
    record_password_history(&new, &mut same, "later");
    assert_eq!(same.password_history.as_ref().unwrap().len(), 2);
    let mut cur = new;
    for i in 0..10 {
        let mut next = cur.clone();
        next.login.as_mut().unwrap().password = Some(format!("p{i}"));
        record_password_history(&cur, &mut next, "t");
        cur = next;
    }
    let h = cur.password_history.unwrap();
    assert_eq!(h.len(), 5);
    assert_eq!(h[0].password, "p8");
}
