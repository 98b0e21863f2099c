//! Writing back (PROTOCOL.md §6.10, §6.11): items and folders created, edited, trashed, restored,
//! deleted and imported. Bodies are already encrypted (`vault::encrypt::encrypt_cipher`, or an
//! item as the local store keeps it through `request_body`); nothing here sees a key.

use serde_json::{json, Map, Value};

use super::client::server_error;
use super::wire::Saved;
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
        Saved::parse(&check(resp)?.body)
    }

    /// Replaces an item (`PUT /ciphers/{id}`). The body's `lastKnownRevisionDate` lets the
    /// server refuse a stale edit: `Error::Conflict` (resync, then `resolve_conflict`).
    pub async fn update_cipher(&self, id: &str, body: &Value) -> Result<Saved> {
        let path = format!("/ciphers/{}", path_id(id)?);
        let resp = self.api(Method::Put, &path, Some(body)).await?;
        Saved::parse(&check(resp)?.body)
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
        check(self.api(Method::Put, &path, Some(&body)).await?).map(drop)
    }

    /// Moves to the trash (`PUT /ciphers/{id}/delete`).
    pub async fn trash_cipher(&self, id: &str) -> Result<()> {
        let path = format!("/ciphers/{}/delete", path_id(id)?);
        check(self.api(Method::Put, &path, None).await?).map(drop)
    }

    /// Restores from the trash (`PUT /ciphers/{id}/restore`).
    pub async fn restore_cipher(&self, id: &str) -> Result<()> {
        let path = format!("/ciphers/{}/restore", path_id(id)?);
        check(self.api(Method::Put, &path, None).await?).map(drop)
    }

    /// Deletes for good (`DELETE /ciphers/{id}`): only from the trash, in the UI.
    pub async fn delete_cipher(&self, id: &str) -> Result<()> {
        let path = format!("/ciphers/{}", path_id(id)?);
        check(self.api(Method::Delete, &path, None).await?).map(drop)
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
        Saved::parse(&check(resp)?.body)
    }

    pub async fn rename_folder(&self, id: &str, name: &str) -> Result<Saved> {
        let path = format!("/folders/{}", path_id(id)?);
        let body = json!({ "name": name });
        Saved::parse(&check(self.api(Method::Put, &path, Some(&body)).await?)?.body)
    }

    /// Deletes a folder; the server un-files its items.
    pub async fn delete_folder(&self, id: &str) -> Result<()> {
        let path = format!("/folders/{}", path_id(id)?);
        check(self.api(Method::Delete, &path, None).await?).map(drop)
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
            .map(|k| k.as_str())
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
