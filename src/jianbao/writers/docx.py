"""The DOCX writer: a visitor over the document tree (docs/tree.md) that writes a Word file in the official
layout, every number taken from the style sheet (templates/NAME/layout.yaml).

    write_docx(tree, style, out)

What the file contains, and why (Word, WPS and LibreOffice all have to open it right):

* Named paragraph styles for every role (`Normal` = 正文 and `Title` = 标题 are Word's built-in styles, shown
  under those Chinese names by Chinese Word/WPS; the others carry Chinese names: 一级标题 … 版记, 页码).
  Paragraphs reference styles; direct formatting only for what a style cannot say (emphasis, the fitted size
  of the series line, the last letter of the spaced-out name).
* Fonts as raw `w:rFonts`: `w:eastAsia` = the official face of the role (仿宋_GB2312, 黑体, …),
  `w:ascii`/`w:hAnsi` = the style sheet's Latin face, `w:hint="eastAsia"` so “ ” — … take the Chinese face.
  No theme fonts anywhere (WPS asks for missing fonts otherwise); the font table lists the faces with an
  `altName` (仿宋_GB2312 → 仿宋) and the GB2312 charset.
* The 22 × 28 grid: `w:docGrid w:type="lines" w:linePitch`, exact line spacing of one pitch, and a character
  spacing of (cell − size) rounded down to Word's 1/20 pt (−0.25 pt for 16 pt on a 15.79 pt cell). The Word-native
  `linesAndChars` grid is not used: LibreOffice sets 14 characters a line with it.
* Masthead paragraphs with exact heights off the grid (`w:snapToGrid w:val="0"`); the paragraph after the red
  rule starts on a grid line again. The red rule is the bottom border of the editor/date line.
* Odd/even footers (`w:evenAndOddHeaders`) with `— PAGE —` fields.
* The 版记 (distribution block): a one-column table inside a DrawingML text box anchored to the bottom of the
  margin, in the last body paragraph. LibreOffice drops or inlines floating tables and frames; this is the one
  placement it renders at the page bottom (and moves to a new page when the last page is full).
* Pictures: inline DrawingML (`wp:inline`) in a paragraph of their own, at least their grid lines high, the size and
  bytes the plan gives (the PDF embeds the same); captions in Word's built-in Caption style (题注). Pictures side by
  side: a table without rules, pictures in one row and captions in the next.
* Data tables: real `w:tbl` in the named table style 简报表格 (rules from the style sheet), `w:tblGrid` of the plan's
  column widths, rows at least their grid lines high that never split, the header row repeated (`w:tblHeader`),
  every cell's lines as the plan broke them.
* Deterministic bytes: fixed core properties (dated from the bulletin), zip entries in a fixed order with fixed
  timestamps.
"""
from __future__ import annotations

import copy
import datetime as _dt
import io
import math
import zipfile
from typing import BinaryIO, Callable
from xml.etree import ElementTree as ET

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from ..errors import JianbaoError
from ..i18n import _
from ..layout.plan import Plan
from ..layout.wordbreaks import INVISIBLE
from ..stylesheet import Role, StyleSheet
from ..tree import Run, runs

__all__ = ["prepare", "write"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TABLE_STYLE = ("BulletinTable", "简报表格")     # the data tables' named table style

# Child order of the WordprocessingML elements we build (ECMA-376 part 1; Word rejects other orders).
PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
             "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
             "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
             "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
RPR_ORDER = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
             "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
             "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath").split()

# Characters whose font slot is ambiguous (Latin or East Asian): with w:hint="eastAsia" Word and LibreOffice
# set them in the Chinese face, full width.
def _after_latin(text: str, before: str = ""):
    """`text` in pieces (piece, is a run of marks right after a digit, Latin letter or sign, or after the plan's zero
    width characters). LibreOffice gives a mark that
    Unicode leaves to its neighbours (“ ” ‘ ’ — … ·) the script of the character before it, whatever `w:hint` says:
    after a digit it would set 3” in the Latin face, half a cell wide, and break the line elsewhere than Word and
    the PDF. Such a run names the Chinese face in its Latin slots too (Word, which follows the hint, sets the same)."""
    out: list[tuple[str, bool]] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        # after a digit, letter or sign, or after the plan's invisible characters (LibreOffice takes them for Latin);
        # `before`: the character before `text` (the end of the previous run)
        prev = text[i - 1] if i else before
        if text[i] in AFTER_LATIN and prev and ("!" <= prev <= "~" or prev in INVISIBLE):
            j = i
            while j < n and text[j] in AFTER_LATIN:
                j += 1
            if start < i:
                out.append((text[start:i], False))
            out.append((text[i:j], True))
            start = i = j
            continue
        i += 1
    if start < n:
        out.append((text[start:], False))
    return out


AMBIGUOUS = set("“”‘’—–…·•§°±×÷■□▲△◆◇○●★☆→←↑↓※〃")
# Signs the layout measures and draws in the role's Chinese face (‰ is 1.18 em in FandolFang): the DOCX names that
# face in every slot of their runs, or LibreOffice takes them from the Latin face (1 em) and breaks elsewhere.
OWN_FACE_SIGNS = set("‰")
#: Marks LibreOffice sets in the Latin face after a digit (the script of the character before them): in a run of their
#: own that names the Chinese face in its Latin slots too (`_after_latin`). ‰ and ℃ are Chinese-face signs in Word.
AFTER_LATIN = AMBIGUOUS



# ---------------------------------------------------------------------------------------------------------------
# units and small XML helpers

def twips(pt: float) -> int:
    return int(round(pt * 20))


def emu(pt: float) -> int:
    return int(round(pt * 12700))


def half_points(pt: float) -> int:
    return int(round(pt * 2))


def eighths(pt: float) -> int:
    """Border width in eighths of a point, within what Word accepts (2…96)."""
    return max(2, min(96, int(round(pt * 8))))


def hex_colour(colour: str) -> str:
    return colour.lstrip("#").upper()


def el(tag: str, **attrs) -> ET.Element:
    """`el("w:ind", firstLine=640)` → <w:ind w:firstLine="640"/>; attribute names take the tag's prefix."""
    e = OxmlElement(tag)
    prefix = tag.split(":")[0]
    for k, v in attrs.items():
        if v is None:
            continue
        e.set(qn(f"{prefix}:{k}" if ":" not in k else k), str(v))
    return e


def ordered(parent, children, order) -> ET.Element:
    """Append `children` to `parent` in schema order (by local name)."""
    def key(c):
        local = c.tag.rsplit("}", 1)[-1]
        return order.index(local)
    for c in sorted((c for c in children if c is not None), key=key):
        parent.append(c)
    return parent


def add_ordered(parent, children, order) -> ET.Element:
    """Add `children` to a `parent` that has some already, every child in schema order."""
    kids = list(parent)
    for c in kids:
        parent.remove(c)
    return ordered(parent, kids + list(children), order)


def _ppr(p) -> ET.Element:
    """The paragraph's properties, an empty `w:pPr` put first when it has none yet."""
    pPr = p.find(qn("w:pPr"))
    if pPr is None:
        pPr = el("w:pPr")
        p.insert(0, pPr)
    return pPr


def _joined(lines) -> list:
    """The plan's lines as one list of pieces, None between two lines (a line break)."""
    out = []
    for i, line in enumerate(lines):
        if i:
            out.append(None)
        out.extend(line)
    return out


# ---------------------------------------------------------------------------------------------------------------
# the writer

def write(tree: ET.Element, laid, style: StyleSheet, out: BinaryIO) -> None:
    """The writer's entry (jianbao.writers): the tree, with the laid-out bulletin's plan, as a .docx to `out`."""
    writer = _DocxWriter(style, laid.plan)
    writer.metrics = laid.metrics
    out.write(writer.render(tree))


def prepare(style: StyleSheet) -> None:
    """Make (and keep) the document prepared for `style` before workers are forked: they share it."""
    _DocxWriter(style, None)


