//! Logging in (docs/protocol.md §6.3–6.6): prelogin with its fallback chain, the password grant and
//! its two-factor retry, the e-mailed code, the refresh grant; and the types they hand out, each
//! with a `Debug` that shows no token, hash or key.

use serde_json::json;
use zeroize::Zeroizing;

use super::client::{server_error, Tokens};
use super::payloads::{self, TokenAnswer};
use super::{Client, HttpResponse, Method, Transport};
use crate::crypto::hash::{master_password_hash, HashPurpose};
use crate::crypto::{b64, CoreKdf, DeriveKey, EncString, Kdf, MasterKey, SymmetricKey};
use crate::error::{Error, Result};
use crate::keys::Prelogin;

/// The prelogin answer: its text (stored, it opens the account with `AccountMaterial::parse`)
/// and the KDF it asks for, already bounds-checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreloginAnswer {
    pub text: String,
    pub kdf: Kdf,
    pub salt: Option<String>,
}

/// What this device knows of the account from its last sign-in, and the user's answer to the
/// warning: a server (or someone posing as it) that asks for weaker key-derivation settings
/// than before would get a server hash far cheaper to crack, so that is refused unless the user
/// confirms (they may have lowered the settings themselves).
#[derive(Clone, Copy, Debug, Default)]
pub struct KdfGuard<'a> {
    /// The prelogin JSON stored at this device's last sign-in to this account, if any.
    pub last_prelogin: Option<&'a str>,
    /// The user saw the `kdf_downgrade` warning and chose to go on.
    pub confirmed: bool,
}

impl KdfGuard<'_> {
    /// `Error::KdfDowngrade` when `kdf` is weaker than the stored settings and not confirmed. A
    /// stored value that does not parse guards nothing.
    pub fn check(&self, kdf: &Kdf) -> Result<()> {
        if self.confirmed {
            return Ok(());
        }
        let Some(last) = self
            .last_prelogin
            .and_then(|t| Prelogin::parse(t).ok())
            .and_then(|p| p.kdf().ok())
        else {
            return Ok(());
        };
        match kdf.weaker_than(&last) {
            Some(what) => Err(Error::KdfDowngrade(what)),
            None => Ok(()),
        }
    }
}

/// "Remember this device" tokens at rest (`account.remembered`), sealed under a random device
/// secret kept beside them, never under a key derived from the password: an entry sealed under
/// the master key would let anyone holding the disk test password guesses offline against its
/// MAC, even after log-out. The token alone does not sign in (the server still wants the right
/// password), so a secret stored in the clear costs nothing; the seal binds each token to its
/// server and e-mail.
pub struct RememberedSeal(SymmetricKey);

impl RememberedSeal {
    /// Random bytes this short could not be a device secret.
    const MIN_SECRET_BYTES: usize = 16;

    /// From the device secret (base64 of at least 16 random bytes) and the account.
    pub fn new(device_secret: &str, server: &str, email: &str) -> Result<Self> {
        let secret = Zeroizing::new(
            b64::decode(device_secret.trim())
                .ok_or_else(|| Error::malformed("the device secret is not base64"))?,
        );
        if secret.len() < Self::MIN_SECRET_BYTES {
            return Err(Error::malformed("the device secret is too short"));
        }
        let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(b"keyfill remembered device"), &secret);
        let who = format!(
            "{}|{}",
            server.trim().trim_end_matches('/'),
            crate::crypto::kdf::normalize_email(email)
        );
        let mut key = Zeroizing::new([0u8; 64]);
        hk.expand(who.as_bytes(), &mut key[..])
            .map_err(|_| Error::Platform("key expansion".into()))?;
        SymmetricKey::from_bytes(&key[..]).map(RememberedSeal)
    }

    pub fn seal(&self, token: &str) -> Result<String> {
        Ok(self.0.encrypt_str(token)?.to_string())
    }

    /// The remembered-device second factor (§6.5 provider 5); `None` when it does not open.
    pub fn open(&self, sealed: &str) -> Option<SecondFactor> {
        let enc: EncString = sealed.parse().ok()?;
        let token = self.0.decrypt_string(&enc).ok()?;
        Some(SecondFactor {
            provider: 5,
            token,
            remember: false,
        })
    }
}

impl std::fmt::Debug for RememberedSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RememberedSeal")
    }
}

/// What logging in needs, derived once (the KDF is slow) and reused for a two-factor retry.
pub struct Credentials {
    pub email: String,
    pub prelogin: PreloginAnswer,
    master: MasterKey,
    server_hash: Zeroizing<String>,
}

impl Credentials {
    /// From a master key derived by the caller (the worker derives PBKDF2 with SubtleCrypto).
    pub fn from_master_key(
        email: &str,
        password: &str,
        master: MasterKey,
        prelogin: PreloginAnswer,
    ) -> Self {
        let hash = master_password_hash(&master, password, HashPurpose::ServerAuthorization);
        Credentials {
            email: email.trim().to_string(),
            prelogin,
            master,
            server_hash: Zeroizing::new(hash),
        }
    }

