//! HAZMAT: hand-written cryptography, the most dangerous code in the project (see `hazmat`'s
//! header for the review rules). Must equal: the `aes` crate's `Aes256` decryption, for every
//! key and every block. Tested against it on random keys and blocks (and the S-boxes against
//! their definition for every byte, FIPS-197 C.3), natively and in wasm.
//!
//! AES-256 decryption (FIPS-197 §5.3) of eight blocks at once, bitsliced: eight 128-bit planes,
//! plane j holding bit j of every byte of the eight blocks. Wasm has no AES instructions; this
//! way each SIMD operation works on eight blocks, the rows' shifts and rotations are byte
//! shuffles, and no table is indexed by secret data. The S-box inverts in a tower field
//! GF(((2²)²)²), where inversion takes a few dozen gates.
//!
//! Elsewhere the planes are byte arrays, so native tests run the same logic the wasm build runs;
//! native decryption itself uses the `aes` crate (AES-NI). Every gate is `inline(always)`: the
//! compiler left some out of line otherwise, a call per gate, and decryption ran 4.5× slower.

use zeroize::Zeroize;

use plane::Plane;

type Planes = [Plane; 8];

/// AES-256 round keys for decryption, bitsliced (15 × 8 planes of 16 bytes). Wiped on drop.
pub struct DecryptKey {
    rounds: [[[u8; 16]; 8]; 15],
}

impl DecryptKey {
    pub fn new(key: &[u8; 32]) -> Self {
        let mut expanded = expand(key);
        let mut rounds = [[[0u8; 16]; 8]; 15];
        for (r, (planes, round_key)) in rounds.iter_mut().zip(&expanded).enumerate() {
            // InvSubBytes works on its input xored with 0x63 (see `inv_sub_bytes`). The constant,
            // the same in every byte, passes unchanged through InvShiftRows and InvMixColumns
            // (whose row of coefficients sums to 1), so it is folded into every round key that
            // reaches an InvSubBytes: all but the last one applied.
            let mut key = *round_key;
            if r > 0 {
                key.iter_mut().for_each(|b| *b ^= 0x63);
            }
            // Each round key in the byte order the state has when it is added (see `COORDS`).
            let mut ordered = COORDS[coords_of(r)].map(|i| key[i]);
            for (bytes, plane) in planes
                .iter_mut()
                .zip(bitslice([Plane::from_bytes(&ordered); 8]))
            {
                *bytes = plane.to_bytes();
            }
            key.zeroize();
            ordered.zeroize();
        }
        expanded.zeroize();
        DecryptKey { rounds }
    }

    /// Decrypts eight blocks in place. InvShiftRows only moves bytes, and every other step
    /// either works byte by byte or is told the byte order (see `COORDS`), so it is never done:
    /// round r works in the order of `coords_of(r)`, and one shuffle at the end puts bytes back.
    pub fn decrypt8(&self, blocks: &mut [[u8; 16]; 8]) {
        let mut state = bitslice(each(|b| Plane::from_bytes(&blocks[b])));
        state = xor(state, self.round_key(14));
        state = self.round::<1>(state, 13);
        for r in [12, 8, 4] {
            state = self.round::<2>(state, r);
            state = self.round::<3>(state, r - 1);
            state = self.round::<0>(state, r - 2);
            state = self.round::<1>(state, r - 3);
        }
        state = xor(inv_sub_bytes(state), self.round_key(0));
        let state = each(|j| state[j].in_true_order::<2>());
        for (block, plane) in blocks.iter_mut().zip(bitslice(state)) {
            *block = plane.to_bytes();
        }
    }

    #[inline(always)]
    fn round_key(&self, r: usize) -> Planes {
        each(|j| Plane::from_bytes(&self.rounds[r][j]))
    }

    /// Round r (13 down to 1) but its InvShiftRows, in the byte order of `COORDS[K]`.
    #[inline(always)]
    fn round<const K: usize>(&self, state: Planes, r: usize) -> Planes {
        debug_assert_eq!(coords_of(r), K);
        inv_mix_columns::<K>(xor(inv_sub_bytes(state), self.round_key(r)))
    }
}

/// A byte permutation of a plane: byte i of the result is byte `p[i]` of the plane. Byte index
/// k = 4·column + row (FIPS-197 §3.4).
type Pattern = [usize; 16];

/// InvShiftRows: row r moves right by r columns.
const INV_SHIFT_ROWS: Pattern = {
    let mut p = [0; 16];
    let mut k = 0;
    while k < 16 {
        let (c, r) = (k / 4, k % 4);
        p[k] = 4 * ((c + 4 - r) % 4) + r;
        k += 1;
    }
    p
};

const fn inverse(p: &Pattern) -> Pattern {
    let mut inv = [0; 16];
    let mut i = 0;
    while i < 16 {
        inv[p[i]] = i;
        i += 1;
    }
    inv
}

/// The byte orders the state is held in: after k skipped InvShiftRows, byte i of each plane is
/// byte `COORDS[k][i]` of the true state. Four InvShiftRows are the identity, so four orders.
const COORDS: [Pattern; 4] = {
    let back = inverse(&INV_SHIFT_ROWS);
    let mut c = [[0; 16]; 4];
    let mut i = 0;
    while i < 16 {
        c[0][i] = i;
        i += 1;
    }
    let mut k = 1;
    while k < 4 {
        let mut i = 0;
        while i < 16 {
            c[k][i] = back[c[k - 1][i]];
            i += 1;
        }
        k += 1;
    }
    c
};

/// The order round key r is added in: 14 − r InvShiftRows come before it.
const fn coords_of(r: usize) -> usize {
    (14 - r) % 4
}

/// `ROTATE[n - 1][k]`: "row r of each column takes row r + n's byte", in the order `COORDS[k]`.
const ROTATE: [[Pattern; 4]; 2] = {
    let mut out = [[[0; 16]; 4]; 2];
    let mut n = 1;
    while n <= 2 {
        let mut k = 0;
        while k < 4 {
            let (order, back) = (&COORDS[k], inverse(&COORDS[k]));
            let mut i = 0;
            while i < 16 {
                let j = order[i];
                out[n - 1][k][i] = back[j / 4 * 4 + (j % 4 + n) % 4];
                i += 1;
            }
            k += 1;
        }
        n += 1;
    }
    out
};

/// From order `COORDS[k]` back to the true one.
const TRUE_ORDER: [Pattern; 4] = [
    inverse(&COORDS[0]),
    inverse(&COORDS[1]),
    inverse(&COORDS[2]),
    inverse(&COORDS[3]),
];

impl Drop for DecryptKey {
    fn drop(&mut self) {
        self.rounds.iter_mut().flatten().for_each(Zeroize::zeroize);
    }
}

/// Eight planes from `f` of each index, written out: `array::map` and `array::from_fn` left
/// calls in the rounds.
#[inline(always)]
fn each(mut f: impl FnMut(usize) -> Plane) -> Planes {
    [f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7)]
}

#[inline(always)]
fn xor(a: Planes, b: Planes) -> Planes {
    each(|j| a[j] ^ b[j])
}

/// Eight blocks to eight planes (plane j, byte k: bit j of byte k of blocks 0..8, block b at bit
/// b), and back: the bit transpose of each byte position is its own inverse. Three rounds of
/// swaps of 1, 2 and 4 bits between registers.
fn bitslice(mut x: Planes) -> Planes {
    fn swap(x: &mut Planes, a: usize, b: usize, n: u32, mask: u8) {
        let t = (x[a].shr(n) ^ x[b]) & Plane::splat(mask);
        x[b] = x[b] ^ t;
        x[a] = x[a] ^ t.shl(n);
    }
    for (a, b) in [(0, 1), (2, 3), (4, 5), (6, 7)] {
        swap(&mut x, a, b, 1, 0x55);
    }
    for (a, b) in [(0, 2), (1, 3), (4, 6), (5, 7)] {
        swap(&mut x, a, b, 2, 0x33);
    }
    for (a, b) in [(0, 4), (1, 5), (2, 6), (3, 7)] {
        swap(&mut x, a, b, 4, 0x0f);
    }
    x
}

