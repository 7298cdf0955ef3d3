"""``::: video`` and ``::: audio``: the player, captions, transcript and download, and every error and warning."""

from __future__ import annotations

import base64
import struct
import zipfile

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from generator.build import build, check
from generator.errors import BuildFailed
from generator.scorm import suspend
from generator.scorm.package import package_course
from generator.tracking import course_data
from tests.scorm_xsd import errors as schema_errors

from .test_suspend import js


PAGE = "content/01-first/01-one.md"
MEDIA = "content/01-first/media"
VTT = "WEBVTT\n\n00:00.000 --> 00:01.500\nA tone plays.\n\n00:01.500 --> 00:03.000\nIt stops.\n"
POSTER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 640, 360) + b"\x08\x02\x00\x00\x00"
VIDEO = "::: video src=media/film.mp4 captions=media/film.en.vtt"
TRANSCRIPT = "Every word spoken, and what is shown.\n:::\n"


def page(body: str) -> str:
    return f"---\ntitle: One\n---\n## Film\n\n{body}"


@pytest.fixture
def media(project):
    """The scratch course with a film, its captions, descriptions and poster, and a recording."""
    folder = project.root / MEDIA
    folder.mkdir(parents=True)
    (folder / "film.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    (folder / "talk.mp3").write_bytes(b"ID3\x03\x00" + bytes(64))
    (folder / "poster.png").write_bytes(POSTER)
    for name in ("film.en.vtt", "film.cy.vtt", "film.vtt", "film.ad.en.vtt"):
        (folder / name).write_text(VTT, encoding="utf-8")
    return project


def rendered(project) -> BeautifulSoup:
    site = build(project.root).site
    return BeautifulSoup(site.files["first/one.html"], "html.parser")


def errors_of(root) -> list[str]:
    """The errors of a build expected to fail (the warnings each file here has are tested on their own)."""
    with pytest.raises(BuildFailed) as failure:
        build(root)
    return [d.format().splitlines()[0] for d in failure.value.errors]


def hints_of(root) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        build(root)
    return [d.hint for d in failure.value.errors]


def warnings_of(project) -> list[str]:
    return [d.format().splitlines()[0] for d in build(project.root).warnings if "not used by any page" not in d.message]


# ---- what learners get -----------------------------------------------------------------------------------------

def test_a_video_is_a_native_player_with_captions_transcript_and_download(media):
    media.write(PAGE, page(f"{VIDEO} poster=media/poster.png descriptions=media/film.ad.en.vtt title=\"Returning\"\n"
                           "Every word *spoken*.\n:::\n"))
    html = rendered(media)
    figure = html.select_one("figure.media.media--video")
    video = figure.select_one(".media__player > video")
    assert video.has_attr("controls") and not video.has_attr("autoplay") and video["src"] == "media/film.mp4"
    assert (video["poster"], video["width"], video["height"]) == ("media/poster.png", "640", "360")
    captions = video.select_one('track[kind="captions"]')
    assert (captions["srclang"], captions.has_attr("default")) == ("en", True)
    # written into the page, so they load from file:// too
    assert captions["src"].startswith("data:text/vtt;charset=utf-8;base64,")
    assert base64.b64decode(captions["src"].partition(",")[2]).decode() == VTT
    assert video.select_one('track[kind="descriptions"]')["src"].startswith("data:text/vtt;")
    transcript = figure.select_one("details.media__transcript")
    assert transcript.summary.get_text(strip=True) == "Transcript"
    assert transcript.select_one("em").get_text() == "spoken"
    assert figure.select_one("figcaption").get_text() == "Returning"
    download = figure.select_one("a.media__download")
    assert download["href"] == "media/film.mp4" and download.get_text() == "Download the video (MP4, 1 KB)"
    # the transcript comes right after the player
    assert figure.select_one(".media__player").find_next_sibling() is transcript


def test_media_files_are_copied_into_the_site(media):
    media.write(PAGE, page(f"{VIDEO} poster=media/poster.png\n{TRANSCRIPT}"))
    copies = build(media.root).site.copies
    assert {"first/media/film.mp4", "first/media/film.en.vtt", "first/media/poster.png"} <= set(copies)


def test_an_audio_item_plays_its_file(media):
    media.write(PAGE, page(f"::: audio src=media/talk.mp3\n{TRANSCRIPT}"))
    figure = rendered(media).select_one("figure.media.media--audio")
    audio = figure.select_one(".media__player > audio")
    assert audio.has_attr("controls") and not audio.has_attr("autoplay") and audio["src"] == "media/talk.mp3"
    assert figure.select_one("a.media__download").get_text().startswith("Download the audio (MP3")


def test_caption_language_comes_from_the_file_name_else_the_site(media):
    media.write("site.yaml", "id: scratch\ntitle: Scratch course\nlanguage: en-GB\n")
    media.write(PAGE, page(f"::: video src=media/film.mp4 captions=media/film.cy.vtt\n{TRANSCRIPT}\n"
                           f"::: video src=media/film.mp4 captions=media/film.vtt\n{TRANSCRIPT}"))
    tracks = rendered(media).select('track[kind="captions"]')
    # each named in the course's language
    assert [(t["srclang"], t["label"]) for t in tracks] == [("cy", "Welsh"), ("en-GB", "English")]


def test_an_external_video_loads_nothing_until_asked_and_links_to_the_film(media):
    media.write(PAGE, page(f"::: video youtube=dQw4w9WgXcQ title=\"A talk\"\n{TRANSCRIPT}\n"
                           f"::: video vimeo=76979871\n{TRANSCRIPT}"))
    html = rendered(media)
    assert not html.select("iframe, script[src*=youtube], img[src^=http]")
    youtube, vimeo = html.select(".media__external")
    assert youtube["data-media-embed"].startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    assert youtube.select_one("a")["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert "YouTube" in youtube.get_text() and youtube["data-media-title"] == "A talk"
    assert vimeo["data-media-embed"].startswith("https://player.vimeo.com/video/76979871")
    assert vimeo.select_one("a")["href"] == "https://vimeo.com/76979871"
    assert not html.select("a.media__download") and len(html.select("details.media__transcript")) == 2


def test_the_parsed_document_lists_its_media(media):
    media.write(PAGE, page(f"{VIDEO} descriptions=media/film.ad.en.vtt required\n{TRANSCRIPT}\n"
                           f"::: audio src=media/talk.mp3\n{TRANSCRIPT}\n::: video youtube=dQw4w9WgXcQ\n{TRANSCRIPT}"))
    course = build(media.root).course
    film, talk, external = course.modules[0].pages[0].document.media
    assert (film.kind, film.src, film.captions, film.descriptions, film.required, film.id) == (
        "video", "media/film.mp4", "media/film.en.vtt", "media/film.ad.en.vtt", True, "film")
    assert (film.location.path, film.location.line) == (PAGE, 6)
    assert (talk.kind, talk.src, talk.captions, talk.descriptions) == ("audio", "media/talk.mp3", None, None)
    assert (external.service, external.external_id, external.src, external.descriptions) == (
        "youtube", "dQw4w9WgXcQ", "", None)
    assert course.modules[0].all_media == (film, talk, external)


def test_a_video_without_speech_may_say_why_it_has_no_captions(media):
    media.write(PAGE, page(f"::: video src=media/film.mp4 captions=\"none: music only, no speech\"\n{TRANSCRIPT}"))
    (film,) = build(media.root).course.modules[0].pages[0].document.media
    assert (film.captions, film.captions_none) == (None, "music only, no speech")
    assert not rendered(media).select("track")


# ---- errors ------------------------------------------------------------------------------------------------------

def test_a_video_needs_captions(media):
    media.write(PAGE, page(f"::: video src=media/film.mp4\n{TRANSCRIPT}"))
    assert errors_of(media.root) == [f"{PAGE}:6:1: error: video has no captions"]
    assert "captions=\"none: " in hints_of(media.root)[0]


def test_captions_none_needs_a_reason(media):
    media.write(PAGE, page(f"::: video src=media/film.mp4 captions=none\n{TRANSCRIPT}"))
    assert errors_of(media.root) == [f"{PAGE}:6:30: error: captions=none needs a reason"]


@pytest.mark.parametrize("kind, src", [("video", "src=media/film.mp4 captions=media/film.en.vtt"),
                                       ("audio", "src=media/talk.mp3")])
def test_a_media_item_needs_a_transcript(media, kind, src):
    media.write(PAGE, page(f"::: {kind} {src}\n:::\n"))
    assert errors_of(media.root) == [f"{PAGE}:6:1: error: {kind} has no transcript"]


def test_missing_media_and_caption_files(media):
    media.write(PAGE, page(f"::: video src=media/gone.mp4 captions=media/gone.vtt poster=media/gone.png\n{TRANSCRIPT}"
                           f"\n::: audio src=media/gone.mp3\n{TRANSCRIPT}"))
    assert errors_of(media.root) == [
        f"{PAGE}:6:11: error: video file 'media/gone.mp4' does not exist",
        f"{PAGE}:6:30: error: captions file 'media/gone.vtt' does not exist",
        f"{PAGE}:6:54: error: poster file 'media/gone.png' does not exist",
        f"{PAGE}:10:11: error: audio file 'media/gone.mp3' does not exist",
    ]


def test_an_unreadable_media_file(media, monkeypatch):
    real_open = open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("film.mp4"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr("generator.media.files.open", refuse, raising=False)
    media.write(PAGE, page(f"{VIDEO}\n{TRANSCRIPT}"))
    assert errors_of(media.root) == [f"{PAGE}:6:11: error: cannot read the video file 'media/film.mp4': permission denied"]


@pytest.mark.parametrize("text, line, column, message", [
    ("WEBVT\n\n00:00.000 --> 00:01.000\nHi\n", 1, 1, "the caption file does not start with 'WEBVTT'"),
    ("1\n00:00:00,000 --> 00:00:01,000\nHi\n", 1, 1, "the caption file does not start with 'WEBVTT'"),  # SubRip
    ("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n\n00:01,000 --> 00:02.000\nThere\n", 6, 1,
     "the timing line '00:01,000 --> 00:02.000' is not 'HH:MM:SS.mmm --> HH:MM:SS.mmm'"),
    ("WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nHi\n", 3, 18, "the cue ends before it starts"),
    ("WEBVTT\n\n00:05.000 --> 00:06.000\nHi\n\n00:01.000 --> 00:02.000\nThere\n", 6, 1,
     "the cue starts before the cue above it: cues must be in time order"),
    ("WEBVTT\n\nintro\nHello there\n", 3, 1, "the cue 'intro' has no timing line ('00:00:01.000 --> 00:00:04.000')"),
])
def test_a_caption_file_must_be_valid_webvtt(media, text, line, column, message):
    (media.root / MEDIA / "bad.en.vtt").write_text(text, encoding="utf-8")
    media.write(PAGE, page(f"::: video src=media/film.mp4 captions=media/bad.en.vtt\n{TRANSCRIPT}"))
    assert errors_of(media.root) == [f"{MEDIA}/bad.en.vtt:{line}:{column}: error: {message}"]


def test_a_caption_file_with_no_cues_shows_nothing(media):
    (media.root / MEDIA / "empty.en.vtt").write_text("WEBVTT\n\nNOTE to do\n", encoding="utf-8")
    media.write(PAGE, page(f"::: video src=media/film.mp4 captions=media/empty.en.vtt\n{TRANSCRIPT}"))
    assert errors_of(media.root) == [f"{PAGE}:6:1: error: captions file 'media/empty.en.vtt' has no cues"]


def test_a_caption_file_may_have_a_header_notes_styles_and_cue_settings(media):
    (media.root / MEDIA / "rich.en.vtt").write_text(
        "\ufeffWEBVTT - returning trainees\nKind: captions\n\nNOTE checked by the team\n\nSTYLE\n::cue { color: yellow }\n\n"
        "1\n00:00.000 --> 00:01.000 align:start line:0\n<v Sam>Hello\n\n01:00:00.000 --> 01:00:01.000\nLater\n",
        encoding="utf-8")
    media.write(PAGE, page(f"::: video src=media/film.mp4 captions=media/rich.en.vtt\n{TRANSCRIPT}"))
    assert build(media.root).course is not None


def test_an_unknown_option(media):
    media.write(PAGE, page(f"{VIDEO} autoplay\n{TRANSCRIPT}\n::: audio src=media/talk.mp3 captions=media/film.en.vtt\n"
                           f"{TRANSCRIPT}"))
    assert errors_of(media.root) == [f"{PAGE}:6:1: error: unknown option 'autoplay' for video",
                                     f"{PAGE}:10:1: error: unknown option 'captions' for audio"]


def test_files_of_the_wrong_kind(media):
    media.write(PAGE, page(f"::: video src=media/talk.mp3 captions=media/poster.png\n{TRANSCRIPT}"))
    assert errors_of(media.root) == [
        f"{PAGE}:6:11: error: video file 'media/talk.mp3' is not a type browsers accept as video",
        f"{PAGE}:6:30: error: captions file 'media/poster.png' is not a type browsers accept as captions",
    ]


def test_external_video_errors(media):
    media.write(PAGE, page(f"::: video youtube=short captions=media/film.en.vtt\n{TRANSCRIPT}\n"
                           f"::: video src=media/film.mp4 vimeo=123 captions=media/film.en.vtt\n{TRANSCRIPT}\n"
                           f"::: video captions=media/film.en.vtt\n{TRANSCRIPT}"))
    assert errors_of(media.root) == [
        f"{PAGE}:6:11: error: 'short' is not a YouTube video id",
        f"{PAGE}:6:25: error: 'captions' cannot be used with a YouTube video",
        f"{PAGE}:10:30: error: video has more than one source (src, vimeo)",
        f"{PAGE}:10:40: error: 'captions' cannot be used with a Vimeo video",
        f"{PAGE}:14:1: error: video has no source",
    ]


def test_a_media_block_cannot_be_inside_a_quiz(media):
    media.write(PAGE, page("::: quiz\n### Q?\n- [x] A\n- [ ] B\n\n" f"::: audio src=media/talk.mp3\n{TRANSCRIPT}:::\n"))
    assert f"{PAGE}:11:1: error: an audio cannot be inside a quiz (the quiz starts on line 6)" in errors_of(media.root)


# ---- warnings ---------------------------------------------------------------------------------------------------

def test_a_video_without_audio_description_is_a_warning(media):
    media.write(PAGE, page(f"{VIDEO}\n{TRANSCRIPT}\n{VIDEO} descriptions=media/film.ad.en.vtt\n{TRANSCRIPT}\n"
                           f"::: audio src=media/talk.mp3\n{TRANSCRIPT}"))
    assert warnings_of(media) == [f"{PAGE}:6:1: warning: video has no audio description track"]


def test_a_media_file_over_50_mb_is_a_warning(media):
    with open(media.root / MEDIA / "long.mp3", "wb") as file:
        file.write(b"ID3")
        file.truncate(51 * 1024 * 1024)  # sparse: takes no room on disk
    media.write(PAGE, page(f"::: audio src=media/long.mp3\n{TRANSCRIPT}\n::: audio src=media/talk.mp3\n{TRANSCRIPT}"))
    assert warnings_of(media) == [f"{PAGE}:6:1: warning: audio file 'media/long.mp3' is 51 MB, over 50 MB"]
    with pytest.raises(BuildFailed):
        build(media.root, strict=True)


# ---- packages ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["1.2", "2004-4"])
def test_packages_carry_their_media_and_still_validate(media, tmp_path, version):
    media.write(PAGE, page(f"{VIDEO} poster=media/poster.png descriptions=media/film.ad.en.vtt\n{TRANSCRIPT}"))
    course, _, _ = check(media.root)
    (built, *_) = package_course(course, tmp_path / "out", [version])
    archive = zipfile.ZipFile(built.path)
    wanted = {"first/media/film.mp4", "first/media/film.en.vtt", "first/media/film.ad.en.vtt", "first/media/poster.png"}
    assert wanted <= set(archive.namelist())
    manifest = archive.read("imsmanifest.xml")
    assert wanted <= {f.get("href") for f in etree.fromstring(manifest).iter("{*}file")}
    assert schema_errors(manifest, version) == []
    html = BeautifulSoup(archive.read("first/one.html"), "html.parser")
    assert html.select_one("video")["src"] == "media/film.mp4"


# ---- "played to the end" counts, where the author asks ---------------------------------------------------------

def test_only_required_media_are_tracked(media):
    media.write(PAGE, page(f"{VIDEO} required\n{TRANSCRIPT}\n::: audio src=media/talk.mp3\n{TRANSCRIPT}"))
    media.write("content/02-second/_module.md", "---\ntitle: Second\nsummary: S.\n---\nHello.\n")
    first, second = course_data(build(media.root).course)["modules"]
    assert first["media"] == [{"id": "film", "key": "first/film"}]
    assert "media" not in second  # a module without required media is tracked exactly as before


def test_required_items_need_ids_unique_in_their_module(media):
    media.write(PAGE, page(f"{VIDEO} required\n{TRANSCRIPT}\n::: audio src=media/talk.mp3 id=film required\n{TRANSCRIPT}"))
    media.write("content/01-first/02-two.md", page(f"{VIDEO}\n{TRANSCRIPT}"))  # not required: may repeat
    assert errors_of(media.root) == [f"{PAGE}:10:1: error: video or audio id 'film' is already used at {PAGE}:6"]


def test_a_played_item_survives_the_lms_record_and_fits_its_budget(media):
    media.write(PAGE, page(f"{VIDEO} required\n{TRANSCRIPT}"))
    course, _, _ = check(media.root)
    module = course_data(course)["modules"][0]
    learner = {"seed": 7, "modules": {"first": {"visited": {"index": 1, "one": 1, "~film": 1}, "location": "one",
                                                "quizzes": {}}}}
    (text,) = js(["encode", learner, module])
    assert len(text) <= suspend.worst_case_size(course.modules[0])
    assert js(["tokenLength", module]) == [suspend.token_length(course.modules[0])]
    (resumed,) = js(["decode", text, module, "scratch"])
    assert resumed["modules"]["first"]["visited"] == {"index": 1, "one": 1, "~film": 1}
    assert resumed["modules"]["first"]["location"] == "one"
