"""The text rules of `jianbao check`: punctuation (GB/T 15834-2011), numbers (GB/T 15835-2011) and the
traces that text pasted from Word, WeChat and PDFs leaves.

Each rule is a generator `rule(view) -> (start, end, rule_id, message, replacement or None)` over one
scalar's text as written in the file (`View.raw`), so that a finding points into the file and a fix
(`replacement`) edits it in place. A replacement is given only where the fix is mechanical and certain.
Web and e-mail addresses are masked before any rule runs: no rule looks into them or glues them to the
text around them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import N_, _

CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
CJK_OR_MARK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’]"
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "〈": "〉", "「": "」", "『": "』", "〔": "〕"}
CLOSING_END = ("。", "！", "？", "……", "”", "’", "）", "》", "」", "』", "】", "——")

# HALFWIDTH and STRAY_SPACE as written with CJK and CJK_OR_MARK took Python's regex compiler 25–35 ms (it walks the
# ~28,000 code points of each class, five times over). They are matched instead on the text with every character of
# the classes replaced by one placeholder character (`_classed`): positions and every other character unchanged.
_HAN, _HAN_ONLY, _MARK_ONLY = "\x01", "\x02", "\x03"    # in both classes; in CJK only; in CJK_OR_MARK only
_CJK = f"[{_HAN}{_HAN_ONLY}]"
_CJK_OR_MARK = f"[{_HAN}{_MARK_ONLY}]"
_URL = "\x04"          # what a web or e-mail address is masked with: no rule's class holds it


class _Placeholders(dict):
    """str.translate table: code point → the placeholder of its class; the placeholders themselves → NUL."""

    def __init__(self, marks: bool, keep: str = ""):
        super().__init__()
        self.marks = marks
        self.keep = {ord(c) for c in keep}

    def __missing__(self, cp: int) -> int:
        if cp in self.keep:
            v = cp
        elif 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF:
            v = 1
        elif 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3134F:
            v = 2 if self.marks else 1
        elif self.marks and (0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF or cp in (0x201C, 0x201D, 0x2018, 0x2019)):
            v = 3
        elif cp in (1, 2, 3, 4):
            v = 0
        else:
            v = cp
        self[cp] = v
        return v


_PLACEHOLDERS = _Placeholders(marks=True)
_HAN_PLACEHOLDERS = _Placeholders(marks=False)
NUMERALS = "〇零一二三四五六七八九十百千万亿两"
_HANUM_PLACEHOLDERS = _Placeholders(marks=False, keep=NUMERALS)


def _classed(raw: str) -> str:
    """Han → \\x01 (\\x02 outside the main blocks), full-width marks and “”‘’ → \\x03."""
    return raw.translate(_PLACEHOLDERS)


def _han(raw: str) -> str:
    """Every Han character → \\x01; everything else as it is."""
    return raw.translate(_HAN_PLACEHOLDERS)


def _hanum(raw: str) -> str:
    """Every Han character but the numerals (NUMERALS) → \\x01."""
    return raw.translate(_HANUM_PLACEHOLDERS)


H = "\x01"                                     # a Han character in `View.han`
FW = "，。、；：？！“”‘’（）《》【】〔〕〈〉「」『』…—"   # full-width punctuation
OPEN, CLOSE = "“‘（《【〔〈「『", "”’）》】〕〉」』"
CN_DIGIT = "一二三四五六七八九十"

URL = re.compile(r"(?:https?|ftp)://[!-~]+|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[!-~]*)?"
                 r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
                 r"|(?<![A-Za-z0-9.@-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:gov\.cn|edu\.cn|org\.cn|com\.cn|cn|com|net|org)"
                 r"(?![A-Za-z0-9-])(?:/[!-~]*)?")


def mask_addresses(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """`raw` with every web and e-mail address replaced by _URL characters (same length), and their spans.
    Punctuation ending the sentence after an address is not part of it."""
    spans = []
    for m in URL.finditer(raw):
        end = m.end()
        while end > m.start() and raw[end - 1] in ".,;:!?)]'\"":
            end -= 1
        spans.append((m.start(), end))
    out = raw
    for a, b in spans:
        out = out[:a] + _URL * (b - a) + out[b:]
    return out, spans


@dataclass
class View:
    """One scalar's text as written (`raw`: the indentation of its lines taken out, lines joined by \\n), the same
    with addresses masked (`text`), with Han characters as H (`han`; `hanum`: all but the numerals) and in the three
    classes (`classed`). `kind`: para (body, `text:` and note paragraphs), title, subtitle, heading, runin (a heading
    with `text:`), source, name (报/送/发); `level`: a heading's depth."""
    raw: str
    kind: str
    level: int = 0
    folded: bool = True          # a line break in `raw` becomes a space in the value (not in a `|` block)

    def __post_init__(self):
        self.text, self.addresses = mask_addresses(self.raw)
        self.han = _han(self.text)
        self.hanum = _hanum(self.text)
        self.classed = _classed(self.text)


