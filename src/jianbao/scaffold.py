"""`jianbao init DIR`: a ready series repository (settings, issues/, fonts/ README, .gitignore, CI workflow).

Each file is one message of the catalogue (its comments in the user's language; its keys and values the same in
every language), formatted with named fields: the values the user gave, as YAML scalars."""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .atomic import write_bytes
from .errors import JianbaoError
from .i18n import N_, _


@dataclass(frozen=True)
class Masthead:
    series: str = ""
    name: str = "简报"
    editor: str = ""
    printer: str = ""
    marking: str = "内部资料"


CONFIG = N_("""\
# jianbao.yaml — settings shared by every issue of this bulletin series (written by `jianbao init`).
# Start an issue with `jianbao new`, build with `jianbao build`; see the README of jianbao for every key.

# the red header (报头) at the top of the first page
masthead:
  # top-left marking (内部资料, 内部刊物 注意保存…); "" for none
  marking: {marking}
  # the line above the big name; "" for none
  series: {series}
  # the big red name, letter-spaced (简 报)
  name: {name}
  # 编印单位, left of the date line
  editor: {editor}

# 印发机关, in the last line (… 2024年1月30日印发)
printer: {printer}

# layout: templates/NAME of this series first, then jianbao's own
template: default

{numbering}
# issues published elsewhere (before this repository): not a gap in the numbering
# absent: {absent}

# number style per heading level: 一、 （一） 1. （1） ① or "" (none)
# heading_numbers: [一、, （一）, 1., （1）]

# 版记 default for new issues (报/送/发); an issue may override it
# distribution:
#   报: [上级机关]
#   送: [有关领导]
#   发: [各科室, 各直属单位]
""")

YEARLY = N_("""\
# 期号 restarts each year: issues/2024/001.yaml, issues/2025/001.yaml …
yearly: true
# 总第 of the earliest issue in this repository: jianbao counts the others
{first_total}""")

FLAT = N_("""\
# 期号 restarting each year (issues/YYYY/NNN.yaml):
# yearly: true
# 总第 of the earliest issue in this repository: jianbao counts the others
{first_total}""")

GITIGNORE = N_("""\
# outputs: built by `jianbao build` (and by CI on every push)
build/
# font files are licensed per office and never committed: see fonts/README.md
fonts/*
!fonts/README.md
""")

ISSUES_README = N_("""\
# issues/

One file per issue, named by its number: `001.yaml`, `002.yaml` … (in a yearly series inside the year's
folder: `2024/001.yaml`); a supplement (增刊) is `z01.yaml`, numbered apart. `jianbao new` writes the next
one; `jianbao build` builds them all into `build/`.
""")

WORKFLOW = N_("""\
# Check and build every issue of this bulletin series on every push and pull request; the PDFs and DOCX
# files are uploaded as the run's artifact "bulletins". Written by `jianbao init`.
name: bulletins

on:
  push:
  pull_request:

env:
  # What `pip install` installs: pinned, so every run builds with the same jianbao. A git URL
  # (git+https://…/jianbao@TAG-OR-COMMIT), a released version (jianbao==X.Y.Z), or a path in this
  # repository (./vendor/jianbao, e.g. a git submodule). Change it here to upgrade.
  JIANBAO_INSTALL: {install}

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          submodules: recursive          # for jianbao vendored as a submodule
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - uses: actions/cache@v4
        with:
          path: ~/.cache/jianbao          # open fonts converted for PDF embedding, once per machine
          key: jianbao-${{{{ runner.os }}}}-${{{{ env.JIANBAO_INSTALL }}}}
      - name: Install the open CJK fonts (Debian packages)
        run: |
          sudo apt-get update
          sudo apt-get install -y --no-install-recommends fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fontconfig
          # the Fandol faces (仿宋, 黑体, 楷体, 宋体), taken out of texlive-lang-chinese without installing TeX
          fandol=usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
          tmp=$(mktemp -d)
          (cd "$tmp" && apt-get download texlive-lang-chinese)
          dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb | tar -x -C "$tmp" --wildcards "./$fandol/*"
          mkdir -p ~/.local/share/fonts/fandol
          cp "$tmp/$fandol"/*.otf ~/.local/share/fonts/fandol/
          fc-cache -f ~/.local/share/fonts/fandol
      - name: Install jianbao
        run: python -m pip install --disable-pip-version-check "$JIANBAO_INSTALL"
      - name: Check every issue
        run: jianbao check --strict
      - name: Build every issue
        run: jianbao build
      - uses: actions/upload-artifact@v4
        with:
          name: bulletins
          path: |
            build/**/*.pdf
            build/**/*.docx
            build/**/*.ofd
""")

