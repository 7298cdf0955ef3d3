"""Links to .md files become relative .html links; broken links and images are errors."""

from bs4 import BeautifulSoup

from generator.build import build

from .helpers import errors_of, hints_of

PAGE = "content/01-first/01-one.md"


def soup(project, path):
    return BeautifulSoup(build(project.root).site.files[path], "html.parser")


def body_links(page):
    return [a["href"] for a in page.select(".prose a")]


def test_md_link_is_rewritten_to_the_published_page_with_its_anchor(project):
    assert body_links(soup(project, "first/one.html")) == ["two.html#details-of-two"]


def test_links_across_modules_and_to_a_module_landing_page(project):
    project.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\nSee [one](../01-first/01-one.md).\n")
    project.write(PAGE, "---\ntitle: One\n---\n[second](../02-second/_module.md) and [folder](../02-second/) and [top](#top-part)\n\n## Top part\n")
    assert body_links(soup(project, "first/one.html")) == ["../second/index.html", "../second/index.html", "#top-part"]
    assert body_links(soup(project, "second/index.html")) == ["../first/one.html"]


def test_external_links_are_left_alone(project):
    project.write(PAGE, "---\ntitle: One\n---\n[NHS](https://www.nhs.uk/) [mail](mailto:a@example.org)\n")
    assert body_links(soup(project, "first/one.html")) == ["https://www.nhs.uk/", "mailto:a@example.org"]


def test_link_to_a_missing_page_names_line_column_and_suggests(project):
    project.write(PAGE, "---\ntitle: One\n---\nIntro line.\nSee [two](02-tow.md) for more.\n")
    assert errors_of(project.root) == [f"{PAGE}:5:5: error: link to a missing page '02-tow.md'"]
    assert hints_of(project.root) == ["did you mean '02-two.md'?"]


def test_link_to_a_missing_anchor(project):
    project.write(PAGE, "---\ntitle: One\n---\n[two](02-two.md#detail-of-two)\n")
    assert errors_of(project.root) == [
        f"{PAGE}:4:1: error: no heading with id 'detail-of-two' in content/01-first/02-two.md"]
    assert hints_of(project.root) == ["did you mean 'details-of-two'?"]


def test_link_to_a_missing_anchor_on_the_same_page(project):
    project.write(PAGE, "---\ntitle: One\n---\n## Real\n\n[x](#unreal)\n")
    assert errors_of(project.root) == [f"{PAGE}:6:1: error: no heading with id 'unreal' on this page"]


def test_line_of_a_link_in_a_wrapped_paragraph(project):
    project.write(PAGE, "---\ntitle: One\n---\nFirst line\nsecond line\nthird [bad](nope.md)\n")
    assert errors_of(project.root)[0].startswith(f"{PAGE}:6:7: error: link to a missing page")


def test_link_to_html_asks_for_the_markdown_file(project):
    project.write(PAGE, "---\ntitle: One\n---\n[two](two.html)\n")
    assert errors_of(project.root) == [
        f"{PAGE}:4:1: error: link to 'two.html': link to the page's Markdown file instead"]


def test_link_outside_the_content_folder(project):
    project.write(PAGE, "---\ntitle: One\n---\n[config](../../site.yaml)\n")
    assert errors_of(project.root) == [
        f"{PAGE}:4:1: error: link target '../../site.yaml' is outside the content folder"]


def test_absolute_path_is_refused(project):
    project.write(PAGE, "---\ntitle: One\n---\n[root](/etc/passwd)\n")
    assert errors_of(project.root) == [f"{PAGE}:4:1: error: link target '/etc/passwd' is not a relative path"]


