//! A page's body written as HTML in Rust: the HTML Learnmark's markdown-it-py parser and renderer make, with the
//! same deferred holes, and what generator/parse.py reads from the tokens (headings, links and images at their
//! lines, words, stray `:::` lines, `:::` containers and blocks), in one pass over the crate's events.
//!
//! It declines (returns None) wherever the two parsers could part: raw HTML, footnotes, definition lists,
//! autolinks, setext headings, a `:::` line in code, and whatever else it cannot reproduce exactly (each
//! `Declined` says why). The page then goes to markdown-it-py, so the output never depends on which parser ran
//! (tests/unit/test_compiled.py compares the two on every page Learnmark ships, a generated course, and pages
//! Hypothesis makes).

use std::collections::HashSet;

use pyo3::prelude::*;

use crate::{dialect, Ev};

/// How deep blocks, and inline markup, may nest here: markdown-it-py stops nesting at its `maxNesting` (20 in
/// the CommonMark preset) and writes what is deeper as text; pulldown-cmark has no such limit.
const NESTING: usize = 16;

/// Why the page goes to markdown-it-py instead: never shown, it only ends the pass.
struct Declined;

type Result<T> = std::result::Result<T, Declined>;

/// A markdown-it-py block token, as far as rendering it needs.
enum Tok {
    /// An opening tag, drawn by markdown-it-py's `renderToken`.
    Open { tag: &'static str, attrs: String, hidden: bool },
    Close { tag: &'static str, hidden: bool },
    /// `<hr />`.
    Rule,
    /// An `inline` token's HTML.
    Inline(String),
    /// A block drawn by a rule of its own (code, a `:::` container, a deferred block).
    Raw(String),
}

impl Tok {
    fn hidden(&self) -> bool {
        matches!(self, Tok::Open { hidden: true, .. } | Tok::Close { hidden: true, .. })
    }
}

/// markdown-it-py's `Renderer.render` over block tokens, with its `renderToken` line feeds.
fn render(toks: &[Tok]) -> String {
    let mut out = String::with_capacity(toks.len() * 40);
    for (i, tok) in toks.iter().enumerate() {
        let after_hidden = i > 0 && toks[i - 1].hidden();
        match tok {
            Tok::Inline(html) | Tok::Raw(html) => out.push_str(html),
            Tok::Open { hidden: true, .. } | Tok::Close { hidden: true, .. } => {}
            Tok::Open { tag, attrs, .. } => {
                if after_hidden {
                    out.push('\n');
                }
                out.push('<');
                out.push_str(tag);
                out.push_str(attrs);
                let feed = match toks.get(i + 1) {
                    Some(Tok::Inline(_)) => false,
                    Some(next) if next.hidden() => false,
                    Some(Tok::Close { tag: closing, .. }) => closing != tag,
                    _ => true,
                };
                out.push_str(if feed { ">\n" } else { ">" });
            }
            Tok::Close { tag, .. } => {
                out.push_str("</");
                out.push_str(tag);
                out.push_str(">\n");
            }
            Tok::Rule => {
                if after_hidden {
                    out.push('\n');
                }
                out.push_str("<hr />\n");
            }
        }
    }
    out
}

/// markdown-it-py's `escapeHtml`. The four characters are ASCII, so never part of another character's bytes:
/// the text between them is copied whole.
fn escape(text: &str, out: &mut String) {
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(entity);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape(text, &mut out);
    out
}

/// Python's `str.isspace`, for the `split()` and `strip()` generator/ does on the same text.
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

fn py_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split(py_space).filter(|w| !w.is_empty()).count();
    }
    // py_space for ASCII: the White_Space characters (tab to carriage return, space) and \x1c to \x1f
    let space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f);
    let mut words = 0;
    let mut in_word = false;
    for byte in text.bytes() {
        let starts = !space(byte) && !in_word;
        words += starts as usize;
        in_word = !space(byte);
    }
    words
}

/// A deferred token, in marker order: generator/compiled/ makes the markdown-it-py token of each.
enum Deferred {
    LinkOpen { href: String, title: String, level: usize },
    LinkClose { level: usize },
    Image { src: String, title: String, alt: String, label: String, classes: String, level: usize },
    Label { name: String },
    /// A quiz, reflection or media block at the top of the page: its first line, and its last (0: unclosed, it
    /// runs to the end of the page). generator/compiled/ has markdown-it-py parse those lines.
    Block { first: usize, last: usize },
}

/// What generator/parse.py's scan records, in the order it records it.
enum Item {
    Heading { level: usize, text: String, id: String, line: usize },
    Link { href: String, line: usize, text: String },
    Image { src: String, line: usize, label: String, deferred: usize },
    /// A paragraph line starting with `:::`.
    Colons { line: usize, text: String },
    Container { name: String, line: usize, closed: bool, info: String },
    Block { deferred: usize },
}

