"""What a file from content/ must be before it is published beside the course's pages.

A learner can open any published file on its own: from a link, from "Open
image in new tab", or by typing its address. Opened on the course's own
address, a web page, an SVG with a script in it, or anything a browser might
take for one would run that script with the course's origin: it could read
and rewrite every learner's progress, or their reflections. So:

- Only file types that cannot carry a script are published: images, audio,
  video, captions, documents, spreadsheets, slides and zip files
  (``PUBLISHED``). Web pages (.html, .htm, .xhtml, .xml, .js ...) are not.
- No file may begin (after blank space) with ``<``, the way a web page
  does: a server that does not know a type may send it without one, and the
  browser would then guess from the first bytes.
- An SVG must be an SVG image and nothing more: no scripts, event handlers,
  ``<foreignObject>``, links to ``javascript:``, references to other files,
  style sheets that import others, processing instructions or entity
  declarations. ``svg_problem`` reads it with an allow-list, not a
  block-list, and points at the line and column of what it refuses.
- A caption file (``.vtt``) must be WebVTT a browser will show (``webvtt.py``).

Each rule reads a file once per version of it (path, size, modification and change
times, inode) in a process, and with a build cache, once until it changes (``Verdicts``).
"""

from __future__ import annotations

import os
import re
import time
from functools import lru_cache
from xml.parsers import expat

from ..memo import Memo, settled
from .webvtt import HINT as WEBVTT_HINT, webvtt_problem

SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_ACTIVE_NS = {"http://www.w3.org/1999/xhtml", "http://www.w3.org/1998/Math/MathML",
              "http://www.w3.org/1999/XSL/Transform", "http://www.w3.org/2001/XInclude"}
"""Namespaces whose elements a browser gives behaviour to (beyond SVG's own)."""

PUBLISHED = {
    "images": ("png", "jpg", "jpeg", "gif", "webp", "avif", "svg"),
    "audio and video": ("mp3", "m4a", "aac", "oga", "ogg", "opus", "wav", "flac", "mp4", "m4v", "webm", "ogv", "mov"),
    "captions": ("vtt", "srt"),
    "documents": ("pdf", "txt", "csv", "rtf", "doc", "docx", "odt", "xls", "xlsx", "ods", "ppt", "pptx", "odp", "epub"),
    "archives": ("zip",),
}
"""File types that may be linked to or shown, by kind (as the hint lists them)."""
_PUBLISHED = {suffix for suffixes in PUBLISHED.values() for suffix in suffixes}
VIDEO_TYPES = ("mp4", "m4v", "webm", "ogv", "mov")
AUDIO_TYPES = ("mp3", "m4a", "aac", "oga", "ogg", "opus", "wav", "flac", "webm")
KIND_TYPES = {"image": PUBLISHED["images"], "poster": PUBLISHED["images"], "video": VIDEO_TYPES,
              "audio": AUDIO_TYPES, "captions": ("vtt",), "descriptions": ("vtt",)}
"""The types each kind of reference may point at (a link may point at any published type): what a browser
shows in an ``<img>``, plays in a ``<video>``/``<audio>``, or reads as a ``<track>`` (WebVTT only)."""

_SVG_ELEMENTS = {
    "svg", "g", "defs", "desc", "title", "metadata", "symbol", "use", "switch", "view", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
    "a", "image", "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "animate", "animateMotion", "animateTransform", "set", "mpath",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology",
    "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
}
"""SVG elements that draw, and nothing more; anything else in SVG's namespace (``script``,
``foreignObject``, ``iframe``, ``handler`` ...) is refused."""
_ANIMATIONS = {"animate", "set", "animateMotion", "animateTransform"}
_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp|avif)[;,]", re.IGNORECASE)
_WEB_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
_URL_CALL = re.compile(r"url\(\s*(['\"]?)\s*([^'\")\s]*)", re.IGNORECASE)
_CSS_ACTIVE = re.compile(r"@import|image-set\s*\(|expression\s*\(|javascript:|behavior\s*:|-moz-binding|\\",
                         re.IGNORECASE)
