"""The PDF writer, measured in the PDFs it writes (pdfplumber, pypdf): the grid, the 28-cell lines and the right
edge, the masthead, titles, fonts per role and per character, page numbers, the distribution block and where it
goes, text order, embedding, determinism and speed.

Expected figures come from the style sheet (templates/default/layout.yaml) and from the spec (docs: layout.md);
each PDF is written once per module. Needs the fonts of scripts/install-fonts.sh (skips without them).
"""
from __future__ import annotations

import dataclasses
import io
import math
import re
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))     # pdf_trees, pdf_measure
try:
    import jianbao  # noqa: F401
except ImportError:          # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

from jianbao.errors import JianbaoError  # noqa: E402
from jianbao.layout.metrics import is_latin  # noqa: E402
from jianbao.layout import LaidOut, lay_out as lay_out_tree  # noqa: E402
from jianbao.writers import pdf as pdf_writer  # noqa: E402


def lay_out(tree, style, fonts):
    """The page model of a tree."""
    return lay_out_tree(tree, style, fonts).pages


def write_pdf(tree, style, fonts, out) -> LaidOut:
    """Lay the tree out, draw it as a PDF into `out`; the laid-out bulletin."""
    laid = lay_out_tree(tree, style, fonts)
    pdf_writer.write(tree, laid, style, out)
    return laid
from jianbao.stylesheet import load_stylesheet  # noqa: E402

EM_ASCENT = load_stylesheet(ROOT / "templates" / "default" / "layout.yaml").metrics.em_ascent

import pdf_trees as T  # noqa: E402
from pdf_measure import MM, read  # noqa: E402

RED = (1.0, 0.0, 0.0)
BLACK = (0.0, 0.0, 0.0)
HANGING = set("，。、；：？！”’）》〉」』】〕")


def own_fonts(line) -> set[str]:
    """The fonts of a line's Chinese characters (digits and Latin letters are in the latin face)."""
    return {f for ch, f in zip(line.text, line.fonts) if not is_latin(ch)}


def latin_fonts(line) -> set[str]:
    return {f for ch, f in zip(line.text, line.fonts) if is_latin(ch)}


# ---- fixtures ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def style():
    return load_stylesheet(ROOT / "templates" / "default" / "layout.yaml")


@pytest.fixture(scope="module")
def fonts(style):
    from jianbao.fonts import FontBook

    book = FontBook.for_series(ROOT, style.fonts)
    try:
        for key in ("xiaobiaosong", "fangsong", "hei", "kai", "song"):
            book.primary(key)
    except JianbaoError as e:
        pytest.skip(f"fonts not installed (scripts/install-fonts.sh): {e}")
    return book


def render(tree, style, fonts) -> tuple[bytes, LaidOut]:
    buf = io.BytesIO()
    info = write_pdf(tree, style, fonts, buf)
    return buf.getvalue(), info


@dataclasses.dataclass
class Doc:
    tree: ET.Element
    pdf: bytes
    info: LaidOut
    pages: list


def make(tree, style, fonts) -> Doc:
    pdf, info = render(tree, style, fonts)
    return Doc(tree, pdf, info, read(pdf))


@pytest.fixture(scope="module")
def issue11(style, fonts) -> Doc:
    from jianbao import api

    tree = api.build_tree(ROOT / "issues" / "011.yaml")
    return make(tree, style, fonts)


@pytest.fixture(scope="module")
def issue8(style, fonts) -> Doc:
    from jianbao import api

    tree = api.build_tree(ROOT / "issues" / "008.yaml")
    return make(tree, style, fonts)


@pytest.fixture(scope="module")
def long(style, fonts) -> Doc:
    return make(T.tree(T.long_tree()), style, fonts)


@pytest.fixture(scope="module")
def latin(fonts) -> str:
    """The PostScript name of the latin face found here (Liberation Serif from fonts-liberation2, or Times)."""
    from fontTools.ttLib import TTFont

    faces = fonts.faces("latin")
    if not faces:
        pytest.skip("no face of fonts.latin installed (scripts/install-fonts.sh installs fonts-liberation2)")
    return TTFont(str(faces[0].path), fontNumber=faces[0].index, lazy=True)["name"].getDebugName(6)


@pytest.fixture(scope="module")
def hung(style, fonts) -> list[Doc]:
    """008 and the long tree with body.hanging_punctuation: true (the style sheet's option)."""
    from jianbao import api

    on = dataclasses.replace(style, body=dataclasses.replace(style.body, hanging_punctuation=True))
    return [make(api.build_tree(ROOT / "issues" / "008.yaml"), on, fonts), make(T.tree(T.long_tree()), on, fonts)]


# ---- geometry from the style sheet ---------------------------------------------------------------------------

class G:
    """Where things must be, in pt from the paper's top-left corner."""

    def __init__(self, style):
        p = style.page
        self.left, self.top = p.left, p.top
        self.right, self.bottom = p.left + p.text_width, p.top + p.text_height
        self.width = p.text_width
        self.pitch = style.grid.pitch
        self.cell = style.grid.cell
        self.body = style.role("para").size
        # Word's character spacing for the grid: (cell − size) rounded down to 1/20 pt (−0.25 pt); the layout breaks
        # and sets unjustified text with it, as Word and LibreOffice set the DOCX
        self.tracking = math.floor((self.cell - self.body) * 20 + 1e-6) / 20
        self.word_cell = self.body + self.tracking

    def row_of(self, baseline: float, size: float) -> float:
        """Grid line index (float) of a baseline of type `size`."""
        return (baseline - self.top - (self.pitch - size) / 2 - EM_ASCENT * size) / self.pitch