/// The inline token being written.
struct Inline {
    html: String,
    /// Its first line in the file: its links' lines count its line breaks from here.
    line: usize,
    breaks: usize,
    /// Byte range of its source in the marked text.
    start: usize,
    end: usize,
    /// markdown-it-py's inline nesting level (em, strong, link).
    level: usize,
    /// The item and text of the link being written.
    link: Option<(usize, String)>,
    /// How deep in image descriptions the text is, and the outermost image's alt text.
    images: usize,
    alt: String,
    /// The deferred image just closed, whose `{.class}` may follow.
    after_image: Option<usize>,
    /// In a heading: its text as the anchors plugin reads it (text and code, not image descriptions).
    title: Option<String>,
    /// Whether a hidden paragraph was opened for it (a tight list item's text).
    implicit: bool,
    /// Whether the HTML ends with text (markdown-it-py trims spaces there before a line break, and at the end),
    /// and where that run of text starts in the HTML and in the title: trimming stops there.
    last_text: bool,
    run: (usize, usize),
}

struct Writer<'a> {
    marked: &'a str,
    /// What a deferred token's marker has before and after its index (generator/mdplugins/deferred.py's).
    marker: &'a (String, String),
    blocks: &'a [String],
    toks: Vec<Tok>,
    /// The open block tags, innermost last ("container" for a `:::` container).
    open: Vec<&'static str>,
    inline: Option<Inline>,
    deferred: Vec<Deferred>,
    items: Vec<Item>,
    words: usize,
    /// The heading being written: the index of its opening token, and of its item.
    heading: Option<(usize, usize)>,
    /// The ids given so far (mdit-py-plugins' anchors make each unique).
    ids: HashSet<String>,
    /// The code block being written: its content, its language ("" for none) and its source's byte range.
    code: Option<(String, String, usize, usize)>,
    aligns: Vec<char>,
    cell: usize,
}

impl<'a> Writer<'a> {
    fn hole(&mut self, deferred: Deferred) -> String {
        self.deferred.push(deferred);
        format!("{}{}{}", self.marker.0, self.deferred.len() - 1, self.marker.1)
    }

    fn level(&self) -> usize {
        self.open.len()
    }

    fn push_open(&mut self, tag: &'static str, attrs: String, hidden: bool) -> Result<()> {
        if self.open.len() >= NESTING {
            return Err(Declined);
        }
        self.toks.push(Tok::Open { tag, attrs, hidden });
        self.open.push(tag);
        Ok(())
    }

    fn push_close(&mut self, tag: &'static str, hidden: bool) {
        self.toks.push(Tok::Close { tag, hidden });
        self.open.pop();
    }

    /// The inline token text goes into, started if there is none (a tight list item's text has no paragraph).
    fn inline(&mut self, e: &Ev) -> Result<&mut Inline> {
        if self.inline.is_none() {
            let heading = matches!(self.open.last(), Some(&("h1" | "h2" | "h3" | "h4" | "h5" | "h6")));
            let implicit = !heading && !matches!(self.open.last(), Some(&("p" | "th" | "td")));
            if implicit {
                if self.open.last() != Some(&"li") {
                    return Err(Declined);
                }
                self.push_open("p", String::new(), true)?;
            }
            self.inline = Some(Inline {
                html: String::new(), line: e.2, breaks: 0, start: e.8, end: e.9, level: 0, link: None, images: 0,
                alt: String::new(), after_image: None, title: heading.then(String::new), implicit, last_text: false,
                run: (0, 0),
            });
        }
        let inline = self.inline.as_mut().unwrap();
        inline.end = inline.end.max(e.9);
        Ok(inline)
    }