"""CSS that loads or runs something, and escapes (``\\69mport``), which could hide it."""
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
"""Characters browsers drop from a URL before reading its scheme (``java\tscript:`` is ``javascript:``)."""
_BLANK = b" \t\n\r\f\x00"


def suffix_problem(name: str) -> str | None:
    """Why a file called ``name`` is not published, or None if its type may be."""
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    if suffix in _PUBLISHED:
        return None
    kind = f"a .{suffix} file" if suffix else "a file with no type (no .png, .pdf ... at the end of its name)"
    return f"{kind}, which is not published"


def published_types() -> str:
    """The hint listing every type ``PUBLISHED`` allows."""
    return "; ".join(f"{kind}: {', '.join(suffixes)}" for kind, suffixes in PUBLISHED.items())


SVG_HINT = ("a published file can be opened on its own, on the course's address, where a script in it would run; "
            "remove what is named here, or export the image again as plain SVG")
SNIFF_HINT = ("a browser may treat a file that starts with '<' as a web page and run its scripts; "
              "if it is a web page, publish it elsewhere and link to its web address")


def content_problem(path: str) -> tuple[int, int, str, str] | None:
    """Why the file at ``path`` may not be published, as ``(line, column, message, hint)``; None if it may.

    Raises OSError when the file cannot be read.
    """
    stat = os.stat(path)
    return VERDICTS.verdict(path, stat)


class Verdicts(Memo[tuple, tuple | None]):
    """``content_problem``'s verdicts, kept by the build cache (a ``memo.Memo``) by the file's path, size,
    modification and change times and inode, as the build's stamp keeps pages' digests: an edit's build read
    every SVG and caption file of the course again. One changed just now is not kept (``memo.settled``)."""

    NAME = "content-files"

    def verdict(self, path: str, stat: os.stat_result) -> tuple[int, int, str, str] | None:
        key = (path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        return self.get(key, lambda: _content_problem(*key), keep=settled(stat, time.time_ns()))


VERDICTS = Verdicts()


@lru_cache(maxsize=4096)
def _content_problem(path: str, size: int, mtime_ns: int, ctime_ns: int, inode: int) -> tuple[int, int, str, str] | None:
    """``content_problem``, once per version of the file (the preview's process checks a file once)."""
    captions = path.lower().endswith(".vtt")
    with open(path, "rb") as file:
        if path.lower().endswith(".svg"):
            problem = svg_problem(file.read())
            return problem and (*problem, SVG_HINT)
        data = file.read() if captions else file.read(1024)
    head = data[:1024]
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        head = head[3:] if head[0] == 0xEF else head[2:]
    if head.lstrip(_BLANK)[:1] == b"<":
        return 1, 1, "the file begins like a web page (with '<'), and a browser could run it as one", SNIFF_HINT
    if captions:  # a browser drops a caption file it cannot read without a word
        problem = webvtt_problem(data)
        return problem and (*problem, WEBVTT_HINT)
    return None


def svg_problem(data: bytes) -> tuple[int, int, str] | None:
    """The first thing in an SVG file that is more than a drawing, as ``(line, column, message)``."""
    return _SvgCheck(data).problem


class _SvgCheck:
    """One pass of expat over an SVG, with namespaces, stopping at the first refusal."""

    def __init__(self, data: bytes):
        self.problem: tuple[int, int, str] | None = None
        self.depth = 0
        self.style: list[str] | None = None
        """The text of the ``<style>`` element being read, checked whole at its end."""
        parser = self.parser = expat.ParserCreate(namespace_separator=" ")
        parser.namespace_prefixes = True
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.ProcessingInstructionHandler = lambda target, data: self.refuse(
            f"SVG has a processing instruction <?{target} ...?>, which could load a style sheet or transform")
        parser.EntityDeclHandler = lambda *args: self.refuse("SVG declares an entity (<!ENTITY ...>)")
        parser.StartDoctypeDeclHandler = lambda name, system, public, internal: internal and self.refuse(
            "SVG has a document type with declarations in it (<!DOCTYPE ... [ ... ]>)")
        try:
            parser.Parse(data, True)
        except expat.ExpatError as error:
            if self.problem is None:
                self.problem = (error.lineno, error.offset + 1,
                                f"the SVG file is not well-formed XML ({expat.ErrorString(error.code)})")

    def refuse(self, message: str) -> None:
        if self.problem is None:
            self.problem = (self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1, message)

    def start(self, name: str, attributes: dict) -> None:
        namespace, local, prefix = _split(name)
        self.depth += 1
        shown = f"{prefix}:{local}" if prefix else local
        svg = namespace == SVG_NS or not prefix  # unprefixed names are checked whatever their namespace,
        # so the file says nothing else to a browser that reads it as HTML (a server sending the wrong type)
        if self.depth == 1 and (namespace, local) != (SVG_NS, "svg"):
            self.refuse(f'the file is not an SVG image: it starts with <{shown}>, not <svg xmlns="{SVG_NS}">')
        elif namespace in _ACTIVE_NS:
            self.refuse(f"SVG has a <{shown}> element from {namespace}, which a browser could run")
        elif svg and local not in _SVG_ELEMENTS:
            self.refuse(f"SVG has a <{shown}> element, which is not allowed in a published image")
        for key, value in attributes.items():
            problem = _attribute_problem(local if svg else "", key, value)
            if problem:
                self.refuse(f"SVG <{shown}> has {problem}")
                break
        if svg and local == "style":
            self.style = []

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.style is not None and _split(name)[1] == "style":
            problem = _css_problem("".join(self.style))
            if problem:
                self.refuse(f"SVG <style> has {problem}")
            self.style = None

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)


