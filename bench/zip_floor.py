#!/usr/bin/env python3
"""The floor of packaging: zip folders of finished files with `zipfile` (deflate, default
level), one archive per folder, with no rendering, manifest or checks. `bench/run` unpacks the
SCORM packages Learnmark made and times this on the same files, in turns with `learnmark package`.

    python bench/zip_floor.py FOLDERS_DIR OUT_DIR
"""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path


def main(folders: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for folder in sorted(p for p in folders.iterdir() if p.is_dir()):
        with zipfile.ZipFile(out / f"{folder.name}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for root, dirs, files in os.walk(folder):
                dirs.sort()
                for name in sorted(files):
                    path = Path(root, name)
                    archive.write(path, path.relative_to(folder).as_posix())


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
