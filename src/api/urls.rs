//! The server address as a user types it → the identity and API bases (docs/protocol.md §6.1).

use url::Host;

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    BitwardenUs,
    BitwardenEu,
    /// Vaultwarden, a self-hosted Bitwarden server, or Cozy (`https://<instance>/bitwarden`):
    /// the same layout; their differences are found by asking (prelogin chain, `/config`).
    SelfHosted,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerUrls {
    pub kind: ServerKind,
    /// `https://host[/subpath]` without a trailing slash (the cloud presets: the web vault).
    pub base: String,
    pub identity: String,
    pub api: String,
}

impl ServerUrls {
    /// Reads a typed address: `bitwarden.com`, `https://vault.bitwarden.eu`,
    /// `https://vw.example.org/sub/`, `https://alice.mycozy.cloud/bitwarden`. `http://` only for
    /// this machine (tests). Errors never repeat the input: it may be a pasted secret.
    pub fn parse(input: &str) -> Result<Self> {
        let text = input.trim();
        if text.is_empty() {
            return Err(Error::UnknownServer("no server address".into()));
        }
        let with_scheme = if text.contains("://") {
            text.to_string()
        } else {
            format!("https://{text}")
        };
        let url = crate::idn::parse_url(&with_scheme)
            .ok_or_else(|| Error::UnknownServer("not a web address".into()))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::UnknownServer(
                "the address must not contain a user name or password".into(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::UnknownServer(
                "the address must not have a query (?) or fragment (#)".into(),
            ));
        }
        let host = url
            .host()
            .ok_or_else(|| Error::UnknownServer("the address has no host".into()))?;
        let local = match &host {
            Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
            Host::Ipv4(ip) => ip.is_loopback(),
            Host::Ipv6(ip) => ip.is_loopback(),
        };
        match url.scheme() {
            "https" => {}
            "http" if local => {}
            "http" => {
                return Err(Error::UnknownServer(
                    "plain http is only allowed for this machine; use https".into(),
                ))
            }
            _ => {
                return Err(Error::UnknownServer(
                    "the address must start with https://".into(),
                ))
            }
        }
        let path = url.path().trim_end_matches('/');
        if path.is_empty() && url.port().is_none() {
            if let Host::Domain(d) = &host {
                let d = d.to_ascii_lowercase();
                if d == "bitwarden.com" || d.ends_with(".bitwarden.com") {
                    return Ok(Self::cloud(ServerKind::BitwardenUs, "com"));
                }
                if d == "bitwarden.eu" || d.ends_with(".bitwarden.eu") {
                    return Ok(Self::cloud(ServerKind::BitwardenEu, "eu"));
                }
            }
        }
        let origin = url.origin().ascii_serialization();
        let base = format!("{origin}{path}");
        Ok(ServerUrls {
            kind: ServerKind::SelfHosted,
            identity: format!("{base}/identity"),
            api: format!("{base}/api"),
            base,
        })
    }

    fn cloud(kind: ServerKind, tld: &str) -> Self {
        ServerUrls {
            kind,
            base: format!("https://vault.bitwarden.{tld}"),
            identity: format!("https://identity.bitwarden.{tld}"),
            api: format!("https://api.bitwarden.{tld}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(s: &str) -> (String, String) {
        let u = ServerUrls::parse(s).unwrap();
        (u.identity, u.api)
    }

    #[test]
    fn presets_and_self_hosted() {
        let us = (
            "https://identity.bitwarden.com".to_string(),
            "https://api.bitwarden.com".to_string(),
        );
        assert_eq!(urls("https://vault.bitwarden.com"), us);
        assert_eq!(urls("bitwarden.com"), us);
        assert_eq!(urls(" https://vault.bitwarden.com/ "), us);
        assert_eq!(urls("bitwarden.eu").0, "https://identity.bitwarden.eu");
        assert_eq!(
            urls("https://vw.example.org/sub/"),
            (
                "https://vw.example.org/sub/identity".into(),
                "https://vw.example.org/sub/api".into()
            )
        );
        assert_eq!(
            urls("alice.mycozy.cloud/bitwarden").1,
            "https://alice.mycozy.cloud/bitwarden/api"
        );
        assert_eq!(
            urls("http://127.0.0.1:8080").0,
            "http://127.0.0.1:8080/identity"
        );
        assert_eq!(urls("http://localhost:1/x").1, "http://localhost:1/x/api");
        // A port or a path means a server of one's own, even under bitwarden.com.
        assert_eq!(
            ServerUrls::parse("https://bitwarden.com:8443")
                .unwrap()
                .kind,
            ServerKind::SelfHosted
        );
    }

    #[test]
    fn refusals_say_why_without_echoing() {
        for bad in [
            "",
            "http://example.org",
            "ftp://example.org",
            "https://user:hunter2@example.org",
            "https://example.org/?token=abc",
            "https://",
            "https://exa mple.org",
        ] {
            let e = ServerUrls::parse(bad).unwrap_err();
            assert_eq!(e.code(), "unknown_server", "{bad}");
            assert!(!e.to_string().contains("hunter2"));
            assert!(!e.to_string().contains("abc"));
        }
    }
}
