//! The one unlocked-vault state the extension holds. Unlock decrypts only what lists and matching
//! need (names, subtitles, URIs); the rest of each item stays encrypted text in memory and is
//! decrypted when the item is opened. Lock drops every key and decrypted value.

use std::ops::Range;

use serde::Serialize;

use crate::account::{self, Keyring, Prelogin};
use crate::crypto::{EncString, Kdf, MasterKey, SymmetricKey};
use crate::error::{Error, Result};
use crate::vault::decrypt::{checksum_matches, cipher_key, decrypt_cipher};
use crate::vault::head::CipherHead;
use crate::vault::view::{CipherView, TYPE_CARD, TYPE_IDENTITY, TYPE_LOGIN};
use crate::vault::wire::{Cipher, Profile, SyncResponse};
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

/// A login's decrypted URIs with their match setting, for matching.
#[derive(Clone, PartialEq, Eq)]
pub struct ItemUris {
    pub id: String,
    pub uris: Vec<(String, Option<i64>)>,
}

/// The account as stored: the KDF settings and the last sync, kept as (key-normalised) text.
pub struct AccountMaterial {
    pub kdf: Kdf,
    text: Vec<u8>,
    profile: Profile,
    wrapped_user_key: Option<String>,
    salt: Option<String>,
    /// Byte ranges of each cipher inside `text`.
    ciphers: Vec<Range<usize>>,
}

impl AccountMaterial {
    /// Reads the prelogin and sync answers (JSON text); checks the KDF bounds.
    pub fn parse(prelogin_json: &str, sync_json: impl Into<String>) -> Result<Self> {
        let kdf = Prelogin::parse(prelogin_json)?.kdf()?;
        let text = crate::wire::normalize_key_text(sync_json);
        let sync: SyncResponse<'_> = crate::wire::from_normalized(&text, "sync response")?;
        let base = text.as_ptr() as usize;
        let ciphers = sync
            .ciphers
            .iter()
            .flatten()
            .map(|raw| {
                let start = raw.get().as_ptr() as usize - base;
                start..start + raw.get().len()
            })
            .collect();
        let wrapped_user_key = account::wrapped_user_key(&sync).map(str::to_string);
        let salt = Some(account::salt_for(&sync, "").to_string()).filter(|s| !s.is_empty());
        let profile = sync.profile;
        Ok(AccountMaterial {
            kdf,
            text,
            profile,
            wrapped_user_key,
            salt,
            ciphers,
        })
    }

    /// The salt to derive with: the server's when given, else the e-mail (normalised later).
    pub fn salt<'a>(&'a self, email: &'a str) -> &'a str {
        self.salt.as_deref().unwrap_or(email)
    }

    fn cipher_text(&self, range: &Range<usize>) -> &[u8] {
        &self.text[range.clone()]
    }
}

