"""Read ``::: video`` and ``::: audio`` blocks into typed, validated media items.

A media item plays a file from content/ (``src=``) or, for video, a film on
YouTube or Vimeo (``youtube=ID``, ``vimeo=ID``); the Markdown inside the
block is its transcript, which every item must have. A video from content/
must have captions (``captions=FILE.vtt``), or say why it needs none
(``captions="none: music only, no speech"``). The files an item names are
returned as references, so they are checked and published like images.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from markdown_it.token import Token

from ..errors import Diagnostic, SourceLocation
from ..quiz import ID_HINT, parse_options, slug
from ..schema import SLUG

KINDS = ("video", "audio")
OPTIONS = {
    "video": ("src", "youtube", "vimeo", "captions", "descriptions", "poster", "title", "id", "required"),
    "audio": ("src", "title", "id", "required"),
}
SERVICES = {
    # name, id pattern, page a learner can open without JavaScript, privacy-enhanced player
    "youtube": ("YouTube", re.compile(r"^[A-Za-z0-9_-]{11}$"), "https://www.youtube.com/watch?v={}",
                "https://www.youtube-nocookie.com/embed/{}?autoplay=1&rel=0"),
    "vimeo": ("Vimeo", re.compile(r"^[0-9]{1,12}$"), "https://vimeo.com/{}", "https://player.vimeo.com/video/{}?dnt=1&autoplay=1"),
}
_NO_CAPTIONS = re.compile(r"^none\s*(?::\s*(.*))?$", re.DOTALL)
_LANGUAGE = re.compile(r"\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.vtt$")
CAPTIONS_HINT = ("add captions=media/NAME.en.vtt (a WebVTT file); for a video with no speech, say why it needs none: "
                 "captions=\"none: music only, no speech\"")


@dataclass(frozen=True)
class MediaItem:
    kind: str
    """``video`` or ``audio``."""
    id: str
    """Unique in its module: ``id=``, else from the file name (or the external video's id)."""
    src: str
    """The media file as the author wrote it (relative to the page); empty for an external video."""
    service: str
    """``youtube`` or ``vimeo`` for an external video; empty otherwise."""
    external_id: str
    """The video's id on ``service``."""
    captions: str | None
    """The WebVTT captions file as written; None when there are none (external, audio, or ``captions=none``)."""
    captions_none: str
    """Why a video needs no captions (``captions="none: ..."``); empty otherwise."""
    descriptions: str | None
    """The WebVTT audio description track as written; None when absent (the accessibility statement lists these)."""
    poster: str | None
    title: str
    required: bool
    """Playing it to the end counts towards the module's completion."""
    transcript: tuple[Token, ...]
    location: SourceLocation

    @property
    def external(self) -> bool:
        return bool(self.service)


@dataclass(frozen=True)
class MediaFile:
    """A file a media item names: checked and published like an image (see links.py)."""

    target: str
    kind: str
    """``video``, ``audio``, ``captions``, ``descriptions`` or ``poster``."""
    location: SourceLocation


def caption_language(path: str, default: str) -> str:
    """The language of a caption file from its name (``film.cy.vtt`` → ``cy``), else ``default``."""
    match = _LANGUAGE.search(posixpath.basename(path))
    return match.group(1) if match else default


def read_media(token: Token, file: SourceLocation, line: str) -> tuple[MediaItem, list[MediaFile], list[Diagnostic]]:
    """The item in a folded ``video``/``audio`` token (``line``: the text of its ``:::`` line), the files it
    names, and every problem with it."""
    kind = token.type
    at = file.at(token.map[0] + 1)

    def where(key: str) -> SourceLocation:
        column = line.find(f"{key}=")
        return at.at(at.line, column + 1) if column >= 0 else at

    options, problems = parse_options(token.info, OPTIONS[kind], at)
    problems = [Diagnostic(p.location, f"{p.message} for {kind}", p.hint) if p.message.startswith("unknown option")
                else p for p in problems]
    transcript = tuple(token.meta["tokens"])
    if not any(t.type == "inline" and t.content.strip() for t in transcript):
        problems.append(Diagnostic(at, f"{kind} has no transcript",
                                   "write every word spoken, and what is shown that matters, inside the block, "
                                   "before its closing ':::'"))
    sources = [key for key in ("src", "youtube", "vimeo") if key in options]
    service = next((key for key in sources if key in SERVICES), "")
    if not sources:
        problems.append(Diagnostic(at, f"{kind} has no source",
                                   f"name the file: '::: {kind} src=media/NAME" + (".mp4'; or a film on YouTube or "
                                   "Vimeo: youtube=ID, vimeo=ID" if kind == "video" else ".mp3'")))
    elif len(sources) > 1:
        problems.append(Diagnostic(where(sources[1]), f"{kind} has more than one source ({', '.join(sources)})",
                                   "keep one of them"))
    external_id = options.get(service, "")
    if service and not SERVICES[service][1].match(external_id):
        problems.append(Diagnostic(where(service), f"'{external_id}' is not a {SERVICES[service][0]} video id",
                                   "copy the id from the video's address: youtube.com/watch?v=ID (11 characters), "
                                   "vimeo.com/ID (digits)"))
    captions, captions_none = options.get("captions"), ""
    none = _NO_CAPTIONS.match(captions or "")
    if none:
        captions, captions_none = None, (none.group(1) or "").strip()
        if not captions_none:
            problems.append(Diagnostic(where("captions"), "captions=none needs a reason",
                                       "say why the video needs no captions: captions=\"none: music only, no speech\""))
    elif kind == "video" and not service and captions is None:
        problems.append(Diagnostic(at, "video has no captions", CAPTIONS_HINT))
    if service:
        for key in ("captions", "descriptions", "poster", "required"):
            if key in options:
                problems.append(Diagnostic(where(key), f"'{key}' cannot be used with a {SERVICES[service][0]} video",
                                           "the service's own player shows the film, its captions and its poster, "
                                           "and does not tell the course when it has been watched"))
    required = options.get("required") == "true"
    if "required" in options and not required:
        problems.append(Diagnostic(where("required"), "'required' takes no value", "write just 'required'"))
    src = options.get("src", "")
    item_id = options.get("id", "")
    if item_id and not SLUG.match(item_id):
        problems.append(Diagnostic(where("id"), f"'{item_id}' is not a valid {kind} id", ID_HINT))
    stem = posixpath.basename(src).partition(".")[0] or external_id
    item = MediaItem(kind, item_id or slug(stem, 40, kind), src, service, external_id, captions, captions_none,
                     options.get("descriptions") if not service else None, options.get("poster") if not service else None,
                     options.get("title", ""), required and not service, transcript, at)
    files = [MediaFile(target, name, where(key)) for key, name, target in
             (("src", kind, src), ("captions", "captions", item.captions),
              ("descriptions", "descriptions", item.descriptions), ("poster", "poster", item.poster)) if target]
    return item, files, problems