def _split(name: str) -> tuple[str, str, str]:
    """expat's ``"namespace local prefix"`` as (namespace, local, prefix)."""
    parts = name.split(" ")
    if len(parts) == 1:
        return "", parts[0], ""
    return parts[0], parts[1], parts[2] if len(parts) > 2 else ""


def _attribute_problem(element: str, key: str, value: str) -> str | None:
    namespace, local, prefix = _split(key)
    shown = f"{prefix}:{local}" if prefix else local
    if local.lower().startswith("on"):
        return f"an event handler '{shown}'"
    if namespace in _ACTIVE_NS:
        return f"an attribute '{shown}' from {namespace}"
    if local == "href" and namespace in ("", _XLINK_NS):
        url = _URL_NOISE.sub("", value)
        allowed = (url.startswith("#")
                   or (element in ("image", "feImage") and _IMAGE_DATA.match(url))
                   or (element == "a" and _WEB_LINK.match(url)))
        if not allowed:
            return f"'{shown}=\"{value[:60]}\"': only '#id' (or a data:image for <image>, a web address for <a>) is allowed"
    if element in _ANIMATIONS and local == "attributeName" and (value.strip().lower().startswith("on")
                                                                 or value.strip().lower().endswith("href")):
        return f"an animation of '{value.strip()}'"
    if not namespace:  # style and presentation attributes (fill="url(#a)") are CSS
        css = _css_problem(value)
        if css:
            return f"'{shown}' with {css}"
    return None


def _css_problem(text: str) -> str | None:
    active = _CSS_ACTIVE.search(text)
    if active:
        return "a CSS escape ('\\'), which could hide what it says" if active.group(0) == "\\" else f"'{active.group(0)}'"
    for _, url in _URL_CALL.findall(text):
        url = _URL_NOISE.sub("", url)
        if not (url.startswith("#") or _IMAGE_DATA.match(url)):
            return f"url({url[:60]}), which refers to another file"
    return None
