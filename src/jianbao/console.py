"""What jianbao prints on a terminal: never a crash for a character the console cannot show, and help text
in Chinese wrapped by display width (a Chinese character takes two columns and a line may break between two
of them; click wraps at spaces only and counts a character as one column)."""
from __future__ import annotations

import sys
import unicodedata

# no line starts with these (closing punctuation) nor ends with the opening ones (GB/T 15834 / JLREQ 禁则); the
# line breaker's NO_START / NO_END (layout.linebreak) say the same for print, but importing the layout package
# (reportlab) costs ~110 ms, too much for `--help`
_NO_START = set("，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}")
_NO_END = set("（《「『【〔〈“‘([{")


def safe_console() -> None:
    """Printing never fails on a console that cannot show a character (a GBK console and a rare character in a
    name): such a character is written as an escape (\\U0002a6a5) instead of ending the command."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _is_wide(ch: str) -> bool:
    return _width(ch) == 2


def _units(text: str) -> list[str]:
    """The pieces a line may break between: a run of non-wide text without spaces (a word, `code`, a path), each
    wide character, each space; closing punctuation kept with what comes before it, opening with what follows."""
    units: list[str] = []
    for ch in text:
        joined = units and (
            (not _is_wide(ch) and ch != " " and units[-1][-1] != " " and not _is_wide(units[-1][-1]))
            or ch in _NO_START or units[-1][-1] in _NO_END)
        if joined and ch != " ":
            units[-1] += ch
        else:
            units.append(ch)
    return units


def _fill(text: str, width: int, first: str, rest: str) -> list[str]:
    lines, line, used = [], first, sum(map(_width, first))
    for unit in _units(text):
        size = sum(map(_width, unit))
        if unit == " " and line.strip() and used + 1 > width:
            continue
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = rest, sum(map(_width, rest))
            if unit == " ":
                continue
        line += unit
        used += size
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
              preserve_paragraphs: bool = False, _plain=None) -> str:
    """click.formatting.wrap_text for text with wide characters (the rest goes to click's own)."""
    if not any(_is_wide(ch) for ch in text):
        return _plain(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
    text = text.expandtabs()
    if not preserve_paragraphs:
        return "\n".join(_fill(text, width, initial_indent, subsequent_indent))
    out = []
    for paragraph in text.split("\n\n"):
        rows = paragraph.splitlines()
        if rows and rows[0].strip() == "\b":                    # click's mark for a block kept as written
            out.append("\n".join(initial_indent + r for r in rows[1:]))
            continue
        indent = " " * (len(rows[0]) - len(rows[0].lstrip())) if rows else ""
        joined = ""
        for r in (r.strip() for r in rows):
            if joined and r and not (_is_wide(joined[-1]) and _is_wide(r[0])):
                joined += " "
            joined += r
        out.append("\n".join(_fill(joined, width, initial_indent + indent, subsequent_indent + indent)))
    return "\n\n".join(out)


def wrap_help_by_width() -> None:
    """Route click's help wrapping through `wrap_text` (click.formatting looks the function up when it wraps)."""
    import functools

    import click.formatting

    plain = click.formatting.wrap_text
    if getattr(plain, "east_asian", False):
        return
    wrapped = functools.partial(wrap_text, _plain=plain)
    wrapped.east_asian = True
    click.formatting.wrap_text = wrapped