    /// Ends the inline token being written: its HTML, its words and its `:::` lines.
    fn end_inline(&mut self, paragraph: bool) -> Result<()> {
        let mut inline = match self.inline.take() {
            Some(inline) => inline,
            None => {
                if paragraph {
                    self.toks.push(Tok::Inline(String::new()));
                }
                return Ok(());
            }
        };
        if inline.link.is_some() || inline.images > 0 {
            return Err(Declined);
        }
        let source = &self.marked[inline.start..inline.end];
        let para = inline.implicit || self.open.last() == Some(&"p");
        let in_heading = matches!(self.open.last(), Some(&("h1" | "h2" | "h3" | "h4" | "h5" | "h6")));
        let unusual_space = |c: char| py_space(c) && c != ' ' && c != '\t';
        if (para || in_heading) && source.starts_with(unusual_space) {
            return Err(Declined); // markdown-it-py strips any Unicode space there, pulldown-cmark spaces and tabs
        }
        if (para || in_heading) && inline.last_text {
            // markdown-it-py strips a paragraph's or heading's source; pulldown-cmark may keep its last spaces as text.
            let kept = inline.html.trim_end_matches([' ', '\t']).len().max(inline.run.0);
            if source.ends_with([' ', '\t']) {
                inline.html.truncate(kept);
            }
            if inline.html.ends_with(py_space) {
                return Err(Declined); // another space there (U+00A0, or one an entity wrote): markdown-it-py strips it or not
            }
        }
        let quotes = self.open.iter().filter(|tag| **tag == "blockquote").count();
        for (offset, line) in source.split('\n').enumerate() {
            let rest = if offset == 0 { line } else { line.trim_start_matches([' ', '\t', '>']) };
            if offset > 0 && line[..line.len() - rest.len()].matches('>').count() != quotes {
                // more: a quote marker pulldown-cmark 0.9 left in the paragraph ('>' and no space); fewer: a lazy
                // line, which markdown-it-py does not take into a quote holding a ':::' block
                return Err(Declined);
            }
            if para && rest.contains('|') && rest.contains('-') && rest.chars().all(|c| "|:- \t".contains(c)) {
                return Err(Declined); // a table's delimiter row: markdown-it-py lets a table interrupt a paragraph
            }
            if offset > 0 && rest.is_empty() {
                return Err(Declined); // a line of only '>': markdown-it-py may start an empty quote there
            }
            self.words += py_words(rest);
            if para && rest.starts_with(":::") {
                if rest.len() != line.len() {
                    return Err(Declined); // markdown-it-py keeps indentation past the block's own: which is hard to say
                }
                self.items.push(Item::Colons { line: inline.line + offset, text: line.to_string() });
            }
        }
        self.toks.push(Tok::Inline(inline.html));
        if inline.implicit {
            self.push_close("p", true);
        }
        Ok(())
    }

    fn block_event(&mut self) -> Result<()> {
        if self.inline.as_ref().map_or(false, |i| i.implicit) {
            self.end_inline(false)?;
        }
        Ok(())
    }

    fn event(&mut self, e: &Ev, slug: &PyAny) -> Result<()> {
        let (kind, tag) = (e.0, e.1);
        if let Some(code) = self.code.as_mut() {
            match kind {
                "text" => {
                    code.0.push_str(&e.6);
                    code.3 = code.3.max(e.9);
                    return Ok(());
                }
                "close" if tag == "fence" || tag == "code_block" => return self.end_code(tag),
                _ => return Err(Declined),
            }
        }
        match (kind, tag) {
            ("text", _) => self.text(e),
            ("code", _) if e.2 != e.4 => Err(Declined), // a code span over lines: markdown-it-py keeps more indentation
            ("code", _) => {
                let inline = self.inline(e)?;
                inline.after_image = None;
                inline.last_text = false;
                if inline.images > 0 {
                    inline.alt.push_str(&e.6);
                    return Ok(());
                }
                if let Some((_, text)) = inline.link.as_mut() {
                    text.push_str(&e.6);
                }
                if let Some(title) = inline.title.as_mut() {
                    title.push_str(&e.6);
                }
                inline.html.push_str("<code>");
                escape(&e.6, &mut inline.html);
                inline.html.push_str("</code>");
                Ok(())
            }
            ("softbreak" | "hardbreak", _) => {
                let inline = self.inline(e)?;
                inline.after_image = None;
                if kind == "softbreak" && inline.last_text && inline.html.ends_with(' ') {
                    inline.html.pop(); // markdown-it-py's newline rule drops one space before the break
                    if let Some((_, text)) = inline.link.as_mut() {
                        text.pop();
                    }
                }
                inline.last_text = false;
                if inline.images > 0 {
                    inline.alt.push('\n');
                } else {
                    inline.breaks += 1;
                    inline.html.push_str(if kind == "softbreak" { "\n" } else { "<br />\n" });
                }
                Ok(())
            }
            ("open", "em" | "strong") | ("close", "em" | "strong") => {
                let inline = self.inline(e)?;
                inline.after_image = None;
                inline.last_text = false;
                if inline.images == 0 {
                    let open = kind == "open";
                    inline.html.push_str(if open { "<" } else { "</" });
                    inline.html.push_str(tag);
                    inline.html.push('>');
                    if open { inline.level += 1 } else { inline.level -= 1 }
                    if inline.level >= NESTING {
                        return Err(Declined);
                    }
                }
                Ok(())
            }
            ("open", "a") => {
                let inline = self.inline(e)?;
                inline.after_image = None;
                inline.last_text = false;
                if inline.images > 0 {
                    return Ok(());
                }
                let (line, level) = (inline.line + inline.breaks, inline.level);
                inline.level += 1;
                let hole = self.hole(Deferred::LinkOpen { href: e.6.clone(), title: e.7.clone(), level });
                self.items.push(Item::Link { href: e.6.clone(), line, text: String::new() });
                let at = self.items.len() - 1;
                let inline = self.inline.as_mut().unwrap();
                inline.html.push_str(&hole);
                inline.link = Some((at, String::new()));
                Ok(())
            }
            ("close", "a") => {
                let inline = self.inline(e)?;
                inline.last_text = false;
                if inline.images > 0 {
                    return Ok(());
                }
                inline.after_image = None;
                inline.level -= 1;
                let level = inline.level;
                let (at, text) = inline.link.take().ok_or(Declined)?;
                if let Item::Link { text: t, .. } = &mut self.items[at] {
                    *t = text;
                }
                let hole = self.hole(Deferred::LinkClose { level });
                self.inline.as_mut().unwrap().html.push_str(&hole);
                Ok(())
            }
            ("open", "img") => {
                let inline = self.inline(e)?;
                inline.after_image = None;
                inline.last_text = false;
                inline.images += 1;
                if inline.images > 1 {
                    return Ok(());
                }
                inline.alt.clear();
                let line = inline.line + inline.breaks;
                let label = label(&self.marked[e.8..e.9])?;
                self.items.push(Item::Image { src: e.6.clone(), line, label: label.clone(), deferred: 0 });
                Ok(())
            }
            ("close", "img") => {
                let inline = self.inline(e)?;
                inline.last_text = false;
                inline.images -= 1;
                if inline.images > 0 {
                    return Ok(());
                }
                let (alt, level) = (std::mem::take(&mut inline.alt), inline.level);
                let (src, label) = match self.items.last() {
                    Some(Item::Image { src, label, .. }) => (src.clone(), label.clone()),
                    _ => return Err(Declined),
                };
                if let Some((_, text)) = self.inline.as_mut().unwrap().link.as_mut() {
                    text.push_str(&label); // a link's text counts an image's description as written
                }
                let hole = self.hole(Deferred::Image { src, title: e.7.clone(), alt, label, classes: String::new(), level });
                let index = self.deferred.len() - 1;
                if let Some(Item::Image { deferred, .. }) = self.items.last_mut() {
                    *deferred = index;
                }
                let inline = self.inline.as_mut().unwrap();
                inline.html.push_str(&hole);
                inline.after_image = Some(index);
                Ok(())
            }
            ("open", "p") => {
                self.block_event()?;
                self.push_open("p", String::new(), false)?;
                Ok(())
            }
            ("close", "p") => {
                self.end_inline(true)?;
                self.push_close("p", false);
                Ok(())
            }
            ("open", "h1" | "h2" | "h3" | "h4" | "h5" | "h6") => {
                self.block_event()?;
                let line = &self.marked[e.8..e.9];
                let text = atx_content(line)?;
                let level = (tag.as_bytes()[1] - b'0') as usize;
                self.items.push(Item::Heading { level, text, id: String::new(), line: e.2 });
                self.heading = Some((self.toks.len(), self.items.len() - 1));
                self.push_open(tag, String::new(), false)?;
                Ok(())
            }
            ("close", "h1" | "h2" | "h3" | "h4" | "h5" | "h6") => {
                let title = match self.inline.as_ref() {
                    Some(Inline { title: Some(title), last_text, run, .. }) => {
                        // trimmed as end_inline trims the HTML
                        let kept = if *last_text { title.trim_end_matches([' ', '\t']).len().max(run.1) } else { title.len() };
                        title[..kept].to_string()
                    }
                    _ => String::new(),
                };
                self.end_inline(true)?;
                self.push_close(tag, false);
                let (tok, item) = self.heading.take().ok_or(Declined)?;
                let base = match heading_id(&title) {
                    Some(id) => id,
                    None => slug.call1((title,)).and_then(|s| s.extract()).map_err(|_| Declined)?,
                };
                let id = unique(base, &mut self.ids);
                if let Tok::Open { attrs, .. } = &mut self.toks[tok] {
                    *attrs = format!(" id=\"{}\"", escaped(&id));
                }
                if let Item::Heading { id: slot, .. } = &mut self.items[item] {
                    *slot = id;
                }
                Ok(())
            }
            ("open", "blockquote" | "ul" | "ol" | "li") => {
                self.block_event()?;
                let attrs = if tag == "ol" && e.6 != "1" { format!(" start=\"{}\"", e.6) } else { String::new() };
                self.push_open(tag, attrs, false)
            }
            ("close", "blockquote" | "ul" | "ol" | "li") => {
                self.block_event()?;
                self.push_close(tag, false);
                Ok(())
            }
            ("rule", _) => {
                self.block_event()?;
                self.toks.push(Tok::Rule);
                Ok(())
            }
            ("open", "fence" | "code_block") => {
                self.block_event()?;
                let info = if tag == "fence" { fence_info(&e.6)? } else { String::new() };
                self.code = Some((String::new(), info, e.8, e.9));
                Ok(())
            }
            ("open", "table") => {
                self.block_event()?;
                let delimiter = self.marked[e.8..e.9].split('\n').nth(1).unwrap_or("");
                let delimiter = delimiter.trim_start_matches([' ', '\t', '>']).trim_matches(|c| matches!(c, ' ' | '\t' | '|'));
                if !delimiter.split('|').all(|cell| {
                    let cell = cell.trim_matches(|c| matches!(c, ' ' | '\t'));
                    let dashes = cell.trim_start_matches(':').trim_end_matches(':');
                    !dashes.is_empty() && dashes.chars().all(|c| c == '-') && cell.len() - dashes.len() <= 2
                }) {
                    return Err(Declined); // pulldown-cmark 0.9 takes a row of colons for a table's delimiter row
                }
                self.aligns = e.6.chars().collect();
                self.push_open("table", String::new(), false)?;
                Ok(())
            }
            ("open", "thead") => {
                self.push_open("thead", String::new(), false)?;
                self.push_open("tr", String::new(), false)?;
                self.cell = 0;
                Ok(())
            }
            ("close", "thead") => {
                if self.cell != self.aligns.len() || self.cell == 0 {
                    return Err(Declined); // pulldown-cmark 0.9 makes tables of some lines that are none
                }
                self.push_close("tr", false);
                self.push_close("thead", false);
                Ok(())
            }
            ("open", "tr") => {
                if !self.marked[e.8..e.9].contains('|') || starts_block(&self.marked[e.8..e.9]) {
                    return Err(Declined); // markdown-it-py ends a table at a line that starts another block
                }
                if matches!(self.toks.last(), Some(Tok::Close { tag: "thead", .. })) {
                    self.push_open("tbody", String::new(), false)?;
                }
                self.push_open("tr", String::new(), false)?;
                self.cell = 0;
                Ok(())
            }
            ("close", "tr") => {
                if self.cell != self.aligns.len() {
                    return Err(Declined); // a row of another width: markdown-it-py fills or cuts it
                }
                self.push_close("tr", false);
                Ok(())
            }
            ("close", "table") => {
                if matches!(self.toks.last(), Some(Tok::Close { tag: "tr", .. })) {
                    self.push_close("tbody", false);
                }
                self.push_close("table", false);
                Ok(())
            }
            ("open", "th" | "td") => {
                let align = match self.aligns.get(self.cell) {
                    Some('l') => " style=\"text-align:left\"",
                    Some('c') => " style=\"text-align:center\"",
                    Some('r') => " style=\"text-align:right\"",
                    _ => "",
                };
                self.cell += 1;
                if self.marked[e.8..e.9].contains('\\') {
                    return Err(Declined); // an escaped pipe: markdown-it-py splits cells its own way
                }
                self.push_open(tag, align.to_string(), false)?;
                Ok(())
            }
            ("close", "th" | "td") => {
                self.end_inline(true)?;
                self.push_close(tag, false);
                Ok(())
            }
            _ => Err(Declined), // raw HTML, footnotes, definition lists, autolinks, task markers
        }
    }

