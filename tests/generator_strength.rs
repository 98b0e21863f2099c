//! Password generator (length, sets, ambiguity, uniformity) and strength estimate (zxcvbn-like
//! scores on the usual examples, no panic on any input).

use keyfill::generator::{generate_password, PasswordOptions};
use keyfill::strength::{estimate, Strength};

fn gen(opts: &PasswordOptions) -> String {
    generate_password(opts).unwrap().to_string()
}

#[test]
fn default_options_give_twenty_characters_of_every_set() {
    let opts = PasswordOptions::default();
    assert_eq!(opts.length, 20);
    for _ in 0..50 {
        let p = gen(&opts);
        assert_eq!(p.chars().count(), 20);
        assert!(p.chars().any(|c| c.is_ascii_lowercase()), "{p}");
        assert!(p.chars().any(|c| c.is_ascii_uppercase()), "{p}");
        assert!(p.chars().any(|c| c.is_ascii_digit()), "{p}");
        assert!(p.chars().any(|c| "!@#$%^&*".contains(c)), "{p}");
    }
}

#[test]
fn options_read_from_the_popup_json() {
    let opts: PasswordOptions =
        serde_json::from_str(r#"{"length": 12, "symbols": false, "avoidAmbiguous": true}"#)
            .unwrap();
    assert_eq!(opts.length, 12);
    assert!(opts.lower && opts.upper && opts.digits && !opts.symbols && opts.avoid_ambiguous);
    let p = gen(&opts);
    assert_eq!(p.len(), 12);
    assert!(p.chars().all(|c| c.is_ascii_alphanumeric()), "{p}");
}

#[test]
fn disabled_sets_never_appear() {
    let only_digits = PasswordOptions {
        lower: false,
        upper: false,
        symbols: false,
        ..PasswordOptions::default()
    };
    for _ in 0..20 {
        assert!(gen(&only_digits).chars().all(|c| c.is_ascii_digit()));
    }
    let letters = PasswordOptions {
        digits: false,
        symbols: false,
        ..PasswordOptions::default()
    };
    for _ in 0..20 {
        assert!(gen(&letters).chars().all(|c| c.is_ascii_alphabetic()));
    }
    // Nothing enabled: lower-case letters, not an empty or failing call.
    let none = PasswordOptions {
        lower: false,
        upper: false,
        digits: false,
        symbols: false,
        ..PasswordOptions::default()
    };
    let p = gen(&none);
    assert_eq!(p.len(), 20);
    assert!(p.chars().all(|c| c.is_ascii_lowercase()), "{p}");
}

#[test]
fn ambiguous_characters_are_avoided() {
    let opts = PasswordOptions {
        length: 128,
        avoid_ambiguous: true,
        ..PasswordOptions::default()
    };
    for _ in 0..50 {
        let p = gen(&opts);
        assert!(!p.chars().any(|c| "IOl01".contains(c)), "{p}");
    }
}

#[test]
fn minimum_digits_and_symbols_are_met() {
    let opts = PasswordOptions {
        length: 10,
        min_digits: 4,
        min_symbols: 3,
        ..PasswordOptions::default()
    };
    for _ in 0..50 {
        let p = gen(&opts);
        assert!(p.chars().filter(char::is_ascii_digit).count() >= 4, "{p}");
        assert!(
            p.chars().filter(|c| "!@#$%^&*".contains(*c)).count() >= 3,
            "{p}"
        );
        assert!(p.chars().any(|c| c.is_ascii_lowercase()), "{p}");
        assert!(p.chars().any(|c| c.is_ascii_uppercase()), "{p}");
    }
    // Minimums larger than the length are cut to fit; every set keeps one character.
    let greedy = PasswordOptions {
        length: 5,
        min_digits: 50,
        min_symbols: 50,
        ..PasswordOptions::default()
    };
    let p = gen(&greedy);
    assert_eq!(p.len(), 5);
    assert!(p.chars().any(|c| c.is_ascii_lowercase()), "{p}");
    assert!(p.chars().any(|c| c.is_ascii_uppercase()), "{p}");
}

#[test]
fn lengths_are_clamped_without_panic() {
    for (asked, got) in [(0, 5), (1, 5), (5, 5), (64, 64), (128, 128), (129, 128)] {
        let opts = PasswordOptions {
            length: asked,
            ..PasswordOptions::default()
        };
        assert_eq!(gen(&opts).len(), got, "length {asked}");
    }
    let huge = PasswordOptions {
        length: usize::MAX,
        min_digits: usize::MAX,
        min_symbols: usize::MAX,
        ..PasswordOptions::default()
    };
    assert_eq!(gen(&huge).len(), 128);
}

#[test]
fn every_character_appears_and_none_dominates() {
    // 20,000 characters over 70 symbols: about 286 each; a biased draw or a missed character
    // shows up far outside these bounds.
    let opts = PasswordOptions {
        length: 100,
        ..PasswordOptions::default()
    };
    let mut counts = std::collections::HashMap::new();
    for _ in 0..200 {
        for c in gen(&opts).chars() {
            *counts.entry(c).or_insert(0usize) += 1;
        }
    }
    assert_eq!(counts.len(), 26 + 26 + 10 + 8, "{counts:?}");
    for (c, n) in &counts {
        assert!((150..=450).contains(n), "{c}: {n}");
    }
}

#[test]
fn two_passwords_differ() {
    let opts = PasswordOptions::default();
    assert_ne!(gen(&opts), gen(&opts));
}

fn score(p: &str) -> u8 {
    estimate(p, &[]).score
}

#[test]
fn common_passwords_score_low() {
    assert_eq!(score("password"), 0);
    assert_eq!(score("123456"), 0);
    assert_eq!(score("Password"), 0);
    assert!(score("p@ssw0rd1") <= 1);
    assert!(score("P@ssw0rd!") <= 1);
    assert!(score("motdepasse") <= 1);
    assert!(score("azerty123") <= 1);
    assert!(score("qwertyuiop") <= 1);
    assert!(score("zxcvbnm,./") <= 1);
    assert!(score("aaaaaaaaaaaaaaaa") <= 1);
    assert!(score("abcabcabcabc") <= 1);
    assert!(score("abcdefghijklmno") <= 1);
    assert!(score("drowssap") <= 1, "reversed");
    assert!(score("soleil1987") <= 2);
    assert!(score("14/07/1989") <= 2);
}

#[test]
fn long_and_random_passwords_score_high() {
    assert!(score("correct horse battery staple") >= 3);
    assert_eq!(score("xK9#mQ2$vL7@pR4!"), 4);
    assert_eq!(score("Gm4!vzP9^qeW2&kT"), 4);
    // The generator's output is strong.
    let p = generate_password(&PasswordOptions::default()).unwrap();
    assert_eq!(score(&p), 4);
}

#[test]
fn user_inputs_count_as_known_words() {
    let alone = estimate("dupontjean", &[]);
    let known = estimate("dupontjean", &["jean.dupont@example.com", "Jean Dupont"]);
    assert!(known.guesses_log10 < alone.guesses_log10 - 2.0);
    assert!(known.score <= 1, "{known:?}");
}

#[test]
fn empty_and_odd_inputs() {
    assert_eq!(
        estimate("", &[]),
        Strength {
            score: 0,
            guesses_log10: 0.0
        }
    );
    for p in [
        "é",
        "ǅǅǅǅ",
        "İİİİ",
        "😀😀😀😀😀😀",
        "\u{0}\u{0}\u{0}",
        "𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡",
        "ß\u{301}\u{301}\u{301}",
        "پاسورد۱۲۳",
        "\u{FFFF}\u{10FFFF}",
    ] {
        let s = estimate(p, &["", "@", "😀@😀.😀"]);
        assert!(s.score <= 4 && s.guesses_log10.is_finite() && s.guesses_log10 >= 0.0);
    }
    let long: String = "a1!B".repeat(1000);
    let s = estimate(&long, &[]);
    assert!(s.guesses_log10.is_finite());
    let json = serde_json::to_value(estimate("password", &[])).unwrap();
    assert_eq!(json["score"], 0);
    assert!(json["guessesLog10"].is_number());
}

#[test]
fn scores_grow_with_length_of_random_text() {
    let a = estimate("xk9m", &[]).guesses_log10;
    let b = estimate("xk9mq2vl", &[]).guesses_log10;
    let c = estimate("xk9mq2vl7pr4", &[]).guesses_log10;
    assert!(a < b && b < c, "{a} {b} {c}");
}
