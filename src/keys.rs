//! The key hierarchy (docs/protocol.md §5): master key → user key → private key → org keys, opened
//! into one `Keyring`; and the keys of a new account. (The server account is `api::account`.)

use std::collections::HashMap;

use serde::Deserialize;

use crate::crypto::{EncString, Kdf, MasterKey, PrivateKey, SymmetricKey};
use crate::error::{Error, Result};
use crate::server_json::lenient_int;

/// The prelogin answer (`kdf`, `kdfIterations`, ...; Cozy in PascalCase).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Prelogin {
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub kdf: Option<i64>,
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub kdf_iterations: Option<i64>,
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub kdf_memory: Option<i64>,
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub kdf_parallelism: Option<i64>,
    pub salt: Option<String>,
}

impl Prelogin {
    pub fn parse(text: &str) -> Result<Self> {
        crate::server_json::parse(text, "prelogin response")
    }

    /// The KDF it asks for, bounds-checked before anything is derived.
    pub fn kdf(&self) -> Result<Kdf> {
        let kind = self
            .kdf
            .ok_or_else(|| Error::malformed("prelogin response has no kdf"))?;
        Kdf::from_parts(
            kind,
            self.kdf_iterations,
            self.kdf_memory,
            self.kdf_parallelism,
        )
    }
}

/// Decrypts the user key with the master key: type 2 with the stretched key, type 0 with the raw
/// master key (legacy accounts, docs/protocol.md §5.2). A failed decryption means the password is
/// wrong; what opens must be a 64-byte AES-256-CBC-HMAC key (`key_rejected` otherwise).
pub fn unwrap_user_key(master: &MasterKey, wrapped: &str) -> Result<SymmetricKey> {
    let enc: EncString = wrapped
        .parse()
        .map_err(|e: Error| Error::malformed(format!("account key: {e}")))?;
    let bytes = match &enc {
        EncString::AesCbc256Hmac { .. } => master.stretch().decrypt(&enc),
        EncString::AesCbc256 { .. } => master.as_legacy_key().decrypt(&enc),
        EncString::Cose { .. } => {
            return Err(Error::Unsupported("account encryption version 2".into()))
        }
        _ => return Err(Error::malformed("account key is not a symmetric EncString")),
    };
    let bytes = bytes.map_err(|e| match e {
        Error::DecryptFailed => Error::WrongPassword,
        other => other,
    })?;
    let authenticated = matches!(enc, EncString::AesCbc256Hmac { .. });
    match bytes.len() {
        64 => SymmetricKey::from_bytes(&bytes),
        n if n > 64 => Err(Error::Unsupported("account encryption version 2".into())),
        // Opened for sure (its MAC passed, or a type-0 string padded to exactly a 32-byte key,
        // which a wrong master key yields with odds of 2^-128): a key without a MAC half.
        n if authenticated || n == 32 => {
            SymmetricKey::from_mac_key_bytes(&bytes, "account's user key")
        }
        // A type-0 key decrypted with a wrong master key usually fails on padding; if it does
        // not, the length gives it away.
        _ => Err(Error::WrongPassword),
    }
}

/// All keys of an unlocked account. Dropping it wipes them.
pub struct Keyring {
    pub user_key: SymmetricKey,
    pub private_key: Option<PrivateKey>,
    org_keys: HashMap<String, SymmetricKey>,
    /// Organizations whose key could not be opened (their items will be marked, not dropped).
    pub broken_orgs: Vec<String>,
}

impl Keyring {
    pub fn new(user_key: SymmetricKey) -> Self {
        Keyring {
            user_key,
            private_key: None,
            org_keys: HashMap::new(),
            broken_orgs: Vec::new(),
        }
    }

    /// Opens the private key (wrapped under the user key) and the organization keys, each
    /// `(id, key wrapped under the private key)`, as a sync profile gives them
    /// (`vault::wire::Profile`). Async: RSA is the browser's WebCrypto in its wasm.
    pub async fn open<'o>(
        user_key: SymmetricKey,
        wrapped_private: Option<&str>,
        organizations: impl IntoIterator<Item = (&'o str, Option<&'o str>)>,
    ) -> Result<Self> {
        let mut ring = Keyring::new(user_key);
        if let Some(text) = wrapped_private {
            let enc: EncString = text
                .parse()
                .map_err(|e: Error| Error::malformed(format!("private key: {e}")))?;
            let der = ring.user_key.decrypt(&enc).map_err(|e| match e {
                Error::Unsupported(w) => Error::Unsupported(w),
                _ => Error::malformed("the account's private key does not open with its user key"),
            })?;
            ring.private_key = Some(PrivateKey::from_pkcs8_der(&der).await?);
        }
        for (id, key) in organizations {
            let opened = match (&ring.private_key, key.map(str::parse::<EncString>)) {
                (Some(pk), Some(Ok(enc))) => pk.decrypt_key(&enc).await,
                _ => Err(Error::malformed("organization key missing")),
            };
            match opened {
                Ok(key) => {
                    ring.org_keys.insert(id.to_string(), key);
                }
                Err(_) => ring.broken_orgs.push(id.to_string()),
            }
        }
        Ok(ring)
    }

    /// The key that owns items of this organization, or the user key for personal items.
    pub fn owner_key(&self, organization_id: Option<&str>) -> Option<&SymmetricKey> {
        match organization_id {
            None => Some(&self.user_key),
            Some(id) => self.org_keys.get(id),
        }
    }
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keyring({} organization keys)", self.org_keys.len())
    }
}

