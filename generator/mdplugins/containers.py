"""One ``:::`` container rule for every block name, instead of one rule per name.

markdown-it tries every container rule at the start of each line, and on each
line of a paragraph to see whether it ends there, so seven names made seven
tries a line (about a tenth of parsing). One rule accepts any known name; a
core rule then names each token (``container_note_open``) exactly as if each
name had a rule of its own, so ``callouts.py`` and ``blocks.py`` see no change.

Each opening token also records whether its own ``:::`` closed it
(``meta["closed"]``): the container plugin silently closes a block at the end
of the page, or at the end of the block around it, and an author who forgot a
``:::`` (or nested two blocks with the same number of colons) must be told.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

_ANY = "learnmark"


def containers_plugin(md: MarkdownIt, names: tuple[str, ...]) -> None:
    container_plugin(md, _ANY, validate=lambda params, markup: params.strip().split(None, 1)[:1] in ([n] for n in names))
    rule_name = f"container_{_ANY}"
    rules = md.block.ruler.__rules__
    plugin_rule = rules[md.block.ruler.__find__(rule_name)]
    container = plugin_rule.fn

    def container_noting_its_close(state, start_line: int, end_line: int, silent: bool) -> bool:
        first = len(state.tokens)
        if not container(state, start_line, end_line, silent):
            return False
        if not silent:
            opening = state.tokens[first]
            # The plugin moves past the closing line only when it found one.
            opening.meta["closed"] = state.line > opening.map[1]
        return True

    md.block.ruler.at(rule_name, container_noting_its_close, {"alt": plugin_rule.alt})

    def name_tokens(state) -> None:
        open_names = []
        for token in state.tokens:
            if token.type == f"container_{_ANY}_open":
                open_names.append(token.info.strip().split(None, 1)[0])
                token.type = f"container_{open_names[-1]}_open"
            elif token.type == f"container_{_ANY}_close":
                token.type = f"container_{open_names.pop()}_close"

    md.core.ruler.after("block", "learnmark_container_names", name_tokens)
