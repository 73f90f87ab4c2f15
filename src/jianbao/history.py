"""A series' issues as its folders hold them, and the 总第 (running total) each one gets from that history.

Layouts: `issues/NNN.yaml` (a flat series) or `issues/YYYY/NNN.yaml` (`yearly: true`: 期号 restarts each year);
supplements (增刊) are `zNN.yaml` beside them, numbered apart and without a 总第. The numbers come from the file
names (the schema makes the `number:` inside agree), so the history is a folder listing: no issue is read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ISSUE_FILE = re.compile(r"^(z?)(\d+)\.ya?ml$")
YEAR = re.compile(r"^(19|20|21)\d\d$")


@dataclass(frozen=True, order=True)
class IssueRef:
    year: int                  # 0 in a flat series
    supplement: bool
    number: int
    path: Path

    @property
    def sequence(self) -> tuple[int, bool]:
        """The numbering the issue belongs to: a year's regular issues, or its supplements."""
        return self.year, self.supplement


def parse(path: Path) -> IssueRef | None:
    """The IssueRef of a file named like an issue (NNN.yaml, zNN.yaml; in a year folder YYYY/), else None."""
    m = ISSUE_FILE.match(path.name)
    if not m:
        return None
    year = int(path.parent.name) if YEAR.match(path.parent.name) else 0
    return IssueRef(year, bool(m.group(1)), int(m.group(2)), path)


def issue_refs(root: Path) -> list[IssueRef]:
    """Every issue file of the series at `root`: issues/*.yaml and issues/YYYY/*.yaml, by year, kind, number."""
    folder = root / "issues"
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        if p.is_dir() and YEAR.match(p.name):
            found += [ref for q in p.iterdir() if (ref := parse(q)) and q.is_file()]
        elif (ref := parse(p)) and p.is_file():
            found.append(ref)
    return sorted(found)


def issue_folder(root: Path, year: int | None) -> Path:
    return root / "issues" / (str(year) if year else "")


def file_name(number: int, supplement: bool = False) -> str:
    return f"z{number:02d}.yaml" if supplement else f"{number:03d}.yaml"


def totals(refs: list[IssueRef], first_total: int, absent=frozenset()) -> dict[tuple[int, int], int]:
    """(year, number) → 总第 of every regular issue of the history, present or `absent` ((year or None, number)).

    The earliest issue in the repository has `first_total`; each issue after it adds one, in the order of years
    and numbers. Within a year the numbers count as published from 1 to the year's highest, present or absent,
    so a missing file (a gap `jianbao check` reports) does not shift the issues after it."""
    regular = sorted((r.year, r.number) for r in refs if not r.supplement)
    if not regular:
        return {}
    first_year, first_number = regular[0]
    known: dict[int, set[int]] = {}
    for year, number in regular:
        known.setdefault(year, set()).add(number)
    for year, number in absent:
        known.setdefault(year or 0, set()).add(number)
    out = {}
    before = first_total - first_number    # the total of "issue 0" of the first year
    for year in sorted(y for y in known if y >= first_year):
        numbers = [n for n in known[year] if year > first_year or n >= first_number]
        for n in numbers:
            out[(year, n)] = before + n
        before += max(numbers, default=0)
    return out


def total_of(root: Path, series, year: int | None, number: int, supplement: bool) -> int | None:
    """The 总第 the series' history gives this issue (None: no `first_total`, or a supplement)."""
    if series.first_total is None or supplement:
        return None
    return totals(issue_refs(root), series.first_total, series.absent).get((year or 0, number))