@pytest.fixture(scope="module")
def g(style) -> G:
    return G(style)


def body_lines(doc, g, size=16.0):
    """(page, line) of the text on the grid: `size` type inside the text block, masthead excluded."""
    rule_y = max((r["y"] for r in doc.pages[0].rules if r["colour"] == RED), default=0)
    out = []
    for page in doc.pages:
        for line in page.sized(size):
            if line.baseline > g.bottom or (page.number == 1 and line.baseline < rule_y):
                continue
            out.append((page, line))
    return out


def core(line, g):
    """The chars of a line without a mark hanging past the right edge."""
    cs = line.chars
    if len(cs) > 1 and cs[-1]["text"] in HANGING and cs[-1]["x0"] >= g.right - 0.5:
        return cs[:-1]
    return cs


def page_number_line(page, g):
    below = [l for l in page.lines if l.baseline > g.bottom]
    return below[-1] if below else None


# ---- grid ----------------------------------------------------------------------------------------------------

def test_pages_are_a4(issue11, style):
    for page in issue11.pages:
        assert page.width == pytest.approx(style.page.width, abs=0.01)
        assert page.height == pytest.approx(style.page.height, abs=0.01)


@pytest.mark.parametrize("which", ["issue11", "issue8", "long"])
def test_body_baselines_lie_on_the_grid(request, which, g):
    doc = request.getfixturevalue(which)
    lines = body_lines(doc, g)
    assert len(lines) > 40
    for page, line in lines:
        row = g.row_of(line.baseline, 16.0)
        assert abs(row - round(row)) < 0.005, (page.number, line.text)
        assert 0 <= round(row) < 22
    # consecutive lines of a page are whole pitches apart, and full pages hold 22
    for page in doc.pages[1:-1]:
        rows = [round(g.row_of(l.baseline, 16.0)) for l in page.sized(16.0) if l.baseline < g.bottom]
        assert len(rows) == len(set(rows))
        assert len(rows) <= 22


