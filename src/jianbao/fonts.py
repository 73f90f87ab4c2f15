"""The font book: finds the faces named in a style sheet's `fonts:` section, checks that every character
of a document is in some font, and prepares faces for reportlab (which embeds TrueType `glyf` fonts only).

Family keys (`fangsong`, `hei`, …) map to lists of face names, official first. A name matches a font when it
equals (case-insensitive, spaces and hyphens ignored) one of its family names (name IDs 1, 16, 21, every
language) or its full / PostScript name (IDs 4, 6, or family + style); a full-name match or a regular face of
the family wins over a bold/italic face of the family. A name may also be a font file path, relative to the
series directory (`fonts/FZXBSJW.TTF`, `fonts/x.ttc#2`).

Search order: the series' `fonts/` directory, then `$JIANBAO_FONT_PATH`, then the system font directories.
The name tables of every font file are kept in an index (JSON in the cache directory), re-read only for files
whose size or modification time changed. CFF-based fonts (Fandol, Noto CJK) are converted to TrueType once and
cached for reportlab.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import os
import struct
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence
from xml.etree import ElementTree as ET

from .atomic import replacing
from .errors import InputErrors, JianbaoError, Location
from .i18n import _

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
INDEX_VERSION = 2
CONVERTER_VERSION = 1          # bump when the CFF→TTF conversion changes: invalidates converted files
FALLBACK_KEY = "fallback"


def _log():
    """The "jianbao.fonts" logger: INFO when a face is converted (slow: worth telling the user). `logging` is
    imported only then (~15 ms of every process otherwise)."""
    import logging
    return logging.getLogger("jianbao.fonts")


def __getattr__(name):          # fonts.log, as it was
    if name == "log":
        return _log()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_FT_VERSION: str | None = None


def _fonttools_version() -> str:
    """`fontTools.version`, read from the package's __init__.py without importing it: importing fontTools takes
    ~30 ms (it sets up its logging), and a build that finds every face converted needs nothing else from it."""
    global _FT_VERSION
    if _FT_VERSION is None:
        import importlib.util
        import re

        version = None
        try:
            spec = importlib.util.find_spec("fontTools")
            if spec is not None and spec.origin and "fontTools" not in sys.modules:
                with open(spec.origin, encoding="utf-8") as f:
                    m = re.search(r'^version = __version__ = "([^"\\]+)"$', f.read(), re.M)
                version = m.group(1) if m else None
        except (ImportError, OSError, ValueError):
            version = None
        if version is None:
            from fontTools import version
        _FT_VERSION = version
    return _FT_VERSION


# ---------------------------------------------------------------------------------------------------------------
# Places

def cache_dir() -> Path:
    """$JIANBAO_CACHE, else $XDG_CACHE_HOME/jianbao, else ~/.cache/jianbao."""
    if os.environ.get("JIANBAO_CACHE"):
        return Path(os.environ["JIANBAO_CACHE"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "jianbao"
    return Path.home() / ".cache" / "jianbao"


def system_font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library/Fonts"]
    if sys.platform.startswith("win"):
        dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        if os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts", home / ".fonts"]


def font_path_dirs() -> list[Path]:
    """The directories of $JIANBAO_FONT_PATH (os.pathsep-separated)."""
    return [Path(p).expanduser() for p in os.environ.get("JIANBAO_FONT_PATH", "").split(os.pathsep) if p.strip()]


def _norm(name: str) -> str:
    """Names compare case-insensitively, ignoring spaces and hyphens ('FandolSong Bold' == 'fandolsong-bold')."""
    return "".join(ch for ch in name.casefold() if not ch.isspace() and ch != "-")


_NOT_REGULAR = ("bold", "black", "heavy", "italic", "oblique", "thin", "hairline", "extralight", "ultralight")


# ---------------------------------------------------------------------------------------------------------------
# The index of font files: path → size, mtime, and per face its names

def _read_faces(path: str) -> list[dict]:
    """Name-table facts of every face in a font file (one for .ttf/.otf, several for .ttc/.otc)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.sfnt import readTTCHeader

    with open(path, "rb") as f:
        tag = f.read(4)
        if tag == b"ttcf":
            f.seek(0)
            count = readTTCHeader(f).numFonts
        else:
            count = 1
    faces = []
    for index in range(count):
        font = TTFont(path, fontNumber=index, lazy=True)
        try:
            families, fulls, styles = [], [], []
            if "name" in font:
                for rec in font["name"].names:
                    if rec.nameID not in (1, 2, 4, 6, 16, 17, 21, 22):
                        continue
                    try:
                        text = rec.toUnicode().strip()
                    except Exception:   # an undecodable legacy Mac encoding
                        continue
                    if not text:
                        continue
                    english = rec.platformID == 1 and rec.langID == 0 or rec.platformID == 3 and rec.langID == 0x409
                    if rec.nameID in (1, 16, 21):
                        families.append((text, rec.nameID, rec.platformID, rec.langID))
                    elif rec.nameID in (4, 6):
                        fulls.append(text)
                    elif english:
                        styles.append((rec.nameID, text))
            style = next((t for i, t in sorted(styles, key=lambda s: -s[0]) if i in (17, 2)), "Regular")
            try:
                weight = int(font["OS/2"].usWeightClass) if "OS/2" in font else 400
            except Exception:
                weight = 400
            cff = font.sfntVersion == "OTTO" or "CFF " in font or "CFF2" in font
            faces.append({
                "index": index,
                "families": _unique(f[0] for f in families),
                "docx": _docx_family(families),
                "full": _unique(fulls),
                "style": style,
                "weight": weight,
                "cff": bool(cff),
            })
        finally:
            font.close()
    return faces


