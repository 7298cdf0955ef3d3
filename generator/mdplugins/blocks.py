"""``::: quiz``, ``::: reflection``, ``::: video`` and ``::: audio`` blocks, collapsed into one token each.

The ``:::`` container rule (containers.py) parses the block (so its inside is
ordinary Markdown with source line maps); a core rule then folds everything
between the open and close tokens into a single ``quiz``/``reflection`` token
whose ``meta["tokens"]`` holds the inner tokens (and ``meta["closed"]``
whether the block's own ``:::`` closed it, see containers.py). Later stages read that token
as a whole: ``generator/quiz/`` builds the model from it, and rendering
hands it to ``env["render_block"]``, which the theme's component draws.
Folding also keeps question headings out of the page's own heading outline.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .deferred import deferrable

BLOCKS = ("quiz", "reflection", "video", "audio")


def blocks_plugin(md: MarkdownIt) -> None:
    for name in BLOCKS:
        md.add_render_rule(name, deferrable(_render))
    md.core.ruler.after("text_join", "learnmark_blocks", _collapse)


def _collapse(state) -> None:
    tokens, out, index = state.tokens, [], 0
    while index < len(tokens):
        token = tokens[index]
        name = token.type[len("container_"):-len("_open")] if token.type.startswith("container_") else ""
        if name in BLOCKS and token.nesting == 1:
            close = next(i for i in range(index + 1, len(tokens))
                         if tokens[i].type == f"container_{name}_close" and tokens[i].level == token.level)
            block = Token(name, "div", 0, info=token.info, map=token.map, level=token.level, block=True)
            block.meta = {"tokens": tokens[index + 1:close], "closed": token.meta.get("closed", True)}
            out.append(block)
            index = close + 1
        else:
            out.append(token)
            index += 1
    state.tokens = out


def _render(self, tokens, idx, options, env) -> str:
    render_block = env.get("render_block")
    if render_block is not None:
        return render_block(tokens[idx])
    # Without a theme (e.g. plain md.render), keep the author's content visible.
    return self.render(tokens[idx].meta["tokens"], options, env)
