//! Host names in Unicode (IDNA, UTS #46 as the WHATWG URL standard applies it), by whichever
//! implementation the platform has.
//!
//! - Natively and under WASI: the `url` crate's, over ICU4X's Unicode data.
//! - In the browser's wasm: the browser's own `URL`, the parser every page URL Keyfill sees
//!   already went through. The browser build links `idna` without Unicode data (web/Cargo.toml:
//!   about 55 KB of the gzipped wasm); there `url` still parses every ASCII host, `xn--` labels
//!   included, and refuses a Unicode one, which is then asked of the browser.
//!
//! Page and frame URLs come from the browser, so they are ASCII already; what arrives in Unicode
//! is what people type: an item's URIs, an opt-out list, a server address.

use url::Url;

/// `input` parsed as a URL (WHATWG); a Unicode host comes back in its ASCII (`xn--`) form.
pub fn parse_url(input: &str) -> Option<Url> {
    match Url::parse(input) {
        Ok(u) => Some(u),
        Err(_) if !input.is_ascii() => Url::parse(&imp::ascii_href(input)?).ok(),
        Err(_) => None,
    }
}

/// The ASCII form of a domain name, or "" when it is not a valid one (as
/// `url::quirks::domain_to_ascii`).
pub fn domain_to_ascii(domain: &str) -> String {
    if domain.is_ascii() {
        return url::quirks::domain_to_ascii(domain);
    }
    // Anything that would end the host in a URL is not part of a domain name.
    if domain.contains(|c: char| "/?#@:\\[]%".contains(c) || c.is_whitespace()) {
        return String::new();
    }
    match parse_url(&format!("http://{domain}/"))
        .as_ref()
        .and_then(Url::host)
    {
        Some(url::Host::Domain(d)) => d.to_string(),
        _ => String::new(),
    }
}

/// A domain name as people type it (spaces, a trailing dot, capitals, Unicode) in the lower-case
/// ASCII form URLs carry; `None` when empty or not a valid name.
pub fn normalise_domain(d: &str) -> Option<String> {
    let d = d.trim().trim_end_matches('.');
    if d.is_empty() {
        return None;
    }
    if d.is_ascii() {
        Some(d.to_ascii_lowercase())
    } else {
        Some(domain_to_ascii(d)).filter(|a| !a.is_empty())
    }
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod imp {
    /// ICU4X is linked here, so `url` has already parsed whatever is valid.
    pub fn ascii_href(_input: &str) -> Option<String> {
        None
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod imp {
    /// The browser's serialization of `input`, its host in ASCII.
    pub fn ascii_href(input: &str) -> Option<String> {
        web_sys::Url::new(input).ok().map(|u| u.href())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_hosts_come_back_in_ascii() {
        let u = parse_url("https://Bücher.example/ä?q=ü").unwrap();
        assert_eq!(u.host_str(), Some("xn--bcher-kva.example"));
        assert_eq!(domain_to_ascii("bücher.example"), "xn--bcher-kva.example");
        assert_eq!(domain_to_ascii("EXAMPLE.com"), "example.com");
        assert_eq!(domain_to_ascii("bü/cher.example"), "");
        assert_eq!(domain_to_ascii("bü cher.example"), "");
        // An IP address is not a domain name, in any digits.
        assert_eq!(domain_to_ascii("１２７.0.0.1"), "");
        assert!(parse_url("not a url").is_none());
    }
}
