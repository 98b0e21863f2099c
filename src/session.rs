//! The one unlocked-vault state the extension holds. Unlock decrypts only what lists need
//! (names, subtitles); a whole item is decrypted when asked for. Lock drops every key.

use serde::Serialize;

use crate::account::{self, Keyring, Prelogin};
use crate::crypto::{EncString, Kdf, MasterKey, SymmetricKey};
use crate::error::{Error, Result};
use crate::vault::decrypt::{cipher_key, decrypt_cipher};
use crate::vault::view::{CipherView, TYPE_CARD, TYPE_IDENTITY, TYPE_LOGIN};
use crate::vault::wire::{Cipher, SyncResponse};
use crate::vault::{parse_ciphers, Vault};

/// What a list row shows: never a password, note, card number or hidden field.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ItemSummary {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: u8,
    pub name: String,
    pub subtitle: String,
    pub favorite: bool,
    pub folder_id: Option<String>,
    pub organization_id: Option<String>,
    pub deleted: bool,
    /// True when part of the item could not be decrypted.
    pub damaged: bool,
}

struct Unlocked {
    ring: Keyring,
    ciphers: Vec<Cipher>,
    summaries: Vec<ItemSummary>,
}

#[derive(Default)]
pub struct Session {
    state: Option<Unlocked>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Session(unlocked: {})", self.state.is_some())
    }
}

/// Account material as stored: the prelogin answer and the last sync, both as JSON text.
pub struct AccountMaterial {
    pub kdf: Kdf,
    pub sync: SyncResponse,
}

impl AccountMaterial {
    pub fn parse(prelogin_json: &str, sync_json: &str) -> Result<Self> {
        let kdf = Prelogin::parse(prelogin_json)?.kdf()?;
        let sync = crate::wire::parse(sync_json, "sync response")?;
        Ok(AccountMaterial { kdf, sync })
    }

    /// The salt to derive with (server-given or the e-mail; normalised by the KDF).
    pub fn salt<'a>(&'a self, email: &'a str) -> &'a str {
        account::salt_for(&self.sync, email)
    }
}

impl Session {
    pub fn new() -> Self {
        Session::default()
    }

    pub fn is_unlocked(&self) -> bool {
        self.state.is_some()
    }

    /// Unlocks with a master key derived by the caller (natively, or by the browser's PBKDF2).
    pub fn unlock_with_master_key(
        &mut self,
        master: &MasterKey,
        material: AccountMaterial,
    ) -> Result<()> {
        let wrapped = account::wrapped_user_key(&material.sync)
            .ok_or_else(|| Error::Unsupported("an account without a user key".into()))?;
        let user_key = account::unwrap_user_key(master, wrapped)?;
        self.open(user_key, material.sync)
    }

    /// Unlocks deriving the master key here (Argon2id, or PBKDF2 natively).
    pub fn unlock(&mut self, email: &str, password: &str, material: AccountMaterial) -> Result<()> {
        let master = MasterKey::derive(password, material.salt(email), &material.kdf)?;
        self.unlock_with_master_key(&master, material)
    }

    fn open(&mut self, user_key: SymmetricKey, sync: SyncResponse) -> Result<()> {
        self.lock();
        let ring = Keyring::from_profile(user_key, &sync.profile)?;
        let mut ciphers = Vec::new();
        let mut summaries = Vec::new();
        for parsed in parse_ciphers(sync.ciphers.as_deref().unwrap_or_default()) {
            match parsed {
                Ok(c) => {
                    summaries.push(summarize(&c, &ring));
                    ciphers.push(c);
                }
                Err(id) => summaries.push(ItemSummary {
                    id,
                    kind: 0,
                    name: String::new(),
                    subtitle: String::new(),
                    favorite: false,
                    folder_id: None,
                    organization_id: None,
                    deleted: false,
                    damaged: true,
                }),
            }
        }
        self.state = Some(Unlocked {
            ring,
            ciphers,
            summaries,
        });
        Ok(())
    }

    /// Drops every key and decrypted value (the keys wipe themselves on drop).
    pub fn lock(&mut self) {
        self.state = None;
    }

    fn unlocked(&self) -> Result<&Unlocked> {
        self.state.as_ref().ok_or(Error::Locked)
    }

    pub fn summaries(&self) -> Result<&[ItemSummary]> {
        Ok(&self.unlocked()?.summaries)
    }

    /// The whole decrypted item, on demand.
    pub fn item(&self, id: &str) -> Result<CipherView> {
        let s = self.unlocked()?;
        let c = s
            .ciphers
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::NotFound("item".into()))?;
        Ok(decrypt_cipher(c, &s.ring))
    }

    /// Decrypts everything (for exports).
    pub fn vault(&self, sync: &SyncResponse) -> Result<Vault> {
        Vault::decrypt(sync, &self.unlocked()?.ring)
    }
}

/// Decrypts just what a list row needs.
fn summarize(c: &Cipher, ring: &Keyring) -> ItemSummary {
    let mut damaged = false;
    let own = cipher_key(c, ring);
    let key = match &own {
        Ok(Some(k)) => Some(k),
        Ok(None) => ring.owner_key(c.organization_id.as_deref()),
        Err(_) => None,
    };
    let mut dec = |v: Option<&str>| -> String {
        let (Some(k), Some(text)) = (key, v) else {
            return String::new();
        };
        match text.parse::<EncString>().and_then(|e| k.decrypt_string(&e)) {
            Ok(s) => s,
            Err(_) => {
                damaged = true;
                String::new()
            }
        }
    };
    let kind = c.kind.and_then(|k| u8::try_from(k).ok()).unwrap_or(0);
    let name = dec(c.name.as_deref());
    let subtitle = match kind {
        TYPE_LOGIN => dec(c.login.as_ref().and_then(|l| l.username.as_deref())),
        TYPE_CARD => {
            let card = c.card.clone().unwrap_or_default();
            let brand = dec(card.brand.as_deref());
            let number = zeroize::Zeroizing::new(dec(card.number.as_deref()));
            let last4: String = number
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            match (brand.is_empty(), last4.is_empty()) {
                (_, true) => brand,
                (true, false) => format!("*{last4}"),
                (false, false) => format!("{brand}, *{last4}"),
            }
        }
        TYPE_IDENTITY => {
            let id = c.identity.clone().unwrap_or_default();
            let first = dec(id.first_name.as_deref());
            let last = dec(id.last_name.as_deref());
            format!("{first} {last}").trim().to_string()
        }
        _ => String::new(),
    };
    ItemSummary {
        id: c.id.clone(),
        kind,
        name,
        subtitle,
        favorite: c.favorite,
        folder_id: c.folder_id.clone(),
        organization_id: c.organization_id.clone(),
        deleted: c.deleted_date.is_some(),
        damaged: damaged || key.is_none() || !(1..=5).contains(&kind),
    }
}
