"""The flow: the document tree → rows of positioned glyph runs, and the plan's decisions.

A visitor over the tree (`visit_masthead`, `visit_para`, `visit_heading`, …; an unknown element is an error) turns
every element into *rows*: one line of text each, as positioned glyph runs. Body rows take one grid line each; the
masthead is set at free positions at the top of page 1, after which the body resumes on the grid. Rows carry
`keep_next` (a heading or title never ends a page) and `blank` (a blank line is dropped at the top of a page).
`jianbao.layout.paginate` then cuts them into pages.

Every size, distance, colour and font key comes from the StyleSheet. A glyph's em box is centred vertically in its
line, the baseline `metrics.em_ascent` em under the top of the em box.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, NamedTuple
from xml.etree import ElementTree as ET

from ..errors import JianbaoError
from ..i18n import _
from ..stylesheet import Role, StyleSheet, in_two_lines
from ..tree import Run, runs as tree_runs
from .linebreak import Line, layout_paragraph
from .metrics import Metrics
from .page import GlyphRun, Image, Row, Rule, VRule
from .wordbreaks import condensed, invisible_characters
from . import plan as P

_EPS = 1e-6
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.,%‰+\-/:()]+|\S")


@dataclass
class Band:
    """Grid lines that move to a page together: a picture (with its neighbours side by side), a table row.
    Positions inside it are from its top: rows as (baseline, Row), images and rules with y from the band's top."""
    lines: int
    rows: list[tuple[float, Row]] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    vrules: list[VRule] = field(default_factory=list)
    keep_next: bool = False
    what: str = ""
    repeat: "Band | None" = None      # a table's header row, set again at the top of a page this band begins
    line: int | None = None           # the issue file's line (messages)
    blank = False


class RunStyle(NamedTuple):
    """The style key handed to the line breaker with each run (and returned on each box)."""
    role: str
    size: float
    emphasis: bool


