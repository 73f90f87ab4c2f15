"""The page model: pages of positioned glyph runs and rules, in points, writer-neutral.

The layout stage (`jianbao.layout.lay_out`) makes it; the PDF writer draws it, and every other fixed-layout
writer (OFD, page images) reads it. Positions: x from the text block's left edge (add `style.page.left` for the
paper), y (baselines, rules) from the paper's top edge.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GlyphRun:
    """Characters drawn with one text operation: same font, size, colour, boldness and spacing."""
    x: float              # pen position of the first glyph, pt from the text block's left edge
    text: str
    font: str             # registered reportlab font name
    size: float
    colour: str           # #RRGGBB
    stroke: float         # synthetic bold: outline width in pt (0: none)
    tc: float             # extra space after each glyph (PDF Tc)
    end: float            # right edge of the last glyph's advance


@dataclass
class Row:
    """One line of text."""
    runs: list[GlyphRun]
    size: float                    # largest type size (centres the line vertically)
    keep_next: bool = False        # must stay on the page of the next row
    blank: bool = False            # an empty line, dropped at the top of a page
    what: str = ""                 # the element it comes from (for tests and debugging)

    @property
    def extent(self) -> tuple[float, float]:
        if not self.runs:
            return 0.0, 0.0
        return min(r.x for r in self.runs), max(r.end for r in self.runs)

    def shifted(self, dx: float) -> "Row":
        for r in self.runs:
            r.x += dx
            r.end += dx
        return self


@dataclass
class Rule:
    x0: float             # pt from the paper's left edge
    x1: float
    y: float              # centre line, pt from the paper's top
    width: float
    colour: str


@dataclass
class VRule:
    """A vertical rule (a table's column rules)."""
    x: float              # centre line, pt from the paper's left edge
    y0: float             # top end, pt from the paper's top
    y1: float             # bottom end
    width: float
    colour: str


@dataclass
class Image:
    """A picture: the box it fills on the paper and the bytes to embed there (as they are: the layout has scaled,
    turned upright and flattened them; a JPEG is its file's own bytes when it could be passed through)."""
    x: float              # left edge, pt from the paper's left edge
    y: float              # top edge, pt from the paper's top
    width: float          # pt
    height: float         # pt
    data: bytes           # a complete JPEG or PNG file
    format: str           # "jpeg" or "png"
    source: str           # the path the issue wrote (inside the series folder)


@dataclass
class Page:
    rows: list[tuple[float, Row]] = field(default_factory=list)   # (baseline from the paper top, row)
    rules: list[Rule] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    vrules: list[VRule] = field(default_factory=list)
    blank: bool = False            # the empty page before an even-page 版记: no number
    number: int | None = None      # the printed page number (None on a blank page)
    folio: tuple[float, Row] | None = None      # the page number line: (baseline from the paper top, row)
