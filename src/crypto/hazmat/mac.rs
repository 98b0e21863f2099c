//! HAZMAT: hand-written cryptography, the most dangerous code in the project (see `hazmat`'s
//! header for the review rules). Must equal: the `hmac` crate's `Hmac<Sha256>` over `iv ‖ data`,
//! for every key and length, one message at a time and four in lanes (`tags`); `tags_match` must
//! say equal exactly when all 32 bytes are. Tested against it on random keys and messages of
//! random lengths, natively and in wasm.
//!
//! HMAC-SHA256 (RFC 2104) for EncStrings, keyed once for the many messages of an unlock.
//!
//! A key's inner and outer pad blocks are compressed once and kept; a tag then costs only the
//! message's own blocks plus one outer block. Those two states are as good as the MAC key (they
//! forge tags), so they are wiped on drop, which the `hmac` crate's keyed state (0.12) is not;
//! that, not speed, is why this is not `Hmac<Sha256>`: measured side by side, both cost the same.

use sha2::digest::generic_array::GenericArray;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::sha256_x4::{compress_x4, compress_x4_scheduled, schedule};

const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

type Block = [u8; 64];

/// An HMAC-SHA256 key as the two SHA-256 states after its pad blocks. Wiped on drop.
pub(crate) struct MacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl MacKey {
    pub fn new(key: &[u8; 32]) -> Self {
        let keyed = |pad: u8| {
            let mut block = [pad; 64];
            for (b, k) in block.iter_mut().zip(key) {
                *b ^= k;
            }
            let mut state = IV;
            compress(&mut state, &block);
            block.zeroize();
            state
        };
        MacKey {
            inner: keyed(0x36),
            outer: keyed(0x5c),
        }
    }

    /// The tag of `a ‖ b` (an EncString's iv ‖ data), streamed through one stack block.
    pub fn tag(&self, a: &[u8], b: &[u8]) -> [u8; 32] {
        let mut state = self.inner;
        let mut block = [0u8; 64];
        let mut fill = 0;
        for mut rest in [a, b] {
            while !rest.is_empty() {
                let n = (64 - fill).min(rest.len());
                block[fill..fill + n].copy_from_slice(&rest[..n]);
                fill += n;
                rest = &rest[n..];
                if fill == 64 {
                    compress(&mut state, &block);
                    fill = 0;
                }
            }
        }
        block[fill] = 0x80;
        block[fill + 1..].fill(0);
        if fill >= 56 {
            compress(&mut state, &block);
            block = [0; 64];
        }
        let bits = (64 + (a.len() + b.len()) as u64) * 8;
        block[56..].copy_from_slice(&bits.to_be_bytes());
        compress(&mut state, &block);
        let mut out = self.outer;
        compress(&mut out, &outer_block(&state));
        digest(&out)
    }
}

/// Whether two tags are equal, in constant time. The differences are folded into one word
/// without branches, and only that word goes through `subtle`, whose byte-by-byte comparison
/// costs more in wasm than computing the tag.
pub(crate) fn tags_match(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
    let diff = a
        .chunks_exact(8)
        .zip(b.chunks_exact(8))
        .fold(0u64, |acc, (x, y)| acc | (word(x) ^ word(y)));
    bool::from(diff.ct_eq(&0))
}

/// The tags of many messages `iv ‖ data`, each under its own key. In wasm, which has no SHA
/// instructions, four compressions cost little more than one (`compress_x4`), so there the
/// messages go through four lanes, each lane taking the next message when its own is done.
pub(crate) fn tags(messages: &[(&MacKey, &[u8; 16], &[u8])]) -> Vec<[u8; 32]> {
    if cfg!(all(target_arch = "wasm32", target_feature = "simd128")) {
        tags_in_lanes(messages)
    } else {
        messages
            .iter()
            .map(|(key, iv, data)| key.tag(*iv, data))
            .collect()
    }
}

/// One message on its way through a lane: its inner blocks, then the outer block.
struct Lane {
    message: usize,
    next_block: usize,
    outer: bool,
}

