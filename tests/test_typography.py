"""Typography a reader notices (issue 18): each rule of the layout stage with cases that must and must not apply,
then measured on what the writers produce (the PDF's glyphs with pdfplumber, the DOCX's XML).

Line breaking: a number keeps its unit, a year range is never broken at its dash, no justified line looser than
the style sheet's `body.loosest`, a lone last character taken into the line above (marks squeezed, the DOCX
squeezes the same marks) or a character pulled down, an ambiguous-width mark (‰) as wide as its glyph, title
breaks at phrase boundaries, 版记 lists broken between names. Pagination: a heading never at a page foot with
one line of its text, never one line alone on the last page. The printing line a character in from each edge,
the date on a line of its own when both do not fit. The DOCX: the fallback face named on rare characters, the
title's digits bold, the page break and widow control the layout decided.
"""
from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pdfplumber
import pytest
from lxml import etree

import jianbao
from jianbao import api
from jianbao.layout import lay_out
from jianbao.layout.linebreak import break_text, layout_paragraph
from jianbao.stylesheet import load_stylesheet
from jianbao.writers import writer

REPO = Path(__file__).resolve().parent.parent
LAYOUT = Path(jianbao.__file__).resolve().parent / "templates" / "default" / "layout.yaml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
HAN = "一二三四五六七八九十" * 5


def w(name: str) -> str:
    return f"{{{W}}}{name}"


# ---- line breaking: rules as data, in cells (break_text: CJK 1 cell, Latin/digits half a cell) -----------------

def test_a_number_keeps_its_unit():
    # must: the unit does not fit after 156, and the line has no mark to squeeze: 156 goes down with it
    assert break_text(HAN[:26] + "156项，继续", keep_units=True) == [HAN[:26], "156项，继续"]
    # the line that ends early says so (and by how much a character), for the DOCX to end it there too
    lines = layout_paragraph([(HAN[:26] + "156项，继续", None)], width=28.0, cell=1.0,
                             measure=lambda s, _: 0.5 * len(s), keep_units=True)
    # its slack (2 cells) less half the number Word must not take back (0.75), spread over its 26 characters
    assert lines[0].loosened == (0, 26, pytest.approx(1.25 / 26)) and lines[1].loosened is None
    # must not: without the option the old break stands; a number before a mark or a Latin word is not held
    assert break_text(HAN[:26] + "156项，继续") == [HAN[:26] + "156", "项，继续"]
    assert break_text(HAN[:26] + "15，继续", keep_units=True)[0] == HAN[:26] + "15，"
    assert break_text(HAN[:27] + "A项", keep_units=True) == [HAN[:27] + "A", "项"]


@pytest.mark.parametrize("unit", ["万人", "年度", "个", "所"])
def test_every_unit_or_measure_word_stays(unit):
    for before in range(22, 28):
        lines = break_text(HAN[:before] + "1.86" + unit + "继续工作" * 3, keep_units=True)
        for a, b in zip(lines, lines[1:]):
            assert not (a[-1].isdigit() and b[0] == unit[0]), (a, b)


def test_a_year_range_is_never_broken_and_no_line_is_looser_than_allowed():
    cell = 1.0
    runs = [(HAN[:24] + "（2021-2035）》，加大力度", None)]
    kw = dict(width=28.0, cell=cell, measure=lambda s, _: 0.5 * len(s), first_indent=0.0)
    free = layout_paragraph(runs, **kw)
    capped = layout_paragraph(runs, **kw, max_gap=0.1 * cell)
    assert "".join(b.text for b in free[0].boxes) == HAN[:24]        # the range goes down with its bracket
    steps = [b.x - a.x for a, b in zip(free[0].boxes, free[0].boxes[1:])]
    assert max(steps) > 1.1                                           # justified alone: 4 cells over 23 gaps
    steps = [b.x - a.x for a, b in zip(capped[0].boxes, capped[0].boxes[1:])]
    assert max(steps) <= 1.1 + 1e-9 and capped[0].natural < 28.0      # capped: the line ends short
    # must not: a line with little slack is justified to the edge as before
    tight = layout_paragraph([(HAN[:26] + "12，" + HAN[:10], None)], **kw, max_gap=0.1 * cell)
    assert tight[0].boxes[-1].x + 1.0 == pytest.approx(28.0)


