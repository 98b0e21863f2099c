//! The plan for a card or an identity in one frame (docs/autofill.md rules 1, 4, 5, 6, 10).
//! Cards and identities belong to no site, so there is no URI to match: they go only where the
//! user asked, by a gesture, into fields that say what they are. A frame of another origin than
//! the top page (a payment provider's frame), or a page over http, needs a confirmation that
//! names the frame's host, given outside the page.

use super::card_fields::{card_parts, card_value};
use super::identity_fields::{identity_parts, identity_value, IdentityPart};
use super::page::{FillContext, PageDetails, PageField, Trigger};
use super::{dom_len, origin, reason, warning, ActionKind, FillAction, FillPlan};
use crate::vault::view::{CipherView, TYPE_CARD, TYPE_IDENTITY};

/// Fields a value may go into: shown, enabled, of a kind that takes text or a choice.
fn fillable(f: &PageField) -> bool {
    f.visible && !f.disabled && matches!(f.tag.as_str(), "input" | "select" | "textarea")
}

/// The group of fields the user is in: the focused field's form (or the formless fields, when
/// the focused one is formless). `None` when nothing is focused.
fn focused_form(details: &PageDetails) -> Option<&Option<String>> {
    details.fields.iter().find(|f| f.focused).map(|f| &f.form)
}

/// What a frame's fields could take: a card, an identity, both or neither (the popup lists the
/// cards and identities only for a page that has their fields).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offers {
    pub cards: bool,
    pub identities: bool,
}

/// Which of a card or an identity a frame's shown fields could take. An identity needs two
/// address or name parts: a lone e-mail box is a sign-in or a newsletter, not an address form.
pub fn offers(details: &PageDetails) -> Offers {
    let shown = |f: &&PageField| fillable(f);
    let cards = card_parts(&details.fields)
        .iter()
        .zip(&details.fields)
        .any(|(p, f)| p.is_some() && shown(&f));
    let identity_count = identity_parts(&details.fields)
        .iter()
        .zip(&details.fields)
        .filter(|(p, f)| {
            p.is_some_and(|p| !matches!(p, IdentityPart::Email | IdentityPart::Username))
                && shown(f)
        })
        .count();
    Offers {
        cards,
        identities: identity_count >= 2,
    }
}

/// Decides what a card or identity puts into one frame.
pub(super) fn plan(details: &PageDetails, ctx: &FillContext, item: &CipherView) -> FillPlan {
    let kind = match item.kind {
        TYPE_CARD if item.card.is_some() => ActionKind::Card,
        TYPE_IDENTITY if item.identity.is_some() => ActionKind::Identity,
        _ => return FillPlan::refuse(reason::NOT_LOGIN),
    };
    let Some(frame) = origin::frame_url(ctx) else {
        return FillPlan::refuse(reason::OPAQUE_ORIGIN);
    };
    // Rule 1: never without a gesture.
    if ctx.trigger == Trigger::PageLoad {
        return FillPlan::refuse(reason::PAGE_LOAD_RESTRICTED);
    }
    // Rule 9: never straight from the in-page menu.
    if ctx.trigger == Trigger::Menu {
        return FillPlan::refuse(reason::IN_PAGE_MENU);
    }
    if item.reprompt != 0 {
        if ctx.trigger != Trigger::Popup {
            return FillPlan::refuse(reason::REPROMPT);
        }
        if !ctx.reprompted {
            return FillPlan::refuse(reason::REPROMPT_REQUIRED);
        }
    }

    let values: Vec<Option<(ActionKind, zeroize::Zeroizing<String>)>> = match kind {
        ActionKind::Card => {
            let card = item.card.as_ref().expect("checked above");
            card_parts(&details.fields)
                .into_iter()
                .zip(&details.fields)
                .map(|(p, f)| p.and_then(|p| card_value(f, p, card)).map(|v| (kind, v)))
                .collect()
        }
        _ => {
            let id = item.identity.as_ref().expect("checked above");
            identity_parts(&details.fields)
                .into_iter()
                .zip(&details.fields)
                .map(|(p, f)| p.and_then(|p| identity_value(f, p, id)).map(|v| (kind, v)))
                .collect()
        }
    };
    // With a field focused in a form that has such fields, only that form: a page with a
    // billing and a delivery address gets the one the user is in. With none focused, an identity
    // goes into the form with the most of its parts (an address form, not the newsletter box
    // beside it).
    let holds = |form: &Option<String>| {
        details
            .fields
            .iter()
            .zip(&values)
            .filter(|(f, v)| v.is_some() && fillable(f) && &f.form == form)
            .count()
    };
    let in_focus = focused_form(details)
        .filter(|form| holds(form) > 0)
        .or_else(|| {
            if kind != ActionKind::Identity {
                return None;
            }
            let mut best: Option<(&Option<String>, usize)> = None;
            for f in &details.fields {
                let n = holds(&f.form);
                if n > best.map_or(0, |(_, m)| m) {
                    best = Some((&f.form, n));
                }
            }
            best.map(|(form, _)| form)
        });
    let mut actions = Vec::new();
    let mut warnings = Vec::new();
    for (f, v) in details.fields.iter().zip(values) {
        let Some((kind, value)) = v else { continue };
        if !fillable(f) || in_focus.is_some_and(|form| *form != f.form) {
            continue;
        }
        if f.tag != "select" && f.max_length.is_some_and(|m| dom_len(&value) > m as usize) {
            if !warnings.iter().any(|w| w == warning::TOO_LONG) {
                warnings.push(warning::TOO_LONG.to_string());
            }
            continue;
        }
        actions.push(FillAction::new(f.opid.clone(), value.to_string(), kind));
    }
    if actions.is_empty() {
        return FillPlan::refuse(reason::NO_FIELDS);
    }
    let custom = super::custom::custom_actions(details, item, &actions, |f| {
        fillable(f) && in_focus.is_none_or(|form| *form == f.form)
    });
    actions.extend(custom);

    let host = origin::display_host(&frame);
    // Rule 4: a frame of another origin than the page (a payment provider's, or an ad's).
    let top_origin = url::Url::parse(&ctx.top_url).ok().map(|u| u.origin());
    let foreign = !ctx.is_top && top_origin.is_none_or(|o| o != frame.origin());
    if foreign && !ctx.is_confirmed(reason::OTHER_ORIGIN_FRAME) {
        return FillPlan::confirm(reason::OTHER_ORIGIN_FRAME, host);
    }
    // Rule 5: what is typed over http can be read on the network.
    if frame.scheme() == "http" && !ctx.is_confirmed(reason::INSECURE) {
        return FillPlan::confirm(reason::INSECURE, host);
    }
    FillPlan::Fill { actions, warnings }
}
