//! Unlock of the synthetic 10,000-item vault, phase by phase, then its full decryption, for
//! profiling natively or in wasm (`cargo build --release --target wasm32-wasip1 --example
//! prof_unlock && node scripts/bench-wasi.mjs prof_unlock [RUNS]`). Needs `bench_core` to have
//! written `target/bench/` first. The same program natively and in wasm gives the ratio the
//! speed goal is about; the minimum of many runs is the figure least disturbed by a busy machine.

#[path = "support/shipped_allocator.rs"]
mod shipped_allocator;

use std::time::{Duration, Instant};

use keyfill::session::{AccountMaterial, Session};

fn main() {
    let prelogin = std::fs::read_to_string("target/bench/vault-10000.prelogin.json")
        .expect("run bench_core first");
    let sync = std::fs::read_to_string("target/bench/vault-10000.sync.json")
        .expect("run bench_core first");
    let runs = std::env::args()
        .nth(1)
        .map_or(10, |n| n.parse().expect("a number of runs"));
    let mut session = Session::new();
    let mut unlocks = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let material = AccountMaterial::parse(&prelogin, sync.clone()).unwrap();
        let parsed = t.elapsed();
        session = Session::new();
        session
            .unlock("bench@example.test", "benchmark master password", material)
            .unwrap();
        unlocks.push(t.elapsed());
        println!("parse {parsed:?}, unlock total {:?}", t.elapsed());
    }
    let mut full: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            assert_eq!(session.vault().unwrap().ciphers.len(), 10_000);
            t.elapsed()
        })
        .collect();
    full.sort();
    unlocks.sort();
    println!(
        "unlock (KDF of 5,000 iterations included) min {:?}; full decryption of every field: \
         min {:?}, median {:?} over {runs} runs",
        unlocks[0],
        full[0],
        full[runs / 2]
    );
}
