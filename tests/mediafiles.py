"""A tiny real film, recording, poster and caption file for tests, made with Debian's ffmpeg.

Nothing binary is committed: ``make_media`` writes them (in about a second) into
a folder, and a session fixture keeps them under pytest's temporary folder.
WebM (VP8 and Opus) is used because every Chromium build plays it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SECONDS = 1.5
CAPTIONS = f"WEBVTT\n\n00:00.000 --> 00:00.700\nA tone plays over colour bars.\n\n00:00.700 --> 00:0{SECONDS:.3f}\nIt goes on.\n"
FFMPEG = shutil.which("ffmpeg")
MISSING = "ffmpeg is not installed (tests/run installs Debian's ffmpeg): it makes the test film"


def make_media(folder: Path) -> dict[str, Path]:
    """Write ``film.webm`` (160x90, with sound), ``talk.ogg`` (sound only), ``poster.png`` and
    ``film.en.vtt`` into ``folder``; return them by name."""
    folder.mkdir(parents=True, exist_ok=True)
    tone = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={SECONDS}"]
    bars = ["-f", "lavfi", "-i", f"testsrc2=size=160x90:rate=15:duration={SECONDS}"]
    jobs = {
        "film.webm": [*bars, *tone, "-c:v", "libvpx", "-b:v", "50k", "-c:a", "libopus", "-b:a", "24k", "-shortest"],
        "talk.ogg": [*tone, "-c:a", "libopus", "-b:a", "24k"],
        "poster.png": [*bars, "-frames:v", "1"],
    }
    for name, args in jobs.items():
        subprocess.run([FFMPEG, "-nostdin", "-loglevel", "error", "-y", *args, str(folder / name)],
                       check=True, timeout=60, stdin=subprocess.DEVNULL)
    (folder / "film.en.vtt").write_text(CAPTIONS, encoding="utf-8")
    return {name: folder / name for name in (*jobs, "film.en.vtt")}
