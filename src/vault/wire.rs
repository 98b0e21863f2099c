//! Encrypted shapes as the servers send them (PROTOCOL.md §6.9, §7.1), after key normalisation
//! (`crate::wire`). EncString fields stay strings here: they are parsed when decrypted, so one bad
//! field marks one item, never the whole sync.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::records::{Card, Fido2Credential, Identity, SshKey};
use crate::wire::{lenient_bool, lenient_int};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct SyncResponse<'a> {
    pub profile: Profile,
    pub folders: Option<Vec<Folder>>,
    pub collections: Option<Vec<Collection>>,
    pub policies: Option<Vec<Value>>,
    /// Kept as raw values: each cipher is read on its own so one odd cipher cannot sink the rest.
    #[serde(borrow)]
    pub ciphers: Option<Vec<&'a RawValue>>,
    pub domains: Option<Value>,
    pub user_decryption: Option<UserDecryption>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Profile {
    pub id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub key: Option<String>,
    pub private_key: Option<String>,
    pub security_stamp: Option<String>,
    pub organizations: Option<Vec<ProfileOrganization>>,
    pub account_keys: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ProfileOrganization {
    pub id: String,
    pub name: Option<String>,
    pub key: Option<String>,
    #[serde(deserialize_with = "lenient_bool::deserialize")]
    pub enabled: bool,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct UserDecryption {
    pub master_password_unlock: Option<MasterPasswordUnlock>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct MasterPasswordUnlock {
    pub kdf: Option<Value>,
    pub master_key_wrapped_user_key: Option<String>,
    pub master_key_encrypted_user_key: Option<String>,
    pub salt: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Folder {
    pub id: String,
    pub name: Option<String>,
    pub revision_date: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Collection {
    pub id: String,
    pub organization_id: Option<String>,
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient_bool::deserialize")]
    pub read_only: bool,
    #[serde(deserialize_with = "lenient_bool::deserialize")]
    pub hide_passwords: bool,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Cipher {
    pub id: String,
    #[serde(rename = "type", deserialize_with = "lenient_int::deserialize")]
    pub kind: Option<i64>,
    pub organization_id: Option<String>,
    pub folder_id: Option<String>,
    #[serde(deserialize_with = "lenient_bool::deserialize")]
    pub favorite: bool,
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub reprompt: Option<i64>,
    pub key: Option<String>,
    pub name: Option<String>,
    pub notes: Option<String>,
    pub fields: Option<Vec<Field>>,
    pub password_history: Option<Vec<PasswordHistory>>,
    pub collection_ids: Option<Vec<String>>,
    pub creation_date: Option<String>,
    pub revision_date: Option<String>,
    pub deleted_date: Option<String>,
    pub archived_date: Option<String>,
    pub edit: Option<bool>,
    pub view_password: Option<bool>,
    pub login: Option<Login>,
    pub secure_note: Option<SecureNote>,
    pub card: Option<Card>,
    pub identity: Option<Identity>,
    pub ssh_key: Option<SshKey>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Field {
    pub name: Option<String>,
    pub value: Option<String>,
    #[serde(rename = "type", deserialize_with = "lenient_int::deserialize")]
    pub kind: Option<i64>,
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub linked_id: Option<i64>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordHistory {
    pub password: Option<String>,
    pub last_used_date: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Login {
    pub username: Option<String>,
    pub password: Option<String>,
    pub totp: Option<String>,
    pub password_revision_date: Option<String>,
    pub autofill_on_page_load: Option<bool>,
    pub uris: Option<Vec<LoginUri>>,
    pub fido2_credentials: Option<Vec<Fido2Credential>>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct LoginUri {
    pub uri: Option<String>,
    pub uri_checksum: Option<String>,
    #[serde(rename = "match", deserialize_with = "lenient_int::deserialize")]
    pub match_type: Option<i64>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct SecureNote {
    #[serde(rename = "type", deserialize_with = "lenient_int::deserialize")]
    pub kind: Option<i64>,
}
