"""A correction to reportlab, applied when the layout stage imports reportlab.

reportlab writes the ToUnicode CMap entry of a character outside the Basic Multilingual Plane as `<28E65>`, which
no reader understands, so copying rare characters (CJK Extension B names such as 𨹥) out of the PDF gave nothing.
PDF wants the UTF-16BE code units: `<D863DE65>`.
"""
from .speed.imports import lazy_pil_image

lazy_pil_image()                    # before reportlab is imported (jianbao.speed.imports)

from reportlab.pdfbase import ttfonts  # noqa: E402  (after PIL.Image is made lazy)

_original = ttfonts.makeToUnicodeCMap


def _utf16_hex(cp: int) -> str:
    """U+4E00 → '4E00'; U+28E65 → 'D863DE65' (a surrogate pair)."""
    return chr(cp).encode("utf-16-be").hex().upper()


def make_to_unicode_cmap(fontname, subset):
    if max(subset, default=0) < 0x10000:          # the usual subset: what reportlab writes is right
        return _original(fontname, subset)
    text = _original(fontname, [0] * len(subset))
    lines = text.split("\n")
    entries = ["<%02X> <%s>" % (i, _utf16_hex(v)) for i, v in enumerate(subset)]
    start = next(i for i, line in enumerate(lines) if line.endswith("beginbfchar")) + 1
    return "\n".join(lines[:start] + entries + lines[start + len(subset):])


ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
