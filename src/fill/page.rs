//! The planner's inputs: one frame's page details (from the content script, so hostile) and the
//! fill request context (from the worker). Shapes are those of docs/extension.md.
//!
//! Page details are parsed leniently and with caps: a field of the wrong type reads as its
//! default, unknown keys are ignored, lists stop keeping elements past their cap and strings are
//! cut, so a hostile page can neither fail a fill by sending odd JSON nor make the core hold more
//! than a bounded amount of its data.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// Most fields kept from one frame; the rest are ignored (a real login page has a handful).
pub const MAX_FIELDS: usize = 5_000;
/// Most forms kept from one frame.
pub const MAX_FORMS: usize = 1_000;
/// Most `<select>` options kept per field (the content script sends at most 400).
pub const MAX_OPTIONS: usize = 400;
/// Most submit-button targets kept per form (the content script sends at most 16).
pub const MAX_SUBMIT_ACTIONS: usize = 16;
/// Longest string kept, in characters; longer ones are cut.
pub const MAX_STRING_CHARS: usize = 1_000;

/// One frame's snapshot. Values are never collected, only `hasValue`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageDetails {
    #[serde(deserialize_with = "fields_capped")]
    pub fields: Vec<PageField>,
    #[serde(deserialize_with = "forms_capped")]
    pub forms: Vec<PageForm>,
    #[serde(deserialize_with = "text")]
    pub page_text: String,
    /// Containers of formless fields (a dialog, a section…), described like forms.
    #[serde(deserialize_with = "forms_capped")]
    pub sections: Vec<PageForm>,
}

/// One `<input>`, `<select>` or `<textarea>` as the content script saw it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageField {
    #[serde(deserialize_with = "text")]
    pub opid: String,
    /// The owning form's opid; `None` when formless (an empty string reads as `None`).
    #[serde(deserialize_with = "opt_text")]
    pub form: Option<String>,
    /// A formless field's container (an opid of `sections`); `None` for fields in a form.
    #[serde(deserialize_with = "opt_text")]
    pub section: Option<String>,
    #[serde(deserialize_with = "text")]
    pub tag: String,
    #[serde(rename = "type", deserialize_with = "text")]
    pub kind: String,
    #[serde(deserialize_with = "text")]
    pub name: String,
    #[serde(deserialize_with = "text")]
    pub html_id: String,
    #[serde(deserialize_with = "text")]
    pub autocomplete: String,
    #[serde(deserialize_with = "text")]
    pub placeholder: String,
    #[serde(deserialize_with = "text")]
    pub label: String,
    #[serde(deserialize_with = "text")]
    pub aria_label: String,
    #[serde(deserialize_with = "text")]
    pub title: String,
    #[serde(deserialize_with = "text")]
    pub class_name: String,
    /// `None` when absent, null or negative (the DOM reports -1 for "no limit").
    #[serde(deserialize_with = "opt_u32")]
    pub max_length: Option<u32>,
    #[serde(deserialize_with = "opt_u32")]
    pub min_length: Option<u32>,
    #[serde(deserialize_with = "text")]
    pub pattern: String,
    #[serde(deserialize_with = "text")]
    pub input_mode: String,
    #[serde(deserialize_with = "flag")]
    pub has_value: bool,
    #[serde(deserialize_with = "flag")]
    pub visible: bool,
    #[serde(deserialize_with = "flag")]
    pub disabled: bool,
    #[serde(deserialize_with = "flag")]
    pub read_only: bool,
    #[serde(deserialize_with = "text")]
    pub shadow: String,
    #[serde(deserialize_with = "flag")]
    pub focused: bool,
    #[serde(deserialize_with = "options_capped")]
    pub options: Vec<SelectOption>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct SelectOption {
    #[serde(deserialize_with = "text")]
    pub value: String,
    #[serde(deserialize_with = "text")]
    pub text: String,
}

