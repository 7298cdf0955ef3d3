"""``learnmark serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

watchfiles hears of edits from the operating system and turns a burst of
saves into one rebuild; python-livereload then tells the browser to reload
(its own watcher polls every file each 0.8 s, too slow to feel live). Rebuilds are incremental:
unchanged files are not parsed again and only pages whose inputs changed are
rendered and written. A failed rebuild writes nothing: the last good site
stays browsable and every page shows the errors on top until they are fixed.
The live-reload script and the error overlay are added to responses as they
are served, never written into build/site/.
"""

from __future__ import annotations

import html
import mimetypes
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote


from .build import check_site
from . import search
from .cache import ParseCache
from .config import CONFIG_FILE, load_config
from .discover import is_ignored
from .errors import BuildFailed, Diagnostic
from .links import LinkMemo
from .memory import one_of_many_builds
from .render import RenderCache
from .write import MARKER, encoded, write_site

QUIET_MS = 20
"""Milliseconds without further changes before a rebuild starts."""
MAX_WAIT_MS = 1000
"""A rebuild starts at the latest this long after the first of a stream of changes."""
MAX_PATH_BYTES = 4096
"""A longer URL path gets 414 URI Too Long (Linux's PATH_MAX: no file in the site has a longer one)."""
MAX_NAME_BYTES = 255
"""A URL path segment longer than this names no file (Linux's NAME_MAX) and gets 404."""


