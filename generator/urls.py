"""Output paths and the relative links between them.

Every link in the site is relative and ends in ``.html`` so the same files
work opened from disk (file://), on any web server path, and inside an LMS.
"""

from __future__ import annotations

from urllib.parse import quote

HOME = "index.html"
NOT_FOUND = "404.html"
PROGRESS = "progress.html"
SEARCH = "search.html"
"""The search page (see search.py): in the site, in each language's folder and in every package."""
CERTIFICATE = "certificate.html"
SUPPORT = "support.html"
"""The support page, when ``site.yaml`` names one (see support.py)."""
STATEMENT = "accessibility.html"
"""The generated accessibility statement (see statement.py)."""
PRINT = "print.html"
"""Each module's whole text on one page, to print or save: ``<module-id>/print.html`` (see printable.py)."""
SHARED_MEDIA = "_media"
"""Output folder for files kept in ``content/`` outside any module folder."""


def relative_url(from_url: str, to_url: str) -> str:
    """``to_url`` as seen from the page at ``from_url`` (both site-relative paths).

    Called for every link of every page, so it avoids ``posixpath.relpath``:
    up to the site root from the page's folder, then down to the target.
    """
    path, hash_, fragment = to_url.partition("#")
    if not path:
        return hash_ + fragment
    folder = from_url.rpartition("/")[0]
    if not folder:
        rel = path
    elif path.startswith(folder + "/"):
        rel = path[len(folder) + 1:]
    else:
        rel = "../" * (folder.count("/") + 1) + path
    return rel + hash_ + fragment


def print_url(module) -> str:
    """The site-relative path of ``module``'s print page."""
    return f"{module.id}/{PRINT}"


def media_url(source_rel: str, module_folders: dict[str, str]) -> str:
    """Where a file from ``content/`` is published: beside its module's pages.

    ``content/02-leadership/images/a.svg`` → ``leadership/images/a.svg``, so the
    relative paths authors write keep working.
    """
    folder = source_rel
    while "/" in folder:
        folder = folder.rsplit("/", 1)[0]
        if folder in module_folders:
            return module_folders[folder] + source_rel[len(folder):]
    return SHARED_MEDIA + "/" + source_rel.split("/", 1)[1]


def path_url(path: str) -> str:
    """The URL of the site file at ``path``: every character but letters, digits, ``/`` and ``_.-~``
    percent-encoded, so a ``#``, ``?``, ``%`` or space in a file name is part of the name, never of the URL's syntax."""
    return quote(path, safe="/")
