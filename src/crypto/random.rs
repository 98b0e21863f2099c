//! Randomness from the operating system (native) or `crypto.getRandomValues` (wasm).

use crate::error::{Error, Result};

pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::getrandom(buf).map_err(|_| Error::Platform("no secure random source".into()))
}

pub fn array<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}

/// A random version-4 UUID string, as the servers use for ids.
pub fn uuid_v4() -> Result<String> {
    Ok(uuid_from_bytes(array()?))
}

/// A version-4 UUID string made of these 16 bytes (version and variant bits set).
pub fn uuid_from_bytes(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
