"""The crate's events (native/) as the markdown-it-py tokens Learnmark's parser makes, so that every stage after
the parse (generator/parse.py, the quiz and media readers, the deferred holes, the render rules) could stay as
it is: phase 1 of issue 18's plan, measured by bench/rustparse.py (its figure is how many pages render
byte-identical through Learnmark's own renderer). The product took phase 2 instead (generator/compiled/: the
body's HTML written in Rust), which needs no tokens but the deferred ones.

It makes the tokens markdown-it-py's block and inline rules would make, then runs Learnmark's parser's own
core rules after them (container names, footnote tail, text join, quiz/reflection/media blocks, heading
ids), so those are not written twice. Not here: raw HTML shown as text (Learnmark's default;
pulldown-cmark 0.9 always reads HTML blocks, which take lines markdown-it-py reads as Markdown), the
markup of autolinks and e-mail links, setext headings' and emphasis' markup characters (no stage reads them).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

BLOCK = {"p": "paragraph", "blockquote": "blockquote", "li": "list_item", "table": "table", "thead": "thead",
         "tr": "tr", "th": "th", "td": "td", "dl": "dl", "dt": "dt", "dd": "dd"}
INLINE = {"em": ("em", "*"), "strong": ("strong", "**"), "s": ("s", "~~")}
_QUOTED = re.compile(r"^[ \t]*(>[ \t]?)*[ \t]*")
_ATTRS = re.compile(r"\{([^{}\n]*)\}")
"""``{.wide .decorative}`` right after an image: mdit-py-plugins' attrs, of which Learnmark keeps only classes."""
AFTER_INLINE = ("learnmark_container_names", "footnote_tail", "text_join", "learnmark_blocks", "anchor")
"""Learnmark's parser's core rules that run on the tokens the block and inline rules made."""


