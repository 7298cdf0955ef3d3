//! The search index's words (generator/search.py): a page's plain text and its words' weights, as the Python
//! there makes them, without a regular expression's pass and a Python string for every word. Making them was a
//! tenth of a build's CPU; these take a fifth of that.
//!
//! Characters beyond ASCII are classed and lower-cased by CPython's own functions (what `str.lower`, `str.split`
//! and `re`'s `\w` call), so the two agree on any text; tests/unit/test_compiled.py compares them.

use pyo3::prelude::*;
use pyo3::AsPyPointer;
use pyo3::types::{PyDict, PyString};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::os::raw::c_int;

extern "C" {
    fn _PyUnicode_IsAlpha(ch: u32) -> c_int;
    fn _PyUnicode_IsDecimalDigit(ch: u32) -> c_int;
    fn _PyUnicode_IsDigit(ch: u32) -> c_int;
    fn _PyUnicode_IsNumeric(ch: u32) -> c_int;
    fn _PyUnicode_IsWhitespace(ch: u32) -> c_int;
    fn _PyUnicode_ToLowerFull(ch: u32, res: *mut u32) -> c_int;
}

const ENTITIES: [(&str, char); 7] =
    [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#x27;", '\''), ("&#39;", '\''), ("&nbsp;", ' ')];

/// `str.split()`'s whitespace.
pub(crate) fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1f')
    } else {
        unsafe { _PyUnicode_IsWhitespace(c as u32) != 0 }
    }
}

/// `re`'s `\w` but `_` (search.py's `words` splits at it): `str.isalnum()`.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let ch = c as u32;
    unsafe {
        _PyUnicode_IsAlpha(ch) != 0 || _PyUnicode_IsDecimalDigit(ch) != 0 || _PyUnicode_IsDigit(ch) != 0
            || _PyUnicode_IsNumeric(ch) != 0
    }
}

/// The length of a deferred marker (`open`, 2 * `hex` lower-case hex digits, `-`, 1 to 9 digits, `close`) at
/// the start of `rest`, as generator/mdplugins/deferred.py's `MARKER` matches it.
fn marker(rest: &str, open: char, hex: usize, close: char) -> Option<usize> {
    let body = rest.strip_prefix(open)?;
    let bytes = body.as_bytes();
    if bytes.len() <= hex || !bytes[..hex].iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) || bytes[hex] != b'-' {
        return None;
    }
    let digits = bytes[hex + 1..].iter().take(10).take_while(|b| b.is_ascii_digit()).count();
    let end = hex + 1 + digits;
    ((1..=9).contains(&digits) && body[end..].starts_with(close)).then(|| open.len_utf8() + end + close.len_utf8())
}

/// search.py's `plain_text`: markers and tags become spaces, the entities Learnmark's HTML holds are decoded,
/// and runs of whitespace become one space, none at either end. `marker_shape`: (open, hex digits, close).
#[pyfunction]
pub fn plain_text(html: &str, marker_shape: (char, usize, char)) -> String {
    let (open, hex, close) = marker_shape;
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut space = false;
    let mut tags = true; // false once a `<` has no `>` after it: nor has any later one
    let mut at = 0;
    while at < bytes.len() {
        // A run of ASCII letters, digits and punctuation but `<` and `&`: most of the text, copied whole.
        let run = bytes[at..].iter().take_while(|&&b| b > b' ' && b < 0x7f && b != b'<' && b != b'&').count();
        if run > 0 {
            if space {
                out.push(' ');
                space = false;
            }
            out.push_str(&html[at..at + run]);
            at += run;
            continue;
        }
        let rest = &html[at..];
        let c = rest.chars().next().unwrap_or(' ');
        let (text, skip) = if c == '<' && tags {
            match rest[1..].find('>') {
                Some(end) => (' ', end + 2),
                None => {
                    tags = false;
                    ('<', 1)
                }
            }
        } else if c == open {
            marker(rest, open, hex, close).map_or((c, c.len_utf8()), |length| (' ', length))
        } else if c == '&' {
            ENTITIES.iter().find(|(name, _)| rest.starts_with(name)).map_or(('&', 1), |(name, by)| (*by, name.len()))
        } else {
            (c, c.len_utf8())
        };
        if is_space(text) {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(text);
        }
        at += skip;
    }
    out
}

/// FNV-1a: a page's few hundred words are hashed a few times each; SipHash's guard against chosen keys is not
/// needed for counting them.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf29ce484222325 } else { self.0 };
        for byte in bytes {
            hash = (hash ^ *byte as u64).wrapping_mul(0x100000001b3);
        }
        self.0 = hash;
    }
}

/// `str.lower()` of `text`; None for a text with a capital sigma, which `str.lower` writes by its context.
fn lower(text: &str) -> Option<String> {
    if text.is_ascii() {
        return Some(text.to_ascii_lowercase());
    }
    let mut lowered = String::with_capacity(text.len());
    let mut mapped = [0u32; 3];
    for c in text.chars() {
        if c.is_ascii() {
            lowered.push(c.to_ascii_lowercase());
        } else if c == '\u{3a3}' {
            return None;
        } else {
            let count = unsafe { _PyUnicode_ToLowerFull(c as u32, mapped.as_mut_ptr()) } as usize;
            lowered.extend(mapped[..count.min(3)].iter().map(|&each| char::from_u32(each).unwrap_or(' ')));
        }
    }
    Some(lowered)
}

