"""Measuring a written PDF the way a reader sees it (pdfplumber): glyph lines by baseline, rules, fonts."""
from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber

MM = 72 / 25.4


@dataclass
class Line:
    baseline: float          # pt from the paper top
    size: float
    chars: list              # pdfplumber chars, left to right

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @property
    def fonts(self) -> list[str]:
        return [c["fontname"].split("+")[-1] for c in self.chars]


@dataclass
class PageView:
    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[dict]        # {'x0','x1','y','width','colour'}

    def sized(self, size: float, tol: float = 0.3) -> list[Line]:
        return [l for l in self.lines if abs(l.size - size) < tol]


def baseline(c: dict, page_height: float) -> float:
    return page_height - c["matrix"][5]


def colour(obj: dict, key: str = "non_stroking_color"):
    col = obj.get(key)
    if isinstance(col, (list, tuple)) and len(col) == 3:
        return tuple(round(float(v), 3) for v in col)
    if isinstance(col, (list, tuple)) and len(col) == 1:
        return (round(float(col[0]), 3),) * 3
    return None


def read(pdf_bytes: bytes) -> list[PageView]:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for i, p in enumerate(pdf.pages, 1):
            rows: dict[float, list] = {}
            for c in p.chars:
                if not c["text"].strip():
                    continue
                rows.setdefault(round(baseline(c, p.height), 1), []).append(c)
            lines = []
            for b in sorted(rows):
                cs = sorted(rows[b], key=lambda c: c["x0"])
                lines.append(Line(baseline(cs[0], p.height), max(c["size"] for c in cs), cs))
            rules = [{"x0": l["x0"], "x1": l["x1"], "y": l["top"], "width": float(l["linewidth"]),
                      "colour": colour(l, "stroking_color")} for l in p.lines]
            pages.append(PageView(i, p.width, p.height, lines, rules))
    return pages