def test_pitch_is_the_grid_pitch(issue8, g):
    pitches = []
    for page in issue8.pages[1:]:
        ls = [l for l in page.sized(16.0) if l.baseline < g.bottom]
        pitches += [b.baseline - a.baseline for a, b in zip(ls, ls[1:])]
    assert len(pitches) > 100
    assert min(pitches) == pytest.approx(g.pitch, abs=0.01)
    assert sorted(pitches)[len(pitches) // 2] == pytest.approx(28.95, abs=0.01)


def test_full_pages_start_on_the_first_grid_line(issue8, g):
    for page in issue8.pages[1:-1]:
        first = page.sized(16.0)[0]
        assert g.row_of(first.baseline, 16.0) == pytest.approx(0, abs=0.005)
        assert 8 < first.baseline - g.top < 32          # what pdf_audit checks


def test_left_margin_and_first_line_indent(issue11, g):
    lefts = [round(line.x0 - g.left, 2) for _, line in body_lines(issue11, g)]
    assert min(lefts) == pytest.approx(0, abs=0.01)
    # paragraphs indented two characters of the font size (32 pt), as Word sets the DOCX's firstLineChars="200"
    assert lefts.count(round(2 * g.body, 2)) >= 10


@pytest.mark.parametrize("which", ["issue11", "issue8", "long"])
def test_full_lines_end_exactly_at_the_right_edge(request, which, g):
    doc = request.getfixturevalue(which)
    full = 0
    for page, line in body_lines(doc, g):
        cs = core(line, g)
        right = cs[-1]["x0"] + (g.cell if cs[-1]["text"] not in "0123456789%" else cs[-1]["x1"] - cs[-1]["x0"])
        assert cs[-1]["x1"] <= g.right + g.body - g.cell + 0.05, (page.number, line.text)
        if right > g.right - 1.0:        # (a paragraph's last line may end a few points short of the edge)
            full += 1
            # the last cell ends at 184 mm: the glyph's advance is 0.21 pt wider than its cell
            assert cs[-1]["x1"] - (g.body - g.cell if cs[-1]["x1"] - cs[-1]["x0"] > g.cell else 0) == \
                pytest.approx(g.right, abs=0.2 * MM), (page.number, line.text)
    assert full > 15


def test_28_cells_a_line_with_tracking(issue8, g):
    """A full line of Chinese holds 28 cells of 156/28 mm: a 16 pt glyph at the start of each cell."""
    exact = 0
    for page, line in body_lines(issue8, g):
        cs = core(line, g)
        if abs(cs[0]["x0"] - g.left) > 0.01 or len(cs) != 28:
            continue
        if not all(ord(c["text"]) > 0x2000 for c in cs):
            continue
        steps = [b["x0"] - a["x0"] for a, b in zip(cs, cs[1:])]
        if max(steps) - min(steps) < 0.01:              # not stretched by justification
            exact += 1
            # a justified line on the grid's cells; a paragraph's last line (not justified) at Word's cell
            assert steps[0] == pytest.approx(g.cell, abs=0.005) or steps[0] == pytest.approx(g.word_cell, abs=0.005)
            assert all(c["size"] == pytest.approx(16.0) for c in cs)
            assert cs[-1]["x0"] - cs[0]["x0"] == pytest.approx(27 * steps[0], abs=0.05)
    assert exact > 30


def test_by_default_no_mark_hangs_and_none_starts_a_line(issue8, long, g):
    """The default (body.hanging_punctuation: false): a mark that may not start a line takes the character before
    it down with it, so nothing is drawn past the right edge (LibreOffice leaves a hung mark off its print)."""
    lines = [line for doc in (issue8, long) for _, line in body_lines(doc, g)]
    assert all(line.chars[-1]["x1"] <= g.right + 0.5 for line in lines)
    assert not [line.text for line in lines if line.text[0] in HANGING]
    # full lines of Chinese one cell short, justified to the edge: a character went down with the next mark
    pushed = [line for line in lines if abs(line.x0 - g.left) < 0.01 and len(line.chars) == 27
              and all(ord(c["text"]) > 0x2000 for c in line.chars) and line.chars[-1]["x1"] > g.right - 1.0]
    assert len(pushed) >= 3


def test_hanging_punctuation_sits_past_the_edge(hung, g):
    hung_marks = 0
    for doc in hung:
        for page, line in body_lines(doc, g):
            last = line.chars[-1]
            if last["x0"] >= g.right - 0.5:
                hung_marks += 1
                assert last["text"] in HANGING
                assert last["x0"] == pytest.approx(g.right, abs=0.05)
    assert hung_marks >= 3


# ---- masthead ------------------------------------------------------------------------------------------------

def test_masthead_name_series_marking(issue11, style, g):
    p1 = issue11.pages[0]
    name_role, series_role = style.role("name"), style.role("series")
    name = [l for l in p1.lines if l.size == pytest.approx(name_role.size)]
    assert len(name) == 1 and name[0].text == "简报"
    cs = name[0].chars
    assert all(c["non_stroking_color"] and tuple(c["non_stroking_color"]) == RED for c in cs)
    centre = (cs[0]["x0"] + cs[-1]["x1"]) / 2
    assert centre == pytest.approx(g.left + g.width / 2, abs=0.5)
    assert cs[1]["x0"] - cs[0]["x1"] == pytest.approx(name_role.spacing, abs=0.5)     # letter-spaced
    series = [l for l in p1.lines if l.text.startswith("郑州市教育局")][0]
    assert series.size <= series_role.size
    assert tuple(series.chars[0]["non_stroking_color"]) == RED
    assert series.x0 >= g.left - 0.01 and series.x1 <= g.right + 0.5
    assert (series.x0 + series.x1) / 2 == pytest.approx(g.left + g.width / 2, abs=0.5)
    marking = p1.lines[0]
    assert marking.text == "内部刊物注意保存"
    assert marking.size == pytest.approx(16.0) and marking.x0 == pytest.approx(g.left, abs=0.01)
    assert g.row_of(marking.baseline, 16.0) == pytest.approx(0, abs=0.005)
    assert set(marking.fonts) == {"FandolHei-Regular"}
    assert marking.baseline < series.baseline < name[0].baseline


def test_masthead_number_editor_date_and_rule(issue11, style, g):
    p1 = issue11.pages[0]
    number = [l for l in p1.lines if l.text == "第11期"][0]
    assert (number.x0 + number.x1) / 2 == pytest.approx(g.left + g.width / 2, abs=0.5)
    line = [l for l in p1.lines if l.text.startswith("领导小组办公室")][0]
    assert line.text == "领导小组办公室2022年2月15日"
    assert line.x0 == pytest.approx(g.left, abs=0.01)
    assert line.x1 == pytest.approx(g.right, abs=0.5)
    rules = [r for r in p1.rules if r["colour"] == RED]
    assert len(rules) == 1
    rule = rules[0]
    m = style.masthead.rule
    assert rule["width"] == pytest.approx(m.width, abs=0.01)
    assert rule["x0"] == pytest.approx(g.left, abs=0.01) and rule["x1"] == pytest.approx(g.right, abs=0.01)
    assert rule["y"] - line.baseline == pytest.approx(m.gap, abs=0.05)
    assert 75 * MM <= rule["y"] <= 120 * MM
    # the body resumes on the grid, a blank line under the rule
    title = [l for l in p1.lines if l.size == pytest.approx(22.0)][0]
    row = g.row_of(title.baseline, 22.0)
    assert abs(row - round(row)) < 0.005
    first_free = math.ceil((rule["y"] + rule["width"] / 2 - g.top) / g.pitch)
    assert round(row) == first_free + style.masthead.blank_after_rule


def test_masthead_lines_always_fit(style, fonts, g):
    """A long name loses letter spacing, then size; a long series line shrinks: nothing leaves the text block."""
    masthead = T.MASTHEAD.replace("<name>简报</name>", "<name>工作动态简报</name>").replace(
        "<series>郑州市教育局“能力作风建设年”活动</series>",
        "<series>郑州市教育局“能力作风建设年”暨“作风建设提升年”活动</series>")
    tree = T.tree(f"<bulletin>{masthead}<article><title>标题</title>{T.para(1)}</article></bulletin>")
    p1 = make(tree, style, fonts).pages[0]
    name = [l for l in p1.lines if l.text == "工作动态简报"][0]
    series = [l for l in p1.lines if l.text.startswith("郑州市教育局")][0]
    for line in (name, series):
        assert line.x0 >= g.left - 0.01 and line.x1 <= g.right + 0.5
    assert name.size == pytest.approx(style.role("name").size)            # spacing went first
    gap = name.chars[1]["x0"] - name.chars[0]["x1"]
    assert 0 < gap < style.role("name").spacing
    assert name.x1 - name.x0 == pytest.approx(g.width, abs=0.5)
    assert series.size < style.role("series").size
    width = series.x1 - series.x0                      # as large as fits, in half points (within a point)
    assert width <= g.width + 0.5 and width * (series.size + 1) / series.size > g.width


LONG_SERIES = "中共某某省委全面深化改革委员会办公室暨某某省优化营商环境工作领导小组办公室"


def test_a_series_line_too_long_for_its_minimum_size_takes_two_balanced_lines(style, fonts, g):
    # 37 characters would shrink to 12 pt on one line: below fit_min (16 pt) the line breaks into two
    masthead = T.MASTHEAD.replace("<series>郑州市教育局“能力作风建设年”活动</series>", f"<series>{LONG_SERIES}</series>")
    tree = T.tree(f"<bulletin>{masthead}<article><title>标题</title>{T.para(1)}</article></bulletin>")
    p1 = make(tree, style, fonts).pages[0]
    series = [l for l in p1.lines if l.text in ("中共某某省委全面深化改革委员会办公室", "暨某某省优化营商环境工作领导小组办公室")]
    assert [l.text for l in series] == ["中共某某省委全面深化改革委员会办公室", "暨某某省优化营商环境工作领导小组办公室"]
    role = style.role("series")
    for line in series:
        assert role.fit_min <= line.size <= role.size
        assert line.x0 >= g.left and line.x1 <= g.right
        assert (line.x0 + line.x1) / 2 == pytest.approx(g.left + g.width / 2, abs=0.6)   # centred
        assert all(c["non_stroking_color"] == (1, 0, 0) for c in line.chars)
    assert series[1].baseline - series[0].baseline >= series[0].size
    name = [l for l in p1.lines if l.text == "简报"][0]
    assert name.baseline > series[1].baseline + name.size * 0.8


def test_double_rule_option(fonts, style, issue11):
    rule = dataclasses.replace(style.masthead.rule, double=True)
    s2 = dataclasses.replace(style, masthead=dataclasses.replace(style.masthead, rule=rule))
    pages = read(render(issue11.tree, s2, fonts)[0])
    reds = sorted((r for r in pages[0].rules if r["colour"] == RED), key=lambda r: r["y"])
    assert [round(r["width"], 2) for r in reds] == [rule.width, rule.thin_width]
    gap = reds[1]["y"] - reds[0]["y"] - (rule.width + rule.thin_width) / 2
    assert gap == pytest.approx(rule.thin_gap, abs=0.01)


# ---- title, headings, fonts ------------------------------------------------------------------------------------

def test_title_lines_centred_balanced_on_the_grid(long, issue11, g):
    titles = [l for l in long.pages[1].lines if l.size == pytest.approx(22.0)]
    assert [l.text for l in titles][0] == "攻坚“双减”新任务"               # the forced break
    assert len(titles) == 3
    rows = [g.row_of(l.baseline, 22.0) for l in titles]
    assert rows == [pytest.approx(round(rows[0]) + k, abs=0.005) for k in range(3)]
    for l in titles:
        assert (l.x0 + l.x1) / 2 == pytest.approx(g.left + g.width / 2, abs=0.6)
        assert set(l.fonts) == {"FandolSong-Bold"}
    second, third = len(titles[1].chars), len(titles[2].chars)
    assert abs(second - third) <= 2                                     # balanced, not 20 + 2
    sub = [l for l in long.pages[1].lines if l.text.startswith("——郑州市")][0]
    assert g.row_of(sub.baseline, 16.0) - g.row_of(titles[-1].baseline, 22.0) == pytest.approx(1, abs=0.005)
    assert set(sub.fonts) == {"FandolKai-Regular"}
    # 011's title fits its forced break and wraps the rest
    t11 = [l for l in issue11.pages[0].lines if l.size == pytest.approx(22.0)]
    assert "".join(l.text for l in t11) == "攻坚“双减”新任务构建教育新生态市教育局扎实推动“双减”工作取得阶段性成效"


def test_fonts_by_role(issue8, long, latin):
    lines = [l for p in issue8.pages for l in p.lines]
    h1 = [l for l in lines if l.text.startswith("一、思想高度重视")][0]
    assert set(h1.fonts) == {"FandolHei-Regular"}
    runin = [l for l in lines if l.text.startswith("（一）加强组织领导。")][0]
    n = len("（一）加强组织领导。")
    assert set(runin.fonts[:n]) == {"FandolKai-Regular"}
    assert set(runin.fonts[n:]) == {"FandolFang-Regular"}
    body = [l for l in lines if l.text.startswith("“能力作风建设年”活动开展以来")][0]
    assert set(body.fonts) == {"FandolFang-Regular"}
    h = {l.text[:6]: own_fonts(l) for p in long.pages for l in p.lines}
    assert h["1.健全工作"] == {"FandolFang-Regular"} and h["（1）推动全"] == {"FandolFang-Regular"}
    assert latin_fonts([l for p in long.pages for l in p.lines if l.text.startswith("1.健全工作")][0]) == {latin}
    assert h["（一）加强组"] == {"FandolKai-Regular"}


def test_emphasis_is_synthetic_bold_by_render_mode(issue11):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(issue11.pdf))
    stream = reader.pages[1].get_contents().get_data().decode("latin-1")
    bold = re.findall(r"\nq\n(.*?)\nQ", stream, re.S)
    assert bold, "no saveState/restoreState block with bold text"
    for block in bold:
        assert "2 Tr" in block and " w" in block and "RG" in block
        assert block.count("BT") == block.count("ET") == 1
    # render mode 2 only ever inside q … Q: nothing else is stroked
    outside = re.sub(r"\nq\n.*?\nQ", "", stream, flags=re.S)
    assert "Tr" not in outside
    # the emphasised words are drawn once (no double drawing)
    text = "".join(l.text for l in issue11.pages[1].lines)
    assert text.count("二是构建政策体系。") == 1


