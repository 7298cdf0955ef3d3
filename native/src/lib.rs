//! Issue 18's parser prototype (bench only): pulldown-cmark's events for one page, flattened into
//! Python tuples that carry source lines and columns, because every error Learnmark reports is at
//! `file:line:col` and pulldown-cmark only gives byte offsets.

use pulldown_cmark::{html, Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag};

mod body;
mod paper;
mod search;
use pyo3::prelude::*;

/// One event: (kind, tag, line, col, end_line, end_col, a, b). `kind` is "open", "close", "text",
/// "code", "html", "softbreak", "hardbreak", "rule", "footnote_ref" or "task"; `a` and `b` carry
/// what the tag needs (a link's href and title, a heading's id and classes, a code block's info,
/// an ordered list's start, a table's alignments, a footnote's label) or the text.
type PyEvent = (&'static str, &'static str, usize, usize, usize, usize, String, String);

/// A PyEvent and its byte range (start, end) in the text pulldown-cmark parsed; an event the dialect adds
/// (a container's open and close, a `dl`) has the range of the event it stands at.
pub(crate) type Ev = (&'static str, &'static str, usize, usize, usize, usize, String, String, usize, usize);

/// Byte offsets to 1-based lines and columns (columns count characters, as an editor does), in the
/// author's text: a column after a marker the pre-pass inserted is moved back by the marker's length.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Per line: whether it is ASCII, so a column is its byte offset (most lines; counting characters was a
    /// tenth of the crate's time).
    ascii: Vec<bool>,
    first_line: usize,
    inserted: Vec<Option<usize>>, // per line: the byte offset in `text` where MARK was inserted
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize, inserted: Vec<Option<usize>>) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii = starts.iter().enumerate()
            .map(|(i, &start)| text.as_bytes()[start..starts.get(i + 1).copied().unwrap_or(text.len())].is_ascii())
            .collect();
        Lines { text, starts, ascii, first_line, inserted }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let index = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[index];
        if self.ascii[index] {
            return (index + self.first_line, offset - start + 1); // no marker: MARK is not ASCII
        }
        let mut col = self.text[start..offset].chars().count() + 1;
        if let Some(Some(at)) = self.inserted.get(index) {
            if offset >= at + MARK.len() {
                col -= MARK.chars().count();
            } else if offset > *at {
                col = self.text[start..*at].chars().count() + 1;
            }
        }
        (index + self.first_line, col)
    }
}

/// What the pre-pass puts before a `:::` line: an ATX heading is a one-line block that interrupts a
/// paragraph and never takes the next line, so pulldown-cmark ends the blocks around it as markdown-it-py's
/// container rule does; the private-use character tells it from an author's heading. Wherever the line
/// ends up as text instead (in a code block), the marker is taken out again.
const MARK: &str = "###### \u{E000}";

/// A `:::` line: its marker count, and the text after the markers (markdown-it-py's `token.info`).
struct Fence {
    colons: usize,
    info: String,
}

/// Whether a line starts a definition (`: text` or `~ text`, as mdit-py-plugins' deflist reads it).
fn is_definition(rest: &str) -> bool {
    let mut chars = rest.chars();
    matches!(chars.next(), Some(':' | '~'))
        && matches!(chars.next(), Some(' ' | '\t'))
        && !rest[1..].trim().is_empty()
}

