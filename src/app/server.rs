//! The joined server account: what the worker stores about it between runs, joining the opened
//! vault to it again, sync, and the queue of edits as the user sees and steers it.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::Keyfill;
use crate::api::{
    Client, KeptBoth, OfflineQueue, Remote, SyncReport, SyncState, Tokens, Transport, UnsyncedEdit,
};
use crate::error::{Error, Result};

/// What the caller stores about the account after each change: the queue (encrypted items),
/// the last sync's state, and the tokens sealed under the user key.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AccountSnapshot {
    queue: String,
    state: Option<SyncState>,
    tokens: Option<String>,
}

impl std::fmt::Debug for AccountSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccountSnapshot")
    }
}

impl<T: Transport> Keyfill<T> {
    /// Joins the opened vault to its server account again, from what [`Keyfill::snapshot`]
    /// gave (JSON; an unreadable snapshot starts with an empty queue and no tokens).
    pub fn connect(
        &self,
        client: Client<T>,
        prelogin: String,
        snapshot_json: &str,
        cipher_keys: bool,
    ) -> Result<()> {
        let snap: AccountSnapshot = serde_json::from_str(snapshot_json).unwrap_or_default();
        if let Some(sealed) = snap.tokens.as_deref() {
            let text = Zeroizing::new(self.session.borrow().unseal(sealed)?);
            let tokens: Tokens =
                serde_json::from_str(&text).map_err(|_| Error::malformed("the stored tokens"))?;
            client.set_tokens(Some(tokens));
        }
        client.set_supports_cipher_keys(cipher_keys);
        let queue = OfflineQueue::from_json(&snap.queue).unwrap_or_default();
        self.session.borrow_mut().set_cipher_keys(cipher_keys);
        *self.server.borrow_mut() = Some(Rc::new(Remote::new(client, prelogin, queue, snap.state)));
        Ok(())
    }

    /// What to store after a change (JSON; tokens sealed under the user key).
    pub fn snapshot(&self) -> Result<String> {
        let remote = self.connected()?;
        let session = self.session.borrow();
        let tokens = match remote.client.tokens() {
            Some(t) => {
                let text = Zeroizing::new(
                    serde_json::to_string(&t).map_err(|_| Error::Platform("tokens".into()))?,
                );
                Some(session.seal(&text)?)
            }
            None => None,
        };
        serde_json::to_string(&AccountSnapshot {
            queue: remote.queue_json(),
            state: remote.state(),
            tokens,
        })
        .map_err(|_| Error::Platform("could not write the account state".into()))
    }

    /// Sends queued edits and syncs.
    pub async fn sync(&self, now_ms: u64) -> Result<SyncReport> {
        let remote = self.connected()?;
        remote.sync(&self.session, now_ms).await
    }

    /// Edits waiting to be sent (0 for a local vault).
    pub fn pending_edits(&self) -> usize {
        self.remote().map_or(0, |r| r.pending())
    }

    /// Every queued edit in order, as the popup lists them.
    pub fn unsynced_edits(&self) -> Result<Vec<UnsyncedEdit>> {
        Ok(self.connected()?.unsynced(&self.session.borrow()))
    }

    /// Clears an edit's back-off: the next sync sends it.
    pub fn retry_edit(&self, key: &str) -> Result<()> {
        self.connected()?.retry_edit(key)
    }

    /// Drops an edit the user chose to lose.
    pub fn discard_edit(&self, key: &str) -> Result<()> {
        self.connected()?.discard_edit(key)
    }

    /// Replaces a queued save with the creation of a new item holding the user's version.
    pub fn keep_local_copy(&self, key: &str, now_ms: u64) -> Result<()> {
        self.connected()?
            .keep_local_copy(&self.session, key, now_ms)
    }

    /// The items created to keep both versions of a conflict.
    pub fn kept_both(&self) -> Result<Vec<KeptBoth>> {
        Ok(self.connected()?.kept_both(&self.session.borrow()))
    }

    /// Takes a kept copy off the list (the item stays).
    pub fn resolve_kept_both(&self, id: &str) -> Result<()> {
        self.connected()?.resolve_kept_both(id)
    }
}
