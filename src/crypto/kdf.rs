//! Key derivation (docs/protocol.md §1–2): PBKDF2-SHA256 and Argon2id, bounds checked before work,
//! and the HKDF-Expand stretch to a 64-byte key.

use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use super::symmetric::SymmetricKey;
use crate::error::{Error, Result};

/// Anti-downgrade minimums (SDK and clients agree) and anti-DoS maximums (a hostile server must
/// not make the browser derive forever or allocate gigabytes).
pub const PBKDF2_MIN_ITERATIONS: u32 = 5_000;
pub const PBKDF2_MAX_ITERATIONS: u32 = 2_000_000;
pub const ARGON2_ITERATIONS: std::ops::RangeInclusive<u32> = 2..=10;
pub const ARGON2_MEMORY_MIB: std::ops::RangeInclusive<u32> = 16..=1024;
pub const ARGON2_PARALLELISM: std::ops::RangeInclusive<u32> = 1..=16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kdf {
    Pbkdf2 {
        iterations: u32,
    },
    Argon2id {
        iterations: u32,
        memory_mib: u32,
        parallelism: u32,
    },
}

impl Default for Kdf {
    fn default() -> Self {
        Kdf::Pbkdf2 {
            iterations: 600_000,
        }
    }
}

impl Kdf {
    /// Builds from the server's numbers (`kdf`, `kdfIterations`, `kdfMemory`, `kdfParallelism`)
    /// and checks the bounds.
    pub fn from_parts(
        kind: i64,
        iterations: Option<i64>,
        memory: Option<i64>,
        parallelism: Option<i64>,
    ) -> Result<Self> {
        let num = |v: Option<i64>, name: &str| -> Result<u32> {
            let v = v.ok_or_else(|| Error::malformed(format!("KDF {name} is missing")))?;
            u32::try_from(v).map_err(|_| Error::KdfRejected(format!("{name} {v} is out of range")))
        };
        let kdf = match kind {
            0 => Kdf::Pbkdf2 {
                iterations: num(iterations, "iterations")?,
            },
            1 => Kdf::Argon2id {
                iterations: num(iterations, "iterations")?,
                memory_mib: num(memory, "memory")?,
                parallelism: num(parallelism, "parallelism")?,
            },
            other => return Err(Error::Unsupported(format!("KDF type {other}"))),
        };
        kdf.check()?;
        Ok(kdf)
    }

    /// How these settings are weaker than `previous` (fewer PBKDF2 iterations, less Argon2
    /// memory, fewer passes, PBKDF2 after Argon2id), or `None`. Parallelism is not counted: at
    /// the same memory and passes, fewer lanes cost a guesser no less.
    pub fn weaker_than(&self, previous: &Kdf) -> Option<String> {
        match (*previous, *self) {
            (Kdf::Argon2id { .. }, Kdf::Pbkdf2 { .. }) => Some("PBKDF2 instead of Argon2id".into()),
            (Kdf::Pbkdf2 { iterations: was }, Kdf::Pbkdf2 { iterations: now }) => {
                (now < was).then(|| format!("PBKDF2 with {now} iterations instead of {was}"))
            }
            (
                Kdf::Argon2id {
                    iterations: was_t,
                    memory_mib: was_m,
                    ..
                },
                Kdf::Argon2id {
                    iterations: now_t,
                    memory_mib: now_m,
                    ..
                },
            ) => {
                let mut less = Vec::new();
                if now_m < was_m {
                    less.push(format!("{now_m} MiB of memory instead of {was_m}"));
                }
                if now_t < was_t {
                    less.push(format!("{now_t} passes instead of {was_t}"));
                }
                (!less.is_empty()).then(|| format!("Argon2id with {}", less.join(" and ")))
            }
            // PBKDF2 to Argon2id is a change for the better (its minimums still apply).
            (Kdf::Pbkdf2 { .. }, Kdf::Argon2id { .. }) => None,
        }
    }

    pub fn kind(&self) -> u8 {
        match self {
            Kdf::Pbkdf2 { .. } => 0,
            Kdf::Argon2id { .. } => 1,
        }
    }

