//! Decrypted items. Their serde form is Bitwarden's unencrypted JSON export item (docs/protocol.md
//! §10.1), so exporting is serialising and reading an export is deserialising. `Debug` prints
//! only ids and types: these hold secrets.

use serde::{Deserialize, Serialize};

use super::records::{Card, Fido2Credential, Identity, SshKey};

pub const TYPE_LOGIN: u8 = 1;
pub const TYPE_SECURE_NOTE: u8 = 2;
pub const TYPE_CARD: u8 = 3;
pub const TYPE_IDENTITY: u8 = 4;
pub const TYPE_SSH_KEY: u8 = 5;

#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct CipherView {
    pub id: String,
    pub organization_id: Option<String>,
    pub folder_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: u8,
    pub reprompt: u8,
    pub name: String,
    pub notes: Option<String>,
    pub favorite: bool,
    pub fields: Vec<FieldView>,
    pub password_history: Option<Vec<PasswordHistoryView>>,
    pub collection_ids: Option<Vec<String>>,
    pub revision_date: Option<String>,
    pub creation_date: Option<String>,
    pub deleted_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<LoginView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_note: Option<SecureNoteView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<SshKey>,
    /// Names of the fields that could not be decrypted (empty when the item is whole).
    #[serde(skip)]
    pub errors: Vec<String>,
}

impl CipherView {
    pub fn is_deleted(&self) -> bool {
        self.deleted_date.is_some()
    }

    /// True when the item could not be read at all (unknown type, undecryptable key or name).
    pub fn is_unreadable(&self) -> bool {
        self.errors
            .iter()
            .any(|e| e == "type" || e == "key" || e == "name")
    }
}

impl std::fmt::Debug for CipherView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CipherView({}, type {})", self.id, self.kind)
    }
}

#[derive(Serialize, Deserialize, Default, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldView {
    pub name: Option<String>,
    pub value: Option<String>,
    #[serde(rename = "type")]
    pub kind: u8,
    pub linked_id: Option<i64>,
}

pub const FIELD_TEXT: u8 = 0;
pub const FIELD_HIDDEN: u8 = 1;
pub const FIELD_BOOLEAN: u8 = 2;
pub const FIELD_LINKED: u8 = 3;

#[derive(Serialize, Deserialize, Default, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordHistoryView {
    pub password: String,
    pub last_used_date: Option<String>,
}

#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct LoginView {
    pub uris: Vec<LoginUriView>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub totp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_revision_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autofill_on_page_load: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fido2_credentials: Vec<Fido2Credential>,
}

#[derive(Serialize, Deserialize, Default, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct LoginUriView {
    pub uri: Option<String>,
    #[serde(rename = "match")]
    pub match_type: Option<i64>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct SecureNoteView {
    #[serde(rename = "type")]
    pub kind: u8,
}

#[derive(Serialize, Deserialize, Default, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct FolderView {
    pub id: String,
    pub name: String,
}

impl std::fmt::Debug for LoginView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LoginView({} uris)", self.uris.len())
    }
}

/// Redacting `Debug` for view parts that hold user data.
macro_rules! redacted_debug {
    ($($t:ty),+) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(stringify!($t))
            }
        }
    )+};
}

redacted_debug!(FieldView, LoginUriView, PasswordHistoryView, FolderView);
