//! Password strength: a compact estimate in the manner of zxcvbn (Wheeler, "zxcvbn: Low-Budget
//! Password Strength Estimation", USENIX Security 2016). The password is cut into pieces an
//! attacker would guess as units: common passwords and words (also reversed and in leetspeak,
//! with capital-letter variants), the user's own inputs, repeats, sequences, keyboard runs,
//! years and dates, and brute force for the rest. The cheapest cut, by zxcvbn's formula
//! `k! · Π guesses + 10⁴^(k-1)` for `k` pieces, gives the guesses; the score follows zxcvbn's
//! thresholds. Everything is in log10 so nothing overflows.

// The binding and the CLI call it: each public item says what it means.
#![warn(missing_docs)]

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

/// The estimate. `Debug` and the JSON carry numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Strength {
    /// 0 (guessed at once) to 4 (out of reach of offline attacks).
    pub score: u8,
    /// log10 of the estimated number of guesses.
    pub guesses_log10: f64,
}

/// Characters analysed piece by piece; the rest counts as brute force (far past score 4).
const MAX_ANALYSED: usize = 64;
/// Year dates are measured from (no clock needed: the estimate must be reproducible).
const REFERENCE_YEAR: i32 = 2025;
/// zxcvbn's `MIN_YEAR_SPACE`.
const MIN_YEAR_SPACE: i32 = 20;
/// Keyboard rows (QWERTY and AZERTY, letters and the shifted digit row).
const KEYBOARD_ROWS: &[&str] = &[
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "~!@#$%^&*()_+",
    "azertyuiop^$",
    "qsdfghjklmù*",
    "wxcvbn,;:!",
];

/// Estimates how hard `password` is to guess; `user_inputs` (the user's e-mail, the site's
/// name, ...) count as words an attacker tries first.
pub fn estimate(password: &str, user_inputs: &[&str]) -> Strength {
    let chars: Vec<char> = password.chars().collect();
    if chars.is_empty() {
        return Strength {
            score: 0,
            guesses_log10: 0.0,
        };
    }
    let card = cardinality(&chars);
    let user = user_words(user_inputs);
    let analysed = &chars[..chars.len().min(MAX_ANALYSED)];
    let rest = chars.len() - analysed.len();
    let mut log = min_guesses(analysed, card, &user, true) + rest as f64 * card.log10();
    log = log.max(0.0);
    let score = match log {
        l if l < 3.0 => 0,
        l if l < 6.0 => 1,
        l if l < 8.0 => 2,
        l if l < 10.0 => 3,
        _ => 4,
    };
    Strength {
        score,
        guesses_log10: log,
    }
}

/// The user's words (e-mail address, name): whole, and split at punctuation.
fn user_words(inputs: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for input in inputs.iter().take(20) {
        let lower: String = input.chars().take(100).map(lower_char).collect();
        let mut push = |w: &str| {
            if w.chars().count() >= 3 && !out.iter().any(|x| x == w) {
                out.push(w.to_string());
            }
        };
        push(&lower);
        if let Some((local, _)) = lower.split_once('@') {
            push(local);
        }
        for part in lower.split(|c: char| !c.is_alphanumeric()) {
            push(part);
        }
    }
    out
}

/// One-to-one lower-casing, so indices stay aligned with the original characters.
fn lower_char(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Size of the alphabet the password draws from, by the classes it uses.
fn cardinality(chars: &[char]) -> f64 {
    let (mut lower, mut upper, mut digit, mut symbol, mut other) =
        (false, false, false, false, false);
    for &c in chars {
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            c if c.is_ascii() => symbol = true,
            _ => other = true,
        }
    }
    let mut n = 0.0;
    for (on, size) in [
        (lower, 26.0),
        (upper, 26.0),
        (digit, 10.0),
        (symbol, 33.0),
        (other, 100.0),
    ] {
        if on {
            n += size;
        }
    }
    f64::max(n, 10.0)
}

/// A piece `[start, end)` guessed in `10^log` tries.
struct Piece {
    start: usize,
    end: usize,
    log: f64,
}

