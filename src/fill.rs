//! The fill planner: the autofill policy (docs/autofill.md rules 1–8, 10) in one place, testable
//! without a browser. Given one frame's page details, the request context the worker took from
//! the browser's `sender`, and one item, [`plan_fill`] says which fields get which values, asks
//! for a confirmation the user gives outside the page, or refuses with a reason
//! (docs/extension.md "Fill plan").
//!
//! - `page`: the inputs and their capped, lenient parsing.
//! - `words`: the words forms and fields are read by, in five languages.
//! - `classify`: what one field looks like (autocomplete tokens, label words).
//! - `groups`: which fields belong together, and the words around them.
//! - `form_kind`, `field_kind`: what each group and each field is for; `analysis` ties them.
//! - `select`: which fields get which kind of value.
//! - `origin`: frame origin and form target.
//! - `card_fields`, `card_format`, `identity_fields`, `country`, `card_identity`: cards and
//!   identities: which part a field asks for, each value in the field's shape, and their plan.
//! - `tab`: one decision for a whole tab (opt-outs, the confirmed document, frame ranking).

mod analysis;
mod card_fields;
mod card_format;
mod card_identity;
mod classify;
mod country;
mod custom;
mod field_kind;
mod form_kind;
mod groups;
mod identity_fields;
mod origin;
mod page;
mod select;
mod tab;
mod tab_wallet;
mod words;

use serde::Serialize;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::matching::{means_https, uri_matches, MatchSettings, PageContext, UriMatch};
use crate::totp::Totp;
use crate::vault::view::{CipherView, LoginUriView, TYPE_CARD, TYPE_IDENTITY, TYPE_LOGIN};

pub use analysis::{classify_page, GroupKind, PageKinds};
pub use card_identity::{offers, Offers};
pub use field_kind::FieldKind;
pub use form_kind::FormKind;
pub use page::{
    FillContext, PageDetails, PageField, PageForm, SelectOption, Trigger, MAX_FIELDS, MAX_FORMS,
    MAX_OPTIONS, MAX_STRING_CHARS,
};
use select::{Nothing, Source, Step, Want};
pub use tab::{
    opted_out, parse_tab_request, plan_tab_generated, tab_reason, Binding, FrameFill, FrameRef,
    TabFrame, TabPlan, TabRequest, MAX_TAB_BYTES,
};

/// Reasons of [`FillPlan::Confirm`] and [`FillPlan::Refuse`], exactly as docs/extension.md
/// lists them.
pub mod reason {
    pub const INSECURE: &str = "insecure";
    pub const FORM_ACTION: &str = "formAction";
    pub const UNMATCHED: &str = "unmatched";
    pub const NO_FIELDS: &str = "no_fields";
    pub const FRAME_ORIGIN: &str = "frame_origin";
    pub const OPAQUE_ORIGIN: &str = "opaque_origin";
    pub const PAGE_LOAD_RESTRICTED: &str = "page_load_restricted";
    pub const NOT_LOGIN: &str = "not_login";
    /// The form to fill is a sign-up (or sets a new password after a reset): the stored login
    /// never goes there; the user may ask for a generated password instead.
    pub const SIGN_UP_FORM: &str = "sign_up_form";
    /// A card or identity for a frame of another origin than the page (a payment provider's
    /// frame): the user confirms the frame's host outside the page.
    pub const OTHER_ORIGIN_FRAME: &str = "otherOriginFrame";
    /// A card or identity asked for from the in-page menu: it fills only after the user confirms
    /// it in the popup, outside the page (docs/autofill.md rule 9).
    pub const IN_PAGE_MENU: &str = "in_page_menu";
    /// A "master password again" item, asked for by a gesture that cannot ask.
    pub const REPROMPT: &str = "reprompt";
    /// A "master password again" item from the popup without the password entered again.
    pub const REPROMPT_REQUIRED: &str = "reprompt_required";
}

/// Warnings of [`FillPlan::Fill`].
pub mod warning {
    /// A value longer than its field's `maxLength`: that field was left empty.
    pub const TOO_LONG: &str = "too_long";
    /// The password generator failed: new-password fields were left empty.
    pub const GENERATE_FAILED: &str = "generate_failed";
}