# --------------------------------------------------------------------------- whitespace

INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
ODD_SPACE = re.compile("[\u00a0\u2002-\u200a\u202f\u205f\u3000\t]+")
SPACE_NAMES = {"\u00a0": N_("no-break space U+00A0"), "\u3000": N_("ideographic space U+3000"), "\t": N_("tab")}
SPACE_BETWEEN_HAN = re.compile(rf"(?<={H}) +(?={H})|(?<={H}) +(?=\*\*{H})|(?<={H}\*\*) +(?={H})")
SPACE_BY_MARK = re.compile(rf"(?<=[{FW}]) +(?![0-9A-Za-z%\s])(?=\S)|(?<![0-9A-Za-z%\s])(?<=\S) +(?=[{FW}])")
JOINT_ISSUERS = re.compile("(?:中央|国务院|[委厅局部院办府署]|委员会|领导小组)$")
ISSUER_START = re.compile("中共|中央|国务院|国家|全国|[省市县区乡镇]")
FOLDED_BREAK = re.compile(rf"(?<=[{H}{FW}])\n|\n(?=[{H}{FW}])")


def invisible(v: View):
    for m in INVISIBLE.finditer(v.text):
        yield m.start(), m.end(), "invisible-char", \
            _("invisible character U+{code} (zero-width, pasted from the web): delete it").format(
                code=f"{ord(m.group()[0]):04X}"), ""


def odd_space(v: View):
    for m in ODD_SPACE.finditer(v.text):
        before = v.han[m.start() - 1] if m.start() else "\n"
        after = v.han[m.end()] if m.end() < len(v.han) else "\n"
        ch = m.group()[0]
        name = _(SPACE_NAMES[ch]) if ch in SPACE_NAMES else _("space U+{code}").format(code=f"{ord(ch):04X}")
        if before in f"\n{H}{FW}*" or after in f"\n{H}{FW}*":
            yield m.start(), m.end(), "odd-space", \
                _("{space} in Chinese text: delete it (the layout indents and spaces)").format(space=name), ""
        else:
            yield m.start(), m.end(), "odd-space", \
                _("{space} (pasted from Word or a web page): write a plain space").format(space=name), " "


def space_in_chinese(v: View):
    """Spaces between Chinese characters (not in titles and headings, where a space parts two phrases), next to
    full-width punctuation, inside full-width brackets and quotes."""
    if v.kind not in ("title", "subtitle", "heading", "runin"):
        depth = None
        for m in SPACE_BETWEEN_HAN.finditer(v.han):
            depth = depth or _quote_depth(v.text)
            if depth[m.start()]:
                continue                               # “提能力 强作风 出重彩”: a slogan's phrases, as in a title
            if JOINT_ISSUERS.search(v.text, max(0, m.start() - 4), m.start()) and ISSUER_START.match(v.text, m.end()):
                continue                               # 中共中央 国务院, 市教育局 市财政局: joint issuers
            yield m.start(), m.end(), "space-in-chinese", _("space between Chinese characters: delete it"), ""
        if v.folded:
            for m in FOLDED_BREAK.finditer(v.han):
                yield m.start(), m.end(), "space-in-chinese", \
                    _("this line break prints as a space in the Chinese text: join the two lines"), None
    for m in SPACE_BY_MARK.finditer(v.han):
        before, after = v.han[m.start() - 1], v.han[m.end()]
        if v.kind in ("title", "subtitle", "heading", "runin") and \
                ((before in CLOSE and (after == H or after in OPEN)) or (before == H and after in OPEN)):
            continue                                   # 坚持“双减” 构建新生态: the space between two phrases
        mark = before if before in FW else after
        yield m.start(), m.end(), "space-in-chinese", _("space next to full-width '{mark}': delete it").format(mark=mark), ""


