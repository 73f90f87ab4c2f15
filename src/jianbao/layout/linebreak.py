"""Chinese line breaking on a character grid (GB/T 15834-2011, W3C clreq).

Pure Python, no reportlab: the caller passes in a ``measure`` function for
Latin/digit text.  A paragraph is cut into *units* (what may not be split):

* a CJK ideograph or full-width mark: one box exactly ``cell`` wide;
* ``——`` / ``……``: one unit of two one-cell boxes (never split, never stretched inside);
* a Latin/digit run such as ``91.93%``, ``B-READY``, ``2020-2035``: one box at its natural width;
* a half-width punctuation mark: one box at its natural width;
* an ASCII space: a box at its natural width, a break opportunity, dropped at a line end.

Lines are filled greedily; the prohibition rules below (all plain data) decide where a
line may end; a mark that may not start a line hangs past the right edge (Word's default,
``w:overflowPunct``) or, with ``hang=False``, is squeezed in ("先挤进，后推出").  Every line
but a paragraph's last is then justified so that its last box ends exactly at the measure.

A ``\\n`` in the text is a forced line break: the text on each side is laid out as its own
paragraph (the line before the break is flagged ``last`` and is not justified).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import reduce
from itertools import accumulate
from operator import or_
from typing import Callable, Hashable, Sequence

__all__ = [
    "Box",
    "Line",
    "layout_paragraph",
    "break_text",
    "PAUSE_MARKS",
    "CLOSING_MARKS",
    "OPENING_MARKS",
    "NO_START",
    "NO_END",
    "UNBREAKABLE_PAIRS",
    "HANGING_MARKS",
    "SQUEEZABLE_MARKS",
    "SQUEEZE_ORDER",
    "FULL_WIDTH_MARKS",
    "WORD_INNER",
]

# ---------------------------------------------------------------------------
# Rules as data
# ---------------------------------------------------------------------------

#: Pause and stop marks (点号): never at the start of a line.
PAUSE_MARKS = frozenset("，。、；：？！")
#: Full-width closing marks: never at the start of a line.
CLOSING_MARKS = frozenset("”’）》〉」』】〕〗〞］｝")
#: Full-width opening marks: never at the end of a line.
OPENING_MARKS = frozenset("“‘（《〈「『【〔〖〝［｛")
#: Half-width marks with the same prohibitions.
ASCII_NO_START = frozenset(",.;:?!)]}")
ASCII_NO_END = frozenset("([{")
#: Other marks that never start a line: percent, interpunct, ellipsis, and the unit signs of
#: Word's zh-CN list (so ``30℃`` stays together). A lone connecting dash (收集—交办) may start a
#: line, as in JLREQ and LibreOffice; the two-em dash ——, one unit, is never split.
OTHER_NO_START = frozenset("%％·…～‰℃°")

#: Characters that never start a line (行首禁则).
NO_START = PAUSE_MARKS | CLOSING_MARKS | ASCII_NO_START | OTHER_NO_START
#: Characters that never end a line (行尾禁则).
NO_END = OPENING_MARKS | ASCII_NO_END
#: Two-cell marks that are never split (and never stretched inside).
UNBREAKABLE_PAIRS = frozenset({"——", "……"})
#: Marks that may hang past the right edge (one at a time) with ``hang=True``: the pause
#: marks, as Word (``w:overflowPunct``) and LibreOffice hang them, so that the PDF and the
#: DOCX break alike. A closing mark that would start a line pulls a character down instead.
HANGING_MARKS = PAUSE_MARKS
#: Full-width marks whose glyph sits in the left half of the em box, so they may be set
#: half a cell wide at a line end (``hang=False`` only).  A squeezed box has
#: ``width == cell / 2``; draw its glyph left-aligned at ``x``.
SQUEEZABLE_MARKS = PAUSE_MARKS | CLOSING_MARKS
#: Order in which marks inside a line are squeezed after the line-end mark (clreq):
#: closing brackets, then ，、；：, then 。？！.
SQUEEZE_ORDER = (CLOSING_MARKS, frozenset("，、；："), frozenset("。？！"))
#: East-Asian-ambiguous marks that are set in one full cell in Chinese text.
FULL_WIDTH_MARKS = frozenset("“”‘’…—·―‖※")
#: Characters allowed inside a Latin/digit run (between letters/digits).  A run may also
#: end with ``%``.
WORD_INNER = frozenset(".,%-+/:_@#&")
#: Letters and digits that form Latin/digit runs (regex class body): ASCII, Latin-1,
#: Latin Extended-A/B, Greek, Cyrillic, Latin Extended Additional.
WORD_CHAR_CLASS = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1eff"

_INNER_CLASS = "".join(re.escape(c) for c in sorted(WORD_INNER))
_SPACE_CHARS = " \t\r\v\f"
_TOKEN_RE = re.compile(
    "(——|……)"  # 1: unbreakable pair
    f"|([{WORD_CHAR_CLASS}](?:[{_INNER_CLASS}]*[{WORD_CHAR_CLASS}])*%*)"  # 2: Latin/digit run
    f"|([{_SPACE_CHARS}])"  # 3: a space
    f"|([^{WORD_CHAR_CLASS}{_SPACE_CHARS}—…]+)"  # 4: a stretch of other characters
    "|(.)",  # 5: a single — or … (not a pair)
    re.S,
)

# Unit flags.
_SPACE = 1  # break opportunity, dropped at a line end
_NARROW = 2  # half-width (measured) unit; no break between two adjacent narrow units
_NOSTART = 4
_NOEND = 8
_HANG = 16
_SQUEEZE = 32
_IDEO = 64  # a CJK ideograph (for the orphan rule)
_PAIR = 128  # two boxes in one unit
_ATTACH = 256  # (characters only) combining mark / format character: joins the previous unit
_GLUE = 512  # a zero-width break inside a path after a slash: never stretched on either side
_MEASURED = 1024  # (characters only) a wide mark whose advance is its own, not one cell (‰ is 1.18 em)
_SLOW = _SPACE | _NARROW | _ATTACH | _MEASURED  # characters that are not simply one cell

_EPS = 1e-6


@dataclass(frozen=True)
class Box:
    text: str  # one CJK character/full-width mark, or an unbreakable Latin/digit run, or a space
    style: Hashable  # opaque key passed in with the run; returned untouched
    x: float  # left edge of the box, in pt, from the left edge of the measure (indent included)
    width: float  # natural advance width in pt (cell width for CJK; cell/2 when squeezed)


@dataclass(frozen=True)
class Line:
    boxes: tuple[Box, ...]
    hanging: bool  # the last box is a punctuation mark hanging past the right edge
    last: bool  # last line of the paragraph (not justified)
    natural: float  # x + width of the last non-hanging box
    squeezed: tuple[tuple[int, float], ...] = ()  # (character offset in the paragraph, pt saved) of marks set
    #                                               half a cell to take a number's unit or a lone last character in
    loosened: tuple[int, int, float] | None = None  # (first, end character offset, pt a character): a line a rule
    #                       Word does not know ended early (156|项, a character pulled down), and its slack per character
    span: tuple[int, int] = (0, 0)  # (first, end) character offset of its content in the paragraph
    slack: float | None = None  # a justified line's room before justification, pt (None: not justified)


_new = object.__new__


def _box(text: str, style: Hashable, x: float, width: float) -> Box:
    # The same object as Box(text, style, x, width), built without the frozen-dataclass
    # __setattr__ round trips (the builder inlines this: one per character).
    b = _new(Box)
    d = b.__dict__
    d["text"] = text
    d["style"] = style
    d["x"] = x
    d["width"] = width
    return b


# ---------------------------------------------------------------------------
# Character classification
# ---------------------------------------------------------------------------


def _classify(ch: str) -> int:
    """Flags of a single character (one that is not part of a Latin run or a pair)."""
    cat = unicodedata.category(ch)
    if ch in _SPACE_CHARS or (cat == "Zs" and ch not in "\u00a0\u3000\u202f\u2007"):
        return _SPACE
    if cat in ("Mn", "Me", "Cf"):
        return _ATTACH
    flags = 0
    if ch in NO_START:
        flags |= _NOSTART
    if ch in NO_END:
        flags |= _NOEND
    if ch in HANGING_MARKS:
        flags |= _HANG
    eaw = unicodedata.east_asian_width(ch)
    if (
        ch in FULL_WIDTH_MARKS
        or eaw in ("W", "F")
        or (eaw == "A" and cat[0] in "SPN" and cat != "Nd")
    ):
        if ch in SQUEEZABLE_MARKS:
            flags |= _SQUEEZE
        if cat == "Lo":
            flags |= _IDEO
        if eaw == "A" and ch not in FULL_WIDTH_MARKS:
            # an ambiguous-width sign (‰ ℃ № ①): a box as wide as its glyph's own advance (one cell for most,
            # 1.18 em for ‰), so the next character is not drawn over it
            flags |= _MEASURED
    else:
        flags |= _NARROW
    return flags


class _FlagTable(dict):
    def __missing__(self, ch: str) -> int:
        v = self[ch] = _classify(ch)
        return v


_FLAGS = _FlagTable()


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


class _Units:
    """Parallel arrays describing a paragraph segment's units."""

    __slots__ = ("W", "F", "T", "S", "P", "NN", "PAIRS", "n", "held", "after", "room", "moved")

    def __init__(self) -> None:
        self.W: list[float] = []  # width
        self.F: list[int] = []  # flags
        self.T: list[str] = []  # text
        self.S: list[Hashable] = []  # style
        self.held: frozenset[int] = frozenset()  # no line starts with these units (a number's unit: 156|项)
        self.after: str = ""  # when set, a line may end only after one of these characters (、 in a 版记 list)
        self.room: float = 0.0  # room to spare on a line that squeezes marks to take a unit or character in
        self.moved: set[int] = set()  # starts of lines a rule of ours (not Word's) ended early

    def finish(self, keep_units: bool = False) -> None:
        F, T = self.F, self.T
        self.n = len(F)
        held = set()
        for i, t in enumerate(T):
            # a document number's year and serial stay together, 〔2022〕34号 (GB/T 9704's 发文字号; LibreOffice
            # does not break there either)
            if t == "〕":
                j = i + 1
                while j < self.n and F[j] & _SPACE and not T[j]:
                    j += 1
                if j < self.n and F[j] & _NARROW and T[j][:1].isdigit():
                    held.update(range(i + 1, j + 1))
        if keep_units:
            # an ideograph after a number (an autospace between them, or nothing): 156项, 1.86万人, 2021年度, 7个
            for i, f in enumerate(F):
                if f & _NARROW and T[i][-1:].isdigit():
                    j = i + 1
                    while j < self.n and F[j] & _SPACE and not T[j]:
                        j += 1
                    if j < self.n and F[j] & _IDEO:
                        held.update(range(i + 1, j + 1))
        if held:
            self.held = frozenset(held)
        self.P = [0.0, *accumulate(self.W)]  # P[i] = width of units 0..i-1
        special = [i for i, f in enumerate(F) if f & (_NARROW | _PAIR | _GLUE)]
        # NN: units i that follow a half-width unit directly, or a range's break (no stretch before i)
        self.NN = [i for i in special if i and (F[i] & F[i - 1] & _NARROW or (F[i] | F[i - 1]) & _GLUE)]
        self.PAIRS = [i for i in special if F[i] & _PAIR]

    def ok(self, i: int) -> bool:
        """May a line end after unit i-1, the next one starting with unit i?"""
        F = self.F
        if i >= self.n:
            return True
        f = F[i]
        if i <= 0 or f & (_SPACE | _NOSTART) or f & F[i - 1] & _NARROW or i in self.held:
            return False
        j = i - 1
        while j >= 0 and F[j] & _SPACE:
            j -= 1
        if self.after and (j < 0 or self.T[j][-1:] not in self.after):
            return False
        return j >= 0 and not F[j] & _NOEND


