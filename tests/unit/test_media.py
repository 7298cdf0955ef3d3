"""Linked files cannot run a script on the course's address: types, first bytes, and what an SVG holds."""

from __future__ import annotations

import pytest

from generator.build import build
from generator.media import svg_problem

from .helpers import errors_of as all_problems_of

PAGE = "content/01-first/01-one.md"
NS = 'xmlns="http://www.w3.org/2000/svg"'


def errors_of(root) -> list[str]:
    return [line for line in all_problems_of(root) if ": error: " in line]


@pytest.mark.parametrize("name", ["page.htm", "page.xhtml", "data.xml", "app.js", "page.shtml", "image.svgz", "README"])
def test_types_that_can_run_a_script_are_not_published(project, name):
    project.write(f"content/01-first/files/{name}", "hello")
    project.write(PAGE, f"---\ntitle: One\n---\nGet [the file](files/{name}).\n")
    (error,) = errors_of(project.root)
    assert error.startswith(f"{PAGE}:4:5: error: link 'files/{name}' is a")
    assert error.endswith("which is not published")


@pytest.mark.parametrize("name", ["notes.txt", "data.csv", "captions.vtt", "report.pdf"])
def test_a_file_that_begins_like_a_web_page_is_refused(project, name):
    project.write(f"content/01-first/files/{name}", "\ufeff \n<script>window.__pwned = 1</script>")
    project.write(PAGE, f"---\ntitle: One\n---\nGet [the file](files/{name}).\n")
    assert errors_of(project.root) == [f"content/01-first/files/{name}:1:1: error: the file begins like a web page "
                                       "(with '<'), and a browser could run it as one"]


def test_an_svg_with_a_script_is_refused_at_its_line_once_however_often_it_is_used(project):
    project.write("content/01-first/images/chart.svg", f"<svg {NS}>\n  <rect/>\n  <script>alert(1)</script>\n</svg>")
    project.write(PAGE, "---\ntitle: One\n---\n![Chart](images/chart.svg) [chart](images/chart.svg)\n")
    project.write("content/01-first/02-two.md", "---\ntitle: Two\n---\n![Chart](images/chart.svg)\n")
    assert errors_of(project.root) == [
        "content/01-first/images/chart.svg:3:3: error: SVG has a <script> element, which is not allowed in a published image"]


def test_an_image_must_be_an_image_file(project):
    project.write("content/01-first/files/report.pdf", "%PDF-1.4")
    project.write(PAGE, "---\ntitle: One\n---\n![Report](files/report.pdf)\n")
    assert errors_of(project.root) == [f"{PAGE}:4:1: error: image 'files/report.pdf' is not an image file"]


def test_plain_files_of_every_kind_are_published(project):
    files = {"a.png": b"\x89PNG\r\n\x1a\n", "b.pdf": b"%PDF-1.4", "c.csv": b"a,b\n1,2\n", "d.mp4": b"\x00\x00\x00 ftyp",
             "e.zip": b"PK\x03\x04", "f.docx": b"PK\x03\x04", "g.vtt": b"WEBVTT\n"}
    for name, data in files.items():
        (project.root / "content/01-first/files").mkdir(parents=True, exist_ok=True)
        (project.root / "content/01-first/files" / name).write_bytes(data)
    project.write(PAGE, "---\ntitle: One\n---\n" + " ".join(f"[{n}](files/{n})" for n in files) + "\n")
    assert set(build(project.root).site.copies) >= {f"first/files/{n}" for n in files}