class Shim:
    """Turns one page's events into tokens; one instance per page (it carries the footnotes' numbering)."""

    def __init__(self, md: MarkdownIt, events: list[tuple], first_line: int, env: dict, lines: list[str]):
        self.md, self.events, self.base, self.env, self.lines = md, events, first_line, env, lines
        self.tokens: list[Token] = []
        self.inline: Token | None = None  # the inline token being filled
        self.stack: list[list[Token]] = []  # children lists (images' alt text nests)
        self.level = 0
        self.open: list[str] = []  # the open block tokens' types, innermost last
        self.defined = {e[6] for e in events if e[:2] == ("open", "footnote")}
        self.notes = env.setdefault("footnotes", {}).setdefault("list", {})
        self.refs = env["footnotes"].setdefault("refs", {})
        self.body_started = False

    def block(self, type_: str, tag: str, nesting: int, line: int, end_line: int, **kw) -> Token:
        self.end_inline()
        if nesting < 0:
            self.level -= 1
            self.open.pop()
        token = Token(type_, tag, nesting, level=self.level, block=True, **kw)
        if nesting >= 0:
            token.map = [line - self.base, end_line - self.base + 1]
        if nesting > 0:
            self.level += 1
            self.open.append(type_)
        self.tokens.append(token)
        return token

    def start_inline(self, line: int, end_line: int) -> list[Token]:
        if self.inline is None:
            parent = None
            if self.open and self.open[-1] in ("list_item_open", "dd_open"):  # tight: pulldown-cmark has no paragraph
                parent = self.block("paragraph_open", "p", 1, line, end_line, hidden=True)
                parent.meta["shim_hidden"] = True
            elif self.tokens and self.tokens[-1].nesting == 1:
                parent = self.tokens[-1]
            self.inline = Token("inline", "", 0, level=self.level, map=[line - self.base, end_line - self.base + 1],
                                children=[], meta={"col": self.col}, block=True)
            if parent is not None and parent.map:  # the inline token spans its block (a hidden one grows with it)
                self.inline.map = parent.map if parent.hidden else list(parent.map)
            self.tokens.append(self.inline)
            self.stack = [self.inline.children]
        return self.stack[-1]

    def end_inline(self) -> None:
        if self.inline is None:
            return
        self.inline.content = self.source(self.inline)
        self.inline = None
        if self.tokens[-2].meta.get("shim_hidden"):
            del self.tokens[-2].meta["shim_hidden"]
            self.block("paragraph_close", "p", -1, 0, 0, hidden=True)

    def source(self, inline: Token) -> str:
        """An inline token's source text, as markdown-it-py keeps it (its stages count words and read quiz
        markers in it): the block's lines from where its text starts, without indentation and quote marks."""
        col = inline.meta.pop("col") - 1
        parent = self.tokens[-2].type if len(self.tokens) > 1 else ""
        if parent not in ("paragraph_open", "heading_open"):
            return "".join(c.content for c in inline.children if c.type in ("text", "code_inline"))
        first, last = inline.map
        lines = self.lines[first:last]
        if not lines:
            return ""
        if parent == "heading_open":
            text = lines[0][col:].strip()
            return text.lstrip("#").strip() if text.startswith("#") else text
        rest = [_QUOTED.sub("", line) for line in lines[1:]]
        return "\n".join([lines[0][col:], *rest]).strip()

    def run(self) -> list[Token]:
        for kind, tag, line, col, end_line, _end_col, a, b in self.events:
            self.col = col
            getattr(self, "on_" + kind)(tag, line, end_line, a, b)
            if self.inline is not None and end_line - self.base + 1 > self.inline.map[1]:
                self.inline.map[1] = end_line - self.base + 1
        self.end_inline()
        return self.tokens

    def on_open(self, tag, line, end_line, a, b):
        md = self.md
        if tag == "p":
            self.block("paragraph_open", "p", 1, line, end_line)
        elif tag[0] == "h" and tag[1:].isdigit():
            self.block("heading_open", tag, 1, line, end_line, markup="#" * int(tag[1]))
        elif tag in ("ul", "ol"):
            kind = "bullet_list_open" if tag == "ul" else "ordered_list_open"
            token = self.block(kind, tag, 1, line, end_line)
            if tag == "ol" and a != "1":
                token.attrSet("start", a)
        elif tag in ("fence", "code_block"):
            source = self.lines[line - self.base][self.col - 1:] if line - self.base < len(self.lines) else ""
            markup = source[:len(source) - len(source.lstrip(source[:1]))] if tag == "fence" else ""
            self.code = self.block(tag, "code", 0, line, end_line, info=a, content="", markup=markup)
        elif tag == "container":
            token = self.block("container_learnmark_open", "div", 1, line, end_line - 1, info=a, markup=":::")
            token.map[1] = end_line - self.base
            token.meta["closed"] = b == "closed"
        elif tag == "footnote":
            self.block("footnote_reference_open", "", 1, line, end_line, meta={"label": a})
            self.refs.setdefault(":" + a, -1)
        elif tag in ("th", "td"):
            token = self.block(tag + "_open", tag, 1, line, end_line)
            align = self._align.pop(0) if self._align else "-"
            if align != "-":
                token.attrSet("style", "text-align:" + {"l": "left", "c": "center", "r": "right"}[align])
        elif tag == "table":
            self._aligns = a
            self.block("table_open", "table", 1, line, end_line)
        elif tag == "thead":
            self.block("thead_open", "thead", 1, line, end_line)
            self.block("tr_open", "tr", 1, line, end_line)
            self._align = list(self._aligns)
        elif tag == "tr":
            if self.tokens[-1].type == "thead_close":
                self.block("tbody_open", "tbody", 1, line, end_line)
            self.block("tr_open", "tr", 1, line, end_line)
            self._align = list(self._aligns)
        elif tag in BLOCK:
            self.block(BLOCK[tag] + "_open", tag, 1, line, end_line)
        elif tag in INLINE:
            name, markup = INLINE[tag]
            self.start_inline(line, end_line).append(Token(name + "_open", name, 1, markup=markup))
        elif tag == "a":
            token = Token("link_open", "a", 1, attrs={"href": md.normalizeLink(a)})
            if b:
                token.attrSet("title", b)
            self.start_inline(line, end_line).append(token)
        elif tag == "img":
            token = Token("image", "img", 0, attrs={"src": md.normalizeLink(a), "alt": ""}, children=[])
            if b:
                token.attrSet("title", b)
            self.start_inline(line, end_line).append(token)
            self.stack.append(token.children)

    def on_close(self, tag, line, end_line, a, b):
        if tag == "p":
            self.block("paragraph_close", "p", -1, 0, 0)
        elif tag[0] == "h" and tag[1:].isdigit():
            self.block("heading_close", tag, -1, 0, 0)
        elif tag in ("ul", "ol"):
            self.block("bullet_list_close" if tag == "ul" else "ordered_list_close", tag, -1, 0, 0)
        elif tag in ("fence", "code_block"):
            pass
        elif tag == "container":
            self.block("container_learnmark_close", "div", -1, 0, 0, markup=":::")
        elif tag == "footnote":
            self.block("footnote_reference_close", "", -1, 0, 0)
        elif tag == "thead":
            self.block("tr_close", "tr", -1, 0, 0)
            self.block("thead_close", "thead", -1, 0, 0)
        elif tag == "table":
            if self.tokens[-1].type == "tr_close":
                self.block("tbody_close", "tbody", -1, 0, 0)
            self.block("table_close", "table", -1, 0, 0)
        elif tag in BLOCK:
            self.block(BLOCK[tag] + "_close", tag, -1, 0, 0)
        elif tag in INLINE:
            name, markup = INLINE[tag]
            self.stack[-1].append(Token(name + "_close", name, -1, markup=markup))
        elif tag == "a":
            self.stack[-1].append(Token("link_close", "a", -1))
        elif tag == "img":
            children = self.stack.pop()
            self.stack[-1][-1].content = "".join(c.content for c in children)

    def on_text(self, tag, line, end_line, a, b):
        if self.tokens and self.tokens[-1] is getattr(self, "code", None):
            self.code.content += a
        else:
            children = self.start_inline(line, end_line)
            if children and children[-1].type == "image" and (match := _ATTRS.match(a)):  # ![alt](src){.class}
                classes = [word[1:] for word in match.group(1).split() if word.startswith(".")]
                if classes:
                    children[-1].attrSet("class", " ".join(classes))
                a = a[match.end():]
                if not a:
                    return
            if children and children[-1].type == "text":  # pulldown-cmark cuts text at brackets and entities
                children[-1].content += a
            else:
                children.append(Token("text", "", 0, content=a))

    def on_code(self, tag, line, end_line, a, b):
        self.start_inline(line, end_line).append(Token("code_inline", "code", 0, content=a, markup="`"))

    def on_html(self, tag, line, end_line, a, b):
        if self.inline is not None:
            self.stack[-1].append(Token("html_inline", "", 0, content=a))
        elif self.tokens and self.tokens[-1].type == "html_block":
            self.tokens[-1].content += a
        else:
            self.block("html_block", "", 0, line, end_line, content=a)

    def on_softbreak(self, tag, line, end_line, a, b):
        self.start_inline(line, end_line).append(Token("softbreak", "br", 0))

    def on_hardbreak(self, tag, line, end_line, a, b):
        self.start_inline(line, end_line).append(Token("hardbreak", "br", 0))

    def on_rule(self, tag, line, end_line, a, b):
        self.block("hr", "hr", 0, line, end_line, markup="---")

    def on_task(self, tag, line, end_line, a, b):
        self.start_inline(line, end_line).append(Token("text", "", 0, content="[x] " if a else "[ ] "))

    def on_footnote_ref(self, tag, line, end_line, a, b):
        children = self.start_inline(line, end_line)
        if a not in self.defined:  # markdown-it-py leaves an undefined one as text
            children.append(Token("text", "", 0, content=f"[^{a}]"))
            return
        if self.refs.get(":" + a, -1) < 0:
            self.refs[":" + a] = len(self.notes)
            self.notes[self.refs[":" + a]] = {"label": a, "count": 0}
        number = self.refs[":" + a]
        children.append(Token("footnote_ref", "", 0, meta={"id": number, "subId": self.notes[number]["count"],
                                                            "label": a}))
        self.notes[number]["count"] += 1