def _tokenize(
    runs: Sequence[tuple[str, Hashable]],
    cell: float,
    measure: Callable[[str, Hashable], float],
    max_word: float,
    autospace: float = 0.0,
    keep_units: bool = False,
) -> _Units:
    u = _Units()
    W, F, T, S = u.W, u.F, u.T, u.S
    cache: dict[tuple[str, Hashable], float] = {}

    def m(text: str, style: Hashable) -> float:
        key = (text, style)
        v = cache.get(key)
        if v is None:
            v = cache[key] = float(measure(text, style))
        return v

    def add(text: str, style: Hashable, width: float, flags: int) -> None:
        W.append(width)
        F.append(flags)
        T.append(text)
        S.append(style)

    flag_of = _FLAGS.__getitem__
    pair_flags = {p: _PAIR | _NOSTART for p in UNBREAKABLE_PAIRS}   # —— and …… never start a line
    for text, style in runs:
        for mo in _TOKEN_RE.finditer(text):
            g = mo.lastindex
            tok = mo.group(g)
            if g == 4 or g == 5:
                fl = list(map(flag_of, tok))
                k = len(fl)
                if not reduce(or_, fl) & _SLOW:  # the common case: cells only
                    W.extend([cell] * k)
                    F.extend(fl)
                    T.extend(tok)
                    S.extend([style] * k)
                    continue
                for ch, flags in zip(tok, fl):
                    if not flags & _SLOW:
                        add(ch, style, cell, flags)
                    elif flags & _NARROW:
                        add(ch, style, m(ch, style), flags)
                    elif flags & _MEASURED:
                        add(ch, style, max(m(ch, style), cell), flags & ~_MEASURED)
                    elif flags & _SPACE:
                        add(ch, style, m(" ", style), flags)
                    elif F and not F[-1] & _SPACE:  # combining mark: joins the previous unit
                        T[-1] += ch
                        if F[-1] & _NARROW:
                            W[-1] = m(T[-1], S[-1])
                    else:
                        add(ch, style, m(ch, style), _NARROW)
            elif g == 2:
                w = m(tok, style)
                # a number range (2021-2035) is one unit, never broken after its dash; a path or web address
                # may break after a slash (…/zcwj/|abc), as Word and LibreOffice do
                parts = _SLASH_BREAK.split(tok)
                if len(parts) > 1:
                    for k, part in enumerate(parts):
                        if k:
                            add("", style, 0.0, _SPACE | _GLUE)
                        pw = m(part, style)
                        if pw > max_word + _EPS and len(part) > 1:
                            for piece in _split_word(part, style, m, max_word):
                                add(piece, style, m(piece, style), _NARROW)
                        else:
                            add(part, style, pw, _NARROW)
                elif w > max_word + _EPS and len(tok) > 1:
                    for piece in _split_word(tok, style, m, max_word):
                        add(piece, style, m(piece, style), _NARROW)
                else:
                    add(tok, style, w, _NARROW)
            elif g == 3:
                add(tok, style, m(" ", style), _SPACE)
            else:
                add(tok, style, 2 * cell, pair_flags[tok])
    if autospace:
        _add_autospace(u, autospace)
    u.finish(keep_units)
    return u