def test_a_lone_last_character_is_pulled_down_or_taken_in():
    # must: a character is pulled down (the line count stays; the line above says it ended early)
    assert break_text(HAN[:28] + "字。", orphans=True) == [HAN[:27], "八字。"]
    lines = layout_paragraph([(HAN[:28] + "字。", None)], width=28.0, cell=1.0, measure=lambda s, _: 0.5 * len(s),
                             orphans=True)
    assert lines[0].loosened == (0, 27, pytest.approx(0.5 / 27))
    # must: what would come down does not fit the last line (a long word, a narrow last line): squeezing two
    # marks in the line above takes 字 in, the paragraph a line shorter
    text = "一二，三四，" + HAN[:11] + "ABCDEFGHIJKLMNOPQRSTUV" + "字。"
    lines = layout_paragraph([(text, None)], width=28.0, cell=1.0, measure=lambda s, _: 0.5 * len(s),
                             rest_indent=20.0, orphans=True)
    assert len(lines) == 1 and lines[0].squeezed == ((5, 0.5), (2, 0.5)) or lines[0].squeezed == ((2, 0.5), (5, 0.5))
    # must not: two characters on the last line, or the option off
    assert break_text(HAN[:28] + "字句。", orphans=True) == [HAN[:28], "字句。"]
    assert break_text("一二，三四，" + HAN[:22] + "字。") == ["一二，三四，" + HAN[:22], "字。"]


def test_an_ambiguous_width_mark_is_as_wide_as_its_glyph():
    def measure(s, _):
        return 1.18 * len(s) if s == "‰" else 0.5 * len(s)

    lines = layout_paragraph([("下降0.93‰、继续", None)], width=28.0, cell=1.0, measure=measure, justify=False)
    boxes = lines[0].boxes
    permille = next(b for b in boxes if b.text == "‰")
    after = boxes[boxes.index(permille) + 1]
    assert permille.width == pytest.approx(1.18) and after.x >= permille.x + 1.18 - 1e-9
    # must not: a full-width mark (“) stays one cell
    lines = layout_paragraph([("“双减”", None)], width=28.0, cell=1.0, measure=lambda s, _: 2.0, justify=False)
    assert [b.width for b in lines[0].boxes] == [1.0, 1.0, 1.0, 1.0]


def title(text: str, width: float = 442.2) -> list[str]:
    lines = layout_paragraph([(text, None)], width=width, cell=22.0, measure=lambda s, _: 11.0 * len(s),
                             justify=False, balance=True, keep_units=True)
    return ["".join(b.text for b in line.boxes) for line in lines]


@pytest.mark.parametrize("text, lines", [
    # never between a number and what follows it
    # never between a quoted term and the word it modifies
    ("县发展改革委“三个一”机制推动重点项目建设提质增效",
     ["县发展改革委“三个一”机制", "推动重点项目建设提质增效"]),
    ("市教育局“能力作风建设年”活动第一阶段工作总结", ["市教育局“能力作风建设年”活动", "第一阶段工作总结"]),
    # a book title modifies the word after it (起草组); a break before a verb phrase (召开) is preferred
    ("《某县“十五五”规划纲要》起草组召开“开门问策”座谈会", ["《某县“十五五”规划纲要》起草组", "召开“开门问策”座谈会"]),
])
def test_title_breaks(text, lines):
    assert title(text) == lines


