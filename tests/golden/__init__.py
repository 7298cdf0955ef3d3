"""The shipped course's output, file by file, as a manifest of SHA-256 digests (``shipped.json``).

``tests/unit/test_golden.py`` builds the shipped course (``content/`` and ``site.yaml`` of the
repository) and compares every output file's digest with the manifest, so any change to the
output, however small, is seen: performance work must leave it identical. When the output is
meant to change (a template, a stylesheet, new content), review the changed files and write the
manifest again:

    python -m tests.golden --update

The build date is the one input that is not in the repository; the build takes it from
``SOURCE_DATE_EPOCH`` (the accessibility statement's dates), which is fixed here.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MANIFEST = Path(__file__).resolve().parent / "shipped.json"
EPOCH = "1764201600"  # 2025-11-27 00:00 UTC: any fixed day will do
UPDATE = "python -m tests.golden --update"


def digests() -> dict[str, str]:
    """Build the shipped course into a temporary folder: {output path: SHA-256 of the file}."""
    from generator.build import build

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        with tempfile.TemporaryDirectory(prefix="learnmark-golden-") as tmp:
            out = Path(tmp) / "site"
            build(REPO, out)
            return {path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                    for path in sorted(out.rglob("*")) if path.is_file()}
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def load() -> dict[str, str]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def save(files: dict[str, str]) -> None:
    MANIFEST.write_text(json.dumps(files, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def differences(expected: dict[str, str], actual: dict[str, str]) -> dict[str, list[str]]:
    """The files changed, added and removed between two manifests (empty lists when identical)."""
    return {"changed": sorted(p for p in expected.keys() & actual.keys() if expected[p] != actual[p]),
            "added": sorted(actual.keys() - expected.keys()),
            "removed": sorted(expected.keys() - actual.keys())}
