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
* Deterministic bytes: fixed core properties (dated from the bulletin), zip entries in a fixed order with fixed
  timestamps.
"""
from __future__ import annotations

import copy
import datetime as _dt
import io
import math
import re
import unicodedata
import zipfile
from typing import BinaryIO, Callable
from xml.etree import ElementTree as ET

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from ..errors import JianbaoError
from ..stylesheet import Role, StyleSheet, in_two_lines
from ..tree import Run, runs

__all__ = ["write", "write_docx"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

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
AMBIGUOUS = set("“”‘’—–…·•§°±×÷■□▲△◆◇○●★☆→←↑↓※〃")



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


def em_width(text: str) -> float:
    """Width of `text` in ems: Chinese characters and full-width marks 1, Latin letters and digits ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5 for ch in text if ch != "\n")


def parse_cn_date(text: str) -> _dt.date | None:
    m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text or "")
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------------------
# the writer

def write(tree: ET.Element, laid, style: StyleSheet, out: BinaryIO) -> None:
    """The writer's entry (jianbao.writers): the tree and the laid-out bulletin's plan as a .docx to `out`."""
    out.write(_DocxWriter(style).render(tree, _pages_before_distribution(laid, style)))


def _pages_before_distribution(laid, style: StyleSheet) -> int:
    """With `distribution.even_page`, the pages the layout left between the text and the 版记 (1: the 版记 on the
    next page, 2: a blank page between), for the DOCX to break as many times; 0 otherwise (Word places the 版记
    under the text, or on the next page when it does not fit there, as the layout does)."""
    if laid is None or not style.distribution.even_page:
        return 0
    pages = laid.pages
    text = [i for i, page in enumerate(pages)
            if any(row.what not in ("recipients", "copies", "printing") for _, row in page.rows)]
    return len(pages) - 1 - text[-1] if text else 0


def prepare(style: StyleSheet) -> None:
    """Make (and keep) the document prepared for `style` before workers are forked: they share it."""
    _DocxWriter(style)


def write_docx(tree: ET.Element, style: StyleSheet, out: BinaryIO) -> None:
    """Write the bulletin `tree` (docs/tree.md) as a .docx to the binary stream `out`."""
    out.write(_DocxWriter(style).render(tree))