def test_a_title_never_breaks_between_a_number_and_what_follows():
    for width in (330.0, 385.0, 442.2):
        lines = title("市卫生健康委2023年度绩效管理年终考评自查情况", width)
        assert len(lines) == 2 and all(not line[-1].isdigit() for line in lines)
        assert "2023年度" in "|".join(lines)


def test_title_rules_do_not_fire_where_they_should_not():
    # a short title stays one line; a break after a closing quote before 和 (a join) is still fine
    assert title("县发展改革委工作动态") == ["县发展改革委工作动态"]
    got = title("全面落实“放管服”和“最多跑一次”改革推动营商环境持续优化")
    assert all(line.count("“") == line.count("”") for line in got)


def test_a_distribution_list_breaks_between_names():
    lines = break_text("发：" + "、".join(["各乡镇人民政府", "县直各有关单位", "委机关各股室", "各处室"]),
                       cells=24, break_after="、", balance=True)
    assert len(lines) == 2 and lines[0].endswith("、") and "".join(lines).endswith("各处室")
    assert all(len(line) > 1 for line in lines)
    # a name longer than a line is still cut where it must be
    lines = break_text("发：" + "甲" * 30 + "、乙", cells=24, break_after="、")
    assert "".join(lines) == "发：" + "甲" * 30 + "、乙"
    # must not: other roles break anywhere legal
    assert break_text("发：各乡镇人民政府、县直各有关单位", cells=12)[0] == "发：各乡镇人民政府、县直"


# ---- measured on the outputs ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def style():
    return load_stylesheet(LAYOUT)


@pytest.fixture(scope="module")
def book():
    return api.Context.for_root(REPO).fonts


def built(tree, style, book):
    laid = lay_out(tree, style, book)
    out = {}
    for fmt in ("pdf", "docx"):
        buf = io.BytesIO()
        writer(fmt)(tree, laid, style, buf)
        out[fmt] = buf.getvalue()
    return laid, out


@pytest.fixture(scope="module")
def seed008(style, book):
    return built(api.build_tree(REPO / "issues" / "008.yaml"), style, book)


def pdf_rows(data: bytes):
    """[(page number, [row text])] from the PDF's glyphs, 16 pt and larger (the body and titles)."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            rows = {}
            for c in page.chars:
                if c["size"] > 15 and c["text"].strip():
                    rows.setdefault(round(c["bottom"]), []).append(c)
            out.append((pno, ["".join(c["text"] for c in sorted(v, key=lambda c: c["x0"]))
                              for _, v in sorted(rows.items())]))
    return out


def docx_body(data: bytes):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def test_008_headings_go_over_with_their_text_and_the_docx_breaks_the_page_before_them(seed008):
    laid, out = seed008
    pages = pdf_rows(out["pdf"])
    for pno, rows in pages:
        for k, text in enumerate(rows):
            if text.startswith(("一、", "二、", "三、", "四、", "五、", "六、")):
                assert len(rows) - k - 1 >= 2, (pno, text)        # two lines of its text under it
    moved = [el for el, on in laid.plan.page_break_before.items() if on]
    assert moved, "008 has headings that fell at a page foot"
    doc = docx_body(out["docx"])
    with_break = ["".join(p.xpath("./w:r/w:t/text()", namespaces=NS))
                  for p in doc.xpath("//w:p[w:pPr/w:pageBreakBefore]", namespaces=NS)]
    for el in moved:
        assert "".join(el.itertext()) in with_break
    # must not: no other paragraph breaks the page (the headings with two lines of text under them stay)
    assert len(with_break) == len(moved)


def test_a_lone_last_line_on_the_last_page_takes_a_line_with_it(style, book):
    """Paragraphs of growing length until one ends with a single line on a page of its own: the layout carries
    the line before it over too, and the DOCX asks Word's widow control for that paragraph (and only that one)."""
    seen = False
    for k in range(20, 200):
        tree = api_tree_with_para("一二三四五六七八九十，" * k)
        laid = lay_out(tree, style, book)
        if not any(laid.plan.widow_control.values()):
            continue
        seen = True
        last = [row for _, row in laid.pages[-1].rows if row.what == "para"]
        assert len(last) == 2
        out = io.BytesIO()
        writer("docx")(tree, laid, style, out)
        doc = docx_body(out.getvalue())
        assert len(doc.xpath("//w:p[w:pPr/w:widowControl]", namespaces=NS)) == 1
        # must not: one character more and nothing is carried over
        break
    assert seen, "no paragraph length put a single line on the last page"
    tree = api_tree_with_para("一二三四五六七八九十，" * 20)
    laid = lay_out(tree, style, book)
    assert not any(laid.plan.widow_control.values())
    out = io.BytesIO()
    writer("docx")(tree, laid, style, out)
    assert not docx_body(out.getvalue()).xpath("//w:p[w:pPr/w:widowControl]", namespaces=NS)


