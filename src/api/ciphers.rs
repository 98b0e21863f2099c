//! Writing back (docs/protocol.md §6.10, §6.11): items and folders made, edited, trashed, restored,
//! deleted and imported. Bodies are already encrypted (`vault::encrypt::encrypt_cipher`, or an
//! item as the local store keeps it through `request_body`); nothing here sees a key.

use serde_json::{json, Map, Value};

use super::client::server_error;
use super::payloads::Saved;
use super::{Client, HttpResponse, Method, Transport};
use crate::error::{Error, Result};

/// The request fields of a cipher (§7.2); everything else a stored item carries is the server's.
const REQUEST_FIELDS: [&str; 16] = [
    "type",
    "organizationId",
    "folderId",
    "favorite",
    "reprompt",
    "key",
    "name",
    "notes",
    "fields",
    "passwordHistory",
    "login",
    "secureNote",
    "card",
    "identity",
    "sshKey",
    "archivedDate",
];

/// A stored (encrypted) item → the body of `POST/PUT /ciphers` with `lastKnownRevisionDate`.
pub fn request_body(stored: &Value, last_known_revision_date: Option<&str>) -> Result<Value> {
    let obj = stored
        .as_object()
        .ok_or_else(|| Error::malformed("the item to send is not an object"))?;
    let mut body: Map<String, Value> = REQUEST_FIELDS
        .iter()
        .filter_map(|k| obj.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect();
    if !body.contains_key("type") || !body.contains_key("name") {
        return Err(Error::malformed("the item to send has no type or name"));
    }
    body.insert(
        "lastKnownRevisionDate".into(),
        json!(last_known_revision_date),
    );
    Ok(Value::Object(body))
}

/// Ids go into paths: only what server ids are made of (UUIDs, Cozy's hex ids).
fn path_id(id: &str) -> Result<&str> {
    if !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        Ok(id)
    } else {
        Err(Error::malformed("not an item id"))
    }
}

fn check(resp: HttpResponse) -> Result<HttpResponse> {
    match resp.status {
        200..=299 => Ok(resp),
        404 => Err(Error::NotFound("the item on the server".into())),
        _ => Err(server_error(&resp, &[])),
    }
}

/// A success status whose body is not the server's (a network sign-in page, a proxy's page):
/// the edit did not reach the server.
fn not_the_server(status: u16) -> Error {
    Error::Server(format!(
        "the answer was a web page, not the server's: a network sign-in page or a proxy may be \
         in the way (HTTP {status})"
    ))
}

/// The JSON of a success answer; anything else means the server did not store the edit.
fn answer_json(resp: &HttpResponse) -> Result<Option<Value>> {
    let text = std::str::from_utf8(&resp.body).map_err(|_| not_the_server(resp.status))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(text)
        .map(Some)
        .map_err(|_| not_the_server(resp.status))
}

/// The answer to a create or a replace (§6.10, §6.11): it must parse and name an item, the one
/// replaced when `id` is given.
fn saved(resp: HttpResponse, id: Option<&str>) -> Result<Saved> {
    let resp = check(resp)?;
    if answer_json(&resp)?.is_none() {
        return Err(not_the_server(resp.status));
    }
    let saved = Saved::parse(&resp.body)?;
    match id {
        Some(id) if !saved.id.eq_ignore_ascii_case(id) => Err(Error::Server(format!(
            "the server answered with another item (HTTP {})",
            resp.status
        ))),
        _ => Ok(saved),
    }
}

/// The answer to a write that names no item (trash, restore, partial, deletes): a success status
/// with an empty body or JSON (Vaultwarden's restore and partial answer the item, which must then
/// be this one). An HTML page is not the server's answer: the edit was not stored.
fn stored(resp: HttpResponse, id: &str) -> Result<()> {
    let resp = check(resp)?;
    let named = answer_json(&resp)?
        .as_ref()
        .and_then(|v| v.get("id").or_else(|| v.get("Id")))
        .and_then(Value::as_str)
        .map(str::to_string);
    match named {
        Some(other) if !other.eq_ignore_ascii_case(id) => Err(Error::Server(format!(
            "the server answered with another item (HTTP {})",
            resp.status
        ))),
        _ => Ok(()),
    }
}

/// A delete is done when the server stores it or when the server says, in its own JSON, that
/// it holds no such object (a retry after a lost answer): what the delete wanted either way.
fn deleted(resp: HttpResponse, id: &str) -> Result<()> {
    if resp.status == 404 && answer_json(&resp).is_ok_and(|v| v.is_some()) {
        return Ok(());
    }
    stored(resp, id)
}

