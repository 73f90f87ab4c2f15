"""Fit advice: an issue whose last page holds only the 版记 or a line or two, and by how much to shorten it.

Measured on the laid-out pages (the PDF's page model: rows on the grid, the 版记 at the bottom of the last page),
so the advice is what the build does. The DOCX paginates the same way (same grid, same breaks).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from .i18n import _, ngettext


DISTRIBUTION_ROWS = ("recipients", "copies", "printing")
FEW_LINES = 3          # a last page with fewer lines of text than this is worth saving


def lay_out(tree: ET.Element, style, fonts, root=None):
    """The issue laid out (jianbao.layout: its pages and plan): the one place this module reaches into the layout.
    `root`: the series folder (its pictures)."""
    from .layout import lay_out as laid_out

    return laid_out(tree, style, fonts, root=root)


@dataclass(frozen=True)
class Advice:
    message: str
    line: int | None       # the issue file's line of the last text, where shortening starts


def _grid_lines_used(page, top: float, pitch: float) -> int:
    """Grid lines taken by the text of the page (masthead included), from the top of the text block."""
    used = 0
    for baseline, row in page.rows:
        if row.what not in DISTRIBUTION_ROWS:
            used = max(used, math.floor((baseline - top) / pitch + 1e-6) + 1)
    for image in getattr(page, "images", ()):          # a picture's band: the grid lines down to its bottom
        used = max(used, math.ceil((image.y + image.height - top) / pitch - 1e-6))
    return used


def _lines(n: int) -> str:
    return ngettext("{n} line", "{n} lines", n).format(n=n)


def _last_line(tree: ET.Element) -> int | None:
    lines = [int(el.get("line")) for el in tree.iter() if el.get("line", "").isdigit() and el.tag != "recipients"]
    return lines[-1] if lines else None


def advise(tree: ET.Element, style, fonts, laid=None, root=None) -> list[Advice]:
    """What to shorten so that the last page is not the 版记 alone or fewer than three lines of text. `laid`: the
    issue already laid out (else it is laid out here)."""
    if laid is None:
        laid = lay_out(tree, style, fonts, root)
    pages = laid.pages
    found = _problem(pages, style)
    if found is None:
        return []
    what, page_no, shorten = found
    chars = style.grid.chars
    message = _("{problem}: shorten the text by {lines} (about {chars} characters)").format(
        problem=what, lines=_lines(shorten), chars=shorten * chars)
    for saving in _savings(laid.plan, style, shorten):
        message += _(" or {saving}").format(saving=saving)
    return [Advice(message, _last_line(tree))]


def _problem(pages: list, style) -> tuple[str, int, int] | None:
    """(what is wrong, the page the issue could end on, grid lines to cut), or None when the last page is fine."""
    grid, pitch, top = style.grid.lines, style.grid.pitch, style.page.top
    dpitch = style.distribution.pitch
    even_page = style.distribution.even_page
    if len(pages) < 2:
        return None
    last = pages[-1]
    block = sum(1 for _, row in last.rows if row.what in DISTRIBUTION_ROWS)
    block_lines = math.ceil(block * dpitch / pitch - 1e-6)
    text_lines = _grid_lines_used(last, top, pitch)
    previous = next((i for i in range(len(pages) - 2, -1, -1) if not pages[i].blank), None)
    if previous is None or text_lines >= FEW_LINES:
        return None
    page_no = previous + 1
    if even_page and block and page_no % 2 == 1:
        return None                      # the 版记 goes to an even page by the style sheet's choice
    free = grid - _grid_lines_used(pages[previous], top, pitch)
    if text_lines == 0:
        if not block:
            return None
        left = max(0, math.floor((free * pitch) / dpitch + 1e-6))
        what = ngettext("the 版记 needs {lines}, {left} is left on page {page}, so it stands alone on page {last}",
                        "the 版记 needs {lines}, {left} are left on page {page}, so it stands alone on page {last}",
                        left).format(lines=_lines(block), left=left, page=page_no, last=len(pages))
        return what, page_no, max(1, block_lines - free)
    shorten = text_lines + block_lines - free
    if block:
        what = _("page {last} holds only {lines} of text and the 版记; to end on page {page}")
    else:
        what = _("page {last} holds only {lines} of text; to end on page {page}")
    what = what.format(last=len(pages), lines=_lines(text_lines), page=page_no)
    return what, page_no, max(1, shorten)


def _savings(plan, style, shorten: int) -> list[str]:
    """Lines the author can drop instead, from the plan: the marking line moves the body up by the grid lines its
    band frees under the rule; a print run on a line of its own gives the 版记 a line less."""
    out = []
    pitch, top = style.grid.pitch, style.page.top
    masthead = plan.masthead
    marking = masthead.line("marking")
    if marking is not None:
        clear = masthead.rule_bottom - marking.band - marking.after - top + pitch * style.masthead.blank_after_rule
        if masthead.first_row - max(0, math.ceil(clear / pitch - 1e-6)) >= shorten:
            out.append(_("drop the marking line (masthead.marking in jianbao.yaml)"))
    block = plan.distribution
    if block is not None and block.copies is not None and not block.copies_joined:
        dpitch = style.distribution.pitch
        lines = block.lines_above + block.lines_below
        saved = math.ceil(lines * dpitch / pitch - 1e-6) - math.ceil((lines - 1) * dpitch / pitch - 1e-6)
        if saved >= shorten:
            out.append(_("drop the print run line (copies:)"))
    return out
