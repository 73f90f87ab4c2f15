"""Where Word and LibreOffice would break a line otherwise than the layout: the DOCX's invisible characters and
condensed lines.

The DOCX lets Word break body text by itself, by Unicode's line breaking rules (UAX #14, as ICU applies them in
LibreOffice), which differ from the layout's (GB/T 15834, clreq) in two ways an invisible character settles, in
the DOCX only (the PDF, the OFD and the text a reader copies are not touched):

* UAX #14 has no break where the layout takes one: after a closing quote or a full-width mark before digits or
  letters (“新优质初中”|167所, 示范点、|20家), between a Latin word and an opening bracket (B-READY|（…）), around
  quotation marks. A ZERO WIDTH SPACE (U+200B) at the layout's line end gives Word that break too.
* UAX #14 (or LibreOffice) breaks where the layout never does: after a hyphen, slash, percent sign or colon
  inside a run of letters and digits (B-|READY, 2021-|2035, km/|h, {%|if%}), which the layout keeps whole as one
  unit. A WORD JOINER (U+2060) after the mark keeps it whole in Word too.

They also measure a line with digits up to half a point wider than the layout (0.3 pt after a % before a mark):
a justified line that leaves less room than that is condensed in the DOCX by the difference (`condensed`).
"""
from __future__ import annotations

import math
import re

from .metrics import is_latin

ZERO_WIDTH_SPACE = "\u200b"
WORD_JOINER = "\u2060"
INVISIBLE = ZERO_WIDTH_SPACE + WORD_JOINER

# quotation marks: UAX #14 (class QU) breaks neither before nor after them
_QUOTES = set("“”‘’\"'")
_PERCENT_MARK = re.compile("[%‰][，。、；：？！）》”’]")
_IDEOGRAPH = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# a hyphen, slash, percent or colon inside a run the layout keeps whole, before a letter or digit
_INNER_BREAK = re.compile(r"(?<=\S)[-/%‰+:](?=[0-9A-Za-z])")


def _no_word_break(before: str, after: str) -> bool:
    """Whether Word may lack a break opportunity between these two characters where the layout takes one."""
    if before.isspace() or after.isspace():
        return False
    if _IDEOGRAPH.match(before) and is_latin(after):      # UAX #14 breaks there (到|91.93%)
        return False
    return is_latin(before) or is_latin(after) or before in _QUOTES or after in _QUOTES


def invisible_characters(text: str, line_starts) -> dict[int, str]:
    """{character offset: the invisible character the DOCX puts before it} for a paragraph of `text` whose lines
    (after the first) start at `line_starts` (character offsets)."""
    out: dict[int, str] = {}
    for m in _INNER_BREAK.finditer(text):
        out[m.end()] = WORD_JOINER
    for k in line_starts:
        if 0 < k < len(text) and _no_word_break(text[k - 1], text[k]):
            out[k] = ZERO_WIDTH_SPACE
    return out


def condensed(lines, tight: float, cell: float, percent: float) -> dict[int, float]:
    """{character offset: pt} that take what a justified line lacks of `tight` room (and `percent` more for each %
    or ‰ before a full-width mark) from its characters, 1/20 pt (a twip, the DOCX's unit) at a time: Word and
    LibreOffice would measure it wider and end it a character early. A line of whole cells only (ideographs and
    full-width marks) is measured alike everywhere and left as it is."""
    out: dict[int, float] = {}
    for line in lines:
        if line.slack is None or line.last or line.squeezed or line.loosened:
            continue
        if all(abs(b.width - cell) < 1e-6 for b in line.boxes):
            continue
        text = "".join(b.text for b in line.boxes)
        need = tight + percent * len(_PERCENT_MARK.findall(text))
        if line.slack >= need:
            continue
        first, end = line.span
        count = end - first
        if count <= 0:
            continue
        twips = math.ceil((need - max(line.slack, 0.0)) * 20 - 1e-6)
        each, extra = divmod(twips, count)
        for k in range(count):
            pt = (each + (k < extra)) / 20
            if pt:
                out[first + k] = -pt
    return out
