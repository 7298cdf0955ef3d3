"""The accessibility statement: accessibility: in site.yaml, what the build finds, and accessibility.html."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup

import generator
from generator.build import build, check
from generator.statement import Finding, build_date, findings
from tests.conftest import CONTACT

from .helpers import errors_of, hints_of

BASE = "id: scratch\ntitle: Scratch course\norganisation: Test Trust\n"
HEADINGS = [
    "Accessibility statement for Scratch course",
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def statement(project) -> BeautifulSoup:
    return BeautifulSoup(build(project.root).site.files["accessibility.html"], "html.parser")


def text(page: BeautifulSoup) -> str:
    return " ".join(page.select_one("main").get_text(" ").split())


def test_statement_follows_the_model_structure(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project.write("site.yaml", BASE + CONTACT + "  exceptions:\n    - The map on page one has no text version.\n")
    page = statement(project)
    assert [h.get_text() for h in page.select("main h1, main h2, main h3")] == HEADINGS
    words = text(page)
    for needed in ("WCAG) version 2.2 AA", "Equality and Human Rights Commission (EHRC)",
                   "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018",
                   "Equality Advisory and Support Service (EASS)", "Equality Commission for Northern Ireland (ECNI)",
                   "prepared on 14 November 2023", "last tested on 14 November 2023",
                   f"Learnmark {generator.__version__}", "every image has alt text", "axe-core",
                   "The map on page one has no text version.", "partially compliant"):
        assert needed in words, needed
    assert page.select_one("a[href='mailto:learning@test-trust.example']") is not None


def test_every_page_links_to_the_statement_in_its_footer(project):
    files = build(project.root).site.files
    for path in ("index.html", "404.html", "progress.html", "certificate.html", "first/index.html", "first/two.html"):
        link = BeautifulSoup(files[path], "html.parser").select_one("footer a")
        assert (link.get_text(), link["href"]) == ("Accessibility statement",
                                                   "accessibility.html" if "/" not in path else "../accessibility.html")


def test_statement_false_publishes_none_and_needs_no_contact(project):
    project.write("site.yaml", BASE + "accessibility:\n  statement: false\n")
    result = build(project.root)
    assert result.warnings == []
    assert "accessibility.html" not in result.site.files
    assert "Accessibility statement" not in result.site.files["first/one.html"]


def test_a_missing_contact_is_a_warning_and_the_statement_says_where_to_turn(project):
    project.write("site.yaml", BASE)
    result = build(project.root)
    assert [d.format().splitlines()[0] for d in result.warnings] == [
        "site.yaml:1:1: warning: the accessibility statement has no contact for reporting problems"]
    assert "'contact:'" in result.warnings[0].hint
    words = text(BeautifulSoup(result.site.files["accessibility.html"], "html.parser"))
    assert "tell the organisation that gave you this course" in words
    assert "No contact has been given for this copy of the course" in words
    project.write("site.yaml", BASE + "accessibility:\n  exceptions: []\n")
    assert [str(d.location) for d in build(project.root).warnings] == ["site.yaml:4:1"]


def test_check_warns_and_strict_fails_without_a_contact(project):
    project.write("site.yaml", BASE)
    _, _, warnings = check(project.root)
    assert [d.severity for d in warnings] == ["warning"]
    with pytest.raises(Exception):
        build(project.root, strict=True)


@pytest.mark.parametrize("yaml_text, message, hint", [
    ("accessibility: yes\n", "site.yaml:4:16: error: 'accessibility' must be a mapping, not true/false", None),
    ("accessibility:\n  statment: false\n", "site.yaml:5:3: error: unknown key 'statment' in 'accessibility'",
     "did you mean 'statement'?"),
    ("accessibility:\n  statement: 'no'\n", "site.yaml:5:14: error: 'statement' must be true/false, not text", None),
    ("accessibility:\n  contact: learning@test-trust.example\n",
     "site.yaml:5:12: error: 'contact' must be a mapping, not text", None),
    ("accessibility:\n  contact:\n    emial: a@b.org\n", "site.yaml:6:5: error: unknown key 'emial' in 'contact'",
     "did you mean 'email'?"),
    ("accessibility:\n  contact:\n    email: not-an-address\n",
     "site.yaml:6:12: error: 'not-an-address' in 'contact' is not an email address", None),
    ("accessibility:\n  contact:\n    phone: call us\n", "site.yaml:6:12: error: 'call us' in 'contact' is not a phone number",
     None),
    ("accessibility:\n  contact:\n    url: javascript:alert(1)\n",
     "site.yaml:6:10: error: 'javascript:alert(1)' in 'contact' is not a web address or a page of the site", None),
    ("accessibility:\n  contact:\n    url: ../../elsewhere.html\n",
     "site.yaml:6:10: error: '../../elsewhere.html' in 'contact' is not a web address or a page of the site", None),
    ("accessibility:\n  exceptions: The map\n", "site.yaml:5:15: error: 'exceptions' must be a list of text, not text",
     None),
    ("accessibility:\n  exceptions:\n    - ''\n", "site.yaml:6:7: error: an entry in 'exceptions' is empty", None),
    ("accessibility:\n  prepared: 1 May 2025\n",
     "site.yaml:5:13: error: 'prepared' must be a date (YYYY-MM-DD), not text", "'prepared' takes a date (YYYY-MM-DD)"),
    ("accessibility:\n  prepared: 2025-02-30\n", "site.yaml:5:13: error: 'prepared' cannot be read as a date: day is "
     "out of range for month", None),
])
def test_accessibility_errors_are_at_their_line_and_column(project, yaml_text, message, hint):
    project.write("site.yaml", BASE + yaml_text)
    assert errors_of(project.root) == [message]
    if hint:
        assert hints_of(project.root) == [hint]


def test_contact_values_are_shown_as_links(project):
    project.write("site.yaml", BASE + "accessibility:\n  contact:\n    email: a11y@trust.example\n"
                  "    phone: +44 (0)300 123 4567\n    url: https://trust.example/accessibility\n")
    page = statement(project)
    hrefs = [a["href"] for a in page.select(".statement-contact a")][:3]
    assert hrefs == ["mailto:a11y@trust.example", "tel:+4403001234567", "https://trust.example/accessibility"]


def test_a_contact_page_of_the_site_is_linked_relative_to_the_statement(project):
    project.write("site.yaml", BASE + "accessibility:\n  contact:\n    url: support.html#problems\n")
    assert statement(project).select_one(".statement-contact a")["href"] == "support.html#problems"


def test_prepared_date_is_the_authors_and_the_test_date_the_builds(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project.write("site.yaml", BASE + CONTACT + "  prepared: 2023-09-01\n")
    words = text(statement(project))
    assert "prepared on 1 September 2023" in words and "last tested on 14 November 2023" in words
    assert statement(project).select_one("time")["datetime"] == "2023-09-01"


def test_build_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_date() == datetime.date(1970, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == datetime.datetime.now(datetime.timezone.utc).date()


def test_findings_list_linked_documents_with_their_pages(project):
    project.write("content/01-first/files/leaflet.pdf", "%PDF-1.4\n")
    project.write("content/01-first/files/data.csv", "a,b\n")
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\n[Leaflet](files/leaflet.pdf) "
                  "[data](files/data.csv)\n")
    project.write("content/01-first/02-two.md", "---\ntitle: Page two\n---\n[Leaflet again](files/leaflet.pdf)\n")
    course, _, _ = check(project.root)
    assert findings(course) == [Finding("document", "leaflet.pdf", ("Page one", "Page two"))]
    words = text(statement(project))
    assert "leaflet.pdf (on Page one, Page two)" in words and "data.csv" not in words


def test_findings_name_pages_with_author_html_only_when_it_is_allowed(project):
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\nSome <mark>marked</mark> text.\n")
    course, _, _ = check(project.root)
    assert findings(course) == []
    project.write("site.yaml", BASE + CONTACT + "allow_html: true\n")
    course, _, _ = check(project.root)
    assert findings(course) == [Finding("html", "Page one", ("Page one",))]
    assert "HTML written by the course's authors" in text(statement(project))


def test_no_findings_claims_no_more_than_the_checks_show(project):
    words = text(statement(project))
    assert "We do not know of any content in this course that is not accessible." in words
    assert "partially compliant" not in words and "fully compliant" not in words


def test_author_text_in_the_statement_is_escaped(project):
    project.write("site.yaml", BASE + CONTACT + "  exceptions:\n    - \"<script>alert(1)</script>\"\n")
    page = statement(project)
    assert page.select_one("main script") is None
    assert "<script>alert(1)</script>" in page.select_one("main").get_text()


def test_findings_list_videos_without_an_audio_description(project):
    """Each video with no ``descriptions=`` track, local or external, with its pages; audio and described video are
    not listed."""
    from .test_media_items import MEDIA, POSTER, TRANSCRIPT, VTT
    folder = project.root / MEDIA
    folder.mkdir(parents=True)
    (folder / "film.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    (folder / "described.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    (folder / "talk.mp3").write_bytes(b"ID3\x03\x00" + bytes(64))
    (folder / "poster.png").write_bytes(POSTER)
    for name in ("film.en.vtt", "film.ad.en.vtt"):
        (folder / name).write_text(VTT, encoding="utf-8")
    project.write("content/01-first/01-one.md", "---\ntitle: Page one\n---\n"
                  "::: video src=media/film.mp4 captions=media/film.en.vtt\n" + TRANSCRIPT + "\n"
                  "::: video src=media/described.mp4 captions=media/film.en.vtt descriptions=media/film.ad.en.vtt\n"
                  + TRANSCRIPT + "\n::: audio src=media/talk.mp3\n" + TRANSCRIPT + "\n"
                  "::: video youtube=dQw4w9WgXcQ\n" + TRANSCRIPT)
    course, _, _ = check(project.root)
    assert [f for f in findings(course) if f.kind == "media"] == [
        Finding("media", "film.mp4", ("Page one",)), Finding("media", "YouTube video dQw4w9WgXcQ", ("Page one",))]
    words = text(statement(project))
    assert "film.mp4" in words and "described.mp4" not in words and "talk.mp3" not in words
