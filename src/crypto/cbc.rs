//! AES-256-CBC with PKCS#7 padding (docs/protocol.md §4.2) over the `aes` crate's block functions.
//! Decryption is split into its steps so that a batch can hand the blocks of many strings to AES
//! in one call: CBC decryption has no chaining between block decryptions, only in the XOR after.

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt};
use aes::{Aes256, Block};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

/// How many blocks under one key make the bitsliced AES's key schedule worth building.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
const BITSLICED_FROM: usize = 32;

/// Pads `plain` (PKCS#7) and encrypts it in CBC mode.
pub fn encrypt(aes: &Aes256, iv: &[u8; 16], plain: &[u8]) -> Vec<u8> {
    let blocks = plain.len() / 16 + 1;
    let pad = (16 * blocks - plain.len()) as u8;
    let mut out = Vec::with_capacity(16 * blocks);
    let mut block = Block::from(*iv);
    for i in 0..blocks {
        let chunk = plain.get(16 * i..).unwrap_or_default();
        let chunk = &chunk[..chunk.len().min(16)];
        for (j, b) in block.iter_mut().enumerate() {
            *b ^= chunk.get(j).copied().unwrap_or(pad);
        }
        aes.encrypt_block(&mut block);
        out.extend_from_slice(&block);
    }
    out
}

/// Decrypts one string (after its MAC, if any, has passed).
pub fn decrypt(aes: &Aes256, iv: &[u8; 16], data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if !fits_blocks(data) {
        return Err(Error::DecryptFailed);
    }
    let mut blocks = Blocks::default();
    blocks.load(data);
    blocks.decrypt(aes);
    unpad(unchain(&mut blocks.0.iter(), iv, data))
}

/// Whether `data` can be CBC ciphertext: whole blocks, at least one.
pub fn fits_blocks(data: &[u8]) -> bool {
    !data.is_empty() && data.len().is_multiple_of(16)
}

/// Blocks on their way through AES, wiped before reuse and when dropped.
#[derive(Default)]
pub struct Blocks(Vec<Block>);

impl Blocks {
    /// Appends the blocks of `data` (whole blocks only; see `fits_blocks`).
    pub fn load(&mut self, data: &[u8]) {
        self.0.extend(
            data.chunks_exact(16)
                .map(|b| Block::try_from(b).expect("16 bytes")),
        );
    }

    /// Empties the buffer, wiped, with room for `n` blocks so filling it never moves plaintext.
    pub fn reset(&mut self, n: usize) {
        for block in &mut self.0 {
            block.as_mut_slice().zeroize();
        }
        self.0.clear();
        self.0.reserve(n);
    }

    pub fn decrypt(&mut self, aes: &Aes256) {
        aes.decrypt_blocks(&mut self.0);
    }

    /// Decrypts many blocks under one key, given as the `aes` crate's schedule and as the 32 key
    /// bytes. In wasm, eight at a time by the bitsliced AES (`aes_x8`, twice as fast there as the
    /// `aes` crate's) once there are enough to repay its own key schedule; the rest, and
    /// everything natively (AES-NI), by the `aes` crate.
    #[cfg_attr(
        not(all(target_arch = "wasm32", target_feature = "simd128")),
        allow(unused_variables)
    )]
    pub fn decrypt_many(&mut self, aes: &Aes256, key_bytes: &[u8; 32]) {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        if self.0.len() >= BITSLICED_FROM {
            let x8 = super::hazmat::aes_x8::DecryptKey::new(key_bytes);
            let mut eights = self.0.chunks_exact_mut(8);
            let mut blocks = [[0u8; 16]; 8];
            for eight in &mut eights {
                for (to, from) in blocks.iter_mut().zip(eight.iter()) {
                    to.copy_from_slice(from);
                }
                x8.decrypt8(&mut blocks);
                for (to, from) in eight.iter_mut().zip(&blocks) {
                    to.copy_from_slice(from);
                }
            }
            blocks.as_flattened_mut().zeroize();
            aes.decrypt_blocks(eights.into_remainder());
            return;
        }
        self.decrypt(aes);
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Block> {
        self.0.iter()
    }
}