struct Unlocked {
    ring: Keyring,
    material: AccountMaterial,
    summaries: Vec<ItemSummary>,
    uris: Vec<ItemUris>,
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
        let wrapped = material
            .wrapped_user_key
            .as_deref()
            .ok_or_else(|| Error::Unsupported("an account without a user key".into()))?;
        let user_key = account::unwrap_user_key(master, wrapped)?;
        self.open(user_key, material)
    }

    /// Unlocks deriving the master key here (Argon2id, or PBKDF2 natively).
    pub fn unlock(&mut self, email: &str, password: &str, material: AccountMaterial) -> Result<()> {
        let master = MasterKey::derive(password, material.salt(email), &material.kdf)?;
        self.unlock_with_master_key(&master, material)
    }

    fn open(&mut self, user_key: SymmetricKey, material: AccountMaterial) -> Result<()> {
        self.lock();
        let ring = Keyring::from_profile(user_key, &material.profile)?;
        let mut summaries = Vec::with_capacity(material.ciphers.len());
        let mut uris = Vec::new();
        for range in &material.ciphers {
            let head = serde_json::from_slice::<CipherHead<'_>>(material.cipher_text(range));
            match head {
                Ok(h) => {
                    let (summary, item_uris) = summarize(&h, &ring);
                    summaries.push(summary);
                    uris.extend(item_uris);
                }
                Err(_) => summaries.push(damaged_row(range, &material)),
            }
        }
        self.state = Some(Unlocked {
            ring,
            material,
            summaries,
            uris,
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

    /// The decrypted URIs of every login outside the trash, for the matching index.
    pub fn login_uris(&self) -> Result<&[ItemUris]> {
        Ok(&self.unlocked()?.uris)
    }

    /// The whole decrypted item, on demand.
    pub fn item(&self, id: &str) -> Result<CipherView> {
        let s = self.unlocked()?;
        let index = s
            .summaries
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| Error::NotFound("item".into()))?;
        let cipher: Cipher =
            serde_json::from_slice(s.material.cipher_text(&s.material.ciphers[index]))
                .map_err(|_| Error::malformed("the stored item"))?;
        Ok(decrypt_cipher(&cipher, &s.ring))
    }

    /// Decrypts everything (for exports).
    pub fn vault(&self) -> Result<Vault> {
        let s = self.unlocked()?;
        let sync: SyncResponse<'_> =
            crate::wire::from_normalized(&s.material.text, "sync response")?;
        Vault::decrypt(&sync, &s.ring)
    }
}

fn damaged_row(range: &Range<usize>, material: &AccountMaterial) -> ItemSummary {
    let raw = std::str::from_utf8(material.cipher_text(range)).unwrap_or_default();
    let id = serde_json::from_str::<&serde_json::value::RawValue>(raw)
        .ok()
        .and_then(|r| parse_ciphers(&[r]).pop())
        .and_then(|p| p.err())
        .unwrap_or_default();
    ItemSummary {
        id,
        kind: 0,
        name: String::new(),
        subtitle: String::new(),
        favorite: false,
        folder_id: None,
        organization_id: None,
        deleted: false,
        damaged: true,
    }
}

/// Decrypts just what a list row and the matching index need.
fn summarize(c: &CipherHead<'_>, ring: &Keyring) -> (ItemSummary, Option<ItemUris>) {
    let mut damaged = false;
    let org = c.organization_id.as_deref();
    let own = cipher_key(org, c.key.as_deref(), ring);
    let key = match &own {
        Ok(Some(k)) => Some(k),
        Ok(None) => ring.owner_key(org),
        Err(_) => None,
    };
    let mut dec = |v: Option<&str>| -> Option<String> {
        let (k, text) = (key?, v?);
        match text.parse::<EncString>().and_then(|e| k.decrypt_string(&e)) {
            Ok(s) => Some(s),
            Err(_) => {
                damaged = true;
                None
            }
        }
    };
    let kind = c.kind.and_then(|k| u8::try_from(k).ok()).unwrap_or(0);
    let name = dec(c.name.as_deref()).unwrap_or_default();
    let mut uris = None;
    let subtitle = match kind {
        TYPE_LOGIN => {
            let login = c.login.as_ref();
            let mut list = Vec::new();
            for u in login.and_then(|l| l.uris.as_ref()).into_iter().flatten() {
                let Some(uri) = dec(u.uri.as_deref()) else {
                    continue;
                };
                // Checksums are enforced on keyed items only, as the official clients do.
                if c.key.is_some() {
                    if let Some(sum) = u.uri_checksum.as_deref() {
                        if !dec(Some(sum)).is_some_and(|s| checksum_matches(&uri, &s)) {
                            continue;
                        }
                    }
                }
                list.push((uri, u.match_type));
            }
            if c.deleted_date.is_none() && !list.is_empty() {
                uris = Some(ItemUris {
                    id: c.id.to_string(),
                    uris: list,
                });
            }
            dec(login.and_then(|l| l.username.as_deref())).unwrap_or_default()
        }
        TYPE_CARD => {
            let card = c.card.as_ref();
            let brand = dec(card.and_then(|c| c.brand.as_deref())).unwrap_or_default();
            let number = zeroize::Zeroizing::new(
                dec(card.and_then(|c| c.number.as_deref())).unwrap_or_default(),
            );
            let digits: Vec<char> = number.chars().collect();
            let last4: String = digits[digits.len().saturating_sub(4)..].iter().collect();
            match (brand.is_empty(), last4.is_empty()) {
                (_, true) => brand,
                (true, false) => format!("*{last4}"),
                (false, false) => format!("{brand}, *{last4}"),
            }
        }
        TYPE_IDENTITY => {
            let id = c.identity.as_ref();
            let first = dec(id.and_then(|i| i.first_name.as_deref())).unwrap_or_default();
            let last = dec(id.and_then(|i| i.last_name.as_deref())).unwrap_or_default();
            format!("{first} {last}").trim().to_string()
        }
        _ => String::new(),
    };
    let row = ItemSummary {
        id: c.id.to_string(),
        kind,
        name,
        subtitle,
        favorite: c.favorite,
        folder_id: c.folder_id.as_deref().map(str::to_string),
        organization_id: org.map(str::to_string),
        deleted: c.deleted_date.is_some(),
        damaged: damaged || key.is_none() || !(1..=5).contains(&kind),
    };
    (row, uris)
}