def tokens(md: MarkdownIt, events: list[tuple], first_line: int, env: dict, lines: list[str]) -> list[Token]:
    """The tokens Learnmark's parser would make of the text these events came from: ``lines`` are its lines, the
    first of them line ``first_line`` of the events."""
    state = StateCore("", md, env)
    state.tokens = Shim(md, events, first_line, env, lines).run()
    if not env["footnotes"]["list"]:
        del env["footnotes"]
    for rule in md.core.ruler.__rules__:
        if rule.name in AFTER_INLINE and rule.enabled:
            rule.fn(state)
    return state.tokens


class ShimParser:
    """Learnmark's configured parser with its ``parse`` done by the crate: what generator/parse.py's ``parse``
    takes, so that its whole output (headings, references, quizzes, media, problems, HTML) can be compared."""

    def __init__(self, md: MarkdownIt, rp, names: list[str]):
        self.md, self.rp, self.names = md, rp, names

    def __getattr__(self, name):
        return getattr(self.md, name)

    def parse(self, text: str, env: dict) -> list[Token]:
        front = []
        body, first_line = text, 1
        if text.startswith("---\n") and "\n---\n" in text:
            head, body = text[4:].split("\n---\n", 1)
            lines = head.count("\n") + 1
            front = [Token("front_matter", "", 0, content=head, markup="---", block=True, hidden=True,
                           map=[0, lines + 2])]
            first_line = lines + 3
        events = self.rp.dialect_events(body, first_line, self.rp.TABLES | self.rp.FOOTNOTES, self.names)
        shifted = tokens(self.md, events, first_line, env, body.splitlines())
        for token in shifted:
            if token.map:
                token.map = [token.map[0] + first_line - 1, token.map[1] + first_line - 1]
            for inner in token.meta.get("tokens", ()) if isinstance(token.meta, dict) else ():
                if inner.map:
                    inner.map = [inner.map[0] + first_line - 1, inner.map[1] + first_line - 1]
        return front + shifted
