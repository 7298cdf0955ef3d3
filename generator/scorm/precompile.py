"""Compile the theme's templates for ``learnmark package`` in a helper process, on a core that would idle.

Compiling the ~25 templates a package renders takes ~0.2 s, and packaging needs them before it forks
its workers (``package_course`` does its first module in this process, so they inherit them). Until
then this process parses the course (on every core) and checks it (on one: the other waits). A helper
forked at the start, at the lowest priority, gets almost no time while the parse's workers run and
compiles while the check leaves a core free; it writes Jinja2's bytecode into a temporary folder that
the package's theme then loads templates from (``load_course_theme(..., bytecode_cache=folder)``).
Nothing outlives the run: the folder is deleted and the helper ended with it. If the helper is slow
or fails, the templates it did not write are compiled here as they would have been.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..config import load_config
from ..parallel import MIN_DOCUMENTS, worker_count
from ..theme import load_course_theme

TEMPLATES = ("base.html", "page.html", "module.html", "print.html", "search.html", "support.html",
             "accessibility.html", "launch.html")
"""The pages a package holds, most used first; each component's templates (``components/``) go after them."""


@contextmanager
def templates_compiled(root: Path) -> Iterator[Path | None]:
    """A folder the course's theme's compiled templates are being written to, for the ``with`` block only;
    None with one core (nothing would idle) or where no process can be forked."""
    if worker_count(MIN_DOCUMENTS) < 1:  # one core (or LEARNMARK_WORKERS=0): no core would idle
        yield None
        return
    folder, pid = None, None
    try:
        folder = tempfile.mkdtemp(prefix="learnmark-templates-")
        pid = os.fork()
    except (OSError, AttributeError):  # it only saves time: package without it (no fork on Windows)
        pass
    if pid == 0:  # the helper: never returns, whatever happens
        try:
            os.nice(19)
            _compile(root, Path(folder))
        finally:
            os._exit(0)
    try:
        yield Path(folder) if pid else None
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)  # done by now, or no longer needed
            os.waitpid(pid, 0)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _compile(root: Path, folder: Path) -> None:
    config, _ = load_config(root)
    if config is None:
        return
    env = load_course_theme(config, config.language, folder).env
    components = sorted(name for name in env.list_templates(extensions=["html"]) if name.startswith("components/"))
    for name in (*TEMPLATES, *components):
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001 - a theme's mistake is reported where the template is used
            continue