    fn text(&mut self, e: &Ev) -> Result<()> {
        let inline = self.inline(e)?;
        let mut text = e.6.as_str();
        if let Some(image) = inline.after_image.take() {
            if text.starts_with('{') {
                let (classes, rest) = image_classes(text)?;
                text = rest;
                if let Deferred::Image { classes: slot, .. } = &mut self.deferred[image] {
                    *slot = classes;
                }
                if text.is_empty() {
                    return Ok(());
                }
            }
        }
        let inline = self.inline.as_mut().unwrap();
        if inline.images > 0 {
            inline.alt.push_str(text);
            return Ok(());
        }
        if let Some((_, link)) = inline.link.as_mut() {
            link.push_str(text);
        }
        if !inline.last_text {
            inline.run = (inline.html.len(), inline.title.as_ref().map_or(0, String::len));
        }
        if let Some(title) = inline.title.as_mut() {
            title.push_str(text);
        }
        escape(text, &mut inline.html);
        inline.last_text = true;
        Ok(())
    }

    fn end_code(&mut self, tag: &str) -> Result<()> {
        let (content, info, start, end) = self.code.take().unwrap();
        let mut html = String::with_capacity(content.len() + 40);
        html.push_str("<pre><code");
        if !info.is_empty() {
            html.push_str(" class=\"language-");
            escape(&info, &mut html);
            html.push('"');
        }
        html.push('>');
        escape(&content, &mut html);
        html.push_str("</code></pre>\n");
        self.toks.push(Tok::Raw(html));
        if tag == "fence" {
            let source = &self.marked[start..end];
            let first = source.split('\n').next().unwrap_or("");
            let opening = first.trim_start_matches([' ', '\t', '>']);
            let fence = opening.chars().next().ok_or(Declined)?;
            let markup: String = opening.chars().take_while(|c| *c == fence).collect();
            if !fence_closed(source, &markup) {
                return Err(Declined); // where an unclosed fence ends, the parsers differ (in a quote, say)
            }
        }
        Ok(())
    }

