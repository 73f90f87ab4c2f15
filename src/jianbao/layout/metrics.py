"""Font metrics for the layout: which face sets each character of a role, and its real advance.

One interface for the line breaker and the page model: `Metrics.glyph(key, ch, role)` gives the registered face
name and the advance at 1 pt, from the face's own `hmtx` (as parsed by reportlab, which also embeds the faces in
the PDF: the name is the one the PDF writer draws with). Faces come from the font book (`jianbao.fonts`); a
character in no face is an error.
"""
from __future__ import annotations

import hashlib
import struct

from .. import reportlab_fixes  # noqa: F401  (first: Pillow imported lazily; ToUnicode beyond U+FFFF)
from reportlab.pdfbase import pdfmetrics

from ..errors import JianbaoError
from ..i18n import _
from ..stylesheet import LATIN_KEY
from ..speed.facecache import load_ttfont

def is_latin(ch: str) -> bool:
    """A character Word and LibreOffice set in the DOCX's Latin face (w:ascii / w:hAnsi) whatever `w:hint` says:
    printable ASCII (digits, letters, % . , - / ( ) and the space) and the letters of Latin-1 to Latin Extended-B."""
    return " " <= ch <= "~" or ("\u00c0" <= ch <= "\u024f" and ch not in "\u00d7\u00f7")


_REGISTERED: dict[tuple[str, int], str] = {}      # (TrueType path, subfont index) → reportlab font name
_FACE_NAME: dict[object, str] = {}                 # Face → reportlab font name
_GLYPH_TOP: dict[tuple[str, str], float | None] = {}
_ADVANCE: dict[tuple[str, str], float] = {}        # (reportlab font name, char) → advance at 1 pt


def _own_face_name(font, digest: str) -> None:
    """reportlab registers one font per PostScript name: a second file with the same name (a series' own copy of
    a face, another version, a subset) would silently be given the first one's glyphs and widths. Such a face is
    renamed before it is registered (its name in the PDF gets the file's digest)."""
    for registered in pdfmetrics.getRegisteredFontNames():
        other = getattr(pdfmetrics.getFont(registered), "face", None)
        if getattr(other, "name", None) == font.face.name and getattr(other, "filename", None) != font.face.filename:
            font.face.name = font.face.name + b"-" + digest.encode("ascii")
            return