SAFE = {
    "shapes": f'<svg {NS} width="10" height="10"><rect width="10" height="10" style="fill:url(#g)"/></svg>',
    "gradient": f'<svg {NS} xmlns:xlink="http://www.w3.org/1999/xlink"><defs><linearGradient id="g"><stop/></linearGradient>'
                '</defs><use xlink:href="#g"/></svg>',
    "doctype": f'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
               f'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg {NS}/>',
    "inkscape": f'<svg {NS} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
                'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                '<metadata><rdf:RDF><rdf:Description/></rdf:RDF></metadata><sodipodi:namedview inkscape:zoom="1"/>'
                '<g inkscape:label="Layer 1" inkscape:groupmode="layer"><path d="M0 0h1"/><text>Hi</text></g></svg>',
    "web link": f'<svg {NS}><a href="https://www.nhs.uk/"><text>NHS</text></a></svg>',
    "embedded png": f'<svg {NS}><image href="data:image/png;base64,iVBORw0KGgo="/></svg>',
    "animation": f'<svg {NS}><rect><animate attributeName="opacity" values="0;1" dur="1s"/></rect></svg>',
    "style": f'<svg {NS}><style>.a {{ fill: red }}</style><rect class="a"/></svg>',
}

REFUSED = {
    "script": (f"<svg {NS}>\n<script>alert(1)</script></svg>", "SVG has a <script> element"),
    "event handler": (f'<svg {NS} onload="alert(1)"/>', "SVG <svg> has an event handler 'onload'"),
    "upper-case handler": (f'<svg {NS}><rect ONCLICK="alert(1)"/></svg>', "an event handler 'ONCLICK'"),
    "javascript link": (f'<svg {NS} xmlns:x="http://www.w3.org/1999/xlink"><a x:href=" java\tscript:alert(1)"><text>x</text></a></svg>',
                        "SVG <a> has 'x:href"),
    "foreignObject": (f'<svg {NS}><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
                      "<foreignObject>"),
    "xhtml element": (f'<svg {NS} xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></svg>', "<h:script>"),
    "script in another namespace": (f'<svg {NS}><script xmlns="urn:x">alert(1)</script></svg>', "<script>"),
    "iframe": (f'<svg {NS}><iframe src="x"/></svg>', "<iframe>"),
    "stylesheet": (f'<?xml-stylesheet href="x.xsl" type="text/xsl"?><svg {NS}/>', "processing instruction"),
    "entity": (f'<!DOCTYPE svg [<!ENTITY a "b">]><svg {NS}>&a;</svg>', "document type with declarations"),
    "animated href": (f'<svg {NS}><a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
                      "animation of 'href'"),
    "animated handler": (f'<svg {NS}><rect><set attributeName="onclick" to="alert(1)"/></rect></svg>',
                         "animation of 'onclick'"),
    "use of another file": (f'<svg {NS}><use href="other.svg#x"/></svg>', "only '#id'"),
    "external image": (f'<svg {NS}><image href="https://example.org/x.png"/></svg>', "only '#id'"),
    "svg as image data": (f'<svg {NS}><image href="data:image/svg+xml,&lt;svg/&gt;"/></svg>', "only '#id'"),
    "css import": (f'<svg {NS}><style>@im&#112;ort url(x.css);</style></svg>', "'@import'"),
    "css escape": (f'<svg {NS}><style>@\\69mport "x.css";</style></svg>', "CSS escape"),
    "css url": (f'<svg {NS}><rect style="fill: url(https://example.org/x)"/></svg>', "url(https://example.org/x)"),
    "not svg": ("<html><script>alert(1)</script></html>", "not an SVG image"),
    "no namespace": ("<svg><script>alert(1)</script></svg>", "not an SVG image"),
    "malformed": (f"<svg {NS}><!-- a -- b --></svg>", "not well-formed"),
}


@pytest.mark.parametrize("name", SAFE)
def test_drawings_pass(name):
    assert svg_problem(SAFE[name].encode()) is None


@pytest.mark.parametrize("name", REFUSED)
def test_anything_more_than_a_drawing_is_refused(name):
    svg, message = REFUSED[name]
    problem = svg_problem(svg.encode())
    assert problem is not None and message in problem[2], problem


def test_the_refusal_points_at_the_line_and_column():
    assert svg_problem(f"<svg {NS}>\n  <g>\n    <script/>\n  </g>\n</svg>".encode())[:2] == (3, 5)