def test_rare_characters_come_from_the_fallback_font(long):
    assert long.info.fallbacks == {"堃": "AR PL UMing CN", "玥": "AR PL UMing CN", "昇": "AR PL UMing CN"}
    line = [l for p in long.pages for l in p.lines if l.text.startswith("王堃")][0]
    fonts = dict(zip(line.text, line.fonts))
    for ch in "堃玥昇":
        assert "UMing" in fonts[ch]
    assert fonts["王"] == "FandolFang-Regular"
    # the fallback glyph keeps its cell
    xs = [c["x0"] for c in line.chars[:4]]
    assert xs[2] - xs[1] == pytest.approx(xs[1] - xs[0], abs=0.01)
    # and its text box (the font's Ascent/Descent): extraction and selection keep it on its line
    assert {round(c["top"], 2) for c in line.chars[:4]} == {round(line.chars[0]["top"], 2)}
    assert {round(c["bottom"], 2) for c in line.chars[:4]} == {round(line.chars[0]["bottom"], 2)}


def test_fallback_glyphs_in_a_bold_faced_title_are_emboldened(style, fonts):
    # the title's face is FandolSong-Bold; 堃 comes from the regular UMing and must not print lighter
    from pypdf import PdfReader

    xml = T.short_tree(1).replace("市教育局“能力作风建设年”活动第一阶段工作总结", "王堃同志在全市教育工作会议上的讲话")
    doc = make(T.tree(xml), style, fonts)
    title = [l for l in doc.pages[0].lines if l.size == pytest.approx(22.0)][0]
    fonts_of = dict(zip(title.text, title.fonts))
    assert "UMing" in fonts_of["堃"] and fonts_of["王"] == "FandolSong-Bold"
    page = PdfReader(io.BytesIO(doc.pdf)).pages[0]
    names = {str(k): str(v.get_object()["/BaseFont"]) for k, v in page["/Resources"]["/Font"].items()}
    stream = page.get_contents().get_data().decode("latin-1")
    stroked = re.findall(r"\nq\n(.*?)\nQ", stream, re.S)
    stroked_fonts = {names[f] for block in stroked for f in re.findall(r"(/F[\w+]+) [\d.]+ Tf", block)}
    assert any("UMing" in f for f in stroked_fonts)
    assert not any("FandolSong-Bold" in f for f in stroked_fonts)   # a bold face is not emboldened again


