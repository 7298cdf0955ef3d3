"""Use every core for big builds: worker processes parse and render their share of the pages.

Parsed Markdown is far costlier to send between processes than to make (a
thousand documents' tokens take longer to pickle than to parse), so each
worker keeps the tokens of the pages it parsed and sends back only a light
copy (front matter, headings, links, quizzes) for the course model and the
checks. Once the parent has checked the whole course, it sends the model to
the workers, and each renders the pages it parsed and returns their HTML.
Workers are forked, so they start with the parent's imports; where fork is
not available the build stays in one process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from dataclasses import replace

import jinja2

from .discover import ModuleSource, SourceFile
from .errors import BuildFailed, Diagnostic
from .markdown import make_markdown
from .model import Course
from .parse import ParsedDocument, parse
from .theme import template_problem

_STOP = b"stop"
MIN_DOCUMENTS = 200
"""Below this a build is quicker in one process than the cost of starting workers."""


def worker_count(documents: int) -> int:
    """How many workers a build of ``documents`` pages should use (0: none)."""
    wanted = os.environ.get("LEARNMARK_WORKERS")
    if wanted is not None:
        return int(wanted)
    cores = os.cpu_count() or 1
    if documents < MIN_DOCUMENTS or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(cores, 4)


class Workers:
    """Forked workers, each parsing then rendering a fixed share of the course's files."""

    def __init__(self, sources: list[ModuleSource], allow_html: bool, count: int, fields: dict[str, dict], theme):
        self.theme = theme
        for name in theme.env.list_templates(extensions=["html"]):  # compiled once here, inherited by workers
            theme.env.get_template(name)
        jobs = [(file, fields[what], what) for source in sources
                for file, what in ((source.index, "module"), *((page, "page") for page in source.pages))]
        context = multiprocessing.get_context("fork")
        gc.freeze()  # keep the collector from touching (and so copying) memory the workers share
        self.connections = []
        self.processes = []
        for share in range(count):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_work, args=(child_end, jobs[share::count], allow_html, theme), daemon=True)
            process.start()
            child_end.close()
            self.connections.append(parent_end)
            self.processes.append(process)
        gc.unfreeze()

    def parsed(self) -> dict[str, tuple[ParsedDocument | None, list[Diagnostic]]]:
        """Every file's light parse result, by its path."""
        results = {}
        for connection in self.connections:
            results.update({rel: (doc, problems) for rel, doc, problems in _receive(connection)})
        return results

    def render(self, course: Course, media: dict[str, str]) -> dict[str, str]:
        """HTML of every page, rendered by the worker that parsed it."""
        message = pickle.dumps((course, media), protocol=pickle.HIGHEST_PROTOCOL)
        for connection in self.connections:
            connection.send_bytes(message)
        pages = {}
        for connection in self.connections:
            pages.update(_receive(connection))
        self.close()
        return pages

    def close(self) -> None:
        for connection in self.connections:
            try:
                connection.send_bytes(_STOP)
            except (BrokenPipeError, OSError):
                pass
            connection.close()
        for process in self.processes:
            process.join(timeout=10)
        self.connections, self.processes = [], []


def _receive(connection):
    status, payload = connection.recv()
    if status == "failed":
        raise BuildFailed(payload)
    if status == "error":
        raise RuntimeError(f"a build worker failed:\n{payload}")
    return payload


def _work(connection, jobs: list[tuple[SourceFile, dict, str]], allow_html: bool, theme) -> None:
    try:
        md = make_markdown(allow_html)
        full: dict[str, ParsedDocument] = {}
        light = []
        for source, fields, what in jobs:
            doc, problems = parse(source, md, fields, what)
            if doc is not None:
                full[source.rel] = doc
                doc = replace(doc, tokens=(), env={})
            light.append((source.rel, doc, problems))
        connection.send(("ok", light))
        message = connection.recv_bytes()
        if message == _STOP:
            return
        course, media = pickle.loads(message)
        try:
            connection.send(("ok", _render_share(_with_documents(course, full), media, md, theme, set(full))))
        except jinja2.TemplateError as error:  # a theme author's mistake: reported like any other problem
            connection.send(("failed", [template_problem(error, course.config.root)]))
    except Exception:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


def _with_documents(course: Course, full: dict[str, ParsedDocument]) -> Course:
    """The parent's course, with this worker's documents put back with their tokens."""
    def swap(doc):
        return replace(doc, document=full.get(doc.document.source.rel, doc.document))
    modules = tuple(replace(swap(m), pages=tuple(swap(p) for p in m.pages)) for m in course.modules)
    return Course(course.config, modules)


def _render_share(course: Course, media: dict[str, str], md, theme, mine: set[str]) -> dict[str, str]:
    from .render import render_site
    only = frozenset(doc.url for doc in course.sequence if doc.document.source.rel in mine)
    site = render_site(course, theme, md, media, only=only)
    return {url: site.files[url] for url in only}
