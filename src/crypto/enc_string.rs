//! The EncString wire format (docs/protocol.md §4): parsing and serialising only, no cryptography.
//! `Debug` shows the type, never the bytes.

use std::fmt;
use std::str::FromStr;

use super::b64;
use crate::error::{Error, Result};

/// A parsed EncString. Type 1 (AES-128) is rejected at parse time; type 7 (COSE, "V2" accounts)
/// is recognised so it can be reported as unsupported rather than as garbage.
#[derive(Clone, PartialEq, Eq)]
pub enum EncString {
    /// Type 0: AES-256-CBC without MAC. Decrypt-only, with a 32-byte key.
    AesCbc256 { iv: [u8; 16], data: Vec<u8> },
    /// Type 2: AES-256-CBC + HMAC-SHA256, encrypt-then-MAC over `iv ‖ data`.
    AesCbc256Hmac {
        iv: [u8; 16],
        data: Vec<u8>,
        mac: [u8; 32],
    },
    /// Type 3: RSA-OAEP with SHA-256.
    RsaOaepSha256 { data: Vec<u8> },
    /// Type 4: RSA-OAEP with SHA-1 (what clients write for key sharing).
    RsaOaepSha1 { data: Vec<u8> },
    /// Type 5: deprecated RSA-OAEP-SHA256 with a MAC that is ignored.
    RsaOaepSha256Hmac { data: Vec<u8>, mac: Vec<u8> },
    /// Type 6: deprecated RSA-OAEP-SHA1 with a MAC that is ignored.
    RsaOaepSha1Hmac { data: Vec<u8>, mac: Vec<u8> },
    /// Type 7: COSE_Encrypt0. Recognised only to say it is unsupported.
    Cose { data: Vec<u8> },
}

impl EncString {
    pub fn type_number(&self) -> u8 {
        match self {
            EncString::AesCbc256 { .. } => 0,
            EncString::AesCbc256Hmac { .. } => 2,
            EncString::RsaOaepSha256 { .. } => 3,
            EncString::RsaOaepSha1 { .. } => 4,
            EncString::RsaOaepSha256Hmac { .. } => 5,
            EncString::RsaOaepSha1Hmac { .. } => 6,
            EncString::Cose { .. } => 7,
        }
    }
}

/// Splits `s` at `sep`: how many pieces there are, and the first three (no EncString has
/// more), without collecting: unlock parses tens of thousands of these.
fn split(s: &str, sep: char) -> (usize, [&str; 3]) {
    let mut pieces = [""; 3];
    let mut count = 0;
    for piece in s.split(sep) {
        if let Some(slot) = pieces.get_mut(count) {
            *slot = piece;
        }
        count += 1;
    }
    (count, pieces)
}

fn part(text: &str, name: &str) -> Result<Vec<u8>> {
    b64::decode(text).ok_or_else(|| Error::malformed(format!("EncString {name} is not base64")))
}

fn fixed<const N: usize>(text: &str, name: &str) -> Result<[u8; N]> {
    // Decoded straight into the array: unlock parses tens of thousands of these.
    let mut out = [0u8; N];
    match b64::decode_into(text, &mut out) {
        Some(n) if n == N => Ok(out),
        Some(_) => Err(Error::malformed(format!(
            "EncString {name} must be {N} bytes"
        ))),
        None => Err(Error::malformed(format!(
            "EncString {name} is not base64 of {N} bytes"
        ))),
    }
}

fn nonempty(bytes: Vec<u8>, name: &str) -> Result<Vec<u8>> {
    if bytes.is_empty() {
        return Err(Error::malformed(format!("EncString {name} is empty")));
    }
    Ok(bytes)
}

/// Nearly every string of a vault is type 2 with a 16-byte iv and a 32-byte MAC, whose
/// separators sit at known places: `2.` + 24 iv characters + `|` + data + `|` + 44 MAC characters.
/// Read that shape directly, without the scans for separators, when every part decodes; then no
/// other `.` or `|` can be in the string, so the full parser would give the same. Anything else
/// goes to the full parser, which also words the errors.
fn usual_type_2(s: &str) -> Option<EncString> {
    const IV: usize = 24;
    const MAC: usize = 44;
    let bytes = s.as_bytes();
    let mac_at = bytes.len().checked_sub(MAC)?;
    let data_at = 2 + IV + 1;
    if mac_at < data_at + 2
        || !bytes.starts_with(b"2.")
        || bytes[2 + IV] != b'|'
        || bytes[mac_at - 1] != b'|'
    {
        return None;
    }
    let iv = fixed(&s[2..2 + IV], "iv").ok()?;
    let mac = fixed(&s[mac_at..], "mac").ok()?;
    let data = b64::decode(&s[data_at..mac_at - 1]).filter(|d| !d.is_empty())?;
    Some(EncString::AesCbc256Hmac { iv, data, mac })
}

impl FromStr for EncString {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        usual_type_2(s).map_or_else(|| parse_any(s), Ok)
    }
}