/// The tags four lanes at a time. Messages whose `iv ‖ data` is one whole block (48 bytes of
/// data: a string of 32 to 47 bytes) end with a block of padding alone, the same for all of them,
/// whose schedule is a constant; they go four together so that block skips its schedule. The
/// others go through `tags_of_others`.
fn tags_in_lanes(messages: &[(&MacKey, &[u8; 16], &[u8])]) -> Vec<[u8; 32]> {
    let mut tags = vec![[0u8; 32]; messages.len()];
    let (whole, others): (Vec<usize>, Vec<usize>) =
        (0..messages.len()).partition(|&i| messages[i].2.len() == WHOLE_BLOCK_DATA);
    let mut fours = whole.chunks_exact(4);
    let mut states = [[0u32; 8]; 4];
    let mut blocks = [[0u8; 64]; 4];
    for four in &mut fours {
        for ((&m, state), block) in four.iter().zip(&mut states).zip(&mut blocks) {
            let (key, iv, data) = messages[m];
            *state = key.inner;
            padded_block(block, iv, data, 0);
        }
        compress_x4(&mut states, &blocks);
        compress_x4_scheduled(&mut states, &PADDING_AFTER_TWO_BLOCKS);
        for ((&m, state), block) in four.iter().zip(&mut states).zip(&mut blocks) {
            *block = outer_block(state);
            *state = messages[m].0.outer;
        }
        compress_x4(&mut states, &blocks);
        for (&m, state) in four.iter().zip(&states) {
            tags[m] = digest(state);
        }
    }
    states.zeroize();
    blocks.zeroize();
    tags_of_others(
        messages,
        others.into_iter().chain(fours.remainder().iter().copied()),
        &mut tags,
    );
    tags
}

/// The data length for which `iv ‖ data` fills the first inner block exactly.
const WHOLE_BLOCK_DATA: usize = 48;

/// The last inner block of such a message: padding alone, after 128 bytes (pad block and
/// `iv ‖ data`), as its schedule.
const PADDING_AFTER_TWO_BLOCKS: [u32; 64] = {
    let mut block = [0u8; 64];
    block[0] = 0x80;
    let bits = (128u64 * 8).to_be_bytes();
    let mut i = 0;
    while i < 8 {
        block[56 + i] = bits[i];
        i += 1;
    }
    schedule(&block)
};

/// Each lane's state and next block stay in place in the arrays `compress_x4` works on; a lane
/// that finishes its inner blocks writes its outer block there and takes the outer state.
fn tags_of_others(
    messages: &[(&MacKey, &[u8; 16], &[u8])],
    others: impl IntoIterator<Item = usize>,
    tags: &mut [[u8; 32]],
) {
    let mut lanes: [Option<Lane>; 4] = Default::default();
    let mut waiting = others.into_iter();
    let mut states = [[0u32; 8]; 4];
    let mut blocks = [[0u8; 64]; 4];
    loop {
        for ((slot, state), block) in lanes.iter_mut().zip(&mut states).zip(&mut blocks) {
            if slot.is_none() {
                *slot = waiting.next().map(|message| {
                    let (key, iv, data) = messages[message];
                    *state = key.inner;
                    padded_block(block, iv, data, 0);
                    Lane {
                        message,
                        next_block: 0,
                        outer: false,
                    }
                });
            }
        }
        if lanes.iter().all(Option::is_none) {
            break;
        }
        compress_x4(&mut states, &blocks);
        for ((slot, state), block) in lanes.iter_mut().zip(&mut states).zip(&mut blocks) {
            let Some(lane) = slot else { continue };
            let (key, iv, data) = messages[lane.message];
            if lane.outer {
                tags[lane.message] = digest(state);
                *slot = None;
                continue;
            }
            lane.next_block += 1;
            if lane.next_block == inner_blocks(data.len()) {
                *block = outer_block(state);
                *state = key.outer;
                lane.outer = true;
            } else {
                padded_block(block, iv, data, lane.next_block);
            }
        }
    }
    states.zeroize();
    blocks.zeroize();
}

/// Blocks of `iv ‖ data` with SHA-256 padding, after the 64-byte inner pad.
fn inner_blocks(data_len: usize) -> usize {
    (16 + data_len + 9).div_ceil(64)
}

/// Block `k` of `iv ‖ data` with SHA-256 padding, written over `block`.
fn padded_block(block: &mut Block, iv: &[u8; 16], data: &[u8], k: usize) {
    let start = 64 * k;
    let at = if k == 0 {
        block[..16].copy_from_slice(iv);
        16
    } else {
        0
    };
    let rest = data.get(start + at - 16..).unwrap_or_default();
    let n = (64 - at).min(rest.len());
    block[at..at + n].copy_from_slice(&rest[..n]);
    block[at + n..].fill(0);
    let len = 16 + data.len();
    if (start..start + 64).contains(&len) {
        block[len - start] = 0x80;
    }
    if k + 1 == inner_blocks(data.len()) {
        block[56..].copy_from_slice(&((64 + len as u64) * 8).to_be_bytes());
    }
}

impl Drop for MacKey {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

fn compress(state: &mut [u32; 8], block: &Block) {
    sha2::compress256(state, &[*GenericArray::from_slice(block)]);
}

/// The outer message: the inner digest, padded as the second block after the outer pad.
fn outer_block(inner: &[u32; 8]) -> Block {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(&digest(inner));
    block[32] = 0x80;
    block[56..].copy_from_slice(&(96u64 * 8).to_be_bytes());
    block
}

fn digest(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, Mac};

