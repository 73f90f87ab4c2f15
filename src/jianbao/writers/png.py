"""Page images: an issue's PDF rasterised page by page (pypdfium2), for phones and chat groups.

The images are made from the PDF, not typeset again, so they show exactly what is printed. Not one of the
one-file writers of `writers.writer`: a format of several files (one per page), made in `api.write_formats`.
"""
from __future__ import annotations

import io
import threading

DEFAULT_DPI = 150
COLOURS = 64          # a palette PNG: black and red text with their anti-aliasing need no more

# PDFium is not thread-safe: one document at a time per process (the preview server renders from threads).
_LOCK = threading.Lock()


def rasterise(pdf: bytes, dpi: float):
    """The pages of `pdf` as PIL images (RGB, white background) at `dpi`."""
    import pypdfium2 as pdfium

    with _LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            images = []
            for index in range(len(document)):
                page = document[index]
                try:
                    images.append(page.render(scale=dpi / 72, may_draw_forms=False).to_pil())
                finally:
                    page.close()
            return images
        finally:
            document.close()


def pdf_to_pngs(pdf: bytes, dpi: float = DEFAULT_DPI) -> list[bytes]:
    """One PNG per page of `pdf`. Deterministic: a 64-colour palette (fast octree, no dithering noise), no
    time or text chunks, only the resolution (pHYs) so that a viewer can print them at size."""
    from PIL import Image

    out = []
    for image in rasterise(pdf, dpi):
        palette = image.quantize(colors=COLOURS, method=Image.Quantize.FASTOCTREE)
        buf = io.BytesIO()
        palette.save(buf, "PNG", optimize=False, compress_level=6, dpi=(dpi, dpi))
        out.append(buf.getvalue())
    return out


def pdf_pages(tree, laid, style, pdf: bytes | None = None, options: dict | None = None) -> list[bytes]:
    """The page images of a laid-out issue (`--format png`): from its PDF, drawn here unless given."""
    if pdf is None:
        from .pdf import write

        buf = io.BytesIO()
        write(tree, laid, style, buf)
        pdf = buf.getvalue()
    return pdf_to_pngs(pdf, (options or {}).get("dpi") or DEFAULT_DPI)


def page_jpeg(pdf: bytes, index: int, dpi: float, quality: int = 90) -> bytes:
    """Page `index` (0-based) of `pdf` as a JPEG: one page at a time, for the preview server, which shows the first
    pages while the others are still being rendered."""
    import pypdfium2 as pdfium

    with _LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[index]
            try:
                image = page.render(scale=dpi / 72, may_draw_forms=False).to_pil()
            finally:
                page.close()
        finally:
            document.close()
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()