def _add_autospace(u: _Units, space: float) -> None:
    """Put `space` between an ideograph and an adjacent Latin/digit run, as Word and LibreOffice
    do (autoSpaceDE/DN): an empty space unit, so it is dropped where the line breaks there."""
    W, F, T, S = u.W, u.F, u.T, u.S

    def alnum(i: int, side: int) -> bool:
        return bool(F[i] & _NARROW) and bool(T[i]) and T[i][side].isalnum() and T[i][side].isascii()

    # A space goes before unit i when i or i-1 is a Latin/digit unit: only those places are looked at
    # (most paragraphs have none, and the rest a few).
    narrow = [i for i, f in enumerate(F) if f & _NARROW]
    if not narrow:
        return
    at = []
    for i in sorted({j for i in narrow for j in (i, i + 1) if 0 < j < len(F)}):
        if F[i - 1] & _IDEO and alnum(i, 0) or F[i] & _IDEO and alnum(i - 1, -1):
            at.append(i)
    if not at:
        return
    out_w, out_f, out_t, out_s = [], [], [], []
    prev = 0
    for i in at:
        out_w += W[prev:i]
        out_f += F[prev:i]
        out_t += T[prev:i]
        out_s += S[prev:i]
        out_w.append(space)
        out_f.append(_SPACE)
        out_t.append("")
        out_s.append(S[i] if F[i] & _NARROW else S[i - 1])
        prev = i
    out_w += W[prev:]
    out_f += F[prev:]
    out_t += T[prev:]
    out_s += S[prev:]
    u.W, u.F, u.T, u.S = out_w, out_f, out_t, out_s