    pub fn check(&self) -> Result<()> {
        let bad = |what: String| Err(Error::KdfRejected(what));
        match *self {
            Kdf::Pbkdf2 { iterations } => {
                if iterations < PBKDF2_MIN_ITERATIONS {
                    return bad(format!(
                        "PBKDF2 with {iterations} iterations is below {PBKDF2_MIN_ITERATIONS} (possible downgrade attack)"
                    ));
                }
                if iterations > PBKDF2_MAX_ITERATIONS {
                    return bad(format!(
                        "PBKDF2 with {iterations} iterations is above {PBKDF2_MAX_ITERATIONS}"
                    ));
                }
            }
            Kdf::Argon2id {
                iterations,
                memory_mib,
                parallelism,
            } => {
                if !ARGON2_ITERATIONS.contains(&iterations) {
                    return bad(format!("Argon2id iterations {iterations} outside 2–10"));
                }
                if !ARGON2_MEMORY_MIB.contains(&memory_mib) {
                    return bad(format!("Argon2id memory {memory_mib} MiB outside 16–1024"));
                }
                if !ARGON2_PARALLELISM.contains(&parallelism) {
                    return bad(format!("Argon2id parallelism {parallelism} outside 1–16"));
                }
            }
        }
        Ok(())
    }
}

/// E-mail salt normalisation (§1.2): trimmed and lower-cased, always.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The 32-byte KDF output. Wiped on drop; `Debug` shows only the type.
pub struct MasterKey(Box<[u8; 32]>);

impl MasterKey {
    /// Derives from the password and the account e-mail (or server-given salt), normalised.
    pub fn derive(password: &str, email: &str, kdf: &Kdf) -> Result<Self> {
        Self::derive_raw_salt(password.as_bytes(), normalize_email(email).as_bytes(), kdf)
    }

    /// Derives with the salt used as given (password-protected exports use the base64 text).
    pub fn derive_raw_salt(password: &[u8], salt: &[u8], kdf: &Kdf) -> Result<Self> {
        kdf.check()?;
        let mut out = Box::new([0u8; 32]);
        match *kdf {
            Kdf::Pbkdf2 { iterations } => {
                pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out[..]);
            }
            Kdf::Argon2id {
                iterations,
                memory_mib,
                parallelism,
            } => {
                let params =
                    argon2::Params::new(memory_mib * 1024, iterations, parallelism, Some(32))
                        .map_err(|_| Error::KdfRejected("Argon2id parameters".into()))?;
                let argon = argon2::Argon2::new(
                    argon2::Algorithm::Argon2id,
                    argon2::Version::V0x13,
                    params,
                );
                let salt_hash = Sha256::digest(salt);
                argon
                    .hash_password_into(password, &salt_hash, &mut out[..])
                    .map_err(|_| Error::Platform("Argon2id could not run (memory?)".into()))?;
            }
        }
        Ok(MasterKey(out))
    }

    /// Wraps a KDF output computed elsewhere (the browser's SubtleCrypto PBKDF2).
    pub(crate) fn from_derived(mut bytes: [u8; 32]) -> Self {
        let key = MasterKey(Box::new(bytes));
        bytes.zeroize();
        key
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// HKDF-Expand with info "enc" and "mac", 32 bytes each (§2).
    pub fn stretch(&self) -> SymmetricKey {
        let hk = Hkdf::<Sha256>::from_prk(&self.0[..]).expect("32-byte PRK is valid");
        let mut enc = [0u8; 32];
        let mut mac = [0u8; 32];
        hk.expand(b"enc", &mut enc)
            .expect("32 bytes is a valid length");
        hk.expand(b"mac", &mut mac)
            .expect("32 bytes is a valid length");
        let key = SymmetricKey::from_enc_mac(&enc, &mac);
        enc.zeroize();
        mac.zeroize();
        key
    }

    /// The raw master key as a legacy 32-byte key, for type-0 user keys (§5.2).
    pub(crate) fn as_legacy_key(&self) -> SymmetricKey {
        SymmetricKey::from_bytes(&self.0[..]).expect("32 bytes")
    }
}

impl Drop for MasterKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey")
    }
}