impl<T: Transport> Client<T> {
    /// Creates an item (`POST /ciphers`; organization items `POST /ciphers/create` with the
    /// body's `collectionIds`). Returns the server's id and revision date, and its JSON.
    pub async fn create_cipher(&self, body: &Value) -> Result<Saved> {
        let org = body.get("organizationId").is_some_and(|v| !v.is_null());
        let resp = if org {
            let mut cipher = body.clone();
            let collections = cipher
                .as_object_mut()
                .and_then(|o| o.remove("collectionIds"))
                .unwrap_or_else(|| json!([]));
            let wrapped = json!({ "cipher": cipher, "collectionIds": collections });
            self.api(Method::Post, "/ciphers/create", Some(&wrapped))
                .await?
        } else {
            self.api(Method::Post, "/ciphers", Some(body)).await?
        };
        saved(resp, None)
    }

    /// Replaces an item (`PUT /ciphers/{id}`). The body's `lastKnownRevisionDate` lets the
    /// server refuse a stale edit: `Error::Conflict` (resync, then `resolve_conflict`).
    pub async fn update_cipher(&self, id: &str, body: &Value) -> Result<Saved> {
        let path = format!("/ciphers/{}", path_id(id)?);
        let resp = self.api(Method::Put, &path, Some(body)).await?;
        saved(resp, Some(id))
    }

    /// Folder and favourite only (`PUT /ciphers/{id}/partial`): works on read-only items too.
    pub async fn update_partial(
        &self,
        id: &str,
        folder_id: Option<&str>,
        favorite: bool,
    ) -> Result<()> {
        let path = format!("/ciphers/{}/partial", path_id(id)?);
        let body = json!({ "folderId": folder_id, "favorite": favorite });
        stored(self.api(Method::Put, &path, Some(&body)).await?, id)
    }

    /// Moves to the trash (`PUT /ciphers/{id}/delete`).
    pub async fn trash_cipher(&self, id: &str) -> Result<()> {
        let path = format!("/ciphers/{}/delete", path_id(id)?);
        stored(self.api(Method::Put, &path, None).await?, id)
    }

    /// Restores from the trash (`PUT /ciphers/{id}/restore`).
    pub async fn restore_cipher(&self, id: &str) -> Result<()> {
        let path = format!("/ciphers/{}/restore", path_id(id)?);
        stored(self.api(Method::Put, &path, None).await?, id)
    }

    /// Deletes for good (`DELETE /ciphers/{id}`): only from the trash, in the UI. An item the
    /// server says it does not hold counts as deleted.
    pub async fn delete_cipher(&self, id: &str) -> Result<()> {
        let path = format!("/ciphers/{}", path_id(id)?);
        deleted(self.api(Method::Delete, &path, None).await?, id)
    }

    /// `POST /ciphers/import` with `{ciphers, folders, folderRelationships}`.
    pub async fn import(&self, body: &Value) -> Result<()> {
        check(
            self.api(Method::Post, "/ciphers/import", Some(body))
                .await?,
        )
        .map(drop)
    }

    /// Creates a folder; `name` is an EncString under the user key.
    pub async fn create_folder(&self, name: &str) -> Result<Saved> {
        let body = json!({ "name": name });
        let resp = self.api(Method::Post, "/folders", Some(&body)).await?;
        saved(resp, None)
    }

    pub async fn rename_folder(&self, id: &str, name: &str) -> Result<Saved> {
        let path = format!("/folders/{}", path_id(id)?);
        let body = json!({ "name": name });
        saved(self.api(Method::Put, &path, Some(&body)).await?, Some(id))
    }

    /// Deletes a folder; the server un-files its items. A folder the server says it does not
    /// hold counts as deleted.
    pub async fn delete_folder(&self, id: &str) -> Result<()> {
        let path = format!("/folders/{}", path_id(id)?);
        deleted(self.api(Method::Delete, &path, None).await?, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_items_lose_server_fields() {
        let stored = json!({
            "id": "x", "object": "cipherDetails", "type": 1, "name": "2.a|b|c",
            "login": {"username": null}, "revisionDate": "2026-01-01T00:00:00Z",
            "edit": true, "key": null, "collectionIds": [],
        });
        let body = request_body(&stored, Some("2026-01-01T00:00:00Z")).unwrap();
        let keys: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 5, "{keys:?}");
        assert_eq!(body["lastKnownRevisionDate"], "2026-01-01T00:00:00Z");
        assert!(request_body(&json!({"type": 1}), None).is_err());
    }

    #[test]
    fn ids_cannot_reach_other_paths() {
        assert!(path_id("5f1e0a86-2b7c-4c3a-9d7e-0123456789ab").is_ok());
        for bad in ["", "../sync", "a/b", "a?b", "a b"] {
            assert!(path_id(bad).is_err(), "{bad}");
        }
    }
}
