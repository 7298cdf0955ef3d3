//! Issue 18's parser prototype (bench only): pulldown-cmark's events for one page, flattened into
//! Python tuples that carry source lines and columns, because every error Learnmark reports is at
//! `file:line:col` and pulldown-cmark only gives byte offsets.

use pulldown_cmark::{html, Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag};
use pyo3::prelude::*;

/// One event: (kind, tag, line, col, end_line, end_col, a, b). `kind` is "open", "close", "text",
/// "code", "html", "softbreak", "hardbreak", "rule", "footnote_ref" or "task"; `a` and `b` carry
/// what the tag needs (a link's href and title, a heading's id and classes, a code block's info,
/// an ordered list's start, a table's alignments, a footnote's label) or the text.
type PyEvent = (&'static str, &'static str, usize, usize, usize, usize, String, String);

/// Byte offsets to 1-based lines and columns (columns count characters, as an editor does).
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts, first_line }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let index = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[index];
        let col = self.text[start..offset].chars().count() + 1;
        (index + self.first_line, col)
    }
}

fn level(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

/// The HTML-ish name of a tag and its two attributes.
fn describe(tag: Tag) -> (&'static str, String, String) {
    let none = String::new;
    match tag {
        Tag::Paragraph => ("p", none(), none()),
        Tag::Heading(l, id, classes) => (level(l), id.unwrap_or("").to_string(), classes.join(" ")),
        Tag::BlockQuote => ("blockquote", none(), none()),
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => ("fence", info.to_string(), none()),
        Tag::CodeBlock(CodeBlockKind::Indented) => ("code_block", none(), none()),
        Tag::List(Some(start)) => ("ol", start.to_string(), none()),
        Tag::List(None) => ("ul", none(), none()),
        Tag::Item => ("li", none(), none()),
        Tag::FootnoteDefinition(label) => ("footnote", label.to_string(), none()),
        Tag::Table(aligns) => {
            let a = aligns
                .iter()
                .map(|a| match a {
                    Alignment::None => '-',
                    Alignment::Left => 'l',
                    Alignment::Center => 'c',
                    Alignment::Right => 'r',
                })
                .collect();
            ("table", a, none())
        }
        Tag::TableHead => ("thead", none(), none()),
        Tag::TableRow => ("tr", none(), none()),
        Tag::TableCell => ("td", none(), none()),
        Tag::Emphasis => ("em", none(), none()),
        Tag::Strong => ("strong", none(), none()),
        Tag::Strikethrough => ("s", none(), none()),
        Tag::Link(_, href, title) => ("a", href.to_string(), title.to_string()),
        Tag::Image(_, src, title) => ("img", src.to_string(), title.to_string()),
    }
}

/// Parse one page (its body: `first_line` is the line the body starts on in its file) with
/// pulldown-cmark's option bits `flags` into a flat list of events with their source positions.
#[pyfunction]
fn events(text: &str, first_line: usize, flags: u32) -> Vec<PyEvent> {
    let lines = Lines::new(text, first_line);
    let parser = Parser::new_ext(text, Options::from_bits_truncate(flags));
    let mut in_head = false; // pulldown-cmark names header cells and body cells alike
    parser
        .into_offset_iter()
        .map(|(event, range)| {
            let (line, col) = lines.at(range.start);
            // The end is the last character's, not the start of the line after it.
            let mut end = range.end;
            while end > range.start && text.as_bytes()[end - 1] == b'\n' {
                end -= 1;
            }
            let (end_line, end_col) = lines.at(end);
            let none = String::new;
            let (kind, tag, a, b) = match event {
                Event::Start(tag) => {
                    let (name, a, b) = describe(tag);
                    in_head |= name == "thead";
                    ("open", if in_head && name == "td" { "th" } else { name }, a, b)
                }
                Event::End(tag) => {
                    let name = describe(tag).0;
                    in_head &= name != "thead";
                    ("close", if in_head && name == "td" { "th" } else { name }, none(), none())
                }
                Event::Text(t) => ("text", "", t.to_string(), none()),
                Event::Code(t) => ("code", "", t.to_string(), none()),
                Event::Html(t) => ("html", "", t.to_string(), none()),
                Event::FootnoteReference(label) => ("footnote_ref", "", label.to_string(), none()),
                Event::SoftBreak => ("softbreak", "", none(), none()),
                Event::HardBreak => ("hardbreak", "", none(), none()),
                Event::Rule => ("rule", "hr", none(), none()),
                Event::TaskListMarker(done) => ("task", "", if done { "x" } else { "" }.to_string(), none()),
            };
            (kind, tag, line, col, end_line, end_col, a, b)
        })
        .collect()
}

/// Parse and render one page with pulldown-cmark's own HTML writer.
#[pyfunction]
fn render(text: &str, flags: u32) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(text, Options::from_bits_truncate(flags)));
    out
}

#[pymodule]
fn rustparse(_py: Python, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(events, m)?)?;
    m.add_function(wrap_pyfunction!(render, m)?)?;
    m.add("TABLES", Options::ENABLE_TABLES.bits())?;
    m.add("FOOTNOTES", Options::ENABLE_FOOTNOTES.bits())?;
    m.add("STRIKETHROUGH", Options::ENABLE_STRIKETHROUGH.bits())?;
    m.add("SMART_PUNCTUATION", Options::ENABLE_SMART_PUNCTUATION.bits())?;
    m.add("HEADING_ATTRIBUTES", Options::ENABLE_HEADING_ATTRIBUTES.bits())?;
    Ok(())
}
