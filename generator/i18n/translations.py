"""A bilingual course's other languages: the default language's modules with each translation swapped in.

``02-mentoring.cy.md`` beside ``02-mentoring.md`` is its Welsh text. Every
language's course has the same modules and pages under the same ids, so a
learner's one progress record (kept by course id and ``<module>/<page>``
ids) follows them from language to language. A page or module with no
translation is shown in the default language's text, with a warning; a
translation keeps its source's ids: its front matter ``id:``, and its
quizzes', questions', options', reflections' and media ids, which it takes
from its source by position when it gives none of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from babel import Locale

from ..config import SiteConfig
from ..course import ParsedModule
from ..discover import MODULE_FILE, ModuleSource, SourceFile, slug_of
from ..errors import Diagnostic, SourceLocation
from ..parse import ParsedDocument
from ..quiz import CHOICE_KINDS, Question, Quiz, slug
from .language import CLDR, language_of
from .names import translation_of

SOURCE_FIELDS = ("completion", "scorm_failed_status")
"""A module's settings that follow its source in every language, as its id does: they decide how it is tracked."""


@dataclass(frozen=True)
class LanguageSources:
    """One other language of a bilingual course, before its Course is built."""

    config: SiteConfig
    """The course's config with this ``language``, its ``folder`` (``cy/``) and support page."""
    modules: list[ParsedModule]


def bilingual(config: SiteConfig) -> bool:
    return len(config.languages) > 1


def english_name(tag: str) -> str:
    """``Welsh`` for ``cy``: how a diagnostic (always in English) names a language."""
    language = language_of(tag)
    if not language.known:
        return tag
    return CLDR.get(("en", "name of", tag), lambda: Locale("en").languages.get(language.locale.language, tag))


def translation_jobs(sources: list[ModuleSource]) -> list[tuple[SourceFile, str]]:
    """Every translation file, to parse with the pages: ``(file, 'module' or 'page')``."""
    return [(file, "module" if translation_of(file.name)[0] == MODULE_FILE else "page")
            for source in sources for file in source.translations]


def other_languages(config: SiteConfig, sources: list[ModuleSource], parsed: list[ParsedModule],
                    results: dict[str, tuple[ParsedDocument | None, list[Diagnostic]]]
                    ) -> tuple[list[LanguageSources], list[Diagnostic]]:
    """Each language but the default, with the problems of every translation file (parse problems included)."""
    problems: list[Diagnostic] = []
    others = config.languages[1:]
    found: dict[tuple[str, str], ParsedDocument] = {}  # (source rel, tag) → translation
    for source in sources:
        names = {file.name for file in (source.index, *source.pages)}
        for file in source.translations:
            doc, file_problems = results[file.rel]
            problems += file_problems
            name, tag = translation_of(file.name, config.languages)
            problem = _misnamed(file, name, tag, names, config)
            if problem:
                problems.append(problem)
            elif doc is not None:
                found[file.rel.rsplit("/", 1)[0] + "/" + name, tag] = doc
    languages = []
    for tag in others:
        modules = []
        for module in parsed:
            translated = found.get((module.index.source.rel, tag))
            index = _translated(module.index, translated, tag, config.language, problems, "module")
            pages = tuple(_translated(page, found.get((page.source.rel, tag)), tag, config.language, problems,
                                      "page" if translated else "page of untranslated module")
                          for page in module.pages)
            modules.append(ParsedModule(module.folder, index, pages))
        languages.append(LanguageSources(_config(config, tag, problems), modules))
    return languages, problems


def _misnamed(file: SourceFile, name: str, tag: str, names: set[str], config: SiteConfig) -> Diagnostic | None:
    """Why a translation file cannot be used, if it cannot: its language is not the course's, or it has no source."""
    language = f"{english_name(tag)} ({tag})"
    if not bilingual(config):
        return Diagnostic(file.location, f"this file is named as a {language} translation, but the course is in "
                                         "one language, so it is left out",
                          f"for a bilingual course, write 'languages: [{config.language}, {tag}]' in site.yaml in "
                          f"place of 'language:'; for a page of its own, rename it without '.{tag}'")
    if tag not in config.languages[1:]:
        return Diagnostic(file.location, f"this file is named as a {language} translation, but '{tag}' is not one of "
                                         f"the course's other languages ({', '.join(config.languages[1:])}), so it is "
                                         "left out",
                          f"add '{tag}' to 'languages:' in site.yaml, or rename the file without '.{tag}'"
                          + (f" (the {tag} text is {name} itself)" if tag == config.languages[0] else ""))
    if name not in names:
        return Diagnostic(file.location, f"this {language} translation has no source: there is no {name} beside it",
                          f"name a translation after its source, with the language before '.md' "
                          f"(02-mentoring.{tag}.md beside 02-mentoring.md)")
    return None


