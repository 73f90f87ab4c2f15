"""The PDF writer: the document tree (docs/tree.md) set on the GB/T 9704 grid and drawn with reportlab.

Two phases:

1. **Layout.** A visitor over the tree (`visit_masthead`, `visit_para`, `visit_heading`, …; an unknown element
   is an error) turns every element into *rows*: one line of text each, as positioned glyph runs. Body rows
   take one grid line each; the masthead is set at free positions at the top of page 1, after which the body
   resumes on the grid. Rows carry `keep_next` (a heading or title never ends a page) and `blank` (a blank
   line is dropped at the top of a page). Pagination cuts the rows into pages of `grid.lines` lines and puts
   the distribution block (版记) at the bottom of the last page, or of a new page.
2. **Drawing.** Every page's rows, rules and page number go onto a reportlab Canvas: one text run per stretch
   of characters with the same face, style and spacing (CJK runs use the PDF character spacing `Tc` to put
   each glyph at the start of its cell); synthetic bold is text render mode 2 inside saveState/restoreState.

Every size, distance, colour and font key comes from the StyleSheet. The only constants here are typographic
conventions: a glyph's em box is centred vertically in its line, and the baseline lies `EM_ASCENT` em under
the top of the em box (the ideographic em box spans −0.12 … 0.88 em around the Latin baseline).
"""
from __future__ import annotations

import gc
import hashlib
import math
import mmap
import os
import pickle
import struct
import sys
import zlib
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, NamedTuple
from weakref import WeakKeyDictionary
from xml.etree import ElementTree as ET

from . import reportlab_fixes  # noqa: F401  (first: Pillow imported lazily; ToUnicode beyond U+FFFF)
from reportlab import Version as _rl_version, rl_config

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from reportlab.pdfgen.canvas import Canvas

from .errors import JianbaoError
from .atomic import replacing
from .fonts import cache_dir
from .linebreak import Line, layout_paragraph
from .stylesheet import Role, StyleSheet, in_two_lines
from .tree import Run, runs as tree_runs

EM_ASCENT = 0.88        # baseline under the top of the em box, in em (ideographic em box −0.12 … 0.88)
_EPS = 1e-6


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    fallbacks: dict[str, str]      # character → the family that set it instead of its role's own


# ---------------------------------------------------------------------------------------------------------------
# Layout data

class RunStyle(NamedTuple):
    """The style key handed to the line breaker with each run (and returned on each box)."""
    role: str
    size: float
    emphasis: bool


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
class Page:
    rows: list[tuple[float, Row]] = field(default_factory=list)   # (baseline from the paper top, row)
    rules: list[Rule] = field(default_factory=list)
    blank: bool = False            # the empty page before an even-page 版记: no number
    number: int | None = None      # the printed page number (None on a blank page)
    folio: tuple[float, Row] | None = None      # the page number line: (baseline from the paper top, row)


# ---------------------------------------------------------------------------------------------------------------
# Fonts: per-character faces, registration with reportlab, widths

_REGISTERED: dict[tuple[str, int], str] = {}      # (TrueType path, subfont index) → reportlab font name
_FACE_NAME: dict[object, str] = {}                 # Face → reportlab font name
_GLYPH_TOP: dict[tuple[str, str], float | None] = {}
_ADVANCE: dict[tuple[str, str], float] = {}        # (reportlab font name, char) → advance at 1 pt
_COLOURS: dict[str, HexColor] = {}

# reportlab parses a TrueType file in pure Python (`TTFontFile.extractInfo`: 120–300 ms per converted CJK face).
# What it extracts (names, metrics, cmap, widths, glyph offsets) is kept in the cache directory, keyed by the
# file's path, size and mtime and reportlab's version, and loaded in a few ms; the font bytes themselves are
# read from the font file when a subset is made. Every process and every worker shares the cache.
FACE_CACHE_VERSION = 3
FACES_PARSED = 0          # fonts parsed by reportlab in this process, not found in the face cache (for tests)


class _CachedFace(TTFontFace):
    """A TTFontFace restored from the face cache: what reportlab parsed, two attributes made on first use: the
    file's bytes (for subsetting) and glyph → characters (kept pickled: only shaping reads it). The bytes are the
    file mapped into memory, not read: a subset needs a few hundred KB of a 7–9 MB CJK face (reading 4 faces took
    ~20 ms of a one-issue build); slices of the map are bytes, as reportlab expects."""

    def __getattr__(self, name):            # only called for attributes not (yet) set
        if name == "_ttf_data":
            with open(self.filename, "rb") as f:
                try:
                    self._ttf_data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
                except (OSError, ValueError):          # no mmap here, or an empty file
                    self._ttf_data = f.read()
            return self._ttf_data
        if name == "glyphToChar":
            self.glyphToChar = pickle.loads(self.__dict__.pop("_glyph_to_char"))
            return self.glyphToChar
        raise AttributeError(name)


    def get_table(self, tag):
        """A table's bytes; the glyf table (most of a 7–9 MB CJK file) as a view whose slices are bytes: reportlab
        copied it whole for each 256-glyph subset it made, to slice glyph after glyph out of it."""
        if tag != "glyf":
            return super().get_table(tag)
        pos, length = self.get_table_pos(tag)
        return _TableView(memoryview(self._ttf_data)[pos:pos + length])


