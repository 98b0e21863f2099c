//! Request bodies and typed answers of the identity and API endpoints (docs/protocol.md §6), apart
//! from the client's logic and from crypto. Answers go through `crate::server_json` first, so
//! camelCase (Vaultwarden, Bitwarden) and PascalCase (Cozy, identity fields) read the same.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::crypto::Kdf;
use crate::error::{Error, Result};
use crate::server_json::lenient_int;

/// `application/x-www-form-urlencoded` with every value percent-encoded (the base64 hash holds
/// `+ / =`, §6.4).
pub fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish().into_bytes()
}

/// A string, or `None` for anything else (null, a number, an object): optional fields must not
/// sink a whole answer.
fn opt_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

/// The identity server's answer to `/connect/token`, success and failure shapes together
/// (§6.4–6.7). Holds tokens: `Debug` prints none of it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenAnswer {
    #[serde(deserialize_with = "opt_string")]
    pub access_token: Option<String>,
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub expires_in: Option<i64>,
    #[serde(deserialize_with = "opt_string")]
    pub refresh_token: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub key: Option<String>,
    #[serde(rename = "privateKey", deserialize_with = "opt_string")]
    pub private_key: Option<String>,
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub kdf: Option<i64>,
    #[serde(
        rename = "kdfIterations",
        deserialize_with = "lenient_int::deserialize"
    )]
    pub kdf_iterations: Option<i64>,
    #[serde(rename = "kdfMemory", deserialize_with = "lenient_int::deserialize")]
    pub kdf_memory: Option<i64>,
    #[serde(
        rename = "kdfParallelism",
        deserialize_with = "lenient_int::deserialize"
    )]
    pub kdf_parallelism: Option<i64>,
    #[serde(rename = "twoFactorToken", deserialize_with = "opt_string")]
    pub two_factor_token: Option<String>,
    #[serde(rename = "userDecryptionOptions")]
    pub user_decryption_options: Option<Value>,
    #[serde(rename = "twoFactorProviders2")]
    pub two_factor_providers2: Option<Map<String, Value>>,
    #[serde(rename = "twoFactorProviders")]
    pub two_factor_providers: Option<Vec<Value>>,
    /// Read from the same body by [`Failure::parse`]: a second pass over a small answer costs
    /// less than serde's `flatten`, which buffers every field (~10 KB of wasm here).
    #[serde(skip)]
    pub failure: Failure,
}

impl TokenAnswer {
    /// Reads an answer; a body that is not JSON (a proxy's error page) reads as empty.
    pub fn parse(body: &[u8]) -> Self {
        let mut answer: Self =
            crate::server_json::parse(&String::from_utf8_lossy(body), "token response")
                .unwrap_or_default();
        answer.failure = Failure::parse(body);
        answer
    }

    /// The providers of a "two factor required" answer: the keys of `TwoFactorProviders2` (what
    /// the SDK reads), else the `TwoFactorProviders` list (strings on Vaultwarden, numbers
    /// elsewhere). `None` when the answer is not a two-factor challenge.
    pub fn two_factor_providers(&self) -> Option<Vec<u8>> {
        let ids: Vec<u8> = match (&self.two_factor_providers2, &self.two_factor_providers) {
            (Some(map), _) if !map.is_empty() => {
                map.keys().filter_map(|k| k.trim().parse().ok()).collect()
            }
            (_, Some(list)) if !list.is_empty() => list
                .iter()
                .filter_map(|v| match v {
                    Value::Number(n) => n.as_u64().and_then(|n| u8::try_from(n).ok()),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                })
                .collect(),
            _ => return None,
        };
        // Sorted and deduplicated by presence (a sort of u8s costs ~3 KB of wasm).
        let mut seen = [false; 256];
        for id in ids {
            seen[usize::from(id)] = true;
        }
        Some((0..=u8::MAX).filter(|&id| seen[usize::from(id)]).collect())
    }

