//! Base64 as Bitwarden uses it (docs/protocol.md §0): strict padded standard alphabet to encode,
//! lenient when decoding (padding optional, trailing bits not checked), like the SDK's decoder.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// The decoder natively, and the reference the wasm decoder is tested against.
#[cfg_attr(
    all(target_arch = "wasm32", target_feature = "simd128", not(test)),
    allow(dead_code)
)]
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

pub fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard base64, tolerating missing padding. `None` on any invalid character.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = vec![0u8; decoded_len(text)?];
    decode_unpadded(text, &mut out)?;
    Some(out)
}

/// Decodes into `out`, returning the length; `None` when invalid or longer than `out`.
pub fn decode_into(text: &str, out: &mut [u8]) -> Option<usize> {
    let text = text.trim_end_matches('=');
    let n = decoded_len(text)?;
    decode_unpadded(text, out.get_mut(..n)?)?;
    Some(n)
}

/// How many bytes unpadded `text` holds; `None` for a length no base64 has.
fn decoded_len(text: &str) -> Option<usize> {
    match text.len() % 4 {
        1 => None,
        rest => Some(text.len() / 4 * 3 + rest.saturating_sub(1)),
    }
}

/// Decodes unpadded `text` into `out`, exactly `decoded_len(text)` long.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn decode_unpadded(text: &str, out: &mut [u8]) -> Option<()> {
    (LENIENT.decode_slice(text, out).ok()? == out.len()).then_some(())
}

/// In wasm, the SIMD decoder, which the tests hold to the `base64` crate's answers.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn decode_unpadded(text: &str, out: &mut [u8]) -> Option<()> {
    super::hazmat::b64_simd::decode(text.as_bytes(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_optional_when_decoding_and_written_when_encoding() {
        assert_eq!(decode("YWI="), Some(b"ab".to_vec()));
        assert_eq!(decode("YWI"), Some(b"ab".to_vec()));
        assert_eq!(encode(b"ab"), "YWI=");
        assert_eq!(decode("Y*I="), None);
        assert_eq!(decode("YW-_"), None);
        assert_eq!(decode("Y"), None);
        assert_eq!(decode("YW=I"), None);
        assert_eq!(decode(""), Some(vec![]));
        assert_eq!(decode_into("YWI=", &mut [0u8; 1]), None);
    }

    /// The `base64` crate as the SDK-lenient reference, for texts long enough to go through the
    /// sixteen-character chunks of the wasm SIMD decoder: every byte at every place, random texts.
    #[test]
    fn agrees_with_the_reference_everywhere() {
        let reference = |t: &str| LENIENT.decode(t.trim_end_matches('=')).ok();
        for len in 0..100usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len * 11) as u8).collect();
            let text = encode(&bytes);
            assert_eq!(decode(&text), Some(bytes.clone()));
            let mut out = vec![0u8; len + 3];
            assert_eq!(decode_into(&text, &mut out), Some(len));
            assert_eq!(out[..len], bytes[..]);
        }
        let base = encode(&(0..=47u8).collect::<Vec<_>>());
        for at in 0..base.len() {
            for c in (0..=127u8).map(char::from).chain(['é', '€']) {
                let mut text = base.clone();
                text.replace_range(at..=at, c.encode_utf8(&mut [0; 4]));
                assert_eq!(decode(&text), reference(&text), "{text:?}");
            }
        }
        let chars = b"AZaz09+/=-_.|";
        let mut seed = 0x9e37_79b9u32;
        let mut valid = 0;
        for len in 0..80 {
            for _ in 0..50 {
                let text: String = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 17;
                        seed ^= seed << 5;
                        // Mostly from the alphabet, so that valid texts are common.
                        let i = seed as usize % 200;
                        char::from(chars.get(i).copied().unwrap_or(ALPHA[i % 64]))
                    })
                    .collect();
                let want = reference(&text);
                valid += usize::from(want.is_some());
                assert_eq!(decode(&text), want, "{text:?}");
            }
        }
        assert!(valid > 300, "only {valid} valid texts");
    }

    const ALPHA: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}