/// Largest page-details JSON accepted, before any parsing.
pub const MAX_DETAILS_BYTES: usize = 16 * 1024 * 1024;
/// Largest fill-context JSON accepted.
const MAX_CONTEXT_BYTES: usize = 64 * 1024;

/// The planner's answer. Serialises as `{"status": "fill" | "confirm" | "refuse", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum FillPlan {
    Fill {
        actions: Vec<FillAction>,
        warnings: Vec<String>,
    },
    /// A warning the user must accept outside the page; the worker then asks again with
    /// `reason` in [`FillContext::confirmed`].
    Confirm {
        reason: String,
        host: String,
    },
    Refuse {
        reason: String,
    },
}

impl FillPlan {
    fn refuse(reason: &str) -> FillPlan {
        FillPlan::Refuse {
            reason: reason.to_string(),
        }
    }

    fn confirm(reason: &str, host: String) -> FillPlan {
        FillPlan::Confirm {
            reason: reason.to_string(),
            host,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ActionKind {
    Username,
    Password,
    /// A generated password (new-password and confirmation fields).
    NewPassword,
    Totp,
    /// A part of a card (number, expiry, code, ...).
    Card,
    /// A part of an identity (name, address, ...).
    Identity,
    /// One of the item's custom fields, into the page field it names.
    Custom,
}

/// One field and its value. The value is wiped on drop and `Debug` leaves it out.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct FillAction {
    pub opid: String,
    value: String,
    pub kind: ActionKind,
}

impl FillAction {
    pub fn new(opid: impl Into<String>, value: String, kind: ActionKind) -> FillAction {
        FillAction {
            opid: opid.into(),
            value,
            kind,
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }
}

impl Drop for FillAction {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

impl std::fmt::Debug for FillAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FillAction({}, {:?})", self.opid, self.kind)
    }
}

/// A small sign-in page read and classified by [`warm_up`].
const WARM_PAGE: &str = r#"{"fields":[
 {"opid":"u","form":"f","tag":"input","type":"email","name":"email","label":"E-mail","visible":true},
 {"opid":"p","form":"f","tag":"input","type":"password","name":"password","label":"Password","visible":true}],
 "forms":[{"opid":"f","action":"https://example.com/login","buttons":["Sign in"],"links":["Forgot password?"]}]}"#;

/// Makes the classifier ready (its word index; in wasm its code, which the engine compiles at
/// the first call), so that the first fill after unlock is not the slow one.
pub fn warm_up() {
    let page = parse_page_details(WARM_PAGE).unwrap_or_default();
    let _ = classify_page(&page, true);
}

/// Decides what to fill into a tab for `item`: a login goes into one frame (the best one), a
/// card or identity into every frame of the tab it belongs in (`tab_wallet`).
pub fn plan_tab(
    req: &TabRequest,
    item_id: &str,
    item: &CipherView,
    settings: &MatchSettings,
    generate: &mut dyn FnMut() -> Result<String>,
) -> TabPlan {
    if matches!(item.kind, TYPE_CARD | TYPE_IDENTITY) {
        tab_wallet::plan_tab_wallet(req, item_id, item, settings, generate)
    } else {
        tab::plan_tab(req, item_id, item, settings, generate)
    }
}

/// Parses a `pageDetails` payload (hostile input): capped, lenient, errors never quote it.
pub fn parse_page_details(json: &str) -> Result<PageDetails> {
    if json.len() > MAX_DETAILS_BYTES {
        return Err(Error::malformed("page details too large"));
    }
    serde_json::from_str(json).map_err(|e| json_error("page details", &e))
}

/// Parses the worker's fill request context.
pub fn parse_context(json: &str) -> Result<FillContext> {
    if json.len() > MAX_CONTEXT_BYTES {
        return Err(Error::malformed("fill context too large"));
    }
    serde_json::from_str(json).map_err(|e| json_error("fill context", &e))
}

/// serde's messages may quote the input: keep the kind of problem and its position only.
fn json_error(what: &str, e: &serde_json::Error) -> Error {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Eof => "truncated",
    };
    Error::malformed(format!(
        "{what}: {kind} at line {} column {}",
        e.line(),
        e.column()
    ))
}