/// log10 guesses of the cheapest cut of `chars` into pieces.
fn min_guesses(chars: &[char], card: f64, user: &[String], with_repeats: bool) -> f64 {
    let n = chars.len();
    if n == 0 {
        return 0.0;
    }
    let lower: Vec<char> = chars.iter().map(|&c| lower_char(c)).collect();
    let mut pieces = Vec::new();
    dictionary(chars, &lower, user, &mut pieces);
    sequences(chars, &mut pieces);
    keyboard(&lower, &mut pieces);
    dates(chars, &mut pieces);
    if with_repeats {
        repeats(chars, card, user, &mut pieces);
    }
    // Brute force for any span: 10 tries for one character at least, 50 for more (zxcvbn).
    for start in 0..n {
        for end in start + 1..=n {
            let len = (end - start) as f64;
            let floor = if end - start == 1 { 1.0 } else { 50f64.log10() };
            pieces.push(Piece {
                start,
                end,
                log: (len * card.log10()).max(floor),
            });
        }
    }
    // best[j][k]: least Σ log guesses covering chars[..j] with k pieces.
    let mut best = vec![vec![f64::INFINITY; n + 1]; n + 1];
    best[0][0] = 0.0;
    for start in 0..n {
        for p in pieces.iter().filter(|p| p.start == start) {
            for k in 0..n {
                let base = best[start][k];
                if base.is_finite() && base + p.log < best[p.end][k + 1] {
                    best[p.end][k + 1] = base + p.log;
                }
            }
        }
    }
    let mut out = f64::INFINITY;
    let mut log_fact = 0.0;
    for (k, &sum) in best[n].iter().enumerate().skip(1) {
        log_fact += (k as f64).log10();
        if sum.is_finite() {
            out = out.min(log_add(log_fact + sum, 4.0 * (k as f64 - 1.0)));
        }
    }
    out
}

/// log10(10^a + 10^b).
fn log_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    hi + (1.0 + 10f64.powf(lo - hi)).log10()
}

fn log_binomial(n: usize, k: usize) -> f64 {
    (0..k)
        .map(|i| ((n - i) as f64 / (i + 1) as f64).log10())
        .sum()
}

/// Capitals: none costs nothing; first, last or all capitals double; otherwise every way of
/// placing that many capitals.
fn uppercase_log(word: &[char]) -> f64 {
    let upper = word.iter().filter(|c| c.is_uppercase()).count();
    let lower = word.iter().filter(|c| c.is_lowercase()).count();
    if upper == 0 {
        return 0.0;
    }
    let first_only = upper == 1 && word.first().is_some_and(|c| c.is_uppercase());
    let last_only = upper == 1 && word.last().is_some_and(|c| c.is_uppercase());
    if lower == 0 || first_only || last_only {
        return 2f64.log10();
    }
    let ways: f64 = (1..=upper.min(lower))
        .map(|i| 10f64.powf(log_binomial(upper + lower, i)))
        .sum();
    ways.log10()
}

/// Leetspeak folds: `1` and `|` read as `i` in one, as `l` in the other.
fn unleet(c: char, one_is_l: bool) -> Option<char> {
    Some(match c {
        '4' | '@' => 'a',
        '8' => 'b',
        '(' | '{' | '[' | '<' => 'c',
        '3' => 'e',
        '6' | '9' => 'g',
        '1' | '|' if one_is_l => 'l',
        '1' | '|' | '!' => 'i',
        '7' | '+' => 't',
        '0' => 'o',
        '$' | '5' => 's',
        '2' => 'z',
        '%' => 'x',
        _ => return None,
    })
}

fn dictionary(chars: &[char], lower: &[char], user: &[String], out: &mut Vec<Piece>) {
    let n = chars.len();
    let rank = |w: &str| -> Option<usize> {
        user.iter()
            .position(|u| u == w)
            .or_else(|| word_rank(w).map(|r| r + user.len()))
            .map(|r| r + 1)
    };
    for start in 0..n {
        for end in start + 3..=n.min(start + MAX_WORD_CHARS) {
            let span = &lower[start..end];
            let original = &chars[start..end];
            let word: String = span.iter().collect();
            let mut best: Option<f64> = None;
            let mut consider = |log: f64| best = Some(best.map_or(log, |b: f64| b.min(log)));
            if let Some(r) = rank(&word) {
                consider((r as f64).log10() + uppercase_log(original));
            }
            let reversed: String = span.iter().rev().collect();
            if let Some(r) = rank(&reversed) {
                consider((r as f64).log10() + uppercase_log(original) + 2f64.log10());
            }
            for one_is_l in [false, true] {
                let mut subs: Vec<char> = Vec::new();
                let folded: String = span
                    .iter()
                    .map(|&c| match unleet(c, one_is_l) {
                        Some(f) => {
                            if !subs.contains(&c) {
                                subs.push(c);
                            }
                            f
                        }
                        None => c,
                    })
                    .collect();
                if subs.is_empty() {
                    continue;
                }
                if let Some(r) = rank(&folded) {
                    let leet = subs.len() as f64 * 2f64.log10();
                    consider((r as f64).log10() + uppercase_log(original) + leet);
                }
            }
            if let Some(log) = best {
                out.push(Piece { start, end, log });
            }
        }
    }
}