class _TableView:
    """Indexes and slices as the bytes it views would (a slice is a copy of just that part)."""

    __slots__ = ("_view",)

    def __init__(self, view: memoryview):
        self._view = view

    def __len__(self) -> int:
        return len(self._view)

    def __getitem__(self, k):
        v = self._view[k]
        return v.tobytes() if isinstance(v, memoryview) else v


class _Metrics:
    """reportlab's `hmetrics` (glyph → (advance, left side bearing)) as two arrays: unpickled as two blocks of
    bytes, not tens of thousands of tuples (3–6 ms per face and process). Only subsetting reads it."""

    __slots__ = ("advances", "bearings")

    def __init__(self, advances: array, bearings: array):
        self.advances, self.bearings = advances, bearings

    def __len__(self) -> int:
        return len(self.advances)

    def __getitem__(self, glyph: int) -> tuple[int, int]:
        return self.advances[glyph], self.bearings[glyph]


def _packed(values, typecode: str) -> tuple[str, bytes] | None:
    try:
        return typecode, array(typecode, values).tobytes()
    except (OverflowError, TypeError):      # not integers in the type's range: kept as reportlab made them
        return None


def _unpacked(packed: tuple[str, bytes]) -> array:
    typecode, data = packed
    a = array(typecode)
    a.frombytes(data)
    return a


