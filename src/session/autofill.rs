//! The fill planner over the unlocked vault: one call per tab, with the item decrypted here
//! and the match settings the vault's own policies decide.

use super::Session;
use crate::error::Result;
use crate::fill::{parse_tab_request, plan_tab, TabPlan};
use crate::generator::{generate_password, PasswordOptions};

impl Session {
    /// Decides what to fill into a whole tab for item `id`: `tab_json` carries the tab (top URL,
    /// trigger, opt-outs, the confirmation sent back, now) and every frame's page details with
    /// its sender facts (docs/extension.md "Fill request context").
    pub fn plan_tab(&self, tab_json: &str, id: &str) -> Result<TabPlan> {
        let req = parse_tab_request(tab_json)?;
        let s = self.unlocked()?;
        let item = self.item(id)?;
        let settings = self.match_settings(&s.material);
        let mut generate =
            || generate_password(&PasswordOptions::default()).map(|p| p.as_str().to_string());
        Ok(plan_tab(&req, id, &item, &settings, &mut generate))
    }
}