def _quote_depth(text: str) -> list[int]:
    """For each character, how many “ ” ‘ ’ 《 》 enclose it."""
    out, depth = [], 0
    for ch in text:
        if ch in "”’》":
            depth = max(0, depth - 1)
        out.append(depth)
        if ch in "“‘《":
            depth += 1
    return out


# --------------------------------------------------------------------------- half-width marks

HALFWIDTH = re.compile(rf"(?<={_CJK_OR_MARK})[,;:?!]|[,;:?!](?={_CJK})|(?<={_CJK})\.(?={_CJK}|\n|$)|"
                       rf"\((?={_CJK})|(?<={_CJK_OR_MARK})\)")          # on _classed(text)
STRAIGHT = re.compile(r"[\"']")
STRAY_SPACE = re.compile(rf"(?<={_CJK_OR_MARK}) +(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%]) +(?={_CJK_OR_MARK})")  # on _classed
DOUBLED = re.compile(r"([，。、；：？！])\1+")
BRACKETS = re.compile("[" + "".join(PAIRS) + "".join(PAIRS.values()) + "]")
PAREN_PAIR = re.compile(r"\(([^()\n]{1,60})\)")
DOC_NUMBER = re.compile(rf"(?<={H})([\[\(（【［])((?:19|20)\d\d)([\]\)）】］])(?=\d{{1,4}}{H})")  # on han: …号


def halfwidth_punctuation(v: View):
    """, ; : ? ! ( ) . between or after Chinese characters: the full-width form belongs there."""
    for m in HALFWIDTH.finditer(v.classed):
        full = HALF_TO_FULL[m.group()]
        yield m.start(), m.end(), "halfwidth-punct", \
            _("half-width '{mark}' in Chinese text (use '{full}')").format(mark=m.group(), full=full), full


def halfwidth_brackets(v: View):
    """( ) next to Chinese or around Chinese, whatever is inside: 测试(test) → 测试（test）, (1)明确 → （1）明确."""
    for m in PAREN_PAIR.finditer(v.han):
        before = v.han[m.start() - 1] if m.start() else ""
        after = v.han[m.end()] if m.end() < len(v.han) else ""
        if before == H or after == H or (before and before in FW) or (after and after in FW) or H in m.group(1):
            for i, ch in ((m.start(), "（"), (m.end() - 1, "）")):
                yield i, i + 1, "halfwidth-punct", \
                    _("half-width '{mark}' next to Chinese text (use '{full}')").format(mark=v.text[i], full=ch), ch


def document_number(v: View):
    for m in DOC_NUMBER.finditer(v.han):
        if v.text[m.end():].lstrip("0123456789")[:1] != "号":
            continue
        yield m.start(1), m.end(3), "doc-number", \
            _("the year of a document number goes in 〔 〕: write 〔{year}〕").format(year=m.group(2)), f"〔{m.group(2)}〕"


def straight_quotes(v: View):
    for m in STRAIGHT.finditer(v.text):
        if m.group() == "'" and re.match(r"[A-Za-z]'[A-Za-z]", v.text[max(0, m.start() - 1):m.end() + 1]):
            continue  # an apostrophe in a Latin word
        yield m.start(), m.end(), "straight-quote", _("straight quote {mark} (use “ ” or ‘ ’)").format(mark=m.group()), None


def stray_space(v: View):
    """Spaces between Chinese and digits/Latin, left over from PDFs (新建中小学 22 所)."""
    for m in STRAY_SPACE.finditer(v.classed):
        yield m.start(), m.end(), "stray-space", _("space between Chinese text and a number or Latin word"), ""


FULLWIDTH_ALNUM = re.compile("[０-９Ａ-Ｚａ-ｚ]+(?:．[０-９]+)?")


def fullwidth_alnum(v: View):
    for m in FULLWIDTH_ALNUM.finditer(v.text):
        plain = "".join(chr(ord(c) - 0xFEE0) for c in m.group())
        yield m.start(), m.end(), "fullwidth-alnum", \
            _("full-width '{text}': write '{plain}' (GB/T 15835-2011)").format(text=m.group(), plain=plain), plain


