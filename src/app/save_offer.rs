//! The save prompt's two steps on the open vault: what to offer for a submit (the logins stored
//! for its page, decrypted here, compared by `save_prompt::decide`), and the offer accepted (a new
//! login, or the stored one's password changed, its old one kept in the password history) —
//! saved like any edit, so a server account queues and syncs it.

use super::Keyfill;
use crate::api::Transport;
use crate::error::{Error, Result};
use crate::save_prompt::{captured, decide, Captured, Offer, StoredLogin, Submission};
use crate::vault::view::{CipherView, LoginUriView, LoginView, TYPE_LOGIN};

impl<T: Transport> Keyfill<T> {
    /// What to offer for a captured submit; `never_save`: the user's "never save" hosts.
    pub fn save_offer(&self, sub: &Submission, never_save: &[String]) -> Result<Offer> {
        let items = self.logins_for(&sub.url)?;
        let stored: Vec<StoredLogin> = items
            .iter()
            .filter_map(|i| {
                let l = i.login.as_ref()?;
                Some(StoredLogin {
                    id: &i.id,
                    username: l.username.as_deref(),
                    password: l.password.as_deref(),
                })
            })
            .collect();
        Ok(decide(sub, &stored, never_save))
    }

    /// The logins stored for the page at `url`, decrypted.
    fn logins_for(&self, url: &str) -> Result<Vec<CipherView>> {
        let session = self.read();
        let rows = session.candidates_for(url)?;
        Ok(rows
            .iter()
            .filter(|r| r.kind == TYPE_LOGIN && !r.deleted)
            .filter_map(|r| session.item(&r.id).ok())
            .collect())
    }

    /// What to offer for a capture made on the page at `url` (the frame's URL as the browser
    /// reported it): nothing when it holds no typed password.
    pub fn offer_for_capture(
        &self,
        url: &str,
        cap: &Captured,
        never_save: &[String],
    ) -> Result<Offer> {
        // Whether a login is stored for the page: the classifier reads a lone password as a
        // sign-in's then (a sign-up's otherwise, when its words say nothing).
        let stored_login = !self.logins_for(url)?.is_empty();
        match captured::read(cap, stored_login) {
            Some(mut sub) => {
                sub.url = url.to_string();
                self.save_offer(&sub, never_save)
            }
            None => Ok(Offer::Nothing {
                reason: crate::save_prompt::nothing::EMPTY_PASSWORD.into(),
            }),
        }
    }

    /// Saves what the user accepted; `name` and `folder_id` as the prompt shows them (for a new
    /// login). Returns the item's id.
    pub fn accept_offer(
        &self,
        offer: &Offer,
        name: Option<&str>,
        folder_id: Option<&str>,
        now_ms: u64,
    ) -> Result<String> {
        match offer {
            Offer::Save {
                name: site,
                uri,
                username,
                password,
            } => {
                let name = name
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .unwrap_or(site);
                let view = CipherView {
                    kind: TYPE_LOGIN,
                    name: name.to_string(),
                    folder_id: folder_id.filter(|f| !f.is_empty()).map(str::to_string),
                    login: Some(LoginView {
                        username: username.clone(),
                        password: Some(password.clone()),
                        uris: vec![LoginUriView {
                            uri: Some(uri.clone()),
                            match_type: None,
                        }],
                        ..LoginView::default()
                    }),
                    ..CipherView::default()
                };
                self.save_item(view, now_ms)
            }
            Offer::Update {
                item_id, password, ..
            } => {
                let mut view = self.read().item(item_id)?;
                let login = view
                    .login
                    .as_mut()
                    .ok_or_else(|| Error::NotFound("a login".into()))?;
                login.password = Some(password.clone());
                // The session records the old password in the history as it saves.
                view.password_history = None;
                self.save_item(view, now_ms)
            }
            Offer::Nothing { .. } => Err(Error::malformed("nothing to save")),
        }
    }
}
