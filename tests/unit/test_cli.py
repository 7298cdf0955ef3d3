"""The command line as authors use it: exit codes, gcc-style errors, no tracebacks, atomic output."""

import json
import subprocess
import sys

from tests.conftest import CONTACT, REPO


def learnmark(*args, cwd):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_build_prints_a_one_line_summary(project):
    run = learnmark("build", cwd=project.root)
    assert run.returncode == 0, run.stderr
    # home, 404, progress, certificate, search, accessibility, module, 2 pages, print page
    assert run.stdout.startswith("Built 10 pages (1 module, 2 lesson pages) in ")
    assert run.stdout.rstrip().endswith("build/site")
    assert (project.root / "build/site/first/one.html").is_file()


def test_the_page_count_is_every_html_page_written_but_dispatch_launch_pages(project, tmp_path):
    """The count is worked out before rendering, so it is checked against what a build writes: one language, and
    a bilingual course (whose other language has its own search page but shares the root's 404)."""
    from generator.build import build
    from tests.bilingual import write_bilingual

    for root in (project.root, write_bilingual(tmp_path / "bilingual")):
        out = root / "build" / "site"
        pages, _, _ = build(root, out).counts
        written = [p for p in out.rglob("*.html") if p.name != "dispatch.html"]
        assert pages == len(written) and out / "search.html" in written


def test_bad_content_exits_1_with_located_errors_and_hints_but_no_traceback(project):
    project.write("content/01-first/01-one.md", "---\ntitle: One\n---\n[x](nope.md)\n")
    project.write("site.yaml", "id: scratch\ntitle: T\n" + CONTACT)
    run = learnmark("build", cwd=project.root)
    assert run.returncode == 1
    assert run.stderr.splitlines()[:2] == [
        "content/01-first/01-one.md:4:1: error: link to a missing page 'nope.md'",
        "  hint: did you mean '01-one.md'?",
    ]
    assert "Build failed: 1 error;" in run.stderr
    assert "Traceback" not in run.stderr


def test_failed_build_leaves_the_previous_site_untouched(project):
    assert learnmark("build", cwd=project.root).returncode == 0
    site = project.root / "build/site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    project.write("content/01-first/02-two.md", "---\ntitle: Two changed\n---\n# Broken\n")
    assert learnmark("build", cwd=project.root).returncode == 1
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["cache", "site"]  # no staging folders left behind


def test_rebuild_replaces_the_site_and_drops_removed_pages(project):
    assert learnmark("build", cwd=project.root).returncode == 0
    project.write("content/01-first/01-one.md", "---\ntitle: One\n---\nNo links now.\n")
    project.remove("content/01-first/02-two.md")
    assert learnmark("build", cwd=project.root).returncode == 0
    assert not (project.root / "build/site/first/two.html").exists()


def test_refuses_to_replace_a_folder_that_is_not_a_learnmark_site(project, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    run = learnmark("build", "--out", str(precious), cwd=project.root)
    assert run.returncode == 1
    assert "is not a Learnmark site; refusing to replace it" in run.stderr
    assert (precious / "thesis.docx").read_text() == "years of work"


def test_project_option_and_missing_config(tmp_path):
    run = learnmark("build", "--project", str(tmp_path), cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.startswith("site.yaml:1:1: error: no site.yaml in ")


def test_version_and_help():
    assert learnmark("--version", cwd=REPO).stdout.startswith("learnmark ")
    assert "examples:" in learnmark("build", "--help", cwd=REPO).stdout


def test_every_command_has_help_with_examples():
    for command in ("build", "check", "package", "serve", "new"):
        run = learnmark(command, "--help", cwd=REPO)
        assert run.returncode == 0 and "examples:" in run.stdout and f"learnmark {command}" in run.stdout, command


def test_verbose_prints_stage_timings_and_quiet_prints_nothing(project):
    verbose = learnmark("build", "--verbose", cwd=project.root)
    stages = [line.split()[0] for line in verbose.stderr.splitlines()]
    assert stages == ["config", "discover", "parse", "model", "check", "render"]
    quiet = learnmark("build", "--quiet", cwd=project.root)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_the_command_ends_without_teardown_yet_with_all_its_output_and_its_status(project):
    """``learnmark`` leaves the process with ``os._exit`` once ``main`` returns (cli.run): whatever it printed,
    to a pipe, is all there first, and the status is main's. A report far bigger than a pipe's buffer comes
    whole; a reader that stops early gets no traceback (it got one before)."""
    many = "".join(f"[broken {n}](missing-{n}.md) " for n in range(3000))
    project.write("content/01-first/02-two.md", f"---\ntitle: Page two\n---\n{many}\n")
    run = subprocess.run([sys.executable, "-m", "generator", "check", "--format", "json"], cwd=project.root,
                         capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1 and run.stderr == ""
    report = json.loads(run.stdout)  # all of it: cut short, it would not parse
    assert len(run.stdout) > 500_000 and sum("missing-" in d["message"] for d in report["diagnostics"]) == 3000
    head = subprocess.run(f"{sys.executable} -m generator check | head -c 100", shell=True, cwd=project.root,
                          capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert len(head.stdout) == 100 and "Traceback" not in head.stderr
    build = learnmark("build", cwd=project.root)
    assert build.returncode == 1 and "missing-2999.md" in build.stderr
