"""reportlab's parse of a TrueType face, kept between processes (see `jianbao.speed`).

reportlab parses a TrueType file in pure Python (`TTFontFile.extractInfo`: 120–300 ms per converted CJK face).
What it extracts (names, metrics, cmap, widths, glyph offsets) is kept in the cache directory, keyed by the
file's path, size and mtime and reportlab's version, and loaded in a few ms; the font bytes themselves are
read from the font file when a subset is made. Every process and every worker shares the cache.

Private interfaces: the attributes of `TTFont` and `TTFontFace` (restored with `__dict__`), `TTFontFace.get_table`
and `_ttf_data`. With the speed-ups off (`jianbao.speed.ENABLED`), `load_ttfont` is `TTFont(name, path, index)`.
"""
from __future__ import annotations

import gc
import hashlib
import mmap
import os
import pickle
import sys
from array import array
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab import Version as _rl_version
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from . import ENABLED
from ..atomic import replacing
from ..fonts import cache_dir

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


def load_ttfont(name: str, path: str, index: int) -> TTFont:
    """`TTFont(name, path, subfontIndex=index)`: from the face cache, else parsed by reportlab (and cached)."""
    cached = _face_cache_path(path, index) if ENABLED else None
    if cached is not None and cached.is_file():
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
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, KeyError, TypeError, ValueError):
            pass                          # a damaged or foreign file: parsed again below, and replaced
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
    except (pickle.PicklingError, TypeError, AttributeError):   # something reportlab keeps is not picklable
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with replacing(target) as tmp, open(tmp, "wb") as f:
            f.write(data)
    except OSError:
        return                            # an unwritable cache only costs speed

