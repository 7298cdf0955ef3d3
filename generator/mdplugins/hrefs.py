"""Let the caller rewrite link and image targets at render time.

Rendering with ``env["rewrite_url"] = f`` passes every link ``href`` and image
``src`` through ``f(target, kind)`` (kind is ``link`` or ``image``). For a
link, ``f`` may return None to drop the link and keep its text (used when a
module is packaged alone and the target is not in the package); for an image
it may return ``(src, {"width": ..., "height": ...})`` to add attributes. The
stored tokens are not changed, so a document can be rendered again. All three
rules are deferrable (see ``deferred.py``): a page is rendered once when parsed
and its links and images are filled in when the whole course is known.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from .deferred import deferrable


def hrefs_plugin(md: MarkdownIt) -> None:
    default_image = md.renderer.rules["image"]

    def rewritten(tokens, idx, attr: str, kind: str, env):
        token = tokens[idx]
        rewrite = env.get("rewrite_url")
        if rewrite is None:
            return [token]
        extra = {"loading": "lazy"} if kind == "image" else {}
        value = rewrite(str(token.attrGet(attr)), kind)
        if isinstance(value, tuple):
            value, more = value
            extra.update(more)
        attrs = {**token.attrs, attr: value, **extra}
        return [token.copy(attrs={k: v for k, v in attrs.items() if v is not None})]

    def link_open(self, tokens, idx, options, env):
        (token,) = rewritten(tokens, idx, "href", "link", env)
        if token.attrGet("href") is None:
            env["_unlinked"] = env.get("_unlinked", 0) + 1
            return ""
        return self.renderToken([token], 0, options, env)

    def link_close(self, tokens, idx, options, env):
        if env.get("_unlinked"):  # links never nest, so this closes the dropped one
            env["_unlinked"] -= 1
            return ""
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens, idx, options, env):
        return default_image(rewritten(tokens, idx, "src", "image", env), 0, options, env)

    md.add_render_rule("link_open", deferrable(link_open))
    md.add_render_rule("link_close", deferrable(link_close))
    md.add_render_rule("image", deferrable(image))
