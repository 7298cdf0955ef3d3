"""``accessibility:`` in ``site.yaml``: what the generated accessibility statement needs from the author.

UK public sector bodies must publish an accessibility statement that says how
to report a problem, so a statement without a contact is a warning (the
build still succeeds, and the statement says where else to turn). Every
value is checked where it is written, as ``site.yaml:LINE:COL``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import yaml

from .errors import Diagnostic, SourceLocation
from .schema import Field, Locate, validate

FIELDS = {
    "statement": Field("boolean", default=True),
    "contact": Field("mapping", default={}),
    "exceptions": Field("list of text", default=[]),
    "prepared": Field("date"),
}
NO_CONTACT = "the accessibility statement has no contact for reporting problems"
"""The message of the warning for a statement without a contact."""
CONTACT_FIELDS = {"email": Field("text", default=""), "phone": Field("text", default=""),
                  "url": Field("text", default="")}

_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,}[0-9]$")
_WEB = re.compile(r"^https?://[^\s/]+\S*$", re.IGNORECASE)
_RELATIVE = re.compile(r"^(?![a-z][a-z0-9+.-]*:)(?!/)(?!.*(?:^|/)\.\.(?:/|$))[^\s\\]+$", re.IGNORECASE)
"""A path inside the site, e.g. ``support.html#report-a-problem``: no scheme, no leading '/', no '..'."""


@dataclass(frozen=True)
class Contact:
    """Where learners report an accessibility problem; any of the three may be empty."""

    email: str = ""
    phone: str = ""
    url: str = ""
    """A web address, or a page of the site relative to its root (``support.html#...``)."""

    def __bool__(self) -> bool:
        return bool(self.email or self.phone or self.url)

    @property
    def phone_href(self) -> str:
        return "tel:" + re.sub(r"[^0-9+]", "", self.phone)

    @property
    def url_is_site_page(self) -> bool:
        return bool(self.url) and not _WEB.match(self.url)


@dataclass(frozen=True)
class AccessibilityConfig:
    statement: bool = True
    """Publish ``accessibility.html`` and link it from every page's footer."""
    contact: Contact = Contact()
    exceptions: tuple[str, ...] = ()
    """Problems the author knows of, each shown under "Non-accessible content"."""
    prepared: datetime.date | None = None
    """When the statement was prepared; None: the date of the build."""


def read_accessibility(node: yaml.Node | None, locate: Locate, key_at: SourceLocation
                       ) -> tuple[AccessibilityConfig, list[Diagnostic]]:
    """The ``accessibility:`` mapping (``node``, None when there is none), and its problems.

    ``key_at`` is where the key is (or the top of site.yaml): the missing-contact warning points there.
    """
    problems: list[Diagnostic] = []
    values, found = validate(node, FIELDS, locate, key_at, "'accessibility'")
    problems += found
    nodes = _value_nodes(node)
    contact, found = _contact(nodes.get("contact"), locate, key_at) if "contact" in values else (Contact(), [])
    problems += found
    config = AccessibilityConfig(statement=values.get("statement", True), contact=contact,
                                 exceptions=tuple(e.strip() for e in values.get("exceptions") or ()),
                                 prepared=values.get("prepared"))
    empty = [at for at, text in zip(_items(nodes.get("exceptions")), config.exceptions) if not text]
    problems += [Diagnostic(locate(at.start_mark), "an entry in 'exceptions' is empty",
                            "write what is not accessible, and why, or delete the line") for at in empty]
    if config.statement and not contact and not any(p.message.startswith("'contact'") for p in problems):
        at = locate(nodes["contact"].start_mark) if "contact" in nodes else key_at
        problems.append(Diagnostic(at, NO_CONTACT,
                                   "add 'contact:' under 'accessibility:' with an 'email:', 'phone:' or 'url:' "
                                   "(UK public sector sites must give one), or 'statement: false' to publish none",
                                   severity="warning"))
    return config, problems


def _contact(node: yaml.Node | None, locate: Locate, key_at: SourceLocation) -> tuple[Contact, list[Diagnostic]]:
    values, problems = validate(node, CONTACT_FIELDS, locate, key_at, "'contact'")
    nodes = _value_nodes(node)
    checks = {"email": (_EMAIL, "is not an email address", "write it as name@example.org"),
              "phone": (_PHONE, "is not a phone number", "write digits, spaces and an optional leading +, "
                                                          "e.g. 0300 123 4567"),
              "url": (None, "is not a web address or a page of the site",
                      "write a full address (https://...) or a page of the site such as support.html")}
    for key, (pattern, message, hint) in checks.items():
        value = values.get(key) or ""
        ok = (_WEB.match(value) or _RELATIVE.match(value)) if key == "url" else pattern.match(value)
        if value and not ok:
            problems.append(Diagnostic(locate(nodes[key].start_mark), f"'{value}' in 'contact' {message}", hint))
            values[key] = ""
    return Contact(**{key: (values.get(key) or "").strip() for key in CONTACT_FIELDS}), problems


def _value_nodes(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []
