"""The PDF writer: draws the page model (jianbao.layout.page) with reportlab, and nothing else.

Every run of glyphs is one text operation at its position (CJK runs use the PDF character spacing `Tc` to put each
glyph at the start of its cell); synthetic bold is text render mode 2 inside saveState/restoreState. Fonts are the
faces the layout registered, embedded as subsets; pictures are the bytes the layout prepared (a JPEG passed through). The document is deterministic (`invariant=1`).
"""
from __future__ import annotations

from typing import BinaryIO
from xml.etree import ElementTree as ET

from reportlab.pdfgen.canvas import Canvas

from ..layout import LaidOut
from ..speed.pdfimage import draw_image
from ..speed.pdftext import colour, draw_row, save
from ..stylesheet import StyleSheet


def write(tree: ET.Element, laid: LaidOut, style: StyleSheet, out: BinaryIO) -> None:
    """Draw the laid-out pages and write the PDF to `out`."""
    W, H = style.page.width, style.page.height
    initial = laid.metrics.register(laid.metrics.primary(style.role("para").font))
    c = Canvas(out, pagesize=(W, H), invariant=1, initialFontName=initial,
               initialFontSize=style.role("para").size)
    c.setTitle(laid.flow.title_text or "简报")
    c.setCreator("jianbao")
    left = style.page.left
    for page in laid.pages:
        for image in page.images:
            draw_image(c, image.data, image.format, image.x, H - image.y - image.height, image.width, image.height)
        for rule in page.rules:
            c.setStrokeColor(colour(rule.colour))
            c.setLineWidth(rule.width)
            c.line(rule.x0, H - rule.y, rule.x1, H - rule.y)
        for v in page.vrules:
            c.setStrokeColor(colour(v.colour))
            c.setLineWidth(v.width)
            c.line(v.x, H - v.y0, v.x, H - v.y1)
        for baseline, row in page.rows:
            draw_row(c, row, left, H - baseline)
        if page.folio is not None:
            baseline, row = page.folio
            draw_row(c, row, left, H - baseline)
        c.showPage()
    save(c)
