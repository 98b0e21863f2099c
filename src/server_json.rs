//! Server JSON, casing-tolerant (docs/protocol.md §0, §6.15): every object key has its first letter
//! lower-cased before serde sees it, so camelCase (Vaultwarden, Bitwarden) and PascalCase (Cozy,
//! old Vaultwarden) payloads read the same.

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Key normalisation on JSON text, without building a tree: one pass over the bytes that
/// lower-cases the first letter of every object key. Several times faster than going through
/// `Value` on a large sync response. Malformed JSON is left for the parser to report. The text
/// stays a `String` (only ASCII letters change), so parsers read it without checking UTF-8 again.
pub fn normalize_key_text(text: impl Into<String>) -> String {
    // Taking a `String` by value reuses its buffer: a sync response can be tens of megabytes.
    let mut out = text.into();
    // Per open container: true for an object. `expect_key` is set after `{` or `,` in an object.
    let mut stack: Vec<bool> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < out.len() {
        match out.as_bytes()[i] {
            b'"' => {
                if expect_key {
                    // A key starting with a multi-byte character has no ASCII case to change.
                    if let Some(first) = out.get_mut(i + 1..i + 2) {
                        first.make_ascii_lowercase();
                    }
                }
                expect_key = false;
                i += 1;
                // Jump to the closing quote, stepping over escapes (memchr scans with SIMD).
                let bytes = out.as_bytes();
                while let Some(at) = memchr::memchr2(b'"', b'\\', &bytes[i.min(bytes.len())..]) {
                    i += at;
                    if bytes[i] == b'"' {
                        break;
                    }
                    i += 2;
                }
                if i >= out.len() {
                    break;
                }
            }
            b'{' => {
                stack.push(true);
                expect_key = true;
            }
            b'[' => {
                stack.push(false);
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => expect_key = stack.last() == Some(&true),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Parses JSON text into `T` after key normalisation; `what` names the input in errors.
pub fn parse<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    from_normalized(&normalize_key_text(text), what)
}

/// Parses text already passed through `normalize_key_text`; `T` may borrow from it.
pub fn from_normalized<'a, T: serde::Deserialize<'a>>(text: &'a str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            Error::malformed(format!("{what}: {}", describe(&e)))
        } else {
            Error::malformed(format!("{what} is not JSON ({})", e.classify_name()))
        }
    })
}

/// serde's messages can quote input values (which may be ciphertext or worse): keep only the
/// kind of problem, the field name serde reports, and the position.
fn describe(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let field = msg
        .split('`')
        .nth(1)
        .filter(|_| msg.contains("missing field") || msg.contains("unknown field"))
        .map(|f| format!(" `{f}`"))
        .unwrap_or_default();
    let kind = if msg.starts_with("missing field") {
        "missing field"
    } else if msg.starts_with("invalid type") {
        "a value of the wrong type"
    } else {
        "unexpected data"
    };
    format!("{kind}{field} at line {} column {}", e.line(), e.column())
}

trait Classify {
    fn classify_name(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

/// An optional string that borrows from the JSON text unless it holds escapes. serde borrows a
/// `Cow<str>` field marked `borrow` but not one inside an `Option`, which it always copies.
pub mod borrowed_text {
    use std::borrow::Cow;

    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

    pub fn deserialize<'de: 'a, 'a, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Cow<'a, str>>, D::Error> {
        Ok(Option::<Text<'a>>::deserialize(d)?.map(|t| t.0))
    }
}

/// Accepts integers, numeric strings, or null (servers differ; Vaultwarden coerces strings).
pub mod lenient_int {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            Value::Bool(b) => Some(i64::from(b)),
            _ => None,
        })
    }
}

/// Accepts booleans, 0/1, "true"/"false", or null as false.
pub mod lenient_bool {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Bool(b) => b,
            Value::Number(n) => n.as_i64().unwrap_or(0) != 0,
            Value::String(s) => s.eq_ignore_ascii_case("true") || s == "1",
            _ => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value};

    /// The straightforward tree version, the oracle for `normalize_key_text`.
    fn normalize_keys(value: Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    out.insert(lower_first(k), normalize_keys(v));
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(items.into_iter().map(normalize_keys).collect()),
            other => other,
        }
    }

    fn lower_first(key: String) -> String {
        match key.chars().next() {
            Some(c) if c.is_ascii_uppercase() => {
                let mut s = String::with_capacity(key.len());
                s.push(c.to_ascii_lowercase());
                s.push_str(&key[1..]);
                s
            }
            _ => key,
        }
    }

    #[test]
    fn pascal_and_camel_read_the_same() {
        let a = normalize_keys(
            serde_json::json!({"Profile": {"Key": "k", "Organizations": [{"Id": 1}]}}),
        );
        let b = normalize_keys(
            serde_json::json!({"profile": {"key": "k", "organizations": [{"id": 1}]}}),
        );
        assert_eq!(a, b);
    }

    #[test]
    fn parse_errors_never_quote_values() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[allow(dead_code)]
            n: i64,
        }
        let e = parse::<T>(r#"{"n": "2.c2VjcmV0LXZhbHVl|secret-value"}"#, "thing").unwrap_err();
        let text = e.to_string();
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("thing") && text.contains("line 1"), "{text}");
    }

    #[test]
    fn keys_starting_with_other_letters_are_left_as_they_are() {
        let text = r#"{"Énorme":"Ü","Ab":{"ü":"É","€":[{"X":"ÿ"}]}}"#;
        assert_eq!(
            normalize_key_text(text),
            r#"{"Énorme":"Ü","ab":{"ü":"É","€":[{"x":"ÿ"}]}}"#
        );
    }

    #[test]
    fn text_normalisation_touches_keys_only() {
        let text = r#"{"Profile":{"Key":"Value","Esc\"X":"A\\","List":[{"Id":"Q"},"Str",{"A":{}}]},"b":1}"#;
        let out = normalize_key_text(text);
        assert_eq!(
            out,
            r#"{"profile":{"key":"Value","esc\"X":"A\\","list":[{"id":"Q"},"Str",{"a":{}}]},"b":1}"#
        );
        let tree = normalize_keys(serde_json::from_str(text).unwrap());
        assert_eq!(tree, serde_json::from_str::<Value>(&out).unwrap());
    }
}
