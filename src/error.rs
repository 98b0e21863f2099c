//! One error type for the core. Every variant has a stable `code` (what the binding and the CLI
//! expose) and a `hint` telling the user what to do. Messages never contain secret material.

use std::fmt;

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
    /// A key of the wrong kind for this ciphertext (e.g. a 64-byte key given a type-0 string).
    WrongKeyType(String),
    /// The vault is locked: unlock it first.
    Locked,
    /// No item with that id.
    NotFound(String),
    /// The system could not provide something (randomness, a browser API).
    Platform(String),
}

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
            Error::WrongKeyType(_) => "wrong_key_type",
            Error::Locked => "locked",
            Error::NotFound(_) => "not_found",
            Error::Platform(_) => "platform",
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
            Error::WrongKeyType(_) => "The data does not belong with this key; sync again.",
            Error::Locked => "Unlock the vault first.",
            Error::NotFound(_) => "The item may have been deleted; refresh the list.",
            Error::Platform(_) => "The browser or system refused an operation; try again or restart it.",
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
            Error::WrongKeyType(w) => write!(f, "wrong key type: {w}"),
            Error::Locked => write!(f, "the vault is locked"),
            Error::NotFound(w) => write!(f, "not found: {w}"),
            Error::Platform(w) => write!(f, "platform error: {w}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {self})", self.code())
    }
}

impl std::error::Error for Error {}