class Metrics:
    """Faces and advances for one style sheet's font keys. `em_ascent` (the style sheet's `metrics.em_ascent`) is
    the ideographic em box every face declares as its Ascent/Descent when it is first registered in a process."""

    def __init__(self, book, em_ascent: float):
        self.book = book
        self.em_ascent = em_ascent
        self._char: dict[tuple[str, str], tuple[str, object] | None] = {}
        self._primary: dict[str, object] = {}
        self.face_of: dict[str, object] = {}           # reportlab name → Face
        self.fallbacks: dict[str, str] = {}
        self._glyph: dict[tuple[str, str], tuple] = {}
        self._latin: list | None = None

    def register(self, face) -> str:
        name = _FACE_NAME.get(face)
        if name is not None:
            self.face_of[name] = face
            return name
        path = str(face.reportlab_path())
        index = int(getattr(face, "reportlab_index", face.index))
        key = (path, index)
        name = _REGISTERED.get(key)
        if name is None:
            digest = hashlib.sha1(f"{path}#{index}".encode("utf-8")).hexdigest()[:8]
            name = f"jb-{digest}"
            # (not pdfmetrics.getFont: for an unknown name it searches the disk for Type 1 metrics files)
            if name not in pdfmetrics.getRegisteredFontNames():
                try:
                    font = load_ttfont(name, path, index)
                    # Every face declares the ideographic em box as its Ascent/Descent, so that a fallback glyph
                    # (堃 from WenQuanYi) gets the same text box as its neighbours: text selection and extraction
                    # then keep it on their line. Glyphs are drawn as before.
                    font.face.ascent = round(self.em_ascent * 1000)
                    font.face.descent = round((self.em_ascent - 1) * 1000)
                    _own_face_name(font, digest)
                    pdfmetrics.registerFont(font)
                except Exception as e:   # reportlab's TTFError and friends: a font it cannot embed
                    raise JianbaoError(_("cannot embed the font {font} in the PDF: {reason}").format(
                        font=f"{path}#{index}", reason=e)) from None
            _REGISTERED[key] = name
        _FACE_NAME[face] = name
        self.face_of[name] = face
        return name

    def primary(self, key: str):
        face = self._primary.get(key)
        if face is None:
            face = self._primary[key] = self.book.primary(key)
        return face

    def latin_face(self, ch: str):
        """The face of the `latin` key that sets `ch` (a digit, Latin letter or ASCII sign), or None: the role's
        own face then sets it."""
        if not is_latin(ch):
            return None
        if self._latin is None:
            self._latin = self.book.faces(LATIN_KEY) if LATIN_KEY in self.book.families else []
        return next((f for f in self._latin if f.has(ch)), None)

    def font_for(self, key: str, ch: str, role: str) -> str | None:
        """The registered font that sets `ch` in font key `key`; None for a space no font has. Digits, Latin
        letters and ASCII signs come from the `latin` key's face when one is installed, as Word and LibreOffice
        set them from the DOCX's Latin face (w:ascii, w:hAnsi)."""
        k = (key, ch)
        hit = self._char.get(k, False)
        if hit is False:
            face = self.latin_face(ch) or self.book.face_for(key, ch)
            if face is None:
                if ch.isspace():
                    hit = None
                else:
                    raise JianbaoError(_("character '{char}' (U+{code}) of role '{role}' is in no font (font key "
                                         "'{key}' and the fallback fonts)").format(
                        char=repr(ch)[1:-1], code=f"{ord(ch):04X}", role=role, key=key))
            else:
                hit = (self.register(face), face)
                if face != self.primary(key) and not ch.isspace() and not is_latin(ch):
                    self.fallbacks.setdefault(ch, face.family)
            self._char[k] = hit
        return hit[0] if hit else None

    def fallback_family(self, key: str, ch: str) -> str | None:
        """The family of the face that set `ch` in font key `key` when it is not the key's first face (喆 in 仿宋 is
        set from AR PL UMing CN); None when the key's own face has it, or `ch` was not set in that key."""
        hit = self._char.get((key, ch))
        if not hit or hit[1] == self.primary(key):
            return None
        return hit[1].family

    def advance(self, font: str, ch: str) -> float:
        """Advance width of `ch` at 1 pt (kept per process: a font name stands for one font file and face)."""
        k = (font, ch)
        a = _ADVANCE.get(k)
        if a is None:
            a = _ADVANCE[k] = pdfmetrics.stringWidth(ch, font, 1.0)
        return a

    def glyph(self, key: str, ch: str, role: str) -> tuple:
        """(font, advance at 1 pt) of `ch` in font key `key`, () for a space no font has: `font_for` and
        `advance` in one look-up, for the per-character loops."""
        k = (key, ch)
        g = self._glyph.get(k)
        if g is None:
            font = self.font_for(key, ch, role)
            g = self._glyph[k] = () if font is None else (font, self.advance(font, ch))
        return g

    def glyph_top(self, font: str, ch: str) -> float | None:
        """Top of the glyph's outline above the baseline, in em (None if it cannot be read), from the
        `glyf` table reportlab has already loaded."""
        k = (font, ch)
        if k not in _GLYPH_TOP:
            top = None
            try:
                face = pdfmetrics.getFont(font).face
                gid = face.charToGlyph[ord(ch)]
                start, end = face.glyphPos[gid], face.glyphPos[gid + 1]
                if end - start >= 10:
                    at = face.table["glyf"]["offset"] + start
                    top = struct.unpack(">h", face._ttf_data[at + 8:at + 10])[0] / face.unitsPerEm
            except Exception:       # not a glyf font, or a reportlab without these internals
                top = None
            _GLYPH_TOP[k] = top
        return _GLYPH_TOP[k]


def prepare_fonts(style, book, jobs: int | None = None) -> None:
    """Register every face the style sheet's font keys resolve to (their own and the fallback faces), as the first
    layout would: done once by a batch before its workers are forked, they share them. Faces not yet converted to
    TrueType are converted first, in `jobs` processes at once."""
    from ..fonts import prepare_reportlab

    faces = list(dict.fromkeys(face for key in style.fonts for face in book.chain(key)))
    prepare_reportlab(faces, jobs)
    metrics = Metrics(book, style.metrics.em_ascent)
    for face in faces:
        metrics.register(face)
