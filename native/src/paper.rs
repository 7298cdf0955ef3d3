//! generator/printable.py's `for_paper`: a rendered body as its section of a module's print page. The Python
//! reads tags with a regular expression and calls back for each tag with attributes and each attribute, a
//! twentieth of a build's CPU; this reads them the same way in one pass. tests/unit/test_compiled.py compares
//! the two on any tags.

use crate::search::is_space;
use pyo3::prelude::*;
use std::collections::HashMap;

/// Attributes whose values are ids (or lists of ids) in the same page: printable.py's `_ID_REFERENCES`.
const ID_REFERENCES: [&str; 11] = ["id", "for", "headers", "aria-labelledby", "aria-describedby", "aria-controls",
                                   "aria-details", "aria-owns", "aria-flowto", "aria-activedescendant", "aria-errormessage"];

/// A character of an attribute's name: `[^\s"'>/=]`.
fn name_char(c: char) -> bool {
    !matches!(c, '"' | '\'' | '>' | '/' | '=') && !is_space(c)
}

/// The length of the whitespace (`\s*`) at the start of `text`.
fn spaces(text: &str) -> usize {
    text.char_indices().find(|&(_, c)| !is_space(c)).map_or(text.len(), |(at, _)| at)
}

/// One attribute: (the whitespace before it, its name, its double-quoted value if it has one).
type Attribute<'a> = (&'a str, &'a str, Option<&'a str>);

/// The attributes at the start of `text` as printable.py's `_TAG` reads them, `(\s+[^\s"'>/=]+(?:="[^"]*")?)*`,
/// into `found`, and where they end.
fn attributes<'a>(text: &'a str, found: &mut Vec<Attribute<'a>>) -> usize {
    found.clear();
    let mut at = 0;
    loop {
        let space = spaces(&text[at..]);
        let name = text[at + space..].char_indices().find(|&(_, c)| !name_char(c)).map_or(text.len() - at - space, |(n, _)| n);
        if space == 0 || name == 0 {
            return at;
        }
        let start = at + space;
        let mut end = start + name;
        let mut value = None;
        if let Some(rest) = text[end..].strip_prefix("=\"") {
            if let Some(close) = rest.find('"') {
                value = Some(&rest[..close]);
                end += 2 + close + 1;
            }
        }
        found.push((&text[at..start], &text[start..start + name], value));
        at = end;
    }
}

/// A tag `for_paper` may change at the start of `text` (which starts with `<`), as `_TAG` matches it, its
/// attributes put in `found`: (closing, element, the end before `>`, its length); None where it does not match.
fn tag<'a>(text: &'a str, found: &mut Vec<Attribute<'a>>) -> Option<(bool, &'a str, &'a str, usize)> {
    let closing = text[1..].starts_with('/');
    let start = if closing { 2 } else { 1 };
    let rest = &text[start..];
    let bytes = rest.as_bytes();
    // The alternatives in `_TAG`'s order: a heading, `<details>`, then any element followed by whitespace.
    let heading = bytes.len() >= 2 && matches!(bytes[0], b'h' | b'H') && matches!(bytes[1], b'1'..=b'6');
    let details = bytes.len() >= 7 && bytes[..7].eq_ignore_ascii_case(b"details");
    let named = bytes.first().map_or(false, u8::is_ascii_alphabetic).then(|| {
        bytes.iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-').count()
    }).filter(|&name| rest[name..].chars().next().map_or(false, is_space));
    for name in [heading.then(|| 2), details.then(|| 7), named].into_iter().flatten() {
        let length = attributes(&rest[name..], found);
        let after = &rest[name + length..];
        let space = spaces(after);
        let slash = usize::from(after[space..].starts_with('/'));
        if after[space + slash..].starts_with('>') {
            return Some((closing, &rest[..name], &after[..space + slash], start + name + length + space + slash + 1));
        }
    }
    None
}

/// printable.py's `_href`: a link in section `key`, to a section of the print page when its target is there.
fn href(value: &str, key: &str, here: &HashMap<String, String>) -> String {
    let (path, fragment) = value.split_once('#').unwrap_or((value, ""));
    let target = if path.is_empty() { Some(key) } else { here.get(path).map(String::as_str) };
    match target {
        Some(target) if !(path.is_empty() && fragment.is_empty()) => {
            if fragment.is_empty() {
                format!("#lm-print-{}", target)
            } else {
                format!("#{}--{}", target, fragment)
            }
        }
        _ => value.to_string(),
    }
}

/// printable.py's `for_paper`: `<key>--` before the body's ids and in what refers to them, links to the other
/// documents on the page (`here`: {file name: key}) made links to their sections, each heading one level
/// down, and every `<details>` open. Attributes' names are compared as `str.lower()` would have them: those it
/// looks for are ASCII, and no other name lower-cases to one of them.
#[pyfunction]
pub fn for_paper(html: &str, key: &str, here: HashMap<String, String>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(next) = html[at..].find('<') {
        let start = at + next;
        out.push_str(&html[at..start]);
        let (closing, element, end, length) = match tag(&html[start..], &mut found) {
            Some(tag) => tag,
            None => {
                out.push('<');
                at = start + 1;
                continue;
            }
        };
        at = start + length;
        out.push_str(if closing { "</" } else { "<" });
        let level = element.as_bytes();
        if level.len() == 2 && matches!(level[0], b'h' | b'H') && matches!(level[1], b'1'..=b'6') {
            out.push('h');
            out.push(char::from(b'0' + (level[1] - b'0' + 1).min(6)));
        } else {
            out.push_str(element);
        }
        if closing {
            out.push('>');
            continue;
        }
        let mut open = false;
        for (space, name, value) in found.drain(..) {
            out.push_str(space);
            out.push_str(name);
            open |= name.eq_ignore_ascii_case("open");
            let value = match value {
                Some(value) => value,
                None => continue,
            };
            out.push_str("=\"");
            if ID_REFERENCES.iter().any(|each| name.eq_ignore_ascii_case(each)) {
                for (number, part) in value.split(is_space).filter(|part| !part.is_empty()).enumerate() {
                    if number > 0 {
                        out.push(' ');
                    }
                    out.push_str(key);
                    out.push_str("--");
                    out.push_str(part);
                }
            } else if name.eq_ignore_ascii_case("href") {
                out.push_str(&href(value, key, &here));
            } else {
                out.push_str(value);
            }
            out.push('"');
        }
        if element.eq_ignore_ascii_case("details") && !open {
            out.push_str(" open");
        }
        out.push_str(end);
        out.push('>');
    }
    out.push_str(&html[at..]);
    out
}