FONTS_README = N_("""\
# fonts/: the official fonts of this series (never committed)

jianbao looks for the faces of each role here first, then in `$JIANBAO_FONT_PATH`, then in the system's
font folders. Put the files of the official faces of GB/T 9704-2012 here (or install them in the system)
and every PDF is set in them; without them jianbao uses the open fonts installed by `scripts/install.sh`
(Fandol, AR PL, WenQuanYi) and `jianbao fonts` says which face replaces which.

| role | official face | usual file names |
| --- | --- | --- |
| masthead name, series line, titles | 方正小标宋简体 | `FZXBSJW.TTF`, `方正小标宋简体.ttf` (or 方正小标宋_GBK, `FZXBSK.TTF`) |
| body text, 期号, date, 版记 | 仿宋_GB2312 | `仿宋_GB2312.ttf`, `FangSong_GB2312.ttf` (or Windows' 仿宋, `simfang.ttf`) |
| level-1 headings, marking | 黑体 | `simhei.ttf` |
| level-2 headings, 编者按, subtitle | 楷体_GB2312 | `楷体_GB2312.ttf`, `KaiTi_GB2312.ttf` (or Windows' 楷体, `simkai.ttf`) |
| page numbers | 宋体 | `simsun.ttc` |

The file names do not matter: jianbao reads the face names inside the files.

## Where an office gets them legally

- 黑体, 宋体, 仿宋 and 楷体 come with Windows (`C:\\Windows\\Fonts`: `simhei.ttf`, `simsun.ttc`,
  `simfang.ttf`, `simkai.ttf`); an office may use them on its own machines under its Windows licence.
- 仿宋_GB2312 and 楷体_GB2312 (made by 中易) came with earlier Windows versions, under the Windows
  licence, and are part of the 公文 font set offices receive from their IT department or with their
  公文 software; ask there rather than downloading them from font sites (copies there are often
  renamed or damaged, and their licence is unclear).
- 方正小标宋简体 is a commercial face of 方正字库 (FounderType, www.foundertype.com): licensed to the
  organisation (most government units have a licence through the 公文 software they use); buy a
  licence from FounderType otherwise.

## Never committed

Font files are licensed per organisation or machine, and are large: this folder is git-ignored
(`fonts/*` except this README), so they never reach the repository or its CI. A CI build (the
workflow in `.github/workflows/`) uses the open fonts: same positions, other shapes; print from a
machine that has the official faces.
""")


def _quoted(text: str) -> str:
    """A YAML scalar that reads back as `text`, whatever it holds (a JSON string is a YAML double-quoted one)."""
    return json.dumps(text, ensure_ascii=False)


def default_install() -> str:
    """The pinned requirement for CI: the git URL and commit of the jianbao checkout this runs from, when it has
    a remote to fetch from; else this version from the package index."""
    here = Path(__file__).resolve().parent
    try:
        def git(*args):
            return subprocess.run(["git", "-C", str(here), *args], capture_output=True, text=True, timeout=10,
                                   check=True).stdout.strip()
        top = Path(git("rev-parse", "--show-toplevel"))
        if (top / "src" / "jianbao").resolve() != here:     # a package inside some other repository
            return f"jianbao=={__version__}"
        url, commit = git("remote", "get-url", "origin"), git("rev-parse", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return f"jianbao=={__version__}"
    if url.startswith("git@") and ":" in url:              # git@github.com:org/jianbao.git → https
        host, path = url[4:].split(":", 1)
        url = f"https://{host}/{path}"
    if not url.startswith(("https://", "http://", "file://")) or not commit:
        return f"jianbao=={__version__}"
    return f"git+{url}@{commit}"


def files(masthead: Masthead, install: str, yearly: bool = False, first_total: int | None = None) -> dict[str, str]:
    """{relative path: text} of a new series."""
    if "\n" in install or not install.strip():
        raise JianbaoError(_("--install: {install!r} is not a pip requirement (one line: a git URL, name==version "
                             "or path)").format(install=install))
    total = f"first_total: {first_total}" if first_total else "# first_total: 1"
    numbering = _(YEARLY if yearly else FLAT).format(first_total=total)
    config = _(CONFIG).format(
        numbering=numbering, absent="{2023: [11, 12]}" if yearly else "[1, 2]",
        marking=_quoted(masthead.marking), series=_quoted(masthead.series), name=_quoted(masthead.name or "简报"),
        editor=_quoted(masthead.editor), printer=_quoted(masthead.printer))
    return {
        "jianbao.yaml": config,
        "issues/README.md": _(ISSUES_README),
        "fonts/README.md": _(FONTS_README),
        ".gitignore": _(GITIGNORE),
        ".github/workflows/bulletins.yml": _(WORKFLOW).format(install=_quoted(install.strip())),
    }


def init_series(folder: Path, masthead: Masthead, install: str | None = None, yearly: bool = False,
                first_total: int | None = None) -> list[Path]:
    """Write a new series into `folder` (created if needed); refuse, writing nothing, if any of its files exist."""
    contents = files(masthead, default_install() if install is None else install, yearly, first_total)
    targets = {folder / rel: text for rel, text in contents.items()}
    taken = [str(p) for p in targets if p.exists()]
    if taken:
        raise JianbaoError(_("{folder}: already holds {files}; not overwriting (init a new folder)").format(
            folder=folder, files=", ".join(taken)))
    if folder.exists() and not folder.is_dir():
        raise JianbaoError(_("{folder}: is a file, not a folder").format(folder=folder))
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, text.encode("utf-8"))
    return list(targets)