class _FaceUnpickler(pickle.Unpickler):
    """Loads a cached face: plain data and reportlab's name-string and encoding types, nothing else."""

    def find_class(self, module, name):
        if module == "reportlab.pdfbase.ttfonts" and name in ("TTFNameBytes", "TTEncoding"):
            return getattr(ttfonts, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a font cache file")


def _face_cache_path(path: str, index: int) -> Path | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = "\0".join(map(str, (os.path.abspath(path), index, st.st_size, st.st_mtime_ns, _rl_version,
                              FACE_CACHE_VERSION, sys.version_info[:2])))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "reportlab" / f"{Path(path).stem}-{index}-{digest}.pickle"


def _scale(units_per_em: int):
    """reportlab's font-unit → 1/1000 em conversion (a lambda it keeps on the face: not picklable)."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _load_ttfont(name: str, path: str, index: int) -> TTFont:
    """`TTFont(name, path, subfontIndex=index)`: from the face cache, else parsed by reportlab (and cached)."""
    cached = _face_cache_path(path, index)
    if cached is not None:
        try:
            with open(cached, "rb") as f:
                collecting = gc.isenabled()
                gc.disable()              # tens of thousands of small objects: no collections meanwhile
                try:
                    font_state, face_state = _FaceUnpickler(f).load()
                finally:
                    if collecting:
                        gc.enable()
            face = _CachedFace.__new__(_CachedFace)
            if "_hmetrics" in face_state:
                advances, bearings = face_state.pop("_hmetrics")
                face_state["hmetrics"] = _Metrics(_unpacked(advances), _unpacked(bearings))
            if "_glyph_pos" in face_state:
                face_state["glyphPos"] = _unpacked(face_state.pop("_glyph_pos"))
            face.__dict__.update(face_state)
            face._pdfScale = _scale(face.unitsPerEm)
            font = TTFont.__new__(TTFont)
            font.__dict__.update(font_state)
            font.fontName = name
            font.face = face
            font.state = WeakKeyDictionary()      # per-document subset state, as TTFont.__init__ makes it
            return font
        except FileNotFoundError:
            pass
        except Exception:                 # a damaged or foreign file: parse the font again and replace it
            pass
    font = TTFont(name, path, subfontIndex=index)
    global FACES_PARSED
    FACES_PARSED += 1
    if cached is not None:
        _save_font(font, cached)
    return font


def _save_font(font: TTFont, target: Path) -> None:
    """Write what reportlab parsed (not the font bytes, not the per-document state) atomically: a temp file
    renamed into place, so that parallel workers never read half a file. An unwritable cache only costs speed."""
    font_state = {k: v for k, v in font.__dict__.items() if k not in ("face", "state", "fontName")}
    face_state = {k: v for k, v in font.face.__dict__.items() if k not in ("_ttf_data", "_pdfScale", "glyphToChar")}
    # glyph offsets and metrics as arrays of integers (the same values: offsets, advances and bearings are the
    # font's integers; reportlab's values are kept as they are if ever they are not)
    advances = _packed((aw for aw, _ in font.face.hmetrics), "i")
    bearings = _packed((lsb for _, lsb in font.face.hmetrics), "i")
    if advances and bearings:
        face_state["_hmetrics"] = (advances, bearings)
        del face_state["hmetrics"]
    glyph_pos = _packed(font.face.glyphPos, "I")
    if glyph_pos:
        face_state["_glyph_pos"] = glyph_pos
        del face_state["glyphPos"]
    try:
        face_state["_glyph_to_char"] = pickle.dumps(font.face.glyphToChar, protocol=pickle.HIGHEST_PROTOCOL)
        data = pickle.dumps((font_state, face_state), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:                     # something reportlab keeps is not picklable: no cache
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with replacing(target) as tmp, open(tmp, "wb") as f:
            f.write(data)
    except OSError:
        pass


def _colour(value: str) -> HexColor:
    c = _COLOURS.get(value)
    if c is None:
        c = _COLOURS[value] = HexColor(value)
    return c


class _Fonts:
    def __init__(self, book):
        self.book = book
        self._char: dict[tuple[str, str], tuple[str, object] | None] = {}
        self._primary: dict[str, object] = {}
        self.face_of: dict[str, object] = {}           # reportlab name → Face
        self.fallbacks: dict[str, str] = {}
        self._glyph: dict[tuple[str, str], tuple] = {}

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
                    font = _load_ttfont(name, path, index)
                    # Every face declares the ideographic em box (−0.12 … 0.88 em) as its Ascent/Descent, so that
                    # a fallback glyph (堃 from WenQuanYi) gets the same text box as its neighbours: text
                    # selection and extraction then keep it on their line. Glyphs are drawn as before.
                    font.face.ascent = round(EM_ASCENT * 1000)
                    font.face.descent = round((EM_ASCENT - 1) * 1000)
                    pdfmetrics.registerFont(font)
                except Exception as e:   # reportlab's TTFError and friends: a font it cannot embed
                    raise JianbaoError(f"cannot embed the font {path}#{index} in the PDF: {e}") from None
            _REGISTERED[key] = name
        _FACE_NAME[face] = name
        self.face_of[name] = face
        return name

    def primary(self, key: str):
        face = self._primary.get(key)
        if face is None:
            face = self._primary[key] = self.book.primary(key)
        return face

    def font_for(self, key: str, ch: str, role: str) -> str | None:
        """The registered font that sets `ch` in font key `key`; None for a space no font has."""
        k = (key, ch)
        hit = self._char.get(k, False)
        if hit is False:
            face = self.book.face_for(key, ch)
            if face is None:
                if ch.isspace():
                    hit = None
                else:
                    raise JianbaoError(f"character {ch!r} (U+{ord(ch):04X}) of role {role!r} is in no font "
                                       f"(font key {key!r} and the fallback fonts)")
            else:
                hit = (self.register(face), face)
                if face != self.primary(key) and not ch.isspace():
                    self.fallbacks.setdefault(ch, face.family)
            self._char[k] = hit
        return hit[0] if hit else None

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


# ---------------------------------------------------------------------------------------------------------------
# Layout

class _Layout:
    """Phase 1: the tree → pages of positioned rows."""

    def __init__(self, style: StyleSheet, fonts: _Fonts):
        self.style = style
        self.fonts = fonts
        self.page = style.page
        self.grid = style.grid
        self.width = style.page.text_width
        self.height = style.page.text_height
        self.hang = bool(style.body.get("hanging_punctuation", True))
        self.autospace = float(style.body.get("autospace", 0.0))   # em, between Chinese and Latin/digits
        self.stroke_em = float(style.body.get("emphasis_stroke", 0.02))
        body = style.roles.get("para")
        # Character tracking on the grid: a body glyph in a cell (16 pt in 15.79 pt); every role keeps it.
        self.tracking = self.grid.cell - body.size if body is not None else 0.0
        self.body_size = body.size if body is not None else 0.0
        self.flow: list[Row] = []
        self.masthead: list[tuple[float, Row]] = []
        self.masthead_rules: list[Rule] = []
        self.first_row = 0
        self.distribution: list[Row] | None = None
        self.inner_rule_after = 0      # distribution rows above the thin rule
        self.distribution_line: int | None = None   # the issue file's line of the first recipients
        self.articles = 0
        self._after_note = False
        self.title_text = ""
        self._run_styles: dict[RunStyle, tuple] = {}   # RunStyle → (font key, tracking, colour, bold wanted)
        self._measure = self._make_measure()

    # -- dispatch ----------------------------------------------------------------------------------------------
    def visit(self, el: ET.Element) -> None:
        method = getattr(self, "visit_" + el.tag.replace("-", "_"), None)
        if method is None:
            raise JianbaoError(f"document tree: unknown element <{el.tag}>" + _where(el))
        method(el)

    def visit_bulletin(self, el: ET.Element) -> None:
        for child in el:
            self.visit(child)

    # -- helpers -----------------------------------------------------------------------------------------------
    def role(self, name: str) -> Role:
        return self.style.role(name)

    def track(self, size: float) -> float:
        """The grid's tracking applies to text of the body size (as the DOCX's −0.25 pt spacing does)."""
        return self.tracking if abs(size - self.body_size) < 1e-6 else 0.0

    def cell(self, role: Role, size: float | None = None, spacing: float | None = None) -> float:
        """Width of a CJK cell of a role: its size, the grid's tracking and the role's letter spacing."""
        size = role.size if size is None else size
        return size + self.track(size) + (role.spacing if spacing is None else spacing)

    def chars(self, role: Role, length: float) -> float:
        """A role length given in em (`2em` = two characters) set as that many cells."""
        return length / role.size * (self.cell(role) - role.spacing) if role.size else length

    def _make_measure(self) -> Callable[[str, RunStyle], float]:
        fonts, style = self.fonts, self.style

        glyphs = fonts._glyph

        def measure(text: str, st: RunStyle) -> float:
            key = style.role(st.role).font
            total = 0.0
            for ch in text:
                g = glyphs.get((key, ch)) or fonts.glyph(key, ch, st.role)
                if g:
                    total += g[1]
            return total * st.size + self.track(st.size) * len(text)

        return measure

    def runs_of(self, el: ET.Element, role: str, size: float | None = None) -> list[tuple[str, RunStyle]]:
        """Inline content → (text, RunStyle) runs for the line breaker."""
        try:
            pieces = list(_inline(el, role))
        except ValueError as e:
            raise JianbaoError(f"document tree: {e}" + _where(el)) from None
        out = []
        for text, r, emphasis in pieces:
            sz = self.role(r).size if size is None else size
            out.append((text, RunStyle(r, sz, emphasis)))
        return out

    def lines(self, runs, role: Role, *, width: float, first_indent: float = 0.0, rest_indent: float = 0.0,
              justify: bool = True, balance: bool = False, size: float | None = None,
              spacing: float | None = None) -> list[Line]:
        return layout_paragraph(runs, width=width, cell=self.cell(role, size, spacing), measure=self._measure,
                                first_indent=first_indent, rest_indent=rest_indent, hang=self.hang,
                                justify=justify, balance=balance, orphans=role.orphans,
                                autospace=self.autospace * (role.size if size is None else size))

    def row(self, line: Line, offset: float = 0.0, what: str = "") -> Row:
        """A broken line → glyph runs (x from the text block's left edge)."""
        fonts, styles = self.fonts, self._run_styles
        glyphs = fonts._glyph
        runs: list[GlyphRun] = []
        cur: GlyphRun | None = None
        cur_style = None
        last_x = last_adv = 0.0
        n = 0
        size_max = 0.0
        for box in line.boxes:
            st: RunStyle = box.style
            facts = styles.get(st)
            if facts is None:
                role = self.style.role(st.role)
                # a role whose face is bold (小标宋's stand-in FandolSong-Bold) emboldens its fallback glyphs too
                heavy = st.emphasis or role.bold or bool(getattr(fonts.primary(role.font), "bold", False))
                facts = styles[st] = (role.font, self.track(st.size), role.colour, heavy)
            key, trk, colour, emphasis = facts
            size = st.size
            if size > size_max:
                size_max = size
            x = offset + box.x
            for ch in box.text:
                g = glyphs.get((key, ch)) or fonts.glyph(key, ch, st.role)
                if not g:                 # a space no font has: leave the gap
                    continue
                font, adv = g
                adv = adv * size
                if ch.isspace():
                    x += adv + trk
                    continue
                if cur is not None and cur.font == font and (cur_style is st or cur_style == st):
                    gap = x - (last_x + last_adv)
                    if n == 1 or abs(gap - cur.tc) < 0.005:
                        if n == 1:
                            cur.tc = gap
                        cur.text += ch
                        cur.end = x + adv
                        last_x, last_adv = x, adv
                        n += 1
                        x += adv + trk
                        continue
                bold = emphasis and not getattr(fonts.face_of[font], "bold", False)
                cur = GlyphRun(x=x, text=ch, font=font, size=size, colour=colour,
                               stroke=self.stroke_em * size if bold else 0.0, tc=0.0, end=x + adv)
                cur_style = st
                runs.append(cur)
                last_x, last_adv, n = x, adv, 1
                x += adv + trk
        return Row(runs, size_max or self.role("para").size, what=what)

    def paragraph(self, el: ET.Element, role_name: str, *, runs=None, what: str | None = None,
                  keep: bool = False, balance: bool | None = None) -> list[Row]:
        """A paragraph of a role: broken, aligned and indented as the role says."""
        role = self.role(role_name)
        runs = self.runs_of(el, role_name) if runs is None else runs
        left, right = self.chars(role, role.margin_left), self.chars(role, role.margin_right)
        avail = self.width - left - right
        align = role.align
        lines = self.lines(runs, role, width=avail, first_indent=self.chars(role, role.indent),
                           rest_indent=self.chars(role, role.hang), justify=align == "justify",
                           balance=role.balance if balance is None else balance)
        rows = []
        for line in lines:
            row = self.row(line, left, what or el.tag)
            rows.append(self.align(row, align, left, avail))
        if keep:
            for r in rows:
                r.keep_next = True
        return rows

    @staticmethod
    def align(row: Row, align: str, left: float, avail: float) -> Row:
        if align in ("center", "right") and row.runs:
            x0, x1 = row.extent
            target = left + (avail - (x1 - x0)) / 2 if align == "center" else left + avail - (x1 - x0)
            row.shifted(target - x0)
        return row

    def blank(self, n) -> None:
        for _ in range(int(n or 0)):
            self.flow.append(Row([], self.role("para").size, blank=True, what="blank"))

    def one_line(self, el: ET.Element, role_name: str, size: float | None = None,
                 spacing: float | None = None) -> Row:
        """Masthead text: one line, never broken."""
        role = self.role(role_name)
        runs = self.runs_of(el, role_name, size)
        lines = self.lines(runs, role, width=1e6, justify=False, size=size, spacing=spacing)
        if not lines:
            return Row([], size or role.size, what=el.tag)
        return self.row(lines[0], 0.0, el.tag)

    def band(self, size: float) -> float:
        """Height a masthead line of type `size` takes: one grid line, or for type larger than the pitch its
        em box plus half the body's leading."""
        pitch = self.grid.pitch
        if size <= pitch:
            return pitch
        return size + (pitch - self.role("para").size) / 2

    def baseline(self, top: float, band: float, size: float) -> float:
        """Baseline of type of `size` centred in a band of height `band` starting at `top`."""
        return top + (band - size) / 2 + EM_ASCENT * size

    # -- masthead ----------------------------------------------------------------------------------------------
    MASTHEAD = ("marking", "series", "name", "issue-number", "editor", "date")

    def visit_masthead(self, el: ET.Element) -> None:
        """Free lines at the top of page 1 (marking on the first grid line, big type in bands of its own size),
        the red rule `gap` under the editor/date baseline, then the body back on the grid."""
        pitch = self.grid.pitch
        m = self.style.masthead
        for child in el:
            if child.tag not in self.MASTHEAD:
                raise JianbaoError(f"document tree: unknown element <{child.tag}> in <masthead>" + _where(child))
        editor, date = el.find("editor"), el.find("date")
        cursor = self.page.top + float(m.get("name_top", 0.0))
        last_baseline = None
        for child in el:
            if child.tag == "date" and editor is not None:
                continue                                    # set with the editor
            if child.tag in ("editor", "date"):
                rows = [self.editor_date(editor, date)]
            else:
                role = self.role(child.tag)
                rows = [self.align(row, role.align, 0, self.width) for row in self.fitted_lines(child, child.tag)]
            for row in rows:
                band = self.band(row.size)
                last_baseline = self.baseline(cursor, band, row.size)
                self.masthead.append((last_baseline, row))
                cursor += band
            if child.tag == "name":
                cursor += pitch * float(m.get("blank_after_name", 0))
            elif child.tag == "issue-number":
                cursor += pitch * float(m.get("blank_after_number", 0))
        if last_baseline is None:
            last_baseline = cursor
        # the red rule (and the thin one of a double rule)
        rule = m.get("rule") or {}
        colour = self.style.colour(rule.get("colour", "red"))
        width = float(rule.get("width", 2.25))
        y = last_baseline + float(rule.get("gap", 0.0))
        x0, x1 = self.page.left, self.page.left + self.width
        self.masthead_rules.append(Rule(x0, x1, y, width, colour))
        bottom = y + width / 2
        if rule.get("double"):
            thin = float(rule.get("thin_width", 0.75))
            ty = bottom + float(rule.get("thin_gap", 1.0)) + thin / 2
            self.masthead_rules.append(Rule(x0, x1, ty, thin, colour))
            bottom = ty + thin / 2
        # the body resumes on the grid, `blank_after_rule` empty lines under the rule
        clear = bottom - self.page.top + pitch * float(m.get("blank_after_rule", 0))
        self.first_row = max(0, math.ceil(clear / pitch - 1e-6))
        if self.first_row >= self.grid.lines:
            raise JianbaoError("the masthead fills the whole first page; check the masthead settings of the style sheet")

    def editor_date(self, editor: ET.Element | None, date: ET.Element | None) -> Row:
        """Editor and date on one line, each aligned as its role says (flush left, flush right)."""
        row = Row([], self.role("editor" if editor is not None else "date").size, what="editor-date")
        for el in (editor, date):
            if el is None:
                continue
            r = self.align(self.one_line(el, el.tag), self.role(el.tag).align, 0, self.width)
            if row.runs and r.runs and r.extent[0] < row.extent[1] + self.cell(self.role(el.tag)):
                raise JianbaoError("the editor and the date do not fit on one line of the masthead" + _where(el))
            row.runs += r.runs
            row.size = max(row.size, r.size)
        return row

    def fitted_lines(self, el: ET.Element, role_name: str) -> list[Row]:
        """A masthead line fitted to the text width (`fitted`); a `fit` role that would have to shrink below its
        `fit_min` (a long series line) is set instead in two balanced lines, as large as they fit (at most its
        size), and smaller only if two lines at `fit_min` are still too wide."""
        role = self.role(role_name)
        row = self.fitted(el, role_name)
        if not (role.fit and role.fit_min) or row.size >= role.fit_min - _EPS:
            return [row]
        avail = self.width - self.chars(role, role.margin_left) - self.chars(role, role.margin_right)
        # a character of room, as the DOCX writer leaves for Word's and LibreOffice's rounding
        _, lines = in_two_lines(role.size, row.size, lambda size: self.lines(
            self.runs_of(el, role_name, size), role, width=avail - size, justify=False, balance=True, size=size,
            spacing=0.0))
        return [self.row(line, 0.0, el.tag) for line in lines]

    def fitted(self, el: ET.Element, role_name: str) -> Row:
        """A masthead line at its role's size and letter spacing if it fits the text width; else with less
        letter spacing, then smaller (a `fit` role such as the series line is meant to shrink this way)."""
        role = self.role(role_name)
        avail = self.width - self.chars(role, role.margin_left) - self.chars(role, role.margin_right)

        def width(row: Row) -> float:
            x0, x1 = row.extent
            return x1 - x0

        row = self.one_line(el, role_name)
        if width(row) <= avail + _EPS:
            return row
        if role.spacing:
            tight = self.one_line(el, role_name, spacing=0.0)
            if width(tight) <= avail + _EPS:
                spacing = role.spacing * (avail - width(tight)) / (width(row) - width(tight))
                return self.one_line(el, role_name, spacing=max(0.0, spacing - _EPS))
            row = tight
        size = math.floor(role.size * avail / width(row) * 10) / 10
        while size > 1:
            row = self.one_line(el, role_name, size, spacing=0.0)
            if width(row) <= avail + _EPS:
                return row
            size = round(size - 0.1, 1)
        return row

    # -- contents, note ----------------------------------------------------------------------------------------
    def visit_contents(self, el: ET.Element) -> None:
        for child in el:
            if child.tag == "contents-title":
                self.flow += self.paragraph(child, "contents-title", keep=True)
            elif child.tag == "contents-entry":
                self.flow += self.paragraph(child, "contents-entry", keep=child is not el[-1])
            else:
                raise JianbaoError(f"document tree: unknown element <{child.tag}> in <contents>" + _where(child))
        self.blank(self.style.body.get("blank_between_articles", 1))

    def visit_note(self, el: ET.Element) -> None:
        self.flow += self.paragraph(el, "note")
        self._after_note = True

    # -- articles ----------------------------------------------------------------------------------------------
    def visit_article(self, el: ET.Element) -> None:
        if self.articles or self._after_note:
            self.blank(self.style.body.get("blank_between_articles", 1))
        self._after_note = False
        self.articles += 1
        for child in el:
            self.visit(child)

    def visit_title(self, el: ET.Element) -> None:
        rows = self.paragraph(el, "title", keep=True)
        if not self.title_text:      # the PDF's Title
            self.title_text = " ".join("".join(el.itertext()).split())
        self.flow += rows

    def visit_subtitle(self, el: ET.Element) -> None:
        self.flow += self.paragraph(el, "subtitle", keep=True)

    def visit_para(self, el: ET.Element) -> None:
        self.flow += self.paragraph(el, "para")

    def visit_heading(self, el: ET.Element) -> None:
        level = el.get("level")
        self.flow += self.paragraph(el, f"heading-{level}", keep=True)

    def visit_source(self, el: ET.Element) -> None:
        before = int(self.style.body.get("blank_before_source", 0) or 0)
        if self.flow:
            self.flow[-1].keep_next = True
        for _ in range(before):
            self.flow.append(Row([], self.role("para").size, keep_next=True, what="blank"))
        self.flow += self.paragraph(el, "source")

    # -- distribution (版记) -----------------------------------------------------------------------------------
    def visit_distribution(self, el: ET.Element) -> None:
        # recipients, then the print run (共印N份) flush right on their last line or under them, the inner rule,
        # the printing line last, on the bottom rule (whatever the order in the tree)
        above: list[Row] = []
        copies: list[Row] = []
        below: list[Row] = []
        for child in el:
            if child.tag == "recipients":
                above += self.recipients(child)
            elif child.tag == "printing":
                below += self.printing(child)
            elif child.tag == "copies":
                role = self.role("printing")
                left = self.chars(role, role.margin_left)
                avail = self.width - left - self.chars(role, role.margin_right)
                for line in self.lines(self.runs_of(child, "printing"), role, width=avail, justify=False):
                    copies.append(self.align(self.row(line, left, "copies"), "right", left, avail))
            else:
                raise JianbaoError(f"document tree: unknown element <{child.tag}> in <distribution>" + _where(child))
        if copies and above and len(copies) == 1:
            # level with the last recipient line when it leaves two characters between (简报 practice)
            last, run = above[-1], copies[0]
            if last.extent[1] + 2 * self.cell(self.role("recipients")) <= run.extent[0] + _EPS:
                above[-1] = Row(last.runs + run.runs, max(last.size, run.size), what=last.what)
                copies = []
        above += copies
        if above or below:
            self.distribution = above + below
            lines = [int(c.get("line")) for c in el if c.get("line", "").isdigit()]
            self.distribution_line = lines[0] if lines else None
            self.inner_rule_after = len(above)

    def recipients(self, el: ET.Element) -> list[Row]:
        role = self.role("recipients")
        runs = self.runs_of(el, "recipients")
        label = el.find("label")
        hang = 0.0
        if label is not None:
            lab = self.lines(self.runs_of(label, "recipients"), role, width=1e6, justify=False)
            hang = lab[0].natural if lab else 0.0
        hang = max(hang, self.chars(role, role.hang))
        left = self.chars(role, role.margin_left)
        avail = self.width - left - self.chars(role, role.margin_right)
        lines = self.lines(runs, role, width=avail, first_indent=self.chars(role, role.indent), rest_indent=hang,
                           justify=role.align == "justify")
        return [self.row(line, left, "recipients") for line in lines]

    def printing(self, el: ET.Element) -> list[Row]:
        """The printing line: printer one character in from the left, `…印发` one character in from the right,
        at least a character apart. GB/T 9704 keeps the two on one line, so a long printer first gives up
        the margins and half the gap, then is set up to `distribution.printing_squeeze` tighter; only beyond that does the
        date go right-aligned onto a line of its own."""
        for child in el:
            if child.tag not in ("printer", "printed"):
                raise JianbaoError(f"document tree: unknown element <{child.tag}> in <printing>" + _where(child))
        role = self.role("printing")
        left, right = self.chars(role, role.margin_left), self.chars(role, role.margin_right)
        avail = self.width - left - right
        printer, printed = el.find("printer"), el.find("printed")
        if printer is not None and printed is not None:
            cell = self.cell(role)
            row = self.printing_row(printer, printed, left, right, cell, 0.0)
            if row is None:
                date = self.one_line(printed, "printing")
                name = self.one_line(printer, "printing")
                gaps = sum(1 for ch in "".join(printer.itertext()) if ord(ch) > 0x2000) - 1   # between cells
                over = _width(name) + cell / 2 + _width(date) - self.width
                if gaps > 0 and over / gaps <= self.squeeze_limit(role):
                    row = self.printing_row(printer, printed, 0.0, 0.0, cell / 2, over / gaps + _EPS)
            if row is not None:
                return [row]
        rows = []
        if printer is not None:
            for line in self.lines(self.runs_of(printer, "printing"), role, width=avail, justify=False):
                rows.append(self.row(line, left, "printer"))
        if printed is not None:
            for line in self.lines(self.runs_of(printed, "printing"), role, width=avail, justify=False):
                rows.append(self.align(self.row(line, left, "printed"), "right", left, avail))
        return rows

    def squeeze_limit(self, role: Role) -> float:
        """How much tighter (pt a character) the printer may be set to keep the printing line one line."""
        return float(self.style.distribution.get("printing_squeeze", 0.1 * role.size))

    def printing_row(self, printer: ET.Element, printed: ET.Element, left: float, right: float, gap: float,
                     squeeze: float) -> Row | None:
        """Printer and date on one line, `squeeze` pt tighter a cell in the printer; None if they do not fit."""
        role = self.role("printing")
        name = self.one_line(printer, "printing", spacing=role.spacing - squeeze).shifted(left)
        date = self.one_line(printed, "printing")
        date.shifted(self.width - right - date.extent[1])
        if not name.runs or not date.runs or name.extent[1] + gap > date.extent[0] + _EPS:
            return None
        return Row(name.runs + date.runs, max(name.size, date.size), what="printing")


def _width(row: Row) -> float:
    x0, x1 = row.extent
    return x1 - x0


def _where(el: ET.Element) -> str:
    line = el.get("line")
    return f" (issue line {line})" if line else ""


def _inline(el: ET.Element, role: str) -> Iterable[Run]:
    """`jianbao.tree.runs`, plus `<note-label>` (the 编者按 label, set in its own role `note-label`).
    Raises ValueError for an element inline content may not hold."""
    if not any(child.tag == "note-label" for child in el):
        yield from tree_runs(el, role)
        return
    if el.text:
        yield Run(el.text, role, False)
    for child in el:
        if child.tag == "note-label":
            yield from tree_runs(child, "note-label")
            if child.tail:
                yield Run(child.tail, role, False)
        else:
            holder = ET.Element(el.tag)
            holder.append(child)
            yield from tree_runs(holder, role)


# ---------------------------------------------------------------------------------------------------------------
# Pagination

def _paginate(lay: _Layout) -> list[Page]:
    style = lay.style
    pitch, lines = lay.grid.pitch, lay.grid.lines
    top = lay.page.top
    rows = lay.flow
    pages: list[Page] = []
    used: list[int] = []            # grid lines used on each page (rows from the block top)

    def place(page: Page, r: int, row: Row) -> None:
        page.rows.append((lay.baseline(top + r * pitch, pitch, row.size), row))

    first = Page(rows=list(lay.masthead), rules=list(lay.masthead_rules))
    pages.append(first)
    i, n = 0, len(rows)
    start = lay.first_row if lay.masthead else 0
    used.append(start if lay.masthead else 0)
    while True:
        while i < n and rows[i].blank and start == 0:
            i += 1                              # no blank lines at the top of a page
        cap = lines - start
        j = min(n, i + cap)
        if j < n:
            k = j
            while k > i and rows[k - 1].keep_next:
                k -= 1
            if k > i:
                j = k
        page = pages[-1]
        last_content = start
        for r, row in enumerate(rows[i:j], start):
            if not row.blank:
                place(page, r, row)
                last_content = r + 1
        used[-1] = max(used[-1], last_content)
        i = j
        while i < n and rows[i].blank:
            i += 1
        if i >= n:
            break
        pages.append(Page())
        used.append(0)
        start = 0

    # the distribution block (版记) at the bottom of the last page
    if lay.distribution:
        d = style.distribution
        dpitch = float(d.get("pitch", pitch))
        block = len(lay.distribution) * dpitch
        if block > lay.height + _EPS:
            raise JianbaoError(f"the distribution block (版记) is taller than a page: {len(lay.distribution)} lines, "
                               f"a page holds {int(lay.height // dpitch)}; shorten the recipient lists",
                               line=lay.distribution_line)
        new_page = used[-1] * pitch > lay.height - block + _EPS     # no room under the body
        if new_page:
            pages.append(Page())
        if d.get("even_page") and len(pages) % 2 == 1:
            if new_page:
                pages[-1].blank = True       # the empty page between stays blank and unnumbered
            pages.append(Page())
        page = pages[-1]
        bottom = top + lay.height
        block_top = bottom - block
        for k, row in enumerate(lay.distribution):
            page.rows.append((lay.baseline(block_top + k * dpitch, dpitch, row.size), row))
        x0, x1 = lay.page.left, lay.page.left + lay.width
        black = style.colour("black")
        outer = float(d.get("rule_outer", 0.35 * 72 / 25.4))
        inner = float(d.get("rule_inner", 0.25 * 72 / 25.4))
        page.rules.append(Rule(x0, x1, block_top, outer, black))
        if 0 < lay.inner_rule_after < len(lay.distribution):
            page.rules.append(Rule(x0, x1, block_top + lay.inner_rule_after * dpitch, inner, black))
        page.rules.append(Rule(x0, x1, bottom, outer, black))
    for number, p in enumerate(pages, 1):
        p.number = None if p.blank else number
        if p.number is not None:
            p.folio = _page_number_row(lay, number, number % 2 == 1)
    return pages


def _page_number_row(lay: _Layout, number: int, odd: bool) -> tuple[float, Row]:
    """`— N —` in the page-number role: odd pages right, even pages left, `indent` in from the text block's
    edge; the top of the dashes `below` under the text block."""
    style = lay.style
    role = lay.role("page-number")
    pn = style.page_number
    dash = str(pn.get("dash", "—"))
    text = f"{dash} {number} {dash}" if dash else str(number)
    el = ET.Element("page-number")
    el.text = text
    row = lay.one_line(el, "page-number")
    x0, x1 = row.extent
    indent = float(pn.get("indent", role.size))
    if odd:
        row.shifted(lay.width - indent - x1)
    else:
        row.shifted(indent - x0)
    below = float(pn.get("below", 7 * 72 / 25.4))
    top_of_dash = lay.page.top + lay.height + below
    top = None
    if dash and row.runs:
        first = row.runs[0]
        top = lay.fonts.glyph_top(first.font, dash[0])
    if top is None:
        top = 0.3                                  # an em dash sits about a third of an em above the baseline
    return top_of_dash + top * role.size, row


# ---------------------------------------------------------------------------------------------------------------
# Drawing

# Text objects are written here as reportlab's PDFTextObject writes them (the same operators and numbers, so the
# same bytes), without its costs per call: it measured every string to keep a cursor this writer never reads,
# formatted every coordinate afresh (`fp_str`, pure Python: 5,000 calls an issue) and escaped byte by byte.

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


def _rg(colour: str) -> str:
    op = _RG.get(colour)
    if op is None:
        c = _colour(colour)
        op = _RG[colour] = f"{fp_str((c.red, c.green, c.blue))} rg"
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
        """The run's glyphs, as `_draw_row` places them: one origin for the run, or, with character spacing,
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


def _draw_row(c: Canvas, row: Row, x_origin: float, y: float) -> None:
    """Draw a row's runs left to right (reading order). Character spacing (Tc) and the text render mode are
    set explicitly in every text object: they are graphics state and would leak from one object to the next."""
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
            colour = _colour(run.colour)
            c.setStrokeColor(colour)
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


def lay_out(tree: ET.Element, style: StyleSheet, fonts) -> list[Page]:
    """Phase 1 alone: the pages with their positioned rows and rules (for tests and tools)."""
    return _lay_out(tree, style, _Fonts(fonts))[1]


def _lay_out(tree: ET.Element, style: StyleSheet, f: _Fonts) -> tuple[_Layout, list[Page]]:
    if tree.tag != "bulletin":
        raise JianbaoError(f"document tree: the root element is <{tree.tag}>, not <bulletin>")
    lay = _Layout(style, f)
    lay.visit(tree)
    return lay, _paginate(lay)


def prepare_fonts(style: StyleSheet, fonts, jobs: int | None = None) -> None:
    """Register with reportlab every face the style sheet's font keys resolve to (their own and the fallback
    faces), as the first PDF would: done once by a batch before its workers are forked, they share them. Faces
    not yet converted to TrueType are converted first, in `jobs` processes at once."""
    from .fonts import prepare_reportlab

    faces = list(dict.fromkeys(face for key in style.fonts for face in fonts.chain(key)))
    prepare_reportlab(faces, jobs)
    f = _Fonts(fonts)
    for face in faces:
        f.register(face)


# Streams are deflated at zlib level 1, not reportlab's 6: deflating the embedded font subsets (~400 KB of quadratic
# outlines an issue) was a third of `save()`; level 1 takes half the time for files ~6 % larger.
DEFLATE_LEVEL = 1


def _deflate(data) -> bytes:
    return zlib.compress(data.encode("utf-8") if isinstance(data, str) else data, DEFLATE_LEVEL)


def _save(c: Canvas) -> None:
    """`c.save()`, with the page streams deflated only, not also ASCII85-encoded (reportlab's default, for 7-bit
    channels: a quarter larger, and its pure-Python encoder took a tenth of the writer's time), and every stream
    deflated at DEFLATE_LEVEL. The settings are reportlab's globals: restored afterwards."""
    a85 = rl_config.useA85
    rl_config.useA85 = 0
    pdfdoc.PDFZCompress.encode = _deflate          # (an attribute of reportlab's one filter object, not its class)
    try:
        c.save()
    finally:
        rl_config.useA85 = a85
        del pdfdoc.PDFZCompress.encode


def write_pdf(tree: ET.Element, style: StyleSheet, fonts, out: BinaryIO) -> PdfInfo:
    """Set the document tree on the page grid and write the PDF to `out`."""
    f = _Fonts(fonts)
    initial = f.register(f.primary(style.role("para").font))
    lay, pages = _lay_out(tree, style, f)

    W, H = style.page.width, style.page.height
    c = Canvas(out, pagesize=(W, H), invariant=1, initialFontName=initial,
               initialFontSize=style.role("para").size)
    c.setTitle(lay.title_text or "简报")
    c.setCreator("jianbao")
    left = style.page.left
    for page in pages:
        for rule in page.rules:
            c.setStrokeColor(_colour(rule.colour))
            c.setLineWidth(rule.width)
            c.line(rule.x0, H - rule.y, rule.x1, H - rule.y)
        for baseline, row in page.rows:
            _draw_row(c, row, left, H - baseline)
        if page.folio is not None:
            baseline, row = page.folio
            _draw_row(c, row, left, H - baseline)
        c.showPage()
    _save(c)
    return PdfInfo(pages=len(pages), fallbacks=dict(sorted(f.fallbacks.items())))
