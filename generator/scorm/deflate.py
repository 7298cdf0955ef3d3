"""Deflate once what every package of a run holds.

Each module's package holds the same theme scripts and styles (about 120 KB);
deflating them again for each of 50 packages was a fifth of the packaging's
zlib time. Deflate gives the same bytes for the same input and settings, so
a file's deflated bytes are remembered the first time ``zipfile`` makes them
and handed back to it for the same file in the next package: the zips are
byte-identical, and ``zipfile`` still writes every header, size and CRC.
"""

from __future__ import annotations

import zipfile


class Deflated:
    """The deflated bytes of the files named ``paths``, by their name and content, made by ``zipfile``."""

    def __init__(self, paths: frozenset[str]):
        self.paths = paths
        self.known: dict[tuple[str, bytes], bytes] = {}

    def write(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
        """``archive.writestr(info, data)``, with the deflated bytes remembered, or taken from the last time."""
        if info.filename not in self.paths or info.compress_type != zipfile.ZIP_DEFLATED:
            archive.writestr(info, data)
            return
        key = (info.filename, data)
        info.file_size = len(data)  # as writestr sets it
        with archive.open(info, "w") as entry:
            compressor = getattr(entry, "_compressor", None)  # zipfile's own, made with the archive's settings
            known = self.known.get(key)
            if compressor is None:  # a zipfile that works otherwise: deflate as it does
                entry.write(data)
                return
            recording = _Replay(known) if known is not None else _Recording(compressor)
            entry._compressor = recording
            entry.write(data)
        if known is None:
            self.known[key] = b"".join(recording.output)


class _Recording:
    """zipfile's compressor, keeping what it gives."""

    def __init__(self, compressor):
        self.compressor = compressor
        self.output: list[bytes] = []

    def compress(self, data) -> bytes:
        self.output.append(self.compressor.compress(data))
        return self.output[-1]

    def flush(self) -> bytes:
        self.output.append(self.compressor.flush())
        return self.output[-1]


class _Replay:
    """A compressor that gives back what one recorded for the same data: all of it at the end."""

    def __init__(self, deflated: bytes):
        self.deflated = deflated

    def compress(self, data) -> bytes:
        return b""

    def flush(self) -> bytes:
        return self.deflated