/// The pre-pass. Puts MARK before every line whose first character after spaces, tabs and `>` is a `:::`
/// run followed by one of `names`, or by nothing after such a line (a line with another name, or a closing
/// one with no opening one before it, stays paragraph text, as in markdown-it-py; one in fenced code stays
/// code, where markdown-it-py would end the block there and leave the fence unclosed). Turns a
/// definition's `:` or `~` (after a term line, or a term line and one blank line) into a `-`, so that
/// pulldown-cmark reads the definitions as a list item whose content starts where the definition's does.
/// Every line stays where it was. Returns the new text, where each line's marker went,
/// each `:::` line's fence, each definition line's original marker, and whether a `:::` line stands in fenced
/// code (markdown-it-py's container rule looks for its closing line before it knows where code is, so it may
/// end a block inside the code; this pass only follows fences roughly, so it says so for any code).
#[allow(clippy::type_complexity)]
fn mark_lines(text: &str, names: &[String]) -> (String, Vec<Option<usize>>, Vec<Option<Fence>>, Vec<Option<char>>, bool) {
    let mut out = String::with_capacity(text.len() + 256);
    let mut ambiguous = false; // a `:::` line in code: markdown-it-py may end a block there
    let (mut inserted, mut fences, mut definitions) = (Vec::new(), Vec::new(), Vec::new());
    let mut blank = (true, true); // whether the line before, and the one before that, were blank
    let mut pending = 0; // openers marked so far less closers: a closer with none before it stays text
    let mut code: Option<(char, usize)> = None; // the fenced code the line is in: its fence's character, length
    for line in text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
        let rest = &line[lead..];
        let colons = rest.len() - rest.trim_start_matches(':').len();
        let name = rest[colons..].split_whitespace().next().unwrap_or("");
        let known = colons >= 3 && if name.is_empty() { pending > 0 } else { names.iter().any(|n| n == name) };
        let after_term = !blank.0 || !blank.1;
        let fence_char = rest.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map_or(0, |c| rest.len() - rest.trim_start_matches(c).len());
        match (code, fence_char) {
            (None, Some(c)) if run >= 3 && lead <= 3 => code = Some((c, run)),
            (Some((open, length)), Some(c)) if c == open && run >= length && rest[run..].trim().is_empty() => code = None,
            _ => {}
        }
        ambiguous |= colons >= 3 && code.is_some();
        let known = known && code.is_none();
        blank = (line.trim().is_empty(), blank.0);
        fences.push(None);
        inserted.push(None);
        definitions.push(None);
        if colons < 3 && lead <= 3 && after_term && code.is_none() && is_definition(rest) {
            *definitions.last_mut().unwrap() = rest.chars().next();
            out.push_str(&line[..lead]);
            out.push('-');
            out.push_str(&rest[1..]);
        } else if known {
            pending += if name.is_empty() { -1 } else { 1 };
            *inserted.last_mut().unwrap() = Some(out.len() + lead);
            out.push_str(&line[..lead]);
            out.push_str(MARK);
            out.push_str(rest);
            let info = rest[colons..].trim_end_matches(['\n', '\r']).to_string();
            *fences.last_mut().unwrap() = Some(Fence { colons, info });
        } else {
            out.push_str(line);
        }
    }
    (out, inserted, fences, definitions, ambiguous)
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
        Tag::Link(LinkType::Autolink | LinkType::Email, href, title) => ("autolink", href.to_string(), title.to_string()),
        Tag::Link(_, href, title) => ("a", href.to_string(), title.to_string()),
        Tag::Image(_, src, title) => ("img", src.to_string(), title.to_string()),
    }
}

/// A pulldown-cmark event as (kind, tag, a, b) of a PyEvent.
fn convert(event: Event, in_head: &mut bool) -> (&'static str, &'static str, String, String) {
    let none = String::new;
    match event {
        Event::Start(tag) => {
            let (name, a, b) = describe(tag);
            *in_head |= name == "thead"; // pulldown-cmark names header cells and body cells alike
            ("open", if *in_head && name == "td" { "th" } else { name }, a, b)
        }
        Event::End(tag) => {
            let name = describe(tag).0;
            *in_head &= name != "thead";
            ("close", if *in_head && name == "td" { "th" } else { name }, none(), none())
        }
        Event::Text(t) => ("text", "", t.to_string(), none()),
        Event::Code(t) => ("code", "", t.to_string(), none()),
        Event::Html(t) => ("html", "", t.to_string(), none()),
        Event::FootnoteReference(label) => ("footnote_ref", "", label.to_string(), none()),
        Event::SoftBreak => ("softbreak", "", none(), none()),
        Event::HardBreak => ("hardbreak", "", none(), none()),
        Event::Rule => ("rule", "hr", none(), none()),
        Event::TaskListMarker(done) => ("task", "", if done { "x" } else { "" }.to_string(), none()),
    }
}

/// An event's start and end (its last character's, not the start of the line after it) as lines and columns.
fn span(lines: &Lines, text: &str, range: std::ops::Range<usize>) -> (usize, usize, usize, usize) {
    let (line, col) = lines.at(range.start);
    let mut end = range.end;
    while end > range.start && text.as_bytes()[end - 1] == b'\n' {
        end -= 1;
    }
    let (end_line, end_col) = lines.at(end);
    (line, col, end_line, end_col)
}

/// Parse one page (its body: `first_line` is the line the body starts on in its file) with
/// pulldown-cmark's option bits `flags` into a flat list of events with their source positions.
#[pyfunction]
fn events(text: &str, first_line: usize, flags: u32) -> Vec<PyEvent> {
    let lines = Lines::new(text, first_line, Vec::new());
    let mut in_head = false;
    Parser::new_ext(text, Options::from_bits_truncate(flags))
        .into_offset_iter()
        .map(|(event, range)| {
            let (line, col, end_line, end_col) = span(&lines, text, range);
            let (kind, tag, a, b) = convert(event, &mut in_head);
            (kind, tag, line, col, end_line, end_col, a, b)
        })
        .collect()
}