class _DocxWriter:
    def __init__(self, style: StyleSheet):
        self.style = style
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
        self.titles: list[str] = []
        self.drawing_id = 0
        self.articles = 0
        self._after_note = False   # a blank line between the 编者按 and the next article, as in the PDF
        self.breaks = 0            # page breaks before the 版记 (`render`)
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
    def render(self, tree: ET.Element, breaks: int = 0) -> bytes:
        """The .docx of `tree`; `breaks`: page breaks before the 版记 (an even-page 版记, as laid out)."""
        self.breaks = breaks
        if tree.tag != "bulletin":
            raise JianbaoError(f"DOCX writer: the document tree must start with <bulletin>, not <{tree.tag}>")
        self.visit(tree)
        self._core_properties(tree)
        buf = io.BytesIO()
        self.doc.save(buf)
        return _rezip(buf.getvalue(), self.date)

    def visit(self, node: ET.Element) -> None:
        method: Callable | None = getattr(self, "visit_" + node.tag.replace("-", "_"), None)
        if method is None:
            where = f" (line {node.get('line')})" if node.get("line") else ""
            raise JianbaoError(f"DOCX writer: unknown element <{node.tag}>{where}")
        method(node)

    def visit_children(self, node: ET.Element) -> None:
        for child in node:
            self.visit(child)

    # ---- document structure ----------------------------------------------------------------------------------
    def visit_bulletin(self, node):
        self.visit_children(node)

    def visit_masthead(self, node):
        fields = {}
        for child in node:
            if child.tag not in ("marking", "series", "name", "issue-number", "editor", "date"):
                self.visit(child)  # raises for an unknown element
            fields[child.tag] = child
        m = self.style.masthead
        pitch = self.pitch_pt
        heights = []  # (paragraph, exact height of a line pt, space after pt, lines)
        if "marking" in fields:
            heights.append((self._text_para("marking", fields["marking"]), self._line_height("marking"), 0.0, 1))
        if "series" in fields:
            p, size, lines = self._series(fields["series"])
            if lines == 1:
                heights.append((p, self._line_height("series"), 0.0, 1))
            else:   # lines of the size they are set in, as the PDF's bands
                heights.append((p, self._line_height("series", size), 0.0, lines))
        if "name" in fields:
            p, size = self._name(fields["name"])
            heights.append((p, self._line_height("name", size), m.blank_after_name * pitch, 1))
        if "issue-number" in fields:
            heights.append((self._text_para("issue-number", fields["issue-number"]), self._line_height("issue-number"),
                            m.blank_after_number * pitch, 1))
        if "editor" in fields or "date" in fields:
            heights.append((self._editor_date(fields.get("editor"), fields.get("date")),
                            self._line_height("editor"), 0.0, 1))
            self.date = parse_cn_date("".join(fields["date"].itertext())) if "date" in fields else None
        if not heights:
            return
        # Exact heights off the grid, then the rule under the last line and a space after it that brings the next
        # paragraph back onto a grid line, `blank_after_rule` lines further down. Counted in the twips written;
        # a few twips short of the grid line, since LibreOffice rounds the border up and would otherwise lose the
        # last line of the first page.
        top = twips(m.name_top)
        total = top
        for i, (p, h, after, lines) in enumerate(heights):
            self._masthead_spacing(p, twips(h), top if i == 0 else 0, twips(after))
            total += twips(h) * lines + twips(after)
        last = heights[-1][0]
        rule_extent = self._rule(last)
        total += twips(rule_extent)
        lines = math.ceil(total / self.pitch - 1e-9)
        pad = lines * self.pitch - total + m.blank_after_rule * self.pitch - twips(self.style.docx.masthead_slack)
        self._masthead_spacing(last, twips(heights[-1][1]), top if len(heights) == 1 else 0,
                               twips(heights[-1][2]) + max(0, pad))

    def _blank_lines(self) -> None:
        """The blank grid lines the style sheet puts after the contents and between articles (the PDF's too)."""
        for _ in range(self.style.body.blank_between_articles):
            self._para("para")

    def visit_contents(self, node):
        self.visit_children(node)
        self._blank_lines()

    def visit_contents_title(self, node):
        self._text_para("contents-title", node)

    def visit_contents_entry(self, node):
        self._text_para("contents-entry", node)

    def visit_note(self, node):
        self._after_note = True
        p = self._para("note")
        for child in node:
            if child.tag == "note-label":
                self._add_runs(p, runs(child, "note-label"), "note", char_style=self._char_style_id("note-label"))
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
        self._add_runs(p, runs(rest, "note"), "note")

    def visit_article(self, node):
        if self.articles or self._after_note:
            self._blank_lines()
        self._after_note = False
        self.articles += 1
        self.visit_children(node)

    def visit_title(self, node):
        p = self._text_para("title", node)
        self.titles.append(" ".join("".join(r.text for r in runs(node, "title")).split()))
        return p

    def visit_subtitle(self, node):
        self._text_para("subtitle", node)

    def visit_para(self, node):
        self._text_para("para", node)

    def visit_heading(self, node):
        role = f"heading-{node.get('level', '1')}"
        if role not in self.style.roles or self._role(role).word_style is None:
            raise JianbaoError(f"DOCX writer: <heading level={node.get('level')!r}>: levels 1 to 4 only")
        self._text_para(role, node)

    def visit_source(self, node):
        for _ in range(self.style.body.blank_before_source):
            self._para("para")
        self._text_para("source", node)

    def visit_distribution(self, node):
        self._distribution(node)

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
        p = self._para(role)
        pieces = list(runs(node, role))
        if self._role(role).balance:
            pieces = self._balanced(role, pieces)
        self._add_runs(p, pieces, role)
        return p

    def _balanced(self, role_name: str, pieces):
        """A title (or contents entry) broken into lines of even length (the line breaker's `balance`, as the PDF
        has it), the breaks written as line breaks; Word and LibreOffice then have nothing left to wrap."""
        role = self._role(role_name)
        width = self.text_w / 20 - role.margin_left - role.margin_right
        lines = self._word_lines(role, [(t, (r, e)) for t, r, e in pieces], width,
                                 first_indent=role.indent, rest_indent=role.hang, balance=True)
        out = []
        for i, line in enumerate(lines):
            if i:
                out.append(Run("\n", role_name, False))
            for box in line.boxes:
                r, e = box.style
                if out and out[-1].role == r and out[-1].emphasis == e and out[-1].text != "\n":
                    out[-1] = Run(out[-1].text + box.text, r, e)
                else:
                    out.append(Run(box.text, r, e))
        return out

    def _add_runs(self, p, pieces, para_role: str, char_style: str | None = None) -> None:
        for text, role, emphasis in pieces:
            cs = char_style
            if cs is None and role != para_role:
                cs = self._char_style_id(role)
            self._run(p, text, char_style=cs, bold=emphasis)

    def _run(self, p, text: str, char_style: str | None = None, bold: bool = False, extra_rpr=()) -> None:
        """Append runs for `text` to paragraph `p` ("\\n" becomes a line break)."""
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
            rpr = self._rpr(char_style, bold, part, extra_rpr)
            if rpr is not None:
                r.append(rpr)
            t = el("w:t")
            t.text = part
            if part != part.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
            p.append(r)

    def _rpr(self, char_style, bold, text, extra=()):
        children = [copy.deepcopy(e) for e in extra]   # fresh elements: one extra_rpr may serve several runs
        if char_style:
            children.append(el("w:rStyle", val=char_style))
        if any(ch in AMBIGUOUS for ch in text):
            children.append(el("w:rFonts", hint="eastAsia"))
        if bold:
            children += [el("w:b"), el("w:bCs")]
        if not children:
            return None
        return ordered(el("w:rPr"), children, RPR_ORDER)

    # ---- masthead ---------------------------------------------------------------------------------------------
    def _line_height(self, role: str, size: float | None = None) -> float:
        """Exact height of a masthead line: whole grid lines for text up to the body size, half lines above."""
        size = self._role(role).size if size is None else size
        lines = math.ceil(size * 1.05 / self.pitch_pt * 2 - 1e-6) / 2
        return max(1.0, lines) * self.pitch_pt

    def _masthead_spacing(self, p, height: int, before: int, after: int) -> None:
        """Exact line height and spacing (all in twips), off the grid."""
        pPr = p.find(qn("w:pPr"))
        if pPr is None:
            pPr = el("w:pPr")
            p.insert(0, pPr)
        for tag in ("w:snapToGrid", "w:spacing"):
            old = pPr.find(qn(tag))
            if old is not None:
                pPr.remove(old)
        add_ordered(pPr, [el("w:snapToGrid", val=0),
                          el("w:spacing", before=before, after=after, line=height, lineRule="exact")], PPR_ORDER)

    def _series(self, node) -> tuple[ET.Element, float, int]:
        """The series line: the role's size, or smaller so that it fits the text width on one line; below the
        role's `fit_min`, two balanced lines as large as they fit (as the PDF sets it). Returns the paragraph,
        the size and the number of lines."""
        role = self._role("series")
        p = self._para("series")
        text = "".join(node.itertext())
        size, lines = role.size, [text]
        if role.fit:
            avail = self.text_w / 20
            width = em_width(text) + self.style.docx.fit_slack  # room for the renderer's rounding
            size = min(size, math.floor(avail / width * 2) / 2)
            if role.fit_min and size < role.fit_min:
                from ..layout.linebreak import layout_paragraph

                size, broken = in_two_lines(role.size, size, lambda s: layout_paragraph(
                    [(text, None)], width=avail - s, cell=s, measure=lambda t, _style: em_width(t) * s,
                    hang=False, balance=True, justify=False))
                lines = ["".join(b.text for b in line.boxes) for line in broken]
        extra = () if size == role.size else (el("w:sz", val=half_points(size)), el("w:szCs", val=half_points(size)))
        for i, line in enumerate(lines):
            if i:
                r = el("w:r")
                r.append(el("w:br"))
                p.append(r)
            self._run(p, line, extra_rpr=extra)
        return p, size, len(lines)

    def _name(self, node) -> tuple[ET.Element, float]:
        """The big name, letter-spaced by the style; the last letter carries no spacing so it stays centred. A
        name too wide for the text width loses letter spacing first, then size, as the PDF's. Returns the
        paragraph and the size."""
        p = self._para("name")
        text = "".join(node.itertext()).strip()
        role = self._role("name")
        avail = self.text_w / 20 - role.margin_left - role.margin_right
        size, spacing = role.size, role.spacing
        tight = (em_width(text) + self.style.docx.fit_slack) * size     # room for the renderer's rounding
        gaps = max(0, len(text) - 1)
        if tight + spacing * gaps > avail:
            if tight <= avail and gaps:
                spacing = math.floor((avail - tight) / gaps * 20) / 20
            else:
                spacing = 0.0
                size = math.floor(avail / (em_width(text) + self.style.docx.fit_slack) * 2) / 2
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
        return p, size

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

    def _rule(self, p) -> float:
        """The red rule as the bottom border of `p`; returns the height (pt) it adds under the line."""
        rule = self.style.masthead.rule
        colour, width, gap = hex_colour(rule.colour), rule.width, rule.gap
        # `gap` runs from the editor/date baseline to the middle of the rule. The border is drawn `space` points
        # under the line box, whose bottom lies `docx.line_box_depth` under the baseline on an exact-height line
        # (measured in LibreOffice: 5.4–5.9 pt for 16 pt text on a 28.95 pt line).
        size = self._role("editor").size
        depth = self.style.docx.line_box_depth * size
        space = max(0, min(31, int(round(gap - depth - width / 2))))
        if rule.double:
            thin, thin_gap = rule.thin_width, rule.thin_gap
            # Word and LibreOffice draw a thick-thin border with w:sz as the thick line's width and a fixed
            # thin line and gap; the thin width and gap of the style sheet only enter the height estimate.
            total = width + thin + thin_gap
            border = el("w:bottom", val="thickThinSmallGap", sz=eighths(width), space=space, color=colour)
            extent = space + total
        else:
            border = el("w:bottom", val="single", sz=eighths(width), space=space, color=colour)
            extent = space + width
        pbdr = el("w:pBdr")
        pbdr.append(border)
        add_ordered(p.find(qn("w:pPr")), [pbdr], PPR_ORDER)
        return extent

    # ---- distribution block (版记) ----------------------------------------------------------------------------
    def _distribution(self, node) -> None:
        dist = self.style.distribution
        pitch = dist.pitch
        line = twips(pitch)
        rec_role = self._role("recipients")
        prn_role = self._role("printing")
        recipients, printing, copies = [], None, None
        for child in node:
            if child.tag == "recipients":
                recipients.append(child)
            elif child.tag == "printing":
                printing = child
            elif child.tag == "copies":
                copies = child
            else:
                self.visit(child)  # unknown → raises
        text_pt = self.text_w / 20
        rows = []  # (list of paragraphs, number of lines)

        # recipients: one paragraph per label, wrapped lines hanging after the label
        rec_ps, rec_lines = [], 0
        for r in recipients:
            label = "".join(x for c in r if c.tag == "label" for x in c.itertext())
            label_em = em_width(label)
            p = el("w:p")
            pPr = el("w:pPr")
            hang = twips(label_em * rec_role.size)
            left = twips(rec_role.margin_left) + hang
            ordered(pPr, [el("w:pStyle", val=self._style_id("recipients")),
                          el("w:ind", leftChars=int(round((rec_role.margin_left / rec_role.size + label_em) * 100)),
                             left=left, hangingChars=int(round(label_em * 100)), hanging=hang)], PPR_ORDER)
            p.append(pPr)
            self._add_runs(p, runs(r, "recipients"), "recipients")
            rec_ps.append(p)
            last_lines = self._recipient_lines(r)
            rec_lines += max(1, len(last_lines))
        if copies is not None:
            # the print run flush right: on the last recipient line when it leaves two characters between (as the
            # PDF sets it), else on a line of its own under the recipients; the printing line stays last
            if rec_ps and self._fits_after(last_lines, copies):
                last = rec_ps[-1]
                tabs = el("w:tabs")
                tabs.append(el("w:tab", val="right", pos=self.text_w - twips(prn_role.margin_right)))
                add_ordered(last.find(qn("w:pPr")), [tabs], PPR_ORDER)
                r = el("w:r")
                r.append(el("w:tab"))
                last.append(r)
                self._add_runs(last, runs(copies, "printing"), "recipients")
            else:
                rec_ps.append(self._block_para("printing", copies, "right"))
                rec_lines += 1
        if rec_ps:
            rows.append((rec_ps, rec_lines))

        # printing line: printer left, date right (two lines when they do not fit on one)
        prn_ps, prn_lines = [], 0
        if printing is not None:
            printer = next((c for c in printing if c.tag == "printer"), None)
            printed = next((c for c in printing if c.tag == "printed"), None)
            for c in printing:
                if c.tag not in ("printer", "printed"):
                    raise JianbaoError(f"DOCX writer: unknown element <{c.tag}> in <printing>")
            avail = text_pt - prn_role.margin_left - prn_role.margin_right
            w_printer = em_width("".join(printer.itertext())) * prn_role.size if printer is not None else 0
            w_printed = em_width("".join(printed.itertext())) * prn_role.size if printed is not None else 0
            one_line = None   # (left, right indent in pt, extra spacing of the printer in twips)
            if printer is not None and printed is not None:
                if w_printer + prn_role.size + w_printed <= avail:
                    one_line = (prn_role.margin_left, prn_role.margin_right, 0)
                else:
                    # as the PDF writer does: give up the margins and half the gap, then set the printer
                    # up to a tenth of an em tighter, before the date goes onto a line of its own
                    gaps = sum(1 for ch in "".join(printer.itertext()) if ord(ch) > 0x2000) - 1
                    # the space Word and LibreOffice put between Chinese and digits counts too
                    text = "".join(printer.itertext()) + "".join(printed.itertext())
                    spaced = len(re.findall(r"(?<=[^\x00-\x7f])[0-9A-Za-z]|[0-9A-Za-z](?=[^\x00-\x7f])", text))
                    autospace = self.style.body.autospace * prn_role.size
                    over = w_printer + prn_role.size / 2 + w_printed + spaced * autospace - text_pt
                    limit = self.style.distribution.printing_squeeze
                    if gaps > 0 and over / gaps <= limit:
                        one_line = (0.0, 0.0, -math.ceil(over / gaps * 20))
            if one_line is not None:
                left, right, squeeze = one_line
                p = el("w:p")
                pPr = el("w:pPr")
                tabs = el("w:tabs")
                tabs.append(el("w:tab", val="right", pos=self.text_w - twips(right)))
                kids = [el("w:pStyle", val=self._style_id("printing")), tabs]
                if (left, right) != (prn_role.margin_left, prn_role.margin_right):
                    kids.append(el("w:ind", leftChars=0, left=twips(left), rightChars=0, right=twips(right)))
                ordered(pPr, kids, PPR_ORDER)
                p.append(pPr)
                if squeeze:
                    spacing = el("w:spacing", val=self._char_spacing(prn_role) + squeeze)
                    for text, _, emphasis in runs(printer, "printing"):
                        self._run(p, text, bold=emphasis, extra_rpr=(spacing,))
                else:
                    self._add_runs(p, runs(printer, "printing"), "printing")
                r = el("w:r")
                r.append(el("w:tab"))
                p.append(r)
                self._add_runs(p, runs(printed, "printing"), "printing")
                prn_ps.append(p)
                prn_lines += 1
            else:
                for part, align in ((printer, None), (printed, "right")):
                    if part is None:
                        continue
                    prn_ps.append(self._block_para("printing", part, align))
                    width = w_printer if align is None else w_printed
                    prn_lines += max(1, math.ceil(width / avail - 1e-6))
        if prn_ps:
            rows.append((prn_ps, prn_lines))
        if not rows:
            return

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
                  el("w:tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0, noHBand=1, noVBand=1)):
            tblPr.append(c)
        tbl.append(tblPr)
        grid = el("w:tblGrid")
        grid.append(el("w:gridCol", w=self.text_w))
        tbl.append(grid)
        height = 0
        for ps, n in rows:
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
        self._text_box(tbl, height)

    def _word_lines(self, role: Role, pieces, width: float, **options) -> list:
        """`pieces` of `role` broken as Word and LibreOffice are expected to break them: the line breaker with
        Latin letters and digits half an em, the style's character spacing on every character (the grid cell),
        the style sheet's hanging punctuation and space around digits."""
        from ..layout.linebreak import layout_paragraph

        size = role.size
        return layout_paragraph(pieces, width=width, cell=size + self._char_spacing(role) / 20,
                                measure=lambda text, _style: em_width(text) * size,
                                hang=self.style.body.hanging_punctuation,
                                autospace=self.style.body.autospace * size, **options)

    def _recipient_lines(self, recipients: ET.Element) -> list:
        """The lines of a recipients paragraph (label, hanging continuation lines), a third of a character
        narrower than the block: the text box's rows have exact heights, and a line more in Word or LibreOffice
        would be cut off."""
        role = self._role("recipients")
        label = "".join(x for c in recipients if c.tag == "label" for x in c.itertext())
        avail = self.text_w / 20 - role.margin_left - role.margin_right - self.style.docx.recipients_slack * role.size
        return self._word_lines(role, [(t, None) for t, _, _ in runs(recipients, "recipients")], avail,
                                rest_indent=em_width(label) * role.size)

    def _fits_after(self, lines: list, copies: ET.Element) -> bool:
        """Does the print run fit flush right on the last of a recipients paragraph's `lines`, two characters
        clear of it?"""
        role, prn = self._role("recipients"), self._role("printing")
        cell = role.size + self._char_spacing(role) / 20
        avail = self.text_w / 20 - role.margin_left - prn.margin_right
        wanted = em_width("".join(copies.itertext())) * prn.size
        return bool(lines) and lines[-1].natural + 2 * cell + wanted <= avail

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

    def _text_box(self, tbl, height_twips: int) -> None:
        """Put `tbl` in a text box anchored to the bottom of the margin, in the last body paragraph."""
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
        for _ in range(self.breaks - 1):          # the blank page before an even-page 版记
            blank = self._para("recipients")
            add_ordered(blank.find(qn("w:pPr")), [el("w:pageBreakBefore")], PPR_ORDER)
        anchor = self._para("recipients")
        if self.breaks:
            add_ordered(anchor.find(qn("w:pPr")), [el("w:pageBreakBefore")], PPR_ORDER)
        rPr = el("w:rPr")
        rPr.append(el("w:sz", val=2))
        rPr.append(el("w:szCs", val=2))
        add_ordered(anchor.find(qn("w:pPr")), [
            el("w:keepNext", val=0), el("w:snapToGrid", val=0),
            el("w:spacing", before=0, after=0, line=1, lineRule="exact"),
            el("w:ind", leftChars=0, left=0, rightChars=0, right=0, firstLineChars=0, firstLine=0), rPr], PPR_ORDER)
        anchor.append(run)

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
                # Word's default hangs a line-end pause mark in the margin; the style sheet turned that off
                kids.append(el("w:overflowPunct", val=0))
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
        tabs_editor = el("w:tabs")
        tabs_editor.append(el("w:tab", val="right", pos=self.text_w))
        # 版记 lines: the block's own pitch; page numbers: single spacing (their position is set by the footer)
        pitch_d = twips(self.style.distribution.pitch)
        for role_name, role in self.style.roles.items():
            if role.word_style is None or role.word_style[0] == "Normal":
                continue
            sid, name = role.word_style
            extra = []
            if not role.grid:
                extra.append(el("w:snapToGrid", val=0))
            if role_name == "editor":
                extra.append(tabs_editor)
            s = self._para_style(role_name, sid, name, extra_ppr=extra, custom=sid not in ("Title", "Subtitle"))
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

    def _core_properties(self, tree) -> None:
        cp = self.doc.core_properties
        when = self.date
        if when is None:
            for d in tree.iter("printed"):
                when = parse_cn_date("".join(d.itertext()))
        if when is None:
            when = _dt.date(2000, 1, 1)
        self.date = when
        stamp = _dt.datetime(when.year, when.month, when.day, 0, 0, 0)
        name = "".join(next(tree.iter("name"), ET.Element("x")).itertext())
        number = "".join(next(tree.iter("issue-number"), ET.Element("x")).itertext())
        cp.title = " ".join(x for x in (name, number) if x)
        cp.subject = "；".join(self.titles)
        editor = "".join(next(tree.iter("editor"), ET.Element("x")).itertext())
        cp.author = editor
        cp.last_modified_by = editor
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
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            z.writestr(info, src.read(n), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()
