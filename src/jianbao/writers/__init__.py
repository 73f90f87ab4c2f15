"""Writers: each turns a laid-out bulletin into one output format and takes no layout decision of its own.

`WRITERS[format](tree, laid, style, out)` writes to the binary stream `out`. The PDF and OFD writers draw the page
model; the DOCX writer turns the tree and the plan into OOXML that Word paginates; the HTML writer turns the tree
into one web page.
"""
from __future__ import annotations

from importlib import import_module

FORMATS = ("pdf", "docx", "dotx", "ofd", "html")   # (png: several files, from the PDF: writers.png, made in api.write_formats)


def writer(fmt: str):
    """The `write` function of format `fmt` (its module imported on first use: python-docx is not loaded for a PDF)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r} (known: {', '.join(FORMATS)})")
    return import_module(f"{__name__}.{fmt}").write
