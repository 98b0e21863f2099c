//! What a server account needs from the session beside editing: the stored (encrypted) form of
//! an item to queue for the server, re-opening on a new sync with the key already held, and
//! sealing small secrets (tokens) under the user key before they are stored.

use serde_json::Value;

use super::{AccountMaterial, Session};
use subtle::ConstantTimeEq;

use crate::crypto::{EncString, SymmetricKey};
use crate::error::{Error, Result};
use crate::keys::Keyring;
use crate::vault::decrypt::decrypt_cipher;
use crate::vault::view::CipherView;
use crate::vault::wire::Cipher;

impl Session {
    /// Whether new items get their own key (§5.5): the server must support it (never Cozy).
    pub fn set_cipher_keys(&mut self, yes: bool) {
        self.cipher_keys = yes;
    }

    /// A copy of the user key held, to open new material's keyring with ([`super::open_keyring`]).
    pub fn user_key(&self) -> Result<SymmetricKey> {
        SymmetricKey::from_bytes(&self.unlocked()?.ring.user_key.to_bytes())
    }

    /// Re-opens on new material (a fresh sync) with its keyring, opened from [`Self::user_key`].
    /// `locked` if the vault was locked, or opened with another key, while the keyring opened.
    pub fn reopen(&mut self, ring: Keyring, material: AccountMaterial) -> Result<()> {
        let held = self.unlocked()?.ring.user_key.to_bytes();
        if !bool::from(held[..].ct_eq(&ring.user_key.to_bytes()[..])) {
            return Err(Error::Locked);
        }
        self.open(ring, material)
    }

    /// The item as stored: the encrypted §7.1 JSON.
    pub fn stored_cipher(&self, id: &str) -> Result<Value> {
        let s = self.unlocked()?;
        let i = *s
            .positions
            .get(id)
            .ok_or_else(|| Error::NotFound("item".into()))?;
        serde_json::from_str(s.material.cipher_text(&s.material.ciphers[i]))
            .map_err(|_| Error::malformed("the stored item"))
    }

    /// The `revisionDate` the item has in the store (the server's, until it is edited here).
    pub fn stored_revision(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .stored_cipher(id)?
            .get("revisionDate")
            .and_then(Value::as_str)
            .map(str::to_string))
    }

    /// Decrypts an item given in its stored form (one kept aside, e.g. an edit the server
    /// refused as out of date).
    pub fn decrypt_stored(&self, stored: &Value) -> Result<CipherView> {
        let s = self.unlocked()?;
        let text = crate::server_json::normalize_key_text(stored.to_string());
        let cipher: Cipher = crate::server_json::from_normalized(&text, "a stored item")?;
        Ok(decrypt_cipher(&cipher, &s.ring))
    }

    /// Encrypts a small secret (server tokens) under the user key, for storage.
    pub fn seal(&self, plain: &str) -> Result<String> {
        Ok(self
            .unlocked()?
            .ring
            .user_key
            .encrypt_str(plain)?
            .to_string())
    }

    /// The inverse of `seal`.
    pub fn unseal(&self, sealed: &str) -> Result<String> {
        let enc: EncString = sealed.parse()?;
        self.unlocked()?.ring.user_key.decrypt_string(&enc)
    }
}

impl Session {
    /// A folder's stored (encrypted) name.
    pub fn stored_folder_name(&self, id: &str) -> Result<Option<String>> {
        let s = self.unlocked()?;
        s.material
            .folders
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.name.clone())
            .ok_or_else(|| Error::NotFound("folder".into()))
    }
}