/// Decides what to fill into one frame for one item. `generate` makes a new password; it is
/// called at most once, and only when the plan fills a new-password field.
pub fn plan_fill(
    details: &PageDetails,
    ctx: &FillContext,
    item: &CipherView,
    settings: &MatchSettings,
    generate: &mut dyn FnMut() -> Result<String>,
) -> FillPlan {
    if matches!(item.kind, TYPE_CARD | TYPE_IDENTITY) {
        return card_identity::plan(details, ctx, item);
    }
    let login = match &item.login {
        Some(l) if item.kind == TYPE_LOGIN => l,
        _ => return FillPlan::refuse(reason::NOT_LOGIN),
    };
    let Some(frame) = origin::frame_url(ctx) else {
        return FillPlan::refuse(reason::OPAQUE_ORIGIN);
    };
    let page_load = ctx.trigger == Trigger::PageLoad;
    // Rule 1: page-load fill only in the top frame, over HTTPS, for items that allow it.
    if page_load
        && (!ctx.is_top
            || frame.scheme() != "https"
            || item.reprompt != 0
            || login.autofill_on_page_load == Some(false))
    {
        return FillPlan::refuse(reason::PAGE_LOAD_RESTRICTED);
    }

    // The item's "ask for the master password again": only the popup can ask, and only its
    // proof (checked by the worker) lets it through.
    if item.reprompt != 0 {
        if ctx.trigger != Trigger::Popup {
            return FillPlan::refuse(reason::REPROMPT);
        }
        if !ctx.reprompted {
            return FillPlan::refuse(reason::REPROMPT_REQUIRED);
        }
    }

    // Rules 3, 4: the item must match the frame itself, or the user must say so (top only).
    let page = PageContext::new(frame.as_str(), settings);
    let matched: Vec<&LoginUriView> = login
        .uris
        .iter()
        .filter(|u| {
            let strategy = u.match_type.and_then(UriMatch::from_i64);
            uri_matches(u.uri.as_deref().unwrap_or(""), strategy, &page)
        })
        .collect();
    if matched.is_empty() {
        if !ctx.is_top {
            return FillPlan::refuse(reason::FRAME_ORIGIN);
        }
        if page_load {
            return FillPlan::refuse(reason::PAGE_LOAD_RESTRICTED);
        }
    }

    let totp = login
        .totp
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| Totp::parse(t).ok());
    let want = Want {
        has_totp: totp.is_some(),
        stored_login: true,
        generate: ctx.generate && !page_load,
        focused_new_only: false,
    };
    let mut sel = match select::select(details, want) {
        Ok(sel) => sel,
        Err(Nothing::SignUp) => return FillPlan::refuse(reason::SIGN_UP_FORM),
        Err(Nothing::NoFields) => return FillPlan::refuse(reason::NO_FIELDS),
    };
    if page_load {
        // Rule 1: no multi-step guesses, no codes, and never over what the user typed.
        if sel.step != Step::Login {
            return FillPlan::refuse(reason::PAGE_LOAD_RESTRICTED);
        }
        sel.targets.retain(|(i, s)| {
            !matches!(s, Source::Totp | Source::TotpDigit(_)) && !details.fields[*i].has_value
        });
        if sel.targets.is_empty() {
            return FillPlan::refuse(reason::PAGE_LOAD_RESTRICTED);
        }
    }

    // Confirmations are given in the popup: a page-load fill cannot have any.
    let accepted = |r: &str| !page_load && ctx.is_confirmed(r);
    let host = origin::display_host(&frame);
    if matched.is_empty() && !accepted(reason::UNMATCHED) {
        return FillPlan::confirm(reason::UNMATCHED, host);
    }
    // Rule 5: an HTTPS credential on an http: page.
    if frame.scheme() == "http" && !accepted(reason::INSECURE) {
        let pool: Vec<&LoginUriView> = if matched.is_empty() {
            login.uris.iter().collect()
        } else {
            matched.clone()
        };
        let https = pool
            .iter()
            .any(|u| u.uri.as_deref().is_some_and(means_https));
        if https {
            return FillPlan::confirm(reason::INSECURE, host);
        }
    }
    if let Some(stop) = form_target(
        details, &sel, &frame, &matched, settings, &accepted, page_load,
    ) {
        return stop;
    }

    let wants_code = sel
        .targets
        .iter()
        .any(|(_, s)| matches!(s, Source::Totp | Source::TotpDigit(_)));
    let code = totp
        .filter(|_| wants_code)
        .map(|t| Zeroizing::new(t.code_at(ctx.now)));
    let (mut actions, warnings) = values(
        details,
        &sel.targets,
        login,
        code.as_ref().map(|c| c.as_str()),
        generate,
    );
    if actions.is_empty() {
        return FillPlan::refuse(reason::NO_FIELDS);
    }
    // The item's custom fields, into the fields they name in the form being filled (a user's
    // gesture only).
    if !page_load {
        let forms: Vec<&Option<String>> = sel
            .targets
            .iter()
            .map(|(i, _)| &details.fields[*i].form)
            .collect();
        let custom = custom::custom_actions(details, item, &actions, |f| {
            f.visible && !f.disabled && forms.contains(&&f.form)
        });
        actions.extend(custom);
    }
    FillPlan::Fill { actions, warnings }
}