/// Any EncString, by the SDK's rules.
fn parse_any(s: &str) -> Result<EncString> {
    // The SDK's rule: a header only when splitting on '.' gives exactly two pieces.
    let (kind, body) = match split(s, '.') {
        (2, [kind, body, _]) => {
            let kind: u8 = kind
                .parse()
                .map_err(|_| Error::malformed("EncString type is not a number"))?;
            (kind, body)
        }
        _ => {
            // Headerless legacy strings: 3 parts would be the removed type 1, else type 0.
            let kind = if split(s, '|').0 == 3 { 1 } else { 0 };
            (kind, s)
        }
    };
    let (count, parts) = split(body, '|');
    let want = match kind {
        0 | 5 | 6 => 2,
        1 | 2 => 3,
        3 | 4 | 7 => 1,
        _ => return Err(Error::Unsupported(format!("EncString type {kind}"))),
    };
    if kind == 1 {
        return Err(Error::Unsupported(
            "EncString type 1 (AES-128) was removed".into(),
        ));
    }
    if count != want {
        return Err(Error::malformed(format!(
            "EncString type {kind} needs {want} parts, found {count}"
        )));
    }
    Ok(match kind {
        0 => EncString::AesCbc256 {
            iv: fixed(parts[0], "iv")?,
            data: nonempty(part(parts[1], "data")?, "data")?,
        },
        2 => EncString::AesCbc256Hmac {
            iv: fixed(parts[0], "iv")?,
            data: nonempty(part(parts[1], "data")?, "data")?,
            mac: fixed(parts[2], "mac")?,
        },
        3 => EncString::RsaOaepSha256 {
            data: nonempty(part(parts[0], "data")?, "data")?,
        },
        4 => EncString::RsaOaepSha1 {
            data: nonempty(part(parts[0], "data")?, "data")?,
        },
        5 => EncString::RsaOaepSha256Hmac {
            data: nonempty(part(parts[0], "data")?, "data")?,
            mac: part(parts[1], "mac")?,
        },
        6 => EncString::RsaOaepSha1Hmac {
            data: nonempty(part(parts[0], "data")?, "data")?,
            mac: part(parts[1], "mac")?,
        },
        _ => EncString::Cose {
            data: nonempty(part(parts[0], "data")?, "data")?,
        },
    })
}

impl fmt::Display for EncString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.type_number();
        match self {
            EncString::AesCbc256 { iv, data } => {
                write!(f, "{t}.{}|{}", b64::encode(iv), b64::encode(data))
            }
            EncString::AesCbc256Hmac { iv, data, mac } => write!(
                f,
                "{t}.{}|{}|{}",
                b64::encode(iv),
                b64::encode(data),
                b64::encode(mac)
            ),
            EncString::RsaOaepSha256 { data }
            | EncString::RsaOaepSha1 { data }
            | EncString::Cose { data } => write!(f, "{t}.{}", b64::encode(data)),
            EncString::RsaOaepSha256Hmac { data, mac }
            | EncString::RsaOaepSha1Hmac { data, mac } => {
                write!(f, "{t}.{}|{}", b64::encode(data), b64::encode(mac))
            }
        }
    }
}

impl fmt::Debug for EncString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncString(type {})", self.type_number())
    }
}

impl serde::Serialize for EncString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T2: &str = "2.2NokAMS6llUxk26oueMqrA==|6k0QD71SJLy2WEBDkV4esiTrgkP/z7eoSedSesGLGYE=|PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI=";

    #[test]
    fn round_trips_type_2() {
        let e: EncString = T2.parse().unwrap();
        assert_eq!(e.type_number(), 2);
        assert_eq!(e.to_string(), T2);
        assert_eq!(format!("{e:?}"), "EncString(type 2)");
    }

    #[test]
    fn headerless_strings_follow_the_sdk_rule() {
        let t0 = "8UClLa8IPE1iZT7chy5wzQ==|6PVfHnVk5S3XqEtQemnM5w==";
        assert_eq!(t0.parse::<EncString>().unwrap().type_number(), 0);
        let three = "AAAAAAAAAAAAAAAAAAAAAA==|AA==|AA==";
        assert!(matches!(
            three.parse::<EncString>(),
            Err(Error::Unsupported(_))
        ));
    }

    #[test]
    fn rejects_wrong_shapes() {
        for bad in [
            "",
            "2.",
            "2.abc",
            "2.a|b",
            "x.abc|def|ghi",
            "9.abc",
            "3.a|b",
            "2.AAAA|AAAA|AAAA",
            "1.a|b|c",
            "2.2NokAMS6llUxk26oueMqrA==||PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI=",
        ] {
            assert!(
                bad.parse::<EncString>().is_err(),
                "{bad:?} should not parse"
            );
        }
    }

    /// The shortcut for the usual type-2 shape answers only where the full parser gives the same.
    #[test]
    fn the_type_2_shortcut_agrees_with_the_full_parser() {
        let mut taken = 0;
        let swaps = [b'A', b'=', b'|', b'.', b'+', b'-', b'2', b'0'];
        for data_len in [0usize, 1, 16, 20, 32, 33, 48] {
            let data = "Q".repeat(data_len * 4 / 3 + 1);
            let base = format!(
                "2.2NokAMS6llUxk26oueMqrA==|{data}|PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI="
            );
            let mut variants = vec![
                base.clone(),
                base.replacen("==|", "|", 1),
                base.replacen("2.", "0.", 1),
            ];
            for at in 0..base.len() {
                for swap in swaps {
                    let mut bytes = base.clone().into_bytes();
                    bytes[at] = swap;
                    variants.push(String::from_utf8(bytes).unwrap());
                }
                let mut cut = base.clone();
                cut.remove(at);
                variants.push(cut);
            }
            for text in variants {
                if let Some(quick) = usual_type_2(&text) {
                    taken += 1;
                    assert_eq!(parse_any(&text).ok(), Some(quick), "{text:?}");
                }
            }
        }
        assert!(taken > 500, "the shortcut was taken only {taken} times");
        assert_eq!(usual_type_2(T2), T2.parse().ok());
    }

    #[test]
    fn type_7_is_recognised() {
        assert_eq!("7.AAAA".parse::<EncString>().unwrap().type_number(), 7);
    }
}
