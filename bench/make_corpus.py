#!/usr/bin/env python3
"""Generate a synthetic Learnmark course for the build benchmark.

The course follows docs/authoring.md: a ``site.yaml``, one folder per module
under ``content/`` with a ``_module.md`` and numbered pages, and an
``images/figure.svg`` in every module.  Each page has YAML front matter
(title, minutes) and about ``--words`` words of lorem-style English under
``##``/``###`` headings, plus a table, a bullet list, a numbered list, a
``::: note`` callout, links to the previous and next pages, a link to a
heading in another module's page, an external link and an image with alt text.
The features added since the first benchmark are in use too: every module
has a quiz (single, multiple and true/false questions, with feedback) on its
last page, a reflection, a required video with captions and a transcript, and
an audio recording with a transcript (the media files are a few bytes: the
build checks and copies them, it does not decode them). With ``--bilingual``
the course is in English and Welsh (``languages: [en-GB, cy]``), every page
translated (``x.cy.md``, the same text under a Welsh marker), so it has twice
the pages. The search index is always built.

The output depends only on the options: the same ``--seed``, ``--modules``,
``--pages`` and ``--words`` always give byte-identical files.

Only the standard library is used, so any Python 3.10+ can run it::

    python3 bench/make_corpus.py bench/corpus
    python3 bench/make_corpus.py /tmp/course --modules 5 --pages 4 --words 200

A marker file (``.bench-corpus.json``) records the options.  The script
writes into a missing or empty directory, or replaces a directory that holds
a previous corpus (it has the marker); it refuses any other non-empty
directory.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".bench-corpus.json"
FORMAT = 2  # bump when the generated content changes (2: quizzes, reflections, media, --bilingual)

DEFAULT_MODULES = 50
DEFAULT_PAGES = 20
DEFAULT_WORDS = 400
DEFAULT_SEED = 20240601

# Plain lower-case English words: letters only, so headings slug predictably
# and nothing is read as Markdown or YAML syntax.
NOUNS = """
team patient learner practice handover record review plan policy risk safety
feedback meeting shift ward clinic service role skill habit goal outcome
evidence audit report checklist process signal pattern decision concern
question answer example method model framework standard principle value
culture colleague manager supervisor trainee mentor partner family carer
community network resource budget schedule workload priority pathway
referral assessment observation conversation support wellbeing boundary
change improvement incident response lesson summary outline draft note
""".split()

VERBS = """
review share plan record explain describe compare agree check support
notice improve discuss measure reflect prepare organise listen escalate
balance protect monitor summarise clarify adapt involve consider identify
""".split()

ADJECTIVES = """
clear careful shared simple practical regular early local honest open
safe calm useful common steady brief formal informal structured flexible
timely visible reliable consistent thoughtful
""".split()

FILLERS = """
the a each every this that our your their its some many most several
""".split()

LINKERS = """
and but so because while when although after before until unless
""".split()

PREPOSITIONS = """
with for about during across within between through around before after
""".split()

OBJECTIVE_VERBS = ["Describe", "Explain", "Plan", "Compare", "Identify",
                   "Apply", "Summarise", "Recognise", "Use", "Review"]

CALLOUT_TITLES = ["Key point", "Remember", "In practice", "Good to know",
                  "A quick check"]

EXTERNAL_SITES = ["https://www.example.org/guidance",
                  "https://www.example.com/resources",
                  "https://learning.example.net/library"]


# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------

def slugify(text: str) -> str:
    """Heading anchor / file slug: lower-case, spaces to hyphens, punctuation dropped."""
    text = text.strip().lower().replace(" ", "-")
    return re.sub(r"[^a-z0-9-]", "", text)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def fix_articles(words: list[str]) -> list[str]:
    return ["an" if w == "a" and i + 1 < len(words) and words[i + 1][:1] in "aeiou" else w
            for i, w in enumerate(words)]


class Text:
    """Lorem-style English built from a fixed vocabulary."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def phrase(self) -> list[str]:
        r = self.rng
        words = [r.choice(FILLERS)]
        if r.random() < 0.5:
            words.append(r.choice(ADJECTIVES))
        words.append(r.choice(NOUNS))
        return fix_articles(words)

    def clause(self) -> list[str]:
        r = self.rng
        words = self.phrase() + [third_person(r.choice(VERBS))] + self.phrase()
        if r.random() < 0.5:
            words += [r.choice(PREPOSITIONS)] + self.phrase()
        return fix_articles(words)

    def sentence(self) -> str:
        r = self.rng
        words = self.clause()
        if r.random() < 0.45:
            if r.random() < 0.4:
                words[-1] += ","
            words += [r.choice(LINKERS)] + self.clause()
        # A little inline markup now and then, as real pages have.
        if r.random() < 0.12:
            i = r.randrange(1, len(words))
            words[i] = f"**{words[i]}**"
        elif r.random() < 0.12:
            i = r.randrange(1, len(words))
            words[i] = f"*{words[i]}*"
        return cap(" ".join(words)) + "."

    def paragraph(self, words: int) -> str:
        out: list[str] = []
        count = 0
        while True:
            s = self.sentence()
            n = len(s.split())
            # Stop at the sentence boundary nearest the target (always >= 1 sentence).
            if out and count + n / 2 > words:
                break
            out.append(s)
            count += n
        return " ".join(out)

    def title(self, min_words: int = 2, max_words: int = 4) -> str:
        """A capitalised title of letters and single spaces (never one word)."""
        r = self.rng
        n = r.randint(min_words, max_words)
        if n == 2:
            words = [r.choice(ADJECTIVES), r.choice(NOUNS)]
        elif n == 3:
            words = [r.choice(NOUNS), "and", r.choice(NOUNS)]
            if r.random() < 0.5:
                words = [r.choice(ADJECTIVES), r.choice(NOUNS), r.choice(NOUNS)]
        else:
            words = [r.choice(ADJECTIVES), r.choice(NOUNS), "and", r.choice(NOUNS)]
        return cap(" ".join(words))


