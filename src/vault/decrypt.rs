//! Wire cipher → decrypted view. A field that fails marks the item (its name goes to
//! `CipherView::errors`) and the rest of the item, and of the vault, still opens.

use std::borrow::Cow;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::view::*;
use super::wire::{self, Cipher};
use crate::crypto::batch::Batch;
use crate::crypto::{b64, EncString, SymmetricKey};
use crate::error::{Error, Result};
use crate::keys::Keyring;

/// Decrypts one EncString field with a key, as text.
pub fn decrypt_text(key: &SymmetricKey, text: &str) -> Result<String> {
    let enc: EncString = text.parse()?;
    key.decrypt_string(&enc)
}

/// A walk over an item's encrypted fields. Each field's plaintext comes from `open`: decrypted
/// on the spot, or, when many items are decrypted together, gathered by a first walk and handed
/// out by a second. So the walk asks for the same fields in the same order whatever it gets back.
struct Fields<'o> {
    open: &'o mut Open<'o>,
    errors: Vec<String>,
}

impl Fields<'_> {
    fn mark(&mut self, name: &str) {
        if !self.errors.iter().any(|e| e == name) {
            self.errors.push(name.to_string());
        }
    }

    fn dec(&mut self, name: &str, value: Option<&str>) -> Option<String> {
        let plain = self.dec_quietly(value);
        if value.is_some() && plain.is_none() {
            self.mark(name);
        }
        plain
    }

    fn dec_quietly(&mut self, value: Option<&str>) -> Option<String> {
        (self.open)(value?).ok()
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
            item_key_from(&owner.decrypt(&enc)?).map(Some)
        }
    }
}

/// An item's own key from its unwrapped bytes: a 64-byte AES-256-CBC-HMAC key (§5.5), never a
/// bare 32-byte AES key, which would leave the item's fields without a MAC.
pub fn item_key_from(bytes: &[u8]) -> Result<SymmetricKey> {
    if bytes.len() != 64 {
        return Err(Error::WrongKeyType(format!(
            "an item key of {} bytes (64 expected)",
            bytes.len()
        )));
    }
    SymmetricKey::from_bytes(bytes)
}

/// Checks a decrypted URI against its decrypted checksum, in constant time.
pub fn checksum_matches(uri: &str, checksum: &str) -> bool {
    uri_checksum(uri)
        .as_bytes()
        .ct_eq(checksum.as_bytes())
        .into()
}

/// The key of an item's fields: its own, unwrapped, or its owner's.
pub(crate) enum ItemKey<'r> {
    Own(SymmetricKey),
    Owner(&'r SymmetricKey),
}

impl<'r> ItemKey<'r> {
    /// The key for an item of `organization` (or personal) with its own `wrapped` key or not;
    /// `None` when there is no such key or it does not unwrap.
    pub(crate) fn resolve(
        organization: Option<&str>,
        wrapped: Option<&str>,
        ring: &'r Keyring,
    ) -> Option<Self> {
        match cipher_key(organization, wrapped, ring).ok()? {
            Some(own) => Some(ItemKey::Own(own)),
            None => ring.owner_key(organization).map(ItemKey::Owner),
        }
    }

    pub(crate) fn get(&self) -> &SymmetricKey {
        match self {
            ItemKey::Own(key) => key,
            ItemKey::Owner(key) => key,
        }
    }
}

fn item_key<'r>(cipher: &Cipher, ring: &'r Keyring) -> Option<ItemKey<'r>> {
    ItemKey::resolve(
        cipher.organization_id.as_deref(),
        cipher.key.as_deref(),
        ring,
    )
}

/// Decrypts a whole cipher. Never fails: problems are recorded in `errors`.
pub fn decrypt_cipher(cipher: &Cipher, ring: &Keyring) -> CipherView {
    match item_key(cipher, ring) {
        Some(key) => view_of(cipher, Some(&mut |text| decrypt_text(key.get(), text))),
        None => view_of(cipher, None),
    }
}

/// A cipher's view, its fields from `open` (`None`: the cipher has no usable key).
fn view_of(cipher: &Cipher, open: Option<&mut Open<'_>>) -> CipherView {
    let mut view = plain_parts(cipher);
    match open {
        Some(open) => walk(cipher, &mut view, open),
        None => view.errors.push("key".into()),
    }
    view
}

/// Decrypts many ciphers together, giving what `decrypt_cipher` gives for each.
pub fn decrypt_ciphers(ciphers: &[&Cipher], ring: &Keyring) -> Vec<CipherView> {
    open_in_batches(
        ciphers,
        |c| item_key(c, ring),
        |c, open| {
            // Only `kind` steers the walk; this view is thrown away.
            let mut gathering = CipherView {
                kind: cipher_kind(c).unwrap_or(0),
                ..CipherView::default()
            };
            walk(c, &mut gathering, open);
        },
        |c, open| view_of(c, open),
    )
}

/// Gives the plaintext of one EncString field, or why it could not.
pub(crate) type Open<'a> = dyn FnMut(&str) -> Result<String> + 'a;

/// How many items share one `Batch`: enough that its buffers are allocated rarely, few enough
/// that they stay in cache (measured: 32 and 512 were slower than 128, natively and in wasm).
pub(crate) const ITEMS_PER_BATCH: usize = 128;