    /// The master key, to unlock the synced vault without deriving again.
    pub fn master_key(&self) -> &MasterKey {
        &self.master
    }

    /// A remembered-device token stored by an earlier version, sealed under the stretched master
    /// key; read at a sign-in (which has the password anyway), then sealed again with
    /// [`RememberedSeal`]. `None` when it does not open (another account, another password).
    pub fn legacy_remembered(&self, sealed: &str) -> Option<SecondFactor> {
        let enc: crate::crypto::EncString = sealed.parse().ok()?;
        let token = self.master.stretch().decrypt_string(&enc).ok()?;
        Some(SecondFactor {
            provider: 5,
            token,
            remember: false,
        })
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials")
    }
}

/// The second step of a two-factor login (§6.5).
#[derive(Clone)]
pub struct SecondFactor {
    /// 0 authenticator app, 1 e-mail, 5 a remembered device's token.
    pub provider: u8,
    pub token: String,
    /// Ask for a token that skips two-factor on this device next time (`Login::remember_token`).
    pub remember: bool,
}

impl std::fmt::Debug for SecondFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecondFactor(provider {})", self.provider)
    }
}

/// A successful login. The client keeps the tokens too.
pub struct Login {
    pub tokens: Tokens,
    /// `Key`: the user key wrapped with the (stretched) master key.
    pub wrapped_user_key: Option<String>,
    pub wrapped_private_key: Option<String>,
    pub kdf: Option<Kdf>,
    /// `TwoFactorToken`: send it as provider 5 on later logins from this device.
    pub remember_token: Option<String>,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Login")
    }
}

/// A login and what it was made from.
pub struct LoggedIn {
    pub credentials: Credentials,
    pub login: Login,
}

impl<T: Transport> Client<T> {
    /// [`Client::prelogin`], then the KDF it asks for checked against what this device used
    /// last time for the account (`kdf_downgrade`, see [`KdfGuard`]).
    pub async fn guarded_prelogin(
        &self,
        email: &str,
        guard: KdfGuard<'_>,
    ) -> Result<PreloginAnswer> {
        let answer = self.prelogin(email).await?;
        guard.check(&answer.kdf)?;
        Ok(answer)
    }

    /// `POST {identity}/accounts/prelogin/password`, then `{identity}/accounts/prelogin`, then
    /// `{api}/accounts/prelogin` (Cozy), moving on when a server answers 404 or 405 (§6.3).
    pub async fn prelogin(&self, email: &str) -> Result<PreloginAnswer> {
        let body = json!({ "email": email.trim() });
        let urls = [
            format!("{}/accounts/prelogin/password", self.urls.identity),
            format!("{}/accounts/prelogin", self.urls.identity),
            format!("{}/accounts/prelogin", self.urls.api),
        ];
        let mut last = None;
        for url in urls {
            let resp = self
                .transport
                .send(Self::with_json(self.request(Method::Post, url), &body))
                .await?;
            if resp.status == 404 || resp.status == 405 {
                last = Some(resp);
                continue;
            }
            if !resp.is_success() {
                return Err(server_error(&resp, &[]));
            }
            let text = String::from_utf8(resp.body)
                .map_err(|_| Error::malformed("prelogin response is not UTF-8"))?;
            let parsed = Prelogin::parse(&text)?;
            // Bounds before anything is derived: a hostile server must not pick weak settings.
            let kdf = parsed.kdf()?;
            let salt = parsed.salt.filter(|s| !s.trim().is_empty());
            return Ok(PreloginAnswer { text, kdf, salt });
        }
        Err(server_error(&last.unwrap_or_default(), &[]))
    }

    /// The guarded prelogin (nothing is derived or sent before the KDF passes it), then the
    /// master key (`derive`) and the server hash (§3.1), ready for `login`.
    pub async fn credentials(
        &self,
        email: &str,
        password: &str,
        derive: &impl DeriveKey,
        guard: KdfGuard<'_>,
    ) -> Result<Credentials> {
        let prelogin = self.guarded_prelogin(email, guard).await?;
        let salt = prelogin.salt.clone().unwrap_or_else(|| email.to_string());
        let master = derive.master_key(password, &salt, &prelogin.kdf).await?;
        Ok(Credentials::from_master_key(
            email, password, master, prelogin,
        ))
    }

    /// The password grant (§6.4). Two-factor is `Error::TwoFactorRequired` (also when the code
    /// given was refused); call again with a `SecondFactor`.
    pub async fn login(&self, creds: &Credentials, second: Option<&SecondFactor>) -> Result<Login> {
        let device_type = self.device.device_type.to_string();
        let mut pairs = vec![
            ("grant_type", "password"),
            ("username", creds.email.as_str()),
            ("password", creds.server_hash.as_str()),
            ("scope", "api offline_access"),
            ("client_id", self.device.client_name.as_str()),
            ("deviceType", device_type.as_str()),
            ("deviceIdentifier", self.device.identifier.as_str()),
            ("deviceName", self.device.device_name.as_str()),
        ];
        let provider;
        if let Some(sf) = second {
            provider = sf.provider.to_string();
            pairs.push(("twoFactorToken", sf.token.as_str()));
            pairs.push(("twoFactorProvider", provider.as_str()));
            pairs.push(("twoFactorRemember", if sf.remember { "1" } else { "0" }));
        }
        let resp = self.token_request(&pairs).await?;
        let answer = TokenAnswer::parse(&resp.body);
        let secrets = [creds.server_hash.as_str()];
        if !resp.is_success() {
            return Err(login_error(resp.status, &answer, second, &secrets));
        }
        let tokens = self.tokens_from(&answer, None)?;
        self.set_tokens(Some(tokens.clone()));
        Ok(Login {
            tokens,
            wrapped_user_key: answer.wrapped_user_key(),
            wrapped_private_key: answer.private_key.clone(),
            kdf: answer.kdf()?,
            remember_token: answer.two_factor_token.clone(),
        })
    }

