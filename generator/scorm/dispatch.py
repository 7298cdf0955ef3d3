"""Dispatch: a course hosted once, tracked in every LMS that uploads its thin packages.

Every published site carries, per module, a hosted launch page (``<module>/dispatch.html``)
that runs the same SCORM runtime as a package's launch page, with its LMS session held by
another window. A dispatch package holds only a manifest and, per module, a launch page
that owns the LMS session and frames that hosted page at ``base_url``; the two talk by
postMessage (the protocol is described in the theme's scorm/bridge.js, the threat model
in docs/dispatch.md). So an update to the site reaches every LMS at the next launch.
"""

from __future__ import annotations

import ipaddress
import json
from urllib.parse import urlsplit

from ..errors import BuildFailed, Diagnostic, SourceLocation
from ..i18n.keys import shipped
from ..model import Course, Module
from ..theme import STYLESHEET, Theme
from ..tracking import DISPATCH_COURSE, course_script
from .names import DISPATCH_PAGE, HOSTED, RELAY
from .scripts import scorm_scripts


def base_address(url: str, where: SourceLocation) -> str:
    """``url`` as the address the course is published at, ending in "/"; BuildFailed unless it is https
    (or http on this machine, for testing: learners' browsers would refuse the mixed content otherwise)."""
    hint = "give the https:// address the built site (build/site/) is published at, e.g. https://courses.example.nhs.uk/culture/"
    if not url:
        raise BuildFailed([Diagnostic(where, "a dispatch package needs the address the course is published at",
                                      "set base_url in site.yaml or pass --base-url URL")])
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        parts, host = None, ""
    problem = None
    if parts is None or not host or parts.scheme not in ("https", "http"):
        problem = f"'{url}' is not a web address"
    elif parts.username is not None or parts.query or parts.fragment:
        problem = f"'{url}' has a user name, query or fragment; the address of a site has none"
    elif parts.scheme == "http" and not _loopback(host):
        problem = f"'{url}' is not https://: LMSs are served over https, and browsers block an http:// frame inside them"
    if problem:
        raise BuildFailed([Diagnostic(where, problem, hint)])
    return url if url.endswith("/") else url + "/"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


def hosted_url(base: str, module: Module) -> str:
    """Where a dispatch package's launch page for ``module`` finds the module."""
    return f"{base}{module.id}/{DISPATCH_PAGE}"


def hosted_files(course: Course, theme: Theme) -> dict[str, str]:
    """The hosted launch page of every module, and its scripts, for the published site."""
    files = scorm_scripts(theme, HOSTED)
    for module in course.modules:
        # The module's content version is in dispatch-course.js, which changes as the content does; this page does not.
        settings = {"module": module.id, "failedStatus": module.scorm_failed_status, "start": "index.html",
                    "dispatch": True}
        files[f"{module.id}/{DISPATCH_PAGE}"] = theme.env.get_template("launch.html").render(
            site=course.config, course=course, module=module, title=f"{module.title} – {course.title}",
            settings=_script_json(settings), stylesheet="../" * (1 + course.config.folder.count("/")) + STYLESHEET,
            scripts=[DISPATCH_COURSE, *(f"../{path}" for path in HOSTED)])
        # Its module as a package's course.js has it (with what the runtime reads, which the site's leaves out),
        # and the interface strings; not the whole course's, which the runtime does not read.
        files[f"{module.id}/{DISPATCH_COURSE}"] = course_script(course, (module,), theme.messages.browser())
    return files


def relay_page(course: Course, theme: Theme, module: Module, version: str, base: str) -> str:
    """A dispatch package's launch page for ``module``."""
    url = hosted_url(base, module)
    settings = {"version": "1.2" if version == "1.2" else "2004", "module": module.id, "url": url,
                "origin": origin(base), "content": module.version}
    return theme.env.get_template("relay.html").render(
        site=course.config, course=course, module=module, title=f"{module.title} – {course.title}",
        settings=_script_json(settings), url=url, scripts=[f"../{path}" for path in RELAY],
        messages=_script_json(shipped(theme.messages.browser())))  # a dispatch package has no course.js: its strings, here


def relay_scripts(theme: Theme) -> dict[str, bytes]:
    return {path: text.encode("utf-8") for path, text in scorm_scripts(theme, RELAY).items()}


def _script_json(value) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