    /// A `:::` container: a callout or expander is drawn here; a quiz, reflection or media block becomes a
    /// deferred token with its lines, which generator/compiled/ has markdown-it-py parse.
    fn container(&mut self, events: &[Ev], at: usize) -> Result<usize> {
        self.block_event()?;
        let e = &events[at];
        let name = e.6.split(py_space).find(|w| !w.is_empty()).unwrap_or("").to_string();
        let closed = e.7 == "closed";
        if self.blocks.iter().any(|b| *b == name) {
            if self.level() > 0 {
                return Err(Declined); // inside a list, quote or callout: its lines carry their markers
            }
            let mut depth = 0;
            for (i, inner) in events.iter().enumerate().skip(at) {
                match (inner.0, inner.1) {
                    ("open", "container") => depth += 1,
                    ("close", "container") => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    let last = if closed { inner.2 } else { 0 };
                    let hole = self.hole(Deferred::Block { first: e.2, last });
                    self.items.push(Item::Block { deferred: self.deferred.len() - 1 });
                    self.toks.push(Tok::Raw(hole));
                    return Ok(i + 1);
                }
            }
            return Err(Declined);
        }
        if self.open.len() >= NESTING {
            return Err(Declined);
        }
        self.items.push(Item::Container { name: name.clone(), line: e.2, closed, info: e.6.clone() });
        let title = container_title(&e.6);
        if !plain(&title) {
            return Err(Declined);
        }
        let html = if name == "details" {
            format!(concat!("<details class=\"details\">\n<summary class=\"details__summary\"><span class=\"details__summary-text\">",
                            "{}</span></summary>\n<div class=\"details__text\">\n"), escaped(&title))
        } else {
            let label = self.hole(Deferred::Label { name: name.clone() });
            let heading = if title.is_empty() {
                label
            } else {
                format!("<span class=\"visually-hidden\">{}: </span>{}", label, escaped(&title))
            };
            format!("<div class=\"callout callout--{}\" role=\"note\">\n<p class=\"callout__title\">{}</p>\n", name, heading)
        };
        self.toks.push(Tok::Raw(html));
        self.open.push(if name == "details" { "details" } else { "container" });
        Ok(at + 1)
    }

    fn container_close(&mut self) -> Result<()> {
        self.block_event()?;
        let html = match self.open.pop() {
            Some("details") => "</div>\n</details>\n",
            Some("container") => "</div>\n",
            _ => return Err(Declined),
        };
        self.toks.push(Tok::Raw(html.to_string()));
        Ok(())
    }
}

/// Whether a line could start a block other than a paragraph (a list item, quote, heading, fence, `:::` block,
/// indented code), as markdown-it-py's table rule asks of each row.
fn starts_block(line: &str) -> bool {
    let rest = line.trim_start_matches([' ', '\t']);
    let indent = line.len() - rest.len();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = if digits > 0 { &rest[digits..] } else { rest };
    let list = (digits > 0 && marker.starts_with(['.', ')'])) || (digits == 0 && marker.starts_with(['-', '*', '+']));
    let after = if list { &marker[1..] } else { "" };
    indent >= 4 || line.contains('\t') || rest.starts_with(['>', '#']) || rest.starts_with("```") || rest.starts_with("~~~")
        || rest.starts_with(":::") || (list && (after.is_empty() || after.starts_with([' ', '\t', '\n'])))
}

/// A `:::` line's title: the text after the name (generator/mdplugins/callouts.py's `container_title`).
fn container_title(info: &str) -> String {
    let info = info.trim_matches(py_space);
    match info.find(py_space) {
        Some(at) => info[at..].trim_matches(py_space).to_string(),
        None => String::new(),
    }
}

/// Text markdown-it-py's inline parser leaves as it is, so its HTML is the text escaped.
fn plain(text: &str) -> bool {
    !text.chars().any(|c| matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '<' | '>' | '&' | '~' | '\u{E000}'..='\u{F8FF}'))
}