/// Multiplication by x in GF(2⁸) mod x⁸ + x⁴ + x³ + x + 1, plane by plane.
#[inline(always)]
fn xtime(p: Planes) -> Planes {
    [
        p[7],
        p[0] ^ p[7],
        p[1],
        p[2] ^ p[7],
        p[3] ^ p[7],
        p[4],
        p[5],
        p[6],
    ]
}

/// InvMixColumns as MixColumns after the circulant matrix (05 00 04 00): the inverse matrix
/// factors that way, and both need only doublings and rotations of the column. The state's bytes
/// are in the order `COORDS[K]`.
#[inline(always)]
fn inv_mix_columns<const K: usize>(a: Planes) -> Planes {
    let b = xtime(xtime(each(|j| a[j] ^ a[j].rotate_rows::<2, K>())));
    let a = xor(a, b);
    let r1 = each(|j| a[j].rotate_rows::<1, K>());
    let t = xor(a, r1);
    let t2 = each(|j| t[j].rotate_rows::<2, K>());
    let xt = xtime(t);
    each(|j| xt[j] ^ r1[j] ^ t2[j])
}

// The S-box is x ↦ A·inv(x) ⊕ 63, with A an affine map's linear part and inv the inverse in
// GF(2⁸) (0 for 0); its inverse is y ↦ inv(A⁻¹·(y ⊕ 63)). The inversion happens in a tower
// basis (β = 0x60 in the tower stands for the AES field's x), so each direction is one linear
// map in (with A⁻¹ for the inverse S-box) and one out (with A for the S-box). Row i of a map:
// the input bits whose XOR is output bit i. Tests check both S-boxes against the definition.
const UNAFFINE_INTO_TOWER: [u8; 8] = [0x70, 0x92, 0x80, 0x6f, 0x86, 0x78, 0x09, 0xc6];
const FROM_TOWER: [u8; 8] = [0x87, 0xd0, 0x02, 0xe2, 0xea, 0x16, 0x8c, 0x96];
const INTO_TOWER: [u8; 8] = [0x5d, 0x04, 0xf8, 0x18, 0xdc, 0xd2, 0x7e, 0xa0];
const FROM_TOWER_AFFINE: [u8; 8] = [0x61, 0x5b, 0x4f, 0x21, 0x5d, 0xcc, 0x90, 0x04];

#[inline(always)]
fn linear(rows: &[u8; 8], x: &Planes) -> Planes {
    each(|i| {
        let mut sum: Option<Plane> = None;
        for (j, &p) in x.iter().enumerate() {
            if rows[i] >> j & 1 == 1 {
                sum = Some(sum.map_or(p, |s| s ^ p));
            }
        }
        sum.expect("every row has a bit")
    })
}

/// InvSubBytes of `y ⊕ 63` (the constant is in the round keys).
#[inline(always)]
fn inv_sub_bytes(y: Planes) -> Planes {
    linear(&FROM_TOWER, &tower_inv(linear(&UNAFFINE_INTO_TOWER, &y)))
}

/// SubBytes, for the key schedule: no table indexed by key bytes.
fn sub_bytes(x: Planes) -> Planes {
    let mut s = linear(&FROM_TOWER_AFFINE, &tower_inv(linear(&INTO_TOWER, &x)));
    for bit in [0, 1, 5, 6] {
        s[bit] = s[bit] ^ Plane::splat(0xff); // ⊕ 63
    }
    s
}

/// The inverse of each byte, its planes in tower form.
#[inline(always)]
fn tower_inv(u: Planes) -> Planes {
    let high = G16(G4(u[7], u[6]), G4(u[5], u[4]));
    let low = G16(G4(u[3], u[2]), G4(u[1], u[0]));
    let (h, l) = g256_inv(high, low);
    [
        l.1 .1, l.1 .0, l.0 .1, l.0 .0, h.1 .1, h.1 .0, h.0 .1, h.0 .0,
    ]
}

