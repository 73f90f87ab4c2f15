"""The typed model of a series and its issues, as the schema validated them.

Every value that came from a file keeps the line where it was written (for messages later).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

DISTRIBUTION_LABELS = ("报", "送", "发")
FORMATS = ("pdf", "docx", "dotx", "ofd", "png", "html")   # what `jianbao build` can write
DEFAULT_FORMATS = ("pdf", "docx")                # what it writes when neither --format nor `formats:` says


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int


@dataclass(frozen=True)
class Section:
    heading: str
    level: int                 # 1 to 4
    number: int                # the count at its level, after `number:` overrides
    text: str | None           # run-in first paragraph
    body: tuple["Block", ...]
    line: int
    column: int = 1
    label: str = ""            # the number as printed (一、 （一） 1. …), in the house style of its level; "" for none


@dataclass(frozen=True)
class Picture:
    path: str                  # as written: a path inside the series folder (checked by the schema)
    caption: str | None
    width: float | None        # percent of the text width; None: the text width, or less for a small picture
    line: int
    column: int


@dataclass(frozen=True)
class Pictures:
    """2 or 3 pictures side by side, each with its caption."""
    items: tuple[Picture, ...]
    line: int
    column: int


@dataclass(frozen=True)
class Table:
    title: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None       # relative column widths; None: from the cells' text
    align: tuple[str, ...] | None          # left | center | right per column; None: centred
    note: str | None
    line: int
    column: int
    cells: tuple[tuple[tuple[int, int], ...], ...] = ()   # (line, column) of every body cell, row by row
    head: tuple[tuple[int, int], ...] = ()                # (line, column) of every header cell


Block = Union[Paragraph, Section, Picture, Pictures, Table]


@dataclass(frozen=True)
class Article:
    title: str
    subtitle: str | None
    body: tuple[Block, ...]
    source: str | None
    line: int


@dataclass(frozen=True)
class Recipients:
    label: str                 # 报, 送 or 发
    names: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Masthead:
    marking: str
    series: str
    name: str
    editor: str


@dataclass(frozen=True)
class Series:
    root: Path
    masthead: Masthead
    printer: str
    template: str
    distribution: tuple[Recipients, ...]
    absent: frozenset[tuple[int | None, int]] = frozenset()   # (year or None, number) of the issues known to be
                                                              # missing from issues/ (not a gap)
    yearly: bool = False       # 期号 restarts each year: issues/YYYY/NNN.yaml
    first_total: int | None = None      # 总第 of the earliest issue in the repository: totals are counted from it
    heading_numbers: tuple[str, ...] = ()   # number style per heading level (headings.STYLES); () = the default
    preprinted: bool = False   # 套打: paper with the red masthead printed on it; nothing red is printed
    formats: tuple[str, ...] = DEFAULT_FORMATS   # what `jianbao build` writes by default


@dataclass(frozen=True)
class Issue:
    path: Path
    series: Series
    number: int
    date: dt.date
    printed: dt.date           # 印发 date; the issue date unless `printed:` is given
    total: int | None
    copies: int | None
    note: tuple[Paragraph, ...]
    articles: tuple[Article, ...]
    distribution: tuple[Recipients, ...]
    line_of: dict = field(default_factory=dict, compare=False)  # key path -> line, for later checks
    year: int | None = None    # the year folder (issues/YYYY/) of a yearly series
    supplement: bool = False   # 增刊 (issues/[YYYY/]zNN.yaml), numbered apart from the regular issues
