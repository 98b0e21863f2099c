//! Many symmetric EncStrings decrypted together, with the same checks and results as
//! `SymmetricKey::decrypt` one at a time. A vault opens tens of thousands of short strings; in
//! wasm, which has no AES or SHA instructions, their MACs cost less four at a time than one at a
//! time (`mac::tags`).

use zeroize::Zeroizing;

use super::enc_string::EncString;
use super::mac;
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

fn cbc_decrypt_all(admitted: &[Admitted<'_>]) -> Vec<Result<Zeroizing<Vec<u8>>>> {
    admitted
        .iter()
        .map(|a| a.key.cbc_decrypt(a.iv, a.data))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_gives_what_one_at_a_time_gives() {
        let keys = [
            SymmetricKey::from_bytes(&[1u8; 64]).unwrap(),
            SymmetricKey::from_bytes(&[2u8; 64]).unwrap(),
            SymmetricKey::from_bytes(&[3u8; 32]).unwrap(),
        ];
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
}
