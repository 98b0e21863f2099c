//! Many symmetric EncStrings decrypted together, with the same checks and results as
//! `SymmetricKey::decrypt` one at a time. A vault opens tens of thousands of short strings; in
//! wasm, which has no AES or SHA instructions, their MACs cost less four at a time (`mac::tags`)
//! and their AES blocks less several per pass (`cbc_decrypt_all`) than string by string.

use zeroize::Zeroizing;

use super::cbc::{self, Blocks};
use super::enc_string::EncString;
use super::hazmat::mac;
use super::symmetric::{into_text, SymmetricKey};
use crate::error::{Error, Result};

/// Strings queued for decryption, each with its key.
#[derive(Default)]
pub struct Batch<'k> {
    jobs: Vec<(&'k SymmetricKey, Result<EncString>)>,
}

/// A queued string its key may open.
struct Admitted<'a> {
    job: usize,
    key: &'a SymmetricKey,
    iv: &'a [u8; 16],
    data: &'a [u8],
    mac: Option<&'a [u8; 32]>,
}

impl<'k> Batch<'k> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues `text` to be decrypted with `key`; results come back in the order of the pushes.
    pub fn push(&mut self, key: &'k SymmetricKey, text: &str) {
        self.jobs.push((key, text.parse()));
    }

    /// Every queued string as text, or why it could not be opened. All MACs are checked before
    /// any string is decrypted, and a string whose MAC fails is never decrypted.
    pub fn decrypt_texts(self) -> Vec<Result<String>> {
        let mut results = Vec::with_capacity(self.jobs.len());
        let mut admitted = Vec::with_capacity(self.jobs.len());
        for (job, (key, enc)) in self.jobs.iter().enumerate() {
            let opened = match enc {
                Ok(enc) => key.admit(enc),
                Err(e) => Err(e.clone()),
            };
            match opened {
                Ok((iv, data, mac)) => {
                    admitted.push(Admitted {
                        job,
                        key,
                        iv,
                        data,
                        mac,
                    });
                    results.push(Err(Error::DecryptFailed));
                }
                Err(e) => results.push(Err(e)),
            }
        }
        let messages: Vec<_> = admitted
            .iter()
            .filter(|a| a.mac.is_some())
            .map(|a| (a.key.mac_key(), a.iv, a.data))
            .collect();
        let tags = mac::tags(&messages);
        let mut tags = tags.iter();
        admitted.retain(|a| {
            a.mac
                .is_none_or(|mac| mac::tags_match(tags.next().expect("a tag per MAC"), mac))
        });
        for (a, plain) in admitted.iter().zip(cbc_decrypt_all(&admitted)) {
            results[a.job] = plain.and_then(into_text);
        }
        results
    }
}

/// CBC decryption with the blocks of all strings under one key handed to AES together, so short
/// strings do not leave AES passes (four blocks each in wasm, eight with AES-NI) half used.
fn cbc_decrypt_all(admitted: &[Admitted<'_>]) -> Vec<Result<Zeroizing<Vec<u8>>>> {
    let mut out: Vec<_> = admitted.iter().map(|_| Err(Error::DecryptFailed)).collect();
    let mut by_key: Vec<usize> = (0..admitted.len())
        .filter(|&i| cbc::fits_blocks(admitted[i].data))
        .collect();
    by_key.sort_by_key(|&i| std::ptr::from_ref(admitted[i].key) as usize);
    let mut blocks = Blocks::default();
    for group in by_key.chunk_by(|&a, &b| std::ptr::eq(admitted[a].key, admitted[b].key)) {
        blocks.reset(group.iter().map(|&i| admitted[i].data.len() / 16).sum());
        for &i in group {
            blocks.load(admitted[i].data);
        }
        let key = admitted[group[0]].key;
        blocks.decrypt_many(key.aes(), key.enc_key());
        let mut decrypted = blocks.iter();
        for &i in group {
            let a = &admitted[i];
            out[i] = cbc::unpad(cbc::unchain(&mut decrypted, a.iv, a.data));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two keys with a MAC and a legacy 32-byte one.
    fn keys() -> [SymmetricKey; 3] {
        [
            SymmetricKey::from_bytes(&[1u8; 64]).unwrap(),
            SymmetricKey::from_bytes(&[2u8; 64]).unwrap(),
            SymmetricKey::from_bytes(&[3u8; 32]).unwrap(),
        ]
    }

    #[test]
    fn a_batch_gives_what_one_at_a_time_gives() {
        let keys = keys();
        let mut texts: Vec<(usize, String)> = Vec::new();
        for n in 0..120 {
            let plain = "é".repeat(n);
            let good = keys[n % 2].encrypt_str(&plain).unwrap().to_string();
            texts.push((n % 2, good.clone()));
            // The other key, a flipped MAC byte, a type-0 string for a MAC key.
            texts.push(((n + 1) % 2, good.clone()));
            let mut tampered = good.into_bytes();
            let at = tampered.len() - 3;
            tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
            texts.push((n % 2, String::from_utf8(tampered).unwrap()));
        }
        let type0 = "0.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==";
        for (k, t) in [(0, type0), (2, type0), (0, "2.bad|base64|here"), (1, "")] {
            texts.push((k, t.to_string()));
        }
        let one_by_one: Vec<Result<String>> = texts
            .iter()
            .map(|(k, t)| t.parse().and_then(|e| keys[*k].decrypt_string(&e)))
            .collect();
        let mut batch = Batch::new();
        for (k, t) in &texts {
            batch.push(&keys[*k], t);
        }
        let together = batch.decrypt_texts();
        assert_eq!(together, one_by_one);
        assert_eq!(together.iter().filter(|r| r.is_ok()).count(), 120);
    }

    #[test]
    fn blocks_of_many_strings_decrypt_together_as_one_by_one() {
        let keys = keys();
        // Lengths across block boundaries, keys interleaved.
        let mut encs: Vec<(usize, EncString)> = (0..90u8)
            .map(|n| {
                let k = usize::from(n % 7 == 0);
                (k, keys[k].encrypt(&vec![n; usize::from(n)]).unwrap())
            })
            .collect();
        let iv = [5u8; 16];
        // Legacy strings: cut short, empty, and some whose padding comes out wrong.
        for data in [
            vec![1u8; 32],
            vec![2u8; 15],
            vec![],
            vec![7u8; 48],
            vec![0u8; 256],
        ] {
            encs.push((2, EncString::AesCbc256 { iv, data }));
        }
        let admitted: Vec<Admitted<'_>> = encs
            .iter()
            .enumerate()
            .map(|(job, (k, enc))| {
                let (iv, data, mac) = keys[*k].admit(enc).unwrap();
                Admitted {
                    job,
                    key: &keys[*k],
                    iv,
                    data,
                    mac,
                }
            })
            .collect();
        let together = cbc_decrypt_all(&admitted);
        assert_eq!(together.len(), admitted.len());
        for (t, a) in together.iter().zip(&admitted) {
            let alone = a.key.cbc_decrypt(a.iv, a.data);
            assert_eq!(
                t.as_ref().map(|p| p.to_vec()),
                alone.as_ref().map(|p| p.to_vec())
            );
        }
        assert_eq!(together.iter().filter(|r| r.is_ok()).count(), 90);
    }
}
