"""The DOCX breaks body lines where the PDF does (issues 11 and 18): what the plan hands Word beyond the text.

* a zero-width space (U+200B) where the layout breaks and Unicode's line breaking (Word, LibreOffice) has no
  break: after a closing quote or a full-width mark before digits, between a Latin word and a bracket;
* a word joiner (U+2060) where Word would break inside a run the layout keeps whole (B-READY, 2021-2035);
* a line with digits or letters the layout filled to within `docx.tight_slack` (and `docx.percent_slack` for
  each % before a mark) condensed by the difference, a twip a character;
* a line that ended before a pause mark by taking a character down (举|办。) set looser, so that LibreOffice,
  which would hang the mark, does not take the character back.
Measured on the plan, on the DOCX's XML and on the PDF's glyphs (the hints never reach the PDF).
"""
from __future__ import annotations

import io
import zipfile

import pdfplumber
import pytest
from lxml import etree

from jianbao.layout.wordbreaks import WORD_JOINER, ZERO_WIDTH_SPACE, invisible_characters
from test_typography import api_tree_with_para, book, built, style  # noqa: F401  (book, style: fixtures)

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
ZW, WJ = ZERO_WIDTH_SPACE, WORD_JOINER


@pytest.mark.parametrize("text, starts, expected", [
    ("培育“新优质初中”167所", [9], {9: ZW}),              # ”|167: UAX #14 has no break after a quote
    ("示范点、20家", [4], {4: ZW}),                      # 、|20
    ("体系B-READY（BusinessReady）", [9], {4: WJ, 9: ZW}),   # B-|READY joined, READY|（ opened
    ("“儿童之家”示范", [6], {6: ZW}),                      # ”|示: no break around a quote in UAX #14
    ("达标率达到91.93%", [5], {}),                        # 到|91: Word breaks there by itself
    ("规划（2021-2035）和km/h与{%if%}", [], {"规划（2021-2035）和km/h与{%if%}".index(c) + 1: WJ for c in "-/%"}),
    ("一二三四五六七八九十", [5], {}),                      # between ideographs: nothing
    ("项目 B-READY", [3], {5: WJ}),                        # at a space: Word breaks there
])
def test_invisible_characters(text, starts, expected):
    assert invisible_characters(text, starts) == expected


def build(body: str, style, book):
    tree = api_tree_with_para(body)
    laid, out = built(tree, style, book)
    return laid, next(tree.iter("para")), out


def pdf_lines(data: bytes, text: str) -> list[str]:
    """The PDF's lines of the paragraph `text` (spaces left out)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        rows: dict[int, list] = {}
        for c in pdf.pages[0].chars:
            if c["text"].strip():
                rows.setdefault(round(c["bottom"]), []).append(c)
    lines = ["".join(c["text"] for c in sorted(v, key=lambda c: c["x0"])) for _, v in sorted(rows.items())]
    return [line for line in lines if len(line) > 3 and line in text.replace(" ", "")]


def docx_paragraph(data: bytes, text: str):
    doc = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    for p in doc.xpath("//w:body/w:p", namespaces=NS):
        runs = p.xpath("./w:r/w:t/text()", namespaces=NS)
        if "".join(runs).replace(ZW, "").replace(WJ, "") == text:
            return p, "".join(runs)
    raise AssertionError(f"no DOCX paragraph {text!r}")


def test_the_docx_gets_a_break_after_a_quote_and_a_joiner_in_b_ready_the_pdf_neither(style, book):
    text = ("世界银行于2023年推出新的营商环境评价体系B-READY（Business Ready），取代原有评价。计划建立"
            "134个志愿服务试点、2002个“儿童之家”示范点、20家校外公益社会实践基地，持续拓宽供给渠道。")
    laid, para, out = build(text, style, book)
    lines = pdf_lines(out["pdf"], text)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")      # the PDF's text carries no hint
    invisible = laid.plan.invisible[para]
    _, docx_text = docx_paragraph(out["docx"], text)
    assert docx_text.replace(ZW, "").replace(WJ, "") == text
    hyphen = text.index("B-READY") + 2
    assert invisible[hyphen] == WJ and docx_text.count(WJ) == list(invisible.values()).count(WJ)
    # every line end of the PDF between a non-ideograph and what follows is a ZWSP in the DOCX, none elsewhere
    starts, at = [], 0
    flat = text.replace(" ", "")
    for line in lines[:-1]:
        at += len(line.replace(" ", ""))
        starts.append(at)
    assert {k for k, c in invisible.items() if c == ZW} <= {text.index(flat[k:k + 6]) for k in starts}


def test_a_tight_line_is_condensed_in_the_docx_and_the_pdf_is_untouched(style, book):
    # a second line of 28 cells with two digit groups (002's page 5) fills the measure to within a fraction of a point
    text = ("一二三四五六七八九十" * 2 + "一二三四五六" + "长4.6%，税收占比78.1%，收入质量稳步提高。稳妥化解存量债务，"
            "完成年度化债任务123.5%，全县债务风险等级保持在绿色区间。")
    laid, para, out = build(text, style, book)
    size = style.role("para").size
    tight = (style.docx.tight_slack + 2 * style.docx.percent_slack) * size     # two % before a mark on that line
    spacing = laid.plan.spacing.get(para, {})
    condensed = {k: v for k, v in spacing.items() if v < 0}
    lines = pdf_lines(out["pdf"], text)
    assert lines[1].startswith("长4.6%") and lines[1].endswith("存量债")
    assert condensed and all(v < 0 and v * 20 == pytest.approx(round(v * 20)) for v in condensed.values())
    # the condensing, a twip a character, makes up what the line lacks of `tight` (so its characters are condensed,
    # and only that line's)
    line = range(text.index("长4.6%"), text.index("务，完成"))
    assert set(condensed) <= set(line) and 0 < -sum(condensed.values()) <= tight + 0.05
    p, _ = docx_paragraph(out["docx"], text)
    grid = int((style.grid.cell - 16) * 20 // 1)
    vals = [int(s.get(f"{{{NS['w']}}}val")) for s in p.xpath("./w:r/w:rPr/w:spacing", namespaces=NS)]
    assert grid - 1 in vals


def test_a_character_a_pause_mark_took_down_is_not_taken_back(style, book):
    text = "4月23日，全县项目谋划能力提升培训班在县委党校举办。县发展改革委投资股股长作交流发言。"
    laid, para, out = build(text, style, book)
    lines = pdf_lines(out["pdf"], text)
    assert lines[0].endswith("党校举") and lines[1].startswith("办。")
    spacing = laid.plan.spacing[para]
    first_line = range(0, text.index("办"))
    assert set(first_line) <= set(spacing) and all(spacing[k] > 0 for k in first_line)


def test_a_character_that_fits_but_for_its_autospace_is_not_taken_back(style, book):
    """LibreOffice sets no autospace before a line's last ideograph: CPI|指 would become CPI指 there."""
    text = ("县教育局统筹推进城市更新工作，累计22.9‰，依托CPI指标，完成252.64亿元，其中占比27.8‰，较上年提高取得明显"
            "成效。")
    laid, para, out = build(text, style, book)
    lines = pdf_lines(out["pdf"], text)
    assert lines[0].endswith("依托CPI") and lines[1].startswith("指标，")
    spacing = laid.plan.spacing[para]
    second = range(text.index("县教育局"), text.index("指标"))
    assert all(spacing.get(k, 0) > 0 for k in second)
