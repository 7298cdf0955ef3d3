"""A file every package of a run holds is deflated once (``scorm/deflate.py``): the zips are byte-identical
to ones zipfile deflates entry by entry, and still valid."""

from __future__ import annotations

import io
import zipfile

from generator.scorm.deflate import Deflated

SCRIPT = b"function learnmark() { return 'the same in every package'; }\n" * 400


def zipped(files: dict[str, bytes], write) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            write(archive, info, data)
    return buffer.getvalue()


def plain(archive, info, data):
    archive.writestr(info, data)


def test_a_file_in_every_package_is_deflated_once_and_the_zips_are_byte_identical():
    deflated = Deflated(frozenset({"assets/learnmark.js"}))
    packages = [{"assets/learnmark.js": SCRIPT, f"m{n}/index.html": f"<p>module {n}</p>".encode() * 50} for n in range(3)]
    made = [zipped(files, deflated.write) for files in packages]
    assert list(deflated.known) == [("assets/learnmark.js", SCRIPT)], "remembered once, by name and content"
    assert made == [zipped(files, plain) for files in packages]
    for data in made:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None and archive.read("assets/learnmark.js") == SCRIPT


def test_the_same_name_with_other_content_is_deflated_for_itself():
    deflated = Deflated(frozenset({"assets/learnmark.js"}))
    first, other = {"assets/learnmark.js": SCRIPT}, {"assets/learnmark.js": SCRIPT.replace(b"same", b"else")}
    assert zipped(first, deflated.write) == zipped(first, plain)
    assert zipped(other, deflated.write) == zipped(other, plain)
    assert len(deflated.known) == 2


def test_what_is_remembered_is_handed_back_not_deflated_again(monkeypatch):
    deflated = Deflated(frozenset({"assets/learnmark.js"}))
    expected = zipped({"assets/learnmark.js": SCRIPT}, plain)
    zipped({"assets/learnmark.js": SCRIPT}, deflated.write)
    monkeypatch.setattr(zipfile, "_get_compressor", lambda *args: AssertionError("deflated again"))
    assert zipped({"assets/learnmark.js": SCRIPT}, deflated.write) == expected
