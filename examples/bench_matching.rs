//! Benchmark of the candidate index and the popup search on synthetic vaults.
//!
//! `cargo run --release --example bench_matching [sizes...]` (default 1000 10000 100000).
//! Deterministic: the vaults come from a fixed-seed xorshift generator. Reports, per size: index
//! build time, `candidates_for` median / p99 per call over many page URLs (with the mean number of
//! matches, to show the cost follows the answer), search index build time, and the median / max
//! time of one keystroke while typing queries character by character.

#[path = "support/shipped_allocator.rs"]
mod shipped_allocator;

use std::time::{Duration, Instant};

use keyfill::matching::{psl, MatchIndex, MatchItem, MatchSettings, UriMatch};
use keyfill::search::{Filters, SearchEntry, SearchIndex, KIND_LOGIN};

#[path = "../tests/support/rng.rs"]
mod rng;
use rng::Rng;

const WORDS: &[&str] = &[
    "alpha", "bank", "cloud", "delta", "echo", "forum", "git", "hotel", "intra", "jira", "kayak",
    "lumen", "mail", "nova", "orbit", "pixel", "quest", "radio", "shop", "travel", "union",
    "vault", "wiki", "xenon", "yield", "zeta", "crédit", "straße", "café", "büro",
];
const TLDS: &[&str] = &[
    "com",
    "net",
    "org",
    "co.uk",
    "de",
    "fr",
    "io",
    "github.io",
    "com.au",
];
const SUBS: &[&str] = &["", "www.", "login.", "accounts.", "app.", "secure.", "my."];
const PATHS: &[&str] = &[
    "",
    "/",
    "/login",
    "/signin?next=%2F",
    "/account/auth#top",
    "/u/0",
];

/// The `i`-th registrable domain of the synthetic world.
fn domain(i: usize) -> String {
    let w1 = WORDS[i % WORDS.len()];
    let w2 = WORDS[(i / WORDS.len()) % WORDS.len()];
    let tld = TLDS[(i / (WORDS.len() * WORDS.len())) % TLDS.len()];
    format!(
        "{w1}{w2}{}.{tld}",
        i / (WORDS.len() * WORDS.len() * TLDS.len())
    )
}

fn web_uri(r: &mut Rng, domains: usize) -> String {
    match r.below(20) {
        0 => format!(
            "http://192.168.{}.{}:{}",
            r.below(4),
            r.below(50),
            8000 + r.below(20)
        ),
        1 => format!("http://localhost:{}", 3000 + r.below(30)),
        _ => {
            let d = domain(r.skewed(domains));
            let port = if r.below(15) == 0 { ":8443" } else { "" };
            let sub = SUBS[r.below(SUBS.len())];
            format!("https://{sub}{d}{port}{}", PATHS[r.below(PATHS.len())])
        }
    }
}

/// A vault of `n` logins (one or more URIs each, about 20 logins per registrable domain).
pub fn synthetic_vault(n: usize, seed: u64) -> Vec<(MatchItem, SearchEntry)> {
    let mut r = Rng(seed | 1);
    let domains = (n / 20).max(50);
    (0..n)
        .map(|i| {
            let uris: Vec<(String, Option<UriMatch>)> = (0..1 + r.below(3))
                .map(|_| {
                    let uri = web_uri(&mut r, domains);
                    let m = match r.below(200) {
                        0..=19 => Some(UriMatch::Host),
                        20..=25 => Some(UriMatch::StartsWith),
                        26..=29 => Some(UriMatch::Exact),
                        30 => Some(UriMatch::RegularExpression),
                        31..=32 => Some(UriMatch::Never),
                        _ => None,
                    };
                    if m == Some(UriMatch::RegularExpression) {
                        let d = domain(r.skewed(domains)).replace('.', "\\.");
                        (format!("^https://([a-z0-9-]+\\.)*{d}/"), m)
                    } else {
                        (uri, m)
                    }
                })
                .collect();
            let id = format!("{:08x}-0000-4000-8000-{:012x}", r.next_u64() as u32, i);
            let name = format!(
                "{} {} {}",
                WORDS[r.below(WORDS.len())],
                WORDS[r.below(WORDS.len())],
                i % 97
            );
            let hosts = uris
                .iter()
                .filter_map(|(u, _)| keyfill::matching::host(u))
                .collect::<Vec<_>>();
            let user = format!("user{}@{}", r.below(1000), WORDS[r.below(WORDS.len())]);
            let entry = SearchEntry {
                id: id.clone(),
                kind: KIND_LOGIN,
                name,
                subtitle: user.clone(),
                username: Some(user),
                icon_host: hosts.first().cloned(),
                uri_hosts: hosts,
                favorite: r.below(30) == 0,
                ..SearchEntry::default()
            };
            let item = MatchItem {
                id,
                uris,
                last_used: r.below(1_000_000) as i64,
            };
            (item, entry)
        })
        .collect()
}

fn percentile(mut xs: Vec<Duration>, p: f64) -> Duration {
    xs.sort_unstable();
    let i = ((xs.len() as f64 - 1.0) * p).round() as usize;
    xs.get(i).copied().unwrap_or_default()
}

