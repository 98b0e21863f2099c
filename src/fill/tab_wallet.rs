//! One decision per tab for a card or an identity (docs/autofill.md rule 4). Unlike a login,
//! which goes into one frame, a card is often split over frames: the page's own fields and a
//! payment provider's frames (number in one, expiry in another, all of the provider's origin).
//! So every frame is planned; frames of another origin than the page ask first, one question per
//! origin naming its host and covering each of that origin's documents; once confirmed, one
//! gesture fills the page's frames and the confirmed ones together.

use super::page::Trigger;
use super::tab::{
    opted_out, plan_frame, rank, refused, tab_reason, FrameFill, PlanFrame, TabFrame, TabPlan,
    TabRequest,
};
use super::{reason, FillPlan};
use crate::error::Result;
use crate::matching::MatchSettings;
use crate::vault::view::CipherView;

/// Plans a card or identity over the whole tab.
pub fn plan_tab_wallet(
    req: &TabRequest,
    item_id: &str,
    item: &CipherView,
    settings: &MatchSettings,
    generate: &mut dyn FnMut() -> Result<String>,
) -> TabPlan {
    let plan_one: &mut PlanFrame = &mut |details, ctx| -> FillPlan {
        super::plan_fill(details, ctx, item, settings, generate)
    };
    let mut frames: Vec<&TabFrame> = req.frames.iter().filter(|f| f.is_top()).collect();
    frames.extend(req.frames.iter().filter(|f| !f.is_top()));
    let binding = req.confirmation.as_ref();
    if let Some(b) = binding {
        if b.expires <= req.now_ms
            || b.tab_id != Some(req.tab_id)
            || b.item_id != item_id
            || req.trigger != Trigger::Popup
        {
            return refused(tab_reason::CONFIRMATION_EXPIRED);
        }
    }
    if opted_out(&req.top_url, &req.opt_out_sites) {
        return refused(tab_reason::OPTED_OUT);
    }
    // The documents the user confirmed: still there, still that origin.
    let confirmed_doc = |f: &TabFrame| {
        binding.is_some_and(|b| {
            f.origin() == b.origin
                && (f.document_id == b.document_id || b.documents.contains(&f.document_id))
        })
    };
    if binding.is_some() && !frames.iter().any(|f| confirmed_doc(f)) {
        let same_frame =
            binding.and_then(|b| frames.iter().find(|f| Some(f.frame_id) == b.frame_id));
        return refused(match same_frame {
            Some(f) if binding.is_some_and(|b| f.origin() != b.origin) => {
                tab_reason::ORIGIN_CHANGED
            }
            _ => tab_reason::FRAME_CHANGED,
        });
    }
    let reprompted =
        req.trigger == Trigger::Popup && binding.map_or(req.reprompted, |b| b.reprompted);

    let mut fills: Vec<TabPlan> = Vec::new();
    let mut questions: Vec<(TabPlan, &TabFrame)> = Vec::new();
    let mut best_refusal: Option<TabPlan> = None;
    for frame in frames {
        let accepted: &[String] = match binding {
            Some(b) if confirmed_doc(frame) => &b.reasons,
            _ => &[],
        };
        match plan_frame(req, frame, accepted, reprompted, plan_one) {
            p @ TabPlan::Fill { .. } => fills.push(p),
            p @ TabPlan::Confirm { .. } => questions.push((p, frame)),
            p => {
                if best_refusal.as_ref().is_none_or(|b| rank(&p) > rank(b)) {
                    best_refusal = Some(p);
                }
            }
        }
    }
    // Ask before filling anything: one question for the first origin that needs one, covering
    // every frame of that origin asking the same.
    if binding.is_none() || fills.is_empty() {
        if let Some((TabPlan::Confirm { reason: r, .. }, first)) = questions.first() {
            let documents: Vec<String> = questions
                .iter()
                .filter(|(q, f)| {
                    f.origin() == first.origin()
                        && matches!(q, TabPlan::Confirm { reason, .. } if reason == r)
                })
                .map(|(_, f)| f.document_id.clone())
                .collect();
            let (mut plan, _) = questions.swap_remove(0);
            if let TabPlan::Confirm { documents: d, .. } = &mut plan {
                *d = documents;
            }
            return plan;
        }
    }
    let mut fills = fills.into_iter();
    let Some(TabPlan::Fill {
        frame,
        actions,
        mut warnings,
        generated,
        ..
    }) = fills.next()
    else {
        return best_refusal.unwrap_or_else(|| refused(reason::NO_FIELDS));
    };
    let mut also = Vec::new();
    for p in fills {
        if let TabPlan::Fill {
            frame,
            actions,
            warnings: w,
            ..
        } = p
        {
            also.push(FrameFill { frame, actions });
            for x in w {
                if !warnings.contains(&x) {
                    warnings.push(x);
                }
            }
        }
    }
    TabPlan::Fill {
        frame,
        actions,
        warnings,
        generated,
        also,
    }
}
