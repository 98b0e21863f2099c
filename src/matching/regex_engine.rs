//! The ECMAScript engine behind the RegularExpression strategy ([`super::pattern`]): the same
//! `new RegExp(pattern, "i").test(url)` everywhere, by whichever engine the platform has.
//!
//! - Natively (CLI, tests) and under WASI (the benchmarks, the unit tests in wasm): `regress`,
//!   an ECMAScript engine in Rust.
//! - In the browser's wasm: the browser's own `RegExp`, the engine the Bitwarden clients use.
//!   `regress` cost that wasm 118 KB gzipped (its Unicode property tables and backtracker: 15 %
//!   of it) for an engine the host already has; see docs/protocol.md §8.4.
//!
//! Both refuse nothing themselves: the length caps and the catastrophic-shape check in
//! `pattern` run first on either platform. An invalid pattern compiles to `None`.

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod imp {
    use regress::{Flags, Regex};

    #[derive(Debug)]
    pub struct Engine(Regex);

    impl Engine {
        pub fn case_insensitive(pattern: &str) -> Option<Engine> {
            let flags = Flags {
                icase: true,
                ..Flags::default()
            };
            Regex::from_unicode(pattern.chars().map(u32::from), flags)
                .ok()
                .map(Engine)
        }

        pub fn finds_in(&self, input: &str) -> bool {
            self.0.find(input).is_some()
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod imp {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_name = RegExp)]
        type JsRegExp;

        /// `new RegExp(pattern, flags)`; a syntax error comes back as `Err`, not as a throw
        /// through the wasm stack.
        #[wasm_bindgen(catch, constructor, js_class = "RegExp")]
        fn new(pattern: &str, flags: &str) -> Result<JsRegExp, JsValue>;

        /// `re.test(text)`; a throw (the engine out of stack) comes back as `Err`.
        #[wasm_bindgen(catch, method, js_class = "RegExp")]
        fn test(this: &JsRegExp, text: &str) -> Result<bool, JsValue>;
    }

    pub struct Engine(JsRegExp);

    impl std::fmt::Debug for Engine {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Engine(RegExp)")
        }
    }

    impl Engine {
        pub fn case_insensitive(pattern: &str) -> Option<Engine> {
            JsRegExp::new(pattern, "i").ok().map(Engine)
        }

        /// Without the `g`/`y` flags `test` neither reads nor moves `lastIndex`: no state is
        /// carried between calls.
        pub fn finds_in(&self, input: &str) -> bool {
            self.0.test(input).unwrap_or(false)
        }
    }
}

pub use imp::Engine;
