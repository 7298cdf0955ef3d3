"""The support page: ``support:`` in ``site.yaml`` names a Markdown file in content/, published as ``support.html``.

It is read and parsed like a page (its links and images resolve the same
way), but it belongs to no module: its name starts with ``_`` so discovery
never takes it for a page. Every way the ``support:`` value can be wrong is
an error at that line of site.yaml; what is wrong inside the file is an
error at its own line.
"""

from __future__ import annotations

import os
import posixpath

from .config import SiteConfig
from .discover import SourceFile, inside_content
from .errors import Diagnostic, did_you_mean
from .i18n import N_
from .markdown import make_markdown
from .model import Page
from .parse import parse
from .schema import Field
from .urls import SUPPORT

FIELDS = {
    "title": Field("text", default=""),
    "summary": Field("text", default=""),
}
LINK_TEXT = N_("Get support")
"""What the header and content notes call the support page, and its title unless it has one of its own."""


def load_support(config: SiteConfig) -> tuple[Page | None, list[Diagnostic]]:
    """The support page named by ``support:``, or None (no ``support:``, or a problem with it)."""
    if not config.support:
        return None, []
    at = config.location_of("support")
    rel, problem = _checked_path(config, config.support)
    if problem:
        message, hint = problem
        return None, [Diagnostic(at, message, hint)]
    path = config.root / rel
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except UnicodeDecodeError as error:
        return None, [Diagnostic(at, f"the support file '{rel}' is not UTF-8 text ({error.reason} at byte {error.start})",
                                 "save the file as UTF-8 in your editor")]
    except OSError as error:
        return None, [Diagnostic(at, f"cannot read the support file '{rel}': {(error.strerror or str(error)).lower()}",
                                 "check its permissions: the user running Learnmark must be able to read it")]
    document, problems = parse(SourceFile(rel, str(path), text), make_markdown(config.allow_html), FIELDS, "support page")
    problems += [Diagnostic(block.location, f"the support page cannot hold a {kind}",
                            "put quizzes and reflections in a module's pages")
                 for kind, blocks in (("quiz", document.quizzes), ("reflection", document.reflections))
                 for block in blocks]
    return Page(id="support", title=document.meta["title"] or LINK_TEXT, summary=document.meta["summary"] or "",
                minutes=1, url=SUPPORT, document=document), problems


def _checked_path(config: SiteConfig, value: str) -> tuple[str, tuple[str, str] | None]:
    """``value`` as a path relative to the project, or (message, hint) saying why it cannot be the support file."""
    content = config.content_dir.relative_to(config.root).as_posix()
    example = f"e.g. support: {content}/_support.md"
    rel = posixpath.normpath(value.strip().replace("\\", "/"))
    if value.strip().startswith("/") or not rel.startswith(content + "/"):
        return rel, (f"the support file '{value}' is not inside {content}/",
                     f"name a Markdown file inside {content}/, relative to site.yaml: {example}")
    if not rel.endswith(".md"):
        return rel, (f"the support file '{value}' is not a Markdown file", f"name a .md file, {example}")
    full = config.root / rel
    if not full.is_file():
        siblings = _markdown_near(full.parent, config.root)
        hint = did_you_mean(rel, siblings) if siblings else f"create it, {example}"
        return rel, (f"the support file '{value}' does not exist", hint)
    if not inside_content(full, config.content_dir):
        return rel, (f"the support file '{value}' is a symbolic link to a file outside {content}/",
                     f"nothing outside {content}/ is read: copy the file into {content}/")
    if not posixpath.basename(rel).startswith("_"):
        return rel, (f"the support file '{value}' would also be a page of a module or an error, as its name does "
                     "not start with '_'", f"rename it so its name starts with '_', {example}")
    return rel, None


def _markdown_near(folder, root) -> list[str]:
    try:
        return [posixpath.join(folder.relative_to(root).as_posix(), name) for name in os.listdir(folder)
                if name.endswith(".md")]
    except (OSError, ValueError):
        return []
