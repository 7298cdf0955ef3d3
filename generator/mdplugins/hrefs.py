"""Let the caller rewrite link and image targets at render time.

Rendering with ``env["rewrite_url"] = f`` passes every link ``href`` and image
``src`` through ``f(target, kind)`` (kind is ``link`` or ``image``). The
stored tokens are not changed, so a document can be rendered again.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def hrefs_plugin(md: MarkdownIt) -> None:
    default_image = md.renderer.rules["image"]

    def rewritten(tokens, idx, attr: str, kind: str, env):
        token = tokens[idx]
        rewrite = env.get("rewrite_url")
        if rewrite is None:
            return [token]
        extra = {"loading": "lazy"} if kind == "image" else {}
        return [token.copy(attrs={**token.attrs, attr: rewrite(str(token.attrGet(attr)), kind), **extra})]

    def link_open(self, tokens, idx, options, env):
        return self.renderToken(rewritten(tokens, idx, "href", "link", env), 0, options, env)

    def image(self, tokens, idx, options, env):
        return default_image(rewritten(tokens, idx, "src", "image", env), 0, options, env)

    md.add_render_rule("link_open", link_open)
    md.add_render_rule("image", image)