# --------------------------------------------------------------------------- ellipsis and dashes

ELLIPSIS = re.compile(r"\.{2,}|。{3,}|·{3,}|・{3,}|⋯+|…+")
DASHES = re.compile(r"(?:--|－－|──|––|—–|–—|ーー)-?|(?<!—)—{3}(?!—)|(?<![—\-－–─])—(?!—)")


def _chinese_around(v: View, start: int, end: int) -> bool:
    before = v.han[start - 1] if start else ""
    after = v.han[end] if end < len(v.han) else ""
    return before == H or after == H or (before and before in FW) or (after and after in FW)


def ellipsis(v: View):
    for m in ELLIPSIS.finditer(v.han):
        run = m.group()
        if run[0] == "." and not _chinese_around(v, m.start(), m.end()):
            continue                                   # a Latin "..." or a path
        if run[0] == "…" and len(run) % 2 == 0:
            if v.text[m.end():m.end() + 1] == "。":
                yield m.end(), m.end() + 1, "ellipsis", _("no '。' after '……': the ellipsis ends the sentence"), None
        elif run == "..":
            yield m.start(), m.end(), "ellipsis", _("'..' in Chinese text: write '……' (or '。')"), None
        else:
            yield m.start(), m.end(), "ellipsis", _("'{marks}': the ellipsis is two '…' (write '……')").format(marks=run), "……"


def dashes(v: View):
    for m in DASHES.finditer(v.han):
        s, e = m.span()
        before = v.han[s - 1] if s else ""
        after = v.han[e] if e < len(v.han) else ""
        if m.group() == "—":
            between_han = before == H and after == H
            if before.isdigit() or after.isdigit() or (before.isalpha() and before != H) or (after.isalpha() and after != H):
                continue                               # 2026—2030年, B—C: the connector 一字线
            if between_han and not (v.han[max(0, s - 5):s] == H * 5 and v.han[e:e + 5] == H * 5):
                continue                               # 北京—上海, 收集—交办—办理: the connector 一字线
            fix = "——" if s == 0 and after == H else None
            yield s, e, "dash", _("a single '—' is the connector (2026—2030年, 北京—上海); the dash (破折号) is '——'"), fix
        elif m.group() == "———":
            yield s, e, "dash", _("'———': the dash (破折号) is two '—' (write '——')"), None
        elif _chinese_around(v, s, e):
            yield s, e, "dash", _("'{marks}' in Chinese text: the dash (破折号) is '——'").format(marks=m.group()), "——"


# --------------------------------------------------------------------------- item numbers

BOUNDARY = r"(?:^|(?<=[\n。；：！？]))(?:\*\*)?"
MARK_AFTER_BRACKET = re.compile(rf"{BOUNDARY}[（(](?:[{CN_DIGIT}]{{1,3}}|\d{{1,2}})[）)]([、.．,，])(?![（(第])")
ARABIC_ITEM = re.compile(rf"{BOUNDARY}\d{{1,2}}(、)(?=[{H}“《])")
CHINESE_ITEM = re.compile(rf"{BOUNDARY}[{CN_DIGIT}]{{1,3}}([.．])(?=[{H}“《])")
HALF_BRACKET_ITEM = re.compile(rf"{BOUNDARY}\d{{1,2}}([)）])(?=[{H}“《])")
HEADING_NUMBER = re.compile(rf"^(?:\*\*)?(?:[{CN_DIGIT}]{{1,3}}[、.．]|[（(](?:[{CN_DIGIT}]{{1,3}}|\d{{1,2}})[）)][、.．]?"
                            r"|\d{1,2}(?:[.．、](?!\d)|[)）]))[ \u3000]*")