def count_words(markdown: str) -> int:
    """Words a reader sees: link and image targets are not counted."""
    return len(re.findall(r"[A-Za-z]+", re.sub(r"\]\([^)]*\)", "]", markdown)))


# --------------------------------------------------------------------------
# Course plan (pass 1): names, titles and headings, so links can point at
# pages and anchors that exist.
# --------------------------------------------------------------------------

@dataclass
class Page:
    number: int
    slug: str
    title: str
    minutes: int
    sections: list[tuple[str, list[str]]]  # (## heading, [### headings])

    def filename(self, width: int) -> str:
        return f"{self.number:0{width}d}-{self.slug}.md"


@dataclass
class Module:
    number: int
    slug: str
    title: str
    pages: list[Page] = field(default_factory=list)

    def folder(self, width: int) -> str:
        return f"{self.number:0{width}d}-{self.slug}"


def unique(make, taken: set[str]) -> str:
    """Call make() until its slug is not in taken; record and return the value."""
    for _ in range(1000):
        value = make()
        if slugify(value) not in taken:
            taken.add(slugify(value))
            return value
    raise RuntimeError("could not find a unique name; vocabulary too small")


def plan_course(rng: random.Random, modules: int, pages: int) -> list[Module]:
    text = Text(rng)
    plan: list[Module] = []
    module_slugs: set[str] = set()
    for m in range(1, modules + 1):
        # Module titles (and so ids) are unique across the course.
        while True:
            mtitle = text.title(2, 4)
            if slugify(mtitle) not in module_slugs:
                module_slugs.add(slugify(mtitle))
                break
        module = Module(m, slugify(mtitle), mtitle)
        page_slugs: set[str] = set()
        for p in range(1, pages + 1):
            while True:
                ptitle = text.title(2, 4)
                if slugify(ptitle) not in page_slugs and slugify(ptitle) != module.slug:
                    page_slugs.add(slugify(ptitle))
                    break
            # Headings are unique within the page and differ from its title,
            # so every anchor is unambiguous.
            used = {slugify(ptitle)}
            sections = []
            for _ in range(3):
                h2 = unique(lambda: text.title(2, 3), used)
                subs = []
                for _ in range(rng.randint(0, 2)):
                    subs.append(unique(lambda: text.title(2, 3), used))
                sections.append((h2, subs))
            module.pages.append(Page(p, slugify(ptitle), ptitle,
                                     rng.randint(3, 12), sections))
        plan.append(module)
    return plan


