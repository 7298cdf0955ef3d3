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

from ..images import image_size
from .items import SERVICES, MediaItem, caption_language

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg", "gd": "Gàidhlig", "ga": "Gaeilge"}
"""Labels for caption tracks (the player's menu); other languages are shown by their tag."""


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


def media_view(item: MediaItem, locate: Callable[[str, str], tuple[str, Path | None]], language: str) -> MediaView:
    """The view of ``item``; ``locate(target, kind)`` gives a file's address from the page and its source path."""
    if item.external:
        name, _, watch, embed = SERVICES[item.service]
        return MediaView("", None, None, "", None, None, "", name, watch.format(item.external_id),
                         embed.format(item.external_id))
    src, source = locate(item.src, item.kind)
    suffix = item.src.rpartition(".")[2].lower()
    size = _size(source)
    download = f"Download the {item.kind} ({suffix.upper()}" + (f", {_megabytes(size)})" if size is not None else ")")
    poster, width, height = "", None, None
    if item.poster:
        poster, poster_source = locate(item.poster, "poster")
        dimensions = image_size(poster_source, _mtime(poster_source)) if poster_source else None
        width, height = dimensions if dimensions else (None, None)
    return MediaView(src, _track(item.captions, locate, "captions", language),
                     _track(item.descriptions, locate, "descriptions", language), poster, width, height, download,
                     "", "", "")


def _track(target: str | None, locate, kind: str, default: str) -> Track | None:
    """A caption or description track, its file written into the page as a ``data:`` address: a page opened
    from disk (file://) may not load a track from a file beside it (browsers treat every file as a
    separate origin), and captions must work wherever the course is opened."""
    if target is None:
        return None
    language = caption_language(target, default)
    name = LANGUAGE_NAMES.get(language.split("-")[0].lower(), language)
    href, source = locate(target, kind)
    try:
        url = "data:text/vtt;charset=utf-8;base64," + base64.b64encode(source.read_bytes()).decode("ascii")
    except (OSError, AttributeError):  # gone since the check (reported when copied), or unresolved
        url = href
    return Track(url, language, name if kind == "captions" else f"{name} (audio description)")


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


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


