//! Wire cipher → decrypted view. A field that fails marks the item (its name goes to
//! `CipherView::errors`) and the rest of the item, and of the vault, still opens.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::view::*;
use super::wire::{self, Cipher};
use crate::account::Keyring;
use crate::crypto::{b64, EncString, SymmetricKey};
use crate::error::{Error, Result};

/// Decrypts one EncString field with a key, as text.
pub fn decrypt_text(key: &SymmetricKey, text: &str) -> Result<String> {
    let enc: EncString = text.parse()?;
    key.decrypt_string(&enc)
}

struct Fields<'k> {
    key: &'k SymmetricKey,
    errors: Vec<String>,
}

impl Fields<'_> {
    fn mark(&mut self, name: &str) {
        if !self.errors.iter().any(|e| e == name) {
            self.errors.push(name.to_string());
        }
    }

    fn dec(&mut self, name: &str, value: Option<&str>) -> Option<String> {
        let text = value?;
        match decrypt_text(self.key, text) {
            Ok(plain) => Some(plain),
            Err(_) => {
                self.mark(name);
                None
            }
        }
    }
}

/// The key a cipher's fields are encrypted with: its own key when it has one (§5.5), unwrapped
/// with the owner's key, else `None` (the owner's key is used).
pub fn cipher_key(
    organization_id: Option<&str>,
    wrapped: Option<&str>,
    ring: &Keyring,
) -> Result<Option<SymmetricKey>> {
    let owner = ring
        .owner_key(organization_id)
        .ok_or_else(|| Error::malformed("no key for the item's organization"))?;
    match wrapped {
        None => Ok(None),
        Some(text) => {
            let enc: EncString = text.parse()?;
            SymmetricKey::from_bytes(&owner.decrypt(&enc)?).map(Some)
        }
    }
}

/// Checks a decrypted URI against its decrypted checksum, in constant time.
pub fn checksum_matches(uri: &str, checksum: &str) -> bool {
    uri_checksum(uri)
        .as_bytes()
        .ct_eq(checksum.as_bytes())
        .into()
}

/// Decrypts a whole cipher. Never fails: problems are recorded in `errors`.
pub fn decrypt_cipher(cipher: &Cipher, ring: &Keyring) -> CipherView {
    let mut view = plain_parts(cipher);
    let own_key = match cipher_key(
        cipher.organization_id.as_deref(),
        cipher.key.as_deref(),
        ring,
    ) {
        Ok(k) => k,
        Err(_) => {
            view.errors.push("key".into());
            return view;
        }
    };
    let Some(key) = own_key
        .as_ref()
        .or_else(|| ring.owner_key(cipher.organization_id.as_deref()))
    else {
        view.errors.push("key".into());
        return view;
    };
    let mut f = Fields {
        key,
        errors: std::mem::take(&mut view.errors),
    };
    match f.dec("name", cipher.name.as_deref()) {
        Some(name) => view.name = name,
        None => f.mark("name"),
    }
    view.notes = f.dec("notes", cipher.notes.as_deref());
    view.fields = cipher
        .fields
        .iter()
        .flatten()
        .map(|w| FieldView {
            name: f.dec("fields", w.name.as_deref()),
            value: f.dec("fields", w.value.as_deref()),
            kind: w
                .kind
                .and_then(|k| u8::try_from(k).ok())
                .unwrap_or(FIELD_TEXT),
            linked_id: w.linked_id,
        })
        .collect();
    view.password_history = cipher.password_history.as_ref().map(|list| {
        list.iter()
            .filter_map(|h| {
                Some(PasswordHistoryView {
                    password: f.dec("passwordHistory", h.password.as_deref())?,
                    last_used_date: h.last_used_date.clone(),
                })
            })
            .collect()
    });
    match view.kind {
        TYPE_LOGIN => {
            let w = cipher.login.clone().unwrap_or_default();
            view.login = Some(decrypt_login(&w, &mut f, cipher.key.is_some()));
        }
        TYPE_SECURE_NOTE => {
            let kind = cipher
                .secure_note
                .as_ref()
                .and_then(|n| n.kind)
                .unwrap_or(0);
            view.secure_note = Some(SecureNoteView {
                kind: u8::try_from(kind).unwrap_or(0),
            });
        }
        TYPE_CARD => {
            let w = cipher.card.clone().unwrap_or_default();
            view.card = w.map(|n, v| Ok::<_, ()>(f.dec(n, v))).ok();
        }
        TYPE_IDENTITY => {
            let w = cipher.identity.clone().unwrap_or_default();
            view.identity = w.map(|n, v| Ok::<_, ()>(f.dec(n, v))).ok();
        }
        TYPE_SSH_KEY => {
            let w = cipher.ssh_key.clone().unwrap_or_default();
            view.ssh_key = w.map(|n, v| Ok::<_, ()>(f.dec(n, v))).ok();
        }
        _ => f.mark("type"),
    }
    view.errors = f.errors;
    view
}

fn decrypt_login(w: &wire::Login, f: &mut Fields<'_>, keyed: bool) -> LoginView {
    let mut uris = Vec::new();
    for u in w.uris.iter().flatten() {
        let uri = f.dec("uris", u.uri.as_deref());
        // Checksums are enforced only on keyed ciphers, as the official clients do (§7.1).
        if keyed {
            if let (Some(plain), Some(sum)) = (&uri, u.uri_checksum.as_deref()) {
                let ok = f
                    .dec("uriChecksum", Some(sum))
                    .map(|s| checksum_matches(plain, &s))
                    .unwrap_or(false);
                if !ok {
                    f.mark("uriChecksum");
                    continue;
                }
            }
        }
        uris.push(LoginUriView {
            uri,
            match_type: u.match_type,
        });
    }
    LoginView {
        uris,
        username: f.dec("username", w.username.as_deref()),
        password: f.dec("password", w.password.as_deref()),
        totp: f.dec("totp", w.totp.as_deref()),
        password_revision_date: w.password_revision_date.clone(),
        autofill_on_page_load: w.autofill_on_page_load,
        fido2_credentials: w
            .fido2_credentials
            .iter()
            .flatten()
            .filter_map(|c| {
                c.map(|n, v| {
                    if n == "creationDate" {
                        Ok::<_, ()>(v.map(str::to_string))
                    } else {
                        Ok(f.dec("fido2Credentials", v))
                    }
                })
                .ok()
            })
            .collect(),
    }
}

/// `Base64(SHA-256(uri))`, encrypted alongside each URI (§7.1).
pub fn uri_checksum(uri: &str) -> String {
    b64::encode(&Sha256::digest(uri.as_bytes()))
}

/// The parts of a view that are not encrypted.
fn plain_parts(c: &Cipher) -> CipherView {
    let mut errors = Vec::new();
    let kind = match c.kind.and_then(|k| u8::try_from(k).ok()) {
        Some(k @ 1..=5) => k,
        Some(k) => {
            errors.push("type".into());
            k
        }
        None => {
            errors.push("type".into());
            0
        }
    };
    CipherView {
        id: c.id.clone(),
        organization_id: c.organization_id.clone(),
        folder_id: c.folder_id.clone(),
        kind,
        reprompt: c.reprompt.and_then(|r| u8::try_from(r).ok()).unwrap_or(0),
        favorite: c.favorite,
        collection_ids: c.organization_id.as_ref().and(c.collection_ids.clone()),
        revision_date: c.revision_date.clone(),
        creation_date: c.creation_date.clone(),
        deleted_date: c.deleted_date.clone(),
        errors,
        ..CipherView::default()
    }
}