/// GF(4) = GF(2)[W]/(W² + W + 1): (coefficient of W, constant).
#[derive(Clone, Copy)]
struct G4(Plane, Plane);

impl std::ops::Add for G4 {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        G4(self.0 ^ o.0, self.1 ^ o.1)
    }
}

#[inline(always)]
fn g4_mul(a: G4, b: G4) -> G4 {
    let (hh, ll) = (a.0 & b.0, a.1 & b.1);
    let m = (a.0 ^ a.1) & (b.0 ^ b.1);
    G4(m ^ ll, hh ^ ll)
}

/// W·a.
#[inline(always)]
fn g4_mul_w(a: G4) -> G4 {
    G4(a.0 ^ a.1, a.0)
}

/// W²·a.
#[inline(always)]
fn g4_mul_w2(a: G4) -> G4 {
    G4(a.1, a.0 ^ a.1)
}

/// a², which is also a⁻¹ (0 for 0).
#[inline(always)]
fn g4_square(a: G4) -> G4 {
    G4(a.0, a.0 ^ a.1)
}

/// GF(16) = GF(4)[Z]/(Z² + Z + W): (coefficient of Z, constant).
#[derive(Clone, Copy)]
struct G16(G4, G4);

impl std::ops::Add for G16 {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        G16(self.0 + o.0, self.1 + o.1)
    }
}

#[inline(always)]
fn g16_mul(a: G16, b: G16) -> G16 {
    let (hh, ll) = (g4_mul(a.0, b.0), g4_mul(a.1, b.1));
    let m = g4_mul(a.0 + a.1, b.0 + b.1);
    G16(m + ll, g4_mul_w(hh) + ll)
}

#[inline(always)]
fn g16_square(a: G16) -> G16 {
    let h = g4_square(a.0);
    G16(h, g4_mul_w(h) + g4_square(a.1))
}

/// ν·a for ν = W·Z, the constant of GF(256)'s defining polynomial.
#[inline(always)]
fn g16_mul_nu(a: G16) -> G16 {
    G16(g4_mul_w(a.0 + a.1), g4_mul_w2(a.0))
}

/// a⁻¹ (0 for 0): the conjugate over the norm a₁²W + a₁a₀ + a₀², a GF(4) element.
#[inline(always)]
fn g16_inv(a: G16) -> G16 {
    let norm = g4_mul_w(g4_square(a.0)) + g4_mul(a.0, a.1) + g4_square(a.1);
    let n = g4_square(norm);
    G16(g4_mul(a.0, n), g4_mul(a.0 + a.1, n))
}

/// (h·Y + l)⁻¹ in GF(256) = GF(16)[Y]/(Y² + Y + ν), 0 for 0.
#[inline(always)]
fn g256_inv(h: G16, l: G16) -> (G16, G16) {
    let norm = g16_mul_nu(g16_square(h)) + g16_mul(h, l) + g16_square(l);
    let n = g16_inv(norm);
    (g16_mul(h, n), g16_mul(h + l, n))
}

/// The AES-256 key schedule (FIPS-197 §5.2): fifteen round keys.
fn expand(key: &[u8; 32]) -> [[u8; 16]; 15] {
    let mut w = [[0u8; 4]; 60];
    for (i, word) in key.chunks_exact(4).enumerate() {
        w[i] = word.try_into().expect("4 bytes");
    }
    let mut rcon = 1u8;
    for i in 8..60 {
        let mut t = w[i - 1];
        if i % 8 == 0 {
            t = sub_word([t[1], t[2], t[3], t[0]]);
            t[0] ^= rcon;
            rcon = gf_mul(rcon, 2);
        } else if i % 8 == 4 {
            t = sub_word(t);
        }
        w[i] = std::array::from_fn(|j| w[i - 8][j] ^ t[j]);
        t.zeroize();
    }
    let mut rounds = [[0u8; 16]; 15];
    for (r, round) in rounds.iter_mut().enumerate() {
        for (j, word) in w[4 * r..4 * r + 4].iter().enumerate() {
            round[4 * j..4 * j + 4].copy_from_slice(word);
        }
    }
    w.zeroize();
    rounds
}

const fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0;
    while b != 0 {
        if b & 1 == 1 {
            r ^= a;
        }
        a = (a << 1) ^ if a & 0x80 != 0 { 0x1b } else { 0 };
        b >>= 1;
    }
    r
}

/// SubWord: SubBytes of four bytes, through the bitsliced S-box.
fn sub_word(word: [u8; 4]) -> [u8; 4] {
    let mut block = [0u8; 16];
    block[..4].copy_from_slice(&word);
    let mut planes = [Plane::splat(0); 8];
    planes[0] = Plane::from_bytes(&block);
    let mut out = bitslice(sub_bytes(bitslice(planes)))[0].to_bytes();
    let result = out[..4].try_into().expect("4 bytes");
    block.zeroize();
    out.zeroize();
    result
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod plane {
    use std::arch::wasm32::*;

    /// One byte shuffle of a plane by a constant `super::Pattern`.
    macro_rules! shuffled {
        ($plane:expr, $p:expr) => {
            Plane(i8x16_shuffle::<
                { $p[0] },
                { $p[1] },
                { $p[2] },
                { $p[3] },
                { $p[4] },
                { $p[5] },
                { $p[6] },
                { $p[7] },
                { $p[8] },
                { $p[9] },
                { $p[10] },
                { $p[11] },
                { $p[12] },
                { $p[13] },
                { $p[14] },
                { $p[15] },
            >($plane.0, $plane.0))
        };
    }

    /// 128 bits in one wasm vector.
    #[derive(Clone, Copy)]
    pub struct Plane(v128);

    impl Plane {
        #[inline(always)]
        pub fn from_bytes(b: &[u8; 16]) -> Self {
            let half = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
            Plane(u64x2(half(0), half(8)))
        }

        #[inline(always)]
        pub fn to_bytes(self) -> [u8; 16] {
            let mut out = [0; 16];
            out[..8].copy_from_slice(&u64x2_extract_lane::<0>(self.0).to_le_bytes());
            out[8..].copy_from_slice(&u64x2_extract_lane::<1>(self.0).to_le_bytes());
            out
        }

        #[inline(always)]
        pub fn splat(byte: u8) -> Self {
            Plane(u8x16_splat(byte))
        }

        /// Shifts within each 64-bit half; callers mask off what crosses a byte.
        #[inline(always)]
        pub fn shr(self, n: u32) -> Self {
            Plane(u64x2_shr(self.0, n))
        }

        #[inline(always)]
        pub fn shl(self, n: u32) -> Self {
            Plane(u64x2_shl(self.0, n))
        }

        /// `super::ROTATE[N - 1][K]`.
        #[inline(always)]
        pub fn rotate_rows<const N: usize, const K: usize>(self) -> Self {
            match (N, K) {
                (1, 0) => shuffled!(self, super::ROTATE[0][0]),
                (1, 1) => shuffled!(self, super::ROTATE[0][1]),
                (1, 2) => shuffled!(self, super::ROTATE[0][2]),
                (1, 3) => shuffled!(self, super::ROTATE[0][3]),
                (2, 0) => shuffled!(self, super::ROTATE[1][0]),
                (2, 1) => shuffled!(self, super::ROTATE[1][1]),
                (2, 2) => shuffled!(self, super::ROTATE[1][2]),
                (2, 3) => shuffled!(self, super::ROTATE[1][3]),
                _ => unreachable!("rotations by 1 and 2, four orders"),
            }
        }

        /// From byte order `super::COORDS[K]` to the true one.
        #[inline(always)]
        pub fn in_true_order<const K: usize>(self) -> Self {
            match K {
                0 => self,
                1 => shuffled!(self, super::TRUE_ORDER[1]),
                2 => shuffled!(self, super::TRUE_ORDER[2]),
                3 => shuffled!(self, super::TRUE_ORDER[3]),
                _ => unreachable!("four orders"),
            }
        }
    }

    impl std::ops::BitXor for Plane {
        type Output = Self;
        #[inline(always)]
        fn bitxor(self, o: Self) -> Self {
            Plane(v128_xor(self.0, o.0))
        }
    }

    impl std::ops::BitAnd for Plane {
        type Output = Self;
        #[inline(always)]
        fn bitand(self, o: Self) -> Self {
            Plane(v128_and(self.0, o.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod plane {
    /// 128 bits as bytes, with the semantics of the wasm vector version.
    #[derive(Clone, Copy)]
    pub struct Plane([u8; 16]);

    impl Plane {
        #[inline(always)]
        pub fn from_bytes(b: &[u8; 16]) -> Self {
            Plane(*b)
        }

        #[inline(always)]
        pub fn to_bytes(self) -> [u8; 16] {
            self.0
        }

        #[inline(always)]
        pub fn splat(byte: u8) -> Self {
            Plane([byte; 16])
        }

        #[inline(always)]
        fn halves(self, f: impl Fn(u64) -> u64) -> Self {
            let h = |i: usize| {
                f(u64::from_le_bytes(
                    self.0[i..i + 8].try_into().expect("8 bytes"),
                ))
            };
            let mut out = [0; 16];
            out[..8].copy_from_slice(&h(0).to_le_bytes());
            out[8..].copy_from_slice(&h(8).to_le_bytes());
            Plane(out)
        }

        #[inline(always)]
        pub fn shr(self, n: u32) -> Self {
            self.halves(|x| x >> n)
        }

        #[inline(always)]
        pub fn shl(self, n: u32) -> Self {
            self.halves(|x| x << n)
        }

        fn shuffled(self, p: &super::Pattern) -> Self {
            Plane(p.map(|i| self.0[i]))
        }

        /// `super::ROTATE[N - 1][K]`.
        #[inline(always)]
        pub fn rotate_rows<const N: usize, const K: usize>(self) -> Self {
            self.shuffled(&super::ROTATE[N - 1][K])
        }

        /// From byte order `super::COORDS[K]` to the true one.
        #[inline(always)]
        pub fn in_true_order<const K: usize>(self) -> Self {
            self.shuffled(&super::TRUE_ORDER[K])
        }
    }

    impl std::ops::BitXor for Plane {
        type Output = Self;
        #[inline(always)]
        fn bitxor(self, o: Self) -> Self {
            Plane(std::array::from_fn(|i| self.0[i] ^ o.0[i]))
        }
    }

    impl std::ops::BitAnd for Plane {
        type Output = Self;
        #[inline(always)]
        fn bitand(self, o: Self) -> Self {
            Plane(std::array::from_fn(|i| self.0[i] & o.0[i]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::{BlockCipherEncrypt, KeyInit};

    /// The S-box from its definition: the inverse in GF(2⁸) (by powers of the generator 3),
    /// then the affine map.
    const SBOX: [u8; 256] = {
        let (mut exp, mut log) = ([0u8; 256], [0u8; 256]);
        let mut x = 1u8;
        let mut i = 0;
        while i < 255 {
            exp[i] = x;
            log[x as usize] = i as u8;
            x = gf_mul(x, 3);
            i += 1;
        }
        let mut s = [0u8; 256];
        let mut v = 0;
        while v < 256 {
            let inv = if v == 0 {
                0
            } else {
                exp[(255 - log[v] as usize) % 255]
            };
            s[v] = inv
                ^ inv.rotate_left(1)
                ^ inv.rotate_left(2)
                ^ inv.rotate_left(3)
                ^ inv.rotate_left(4)
                ^ 0x63;
            v += 1;
        }
        s
    };

    fn inv_sbox() -> [u8; 256] {
        let mut inv = [0u8; 256];
        for (x, &s) in SBOX.iter().enumerate() {
            inv[s as usize] = x as u8;
        }
        inv
    }

    #[test]
    fn sbox_is_the_standard_one() {
        // FIPS-197 Figure 7: S(00) = 63, S(01) = 7c, S(53) = ed, S(ff) = 16.
        assert_eq!(
            [SBOX[0], SBOX[1], SBOX[0x53], SBOX[0xff]],
            [0x63, 0x7c, 0xed, 0x16]
        );
        let mut seen = [false; 256];
        SBOX.iter().for_each(|&s| seen[s as usize] = true);
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn bitsliced_sbox_matches_the_definition_for_every_byte() {
        for x in 0..=255u8 {
            assert_eq!(sub_word([x, 0, 0, 0])[0], SBOX[x as usize], "byte {x}");
        }
        assert_eq!(sub_word([0x53, 0x01, 0xff, 0x00]), [0xed, 0x7c, 0x16, 0x63]);
    }

    #[test]
    fn bitsliced_inverse_sbox_matches_the_definition_for_every_byte() {
        let inv = inv_sbox();
        // 256 bytes: 16 planes' worth; byte k of block b = 16·b + k (two rounds of eight blocks).
        for half in 0..2 {
            let blocks: [Plane; 8] = std::array::from_fn(|b| {
                Plane::from_bytes(&std::array::from_fn(|k| {
                    (128 * half + 16 * b + k) as u8 ^ 0x63
                }))
            });
            let out = bitslice(inv_sub_bytes(bitslice(blocks)));
            for (b, plane) in out.iter().enumerate() {
                for (k, &byte) in plane.to_bytes().iter().enumerate() {
                    assert_eq!(
                        byte,
                        inv[128 * half + 16 * b + k],
                        "byte {}",
                        128 * half + 16 * b + k
                    );
                }
            }
        }
    }

    #[test]
    fn bitslice_is_a_transpose_and_its_own_inverse() {
        let blocks: [[u8; 16]; 8] =
            std::array::from_fn(|b| std::array::from_fn(|k| (b * 37 + k * 11) as u8));
        let planes = bitslice(blocks.map(|b| Plane::from_bytes(&b)));
        for (j, plane) in planes.iter().enumerate() {
            for (k, &byte) in plane.to_bytes().iter().enumerate() {
                for (b, block) in blocks.iter().enumerate() {
                    assert_eq!(
                        byte >> b & 1,
                        block[k] >> j & 1,
                        "plane {j} byte {k} block {b}"
                    );
                }
            }
        }
        assert_eq!(bitslice(planes).map(Plane::to_bytes), blocks);
    }

    #[test]
    fn fips_197_c3_decrypts() {
        // FIPS-197 Appendix C.3: AES-256, key 00..1f, plaintext 00112233..ff.
        let key: [u8; 32] = std::array::from_fn(|i| i as u8);
        let cipher = hex("8ea2b7ca516745bfeafc49904b496089");
        let plain = hex("00112233445566778899aabbccddeeff");
        let mut blocks = [cipher; 8];
        DecryptKey::new(&key).decrypt8(&mut blocks);
        assert_eq!(blocks, [plain; 8]);
    }

    #[test]
    fn agrees_with_the_aes_crate_on_random_keys_and_blocks() {
        let mut seed = 0x2545_f491_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        };
        for _ in 0..50 {
            let key: [u8; 32] = std::array::from_fn(|_| next());
            let reference = aes::Aes256::new(&key.into());
            let plain: [[u8; 16]; 8] = std::array::from_fn(|_| std::array::from_fn(|_| next()));
            let mut blocks = plain.map(|p| {
                let mut b = aes::Block::from(p);
                reference.encrypt_block(&mut b);
                <[u8; 16]>::from(b)
            });
            DecryptKey::new(&key).decrypt8(&mut blocks);
            assert_eq!(blocks, plain);
        }
    }

    fn hex(s: &str) -> [u8; 16] {
        std::array::from_fn(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
    }
}