    #[test]
    fn tags_agree_with_the_hmac_crate_at_every_length() {
        let key: [u8; 32] = std::array::from_fn(|i| (i * 7) as u8);
        let mac = MacKey::new(&key);
        let data: Vec<u8> = (0..300u32).map(|i| (i * 31 % 251) as u8).collect();
        for n in 0..200 {
            let (a, b) = (&data[..16], &data[16..16 + n]);
            let mut reference = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key).unwrap();
            reference.update(a);
            reference.update(b);
            let want: [u8; 32] = reference.finalize().into_bytes().into();
            assert_eq!(mac.tag(a, b), want, "length {n}");
        }
    }

    #[test]
    fn tags_match_only_when_every_byte_does() {
        let tag: [u8; 32] = std::array::from_fn(|i| i as u8);
        assert!(tags_match(&tag, &tag));
        for i in 0..32 {
            for bit in 0..8 {
                let mut other = tag;
                other[i] ^= 1 << bit;
                assert!(!tags_match(&tag, &other));
            }
        }
    }

    #[test]
    fn lanes_give_each_message_its_own_tag() {
        let keys: Vec<MacKey> = (0..3u8).map(|k| MacKey::new(&[k; 32])).collect();
        let data: Vec<u8> = (0..400u32).map(|i| (i * 13 % 253) as u8).collect();
        let iv = [9u8; 16];
        // Lengths around every block boundary, so lanes finish at different steps.
        let messages: Vec<(&MacKey, &[u8; 16], &[u8])> = (0..230)
            .map(|n| (&keys[n % 3], &iv, &data[n..n + n % 170 + 1]))
            .collect();
        let one_by_one: Vec<[u8; 32]> = messages.iter().map(|(k, iv, d)| k.tag(*iv, d)).collect();
        assert_eq!(tags_in_lanes(&messages), one_by_one);
        assert_eq!(tags(&messages), one_by_one);
        // Ten that fill one block with the iv, among others: two fours and two left over.
        let messages: Vec<(&MacKey, &[u8; 16], &[u8])> = (0..20)
            .map(|n| {
                let len = if n % 2 == 0 { WHOLE_BLOCK_DATA } else { n * 5 };
                (&keys[n % 3], &iv, &data[n..n + len])
            })
            .collect();
        let one_by_one: Vec<[u8; 32]> = messages.iter().map(|(k, iv, d)| k.tag(*iv, d)).collect();
        assert_eq!(tags_in_lanes(&messages), one_by_one);
        assert_eq!(tags(&messages), one_by_one);
        assert!(tags_in_lanes(&[]).is_empty());
    }

    /// Random keys, ivs and data of random lengths (0 to 299 bytes, across several block
    /// boundaries, every fifth of the one-whole-block length that has its own path in the lanes),
    /// through the lanes and one at a time, each held to the `hmac` crate.
    #[test]
    fn lanes_and_single_tags_agree_with_the_hmac_crate_on_random_messages() {
        let mut seed = 0x6d2b_79f5_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let keys: Vec<[u8; 32]> = (0..40)
            .map(|_| std::array::from_fn(|_| next() as u8))
            .collect();
        let macs: Vec<MacKey> = keys.iter().map(MacKey::new).collect();
        let ivs: Vec<[u8; 16]> = (0..400)
            .map(|_| std::array::from_fn(|_| next() as u8))
            .collect();
        let data: Vec<Vec<u8>> = (0..400)
            .map(|i| {
                let len = if i % 5 == 0 {
                    WHOLE_BLOCK_DATA
                } else {
                    next() as usize % 300
                };
                (0..len).map(|_| next() as u8).collect()
            })
            .collect();
        let messages: Vec<(&MacKey, &[u8; 16], &[u8])> = (0..400)
            .map(|i| (&macs[i % 40], &ivs[i], &data[i][..]))
            .collect();
        let want: Vec<[u8; 32]> = (0..400)
            .map(|i| {
                let mut reference =
                    <Hmac<sha2::Sha256> as Mac>::new_from_slice(&keys[i % 40]).unwrap();
                reference.update(&ivs[i]);
                reference.update(&data[i]);
                reference.finalize().into_bytes().into()
            })
            .collect();
        assert_eq!(tags_in_lanes(&messages), want);
        assert_eq!(tags(&messages), want);
        for ((key, iv, data), want) in messages.iter().zip(&want) {
            assert_eq!(key.tag(*iv, data), *want, "{} bytes", data.len());
        }
    }
}
