"""Pagination: the flow's rows cut into pages of `grid.lines` lines, the 版记 at the bottom of the last page (or of
a new one), and the page numbers."""
from __future__ import annotations

from dataclasses import replace
from xml.etree import ElementTree as ET

from ..errors import JianbaoError
from ..i18n import _
from .flow import Band, Flow
from .page import Page, Row, Rule

_EPS = 1e-6


def paginate(lay: Flow) -> list[Page]:
    style = lay.style
    pitch, lines = lay.grid.pitch, lay.grid.lines
    top = lay.page.top
    rows = lay.flow
    pages: list[Page] = []
    used: list[int] = []            # grid lines used on each page (rows from the block top)

    def place(page: Page, r: int, item) -> None:
        y = top + r * pitch
        if not isinstance(item, Band):
            page.rows.append((lay.baseline(y, pitch, item.size), item))
            return
        page.rows += [(y + baseline, row) for baseline, row in item.rows]
        page.images += [replace(image, y=y + image.y) for image in item.images]
        page.rules += [replace(rule, y=y + rule.y) for rule in item.rules]
        page.vrules += [replace(v, y0=y + v.y0, y1=y + v.y1) for v in item.vrules]

    first = Page(rows=list(lay.masthead), rules=list(lay.masthead_rules))
    pages.append(first)
    i, n = 0, len(rows)
    start = lay.first_row if lay.masthead else 0
    used.append(start if lay.masthead else 0)
    for item in rows:
        if _span(item) > lines:
            message = (_("a table row takes {lines} lines, more than the {page} of a page") if item.what == "table-row"
                       else _("a block takes {lines} lines, more than the {page} of a page"))
            raise JianbaoError(message.format(lines=_span(item), page=lines), line=getattr(item, "line", None))
    while True:
        while i < n and rows[i].blank and start == 0:
            i += 1                              # no blank lines at the top of a page
        # a table continued from the page before starts with its header row again
        head = getattr(rows[i], "repeat", None) if i < n and i > 0 and start == 0 else None
        if head is not None and rows[i - 1] is head:
            head = None
        line = start + (_span(head) if head is not None else 0)
        j = i
        while j < n and line + _span(rows[j]) <= lines:
            line += _span(rows[j])
            j += 1
        if j < n:
            j = _page_end(lay, rows, i, j)
        if j == i and i < n and start == 0:
            j, head = i + 1, None               # a header and a row taller than a page: the row alone
        page = pages[-1]
        last_content = start
        r = start
        if j > i and head is not None:
            place(page, r, head)
            r += _span(head)
        for item in rows[i:j]:
            if not item.blank:
                place(page, r, item)
                last_content = r + _span(item)
            r += _span(item)
        used[-1] = max(used[-1], last_content)
        i = j
        while i < n and rows[i].blank:
            i += 1
        if i >= n:
            break
        pages.append(Page())
        used.append(0)
        start = 0

    # the distribution block (版记) at the bottom of the last page
    if lay.distribution:
        d = style.distribution
        dpitch = d.pitch
        block = len(lay.distribution) * dpitch
        if block > lay.height + _EPS:
            raise JianbaoError(_("the distribution block (版记) is taller than a page: {lines} lines, a page holds "
                                 "{page}; shorten the recipient lists").format(
                                     lines=len(lay.distribution), page=int(lay.height // dpitch)),
                               line=lay.distribution_line)
        new_page = used[-1] * pitch > lay.height - block + _EPS     # no room under the body
        body_page = len(pages)
        if new_page:
            pages.append(Page())
        if d.even_page and len(pages) % 2 == 1:
            if new_page:
                pages[-1].blank = True       # the empty page between stays blank and unnumbered
            pages.append(Page())
        page = pages[-1]
        bottom = top + lay.height
        block_top = bottom - block
        decided = lay.plan.distribution
        if decided is not None:
            decided.new_pages = len(pages) - body_page
            decided.gap = lay.height - block - (0.0 if decided.new_pages else used[-1] * pitch)
        for k, row in enumerate(lay.distribution):
            page.rows.append((lay.baseline(block_top + k * dpitch, dpitch, row.size), row))
        x0, x1 = lay.page.left, lay.page.left + lay.width
        black = style.colour("black")
        outer, inner = d.rule_outer, d.rule_inner
        page.rules.append(Rule(x0, x1, block_top, outer, black))
        if 0 < lay.inner_rule_after < len(lay.distribution):
            page.rules.append(Rule(x0, x1, block_top + lay.inner_rule_after * dpitch, inner, black))
        page.rules.append(Rule(x0, x1, bottom, outer, black))
    for number, p in enumerate(pages, 1):
        p.number = None if p.blank else number
        if p.number is not None:
            p.folio = page_number_row(lay, number, number % 2 == 1)
    return pages


def _span(item) -> int:
    """Grid lines an item of the flow takes: a row one, a band its own."""
    return item.lines if isinstance(item, Band) else 1


def _kept_back(rows: list[Row], i: int, j: int) -> int:
    """The page ends before `j`; rows that keep with the next (headings, titles) go over with it."""
    k = j
    while k > i and rows[k - 1].keep_next:
        k -= 1
    return k if k > i else j


def _page_end(lay: Flow, rows: list[Row], i: int, j: int) -> int:
    """Where a page that starts at row `i` and could hold rows up to `j` (excluded) ends.

    * The last line of a paragraph would be the one body line of the last page (above the 版记): the line
      before it goes over too, and the whole paragraph when its first line would be left alone at the page foot
      (the DOCX asks Word's widow control for that paragraph, which keeps both a last and a first line company).
    * Rows that keep with the next (a heading, a title) never end a page.
    * A heading or title would stand at the page foot with one line of a longer paragraph under it: it goes over
      with its text (the DOCX gets a page break before it)."""
    n = len(rows)
    rest = [r for r in rows[j:] if not r.blank]
    lone = rest[0] if len(rest) == 1 and isinstance(rest[0], Row) else None     # (a band is no paragraph line)
    if lone is not None and lone.source is not None and lone.lines >= 2 and lone.line == lone.lines - 1 \
            and j - 1 > i and getattr(rows[j - 1], "source", None) is lone.source:
        j -= 1
        first = rows[j - 1]
        if j - 1 > i and getattr(first, "source", None) is lone.source and first.line == 0:
            j -= 1              # nor its first line alone at the page foot: Word's widow control moves it too
        lay.plan.widow_control[lone.source] = True
    j = _kept_back(rows, i, j)
    last = rows[j - 1]
    if j < n and isinstance(last, Row) and last.source is not None and last.line == 0 and last.lines >= 2 and j - 1 > i \
            and rows[j - 2].keep_next and rows[j - 2].what in ("title", "subtitle", "heading"):
        k = _kept_back(rows, i, j - 1)
        if k < j - 1:
            j = k
            head = rows[k].source
            if head is not None:
                lay.plan.page_break_before[head] = True
    return j


def page_number_row(lay: Flow, number: int, odd: bool) -> tuple[float, Row]:
    """`— N —` in the page-number role: odd pages right, even pages left, `indent` in from the text block's
    edge; the top of the dashes `below` under the text block."""
    style = lay.style
    role = lay.role("page-number")
    pn = style.page_number
    dash = pn.dash
    text = f"{dash} {number} {dash}" if dash else str(number)
    el = ET.Element("page-number")
    el.text = text
    row = lay.one_line(el, "page-number")
    x0, x1 = row.extent
    indent = pn.indent
    if odd:
        row.shifted(lay.width - indent - x1)
    else:
        row.shifted(indent - x0)
    below = pn.below
    top_of_dash = lay.page.top + lay.height + below
    top = None
    if dash and row.runs:
        first = row.runs[0]
        top = lay.fonts.glyph_top(first.font, dash[0])
    return top_of_dash + (pn.dash_top if top is None else top * role.size), row