class Preview:
    """The course being previewed: its last good build, its current problems, and caches."""

    def __init__(self, root: Path, strict: bool = False):
        self.root = root
        self.site = root / "build" / "site"
        self.strict = strict
        self.parse_cache = ParseCache()
        self.links = LinkMemo()
        self.render_cache = RenderCache()
        search.ENTRIES.seed({})  # the search index's entries and the index too: an edit changes one page's
        search.INDEXES.seed({})
        self.written: dict[str, str] = {}
        self.problems: list[Diagnostic] = []
        self.failed = False
        self.theme = None

    def rebuild(self) -> float:
        """Build again; write only what changed. Returns the seconds it took."""
        started = time.perf_counter()
        with one_of_many_builds():  # nothing a rebuild makes may stay out of the collector's reach: see memory.py
            self._rebuild()
        return time.perf_counter() - started

    def _rebuild(self) -> None:
        try:  # check's stages, render included: the preview shows exactly the problems build would report
            _, _, warnings, site, self.theme = check_site(self.root, self.strict, cache=self.parse_cache, links=self.links,
                                                          renders=self.render_cache, theme=self.theme)
        except BuildFailed as failure:
            self.problems, self.failed = failure.diagnostics, True
        else:
            self._write(site)
            self.problems, self.failed = warnings, False

    def _write(self, site) -> None:
        if not self.written or not (self.site / MARKER).exists():
            write_site(site, self.site)   # the first build: whole, atomically
        else:
            for path, text in site.files.items():
                if self.written.get(path) != text:
                    _replace(self.site / path, encoded(text))
            for path in set(self.written) - set(site.files):
                (self.site / path).unlink(missing_ok=True)
            for path, source in site.copies.items():
                target = self.site / path
                if not target.exists() or target.stat().st_mtime_ns < source.stat().st_mtime_ns:
                    _replace(target, source.read_bytes())
        self.written = dict(site.files)

    # ---- serving -------------------------------------------------------------------
    def app(self, environ, start_response):
        """A WSGI app serving build/site/, with the error overlay on every page while the build is broken."""
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain")])
            return [b"Method not allowed"]
        path = _wsgi_bytes(environ.get("PATH_INFO", "/"))
        if len(path) > MAX_PATH_BYTES:
            start_response("414 URI Too Long", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"URI too long"]
        target = self._resolve(path)
        status = "200 OK"
        if target is None:
            status, target = "404 Not Found", self.site / "404.html"
        if not target.is_file():
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Not found: the site has not been built yet." if status.startswith("200") else b"Not found"]
        body = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = self._decorate(body)
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [body]

    def _resolve(self, path_bytes: bytes) -> Path | None:
        """The file for a URL path, or None for anything outside the site (checked after decoding)
        or that no file can be: a name longer than the file system allows is simply not there."""
        try:
            path = unquote(path_bytes.decode("utf-8"), errors="strict")
        except UnicodeDecodeError:
            return None
        segments = path.split("/")
        if "\0" in path or "\\" in path or ".." in segments:
            return None
        if any(len(segment.encode("utf-8")) > MAX_NAME_BYTES for segment in segments):
            return None
        try:
            target = (self.site / path.lstrip("/")).resolve()
            root = self.site.resolve()
            if target != root and root not in target.parents:
                return None
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None
        except (OSError, ValueError):  # e.g. the whole path over the system's limit, or a symlink loop
            return None

    def _decorate(self, body: bytes) -> bytes:
        if not self.failed:
            return body
        items = "".join(
            f'<li><code>{html.escape(str(p.location))}</code> {html.escape(p.severity)}: {html.escape(p.message)}'
            + (f'<br><span class="lm-overlay__hint">hint: {html.escape(p.hint)}</span>' if p.hint else "") + "</li>"
            for p in self.problems)
        overlay = (
            '<div id="learnmark-overlay" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;'
            'z-index:2147483647;background:#fff;color:#212b32;border-top:8px solid #b0112a;padding:16px 24px;'
            'font:16px/1.5 Arial,sans-serif;box-shadow:0 -4px 12px rgba(0,0,0,.3)">'
            f'<h2 style="margin:0 0 8px;font-size:20px">The course did not build: {len(self.problems)} problem'
            f'{"s" if len(self.problems) != 1 else ""}</h2>'
            '<p style="margin:0 0 8px">Fix them and save; this page reloads by itself. You are seeing the last good build.</p>'
            f'<ul style="margin:0;padding-left:20px">{items}</ul></div>')
        return body.replace(b"</body>", overlay.encode("utf-8") + b"</body>", 1)


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False, strict: bool = False) -> int:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from livereload.watcher import Watcher
    from tornado import web
    from tornado.ioloop import IOLoop

    class _NoPolling(Watcher):
        """Keeps livereload's own watcher idle: left alone it would poll every file under the
        working directory every 0.8 s, holding up the server as it does."""

        def watch(self, *args, **kwargs) -> None:
            pass

        def start(self, callback) -> bool:
            return True  # "changes will be reported": so livereload starts no polling

    allowed = allowed_hosts(host, port)

    class _Misdirected(web.RequestHandler):
        def prepare(self) -> None:
            self.set_status(421, "Misdirected Request")
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.set_header("X-Content-Type-Options", "nosniff")
            self.finish(misdirected_message(self.request.headers.get("Host"), allowed))

    class _HostChecked(web.Application):
        """Answers only requests addressed to this preview by name: a page on another site that
        points its own host name at 127.0.0.1 (DNS rebinding) sends that name and is refused."""

        def find_handler(self, request, **kwargs):
            if not host_allowed(request.headers.get("Host"), allowed):
                return self.get_handler_delegate(request, _Misdirected)
            return super().find_handler(request, **kwargs)

    class _Server(Server):
        def application(self, port, host, liveport=None, debug=None, live_css=True):
            """livereload's own, less /forcereload, behind the Host check (every route: the pages,
            livereload.js and the live-reload socket)."""
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            handlers = [(r"/livereload", LiveReloadHandler), (r"/livereload.js", LiveReloadJSHandler),
                        *self.get_web_handlers(LIVE_SCRIPT)]
            _HostChecked(handlers=handlers, debug=False).listen(port, address=host)

    if not (root / "site.yaml").is_file():
        print(f"error: no site.yaml in {root}\n  hint: run learnmark serve in the course folder, or pass --project DIR",
              file=sys.stderr)
        return 1
    if not _port_free(host, port):
        print(f"error: port {port} on {host} is already in use\n  hint: stop the other server, or choose another "
              f"port with --port {port + 1}", file=sys.stderr)
        return 1
    preview = Preview(root, strict)
    took = preview.rebuild()
    _report(preview, took)

    def rebuild_and_reload():
        _report(preview, preview.rebuild())
        LiveReloadHandler.reload_waiters()

    loop = IOLoop.instance()  # the loop Server.serve runs; changes are handed to it from the watching threads
    changed = lambda: loop.add_callback(rebuild_and_reload)  # noqa: E731
    folders = [path for path in (root / "content", root / "themes", *_theme_dirs(root)) if path is not None and path.is_dir()]
    # site.yaml is watched through its folder: editors save by writing a new file and renaming
    # it over the old one, and a watch on the file itself would stay with the old one.
    for paths, recursive, wanted in (([root], False, lambda path: Path(path).name == CONFIG_FILE), (folders, True, None)):
        threading.Thread(target=_watch, args=(paths, recursive, wanted, changed), daemon=True).start()
    server = _Server(app=preview.app, watcher=_NoPolling())
    print(f"Serving {root.name} on http://{host}:{port}/ (press Ctrl+C to stop)")
    server.serve(host=host, port=port, debug=False, restart_delay=0, live_css=False,
                 open_url_delay=0.5 if open_browser else None)
    return 0


