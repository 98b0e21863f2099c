//! The fill planner over the unlocked vault: one call per tab, with the item decrypted here
//! and the match settings the vault's own policies decide.

use serde::{Deserialize, Serialize};

use super::ItemSummary;
use super::Session;
use crate::error::{Error, Result};
use crate::fill::{
    offers, opted_out, parse_tab_request, plan_tab, plan_tab_generated, ActionKind, Offers, TabPlan,
};
use crate::generator::{generate_password, PasswordOptions};
use crate::vault::view::{TYPE_CARD, TYPE_IDENTITY};

impl Session {
    /// Decides what to fill into a whole tab for item `id`: `tab_json` carries the tab (top URL,
    /// trigger, opt-outs, the confirmation sent back, now, whether the user asked for a
    /// generated password) and every frame's page details with its sender facts
    /// (docs/extension.md "Fill request context"). An empty `id` asks for a generated password
    /// on a site with no stored login. A plan that fills a generated password carries it sealed
    /// under the user key (`generated`), for the worker to keep in the generator history before
    /// it sends the fill.
    pub fn plan_tab(&self, tab_json: &str, id: &str) -> Result<TabPlan> {
        let req = parse_tab_request(tab_json)?;
        let s = self.unlocked()?;
        let settings = self.match_settings(&s.material);
        let mut generate =
            || generate_password(&PasswordOptions::default()).map(|p| p.as_str().to_string());
        let mut plan = if id.is_empty() {
            plan_tab_generated(&req, &settings, &mut generate)
        } else {
            let item = self.item(id)?;
            plan_tab(&req, id, &item, &settings, &mut generate)
        };
        if let TabPlan::Fill {
            actions, generated, ..
        } = &mut plan
        {
            // The value typed (cut to the fields' maxLength), not the one first made.
            if let Some(a) = actions.iter().find(|a| a.kind == ActionKind::NewPassword) {
                *generated = Some(self.seal(a.value())?);
            }
        }
        Ok(plan)
    }

    /// The cards and identities for a tab, when a frame has their fields (`tab_json` as for
    /// [`Session::plan_tab`]; frames of opted-out sites do not count). Rows hold no secret.
    pub fn wallet_rows(&self, tab_json: &str) -> Result<Vec<ItemSummary>> {
        let req = parse_tab_request(tab_json)?;
        let mut want = Offers::default();
        for frame in &req.frames {
            if opted_out(&frame.url, &req.opt_out_sites)
                || opted_out(&req.top_url, &req.opt_out_sites)
            {
                continue;
            }
            let o = offers(&frame.details);
            want.cards |= o.cards;
            want.identities |= o.identities;
        }
        Ok(self
            .summaries()?
            .iter()
            .filter(|r| !r.deleted)
            .filter(|r| {
                (want.cards && r.kind == TYPE_CARD) || (want.identities && r.kind == TYPE_IDENTITY)
            })
            .cloned()
            .collect())
    }
}

/// One generated password of the generator history (`generator.history`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default)]
pub struct GeneratedEntry {
    pub password: String,
    pub date: String,
}

impl Session {
    /// The generator history as the worker stores it (`[{password, date}]`, each password
    /// sealed by [`plan_tab`](Session::plan_tab)), opened for the popup. Entries this vault
    /// cannot open (sealed under another account's key) are left out.
    pub fn generator_history(&self, list_json: &str) -> Result<Vec<GeneratedEntry>> {
        let list: Vec<GeneratedEntry> = serde_json::from_str(list_json)
            .map_err(|_| Error::malformed("the generator history"))?;
        self.unlocked()?;
        Ok(list
            .into_iter()
            .filter_map(|e| {
                let password = self.unseal(&e.password).ok()?;
                Some(GeneratedEntry {
                    password,
                    date: e.date,
                })
            })
            .collect())
    }
}