def _docx_family(families: list[tuple]) -> str:
    """The family name Word/WPS know a face by: the zh-CN legacy family, else the English one, else any."""
    for want in ((3, 0x804), (3, 0x409), (1, 0)):
        for text, name_id, platform, lang in families:
            if name_id == 1 and (platform, lang) == want:
                return text
    return families[0][0] if families else ""


def _unique(items: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


class FontIndex:
    """`index.json` in the cache directory: per font file (absolute path) its size, mtime and faces."""

    def __init__(self, path: Path | None = None):
        self.path = path if path is not None else cache_dir() / "fontindex.json"
        self.files: dict[str, dict] = {}
        self.dirty = False
        self.parsed = 0   # files whose name tables were read in this process (for tests and timing)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION and isinstance(data.get("files"), dict):
                self.files = data["files"]
        except (OSError, ValueError):
            pass

    def entry(self, path: str, st: os.stat_result | None = None) -> dict | None:
        """The index entry of a font file, read again when its size or mtime changed; None if it is unreadable."""
        try:
            st = st or os.stat(path)
        except OSError:
            return None
        old = self.files.get(path)
        if old and old["size"] == st.st_size and old["mtime"] == st.st_mtime_ns:
            return old
        try:
            faces = _read_faces(path)
        except Exception as e:   # a broken or unsupported file: remember, so that it is not read every time
            faces, error = [], f"{type(e).__name__}: {e}"
        else:
            error = None
        self.parsed += 1
        new = {"size": st.st_size, "mtime": st.st_mtime_ns, "faces": faces}
        if error:
            new["error"] = error
        self.files[path] = new
        self.dirty = True
        return new

    def scan(self, directory: Path, seen_dirs: set[str] | None = None) -> list[str]:
        """Every font file under `directory` (recursively; a directory reached twice, e.g. through a link or
        from two search directories, is read once: `seen_dirs` is shared between calls), indexed."""
        seen_dirs = set() if seen_dirs is None else seen_dirs
        stack = [str(directory)]
        found: list[str] = []
        walked: set[str] = set()
        while stack:
            d = stack.pop()
            try:
                real = os.path.realpath(d)
                if real in seen_dirs:
                    continue
                seen_dirs.add(real)
                entries = sorted(os.scandir(d), key=lambda e: e.name)
            except OSError:
                continue
            walked.add(d)
            subdirs = []
            for e in entries:
                try:
                    if e.is_dir():
                        subdirs.append(e.path)
                    elif e.name.lower().endswith(FONT_SUFFIXES) and self.entry(e.path, e.stat()) is not None:
                        found.append(e.path)
                except OSError:
                    continue
            stack.extend(reversed(subdirs))
        found_set = set(found)
        for p in [p for p in self.files if p not in found_set and os.path.dirname(p) in walked]:
            del self.files[p]       # removed from the disk
            self.dirty = True
        return found

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with replacing(self.path) as tmp, open(tmp, "w", encoding="utf-8") as f:
                json.dump({"version": INDEX_VERSION, "files": self.files}, f, ensure_ascii=False)
            self.dirty = False
        except OSError:
            pass   # an unwritable cache only costs speed


# ---------------------------------------------------------------------------------------------------------------
# Character coverage: the cmap read directly. fontTools maps every code to a glyph *name*, which for a CFF font
# means decoding the whole charset (150–270 ms per CJK file); here the cmap subtable's arrays are unpacked
# (≈1 ms) and each character is looked up by binary search when asked.

class _Cmap:
    """Which code points a face maps to a real glyph (not .notdef)."""

    def __init__(self, path: str, index: int):
        self.kind = "none"
        with open(path, "rb") as f:
            base = _sfnt_offset(f, index)
            f.seek(base + 4)
            num_tables = struct.unpack(">H", f.read(2))[0]
            f.seek(base + 12)
            directory = f.read(16 * num_tables)
            cmap = None
            for i in range(num_tables):
                tag, _, off, length = struct.unpack_from(">4sIII", directory, 16 * i)
                if tag == b"cmap":
                    cmap = (off, length)
            if cmap is None:
                return
            f.seek(cmap[0])
            data = f.read(cmap[1])
        n = struct.unpack_from(">H", data, 2)[0]
        subtables = {}
        for i in range(n):
            platform, encoding, off = struct.unpack_from(">HHI", data, 4 + 8 * i)
            if off + 2 <= len(data):
                subtables.setdefault((platform, encoding, struct.unpack_from(">H", data, off)[0]), off)
        for key in ((3, 10, 12), (0, 6, 12), (0, 4, 12), (0, 3, 12), (3, 1, 4), (0, 3, 4), (0, 4, 4), (0, 6, 4),
                    (0, 1, 4), (0, 0, 4), (3, 0, 4)):
            if key in subtables:
                (self._format12 if key[2] == 12 else self._format4)(data, subtables[key])
                return
        self._fonttools(path, index)

    def _format12(self, data: bytes, off: int) -> None:
        n = struct.unpack_from(">I", data, off + 12)[0]
        groups = struct.unpack_from(f">{3 * n}I", data, off + 16)
        self.starts, self.ends, self.glyphs = groups[0::3], groups[1::3], groups[2::3]
        self.kind = "12"

    def _format4(self, data: bytes, off: int) -> None:
        seg2 = struct.unpack_from(">H", data, off + 6)[0]
        segs = seg2 // 2
        p = off + 14
        self.ends = struct.unpack_from(f">{segs}H", data, p)
        self.starts = struct.unpack_from(f">{segs}H", data, p + seg2 + 2)
        self.deltas = struct.unpack_from(f">{segs}h", data, p + 2 * seg2 + 2)
        self.ro_pos = p + 3 * seg2 + 2
        self.offsets = struct.unpack_from(f">{segs}H", data, self.ro_pos)
        self.data = data
        self.kind = "4"

    def _fonttools(self, path: str, index: int) -> None:
        from fontTools.ttLib import TTFont
        font = TTFont(path, fontNumber=index, lazy=True)
        try:
            cmap = font["cmap"].getBestCmap() or {} if "cmap" in font else {}
            self.codes = {c for c, g in cmap.items() if font.getGlyphID(g) != 0}
        finally:
            font.close()
        self.kind = "set"

    def has(self, cp: int) -> bool:
        if self.kind == "12":
            i = bisect.bisect_right(self.starts, cp) - 1
            return i >= 0 and cp <= self.ends[i] and self.glyphs[i] + cp - self.starts[i] != 0
        if self.kind == "4":
            if cp > 0xFFFF:
                return False
            i = bisect.bisect_left(self.ends, cp)
            if i >= len(self.ends) or self.starts[i] > cp or self.starts[i] == 0xFFFF:
                return False
            ro = self.offsets[i]
            if ro == 0:
                return (cp + self.deltas[i]) & 0xFFFF != 0
            q = self.ro_pos + 2 * i + ro + 2 * (cp - self.starts[i])
            if q + 2 > len(self.data):
                return False
            g = struct.unpack_from(">H", self.data, q)[0]
            return g != 0 and (g + self.deltas[i]) & 0xFFFF != 0
        if self.kind == "set":
            return cp in self.codes
        return False


_CMAPS: dict[tuple[str, int], _Cmap] = {}


def _sfnt_offset(f, index: int) -> int:
    f.seek(0)
    head = f.read(12)
    if head[:4] == b"ttcf":
        count = struct.unpack(">I", head[8:12])[0]
        if index >= count:
            raise ValueError(f"face index {index} not in a collection of {count}")
        f.seek(12 + 4 * index)
        return struct.unpack(">I", f.read(4))[0]
    return 0


def _cmap(path: Path, index: int) -> _Cmap:
    key = (str(path), index)
    cmap = _CMAPS.get(key)
    if cmap is None:
        try:
            cmap = _Cmap(str(path), index)
        except (OSError, ValueError, struct.error):
            cmap = _Cmap.__new__(_Cmap)
            cmap.kind = "none"
        _CMAPS[key] = cmap
    return cmap


# ---------------------------------------------------------------------------------------------------------------
# Faces

@dataclass(frozen=True)
class Face:
    family: str                 # the name it matched, as written in layout.yaml
    path: Path                  # the font file
    index: int = 0              # face index inside a .ttc/.otc, else 0
    cff: bool | None = field(default=None, compare=False)      # PostScript (CFF) outlines; None: look at the file
    full_name: str = field(default="", compare=False)          # the font's own full name (name ID 4)
    style: str = field(default="Regular", compare=False)       # subfamily, e.g. Regular, Bold, Light
    weight: int = field(default=400, compare=False)            # OS/2 usWeightClass as the file declares it

    # -- outlines ------------------------------------------------------------------------------------------------
    @property
    def is_cff(self) -> bool:
        if self.cff is not None:
            return self.cff
        with open(self.path, "rb") as f:
            f.seek(_sfnt_offset(f, self.index))
            return f.read(4) == b"OTTO"

    @property
    def bold(self) -> bool:
        """The face itself is bold (FandolSong-Bold, a Bold TTC): a writer must not embolden it again."""
        return "bold" in self.style.casefold() or self.weight >= 600

    def reportlab_path(self) -> Path:
        """A TrueType (glyf) file reportlab can embed: the file itself (with `reportlab_index`), or a CFF→TTF
        conversion of this face made once and cached (10–20 s per CJK face the first time)."""
        if not self.is_cff:
            return self.path
        target = self.converted_path()
        if not target.exists():
            _convert_to_ttf(self.path, self.index, target, self.bold)
        return target

    @property
    def reportlab_index(self) -> int:
        """The `subfontIndex` to give reportlab's TTFont for `reportlab_path()` (a converted face is a lone TTF)."""
        return 0 if self.is_cff else self.index

    def converted_path(self) -> Path:
        """Where the TrueType conversion of this (CFF) face is cached, whether it exists yet or not."""
        st = os.stat(self.path)
        key = (f"{os.path.abspath(self.path)}\0{self.index}\0{st.st_size}\0{st.st_mtime_ns}\0{_fonttools_version()}"
               f"\0{CONVERTER_VERSION}")
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        stem = Path(self.path).stem + (f"-{self.index}" if self.index else "")
        return cache_dir() / "fonts" / f"{stem}-{digest}.ttf"

    def is_converted(self) -> bool:
        return self.is_cff and self.converted_path().exists()

    # -- coverage ------------------------------------------------------------------------------------------------
    def has(self, ch: str) -> bool:
        """The face's cmap maps `ch` to a glyph (cmap read once per file and face)."""
        return _cmap(self.path, self.index).has(ord(ch))

    def describe(self) -> str:
        where = f"{self.path}" + (f"#{self.index}" if self.index or str(self.path).lower().endswith((".ttc", ".otc")) else "")
        name = self.full_name if self.full_name and _norm(self.full_name) != _norm(self.family) else ""
        return f"{self.family}{f' ({name})' if name else ''} → {where}"


def _convert_to_ttf(src: Path, index: int, target: Path, bold: bool) -> None:
    """CFF (or CFF2) outlines → quadratic TrueType, whole font; written to a temp file then renamed, so that
    parallel processes never see a half-written file."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise JianbaoError(_("cannot create the font cache {folder}: {reason} (set JIANBAO_CACHE to a writable "
                             "directory)").format(folder=target.parent, reason=e.strerror or e)) from None
    _log().info("converting %s%s to TrueType for the PDF (once; cached in %s)", src, f"#{index}" if index else "",
             target.parent)
    started = time.perf_counter()
    font = TTFont(str(src), fontNumber=index)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in ("CFF ", "CFF2", "VORG", "HVAR", "VVAR", "MVAR", "fvar", "gvar", "avar", "STAT"):
        if tag in font:
            del font[tag]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name in order:                                    # left side bearing = xMin of the new outline
        advance, _lsb = hmtx.metrics[name]
        g = glyf[name]
        hmtx.metrics[name] = (advance, g.xMin if g.numberOfContours else 0)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    if "OS/2" in font:
        os2 = font["OS/2"]
        if bold and os2.usWeightClass < 600:   # Fandol's Bold faces declare 400
            os2.usWeightClass = 700
            os2.fsSelection = (os2.fsSelection | 0x20) & ~0x40
            font["head"].macStyle |= 0x01
    try:
        with replacing(target) as tmp:
            font.save(tmp)
        _log().info("converted %s in %.1f s", src.name, time.perf_counter() - started)
    finally:
        font.close()


def _convert_job(args: tuple[str, int, str, bool]) -> str:
    src, index, target, bold = args
    _convert_to_ttf(Path(src), index, Path(target), bold)
    return target


def prepare_reportlab(faces: Iterable[Face], jobs: int | None = None) -> list[Path]:
    """Convert every CFF face not yet in the cache, in parallel processes; returns `reportlab_path()` of each.
    Use before the first PDF on a machine (e.g. `jianbao fonts --prepare`): the Fandol set takes about a minute."""
    faces = list(faces)
    todo: dict[Path, Face] = {}
    for face in faces:
        if face.is_cff and not face.converted_path().exists():
            todo.setdefault(face.converted_path(), face)
    if len(todo) > 1 and (jobs is None or jobs > 1):
        from concurrent.futures import ProcessPoolExecutor
        workers = min(len(todo), jobs or os.cpu_count() or 1)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_convert_job, [(str(f.path), f.index, str(t), f.bold) for t, f in todo.items()]))
    return [face.reportlab_path() for face in faces]


# ---------------------------------------------------------------------------------------------------------------
# The font book

@dataclass
class _Candidate:
    path: str
    rank: int          # position of the search directory
    face: dict         # the index's face record


class FontBook:
    """Faces by family key. Lookups are lazy: the font directories are scanned at the first lookup."""

    def __init__(self, families: dict[str, list[str]], search_dirs: Sequence[Path] = (), *,
                 base_dir: Path | None = None, index: FontIndex | None = None):
        if hasattr(families, "fonts"):          # a StyleSheet
            families = families.fonts
        self.families: dict[str, list[str]] = {
            k: ([str(v)] if isinstance(v, str) else [str(x) for x in v]) for k, v in dict(families).items()}
        self.search_dirs = [Path(d) for d in search_dirs]
        self.base_dir = Path(base_dir) if base_dir is not None else None
        self._index = index
        self._lookup: dict[str, list[tuple[str, _Candidate]]] | None = None
        self._faces: dict[str, list[Face]] = {}
        self._face_for: dict[tuple[str, str], Face | None] = {}
        self._found: dict[str, Face | None] = {}
        self.scan_seconds = 0.0

    @classmethod
    def for_series(cls, series_dir: Path, families) -> "FontBook":
        series_dir = Path(series_dir)
        dirs = [series_dir / "fonts", *font_path_dirs(), *system_font_dirs()]
        return cls(families, dirs, base_dir=series_dir)

    # -- scanning --------------------------------------------------------------------------------------------------
    @property
    def index(self) -> FontIndex:
        if self._index is None:
            self._index = FontIndex()
        return self._index

    def _build(self) -> dict[str, list[tuple[str, _Candidate]]]:
        if self._lookup is not None:
            return self._lookup
        t0 = time.perf_counter()
        index = self.index
        lookup: dict[str, list[tuple[str, _Candidate]]] = {}
        seen_dirs: set[str] = set()
        for rank, d in enumerate(self.search_dirs):
            if not d.is_dir():
                continue
            for path in index.scan(d, seen_dirs):
                for rec in index.files[path]["faces"]:
                    cand = _Candidate(path, rank, rec)
                    for kind, names in (("full", rec["full"]), ("family", rec["families"])):
                        for n in names:
                            lookup.setdefault(_norm(n), []).append((kind, cand))
                    for fam in rec["families"]:            # "family style" as a full name
                        lookup.setdefault(_norm(f"{fam} {rec['style']}"), []).append(("full", cand))
        index.save()
        self._lookup = lookup
        self.scan_seconds = time.perf_counter() - t0
        return lookup

    # -- lookups ---------------------------------------------------------------------------------------------------
    def _find(self, name: str) -> Face | None:
        if name not in self._found:
            self._found[name] = self._match(name)
        return self._found[name]

    def _match(self, name: str) -> Face | None:
        path_face = self._explicit(name)
        if path_face is not False:
            return path_face
        matches = self._build().get(_norm(name), [])
        if not matches:
            return None

        def order(m: tuple[str, _Candidate]):
            kind, c = m
            style = c.face["style"].casefold().replace(" ", "")
            regular = not any(w in style for w in _NOT_REGULAR)
            tier = 0 if kind == "full" or regular else 1
            return (tier, c.rank, abs(c.face["weight"] - 400), c.path, c.face["index"])

        _, best = min(matches, key=order)
        return self._face(name, best.path, best.face)

    @staticmethod
    def _face(name: str, path: str, rec: dict) -> Face:
        return Face(family=name, path=Path(path), index=rec["index"], cff=rec["cff"],
                    full_name=rec["full"][0] if rec["full"] else "", style=rec["style"], weight=rec["weight"])

    def _explicit(self, name: str):
        """A name that is a font file path (`fonts/x.ttf`, `fonts/x.ttc#2`): its face, None if the file or face
        is not there, False if the name is not a path."""
        file, _, number = name.partition("#")
        if not (file.lower().endswith(FONT_SUFFIXES) or "/" in file or "\\" in file):
            return False
        if number and not number.isdigit():
            return False
        p = Path(file).expanduser()
        if not p.is_absolute():
            p = (self.base_dir or Path.cwd()) / p
        entry = self.index.entry(str(p))
        self.index.save()
        if entry is None:
            return None
        want = int(number or 0)
        rec = next((r for r in entry["faces"] if r["index"] == want), None)
        return self._face(name, str(p), rec) if rec else None

    def names(self, key: str) -> list[str]:
        """The face names of a family key, as written in layout.yaml."""
        return list(self.families.get(key, []))

    def faces(self, key: str) -> list[Face]:
        """Faces found for `key`, in the order of its list (each font file and face once)."""
        if key not in self._faces:
            out, seen = [], set()
            for name in self.families.get(key, []):
                face = self._find(name)
                if face is not None and (face.path, face.index) not in seen:
                    seen.add((face.path, face.index))
                    out.append(face)
            self._faces[key] = out
        return self._faces[key]

    def not_found(self, key: str) -> list[str]:
        """The names of `key` that matched no font."""
        return [n for n in self.families.get(key, []) if self._find(n) is None]

    def primary(self, key: str) -> Face:
        """The first face found for `key`."""
        if key not in self.families:
            raise JianbaoError(_("no font key '{key}' in the style sheet (keys: {keys})").format(
                key=key, keys=", ".join(sorted(self.families))))
        faces = self.faces(key)
        if not faces:
            tried = ", ".join(self.families[key]) or _("(empty list)")
            dirs = ", ".join(str(d) for d in self.search_dirs)
            raise JianbaoError(_("no font found for '{key}': tried {tried}; looked in {folders}. Put the font files "
                                 "in the series' fonts/ directory, or run scripts/install-fonts.sh").format(
                key=key, tried=tried, folders=dirs))
        return faces[0]

    def chain(self, key: str) -> list[Face]:
        """Faces tried for a character of `key`: its own, then the fallback faces (each once)."""
        out = list(self.faces(key))
        seen = {(f.path, f.index) for f in out}
        if key != FALLBACK_KEY:
            for f in self.faces(FALLBACK_KEY):
                if (f.path, f.index) not in seen:
                    seen.add((f.path, f.index))
                    out.append(f)
        return out

    def face_for(self, key: str, ch: str) -> Face | None:
        """The first face of `key`, then of `fallback`, that has `ch`; None when no font has it."""
        k = (key, ch)
        if k not in self._face_for:
            self._face_for[k] = next((f for f in self.chain(key) if f.has(ch)), None)
        return self._face_for[k]

    def segments(self, key: str, text: str) -> list[tuple[Face, str]]:
        """`text` cut into runs of one face each, for a writer: the primary face where it has the character,
        else the face `face_for` gives (a character in no font stays with the primary face: it prints as a box,
        so run `check_coverage` first). Spaces and controls stay with the face before them."""
        primary = self.primary(key)
        out: list[tuple[Face, list[str]]] = []
        for ch in text:
            if primary.has(ch):
                face = primary
            elif _skip(ch):
                face = out[-1][0] if out else primary
            else:
                face = self.face_for(key, ch) or primary
            if out and out[-1][0] == face:
                out[-1][1].append(ch)
            else:
                out.append((face, [ch]))
        return [(face, "".join(chars)) for face, chars in out]

    def docx_name(self, key: str) -> str:
        """The first name of the key's list: the (official) face Word/WPS will look for. A file path gives the
        family name inside that file."""
        names = self.families.get(key) or []
        if not names:
            raise JianbaoError(_("no font key '{key}' in the style sheet (keys: {keys})").format(
                key=key, keys=", ".join(sorted(self.families))))
        first = names[0]
        face = self._explicit(first)
        if face is False:
            return first
        if face is None:
            raise JianbaoError(_("font file '{file}' (first font of '{key}') not found").format(file=first, key=key))
        rec = next(r for r in self.index.entry(str(face.path))["faces"] if r["index"] == face.index)
        return rec["docx"] or rec["families"][0]


# ---------------------------------------------------------------------------------------------------------------
# Coverage of a document

@dataclass
class Coverage:
    fallbacks: dict[tuple[str, str], Face] = field(default_factory=dict)   # (role, char) → face other than primary
    missing: list[tuple[str, str, int | None]] = field(default_factory=list)  # (char, role, line): in no font
    tried: dict[str, list[str]] = field(default_factory=dict)   # role → names of the faces tried (for messages)

    @property
    def ok(self) -> bool:
        return not self.missing

    def notes(self) -> list[str]:
        """One line per fallback face: which characters of which roles it sets."""
        by_face: dict[tuple[str, Face], list[str]] = {}
        for (role, ch), face in self.fallbacks.items():
            by_face.setdefault((role, face), []).append(ch)
        return [_("note: {chars} ({role}) set in {family} ({file})").format(
                    chars="".join(chars), role=role, family=face.family, file=face.path.name)
                for (role, face), chars in by_face.items()]


CONTAINERS = frozenset({"bulletin", "masthead", "contents", "article", "distribution", "figures", "figure", "table",
                        "tr", "picture", "col"})
_SUB_BLOCKS = frozenset({"note-label", "printer", "printed"})


def _element_role(element: ET.Element) -> str | None:
    tag = element.tag
    if tag in CONTAINERS:
        return None
    if tag in ("heading", "runin"):
        return f"heading-{element.get('level')}"
    if tag in ("printing", "copies"):
        return "printing"
    if tag in ("th", "td"):
        return "table-header" if tag == "th" else "table-cell"
    return tag


def _line(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _texts(element: ET.Element, line: int | None = None) -> Iterator[tuple[str, str, int | None]]:
    """(text, role, line) for every piece of text in the tree, with the role that sets it; inline content goes
    through `jianbao.tree.runs`, so the roles are those the writers use."""
    from .tree import runs

    line = _line(element.get("line")) or line
    role = _element_role(element)
    if role is None:                          # a container: only its children carry text
        for child in element:
            yield from _texts(child, line)
        return
    try:
        if not any(child.tag in _SUB_BLOCKS for child in element):
            for run in runs(element, role):
                yield run.text, run.role, line
            return
        # <note><note-label>编者按：</note-label>…</note>, <printing><printer>…</printer><printed>…</printed></printing>
        if element.text:
            yield element.text, role, line
        for child in element:
            sub = "note-label" if child.tag == "note-label" else _element_role(child) if child.tag == "runin" else role
            for run in runs(child, sub):
                yield run.text, run.role, _line(child.get("line")) or line
            if child.tail:
                yield child.tail, role, line
    except ValueError as e:                   # an element the vocabulary does not have
        if line:
            raise JianbaoError(_("document tree: {problem} (line {line})").format(problem=e, line=line)) from None
        raise JianbaoError(_("document tree: {problem}").format(problem=e)) from None


def _skip(ch: str) -> bool:
    if ch.isspace():
        return True
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Zs", "Zl", "Zp"):
        return True
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF   # variation selectors


_COVERED: dict[tuple[str, int], set[str]] = {}


def _covered(face: Face) -> set[str]:
    """Characters known to need no other face than `face` (it has them, or they are spaces and controls): grows
    as documents are checked, one set per font file and face, like the cmaps it saves looking up."""
    key = (str(face.path), face.index)
    chars = _COVERED.get(key)
    if chars is None:
        chars = _COVERED[key] = set()
    return chars


def check_coverage(tree: ET.Element, style, book: FontBook) -> Coverage:
    """Check every character of the tree against the font of its role; run before any writer.
    Raises JianbaoError when a role's font key has no face at all."""
    cov = Coverage()
    seen_missing: set[tuple[str, str, int | None]] = set()
    primaries: dict[str, Face] = {}
    for text, role, line in _texts(tree):
        key = style.role(role).font
        if key not in primaries:
            primaries[key] = book.primary(key)
        if role not in cov.tried:
            cov.tried[role] = _unique(f.family for f in book.chain(key))
        primary = primaries[key]
        good = _covered(primary)
        if good.issuperset(text):              # the usual case, decided without a loop in Python
            continue
        for ch in text:
            if ch in good:
                continue
            if _skip(ch) or primary.has(ch):
                good.add(ch)
                continue
            face = book.face_for(key, ch)
            if face is None:
                k = (ch, role, line)
                if k not in seen_missing:
                    seen_missing.add(k)
                    cov.missing.append(k)
            else:
                cov.fallbacks.setdefault((role, ch), face)
    return cov


def missing_characters(coverage: Coverage, file) -> list[tuple[int | None, int, str]]:
    """Every character in no font as (line, column, message): the column of its first occurrence on that line of
    the issue file (1 when it is not written there as is); line None when the tree gave none."""
    try:
        source_lines = Path(file).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeError, TypeError):
        source_lines = []
    out = []
    for ch, role, line in coverage.missing:
        tried = ", ".join(coverage.tried.get(role, [])) or _("no font")
        text = source_lines[line - 1] if line is not None and 0 < line <= len(source_lines) else ""
        out.append((line, text.find(ch) + 1 or 1, _("character '{char}' (U+{code}) is in no font (tried: {tried})")
                    .format(char=repr(ch)[1:-1], code=f"{ord(ch):04X}", tried=tried)))
    return out


