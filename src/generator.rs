//! Password generator: uniform characters from the enabled sets, at least one of each (and the
//! requested minimum of digits and symbols), then a uniform shuffle so the required characters
//! sit anywhere. Randomness from the system ([`crate::crypto::random::fill`]); every index is
//! drawn by rejection sampling, so no character is more likely than another.

use serde::Deserialize;
use zeroize::{Zeroize, Zeroizing};

use crate::crypto::random;
use crate::error::Result;

pub const MIN_LENGTH: usize = 5;
pub const MAX_LENGTH: usize = 128;

const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";
/// Bitwarden's set: accepted by nearly every site's password rules.
const SYMBOLS: &[u8] = b"!@#$%^&*";
/// Characters easily misread for one another (Bitwarden's list).
const AMBIGUOUS: &[u8] = b"IOl01";

/// Options of the popup's generator (`{length, lower, upper, digits, symbols, avoidAmbiguous}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordOptions {
    /// Clamped to 5..=128.
    pub length: usize,
    pub lower: bool,
    pub upper: bool,
    pub digits: bool,
    pub symbols: bool,
    pub avoid_ambiguous: bool,
    /// Used when `digits` is on; at least 1.
    pub min_digits: usize,
    /// Used when `symbols` is on; at least 1.
    pub min_symbols: usize,
}

impl Default for PasswordOptions {
    fn default() -> Self {
        PasswordOptions {
            length: 20,
            lower: true,
            upper: true,
            digits: true,
            symbols: true,
            avoid_ambiguous: false,
            min_digits: 1,
            min_symbols: 1,
        }
    }
}

/// Random numbers drawn from a buffer of system randomness, refilled as it runs out.
struct Rand {
    buf: Zeroizing<[u8; 256]>,
    pos: usize,
}

impl Rand {
    fn new() -> Rand {
        Rand {
            buf: Zeroizing::new([0u8; 256]),
            pos: 256,
        }
    }

    fn u32(&mut self) -> Result<u32> {
        if self.pos + 4 > self.buf.len() {
            random::fill(&mut self.buf[..])?;
            self.pos = 0;
        }
        let b = &self.buf[self.pos..self.pos + 4];
        self.pos += 4;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Uniform in `0..n` (`n > 0`): draws above the largest multiple of `n` are rejected.
    fn below(&mut self, n: usize) -> Result<usize> {
        let n = n.clamp(1, u32::MAX as usize) as u32;
        let zone = u32::MAX - (u32::MAX % n);
        loop {
            let x = self.u32()?;
            if x < zone {
                return Ok((x % n) as usize);
            }
        }
    }
}

fn charset(set: &[u8], avoid_ambiguous: bool) -> Vec<u8> {
    set.iter()
        .copied()
        .filter(|c| !(avoid_ambiguous && AMBIGUOUS.contains(c)))
        .collect()
}

/// A new password. With no set enabled, lower-case letters are used (as Bitwarden does);
/// minimums that cannot fit the length are reduced to fit.
pub fn generate_password(opts: &PasswordOptions) -> Result<Zeroizing<String>> {
    let length = opts.length.clamp(MIN_LENGTH, MAX_LENGTH);
    let lower = opts.lower || !(opts.upper || opts.digits || opts.symbols);
    // (characters, how many at least), for each enabled set.
    let mut sets: Vec<(Vec<u8>, usize)> = Vec::with_capacity(4);
    if lower {
        sets.push((charset(LOWER, opts.avoid_ambiguous), 1));
    }
    if opts.upper {
        sets.push((charset(UPPER, opts.avoid_ambiguous), 1));
    }
    let mut min_digits = if opts.digits {
        opts.min_digits.clamp(1, length)
    } else {
        0
    };
    let mut min_symbols = if opts.symbols {
        opts.min_symbols.clamp(1, length)
    } else {
        0
    };
    // Letters need one each; digits and symbols share what is left, each keeping one.
    let room = length - sets.len();
    while min_digits + min_symbols > room {
        if min_digits >= min_symbols && min_digits > 1 {
            min_digits -= 1;
        } else if min_symbols > 1 {
            min_symbols -= 1;
        } else {
            break;
        }
    }
    if opts.digits {
        sets.push((charset(DIGITS, opts.avoid_ambiguous), min_digits));
    }
    if opts.symbols {
        sets.push((SYMBOLS.to_vec(), min_symbols));
    }
    let all: Vec<u8> = sets.iter().flat_map(|(s, _)| s.iter().copied()).collect();

    let mut rng = Rand::new();
    let mut chars: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(length));
    for (set, min) in &sets {
        for _ in 0..*min {
            chars.push(set[rng.below(set.len())?]);
        }
    }
    while chars.len() < length {
        chars.push(all[rng.below(all.len())?]);
    }
    // Fisher–Yates: the required characters end up at uniformly random places.
    for i in (1..chars.len()).rev() {
        let j = rng.below(i + 1)?;
        chars.swap(i, j);
    }
    let mut out = Zeroizing::new(String::with_capacity(chars.len()));
    out.extend(chars.iter().map(|&b| b as char));
    chars.zeroize();
    Ok(out)
}
