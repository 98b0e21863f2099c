//! HAZMAT: hand-written cryptography, the most dangerous code in the project (see `hazmat`'s
//! header for the review rules). Must equal: the `sha2` crate, each lane as `compress256` on any
//! state and block, and lanes run over whole padded messages as `Sha256::digest`. Tested against
//! it on random states, blocks and messages of random lengths, natively and in wasm.
//!
//! Four SHA-256 compressions at once (FIPS 180-4 §6.2.2), one per 32-bit lane of a wasm SIMD
//! vector. Wasm has no SHA instructions; checking the MACs of a vault four at a time costs little
//! more than one at a time. Elsewhere the lanes are plain arrays, so native tests run the same
//! round logic the wasm build runs. The lane operations are `inline(always)`, and arrays of lanes
//! are written out rather than built by `array::from_fn`: either left calls in the hot path.

use lanes::Lanes;

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// Four independent SHA-256 compressions, one per lane: `states[l]` absorbs `blocks[l]`.
pub fn compress_x4(states: &mut [[u32; 8]; 4], blocks: &[[u8; 64]; 4]) {
    // Each lane's words are read four at a time and turned across (a 4×4 transpose), so vector t
    // holds word t of every lane.
    let mut w = [Lanes::splat(0); 16];
    for (q, words) in w.chunks_exact_mut(4).enumerate() {
        let row = |l: usize| {
            Lanes::from_be_bytes(blocks[l][16 * q..16 * q + 16].try_into().expect("16 bytes"))
        };
        let rows = [row(0), row(1), row(2), row(3)];
        for (word, column) in words.iter_mut().zip(Lanes::transpose(rows)) {
            *word = column;
        }
    }
    rounds(states, |t| {
        let i = t % 16;
        if t >= 16 {
            let (w15, w2) = (w[(i + 1) % 16], w[(i + 14) % 16]);
            let s0 = w15.rotr(7) ^ w15.rotr(18) ^ w15.shr(3);
            let s1 = w2.rotr(17) ^ w2.rotr(19) ^ w2.shr(10);
            w[i] = w[i] + s0 + w[(i + 9) % 16] + s1;
        }
        Lanes::splat(K[t]) + w[i]
    });
}

/// Four compressions of the same block, known in advance as its 64 words of schedule each added
/// to its round constant (see `schedule`): no message schedule is computed at all.
pub fn compress_x4_scheduled(states: &mut [[u32; 8]; 4], k_plus_w: &[u32; 64]) {
    rounds(states, |t| Lanes::splat(k_plus_w[t]));
}

/// The words of `block`'s message schedule, each added to its round constant, for
/// `compress_x4_scheduled`. A `const fn`, so constant blocks cost nothing at run time.
pub const fn schedule(block: &[u8; 64]) -> [u32; 64] {
    let mut w = [0u32; 64];
    let mut t = 0;
    while t < 64 {
        w[t] = if t < 16 {
            u32::from_be_bytes([
                block[4 * t],
                block[4 * t + 1],
                block[4 * t + 2],
                block[4 * t + 3],
            ])
        } else {
            let (w15, w2) = (w[t - 15], w[t - 2]);
            let s0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
            let s1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
            w[t - 16]
                .wrapping_add(s0)
                .wrapping_add(w[t - 7])
                .wrapping_add(s1)
        };
        t += 1;
    }
    let mut t = 0;
    while t < 64 {
        w[t] = w[t].wrapping_add(K[t]);
        t += 1;
    }
    w
}

/// One round over the working variables `[a, b, c, d, e, f, g, h]`.
#[inline(always)]
fn round(s: &mut [Lanes; 8], kw: Lanes) {
    let [a, b, c, d, e, f, g, h] = *s;
    // Grouped so the sums that wait only on earlier rounds' values are ready first: the rounds
    // are a chain, and its length, not the number of operations, sets the pace.
    let early = h + kw + Lanes::select(e, f, g);
    let sigma1 = e.rotr(6) ^ e.rotr(11) ^ e.rotr(25);
    let t2 = (a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)) + Lanes::select(a ^ c, b, a);
    *s = [
        (early + sigma1) + t2,
        a,
        b,
        c,
        (d + early) + sigma1,
        e,
        f,
        g,
    ];
}

