"""The shipped course's output is byte for byte what tests/golden/shipped.json records.

Any change to the generator, theme or content that changes a published file fails here, listing
the files; if the change is meant, review those files and regenerate the manifest with
``python -m tests.golden --update`` (see tests/golden/__init__.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests import golden
from tests.conftest import REPO


def test_the_shipped_course_builds_to_the_recorded_files():
    found = golden.differences(golden.load(), golden.digests())
    listed = "\n".join(f"  {kind}: {path}" for kind, paths in found.items() for path in paths)
    assert not any(found.values()), (
        f"the shipped course's output differs from tests/golden/shipped.json:\n{listed}\n"
        f"If this change is meant, review those files and run `{golden.UPDATE}`.")


def test_the_build_is_deterministic():
    """A build in another process, with another string hash seed, gives the same files: nothing (a time,
    a set's order) varies between builds."""
    script = "import json; from tests import golden; print(json.dumps(golden.digests()))"
    other = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"})
    found = golden.differences(json.loads(other.stdout), golden.digests())
    assert not any(found.values()), found