/// Rule 7: the form posts elsewhere, by its action or by a submit button's formaction (any
/// button the user may press). An HTTPS target the item itself matches (login.example.com from
/// www.example.com) is where these credentials belong and needs no warning.
fn form_target(
    details: &PageDetails,
    sel: &select::Selection,
    frame: &url::Url,
    matched: &[&LoginUriView],
    settings: &MatchSettings,
    accepted: &dyn Fn(&str) -> bool,
    page_load: bool,
) -> Option<FillPlan> {
    let form_targets = sel.targets.iter().filter_map(|(i, _)| {
        let form_id = details.fields[*i].form.as_deref()?;
        details.forms.iter().find(|f| f.opid == form_id)
    });
    let posts_to = form_targets.flat_map(|f| std::iter::once(&f.action).chain(&f.submit_actions));
    for action in posts_to {
        let Some(target) = origin::foreign_action(action, frame) else {
            continue;
        };
        let target_page = PageContext::new(target.as_str(), settings);
        let belongs = target.scheme() == "https"
            && matched.iter().any(|u| {
                let strategy = u.match_type.and_then(UriMatch::from_i64);
                uri_matches(u.uri.as_deref().unwrap_or(""), strategy, &target_page)
            });
        if belongs || accepted(reason::FORM_ACTION) {
            continue;
        }
        if page_load {
            return Some(FillPlan::refuse(reason::PAGE_LOAD_RESTRICTED));
        }
        return Some(FillPlan::confirm(
            reason::FORM_ACTION,
            origin::display_host(&target),
        ));
    }
    None
}

/// Plans a generated password the user asked for on a site with no stored login: it goes into
/// the new-password fields of the form nearest the focus, in the top frame or a frame of the top
/// page's own origin, on a gesture only. `generate` is called once, after every check.
pub fn plan_generated(
    details: &PageDetails,
    ctx: &FillContext,
    settings: &MatchSettings,
    generate: &mut dyn FnMut() -> Result<String>,
) -> FillPlan {
    let Some(frame) = origin::frame_url(ctx) else {
        return FillPlan::refuse(reason::OPAQUE_ORIGIN);
    };
    if ctx.trigger == Trigger::PageLoad {
        return FillPlan::refuse(reason::PAGE_LOAD_RESTRICTED);
    }
    let same_as_top = url::Url::parse(&ctx.top_url).is_ok_and(|top| top.origin() == frame.origin());
    if !ctx.is_top && !same_as_top {
        return FillPlan::refuse(reason::FRAME_ORIGIN);
    }
    let want = Want {
        has_totp: false,
        stored_login: false,
        generate: true,
        // The shortcut has no button saying "generate": only on a field that asks for a new
        // password.
        focused_new_only: ctx.trigger != Trigger::Popup,
    };
    let Ok(sel) = select::select(details, want) else {
        return FillPlan::refuse(reason::NO_FIELDS);
    };
    let accepted = |r: &str| ctx.is_confirmed(r);
    if let Some(stop) = form_target(details, &sel, &frame, &[], settings, &accepted, false) {
        return stop;
    }
    let nobody = crate::vault::view::LoginView::default();
    let (actions, warnings) = values(details, &sel.targets, &nobody, None, generate);
    if actions.is_empty() {
        return FillPlan::refuse(reason::NO_FIELDS);
    }
    FillPlan::Fill { actions, warnings }
}