    /// The account's KDF as the token answer states it (`Kdf*`, or the newer
    /// `UserDecryptionOptions.MasterPasswordUnlock.Kdf`), bounds-checked. `None` when absent.
    pub fn kdf(&self) -> Result<Option<Kdf>> {
        if let Some(kind) = self.kdf {
            return Kdf::from_parts(
                kind,
                self.kdf_iterations,
                self.kdf_memory,
                self.kdf_parallelism,
            )
            .map(Some);
        }
        let Some(k) = self.unlock().and_then(|u| u.get("kdf")) else {
            return Ok(None);
        };
        let int = |name: &str| k.get(name).and_then(Value::as_i64);
        match int("kdfType") {
            Some(kind) => {
                Kdf::from_parts(kind, int("iterations"), int("memory"), int("parallelism"))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    /// The salt the server gives (§1.2), when it gives one.
    pub fn salt(&self) -> Option<String> {
        self.unlock()?
            .get("salt")?
            .as_str()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    }

    /// The wrapped user key: `Key`, else `MasterPasswordUnlock.MasterKeyWrappedUserKey`.
    pub fn wrapped_user_key(&self) -> Option<String> {
        self.key.clone().or_else(|| {
            let u = self.unlock()?;
            u.get("masterKeyWrappedUserKey")
                .or_else(|| u.get("masterKeyEncryptedUserKey"))?
                .as_str()
                .map(str::to_string)
        })
    }

    fn unlock(&self) -> Option<&Value> {
        self.user_decryption_options
            .as_ref()?
            .get("masterPasswordUnlock")
            .filter(|v| v.is_object())
    }
}

impl std::fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenAnswer")
    }
}

/// The error fields every server writes in its own way (§6.7).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct Failure {
    /// A string (OAuth, Cozy) or an object (Vaultwarden's 404 catcher).
    pub error: Option<Value>,
    #[serde(deserialize_with = "opt_string")]
    pub error_description: Option<String>,
    #[serde(rename = "errorModel")]
    pub error_model: Option<Value>,
    #[serde(deserialize_with = "opt_string")]
    pub message: Option<String>,
    #[serde(rename = "validationErrors")]
    pub validation_errors: Option<Value>,
}

impl Failure {
    pub fn parse(body: &[u8]) -> Self {
        crate::server_json::parse(&String::from_utf8_lossy(body), "error response")
            .unwrap_or_default()
    }

    /// The OAuth `error` code (`invalid_grant`, ...), when it is a string.
    pub fn code(&self) -> Option<&str> {
        self.error.as_ref()?.as_str().filter(|s| !s.is_empty())
    }

    /// The most specific message: `ErrorModel.Message`, `message`, `error_description`,
    /// `error`, then the first validation error.
    pub fn message(&self) -> Option<String> {
        let model = self
            .error_model
            .as_ref()
            .and_then(|m| m.get("message"))
            .and_then(Value::as_str);
        let nested = self
            .error
            .as_ref()
            .and_then(|e| e.get("description").or_else(|| e.get("reason")))
            .and_then(Value::as_str);
        let validation = self.validation_errors.as_ref().and_then(|v| {
            v.as_object()?
                .values()
                .flat_map(|l| l.as_array().into_iter().flatten())
                .find_map(Value::as_str)
        });
        let first = [
            model,
            self.message.as_deref(),
            self.error_description.as_deref(),
            self.code(),
            nested,
            validation,
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|m| !m.is_empty())?;
        // Bitwarden's "The model state is invalid." says nothing; the field's error does.
        match validation.map(str::trim) {
            Some(v) if !v.is_empty() && !first.contains(v) => Some(format!("{first} {v}")),
            _ => Some(first.to_string()),
        }
    }

    /// `message()` made safe to show: each secret sent in the request is cut out, control
    /// characters dropped, length capped. Falls back to the HTTP status.
    pub fn describe(&self, status: u16, secrets: &[&str]) -> String {
        let Some(mut text) = self.message() else {
            return format!("no message (HTTP {status})");
        };
        for s in secrets.iter().filter(|s| s.len() >= 4) {
            text = text.replace(s, "[hidden]");
        }
        let clean: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
        format!("{clean} (HTTP {status})")
    }

