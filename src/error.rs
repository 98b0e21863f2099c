//! One error type for the core. Every variant has a stable `code` (what the binding and the CLI
//! expose) and a `hint` telling the user what to do. Messages never contain secret material.

// The binding and the CLI show these to users: each public item says what it means.
#![warn(missing_docs)]

use std::fmt;

/// What went wrong in the core; see [`Error::code`] and [`Error::hint`].
#[derive(Clone, PartialEq, Eq)]
pub enum Error {
    /// The master password (or the key it yields) does not open this account.
    WrongPassword,
    /// Authenticated decryption failed: wrong key or tampered data. Deliberately opaque.
    DecryptFailed,
    /// Input that does not have the expected shape; `what` names the problem (never a secret).
    Malformed(String),
    /// A format or feature this version does not handle (e.g. type-7 "V2" account encryption).
    Unsupported(String),
    /// KDF parameters outside the accepted bounds (anti-downgrade minimums, anti-DoS maximums).
    KdfRejected(String),
    /// Weaker KDF settings than this device last used for the account (fewer iterations, less
    /// memory, PBKDF2 after Argon2id): refused unless the user confirms. The text says which.
    KdfDowngrade(String),
    /// A user, organization or item key that is not a 64-byte AES-256-CBC-HMAC key.
    KeyRejected(String),
    /// A key of the wrong kind for this ciphertext (e.g. a 64-byte key given a type-0 string).
    WrongKeyType(String),
    /// The vault is locked: unlock it first.
    Locked,
    /// No item with that id.
    NotFound(String),
    /// The system could not provide something (randomness, a browser API).
    Platform(String),
    /// The server could not be reached (offline, refused, name not found, timed out).
    ServerUnreachable,
    /// The server address is not one Keyfill can use; the text says why (never echoes it).
    UnknownServer(String),
    /// The server wants a second factor (or refused the one given); `providers` are the
    /// Bitwarden provider numbers it offers (0 authenticator app, 1 e-mail, ...).
    TwoFactorRequired {
        /// The provider numbers, as the server lists them.
        providers: Vec<u8>,
    },
    /// The account is disabled or locked on the server.
    AccountLocked,
    /// The secure connection failed (certificate not trusted, not TLS, handshake refused).
    Tls(String),
    /// The server refused or failed a request; the text is its message, cleaned of secrets.
    Server(String),
    /// The server's copy of an item changed since this edit was made.
    Conflict,
    /// The server ended this login (refresh refused, password or keys changed, account gone).
    LoggedOut,
}

/// The core's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Stable machine-readable code: never renamed once shipped.
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongPassword => "wrong_password",
            Error::DecryptFailed => "decrypt_failed",
            Error::Malformed(_) => "malformed",
            Error::Unsupported(_) => "unsupported",
            Error::KdfRejected(_) => "kdf_rejected",
            Error::KdfDowngrade(_) => "kdf_downgrade",
            Error::KeyRejected(_) => "key_rejected",
            Error::WrongKeyType(_) => "wrong_key_type",
            Error::Locked => "locked",
            Error::NotFound(_) => "not_found",
            Error::Platform(_) => "platform",
            Error::ServerUnreachable => "server_unreachable",
            Error::UnknownServer(_) => "unknown_server",
            Error::TwoFactorRequired { .. } => "two_factor_required",
            Error::AccountLocked => "account_locked",
            Error::Tls(_) => "tls",
            Error::Server(_) => "server",
            Error::Conflict => "conflict",
            Error::LoggedOut => "logged_out",
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Error::WrongPassword => "Check the master password and the e-mail address, then try again.",
            Error::DecryptFailed => {
                "The data was altered or belongs to another account; sync again or restore a backup."
            }
            Error::Malformed(_) => "The input is damaged or not of the expected kind; check the file or server.",
            Error::Unsupported(_) => "This account or item uses a format Keyfill does not support yet.",
            Error::KdfRejected(_) => {
                "The server asked for unsafe key-derivation settings; refuse and check the server address."
            }
            Error::KdfDowngrade(_) => {
                "If you lowered these settings yourself, confirm to sign in; otherwise do not: the server may be trying to make your password easier to guess."
            }
            Error::KeyRejected(_) => {
                "The server sent a key Keyfill does not accept; ask the server's administrator to check the account."
            }
            Error::WrongKeyType(_) => "The data does not belong with this key; sync again.",
            Error::Locked => "Unlock the vault first.",
            Error::NotFound(_) => "The item may have been deleted; refresh the list.",
            Error::Platform(_) => "The browser or system refused an operation; try again or restart it.",
            Error::ServerUnreachable => {
                "The server cannot be reached; the vault stays usable offline and edits sync later."
            }
            Error::UnknownServer(_) => {
                "Type the server address as https://host (Bitwarden: bitwarden.com or bitwarden.eu)."
            }
            Error::TwoFactorRequired { .. } => {
                "Enter the current code from the authenticator app or the e-mail the server sent."
            }
            Error::AccountLocked => "The account is disabled or locked; ask the server's administrator.",
            Error::Tls(_) => {
                "The secure connection failed; check the address, the certificate and the system clock."
            }
            Error::Server(_) => "The server refused the request; try again later or ask its administrator.",
            Error::Conflict => "The item changed elsewhere; sync, and both versions will be kept.",
            Error::LoggedOut => "Log in again.",
        }
    }

    pub(crate) fn malformed(what: impl Into<String>) -> Self {
        Error::Malformed(what.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::WrongPassword => write!(f, "wrong master password"),
            Error::DecryptFailed => write!(f, "decryption failed"),
            Error::Malformed(w) => write!(f, "malformed input: {w}"),
            Error::Unsupported(w) => write!(f, "unsupported: {w}"),
            Error::KdfRejected(w) => write!(f, "key-derivation settings refused: {w}"),
            Error::KdfDowngrade(w) => write!(
                f,
                "the server asks for weaker key-derivation settings than this device last used for this account: {w}"
            ),
            Error::KeyRejected(w) => write!(f, "key refused: {w}"),
            Error::WrongKeyType(w) => write!(f, "wrong key type: {w}"),
            Error::Locked => write!(f, "the vault is locked"),
            Error::NotFound(w) => write!(f, "not found: {w}"),
            Error::Platform(w) => write!(f, "platform error: {w}"),
            Error::ServerUnreachable => write!(f, "the server cannot be reached"),
            Error::UnknownServer(w) => write!(f, "unusable server address: {w}"),
            Error::TwoFactorRequired { providers } => {
                let names: Vec<&str> = providers.iter().map(|p| provider_name(*p)).collect();
                write!(f, "a two-factor code is needed ({})", names.join(", "))
            }
            Error::AccountLocked => write!(f, "the account is disabled or locked"),
            Error::Tls(w) => write!(f, "secure connection failed: {w}"),
            Error::Server(w) => write!(f, "server error: {w}"),
            Error::Conflict => write!(f, "the item was changed on the server since this edit"),
            Error::LoggedOut => write!(f, "logged out by the server"),
        }
    }
}

/// Bitwarden two-factor provider numbers (docs/protocol.md §6.5) as words.
fn provider_name(p: u8) -> &'static str {
    match p {
        0 => "authenticator app",
        1 => "e-mail",
        2 | 6 => "Duo",
        3 => "YubiKey",
        4 | 7 => "security key",
        5 => "remembered device",
        8 => "recovery code",
        _ => "other",
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {self})", self.code())
    }
}

impl std::error::Error for Error {}
