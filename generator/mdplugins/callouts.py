"""Callout (``::: note``) and expander (``::: details``) blocks.

Both are ``:::`` containers (see containers.py); this module only decides their markup,
which follows nhsuk-frontend's inset text and details components. Text after
the name is the title (callouts) or the summary the learner clicks (details).
A callout's label ("Note") is in the course's language, which a page does not
know when it is parsed: it is a deferred token (see deferred.py), filled with
``env["gettext"]``.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..i18n import N_
from .deferred import deferrable

CALLOUTS = {"note": N_("Note"), "tip": N_("Tip"), "warning": N_("Warning"), "content-note": N_("Content note")}
DETAILS = "details"
LABEL = "callout_label"


def container_title(info: str) -> str:
    """The text after a container's name: ``note Where to get help`` → ``Where to get help``."""
    parts = info.strip().split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


def callouts_plugin(md: MarkdownIt) -> None:
    def inline(text: str, env) -> str:
        # Parse with a fresh env so a title cannot emit the page's footnotes;
        # render with the page's env so its links are rewritten like any other.
        children = md.parseInline(text, {})[0].children or []
        return md.renderer.renderInline(children, md.options, env)

    def callout(name: str):
        def render(self, tokens, idx, options, env) -> str:
            if tokens[idx].nesting == -1:
                return "</div>\n"
            title = container_title(tokens[idx].info)
            label = self.rules[LABEL]([Token(LABEL, "", 0, meta={"label": name})], 0, options, env)
            heading = f'<span class="visually-hidden">{label}: </span>{inline(title, env)}' if title else label
            return f'<div class="callout callout--{name}" role="note">\n<p class="callout__title">{heading}</p>\n'
        return render

    def details(self, tokens, idx, options, env) -> str:
        if tokens[idx].nesting == -1:
            return "</div>\n</details>\n"
        summary = inline(container_title(tokens[idx].info), env)
        return ('<details class="details">\n'
                f'<summary class="details__summary"><span class="details__summary-text">{summary}</span></summary>\n'
                '<div class="details__text">\n')

    def label(self, tokens, idx, options, env) -> str:
        text = CALLOUTS[tokens[idx].meta["label"]]
        return escape(env.get("gettext", str)(text))

    md.add_render_rule(LABEL, deferrable(label))
    for name, render in [*((name, callout(name)) for name in CALLOUTS), (DETAILS, details)]:
        md.add_render_rule(f"container_{name}_open", render)
        md.add_render_rule(f"container_{name}_close", render)