# --------------------------------------------------------------------------
# Rendering (pass 2)
# --------------------------------------------------------------------------

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120" role="img" aria-labelledby="t">
  <title id="t">{title}: three steps in a row</title>
  <rect x="10" y="30" width="80" height="60" rx="8" fill="#d9e8f5" stroke="#1d4f91"/>
  <rect x="120" y="30" width="80" height="60" rx="8" fill="#d9e8f5" stroke="#1d4f91"/>
  <rect x="230" y="30" width="80" height="60" rx="8" fill="#d9e8f5" stroke="#1d4f91"/>
  <path d="M90 60h30M200 60h30" stroke="#1d4f91" stroke-width="3"/>
  <text x="50" y="65" text-anchor="middle" font-size="14">Plan</text>
  <text x="160" y="65" text-anchor="middle" font-size="14">Do</text>
  <text x="270" y="65" text-anchor="middle" font-size="14">Review</text>
</svg>
"""


def render_site_yaml(modules: int, pages: int, bilingual: bool = False) -> str:
    title = f"Learnmark benchmark course ({modules} modules, {pages} pages each)"
    return (
        "id: bench\n"
        f'title: "{title}"\n'
        "organisation: Learnmark Benchmark Trust\n"
        "accessibility:\n  contact:\n    email: access@example.org\n"
        + ("languages: [en-GB, cy]\ntranslations:\n  cy:\n"
           f'    title: "Cwrs meincnodi Learnmark ({modules} modiwl)"\n' if bilingual else "language: en-GB\n")
    )


VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
{first}

00:00:04.000 --> 00:00:08.000
{second}
"""
MEDIA = {"clip.mp4": b"\x00\x00\x00\x18ftypmp42 benchmark video", "talk.mp3": b"ID3 benchmark audio"}
"""Stand-ins for media files: the build checks their type by name and copies them, never decodes them."""


def render_quiz(rng: random.Random, text: Text) -> list[str]:
    """A quiz of three questions: single choice, multiple choice and true/false, each option with feedback."""
    def option(mark: str) -> list[str]:
        return [f"- [{mark}] {text.title(2, 3)}", f"  > {text.sentence()}"]

    def question(suffix: str = "") -> str:
        words = text.clause()
        return f"### {cap(' '.join(words))}?{suffix}"

    lines = ["::: quiz pass=60 shuffle", question(), *option("x"), *option(" "), *option(" "), "", text.paragraph(20), "",
             question(" {multiple}"), *option("x"), *option("x"), *option(" "), "",
             question(), "- [x] True", f"  > {text.sentence()}", "- [ ] False", f"  > {text.sentence()}", ":::"]
    return lines


def render_media(rng: random.Random, text: Text) -> list[str]:
    """A required video with captions and a transcript, and a recording with a transcript."""
    return ["::: video src=media/clip.mp4 captions=media/clip.en.vtt descriptions=media/clip-descriptions.en.vtt required title=\"A short film\"",
            f"**Narrator:** {text.paragraph(40)}", ":::", "",
            "::: audio src=media/talk.mp3 title=\"A colleague reflects\"",
            f"**Colleague:** {text.paragraph(30)}", ":::"]


def render_reflection(text: Text) -> list[str]:
    return ["::: reflection", text.paragraph(20), ":::"]


def render_module(rng: random.Random, text: Text, module: Module) -> str:
    objectives = []
    for _ in range(rng.randint(2, 4)):
        objectives.append(f"{rng.choice(OBJECTIVE_VERBS)} {' '.join(text.phrase())}"
                          f" {rng.choice(PREPOSITIONS)} {' '.join(text.phrase())}")
    minutes = sum(p.minutes for p in module.pages)
    summary = text.sentence().replace("*", "")
    lines = [
        "---",
        f"title: {module.title}",
        f"summary: {summary}",
        "objectives:",
        *[f"  - {o}" for o in objectives],
        f"minutes: {minutes}",
        "---",
        text.paragraph(60),
        "",
        text.paragraph(40),
        "",
    ]
    return "\n".join(lines)


