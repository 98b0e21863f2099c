//! Encrypted shapes as the servers send them (docs/protocol.md §6.9, §7.1), after key normalisation
//! (`crate::server_json`). EncString fields stay strings here: they are parsed when decrypted, so
//! one bad field marks one item, never the whole sync. A cipher's strings borrow from its JSON text
//! unless they hold escapes, which saves an allocation and a copy for each.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::records::{Card, Fido2Credential, Identity, SshKey};
use crate::server_json::{borrowed_text, lenient_bool, lenient_int};

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

impl SyncResponse<'_> {
    /// The wrapped user key (`profile.key`, or the newer `userDecryption.masterPasswordUnlock`).
    pub fn wrapped_user_key(&self) -> Option<&str> {
        self.profile.key.as_deref().or_else(|| {
            let mpu = self
                .user_decryption
                .as_ref()?
                .master_password_unlock
                .as_ref()?;
            mpu.master_key_wrapped_user_key
                .as_deref()
                .or(mpu.master_key_encrypted_user_key.as_deref())
        })
    }

    /// The salt to derive with: the server's when given, else the login e-mail (§1.2).
    pub fn salt_or<'a>(&'a self, email: &'a str) -> &'a str {
        self.user_decryption
            .as_ref()
            .and_then(|u| u.master_password_unlock.as_ref())
            .and_then(|m| m.salt.as_deref())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(email)
    }
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

impl Profile {
    /// The private key wrapped under the user key (`privateKey`, or the newer `accountKeys`).
    pub fn wrapped_private_key(&self) -> Option<String> {
        self.private_key.clone().or_else(|| {
            self.account_keys
                .as_ref()
                .and_then(|k| k.get("publicKeyEncryptionKeyPair"))
                .and_then(|p| p.get("wrappedPrivateKey"))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
    }

    /// Each organization's id and key (wrapped under the private key), for `Keyring::open`.
    pub fn organization_keys(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.organizations
            .iter()
            .flatten()
            .map(|o| (o.id.as_str(), o.key.as_deref()))
    }
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

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Cipher<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(rename = "type", deserialize_with = "lenient_int::deserialize")]
    pub kind: Option<i64>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub organization_id: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub folder_id: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "lenient_bool::deserialize")]
    pub favorite: bool,
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub reprompt: Option<i64>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub key: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub notes: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub fields: Option<Vec<Field<'a>>>,
    #[serde(borrow)]
    pub password_history: Option<Vec<PasswordHistory<'a>>>,
    pub collection_ids: Option<Vec<String>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub creation_date: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub revision_date: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub deleted_date: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub archived_date: Option<Cow<'a, str>>,
    pub edit: Option<bool>,
    pub view_password: Option<bool>,
    #[serde(borrow)]
    pub login: Option<Login<'a>>,
    pub secure_note: Option<SecureNote>,
    pub card: Option<Card>,
    pub identity: Option<Identity>,
    pub ssh_key: Option<SshKey>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Field<'a> {
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub value: Option<Cow<'a, str>>,
    #[serde(rename = "type", deserialize_with = "lenient_int::deserialize")]
    pub kind: Option<i64>,
    #[serde(deserialize_with = "lenient_int::deserialize")]
    pub linked_id: Option<i64>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordHistory<'a> {
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub password: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub last_used_date: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct Login<'a> {
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub username: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub password: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub totp: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub password_revision_date: Option<Cow<'a, str>>,
    pub autofill_on_page_load: Option<bool>,
    #[serde(borrow)]
    pub uris: Option<Vec<LoginUri<'a>>>,
    pub fido2_credentials: Option<Vec<Fido2Credential>>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct LoginUri<'a> {
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub uri: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "borrowed_text::deserialize")]
    pub uri_checksum: Option<Cow<'a, str>>,
    #[serde(rename = "match", deserialize_with = "lenient_int::deserialize")]
    pub match_type: Option<i64>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
pub struct SecureNote {
    #[serde(rename = "type", deserialize_with = "lenient_int::deserialize")]
    pub kind: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_borrow_from_the_text_unless_they_hold_escapes() {
        // .NET servers may write `+` and `/` of base64 as escapes; those strings are decoded.
        let text = r#"{"id":"c1","name":"2.aXY=|Y3Q\u002B|bWFj","login":{"username":"2.aXY=|Y3Q=|bWFj","uris":[{"uri":"2.aXY=|Y3Q\/|bWFj"}]}}"#;
        let c: Cipher = serde_json::from_str(text).unwrap();
        assert!(matches!(c.id, Cow::Borrowed("c1")));
        assert!(matches!(c.name, Some(Cow::Owned(ref s)) if s == "2.aXY=|Y3Q+|bWFj"));
        let login = c.login.unwrap();
        assert!(matches!(
            login.username,
            Some(Cow::Borrowed("2.aXY=|Y3Q=|bWFj"))
        ));
        let uri = &login.uris.unwrap()[0];
        assert!(matches!(uri.uri, Some(Cow::Owned(ref s)) if s == "2.aXY=|Y3Q/|bWFj"));
    }
}
