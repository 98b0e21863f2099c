//! "Ask for the master password again" (an item's `reprompt`): checks a password against the
//! unlocked vault without opening it again. The KDF runs (that is the check); nothing else is
//! decrypted and the session is left as it was, whatever the answer.

use subtle::ConstantTimeEq;

use super::Session;
use crate::crypto::{Kdf, MasterKey};
use crate::error::{Error, Result};
use crate::keys;

impl Session {
    /// The salt and KDF the master password is derived with, for a caller that runs the KDF
    /// itself (the browser's PBKDF2). `email` is the account's (ignored by local vaults).
    pub fn reprompt_params(&self, email: &str) -> Result<(String, Kdf)> {
        let s = self.unlocked()?;
        Ok((s.material.salt(email).to_string(), s.material.kdf))
    }

    /// Ok when `master` opens this vault's user key and it is the key the session holds;
    /// `wrong_password` otherwise.
    pub fn verify_master_key(&self, master: &MasterKey) -> Result<()> {
        let s = self.unlocked()?;
        let wrapped = s
            .material
            .wrapped_user_key
            .as_deref()
            .ok_or_else(|| Error::Unsupported("an account without a user key".into()))?;
        let key = keys::unwrap_user_key(master, wrapped).map_err(|e| match e {
            Error::Locked => Error::Locked,
            _ => Error::WrongPassword,
        })?;
        let same: bool = key.to_bytes().ct_eq(&s.ring.user_key.to_bytes()).into();
        if same {
            Ok(())
        } else {
            Err(Error::WrongPassword)
        }
    }

    /// Whether item `id` asks for the master password again. The flag is a plain field of the
    /// stored item, so nothing is decrypted to answer.
    pub fn asks_reprompt(&self, id: &str) -> Result<bool> {
        let stored = self.stored_cipher(id)?;
        Ok(stored
            .get("reprompt")
            .and_then(serde_json::Value::as_i64)
            .is_some_and(|r| r != 0))
    }

    /// Derives the master key here and checks it ([`Session::verify_master_key`]).
    pub fn verify_password(&self, email: &str, password: &str) -> Result<()> {
        let (salt, kdf) = self.reprompt_params(email)?;
        let master = MasterKey::derive(password, &salt, &kdf)?;
        self.verify_master_key(&master)
    }
}
