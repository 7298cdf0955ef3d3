"""Intrinsic image sizes, so pages reserve space for images and do not jump as they load.

Reads only the few header bytes each format needs (PNG, GIF, JPEG, WebP, SVG);
anything it cannot read gets no size rather than a wrong one.
"""

from __future__ import annotations

import re
import struct
from functools import lru_cache
from pathlib import Path

_SVG_LENGTH = re.compile(r'\b(width|height)\s*=\s*["\']\s*([\d.]+)\s*(px)?\s*["\']')
_VIEWBOX = re.compile(r'\bviewBox\s*=\s*["\']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*["\']')


@lru_cache(maxsize=4096)
def image_size(path: Path, mtime_ns: int = 0) -> tuple[int, int] | None:
    """(width, height) in CSS pixels, or None. ``mtime_ns`` only keys the cache."""
    try:
        head = path.read_bytes()[:65536] if path.suffix.lower() in (".svg", ".jpg", ".jpeg") else path.open("rb").read(32)
    except OSError:
        return None
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and head[12:16] == b"VP8X":
        return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
    if head[:2] == b"\xff\xd8":
        return _jpeg(head)
    if path.suffix.lower() == ".svg":
        return _svg(head.decode("utf-8", "replace"))
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    return None


def _svg(text: str) -> tuple[int, int] | None:
    root = text[text.find("<svg"):text.find(">", text.find("<svg")) + 1] if "<svg" in text else ""
    lengths = {name: float(value) for name, value, _ in _SVG_LENGTH.findall(root)}
    if "width" in lengths and "height" in lengths:
        return round(lengths["width"]), round(lengths["height"])
    box = _VIEWBOX.search(root)
    return (round(float(box.group(1))), round(float(box.group(2)))) if box else None