def test_a_heading_never_leaves_one_character_alone_on_its_last_line(style, fonts, g):
    # 2 + 27 cells: Word would set 26 + 1 (保障落|地); the PDF pulls one more character down, keeping
    # the line count (and so the pagination) of the DOCX, and justifies the shortened first line
    head = "<heading level=\"1\"><num>一、</num>对标国土空间总体规划，加快推进重点项目建设保障落地</heading>"
    body = T.short_tree(1).split("</title>")
    xml = body[0] + "</title>" + head + body[1]
    doc = make(T.tree(xml), style, fonts)
    lines = [l for l in doc.pages[0].lines if l.fonts[0] == "FandolHei-Regular" and l.size == pytest.approx(16)]
    heading = [l for l in lines if not l.text.startswith("内部")]
    assert [l.text for l in heading] == ["一、对标国土空间总体规划，加快推进重点项目建设保障", "落地"]
    assert heading[0].x1 == pytest.approx(g.right, abs=0.6)


def test_latin_and_digit_runs_at_natural_width(long, g, latin):
    lines = [l for p in long.pages[1:] for l in p.lines if "FandolFang-Regular" in l.fonts]
    for word in ("B-READY", "91.93%", "2020-2035", "1.81"):
        line = [l for l in lines if word in l.text][0]
        i = line.text.index(word)
        cs = line.chars[i:i + len(word)]
        # in the latin face (Times New Roman's advances), as Word and LibreOffice set the DOCX's digits
        assert all(c["fontname"].endswith(latin) for c in cs)
        for a, b in zip(cs, cs[1:]):      # the grid's tracking applies to Latin letters too, as in Word
            assert b["x0"] == pytest.approx(a["x1"] + g.tracking, abs=0.01)


def test_note_contents_source(long, style, g):
    p1 = long.pages[0]
    title = [l for l in p1.lines if l.text == "本期目录"][0]
    assert set(title.fonts) == {"FandolHei-Regular"}
    assert (title.x0 + title.x1) / 2 == pytest.approx(g.left + g.width / 2, abs=0.5)
    entry = [l for l in p1.lines if l.text == "简讯"][0]
    # wrapped lines 3 cells in, the first one character of the font size less (the DOCX's hangingChars="100")
    assert entry.x0 == pytest.approx(g.left + 3 * g.word_cell - g.body, abs=0.01)
    note = [l for l in p1.lines if l.text.startswith("编者按")][0]
    label = len("编者按：")
    assert set(note.fonts[:label]) == {"FandolHei-Regular"}
    assert {f for ch, f in zip(note.text[label:], note.fonts[label:]) if not is_latin(ch)} == {"FandolKai-Regular"}
    # 2 cells margin (the DOCX's left="630") + 2 characters of the font size indent (firstLineChars="200")
    assert note.x0 == pytest.approx(g.left + 2 * g.word_cell + 2 * g.body, abs=0.01)
    following = [l for l in p1.lines if l.baseline == pytest.approx(note.baseline + g.pitch, abs=0.01)][0]
    assert following.x0 == pytest.approx(g.left + 2 * g.word_cell, abs=0.01)
    cs = core(note, g)
    assert cs[-1]["x0"] + g.word_cell == pytest.approx(g.right - 2 * g.word_cell, abs=0.05)
    sources = [l for p in long.pages for l in p.lines if l.text.endswith("供稿）")]
    assert len(sources) == 2
    for s in sources:
        assert s.x1 == pytest.approx(g.right, abs=0.05)
        assert set(s.fonts) == {"FandolKai-Regular"}


