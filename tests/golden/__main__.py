"""``python -m tests.golden``: say how the shipped course's output differs from the manifest;
``--update`` writes the manifest again (after you have reviewed the differences)."""

from __future__ import annotations

import argparse
import sys

from . import MANIFEST, differences, digests, load, save


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__)
    parser.add_argument("--update", action="store_true", help=f"write {MANIFEST.name} from this build")
    args = parser.parse_args(argv)
    actual = digests()
    found = differences(load() if MANIFEST.exists() else {}, actual)
    for kind, paths in found.items():
        for path in paths:
            print(f"{kind:8} {path}")
    if args.update:
        save(actual)
        print(f"wrote {MANIFEST} ({len(actual)} files)")
        return 0
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