/// Length as a field's `maxLength` counts it (UTF-16 code units).
fn dom_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Turns the selected targets into actions, after the policy has passed: values are produced
/// only now, and a value that does not fit its field is left out with a warning.
fn values(
    details: &PageDetails,
    targets: &[(usize, Source)],
    login: &crate::vault::view::LoginView,
    code: Option<&str>,
    generate: &mut dyn FnMut() -> Result<String>,
) -> (Vec<FillAction>, Vec<String>) {
    let mut warnings: Vec<String> = Vec::new();
    let mut warn = |w: &str| {
        if !warnings.iter().any(|x| x == w) {
            warnings.push(w.to_string());
        }
    };
    let max_len = |i: usize| details.fields[i].max_length.map(|m| m as usize);

    // One generated password for every new-password field, cut to the tightest maxLength so
    // the confirmation gets the same value.
    let new_fields: Vec<usize> = targets
        .iter()
        .filter(|(_, s)| *s == Source::NewPassword)
        .map(|(i, _)| *i)
        .collect();
    let mut generated: Option<Zeroizing<String>> = None;
    if !new_fields.is_empty() {
        match generate() {
            Ok(g) => {
                let mut g = Zeroizing::new(g);
                if let Some(limit) = new_fields.iter().filter_map(|i| max_len(*i)).min() {
                    if limit < g.chars().count() {
                        let cut: String = g.chars().take(limit).collect();
                        g = Zeroizing::new(cut);
                    }
                }
                if g.is_empty() {
                    warn(warning::TOO_LONG);
                } else {
                    generated = Some(g);
                }
            }
            Err(_) => warn(warning::GENERATE_FAILED),
        }
    }
    // Split code boxes must hold the whole code; extra boxes stay empty.
    let boxes = targets
        .iter()
        .filter(|(_, s)| matches!(s, Source::TotpDigit(_)))
        .count();
    let code_fits_boxes = code.is_some_and(|c| boxes == 0 || c.chars().count() <= boxes);
    if boxes > 0 && !code_fits_boxes {
        warn(warning::TOO_LONG);
    }

    let nonempty = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    let mut actions = Vec::new();
    let mut done = std::collections::HashSet::new();
    for &(i, src) in targets {
        if done.contains(&i) {
            continue;
        }
        let (value, kind) = match src {
            Source::Username => (nonempty(&login.username), ActionKind::Username),
            Source::Password => (nonempty(&login.password), ActionKind::Password),
            Source::NewPassword => (
                generated.as_deref().map(ToString::to_string),
                ActionKind::NewPassword,
            ),
            Source::Totp => (code.map(str::to_string), ActionKind::Totp),
            Source::TotpDigit(k) => (
                code.filter(|_| code_fits_boxes)
                    .and_then(|c| c.chars().nth(k))
                    .map(String::from),
                ActionKind::Totp,
            ),
        };
        let Some(mut value) = value else { continue };
        if max_len(i).is_some_and(|m| dom_len(&value) > m) {
            value.zeroize();
            warn(warning::TOO_LONG);
            continue;
        }
        done.insert(i);
        actions.push(FillAction::new(details.fields[i].opid.clone(), value, kind));
    }
    (actions, warnings)
}

#[cfg(test)]
mod warm_up_tests {
    use super::*;

    #[test]
    fn the_warm_up_page_reads_as_a_sign_in() {
        // A page that failed to parse would warm nothing (warm_up ignores the error).
        let page = parse_page_details(WARM_PAGE).expect("the warm-up page parses");
        let kinds = classify_page(&page, true);
        assert_eq!(kinds.form_of(1), FormKind::SignIn);
        assert_eq!(
            kinds.fields,
            [FieldKind::Username, FieldKind::CurrentPassword]
        );
    }
}
