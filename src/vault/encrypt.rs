//! Decrypted view → the request body of `POST/PUT /api/ciphers` (docs/protocol.md §7.2), and the
//! password-history rule clients apply when a login is edited.

use serde_json::{json, Map, Value};

use super::decrypt::uri_checksum;
use super::records::Fido2Credential;
use super::view::*;
use crate::crypto::{EncString, SymmetricKey};
use crate::error::{Error, Result};
use crate::keys::Keyring;

/// How many old passwords an item keeps, as the official clients do.
pub const PASSWORD_HISTORY_LIMIT: usize = 5;

pub struct EncryptOptions<'a> {
    /// The item's existing wrapped key, kept as is so only edited fields change.
    pub existing_key: Option<&'a str>,
    /// Give a new item its own key (only when the server supports it, §5.5).
    pub use_cipher_key: bool,
    /// The `revisionDate` last seen, so the server can refuse a stale edit.
    pub last_known_revision_date: Option<&'a str>,
}

struct Enc<'k>(&'k SymmetricKey);

impl Enc<'_> {
    fn opt(&self, value: Option<&str>) -> Result<Option<String>> {
        value
            .map(|v| self.0.encrypt_str(v).map(|e| e.to_string()))
            .transpose()
    }

    fn val(&self, value: Option<&str>) -> Result<Value> {
        Ok(self.opt(value)?.map(Value::String).unwrap_or(Value::Null))
    }
}

pub fn encrypt_cipher(
    view: &CipherView,
    ring: &Keyring,
    opts: &EncryptOptions<'_>,
) -> Result<Value> {
    let owner = ring
        .owner_key(view.organization_id.as_deref())
        .ok_or_else(|| Error::malformed("no key for the item's organization"))?;
    let (wrapped, own): (Option<String>, Option<SymmetricKey>) = match opts.existing_key {
        Some(text) => {
            let enc: EncString = text.parse()?;
            let key = super::decrypt::item_key_from(&owner.decrypt(&enc)?)?;
            (Some(text.to_string()), Some(key))
        }
        None if opts.use_cipher_key => {
            let key = SymmetricKey::generate()?;
            let wrapped = owner.encrypt(&key.to_bytes())?.to_string();
            (Some(wrapped), Some(key))
        }
        None => (None, None),
    };
    let e = Enc(own.as_ref().unwrap_or(owner));

    let fields: Vec<Value> = view
        .fields
        .iter()
        .map(|f| {
            Ok(json!({
                "name": e.val(f.name.as_deref())?,
                "value": e.val(f.value.as_deref())?,
                "type": f.kind,
                "linkedId": f.linked_id,
            }))
        })
        .collect::<Result<_>>()?;
    let history: Option<Vec<Value>> = view
        .password_history
        .as_ref()
        .map(|list| {
            list.iter()
                .map(|h| {
                    Ok(json!({
                        "password": e.val(Some(&h.password))?,
                        "lastUsedDate": h.last_used_date,
                    }))
                })
                .collect::<Result<_>>()
        })
        .transpose()?;

    let mut body = Map::new();
    body.insert("type".into(), json!(view.kind));
    body.insert("organizationId".into(), json!(view.organization_id));
    body.insert("folderId".into(), json!(view.folder_id));
    body.insert("favorite".into(), json!(view.favorite));
    body.insert("reprompt".into(), json!(view.reprompt));
    body.insert("key".into(), json!(wrapped));
    body.insert("name".into(), e.val(Some(&view.name))?);
    body.insert("notes".into(), e.val(view.notes.as_deref())?);
    body.insert("fields".into(), json!(fields));
    body.insert("passwordHistory".into(), json!(history));
    for k in ["login", "secureNote", "card", "identity", "sshKey"] {
        body.insert(k.into(), Value::Null);
    }
    match view.kind {
        TYPE_LOGIN => {
            let login = view.login.clone().unwrap_or_default();
            body.insert("login".into(), encrypt_login(&login, &e)?);
        }
        TYPE_SECURE_NOTE => {
            let kind = view.secure_note.as_ref().map(|n| n.kind).unwrap_or(0);
            body.insert("secureNote".into(), json!({ "type": kind }));
        }
        TYPE_CARD => {
            let card = view.card.clone().unwrap_or_default();
            body.insert("card".into(), json!(card.map(|_, v| e.opt(v))?));
        }
        TYPE_IDENTITY => {
            let id = view.identity.clone().unwrap_or_default();
            body.insert("identity".into(), json!(id.map(|_, v| e.opt(v))?));
        }
        TYPE_SSH_KEY => {
            let ssh = view.ssh_key.clone().unwrap_or_default();
            body.insert("sshKey".into(), json!(ssh.map(|_, v| e.opt(v))?));
        }
        other => return Err(Error::Unsupported(format!("writing items of type {other}"))),
    }
    body.insert(
        "lastKnownRevisionDate".into(),
        json!(opts.last_known_revision_date),
    );
    Ok(Value::Object(body))
}

fn encrypt_login(login: &LoginView, e: &Enc<'_>) -> Result<Value> {
    let uris: Vec<Value> = login
        .uris
        .iter()
        .map(|u| {
            Ok(json!({
                "uri": e.val(u.uri.as_deref())?,
                "uriChecksum": e.val(u.uri.as_deref().map(uri_checksum).as_deref())?,
                "match": u.match_type,
            }))
        })
        .collect::<Result<_>>()?;
    let fido: Vec<Fido2Credential> = login
        .fido2_credentials
        .iter()
        .map(|c| {
            c.map(|name, v| {
                if name == "creationDate" {
                    Ok(v.map(str::to_string))
                } else {
                    e.opt(v)
                }
            })
        })
        .collect::<Result<_>>()?;
    Ok(json!({
        "username": e.val(login.username.as_deref())?,
        "password": e.val(login.password.as_deref())?,
        "totp": e.val(login.totp.as_deref())?,
        "passwordRevisionDate": login.password_revision_date,
        "autofillOnPageLoad": login.autofill_on_page_load,
        "uris": uris,
        "fido2Credentials": if fido.is_empty() { Value::Null } else { json!(fido) },
    }))
}

/// When an edit changes a login's password or a hidden field, the old value goes to the front
/// of the history (newest first, at most five) and the password revision date moves to `now`.
pub fn record_password_history(old: &CipherView, new: &mut CipherView, now: &str) {
    let mut added = Vec::new();
    let old_pw = old.login.as_ref().and_then(|l| l.password.as_deref());
    let new_pw = new.login.as_ref().and_then(|l| l.password.as_deref());
    if let Some(prev) = old_pw.filter(|p| !p.is_empty() && Some(*p) != new_pw) {
        added.push(prev.to_string());
        if let Some(login) = new.login.as_mut() {
            login.password_revision_date = Some(now.to_string());
        }
    }
    for f in old.fields.iter().filter(|f| f.kind == FIELD_HIDDEN) {
        let (Some(name), Some(value)) = (&f.name, &f.value) else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let still = new
            .fields
            .iter()
            .any(|n| n.kind == FIELD_HIDDEN && n.name == f.name && n.value.as_ref() == Some(value));
        if !still {
            added.push(format!("{name}: {value}"));
        }
    }
    if added.is_empty() {
        return;
    }
    let history = new.password_history.get_or_insert_with(Vec::new);
    for pw in added.into_iter().rev() {
        history.insert(
            0,
            PasswordHistoryView {
                password: pw,
                last_used_date: Some(now.to_string()),
            },
        );
    }
    history.truncate(PASSWORD_HISTORY_LIMIT);
}