def _translated(source: ParsedDocument, translation: ParsedDocument | None, tag: str, default: str,
                problems: list[Diagnostic], kind: str) -> ParsedDocument:
    """``translation`` with its source's ids, or ``source`` itself (with a warning) when there is none."""
    module = kind == "module"
    if translation is None:
        problems.append(_missing(source, tag, kind, default))
        return source
    own_id = source.meta.get("id") or (slug_of(Path(source.source.rel).parent.name) if module
                                       else slug_of(source.source.name))
    meta = dict(translation.meta)
    if meta.get("id") and meta["id"] != own_id:
        problems.append(Diagnostic(translation.location, f"a translation keeps its source's id '{own_id}', not "
                                                         f"'{meta['id']}'",
                                   f"delete the 'id:' line, or write 'id: {own_id}'"))
    meta["id"] = own_id
    if module:
        meta.update({key: source.meta.get(key) for key in SOURCE_FIELDS})
    quizzes = _same_quizzes(source, translation, tag, problems)
    reflections = _same_ids(source.reflections, translation.reflections, "reflection", translation, tag, problems)
    media = _same_ids(source.media, translation.media, "video or audio", translation, tag, problems)
    return replace(translation, meta=meta, quizzes=quizzes, reflections=reflections, media=media)


def _missing(source: ParsedDocument, tag: str, kind: str, default: str) -> Diagnostic:
    name = english_name(tag)
    path = Path(source.source.rel)
    wanted = path.with_name(f"{path.stem}.{tag}.md").as_posix()
    what, goes = (("module's landing page", "the home page") if kind == "module" else
                  ("page", "the home page" if kind != "page" else "the module"))
    return Diagnostic(source.location, f"this {what} has no {name} ({tag}) translation: {name} learners get its "
                                       f"{english_name(default)} text, and the language switch on it says it is not "
                                       f"available in {name} and links to {goes} in {name}",
                      f"translate it into {wanted}", severity="warning")


def _same_quizzes(source: ParsedDocument, translation: ParsedDocument, tag: str,
                  problems: list[Diagnostic]) -> tuple[Quiz, ...]:
    """The translation's quizzes with their source's ids: progress records name quizzes, questions and
    options by id, so a quiz passed in one language is passed in all."""
    mine, theirs = translation.quizzes, source.quizzes
    if len(mine) != len(theirs):
        problems.append(_mismatch(translation.location, f"has {len(mine)} quizzes where its source has "
                                                        f"{len(theirs)}", source, tag))
        return mine
    quizzes = []
    for quiz, original in zip(mine, theirs):
        if quiz.id and quiz.id != original.id:
            problems.append(_mismatch(quiz.location, f"quiz id '{quiz.id}' is not its source's "
                                                     f"'{original.id or '(none)'}'", source, tag))
        if len(quiz.questions) != len(original.questions):
            problems.append(_mismatch(quiz.location, f"quiz has {len(quiz.questions)} questions where its source "
                                                     f"has {len(original.questions)}", source, tag))
            quizzes.append(quiz)
            continue
        questions = tuple(_same_question(q, o, source, tag, problems) for q, o in zip(quiz.questions, original.questions))
        quizzes.append(replace(quiz, id=original.id, questions=questions))
    return tuple(quizzes)