class Flow:
    """Phase 1: the tree → pages of positioned rows."""

    def __init__(self, style: StyleSheet, fonts: Metrics, root: Path | None = None):
        self.root = root               # the series folder: the pictures are there
        self.style = style
        self.fonts = fonts
        self.page = style.page
        self.grid = style.grid
        self.width = style.page.text_width
        self.height = style.page.text_height
        self.hang = style.body.hanging_punctuation
        self.autospace = style.body.autospace        # em, between Chinese and Latin/digits
        self.keep_units = style.body.keep_units
        self.loosest = style.body.loosest
        self.squeeze_room = style.body.squeeze_room
        self.stroke_em = style.body.emphasis_stroke
        body = style.roles.get("para")
        # Character tracking on the grid: a body glyph in a cell (16 pt in 15.79 pt); every role keeps it. Rounded
        # down to Word's 1/20 pt, as the DOCX's character spacing is (−0.25 pt): lines are broken with the advances
        # Word and LibreOffice use, and a full line is justified to the edge (28 cells) all the same.
        self.tracking = math.floor((self.grid.cell - body.size) * 20 + 1e-6) / 20 if body is not None else 0.0
        self.body_size = body.size if body is not None else 0.0
        self.flow: list[Row | Band] = []
        self.masthead: list[tuple[float, Row]] = []
        self.masthead_rules: list[Rule] = []
        self.first_row = 0
        self.distribution: list[Row] | None = None
        self.inner_rule_after = 0      # distribution rows above the thin rule
        self.distribution_line: int | None = None   # the issue file's line of the first recipients
        self.articles = 0
        self._after_note = False
        self.title_text = ""
        self.plan = P.Plan()
        self._run_styles: dict[RunStyle, tuple] = {}   # RunStyle → (font key, tracking, colour, bold wanted)
        self._measure = self._make_measure()

    # -- dispatch ----------------------------------------------------------------------------------------------
    def visit(self, el: ET.Element) -> None:
        method = getattr(self, "visit_" + el.tag.replace("-", "_"), None)
        if method is None:
            raise JianbaoError(_("document tree: unknown element <{tag}>").format(tag=el.tag), **_at(el))
        method(el)

    def visit_bulletin(self, el: ET.Element) -> None:
        self.plan.metadata = P.metadata(el)
        for child in el:
            self.visit(child)

    # -- helpers -----------------------------------------------------------------------------------------------
    def role(self, name: str) -> Role:
        return self.style.role(name)

    def track(self, size: float) -> float:
        """The grid's tracking applies to text of the body size (as the DOCX's −0.25 pt spacing does)."""
        return self.tracking if abs(size - self.body_size) < 1e-6 else 0.0

    def cell(self, role: Role, size: float | None = None, spacing: float | None = None) -> float:
        """Width of a CJK cell of a role: its size, the grid's tracking and the role's letter spacing."""
        size = role.size if size is None else size
        return size + self.track(size) + (role.spacing if spacing is None else spacing)

    def chars(self, role: Role, length: float) -> float:
        """A role length given in em (`2em` = two characters) set as that many cells."""
        return length / role.size * (self.cell(role) - role.spacing) if role.size else length

    def first_indent(self, role: Role) -> float:
        """The first line's indent: the wrapped lines' (grid cells) and `indent - hang` as Word and LibreOffice
        set the DOCX's first-line indent in characters (firstLineChars): characters of the font size (2 × 16 pt),
        not cells (2 × 15.75 pt). A first line holding digits or Latin letters then breaks as in the DOCX."""
        rest = self.chars(role, role.hang)
        if role.indent < role.hang:          # a hanging indent (hangingChars): the same rule
            return rest - (role.hang - role.indent)
        return rest + (role.indent - role.hang)

    def _make_measure(self) -> Callable[[str, RunStyle], float]:
        fonts, style = self.fonts, self.style

        glyphs = fonts._glyph

        def measure(text: str, st: RunStyle) -> float:
            key = style.role(st.role).font
            total = 0.0
            for ch in text:
                g = glyphs.get((key, ch)) or fonts.glyph(key, ch, st.role)
                if g:
                    total += g[1]
            return total * st.size + self.track(st.size) * len(text)

        return measure

    def runs_of(self, el: ET.Element, role: str, size: float | None = None) -> list[tuple[str, RunStyle]]:
        """Inline content → (text, RunStyle) runs for the line breaker."""
        try:
            pieces = list(_inline(el, role))
        except ValueError as e:
            raise JianbaoError(_("document tree: {problem}").format(problem=e), **_at(el)) from None
        out = []
        for text, r, emphasis in pieces:
            sz = self.role(r).size if size is None else size
            out.append((text, RunStyle(r, sz, emphasis)))
        return out

    def lines(self, runs, role: Role, *, width: float, first_indent: float = 0.0, rest_indent: float = 0.0,
              justify: bool = True, balance: bool = False, size: float | None = None,
              spacing: float | None = None) -> list[Line]:
        cell = self.cell(role, size, spacing)
        return layout_paragraph(runs, width=width, cell=cell, measure=self._measure,
                                first_indent=first_indent, rest_indent=rest_indent, hang=self.hang, squeeze=False,
                                justify=justify, balance=balance, orphans=role.orphans,
                                autospace=self.autospace * (role.size if size is None else size),
                                keep_units=self.keep_units, break_after=role.break_after,
                                max_gap=(self.loosest - 1) * cell, squeeze_room=self.squeeze_room * cell)

    def row(self, line: Line, offset: float = 0.0, what: str = "") -> Row:
        """A broken line → glyph runs (x from the text block's left edge)."""
        fonts, styles = self.fonts, self._run_styles
        glyphs = fonts._glyph
        runs: list[GlyphRun] = []
        cur: GlyphRun | None = None
        cur_style = None
        last_x = last_adv = 0.0
        n = 0
        size_max = 0.0
        for box in line.boxes:
            st: RunStyle = box.style
            facts = styles.get(st)
            if facts is None:
                role = self.style.role(st.role)
                # a role whose face is bold (小标宋's stand-in FandolSong-Bold) emboldens its fallback glyphs too
                heavy = st.emphasis or role.bold or bool(getattr(fonts.primary(role.font), "bold", False))
                facts = styles[st] = (role.font, self.track(st.size), role.colour, heavy)
            key, trk, colour, emphasis = facts
            size = st.size
            if size > size_max:
                size_max = size
            x = offset + box.x
            for ch in box.text:
                g = glyphs.get((key, ch)) or fonts.glyph(key, ch, st.role)
                if not g:                 # a space no font has: leave the gap
                    continue
                font, adv = g
                adv = adv * size
                if ch.isspace():
                    x += adv + trk
                    continue
                if cur is not None and cur.font == font and (cur_style is st or cur_style == st):
                    gap = x - (last_x + last_adv)
                    if n == 1 or abs(gap - cur.tc) < 0.005:
                        if n == 1:
                            cur.tc = gap
                        cur.text += ch
                        cur.end = x + adv
                        last_x, last_adv = x, adv
                        n += 1
                        x += adv + trk
                        continue
                bold = emphasis and not getattr(fonts.face_of[font], "bold", False)
                cur = GlyphRun(x=x, text=ch, font=font, size=size, colour=colour,
                               stroke=self.stroke_em * size if bold else 0.0, tc=0.0, end=x + adv)
                cur_style = st
                runs.append(cur)
                last_x, last_adv, n = x, adv, 1
                x += adv + trk
        return Row(runs, size_max or self.role("para").size, what=what)

    def paragraph(self, el: ET.Element, role_name: str, *, runs=None, what: str | None = None,
                  keep: bool = False, balance: bool | None = None) -> list[Row]:
        """A paragraph of a role: broken, aligned and indented as the role says."""
        role = self.role(role_name)
        runs = self.runs_of(el, role_name) if runs is None else runs
        left, right = self.chars(role, role.margin_left), self.chars(role, role.margin_right)
        avail = self.width - left - right
        align = role.align
        lines = self.lines(runs, role, width=avail, first_indent=self.first_indent(role),
                           rest_indent=self.chars(role, role.hang), justify=align == "justify",
                           balance=role.balance if balance is None else balance)
        rows = []
        for k, line in enumerate(lines):
            row = self.row(line, left, what or el.tag)
            row.source, row.line, row.lines = el, k, len(lines)
            rows.append(self.align(row, align, left, avail))
        if keep:
            for r in rows:
                r.keep_next = True
        if role.balance if balance is None else balance:
            self.plan.breaks[el] = [_pieces(line) for line in lines]
        spacing = {at: -pt for line in lines for at, pt in line.squeezed}
        for line in lines:
            if line.loosened:
                first, end, pt = line.loosened
                spacing.update(dict.fromkeys(range(first, end), pt))
        spacing.update(condensed(lines, self.style.docx.tight_slack * role.size, self.cell(role),
                                 self.style.docx.percent_slack * role.size))
        if spacing:
            self.plan.spacing[el] = spacing
        invisible = invisible_characters("".join(t for t, _style in runs), [line.span[0] for line in lines[1:]])
        if invisible:
            self.plan.invisible[el] = invisible
        self.plan.keep_next[el] = keep
        return rows

    @staticmethod
    def align(row: Row, align: str, left: float, avail: float) -> Row:
        if align in ("center", "right") and row.runs:
            x0, x1 = row.extent
            target = left + (avail - (x1 - x0)) / 2 if align == "center" else left + avail - (x1 - x0)
            row.shifted(target - x0)
        return row

    def blank(self, n: int) -> None:
        for _ in range(n):
            self.flow.append(Row([], self.role("para").size, blank=True, what="blank"))

    def one_line(self, el: ET.Element, role_name: str, size: float | None = None,
                 spacing: float | None = None) -> Row:
        """Masthead text: one line, never broken."""
        role = self.role(role_name)
        runs = self.runs_of(el, role_name, size)
        lines = self.lines(runs, role, width=1e6, justify=False, size=size, spacing=spacing)
        if not lines:
            return Row([], size or role.size, what=el.tag)
        return self.row(lines[0], 0.0, el.tag)

    def band(self, size: float) -> float:
        """Height a masthead line of type `size` takes: one grid line, or for type larger than the pitch its
        em box plus half the body's leading."""
        pitch = self.grid.pitch
        if size <= pitch:
            return pitch
        return size + (pitch - self.role("para").size) / 2

    def baseline(self, top: float, band: float, size: float) -> float:
        """Baseline of type of `size` centred in a band of height `band` starting at `top`."""
        return top + (band - size) / 2 + self.style.metrics.em_ascent * size

    # -- masthead ----------------------------------------------------------------------------------------------
    MASTHEAD = ("marking", "series", "name", "issue-number", "editor", "date")

    def visit_masthead(self, el: ET.Element) -> None:
        """Free lines at the top of page 1 (marking on the first grid line, big type in bands of its own size),
        the red rule `gap` under the editor/date baseline, then the body back on the grid."""
        pitch = self.grid.pitch
        m = self.style.masthead
        for child in el:
            if child.tag not in self.MASTHEAD:
                raise JianbaoError(_("document tree: unknown element <{tag}> in <{parent}>").format(
                    tag=child.tag, parent="masthead"), **_at(child))
        editor, date = el.find("editor"), el.find("date")
        cursor = self.page.top + m.name_top
        last_baseline = None
        decided = self.plan.masthead
        for child in el:
            if child.tag == "date" and editor is not None:
                continue                                    # set with the editor
            role = self.role(child.tag)
            if child.tag in ("editor", "date"):
                rows, texts, size, spacing = [self.editor_date(editor, date)], [], role.size, role.spacing
            else:
                rows, texts, size, spacing = self.fitted_lines(child, child.tag)
                rows = [self.align(row, role.align, 0, self.width) for row in rows]
            line = P.MastheadLine(role="editor" if child.tag == "date" else child.tag, lines=texts, size=size,
                                  spacing=spacing, band=self.band(rows[0].size), top=cursor, baselines=[])
            for row in rows:
                band = self.band(row.size)
                last_baseline = self.baseline(cursor, band, row.size)
                line.baselines.append(last_baseline)
                self.masthead.append((last_baseline, row))
                cursor += band
            if child.tag == "name":
                line.after = pitch * m.blank_after_name
            elif child.tag == "issue-number":
                line.after = pitch * m.blank_after_number
            cursor += line.after
            decided.lines.append(line)
        if last_baseline is None:
            last_baseline = cursor
        # the red rule (and the thin one of a double rule)
        rule = m.rule
        colour, width = rule.colour, rule.width
        y = last_baseline + rule.gap
        x0, x1 = self.page.left, self.page.left + self.width
        self.masthead_rules.append(Rule(x0, x1, y, width, colour))
        bottom = y + width / 2
        if rule.double:
            thin = rule.thin_width
            ty = bottom + rule.thin_gap + thin / 2
            self.masthead_rules.append(Rule(x0, x1, ty, thin, colour))
            bottom = ty + thin / 2
        # the body resumes on the grid, `blank_after_rule` empty lines under the rule
        clear = bottom - self.page.top + pitch * m.blank_after_rule
        self.first_row = max(0, math.ceil(clear / pitch - 1e-6))
        decided.rule_y, decided.rule_bottom, decided.first_row = y, bottom, self.first_row
        if self.first_row >= self.grid.lines:
            raise JianbaoError(_("the masthead fills the whole first page; check the masthead settings of the style "
                                 "sheet"))

    def editor_date(self, editor: ET.Element | None, date: ET.Element | None) -> Row:
        """Editor and date on one line, each aligned as its role says (flush left, flush right)."""
        row = Row([], self.role("editor" if editor is not None else "date").size, what="editor-date")
        for el in (editor, date):
            if el is None:
                continue
            r = self.align(self.one_line(el, el.tag), self.role(el.tag).align, 0, self.width)
            if row.runs and r.runs and r.extent[0] < row.extent[1] + self.cell(self.role(el.tag)):
                raise JianbaoError(_("the editor and the date do not fit on one line of the masthead"), **_at(el))
            row.runs += r.runs
            row.size = max(row.size, r.size)
        return row

    def fitted_lines(self, el: ET.Element, role_name: str) -> tuple[list[Row], list[str], float, float]:
        """A masthead line fitted to the text width (`fitted`); a `fit` role that would have to shrink below its
        `fit_min` (a long series line) is set instead in two balanced lines, as large as they fit (at most its
        size), and smaller only if two lines at `fit_min` are still too wide. Returns the rows, their texts, the
        size and the letter spacing."""
        role = self.role(role_name)
        row, text, size, spacing = self.fitted(el, role_name)
        if not (role.fit and role.fit_min) or size >= role.fit_min - _EPS:
            return [row], [text], size, spacing
        avail = self.width - self.chars(role, role.margin_left) - self.chars(role, role.margin_right)
        # a character of room, as the DOCX writer leaves for Word's and LibreOffice's rounding
        size, lines = in_two_lines(role.size, size, lambda size: self.lines(
            self.runs_of(el, role_name, size), role, width=avail - size, justify=False, balance=True, size=size,
            spacing=0.0))
        return [self.row(line, 0.0, el.tag) for line in lines], [_text(line) for line in lines], size, 0.0

    def fitted(self, el: ET.Element, role_name: str) -> tuple[Row, str, float, float]:
        """A masthead line at its role's size and letter spacing if it fits the text width; else with less
        letter spacing, then smaller (a `fit` role such as the series line is meant to shrink this way). Sizes in
        whole half points and letter spacing in twentieths of a point, as a Word file can say them: the DOCX
        sets the same. Returns the row, its text, the size and the letter spacing."""
        role = self.role(role_name)
        avail = self.width - self.chars(role, role.margin_left) - self.chars(role, role.margin_right)
        text = "".join(el.itertext())

        def width(row: Row) -> float:
            x0, x1 = row.extent
            return x1 - x0

        row = self.one_line(el, role_name)
        if width(row) <= avail + _EPS:
            return row, text, role.size, role.spacing
        if role.spacing:
            tight = self.one_line(el, role_name, spacing=0.0)
            if width(tight) <= avail + _EPS:
                spacing = math.floor(role.spacing * (avail - width(tight)) / (width(row) - width(tight)) * 20) / 20
                return self.one_line(el, role_name, spacing=spacing), text, role.size, spacing
            row = tight
        size = math.floor(role.size * avail / width(row) * 2) / 2
        while size > 1:
            row = self.one_line(el, role_name, size, spacing=0.0)
            if width(row) <= avail + _EPS:
                break
            size -= 0.5
        return row, text, size, 0.0

    # -- contents, note ----------------------------------------------------------------------------------------
    def visit_contents(self, el: ET.Element) -> None:
        for child in el:
            if child.tag == "contents-title":
                self.flow += self.paragraph(child, "contents-title", keep=True)
            elif child.tag == "contents-entry":
                self.flow += self.paragraph(child, "contents-entry", keep=child is not el[-1])
            else:
                raise JianbaoError(_("document tree: unknown element <{tag}> in <{parent}>").format(
                    tag=child.tag, parent="contents"), **_at(child))
        self.blank(self.style.body.blank_between_articles)
        self.plan.blank_after[el] = self.style.body.blank_between_articles

    def visit_note(self, el: ET.Element) -> None:
        self.flow += self.paragraph(el, "note")
        self._after_note = True

    # -- articles ----------------------------------------------------------------------------------------------
    def visit_article(self, el: ET.Element) -> None:
        if self.articles or self._after_note:
            self.blank(self.style.body.blank_between_articles)
            self.plan.blank_before[el] = self.style.body.blank_between_articles
        self._after_note = False
        self.articles += 1
        for child in el:
            self.visit(child)

    def visit_title(self, el: ET.Element) -> None:
        rows = self.paragraph(el, "title", keep=True)
        if not self.title_text:      # the PDF's Title
            self.title_text = " ".join("".join(el.itertext()).split())
        self.flow += rows

    def visit_subtitle(self, el: ET.Element) -> None:
        self.flow += self.paragraph(el, "subtitle", keep=True)

    def visit_para(self, el: ET.Element) -> None:
        self.flow += self.paragraph(el, "para")

    def visit_heading(self, el: ET.Element) -> None:
        level = el.get("level")
        self.flow += self.paragraph(el, f"heading-{level}", keep=True)

    def visit_source(self, el: ET.Element) -> None:
        before = self.style.body.blank_before_source
        if self.flow:
            # the article's last line stays with the source (a row of the PDF: Word's keep-with-next would keep the
            # whole paragraph, and LibreOffice moves it all, so the plan does not ask the DOCX for it)
            self.flow[-1].keep_next = True
        self.plan.blank_before[el] = before
        for _ in range(before):
            self.flow.append(Row([], self.role("para").size, keep_next=True, what="blank"))
        self.flow += self.paragraph(el, "source")

    # -- pictures and tables -------------------------------------------------------------------------------------
    def visit_figure(self, el: ET.Element) -> None:
        self.figures(el, [el])

    def visit_figures(self, el: ET.Element) -> None:
        items = list(el)
        for child in items:
            if child.tag != "figure":
                raise JianbaoError(_("document tree: unknown element <{tag}> in <{parent}>").format(
                    tag=child.tag, parent="figures"), **_at(child))
        if not 2 <= len(items) <= 3:
            raise JianbaoError(_("document tree: <figures> holds 2 or 3 <figure>, not {count}").format(
                count=len(items)), **_at(el))
        self.figures(el, items)

    def picture_file(self, fig: ET.Element):
        """The checked picture file of a <figure> (jianbao.pictures), and its caption element."""
        from .. import pictures

        picture, caption = None, None
        for child in fig:
            if child.tag == "picture" and picture is None:
                picture = child
            elif child.tag == "caption" and caption is None:
                caption = child
            else:
                raise JianbaoError(_("document tree: unexpected <{tag}> in <figure>").format(tag=child.tag), **_at(fig))
        if picture is None or not picture.get("src"):
            raise JianbaoError(_("document tree: a <figure> needs a <picture src=…>"), **_at(fig))
        if self.root is None:
            raise JianbaoError(_("the layout needs the series folder to find the pictures"), **_at(fig))
        try:
            return pictures.inspect(self.root, picture.get("src")), picture, caption
        except pictures.PictureError as e:
            raise JianbaoError(str(e), line=_int(fig.get("line")), column=_int(fig.get("col"))) from None

    def figures(self, el: ET.Element, items: list[ET.Element]) -> None:
        """Pictures on the grid: a whole number of lines, centred, never wider than the text block (nor, with their
        captions, taller than a page); side by side at one height across the text width; captions under them."""
        from .. import pictures

        cfg = self.style.pictures
        pitch, W = self.grid.pitch, self.width
        files = [self.picture_file(fig) for fig in items]
        k = len(files)
        aspects = [info.width / info.height for info, _, _ in files]
        if k == 1:
            info, picture, _caption = files[0]
            share = picture.get("width")
            widths = [W * float(share) / 100 if share else min(W, info.width / cfg.dpi * 72)]
        else:
            # one height, across the text width, or less when a picture is smaller at `pictures.dpi`
            height = min([(W - (k - 1) * cfg.gap) / sum(aspects)] + [info.height / cfg.dpi * 72 for info, _, _ in files])
            widths = [height * a for a in aspects]
        role = self.role("caption")
        for _round in range(8):          # narrower pictures may take more caption lines: settle in a few rounds
            columns = [W] if k == 1 else [w + (W - sum(widths)) / k for w in widths]
            captions = [self.lines(self.runs_of(cap, "caption"), role, width=col, justify=False)
                        if cap is not None else [] for (_, _, cap), col in zip(files, columns)]
            below = max(len(c) for c in captions)
            height = max(w / a for w, a in zip(widths, aspects))
            room = (self.grid.lines - below) * pitch - cfg.room
            if room <= 0:
                raise JianbaoError(_("a caption takes the whole page; shorten it"), **_at(items[0]))
            if height <= room + _EPS:
                break
            widths = [w * room / height for w in widths]
        else:
            height = max(w / a for w, a in zip(widths, aspects))
        lines = max(1, math.ceil((height + cfg.room) / pitch - _EPS))
        band = Band(lines, keep_next=below > 0, what=el.tag, line=_int(el.get("line")))
        decided = []
        x = self.page.left
        for (info, picture, _caption), w, a, col in zip(files, widths, aspects, columns):
            h = w / a
            try:
                prepared = pictures.prepare(info, pictures.wanted_pixels(w, h, cfg.dpi), cfg.jpeg_max,
                                            cfg.jpeg_quality)
            except pictures.PictureError as e:
                fig = items[len(decided)]
                raise JianbaoError(str(e), line=_int(fig.get("line")), column=_int(fig.get("col"))) from None
            src = picture.get("src")
            band.images.append(Image(x + (col - w) / 2, (lines * pitch - h) / 2, w, h, prepared.data,
                                     prepared.format, src))
            decided.append(P.Picture(src, w, h, prepared.data, prepared.format, (info.width, info.height),
                                     info.width / (w / 72)))
            x += col
        self.plan.figures[el] = P.Figures(decided, lines, below, columns)
        self.flow.append(band)
        left = 0.0
        merged: list[Row] = [Row([], role.size, what="caption") for _ in range(below)]
        for (_info, _picture, cap), col, cap_lines in zip(files, columns, captions):
            if cap is not None:
                self.plan.breaks[cap] = [_pieces(line) for line in cap_lines]
                for j, line in enumerate(cap_lines):
                    row = self.align(self.row(line, left, "caption"), role.align, left, col)
                    merged[j].runs += row.runs
                    merged[j].size = max(merged[j].size, row.size)
            left += col
        for row in merged[:-1]:
            row.keep_next = True
        self.flow += merged

    def unbreakable(self, runs) -> float:
        """The widest piece of a cell a table column must hold on one line: a number or a Latin word (never broken
        in a table), else one character."""
        widest = 0.0
        for text, st in runs:
            for piece in _UNBREAKABLE.findall(text):
                widest = max(widest, self._measure(piece, st))
        return widest

    def visit_table(self, el: ET.Element) -> None:
        """A table on the grid: every line of a cell on a grid line, cells wrapped by the line breaker in their
        column, a row's cells centred in its height; rows never split; the header row is set again at the top of
        each page the table continues on."""
        title = note = None
        cols: list[ET.Element] = []
        trs: list[ET.Element] = []
        for child in el:
            if child.tag == "table-title":
                title = child
            elif child.tag == "table-note":
                note = child
            elif child.tag == "col":
                cols.append(child)
            elif child.tag == "tr":
                trs.append(child)
            else:
                raise JianbaoError(_("document tree: unknown element <{tag}> in <{parent}>").format(
                    tag=child.tag, parent="table"), **_at(el))
        k = len(cols)
        for tr in trs:
            if len(tr) != k or any(c.tag not in ("th", "td") for c in tr):
                raise JianbaoError(_("document tree: a <tr> of {count} <th> or <td> cells expected").format(count=k),
                                   **_at(el))
        if not trs or not k:
            raise JianbaoError(_("document tree: a <table> needs <col> and <tr> elements"), **_at(el))
        if title is not None:
            self.flow += self.paragraph(title, "table-title", keep=True)
        cfg = self.style.table
        pad = cfg.padding
        W = self.width
        runs = [[self.runs_of(c, _cell_role(c)) for c in tr] for tr in trs]
        least = [0.0] * k
        natural = [0.0] * k
        widest: list[ET.Element | None] = [None] * k
        for tr, row_runs in zip(trs, runs):
            for i, (cell, r) in enumerate(zip(tr, row_runs)):
                role = self.role(_cell_role(cell))
                need = self.unbreakable(r) + 2 * pad
                if need > least[i]:
                    least[i], widest[i] = need, cell
                one = self.lines(r, role, width=1e6, justify=False)
                natural[i] = max(natural[i], (one[0].natural if one else 0.0) + 2 * pad)
        header = [tr for tr in trs if tr[0].tag == "th"]

        def name(i: int) -> str:
            heading = "".join(header[0][i].itertext()).strip() if header else ""
            if heading:
                return _("column {number} ({heading})").format(number=i + 1, heading=heading)
            return _("column {number}").format(number=i + 1)

        def refuse(i: int, message: str):
            cell = widest[i]
            line = _int(cell.get("line")) if cell is not None and cell.get("line") else _int(el.get("line"))
            col = _int(cell.get("col")) if cell is not None and cell.get("line") else _int(el.get("col"))
            return JianbaoError(message, line=line, column=col)

        given = [c.get("width") for c in cols]
        if all(given):
            total = sum(float(g) for g in given)
            widths = [W * float(g) / total for g in given]
            for i in range(k):
                if widths[i] + _EPS < least[i]:
                    text = "".join(widest[i].itertext()) if widest[i] is not None else ""
                    raise refuse(i, _("table: {column} is {width} pt wide in `widths:`, but '{text}' needs {need} pt; "
                                      "give the column a larger width or shorten the cell").format(
                        column=name(i), width=f"{widths[i]:.1f}", text=text, need=f"{least[i]:.1f}"))
        elif sum(natural) <= W + _EPS:
            widths = [n * W / sum(natural) for n in natural]
        elif sum(least) <= W + _EPS:
            spare = [n - m for n, m in zip(natural, least)]
            widths = [m + (W - sum(least)) * s / (sum(spare) or 1) for m, s in zip(least, spare)]
        else:
            i = max(range(k), key=lambda i: least[i])
            text = "".join(widest[i].itertext()) if widest[i] is not None else ""
            raise refuse(i, _("table: too wide for the text width in any column layout: its columns need {need} pt of "
                              "the {width} pt; {column} alone needs {least} pt for '{text}' (a cell breaks between "
                              "Chinese characters, not inside a number or a word)").format(
                need=f"{sum(least):.1f}", width=f"{W:.1f}", column=name(i), least=f"{least[i]:.1f}", text=text))
        aligns = [c.get("align") or "center" for c in cols]
        edges = [self.page.left + sum(widths[:i]) for i in range(k + 1)]
        heights: list[int] = []
        bands: list[Band] = []
        head_band: Band | None = None
        for tr, row_runs in zip(trs, runs):
            is_head = tr[0].tag == "th"
            cells = []
            for i, (cell, r) in enumerate(zip(tr, row_runs)):
                role = self.role(_cell_role(cell))
                lines = self.lines(r, role, width=widths[i] - 2 * pad, justify=False)
                self.plan.breaks[cell] = [_pieces(line) for line in lines]
                cells.append((cell, role, lines))
            m = max(1, max(len(lines) for _, _, lines in cells))
            band = Band(m, what="table-row", line=_int(tr[0].get("line")) or _int(el.get("line")),
                        keep_next=is_head)
            pitch = self.grid.pitch
            for i, (cell, role, lines) in enumerate(cells):
                left = edges[i] - self.page.left + pad
                avail = widths[i] - 2 * pad
                align = role.align if is_head else aligns[i]
                top = (m - len(lines)) / 2 * pitch
                for j, line in enumerate(lines):
                    row = self.align(self.row(line, left, "table-cell"), align, left, avail)
                    band.rows.append((self.baseline(top + j * pitch, pitch, row.size), row))
            x0, x1 = edges[0], edges[-1]
            band.rules += [Rule(x0, x1, 0.0, cfg.rule, cfg.colour), Rule(x0, x1, m * pitch, cfg.rule, cfg.colour)]
            band.vrules += [VRule(x, 0.0, m * pitch, cfg.rule, cfg.colour) for x in edges]
            if is_head:
                head_band = band
            else:
                band.repeat = head_band
            heights.append(m)
            bands.append(band)
        if note is not None and bands:
            bands[-1].keep_next = True
        self.flow += bands
        self.plan.tables[el] = P.Table(widths, pad, heights, aligns)
        if note is not None:
            self.flow += self.paragraph(note, "table-note")

    # -- distribution (版记) -----------------------------------------------------------------------------------
    def visit_distribution(self, el: ET.Element) -> None:
        # recipients, then the print run (共印N份) flush right on their last line or under them, the inner rule,
        # the printing line last, on the bottom rule (whatever the order in the tree)
        above: list[Row] = []
        copies: list[Row] = []
        below: list[Row] = []
        decided = P.Distribution(even_page=self.style.distribution.even_page)
        self.plan.distribution = decided
        for child in el:
            if child.tag == "recipients":
                last_list = self.recipients(child)
                above += last_list
            elif child.tag == "printing":
                below += self.printing(child)
            elif child.tag == "copies":
                decided.copies = child
                role = self.role("printing")
                left = self.chars(role, role.margin_left)
                avail = self.width - left - self.chars(role, role.margin_right)
                for line in self.lines(self.runs_of(child, "printing"), role, width=avail, justify=False):
                    copies.append(self.align(self.row(line, left, "copies"), "right", left, avail))
            else:
                raise JianbaoError(_("document tree: unknown element <{tag}> in <{parent}>").format(
                    tag=child.tag, parent="distribution"), **_at(child))
        if copies and above and len(copies) == 1:
            # level with the last recipient line when it leaves `distribution.copies_gap` between (简报 practice)
            last, run = above[-1], copies[0]
            gap = self.style.distribution.copies_gap
            if last.extent[1] + gap > run.extent[0] + _EPS and len(last_list) > 1:
                # the balanced list leaves no room: the list filled line by line may, saving the block a line
                listed = decided.recipients.pop()
                filled = self.recipients(listed.element, balance=False)
                if filled[-1].extent[1] + gap <= run.extent[0] + _EPS and len(filled) == len(last_list):
                    above[-len(last_list):] = filled
                    last = filled[-1]
                else:
                    decided.recipients[-1] = listed
            if last.extent[1] + gap <= run.extent[0] + _EPS:
                above[-1] = Row(last.runs + run.runs, max(last.size, run.size), what=last.what)
                copies = []
                decided.copies_joined = True
        above += copies
        decided.lines_above, decided.lines_below = len(above), len(below)
        if above or below:
            self.distribution = above + below
            lines = [int(c.get("line")) for c in el if c.get("line", "").isdigit()]
            self.distribution_line = lines[0] if lines else None
            self.inner_rule_after = len(above)

    def recipients(self, el: ET.Element, balance: bool | None = None) -> list[Row]:
        """A 报/送/发 list: the label, then the names, wrapped lines hanging under the first name; lines break
        between names (`break_after: 、`) and are balanced (`balance`) unless `balance=False`."""
        role = self.role("recipients")
        runs = self.runs_of(el, "recipients")
        label = el.find("label")
        hang = 0.0
        if label is not None:
            lab = self.lines(self.runs_of(label, "recipients"), role, width=1e6, justify=False)
            hang = lab[0].natural if lab else 0.0
        hang = max(hang, self.chars(role, role.hang))
        left = self.chars(role, role.margin_left)
        avail = self.width - left - self.chars(role, role.margin_right)
        lines = self.lines(runs, role, width=avail, first_indent=self.chars(role, role.indent), rest_indent=hang,
                           justify=role.align == "justify", balance=role.balance if balance is None else balance)
        self.plan.distribution.recipients.append(P.Recipients(el, [_pieces(line) for line in lines], hang))
        return [self.row(line, left, "recipients") for line in lines]

    def printing(self, el: ET.Element) -> list[Row]:
        """The printing line (GB/T 9704 7.4.3): the printer one character in from the left, `…印发` one character in
        from the right, at least a character apart, at full size. When both do not fit so, the date goes onto a
        line of its own, right-aligned: never squeezed, never drawn over each other."""
        for child in el:
            if child.tag not in ("printer", "printed"):
                raise JianbaoError(_("document tree: unknown element <{tag}> in <{parent}>").format(
                    tag=child.tag, parent="printing"), **_at(child))
        role = self.role("printing")
        left, right = self.chars(role, role.margin_left), self.chars(role, role.margin_right)
        avail = self.width - left - right
        printer, printed = el.find("printer"), el.find("printed")
        if printer is not None and printed is not None:
            row = self.printing_row(printer, printed, left, right, self.cell(role))
            if row is not None:
                self.plan.distribution.printing = P.Printing(True, left, right, 1, 1)
                return [row]
        rows, counts = [], []
        for part, align in ((printer, "left"), (printed, "right")):
            lines = [] if part is None else self.lines(self.runs_of(part, "printing"), role, width=avail, justify=False)
            rows += [self.align(self.row(line, left, "printing"), align, left, avail) for line in lines]
            counts.append(len(lines))
        self.plan.distribution.printing = P.Printing(False, left, right, *counts)
        return rows

    def printing_row(self, printer: ET.Element, printed: ET.Element, left: float, right: float,
                     gap: float) -> Row | None:
        """Printer and date on one line, `left` and `right` in, at least `gap` apart; None if they do not fit."""
        name = self.one_line(printer, "printing").shifted(left)
        date = self.one_line(printed, "printing")
        date.shifted(self.width - right - date.extent[1])
        if not name.runs or not date.runs or name.extent[1] + gap > date.extent[0] + _EPS:
            return None
        return Row(name.runs + date.runs, max(name.size, date.size), what="printing")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _cell_role(cell: ET.Element) -> str:
    return "table-header" if cell.tag == "th" else "table-cell"


