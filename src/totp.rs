//! One-time codes from a login's `totp` value (docs/protocol.md §9): bare base32 secrets,
//! `otpauth://totp/...` URIs and `steam://` secrets.

use hmac::{Hmac, Mac};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// A parsed TOTP configuration. `Debug` hides the secret.
pub struct Totp {
    secret: Zeroizing<Vec<u8>>,
    pub algorithm: Algorithm,
    pub digits: u32,
    pub period: u64,
    pub steam: bool,
}

impl std::fmt::Debug for Totp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Totp({:?}, {} digits, {} s)",
            self.algorithm, self.digits, self.period
        )
    }
}

const STEAM_CHARS: &[u8] = b"23456789BCDFGHJKMNPQRTVWXY";

/// Bitwarden's lenient base32: upper-case, drop anything outside the alphabet, full bytes only.
pub fn decode_base32(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.chars().map(|c| c.to_ascii_uppercase()) {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            '2'..='7' => c as u32 - '2' as u32 + 26,
            _ => continue,
        };
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Totp {
    pub fn parse(value: &str) -> Result<Self> {
        // The SDK lower-cases everything first; base32 decoding is case-blind anyway.
        let lower = value.trim().to_lowercase();
        let mut totp = Totp {
            secret: Zeroizing::new(Vec::new()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
            steam: false,
        };
        if let Some(rest) = lower.strip_prefix("otpauth://") {
            let query = rest.split_once('?').map(|(_, q)| q).unwrap_or("");
            let mut secret = None;
            for pair in query.split('&') {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let v = percent_decode(v);
                match k {
                    "secret" => secret = Some(decode_base32(&v)),
                    "algorithm" => {
                        totp.algorithm = match v.as_str() {
                            "sha256" => Algorithm::Sha256,
                            "sha512" => Algorithm::Sha512,
                            _ => Algorithm::Sha1,
                        }
                    }
                    "digits" => {
                        if let Ok(d) = v.trim().parse::<i64>() {
                            if d > 0 {
                                totp.digits = d.min(10) as u32;
                            }
                        }
                    }
                    "period" => {
                        if let Ok(p) = v.trim().parse::<i64>() {
                            totp.period = p.max(1) as u64;
                        }
                    }
                    _ => {}
                }
            }
            *totp.secret = secret.ok_or_else(|| Error::malformed("TOTP URI has no secret"))?;
        } else if let Some(rest) = lower.strip_prefix("steam://") {
            *totp.secret = decode_base32(rest);
            totp.steam = true;
            totp.digits = 5;
        } else {
            *totp.secret = decode_base32(&lower);
        }
        if totp.secret.is_empty() {
            return Err(Error::malformed("TOTP secret is empty"));
        }
        Ok(totp)
    }

    /// The code at `unix_seconds`.
    pub fn code_at(&self, unix_seconds: u64) -> String {
        let counter = (unix_seconds / self.period).to_be_bytes();
        let hash = match self.algorithm {
            Algorithm::Sha1 => mac::<Hmac<sha1::Sha1>>(&self.secret, &counter),
            Algorithm::Sha256 => mac::<Hmac<sha2::Sha256>>(&self.secret, &counter),
            Algorithm::Sha512 => mac::<Hmac<sha2::Sha512>>(&self.secret, &counter),
        };
        let offset = (hash[hash.len() - 1] & 0x0f) as usize;
        let mut value = u32::from_be_bytes([
            hash[offset] & 0x7f,
            hash[offset + 1],
            hash[offset + 2],
            hash[offset + 3],
        ]);
        if self.steam {
            (0..5)
                .map(|_| {
                    let c = STEAM_CHARS[(value % 26) as usize] as char;
                    value /= 26;
                    c
                })
                .collect()
        } else {
            let code = u64::from(value) % 10u64.pow(self.digits);
            format!("{code:0width$}", width = self.digits as usize)
        }
    }

    /// Seconds the code at `unix_seconds` stays valid.
    pub fn remaining(&self, unix_seconds: u64) -> u64 {
        self.period - unix_seconds % self.period
    }
}

fn mac<M: Mac + hmac::digest::KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = <M as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_examples_of_the_protocol() {
        assert_eq!(
            decode_base32("WQIQ25BRKZYCJVYP"),
            [0xb4, 0x11, 0x0d, 0x74, 0x31, 0x56, 0x70, 0x24, 0xd7, 0x0f]
        );
        assert_eq!(decode_base32("ABCD123"), [0x00, 0x44, 0x3d]);
    }

    #[test]
    fn odd_uris_do_not_panic() {
        for v in [
            "otpauth://",
            "otpauth://totp/x?secret=%",
            "otpauth://totp/x?secret=A%4",
            "steam://",
        ] {
            let _ = Totp::parse(v).map(|t| t.code_at(0));
        }
    }
}