/// A new account's material: what a server (or the local vault store) keeps, plus the opened
/// keyring. Only `ring` holds secrets.
pub struct NewAccount {
    pub ring: Keyring,
    pub kdf: Kdf,
    /// The user key wrapped with the stretched master key (type 2), `Key` on the wire.
    pub wrapped_user_key: String,
    /// The PKCS#8 private key wrapped with the user key, `PrivateKey` on the wire.
    pub wrapped_private_key: String,
    /// Base64 SPKI public key.
    pub public_key: String,
    /// The server authorization hash (§3.1), what registration and login send.
    pub server_hash: String,
    /// The local authorization hash (§3.2), for offline password checks.
    pub local_hash: String,
}

/// Creates the keys of a new account (or local vault) protected by `password`.
pub async fn create(email: &str, password: &str, kdf: Kdf) -> Result<NewAccount> {
    use crate::crypto::b64;
    use crate::crypto::hash::{master_password_hash, HashPurpose};
    let master = MasterKey::derive(password, email, &kdf)?;
    let user_key = SymmetricKey::generate()?;
    let wrapped_user_key = master.stretch().encrypt(&user_key.to_bytes())?.to_string();
    let (private, public) = PrivateKey::generate().await?;
    let wrapped_private_key = user_key.encrypt(&private.to_pkcs8_der()?)?.to_string();
    let public_key = b64::encode(&public.to_spki_der()?);
    let mut ring = Keyring::new(user_key);
    ring.private_key = Some(private);
    Ok(NewAccount {
        ring,
        kdf,
        wrapped_user_key,
        wrapped_private_key,
        public_key,
        server_hash: master_password_hash(&master, password, HashPurpose::ServerAuthorization),
        local_hash: master_password_hash(&master, password, HashPurpose::LocalAuthorization),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::asymmetric::ready;
    use crate::crypto::PrivateKey;

    fn master() -> MasterKey {
        MasterKey::derive(
            "correct horse",
            "alice@example.test",
            &Kdf::Pbkdf2 { iterations: 5000 },
        )
        .unwrap()
    }

    fn code(r: Result<SymmetricKey>) -> &'static str {
        r.map(|_| "ok").unwrap_or_else(|e| e.code())
    }

    #[test]
    fn user_key_must_be_a_64_byte_mac_key() {
        let m = master();
        let wrap2 = |bytes: &[u8]| m.stretch().encrypt(bytes).unwrap().to_string();
        assert_eq!(code(unwrap_user_key(&m, &wrap2(&[7u8; 64]))), "ok");
        // Authentic (the MAC passed) but a key without its MAC half: refused, not "wrong
        // password", since the password was right.
        assert_eq!(
            code(unwrap_user_key(&m, &wrap2(&[7u8; 32]))),
            "key_rejected"
        );
        assert_eq!(
            code(unwrap_user_key(&m, &wrap2(&[7u8; 48]))),
            "key_rejected"
        );
        let other = MasterKey::derive(
            "wrong",
            "alice@example.test",
            &Kdf::Pbkdf2 { iterations: 5000 },
        )
        .unwrap();
        assert_eq!(
            code(unwrap_user_key(&other, &wrap2(&[7u8; 64]))),
            "wrong_password"
        );
        // Type 0 (legacy accounts, docs/protocol.md §5.2) wrapping a 32-byte key: refused too.
        let wrap0 = |bytes: &[u8]| {
            m.as_legacy_key()
                .encrypt_legacy_for_tests(bytes, [3u8; 16])
                .to_string()
        };
        assert!(wrap0(&[7u8; 32]).starts_with("0."));
        assert_eq!(
            code(unwrap_user_key(&m, &wrap0(&[7u8; 32]))),
            "key_rejected"
        );
        assert_eq!(code(unwrap_user_key(&m, &wrap0(&[7u8; 64]))), "ok");
        // An RSA string is no wrapped user key.
        let (_, public) = ready(PrivateKey::generate()).unwrap();
        let rsa = ready(public.encrypt(&[7u8; 64])).unwrap();
        assert_eq!(code(unwrap_user_key(&m, &rsa.to_string())), "malformed");
    }

    #[test]
    fn organization_keys_must_be_64_bytes() {
        let user_key = SymmetricKey::from_bytes(&[9u8; 64]).unwrap();
        let (private, public) = ready(PrivateKey::generate()).unwrap();
        let wrapped_private = user_key
            .encrypt(&private.to_pkcs8_der().unwrap())
            .unwrap()
            .to_string();
        let org_64 = ready(public.encrypt(&[1u8; 64])).unwrap().to_string();
        let org_32 = ready(public.encrypt(&[1u8; 32])).unwrap().to_string();
        let organizations = [
            ("org-64", Some(&*org_64)),
            ("org-32", Some(&*org_32)),
            ("org-none", None),
            ("org-bad", Some("4.not base64")),
        ];
        let ring = ready(Keyring::open(
            user_key,
            Some(&wrapped_private),
            organizations,
        ))
        .unwrap();
        assert!(ring.owner_key(Some("org-64")).is_some());
        assert!(ring.owner_key(Some("org-32")).is_none());
        assert_eq!(ring.broken_orgs, ["org-32", "org-none", "org-bad"]);
    }
}
