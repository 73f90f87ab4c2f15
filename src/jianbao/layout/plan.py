"""The plan: every layout decision the writers share, taken once by the layout stage.

The PDF (and every fixed-layout writer) draws the page model; the DOCX lets Word break and paginate body text, and
takes everything else from here: the masthead's sizes, letter spacing, forced splits and positions, the forced line
breaks of balanced roles (titles, contents entries, sources), which blocks keep with the next and the blank lines
between them, the 版记's lines, the print run's place and the printing line's lines, the page breaks pagination put before a heading, and the
metadata.
Elements of the document tree are the keys: a writer looks up the element it visits.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET


@dataclass(frozen=True)
class Piece:
    """A stretch of one line's text in one role, with or without emphasis."""
    text: str
    role: str
    emphasis: bool


@dataclass
class MastheadLine:
    """One masthead element (`marking`, `series`, `name`, `issue-number`, or `editor` with the date)."""
    role: str
    lines: list[str]             # its text, line by line (a series line may take two)
    size: float                  # pt, after fitting
    spacing: float               # extra letter spacing, pt, after fitting
    band: float                  # the height each line takes, pt
    top: float                   # the top of its first band, pt from the paper top
    baselines: list[float]       # pt from the paper top
    after: float = 0.0           # space under its last band (blank grid lines), pt


@dataclass
class Masthead:
    lines: list[MastheadLine] = field(default_factory=list)
    rule_y: float = 0.0          # the red rule's centre line, pt from the paper top
    rule_bottom: float = 0.0     # the lower edge of the rule (of the thin rule of a double one)
    first_row: int = 0           # the body's first grid line on page 1 (0 = the text block's top)

    def line(self, role: str) -> MastheadLine | None:
        return next((m for m in self.lines if m.role == role), None)


@dataclass
class Recipients:
    element: ET.Element
    lines: list[list[Piece]]     # the plan's lines (the label on the first)
    hang: float                  # the wrapped lines' indent under the first recipient (the label's width), pt


@dataclass
class Printing:
    one_line: bool               # printer and date on one line
    inset_left: float            # the printer's distance from the block's left edge, pt
    inset_right: float           # the date's distance from the block's right edge, pt
    printer_lines: int           # lines of the printer when they are not on one line
    date_lines: int


@dataclass
class Distribution:
    recipients: list[Recipients] = field(default_factory=list)
    copies: ET.Element | None = None
    copies_joined: bool = False  # the print run flush right on the last recipients line
    printing: Printing | None = None
    lines_above: int = 0         # lines above the inner rule (recipients, print run)
    lines_below: int = 0         # lines under it (the printing line)
    even_page: bool = False
    gap: float = 0.0             # pt from the body's last grid line to the block's top on its page (from the text
    #                              block's top when the block has a page of its own)
    new_pages: int = 0           # pages started for the block: 0 under the body, 1 the next page (no room under the
    #                              body, or an even page), 2 with a blank page between (an even page)


@dataclass
class Metadata:
    name: str = ""               # the bulletin's name (简报)
    number: str = ""             # 第11期（总第58期）
    editor: str = ""
    titles: list[str] = field(default_factory=list)
    date: dt.date | None = None          # 编印日期
    printed: dt.date | None = None       # 印发日期


@dataclass
class Picture:
    """A picture as the layout sets it: the same size and bytes in every writer."""
    source: str                  # the path the issue wrote
    width: float                 # printed size, pt
    height: float
    data: bytes                  # the bytes to embed (JPEG or PNG file)
    format: str                  # "jpeg" or "png"
    pixels: tuple[int, int]      # of the file, upright
    dpi: float                   # the file's resolution at the printed size


@dataclass
class Figures:
    """A picture with its caption (<figure>), or 2–3 side by side (<figures>): the band of grid lines the pictures
    take, and for side by side the width of each one's column (its caption wraps in it)."""
    pictures: list[Picture]
    lines: int                   # grid lines the pictures take
    caption_lines: int           # grid lines under them for the captions
    columns: list[float]         # pt: the text width for one picture, else the column of each


@dataclass
class Table:
    widths: list[float]          # column widths, pt (they add up to the text width)
    padding: float               # cell text from the vertical rules, each side, pt
    rows: list[int]              # grid lines each row takes (the header row first)
    aligns: list[str]            # left | center | right, per column, body rows


@dataclass
class Plan:
    masthead: Masthead = field(default_factory=Masthead)
    breaks: dict[ET.Element, list[list[Piece]]] = field(default_factory=dict)   # balanced roles, line by line
    keep_next: dict[ET.Element, bool] = field(default_factory=dict)
    blank_before: dict[ET.Element, int] = field(default_factory=dict)
    blank_after: dict[ET.Element, int] = field(default_factory=dict)
    # where a rule Word does not know decided a line's end (156|项 kept together, a lone last character pulled
    # down or taken in): {character offset in the element's text: pt wider (looser line) or narrower (a mark set
    # half a cell)}; the DOCX sets the same characters that much wider or narrower, so Word ends the line there too
    spacing: dict[ET.Element, dict[int, float]] = field(default_factory=dict)
    # where Word's line breaking (UAX #14) differs from the layout's: {character offset: U+200B (a break the layout
    # took there) or U+2060 (no break inside B-READY)}, put before that character in the DOCX (layout/wordbreaks.py)
    invisible: dict[ET.Element, dict[int, str]] = field(default_factory=dict)
    # pagination: a heading (or title) moved to the next page so that two lines of its text follow it on its page
    page_break_before: dict[ET.Element, bool] = field(default_factory=dict)
    # a paragraph whose last line would stand alone on the last page: two lines go over (Word's widow control)
    widow_control: dict[ET.Element, bool] = field(default_factory=dict)
    distribution: Distribution | None = None
    metadata: Metadata = field(default_factory=Metadata)
    preprinted: bool = False     # 套打: nothing red is printed (the paper has the red masthead), positions kept
    figures: dict[ET.Element, Figures] = field(default_factory=dict)    # <figure> and <figures>
    tables: dict[ET.Element, Table] = field(default_factory=dict)


def metadata(tree: ET.Element) -> Metadata:
    """The bulletin's metadata from the tree's values (attributes the template writes), not its printed text."""
    def text(tag: str) -> str:
        el = tree.find(f".//{tag}")
        return "".join(el.itertext()).strip() if el is not None else ""

    def date(attribute: str) -> dt.date | None:
        value = tree.get(attribute)
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None

    titles = [" ".join("".join(t.itertext()).split()) for t in tree.iter("title")]
    return Metadata(name=text("name"), number=text("issue-number"), editor=text("editor"), titles=titles,
                    date=date("date"), printed=date("printed"))
