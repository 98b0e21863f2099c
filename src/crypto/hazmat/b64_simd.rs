//! HAZMAT: hand-written decoding on the unlock path, the most dangerous code in the project (see
//! `hazmat`'s header for the review rules). Must equal: the `base64` crate with the lenient
//! settings of `crypto::b64` (standard alphabet, trailing bits allowed) on unpadded text, the
//! same bytes or the same refusal, for any text whose length is not 1 mod 4. Tested against it on
//! random texts of random lengths and on every byte value at every place; it exists in wasm
//! only, so those tests run only there (`crypto::b64`'s run natively against the same crate).
//!
//! Base64 decoding sixteen characters at a time in wasm SIMD, for the strings a vault unlock
//! decodes (some 8 MB of base64 for 10,000 items, most of it in strings of 24 to 64 characters). Each character's class comes from two
//! 16-entry tables indexed by its nibbles (`i8x16_swizzle`); its 6-bit value from adding an offset
//! chosen by its high nibble; then shifts pack four values into three bytes.

use std::arch::wasm32::*;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The bit standing for high nibble `hi` in the validity tables: one bit for each of 2..=7 (the
/// nibbles that hold alphabet characters), one shared by all the others.
const fn hi_bit(hi: usize) -> u8 {
    if hi >= 2 && hi <= 7 {
        1 << (hi - 1)
    } else {
        1
    }
}

const fn in_alphabet(byte: u8) -> bool {
    let mut i = 0;
    while i < 64 {
        if ALPHABET[i] == byte {
            return true;
        }
        i += 1;
    }
    false
}

/// For each high nibble, its bit.
const BY_HIGH: [u8; 16] = {
    let mut t = [0u8; 16];
    let mut hi = 0;
    while hi < 16 {
        t[hi] = hi_bit(hi);
        hi += 1;
    }
    t
};

/// For each low nibble, the bits of the high nibbles that make a byte outside the alphabet with
/// it: `BY_LOW[lo] & BY_HIGH[hi]` is zero exactly when `hi << 4 | lo` is a base64 character.
const BY_LOW: [u8; 16] = {
    let mut t = [0u8; 16];
    let mut lo = 0;
    while lo < 16 {
        let mut hi = 0;
        while hi < 16 {
            if !in_alphabet((hi << 4 | lo) as u8) {
                t[lo] |= hi_bit(hi);
            }
            hi += 1;
        }
        lo += 1;
    }
    t
};

/// What to add to a valid character to get its value, by high nibble; index 1 is for '/', which
/// shares high nibble 2 with '+' and is moved down one (see `values`). Additions wrap, so each
/// offset is kept as the byte of its two's complement.
const OFFSETS: [u8; 16] = {
    let mut t = [0u8; 16];
    t[1] = (63u8).wrapping_sub(b'/');
    t[2] = (62u8).wrapping_sub(b'+');
    t[3] = (52u8).wrapping_sub(b'0');
    t[4] = (0u8).wrapping_sub(b'A');
    t[5] = (0u8).wrapping_sub(b'A');
    t[6] = (26u8).wrapping_sub(b'a');
    t[7] = (26u8).wrapping_sub(b'a');
    t
};

fn table(bytes: [u8; 16]) -> v128 {
    let word = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    u64x2(word(0), word(8))
}

/// The 6-bit values of sixteen characters, or `None` if any is not in the alphabet.
fn values(chars: v128) -> Option<v128> {
    let hi = u8x16_shr(chars, 4);
    let lo = v128_and(chars, u8x16_splat(0x0f));
    let bad = v128_and(
        i8x16_swizzle(table(BY_LOW), lo),
        i8x16_swizzle(table(BY_HIGH), hi),
    );
    if v128_any_true(bad) {
        return None;
    }
    // '/' is -1 in `slash`, so it takes the offset at index 1.
    let slash = i8x16_eq(chars, u8x16_splat(b'/'));
    let offsets = i8x16_swizzle(table(OFFSETS), i8x16_add(hi, slash));
    Some(i8x16_add(chars, offsets))
}

/// Packs sixteen 6-bit values into twelve bytes.
fn pack(values: v128) -> [u8; 12] {
    // Pairs of values into 12 bits per 16-bit lane (the first value is the low byte)...
    let pairs = v128_or(
        i16x8_shl(v128_and(values, u16x8_splat(0x00ff)), 6),
        u16x8_shr(values, 8),
    );
    // ...pairs of those into 24 bits per 32-bit lane...
    let quads = v128_or(
        i32x4_shl(v128_and(pairs, u32x4_splat(0xffff)), 12),
        u32x4_shr(pairs, 16),
    );
    // ...whose three low bytes, most significant first, are the output.
    let bytes = i8x16_swizzle(
        quads,
        u8x16(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 255, 255, 255, 255),
    );
    let mut out = [0u8; 12];
    // Stored as arrays of fixed size: `copy_from_slice` is an out-of-line call that ends in
    // memory.copy, which V8 runs as a call out of wasm, costing more than the bytes it moves.
    let (low, high) = out.split_at_mut(8);
    *<&mut [u8; 8]>::try_from(low).expect("8 bytes") = u64x2_extract_lane::<0>(bytes).to_le_bytes();
    *<&mut [u8; 4]>::try_from(high).expect("4 bytes") =
        u32x4_extract_lane::<2>(bytes).to_le_bytes();
    out
}

/// Decodes unpadded `text` into `out`, exactly as long as it decodes to, or `None` on a character
/// outside the alphabet. The last few characters are decoded as a chunk filled out with 'A's
/// (zero bits), of which only the bytes they make are kept.
pub fn decode(text: &[u8], out: &mut [u8]) -> Option<()> {
    let chunks = text.chunks_exact(16);
    let rest = chunks.remainder();
    let mut bytes_out = out.chunks_exact_mut(12);
    for (chunk, bytes) in chunks.zip(&mut bytes_out) {
        let chars = table(chunk.try_into().expect("16 characters"));
        let bytes: &mut [u8; 12] = bytes.try_into().expect("12 bytes");
        *bytes = pack(values(chars)?);
    }
    let tail = bytes_out.into_remainder();
    if !rest.is_empty() {
        // Byte by byte over fixed lengths, for the same reason: copies and fills of variable
        // length are memory.copy and memory.fill.
        let last: [u8; 16] = std::array::from_fn(|i| rest.get(i).copied().unwrap_or(b'A'));
        let bytes = pack(values(table(last))?);
        for (i, &byte) in bytes.iter().enumerate() {
            if let Some(to) = tail.get_mut(i) {
                *to = byte;
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;

    /// `crypto::b64`'s lenient settings, for unpadded text: the reference.
    const REFERENCE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );

    /// Both decoders' answers; the caller never passes a length of 1 mod 4, which no base64 has.
    fn both(text: &[u8]) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
        assert_ne!(text.len() % 4, 1);
        let mut out = vec![0u8; text.len() / 4 * 3 + (text.len() % 4).saturating_sub(1)];
        let simd = decode(text, &mut out).map(|()| out);
        (simd, REFERENCE.decode(text).ok())
    }

    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// Every byte value (ASCII or not) at every place of texts with and without a partial last
    /// chunk of sixteen.
    #[test]
    fn every_byte_at_every_place_as_the_base64_crate() {
        for len in [16, 22, 64, 71] {
            let base: Vec<u8> = (0..len).map(|i| ALPHABET[(i * 29 + 7) % 64]).collect();
            let (simd, reference) = both(&base);
            assert!(reference.is_some());
            assert_eq!(simd, reference);
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut text = base.clone();
                    text[at] = byte;
                    let (simd, reference) = both(&text);
                    assert_eq!(simd, reference, "byte {byte:#04x} at {at} of {len}");
                }
            }
        }
    }

    /// Random texts of random lengths, mostly from the alphabet so that valid ones are common.
    #[test]
    fn random_texts_as_the_base64_crate() {
        let mut seed = 0x1b87_3593_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let mut valid = 0;
        for _ in 0..20_000 {
            let mut len = next() as usize % 200;
            if len % 4 == 1 {
                len -= 1;
            }
            let text: Vec<u8> = (0..len)
                .map(|_| match next() % 400 {
                    0 => next() as u8,
                    1 => b'=',
                    n => ALPHABET[n as usize % 64],
                })
                .collect();
            let (simd, reference) = both(&text);
            valid += usize::from(reference.is_some());
            assert_eq!(simd, reference, "{:?}", String::from_utf8_lossy(&text));
        }
        assert!(valid > 5_000, "only {valid} valid texts");
    }
}