/// markdown-it-py's heading content: the line after its `#`s, without a closing run of `#`s.
fn atx_content(source: &str) -> Result<String> {
    let line = source.split('\n').next().unwrap_or("");
    let line = line.trim_start_matches(' ');
    let hashes = line.len() - line.trim_start_matches('#').len();
    if hashes == 0 || hashes > 6 {
        return Err(Declined); // a setext heading
    }
    let rest = &line[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return Err(Declined); // "#1" underlined: a setext heading whose text starts with '#'
    }
    let mut end = rest.trim_end_matches([' ', '\t']).len();
    let before = rest[..end].trim_end_matches('#').len();
    if before < end && (before == 0 || rest[..before].ends_with([' ', '\t'])) {
        end = before;
    }
    Ok(rest[..end].trim_matches(py_space).to_string())
}

/// A code fence's language, as markdown-it-py's fence rule takes it; declined where it would unescape it.
fn fence_info(info: &str) -> Result<String> {
    if info.contains(['\\', '&']) {
        return Err(Declined);
    }
    Ok(info.split([' ', '\t', '\n', '\r', '\x0c', '\x0b']).find(|w| !w.is_empty()).unwrap_or("").to_string())
}

/// generator/parse.py's `_fence_closed`: whether the code block's last line is a fence closing it.
fn fence_closed(source: &str, markup: &str) -> bool {
    let source = source.strip_suffix('\n').unwrap_or(source);
    let lines: Vec<&str> = source.split('\n').collect();
    if lines.len() < 2 {
        return false;
    }
    let closing = lines[lines.len() - 1].trim_start_matches([' ', '\t', '>']);
    let fence = markup.chars().next().unwrap_or('`');
    let run = closing.chars().take_while(|c| *c == fence).count();
    run >= markup.chars().count() && closing[run * fence.len_utf8()..].trim_matches(py_space).is_empty()
}

/// An image's description as written (markdown-it-py keeps it as the image token's content).
fn label(source: &str) -> Result<String> {
    let inner = source.strip_prefix("![").ok_or(Declined)?;
    let mut depth = 0;
    for (at, c) in inner.char_indices() {
        match c {
            '\\' | '`' | '<' => return Err(Declined),
            '[' => depth += 1,
            ']' if depth == 0 => return Ok(inner[..at].to_string()),
            ']' => depth -= 1,
            _ => {}
        }
    }
    Err(Declined)
}

/// `{.a .b}` right after an image (mdit-py-plugins' attrs, of which Learnmark keeps classes): the classes and the
/// text after the braces; declined for anything but classes.
fn image_classes(text: &str) -> Result<(String, &str)> {
    let end = text.find('}').ok_or(Declined)?;
    let words: Vec<&str> = text[1..end].split([' ', '\t']).filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Err(Declined);
    }
    let mut classes = Vec::new();
    for word in words {
        let name = word.strip_prefix('.').ok_or(Declined)?;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(Declined);
        }
        classes.push(name);
    }
    Ok((classes.join(" "), &text[end + 1..]))
}

