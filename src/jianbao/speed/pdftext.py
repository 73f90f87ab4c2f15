"""PDF text objects and streams written the fast way (see `jianbao.speed`).

Text objects are written here as reportlab's `PDFTextObject` writes them (the same operators and numbers, so the
same bytes), without its costs per call: it measured every string to keep a cursor this writer never reads,
formatted every coordinate afresh (`fp_str`, pure Python: 5,000 calls an issue) and escaped byte by byte.
Streams are deflated at zlib level 1 and not ASCII85-encoded (`save`).

Private interfaces: `Canvas._code` and `Canvas._doc` (the page's content and the document), `TTFont.splitString`
and `getSubsetInternalName` (reportlab's subsets of 256 glyphs), `rl_config.useA85`, `pdfdoc.PDFZCompress.encode`.
With the speed-ups off, `draw_row` goes through reportlab's `beginText`/`textOut`/`drawText` and `save` is
`Canvas.save()`.
"""
from __future__ import annotations

import zlib

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from . import ENABLED
from ..layout.page import GlyphRun, Row

_COLOURS: dict[str, HexColor] = {}


def colour(value: str) -> HexColor:
    c = _COLOURS.get(value)
    if c is None:
        c = _COLOURS[value] = HexColor(value)
    return c



_NUMBERS: dict[float, str] = {}           # number → reportlab's `fp_str` of it
_RG: dict[str, str] = {}                   # #RRGGBB → its fill colour operator
_ESCAPE = [("\\%03o" % b) if b < 32 or b >= 127 else ("\\" + chr(b)) if chr(b) in "\\()" else chr(b)
           for b in range(256)]            # reportlab's escapePDF, per byte


def _num(v: float) -> str:
    """reportlab's `fp_str(v)`, memoised (a pure function of the value: 0.0 and -0.0 both print 0)."""
    s = _NUMBERS.get(v)
    if s is None:
        if len(_NUMBERS) > 200_000:
            _NUMBERS.clear()
        s = _NUMBERS[v] = fp_str(v)
    return s


def _rg(value: str) -> str:
    op = _RG.get(value)
    if op is None:
        c = colour(value)
        op = _RG[value] = f"{fp_str((c.red, c.green, c.blue))} rg"
    return op


def _escape(data: bytes) -> str:
    return "".join(map(_ESCAPE.__getitem__, data))


class _TextObject:
    """BT … ET as reportlab's `beginText()` / `setFillColor` / `setFont` / `setCharSpace` / `setTextOrigin` /
    `textOut` / `drawText` write it, for the TrueType fonts this writer registers."""

    __slots__ = ("code", "doc", "subset", "font", "tmpl")

    def __init__(self, doc):
        self.code = ["BT", "1 0 0 1 0 0 Tm"]       # beginText(): the origin at 0 0 (bottom-up canvas)
        self.doc = doc
        self.subset = -1
        self.font = None
        self.tmpl = ""

    def set_font(self, font, size: float) -> None:
        """setFont: nothing is written for a TrueType font until text needs one of its subsets."""
        self.font = font
        self.subset = -1
        self.tmpl = f"{_num(size)} Tf {_num(size * 1.2)} TL"

    def run(self, run: GlyphRun, x_origin: float, y: str) -> None:
        """The run's glyphs, as `draw_row` places them: one origin for the run, or, with character spacing,
        one for each part that falls in another 256-glyph subset of the font (a new Tj there would not carry the
        spacing after the previous glyph in every reader: pdfminer drops it)."""
        font, doc, code = self.font, self.doc, self.code
        chunks = font.splitString(run.text, doc)
        if not run.tc:
            code.append(f"1 0 0 1 {_num(x_origin + run.x)} {y} Tm")
            out = []
            for subset, data in chunks:
                if subset != self.subset:
                    out.append(f"{font.getSubsetInternalName(subset, doc)} {self.tmpl}")
                    self.subset = subset
                out.append(f"({_escape(data)}) Tj")
            code.append(" ".join(out))
            return
        x, pos = run.x, 0
        for subset, data in chunks:
            part = run.text[pos:pos + len(data)]
            code.append(f"1 0 0 1 {_num(x_origin + x)} {y} Tm")
            if subset != self.subset:
                code.append(f"{font.getSubsetInternalName(subset, doc)} {self.tmpl} ({_escape(data)}) Tj")
                self.subset = subset
            else:
                code.append(f"({_escape(data)}) Tj")
            x += font.stringWidth(part, run.size) + run.tc * len(part)
            pos += len(data)

    def draw(self, c: Canvas) -> None:
        self.code.append("ET")
        c._code.append(" ".join(self.code))