impl SelectOption {
    /// What choosing this option types: its value, or its text when it has no value (the
    /// content script picks by value first, then by text).
    pub fn key(&self) -> String {
        if self.value.is_empty() {
            self.text.clone()
        } else {
            self.value.clone()
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageForm {
    #[serde(deserialize_with = "text")]
    pub opid: String,
    #[serde(deserialize_with = "text")]
    pub action: String,
    /// Where the form's submit buttons post when their `formaction` overrides `action`: pressing
    /// one sends the form there, so each counts as the form's target.
    #[serde(deserialize_with = "texts_capped")]
    pub submit_actions: Vec<String>,
    #[serde(deserialize_with = "text")]
    pub method: String,
    #[serde(deserialize_with = "text")]
    pub html_id: String,
    #[serde(deserialize_with = "text")]
    pub name: String,
    /// Visible text of the form's headings, legends and buttons.
    #[serde(deserialize_with = "text")]
    pub text: String,
    #[serde(deserialize_with = "text")]
    pub class_name: String,
    /// Each submit or button's text (its value, label or aria-label).
    #[serde(deserialize_with = "texts_capped")]
    pub buttons: Vec<String>,
    /// Headings and legends inside, and the nearest heading before the form.
    #[serde(deserialize_with = "texts_capped")]
    pub headings: Vec<String>,
    /// Link texts inside the form and around it ("Forgot password?", "Create an account").
    #[serde(deserialize_with = "texts_capped")]
    pub links: Vec<String>,
}

/// What started the fill (docs/autofill.md rule 1: all but PageLoad are user gestures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Trigger {
    Popup,
    Shortcut,
    ContextMenu,
    /// A trusted click or key in Keyfill's in-page menu (docs/autofill.md "Inline menu"): a
    /// gesture, but one that can ask no question (a card or identity goes to the popup first).
    Menu,
    /// The default: a context that does not say what triggered it gets the strictest rules.
    #[default]
    PageLoad,
}

/// The worker's request: the frame as the browser reported it (`sender`), never as the page
/// claims it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FillContext {
    pub frame_url: String,
    pub frame_origin: String,
    pub top_url: String,
    pub is_top: bool,
    pub trigger: Trigger,
    /// Confirm reasons the user has already accepted for this request.
    pub confirmed: Vec<String>,
    /// The user entered the master password again for this item, just now, in the popup (the
    /// worker checked it): only then does an item with "ask for the master password" fill.
    pub reprompted: bool,
    /// Unix seconds, for TOTP codes.
    pub now: u64,
    /// The user asked for a generated password (the popup's "Fill generated password", or the
    /// shortcut on a new-password field with no login stored for the site): it goes into the
    /// new-password fields, and nothing from the stored login but a change form's current one.
    pub generate: bool,
}

impl FillContext {
    pub fn is_confirmed(&self, reason: &str) -> bool {
        self.confirmed.iter().any(|c| c == reason)
    }
}

/// A JSON scalar reduced to what the lenient readers need; containers read as `Other`.
enum Scalar {
    Str(String),
    Bool(bool),
    Num(f64),
    Other,
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        // Copy only the kept prefix: a megabyte-long label costs nothing to hold.
        Ok(Scalar::Str(truncate(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Num(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Num(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Num(v))
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

fn truncate(v: &str) -> String {
    match v.char_indices().nth(MAX_STRING_CHARS) {
        Some((at, _)) => v[..at].to_string(),
        None => v.to_string(),
    }
}

fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match d.deserialize_any(ScalarVisitor)? {
        Scalar::Str(s) => s,
        _ => String::new(),
    })
}

fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(text(d)?).filter(|s| !s.is_empty()))
}

fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match d.deserialize_any(ScalarVisitor)? {
        Scalar::Bool(b) => b,
        Scalar::Num(n) => n != 0.0,
        Scalar::Str(s) => s.eq_ignore_ascii_case("true"),
        Scalar::Other => false,
    })
}

fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(match d.deserialize_any(ScalarVisitor)? {
        Scalar::Num(n) if n.is_finite() && n >= 0.0 => Some(n.min(f64::from(u32::MAX)) as u32),
        Scalar::Str(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Keeps the first `cap` elements of an array and skips the rest without building them;
/// anything that is not an array reads as empty.
struct Capped<T> {
    cap: usize,
    _t: std::marker::PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Capped<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while out.len() < self.cap {
            match seq.next_element::<T>()? {
                Some(v) => out.push(v),
                None => return Ok(out),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(out)
    }
    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
}

fn capped<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
    cap: usize,
) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(Capped {
        cap,
        _t: std::marker::PhantomData,
    })
}

fn fields_capped<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PageField>, D::Error> {
    capped(d, MAX_FIELDS)
}

fn forms_capped<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PageForm>, D::Error> {
    capped(d, MAX_FORMS)
}

fn options_capped<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SelectOption>, D::Error> {
    capped(d, MAX_OPTIONS)
}

/// A list element read leniently as text: anything but a string reads as "".
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        text(d).map(Text)
    }
}

fn texts_capped<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let texts: Vec<Text> = capped(d, MAX_SUBMIT_ACTIONS)?;
    Ok(texts.into_iter().map(|t| t.0).collect())
}