fn run(n: usize) {
    let vault = synthetic_vault(n, 0x00c0_ffee + n as u64);
    let (items, entries): (Vec<_>, Vec<_>) = vault.into_iter().unzip();
    let settings = MatchSettings {
        equivalent_domains: vec![vec![domain(0), domain(1), domain(2)]],
        ..MatchSettings::default()
    };

    let t = Instant::now();
    let index = MatchIndex::build(items, settings);
    let build = t.elapsed();

    let mut r = Rng(99);
    let domains = (n / 20).max(50);
    let pages: Vec<String> = (0..2000).map(|_| web_uri(&mut r, domains)).collect();
    let mut times = Vec::with_capacity(pages.len());
    let mut matches = 0usize;
    for p in &pages {
        let t = Instant::now();
        let c = index.candidates_for(p);
        times.push(t.elapsed());
        matches += c.len();
    }
    let mean_matches = matches as f64 / pages.len() as f64;
    // `BENCH_INDEX_ONLY=1` stops here, to profile the candidate index alone; it also reports a
    // second pass over the same pages ("warm": regexes are compiled on first use).
    if std::env::var_os("BENCH_INDEX_ONLY").is_some() {
        let mut warm = Vec::with_capacity(pages.len());
        for p in &pages {
            let t = Instant::now();
            std::hint::black_box(index.candidates_for(p));
            warm.push(t.elapsed());
        }
        println!(
            "{n:>7} logins | index build {:>8.2} ms | candidates_for median {:>6.2} µs p99 {:>7.2} \
             µs ({mean_matches:.1} matches avg) | warm median {:>6.2} µs p99 {:>7.2} µs",
            build.as_secs_f64() * 1e3,
            percentile(times.clone(), 0.5).as_secs_f64() * 1e6,
            percentile(times, 0.99).as_secs_f64() * 1e6,
            percentile(warm.clone(), 0.5).as_secs_f64() * 1e6,
            percentile(warm, 0.99).as_secs_f64() * 1e6,
        );
        return;
    }

    let t = Instant::now();
    let search = SearchIndex::build(entries);
    let search_build = t.elapsed();
    let filters = Filters::default();
    // The popup opens on the full list (empty query) before the first keystroke; that first
    // search also pays for the allocator tidying up after the build, so it is reported apart.
    let t = Instant::now();
    let _ = search.search("", &filters);
    let first = t.elapsed();
    let mut keys = Vec::new();
    let mut results = 0;
    for query in [
        "user12@",
        "travel bank",
        "github.io",
        "creditcafe",
        "zzqx",
        "straße",
    ] {
        for end in query.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let t = Instant::now();
            let rows = search.search(&query[..end], &filters);
            keys.push(t.elapsed());
            if std::env::var_os("BENCH_VERBOSE").is_some() {
                let ms = t.elapsed().as_secs_f64() * 1e3;
                println!(
                    "  {:<12} {ms:>8.3} ms {:>7} rows",
                    &query[..end],
                    rows.len()
                );
            }
            results += rows.len();
        }
    }
    let t = Instant::now();
    let all = search.search("", &filters).len();
    let list_all = t.elapsed();
    let keystrokes = keys.len();

    println!(
        "{n:>7} logins | index build {:>8.2} ms | candidates_for median {:>6.2} µs p99 {:>7.2} µs \
         ({mean_matches:.1} matches avg) | search build {:>8.2} ms | keystroke median {:>7.3} ms \
         max {:>7.3} ms ({keystrokes} keys, {results} rows) | first search {:>6.2} ms | list all \
         {:>6.2} ms ({all})",
        build.as_secs_f64() * 1e3,
        percentile(times.clone(), 0.5).as_secs_f64() * 1e6,
        percentile(times, 0.99).as_secs_f64() * 1e6,
        search_build.as_secs_f64() * 1e3,
        percentile(keys.clone(), 0.5).as_secs_f64() * 1e3,
        percentile(keys, 1.0).as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3,
        list_all.as_secs_f64() * 1e3,
    );
}

/// The PSL lookup alone (the `publicsuffix` crate), on the hosts of the synthetic world (with
/// subdomains): src/matching/psl.rs's header compares it with the hand-written lookup it replaced.
fn bench_psl() {
    let t = Instant::now();
    psl::warm_up();
    let parse = t.elapsed();
    let hosts: Vec<String> = (0..20_000)
        .map(|i| format!("{}{}", SUBS[i % SUBS.len()], domain(i * 7)))
        .collect();
    let mut best = Duration::MAX;
    let mut found = 0;
    for _ in 0..5 {
        let t = Instant::now();
        found = hosts
            .iter()
            .filter(|h| std::hint::black_box(psl::registrable(h)).is_some())
            .count();
        best = best.min(t.elapsed());
    }
    println!(
        "PSL: parse {:.2} ms | lookup {:.0} ns per host ({found} of {} registrable)",
        parse.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e9 / hosts.len() as f64,
        hosts.len()
    );
}

fn main() {
    bench_psl();
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        sizes
    };
    for n in sizes {
        run(n);
    }
}
