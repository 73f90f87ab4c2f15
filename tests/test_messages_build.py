"""The messages of building, in Chinese under `LANG=zh_CN.UTF-8` and in English under `LANG=C.UTF-8`: build
failures (a font or a character missing, pictures refused, tables too wide, the document tree of a series' own
template, the page too small for a block), the notes and fit advice a build prints, `jianbao fonts`, `jianbao volume`
and the `jianbao watch` preview page. Every message of po/zh_CN/build.po is provoked here: by CLI runs (one build
of many broken issues in a few series gives most of them at once) or, for the guards no input reaches, by calling
the function under the Chinese locale.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import string
import struct
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from conftest import REPO
from messages import english_left, environment, invoke
from test_fonts import make_font

LANGS = ("en", "zh")
SEEN: dict[str, str] = {}                    # the English output of every run and call, for the last test
TEMPLATE = REPO / "src" / "jianbao" / "templates" / "default"
S = "市教育局认真贯彻落实上级部署要求，扎实推进各项工作任务落地见效，取得了明显成效。"
RARE = "堃"                                  # in the fallback fonts only (AR PL UMing)
NONE = "\U0003134A"                          # 𱍊 (CJK extension G): in no font of this machine (checked below)
SIX = ", ".join(f"市教育局机关各处室党支部{i}" for i in range(6))


# ---- the series ----------------------------------------------------------------------------------------------------

def _paragraphs(*lengths: int) -> str:
    return "".join(f"  - {(S * 40)[:n - 1]}。\n" for n in lengths)


def _issue(number: int, body: str, title: str = "市教育局召开工作推进会", extra: str = "") -> str:
    return f"number: {number}\ndate: 2022-03-01\ntitle: {title}\nbody:\n{body}{extra}"


def _series(root: Path, own_template: bool = False) -> Path:
    (root / "issues").mkdir(parents=True)
    config = (REPO / "jianbao.yaml").read_text(encoding="utf-8")
    config = "\n".join(line for line in config.splitlines() if not line.startswith("absent:")) + "\n"
    if own_template:
        shutil.copytree(TEMPLATE, root / "templates" / "mine")
        config = config.replace("template: default", "template: mine")
    (root / "jianbao.yaml").write_text(config, encoding="utf-8")
    return root


def _png_header(path: Path, width: int, height: int) -> None:
    """A PNG of a few dozen bytes that says it is width × height pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def _photos(folder: Path, outside: Path) -> None:
    folder.mkdir()
    Image.effect_noise((400, 300), 60).convert("RGB").save(folder / "ok.jpg", "JPEG")
    buf = io.BytesIO()
    Image.effect_noise((1200, 900), 60).convert("RGB").save(buf, "JPEG", quality=90)
    (folder / "truncated.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    (folder / "text.jpg").write_text("这不是图片\n", encoding="utf-8")
    _png_header(folder / "bomb.png", 100_000, 100_000)
    (folder / "album").mkdir()
    Image.effect_noise((20, 10), 60).convert("RGB").save(outside, "JPEG")
    os.symlink(outside, folder / "link.jpg")


PICTURES = ["/etc/passwd", "../outside.jpg", "photos/link.jpg", "photos/nothere.jpg", "photos/album",
            "photos/text.jpg", "photos/truncated.jpg", "photos/bomb.png"]

# Broken document trees of the series' own template, one per issue number (inside <article>, unless said).
TREES = {
    2: '<col/>',
    4: '<figures line="5" col="3"><figure><picture src="photos/ok.jpg"/></figure></figures>',
    5: '<figure line="5" col="3"><caption>说明</caption></figure>',
    6: '<figure line="5" col="3"><picture src="photos/ok.jpg"/><bogus/></figure>',
    7: '<table line="5" col="3"><col/><tr><td>甲</td><td>乙</td></tr></table>',
    8: '<table line="5" col="3"></table>',
    9: '<table line="5" col="3"><col/><bogus/></table>',
    12: '<para line="5">正文<bogus>字</bogus></para>',
    13: '<figures line="5" col="3"><bogus/></figures>',
}


def _own_tree_template(root: Path) -> None:
    """The series' own template writes a broken document tree for some issue numbers (TREES; 1: a root other than
    <bulletin>, 3: an unknown masthead element, 10: contents, 11: distribution, 14: printing, 15: an editor too
    long for its line, 16: no 版记 at all)."""
    path = root / "templates" / "mine" / "bulletin.xml.j2"
    s = path.read_text(encoding="utf-8")
    inject = "".join(f"{{%- if issue.number == {n} %}}{x}{{% endif -%}}\n" for n, x in TREES.items())
    s = s.replace("{{ blocks(article.body) }}", inject + "{{ blocks(article.body) }}")
    s = s.replace("<name>{{ masthead.name }}</name>", "<name>{{ masthead.name }}</name>"
                  "{% if issue.number == 3 %}<bogus/>{% endif %}")
    s = s.replace("{%- for article in issue.articles %}<contents-entry",
                  "{%- if issue.number == 10 %}<bogus/>{% endif %}{%- for article in issue.articles %}<contents-entry")
    s = s.replace("<distribution>\n", "<distribution>{% if issue.number == 11 %}<bogus/>{% endif %}\n")
    s = s.replace("<printing><printer>", "<printing>{% if issue.number == 14 %}<bogus/>{% endif %}<printer>")
    s = s.replace("<editor>{{ masthead.editor }}",
                  '<editor>{{ masthead.editor }}{% if issue.number == 15 %}{{ "很长的编印单位名称" * 5 }}{% endif %}')
    s = s.replace("<distribution>", "{% if issue.number != 16 %}<distribution>")
    s = s.replace("</distribution>", "</distribution>{% endif %}")
    s = s.replace("<bulletin number=", "{% if issue.number == 1 %}<other/>{% else %}<bulletin number=")
    path.write_text(s.rstrip() + "\n{% endif %}\n", encoding="utf-8")


FANDOL = """fonts:
  xiaobiaosong: [FandolSong-Bold]
  fangsong: [FandolFang]
  hei: [FandolHei]
  kai: [FandolKai]
  song: [FandolSong]
  spare: [Spare CFF Bold]
"""


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    """The series every run of this file uses, in one folder:
    main/   the showcase's settings, issues with every kind of build failure, note and fit advice;
    tree/   an own template that writes broken document trees;
    fandol/ an own template whose every font is installed (Fandol), with a font no role uses;
    nofont/ an own template whose `fangsong` key names no installed font;
    tall/   an own template whose masthead takes the whole first page."""
    from jianbao import api

    base = tmp_path_factory.mktemp("messages-build")
    main = _series(base / "main")
    _photos(main / "photos", base / "outside.jpg")
    book = api.Context.for_root(main).fonts
    if not any(f.family.startswith("Fandol") for f in book.faces("fangsong")) \
            or not any(f.has(RARE) for f in book.faces("fallback")):
        pytest.skip("the Fandol and AR PL fonts are not installed (scripts/install-fonts.sh)")
    if any(f.has(NONE) for key in book.families for f in book.chain(key)):
        pytest.skip(f"U+{ord(NONE):04X} is in an installed font")
    issues = {
        1: _issue(1, _paragraphs(300, 300, 300, 496), extra=f"copies: 200\ndistribution:\n  发: [{SIX}]\n"),
        2: _issue(2, _paragraphs(300, 300, 300, 608), extra=f"copies: 200\ndistribution:\n  发: [{SIX}]\n"),
        3: _issue(3, _paragraphs(300, 300, 300, 76)),
        4: _issue(4, f"  - 张{RARE}同志发言。\n", "生僻字"),
        5: _issue(5, f"  - 张{NONE}同志发言。\n", "无字"),
        6: _issue(6, "  - table:\n      header: [编号, 名称, 代码]\n      rows:\n"
                     f"        - [1, 甲, {'1234567890' * 8}]\n", "宽表"),
        7: _issue(7, "  - table:\n      header: [编号, \"\"]\n      widths: [50, 1]\n      rows:\n"
                     "        - [1, 2022000000000]\n", "窄列"),
        8: _issue(8, "  - table:\n      header: [甲, 乙]\n      rows:\n"
                     f"        - [{'很长的单元格文字' * 300}, 1]\n", "长表"),
        9: _issue(9, "  - 导语。\n", "版记", "distribution:\n  报: [%s]\n"
                  % ", ".join(f"单位{i:03d}很长的名称很长的名称很长的名称很长的名称" for i in range(200))),
        10: _issue(10, f"  - image: photos/ok.jpg\n    caption: {'很长的说明文字' * 400}\n", "说明"),
        11: _issue(11, "  - 导语。\n" + "".join(f"  - image: {p}\n" for p in PICTURES), "图片"),
    }
    for n, text in issues.items():
        (main / "issues" / f"{n:03d}.yaml").write_text(text, encoding="utf-8")

    tree = _series(base / "tree", own_template=True)
    _own_tree_template(tree)
    (tree / "photos").mkdir()
    shutil.copy(main / "photos" / "ok.jpg", tree / "photos" / "ok.jpg")
    for n in range(1, 17):
        body = _paragraphs(300, 300, 300, 76) if n == 16 else "  - 正文。\n"
        text = _issue(n, body, "标题")
        if n == 10:
            text = (f"number: {n}\ndate: 2022-03-01\narticles:\n  - title: 甲\n    body: [一。]\n"
                    "  - title: 乙\n    body: [二。]\n")
        (tree / "issues" / f"{n:03d}.yaml").write_text(text, encoding="utf-8")

    fandol = _series(base / "fandol", own_template=True)
    with open(fandol / "templates" / "mine" / "layout.yaml", "a", encoding="utf-8") as f:
        f.write(FANDOL)
    make_font(fandol / "fonts" / "Spare.otf", "Spare CFF", "中文", style="Bold", cff=True, weight=700)
    (fandol / "issues" / "001.yaml").write_text(_issue(1, f"  - 张{RARE}同志和{NONE}同志。\n"), encoding="utf-8")
    (fandol / "issues" / "002.yaml").write_text(_issue(2, "  - 正文。\n"), encoding="utf-8")

    nofont = _series(base / "nofont", own_template=True)
    with open(nofont / "templates" / "mine" / "layout.yaml", "a", encoding="utf-8") as f:
        f.write("fonts:\n  fangsong: [无此字体, NoSuchFont]\n")
    (nofont / "issues" / "001.yaml").write_text(_issue(1, "  - 正文。\n"), encoding="utf-8")

    tall = _series(base / "tall", own_template=True)
    with open(tall / "templates" / "mine" / "layout.yaml", "a", encoding="utf-8") as f:
        f.write("masthead: {blank_after_rule: 40}\n")
    (tall / "issues" / "001.yaml").write_text(_issue(1, "  - 正文。\n"), encoding="utf-8")
    return base


def _run(place: Path, folder: str, args, lang: str):
    old = Path.cwd()
    os.chdir(place / folder)
    try:
        return invoke(args, lang)
    finally:
        os.chdir(old)


BUILT = ["main/issues/" + f"{n:03d}.yaml" for n in range(1, 12)] + \
        ["tree/issues/" + f"{n:03d}.yaml" for n in range(1, 17)] + \
        ["fandol/issues/002.yaml", "nofont/issues/001.yaml", "tall/issues/001.yaml", "main/issues/none.yaml"]


@pytest.fixture(scope="module")
def runs(place) -> dict:
    """Every CLI run of this file, once per language: `jianbao fonts` (before the build: the font no role uses is
    not yet converted for the PDF), one `jianbao build` of every broken issue, `jianbao volume`."""
    out = {}
    for lang in LANGS:
        out["fonts", lang] = _run(place, "fandol", ["fonts"], lang)
        out["fonts-file", lang] = _run(place, "fandol", ["fonts", "issues/001.yaml"], lang)
        out["fonts-plain", lang] = _run(place, "fandol", ["fonts", "issues/002.yaml"], lang)
        out["fonts-none", lang] = _run(place, "nofont", ["fonts"], lang)
    for lang in LANGS:
        out["build", lang] = _run(place, ".", ["build", "--force", "--format", "pdf", *BUILT], lang)
        out["volume-year", lang] = _run(place, "fandol", ["volume", "2030"], lang)
        out["volume-range", lang] = _run(place, "fandol", ["volume", "--from", "50", "--to", "60"], lang)
        out["volume-both", lang] = _run(place, "fandol", ["volume", "2030", "--to", "60"], lang)
        out["volume-failed", lang] = _run(place, "fandol", ["volume", "2022"], lang)
    SEEN.update({f"run {key}": result.output for (key, lang), result in out.items() if lang == "en"})
    return out


def _font_words(place: Path) -> set[str]:
    """The words of the font names the output may show (names, not English sentences)."""
    from jianbao import api

    words = set()
    for folder in ("main", "fandol", "nofont"):
        book = api.Context.for_root(place / folder).fonts
        for key in book.families:
            names = book.names(key) + [f.family for f in book.faces(key)] + [f.full_name or "" for f in book.faces(key)]
            words |= {w.lower() for n in names for w in re.findall(r"[A-Za-z]+", n)}
    return words


# Lines a Chinese output still shows in English because cli.py (translated by the lead) prints them: left out of the
# check for English sentences here (the lead's tests check them).
CLI_LINES = re.compile(r"^(built \d+, skipped \d+ \(unchanged\), failed \d+, in [\d.]+ s|"
                       r"\d+ issue\(s\), \d+ page\(s\) of issues, bound with a cover and contents)$")


def _no_english(text: str, place: Path, lang: str) -> None:
    """A Chinese output has no English sentence left (an English output is left alone)."""
    if lang != "zh":
        return
    lines = [re.sub(r"^  note: ", "  ", line) for line in text.splitlines() if not CLI_LINES.match(line)]
    assert english_left("\n".join(lines), _font_words(place)) == []


def _lines(result) -> list[str]:
    return result.output.splitlines()


def _has(result, line: str) -> None:
    """`line` is a line of the output; a build's note is printed by cli.py after its own label ("  note: " in
    English, its translation in Chinese: the lead's catalogue)."""
    if line.startswith("  note: "):
        note = re.compile(r"  (note: |\S+：)" + re.escape(line[len("  note: "):]))
        assert any(note.fullmatch(x) for x in _lines(result)), f"{line!r} not in:\n{result.output}"
    else:
        assert line in _lines(result), f"{line!r} not in:\n{result.output}"


# ---- jianbao build ---------------------------------------------------------------------------------------------------

BUILD = {
    "en": [
        "main/issues/011.yaml:6:12: body[1].image: '/etc/passwd' is an absolute path; give the picture's path inside "
        "the series folder (such as photos/0215.jpg)",
        "main/issues/011.yaml:7:12: body[2].image: '../outside.jpg' leads outside the series folder {main}; "
        "pictures must be inside it",
        "main/issues/011.yaml:8:12: body[3].image: 'photos/link.jpg' leads outside the series folder {main}; "
        "pictures must be inside it",
        "main/issues/011.yaml:9:12: body[4].image: 'photos/nothere.jpg': no such file in the series folder",
        "main/issues/011.yaml:10:12: body[5].image: 'photos/album' is not a file",
        "main/issues/011.yaml:11:12: body[6].image: 'photos/text.jpg' is not a picture jianbao can print "
        "(JPEG, PNG, GIF, BMP, TIFF, WEBP)",
        "main/issues/011.yaml:13:12: body[8].image: 'photos/bomb.png' has too many pixels to be a picture "
        "(more than 60,000,000): refused as a possible decompression bomb",
        "main/issues/006.yaml:8:18: table: too wide for the text width in any column layout: its columns need 630.0 pt "
        f"of the 442.2 pt; column 3 (代码) alone needs 574.0 pt for '{'1234567890' * 8}' (a cell breaks between "
        "Chinese characters, not inside a number or a word)",
        "main/issues/007.yaml:9:15: table: column 2 is 8.7 pt wide in `widths:`, but '2022000000000' needs "
        "105.0 pt; give the column a larger width or shorten the cell",
        "main/issues/009.yaml:7:1: the distribution block (版记) is taller than a page: 202 lines, a page holds 22; "
        "shorten the recipient lists",
        "main/issues/010.yaml:5:12: a caption takes the whole page; shorten it",
        "main/issues/008.yaml:8:1: a table row takes 86 lines, more than the 22 of a page",
        "  note: main/issues/001.yaml:8: fit: the 版记 needs 6 lines, 5 are left on page 3, so it stands alone on "
        "page 4: shorten the text by 1 line (about 28 characters) or drop the marking line (masthead.marking in "
        "jianbao.yaml) or drop the print run line (copies:)",
        "  note: main/issues/002.yaml:8: fit: the 版记 needs 6 lines, 1 is left on page 3, so it stands alone on "
        "page 4: shorten the text by 5 lines (about 140 characters)",
        "  note: main/issues/003.yaml:8: fit: page 3 holds only 2 lines of text and the 版记; to end on page 2: "
        "shorten the text by 8 lines (about 224 characters)",
        f"  note: main/issues/004.yaml: {RARE} set from AR PL UMing CN (not in the role's own font)",
        "tree/issues/001.yaml: document tree: the root element is <other>, not <bulletin>",
        "tree/issues/002.yaml: document tree: unknown element <col>",
        "tree/issues/003.yaml: document tree: unknown element <bogus> in <masthead>",
        "tree/issues/004.yaml:5:3: document tree: <figures> holds 2 or 3 <figure>, not 1",
        "tree/issues/005.yaml:5:3: document tree: a <figure> needs a <picture src=…>",
        "tree/issues/006.yaml:5:3: document tree: unexpected <bogus> in <figure>",
        "tree/issues/007.yaml:5:3: document tree: a <tr> of 1 <th> or <td> cells expected",
        "tree/issues/008.yaml:5:3: document tree: a <table> needs <col> and <tr> elements",
        "tree/issues/009.yaml:5:3: document tree: unknown element <bogus> in <table>",
        "tree/issues/010.yaml: document tree: unknown element <bogus> in <contents>",
        "tree/issues/011.yaml: document tree: unknown element <bogus> in <distribution>",
        "tree/issues/012.yaml: document tree: unexpected <bogus> inside <para> (line 5)",
        "tree/issues/013.yaml: document tree: unknown element <bogus> in <figures>",
        "tree/issues/014.yaml: document tree: unknown element <bogus> in <printing>",
        "tree/issues/015.yaml: the editor and the date do not fit on one line of the masthead",
        "  note: tree/issues/016.yaml:8: fit: page 3 holds only 2 lines of text; to end on page 2: shorten the text "
        "by 2 lines (about 56 characters)",
        "tall/issues/001.yaml: the masthead fills the whole first page; check the masthead settings of the style sheet",
        "main/issues/none.yaml: no such issue file",
    ],
    "zh": [
        "main/issues/011.yaml:6:12: body[1].image：“/etc/passwd”是绝对路径；请写图片在本系列文件夹内的路径"
        "（如 photos/0215.jpg）",
        "main/issues/011.yaml:7:12: body[2].image：“../outside.jpg”指向本系列文件夹 {main} 之外；图片必须放在这个文件夹内",
        "main/issues/011.yaml:8:12: body[3].image：“photos/link.jpg”指向本系列文件夹 {main} 之外；图片必须放在这个文件夹内",
        "main/issues/011.yaml:9:12: body[4].image：“photos/nothere.jpg”：本系列文件夹中没有这个文件",
        "main/issues/011.yaml:10:12: body[5].image：“photos/album”不是一个文件",
        "main/issues/011.yaml:11:12: body[6].image：“photos/text.jpg”不是 jianbao 能印的图片"
        "（可用的格式：JPEG, PNG, GIF, BMP, TIFF, WEBP）",
        "main/issues/011.yaml:13:12: body[8].image：“photos/bomb.png”的像素太多（超过 60,000,000），不像一张图片："
        "可能是恶意的“解压炸弹”，拒绝使用",
        "main/issues/006.yaml:8:18: table：表格太宽，怎样分配列宽都排不进版心：各列至少需要 630.0 pt，版心只有 442.2 pt；"
        f"其中第 3 列（代码）排“{'1234567890' * 8}”就需要 574.0 pt（单元格只在汉字之间换行，数字和英文单词不断开）",
        "main/issues/007.yaml:9:15: table：第 2 列按 `widths:` 宽 8.7 pt，但“2022000000000”需要 105.0 pt；"
        "请加大这一列的宽度，或缩短这个单元格",
        "main/issues/009.yaml:7:1: 版记比一页还高：共 202 行，一页只能排 22 行；请缩短报送单位名单",
        "main/issues/010.yaml:5:12: 图片说明占满了整页；请缩短",
        "main/issues/008.yaml:8:1: 表格的一行占 86 行，超过一页的 22 行",
        "  note: main/issues/001.yaml:8: fit: 版记需要 6 行，第 3 页只剩 5 行，版记只好单独排在第 4 页，"
        "正文需缩短 1 行（约 28 字），或删去标注行（jianbao.yaml 的 masthead.marking），或删去印数行（copies:）",
        "  note: main/issues/002.yaml:8: fit: 版记需要 6 行，第 3 页只剩 1 行，版记只好单独排在第 4 页，"
        "正文需缩短 5 行（约 140 字）",
        "  note: main/issues/003.yaml:8: fit: 第 3 页只有 2 行正文和版记；要在第 2 页排完，正文需缩短 8 行（约 224 字）",
        f"  note: main/issues/004.yaml: {RARE} 用 AR PL UMing CN 排印（所在角色的字体没有这些字）",
        "tree/issues/001.yaml: 文档树：根元素是 <other>，应为 <bulletin>",
        "tree/issues/002.yaml: 文档树：未知元素 <col>",
        "tree/issues/003.yaml: 文档树：<masthead> 中有未知元素 <bogus>",
        "tree/issues/004.yaml:5:3: 文档树：<figures> 应含 2 或 3 个 <figure>，而不是 1 个",
        "tree/issues/005.yaml:5:3: 文档树：<figure> 需要一个带 src 属性的 <picture>",
        "tree/issues/006.yaml:5:3: 文档树：<figure> 中不应有 <bogus>",
        "tree/issues/007.yaml:5:3: 文档树：<tr> 应含 1 个 <th> 或 <td> 单元格",
        "tree/issues/008.yaml:5:3: 文档树：<table> 需要 <col> 和 <tr> 元素",
        "tree/issues/009.yaml:5:3: 文档树：<table> 中有未知元素 <bogus>",
        "tree/issues/010.yaml: 文档树：<contents> 中有未知元素 <bogus>",
        "tree/issues/011.yaml: 文档树：<distribution> 中有未知元素 <bogus>",
        "tree/issues/012.yaml: 文档树：<para> 中不应有 <bogus>（第 5 行）",
        "tree/issues/013.yaml: 文档树：<figures> 中有未知元素 <bogus>",
        "tree/issues/014.yaml: 文档树：<printing> 中有未知元素 <bogus>",
        "tree/issues/015.yaml: 编印单位和日期在报头的一行里排不下",
        "  note: tree/issues/016.yaml:8: fit: 第 3 页只有 2 行正文；要在第 2 页排完，正文需缩短 2 行（约 56 字）",
        "tall/issues/001.yaml: 报头占满了整个第一页；请检查样式表中报头的设置",
        "main/issues/none.yaml: 找不到这个期刊文件",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_build_failures_notes_and_fit_advice(runs, place, lang):
    result = runs["build", lang]
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for line in BUILD[lang]:
        _has(result, line.replace("{main}", str((place / "main").resolve())))
    _no_english(result.output, place, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_a_damaged_picture_quotes_what_the_image_library_says(runs, lang):
    line = next(x for x in _lines(runs["build", lang]) if x.startswith("main/issues/011.yaml:12:12: "))
    if lang == "en":
        assert re.fullmatch(r".*: body\[7\]\.image: 'photos/truncated\.jpg' is damaged or truncated \(image file is "
                            r"truncated \(\d+ bytes not processed\)\)", line), line
    else:
        assert re.fullmatch(r".*: body\[7\]\.image：“photos/truncated\.jpg”已损坏或不完整（“image file is truncated "
                            r"\(\d+ bytes not processed\)”）", line), line


@pytest.mark.parametrize("lang", LANGS)
def test_a_character_in_no_font_names_the_fonts_tried(runs, lang):
    line = next(x for x in _lines(runs["build", lang]) if x.startswith("main/issues/005.yaml:"))
    tried = "FandolFang, AR PL UMing CN, AR PL UKai CN"
    if lang == "en":
        assert line.startswith(f"main/issues/005.yaml:5:6: character '{NONE}' (U+{ord(NONE):04X}) is in no font "
                               f"(tried: {tried}")
        assert line.endswith(")")
    else:
        assert line.startswith(f"main/issues/005.yaml:5:6: 字符“{NONE}”（U+{ord(NONE):04X}）在所有字体中都没有（试过：{tried}")
        assert line.endswith("）")


@pytest.mark.parametrize("lang", LANGS)
def test_no_installed_font_for_a_key(runs, place, lang):
    line = next(x for x in _lines(runs["build", lang]) if "无此字体" in x)
    folders = re.escape(str((place / "nofont" / "fonts").resolve())) + r"(, /\S+)+"
    if lang == "en":
        pattern = (rf"nofont/issues/001\.yaml: no font found for 'fangsong': tried 无此字体, NoSuchFont; looked in "
                   rf"{folders}\. Put the font files in the series' fonts/ directory, or run scripts/install-fonts\.sh")
    else:
        pattern = (rf"nofont/issues/001\.yaml: 找不到“fangsong”的字体（试过：无此字体, NoSuchFont；查找的文件夹："
                   rf"{folders}）。请把字体文件放进本系列的 fonts/ 文件夹，或运行 scripts/install-fonts\.sh")
    assert re.fullmatch(pattern, line), line


# ---- jianbao fonts ---------------------------------------------------------------------------------------------------

FONTS = {
    "en": {
        "fonts": ["xiaobiaosong (roles: series, name, title)",
                  "spare (no role uses it)",
                  "latin (no role uses it)",
                  "fallback (characters the role's own font lacks)",
                  "  DOCX asks for: FandolSong-Bold",
                  "substitutions: none (every role has its official face)"],
        "fonts-file": [f"  lacks {RARE} (U+{ord(RARE):04X}): AR PL UMing CN (uming.ttc)",
                       f"  lacks {NONE} (U+{ord(NONE):04X}): MISSING"],
        "fonts-plain": ["  has every character of the text"],
        "fonts-none": ["  NOT FOUND: none of 无此字体, NoSuchFont",
                       "  not found: 无此字体, NoSuchFont",
                       "substitutions (official faces not installed: put them in the series' fonts/, see "
                       "fonts/README.md):",
                       "  para: 无此字体 wanted, NOTHING (no face of the list is installed) used instead",
                       "  marking: 黑体 wanted, FandolHei (FandolHei-Regular.otf) used instead"],
    },
    "zh": {
        "fonts": ["xiaobiaosong（角色：series, name, title）",
                  "spare（没有角色使用）",
                  "latin（没有角色使用）",
                  "fallback（补齐各角色字体缺少的字）",
                  "  DOCX 指定字体：FandolSong-Bold",
                  "替代字体：无（每个角色都用上了规定字体）"],
        "fonts-file": [f"  缺 {RARE}（U+{ord(RARE):04X}）：AR PL UMing CN (uming.ttc)",
                       f"  缺 {NONE}（U+{ord(NONE):04X}）：所有字体都没有"],
        "fonts-plain": ["  正文的字全都有"],
        "fonts-none": ["  没有可用的字体：无此字体, NoSuchFont 都没有安装",
                       "  找不到：无此字体, NoSuchFont",
                       "替代字体（规定字体没有安装：请放进本系列的 fonts/ 文件夹，见 fonts/README.md）：",
                       "  para：应为“无此字体”，实际用了 无（列表中的字体一个也没有安装）",
                       "  marking：应为“黑体”，实际用了 FandolHei (FandolHei-Regular.otf)"],
    },
}


@pytest.mark.parametrize("lang", LANGS)
def test_jianbao_fonts(runs, place, lang):
    for run, lines in FONTS[lang].items():
        result = runs[run, lang]
        assert result.exit_code == 0, result.output
        for line in lines:
            _has(result, line)
        _no_english(result.output, place, lang)
    listed = runs["fonts", lang].output
    face, then = ("face", "then") if lang == "en" else ("字体", "其次")
    assert re.search(rf"^  {face}: FandolSong-Bold → \S+FandolSong-Bold\.otf " if lang == "en" else
                     rf"^  {face}：FandolSong-Bold → \S+FandolSong-Bold\.otf（", listed, re.M), listed
    assert re.search(rf"^  {then}(: |：)AR PL UKai CN → \S+ukai\.ttc#0$", listed, re.M), listed
    spare = str((place / "fandol" / "fonts" / "Spare.otf").resolve())
    if lang == "en":
        assert f"  face: Spare CFF Bold → {spare} [bold face; CFF, converted for the PDF at first use (10–20 s, " \
               "cached)]" in listed
        assert re.search(r"^  face: FandolHei → \S+ \[CFF, converted for the PDF: \S+\.ttf\]$", listed, re.M)
    else:
        assert f"  字体：Spare CFF Bold → {spare}（粗体；CFF 字形，首次使用时为 PDF 转换（10–20 秒，转换后缓存））" in listed
        assert re.search(r"^  字体：FandolHei → \S+（CFF 字形，已为 PDF 转换：\S+\.ttf）$", listed, re.M)


# ---- jianbao volume --------------------------------------------------------------------------------------------------

VOLUME = {
    "en": {"volume-year": "no issues dated 2030 in {issues}",
           "volume-range": "no issues numbered 50 to 60 in {issues}",
           "volume-both": "no issues dated 2030 and numbered 1 to 60 in {issues}",
           "volume-failed": "the volume is not bound: 1 of its issues did not build (see above)"},
    "zh": {"volume-year": "{issues} 中没有 2030 年的期刊",
           "volume-range": "{issues} 中没有第 50 期至第 60 期的期刊",
           "volume-both": "{issues} 中没有 2030 年第 1 期至第 60 期的期刊",
           "volume-failed": "合订本没有装订：其中 1 期生成失败（见上文）"},
}


@pytest.mark.parametrize("lang", LANGS)
def test_jianbao_volume(runs, place, lang):
    issues = str(place / "fandol" / "issues")
    for run, line in VOLUME[lang].items():
        result = runs[run, lang]
        assert result.exit_code == 1
        _has(result, line.replace("{issues}", issues))
        _no_english(result.output, place, lang)
    assert not list((place / "fandol" / "build").glob("volume-*"))


# ---- jianbao watch: the preview page ---------------------------------------------------------------------------------

def _locale(monkeypatch, lang: str) -> None:
    """The process's locale as a user's whose only setting is LANG (what `invoke` gives a CLI run)."""
    for var, value in environment(lang).items():
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)


def _visible(page: bytes) -> str:
    """The text a browser shows of a page: no markup, no script, no style; one line per block."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.hidden = [], 0

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("script", "style")
            if tag in ("title", "h1", "span", "div", "p", "li", "pre", "a"):
                self.parts.append("\n")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    parser = Text()
    parser.feed(page.decode("utf-8"))
    return "\n".join(line.strip() for line in "".join(parser.parts).splitlines() if line.strip())


PREVIEW = {
    "en": {"building": "building…", "built": r"1 page\(s\), built at \d\d:\d\d:\d\d in \d+\.\d\d s",
           "failed": r"does not build \(checked at \d\d:\d\d:\d\d\)", "title": "002.yaml – jianbao watch",
           "index": "jianbao watch",
           "all": "all issues", "listed": "001.yaml — does not build", "none": "no issues",
           "last": "show the last good pages", "stale": "the last good pages, before the error",
           "error": "show the error", "never": "no good build yet", "gone": "{path}: no such issue file (moved or "
           "deleted?)", "bug": "internal error (a bug in jianbao): boom", "series": "the series could not be loaded",
           "404": "not found"},
    "zh": {"building": "正在生成……", "built": r"共 1 页，\d\d:\d\d:\d\d 生成，用时 \d+\.\d\d 秒",
           "failed": r"生成失败（\d\d:\d\d:\d\d 检查）", "title": "002.yaml – jianbao 预览", "index": "jianbao 预览",
           "all": "全部期刊", "listed": "001.yaml — 生成失败", "none": "没有期刊",
           "last": "查看最后一次生成成功的页面", "stale": "出错之前最后一次生成成功的页面",
           "error": "查看错误", "never": "还没有生成成功过", "gone": "{path}: 找不到这个期刊文件（已移动或删除？）",
           "bug": "内部错误（jianbao 的缺陷）：boom", "series": "无法读取本系列", "404": "找不到"},
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_preview_page(place, tmp_path, monkeypatch, lang):
    from jianbao import api
    from jianbao.watch import Preview, PreviewServer, index_page, issue_page

    _locale(monkeypatch, lang)
    want = PREVIEW[lang]
    seen = []
    root = tmp_path / "fandol"
    shutil.copytree(place / "fandol", root, ignore=shutil.ignore_patterns("build"))
    preview = Preview(None, root)
    preview._load_context()
    preview._list()
    good = root / "issues" / "002.yaml"
    view = preview.views["002"]

    def shown(stem="002", last=False) -> str:
        text = _visible(issue_page(preview.views[stem], stem, last, several=True))
        seen.append(text)
        _no_english(text, place, lang)
        return text

    assert want["building"] in shown().splitlines()
    preview.rebuild("002", time.time())
    page = shown()
    assert page.splitlines()[0] == want["title"]
    assert re.search(rf"^{want['built']}$", page, re.M), page
    assert want["all"] in page.splitlines()
    preview.rebuild("001", time.time())                       # a character in no font: no good build ever
    page = shown("001")
    assert re.search(rf"^{want['failed']}$", page, re.M), page
    assert want["never"] in page.splitlines()
    listing = _visible(index_page(preview))
    seen.append(listing)
    assert want["listed"] in listing.splitlines(), listing
    _no_english(listing, place, lang)

    text = good.read_text(encoding="utf-8")
    good.write_text(text.replace("正文。", f"正文{NONE}。"), encoding="utf-8")   # broken after a good build
    preview.rebuild("002", time.time())
    assert want["last"] in shown().splitlines()
    page = shown(last=True)
    assert page.splitlines()[-2:] == [want["stale"] + " ·", want["error"]], page
    good.unlink()
    preview.rebuild("002", time.time())
    assert view.error == want["gone"].replace("{path}", str(good))
    seen.append(view.error)
    good.write_text(text, encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(api, "render", boom)
    preview.rebuild("002", time.time())
    assert view.error.startswith(want["bug"] + "\n\nTraceback")
    seen.append(view.error)
    preview.context = preview.context_error = None
    preview.rebuild("002", time.time())
    assert view.error == want["series"]
    seen.append(view.error)

    empty = Preview(None, _series(tmp_path / "empty"))
    empty._list()
    seen.append(_visible(index_page(empty)))
    assert seen[-1].splitlines() == [want["index"], want["none"]]

    server = PreviewServer(preview, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(server.url + "nothing", timeout=10)
        seen.append(answer.value.read().decode("utf-8"))
        assert answer.value.code == 404 and seen[-1] == want["404"] + "\n"
    finally:
        server.shutdown()
        server.server_close()
    if lang == "en":
        SEEN["preview"] = "\n".join(seen)


# ---- guards no input reaches: the functions called under each locale -------------------------------------------------

GUARDS = {
    "en": {
        "empty": "expected the path of a picture inside the series folder",
        "unreadable": "'photos/x.jpg' cannot be read: boom",
        "no-pixels": "'photos/x.jpg' has no pixels",
        "huge": "'photos/x.jpg' is 10000 × 7000 pixels, more than 60,000,000: refused as a possible decompression bomb",
        "damaged": "'{path}' is damaged or truncated (boom)",
        "no-key": "no font key 'nokey' in the style sheet (keys: empty, file)",
        "empty-list": r"no font found for 'empty': tried \(empty list\); looked in \S+\. Put the font files in the "
                      r"series' fonts/ directory, or run scripts/install-fonts\.sh",
        "no-file": "font file 'fonts/none.ttf' (first font of 'file') not found",
        "cache": "cannot create the font cache {folder}: Not a directory (set JIANBAO_CACHE to a writable directory)",
        "note": f"note: {RARE} (para) set in AR PL UMing CN (uming.ttc)",
        "no-font": "x.yaml: character 'x' (U+0078) is in no font (tried: no font)",
        "coverage-tree": "document tree: unexpected <b> inside <para>",
        "flow-tree": "document tree: unexpected <bogus> inside <para>",
        "no-folder": "the layout needs the series folder to find the pictures",
        "metrics-char": f"character '{NONE}' (U+{ord(NONE):04X}) of role 'para' is in no font (font key 'fangsong' "
                        "and the fallback fonts)",
        "embed-pdf": "cannot embed the font {font} in the PDF: boom",
        "block": "a block takes 99 lines, more than the 22 of a page",
        "docx-root": "DOCX writer: the document tree must start with <bulletin>, not <other>",
        "docx-line": "DOCX writer: unknown element <bogus> (line 7)",
        "docx-element": "DOCX writer: unknown element <bogus>",
        "docx-level": "DOCX writer: <heading level='9'>: levels 1 to 4 only",
        "docx-printing": "DOCX writer: unknown element <bogus> in <printing>",
        "html-element": "document tree: unknown element <bogus> in <article> (HTML writer)",
        "html-figure": "document tree: <figure> was not laid out (HTML writer)",
        "ofd-char": "character U+0001 cannot be written to OFD (XML does not allow it)",
        "embed-ofd": r"cannot embed the font \S+ in the OFD: boom",
        "bind": "no issues to bind",
        "embed-volume": "cannot embed the font {font} in the volume: boom",
    },
    "zh": {
        "empty": "应为本系列文件夹内一张图片的路径",
        "unreadable": "“photos/x.jpg”读不出来：“boom”",
        "no-pixels": "“photos/x.jpg”没有像素",
        "huge": "“photos/x.jpg”有 10000 × 7000 像素，超过 60,000,000：可能是恶意的“解压炸弹”，拒绝使用",
        "damaged": "“{path}”已损坏或不完整（“boom”）",
        "no-key": "样式表中没有字体键“nokey”（现有的键：empty, file）",
        "empty-list": r"找不到“empty”的字体（试过：（空列表）；查找的文件夹：\S+）。请把字体文件放进本系列的 fonts/ 文件夹，或运行 "
                      r"scripts/install-fonts\.sh",
        "no-file": "找不到字体文件“fonts/none.ttf”（“file”的第一个字体）",
        "cache": "无法创建字体缓存文件夹 {folder}：“Not a directory”（请把 JIANBAO_CACHE 设为一个可写的文件夹）",
        "note": f"提示：{RARE}（para）用 AR PL UMing CN（uming.ttc）排印",
        "no-font": "x.yaml: 字符“x”（U+0078）在所有字体中都没有（试过：没有字体）",
        "coverage-tree": "文档树：<para> 中不应有 <b>",
        "flow-tree": "文档树：<para> 中不应有 <bogus>",
        "no-folder": "排版需要知道系列文件夹，才能找到图片",
        "metrics-char": f"角色“para”的字符“{NONE}”（U+{ord(NONE):04X}）在所有字体中都没有（字体键“fangsong”及后备字体）",
        "embed-pdf": "无法把字体 {font} 嵌入 PDF：“boom”",
        "block": "一块内容占 99 行，超过一页的 22 行",
        "docx-root": "DOCX 生成：文档树应以 <bulletin> 开头，而不是 <other>",
        "docx-line": "DOCX 生成：未知元素 <bogus>（第 7 行）",
        "docx-element": "DOCX 生成：未知元素 <bogus>",
        "docx-level": "DOCX 生成：没有“9”级标题（<heading> 只有 1 到 4 级）",
        "docx-printing": "DOCX 生成：<printing> 中有未知元素 <bogus>",
        "html-element": "文档树：<article> 中有未知元素 <bogus>（HTML 生成）",
        "html-figure": "文档树：<figure> 没有经过排版（HTML 生成）",
        "ofd-char": "字符 U+0001 不能写入 OFD（XML 不允许这个字符）",
        "embed-ofd": r"无法把字体 \S+ 嵌入 OFD：“boom”",
        "bind": "没有可合订的期刊",
        "embed-volume": "无法把字体 {font} 嵌入合订本：“boom”",
    },
}


class _Fake:
    """What PIL.Image.open gives, as far as `pictures._open` looks at it."""

    def __init__(self, size):
        self.size = size

    def close(self):
        pass


def _boom(*args, **kwargs):
    raise ValueError("boom")


def _message(call) -> str:
    from jianbao.errors import JianbaoError
    from jianbao.pictures import PictureError

    with pytest.raises((JianbaoError, PictureError)) as caught:
        call()
    return str(caught.value)


@pytest.fixture(scope="module")
def laid_out(place):
    """A good issue (fandol/002) read and expanded: its context and a fresh document tree for each call."""
    from jianbao import api

    path = place / "fandol" / "issues" / "002.yaml"
    context = api.Context.for_root(place / "fandol")
    tree = api.build_tree(path, context)
    return context, lambda: ET.fromstring(ET.tostring(tree))


def _lay_out(context, tree, root=None):
    from jianbao.layout import lay_out
    return lay_out(tree, context.style, context.fonts, root=root or context.series.root)


@pytest.mark.parametrize("lang", LANGS)
def test_the_guards_speak_the_language_too(place, laid_out, tmp_path, monkeypatch, lang):
    from PIL import Image as PILImage

    from jianbao import api, fonts, pictures, volume
    from jianbao.fonts import Coverage, FontBook, check_coverage, missing_error
    from jianbao.layout import metrics
    from jianbao.writers import ttf_subset, writer

    _locale(monkeypatch, lang)
    want = dict(GUARDS[lang])
    got = {}
    context, fresh = laid_out
    root = place / "main"

    # pictures
    got["empty"] = _message(lambda: pictures.resolve(root, ""))
    with monkeypatch.context() as m:
        m.setattr(PILImage, "open", lambda *a, **k: (_ for _ in ()).throw(OSError("boom")))
        got["unreadable"] = _message(lambda: pictures._open(root / "photos" / "ok.jpg", "photos/x.jpg"))
        m.setattr(PILImage, "open", lambda *a, **k: _Fake((0, 5)))
        got["no-pixels"] = _message(lambda: pictures._open(root / "photos" / "ok.jpg", "photos/x.jpg"))
        m.setattr(PILImage, "open", lambda *a, **k: _Fake((10000, 7000)))
        got["huge"] = _message(lambda: pictures._open(root / "photos" / "ok.jpg", "photos/x.jpg"))
    info = pictures.inspect(root, "photos/ok.jpg")
    with monkeypatch.context() as m:
        m.setattr(pictures, "_flattened", lambda *a, **k: (_ for _ in ()).throw(OSError("boom")))
        got["damaged"] = _message(lambda: pictures._prepare(info, (10, 10), 0.0, 80))
    want["damaged"] = want["damaged"].replace("{path}", str(info.path))

    # fonts
    book = FontBook({"empty": [], "file": ["fonts/none.ttf"]}, [tmp_path], base_dir=tmp_path)
    got["no-key"] = _message(lambda: book.primary("nokey"))
    assert _message(lambda: book.docx_name("nokey")) == got["no-key"]
    got["empty-list"] = _message(lambda: book.primary("empty"))
    got["no-file"] = _message(lambda: book.docx_name("file"))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    spare = context.fonts.primary("spare")
    got["cache"] = _message(lambda: fonts._convert_to_ttf(spare.path, 0, blocker / "fonts" / "x.ttf", False))
    want["cache"] = want["cache"].replace("{folder}", str(blocker / "fonts"))
    uming = context.fonts.face_for("fangsong", RARE)
    got["note"] = Coverage(fallbacks={("para", RARE): uming}).notes()[0]
    got["no-font"] = str(missing_error(Coverage(missing=[("x", "para", None)]), "x.yaml"))
    bad = ET.fromstring("<bulletin><article><para>正文<b>字</b></para></article></bulletin>")
    got["coverage-tree"] = _message(lambda: check_coverage(bad, context.style, context.fonts))

    # the layout
    tree = fresh()
    tree.find("article").append(ET.fromstring('<para line="5">正文<bogus>字</bogus></para>'))
    got["flow-tree"] = _message(lambda: _lay_out(context, tree))
    tree = fresh()
    tree.find("article").append(ET.fromstring('<figure><picture src="photos/ok.jpg"/></figure>'))
    from jianbao.layout import lay_out
    got["no-folder"] = _message(lambda: lay_out(tree, context.style, context.fonts, root=None))
    tree = fresh()
    tree.find("article/para").text = f"正文{NONE}"
    got["metrics-char"] = _message(lambda: _lay_out(context, tree))
    tiny = tmp_path / "fonts" / "Tiny.ttf"
    make_font(tiny, "Tiny Unit", "中文", style="Bold", weight=700)
    face = FontBook({"x": ["Tiny Unit Bold"]}, [tiny.parent]).primary("x")
    with monkeypatch.context() as m:
        m.setattr(metrics, "load_ttfont", _boom)
        got["embed-pdf"] = _message(lambda: metrics.Metrics(FontBook({}, []), 0.88).register(face))
    want["embed-pdf"] = want["embed-pdf"].replace("{font}", f"{face.reportlab_path()}#0")
    with monkeypatch.context() as m:
        m.setattr(sys.modules["jianbao.layout.paginate"], "_span", lambda item: 99)
        got["block"] = _message(lambda: _lay_out(context, fresh()))

    # the writers (the layout lets none of these through: the tree is changed after it)
    def written(fmt, change, tree_change=None):
        tree = fresh()
        laid = _lay_out(context, tree)
        change(tree)
        return _message(lambda: writer(fmt)(tree, laid, context.style, io.BytesIO()))

    got["docx-root"] = _message(lambda: writer("docx")(ET.fromstring("<other/>"), _lay_out(context, fresh()),
                                                       context.style, io.BytesIO()))
    got["docx-line"] = written("docx", lambda t: t.find("article").append(ET.fromstring('<bogus line="7"/>')))
    got["docx-element"] = written("docx", lambda t: t.find("article").append(ET.fromstring("<bogus/>")))
    got["docx-level"] = written("docx", lambda t: t.find("article").append(
        ET.fromstring('<heading level="9">标题</heading>')))
    got["docx-printing"] = written("docx", lambda t: t.find("distribution/printing").append(ET.fromstring("<bogus/>")))
    got["html-element"] = written("html", lambda t: t.find("article").append(ET.fromstring('<bogus line="7"/>')))
    got["html-figure"] = written("html", lambda t: t.find("article").append(
        ET.fromstring('<figure><picture src="photos/ok.jpg"/></figure>')))
    tree = fresh()
    tree.find("article/para").text = "正文\x01"
    laid = _lay_out(context, tree)
    got["ofd-char"] = _message(lambda: writer("ofd")(tree, laid, context.style, io.BytesIO()))
    with monkeypatch.context() as m:
        m.setattr(ttf_subset, "subset", _boom)
        got["embed-ofd"] = written("ofd", lambda t: None)

    # the volume
    got["bind"] = _message(lambda: volume.bind([], context.style, context.fonts, context.series, "2022年"))
    import reportlab.pdfbase.ttfonts as ttfonts
    with monkeypatch.context() as m:
        m.setattr(ttfonts, "TTFont", _boom)
        got["embed-volume"] = _message(lambda: volume._Pen(None, None)._name(face))
    want["embed-volume"] = want["embed-volume"].replace("{font}", f"{face.reportlab_path()}#0")

    for key, message in want.items():
        if key in ("empty-list", "embed-ofd"):
            assert re.fullmatch(message, got[key]), (key, got[key])
        else:
            assert got[key] == message, key
        _no_english(got[key], place, lang)
    if lang == "en":
        SEEN["guards"] = "\n".join(got.values())


def test_every_message_of_the_catalogue_is_provoked_here():
    """Each message of po/zh_CN/build.po (its English, the {fields} standing for anything) is in the English
    output of one of the runs and calls above (run in this session before this test)."""
    import importlib.util

    if not {"guards", "preview"} <= set(SEEN) or not any(k.startswith("run ") for k in SEEN):
        pytest.skip("the tests above did not all run in this session")
    spec = importlib.util.spec_from_file_location("catalogue", REPO / "scripts" / "catalogue.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    seen = "\n".join(SEEN.values())
    missing = []
    for entry in tool.read_po(REPO / "po" / "zh_CN" / "build.po"):
        forms = [entry.msgid] + ([entry.plural] if entry.plural else [])
        patterns = ["".join(re.escape(text) + (".*?" if field is not None else "")
                            for text, field, _, _ in string.Formatter().parse(form)) for form in forms]
        if not any(re.search(p, seen, re.S) for p in patterns):
            missing.append(entry.msgid)
    assert missing == []