def draw_row(c: Canvas, row: Row, x_origin: float, y: float) -> None:
    """Draw a row's runs left to right (reading order). Character spacing (Tc) and the text render mode are
    set explicitly in every text object: they are graphics state and would leak from one object to the next."""
    if not ENABLED:
        _draw_row_plainly(c, row, x_origin, y)
        return
    text = None
    state: dict = {}
    ys = _num(y)
    get_font = pdfmetrics.getFont
    for run in row.runs:
        if run.stroke:                 # synthetic bold: fill + stroke, in its own graphics state
            if text is not None:
                text.draw(c)
                text = None
            c.saveState()
            c.setStrokeColor(colour(run.colour))
            c.setLineWidth(run.stroke)
            t = _TextObject(c._doc)
            t.code.append("2 Tr")
            t.code.append(_rg(run.colour))
            t.set_font(get_font(run.font), run.size)
            t.code.append(f"{_num(run.tc)} Tc")
            t.run(run, x_origin, ys)
            t.draw(c)
            c.restoreState()
            state.clear()
            continue
        if text is None:
            text = _TextObject(c._doc)
            state = {}
        if state.get("colour") != run.colour:
            text.code.append(_rg(run.colour))
            state["colour"] = run.colour
        if state.get("font") != (run.font, run.size):
            text.set_font(get_font(run.font), run.size)
            state["font"] = (run.font, run.size)
        if state.get("tc") != run.tc:
            text.code.append(f"{_num(run.tc)} Tc")
            state["tc"] = run.tc
        text.run(run, x_origin, ys)
    if text is not None:
        text.draw(c)


def _draw_row_plainly(c: Canvas, row: Row, x_origin: float, y: float) -> None:
    """`draw_row` through reportlab's public text API: one text object a run (and a text origin for each part of
    it in another subset, as `_TextObject.run` does)."""
    for run in row.runs:
        c.saveState()
        t = c.beginText()
        if run.stroke:
            c.setStrokeColor(colour(run.colour))
            c.setLineWidth(run.stroke)
            t.setTextRenderMode(2)
        t.setFillColor(colour(run.colour))
        t.setFont(run.font, run.size)
        t.setCharSpace(run.tc)
        font = pdfmetrics.getFont(run.font)
        x, pos = run.x, 0
        for _, data in font.splitString(run.text, c._doc):
            part = run.text[pos:pos + len(data)]
            t.setTextOrigin(x_origin + x, y)
            t.textOut(part)
            x += font.stringWidth(part, run.size) + run.tc * len(part)
            pos += len(data)
        c.drawText(t)
        c.restoreState()


# Streams are deflated at zlib level 1, not reportlab's 6: deflating the embedded font subsets (~400 KB of quadratic
# outlines an issue) was a third of `save()`; level 1 takes half the time for files ~6 % larger.
DEFLATE_LEVEL = 1


def _deflate(data) -> bytes:
    return zlib.compress(data.encode("utf-8") if isinstance(data, str) else data, DEFLATE_LEVEL)


def save(c: Canvas) -> None:
    """`c.save()`, with the page streams deflated only, not also ASCII85-encoded (reportlab's default, for 7-bit
    channels: a quarter larger, and its pure-Python encoder took a tenth of the writer's time), and every stream
    deflated at DEFLATE_LEVEL. The settings are reportlab's globals: restored afterwards."""
    if not ENABLED:
        c.save()
        return
    a85 = rl_config.useA85
    rl_config.useA85 = 0
    pdfdoc.PDFZCompress.encode = _deflate          # (an attribute of reportlab's one filter object, not its class)
    try:
        c.save()
    finally:
        rl_config.useA85 = a85
        del pdfdoc.PDFZCompress.encode