/// The 64 rounds over the four lanes' states, `k_plus_w(t)` giving round t's constant plus
/// message word.
#[inline(always)]
fn rounds(states: &mut [[u32; 8]; 4], mut k_plus_w: impl FnMut(usize) -> Lanes) {
    let mut start = [Lanes::splat(0); 8];
    for (h, words) in start.chunks_exact_mut(4).enumerate() {
        let row = |l: usize| Lanes::new(states[l][4 * h..4 * h + 4].try_into().expect("4 words"));
        let rows = [row(0), row(1), row(2), row(3)];
        for (word, column) in words.iter_mut().zip(Lanes::transpose(rows)) {
            *word = column;
        }
    }
    let mut s = start;
    // Two loops, so the first sixteen rounds, which take message words as they are, carry no
    // test for the schedule.
    for t in 0..16 {
        round(&mut s, k_plus_w(t));
    }
    for t in 16..64 {
        round(&mut s, k_plus_w(t));
    }
    let [a, b, c, d, e, f, g, h] = s;
    for (half, words) in [[a, b, c, d], [e, f, g, h]].into_iter().enumerate() {
        let sum = |i: usize| start[4 * half + i] + words[i];
        let sums = [sum(0), sum(1), sum(2), sum(3)];
        for (state, row) in states.iter_mut().zip(Lanes::transpose(sums)) {
            for (word, x) in state[4 * half..].iter_mut().zip(row.to_array()) {
                *word = x;
            }
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use std::arch::wasm32::*;

    /// Four u32 lanes in one wasm vector.
    #[derive(Clone, Copy)]
    pub struct Lanes(v128);

    impl Lanes {
        #[inline(always)]
        pub fn new(x: [u32; 4]) -> Self {
            Lanes(u32x4(x[0], x[1], x[2], x[3]))
        }

        #[inline(always)]
        pub fn splat(x: u32) -> Self {
            Lanes(u32x4_splat(x))
        }

        #[inline(always)]
        pub fn to_array(self) -> [u32; 4] {
            [
                u32x4_extract_lane::<0>(self.0),
                u32x4_extract_lane::<1>(self.0),
                u32x4_extract_lane::<2>(self.0),
                u32x4_extract_lane::<3>(self.0),
            ]
        }

        /// Four big-endian words.
        #[inline(always)]
        pub fn from_be_bytes(bytes: [u8; 16]) -> Self {
            let half = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
            let swap = i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
            Lanes(i8x16_swizzle(u64x2(half(0), half(8)), swap))
        }

        /// Rows to columns: lane l of result i is lane i of `rows[l]`.
        #[inline(always)]
        pub fn transpose(rows: [Self; 4]) -> [Self; 4] {
            let [r0, r1, r2, r3] = [rows[0].0, rows[1].0, rows[2].0, rows[3].0];
            let (t0, t1) = (
                i32x4_shuffle::<0, 4, 1, 5>(r0, r1),
                i32x4_shuffle::<2, 6, 3, 7>(r0, r1),
            );
            let (t2, t3) = (
                i32x4_shuffle::<0, 4, 1, 5>(r2, r3),
                i32x4_shuffle::<2, 6, 3, 7>(r2, r3),
            );
            [
                Lanes(i64x2_shuffle::<0, 2>(t0, t2)),
                Lanes(i64x2_shuffle::<1, 3>(t0, t2)),
                Lanes(i64x2_shuffle::<0, 2>(t1, t3)),
                Lanes(i64x2_shuffle::<1, 3>(t1, t3)),
            ]
        }

        #[inline(always)]
        pub fn rotr(self, n: u32) -> Self {
            Lanes(v128_or(u32x4_shr(self.0, n), u32x4_shl(self.0, 32 - n)))
        }

        #[inline(always)]
        pub fn shr(self, n: u32) -> Self {
            Lanes(u32x4_shr(self.0, n))
        }

        /// Bits of `if_set` where `mask` is 1, of `if_clear` where it is 0.
        #[inline(always)]
        pub fn select(mask: Self, if_set: Self, if_clear: Self) -> Self {
            Lanes(v128_bitselect(if_set.0, if_clear.0, mask.0))
        }
    }

    impl std::ops::Add for Lanes {
        type Output = Self;
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            Lanes(i32x4_add(self.0, o.0))
        }
    }

    impl std::ops::BitXor for Lanes {
        type Output = Self;
        #[inline(always)]
        fn bitxor(self, o: Self) -> Self {
            Lanes(v128_xor(self.0, o.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod lanes {
    /// Four u32 lanes as an array, with the semantics of the wasm vector version.
    #[derive(Clone, Copy)]
    pub struct Lanes([u32; 4]);

    impl Lanes {
        #[inline(always)]
        pub fn new(x: [u32; 4]) -> Self {
            Lanes(x)
        }

        #[inline(always)]
        pub fn splat(x: u32) -> Self {
            Lanes([x; 4])
        }

        #[inline(always)]
        pub fn to_array(self) -> [u32; 4] {
            self.0
        }

        /// Four big-endian words.
        #[inline(always)]
        pub fn from_be_bytes(bytes: [u8; 16]) -> Self {
            Lanes(std::array::from_fn(|i| {
                u32::from_be_bytes(bytes[4 * i..4 * i + 4].try_into().expect("4 bytes"))
            }))
        }

        /// Rows to columns: lane l of result i is lane i of `rows[l]`.
        #[inline(always)]
        pub fn transpose(rows: [Self; 4]) -> [Self; 4] {
            std::array::from_fn(|i| Lanes(std::array::from_fn(|l| rows[l].0[i])))
        }

        #[inline(always)]
        pub fn rotr(self, n: u32) -> Self {
            Lanes(self.0.map(|x| x.rotate_right(n)))
        }

        #[inline(always)]
        pub fn shr(self, n: u32) -> Self {
            Lanes(self.0.map(|x| x >> n))
        }

        /// Bits of `if_set` where `mask` is 1, of `if_clear` where it is 0.
        #[inline(always)]
        pub fn select(mask: Self, if_set: Self, if_clear: Self) -> Self {
            Lanes(std::array::from_fn(|l| {
                (if_set.0[l] & mask.0[l]) | (if_clear.0[l] & !mask.0[l])
            }))
        }
    }

    impl std::ops::Add for Lanes {
        type Output = Self;
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            Lanes(std::array::from_fn(|l| self.0[l].wrapping_add(o.0[l])))
        }
    }

    impl std::ops::BitXor for Lanes {
        type Output = Self;
        #[inline(always)]
        fn bitxor(self, o: Self) -> Self {
            Lanes(std::array::from_fn(|l| self.0[l] ^ o.0[l]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::digest::generic_array::GenericArray;

    /// A xorshift generator: random enough for inputs, and the same inputs on every run.
    fn xorshift(mut seed: u32) -> impl FnMut() -> u32 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        }
    }

    #[test]
    fn each_lane_is_one_compression() {
        let mut next = xorshift(0x9e37_79b9);
        for _ in 0..500 {
            let mut states: [[u32; 8]; 4] =
                std::array::from_fn(|_| std::array::from_fn(|_| next()));
            let blocks: [[u8; 64]; 4] =
                std::array::from_fn(|_| std::array::from_fn(|_| next() as u8));
            let mut want = states;
            for (state, block) in want.iter_mut().zip(&blocks) {
                sha2::compress256(state, &[*GenericArray::from_slice(block)]);
            }
            compress_x4(&mut states, &blocks);
            assert_eq!(states, want);
        }
    }

    #[test]
    fn a_known_schedule_compresses_as_its_block_does() {
        for seed in 0..50u32 {
            let block: [u8; 64] = std::array::from_fn(|i| (i as u32 * 37 + seed * 101) as u8);
            let mut states: [[u32; 8]; 4] =
                std::array::from_fn(|l| std::array::from_fn(|i| (l * 8 + i) as u32 * seed));
            let mut want = states;
            compress_x4(&mut want, &[block; 4]);
            compress_x4_scheduled(&mut states, &schedule(&block));
            assert_eq!(states, want);
        }
    }

    #[test]
    fn a_known_schedule_compresses_random_blocks_as_the_sha2_crate_does() {
        let mut next = xorshift(0x27d4_eb2f);
        for _ in 0..300 {
            let states: [[u32; 8]; 4] = std::array::from_fn(|_| std::array::from_fn(|_| next()));
            let block: [u8; 64] = std::array::from_fn(|_| next() as u8);
            let mut want = states;
            for state in &mut want {
                sha2::compress256(state, &[*GenericArray::from_slice(&block)]);
            }
            let mut got = states;
            compress_x4_scheduled(&mut got, &schedule(&block));
            assert_eq!(got, want);
        }
    }

    /// Whole messages of random lengths, one per lane, padded as FIPS 180-4 §5.1.1 says; a lane
    /// whose message is done takes random filler blocks whose results are dropped, so lanes end
    /// at different steps as they do in `mac::tags`.
    #[test]
    fn lanes_hash_messages_of_random_lengths_as_the_sha2_crate_does() {
        use sha2::{Digest, Sha256};
        const IV: [u32; 8] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ];
        fn padded(message: &[u8]) -> Vec<[u8; 64]> {
            let mut bytes = message.to_vec();
            bytes.push(0x80);
            while bytes.len() % 64 != 56 {
                bytes.push(0);
            }
            bytes.extend_from_slice(&(message.len() as u64 * 8).to_be_bytes());
            bytes
                .chunks_exact(64)
                .map(|b| b.try_into().expect("64 bytes"))
                .collect()
        }
        let mut next = xorshift(0x85eb_ca6b);
        for _ in 0..300 {
            let messages: [Vec<u8>; 4] = std::array::from_fn(|_| {
                let len = next() as usize % 400;
                (0..len).map(|_| next() as u8).collect()
            });
            let blocks = messages.each_ref().map(|m| padded(m));
            let steps = blocks.iter().map(Vec::len).max().expect("four lanes");
            let mut states = [IV; 4];
            for step in 0..steps {
                let filler: [u8; 64] = std::array::from_fn(|_| next() as u8);
                let these = std::array::from_fn(|l| blocks[l].get(step).copied().unwrap_or(filler));
                let before = states;
                compress_x4(&mut states, &these);
                for (l, lane) in blocks.iter().enumerate() {
                    if step >= lane.len() {
                        states[l] = before[l];
                    }
                }
            }
            for (state, message) in states.iter().zip(&messages) {
                let digest: Vec<u8> = state.iter().flat_map(|w| w.to_be_bytes()).collect();
                assert_eq!(
                    digest[..],
                    Sha256::digest(message)[..],
                    "{} bytes",
                    message.len()
                );
            }
        }
    }
}
