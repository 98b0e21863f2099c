//! One decision per tab: which frame is filled, or which question or refusal the user sees.
//! The worker collects every frame's page details with the facts the browser reported about
//! its sender; this module applies the site opt-outs, holds a confirmed fill to the one
//! document it was confirmed for, plans each frame with [`plan_fill`](super::plan_fill) and
//! ranks the answers (docs/extension.md "Fill plan").

use serde::{Deserialize, Serialize};

use super::page::{FillContext, PageDetails, Trigger};
use super::{reason, FillAction, FillPlan};
use crate::error::{Error, Result};
use crate::matching::{registrable_domain, MatchSettings};
use crate::vault::view::CipherView;

/// Largest tab request accepted, before any parsing: a few frames of the largest details.
pub const MAX_TAB_BYTES: usize = 4 * super::MAX_DETAILS_BYTES;

/// Reasons only the tab decision gives (the per-frame ones are in [`reason`]).
pub mod tab_reason {
    /// The top page's site, or the frame's, is on the user's opt-out list.
    pub const OPTED_OUT: &str = "opted_out";
    /// The confirmation is unknown, expired, or for another tab, item or trigger.
    pub const CONFIRMATION_EXPIRED: &str = "confirmation_expired";
    /// The confirmed document is gone or was replaced by a navigation.
    pub const FRAME_CHANGED: &str = "frame_changed";
    /// The confirmed frame now shows another origin.
    pub const ORIGIN_CHANGED: &str = "origin_changed";
}

/// The worker's request for one tab.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TabRequest {
    pub tab_id: i64,
    pub top_url: String,
    pub trigger: Trigger,
    /// Hosts as the settings store them (lower case, no scheme).
    pub opt_out_sites: Vec<String>,
    /// The confirmation the popup sent back, as the worker issued it; `{}` for an id the
    /// worker does not know. Absent when none was sent.
    pub confirmation: Option<Binding>,
    /// The user entered the master password again for this item (checked by the worker).
    pub reprompted: bool,
    /// Unix milliseconds.
    pub now_ms: u64,
    /// The user asked for a generated password (see [`FillContext::generate`]).
    pub generate: bool,
    /// Every frame that answered, in the order the browser lists them.
    pub frames: Vec<TabFrame>,
}

/// A confirmation as the worker issued it: for one tab, item and document.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Binding {
    pub tab_id: Option<i64>,
    pub item_id: String,
    pub frame_id: Option<i64>,
    pub document_id: String,
    pub origin: String,
    pub reasons: Vec<String>,
    pub reprompted: bool,
    /// Unix milliseconds.
    pub expires: u64,
    /// For a card or identity: every document of `origin` the question covered (the frames of
    /// one payment provider), `document_id` among them.
    pub documents: Vec<String>,
}

/// One frame: its `sender` as the browser reported it, and what its content script saw.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TabFrame {
    pub frame_id: i64,
    pub document_id: String,
    pub origin: Option<String>,
    pub url: String,
    pub details: PageDetails,
    /// A fill this core planned for the frame was sent and did not land, for this reason: the
    /// frame then counts as refused, and the next best frame is chosen.
    pub failed: Option<String>,
}

impl TabFrame {
    pub(super) fn origin(&self) -> &str {
        self.origin.as_deref().unwrap_or("null")
    }

    /// The top frame is frame 0 in the browser's numbering.
    pub(super) fn is_top(&self) -> bool {
        self.frame_id == 0
    }

    pub(super) fn target(&self) -> FrameRef {
        FrameRef {
            frame_id: self.frame_id,
            document_id: self.document_id.clone(),
            origin: self.origin().to_string(),
        }
    }
}

/// The document a fill goes to, or a question is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameRef {
    pub frame_id: i64,
    pub document_id: String,
    pub origin: String,
}

/// One more frame's share of a fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameFill {
    pub frame: FrameRef,
    pub actions: Vec<FillAction>,
}

/// The tab's decision. Serialises as `{"status": "fill" | "confirm" | "refused", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum TabPlan {
    Fill {
        frame: FrameRef,
        actions: Vec<FillAction>,
        warnings: Vec<String>,
        /// The generated password being filled, sealed under the user key, for the generator
        /// history: the worker stores it before sending the fill, so it is never lost. Set by
        /// the session, absent when no generated password is filled.
        #[serde(skip_serializing_if = "Option::is_none")]
        generated: Option<String>,
        /// Other frames filled by the same gesture (a card split over a payment provider's
        /// frames); each gets its own actions.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        also: Vec<FrameFill>,
    },
    /// `reasons` (every reason accepted so far plus this one) and `reprompted` go into the
    /// confirmation the worker issues.
    Confirm {
        reason: String,
        host: String,
        frame: FrameRef,
        reasons: Vec<String>,
        reprompted: bool,
        /// Every document the confirmation covers (frames of the same origin asking the same
        /// question), `frame`'s among them; empty for one document.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        documents: Vec<String>,
    },
    Refused {
        reason: String,
    },
}

pub(super) fn refused(reason: &str) -> TabPlan {
    TabPlan::Refused {
        reason: reason.to_string(),
    }
}

/// Parses the worker's tab request (page details inside are hostile input).
pub fn parse_tab_request(json: &str) -> Result<TabRequest> {
    if json.len() > MAX_TAB_BYTES {
        return Err(Error::malformed("fill request too large"));
    }
    serde_json::from_str(json).map_err(|e| super::json_error("fill request", &e))
}