def test_008_printing_line_one_character_in_from_each_edge_no_overlap(seed008, style):
    _, out = seed008
    left, right = style.page.left, style.page.left + style.page.text_width
    with pdfplumber.open(io.BytesIO(out["pdf"])) as pdf:
        bottom = style.page.top + style.page.text_height
        chars = [c for c in pdf.pages[-1].chars if c["size"] < 15 and c["text"].strip() and c["top"] < bottom]
    rows = {}
    for c in chars:
        rows.setdefault(round(c["bottom"]), []).append(c)
    printer, date = [sorted(v, key=lambda c: c["x0"]) for _, v in sorted(rows.items())[-2:]]
    # 008's printer is too long to share a line with the date at full size, a character in from each edge
    assert "".join(c["text"] for c in printer) == "郑州市教育局“能力作风建设年”活动领导小组办公室"
    assert "".join(c["text"] for c in date) == "2022年1月30日印发"
    assert printer[0]["x0"] == pytest.approx(left + 14, abs=0.05)
    assert date[-1]["x1"] == pytest.approx(right - 14, abs=0.05)
    for row in (printer, date):
        for a, b in zip(row, row[1:]):
            assert b["x0"] >= a["x1"] - 0.01


def test_a_line_ended_early_is_set_looser_in_the_docx_too(style, book):
    text = "一二，三四，" + "五六七八九十" * 3 + "一二" + "字。"     # 26 + 字。 after a 2-cell indent: a lone 字
    tree = api_tree_with_para(text)
    laid, out = built(tree, style, book)
    para = next(el for el in tree.iter("para"))
    rows = [r for _, rows in pdf_rows(out["pdf"]) for r in rows]
    assert text[:-3] in rows and "二字。" in rows                      # 二 pulled down with 字
    spacing = laid.plan.spacing.get(para)
    assert set(spacing) == set(range(len(text) - 3)) and all(v > 0 for v in spacing.values())
    doc = docx_body(out["docx"])
    p = next(p for p in doc.xpath("//w:body/w:p", namespaces=NS)
             if "".join(p.xpath("./w:r/w:t/text()", namespaces=NS)) == text)
    first = p.findall("w:r", NS)[0]
    grid = int((style.grid.cell - 16) * 20 // 1)
    wider = int(first.find("w:rPr/w:spacing", NS).get(w("val")))
    assert first.findtext("w:t", namespaces=NS) == text[:-3] and grid < wider <= grid + spacing[0] * 20
    assert p.findall("w:r", NS)[-1].find("w:rPr/w:spacing", NS) is None


def api_tree_with_para(text: str, title: str = "关于工作的报告") -> ET.Element:
    return ET.fromstring(
        f'<bulletin number="1" date="2026-01-05" printed="2026-01-05"><masthead><name>简报</name>'
        f'<issue-number>第1期</issue-number><editor>办公室</editor><date>2026年1月5日</date></masthead>'
        f'<article><title>{title}</title><para>{text}</para></article></bulletin>')


def test_rare_name_characters_name_the_fallback_face_and_title_digits_are_bold(style, book):
    tree = api_tree_with_para("张喆、王玥、李堃、赵昇、刘洋同志参加。", title="市卫生健康委2023年度工作总结")
    laid, out = built(tree, style, book)
    doc = docx_body(out["docx"])
    runs = doc.xpath("//w:body/w:p/w:r", namespaces=NS)
    for ch in "喆玥堃昇":
        face = laid.metrics.fallbacks.get(ch)
        if face is None:
            continue                      # the role's own face has it on this machine: nothing to name
        r = next(r for r in runs if r.findtext("w:t", namespaces=NS) and ch in r.findtext("w:t", namespaces=NS))
        fonts = r.find("w:rPr/w:rFonts", NS)
        assert fonts is not None and fonts.get(w("eastAsia")) == face
        assert r.findtext("w:t", namespaces=NS) == ch or all(
            laid.metrics.fallbacks.get(c) == face for c in r.findtext("w:t", namespaces=NS))
    # must not: 张 (in the body face) names no face of its own
    zhang = next(r for r in runs if (r.findtext("w:t", namespaces=NS) or "").startswith("张"))
    assert zhang.find("w:rPr/w:rFonts", NS) is None or zhang.find("w:rPr/w:rFonts", NS).get(w("eastAsia")) is None
    title_p = next(p for p in doc.xpath("//w:body/w:p", namespaces=NS)
                   if "".join(p.xpath("./w:r/w:t/text()", namespaces=NS)).startswith("市卫生健康委"))
    for r in title_p.findall("w:r", NS):
        t = r.findtext("w:t", namespaces=NS) or ""
        bold = r.find("w:rPr/w:b", NS) is not None
        assert bold == t.isdigit(), t        # 2023 bold, the Chinese not (小标宋 is heavy by itself)


# ---- the style sheet's new keys, given wrong -------------------------------------------------------------------

@pytest.mark.parametrize("yaml_text, message", [
    ("roles:\n  recipients: {break_after: 5}\n", "roles.recipients.break_after: 5 is not a string"),
    ("body: {loosest: 0.9}\n", "body.loosest: 0.9 is less than 1"),
    ("body: {keep_units: maybe}\n", "body.keep_units: 'maybe' is not true or false"),
])
def test_wrong_typography_keys_are_clear_errors(tmp_path, yaml_text, message):
    from jianbao.errors import JianbaoError

    path = tmp_path / "layout.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(JianbaoError) as e:
        load_stylesheet(path)
    assert message in str(e.value)


def test_permille_is_drawn_apart_and_named_in_the_chinese_face_in_the_docx(style, book):
    tree = api_tree_with_para("出生率下降0.93‰、同比增长1.5%。")
    laid, out = built(tree, style, book)
    with pdfplumber.open(io.BytesIO(out["pdf"])) as pdf:
        chars = sorted((c for c in pdf.pages[0].chars if c["size"] == 16), key=lambda c: (round(c["top"]), c["x0"]))
    k = next(i for i, c in enumerate(chars) if c["text"] == "‰")
    track = 16 - math.floor(style.grid.cell * 20) / 20            # Word's tracking on the grid (1/20 pt): every glyph
                                                                    # is that much tighter
    assert chars[k + 1]["x0"] >= chars[k]["x1"] - track - 0.01  # 、 after ‰, not over it
    doc = docx_body(out["docx"])
    run = next(r for r in doc.xpath("//w:body/w:p/w:r", namespaces=NS) if r.findtext("w:t", namespaces=NS) == "‰")
    fonts = run.find("w:rPr/w:rFonts", NS)
    face = style.fonts[style.role("para").font][0]
    assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == fonts.get(w("eastAsia")) == face
    # must not: the % sign stays in the Latin face (no run of its own)
    assert not [r for r in doc.xpath("//w:body/w:p/w:r", namespaces=NS) if r.findtext("w:t", namespaces=NS) == "%"]
