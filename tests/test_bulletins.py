"""The test series in tests/bulletins, built once and measured as a reader sees it (pdfplumber).

tests/bulletins is a series of its own (a county 发展和改革委员会's 工作动态): each issue there
exercises one part of the format (its header comment says which). Every issue is built once for the
module through the library API, then every PDF is held to the official layout: A4, a page number
`— N —` on every page (odd right, even left), the red masthead on page 1 only, the 版记 at the
bottom of the last page and nowhere else, no body line past the right edge of the text block except
a hanging punctuation mark, no heading or title left at the foot of a page, and every character of
the source present, in order. The DOCX must open and carry the titles. The LibreOffice comparison
(page counts of the DOCX rendered by LibreOffice against the PDF) is marked `soffice`.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))     # pdf_measure
from pdf_measure import Line  # noqa: E402

import jianbao
from jianbao import api

pdfplumber = pytest.importorskip("pdfplumber")
docx = pytest.importorskip("docx")

SERIES = Path(__file__).resolve().parent / "bulletins"
ISSUES = sorted(p.stem for p in (SERIES / "issues").glob("[0-9][0-9][0-9].yaml"))
FONTS_CONF = Path(jianbao.__file__).resolve().parent / "data" / "fonts.conf"

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT = 28 * MM, (28 + 156) * MM
TOP, BOTTOM = 37 * MM, (297 - 35) * MM
CELL = 156 * MM / 28                      # one character of the grid (15.79 pt)
BODY, SMALL, TITLE = 16.0, 14.0, 22.0     # 三号, 四号, 二号
HANGING = set("，。、；：？！”’）》〉」』】")   # may hang past the right edge (one at most)
RED = (1.0, 0.0, 0.0)


def close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol


def squeeze(text: str) -> str:
    """Source text as printed: no `**` emphasis markers, no whitespace (a lone * stays)."""
    return re.sub(r"\s+", "", text.replace("**", ""))


# --------------------------------------------------------------------------- measuring

@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list              # Line, top to bottom
    black_rules: list        # (y, x0, x1, linewidth) of black horizontal rules at least 150 mm long
    red_things: int          # red glyphs, rules and rectangles

    def sized(self, size: float) -> list:
        return [l for l in self.lines if close(l.size, size, 0.3)]


def _rgb(value):
    if isinstance(value, (list, tuple)):
        if len(value) == 3:
            return tuple(round(float(v), 3) for v in value)
        if len(value) == 1:
            return (round(float(value[0]), 3),) * 3
    return None


def measure(pdf_path: Path) -> list[Page]:
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, p in enumerate(pdf.pages, 1):
            rows: dict[float, list] = {}
            red = 0
            for c in p.chars:
                if _rgb(c.get("non_stroking_color")) == RED:
                    red += 1
                if not c["text"].strip():
                    continue
                base = round(p.height - c["matrix"][5], 1)   # the glyph's baseline, whatever its font's descent
                rows.setdefault(base, []).append({k: c[k] for k in ("text", "x0", "x1", "size", "top", "bottom")})
            lines = [Line(b, max(c["size"] for c in cs), sorted(cs, key=lambda c: c["x0"]))
                     for b, cs in sorted(rows.items())]
            rules = []
            for obj in p.lines + p.rects:
                colours = {_rgb(obj.get("stroking_color")), _rgb(obj.get("non_stroking_color"))
                           if obj.get("fill") else None}
                if RED in colours:
                    red += 1
                    continue
                if obj["x1"] - obj["x0"] >= 150 * MM and obj["bottom"] - obj["top"] < 3:
                    width = float(obj.get("linewidth") or 0) if obj["object_type"] == "line" else obj["bottom"] - obj["top"]
                    rules.append(((obj["top"] + obj["bottom"]) / 2, obj["x0"], obj["x1"], width))
            pages.append(Page(number, p.width, p.height, lines, sorted(rules), red))
    return pages


# --------------------------------------------------------------------------- the source, as the PDF must show it

def load_source(stem: str) -> dict:
    with open(SERIES / "issues" / f"{stem}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def series_settings() -> dict:
    with open(SERIES / "jianbao.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def distribution(source: dict) -> dict:
    return source.get("distribution") or series_settings().get("distribution") or {}


def articles(source: dict) -> list[dict]:
    if "articles" in source:
        return source["articles"]
    return [{k: source[k] for k in ("title", "subtitle", "body") if k in source}]


def source_blocks(source: dict) -> list[str]:
    """Every text of the issue in reading order, one entry per paragraph, heading, title or name."""
    blocks: list[str] = []

    def walk(body):
        for block in body or []:
            if isinstance(block, str):
                blocks.append(block)
            else:
                blocks.append(block["heading"])
                if block.get("text"):
                    blocks.append(block["text"])
                walk(block.get("body"))

    note = source.get("note") or []
    blocks += [note] if isinstance(note, str) else list(note)
    for article in articles(source):
        blocks.append(article["title"])
        if article.get("subtitle"):
            blocks.append(article["subtitle"])
        walk(article.get("body"))
        if article.get("source"):
            blocks.append(article["source"])
    for label in ("报", "送", "发"):
        blocks += list(distribution(source).get(label) or [])
    blocks.append(series_settings()["printer"])
    return [s for s in (squeeze(str(b)) for b in blocks) if s]


def find_block(text: str, block: str, start: int) -> tuple[int | None, int]:
    """Where `block` ends as a subsequence of text[start:], its characters close together
    (a heading number, a page number or a parenthesis may come between). Returns (end, matched)."""
    window = len(block) + 12 + len(block) // 8
    best = 0
    first = text.find(block[0], start)
    while first != -1:
        j, matched = first, 1
        for ch in block[1:]:
            j = text.find(ch, j + 1, first + window)
            if j == -1:
                break
            matched += 1
        else:
            return j + 1, matched
        best = max(best, matched)
        first = text.find(block[0], first + 1)
    return None, best


# --------------------------------------------------------------------------- building, once

@dataclass
class Built:
    stem: str
    pdf: Path
    docx: Path
    pages: list
    source: dict
    headings: list           # heading texts (numbers included) of the document tree, squeezed
    fallbacks: dict


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Built]:
    out = tmp_path_factory.mktemp("bulletins")
    context = api.Context.for_root(SERIES)
    result = {}
    for stem in ISSUES:
        path = SERIES / "issues" / f"{stem}.yaml"
        build = api.build(path, out, context)
        tree = api.build_tree(path, context)
        headings = [squeeze("".join(h.itertext())) for h in tree.iter("heading")]
        result[stem] = Built(stem, out / f"{stem}.pdf", out / f"{stem}.docx", measure(out / f"{stem}.pdf"),
                             load_source(stem), headings, dict(build.fallbacks))
    return result


def test_the_series_has_the_issues_it_is_meant_to_have():
    assert len(ISSUES) >= 12, ISSUES


# --------------------------------------------------------------------------- every page

@pytest.mark.parametrize("stem", ISSUES)
def test_pages_are_a4(built, stem):
    for page in built[stem].pages:
        assert close(page.width, PAGE_W, 1) and close(page.height, PAGE_H, 1), \
            f"{stem} page {page.number}: {page.width / MM:.1f} × {page.height / MM:.1f} mm"


@pytest.mark.parametrize("stem", ISSUES)
def test_every_page_is_numbered_odd_right_even_left(built, stem):
    for page in built[stem].pages:
        found = [l for l in page.lines if l.baseline > BOTTOM and re.fullmatch(r"—\s*(\d+)\s*—", l.text.strip())]
        assert len(found) == 1, f"{stem} page {page.number}: page number lines {[l.text for l in found]}"
        line = found[0]
        assert re.fullmatch(rf"—\s*{page.number}\s*—", line.text.strip()), \
            f"{stem} page {page.number} is numbered {line.text!r}"
        assert close(line.size, SMALL, 0.3), f"{stem} page {page.number}: page number in {line.size} pt"
        if page.number % 2:
            assert close(line.x1, RIGHT - SMALL, 1.0), \
                f"{stem} page {page.number} (odd): number ends {line.x1 / MM:.2f} mm, want {(RIGHT - SMALL) / MM:.2f}"
        else:
            assert close(line.x0, LEFT + SMALL, 1.0), \
                f"{stem} page {page.number} (even): number starts {line.x0 / MM:.2f} mm, want {(LEFT + SMALL) / MM:.2f}"


@pytest.mark.parametrize("stem", ISSUES)
def test_red_masthead_on_the_first_page_only(built, stem):
    pages = built[stem].pages
    assert pages[0].red_things, f"{stem}: no red masthead on page 1"
    big_red = [l for l in pages[0].lines if l.size >= 42 and l.baseline < PAGE_H / 2]
    assert big_red, f"{stem}: no masthead name of 初号 or larger in the top half of page 1"
    for page in pages[1:]:
        assert not page.red_things, f"{stem} page {page.number}: {page.red_things} red glyphs or rules"


@pytest.mark.parametrize("stem", ISSUES)
def test_body_lines_stay_inside_the_text_block(built, stem):
    """A 16 pt line never passes the right edge (184 mm), but for one hanging mark within one more cell."""
    for page in built[stem].pages:
        for line in page.sized(BODY):
            assert line.x0 >= LEFT - 0.5, f"{stem} page {page.number}: {line.text!r} starts at {line.x0 / MM:.2f} mm"
            core = line.chars[:-1] if len(line.chars) > 1 and line.chars[-1]["text"] in HANGING else line.chars
            assert core[-1]["x1"] <= RIGHT + 0.5, \
                f"{stem} page {page.number}: {line.text!r} runs to {core[-1]['x1'] / MM:.2f} mm (184 mm at most)"
            assert line.x1 <= RIGHT + CELL + 0.5, \
                f"{stem} page {page.number}: {line.text!r} hangs to {line.x1 / MM:.2f} mm (one cell past 184 mm at most)"


@pytest.mark.parametrize("stem", ISSUES)
def test_no_heading_or_title_at_the_foot_of_a_page(built, stem):
    b = built[stem]
    for page in b.pages:
        body = page.sized(BODY)
        titles = page.sized(TITLE)
        if titles:
            assert body and body[-1].baseline > titles[-1].baseline, \
                f"{stem} page {page.number}: the title {titles[-1].text!r} ends the page without its first line"
        if page.number == len(b.pages) or not body:
            continue
        last = squeeze(body[-1].text)
        assert not any(h.endswith(last) for h in b.headings), \
            f"{stem} page {page.number} ends with the heading line {body[-1].text!r}"


# --------------------------------------------------------------------------- the 版记, last page only

@pytest.mark.parametrize("stem", ISSUES)
def test_distribution_block_at_the_foot_of_the_last_page(built, stem):
    b = built[stem]
    last = b.pages[-1]
    assert len(last.black_rules) >= 3, f"{stem}: black rules on the last page {last.black_rules}"
    top_rule, bottom_rule = last.black_rules[0][0], last.black_rules[-1][0]
    assert close(bottom_rule, BOTTOM, 0.3 * MM), \
        f"{stem}: the last rule is {bottom_rule / MM:.2f} mm from the top, want {BOTTOM / MM:.2f} ± 0.3"
    for y, x0, x1, _ in last.black_rules:
        assert close(x0, LEFT, 1) and close(x1, RIGHT, 1), f"{stem}: rule {x0 / MM:.1f}–{x1 / MM:.1f} mm"
    below = [l for l in last.sized(BODY) if max(c["bottom"] for c in l.chars) > top_rule]
    assert not below, f"{stem}: body text below the 版记's top rule: {[l.text for l in below]}"

    inside = [l for l in last.lines if top_rule < l.baseline < bottom_rule]
    starts = {l.text[:2] for l in inside}
    names = distribution(b.source)
    for label in ("报", "送", "发"):
        if names.get(label):
            assert f"{label}：" in starts, f"{stem}: no {label}： line in the 版记 ({[l.text for l in inside]})"
        else:
            assert f"{label}：" not in starts, f"{stem}: an empty {label} list printed a {label}： line"
    printing = [l for l in inside if "印发" in l.text]
    assert printing, f"{stem}: no 印发 line in the 版记"
    assert all(close(l.size, SMALL, 0.3) for l in inside), f"{stem}: 版记 sizes {sorted({l.size for l in inside})}"

    for page in b.pages[:-1]:
        assert not page.black_rules, f"{stem} page {page.number}: full-width black rules before the last page"
        assert not any("印发" in l.text for l in page.lines), f"{stem} page {page.number}: a 印发 line"


# --------------------------------------------------------------------------- nothing lost

@pytest.mark.parametrize("stem", ISSUES)
def test_every_character_of_the_source_is_printed_in_order(built, stem):
    b = built[stem]
    printed = re.sub(r"\s+", "", "".join(l.text for page in b.pages for l in page.lines))
    position = 0
    for block in source_blocks(b.source):
        end, matched = find_block(printed, block, position)
        assert end is not None, (f"{stem}: {block[:30]!r}… is not printed in order: after {matched} characters, "
                                 f"{block[matched:matched + 10]!r} is missing")
        position = end


@pytest.mark.parametrize("stem", ISSUES)
def test_docx_opens_and_carries_the_titles(built, stem):
    b = built[stem]
    document = docx.Document(str(b.docx))
    text = squeeze("\n".join(p.text for p in document.paragraphs))
    for article in articles(b.source):
        assert squeeze(article["title"]) in text, f"{stem}.docx lacks the title {article['title']!r}"


# --------------------------------------------------------------------------- what particular issues are there for

def body_lines(page: Page) -> list[Line]:
    return [l for l in page.sized(BODY) if TOP < l.baseline < BOTTOM]


def test_001_is_one_page(built):
    assert len(built["001"].pages) == 1


def test_002_runs_to_about_twenty_pages(built):
    assert 18 <= len(built["002"].pages) <= 22, len(built["002"].pages)


def test_007_long_distribution_wraps_and_carries_total_and_copies(built):
    b = built["007"]
    last = b.pages[-1]
    rows = [l for l in last.lines if last.black_rules[0][0] < l.baseline < last.black_rules[-1][0]]
    fa = next(i for i, l in enumerate(rows) if l.text.startswith("发："))
    printing = next(i for i, l in enumerate(rows) if "印发" in l.text)
    following = rows[fa + 1:printing]
    assert len(following) >= 2, "the 发 list of 25 recipients should wrap over 3 lines or more"
    for line in following:
        assert close(line.x0, rows[fa].x0 + 2 * SMALL, 1.5), \
            f"wrapped 发 line {line.text[:8]!r} starts {line.x0 / MM:.2f} mm, want under the first recipient"
    text = "".join(l.text for l in b.pages[0].lines)
    assert "第7期（总第92期）" in text
    assert any("（共印260份）" in l.text for l in last.lines)
    assert any("2026年3月31日印发" in l.text for l in last.lines)


def test_008_distribution_block_goes_to_a_page_of_its_own(built):
    b = built["008"]
    assert not body_lines(b.pages[-1]), "the 版记 was meant not to fit under the body"
    assert len(body_lines(b.pages[-2])) >= 18, "the body's last page should be nearly full"


def test_009_rare_name_characters_print_from_a_fallback_font(built):
    b = built["009"]
    printed = "".join(l.text for page in b.pages for l in page.lines)
    for ch in "堃玥昇喆":
        assert printed.count(ch) >= 2, f"{ch} printed {printed.count(ch)} times"


def test_011_hostile_text_prints_literally(built):
    b = built["011"]
    printed = re.sub(r"\s+", "", "".join(l.text for page in b.pages for l in page.lines))
    for literal in ("{{x}}", "{%if%}", "{#注释#}", "<b>", "</b>", "&amp;", "&lt;script&gt;", "${title}",
                    "带*号", "%号", "{{网站名称}}"):
        assert literal in printed, f"{literal!r} is not printed as written"
    document = docx.Document(str(b.docx))
    text = squeeze("\n".join(p.text for p in document.paragraphs))
    for literal in ("{{x}}", "{%if%}", "<b>", "&amp;", "带*号"):
        assert literal in text, f"{literal!r} is not in the DOCX as written"


def test_011_a_long_source_breaks_into_balanced_right_aligned_lines(built):
    # （县发展改革委办公室（信息中心<b>&amp;</b>网络安全组）供稿） is wider than the measure: it breaks before
    # the inner bracket into two lines of similar length, both flush right, not into a full line and a stub
    lines = [l for page in built["011"].pages for l in page.lines
             if "供稿" in l.text or l.text.startswith("（县发展改革委办公室")]
    assert [re.sub(r"\s+", "", l.text) for l in lines] == \
        ["（县发展改革委办公室", "（信息中心<b>&amp;</b>网络安全组）供稿）"]
    right = 28 * MM + 156 * MM
    for l in lines:   # the closing bracket's glyph sits in the left half of its cell
        assert right - 16 <= l.x1 <= right + 0.5
    assert lines[0].x0 > 28 * MM + 156 * MM / 3


def test_013_heading_moves_down_with_its_paragraph(built):
    b = built["013"]
    page3 = body_lines(b.pages[2])
    assert page3 and page3[0].text.startswith("二、"), "heading 二 should open page 3"
    assert len(body_lines(b.pages[1])) < 22


def test_014_distribution_block_fits_under_the_body(built):
    b = built["014"]
    assert len(b.pages) == 2 and body_lines(b.pages[-1]), "the 版记 was meant to fit under the body on page 2"


# --------------------------------------------------------------------------- LibreOffice

@pytest.mark.soffice
def test_libreoffice_renders_the_docx_on_as_many_pages_as_the_pdf(built, tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not on PATH")
    out = tmp_path_factory.mktemp("bulletins-lo")
    profile = tmp_path_factory.mktemp("lo-profile")
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *(str(b.docx) for b in built.values())],
                   env=env, check=True, capture_output=True, timeout=600)
    mismatches, notes = {}, {}
    for stem, b in built.items():
        rendered = out / f"{stem}.pdf"
        assert rendered.is_file(), f"LibreOffice wrote no {rendered.name}"
        with pdfplumber.open(rendered) as pdf:
            if len(pdf.pages) != len(b.pages):
                mismatches[stem] = (len(b.pages), len(pdf.pages))
            # the 编者按 (2 characters in on both sides) breaks where the PDF breaks it
            ours = _note_lines(b.pdf)
            if ours and _note_lines(rendered) != ours:
                notes[stem] = (ours, _note_lines(rendered))
    assert not mismatches, f"pages (PDF, LibreOffice): {mismatches}"
    assert not notes, f"编者按 lines (PDF, LibreOffice): {notes}"


def _note_lines(pdf_path) -> list[str]:
    """The first two lines of the 编者按 on page 1, spaces removed."""
    with pdfplumber.open(pdf_path) as pdf:
        lines = ["".join(l["text"].split()) for l in pdf.pages[0].extract_text_lines()]
    start = [i for i, t in enumerate(lines) if t.startswith("编者按")]
    return lines[start[0]:start[0] + 2] if start else []
