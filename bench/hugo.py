"""Hugo for `bench/run --compare`: Debian's `hugo` package unpacked into bench/.tools/ (no root
needed), and a minimal Hugo project around the benchmark corpus's Markdown.

The project does comparable work to a Learnmark page, in its simplest form: every page and
module landing page goes through one layout with the page's title, a navigation list of its
module's pages (the current one marked) and the rendered Markdown. Hugo's Goldmark renders
tables and leaves `:::` lines as text; module folders become sections (`_module.md` is copied
as `_index.md`); `uglyURLs` writes `page.html` files, as Learnmark does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
TOOLS = BENCH / ".tools"
BINARY = TOOLS / "hugo" / "usr" / "bin" / "hugo"

CONFIG = """\
baseURL = "http://example.org/"
title = "Bench"
uglyURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""

LAYOUT = """\
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav><ul>
{{- $current := . -}}
{{- range .CurrentSection.RegularPages -}}
<li><a href="{{ .RelPermalink }}"{{ if eq . $current }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{- end -}}
</ul></nav><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""


def binary() -> Path | None:
    """Hugo's executable: bench/.tools/hugo/usr/bin/hugo, unpacked from Debian's package on first
    use (`apt-get download` + `dpkg -x`), or `hugo` on PATH; None, with a message, if neither works."""
    if BINARY.exists():
        return BINARY
    if shutil.which("apt-get") and shutil.which("dpkg"):
        print("unpacking Debian's hugo package into bench/.tools/hugo ...", flush=True)
        with tempfile.TemporaryDirectory(prefix="learnmark-hugo-") as tmp:
            try:
                # libsass1 is the one library Debian's hugo links that a Python machine may lack.
                subprocess.run(["apt-get", "download", "hugo", "libsass1"], cwd=tmp, check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                TOOLS.mkdir(parents=True, exist_ok=True)
                for deb in sorted(Path(tmp).glob("*.deb")):
                    subprocess.run(["dpkg", "-x", str(deb), str(TOOLS / "hugo")], check=True)
            except (subprocess.CalledProcessError, OSError) as error:
                print(f"could not download Debian's hugo package ({error})", file=sys.stderr)
        if BINARY.exists():
            return BINARY
    found = shutil.which("hugo")
    if found:
        return Path(found)
    print("Hugo is not available: skipping it. Install it with `apt-get install hugo` "
          "(as root), or make `apt-get download hugo` work for this user.", file=sys.stderr)
    return None


def environment(hugo: Path) -> dict[str, str]:
    """The environment to run ``hugo`` in: the unpacked package's libraries on the loader's path."""
    env = dict(os.environ)
    if hugo == BINARY:
        libs = [str(p) for p in (TOOLS / "hugo" / "usr" / "lib").glob("*-linux-gnu")]
        env["LD_LIBRARY_PATH"] = ":".join(libs + [env.get("LD_LIBRARY_PATH", "")]).rstrip(":")
    return env


def version(hugo: Path) -> str:
    text = subprocess.run([str(hugo), "version"], capture_output=True, text=True, env=environment(hugo)).stdout
    # "hugo v0.111.3+extended linux/amd64 BuildDate=..." -> "0.111.3"
    return text.split()[1].lstrip("v").split("+")[0].split("-")[0] if text.split()[1:] else "?"


def project(corpus: Path, name: str) -> Path:
    """Write (again) a Hugo project in bench/.tools/<name>/ whose content is the corpus's Markdown."""
    root = TOOLS / name
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(corpus / "content", root / "content")
    for module_page in (root / "content").rglob("_module.md"):
        module_page.rename(module_page.with_name("_index.md"))
    (root / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for kind in ("single", "list"):
        (layouts / f"{kind}.html").write_text(LAYOUT, encoding="utf-8")
    (root / "layouts" / "index.html").write_text(LAYOUT, encoding="utf-8")
    return root


def command(corpus: Path, name: str = "hugo-project"):
    """A function giving the command that builds ``corpus`` with Hugo into a folder; None without Hugo."""
    hugo = binary()
    if hugo is None:
        return None
    root = project(corpus, name)
    return lambda out: [str(hugo), "--quiet", "--source", str(root), "--destination", str(out),
                        "--cacheDir", str(root / ".cache")]