def missing_error(coverage: Coverage, file) -> JianbaoError:
    """Every character in no font, as `FILE:LINE:COL: character 'X' (U+XXXX) is in no font (tried: …)` lines."""
    return InputErrors([JianbaoError(message, Location(str(file), line, col)) if line is not None
                        else JianbaoError(f"{file}: {message}")
                        for line, col, message in missing_characters(coverage, file)])


# ---------------------------------------------------------------------------------------------------------------
# `jianbao fonts`

def describe(book: FontBook, style, text: str | None = None) -> list[str]:
    """Lines for `jianbao fonts`: per font key, the roles using it, the face chosen (and whether it is converted
    for the PDF), the names not found, and, for `text`, where the characters its primary face lacks come from."""
    roles_by_key: dict[str, list[str]] = {}
    for name, role in style.roles.items():
        roles_by_key.setdefault(role.font, []).append(name)
    keys = list(book.families)
    if FALLBACK_KEY in keys:
        keys = [k for k in keys if k != FALLBACK_KEY] + [FALLBACK_KEY]
    lines = []
    for key in keys:
        roles = roles_by_key.get(key, [])
        if roles:
            head = _("{key} (roles: {roles})").format(key=key, roles=", ".join(roles))
        elif key == FALLBACK_KEY:
            head = _("{key} (characters the role's own font lacks)").format(key=key)
        else:
            head = _("{key} (no role uses it)").format(key=key)
        lines.append(head)
        faces = book.faces(key)
        if not faces:
            lines.append(_("  NOT FOUND: none of {names}").format(names=", ".join(book.names(key))))
        for i, face in enumerate(faces):
            extra = []
            if face.bold:
                extra.append(_("bold face"))
            if face.is_cff:
                extra.append(_("CFF, converted for the PDF: {path}").format(path=face.converted_path())
                             if face.is_converted() else _("CFF, converted for the PDF at first use (10–20 s, cached)"))
            line = (_("  face: {face}") if i == 0 else _("  then: {face}")).format(face=face.describe())
            if extra:
                details = extra[0] if len(extra) == 1 else _("{first}; {second}").format(first=extra[0],
                                                                                      second=extra[1])
                line += _(" [{details}]").format(details=details)
            lines.append(line)
        missing_names = book.not_found(key)
        if missing_names:
            lines.append(_("  not found: {names}").format(names=", ".join(missing_names)))
        if key != FALLBACK_KEY and book.names(key):
            lines.append(_("  DOCX asks for: {name}").format(name=book.docx_name(key)))
        if text and faces and roles:
            primary = faces[0]
            lacking = _unique(ch for ch in text if not _skip(ch) and not primary.has(ch))
            for ch in lacking:
                face = book.face_for(key, ch)
                src = f"{face.family} ({face.path.name}{f'#{face.index}' if face.index else ''})" if face \
                    else _("MISSING")
                lines.append(_("  lacks {char} (U+{code}): {source}").format(char=ch, code=f"{ord(ch):04X}",
                                                                             source=src))
            if not lacking:
                lines.append(_("  has every character of the text"))
    lines += substitutions(book, style)
    return lines


def substitutions(book: FontBook, style) -> list[str]:
    """One line per role whose official face (the first name of its font key) is not installed: the face wanted
    and the face set instead. The DOCX still names the wanted face (Word uses it where it is installed)."""
    out = []
    for name, role in style.roles.items():
        names = book.names(role.font)
        if not names or role.font == FALLBACK_KEY:
            continue
        wanted = book.docx_name(role.font)
        faces = book.faces(role.font)
        if names[0] not in book.not_found(role.font):
            continue
        used = f"{faces[0].family} ({faces[0].path.name})" if faces \
            else _("NOTHING (no face of the list is installed)")
        out.append(_("  {role}: {wanted} wanted, {used} used instead").format(role=name, wanted=wanted, used=used))
    if out:
        out.insert(0, _("substitutions (official faces not installed: put them in the series' fonts/, "
                        "see fonts/README.md):"))
    else:
        out.append(_("substitutions: none (every role has its official face)"))
    return out