/// An open `:::` container: its marker count, how many block parents were open around it, its event's index.
struct Open {
    colons: usize,
    depth: usize,
    index: usize,
}

/// Close `open`'s containers from the top down to (and with) `until`, the last one `closed` by its own `:::`.
fn close_to(out: &mut Vec<Ev>, open: &mut Vec<Open>, until: usize, closed: bool, at: (usize, usize), range: (usize, usize)) {
    while open.len() > until {
        let container = open.pop().unwrap();
        let own = closed && open.len() == until;
        let flag = if own { "closed" } else { "unclosed" }.to_string();
        let opener = &mut out[container.index];
        (opener.4, opener.5, opener.7) = (at.0, at.1, flag.clone());
        out.push(("close", "container", at.0, at.1, at.0, at.1, String::new(), flag, range.0, range.1));
    }
}

/// `events` with Learnmark's `:::` containers: ("open", "container", ..., info, "closed"/"unclosed") and
/// ("close", "container", ...), paired as markdown-it-py's container rule pairs them (a `:::` line closes the
/// outermost open container in the same block with no more markers than it has; the block's end closes the
/// rest, unclosed). A `:::` line with a name not in `names`, or one that closes nothing, stays a paragraph of
/// text, so Learnmark reports it at its line as it does now. Definition lists come as "dl", "dt" (the term's
/// paragraph) and "dd" (not yet: a definition after something other than a paragraph, which stays a list).
#[pyfunction]
fn dialect_events(text: &str, first_line: usize, flags: u32, names: Vec<String>) -> Vec<PyEvent> {
    dialect(text, first_line, flags, &names).events.into_iter().map(|e| (e.0, e.1, e.2, e.3, e.4, e.5, e.6, e.7)).collect()
}

/// A page's events with Learnmark's dialect (see `dialect_events`), and what else its readers need.
pub(crate) struct Dialect {
    pub events: Vec<Ev>,
    /// The text pulldown-cmark parsed: the page with the pre-pass's markers.
    pub marked: String,
    /// A `:::` line stands in code (see `mark_lines`).
    pub ambiguous: bool,
    /// Some line is a definition (definition lists).
    pub definitions: bool,
}

