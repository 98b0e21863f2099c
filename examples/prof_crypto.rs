//! The primitives under decryption, natively or in wasm (`cargo build --release --target
//! wasm32-wasip1 --example prof_crypto && node scripts/bench-wasi.mjs prof_crypto`): what each of
//! the ~60,000 EncStrings of a 10,000-item vault costs in HMAC-SHA256, AES-256 and parsing.

#[path = "support/shipped_allocator.rs"]
mod shipped_allocator;

use std::time::{Duration, Instant};

use aes::cipher::{BlockCipherDecrypt, KeyInit};
use hmac::{Hmac, Mac};
use keyfill::crypto::batch::Batch;
use keyfill::crypto::{EncString, SymmetricKey};
use sha2::Sha256;

const N: usize = 60_000;

fn per_item(d: Duration) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6 / N as f64)
}

fn main() {
    let data = [7u8; 48];
    let raw = [3u8; 32];
    let mac = <Hmac<Sha256> as Mac>::new_from_slice(&raw).unwrap();
    let aes = <aes::Aes256 as KeyInit>::new_from_slice(&raw).unwrap();
    let key = SymmetricKey::generate().unwrap();
    let texts: Vec<String> = (0..N)
        .map(|i| {
            key.encrypt_str(&format!("item {i}: a name"))
                .unwrap()
                .to_string()
        })
        .collect();
    let runs = std::env::args()
        .nth(1)
        .map_or(15, |n| n.parse().expect("a number of runs"));
    // The least of many runs: the figure least disturbed by a busy machine.
    let mut best = [Duration::MAX; 6];
    let mut x = 0u8;
    for _ in 0..runs {
        let t = Instant::now();
        for _ in 0..N {
            let mut m = mac.clone();
            m.update(&data);
            x ^= m.finalize().into_bytes()[0];
        }
        let hmac = t.elapsed();
        let t = Instant::now();
        for _ in 0..N {
            let mut b = aes::Block::try_from(&data[..16]).unwrap();
            aes.decrypt_block(&mut b);
            x ^= b[0];
        }
        let block = t.elapsed();
        let t = Instant::now();
        let parsed: Vec<EncString> = texts.iter().map(|t| t.parse().unwrap()).collect();
        let parse = t.elapsed();
        let t = Instant::now();
        for e in &parsed {
            x ^= key.decrypt(e).unwrap()[0];
        }
        let whole = t.elapsed();
        let t = Instant::now();
        let mut batch = Batch::new();
        for text in &texts {
            batch.push(&key, text);
        }
        for plain in batch.decrypt_texts() {
            x ^= plain.unwrap().as_bytes()[0];
        }
        let batched = t.elapsed();
        let t = Instant::now();
        for text in &texts {
            let plain = key.decrypt_string(&text.parse().unwrap()).unwrap();
            x ^= plain.as_bytes()[0];
        }
        let one_by_one = t.elapsed();
        for (best, d) in best
            .iter_mut()
            .zip([hmac, block, parse, whole, batched, one_by_one])
        {
            *best = (*best).min(d);
        }
    }
    let [hmac, block, parse, whole, batched, one_by_one] = best.map(per_item);
    println!(
        "per EncString, least of {runs} runs: HMAC-SHA256 of 48 bytes {hmac}, one AES-256 block \
         {block}, parse {parse}, MAC check + decrypt {whole}; parse, MAC check and decrypt as text \
         one by one {one_by_one}, in one batch {batched} ({x})"
    );
}
