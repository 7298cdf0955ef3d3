"""Video and audio in Chromium: a real (generated) film plays with its captions, the page passes axe,
an external film makes no request to its site before the learner asks, and print shows the transcript."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.mediafiles import FFMPEG, MISSING, make_media

from .conftest import serve_directory
from .test_axe import format_violations, run_axe_over

PAGE = "first/one.html"
BODY = """\
---
title: Films
---
## A film

::: video src=media/film.webm captions=media/film.en.vtt poster=media/poster.png descriptions=media/film.en.vtt title="Colour bars"
A tone plays over colour bars for a second and a half.
:::

## A recording

::: audio src=media/talk.ogg title="A tone"
A tone plays.
:::

## A talk

::: video youtube=dQw4w9WgXcQ title="A talk on YouTube"
Every word of the talk.
:::
"""
REQUIRED = """\
---
title: Required film
---
::: video src=media/film.webm captions=media/film.en.vtt required
A tone plays over colour bars.
:::
"""
EXTERNAL = ("youtube.com", "youtube-nocookie.com", "ytimg.com", "googlevideo.com", "vimeo.com", "vimeocdn.com")


@pytest.fixture(scope="session")
def test_media(tmp_path_factory):
    """The generated film, recording, poster and captions (made once per session)."""
    if FFMPEG is None:
        pytest.skip(MISSING)
    return make_media(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def media_site_dir(tmp_path_factory, test_media):
    root = tmp_path_factory.mktemp("media-course")
    (root / "site.yaml").write_text("id: films\ntitle: Films\n", encoding="utf-8")
    module = root / "content" / "01-first"
    (module / "media").mkdir(parents=True)
    (module / "_module.md").write_text("---\ntitle: First\nsummary: S.\n---\nWelcome.\n", encoding="utf-8")
    (module / "01-one.md").write_text(BODY, encoding="utf-8")
    (module / "02-two.md").write_text(REQUIRED, encoding="utf-8")
    for path in test_media.values():
        shutil.copy(path, module / "media" / path.name)
    out = root / "site"
    subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(root), "--out", str(out)],
                   cwd=REPO, check=True, timeout=120, capture_output=True, stdin=subprocess.DEVNULL)
    return out


@pytest.fixture(scope="session")
def media_site(media_site_dir):
    with serve_directory(media_site_dir) as url:
        yield url


def external_requests(context) -> list[str]:
    """Every request the context makes to YouTube or Vimeo (answered here, never sent)."""
    seen = []

    def answer(route):
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>Player</title><p>Player")
    context.route(lambda url: any(host in url for host in EXTERNAL), answer)
    return seen


def test_the_film_plays_to_the_end_with_its_captions(new_context, media_site):
    page = new_context().new_page()
    page.goto(media_site + PAGE)
    video = page.locator("figure.media--video video")
    assert video.locator('track[kind="captions"][srclang="en"][default]').count() == 1
    page.wait_for_function("() => document.querySelector('video').textTracks[0].cues?.length > 0")
    cues = page.evaluate("() => [...document.querySelector('video').textTracks[0].cues].map(c => c.text)")
    assert cues == ["A tone plays over colour bars.", "It goes on."]
    assert page.evaluate("() => document.querySelector('video').textTracks[0].mode") == "showing"
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true;"
                  " window.filmEnded = new Promise(r => v.addEventListener('ended', () => r(true))); return v.play(); }")
    assert page.evaluate("() => window.filmEnded") is True
    assert page.evaluate("() => document.querySelector('video').currentTime") > 1


def test_the_recording_plays(new_context, media_site):
    page = new_context().new_page()
    page.goto(media_site + PAGE)
    page.evaluate("() => { const a = document.querySelector('audio'); a.muted = true;"
                  " window.talkEnded = new Promise(r => a.addEventListener('ended', () => r(true))); return a.play(); }")
    assert page.evaluate("() => window.talkEnded") is True


def test_the_player_box_is_sized_before_the_film_loads(new_context, media_site):
    context = new_context()
    context.route("**/*.webm", lambda route: route.abort())  # the film never arrives
    page = context.new_page()
    page.goto(media_site + PAGE)
    box = page.locator("figure.media--video video").bounding_box()
    assert box["height"] > 100 and abs(box["width"] / box["height"] - 16 / 9) < 0.02


def test_media_pages_have_no_axe_violations(new_context, media_site, axe_path):
    for scheme in ("light", "dark"):
        found = run_axe_over(new_context, media_site, axe_path, [PAGE, "first/two.html"], color_scheme=scheme)
        assert not found, format_violations(found)


def test_an_external_film_loads_nothing_until_the_learner_asks(new_context, media_site):
    context = new_context()
    requests = external_requests(context)
    page = context.new_page()
    page.goto(media_site + PAGE)
    page.wait_for_load_state("networkidle")
    assert requests == [] and page.locator("iframe").count() == 0
    button = page.get_by_role("button", name="Play the video (loads it from YouTube)")
    assert "This video is on YouTube" in page.locator(".media__external").inner_text()
    button.focus()
    page.keyboard.press("Enter")
    frame = page.locator(".media__external iframe")
    frame.wait_for()
    assert frame.get_attribute("title") == "A talk on YouTube"
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'IFRAME'")
    assert requests and all("youtube-nocookie.com" in url for url in requests)


def test_without_javascript_the_external_film_is_a_link_and_transcripts_are_there(new_context, media_site):
    context = new_context(java_script_enabled=False)
    requests = external_requests(context)
    page = context.new_page()
    page.goto(media_site + PAGE)
    link = page.get_by_role("link", name="Watch ‘A talk on YouTube’ on YouTube")
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert page.get_by_role("button", name="Play the video (loads it from YouTube)").count() == 0
    page.locator("details.media__transcript summary").first.click()
    assert page.get_by_text("A tone plays over colour bars for a second and a half.").is_visible()
    assert requests == []


def test_print_hides_the_players_and_shows_every_transcript_in_full(new_context, media_site):
    page = new_context().new_page()
    page.goto(media_site + PAGE)
    page.emulate_media(media="print")
    assert not any(p.is_visible() for p in page.locator(".media__player").all())
    assert not page.locator(".media__download").first.is_visible()
    for text in ("A tone plays over colour bars for a second and a half.", "Every word of the talk."):
        assert page.get_by_text(text).is_visible(), f"'{text}' is not printed"


def test_a_required_film_counts_once_played_to_the_end_and_the_record_keeps_it(new_context, media_site):
    page = new_context().new_page()
    status = "() => Learnmark.tracker.status('first').completion_status"
    for visited in ("first/index.html", PAGE, "first/two.html"):
        page.goto(media_site + visited)
    assert page.evaluate(status) == "incomplete"  # every page seen, the required film not played
    # Playing it part of the way does not count; only its end does.
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true;"
                  " window.filmEnded = new Promise(r => v.addEventListener('ended', () => r(true))); return v.play(); }")
    assert page.evaluate("() => window.filmEnded") is True
    page.wait_for_function(f"() => ({status})() === 'completed'")
    assert "played it to the end" in page.locator(".media__done").inner_text()
    page.reload()
    assert page.evaluate(status) == "completed"
    assert "played it to the end" in page.locator(".media__done").inner_text()


def test_an_unrequired_film_played_to_the_end_changes_nothing(new_context, media_site):
    page = new_context().new_page()
    for visited in ("first/index.html", "first/two.html", PAGE):
        page.goto(media_site + visited)
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true;"
                  " window.filmEnded = new Promise(r => v.addEventListener('ended', () => r(true))); return v.play(); }")
    assert page.evaluate("() => window.filmEnded") is True
    assert page.evaluate("() => Learnmark.tracker.status('first').completion_status") == "incomplete"
    assert page.evaluate("() => Object.keys(Learnmark.tracker.data().modules.first.visited).sort()") == [
        "index", "one", "two"]


def test_captions_load_from_disk_too(new_context, media_site_dir):
    """A browser treats each file:// file as its own origin and would refuse a caption file beside the page."""
    page = new_context().new_page()
    page.goto((media_site_dir / PAGE).as_uri())
    page.wait_for_function("() => document.querySelector('video').textTracks[0].cues?.length === 2")
    assert page.evaluate("() => document.querySelector('track').readyState") == 2  # LOADED, not ERROR


def test_the_modules_print_page_prints_every_transcript_and_no_player(new_context, media_site, tmp_path):
    """The print page, saved as a PDF: each page's heading and every transcript's text, and no player."""
    from .test_print import pdf_pages
    page = new_context().new_page()
    page.goto(media_site + "first/print.html")
    assert page.locator("details.media__transcript").count() == 4
    assert all(d.evaluate("d => d.open") for d in page.locator("details.media__transcript").all())
    printed = " ".join(pdf_pages(page, tmp_path, "first/print.html"))
    for text in ("Films", "Required film", "A tone plays over colour bars for a second and a half.", "A tone plays.",
                 "Every word of the talk.", "A tone plays over colour bars."):
        assert text in printed, f"{text!r} is not in the printed module"
    assert "Play the video" not in printed and "Download the" not in printed