def test_keep_with_next_and_blank_lines_between_articles(long, style, fonts):
    pages = lay_out(long.tree, style, fonts)
    for page in pages[:-1]:
        flow = [row for _, row in page.rows if row.what not in (
            "marking", "series", "name", "issue-number", "editor-date", "recipients", "printer", "printed",
            "printing", "copies")]
        assert flow[-1].what not in ("heading", "title", "subtitle", "contents-title"), flow[-1].what
    # a title is followed by its first body line on the same page
    for page in pages:
        whats = [row.what for _, row in page.rows]
        if "title" in whats:
            assert whats[-1] != "title"
    # the second article's title: a blank grid line above it, unless it opens a page
    for page in pages:
        rows = [(b, row) for b, row in page.rows if row.what == "title"]
        for b, row in rows:
            text = "".join(r.text for r in row.runs)
            if text.startswith("县发展改革委"):
                above = [(bb, r) for bb, r in page.rows if bb < b and r.what not in ("title",)]
                if above:
                    bb, r = max(above, key=lambda x: x[0])
                    gg = G(style)
                    assert gg.row_of(b, row.size) - gg.row_of(bb, r.size) == pytest.approx(2, abs=0.005)


def test_headings_never_end_a_page(fonts, style):
    """Put a heading on every possible last line: it always moves to the next page with its paragraph."""
    for k in range(16, 22):
        body = "".join(T.para(i, 2) for i in range(k)) + \
            '<heading level="1"><num>一、</num>构建“四个体系”</heading>' + T.para(99, 3)
        tree = T.tree(f'<bulletin>{T.MASTHEAD}<article><title>标题</title>{body}</article></bulletin>')
        for page in lay_out(tree, style, fonts)[:-1]:
            assert page.rows[-1][1].what != "heading"


# ---- page numbers ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["issue11", "long"])
def test_page_numbers(request, which, style, fonts, g, latin):
    doc = request.getfixturevalue(which)
    pn = style.page_number
    size = style.role("page-number").size
    face = fonts.primary(style.role("page-number").font)
    from fontTools.ttLib import TTFont

    ft = TTFont(str(face.reportlab_path()), fontNumber=face.reportlab_index, lazy=True)
    dash_top = ft["glyf"][ft.getBestCmap()[ord(pn.dash)]].yMax / ft["head"].unitsPerEm
    for page in doc.pages:
        line = page_number_line(page, g)
        assert line is not None, page.number
        assert line.text == f"{pn.dash}{page.number}{pn.dash}"
        assert line.size == pytest.approx(size)
        assert own_fonts(line) == {"FandolSong-Regular"}     # the dashes; the digits in the latin face, as
        assert latin_fonts(line) == {latin}                 # the DOCX's page-number field sets them
        if page.number % 2:
            assert line.x1 == pytest.approx(g.right - pn.indent, abs=0.05)
        else:
            assert line.x0 == pytest.approx(g.left + pn.indent, abs=0.05)
        # spaces around the digits
        digits = [c for c in line.chars if c["text"].isdigit()]
        assert digits[0]["x0"] - line.chars[0]["x1"] > 2 and line.chars[-1]["x0"] - digits[-1]["x1"] > 2
        # the top of the dashes 7 mm under the text block
        assert line.baseline - dash_top * size == pytest.approx(g.bottom + pn.below, abs=0.05)


# ---- distribution block ---------------------------------------------------------------------------------------

def test_distribution_block(issue11, style, g):
    last = issue11.pages[-1]
    d = style.distribution
    block = [l for l in last.sized(14.0) if l.baseline < g.bottom]
    assert [l.text[:2] for l in block] == ["报：", "送：", "发：", "市属", "郑州", "20"]
    one_char = 14.0                         # the grid's tracking is for body-size text only
    for l in block[:3]:
        assert l.x0 == pytest.approx(g.left + one_char, abs=0.01)
        assert set(l.fonts) == {"FandolFang-Regular"}
    # the wrapped line hangs under the first recipient
    assert block[3].x0 == pytest.approx(block[2].x0 + 2 * one_char, abs=0.01)
    assert block[3].x0 == pytest.approx(block[2].chars[2]["x0"], abs=0.01)    # (set flush left, not stretched)
    # the list breaks between names (after 、), never inside one, in lines as even as the names allow
    assert block[2].text == "发：局直属学校（单位）党组织、" and block[3].text == "市属各民办学校党组织、市教育局机关各党支部"
    # 011's printer does not fit beside the date a character in from each edge at full size: the date takes a
    # line of its own (GB/T 9704 7.4.3), nothing squeezed, no glyph over another
    printer, date = block[4], block[5]
    assert printer.text == "郑州市教育局“能力作风建设年”活动领导小组办公室"
    assert date.text == "2022年2月15日印发"
    assert printer.x0 == pytest.approx(g.left + one_char, abs=0.01)
    assert date.x1 == pytest.approx(g.right - one_char, abs=0.05)
    steps = [b["x0"] - a["x0"] for a, b in zip(printer.chars, printer.chars[1:])]
    assert min(steps) == pytest.approx(one_char, abs=0.01)
    pitches = {round(b.baseline - a.baseline, 2) for a, b in zip(block, block[1:])}
    assert pitches == {round(d.pitch, 2)}
    rules = sorted((r for r in last.rules if r["colour"] == BLACK), key=lambda r: r["y"])
    assert [round(r["width"], 2) for r in rules] == [round(d.rule_outer, 2), round(d.rule_inner, 2),
                                                    round(d.rule_outer, 2)]
    for r in rules:
        assert r["x0"] == pytest.approx(g.left, abs=0.01) and r["x1"] == pytest.approx(g.right, abs=0.01)
    top, inner, bottom = (r["y"] for r in rules)
    assert bottom == pytest.approx(g.bottom, abs=0.01)                   # on the text block's bottom edge
    assert top < block[0].baseline - 14 * EM_ASCENT
    assert block[3].baseline < inner < block[4].baseline - 14 * EM_ASCENT
    assert bottom - top == pytest.approx(len(block) * d.pitch, abs=0.01)
    # never over the body
    body = [l for l in last.sized(16.0) if l.baseline < g.bottom]
    assert not body or body[-1].baseline < top