_RANGE = re.compile(r"\d[-–]\d")
#: Where a Latin run may break after a slash: not before another slash (https:/|/) nor between digits (1/2).
_SLASH_BREAK = re.compile(r"(?<=/)(?=[^/\d])|(?<=[^\d/]/)(?=\d)")


def _split_word(
    word: str, style: Hashable, m: Callable[[str, Hashable], float], max_w: float
) -> list[str]:
    """Cut a Latin run wider than the whole measure into pieces that fit (last resort)."""
    pieces = []
    start = 0
    n = len(word)
    while start < n:
        end = start + 1
        while end < n and m(word[start : end + 1], style) <= max_w + _EPS:
            end += 1
        pieces.append(word[start:end])
        start = end
    return pieces


# ---------------------------------------------------------------------------
# Breaking
# ---------------------------------------------------------------------------

# A line spec: (start, end, hang_index or -1, squeezed {unit: width} or None).
# Units start..end-1 belong to the line; spaces at its end are dropped.
_Spec = tuple


def _first_content(F: list[int], s: int, e: int) -> int:
    while s < e and F[s] & _SPACE:
        s += 1
    return s


def _content_end(F: list[int], s: int, e: int) -> int:
    while e > s and F[e - 1] & _SPACE:
        e -= 1
    return e


def _try_squeeze(u: _Units, s: int, fc: int, e: int, avail: float) -> _Spec | None:
    """hang=False: fit the mark at ``e`` (and one more glued mark) by setting line-end
    marks, then other marks in the line, to half a cell ("先挤进")."""
    F, W, n, ok = u.F, u.W, u.n, u.ok
    f = e + 1
    while f < n and not ok(f) and F[f] & _SQUEEZE and f - e < 2:
        f += 1
    g = f
    while g < n and F[g] & _SPACE:
        g += 1
    if not ok(g):
        return None
    overflow = (u.P[f] - u.P[s]) - avail
    saved = 0.0
    sq: dict[int, float] = {}
    for i in range(f - 1, e - 1, -1):
        if not F[i] & _SQUEEZE:
            return None
        sq[i] = W[i] / 2
        saved += W[i] / 2
        if saved >= overflow - _EPS:
            return (s, g, -1, sq)
    sq = _squeeze_marks(u, fc, e, overflow - saved, sq)     # then the other marks of the line, clreq's order
    return None if sq is None else (s, g, -1, sq)


def _squeeze_marks(u: _Units, lo: int, hi: int, need: float, sq: dict | None = None) -> dict | None:
    """Set marks of units lo..hi-1 half a cell wide (closing brackets first, then ，、；：, then 。？！, each
    class from the line end back, clreq) until `need` pt are saved; None if the line has too few."""
    F, W, T = u.F, u.W, u.T
    sq = dict(sq or {})
    saved = 0.0
    if need <= _EPS:
        return sq
    for cls in SQUEEZE_ORDER:
        for i in range(hi - 1, lo - 1, -1):
            if F[i] & _SQUEEZE and i not in sq and T[i] in cls:
                sq[i] = W[i] / 2
                saved += W[i] / 2
                if saved >= need - _EPS:
                    return sq
    return None


def _take_in(u: _Units, s: int, fc: int, j: int, avail: float, hang: bool, sq: dict | None = None) -> _Spec | None:
    """A line from unit s that ends after unit j-1, made to fit `avail` by squeezing marks in it; a pause mark
    at j hangs. None when that is not a legal break or the line has too few marks to squeeze."""
    F, P, n, ok = u.F, u.P, u.n, u.ok
    h, b = -1, j
    if not ok(j):
        if not (hang and j < n and F[j] & _HANG):
            return None
        f = j + 1
        while f < n and F[f] & _SPACE:
            f += 1
        if not ok(f):
            return None
        h, b = j, f
    already = sum(u.W[i] - w for i, w in (sq or {}).items())
    sq = _squeeze_marks(u, fc, j, P[j] - P[s] - already - avail + u.room, sq)
    return None if sq is None else (s, b, h, sq)


