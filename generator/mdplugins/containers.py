"""One ``:::`` container rule for every block name, instead of one rule per name.

markdown-it tries every container rule at the start of each line, and on each
line of a paragraph to see whether it ends there, so seven names made seven
tries a line (about a tenth of parsing). One rule accepts any known name; a
core rule then names each token (``container_note_open``) exactly as if each
name had a rule of its own, so ``callouts.py`` and ``blocks.py`` see no change.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

_ANY = "learnmark"


def containers_plugin(md: MarkdownIt, names: tuple[str, ...]) -> None:
    container_plugin(md, _ANY, validate=lambda params, markup: params.strip().split(None, 1)[:1] in ([n] for n in names))

    def name_tokens(state) -> None:
        open_names = []
        for token in state.tokens:
            if token.type == f"container_{_ANY}_open":
                open_names.append(token.info.strip().split(None, 1)[0])
                token.type = f"container_{open_names[-1]}_open"
            elif token.type == f"container_{_ANY}_close":
                token.type = f"container_{open_names.pop()}_close"

    md.core.ruler.after("block", "learnmark_container_names", name_tokens)