def test_printing_line_too_long_for_one_line(style, fonts, g):
    printer = "郑州市教育局“能力作风建设年”活动领导小组办公室暨督导组"
    dist = T.DISTRIBUTION.replace("<printer>领导小组办公室</printer>", f"<printer>{printer}</printer>")
    doc = make(T.tree(T.short_tree(3, 2, distribution=dist)), style, fonts)
    block = [l for l in doc.pages[-1].sized(14.0) if l.baseline < g.bottom]
    one_char = 14.0
    assert [l.text for l in block[-2:]] == [printer, "2022年3月1日印发"]
    assert block[-2].x0 == pytest.approx(g.left + one_char, abs=0.01)
    assert block[-1].x1 == pytest.approx(g.right - one_char, abs=0.05)


def test_copies_flush_right_with_the_recipients_and_the_printing_line_last(long, style, fonts, g):
    last = long.pages[-1]
    block = [l for l in last.sized(14.0) if l.baseline < g.bottom]
    one_char = 14.0
    # the printing line is the block's last line, on the bottom rule
    assert block[-1].text == "领导小组办公室2022年3月1日印发"
    assert block[-1].x0 == pytest.approx(g.left + one_char, abs=0.01)      # short printer: margins kept
    assert block[-1].x1 == pytest.approx(g.right - one_char, abs=0.05)
    rules = sorted(r["y"] for r in last.rules if r["colour"] == BLACK)
    assert rules[-1] == pytest.approx(g.bottom, abs=0.01)
    assert g.bottom - block[-1].baseline < 12 * MM
    # the 发 list breaks between names: its last line (高新区教育文化体育局) leaves no room for the print run,
    # which takes a line of its own, flush right, above the thin rule
    assert block[-3].text.endswith("、高新区教育文化体育局")
    assert block[-2].text == "（共印200份）"
    assert block[-2].x1 == pytest.approx(g.right - one_char, abs=0.05)
    assert block[-2].baseline < rules[-2] < block[-1].baseline
    # the 发 line wraps twice, every continuation under the first recipient
    fa = [i for i, l in enumerate(block) if l.text.startswith("发：")][0]
    assert block[fa + 1].x0 == pytest.approx(block[fa].x0 + 2 * 14.0, abs=0.01)   # after the label 发：
    assert block[fa + 2].x0 == pytest.approx(block[fa].x0 + 2 * 14.0, abs=0.01)
    # with room on the last recipient line, the print run joins it flush right; without, it takes a line of its own
    joined = alone = None
    for extra in range(0, 40):
        more = "高新区教育文化体育局" + "、县直单位" * extra + "</recipients>"
        dist = T.DISTRIBUTION.replace("高新区教育文化体育局</recipients>", more)
        doc = make(T.tree(T.short_tree(2, 2, distribution=dist)), style, fonts)
        block = [l for l in doc.pages[-1].sized(14.0) if l.baseline < g.bottom]
        if block[-2].text.endswith("（共印200份）") and block[-2].text != "（共印200份）":
            joined = block
        elif block[-2].text == "（共印200份）" and joined is not None:
            alone = block
            break
    assert joined is not None, "the print run never joined the recipients' last line"
    assert joined[-2].x1 == pytest.approx(g.right - one_char, abs=0.05)
    assert alone is not None, "the print run never took a line of its own"
    block = alone
    assert block[-1].text == "领导小组办公室2022年3月1日印发"
    assert block[-2].x1 == pytest.approx(g.right - one_char, abs=0.05)
    # and only because two characters of room were missing on the recipients' last line
    assert block[-3].x1 + 2 * 14.0 > block[-2].x0 - 0.01


def _tight_tree(style, fonts, want_new_page: bool):
    """A one-article tree whose body ends where the block does not fit (or just fits) under it."""
    for k in range(8, 60):
        tree = T.tree(T.short_tree(k, 2))
        pages = lay_out(tree, style, fonts)
        last_flow = [row for _, row in pages[-1].rows if row.what in ("para", "title")]
        if want_new_page and not last_flow and len(pages) >= 2:
            return tree, pages
        if not want_new_page and last_flow and len(pages) >= 2:
            return tree, pages
    raise AssertionError("no tree found")


def test_block_moves_to_a_new_page_when_it_does_not_fit(style, fonts, g):
    tree, pages = _tight_tree(style, fonts, want_new_page=True)
    doc = make(tree, style, fonts)
    assert len(doc.info.pages) == len(pages)
    last, before = doc.pages[-1], doc.pages[-2]
    assert not [l for l in last.sized(16.0) if l.baseline < g.bottom]          # the block alone
    assert [l.text[:2] for l in last.sized(14.0) if l.baseline < g.bottom][0] == "报："
    assert page_number_line(last, g).text == f"—{len(doc.pages)}—"
    rules = sorted(r["y"] for r in last.rules)
    assert rules[-1] == pytest.approx(g.bottom, abs=0.01)
    # it really did not fit: the body of the page before reaches below the block's top
    body_bottom = before.sized(16.0)[-1].baseline
    assert body_bottom > rules[0]


