//! What the benchmarks share: where the program runs (the same source is built natively and for
//! WASI, scripts/bench-wasi.mjs) and the median of timed runs.

use std::time::Instant;

/// Where this runs, for the printed figures.
pub const WHERE: &str = if cfg!(target_arch = "wasm32") {
    "wasm (WASI)"
} else {
    "native"
};

/// The median wall time of `runs` calls of `f`, in milliseconds.
pub fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[runs / 2]
}
