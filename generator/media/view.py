"""What the theme's media component needs to draw one item: addresses, types, sizes and labels.

Pure but for reading the files it names: their size (for the download link's
label and the poster's width and height, which keep the page from jumping
when the player loads), and the caption and description tracks, written into
the page (see ``_track``).
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from babel import Locale, UnknownLocaleError

from ..i18n import Messages
from ..i18n.language import CLDR
from ..images import image_size
from .items import SERVICES, MediaItem, caption_language



@dataclass(frozen=True)
class Track:
    url: str
    language: str
    label: str


@dataclass(frozen=True)
class MediaView:
    src: str
    """The media file's address relative to the page; empty for an external video."""
    captions: Track | None
    descriptions: Track | None
    poster: str
    width: int | None
    height: int | None
    """The poster's size, which the player takes; None without one (the stylesheet then keeps 16:9)."""
    download: str
    """The download link's text: 'Download the video (MP4, 2.4 MB)'."""
    service: str
    """The external service's name (``YouTube``); empty otherwise."""
    watch_url: str
    """The film's page on the service (the link learners follow without JavaScript)."""
    embed_url: str
    """The privacy-enhanced player, loaded only when the learner asks for it."""


def media_view(item: MediaItem, locate: Callable[[str, str], tuple[str, Path | None]], messages: Messages) -> MediaView:
    """The view of ``item``, its labels in ``messages``' language (also the language of its tracks unless their
    names say another); ``locate(target, kind)`` gives a file's address from the page and its source path."""
    if item.external:
        name, _, watch, embed = SERVICES[item.service]
        return MediaView("", None, None, "", None, None, "", name, watch.format(item.external_id),
                         embed.format(item.external_id))
    src, source = locate(item.src, item.kind)
    suffix = item.src.rpartition(".")[2].lower()
    size = _size(source)
    download = _download(item.kind, suffix.upper(), size, messages)
    poster, width, height = "", None, None
    if item.poster:
        poster, poster_source = locate(item.poster, "poster")
        dimensions = image_size(poster_source, _mtime(poster_source)) if poster_source else None
        width, height = dimensions if dimensions else (None, None)
    return MediaView(src, _track(item.captions, locate, "captions", messages),
                     _track(item.descriptions, locate, "descriptions", messages), poster, width, height, download,
                     "", "", "")


def _download(kind: str, form: str, size: int | None, messages: Messages) -> str:
    """The download link's text: 'Download the video (MP4, 2.4 MB)'."""
    if kind == "video":
        text = (messages.gettext("Download the video (%(format)s, %(size)s)") if size is not None
                else messages.gettext("Download the video (%(format)s)"))
    else:
        text = (messages.gettext("Download the audio (%(format)s, %(size)s)") if size is not None
                else messages.gettext("Download the audio (%(format)s)"))
    return text % {"format": form, "size": _megabytes(size, messages) if size is not None else ""}


def _track(target: str | None, locate, kind: str, messages: Messages) -> Track | None:
    """A caption or description track, its file written into the page as a ``data:`` address: a page opened
    from disk (file://) may not load a track from a file beside it (browsers treat every file as a
    separate origin), and captions must work wherever the course is opened."""
    if target is None:
        return None
    language = caption_language(target, messages.language.tag)
    name = language_name(language, messages)
    href, source = locate(target, kind)
    try:
        url = "data:text/vtt;charset=utf-8;base64," + base64.b64encode(source.read_bytes()).decode("ascii")
    except (OSError, AttributeError):  # gone since the check (reported when copied), or unresolved
        url = href
    return Track(url, language, name if kind == "captions"
                 else messages.gettext("%(language)s (audio description)") % {"language": name})


def language_name(tag: str, messages: Messages) -> str:
    """A track's language as the player's menu names it, in the course's language (``Saesneg`` for ``en`` in
    a Welsh course, from CLDR); its tag when CLDR does not know it."""
    try:
        primary = Locale.parse(tag.split("-")[0].lower())
    except (UnknownLocaleError, ValueError):
        return tag
    name = CLDR.get((messages.language.tag, "track name", tag),
                    lambda: primary.get_display_name(messages.language.locale) or tag)
    return name[:1].upper() + name[1:]


def _size(path: Path | None) -> int | None:
    try:
        return os.stat(path).st_size if path is not None else None
    except OSError:
        return None


def _mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def _megabytes(size: int, messages: Messages) -> str:
    if size < 1024 * 1024:
        return f"{messages.number(max(1, round(size / 1024)))} KB"
    return f"{messages.number(size / 1024 / 1024, '#,##0.0')} MB"