def _break(u: _Units, avail_first: float, avail_rest: float, hang: bool, orphans: bool = False,
           squeeze: bool = True) -> list[_Spec]:
    F, P, n, ok = u.F, u.P, u.n, u.ok
    specs: list[_Spec] = []
    s = 0
    avail = avail_first
    while s < n:
        # e: the first unit that does not fit (spaces always fit: dropped at a line end)
        e = bisect_right(P, P[s] + avail + _EPS, s, n + 1) - 1
        if e < s:
            e = s
        while e < n and F[e] & _SPACE:
            e += 1
        if e >= n:
            specs.append((s, n, -1, None))
            break
        fc = _first_content(F, s, e)
        spec = None
        if fc == e:
            # The first unit does not fit by itself (a measure narrower than one unit).
            b = e + 1
            while b < n and F[b] & _SPACE:
                b += 1
            spec = (s, b, -1, None)
        else:
            fe = F[e]
            if not F[e - 1] & _SPACE:
                if hang:
                    if fe & _HANG:
                        f = e + 1
                        while f < n and F[f] & _SPACE:
                            f += 1
                        if ok(f):
                            spec = (s, f, e, None)
                elif squeeze and fe & _SQUEEZE:
                    spec = _try_squeeze(u, s, fc, e, avail)
            if spec is None:
                # Push units down until the break is legal ("后推出").
                b = e
                while b > fc and not ok(b):
                    b -= 1
                # b == fc: no legal break in the whole line; break at e all the same.
                spec = (s, b if b > fc else e, -1, None)
                if b > fc and (fe & _HANG or any(k in u.held or _RANGE.search(u.T[k]) for k in range(b, e + 1))):
                    # a rule Word does not know ended the line early (156|项, 2021-|2035), or a pause mark took
                    # the character before it down (举|办。), which LibreOffice would take back, hanging the mark
                    u.moved.add(s)
        b = spec[1]
        if (b < n and F[b] & _IDEO and b > s + 1 and F[b - 1] & _SPACE and not u.T[b - 1] and u.W[b - 1] > 0
                and P[b + 1] - P[s] - u.W[b - 1] <= avail + _EPS):
            # the ideograph after a Latin word (CPI|指) fits but for the autospace between them: LibreOffice sets
            # none before a line's last character and would take it in
            u.moved.add(s)
        specs.append(spec)
        s = spec[1]
        avail = avail_rest
    if orphans and len(specs) >= 2:
        _avoid_orphan(u, specs, avail_first if len(specs) == 2 else avail_rest, avail_rest, hang)
    return specs


def _avoid_orphan(u: _Units, specs: list[_Spec], avail_prev: float, avail_last: float, hang: bool = True) -> None:
    """clreq: a paragraph's last line should not hold a single ideograph (possibly followed by its closing
    punctuation). Pull one more unit down if the rules allow (the line count stays, and the DOCX sets the line
    above a little looser so that Word ends it there too); else take the character into the line above by
    squeezing marks there (the DOCX condenses the same marks)."""
    F, P, n, ok = u.F, u.P, u.n, u.ok
    s = specs[-1][0]
    ce = _content_end(F, s, n)
    fc = _first_content(F, s, ce)
    if fc >= ce or not F[fc] & _IDEO:
        return
    for i in range(fc + 1, ce):
        if F[i] & (_IDEO | _SPACE) or not F[i] & _NOSTART:
            return
    ps, pb = specs[-2][0], specs[-2][1]
    pfc = _first_content(F, ps, pb)
    b = pb - 1
    while b > pfc and not ok(b):
        b -= 1
    if b > pfc and P[ce] - P[b] <= avail_last + _EPS and not specs[-2][3]:
        specs[-2] = (ps, b, -1, None)
        specs[-1] = (b, n, -1, None)
        u.moved.add(ps)
        return
    # no character to pull down: take the lone one into the line above by squeezing its marks
    j = ce - 1 if hang and ce - 1 > fc and F[ce - 1] & _HANG else ce
    taken = _take_in(u, ps, pfc, j, avail_prev, hang, specs[-2][3])
    if taken is not None and taken[1] >= ce:
        specs[-2] = (ps, n, taken[2], taken[3])
        specs.pop()


# ---------------------------------------------------------------------------
# Building lines
# ---------------------------------------------------------------------------


def _natural(u: _Units, spec: _Spec) -> tuple[int, float]:
    """(content end, natural content width) of a line spec."""
    s, b, h, sq = spec
    W = u.W
    ce = _content_end(u.F, s, h if h >= 0 else b)
    nat = u.P[ce] - u.P[s]
    if sq:
        for i, w in sq.items():
            nat -= W[i] - w
    return ce, nat