    /// `credentials` then `login`, for callers that keep nothing in between.
    pub async fn log_in(
        &self,
        email: &str,
        password: &str,
        second: Option<&SecondFactor>,
    ) -> Result<LoggedIn> {
        let credentials = self
            .credentials(email, password, &CoreKdf, KdfGuard::default())
            .await?;
        let login = self.login(&credentials, second).await?;
        Ok(LoggedIn { credentials, login })
    }

    /// Asks the server to e-mail a login code (§6.5 step 6; Cozy mails it by itself).
    pub async fn send_email_code(&self, creds: &Credentials) -> Result<()> {
        let body = json!({
            "email": creds.email,
            "masterPasswordHash": creds.server_hash.as_str(),
            "deviceIdentifier": self.device.identifier,
        });
        let url = format!("{}/two-factor/send-email-login", self.urls.api);
        let resp = self
            .transport
            .send(Self::with_json(self.request(Method::Post, url), &body))
            .await?;
        if resp.is_success() {
            Ok(())
        } else {
            Err(server_error(&resp, &[creds.server_hash.as_str()]))
        }
    }

    async fn token_request(&self, pairs: &[(&str, &str)]) -> Result<HttpResponse> {
        let mut req = self.request(
            Method::Post,
            format!("{}/connect/token", self.urls.identity),
        );
        req.headers.push((
            "Content-Type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        ));
        req.body = Some(payloads::form(pairs));
        self.transport.send(req).await
    }

    fn tokens_from(&self, answer: &TokenAnswer, old_refresh: Option<String>) -> Result<Tokens> {
        let access = answer
            .access_token
            .clone()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::malformed("token response has no access token"))?;
        let now = self.now();
        let expires_at = payloads::jwt_expiry(&access).unwrap_or_else(|| {
            now + answer
                .expires_in
                .and_then(|s| u64::try_from(s).ok())
                .unwrap_or(3600)
        });
        Ok(Tokens {
            access_token: access,
            refresh_token: answer.refresh_token.clone().or(old_refresh),
            expires_at,
        })
    }

    /// The refresh grant (§6.6). A refused refresh token logs out.
    pub async fn refresh(&self) -> Result<()> {
        let Some(old) = self.tokens() else {
            return Err(Error::LoggedOut);
        };
        let Some(refresh) = old.refresh_token.clone() else {
            self.log_out();
            return Err(Error::LoggedOut);
        };
        let pairs = [
            ("grant_type", "refresh_token"),
            ("client_id", self.device.client_name.as_str()),
            ("refresh_token", refresh.as_str()),
        ];
        let resp = self.token_request(&pairs).await?;
        if resp.status == 400 || resp.status == 401 {
            // Vaultwarden `invalid_grant`, Cozy `invalid refresh token`: this login is over.
            self.log_out();
            return Err(Error::LoggedOut);
        }
        if !resp.is_success() {
            return Err(server_error(&resp, &[&refresh]));
        }
        let tokens = self.tokens_from(&TokenAnswer::parse(&resp.body), Some(refresh))?;
        self.set_tokens(Some(tokens));
        Ok(())
    }
}

/// The error for a failed password grant (§6.5, §6.7).
fn login_error(
    status: u16,
    answer: &TokenAnswer,
    second: Option<&SecondFactor>,
    secrets: &[&str],
) -> Error {
    if let Some(providers) = answer.two_factor_providers() {
        return Error::TwoFactorRequired { providers };
    }
    let text = answer.failure.haystack();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if status >= 500 || status == 429 {
        return Error::Server(answer.failure.describe(status, secrets));
    }
    if has(&["disabled", "locked", "deactivated"]) {
        return Error::AccountLocked;
    }
    if has(&[
        "username or password",
        "password is incorrect",
        "incorrect password",
        "invalid password",
        "passphrase",
    ]) {
        return Error::WrongPassword;
    }
    if let Some(sf) = second.filter(|sf| sf.provider != 5) {
        if status == 400 || status == 401 {
            // The password passed before (or the server would have said so): the code did not.
            return Error::TwoFactorRequired {
                providers: vec![sf.provider],
            };
        }
    }
    if status == 401 || answer.failure.code() == Some("invalid_grant") {
        return Error::WrongPassword;
    }
    Error::Server(answer.failure.describe(status, secrets))
}