/// search.py's `stem`: `word` with the suffix of the first rule (suffix, replacement, shortest stem left) that
/// fits replaced. Lengths are in characters, as Python counts them.
fn stem<'a>(word: &'a str, rules: &[(&str, &str, usize)]) -> Cow<'a, str> {
    let length = |text: &str| if text.is_ascii() { text.len() } else { text.chars().count() };
    let last = word.as_bytes().last();
    for (suffix, replacement, shortest) in rules {
        // The last byte first: most rules do not fit, and that is quicker to see than `ends_with`'s comparison.
        if suffix.as_bytes().last().map_or(false, |byte| Some(byte) != last) {
            continue;
        }
        if word.ends_with(suffix) && length(word) - length(suffix) >= *shortest {
            if replacement == suffix {
                break;
            }
            return Cow::Owned(format!("{}{}", &word[..word.len() - suffix.len()], replacement));
        }
    }
    Cow::Borrowed(word)
}

/// Words in the order first found, each with the sum of its weights.
struct Summed<'a> {
    at: HashMap<&'a str, usize, BuildHasherDefault<Fnv>>,
    order: Vec<(&'a str, u64)>,
}

impl<'a> Summed<'a> {
    fn add(&mut self, word: &'a str, weight: u64) {
        match self.at.get(word) {
            Some(&at) => self.order[at].1 += weight,
            None => {
                self.at.insert(word, self.order.len());
                self.order.push((word, weight));
            }
        }
    }
}

/// Each word's term (its stem, interned) under the rules it was stemmed by: a course says the same words on
/// page after page, and making a term (stemmed, a str made and interned) took as long as counting the words.
struct Terms {
    rules: Vec<(String, String, usize)>,
    of: HashMap<String, Py<PyString>, BuildHasherDefault<Fnv>>,
}

/// A long preview session's words, beyond which they are forgotten.
const MOST_TERMS: usize = 200_000;

thread_local! {
    static TERMS: RefCell<Terms> = RefCell::new(Terms { rules: Vec::new(), of: HashMap::default() });
}

impl Terms {
    fn term(&mut self, py: Python, word: &str, rules: &[(&str, &str, usize)]) -> Py<PyString> {
        if let Some(term) = self.of.get(word) {
            return term.clone_ref(py);
        }
        if self.of.len() >= MOST_TERMS {
            self.of.clear();
        }
        let mut term = PyString::new(py, &stem(word, rules)).into_ptr();
        // SAFETY: `term` is a new reference to a str, which PyUnicode_InternInPlace takes and may replace.
        let term: Py<PyString> = unsafe {
            pyo3::ffi::PyUnicode_InternInPlace(&mut term);
            Py::from_owned_ptr(py, term)
        };
        self.of.insert(word.to_string(), term.clone_ref(py));
        term
    }
}

/// search.py's `stemmed_weights`: the `words` of each part, stemmed by `rules` (see `stem`), each given its
/// part's weight and a term's weights added up, `{term: weight}` in the order the terms first come, the terms
/// interned. None for a text with a capital sigma (see `lower`): search.py counts those.
#[pyfunction]
pub fn stemmed_weights(py: Python, parts: Vec<(&str, u64)>, rules: Vec<(&str, &str, usize)>) -> Option<PyObject> {
    let lowered = parts.iter().map(|(text, weight)| Some((lower(text)?, *weight))).collect::<Option<Vec<_>>>()?;
    let mut words = Summed { at: HashMap::with_capacity_and_hasher(512, Default::default()), order: Vec::with_capacity(512) };
    for (text, weight) in &lowered {
        for word in text.split(|c: char| !is_word(c)).filter(|word| !word.is_empty()) {
            words.add(word, *weight);
        }
    }
    // Terms in the order first found, by their interned str: words with the same stem have the same one.
    let mut at: HashMap<*mut pyo3::ffi::PyObject, usize, BuildHasherDefault<Fnv>> =
        HashMap::with_capacity_and_hasher(words.order.len(), Default::default());
    let mut terms: Vec<(Py<PyString>, u64)> = Vec::with_capacity(words.order.len());
    TERMS.with(|memo| {
        let mut memo = memo.borrow_mut();
        if !memo.rules.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), *c)).eq(rules.iter().copied()) {
            let owned = rules.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), *c)).collect();
            *memo = Terms { rules: owned, of: HashMap::default() };
        }
        for (word, weight) in words.order {
            let term = memo.term(py, word, &rules);
            match at.get(&term.as_ptr()) {
                Some(&found) => terms[found].1 += weight,
                None => {
                    at.insert(term.as_ptr(), terms.len());
                    terms.push((term, weight));
                }
            }
        }
    });
    let weights = PyDict::new(py);
    for (term, weight) in terms {
        weights.set_item(term, weight).ok()?;
    }
    Some(weights.into_py(py))
}