LIVE_SCRIPT = (b'<script>(function(){var s=document.createElement("script");'
               b'var port=window.location.port||(window.location.protocol=="https:"?443:80);'
               b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
               b'document.head.appendChild(s);})();</script>')
"""Added before ``</head>`` of every page served (as livereload does): loads the live-reload client."""

LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` headers the preview answers to: 127.0.0.1, localhost and the address it listens
    on, each with its port (a browser leaves the port out only when it is 80)."""
    names = {name.lower() for name in (*LOOPBACK_NAMES, host) if name not in ("", "0.0.0.0", "::")}
    return frozenset({f"{name}:{port}" for name in names} | (names if port == 80 else set()))


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    return header is not None and header.strip().lower() in allowed


def misdirected_message(header: str | None, allowed: frozenset[str]) -> str:
    shown = "no Host header" if header is None else f"Host: {header[:100]}"
    addresses = " or ".join(f"http://{name}/" for name in sorted(allowed))
    return f"Misdirected request ({shown}). This course preview answers only at {addresses}\n"


def _watch(paths: list[Path], recursive: bool, wanted, changed) -> None:
    """Call ``changed`` after each burst of edits to files in ``paths`` (that ``wanted`` accepts).

    watchfiles hears of changes from the operating system (inotify on Linux)
    rather than polling every file, and groups a burst of saves (an editor
    writing a temporary file, then renaming it) into one call once no change
    has come for ``QUIET_MS``. Editors' temporary and backup files are ignored.
    """
    import watchfiles

    def watch_filter(change, path: str) -> bool:
        return not is_ignored(Path(path).name) and (wanted is None or wanted(path))

    for _ in watchfiles.watch(*paths, watch_filter=watch_filter, recursive=recursive,
                              step=QUIET_MS, debounce=MAX_WAIT_MS, raise_interrupt=False):
        changed()


def _report(preview: Preview, took: float) -> None:
    for problem in preview.problems:
        print(problem.format(), file=sys.stderr)
    if preview.failed:
        count = len(preview.problems)
        print(f"Rebuild failed ({count} problem{'' if count == 1 else 's'}); still serving the last good build.", file=sys.stderr)
    else:
        print(f"Rebuilt in {took * 1000:.0f} ms")
    sys.stdout.flush()


def _wsgi_bytes(text: str) -> bytes:
    """A WSGI string back as the bytes that came over the wire (PEP 3333 carries them as Latin-1)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:  # not from a WSGI server: a caller's own text
        return text.encode("utf-8", "surrogateescape")


def _replace(target: Path, data: bytes) -> None:
    """Write one file by rename, so the server never sends a half-written page."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(target)


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _theme_dirs(root: Path) -> tuple[Path | None, ...]:
    """The theme in use, watched too when it lives outside the course (a built-in theme), and its overrides folder."""
    config, _ = load_config(root)
    return (config.theme_dir, config.overrides_dir) if config else ()