def render_page(rng: random.Random, text: Text, plan: list[Module],
                mi: int, pi: int, words: int, mwidth: int, pwidth: int) -> str:
    module = plan[mi]
    page = module.pages[pi]

    # --- fixed elements -------------------------------------------------
    nouns = rng.sample(NOUNS, 4)
    table = [
        f"| {cap(nouns[0])} | {cap(nouns[1])} | Minutes |",
        "| --- | --- | ---: |",
    ]
    for _ in range(3):
        table.append(f"| {cap(' '.join(text.phrase()))} | {' '.join(text.phrase())} "
                     f"| {rng.randint(1, 30)} |")

    bullets = [f"- {cap(' '.join(text.clause()))}" for _ in range(rng.randint(3, 5))]
    steps = [f"{i}. {cap(rng.choice(VERBS))} {' '.join(text.phrase())}"
             for i in range(1, rng.randint(3, 5) + 1)]

    callout = [
        f"::: note {rng.choice(CALLOUT_TITLES)}",
        text.paragraph(20),
        ":::",
    ]

    nav = []
    if pi > 0:
        prev = module.pages[pi - 1]
        nav.append(f"Go back to [{prev.title}]({prev.filename(pwidth)}) to revise the basics.")
    if pi + 1 < len(module.pages):
        nxt = module.pages[pi + 1]
        nav.append(f"Continue with [{nxt.title}]({nxt.filename(pwidth)}).")
    if not nav:
        nav.append("Return to [the module overview](_module.md).")

    if len(plan) > 1:
        other_mi = rng.choice([i for i in range(len(plan)) if i != mi])
        other = plan[other_mi]
        target = rng.choice(other.pages)
        heading = rng.choice(target.sections)[0]
        href = (f"../{other.folder(mwidth)}/{target.filename(pwidth)}"
                f"#{slugify(heading)}")
        cross = (f"The section [{heading.lower()}]({href}) in "
                 f"*{other.title}* covers a related idea.")
    else:
        target = rng.choice(module.pages)
        heading = rng.choice(target.sections)[0]
        cross = (f"The section [{heading.lower()}]({target.filename(pwidth)}"
                 f"#{slugify(heading)}) covers a related idea.")

    site = rng.choice(EXTERNAL_SITES)
    external = (f"Read more in the [published {rng.choice(NOUNS)} guidance]"
                f"({site}/{page.slug}).")
    image = (f"![Diagram of the three steps for {page.title.lower()}: "
             f"plan, do and review](images/figure.svg)")

    features = []  # what later issues added: one of each per module, on its own page
    if pi == len(module.pages) - 1:
        features = render_quiz(rng, text)
    elif pi == 1 % len(module.pages):
        features = render_media(rng, text)
    elif pi == 2 % len(module.pages):
        features = render_reflection(text)
    fixed = "\n".join(table + bullets + steps + callout + nav + [cross, external, image] + features)
    budget = max(words - count_words(fixed), 40)

    # Prose: one intro paragraph plus one per ## and ### section.
    n_paras = 1 + sum(1 + len(subs) for _, subs in page.sections)
    per_para = max(budget // n_paras, 8)

    out = [
        "---",
        f"title: {page.title}",
        f"minutes: {page.minutes}",
        "---",
        text.paragraph(per_para),
        "",
    ]
    # Spread the fixed elements across the sections.
    extras = {0: [table, bullets], 1: [steps, callout], 2: [[image]]}
    for si, (h2, subs) in enumerate(page.sections):
        out += [f"## {h2}", "", text.paragraph(per_para), ""]
        for block in extras.get(si, []):
            out += block + [""]
        for h3 in subs:
            out += [f"### {h3}", "", text.paragraph(per_para), ""]
    # No vocabulary word appears in this heading, so it never clashes.
    if features:
        out += features + [""]
    out += ["## Where to go next", ""]
    out += [" ".join(nav), "", cross, "", external, ""]
    return "\n".join(out)


def welsh(markdown: str) -> str:
    """A page's "translation": the same text, the title marked, links to the other pages' translations.
    Ids and quizzes stay the source's, as a translation's must."""
    markdown = re.sub(r"^title: (.*)$", r"title: \1 (Cymraeg)", markdown, count=1, flags=re.M)
    return re.sub(r"\]\(([^)\s]+?)\.md(#[^)]*)?\)", r"](\1.cy.md\2)", markdown)


def generate(out_dir: Path, modules: int, pages: int, words: int, seed: int, bilingual: bool = False) -> int:
    """Write the course into out_dir (which must be empty or missing). Returns pages written."""
    rng = random.Random(seed)
    plan = plan_course(rng, modules, pages)
    text = Text(rng)
    mwidth = max(2, len(str(modules)))
    pwidth = max(2, len(str(pages)))

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "site.yaml").write_text(render_site_yaml(modules, pages, bilingual), encoding="utf-8")
    content = out_dir / "content"
    content.mkdir()
    written = 0
    for mi, module in enumerate(plan):
        folder = content / module.folder(mwidth)
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "figure.svg").write_text(
            SVG.format(title=module.title), encoding="utf-8")
        (folder / "media").mkdir()
        for name, data in MEDIA.items():
            (folder / "media" / name).write_bytes(data)
        for name in ("clip.en.vtt", "clip-descriptions.en.vtt"):
            (folder / "media" / name).write_text(VTT.format(first=text.sentence(), second=text.sentence()),
                                                 encoding="utf-8")
        files = {"_module": render_module(rng, text, module)}
        for pi, page in enumerate(module.pages):
            files[page.filename(pwidth)[:-3]] = render_page(rng, text, plan, mi, pi, words, mwidth, pwidth)
            written += 1
        for stem, markdown in files.items():
            (folder / f"{stem}.md").write_text(markdown, encoding="utf-8")
            if bilingual:
                (folder / f"{stem}.cy.md").write_text(welsh(markdown), encoding="utf-8")
    return written