def _width(row: Row) -> float:
    x0, x1 = row.extent
    return x1 - x0


def _at(el: ET.Element) -> dict:
    """The issue file's line and column of `el` (from the template's line/col attributes), for a JianbaoError: the
    build reports it as FILE:LINE:COL."""
    line = _int(el.get("line"))
    return {"line": line, "column": _int(el.get("col"))} if line else {}


def _inline(el: ET.Element, role: str) -> Iterable[Run]:
    """`jianbao.tree.runs`, plus `<note-label>` (the 编者按 label, set in its own role `note-label`).
    Raises ValueError for an element inline content may not hold."""
    if not any(child.tag == "note-label" for child in el):
        yield from tree_runs(el, role)
        return
    if el.text:
        yield Run(el.text, role, False)
    for child in el:
        if child.tag == "note-label":
            yield from tree_runs(child, "note-label")
            if child.tail:
                yield Run(child.tail, role, False)
        else:
            holder = ET.Element(el.tag)
            holder.append(child)
            yield from tree_runs(holder, role)


def _text(line: Line) -> str:
    return "".join(box.text for box in line.boxes)


def _pieces(line: Line) -> list[P.Piece]:
    """A broken line as the plan keeps it: its text in pieces of one role and emphasis."""
    out: list[P.Piece] = []
    for box in line.boxes:
        st: RunStyle = box.style
        if out and out[-1].role == st.role and out[-1].emphasis == st.emphasis:
            out[-1] = P.Piece(out[-1].text + box.text, st.role, st.emphasis)
        elif box.text:
            out.append(P.Piece(box.text, st.role, st.emphasis))
    return out
