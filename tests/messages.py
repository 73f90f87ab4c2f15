"""Running the CLI under a Chinese and an English locale, and finding English left in Chinese output.

`invoke(args, lang)` runs `jianbao ARGS…` in this process through click's CliRunner with the environment of a
user whose locale is `LANG=zh_CN.UTF-8` (lang "zh") or `LANG=C.UTF-8` (lang "en"): JIANBAO_LANG, LC_ALL,
LC_MESSAGES and LANGUAGE removed, as on a machine where only LANG is set.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

from click.testing import CliRunner

LOCALES = {"zh": "zh_CN.UTF-8", "en": "C.UTF-8"}


def environment(lang: str) -> dict[str, str | None]:
    return {"JIANBAO_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANGUAGE": None, "LANG": LOCALES[lang]}


def invoke(args, lang: str, input: str | None = None):
    """Result of `jianbao ARGS…` (output: stdout and stderr together) in the current folder."""
    from jianbao.cli import cli

    return CliRunner(env=environment(lang)).invoke(cli, [str(a) for a in args], input=input,
                                                    catch_exceptions=False, prog_name="jianbao")


def run(args, lang: str, cwd=None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """`jianbao ARGS…` as a separate process (python -m jianbao.cli) under the locale of `lang`."""
    env = {k: v for k, v in os.environ.items() if k not in ("JIANBAO_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env["LANG"] = LOCALES[lang]
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "jianbao.cli", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True)


# Words that may stand in Chinese output: names of things (keys, formats, commands, products, units).
ALLOWED = {
    "jianbao", "yaml", "pdf", "docx", "dotx", "ofd", "png", "html", "jpeg", "jpg", "gif", "bmp", "tiff", "webp",
    "word", "wps", "libreoffice", "ci", "git", "utf", "gbk", "url", "http", "https", "pt", "mm", "dpi", "em",
    "unicode", "true", "false", "yes", "no", "on", "off", "null", "ctrl", "truetype", "opentype", "ttf", "otf",
    "ttc", "pip", "python", "fc", "fontconfig", "exif", "cmyk", "rgb", "id", "ids", "ok", "kb", "mb",
    # jianbao's commands
    "build", "check", "new", "init", "volume", "watch", "tree", "fonts", "import",
}


def english_left(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """The runs of two or more English words in `text` once locations, paths, quoted names, `code`, keys
    (key.paths[0]), rule ids (a-b) and the allowed words are taken out: what a Chinese reader would have to
    read in English."""
    found = []
    for line in text.splitlines():
        line = re.sub(r"^\S+?:\d+:\d+:\s", "", line)                    # FILE:LINE:COL:
        line = re.sub(r"“[^”]*”|‘[^’]*’|「[^」]*」|`[^`]*`|'[^']*'|\"[^\"]*\"", " ", line)
        line = re.sub(r"\S*[/\\]\S*|\S+\.(?:yaml|yml|pdf|docx|dotx|ofd|png|html|jpg|jpeg|txt|ttf|otf|ttc|mo)\b",
                      " ", line)                                          # paths and file names
        line = re.sub(r"\b[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*|\[\d+\])+", " ", line)   # key.paths, a[0]
        line = re.sub(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b", " ", line)        # rule ids, --options
        line = re.sub(r"--?[\w-]+", " ", line)
        words = re.findall(r"[A-Za-z]+(?:\s+[A-Za-z]+)+|[A-Za-z]+", line)
        for run in words:
            if len(run.split()) < 2:
                continue
            if all(w.lower() in ALLOWED or w.lower() in allowed or w.isupper() for w in run.split()):
                continue
            found.append(run)
    return found