pub(crate) fn dialect(text: &str, first_line: usize, flags: u32, names: &[String]) -> Dialect {
    let (marked, inserted, fences, definitions, mut ambiguous) = mark_lines(text, names);
    let lines = Lines::new(&marked, first_line, inserted);
    let (mut out, mut open): (Vec<Ev>, Vec<Open>) = (Vec::new(), Vec::new());
    let (mut parents, mut in_head, mut in_fence, mut in_code) = (0, false, false, false);
    let mut lists: Vec<bool> = Vec::new(); // for each open list, whether it is a definition list
    let mut last = (first_line, 1);
    let mut at: (usize, usize);
    for (event, range) in Parser::new_ext(&marked, Options::from_bits_truncate(flags)).into_offset_iter() {
        at = (range.start, range.end);
        let (line, col, end_line, end_col) = span(&lines, &marked, range);
        last = (end_line, end_col);
        match &event {
            Event::Start(Tag::Heading(HeadingLevel::H6, ..)) if fences[line - first_line].is_some() => {
                in_fence = true;
                let fence = fences[line - first_line].as_ref().unwrap();
                let name = fence.info.split_whitespace().next().unwrap_or("");
                if names.iter().any(|n| n == name) {
                    open.push(Open { colons: fence.colons, depth: parents, index: out.len() });
                    out.push(("open", "container", line, col, line, col, fence.info.clone(), String::new(), at.0, at.1));
                    continue;
                }
                let closes = open.iter().position(|o| o.depth == parents && o.colons <= fence.colons);
                match closes {
                    Some(until) if name.is_empty() => close_to(&mut out, &mut open, until, true, (line, end_col), at),
                    _ => {
                        let text = ":".repeat(fence.colons) + &fence.info;
                        let at = (at.0 + MARK.len(), at.1); // the author's text, after the marker
                        // markdown-it-py reads such a line as paragraph text, which runs on into the lines around it
                        let start = marked[..at.0].rfind('\n').map_or(0, |n| n + 1);
                        let before = marked[..start.saturating_sub(1)].rsplit('\n').next().unwrap_or("");
                        let after = marked[at.1..].trim_start_matches(|c| c != '\n').get(1..).unwrap_or("");
                        let after = after.split('\n').next().unwrap_or("");
                        let blank = |line: &str| line.trim_matches(|c| matches!(c, ' ' | '\t' | '>')).is_empty();
                        ambiguous |= (start > 0 && !blank(before)) || !blank(after);
                        out.push(("open", "p", line, col, line, end_col, String::new(), String::new(), at.0, at.1));
                        out.push(("text", "", line, col, line, end_col, text, String::new(), at.0, at.1));
                        out.push(("close", "p", line, col, line, end_col, String::new(), String::new(), at.0, at.1));
                    }
                }
                continue;
            }
            Event::End(Tag::Heading(..)) if in_fence => {
                in_fence = false;
                continue;
            }
            _ if in_fence => continue,
            Event::Start(Tag::List(None)) if matches!(definitions.get(line - first_line), Some(Some(_))) => {
                // The term is the paragraph just before: it becomes a <dt>, in the <dl> just closed if there is one.
                let term = out.iter().rposition(|e| e.0 == "open" && e.1 == "p");
                let last = out.last().map(|e| (e.0, e.1));
                if let (Some(term), Some(("close", "p"))) = (term, last) {
                    out[term].1 = "dt";
                    out.last_mut().unwrap().1 = "dt";
                    if term > 0 && out[term - 1].0 == "close" && out[term - 1].1 == "dl" {
                        out.remove(term - 1);
                    } else {
                        out.insert(term, ("open", "dl", line, col, end_line, end_col, String::new(), String::new(), at.0, at.1));
                    }
                    lists.push(true);
                    continue;
                }
                lists.push(false);
            }
            Event::Start(Tag::List(_)) => lists.push(false),
            Event::End(Tag::List(_)) if lists.pop() == Some(true) => {
                out.push(("close", "dl", line, col, end_line, end_col, String::new(), String::new(), at.0, at.1));
                continue;
            }
            Event::Start(Tag::Item) if lists.last() == Some(&true) => {
                out.push(("open", "dd", line, col, end_line, end_col, String::new(), String::new(), at.0, at.1));
                parents += 1;
                continue;
            }
            Event::End(Tag::Item) if lists.last() == Some(&true) => {
                let inner = open.iter().position(|o| o.depth == parents).unwrap_or(open.len());
                close_to(&mut out, &mut open, inner, false, (line, col), at);
                parents -= 1;
                out.push(("close", "dd", line, col, end_line, end_col, String::new(), String::new(), at.0, at.1));
                continue;
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(Tag::CodeBlock(_)) => in_code = false,
            Event::Start(Tag::BlockQuote | Tag::Item | Tag::FootnoteDefinition(_)) => parents += 1,
            Event::End(Tag::BlockQuote | Tag::Item | Tag::FootnoteDefinition(_)) => {
                let inner = open.iter().position(|o| o.depth == parents).unwrap_or(open.len());
                close_to(&mut out, &mut open, inner, false, (line, col), at);
                parents -= 1;
            }
            _ => {}
        }
        let (kind, tag, mut a, b) = convert(event, &mut in_head);
        if a.contains('\u{E000}') {
            ambiguous |= in_code; // a `:::` line marked, which turned out to be code
            a = a.replace(MARK, "");
        }
        if let Some(Some(marker)) = definitions.get(line - first_line) {
            if in_code || kind == "html" {
                a = a.replacen('-', &marker.to_string(), 1); // a definition line in code is the author's text
            }
        }
        out.push((kind, tag, line, col, end_line, end_col, a, b, at.0, at.1));
    }
    close_to(&mut out, &mut open, 0, false, last, (marked.len(), marked.len()));
    let definitions = definitions.iter().any(Option::is_some);
    Dialect { events: out, marked, ambiguous, definitions }
}

/// Parse and render one page with pulldown-cmark's own HTML writer.
#[pyfunction]
fn render(text: &str, flags: u32) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(text, Options::from_bits_truncate(flags)));
    out
}

#[pymodule]
fn _native(_py: Python, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(events, m)?)?;
    m.add_function(wrap_pyfunction!(dialect_events, m)?)?;
    m.add_function(wrap_pyfunction!(render, m)?)?;
    m.add_function(wrap_pyfunction!(body::page, m)?)?;
    m.add_function(wrap_pyfunction!(body::heading_id, m)?)?;
    m.add_function(wrap_pyfunction!(paper::for_paper, m)?)?;
    m.add_function(wrap_pyfunction!(search::plain_text, m)?)?;
    m.add_function(wrap_pyfunction!(search::stemmed_weights, m)?)?;
    m.add("TABLES", Options::ENABLE_TABLES.bits())?;
    m.add("FOOTNOTES", Options::ENABLE_FOOTNOTES.bits())?;
    m.add("STRIKETHROUGH", Options::ENABLE_STRIKETHROUGH.bits())?;
    m.add("SMART_PUNCTUATION", Options::ENABLE_SMART_PUNCTUATION.bits())?;
    m.add("HEADING_ATTRIBUTES", Options::ENABLE_HEADING_ATTRIBUTES.bits())?;
    Ok(())
}