def _build(
    u: _Units,
    specs: list[_Spec],
    target: float,
    first_indent: float,
    rest_indent: float,
    justify: bool,
    max_gap: float | None = None,
    base: int = 0,
) -> list[Line]:
    F, W, T, S, NN, PAIRS = u.F, u.W, u.T, u.S, u.NN, u.PAIRS
    new = _new
    lines: list[Line] = []
    nspec = len(specs)
    offsets: list[int] | None = None
    for li, spec in enumerate(specs):
        s, b, h, sq = spec
        indent = first_indent if li == 0 else rest_indent
        last = li == nspec - 1
        ce, nat = _natural(u, spec)
        # Stretchable gaps: level 0 = between units (not inside a half-width cluster),
        # level 1 = inside a half-width cluster (only if there is nothing else),
        # level 2 = inside a ——/…… pair (only for a line holding just that pair).
        n1 = bisect_right(NN, ce - 1) - bisect_left(NN, s + 1) if NN else 0
        npair = bisect_left(PAIRS, ce) - bisect_left(PAIRS, s) if PAIRS else 0
        gap = 0.0
        level = -1
        pin = True
        slack = None
        if justify and (not last or h >= 0) and ce > s:
            slack = target - indent - nat
            if slack > -_EPS:
                n0 = ce - s - 1 - n1
                if n0:
                    level, count = 0, n0
                elif n1:
                    level, count = 1, n1
                elif npair:
                    level, count = 2, npair
                if level >= 0:
                    gap = slack / count
                    if max_gap is not None and level < 2 and gap > max_gap + _EPS:
                        # never looser than the style sheet allows: the rest of the slack stays at the line end
                        gap = max_gap
                        pin = False
        out: list[Box] = []
        ap = out.append
        x = indent
        if not n1 and not npair and not sq:
            # Fast path: one box per unit, the same gap everywhere.
            for i in range(s, ce):
                w = W[i]
                bx = new(Box)
                d = bx.__dict__
                d["text"] = T[i]
                d["style"] = S[i]
                d["x"] = x
                d["width"] = w
                ap(bx)
                x += w + gap
            x -= gap
        else:
            pf = 0
            for i in range(s, ce):
                f = F[i]
                if i > s and (level == 1 or (level == 0 and not pf & f & _NARROW and not (pf | f) & _GLUE)):
                    x += gap
                w = W[i] if not sq else sq.get(i, W[i])
                if f & _PAIR:
                    t, st, hw = T[i], S[i], w / 2
                    ap(_box(t[0], st, x, hw))
                    x += hw
                    if level == 2:
                        x += gap
                    ap(_box(t[1:], st, x, hw))  # t[1:]: keeps a combining mark
                    x += hw
                else:
                    ap(_box(T[i], S[i], x, w))
                    x += w
                pf = f
        if level >= 0 and pin:
            # Pin the last box to the edge exactly (no float drift).
            lb = out[-1]
            out[-1] = _box(lb.text, lb.style, target - lb.width, lb.width)
            natural = target
        else:
            natural = x if out else indent
            if level >= 0 and out:
                natural = out[-1].x + out[-1].width
        if h >= 0:
            ap(_box(T[h], S[h], natural, W[h]))
        line = new(Line)
        d = line.__dict__
        d["boxes"] = tuple(out)
        d["hanging"] = h >= 0
        d["last"] = last
        d["natural"] = natural
        if offsets is None:
            offsets = list(accumulate((len(t) for t in T), initial=base))
        d["span"] = (offsets[s], offsets[ce])
        d["slack"] = slack
        d["squeezed"] = tuple((offsets[i], W[i] - w) for i, w in sorted(sq.items())) if sq else ()
        d["loosened"] = None
        if s in u.moved and not last and ce > s:
            # Word must not take the next unit back: the line's slack but half that unit (and a mark hanging at its
            # end, which LibreOffice does not always hang), spread over its characters
            chars = offsets[ce] - offsets[s]
            nb = _first_content(F, b, u.n)
            room = target - indent - nat - (W[nb] / 2 if nb < u.n else 0.0) - (W[h] if h >= 0 else 0.0)
            d["loosened"] = (offsets[s], offsets[ce], max(room, 0.0) / chars)
        lines.append(line)
    return lines


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def _segments(runs: Sequence[tuple[str, Hashable]]) -> list[list[tuple[str, Hashable]]]:
    """Split runs at forced line breaks (\\n)."""
    segs: list[list[tuple[str, Hashable]]] = [[]]
    for text, style in runs:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if k:
                segs.append([])
            if part:
                segs[-1].append((part, style))
    if len(segs) > 1 and not segs[-1]:
        segs.pop()  # a trailing newline ends the paragraph, it adds no empty line
    return segs


def layout_paragraph(
    runs: Sequence[tuple[str, Hashable]],
    *,
    width: float,
    cell: float,
    measure: Callable[[str, Hashable], float],
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
    hang: bool = True,
    justify: bool = True,
    balance: bool = False,
    orphans: bool = False,
    autospace: float = 0.0,
    keep_units: bool = False,
    break_after: str = "",
    max_gap: float | None = None,
    squeeze_room: float = 0.0,
    squeeze: bool = True,
) -> list[Line]:
    """Break a paragraph given as styled runs into lines of positioned boxes.

    ``width`` is the measure in pt, ``cell`` the width of one CJK cell, ``measure(text,
    style)`` the natural width of a Latin/digit run or half-width mark.  Box ``x`` values
    are from the left edge of the measure, indents included.  Every line but the last is
    justified (``justify=True``) so that its last non-hanging box ends at ``width``; a
    hanging mark sits at ``x == natural`` (``== width`` on a justified line).

    ``balance=True`` keeps the greedy line count but uses the narrowest measure that still
    gives it, so the lines come out as even as possible; positions stay relative to the
    left edge (centre each line with ``natural``).

    ``autospace`` (pt) goes between an ideograph and a Latin/digit run, as LibreOffice and
    Word add it; it is carried by an empty box glued to the run.

    ``squeeze=False`` (with ``hang=False``) never squeezes: a mark that may not start a line pulls
    a character down with it ("推出" only), the one rule Word and LibreOffice honour alike when
    they do not hang (``w:overflowPunct="0"``, no punctuation compression).

    ``orphans=True`` applies clreq's rule against a single ideograph on a paragraph's last
    line. Word and LibreOffice do not, so it is off by default to keep PDF and DOCX alike.

    ``keep_units=True`` never starts a line with the ideograph after a number (156项, 1.86万人,
    2021年度: a digit group stays with its unit or measure word). ``break_after`` (e.g. ``"、"``)
    lets a line end only after one of its characters (a 版记 list broken between names), unless a
    line has no such place. ``max_gap`` (pt) caps the space justification adds between two
    units: a line that would be looser ends short of the measure instead. ``squeeze_room`` (pt) is
    left to spare when marks are squeezed to take in a number's unit or a lone last character.
    """
    if cell <= 0:
        raise ValueError("cell must be positive")
    cell = float(cell)
    lines: list[Line] = []
    if not any(text for text, _ in runs):
        return lines
    base = 0
    for k, seg in enumerate(_segments(runs)):
        if k:
            base += 1                       # the \n between two segments
        fi = first_indent if k == 0 else rest_indent
        avail_first = width - fi
        avail_rest = width - rest_indent
        if not seg:
            lines.append(Line(boxes=(), hanging=False, last=True, natural=fi))
            continue
        u = _tokenize(seg, cell, measure, max(min(avail_first, avail_rest), cell), autospace, keep_units)
        u.after = break_after
        u.room = squeeze_room
        if u.n == 0:
            lines.append(Line(boxes=(), hanging=False, last=True, natural=fi))
            continue
        specs = _break(u, avail_first, avail_rest, hang, orphans, squeeze)
        target = width
        if balance and len(specs) > 1:
            target, specs = _balance(u, specs, width, fi, rest_indent, hang, orphans, cell)
        lines.extend(_build(u, specs, target, fi, rest_indent, justify, max_gap, base))
        base += sum(len(t) for t, _ in seg)
    return lines


