//! The server sign-in, written once for the CLI and the extension: the guarded prelogin and the
//! master key, the password grant with its second factor (given, remembered on this device, or
//! sealed by an earlier version), the first sync, and the local vault moved in when asked.

use std::rc::Rc;

use serde::Serialize;

use super::Keyfill;
use crate::api::{
    Client, KdfGuard, OfflineQueue, RememberedSeal, Remote, SecondFactor, SyncOutcome, Transport,
};
use crate::crypto::DeriveKey;
use crate::error::{Error, Result};
use crate::session::AccountMaterial;

/// Authenticator app, e-mail, a remembered device (§6.5).
const AUTHENTICATOR: u8 = 0;
const EMAIL: u8 = 1;
const REMEMBERED: u8 = 5;

/// A sign-in as the user asked for it.
#[derive(Default)]
pub struct SignIn<'a> {
    /// The server address as the user typed it (it names the remembered-device seal).
    pub server: &'a str,
    /// The account's e-mail address.
    pub email: &'a str,
    /// The master password.
    pub password: &'a str,
    /// The code the user typed, for the provider they chose. A code for the authenticator app
    /// is tried as an e-mailed code when the account offers only e-mail.
    pub second_factor: Option<SecondFactor>,
    /// Move the open local vault's items into the account.
    pub move_local: bool,
    /// A "remember this device" token from an earlier sign-in, sealed under `device_secret`.
    pub remembered: &'a str,
    /// One sealed by an earlier version under the master key.
    pub legacy_remembered: &'a str,
    /// The random secret of this installation that seals remembered-device tokens.
    pub device_secret: &'a str,
    /// The KDF settings of this device's last sign-in, and the user's answer to a weaker one.
    pub guard: KdfGuard<'a>,
    /// Edits kept from before a forced log-out (the queue's JSON), sent once signed in again.
    pub kept_queue: &'a str,
}

impl std::fmt::Debug for SignIn<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignIn")
    }
}

/// What the caller stores after a sign-in.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    /// The prelogin answer, stored to open the account later.
    pub prelogin: String,
    /// Whether the server keeps per-item keys.
    pub cipher_keys: bool,
    /// Items moved in from the local vault.
    pub moved: usize,
    /// The remembered-device token to keep, sealed under the device secret.
    pub remembered: Option<String>,
}

impl<T: Transport> Keyfill<T> {
    /// Signs in to a server account, syncs and opens it (replacing what was open). A
    /// two-factor request is `Error::TwoFactorRequired` with the providers offered.
    pub async fn sign_in(
        &self,
        client: Client<T>,
        derive: &impl DeriveKey,
        req: SignIn<'_>,
        now_ms: u64,
    ) -> Result<SignedIn> {
        let stash = if req.move_local {
            Some(self.session.borrow().vault()?)
        } else {
            None
        };
        let creds = client
            .credentials(req.email, req.password, derive, req.guard)
            .await?;
        let seal = RememberedSeal::new(req.device_secret, req.server, req.email).ok();
        let second = req
            .second_factor
            .or_else(|| seal.as_ref().and_then(|s| s.open(req.remembered)))
            .or_else(|| creds.legacy_remembered(req.legacy_remembered));
        let login = match client.login(&creds, second.as_ref()).await {
            Err(Error::TwoFactorRequired { providers })
                if second.as_ref().is_some_and(|s| s.provider == AUTHENTICATOR)
                    && !providers.contains(&AUTHENTICATOR)
                    && providers.contains(&EMAIL) =>
            {
                let as_email = second.clone().map(|s| SecondFactor {
                    provider: EMAIL,
                    ..s
                });
                client.login(&creds, as_email.as_ref()).await?
            }
            other => other?,
        };
        // The new token, else the remembered one that just worked (sealed again, so an entry of
        // an earlier version leaves the master key behind).
        let keep = login.remember_token.clone().or_else(|| {
            second
                .as_ref()
                .filter(|s| s.provider == REMEMBERED)
                .map(|s| s.token.clone())
        });
        let remembered = match (keep, &seal) {
            (Some(t), Some(seal)) => Some(seal.seal(&t)?),
            _ => None,
        };
        let cipher_keys = client.supports_cipher_keys().await.unwrap_or(false);
        let SyncOutcome::Synced { text, state } = client.sync_if_changed(None).await? else {
            return Err(Error::Platform("a first sync always syncs".into()));
        };
        let prelogin = creds.prelogin.text.clone();
        let material = AccountMaterial::parse(&prelogin, text)?;
        let user_key = crate::session::user_key_of(creds.master_key(), &material)?;
        let ring = crate::session::open_keyring(user_key, &material).await?;
        self.server.borrow_mut().take();
        {
            let mut s = self.session.borrow_mut();
            s.unlock_with_keyring(ring, material)?;
            s.set_cipher_keys(cipher_keys);
        }
        let kept = OfflineQueue::from_json(req.kept_queue).unwrap_or_default();
        let remote = Rc::new(Remote::new(client, prelogin.clone(), kept, Some(state)));
        remote.keep_readable(&self.session.borrow());
        let mut moved = 0;
        if let Some(vault) = stash {
            let folders = vault
                .folders
                .iter()
                .map(|f| (f.id.clone(), f.name.clone()))
                .collect();
            moved = match remote
                .upload(&self.session, vault.ciphers, folders, now_ms)
                .await
            {
                Ok(n) => n,
                Err(e) => {
                    self.session.borrow_mut().lock();
                    return Err(e);
                }
            };
        }
        *self.server.borrow_mut() = Some(remote);
        Ok(SignedIn {
            prelogin,
            cipher_keys,
            moved,
            remembered,
        })
    }

    /// Asks the server to e-mail a sign-in code (§6.5); the server hash goes out here too, so
    /// the KDF guard applies.
    pub async fn send_email_code(
        &self,
        client: &Client<T>,
        derive: &impl DeriveKey,
        email: &str,
        password: &str,
        guard: KdfGuard<'_>,
    ) -> Result<()> {
        let creds = client.credentials(email, password, derive, guard).await?;
        client.send_email_code(&creds).await
    }
}
