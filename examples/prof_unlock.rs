//! Unlock of the synthetic 10,000-item vault, phase by phase, for profiling natively or in wasm
//! (`node --cpu-prof scripts/bench-wasi.mjs prof_unlock`). Needs `bench_core` to have written
//! `target/bench/` first.

use std::time::Instant;

use keyfill::session::{AccountMaterial, Session};

fn main() {
    let prelogin = std::fs::read_to_string("target/bench/vault-10000.prelogin.json")
        .expect("run bench_core first");
    let sync = std::fs::read_to_string("target/bench/vault-10000.sync.json")
        .expect("run bench_core first");
    for _ in 0..3 {
        let t = Instant::now();
        let material = AccountMaterial::parse(&prelogin, sync.clone()).unwrap();
        let parsed = t.elapsed();
        let mut s = Session::new();
        s.unlock("bench@example.test", "benchmark master password", material)
            .unwrap();
        println!("parse {:?}, unlock total {:?}", parsed, t.elapsed());
    }
}