#: Chinese numerals, and what may follow a number (第十五|个 stays together).
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两")
_COUNTERS = frozenset("个年月日号次届期批项条款章节名人家户所座件份季度")
#: Title-break costs, in cells² (a break one cell off the middle costs about 2).
_COST_CLEAN = 0.0  # after a punctuation mark, before an opening one, at a space
_COST_PHRASE = 0.0  # after 的 (关于……的|通报), before a verb that starts a phrase (…|推动…)
_COST_JOIN = 8.0  # before 和/与/及/暨/并
_COST_WORDS = 16.0  # between two words of the title lexicon
_COST_PLAIN = 24.0  # between two ideographs of unknown words
_COST_WORD = 60.0  # inside a word of the lexicon
_COST_NUMBER = 120.0  # inside 第十五个, 2026年
_COST_MODIFIER = 120.0  # between a quoted term and the word it modifies (“三个一”|机制)
#: Verbs that start a title's verb phrase: a break before them is at a phrase boundary.
_PHRASE_VERBS = ("推动", "推进", "助推", "助力", "促进", "构建", "打造", "开展", "实施", "召开", "举办", "做好",
                 "加强", "加快", "深化", "取得", "实现", "扎实", "全面", "着力", "聚焦", "坚持", "探索", "启动", "公开征求", "征求")
_TITLE_WORDS: frozenset[str] | None = None
#: Longer paragraphs are not balanced (greedy lines).
_BALANCE_MAX_LINES = 8


def _title_words() -> frozenset[str]:
    global _TITLE_WORDS
    if _TITLE_WORDS is None:
        from importlib.resources import files

        text = files("jianbao").joinpath("data/title-words.txt").read_text(encoding="utf-8")
        _TITLE_WORDS = frozenset(
            w for line in text.splitlines() if not line.startswith("#") for w in line.split() if len(w) > 1
        )
    return _TITLE_WORDS


def _break_costs(u: _Units) -> list[float]:
    """How bad a title break before unit i is (in cells²), for i in 0..n: clean after a pause or
    closing mark, before an opening mark or at a space; worst inside a number (第十五|个) or inside a
    word of the title lexicon (谋|划); between two ideographs of unknown words in between."""
    n, T, F = u.n, u.T, u.F
    words = _title_words()
    longest = max(map(len, words), default=2)
    # one character per unit; anything that is not a single ideograph is a separator
    chars = "".join(t if len(t) == 1 and F[i] & _IDEO else "\0" for i, t in enumerate(T))
    inside = [False] * (n + 1)
    edge = [False] * (n + 1)
    for s in range(n):
        for k in range(2, min(longest, n - s) + 1):
            if chars[s:s + k] in words:
                edge[s] = edge[s + k] = True
                for i in range(s + 1, s + k):
                    inside[i] = True
    costs = [_COST_CLEAN] * (n + 1)
    for i in range(1, n):
        a, b = T[i - 1], T[i]
        if not a and i >= 2 and F[i - 1] & _SPACE and not F[i - 2] & _SPACE:
            a = T[i - 2]                      # across an autospace: 2023|年
            if not a or not a[-1].isdigit():
                continue
        elif not a or not b or F[i] & _SPACE or F[i - 1] & _SPACE:
            continue
        if a[-1] in "”’》" and F[i] & _IDEO and not b[0] in "和与及暨并":
            # “三个一”|机制, 《纲要》|起草组: a quoted term or a book title modifies the word after it, unless a verb
            # phrase starts there (《纲要》|公开征求)
            costs[i] = _COST_PHRASE if chars.startswith(_PHRASE_VERBS, i) else _COST_MODIFIER
            continue
        if a[-1] in PAUSE_MARKS or a[-1] in CLOSING_MARKS or a in UNBREAKABLE_PAIRS:
            continue
        if b[0] in OPENING_MARKS:
            # before a quotation: clean after 关于/的 or before a phrase, else a break between words (推动|“双减”工作)
            costs[i] = _COST_CLEAN if a[-1] in "于的" or b[0] in "《（" else _COST_WORDS
            continue
        digits_a = a[-1].isdigit() or a[-1] in _NUMERALS or a[-1] == "第"
        if a[-1].isdigit() and F[i] & _IDEO:
            costs[i] = _COST_NUMBER           # 2023|年度, 156|项: a number and what follows it
        elif digits_a and (b[0].isdigit() or b[0] in _NUMERALS or b[0] in _COUNTERS):
            costs[i] = _COST_NUMBER
        elif a == "的" and not inside[i] or chars.startswith(_PHRASE_VERBS, i):
            costs[i] = _COST_PHRASE
        elif inside[i]:              # inside a word, even where a shorter one ends (习近平总|书记)
            costs[i] = _COST_WORD
        elif b[0] in "和与及暨并":
            costs[i] = _COST_JOIN
        elif edge[i]:
            costs[i] = _COST_WORDS
        else:
            costs[i] = _COST_PLAIN
    return costs


