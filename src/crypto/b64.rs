//! Base64 as Bitwarden uses it (PROTOCOL.md §0): strict padded standard alphabet when encoding,
//! lenient when decoding (padding optional, trailing bits not checked), like the SDK's decoder.

use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

pub fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard base64, tolerating missing padding. `None` on any invalid character.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    LENIENT.decode(text.trim_end_matches('=')).ok()
}

/// Decodes into `out`, returning the length; `None` when invalid or longer than `out`.
pub fn decode_into(text: &str, out: &mut [u8]) -> Option<usize> {
    LENIENT.decode_slice(text.trim_end_matches('='), out).ok()
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
    }
}
