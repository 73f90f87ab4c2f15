"""Text helpers of the importer: widths in characters, Chinese numbers and dates, sentence ends, the
mechanical repairs of extracted text, and DOCX runs as text with **emphasis**."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .read import Run

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}


def cells(text: str) -> float:
    return sum(0.5 if unicodedata.east_asian_width(c) in "NaH" else 1.0 for c in text)


def compact(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def cn_number(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def parse_date(m: re.Match) -> dt.date | None:
    y, mo, d = (int(unicodedata.normalize("NFKC", g)) for g in m.groups()[:3])
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


SENTENCE = re.compile(r"(?:[。！？…!?][”’）》」』】)]*|——)$")


def ends_sentence(text: str) -> bool:
    """Ends with 。！？… (closing quotes and brackets after it allowed): a closing quote alone does not end one."""
    return bool(SENTENCE.search(text.rstrip().replace("**", "")))


# ---- text fixes -------------------------------------------------------------------------------------------------
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_OR_MARK = _CJK + "\u3000-\u303f\uff00-\uffef“”‘’"
STRAY_SPACE = re.compile(rf"(?<=[{_CJK_OR_MARK}])[ \u00a0]+(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%])[ \u00a0]+(?=[{_CJK_OR_MARK}])")
AFTER_MARK = re.compile(r"(?<=[，。、；：？！])[ \u00a0]+|[ \u00a0]+(?=[，。、；：？！])")
HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
HALF_PUNCT = re.compile(rf"(?<=[{_CJK_OR_MARK}])[,;:?!]|[,;:?!](?=[{_CJK}])")
HALF_PARENS = re.compile(rf"(?<=[{_CJK_OR_MARK}])\(([^()\n]*)\)|\(([^()\n]*[{_CJK}][^()\n]*)\)|\((?=[{_CJK}])|(?<=[{_CJK}])\)")


def fix_text(text: str) -> tuple[str, int]:
    """The mechanical repairs of `jianbao check --fix` (spaces left between Chinese and digits by PDF
    extraction, half-width punctuation in Chinese text), plus half-width brackets around Chinese or after it."""
    n = 0
    text, k = STRAY_SPACE.subn("", text)
    n += k
    text, k = HALF_PUNCT.subn(lambda m: HALF[m.group()], text)
    n += k

    def parens(m):
        if m.group(0) == "(":
            return "（"
        if m.group(0) == ")":
            return "）"
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        return f"（{inner}）"
    text, k = HALF_PARENS.subn(parens, text)
    n += k
    text, k = AFTER_MARK.subn("", text)
    n += k
    return text, n


# ---- inline: runs to text with **emphasis** ------------------------------------------------------------------
def inline(runs: list[Run], emphasis: bool = True) -> str:
    """Runs as text, bold runs as **…** (unless every character is bold: then that is the paragraph's look)."""
    runs = [r for r in runs if r.text]
    visible = [r for r in runs if r.text.strip()]
    if not emphasis or not visible or all(r.bold for r in visible):
        return "".join(r.text for r in runs)
    segments: list[list] = []             # [bold, text], neighbours of the same weight merged
    for r in runs:
        b = r.bold and bool(r.text.strip())
        if segments and (segments[-1][0] == b or not r.text.strip()):
            segments[-1][1] += r.text
        else:
            segments.append([b, r.text])
    out = []
    for b, text in segments:
        if not b:
            out.append(text)
            continue
        core = text.strip()
        lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        out.append(f"{lead}**{core}**{trail}")   # spaces outside the markers, or they would not match
    return "".join(out)


def clean(text: str) -> str:
    text = text.replace("\t", " ").replace("\u00a0", " ").replace("\u3000", " ")
    text = "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))
    return text.strip()