class _DocxWriter:
    def __init__(self, style: StyleSheet, plan: Plan | None):
        self.style = style
        self.plan = plan
        page = style.page
        # Page geometry in whole twips; the text width is what is left of the rounded page and margins.
        self.page_w, self.page_h = twips(page.width), twips(page.height)
        self.m_top, self.m_bottom = twips(page.top), twips(page.bottom)
        self.m_left, self.m_right = twips(page.left), twips(page.right)
        self.text_w = self.page_w - self.m_left - self.m_right
        self.pitch_pt = style.grid.pitch
        self.pitch = twips(style.grid.pitch)
        self.body_size = self._role("para").size
        self.date: _dt.date | None = None
        self.drawing_id = 0
        self.metrics = None        # the layout's faces: a character set from a fallback face (张喆的喆) names it
        self._use(self._prepared())

    def _use(self, doc) -> None:
        self.doc = doc
        self.body = doc.element.body
        self.sectPr = self.body.find(qn("w:sectPr"))

    # A document as `_prepare` leaves it depends on the style sheet alone: made once per style sheet and process
    # (python-docx parsing its default template, then the styles, font table, settings and footers: ~25 ms of
    # every DOCX) and deep-copied for each document, which gives the same bytes.
    _PREPARED: dict[int, tuple[StyleSheet, object]] = {}

    def _prepared(self):
        kept = self._PREPARED.get(id(self.style))
        if kept is None or kept[0] is not self.style:
            self._use(docx.Document())
            self._prepare()
            if len(self._PREPARED) >= 16:
                self._PREPARED.clear()
            kept = self._PREPARED[id(self.style)] = (self.style, self.doc)   # (the style kept: its id stays its own)
        return copy.deepcopy(kept[1])

    def _prepare(self) -> None:
        for p in list(self.body):
            if p.tag != qn("w:sectPr"):
                self.body.remove(p)
        self._clean_package()
        self._styles()
        self._fonts()
        self._settings()
        self._section()

    # ---- entry -------------------------------------------------------------------------------------------------
    def render(self, tree: ET.Element) -> bytes:
        """The .docx of `tree`."""
        if tree.tag != "bulletin":
            raise JianbaoError(_("DOCX writer: the document tree must start with <bulletin>, not <{tag}>").format(
                tag=tree.tag))
        self.visit(tree)
        self._core_properties()
        buf = io.BytesIO()
        self.doc.save(buf)
        return _rezip(buf.getvalue(), self.date)

    def visit(self, node: ET.Element) -> None:
        method: Callable | None = getattr(self, "visit_" + node.tag.replace("-", "_"), None)
        if method is None:
            if node.get("line"):
                raise JianbaoError(_("DOCX writer: unknown element <{tag}> (line {line})").format(
                    tag=node.tag, line=node.get("line")))
            raise JianbaoError(_("DOCX writer: unknown element <{tag}>").format(tag=node.tag))
        method(node)

    def visit_children(self, node: ET.Element) -> None:
        for child in node:
            self.visit(child)

    # ---- document structure ----------------------------------------------------------------------------------
    def visit_bulletin(self, node):
        self.visit_children(node)

    def visit_masthead(self, node):
        for child in node:
            if child.tag not in ("marking", "series", "name", "issue-number", "editor", "date"):
                self.visit(child)  # raises for an unknown element
        decided = self.plan.masthead
        paragraphs = []
        for line in decided.lines:
            if line.role == "editor":
                p = self._editor_date(node.find("editor"), node.find("date"))
            elif line.role == "series":
                p = self._series(node.find("series"), line)
            elif line.role == "name":
                p = self._name(node.find("name"), line)
            else:
                p = self._text_para(line.role, node.find(line.role))
            if self.plan.preprinted and self._role(line.role).colour != self.style.colour("black"):
                for run in p.findall(qn("w:r")):       # 套打: the paper has it; the paragraph keeps its place
                    p.remove(run)
            paragraphs.append((p, line))
        if paragraphs:
            self._place_masthead(paragraphs)

    def _place_masthead(self, paragraphs) -> None:
        """Exact line heights and spacing (in twips, off the grid) that put each masthead line's baseline where the
        plan has it, the red rule under the last at the plan's height, and the body on the plan's first grid line.

        LibreOffice sets the baseline of an exact-height line `docx.exact_ascent` of its height under its top (measured:
        within 0.06 pt from 16 to 66 pt). Each line is as tall as the plan's band, or less where the baseline comes
        sooner, and the space before it brings its baseline onto the plan's. Space is only ever put before a
        paragraph: LibreOffice takes the larger of one paragraph's space after and the next one's space before,
        where Word adds them."""
        decided = self.plan.masthead
        ascent = self.style.docx.exact_ascent
        cursor = twips(self.style.page.top)
        last = len(paragraphs) - 1
        for i, (p, line) in enumerate(paragraphs):
            want, height = twips(line.baselines[0]), twips(line.band)
            if want - cursor < round(ascent * height) and len(line.baselines) == 1:
                height = max(twips(line.size), int((want - cursor) / ascent))
            before = max(0, want - cursor - round(ascent * height))
            cursor += before + height * len(line.baselines)
            after = 0
            if i == last:
                bottom = cursor + twips(self._rule(p, decided.rule_y - cursor / 20))
                grid_line = twips(self.style.page.top) + decided.first_row * self.pitch
                after = max(0, grid_line - twips(self.style.docx.masthead_slack) - bottom)
            self._masthead_spacing(p, height, before, after)

    def _blank_lines(self, count: int) -> None:
        """Blank grid lines, as the plan puts them after the contents and between articles."""
        for _ in range(count):
            self._para("para")

    def visit_contents(self, node):
        self.visit_children(node)
        self._blank_lines(self.plan.blank_after.get(node, 0))

    def visit_contents_title(self, node):
        self._text_para("contents-title", node)

    def visit_contents_entry(self, node):
        self._text_para("contents-entry", node)

    def visit_note(self, node):
        p = self._para("note")
        label = 0
        for child in node:
            if child.tag == "note-label":
                self._add_runs(p, runs(child, "note-label"), "note", char_style=self._char_style_id("note-label"))
                label += len("".join(child.itertext()))
        rest = ET.Element("note")
        rest.text = node.text
        for child in node:
            if child.tag != "note-label":
                rest.append(child)
            elif child.tail:
                # text after the label
                if len(rest):
                    rest[-1].tail = (rest[-1].tail or "") + child.tail
                else:
                    rest.text = (rest.text or "") + child.tail
        planned = self.plan and not (node.text or "").strip()
        self._add_runs(p, runs(rest, "note"), "note", spacing=self.plan.spacing.get(node) if planned else None,
                       invisible=self.plan.invisible.get(node) if planned else None, at=label)
        room = self._fallback_room(node, "note")
        if room:
            add_ordered(_ppr(p), room, PPR_ORDER)

    def visit_article(self, node):
        self._blank_lines(self.plan.blank_before.get(node, 0))
        self.visit_children(node)

    def visit_title(self, node):
        self._text_para("title", node)

    def visit_subtitle(self, node):
        self._text_para("subtitle", node)

    def visit_para(self, node):
        self._text_para("para", node)

    def visit_heading(self, node):
        role = f"heading-{node.get('level', '1')}"
        if role not in self.style.roles or self._role(role).word_style is None:
            raise JianbaoError(_("DOCX writer: <heading level='{level}'>: levels 1 to 4 only").format(
                level=node.get("level")))
        self._text_para(role, node)

    def visit_source(self, node):
        self._blank_lines(self.plan.blank_before.get(node, 0))
        self._text_para("source", node)

    def visit_distribution(self, node):
        self._distribution(node)

    # ---- pictures and tables ----------------------------------------------------------------------------------
    def visit_figure(self, node):
        """A picture in a paragraph of its own (inline DrawingML, the plan's size), its caption under it in
        Word's Caption style (题注) with the plan's line breaks. The picture's line is at least its grid lines high
        and off the grid (`snapToGrid` 0): it takes the lines the plan gives it."""
        decided = self.plan.figures[node]
        picture = decided.pictures[0]
        caption = node.find("caption")
        self._picture_para(picture, decided.lines, keep=caption is not None)
        if caption is not None:
            self._text_para("caption", caption)

    def visit_figures(self, node):
        """Pictures side by side: a table without rules, one column each (the plan's widths), the pictures in the
        first row and their captions in the second; neither row splits and the first keeps with the second."""
        decided = self.plan.figures[node]
        widths = self._twips_summing(decided.columns)
        tbl = self._table(widths, style_id=None, margins=0)
        row = self._row(tbl, decided.lines, header=False)
        for picture, w in zip(decided.pictures, widths):
            tc = self._cell(row, w)
            tc.append(self._picture_para(picture, decided.lines, keep=True, attach=False))
        if decided.caption_lines:
            row = self._row(tbl, decided.caption_lines, header=False)
            for fig, w in zip(node, widths):
                tc = self._cell(row, w)
                caption = fig.find("caption")
                if caption is not None:
                    tc.append(self._detached(lambda: self._text_para("caption", caption)))
                else:
                    tc.append(self._detached(lambda: self._para("caption")))
        self.sectPr.addprevious(tbl)

    def visit_table(self, node):
        """A real Word table in the named table style: the plan's column widths (`w:tblGrid`), rows of their grid
        lines that never split, the header row repeated on every page (`w:tblHeader`), each cell's
        lines as the plan broke them."""
        decided = self.plan.tables[node]
        title, note = node.find("table-title"), node.find("table-note")
        if title is not None:
            self._text_para("table-title", title)
        widths = self._twips_summing(decided.widths)
        tbl = self._table(widths, style_id=TABLE_STYLE[0], margins=twips(decided.padding))
        slack = twips(self.style.docx.table_slack)     # LibreOffice starts a table a point under its grid line
        for tr, lines in zip(node.findall("tr"), decided.rows):
            head = tr[0].tag == "th"
            row = self._row(tbl, lines, header=head, exact=True, slack=slack)
            slack = 0
            for i, (cell, w) in enumerate(zip(tr, widths)):
                tc = self._cell(row, w)
                add_ordered(tc.find(qn("w:tcPr")), [el("w:vAlign", val="center")], ("tcW", "vAlign"))
                role = "table-header" if head else "table-cell"
                p = self._detached(lambda: self._text_para(role, cell))
                if not head:
                    add_ordered(p.find(qn("w:pPr")), [self._jc_of(decided.aligns[i])], PPR_ORDER)
                if head or (note is not None and tr is node.findall("tr")[-1]):
                    add_ordered(p.find(qn("w:pPr")), [el("w:keepNext")], PPR_ORDER)
                tc.append(p)
        self.sectPr.addprevious(tbl)
        if note is not None:
            self._text_para("table-note", note)

    def _jc_of(self, align: str) -> ET.Element:
        return el("w:jc", val={"left": "left", "center": "center", "right": "right"}.get(align, "center"))

    def _detached(self, make) -> ET.Element:
        """A paragraph made by `make` (which adds it to the body), taken out of the body for a table cell."""
        p = make()
        p.getparent().remove(p)
        _ppr(p)
        return p

    def _twips_summing(self, widths_pt) -> list[int]:
        """Widths in twips that add up to the text width exactly (the last takes the rounding)."""
        out = [twips(w) for w in widths_pt]
        out[-1] += self.text_w - sum(out)
        return out

    def _table(self, widths: list[int], style_id: str | None, margins: int) -> ET.Element:
        tbl = el("w:tbl")
        tblPr = el("w:tblPr")
        kids = []
        if style_id:
            kids.append(el("w:tblStyle", val=style_id))
        kids += [el("w:tblW", w=self.text_w, type="dxa"), el("w:jc", val="center"), el("w:tblInd", w=0, type="dxa")]
        if style_id is None:
            borders = el("w:tblBorders")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
                borders.append(el(f"w:{side}", val="nil"))
            kids.append(borders)
        kids.append(el("w:tblLayout", type="fixed"))
        cellmar = el("w:tblCellMar")
        for side, w in (("top", 0), ("left", margins), ("bottom", 0), ("right", margins)):
            cellmar.append(el(f"w:{side}", w=w, type="dxa"))
        kids.append(cellmar)
        # the header row's look and no banding, as the one bit mask every Office version reads (0x0020 firstRow,
        # 0x0200 noHBand, 0x0400 noVBand): Office 2007's schema has no firstRow… attributes
        kids.append(el("w:tblLook", val="0620" if style_id else "0600"))
        for k in kids:
            tblPr.append(k)
        tbl.append(tblPr)
        grid = el("w:tblGrid")
        for w in widths:
            grid.append(el("w:gridCol", w=w))
        tbl.append(grid)
        return tbl

    def _row(self, tbl, lines: int, header: bool, exact: bool = False, slack: int = 0) -> ET.Element:
        """A row `lines` grid lines high (less `slack` twips): at least (pictures), or exactly (a ruled table row:
        Word's and LibreOffice's cells then hold the plan's lines and no more)."""
        tr = el("w:tr")
        trPr = el("w:trPr")
        trPr.append(el("w:cantSplit"))
        trPr.append(el("w:trHeight", val=lines * self.pitch - slack, hRule="exact" if exact else "atLeast"))
        if header:
            trPr.append(el("w:tblHeader"))
        tr.append(trPr)
        tbl.append(tr)
        return tr

    def _cell(self, tr, width: int) -> ET.Element:
        tc = el("w:tc")
        tcPr = el("w:tcPr")
        tcPr.append(el("w:tcW", w=width, type="dxa"))
        tc.append(tcPr)
        tr.append(tc)
        return tc

    def _picture_para(self, picture, lines: int, keep: bool, attach: bool = True) -> ET.Element:
        """A paragraph holding `picture` inline, at least `lines` grid lines high."""
        rid, _ = self.doc.part.get_or_add_image(io.BytesIO(picture.data))
        self.drawing_id += 1
        cx, cy = emu(picture.width), emu(picture.height)
        name = _attr(picture.source)
        drawing = parse_xml(
            f'<w:drawing xmlns:w="{W_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" xmlns:pic="{PIC_NS}" xmlns:r="{R_NS}">'
            '<wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{self.drawing_id}" name="图片 {self.drawing_id}" descr="{name}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f'<a:graphic><a:graphicData uri="{PIC_NS}"><pic:pic>'
            f'<pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>')
        p = self._para("picture")
        pPr = p.find(qn("w:pPr"))
        kids = [el("w:snapToGrid", val=0), el("w:spacing", before=0, after=0, line=lines * self.pitch,
                                                lineRule="atLeast")]
        if keep:
            kids.append(el("w:keepNext"))
        add_ordered(pPr, kids, PPR_ORDER)
        r = el("w:r")
        rpr = el("w:rPr")
        rpr.append(el("w:noProof"))
        r.append(rpr)
        r.append(drawing)
        p.append(r)
        if not attach:
            p.getparent().remove(p)
        return p

    # ---- paragraphs ------------------------------------------------------------------------------------------
    def _role(self, name: str) -> Role:
        return self.style.role(name)

    def _style_id(self, role: str) -> str:
        return self._role(role).word_style[0]

    def _char_style_id(self, role: str) -> str | None:
        """The character style of a run of `role` inside a paragraph of another role (None: none)."""
        role = self.style.roles.get(role)
        return role.word_char_style[0] if role is not None and role.word_char_style else None

    def _para(self, role: str, style_id: str | None = None) -> ET.Element:
        p = el("w:p")
        pPr = el("w:pPr")
        sid = style_id or self._style_id(role)
        if sid != "Normal":
            pPr.append(el("w:pStyle", val=sid))
            p.append(pPr)
        self.sectPr.addprevious(p)
        return p

    def _text_para(self, role: str, node: ET.Element) -> ET.Element:
        """A paragraph of `role`: the plan's forced line breaks (balanced roles) and keep-with-next."""
        p = self._para(role)
        lines = self.plan.breaks.get(node) if self.plan else None
        if lines is None:
            pieces = list(runs(node, role))
        else:
            pieces = [Run("\n", role, False) if piece is None else Run(piece.text, piece.role, piece.emphasis)
                      for piece in _joined(lines)]
        planned = self.plan and lines is None
        self._add_runs(p, pieces, role, spacing=self.plan.spacing.get(node) if planned else None,
                       invisible=self.plan.invisible.get(node) if planned else None)
        keep = self.plan.keep_next.get(node) if self.plan else None
        kids = [] if lines is not None else self._fallback_room(node, role)
        if keep is not None and keep != self._role(role).keep_next:
            kids.append(el("w:keepNext", val=None if keep else 0))
        if self.plan and self.plan.page_break_before.get(node):
            kids.append(el("w:pageBreakBefore"))     # the layout moved this heading over with its text
        if self.plan and self.plan.widow_control.get(node):
            kids.append(el("w:widowControl"))        # the layout carried two lines over to the last page
        if kids:
            add_ordered(_ppr(p), kids, PPR_ORDER)
        return p

    def _add_runs(self, p, pieces, para_role: str, char_style: str | None = None,
                  spacing: dict[int, float] | None = None, invisible: dict[int, str] | None = None,
                  at: int = 0) -> None:
        """Runs for (text, role, emphasis) pieces; `spacing` (the plan's, pt by character offset in the paragraph,
        the first piece at `at`): characters set wider or narrower, as the layout decided, so that Word ends the
        lines where the PDF does; `invisible` (the plan's, by offset): a break opportunity or a joiner put before
        a character (layout/wordbreaks.py)."""
        before = ""                     # the last character written, for `_after_latin` across runs
        for text, role, emphasis in pieces:
            cs = char_style
            if cs is None and role != para_role:
                cs = self._char_style_id(role)
            latin_bold = self._role(role).latin_bold if role in self.style.roles else False
            key = self._role(role).font
            fallbacks = _Fallbacks(self.metrics, key, self.style.fonts[key][0]) if self.metrics else {}
            for seg, east_asia, latin, delta in _by_face(text, fallbacks, latin_bold, spacing, at, invisible):
                if isinstance(east_asia, tuple):      # a sign set in the role's own face in every slot (‰)
                    face = east_asia[1]
                    extra = (el("w:rFonts", ascii=face, eastAsia=face, hAnsi=face, hint="eastAsia"),)
                else:
                    extra = (el("w:rFonts", eastAsia=east_asia, hint="eastAsia"),) if east_asia else ()
                if delta:
                    # narrower: at least the PDF's squeeze; wider: at most the PDF's (whole twips either way)
                    tracking = self._char_spacing(self._role(role)) + math.floor(delta * 20 + 1e-6)
                    extra += (el("w:spacing", val=tracking),)
                for part, after_latin in _after_latin(seg, before):
                    self._run(p, part, char_style=cs, bold=emphasis or latin, extra_rpr=extra,
                              mark_face=self.style.fonts[key][0] if after_latin else None)
                before = seg[-1:] or before
            at += len(text)

    def _run(self, p, text: str, char_style: str | None = None, bold: bool = False, extra_rpr=(),
             mark_face: str | None = None) -> None:
        """Append runs for `text` to paragraph `p` ("\\n" becomes a line break). `mark_face`: the run's Latin slots
        name this (Chinese) face too (see `_after_latin`)."""
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                r = el("w:r")
                rpr = self._rpr(char_style, bold, "", extra_rpr)
                if rpr is not None:
                    r.append(rpr)
                r.append(el("w:br"))
                p.append(r)
            if not part:
                continue
            r = el("w:r")
            rpr = self._rpr(char_style, bold, part, extra_rpr, mark_face)
            if rpr is not None:
                r.append(rpr)
            t = el("w:t")
            t.text = part
            if part != part.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
            p.append(r)

    def _rpr(self, char_style, bold, text, extra=(), mark_face=None):
        children = [copy.deepcopy(e) for e in extra]   # fresh elements: one extra_rpr may serve several runs
        if char_style:
            children.append(el("w:rStyle", val=char_style))
        rfonts = next((e for e in children if e.tag == qn("w:rFonts")), None)
        if mark_face:
            if rfonts is None:
                children.append(el("w:rFonts", ascii=mark_face, hAnsi=mark_face, hint="eastAsia"))
            else:                                      # a face named already (a fallback's): its Latin slots too
                for slot in ("ascii", "hAnsi"):
                    rfonts.set(qn(f"w:{slot}"), mark_face)
                rfonts.set(qn("w:hint"), "eastAsia")
        elif rfonts is None and any(ch in AMBIGUOUS for ch in text):
            children.append(el("w:rFonts", hint="eastAsia"))
        if bold:
            children += [el("w:b"), el("w:bCs")]
        if not children:
            return None
        return ordered(el("w:rPr"), children, RPR_ORDER)

    # ---- masthead ---------------------------------------------------------------------------------------------
    def _masthead_spacing(self, p, height: int, before: int, after: int) -> None:
        """Exact line height and spacing (all in twips), off the grid."""
        pPr = _ppr(p)
        for tag in ("w:snapToGrid", "w:spacing"):
            old = pPr.find(qn(tag))
            if old is not None:
                pPr.remove(old)
        add_ordered(pPr, [el("w:snapToGrid", val=0),
                          el("w:spacing", before=before, after=after, line=height, lineRule="exact")], PPR_ORDER)

    def _series(self, node, line) -> ET.Element:
        """The series line at the plan's size, in the plan's lines (a long one takes two)."""
        role = self._role("series")
        p = self._para("series")
        size = line.size
        extra = () if size == role.size else (el("w:sz", val=half_points(size)), el("w:szCs", val=half_points(size)))
        for i, text in enumerate(line.lines or ["".join(node.itertext())]):
            if i:
                r = el("w:r")
                r.append(el("w:br"))
                p.append(r)
            self._run(p, text, extra_rpr=extra)
        return p

    def _name(self, node, line) -> ET.Element:
        """The big name at the plan's size and letter spacing; the last letter carries no spacing so that the
        name stays centred."""
        p = self._para("name")
        text = "".join(node.itertext()).strip()
        role = self._role("name")
        size, spacing = line.size, line.spacing
        gaps = max(0, len(text) - 1)
        extra = [] if size == role.size else [el("w:sz", val=half_points(size)), el("w:szCs", val=half_points(size))]
        if spacing and gaps:
            if spacing != role.spacing:
                extra.append(el("w:spacing", val=twips(spacing)))
            self._run(p, text[:-1], extra_rpr=tuple(extra))
            self._run(p, text[-1], extra_rpr=tuple(e for e in extra if e.tag != qn("w:spacing")) +
                      (el("w:spacing", val=0),))
        else:
            if role.spacing:
                extra.append(el("w:spacing", val=0))
            self._run(p, text, extra_rpr=tuple(extra))
        return p

    def _editor_date(self, editor, date) -> ET.Element:
        p = self._para("editor")
        if editor is not None:
            self._add_runs(p, runs(editor, "editor"), "editor")
        if date is not None:
            r = el("w:r")
            r.append(el("w:tab"))
            p.append(r)
            self._add_runs(p, runs(date, "date"), "date", char_style=self._char_style_id("date"))
        return p

    def _rule(self, p, centre: float) -> float:
        """The red rule as the bottom border of `p`, its centre line `centre` pt under the paragraph's last line
        box (LibreOffice draws a bottom border `space` whole points under it); returns the height (pt) it adds."""
        rule = self.style.masthead.rule
        colour, width = hex_colour(rule.colour), rule.width
        space = max(0, min(31, int(round(centre - width / 2))))
        if rule.double:
            # Word and LibreOffice draw a thick-thin border with w:sz as the thick line's width and a fixed
            # thin line and gap; the thin width and gap of the style sheet only enter the height.
            border = el("w:bottom", val="thickThinSmallGap", sz=eighths(width), space=space, color=colour)
            extent = space + width + rule.thin_gap + rule.thin_width
        else:
            border = el("w:bottom", val="single", sz=eighths(width), space=space, color=colour)
            extent = space + width
        if self.plan.preprinted and rule.colour != self.style.colour("black"):
            return extent                              # 套打: printed on the paper; its room is kept
        pbdr = el("w:pBdr")
        pbdr.append(border)
        add_ordered(p.find(qn("w:pPr")), [pbdr], PPR_ORDER)
        return extent

    # ---- distribution block (版记) ----------------------------------------------------------------------------
    def _distribution(self, node) -> None:
        """The 版记 as the plan has it: each recipients paragraph in the plan's lines (forced breaks, wrapped lines
        hanging under the first recipient), the print run on the last of them or on its own line, the printing
        line on one line or two as the plan says, in a table of exact row heights in a text box."""
        for child in node:
            if child.tag not in ("recipients", "printing", "copies"):
                self.visit(child)  # unknown → raises
            if child.tag == "printing":
                for c in child:
                    if c.tag not in ("printer", "printed"):
                        raise JianbaoError(_("DOCX writer: unknown element <{tag}> in <{parent}>").format(
                            tag=c.tag, parent="printing"))
        decided = self.plan.distribution
        if decided is None or not (decided.lines_above or decided.lines_below):
            return
        dist = self.style.distribution
        line = twips(dist.pitch)
        tighter = 0                 # twips a line: a flowing 版记 with less room above it than docx.flow_slack
        if dist.docx_flow and not decided.new_pages:
            short = self.style.docx.flow_slack - decided.gap
            if short > 0:
                tighter = math.ceil(twips(short) / (decided.lines_above + decided.lines_below))
                line -= tighter
        rec_role, prn_role = self._role("recipients"), self._role("printing")
        rows = []  # (list of paragraphs, number of lines)

        # recipients: one paragraph per label, the plan's lines; Word may set a line a little wider than the plan
        # (`docx.recipients_slack`) before it wraps it again, which would cut a line off the box
        rec_ps = []
        slack = self.style.docx.recipients_slack * rec_role.size
        for r in decided.recipients:
            p = el("w:p")
            pPr = el("w:pPr")
            hang = twips(r.hang)
            ordered(pPr, [el("w:pStyle", val=self._style_id("recipients")),
                          el("w:ind", left=twips(rec_role.margin_left) + hang, right=twips(rec_role.margin_right - slack),
                             hanging=hang)], PPR_ORDER)
            p.append(pPr)
            self._add_runs(p, [Run("\n", "recipients", False) if piece is None else
                               Run(piece.text, piece.role, piece.emphasis) for piece in _joined(r.lines)], "recipients")
            rec_ps.append(p)
        if decided.copies is not None:
            if decided.copies_joined and rec_ps:
                last = rec_ps[-1]
                tabs = el("w:tabs")
                tabs.append(el("w:tab", val="right", pos=self.text_w - twips(prn_role.margin_right)))
                add_ordered(last.find(qn("w:pPr")), [tabs], PPR_ORDER)
                r = el("w:r")
                r.append(el("w:tab"))
                last.append(r)
                self._add_runs(last, runs(decided.copies, "printing"), "recipients")
            else:
                rec_ps.append(self._block_para("printing", decided.copies, "right"))
        if rec_ps:
            rows.append((rec_ps, decided.lines_above))

        # the printing line: printer left, date right, a character in from each edge, on one line or two
        printing = node.find("printing")
        decided_printing = decided.printing
        prn_ps = []
        if printing is not None and decided_printing is not None:
            printer, printed = printing.find("printer"), printing.find("printed")
            if decided_printing.one_line:
                left, right = decided_printing.inset_left, decided_printing.inset_right
                p = el("w:p")
                pPr = el("w:pPr")
                tabs = el("w:tabs")
                tabs.append(el("w:tab", val="right", pos=self.text_w - twips(right)))
                kids = [el("w:pStyle", val=self._style_id("printing")), tabs]
                if (left, right) != (prn_role.margin_left, prn_role.margin_right):
                    kids.append(el("w:ind", leftChars=0, left=twips(left), rightChars=0, right=twips(right)))
                ordered(pPr, kids, PPR_ORDER)
                p.append(pPr)
                self._add_runs(p, runs(printer, "printing"), "printing")
                r = el("w:r")
                r.append(el("w:tab"))
                p.append(r)
                self._add_runs(p, runs(printed, "printing"), "printing")
                prn_ps.append(p)
            else:
                for part, align in ((printer, None), (printed, "right")):
                    if part is not None:
                        prn_ps.append(self._block_para("printing", part, align))
        if prn_ps:
            rows.append((prn_ps, decided.lines_below))

        # the table: rules above, between the two rows and under; no vertical rules
        outer, inner = eighths(dist.rule_outer), eighths(dist.rule_inner)
        tbl = el("w:tbl")
        tblPr = el("w:tblPr")
        borders = el("w:tblBorders")
        for side, sz in (("top", outer), ("left", None), ("bottom", outer), ("right", None),
                         ("insideH", inner), ("insideV", None)):
            if sz is None:
                borders.append(el(f"w:{side}", val="nil"))
            else:
                borders.append(el(f"w:{side}", val="single", sz=sz, space=0, color="000000"))
        cellmar = el("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            cellmar.append(el(f"w:{side}", w=0, type="dxa"))
        for c in (el("w:tblW", w=self.text_w, type="dxa"), el("w:jc", val="center"), el("w:tblInd", w=0, type="dxa"),
                  borders, el("w:tblLayout", type="fixed"), cellmar,
                  # no conditional formatting, no banding, as the one bit mask Office 2007's schema knows (0x0200
                  # noHBand | 0x0400 noVBand); the firstRow… attributes of 2010 are errors there
                  el("w:tblLook", val="0600")):
            tblPr.append(c)
        tbl.append(tblPr)
        grid = el("w:tblGrid")
        grid.append(el("w:gridCol", w=self.text_w))
        tbl.append(grid)
        height = 0
        for ps, n in rows:
            for p in ps if tighter else ():       # the rows' lines as much tighter as the rows
                add_ordered(p.find(qn("w:pPr")), [el("w:spacing", before=0, after=0, line=line, lineRule="exact")],
                            PPR_ORDER)
            tr = el("w:tr")
            trPr = el("w:trPr")
            trPr.append(el("w:cantSplit"))
            trPr.append(el("w:trHeight", val=n * line, hRule="exact"))
            tr.append(trPr)
            tc = el("w:tc")
            tcPr = el("w:tcPr")
            tcPr.append(el("w:tcW", w=self.text_w, type="dxa"))
            tc.append(tcPr)
            for p in ps:
                tc.append(p)
            tr.append(tc)
            tbl.append(tr)
            height += n * line
        if dist.docx_flow:
            self._in_flow(tbl, decided)
        else:
            # the text box goes to the next page by itself when it does not fit under the body, as the layout does;
            # an even page's breaks are the plan's
            self._text_box(tbl, height, decided.new_pages if dist.even_page else 0)

    def _in_flow(self, tbl, decided) -> None:
        """The 版记's table in the text flow (`distribution.docx_flow`): under an exact-height spacer that takes the
        room the plan left between the body and the block, less `docx.flow_slack` (a page break before it when the
        block has a page of its own), so that the table ends at the bottom margin as long as Word paginates the body
        as the PDF does. With less room than that above it, the table's lines are set that much tighter."""
        self._tiny_para(max(twips(decided.gap - self.style.docx.flow_slack), 1), decided.new_pages, keep_next=True)
        self.sectPr.addprevious(tbl)
        self._tiny_para(1)          # the paragraph a table must be followed by

    def _tiny_para(self, height: int, breaks: int = 0, keep_next: bool | None = None) -> ET.Element:
        """An empty paragraph `height` twips high, off the line grid, in 1 pt type (the 版记's anchor, spacer and
        tail), after `breaks` page breaks (an empty paragraph for each but the last: the blank page before an
        even-page 版记). `keep_next`: its w:keepNext, left to the style when None."""
        for _k in range(breaks - 1):
            blank = self._para("recipients")
            add_ordered(blank.find(qn("w:pPr")), [el("w:pageBreakBefore")], PPR_ORDER)
        p = self._para("recipients")
        rPr = el("w:rPr")
        rPr.append(el("w:sz", val=2))
        rPr.append(el("w:szCs", val=2))
        kids = [el("w:snapToGrid", val=0), el("w:spacing", before=0, after=0, line=height, lineRule="exact"),
                el("w:ind", leftChars=0, left=0, rightChars=0, right=0, firstLineChars=0, firstLine=0), rPr]
        if keep_next is not None:
            kids.append(el("w:keepNext", val=None if keep_next else 0))
        if breaks:
            kids.append(el("w:pageBreakBefore"))
        add_ordered(p.find(qn("w:pPr")), kids, PPR_ORDER)
        return p

    def _block_para(self, role: str, node, align: str | None) -> ET.Element:
        p = el("w:p")
        pPr = el("w:pPr")
        kids = [el("w:pStyle", val=self._style_id(role))]
        if align:
            kids.append(el("w:jc", val=align))
        ordered(pPr, kids, PPR_ORDER)
        p.append(pPr)
        self._add_runs(p, runs(node, role), role)
        return p

    def _text_box(self, tbl, height_twips: int, breaks: int) -> None:
        """Put `tbl` in a text box anchored to the bottom of the margin, in a paragraph of its own after `breaks`
        page breaks."""
        self.drawing_id += 1
        cx, cy = self.text_w * 635, height_twips * 635
        xml = (
            f'<w:drawing xmlns:w="{W_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" xmlns:wps="{WPS_NS}">'
            '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" '
            'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">'
            '<wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
            '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:wrapTopAndBottom/><wp:docPr id="{self.drawing_id}" name="版记"/>'
            '<wp:cNvGraphicFramePr/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvSpPr txBox="1"/>'
            f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
            '<wps:txbx><w:txbxContent/></wps:txbx>'
            '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" '
            'anchorCtr="0"><a:noAutofit/></wps:bodyPr>'
            '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
        )
        drawing = parse_xml(xml)
        content = drawing.find(".//" + qn("w:txbxContent"))
        content.append(tbl)
        # a table must be followed by a paragraph; keep it one point high so it adds nothing
        tail = el("w:p")
        pPr = el("w:pPr")
        ordered(pPr, [el("w:pStyle", val=self._style_id("recipients")),
                      el("w:spacing", before=0, after=0, line=20, lineRule="exact")], PPR_ORDER)
        rPr = el("w:rPr")
        rPr.append(el("w:sz", val=2))
        pPr.append(rPr)
        tail.append(pPr)
        content.append(tail)
        # As Word writes it: the DrawingML box for Word 2010+/WPS/LibreOffice, a VML copy for older readers.
        w_pt, h_pt = self.text_w / 20, height_twips / 20
        vml = parse_xml(
            f'<w:pict xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w10="urn:schemas-microsoft-com:office:word">'
            f'<v:rect id="版记{self.drawing_id}" o:spid="_x0000_s{1025 + self.drawing_id}" filled="f" stroked="f" '
            f'style="position:absolute;margin-left:0;margin-top:0;width:{w_pt:g}pt;height:{h_pt:g}pt;'
            'z-index:251659264;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
            'mso-position-vertical:bottom;mso-position-vertical-relative:margin">'
            '<v:textbox inset="0,0,0,0"><w:txbxContent/></v:textbox>'
            '<w10:wrap type="topAndBottom" anchorx="margin" anchory="margin"/></v:rect></w:pict>')
        vml_content = vml.find(".//" + qn("w:txbxContent"))
        for child in content:
            vml_content.append(copy.deepcopy(child))
        run = el("w:r")
        rpr = el("w:rPr")
        rpr.append(el("w:noProof"))
        run.append(rpr)
        alt = parse_xml(f'<mc:AlternateContent xmlns:mc="{MC_NS}" xmlns:wps="{WPS_NS}">'
                        '<mc:Choice Requires="wps"/><mc:Fallback/></mc:AlternateContent>')
        alt[0].append(drawing)
        alt[1].append(vml)
        run.append(alt)
        # The anchor: a paragraph of its own after the body, one twip high, so that it takes no line of the
        # grid. When the block does not fit under the body, the text box pushes this paragraph (and so itself) to
        # the bottom of a new page; anchored in the last body paragraph instead, LibreOffice moved that whole
        # paragraph along and left a gap on the previous page.
        self._tiny_para(1, breaks, keep_next=False).append(run)

    # ---- styles --------------------------------------------------------------------------------------------------
    def _char_spacing(self, role: Role) -> int:
        """Character spacing in twips: the role's own spacing, else (cell − size) for text on the body grid."""
        if role.spacing:
            return twips(role.spacing)
        if abs(role.size - self.body_size) < 1e-6:
            return math.floor((self.style.grid.cell - role.size) * 20 + 1e-6)
        return 0

    def _rfonts(self, role: Role) -> ET.Element:
        face = self.style.fonts[role.font][0]
        latin = self.style.latin
        return el("w:rFonts", ascii=latin, eastAsia=face, hAnsi=latin, cs=latin, hint="eastAsia")

    def _style_rpr(self, role: Role, spacing: bool = True) -> ET.Element:
        kids = [self._rfonts(role)]
        if role.bold:
            kids += [el("w:b"), el("w:bCs")]
        if role.colour.upper() != "#000000":
            kids.append(el("w:color", val=hex_colour(role.colour)))
        if spacing:
            kids.append(el("w:spacing", val=self._char_spacing(role)))
        kids += [el("w:sz", val=half_points(role.size)), el("w:szCs", val=half_points(role.size))]
        return ordered(el("w:rPr"), kids, RPR_ORDER)

    def _fallback_room(self, node, role_name: str) -> list:
        """[w:ind] with `docx.fallback_slack` more room on the right for a paragraph holding characters of a fallback
        face (李堃), else []: LibreOffice sets each switch to the named fallback face a little wider than the
        glyphs' advances, and would wrap a full line a character early."""
        if self.metrics is None:
            return []
        role = self._role(role_name)
        key = role.font
        if not any(not ch.isascii() and self.metrics.fallback_family(key, ch) for ch in "".join(node.itertext())):
            return []
        ind = self._ind(role)
        ind.set(qn("w:right"), str(int(ind.get(qn("w:right"))) - twips(self.style.docx.fallback_slack * role.size)))
        return [ind]

    def _ind(self, role: Role) -> ET.Element:
        """The role's indents as Word's: wrapped lines at margin_left + hang, the first line `indent` in from
        margin_left (a first-line or a hanging indent relative to the wrapped lines). The first-line indent in
        characters (…Chars: Word's dialog shows "2 字符"); the sides in twips of grid cells, as the PDF sets
        them: Word and LibreOffice count a "character" as the font size (16 pt), not the 15.75 pt cell, and a
        note 2 + 2 characters in would lose a character a line."""
        size = role.size
        cells = (size + (0 if role.spacing else self._char_spacing(role) / 20)) / size if size else 1.0
        left = role.margin_left + role.hang
        first = role.indent - role.hang
        attrs = {"left": twips(left * cells), "right": twips(role.margin_right * cells)}
        if first < 0:
            attrs["hangingChars"] = int(round(-first / size * 100))
            attrs["hanging"] = twips(-first)
        else:
            attrs["firstLineChars"] = int(round(first / size * 100))
            attrs["firstLine"] = twips(first)
        return el("w:ind", **attrs)

    def _jc(self, role: Role) -> ET.Element:
        return el("w:jc", val={"left": "left", "center": "center", "right": "right", "justify": "both"}
                  .get(role.align, "left"))

    def _para_style(self, role_name: str, sid: str, name: str, *, based_on: str | None = "Normal",
                    extra_ppr=(), custom=True) -> ET.Element:
        role = self._role(role_name)
        s = el("w:style", type="paragraph", styleId=sid)
        if sid == "Normal":
            s.set(qn("w:default"), "1")
        elif custom:
            s.set(qn("w:customStyle"), "1")
        s.append(el("w:name", val=name))
        if based_on and sid != based_on:
            s.append(el("w:basedOn", val=based_on))
        s.append(el("w:next", val="Normal"))
        s.append(el("w:qFormat"))
        kids = list(extra_ppr)
        if role.keep_next:
            kids += [el("w:keepNext"), el("w:keepLines")]
        if sid == "Normal":
            kids.append(el("w:widowControl", val=0))
            if not self.style.body.hanging_punctuation:
                # Word's default hangs a line-end pause mark in the margin; the style sheet turned that off. Word
                # reads 0 as "do not hang", LibreOffice reads the value inverted (docx.overflow_punct_for_libreoffice)
                kids.append(el("w:overflowPunct", val=int(self.style.docx.overflow_punct_for_libreoffice)))
            if not self.style.body.autospace:
                # the PDF puts no space between Chinese and digits/Latin: ask Word not to either
                # (LibreOffice 7.4 ignores this and always adds a fifth of an em)
                kids += [el("w:autoSpaceDE", val=0), el("w:autoSpaceDN", val=0)]
        kids += [el("w:spacing", before=0, after=0, line=self.pitch, lineRule="exact"),
                 self._ind(role), self._jc(role)]
        if role.outline is not None:
            kids.append(el("w:outlineLvl", val=role.outline))
        pPr = ordered(el("w:pPr"), kids, PPR_ORDER)
        s.append(pPr)
        s.append(self._style_rpr(role))
        return s

    def _char_style(self, role_name: str, sid: str, name: str) -> ET.Element:
        role = self._role(role_name)
        s = el("w:style", type="character", styleId=sid, customStyle=1)
        s.append(el("w:name", val=name))
        s.append(el("w:basedOn", val="DefaultParagraphFont"))
        s.append(el("w:qFormat"))
        s.append(self._style_rpr(role))
        return s

    def _styles(self) -> None:
        styles = self.doc.styles.element
        for child in list(styles):
            if child.tag in (qn("w:docDefaults"), qn("w:style")):
                styles.remove(child)
        body = self._role("para")
        # docDefaults: the body face and size, Chinese language, grid line spacing, no space after
        dd = el("w:docDefaults")
        rpd = el("w:rPrDefault")
        rpr = ordered(el("w:rPr"), [self._rfonts(body), el("w:kern", val=0), el("w:sz", val=half_points(body.size)),
                                    el("w:szCs", val=half_points(body.size)),
                                    el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")], RPR_ORDER)
        rpd.append(rpr)
        dd.append(rpd)
        ppd = el("w:pPrDefault")
        ppd.append(ordered(el("w:pPr"), [el("w:spacing", before=0, after=0, line=self.pitch, lineRule="exact")],
                           PPR_ORDER))
        dd.append(ppd)
        styles.insert(0, dd)

        new = [self._para_style("para", "Normal", "Normal", based_on=None, custom=False)]
        # the built-in character and table defaults Word expects
        dpf = el("w:style", type="character", default=1, styleId="DefaultParagraphFont")
        dpf.append(el("w:name", val="Default Paragraph Font"))
        dpf.append(el("w:uiPriority", val=1))
        dpf.append(el("w:semiHidden"))
        dpf.append(el("w:unhideWhenUsed"))
        new.append(dpf)
        tn = parse_xml(
            f'<w:style xmlns:w="{W_NS}" w:type="table" w:default="1" w:styleId="TableNormal">'
            '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
            '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
            '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
            '</w:tblCellMar></w:tblPr></w:style>')
        new.append(tn)
        new.append(self._table_style())
        tabs_editor = el("w:tabs")
        tabs_editor.append(el("w:tab", val="right", pos=self.text_w))
        # 版记 lines: the block's own pitch; page numbers: single spacing (their position is set by the footer)
        pitch_d = twips(self.style.distribution.pitch)
        for role_name, role in self.style.roles.items():
            if role.word_style is None or role.word_style[0] == "Normal":
                continue
            sid, name = role.word_style
            extra = []
            # off LibreOffice's line grid: the roles off the plan's grid, and type larger than the body, which an
            # exact line of one pitch keeps on the grid lines all the same (in grid mode LibreOffice gave a 22 pt
            # title line with Liberation Serif digits 30 pt instead of 28.95)
            if not role.grid or role.size > self.body_size:
                extra.append(el("w:snapToGrid", val=0))
            if role_name == "editor":
                extra.append(tabs_editor)
            if role_name == "picture":
                extra.append(el("w:snapToGrid", val=0))
            s = self._para_style(role_name, sid, name, extra_ppr=extra,
                                 custom=sid not in ("Title", "Subtitle", "Caption"))
            sp = s.find(qn("w:pPr") + "/" + qn("w:spacing"))
            if role_name in ("recipients", "printing"):
                sp.set(qn("w:line"), str(pitch_d))
            elif role_name == "page-number":
                sp.set(qn("w:line"), "240")
                sp.set(qn("w:lineRule"), "auto")
            new.append(s)
        for role_name, role in self.style.roles.items():
            if role.word_char_style is not None:
                new.append(self._char_style(role_name, *role.word_char_style))
        for s in new:
            styles.append(s)

    def _table_style(self) -> ET.Element:
        """The data tables' named style: the style sheet's rules on every side and between every cell, the cell
        text's face and size (explicit faces, no theme fonts)."""
        cfg = self.style.table
        sz = eighths(cfg.rule)
        colour = hex_colour(cfg.colour)
        sides = "".join(f'<w:{side} w:val="single" w:sz="{sz}" w:space="0" w:color="{colour}"/>'
                        for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        pad = twips(cfg.padding)
        s = parse_xml(
            f'<w:style xmlns:w="{W_NS}" w:type="table" w:customStyle="1" w:styleId="{TABLE_STYLE[0]}">'
            f'<w:name w:val="{TABLE_STYLE[1]}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
            f'<w:tblPr><w:tblBorders>{sides}</w:tblBorders><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
            f'<w:left w:w="{pad}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/>'
            '</w:tblCellMar></w:tblPr></w:style>')
        rpr = self._style_rpr(self._role("table-cell"), spacing=False)
        s.insert(3, rpr)
        return s

    def _fonts(self) -> None:
        """The font table: every face the styles name, with an alternative name and the GB2312 charset."""
        part = self.doc.part.part_related_by(RT.FONT_TABLE)
        faces = []
        for key, names in self.style.fonts.items():
            if key == "fallback" or not names:
                continue
            if names[0] not in [f for f, _ in faces]:
                alt = next((n for n in names[1:] if any(ord(ch) > 0x2E80 for ch in n)), None) or \
                    (names[1] if len(names) > 1 else None)
                faces.append((names[0], alt))
        xml = [f'<w:fonts xmlns:w="{W_NS}">']
        latin = self.style.latin
        xml.append(f'<w:font w:name="{_attr(latin)}"><w:charset w:val="00"/><w:family w:val="roman"/>'
                   '<w:pitch w:val="variable"/></w:font>')
        for face, alt in faces:
            alt_xml = f'<w:altName w:val="{_attr(alt)}"/>' if alt else ""
            xml.append(f'<w:font w:name="{_attr(face)}">{alt_xml}<w:charset w:val="86"/>'
                       '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>')
        xml.append("</w:fonts>")
        blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + "".join(xml)).encode("utf-8")
        if hasattr(part, "_element"):
            part._element = parse_xml(blob)
        else:
            part._blob = blob

    def _settings(self) -> None:
        s = self.doc.settings.element
        keep = {qn("w:clrSchemeMapping"), qn("w:decimalSymbol"), qn("w:listSeparator")}
        kept = [c for c in s if c.tag in keep]
        for c in list(s):
            s.remove(c)
        s.append(el("w:zoom", percent=100))
        s.append(el("w:defaultTabStop", val=twips(self.body_size * 2)))
        s.append(el("w:evenAndOddHeaders"))
        s.append(el("w:characterSpacingControl", val="doNotCompress"))
        compat = parse_xml(
            f'<w:compat xmlns:w="{W_NS}"><w:useFELayout/>'
            '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
            '<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" '
            'w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
            '<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
            '<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
            '</w:compat>')
        s.append(compat)
        s.append(el("w:themeFontLang", val="en-US", eastAsia="zh-CN"))
        for c in kept:
            s.append(c)

    def _section(self) -> None:
        doc = self.doc
        sec = doc.sections[0]
        sec.footer.is_linked_to_previous = False
        sec.even_page_footer.is_linked_to_previous = False
        self._footer(sec.footer, odd=True)
        self._footer(sec.even_page_footer, odd=False)
        sp = self.sectPr
        for tag in ("w:pgSz", "w:pgMar", "w:cols", "w:docGrid"):
            old = sp.find(qn(tag))
            if old is not None:
                sp.remove(old)
        for attr in list(sp.attrib):
            del sp.attrib[attr]
        footer = self._footer_distance()
        sp.append(el("w:pgSz", w=self.page_w, h=self.page_h))
        # header distance: Word's default 1.5 cm (there is no header)
        sp.append(el("w:pgMar", top=self.m_top, right=self.m_right, bottom=self.m_bottom, left=self.m_left,
                     header=twips(self.style.docx.header), footer=footer, gutter=0))
        sp.append(el("w:cols", space=425))
        sp.append(el("w:docGrid", type="lines", linePitch=self.pitch))

    def _footer_distance(self) -> int:
        """Footer distance (page bottom → bottom of the footer line) that puts the top of the page number's dashes
        `page_number.below` under the text block. The footer line is single-spaced: its bottom is the face's
        descent (`docx.footer_descent`) under the baseline, and the dash ink reaches `page_number.dash_top` above
        the baseline."""
        size = self._role("page-number").size
        below = self.style.page_number.below
        dash_top = self.style.page_number.dash_top
        descent = self.style.docx.footer_descent * size
        pt = self.style.page.bottom - below - dash_top - descent
        return max(0, twips(pt))

    def _footer(self, footer, odd: bool) -> None:
        ftr = footer._element
        for c in list(ftr):
            ftr.remove(c)
        role = self._role("page-number")
        pn = self.style.page_number
        indent, dash = pn.indent, pn.dash
        p = el("w:p")
        pPr = el("w:pPr")
        chars = int(round(indent / role.size * 100))
        ind = (el("w:ind", rightChars=chars, right=twips(indent)) if odd
               else el("w:ind", leftChars=chars, left=twips(indent)))
        ordered(pPr, [el("w:pStyle", val=self._style_id("page-number")), ind,
                      el("w:jc", val="right" if odd else "left")], PPR_ORDER)
        p.append(pPr)
        self._dash_run(p, f"{dash} ", role)
        for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
            r = el("w:r")
            if kind == "instr":
                t = el("w:instrText")
                t.text = text
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.append(t)
            elif kind == "text":
                t = el("w:t")
                t.text = text
                r.append(t)
            else:
                r.append(el("w:fldChar", fldCharType=kind))
            p.append(r)
        self._dash_run(p, f" {dash}", role)
        ftr.append(p)

    def _dash_run(self, p, text: str, role: Role) -> None:
        """A dash of the page number. LibreOffice sets a dash among digits in the Latin face whatever `w:hint` says:
        the run names the role's Chinese face for the Latin slots too (Word, which follows the hint, sets the same)."""
        self._run(p, text)
        fonts = p[-1].find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None:
            face = self.style.fonts[role.font][0]
            fonts.set(qn("w:ascii"), face)
            fonts.set(qn("w:hAnsi"), face)

    # ---- package -----------------------------------------------------------------------------------------------
    def _clean_package(self) -> None:
        """Drop the template's parts we do not use (they carry theme fonts, a thumbnail, custom XML)."""
        part = self.doc.part
        drop = {RT.NUMBERING, RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
                RT.WEB_SETTINGS}
        for rId, rel in list(part.rels.items()):
            if rel.reltype in drop:
                del part.rels[rId]
        pkg = part.package
        for rId, rel in list(pkg.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del pkg.rels[rId]

    def _core_properties(self) -> None:
        """Title, subject, author and dates from the plan's metadata (dated from the bulletin, not the clock)."""
        meta = self.plan.metadata
        cp = self.doc.core_properties
        when = meta.date or meta.printed or _dt.date(2000, 1, 1)
        self.date = when
        stamp = _dt.datetime(when.year, when.month, when.day, 0, 0, 0)
        cp.title = " ".join(x for x in (meta.name, meta.number) if x)
        cp.subject = "；".join(meta.titles)
        cp.author = meta.editor
        cp.last_modified_by = meta.editor
        cp.comments = ""
        cp.keywords = ""
        cp.category = "简报"
        cp.revision = 1
        cp.created = stamp
        cp.modified = stamp
        cp.language = "zh-CN"
        # docProps/app.xml of the template describes another document: replace it
        for rel in self.doc.part.package.rels.values():
            if rel.reltype == RT.EXTENDED_PROPERTIES:
                rel.target_part._blob = (
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
                    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                    b'<Application>jianbao</Application><DocSecurity>0</DocSecurity></Properties>')


def _attr(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _rezip(data: bytes, when: _dt.date | None) -> bytes:
    """Re-write the zip with fixed timestamps, [Content_Types].xml first and the rest in name order."""
    stamp = (when.year, when.month, when.day, 0, 0, 0) if when and when.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    names.sort(key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in names:
            info = zipfile.ZipInfo(n, date_time=stamp)
            # pictures are compressed already: stored as they are (deflating megabytes of JPEG gains nothing)
            kind = zipfile.ZIP_STORED if n.startswith("word/media/") else zipfile.ZIP_DEFLATED
            info.compress_type = kind
            info.create_system = 0
            info.external_attr = 0
            z.writestr(info, src.read(n), compress_type=kind, compresslevel=6 if kind == zipfile.ZIP_DEFLATED else None)
    return out.getvalue()


class _Fallbacks:
    """character → the family of the fallback face the layout set it from, in one font key (a mapping for
    `_by_face`)."""

    def __init__(self, metrics, key: str, face: str):
        self.metrics, self.key, self.face = metrics, key, face

    def get(self, ch: str, default=None):
        if ch.isascii():
            return default
        family = self.metrics.fallback_family(self.key, ch)
        if family is None and ch in OWN_FACE_SIGNS:
            return ("own", self.face)
        return family or default


def _by_face(text: str, fallbacks, latin_bold: bool, squeezes: dict[int, float] | None = None,
             at: int = 0, invisible: dict[int, str] | None = None):
    """`text` in stretches that need their own run: (text, East Asian face or None, bold Latin, pt squeezed). A
    character the layout set from a fallback face (喆 玥 堃 昇) names that face, as the PDF draws it; with
    `latin_bold` (a heavy face such as 小标宋) letters and digits are bold, so that Times New Roman keeps the
    title's weight; a mark the layout squeezed (`squeezes`, by offset from `at`) is a run of its own; an invisible
    character of the plan (`invisible`, by offset) goes before its character, in its run."""
    out: list[tuple[str, str | None, bool, float]] = []
    for k, ch in enumerate(text):
        kind = (fallbacks.get(ch), latin_bold and ch.isascii() and ch.isalnum(),
                squeezes.get(at + k, 0.0) if squeezes else 0.0)
        if invisible and at + k in invisible:
            ch = invisible[at + k] + ch
        if out and out[-1][1:] == kind:
            out[-1] = (out[-1][0] + ch, *kind)
        else:
            out.append((ch, *kind))
    return out