def _same_question(question: Question, original: Question, source: ParsedDocument, tag: str,
                   problems: list[Diagnostic]) -> Question:
    if question.id != slug(question.text, 48, "question") and question.id != original.id:
        problems.append(_mismatch(question.location, f"question id '{question.id}' is not its source's "
                                                     f"'{original.id}'", source, tag))
    if question.kind != original.kind and {question.kind, original.kind} - set(CHOICE_KINDS):
        problems.append(_mismatch(question.location, f"question is {question.kind} where its source is "
                                                     f"{original.kind}", source, tag))
        return question
    if len(question.targets) != len(original.targets):
        problems.append(_mismatch(question.location, f"matching question has {len(question.targets)} different "
                                                     f"things after '->' where its source has {len(original.targets)}",
                                  source, tag))
        return question
    targets = {mine.id: theirs for mine, theirs in zip(question.targets, original.targets)}
    question = replace(question, targets=tuple(replace(mine, id=targets[mine.id].id) for mine in question.targets))
    if len(question.choices) != len(original.choices):
        problems.append(_mismatch(question.location, f"question has {len(question.choices)} options where its "
                                                     f"source has {len(original.choices)}", source, tag))
        return question
    choices = []
    for choice, theirs in zip(question.choices, original.choices):
        if choice.id != slug(choice.text, 32, "option") and choice.id != theirs.id:
            problems.append(_mismatch(choice.location, f"option id '{choice.id}' is not its source's "
                                                       f"'{theirs.id}'", source, tag))
        if choice.correct != theirs.correct:
            problems.append(_mismatch(choice.location, f"this option is marked {_mark(choice)} where its source's "
                                                       f"is {_mark(theirs)}", source, tag))
        target = targets[choice.target].id if choice.target else ""
        if target != theirs.target:
            problems.append(_mismatch(choice.location, "this item's match is not in the place of its source's: "
                                                       "keep the pairs and the order of what they match as in the source",
                                      source, tag))
        choices.append(replace(choice, id=theirs.id, target=target))
    return replace(question, id=original.id, choices=tuple(choices))


def _mark(choice) -> str:
    return "correct [x]" if choice.correct else "wrong [ ]"


def _same_ids(originals: tuple, items: tuple, kind: str, translation: ParsedDocument, tag: str,
              problems: list[Diagnostic]) -> tuple:
    """Reflections and media take their source's ids by position (notes and plays are kept by id)."""
    if len(items) != len(originals):
        problems.append(_mismatch(translation.location, f"has {len(items)} {kind} items where its source has "
                                                        f"{len(originals)}", None, tag))
        return items
    return tuple(replace(item, id=original.id) for item, original in zip(items, originals))


def _mismatch(where: SourceLocation, what: str, source: ParsedDocument | None, tag: str) -> Diagnostic:
    of = f" ({source.source.rel})" if source is not None else ""
    return Diagnostic(where, f"this {english_name(tag)} translation {what}: a translation must match its "
                             f"source{of}, so that progress is shared between languages",
                      "keep every quiz, question and option of the source, in the same order, with the same "
                      "'[x]' marks; an id written with {#id} or id=... must be the source's")


def _config(config: SiteConfig, tag: str, problems: list[Diagnostic]) -> SiteConfig:
    """The course's config in ``tag``: its own folder, and its support page's translation if there is one."""
    support = config.support
    if support:
        path = Path(support)
        translated = path.with_name(f"{path.stem}.{tag}.md").as_posix()
        if (config.root / translated).is_file():
            support = translated
        elif (config.root / support).is_file():
            problems.append(Diagnostic(SourceLocation(support), f"the support page has no {english_name(tag)} ({tag}) "
                                                                f"translation: {english_name(tag)} learners get "
                                                                f"its {english_name(config.language)} text",
                                       f"translate it into {translated}", severity="warning"))
    own = config.translations.get(tag, {})
    if "title" not in own:
        problems.append(Diagnostic(config.location_of("title"), f"the course title has no {english_name(tag)} ({tag}) "
                                   f"translation: {english_name(tag)} pages show it in {english_name(config.language)}",
                                   f"add it to site.yaml: 'translations:', then '  {tag}:', then '    title: ...'",
                                   severity="warning"))
    return replace(config, language=tag, folder=f"{tag}/", support=support, title=own.get("title", config.title),
                   organisation=own.get("organisation", config.organisation))


def folder_clashes(course) -> list[Diagnostic]:
    """Modules whose id is another language's folder: ``cy/index.html`` would be the Welsh home page and the
    module ``cy``'s landing page at once."""
    folders = set(course.config.languages[1:])
    return [Diagnostic(module.location, f"module id '{module.id}' is the folder of the course's {module.id} pages",
                       "rename the module's folder, or set another 'id:' in its _module.md")
            for module in course.modules if module.id in folders]