/// Runs with a constant step (`abcd`, `9753`, `zyx`): zxcvbn's sequence guesses.
fn sequences(chars: &[char], out: &mut Vec<Piece>) {
    let n = chars.len();
    let class = |c: char| {
        if c.is_ascii_lowercase() {
            1
        } else if c.is_ascii_uppercase() {
            2
        } else if c.is_ascii_digit() {
            3
        } else {
            0
        }
    };
    for start in 0..n.saturating_sub(2) {
        let first = chars[start];
        if class(first) == 0 {
            continue;
        }
        let delta = chars[start + 1] as i64 - first as i64;
        if delta == 0 || delta.abs() > 5 {
            continue;
        }
        let mut end = start + 1;
        while end < n
            && class(chars[end]) == class(first)
            && chars[end] as i64 - chars[end - 1] as i64 == delta
        {
            end += 1;
            if end - start >= 3 {
                let base: f64 = if matches!(first, 'a' | 'z' | 'A' | 'Z' | '0' | '1' | '9') {
                    4.0
                } else if first.is_ascii_digit() {
                    10.0
                } else {
                    26.0
                };
                let dir = if delta < 0 { 2.0 } else { 1.0 };
                let log = (base * dir * (end - start) as f64 * delta.abs() as f64).log10();
                out.push(Piece { start, end, log });
            }
        }
    }
}

/// Straight runs along a keyboard row, either way (`qwerty`, `lkjh`, `azerty`).
fn keyboard(lower: &[char], out: &mut Vec<Piece>) {
    let n = lower.len();
    for start in 0..n {
        for end in start + 3..=n.min(start + 13) {
            let run: String = lower[start..end].iter().collect();
            let rev: String = lower[start..end].iter().rev().collect();
            if KEYBOARD_ROWS
                .iter()
                .any(|row| row.contains(&run) || row.contains(&rev))
            {
                // zxcvbn's spatial estimate with no turns: about 432 · (length - 1).
                let log = (432.0 * (end - start - 1) as f64).log10();
                out.push(Piece { start, end, log });
            }
        }
    }
}

fn year_space(year: i32) -> f64 {
    f64::from((year - REFERENCE_YEAR).abs().max(MIN_YEAR_SPACE))
}

/// Years (1900–2099) and day-month-year dates, with or without separators.
fn dates(chars: &[char], out: &mut Vec<Piece>) {
    let n = chars.len();
    for start in 0..n {
        for end in start + 4..=n.min(start + 10) {
            let s: String = chars[start..end].iter().collect();
            if let Some(log) = date_log(&s) {
                out.push(Piece { start, end, log });
            }
        }
    }
}