def _balance(
    u: _Units, specs: list[_Spec], width: float, fi: float, ri: float, hang: bool, orphans: bool,
    cell: float = 1.0,
) -> tuple[float, list[_Spec]]:
    """The greedy line count, with the breaks chosen for lines as even as possible, never inside a
    quotation or brackets (“双|减”) and preferably not inside a word or number (谋|划, 第|十五):
    dynamic programming over the legal breaks, cost = squared slack against the average line plus
    the break's cost (`_break_costs`) plus a penalty inside a pair.
    Returns the widest line's width (to centre on) and the line specs."""
    count = len(specs)
    if count > _BALANCE_MAX_LINES:        # no title is that long; the search grows with the square of the lines
        return width, specs
    n, P, F, T = u.n, u.P, u.F, u.T
    closers = {"”": "“", "’": "‘", "）": "（", "》": "《", "〉": "〈", "」": "「", "』": "『", "】": "【", "〕": "〔"}
    depth = [0] * (n + 1)   # open pairs before unit i
    d = 0
    for i in range(n):
        depth[i] = d
        t = T[i]
        if t in OPENING_MARKS:
            d += 1
        elif t in closers and d:
            d -= 1
    depth[n] = 0
    breaks = [i for i in range(1, n) if u.ok(i)]
    bcost = _break_costs(u)
    cell2 = cell * cell
    total = P[n]
    avg = total / count

    def content(a: int, b: int) -> float:
        e = b
        while e > a and F[e - 1] & _SPACE:
            e -= 1
        s0 = a
        while s0 < e and F[s0] & _SPACE:
            s0 += 1
        return P[e] - P[s0]

    # best[k][i]: cost of setting units 0..i-1 in k lines, breaking at i. A line starting at a and ending at b is
    # only tried when it can fit (P[b] - P[a] within the measure and the widest space): a few dozen a's per b.
    run = spare = 0.0                   # the widest run of spaces, which a line drops at either end
    for w_, f in zip(u.W, F):
        run = run + w_ if f & _SPACE else 0.0
        spare = max(spare, run)
    spare = 2 * spare + _EPS
    best = [{0: (0.0, None)}]
    for k in range(1, count + 1):
        row = {}
        ends = [n] if k == count else breaks
        starts = sorted(best[k - 1])
        avail = width - (fi if k == 1 else ri)
        for b in ends:
            lo = bisect_left(starts, b)
            first = lo
            while first > 0 and P[b] - P[starts[first - 1]] <= avail + spare:
                first -= 1
            for a in starts[first:lo]:
                c = best[k - 1][a][0]
                w = content(a, b)
                if w > avail + _EPS:
                    continue
                cost = c + (avg - w) ** 2 + (0 if b == n else 4 * avg * avg * depth[b] + cell2 * bcost[b])
                if b not in row or cost < row[b][0]:
                    row[b] = (cost, a)
        best.append(row)
    if n not in best[count]:
        return width, specs
    cuts = [n]
    for k in range(count, 0, -1):
        cuts.append(best[k][cuts[-1]][1])
    cuts.reverse()
    chosen = [(a, b, -1, None) for a, b in zip(cuts, cuts[1:])]
    widest = max(content(a, b) + (fi if li == 0 else ri) for li, (a, b, _, _) in enumerate(chosen))
    return min(widest, width), chosen


def break_text(text: str, cells: int = 28, indent: int = 0, hang: bool = True, orphans: bool = False,
               keep_units: bool = False, break_after: str = "", balance: bool = False) -> list[str]:
    """Test/debug helper: lay out plain text with CJK = 1 cell, every Latin/digit char =
    0.5 cell, return the lines' texts (hanging marks included, dropped spaces not)."""
    lines = layout_paragraph(
        [(text, None)],
        width=float(cells),
        cell=1.0,
        measure=lambda s, _style: 0.5 * len(s),
        first_indent=float(indent),
        hang=hang,
        orphans=orphans,
        keep_units=keep_units,
        break_after=break_after,
        balance=balance,
    )
    return ["".join(b.text for b in line.boxes) for line in lines]
