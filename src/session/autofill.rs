//! The fill planner over the unlocked vault: one call per frame, with the item decrypted here
//! and the match settings the vault's own policies decide.

use super::Session;
use crate::error::Result;
use crate::fill::{parse_context, parse_page_details, plan_fill, FillPlan};
use crate::generator::{generate_password, PasswordOptions};

impl Session {
    /// Plans filling item `id` into the frame described by `details_json` (the content script's
    /// snapshot) with `ctx_json` (the frame's origin as the browser reported it, the trigger,
    /// the warnings the user accepted).
    pub fn plan_fill(&self, details_json: &str, ctx_json: &str, id: &str) -> Result<FillPlan> {
        let details = parse_page_details(details_json)?;
        let ctx = parse_context(ctx_json)?;
        let s = self.unlocked()?;
        let item = self.item(id)?;
        let settings = self.match_settings(&s.material);
        let mut generate =
            || generate_password(&PasswordOptions::default()).map(|p| p.as_str().to_string());
        Ok(plan_fill(&details, &ctx, &item, &settings, &mut generate))
    }
}