/// Opens the encrypted fields of many items a batch at a time, giving what opening them one by
/// one gives. `gather` walks an item's fields so that one `Batch` collects them (what it is
/// handed back is empty and thrown away); `build` walks them again and is handed their
/// plaintexts, or `None` when the item has no usable key. Both walks must ask for the same
/// fields in the same order whatever they get back.
pub(crate) fn open_in_batches<'r, T, R>(
    items: &[T],
    key_of: impl Fn(&T) -> Option<ItemKey<'r>>,
    mut gather: impl FnMut(&T, &mut Open<'_>),
    mut build: impl FnMut(&T, Option<&mut Open<'_>>) -> R,
) -> Vec<R> {
    let mut out = Vec::with_capacity(items.len());
    for chunk in items.chunks(ITEMS_PER_BATCH) {
        let keys: Vec<Option<ItemKey<'r>>> = chunk.iter().map(&key_of).collect();
        let mut batch = Batch::new();
        for (item, key) in chunk.iter().zip(&keys) {
            if let Some(key) = key {
                // An empty text costs no allocation.
                gather(item, &mut |text| {
                    batch.push(key.get(), text);
                    Ok(String::new())
                });
            }
        }
        let mut plain = batch.decrypt_texts().into_iter();
        let mut next = |_: &str| plain.next().expect("the fields of the first walk");
        for (item, key) in chunk.iter().zip(&keys) {
            let open = if key.is_some() {
                Some(&mut next as &mut Open<'_>)
            } else {
                None
            };
            out.push(build(item, open));
        }
    }
    out
}

/// Fills `view`'s encrypted parts from `cipher`, whose type `view.kind` already holds.
fn walk(cipher: &Cipher, view: &mut CipherView, open: &mut Open<'_>) {
    let mut f = Fields {
        open,
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
                    last_used_date: owned(&h.last_used_date),
                })
            })
            .collect()
    });
    match view.kind {
        TYPE_LOGIN => {
            let w = or_default(&cipher.login);
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
            let w = or_default(&cipher.card);
            view.card = w.map(|n, v| Ok::<_, ()>(f.dec(n, v))).ok();
        }
        TYPE_IDENTITY => {
            let w = or_default(&cipher.identity);
            view.identity = w.map(|n, v| Ok::<_, ()>(f.dec(n, v))).ok();
        }
        TYPE_SSH_KEY => {
            let w = or_default(&cipher.ssh_key);
            view.ssh_key = w.map(|n, v| Ok::<_, ()>(f.dec(n, v))).ok();
        }
        _ => f.mark("type"),
    }
    view.errors = f.errors;
}

fn or_default<T: Default + Clone>(part: &Option<T>) -> Cow<'_, T> {
    part.as_ref()
        .map_or_else(|| Cow::Owned(T::default()), Cow::Borrowed)
}

fn decrypt_login(w: &wire::Login, f: &mut Fields<'_>, keyed: bool) -> LoginView {
    let mut uris = Vec::new();
    for u in w.uris.iter().flatten() {
        let uri = f.dec("uris", u.uri.as_deref());
        // Checksums are enforced only on keyed ciphers, as the official clients do (§7.1).
        // Opened even when the URI failed, so every walk asks for the same fields.
        let sum = keyed.then_some(u.uri_checksum.as_deref()).flatten();
        let sum_plain = f.dec_quietly(sum);
        if let (Some(plain), Some(_)) = (&uri, sum) {
            if !sum_plain.is_some_and(|s| checksum_matches(plain, &s)) {
                f.mark("uriChecksum");
                continue;
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
        password_revision_date: owned(&w.password_revision_date),
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

fn cipher_kind(c: &Cipher) -> Option<u8> {
    c.kind.and_then(|k| u8::try_from(k).ok())
}

/// The parts of a view that are not encrypted.
fn plain_parts(c: &Cipher) -> CipherView {
    let mut errors = Vec::new();
    let kind = cipher_kind(c);
    if !matches!(kind, Some(1..=5)) {
        errors.push("type".into());
    }
    let kind = kind.unwrap_or(0);
    CipherView {
        id: c.id.to_string(),
        organization_id: owned(&c.organization_id),
        folder_id: owned(&c.folder_id),
        kind,
        reprompt: c.reprompt.and_then(|r| u8::try_from(r).ok()).unwrap_or(0),
        favorite: c.favorite,
        collection_ids: c.organization_id.as_ref().and(c.collection_ids.clone()),
        revision_date: owned(&c.revision_date),
        creation_date: owned(&c.creation_date),
        deleted_date: owned(&c.deleted_date),
        errors,
        ..CipherView::default()
    }
}

fn owned(text: &Option<Cow<'_, str>>) -> Option<String> {
    text.as_deref().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_key_must_be_64_bytes() {
        let ring = Keyring::new(SymmetricKey::from_bytes(&[3u8; 64]).unwrap());
        for (len, ok) in [(64, true), (32, false), (63, false), (0, false)] {
            let wrapped = ring.user_key.encrypt(&vec![7u8; len]).unwrap().to_string();
            let got = cipher_key(None, Some(&wrapped), &ring);
            assert_eq!(got.is_ok(), ok, "{len} bytes");
            if !ok {
                assert_eq!(got.err().unwrap().code(), "wrong_key_type");
            }
        }
    }
}