/// Whether `url`'s host is on the opt-out list: a site covers itself and its subdomains, on
/// label boundaries ("example.com" covers "a.example.com", "ample.com" does not cover
/// "example.com"). An entry that is a public suffix or an IP address covers only itself.
pub fn opted_out(url: &str, sites: &[String]) -> bool {
    let Some(host) = crate::idn::parse_url(url.trim()).and_then(|u| {
        u.host_str()
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
    }) else {
        return false;
    };
    sites.iter().any(|site| {
        let Some(site) = crate::idn::normalise_domain(site) else {
            return false;
        };
        if host == site {
            return true;
        }
        let below = host.len() > site.len()
            && host.ends_with(&site)
            && host.as_bytes()[host.len() - site.len() - 1] == b'.';
        // A site with a registrable domain is a name someone owns: its subdomains are its own.
        below && registrable_domain(&format!("https://{site}/")).is_some()
    })
}

/// How much an answer is worth when no frame fills: a question beats a refusal, and a
/// refusal that says something beats "no fields here".
pub(super) fn rank(plan: &TabPlan) -> u8 {
    match plan {
        TabPlan::Fill { .. } => 3,
        TabPlan::Confirm { .. } => 2,
        TabPlan::Refused { reason } if reason == reason::NO_FIELDS => 0,
        TabPlan::Refused { .. } => 1,
    }
}

/// Decides what to fill into the tab for `item`: the first frame that fills (top frame first,
/// then the browser's order); otherwise the best question, otherwise the best refusal.
pub fn plan_tab(
    req: &TabRequest,
    item_id: &str,
    item: &CipherView,
    settings: &MatchSettings,
    generate: &mut dyn FnMut() -> Result<String>,
) -> TabPlan {
    decide(req, item_id, &mut |details, ctx| {
        super::plan_fill(details, ctx, item, settings, generate)
    })
}

/// Decides where a generated password the user asked for goes when no login is stored for the
/// site (see [`plan_generated`](super::plan_generated)); the same frame ranking, opt-outs and
/// confirmations as [`plan_tab`], with no item.
pub fn plan_tab_generated(
    req: &TabRequest,
    settings: &MatchSettings,
    generate: &mut dyn FnMut() -> Result<String>,
) -> TabPlan {
    // Nothing but a password the user asked for: without the request, there is nothing to fill.
    if !req.generate {
        return refused(reason::NO_FIELDS);
    }
    decide(req, "", &mut |details, ctx| {
        super::plan_generated(details, ctx, settings, generate)
    })
}

pub(super) type PlanFrame<'a> = dyn FnMut(&PageDetails, &FillContext) -> FillPlan + 'a;

fn decide(req: &TabRequest, item_id: &str, plan_one: &mut PlanFrame) -> TabPlan {
    let mut frames: Vec<&TabFrame> = req.frames.iter().filter(|f| f.is_top()).collect();
    frames.extend(req.frames.iter().filter(|f| !f.is_top()));
    let mut confirmed: &[String] = &[];
    let mut reprompted = req.reprompted;
    if let Some(b) = &req.confirmation {
        // Good for the popup's one try on the tab and item the user was asked about.
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
    if let Some(b) = &req.confirmation {
        // Only the document the user was asked about, if it is still there and still that origin.
        let Some(same) = frames.iter().find(|f| Some(f.frame_id) == b.frame_id) else {
            return refused(tab_reason::FRAME_CHANGED);
        };
        if same.origin() != b.origin {
            return refused(tab_reason::ORIGIN_CHANGED);
        }
        if same.document_id != b.document_id {
            return refused(tab_reason::FRAME_CHANGED);
        }
        frames = vec![*same];
        confirmed = &b.reasons;
        reprompted = b.reprompted;
    }
    let reprompted = req.trigger == Trigger::Popup && reprompted;

    let mut best: Option<TabPlan> = None;
    for frame in frames {
        let candidate = plan_frame(req, frame, confirmed, reprompted, plan_one);
        if matches!(candidate, TabPlan::Fill { .. }) {
            return candidate;
        }
        if best.as_ref().is_none_or(|b| rank(&candidate) > rank(b)) {
            best = Some(candidate);
        }
    }
    best.unwrap_or_else(|| refused(reason::NO_FIELDS))
}

pub(super) fn plan_frame(
    req: &TabRequest,
    frame: &TabFrame,
    confirmed: &[String],
    reprompted: bool,
    plan_one: &mut PlanFrame,
) -> TabPlan {
    if let Some(failed) = &frame.failed {
        return refused(failed_reason(failed));
    }
    // The content script is not registered on opted-out sites; a frame that answers anyway
    // is not filled either.
    if opted_out(&frame.url, &req.opt_out_sites) {
        return refused(tab_reason::OPTED_OUT);
    }
    let ctx = FillContext {
        frame_url: frame.url.clone(),
        frame_origin: frame.origin().to_string(),
        top_url: req.top_url.clone(),
        is_top: frame.is_top(),
        trigger: req.trigger,
        confirmed: confirmed.to_vec(),
        reprompted,
        now: req.now_ms / 1000,
        generate: req.generate,
    };
    match plan_one(&frame.details, &ctx) {
        FillPlan::Fill { actions, warnings } => TabPlan::Fill {
            frame: frame.target(),
            actions,
            warnings,
            generated: None,
            also: Vec::new(),
        },
        FillPlan::Confirm { reason, host } => {
            let mut reasons = confirmed.to_vec();
            reasons.push(reason.clone());
            TabPlan::Confirm {
                reason,
                host,
                frame: frame.target(),
                reasons,
                reprompted,
                documents: Vec::new(),
            }
        }
        FillPlan::Refuse { reason } => TabPlan::Refused { reason },
    }
}

/// A failed send's reason as the worker reported it: a short code, else "frame_changed".
fn failed_reason(r: &str) -> &str {
    let code =
        r.len() <= 40 && !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if code {
        r
    } else {
        tab_reason::FRAME_CHANGED
    }
}