def test_images_are_copied_beside_the_pages_that_use_them(project):
    project.write("content/01-first/images/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write(PAGE, "---\ntitle: One\n---\n![A bar chart of staff survey scores](images/chart.svg)\n")
    result = build(project.root)
    img = BeautifulSoup(result.site.files["first/one.html"], "html.parser").select_one(".prose img")
    assert (img["src"], img["alt"], img["loading"]) == ("images/chart.svg", "A bar chart of staff survey scores", "lazy")
    assert result.site.copies["first/images/chart.svg"] == project.root / "content/01-first/images/chart.svg"


def test_missing_image_file(project):
    project.write(PAGE, "---\ntitle: One\n---\nText\n![A chart](images/gone.png)\n")
    assert errors_of(project.root) == [f"{PAGE}:5:1: error: image file 'images/gone.png' does not exist"]


def test_image_without_alt_text(project):
    project.write("content/01-first/images/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write(PAGE, "---\ntitle: One\n---\n![](images/chart.svg)\n")
    assert errors_of(project.root) == [f"{PAGE}:4:1: error: image has no alt text"]
    assert "{.decorative}" in hints_of(project.root)[0]


def test_decorative_image_marker_gives_empty_alt(project):
    project.write("content/01-first/images/rule.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.write(PAGE, "---\ntitle: One\n---\n![](images/rule.svg){.decorative}\n")
    img = soup(project, "first/one.html").select_one(".prose img")
    assert img["alt"] == ""


def test_image_from_the_web_is_refused(project):
    project.write(PAGE, "---\ntitle: One\n---\n![Logo](https://example.org/logo.png)\n")
    assert errors_of(project.root) == [f"{PAGE}:4:1: error: image is a web address"]


def test_linked_files_are_copied(project):
    project.write("content/01-first/files/plan.txt", "A plan")
    project.write(PAGE, "---\ntitle: One\n---\n[Download the plan](files/plan.txt)\n")
    result = build(project.root)
    assert "first/files/plan.txt" in result.site.copies
    assert body_links(BeautifulSoup(result.site.files["first/one.html"], "html.parser")) == ["files/plan.txt"]


def test_images_get_their_intrinsic_size(project):
    import struct
    import zlib
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 640, 360, 8, 2, 0, 0, 0)
    png += struct.pack(">I", zlib.crc32(png[12:29]))
    (project.root / "content/01-first/images").mkdir(parents=True)
    (project.root / "content/01-first/images/photo.png").write_bytes(png)
    project.write("content/01-first/images/box.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200"/>')
    project.write("content/01-first/images/sized.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50px"/>')
    project.write(PAGE, "---\ntitle: One\n---\n![Photo](images/photo.png) ![Box](images/box.svg) ![Sized](images/sized.svg)\n")
    images = soup(project, "first/one.html").select(".prose img")
    assert [(i["width"], i["height"]) for i in images] == [("640", "360"), ("320", "200"), ("100", "50")]
    assert all(i.get("loading") == "lazy" for i in images)


def test_the_page_signatures_and_the_statement_read_the_checks_link_targets(project, monkeypatch):
    """Each link is resolved once a build: by the check, whose targets the later stages read (``links.targets``)."""
    import generator.links as links
    from generator.build import check
    from generator.render import page_signatures
    from generator.statement import Finding, findings
    from generator.theme import load_course_theme

    project.write("content/01-first/files/leaflet.pdf", "%PDF-1.4\n")
    project.write(PAGE, "---\ntitle: One\n---\n[Leaflet](files/leaflet.pdf) and [two](02-two.md#details-of-two)\n")
    course, _, _ = check(project.root)
    one = course.modules[0].pages[0]
    assert [target.href for target in links.targets(one, course)] == ["first/files/leaflet.pdf",
                                                                  "first/two.html#details-of-two"]
    resolved = []
    monkeypatch.setattr(links, "resolve", lambda *args: resolved.append(args) or (None, None))
    signatures = page_signatures(course, load_course_theme(course.config, "en"), course.sequence)
    assert findings(course) == [Finding("document", "leaflet.pdf", ("One",))]
    assert resolved == [] and len(signatures) == len(course.sequence)
