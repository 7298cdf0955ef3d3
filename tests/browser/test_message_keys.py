"""The browser looks an interface string up under the key the build gave it (generator/i18n/keys.py):
Learnmark.messageKey in i18n.js and message_key in Python agree on every string the scripts write, and
on text outside ASCII, and a Welsh page finds its strings under those keys."""

from __future__ import annotations

import json

from babel.messages.pofile import read_po

from generator.i18n.keys import message_key, shipped
from tests.browser.conftest import REPO_ROOT

I18N = REPO_ROOT / "themes" / "default" / "static" / "js" / "i18n.js"
POT = REPO_ROOT / "themes" / "default" / "locale" / "js.pot"


def english_strings() -> list[str]:
    with POT.open("rb") as file:
        catalogue = read_po(file)
    return [m.id[0] if isinstance(m.id, (tuple, list)) else m.id for m in catalogue if m.id]


def test_the_browser_and_the_build_key_every_string_alike(page):
    texts = [*english_strings(), "Café – ‘quoted’ 😀 ŵ ŷ", "", "%(n)s"]
    assert len(texts) > 40
    page.set_content("<!doctype html><html lang='cy'><body></body></html>")
    page.add_script_tag(content=I18N.read_text(encoding="utf-8"))
    keys = page.evaluate("texts => texts.map(Learnmark.messageKey)", texts)
    assert keys == [message_key(text) for text in texts]


def test_a_page_finds_its_strings_and_plurals_under_their_keys_and_a_collision_under_its_english(page):
    messages = shipped({"Not started": "Heb ddechrau",
                        "%(num)s page": {"one": "%(num)s dudalen", "other": "%(num)s tudalen"}})
    messages["Shared text"] = "Testun a rennir"  # as a collision leaves it: under its English
    page.set_content("<!doctype html><html lang='cy'><body></body></html>")
    page.add_script_tag(content=f"window.LearnmarkMessages = {json.dumps(messages)};")
    page.add_script_tag(content=I18N.read_text(encoding="utf-8"))
    assert page.evaluate("Learnmark.t('Not started')") == "Heb ddechrau"
    assert page.evaluate("Learnmark.n('%(num)s page', '%(num)s pages', 1)") == "1 dudalen"
    assert page.evaluate("Learnmark.t('Shared text')") == "Testun a rennir"
    assert page.evaluate("Learnmark.t('Not translated')") == "Not translated"