def item_numbers(v: View):
    for m in MARK_AFTER_BRACKET.finditer(v.hanum):
        yield m.start(1), m.end(1), "item-number", \
            _("no '{mark}' after a bracketed item number (GB/T 15834-2011): delete it").format(mark=m.group(1)), ""
    for m in ARABIC_ITEM.finditer(v.hanum):
        yield m.start(1), m.end(1), "item-number", \
            _("an Arabic item number takes '.', not '、' (write '1.'; GB/T 15834-2011)"), "."
    for m in CHINESE_ITEM.finditer(v.hanum):
        yield m.start(1), m.end(1), "item-number", \
            _("a Chinese item number takes '、', not '{mark}' (write '一、'; GB/T 15834-2011)").format(mark=m.group(1)), "、"
    for m in HALF_BRACKET_ITEM.finditer(v.hanum):
        yield m.start(1), m.end(1), "item-number", \
            _("an item number with one bracket: write '（1）' or '1.'"), None


def heading_number(v: View):
    if v.kind not in ("heading", "runin"):
        return
    m = HEADING_NUMBER.match(v.hanum)
    if m:
        start = 2 if v.han.startswith("**") else 0
        typed = v.text[start:m.end()].strip()
        yield start, m.end(), "heading-number", \
            _("the heading types its own number '{number}' (headings are numbered for you: it would print twice): "
              "delete it").format(number=typed), ""


# --------------------------------------------------------------------------- dates and years (GB/T 15835-2011)

SHORT_YEAR = re.compile(r"(?<![\d.０-９])\d{2}年(?=\d{1,2}月|[底初末]|[上下]半年|[一二三四]季度|前[三两]季度)"
                        r"|(?<![达满长延增超近过足][到于])(?<=[到于])\d{2}年(?=[，。；、])")   # not 达到25年 (years)
PADDED = re.compile(r"(?<![\d.])0(?=[1-9]月)|(?<=月)0(?=[1-9][日号])")
HAO = re.compile(rf"(?<=月)(\d{{1,2}}|[{CN_DIGIT}]{{1,3}})(号)(?![楼院线文令机门馆库房车位码])")
CN_YEAR = re.compile(r"(?<![〇○零Oo0一二三四五六七八九十\d])[一二][〇○零Oo0一二三四五六七八九]{3}年")
DOTTED_DATE = re.compile(r"(?<![\d.])((?:19|20)\d\d)\.(\d{1,2})\.(\d{1,2})(?![\d.])")
MIXED_DATE = re.compile(rf"(?<![〇一二三四五六七八九\d])[一二][〇一二三四五六七八九]{{3}}年(?=\d{{1,2}}月)"
                        rf"|(?<!\d)\d{{4}}年(?=[{CN_DIGIT}]{{1,2}}月)"
                        rf"|(?<![{CN_DIGIT}])[{CN_DIGIT}]{{1,2}}月(?=\d{{1,2}}日)|(?<!\d)\d{{1,2}}月(?=[{CN_DIGIT}]{{1,3}}日)")
DAY_RANGE = re.compile(r"(?<=\d[月日])[-－–~〜](?=\d{1,2}[月日])")