fn date_log(s: &str) -> Option<f64> {
    let all_digits = s.bytes().all(|b| b.is_ascii_digit());
    if all_digits && s.len() == 4 {
        let y: i32 = s.parse().ok()?;
        return (1900..=2099).contains(&y).then(|| year_space(y).log10());
    }
    let year = |t: &str| -> Option<i32> {
        let v: i32 = t.parse().ok()?;
        match t.len() {
            2 => Some(if v > 50 { 1900 + v } else { 2000 + v }),
            4 if (1900..=2099).contains(&v) => Some(v),
            _ => None,
        }
    };
    let day_month = |a: &str, b: &str| -> bool {
        let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) else {
            return false;
        };
        ((1..=31).contains(&a) && (1..=12).contains(&b))
            || ((1..=12).contains(&a) && (1..=31).contains(&b))
    };
    let (parts, separated): (Vec<&str>, bool) = if all_digits {
        let l = s.len();
        let splits: &[(usize, usize)] = match l {
            6 => &[(2, 4)],
            8 => &[(2, 4), (4, 6)],
            _ => return None,
        };
        let found = splits.iter().find_map(|&(a, b)| {
            let p = [&s[..a], &s[a..b], &s[b..]];
            let ok = if a == 4 {
                year(p[0]).is_some() && day_month(p[2], p[1])
            } else {
                year(p[2]).is_some() && day_month(p[0], p[1])
            };
            ok.then(|| p.to_vec())
        })?;
        (found, false)
    } else {
        let sep = s.chars().find(|c| !c.is_ascii_digit())?;
        if !matches!(sep, '/' | '-' | '.' | ' ' | '_') {
            return None;
        }
        let p: Vec<&str> = s.split(sep).collect();
        if p.len() != 3 || p.iter().any(|x| x.is_empty() || x.len() > 4) {
            return None;
        }
        (p, true)
    };
    let y = if parts[0].len() == 4 {
        (day_month(parts[2], parts[1]) && parts[1].len() <= 2 && parts[2].len() <= 2)
            .then(|| year(parts[0]))??
    } else {
        (day_month(parts[0], parts[1]) && parts[0].len() <= 2 && parts[1].len() <= 2)
            .then(|| year(parts[2]))??
    };
    let sep_factor = if separated { 4.0 } else { 1.0 };
    Some((365.0 * year_space(y) * sep_factor).log10())
}

/// A block repeated (`aaaa`, `abcabc`): the block's own guesses times the number of copies.
fn repeats(chars: &[char], card: f64, user: &[String], out: &mut Vec<Piece>) {
    let n = chars.len();
    for start in 0..n {
        for block in 1..=(n - start) / 2 {
            let base = &chars[start..start + block];
            let mut copies = 1;
            while start + (copies + 1) * block <= n
                && &chars[start + copies * block..start + (copies + 1) * block] == base
            {
                copies += 1;
            }
            if copies >= 2 && copies * block >= 3 {
                let base_log = min_guesses(base, card, user, false);
                let log = base_log + (copies as f64).log10();
                out.push(Piece {
                    start,
                    end: start + copies * block,
                    log,
                });
                break;
            }
        }
    }
}

/// Longest dictionary word looked for.
const MAX_WORD_CHARS: usize = 20;

/// The most common passwords (from the public top lists) then common English and French words,
/// most frequent first: a word's rank is its position.
const WORDS: &str = "
password 123456 123456789 12345678 12345 qwerty 1234567 111111 1234567890 123123 abc123
000000 iloveyou 1q2w3e4r 654321 qwertyuiop 123321 azerty password1 monkey dragon letmein
admin welcome 666666 1qaz2wsx 121212 sunshine princess football baseball master qwerty123
shadow superman trustno1 michael 987654321 zaq12wsx 7777777 login starwars hello freedom
whatever passw0rd charlie donald loveme flower hottie aa123456 qazwsx batman access 123qwe
mustang jordan jennifer soccer hunter ashley bailey solo ninja harley ranger thomas tigger
pepper daniel andrew joshua cheese computer killer lovely secret summer internet google
test guest root changeme default user pass motdepasse soleil bonjour doudou chouchou
loulou marseille nicolas coucou chocolat camille isabelle amour jetaime toulouse lolita
pokemon naruto samsung apple orange banana chelsea liverpool arsenal barcelona juventus
blink182 matrix hockey yankees cowboys buster golfer tennis silver purple yellow
diamond ginger maggie jessica michelle nicole love angel baby family friend forever
money winter spring autumn happy lucky magic music heaven phoenix player thunder tiger
wizard scooter cookie butter coffee pizza kitty puppy jesus qwert asdf asdfgh asdfghjkl
zxcvbn zxcvbnm azertyuiop qsdfghjklm wxcvbn 147258369 159753 112233 123654 11111111
00000000 88888888 555555 222222 1111 1234 0000 abcdef abcd1234 secret123 admin123
welcome1 letmein1 hello123 iloveyou1 password123 soleil123 doudou123 france paris
london berlin america canada
";

fn word_rank(word: &str) -> Option<usize> {
    static MAP: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m = HashMap::new();
        for (i, w) in WORDS.split_whitespace().enumerate() {
            m.entry(w).or_insert(i);
        }
        m
    });
    map.get(word).copied()
}