def params_dict(modules: int, pages: int, words: int, seed: int, bilingual: bool = False) -> dict:
    return {"format": FORMAT, "modules": modules, "pages": pages,
            "words": words, "seed": seed, "bilingual": bilingual}


def read_marker(out_dir: Path) -> dict | None:
    try:
        return json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def make_corpus(out_dir: Path, modules: int = DEFAULT_MODULES, pages: int = DEFAULT_PAGES,
                words: int = DEFAULT_WORDS, seed: int = DEFAULT_SEED, bilingual: bool = False) -> int:
    """Create (or replace) a corpus in out_dir. Raises SystemExit on refusal."""
    if modules < 1 or pages < 1 or words < 1:
        raise SystemExit("make_corpus: --modules, --pages and --words must be at least 1")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise SystemExit(f"make_corpus: {out_dir} exists and is not a directory")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if read_marker(out_dir) is None:
            raise SystemExit(
                f"make_corpus: refusing to write into {out_dir}: it is not empty and "
                f"has no {MARKER}, so it is not a previous benchmark corpus")
        # A previous corpus: clear it out (only what lives inside this folder).
        for child in out_dir.iterdir():
            if child.name == MARKER:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    # The marker is written first (so an interrupted run leaves a directory
    # that can be replaced) and marked complete last (so the runner knows to
    # regenerate an interrupted one).
    out_dir.mkdir(parents=True, exist_ok=True)
    params = params_dict(modules, pages, words, seed, bilingual)
    _write_marker(out_dir, {**params, "complete": False})
    written = generate(out_dir, modules, pages, words, seed, bilingual)
    _write_marker(out_dir, {**params, "complete": True})
    return written


def _write_marker(out_dir: Path, data: dict) -> None:
    (out_dir / MARKER).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def is_current(out_dir: Path, modules: int, pages: int, words: int, seed: int, bilingual: bool = False) -> bool:
    """True if out_dir holds a complete corpus made with these options."""
    marker = read_marker(Path(out_dir))
    return bool(marker) and marker.get("complete") is True and all(
        marker.get(k) == v for k, v in params_dict(modules, pages, words, seed, bilingual).items())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", default=str(Path(__file__).resolve().parent / "corpus"),
                    help="directory to write the course into (default: bench/corpus)")
    ap.add_argument("--modules", type=int, default=DEFAULT_MODULES,
                    help=f"number of modules (default {DEFAULT_MODULES})")
    ap.add_argument("--pages", type=int, default=DEFAULT_PAGES,
                    help=f"pages per module (default {DEFAULT_PAGES})")
    ap.add_argument("--words", type=int, default=DEFAULT_WORDS,
                    help=f"approximate words per page (default {DEFAULT_WORDS})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED,
                    help=f"random seed (default {DEFAULT_SEED})")
    ap.add_argument("--bilingual", action="store_true",
                    help="a course in English and Welsh, every page translated (twice the pages)")
    args = ap.parse_args(argv)
    n = make_corpus(Path(args.out), args.modules, args.pages, args.words, args.seed, args.bilingual)
    print(f"wrote {n} pages in {args.modules} modules to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