def test_block_shares_the_last_page_when_it_fits(style, fonts, g):
    tree, pages = _tight_tree(style, fonts, want_new_page=False)
    doc = make(tree, style, fonts)
    last = doc.pages[-1]
    body = [l for l in last.sized(16.0) if l.baseline < g.bottom]
    rules = sorted(r["y"] for r in last.rules)
    assert body and body[-1].baseline + 16 * (1 - EM_ASCENT) < rules[0]


def test_even_page_option(style, fonts, g):
    s2 = dataclasses.replace(style, distribution=dataclasses.replace(style.distribution, even_page=True))
    fits_odd = needs_odd = None
    for k in range(8, 60):
        tree = T.tree(T.short_tree(k, 2))
        plain = lay_out(tree, style, fonts)
        new_page = not [r for _, r in plain[-1].rows if r.what == "para"]
        if len(plain) % 2 == 1 and not new_page and fits_odd is None:
            fits_odd = tree, plain
        if len(plain) % 2 == 1 and new_page and needs_odd is None:
            needs_odd = tree, plain
    assert fits_odd and needs_odd
    # the block fits under the body of an odd last page: it goes alone onto the next, even, page
    tree, plain = fits_odd
    doc = make(tree, s2, fonts)
    assert len(doc.pages) == len(plain) + 1
    assert [l.text[:2] for l in doc.pages[-1].sized(14.0) if l.baseline < g.bottom][0] == "报："
    assert not [l for l in doc.pages[-1].sized(16.0) if l.baseline < g.bottom]
    assert page_number_line(doc.pages[-1], g).text == f"—{len(doc.pages)}—"
    # the block needs a new page, and that page is odd: a blank unnumbered page before it
    tree, plain = needs_odd
    doc = make(tree, s2, fonts)
    assert len(doc.pages) == len(plain) + 1 and len(doc.pages) % 2 == 0
    blank = doc.pages[-2]
    assert blank.lines == [] and blank.rules == []
    assert page_number_line(doc.pages[-1], g).text == f"—{len(doc.pages)}—"


# ---- text, fonts, determinism, errors, speed ------------------------------------------------------------------

@pytest.mark.parametrize("which", ["issue11", "issue8", "long"])
def test_text_comes_back_in_reading_order(request, which, g):
    doc = request.getfixturevalue(which)
    got = "".join(l.text for p in doc.pages for l in p.lines if l.baseline < g.bottom + 1)
    assert got == T.source_text(doc.tree)


def test_text_extraction_with_pdftotext(issue11, tmp_path):
    import shutil

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    path = tmp_path / "x.pdf"
    path.write_bytes(issue11.pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    got = "".join(out.split())
    want = T.source_text(issue11.tree)
    # page numbers interleave; everything else in order
    got = re.sub(r"—\d+—", "", got)
    assert got == want


def test_fonts_embedded_and_no_helvetica(issue11):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(issue11.pdf))
    names = set()
    for page in reader.pages:
        for _, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]).split("+")[-1])
            desc = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in desc, font["/BaseFont"]
    assert not any("Helvetica" in n for n in names)
    assert {"FandolFang-Regular", "FandolHei-Regular", "FandolSong-Bold", "FandolSong-Regular"} <= names
    assert b"Helvetica" not in issue11.pdf


def test_output_is_byte_identical(issue11, style, fonts):
    again, _ = render(issue11.tree, style, fonts)
    assert again == issue11.pdf
    script = (
        "import io, sys; from pathlib import Path\n"
        f"sys.path.insert(0, {str(ROOT / 'src')!r})\n"
        "from jianbao import api\n"
        f"ctx = api.Context.for_root(Path({str(ROOT)!r}))\n"
        f"tree = api.build_tree(Path({str(ROOT / 'issues' / '011.yaml')!r}), ctx)\n"
        f"data = api.write_formats(Path('011.yaml'), tree, api.lay_out(Path({str(ROOT / 'issues' / '011.yaml')!r}), ctx)[1], "
        "ctx, ['pdf'])\n"
        "sys.stdout.buffer.write(data['pdf'])\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True).stdout
    assert out == issue11.pdf


def test_info(issue11, issue8):
    assert len(issue11.info.pages) == len(issue11.pages) == 5
    assert len(issue8.info.pages) == len(issue8.pages)
    assert issue11.info.fallbacks == {}


def test_unknown_element_raises(style, fonts):
    for xml in (f"<bulletin>{T.MASTHEAD}<article><title>标题</title><table/></article></bulletin>",
                "<bulletin><masthead><logo/></masthead></bulletin>",
                f"<bulletin>{T.MASTHEAD}<appendix/></bulletin>",
                f"<bulletin>{T.MASTHEAD}<article><para>正文<b>粗</b></para></article></bulletin>"):
        with pytest.raises(JianbaoError, match="<(table|logo|appendix|b)>"):
            render(T.tree(xml), style, fonts)
    with pytest.raises(JianbaoError, match="root"):
        render(T.tree("<issue/>"), style, fonts)


def test_character_in_no_font_raises(style, fonts):
    tree = T.tree(f"<bulletin>{T.MASTHEAD}<article><title>标题</title><para>𠀀字</para></article></bulletin>")
    with pytest.raises(JianbaoError, match="U\\+20000"):
        render(tree, style, fonts)


def test_speed(issue11, style, fonts):
    best = min(_timed(lambda: render(issue11.tree, style, fonts)) for _ in range(3))
    assert best < 0.6, f"{best:.3f} s for a 5-page issue"


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t