/// generator/markdown.py's `heading_id` of an ASCII title, without a call into Python for each of a course's
/// thousands of headings; None for any other title, which `page`'s `slug` makes. As mdit-py-plugins' `slugify`:
/// lower case, spaces to hyphens, and only `\w` (for ASCII: letters, digits, `_`) and `-` kept; then "section"
/// for nothing left, and `-section` after an id the page itself uses (`_RESERVED_ID`).
/// tests/unit/test_compiled.py compares the two on any ASCII text.
#[pyfunction]
pub fn heading_id(title: &str) -> Option<String> {
    if !title.is_ascii() {
        return None;
    }
    let slug: String = title.chars().filter_map(|c| match c {
        ' ' => Some('-'),
        c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => Some(c.to_ascii_lowercase()),
        _ => None,
    }).collect();
    let numbered = |prefix: &str| {
        slug.strip_prefix(prefix).map_or(false, |n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let reserved = matches!(slug.as_str(), "main" | "modules") || slug.starts_with("lm-") || slug.starts_with("quiz-")
        || slug.starts_with("reflection-") || numbered("fn") || numbered("fnref"); // no `:`: slugify drops it
    Some(match slug.as_str() {
        "" => "section".to_string(),
        _ if reserved => slug + "-section",
        _ => slug,
    })
}

/// mdit-py-plugins' `unique_slug`.
fn unique(slug: String, taken: &mut HashSet<String>) -> String {
    let mut candidate = slug.clone();
    let mut i = 1;
    while taken.contains(&candidate) {
        candidate = format!("{}-{}", slug, i);
        i += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// Learnmark's page body (`text`, starting on line `first_line` of its file) as HTML with deferred holes
/// (`marker`: what goes before and after each one's index), or None where markdown-it-py must parse it. `names` are the `:::` names, `blocks` those
/// that become deferred tokens, `slug` makes a heading's id from its text. Returns (html, deferred, items,
/// words); see generator/compiled/page.py for the tuples.
#[pyfunction]
pub fn page(py: Python, text: &str, first_line: usize, names: Vec<String>, blocks: Vec<String>,
            marker: (String, String), slug: &PyAny) -> PyResult<PyObject> {
    // A definition list anywhere (a definition's `:` or `~` may stand deeper in a list than the dialect reads
    // definitions): markdown-it-py's deflist plugin writes those.
    let definitions = text.split('\n').any(|line| {
        let rest = line.trim_start_matches([' ', '\t', '>', '-', '*', '+']);
        (rest.starts_with(':') || rest.starts_with('~')) && rest[1..].starts_with([' ', '\t'])
    });
    // An empty list item ("1." or "-" alone): pulldown-cmark 0.9 lets it interrupt a paragraph, CommonMark not.
    let empty_item = text.split('\n').any(|line| {
        let rest = line.trim_matches(|c| matches!(c, ' ' | '\t' | '>'));
        let number = rest.trim_end_matches(['.', ')']);
        matches!(rest, "-" | "*" | "+") || (number.len() + 1 == rest.len() && !number.is_empty()
                                            && number.chars().all(|c| c.is_ascii_digit()))
    });
    // An emphasis marker beside a non-ASCII symbol or punctuation mark (an emoji, '£', '–'): CommonMark 0.31
    // counts symbols as punctuation when it decides what a `*` or `_` opens or closes, pulldown-cmark 0.9 (0.30)
    // does not.
    let symbol = |c: Option<char>| c.map_or(false, |c| !c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace());
    let beside_symbol = text.bytes().enumerate().any(|(at, byte)| {
        matches!(byte, b'*' | b'_') && (symbol(text[..at].chars().next_back()) || symbol(text[at + 1..].chars().next()))
    });
    if definitions || empty_item || beside_symbol {
        return Ok(py.None());
    }
    let flags = (pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_FOOTNOTES).bits();
    let d = dialect(text, first_line, flags, &names);
    if d.ambiguous || d.definitions {
        return Ok(py.None());
    }
    // The front matter's token is hidden: the first block after it starts on a new line, as renderToken writes it.
    let mut toks = Vec::with_capacity(d.events.len() / 2);
    toks.push(Tok::Close { tag: "", hidden: true });
    let mut w = Writer {
        marked: &d.marked, marker: &marker, blocks: &blocks, toks, open: Vec::new(),
        inline: None, deferred: Vec::new(), items: Vec::new(), words: 0, heading: None, ids: HashSet::new(),
        code: None, aligns: Vec::new(), cell: 0,
    };
    let mut at = 0;
    while at < d.events.len() {
        let e = &d.events[at];
        let step = match (e.0, e.1) {
            ("open", "container") => w.container(&d.events, at),
            ("close", "container") => w.container_close().map(|_| at + 1),
            _ => w.event(e, slug).map(|_| at + 1),
        };
        match step {
            Ok(next) => at = next,
            Err(Declined) => return Ok(py.None()),
        }
    }
    if w.end_inline(false).is_err() || w.code.is_some() || !w.open.is_empty() {
        return Ok(py.None());
    }
    let html = render(&w.toks);
    let deferred: Vec<PyObject> = w.deferred.iter().map(|d| match d {
        Deferred::LinkOpen { href, title, level } => ("link_open", href.as_str(), title.as_str(), *level).into_py(py),
        Deferred::LinkClose { level } => ("link_close", *level).into_py(py),
        Deferred::Image { src, title, alt, label, classes, level } => {
            ("image", src.as_str(), title.as_str(), alt.as_str(), label.as_str(), classes.as_str(), *level).into_py(py)
        }
        Deferred::Label { name } => ("label", name.as_str()).into_py(py),
        Deferred::Block { first, last } => ("block", *first, *last).into_py(py),
    }).collect();
    let items: Vec<PyObject> = w.items.iter().map(|item| match item {
        Item::Heading { level, text, id, line } => ("heading", *level, text.as_str(), id.as_str(), *line).into_py(py),
        Item::Link { href, line, text } => ("link", href.as_str(), *line, text.as_str()).into_py(py),
        Item::Image { src, line, label, deferred } => ("image", src.as_str(), *line, label.as_str(), *deferred).into_py(py),
        Item::Colons { line, text } => ("colons", *line, text.as_str()).into_py(py),
        Item::Container { name, line, closed, info } => ("container", name.as_str(), *line, *closed, info.as_str()).into_py(py),
        Item::Block { deferred } => ("block", *deferred).into_py(py),
    }).collect();
    Ok((html, deferred, items, w.words).into_py(py))
}
