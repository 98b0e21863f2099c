//! Where the master key is derived. The core derives every KDF itself; a platform may offer a
//! faster PBKDF2 (the browser's SubtleCrypto is native code, several times faster than wasm) by
//! implementing [`DeriveKey`]. The KDF's bounds are checked before either runs.

use super::kdf::{normalize_email, Kdf, MasterKey};
use crate::error::{Error, Result};

/// Computes the master key for a password, salt (the e-mail or the server's salt) and KDF.
#[allow(async_fn_in_trait)]
pub trait DeriveKey {
    async fn master_key(&self, password: &str, salt: &str, kdf: &Kdf) -> Result<MasterKey>;
}

/// Every KDF in the core.
#[derive(Debug, Clone, Copy, Default)]
pub struct CoreKdf;

impl DeriveKey for CoreKdf {
    async fn master_key(&self, password: &str, salt: &str, kdf: &Kdf) -> Result<MasterKey> {
        MasterKey::derive(password, salt, kdf)
    }
}

/// PBKDF2 by the platform (`pbkdf2(password, normalised salt, iterations)` → 32 bytes), every
/// other KDF in the core.
#[allow(async_fn_in_trait)]
pub trait PlatformPbkdf2 {
    async fn pbkdf2_sha256(
        &self,
        password: &[u8],
        salt: &[u8],
        iterations: u32,
    ) -> Result<[u8; 32]>;
}

/// Uses the platform's PBKDF2 when `enabled`, the core's otherwise.
#[derive(Debug)]
pub struct WithPlatformPbkdf2<P> {
    pub platform: P,
    pub enabled: bool,
}

impl<P: PlatformPbkdf2> DeriveKey for WithPlatformPbkdf2<P> {
    async fn master_key(&self, password: &str, salt: &str, kdf: &Kdf) -> Result<MasterKey> {
        match *kdf {
            Kdf::Pbkdf2 { iterations } if self.enabled => {
                kdf.check()?;
                let salt = normalize_email(salt);
                let out = self
                    .platform
                    .pbkdf2_sha256(password.as_bytes(), salt.as_bytes(), iterations)
                    .await?;
                Ok(MasterKey::from_derived(out))
            }
            _ => MasterKey::derive(password, salt, kdf),
        }
    }
}

/// The KDF a new local vault gets: `pbkdf2` (the default, 600,000 iterations) or `argon2id`
/// (3 iterations, 64 MiB, 4 lanes: the official clients' defaults).
pub fn kdf_for_new_vault(choice: &str) -> Result<Kdf> {
    match choice {
        "" | "pbkdf2" => Ok(Kdf::default()),
        "argon2id" => Ok(Kdf::Argon2id {
            iterations: 3,
            memory_mib: 64,
            parallelism: 4,
        }),
        _ => Err(Error::malformed("unknown key-derivation choice")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed([u8; 32]);
    impl PlatformPbkdf2 for Fixed {
        async fn pbkdf2_sha256(&self, _: &[u8], _: &[u8], _: u32) -> Result<[u8; 32]> {
            Ok(self.0)
        }
    }

    /// These futures never wait: one poll finishes them.
    fn run<F: std::future::Future>(f: F) -> F::Output {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match std::pin::pin!(f).poll(&mut cx) {
            std::task::Poll::Ready(out) => out,
            std::task::Poll::Pending => unreachable!("a derivation waited"),
        }
    }

    fn hash(key: &MasterKey) -> String {
        use crate::crypto::hash::{master_password_hash, HashPurpose};
        master_password_hash(key, "pw", HashPurpose::ServerAuthorization)
    }

    #[test]
    fn platform_pbkdf2_is_used_only_for_pbkdf2_and_only_when_enabled() {
        let kdf = Kdf::Pbkdf2 { iterations: 5000 };
        let core = run(CoreKdf.master_key("pw", "A@b.c", &kdf)).unwrap();
        let on = WithPlatformPbkdf2 {
            platform: Fixed([7; 32]),
            enabled: true,
        };
        let off = WithPlatformPbkdf2 {
            platform: Fixed([7; 32]),
            enabled: false,
        };
        assert_eq!(
            hash(&run(on.master_key("pw", "A@b.c", &kdf)).unwrap()),
            hash(&MasterKey::from_derived([7; 32]))
        );
        assert_eq!(
            hash(&run(off.master_key("pw", "A@b.c", &kdf)).unwrap()),
            hash(&core)
        );
    }

    #[test]
    fn bounds_are_checked_before_the_platform_runs() {
        let on = WithPlatformPbkdf2 {
            platform: Fixed([7; 32]),
            enabled: true,
        };
        let weak = Kdf::Pbkdf2 { iterations: 1 };
        assert!(run(on.master_key("pw", "a@b.c", &weak)).is_err());
    }

    #[test]
    fn new_vault_choices() {
        assert_eq!(kdf_for_new_vault("").unwrap(), Kdf::default());
        assert!(matches!(
            kdf_for_new_vault("argon2id").unwrap(),
            Kdf::Argon2id { .. }
        ));
        assert_eq!(kdf_for_new_vault("scrypt").unwrap_err().code(), "malformed");
    }
}