impl Drop for Blocks {
    fn drop(&mut self) {
        self.reset(0);
    }
}

/// The padded plaintext of `data` from its decrypted blocks (taken from `decrypted`): each block
/// xored with the ciphertext block before it, the first with the iv.
pub fn unchain<'b>(
    decrypted: &mut impl Iterator<Item = &'b Block>,
    iv: &[u8; 16],
    data: &[u8],
) -> Zeroizing<Vec<u8>> {
    let mut plain = Zeroizing::new(Vec::with_capacity(data.len()));
    let previous = std::iter::once(&iv[..]).chain(data.chunks_exact(16));
    for (block, previous) in decrypted.zip(previous).take(data.len() / 16) {
        plain.extend(block.iter().zip(previous).map(|(p, c)| p ^ c));
    }
    plain
}

/// Removes PKCS#7 padding; bad padding is how a wrong key shows when there is no MAC.
pub fn unpad(mut plain: Zeroizing<Vec<u8>>) -> Result<Zeroizing<Vec<u8>>> {
    let n = usize::from(*plain.last().ok_or(Error::DecryptFailed)?);
    let padding = plain.len().checked_sub(n).map(|start| &plain[start..]);
    if n == 0 || n > 16 || !padding.is_some_and(|p| p.iter().all(|&b| usize::from(b) == n)) {
        return Err(Error::DecryptFailed);
    }
    let len = plain.len() - n;
    plain.truncate(len);
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::KeyInit;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// NIST SP 800-38A, F.2.5 (CBC-AES256.Encrypt), first two blocks.
    #[test]
    fn sp_800_38a_cbc_aes256() {
        let key = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        let aes = Aes256::new_from_slice(&key).unwrap();
        let iv: [u8; 16] = hex("000102030405060708090a0b0c0d0e0f").try_into().unwrap();
        let plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let want = hex("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d");
        let data = encrypt(&aes, &iv, &plain);
        // A whole block of padding follows the two full blocks.
        assert_eq!(data.len(), 48);
        assert_eq!(&data[..32], &want[..]);
        assert_eq!(&decrypt(&aes, &iv, &data).unwrap()[..], &plain[..]);
    }

    #[test]
    fn every_length_round_trips_and_bad_shapes_fail() {
        let aes = Aes256::new_from_slice(&[9u8; 32]).unwrap();
        let iv = [4u8; 16];
        for n in 0..70 {
            let plain: Vec<u8> = (0..n).map(|i| i as u8).collect();
            let data = encrypt(&aes, &iv, &plain);
            assert_eq!(data.len(), (n / 16 + 1) * 16);
            assert_eq!(&decrypt(&aes, &iv, &data).unwrap()[..], &plain[..]);
            assert!(decrypt(&aes, &iv, &data[..data.len() - 1]).is_err());
        }
        assert!(decrypt(&aes, &iv, &[]).is_err());
    }

    /// In wasm, from `BITSLICED_FROM` blocks on, most go through the bitsliced AES, the rest
    /// (past the last eight) through the `aes` crate: every count gives the crate's blocks.
    #[test]
    fn many_blocks_under_one_key_decrypt_as_the_aes_crate_does() {
        let key_bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(151));
        let aes = Aes256::new_from_slice(&key_bytes).unwrap();
        let data: Vec<u8> = (0..16 * 90u32).map(|i| (i * 29 % 255) as u8).collect();
        for n in 0..90 {
            let mut blocks = Blocks::default();
            blocks.load(&data[..16 * n]);
            blocks.decrypt_many(&aes, &key_bytes);
            let mut want: Vec<Block> = data[..16 * n]
                .chunks_exact(16)
                .map(|b| Block::try_from(b).unwrap())
                .collect();
            aes.decrypt_blocks(&mut want);
            assert!(blocks.iter().eq(want.iter()), "{n} blocks");
        }
    }
}
