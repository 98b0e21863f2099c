//! The frame's origin and the form's target (docs/autofill.md rules 2, 4, 5, 7), WHATWG-parsed.

use url::Url;

use super::page::FillContext;

/// The frame's URL when it may be filled at all: an `http(s)` document with a real origin that
/// agrees with its URL. A sandboxed frame reports the origin `"null"`; `about:`, `data:`,
/// `blob:` and `file:` documents have opaque or local origins: none of them is filled.
pub(crate) fn frame_url(ctx: &FillContext) -> Option<Url> {
    let origin = ctx.frame_origin.trim();
    if origin.is_empty() || origin.eq_ignore_ascii_case("null") {
        return None;
    }
    let url = Url::parse(ctx.frame_url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    // `sender.origin` and `sender.url` disagree only for documents whose origin is not their
    // URL's (srcdoc, sandbox, inherited origins): treat that as opaque rather than guess.
    let from_url = url.origin().ascii_serialization();
    if !from_url.eq_ignore_ascii_case(origin.trim_end_matches('/')) {
        return None;
    }
    Some(url)
}

/// `host[:port]` of a URL, as the confirmation shows it.
pub(crate) fn display_host(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => format!("{}:", url.scheme()),
    }
}

/// Where a form posts when that is another origin than the frame's: `None` for the frame's
/// own origin, an empty or `javascript:` action (script-driven submit), or an action the
/// browser cannot parse (it would not submit at all).
pub(crate) fn foreign_action(action: &str, frame: &Url) -> Option<Url> {
    let action = action.trim();
    if action.is_empty() || starts_with_ignore_case(action, "javascript:") {
        return None;
    }
    let target = frame.join(action).ok()?;
    // Opaque origins (data:, mailto:) never compare equal, so they count as foreign.
    (target.origin() != frame.origin()).then_some(target)
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}