def dates(v: View):
    for m in DOTTED_DATE.finditer(v.text):
        if _chinese_around(v, m.start(), m.end()):
            y, mo, d = (int(x) for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                yield m.start(), m.end(), "date-form", \
                    _("in Chinese text write a date as {date} (if it is one)").format(date=f"{y}年{mo}月{d}日"), None
    if "年" not in v.text and "月" not in v.text:
        return
    for m in SHORT_YEAR.finditer(v.text):
        yield m.start(), m.end(), "date-form", \
            _("short year '{year}': write the year in full (2022年; GB/T 15835-2011)").format(year=m.group()), None
    for m in PADDED.finditer(v.text):
        yield m.start(), m.end(), "date-form", _("no leading zero in a Chinese date (2月5日, not 02月05日)"), ""
    for m in HAO.finditer(v.text):
        yield m.start(2), m.end(2), "date-form", \
            _("write '{day}日', not '{day}号', in a written date").format(day=m.group(1)), "日"
    for m in CN_YEAR.finditer(v.text):
        wrong = [c for c in m.group() if c in "○零Oo0"]
        if wrong:
            fixed = "".join("〇" if c in "○零Oo0" else c for c in m.group())
            yield m.start(), m.end(), "date-form", \
                _("the zero of a year in Chinese digits is 〇: write '{year}'").format(year=fixed), fixed
    for m in MIXED_DATE.finditer(v.text):
        yield m.start(), m.end(), "date-form", \
            _("a date in mixed digits: write all Arabic (2022年2月5日) or all Chinese (二〇二二年二月五日)"), None


# --------------------------------------------------------------------------- ranges

YEAR_RANGE = re.compile(r"(?<![0-9A-Za-z/.\-:])(?<![A-Za-z] )((?:19|20)\d\d)(年?)[-－–~〜](?=((?:19|20)\d\d)(?:年|[^\d\-]|$))")
NUM = r"\d+(?:\.\d+)?"
NUM_RANGE = re.compile(rf"(?<![0-9A-Za-z/.\-:－])({NUM})(%|‰|万|亿)?([-－–~〜～])({NUM})(?![\d.\-－/:])"
                       rf"(?:(%|‰|万|亿)|(?=[{H}千百两]|[A-Za-z]{{1,3}}(?![A-Za-z])))")          # on hanum
TIME_UNIT = "月日号时点"
RANGE_MARKS = re.compile("[-－–~〜～]")


def ranges(v: View):
    if not RANGE_MARKS.search(v.text):
        return
    for m in DAY_RANGE.finditer(v.text):
        yield m.start(), m.end(), "range", _("a span of dates takes '—' (3月1日—31日)"), "—"
    for m in YEAR_RANGE.finditer(v.text):
        s = m.end() - 1
        yield s, s + 1, "range", \
            _("a span of years takes '—': write '{wanted}'").format(wanted=f"{m.group(1)}{m.group(2)}—{m.group(3)}"), "—"
    for m in NUM_RANGE.finditer(v.hanum):
        a, unit_a, sep, b, unit_b = m.groups()
        if len(a) == 4 and len(b) == 4 and a[:2] in ("19", "20"):
            continue                                   # years: above
        if a.startswith("0") and len(a) > 1 or float(a) >= float(b):
            continue                                   # 0371-6…: a telephone number; 3-1: a score, a flat
        after = v.text[m.end()] if m.end() < len(v.text) else ""
        unit = unit_b or ""
        if sep != "～":
            right = "—" if not unit and after and after in TIME_UNIT else "～"
            repeat = unit if unit and not unit_a else unit_a or ""
            wanted = f"{a}{repeat}{right}{b}{unit}"
            yield m.start(), m.end(), "range", \
                _("a range takes '{mark}': write '{wanted}' (GB/T 15835-2011)").format(mark=right, wanted=wanted), wanted
        elif unit and not unit_a:
            wanted = f"{a}{unit}～{b}{unit}"
            yield m.start(), m.end(), "range", \
                _("'{unit}' is written on both ends of a range: write '{wanted}' (GB/T 15835-2011)").format(
                    unit=unit, wanted=wanted), wanted


# --------------------------------------------------------------------------- quotes

CORNER = {"「": "“", "」": "”", "『": "‘", "』": "’"}
CORNER_MARK = re.compile("[「」『』]")
DOUBLE_QUOTES = re.compile("[“”]")
ANY_QUOTE = re.compile("[“”‘’]")
QUOTE_LIST = re.compile(r"(?<=[”》])、(?=[“《])")


def quotes(v: View):
    for m in CORNER_MARK.finditer(v.text):
        ch = m.group()
        yield m.start(), m.end(), "quote-form", \
            _("'{mark}' is the traditional form: in simplified text write '{simple}'").format(mark=ch, simple=CORNER[ch]), \
            CORNER[ch]
    # a quote inside a quote takes ‘ ’ (only when every “ ” of the text pairs up)
    stack, pairs, ok = [], [], True
    for m in DOUBLE_QUOTES.finditer(v.text) if v.text.count("“") > 1 else ():
        i, ch = m.start(), m.group()
        if ch == "“":
            stack.append(i)
        elif ch == "”":
            if not stack:
                ok = False
                break
            start = stack.pop()
            if len(stack) == 1:
                pairs.append((start, i))
    if ok and not stack:
        for a, b in pairs:
            inner = v.text[a + 1:b]
            message = _("a quote inside a quote takes ‘ ’: write ‘{inner}’").format(inner=inner)
            yield a, a + 1, "nested-quote", message, "‘"
            yield b, b + 1, "nested-quote", message, "’"
    yield from _outer_single_quotes(v.text)
    for m in QUOTE_LIST.finditer(v.text):
        yield m.start(), m.end(), "quote-list", \
            _("no '、' between items each in quotes or 《》 (GB/T 15834-2011 4.5.3.5): delete it"), ""


def _outer_single_quotes(text: str):
    """‘ ’ not inside “ ”: the outer quotes are “ ” (only when every quote of the text pairs up)."""
    if "‘" not in text:
        return
    stack, outer = [], []
    for m in ANY_QUOTE.finditer(text):
        i, ch = m.start(), m.group()
        if ch in "“‘":
            stack.append((ch, i))
        elif not stack or stack[-1][0] != {"”": "“", "’": "‘"}[ch]:
            return
        else:
            start = stack.pop()[1]
            if ch == "’" and not any(c == "“" for c, _i in stack):
                outer.append((start, i))
    if stack:
        return
    for a, b in outer:
        inner = text[a + 1:b]
        message = _("the outer quotes are “ ” (‘ ’ only inside them): write “{inner}”").format(inner=inner)
        yield a, a + 1, "quote-form", message, "“"
        yield b, b + 1, "quote-form", message, "”"


# --------------------------------------------------------------------------- words

WORDS = [
    (re.compile(r"、(?=等)"), "wording", N_("no '、' before 等: write 'A、B等'"), ""),
    (re.compile(r"其它"), "wording", N_("write 其他 (其他 is used for things too: 《现代汉语词典》第7版)"), "其他"),
    (re.compile(rf"截止(?=\d|[{CN_DIGIT}〇]+[年月]|目前|今年|去年|上年|本年|本月|上月|当前|年底|年末|本周|\*\*\d)"),
     "wording", N_("before a date write 截至 (截止 = to end; 截至 = up to a date)"), "截至"),
    (re.compile(r"法制建设"), "wording",
     N_("since 2014 the term is 法治建设 (法制 is the body of laws): write 法治建设 unless the legal system is meant"), None),
    (re.compile(r"交待"), "wording", N_("write 交代 (《现代汉语词典》第7版: 交待 is the variant)"), "交代"),
    (re.compile(r"通讯(?=畅通|保障|联络|中断)"), "wording", N_("write 通信 (telecommunication); 通讯 is a news report"), "通信"),
    (re.compile(r"(?<!不良)(?<!过敏)(?<!化学)(?<!应急)(?:(?<=情况)反应|反应(?=情况|问题|诉求|意见))"), "wording",
     N_("write 反映 (to report); 反应 is a reaction"), "反映"),
]
ESTIMATE = re.compile(r"(?<![制节简契预合公条隐])约(?:有|为|计)?(\d+(?:\.\d+)?[万亿千百]?[^\d，。；、：\s]{0,3}?)(余|左右|多)")
REPEATABLE_NOT = {"进行", "加强", "推进", "积极", "认真", "持续", "全面", "深入", "不断", "切实", "有效", "坚持", "我们",
                  "各级", "以及", "通过", "按照", "根据", "关于", "已经", "开展", "工作", "建设", "发展", "重点", "问题",
                  "进一", "推动", "实施", "落实", "提升", "要求", "做好", "扎实"}


def words(v: View):
    for pattern, rule_id, message, fix in WORDS:
        for m in pattern.finditer(v.text):
            yield m.start(), m.end(), rule_id, _(message), fix
    for m in ESTIMATE.finditer(v.text):
        yield m.start(2), m.end(2), "wording", \
            _("'约' and '{mark}' both say the number is an estimate: keep one (约{number} or {number}{mark})").format(
                mark=m.group(2), number=m.group(1)), None
    yield from _duplicated(v)


REPEATED = [re.compile("(.{%d})\\1" % size) for size in (4, 3, 2)]
REPEATED_CHAR = re.compile(r"([的了])\1")


def _duplicated(v: View):
    text, han = v.text, v.han
    taken = bytearray(len(text) + 1)                  # the characters of a repetition found already
    for size, pattern in zip((4, 3, 2), REPEATED):
        for m in pattern.finditer(text):
            i, word = m.start(), m.group(1)
            if han[i:m.end()] != H * 2 * size or any(taken[i:m.end()]):
                continue
            if (size >= 3 and word[0] not in "一每某") or word in REPEATABLE_NOT:
                taken[i:m.end()] = b"\x01" * (2 * size)
                yield i + size, m.end(), "duplicate-word", _("'{word}' written twice: delete one").format(word=word), ""
    for m in REPEATED_CHAR.finditer(text):
        i, ch = m.start(), m.group(1)
        prev, nxt = text[i - 1:i], text[i + 2:i + 3]
        if ch == "的" and (prev == "目" or nxt == "确") or ch == "了" and (nxt in ("解", "之", "然") or prev == "不"):
            continue                                   # 目的的, 的的确确, 为了了解, 不了了之
        if not any(taken[i:m.end()]):
            yield i + 1, m.end(), "duplicate-word", _("'{word}' written twice: delete one").format(word=ch), ""


# --------------------------------------------------------------------------- pairs, ends

def doubled_punctuation(v: View):
    for m in DOUBLED.finditer(v.text):
        yield m.start(), m.end(), "doubled-punct", _("doubled punctuation {marks!r}").format(marks=m.group()), None


def unbalanced(v: View):
    stack = []
    closers = {c: o for o, c in PAIRS.items()}
    for m in BRACKETS.finditer(v.text):
        i, ch = m.start(), m.group()
        if ch in PAIRS:
            stack.append((ch, i))
        elif stack and stack[-1][0] == closers[ch]:
            stack.pop()
        else:
            yield i, i + 1, "unbalanced", _("'{mark}' closes nothing").format(mark=ch), None
    for ch, i in stack:
        yield i, i + 1, "unbalanced", _("'{mark}' is never closed (missing '{closing}')").format(mark=ch, closing=PAIRS[ch]), None


TITLE_END = "。，、；：,.;:"
TITLE_END_MESSAGES = {"title": N_("a title does not end in '{mark}': delete it"),
                      "subtitle": N_("a subtitle does not end in '{mark}': delete it"),
                      "heading": N_("a heading on its own line does not end in '{mark}': delete it")}


def ends(v: View):
    """A paragraph ends with closing punctuation; a title, or a heading of level 1–2 standing on its own line,
    ends without it (level 3–4 items are often whole sentences set as headings)."""
    body = v.text.rstrip()
    while body.endswith("**"):
        body = body[:-2].rstrip()
    if not body:
        return
    last = len(body) - 1
    if v.kind == "para":
        if body[-1] in "，,、；":
            yield last, last + 1, "paragraph-end", _("paragraph ends with '{mark}'").format(mark=body[-1]), None
        elif not body.endswith(CLOSING_END) and v.han[last] == H:
            yield last, last + 1, "paragraph-end", _("paragraph has no closing punctuation"), None
        elif body[-1] == "." and last and (body[-2].isdigit() or body[-2] in "%‰") and H in v.han:
            yield last, last + 1, "halfwidth-punct", _("half-width '.' ends a Chinese paragraph (use '。')"), "。"
        elif body.endswith("…") and not body.endswith("……"):
            yield last, last + 1, "paragraph-end", _("paragraph ends with a single '…' (write '……')"), "……"
    elif (v.kind in ("title", "subtitle") or (v.kind == "heading" and v.level <= 2)) and body[-1] in TITLE_END:
        yield last, last + 1, "title-end", _(TITLE_END_MESSAGES.get(v.kind, TITLE_END_MESSAGES["heading"])).format(
            mark=body[-1]), ""


# every rule, in the order that decides which finding is kept when two find something at the same place
RULES = [invisible, odd_space, heading_number, document_number, item_numbers, ellipsis, dashes, ranges, dates,
            fullwidth_alnum, quotes, words, halfwidth_punctuation, halfwidth_brackets, straight_quotes, stray_space,
            space_in_chinese, doubled_punctuation, unbalanced, ends]


def findings(v: View):
    """Every rule's findings on one scalar; of findings at the same place (or overlapping) the first rule's is kept,
    and none that touches a web or e-mail address."""
    starts, covered, out = set(), bytearray(len(v.text) + 1), []
    for fn in RULES:
        for a, b, rule_id, message, fix in fn(v):
            if a in starts or any(covered[a:b]) or any(a < y and b > x for x, y in v.addresses):
                continue
            starts.add(a)
            covered[a:b] = b"\x01" * (b - a)
            out.append((a, b, rule_id, message, fix))
    return out
