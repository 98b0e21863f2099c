//! Match strategies and the per-account settings that feed matching (docs/protocol.md §8.2, §8.5).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// `uris[].match` (docs/protocol.md §7.1); serialised as its integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum UriMatch {
    #[default]
    Domain = 0,
    Host = 1,
    StartsWith = 2,
    Exact = 3,
    RegularExpression = 4,
    Never = 5,
}

impl UriMatch {
    pub fn from_i64(v: i64) -> Option<UriMatch> {
        Some(match v {
            0 => UriMatch::Domain,
            1 => UriMatch::Host,
            2 => UriMatch::StartsWith,
            3 => UriMatch::Exact,
            4 => UriMatch::RegularExpression,
            5 => UriMatch::Never,
            _ => return None,
        })
    }

    pub fn as_i64(self) -> i64 {
        self as i64
    }

    /// The CLI names: `domain|host|starts_with|exact|regex|never`.
    pub fn from_name(name: &str) -> Option<UriMatch> {
        Some(match name.to_ascii_lowercase().as_str() {
            "domain" | "basedomain" | "base_domain" => UriMatch::Domain,
            "host" => UriMatch::Host,
            "starts_with" | "startswith" => UriMatch::StartsWith,
            "exact" => UriMatch::Exact,
            "regex" | "regularexpression" | "regular_expression" => UriMatch::RegularExpression,
            "never" => UriMatch::Never,
            _ => return None,
        })
    }

    /// A JSON value as servers send it: an integer, a numeric string (Vaultwarden coerces those),
    /// or null / anything else for "no override".
    pub fn from_json(v: &Value) -> Option<UriMatch> {
        match v {
            Value::Number(n) => n.as_i64().and_then(UriMatch::from_i64),
            Value::String(s) => s.trim().parse().ok().and_then(UriMatch::from_i64),
            _ => None,
        }
    }
}

impl Serialize for UriMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.as_i64())
    }
}

impl<'de> Deserialize<'de> for UriMatch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        UriMatch::from_i64(v)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown URI match strategy {v}")))
    }
}

/// Account-wide inputs to matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchSettings {
    /// Strategy for URIs whose `match` is null (see [`resolve_default_strategy`]).
    pub default_strategy: UriMatch,
    /// Groups of registrable domains treated as one site (lower-case, punycode).
    pub equivalent_domains: Vec<Vec<String>>,
    /// Treat `Never` as `Domain`: lists items for a site without autofilling them.
    pub never_as_domain: bool,
}

/// `key` or its PascalCase form (Cozy and old Vaultwarden answer PascalCase).
pub(crate) fn field<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
    let map = obj.as_object()?;
    if let Some(v) = map.get(key) {
        return Some(v);
    }
    let mut chars = key.chars();
    let pascal: String = match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => return None,
    };
    map.get(&pascal)
}

fn domain_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .filter_map(crate::idn::normalise_domain)
                .collect()
        })
        .unwrap_or_default()
}

impl MatchSettings {
    /// Equivalent-domain groups from the `domains` object of a sync response or of
    /// `GET /settings/domains`: the user's `equivalentDomains` followed by the `domains` of every
    /// `globalEquivalentDomains` entry not marked `excluded: true` (§8.5). Empty groups are
    /// skipped; anything malformed is ignored rather than failing the sync.
    pub fn equivalent_domains_from_json(domains: &Value) -> Vec<Vec<String>> {
        let mut groups = Vec::new();
        if let Some(custom) = field(domains, "equivalentDomains").and_then(Value::as_array) {
            groups.extend(custom.iter().map(domain_list));
        }
        if let Some(global) = field(domains, "globalEquivalentDomains").and_then(Value::as_array) {
            for g in global {
                let excluded = field(g, "excluded").and_then(Value::as_bool) == Some(true);
                if !excluded {
                    groups.push(field(g, "domains").map(domain_list).unwrap_or_default());
                }
            }
        }
        groups.retain(|g| !g.is_empty());
        groups
    }

    /// Settings with the given default strategy and the equivalent domains of a `domains`
    /// object (`Value::Null` for none).
    pub fn from_domains_json(default_strategy: UriMatch, domains: &Value) -> MatchSettings {
        MatchSettings {
            default_strategy,
            equivalent_domains: Self::equivalent_domains_from_json(domains),
            never_as_domain: false,
        }
    }

    /// Every domain equivalent to `domain`, itself included (exact string membership, §8.4).
    pub fn equivalents_of(&self, domain: &str) -> Vec<String> {
        let mut out = vec![domain.to_string()];
        for g in &self.equivalent_domains {
            if g.iter().any(|d| d == domain) {
                for d in g {
                    if !out.contains(d) {
                        out.push(d.clone());
                    }
                }
            }
        }
        out
    }
}

/// Policy type of "URI match defaults" (docs/protocol.md §8.2).
pub const POLICY_URI_MATCH_DEFAULTS: i64 = 16;

/// The default strategy: the first enabled type-16 policy (in `policies`, the sync array, camel-
/// or PascalCase) whose `data.uriMatchDetection` is a valid strategy wins; otherwise the user's
/// setting (an integer, if valid); otherwise Domain. `data` may also arrive as a JSON string.
pub fn resolve_default_strategy(user_setting: Option<i64>, policies: &Value) -> UriMatch {
    let from_policy = policies.as_array().and_then(|list| {
        list.iter().find_map(|p| {
            let kind = field(p, "type").and_then(Value::as_i64)?;
            let enabled = field(p, "enabled").and_then(Value::as_bool) == Some(true);
            if kind != POLICY_URI_MATCH_DEFAULTS || !enabled {
                return None;
            }
            let data = field(p, "data")?;
            let parsed;
            let data = match data {
                Value::String(s) => {
                    parsed = serde_json::from_str::<Value>(s).ok()?;
                    &parsed
                }
                other => other,
            };
            field(data, "uriMatchDetection").and_then(UriMatch::from_json)
        })
    });
    from_policy
        .or_else(|| user_setting.and_then(UriMatch::from_i64))
        .unwrap_or_default()
}