    /// Everything lower-cased, to look for known phrases in.
    pub fn haystack(&self) -> String {
        let mut s = self.message().unwrap_or_default();
        if let Some(c) = self.code() {
            s.push(' ');
            s.push_str(c);
        }
        s.to_lowercase()
    }
}

/// The HTTP status `Failure::describe` put at the end of a message.
pub fn status_of(described: &str) -> Option<u16> {
    let rest = described.rsplit_once("(HTTP ")?.1;
    rest.strip_suffix(')')?.parse().ok()
}

/// `GET {api}/accounts/revision-date` (§6.13): milliseconds since the epoch, as a bare JSON
/// number (Vaultwarden, Bitwarden) or `text/plain` digits (Cozy). Negative: the account is gone.
pub fn parse_revision_date(body: &[u8]) -> Result<i64> {
    let text = String::from_utf8_lossy(body);
    let t = text.trim().trim_matches('"').trim();
    t.parse::<i64>()
        .ok()
        .or_else(|| {
            t.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(|f| f as i64)
        })
        .ok_or_else(|| Error::malformed("the server's revision date is not a number"))
}

/// The server version from `GET {api}/config` (§6.14) as (year, month, patch).
pub fn parse_config_version(body: &[u8]) -> Option<(u32, u32, u32)> {
    #[derive(Deserialize)]
    struct Config {
        version: Option<String>,
    }
    let c: Config = crate::server_json::parse(&String::from_utf8_lossy(body), "config").ok()?;
    let v = c.version?;
    let mut parts = v
        .trim()
        .split(['.', '-', '+'])
        .map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
    ))
}

/// Per-cipher keys only from this server version on (§5.5, clients' `CIPHER_KEY_ENC_MIN_SERVER_VER`).
pub const CIPHER_KEY_MIN_VERSION: (u32, u32, u32) = (2024, 2, 0);

/// The `exp` claim of a JWT access token, in seconds, read without checking the signature (the
/// client only needs to know when to refresh).
pub fn jwt_expiry(token: &str) -> Option<u64> {
    let payload = token.split('.').nth(1)?;
    let std: String = payload
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let bytes = crate::crypto::b64::decode(&std)?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?;
    exp.as_u64().or_else(|| exp.as_f64().map(|f| f as u64))
}

/// The profile's security stamp in a sync answer (§6.9).
pub fn security_stamp(sync_text: &str) -> Result<Option<String>> {
    #[derive(Deserialize)]
    struct Sync {
        profile: Option<Profile>,
    }
    #[derive(Deserialize)]
    struct Profile {
        #[serde(rename = "securityStamp", default, deserialize_with = "opt_string")]
        security_stamp: Option<String>,
    }
    let sync: Sync = crate::server_json::parse(sync_text, "sync response")?;
    let profile = sync
        .profile
        .ok_or_else(|| Error::malformed("sync response has no profile"))?;
    Ok(profile.security_stamp)
}

/// A created or updated item or folder: its id and revision date, and the server's JSON of it.
#[derive(Deserialize, Default, Clone, PartialEq, Eq)]
#[serde(default)]
pub struct Saved {
    pub id: String,
    #[serde(rename = "revisionDate", deserialize_with = "opt_string")]
    pub revision_date: Option<String>,
    /// The whole answer (encrypted fields as EncStrings).
    #[serde(skip)]
    pub json: String,
}

impl Saved {
    pub fn parse(body: &[u8]) -> Result<Self> {
        let text = String::from_utf8_lossy(body).into_owned();
        let mut saved: Saved = crate::server_json::parse(&text, "saved item")?;
        if saved.id.is_empty() {
            return Err(Error::malformed("the server's answer has no id"));
        }
        saved.json = text;
        Ok(saved)
    }
}

impl std::fmt::Debug for Saved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Saved({})", self.id)
    }
}
