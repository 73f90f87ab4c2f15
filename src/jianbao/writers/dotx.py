"""A Word template (.dotx) of the issue: the DOCX writer's package with the main part declared a template.

Word (and WPS, LibreOffice) open a .dotx as a new, untitled document that starts as a copy of it: the series'
styles (正文, 一级标题 …, 版记), page setup and 22 × 28 grid, the red masthead, the page-number footers and the 版记,
with this issue's text to type over. Same bytes as the DOCX but for `[Content_Types].xml`.
"""
from __future__ import annotations

import io
import zipfile
from typing import BinaryIO
from xml.etree import ElementTree as ET

from . import docx

DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def write(tree: ET.Element, laid, style, out: BinaryIO) -> None:
    buf = io.BytesIO()
    docx.write(tree, laid, style, buf)
    out.write(as_template(buf.getvalue()))


def as_template(data: bytes) -> bytes:
    """The package `data` (a .docx) with its main document part declared a template; every other byte kept (same
    entry order, times and compression)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                if DOCUMENT.encode() not in body:
                    raise ValueError("the DOCX writer's [Content_Types].xml names no main document part")
                body = body.replace(DOCUMENT.encode(), TEMPLATE.encode())
            z.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()
