"""The yearly volume (合订本): the issues' PDFs bound into one, behind a cover and a contents page.

The issues' pages are taken from the PDFs the build wrote, not typeset again (pypdf); only the cover and the
contents are drawn here (reportlab, in the series' fonts). Each issue keeps its own page numbers, or, with
`renumber`, gets the volume's: the old folio is covered with white and the new one drawn where it was.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from .errors import JianbaoError
from .i18n import _
from .tree import text


@dataclass
class Article:
    title: str
    page: int                    # 0-based page of the issue where its title is printed


@dataclass
class Part:
    """One issue as bound: what the contents say about it, and its PDF."""
    number: int
    issue_number: str            # 第11期（总第58期）, as printed
    date: str                    # 2022年2月15日, as printed
    title: str
    articles: list[Article]
    pdf: bytes
    pages: int = 0
    supplement: bool = False     # 增刊 (numbered apart: not in the cover's 第N期—第M期)
    first: int = 0               # 1-based page number of its first page among the issues' pages (set by bind)
    folios: list = field(default_factory=list)   # per page: (x, baseline) of its printed folio, or None


def title_text(title: ET.Element) -> str:
    parts = [title.text or ""]
    for child in title:
        parts.append(" " if child.tag == "br" else text(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _page_texts(reader) -> list[str]:
    return [_squash(page.extract_text() or "") for page in reader.pages]


def _folio(page, below: float) -> tuple[float, float] | None:
    """Where the page number is printed: the first text whose baseline is under `below` (the text block's bottom)."""
    found = []

    def visit(t, cm, tm, font, size):
        if found or not t.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if 0 < y < below:
            found.append((x, y))

    page.extract_text(visitor_text=visit)
    return found[0] if found else None


def describe(number: int, tree: ET.Element, pdf: bytes, style) -> Part:
    """An issue's entry in the volume: its masthead's number and date, its titles and the pages they are
    printed on (found in the PDF's text: after the contents block, each title after the one before)."""
    from pypdf import PdfReader

    masthead = tree.find("masthead")

    def printed(tag: str) -> str:
        el = masthead.find(tag) if masthead is not None else None
        return text(el).strip() if el is not None else ""

    titles = [title_text(t) for t in tree.iterfind("article/title")]
    reader = PdfReader(io.BytesIO(pdf))
    pages = _page_texts(reader)
    joined = "".join(pages)
    starts, at = [], 0
    for p in pages:
        starts.append(at)
        at += len(p)

    def page_of(offset: int) -> int:
        return max(i for i, s in enumerate(starts) if s <= offset)

    cursor = 0
    for entry in tree.iterfind("contents/contents-entry"):      # the contents list the titles first: skip it
        hit = joined.find(_squash(text(entry)), cursor)
        if hit >= 0:
            cursor = hit + len(_squash(text(entry)))
    articles = []
    for title in titles:
        hit = joined.find(_squash(title), cursor) if _squash(title) else -1
        if hit >= 0:
            cursor = hit + len(_squash(title))
            articles.append(Article(title, page_of(hit)))
        else:                                    # not found as text (a title drawn otherwise): the page before's
            articles.append(Article(title, articles[-1].page if articles else 0))
    below = style.page.bottom
    folios = [_folio(page, below) for page in reader.pages]
    title = titles[0] if len(titles) == 1 else "；".join(titles)
    return Part(number, printed("issue-number"), printed("date"), title, articles, pdf, len(reader.pages),
                folios=folios)


# ---------------------------------------------------------------------------------------------------------------
# Drawing the cover and the contents

class _Pen:
    """Text on a reportlab canvas in one of the layout's font keys, each character in the face that has it."""

    def __init__(self, canvas, fonts):
        self.c = canvas
        self.fonts = fonts
        self.names: dict = {}

    def _name(self, face) -> str:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        key = (str(face.reportlab_path()), face.reportlab_index)
        if key not in self.names:
            import hashlib
            name = "jv-" + hashlib.sha1(f"{key[0]}#{key[1]}".encode("utf-8")).hexdigest()[:8]
            if name not in pdfmetrics.getRegisteredFontNames():
                try:
                    pdfmetrics.registerFont(TTFont(name, key[0], subfontIndex=key[1]))
                except Exception as e:            # reportlab's TTFError and friends: a font it cannot embed
                    raise JianbaoError(_("cannot embed the font {font} in the volume: {reason}").format(
                        font=f"{key[0]}#{key[1]}", reason=e)) from None
            self.names[key] = name
        return self.names[key]

    def width(self, s: str, key: str, size: float, spacing: float = 0) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(part, self._name(face), size) for face, part in self.fonts.segments(key, s)) \
            + spacing * max(len(s) - 1, 0)

    def draw(self, x: float, y: float, s: str, key: str, size: float, colour: str = "#000000",
             align: str = "left", spacing: float = 0) -> float:
        """Draw `s` with its baseline at y; x is its left, centre or right by `align`. Returns its width."""
        w = self.width(s, key, size, spacing)
        x = x - w / 2 if align == "center" else x - w if align == "right" else x
        self.c.setFillColor(colour)
        t = self.c.beginText(x, y)
        t.setCharSpace(spacing)
        for face, part in self.fonts.segments(key, s):
            t.setFont(self._name(face), size)
            t.textOut(part)
        self.c.drawText(t)
        return w

    def wrap(self, s: str, key: str, size: float, width: float) -> list[str]:
        """`s` cut into lines no wider than `width` (between any two characters: the contents' titles)."""
        lines, line = [], ""
        for ch in s:
            if line and self.width(line + ch, key, size) > width and ch not in "，。、；：？！）》”’":
                lines.append(line)
                line = ch.lstrip()
            else:
                line += ch
        if line:
            lines.append(line)
        return lines or [""]


def _numbers(parts: list[Part]) -> str:
    regular = [p for p in parts if not p.supplement] or parts
    first, last = regular[0].number, regular[-1].number
    return f"第{first}期" if first == last else f"第{first}期—第{last}期"


def _cover(c, pen: _Pen, style, series, label: str, parts: list[Part]) -> None:
    W, H = style.page.width, style.page.height
    red = style.role("name").colour
    mid = W / 2
    y = H - style.page.top - 40
    if series.masthead.series:
        y -= style.role("series").size
        size = style.role("series").size
        while size > 12 and pen.width(series.masthead.series, "xiaobiaosong", size) > style.page.text_width:
            size -= 1
        pen.draw(mid, y, series.masthead.series, style.role("series").font, size, red, "center")
        y -= 30
    name = series.masthead.name or "简报"
    size = min(style.role("name").size, style.page.text_width / max(len(name), 1) / 1.5)
    y -= size
    pen.draw(mid, y, name, style.role("name").font, size, red, "center", spacing=size * 0.5)
    y -= 80
    pen.draw(mid, y, "合订本", style.role("title").font, 36, "#000000", "center", spacing=12)
    y -= 70
    pen.draw(mid, y, label, style.role("title").font, 26, "#000000", "center")
    y -= 44
    pen.draw(mid, y, _numbers(parts), style.role("para").font, 18, "#000000", "center")
    c.setStrokeColor(red)
    c.setLineWidth(2.25)
    c.line(style.page.left, y - 30, W - style.page.right, y - 30)
    bottom = style.page.bottom + 40
    if series.masthead.editor:
        pen.draw(mid, bottom, series.masthead.editor, style.role("para").font, 16, "#000000", "center")
    c.showPage()


def _contents(c, pen: _Pen, style, parts: list[Part]) -> int:
    """The contents pages (as many as it takes); returns how many."""
    W, H = style.page.width, style.page.height
    left, right = style.page.left, W - style.page.right
    top, bottom = H - style.page.top, style.page.bottom
    head_key, entry_key, title_key = style.role("heading-1").font, style.role("para").font, style.role("title").font
    size, pitch = 14, 24
    number_w = pen.width("0000", entry_key, size)
    pages = 1

    def heading():
        pen.draw(W / 2, top - 22, "目　录", title_key, 22, "#000000", "center")
        return top - 22 - 2 * pitch

    def leader(x0: float, x1: float, y: float):
        if x1 - x0 > 8:
            c.setStrokeColor("#000000")
            c.setLineWidth(0.8)
            c.setDash(0.8, 3.2)
            c.setLineCap(1)
            c.line(x0 + 4, y + 2, x1 - 4, y + 2)
            c.setDash()

    y = heading()
    for part in parts:
        # the issue's line, then each article's title, its page number on the title's last line
        single = len(part.articles) == 1
        rows = [(f"{part.issue_number}　{part.date}", head_key, 0, None if single else part.first)]
        for article in part.articles:
            lines = pen.wrap(article.title, entry_key, size, right - left - 2 * size - number_w)
            for i, line in enumerate(lines):
                rows.append((line, entry_key, 2 * size, part.first + article.page if i == len(lines) - 1 else None))
        if y - pitch * len(rows) < bottom and y < top - 3 * pitch:    # an issue's entry is not split over pages
            c.showPage()
            pages += 1
            y = heading()
        for line, key, indent, page in rows:
            w = pen.draw(left + indent, y, line, key, size)
            if page is not None:
                nw = pen.draw(right, y, str(page), entry_key, size, align="right")
                leader(left + indent + w, right - nw, y)
            y -= pitch
        y -= pitch / 2
    c.showPage()
    return pages


def _front(style, fonts, series, label: str, parts: list[Part]) -> tuple[bytes, int]:
    """The cover and the contents as one PDF; the number of contents pages."""
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(style.page.width, style.page.height), invariant=1)
    c.setTitle(f"{series.masthead.name or '简报'} {label} 合订本")
    c.setCreator("jianbao")
    pen = _Pen(c, fonts)
    _cover(c, pen, style, series, label, parts)
    count = _contents(c, pen, style, parts)
    c.save()
    return buf.getvalue(), count


_SHOW = {b"Tj", b"TJ", b"'", b'"'}
_PAINT = {b"Tj", b"TJ", b"'", b'"', b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"Do", b"sh", b"BI"}


def remove_folio(page, reader, below: float) -> bool:
    """Take the page number out of an issue page's content: the last text object (BT … ET) of the page, when all
    of its text is placed (absolute Tm) under `below` and nothing is painted after it. A page drawn otherwise
    is left as it is (False): its number is then only covered."""
    from pypdf.generic import ContentStream

    content = ContentStream(page.get_contents(), reader)
    ops = content.operations
    begin = max((i for i, (_, op) in enumerate(ops) if op == b"BT"), default=None)
    if begin is None:
        return False
    end = next((i for i in range(begin, len(ops)) if ops[i][1] == b"ET"), None)
    if end is None or any(op in _PAINT for _, op in ops[end + 1:]):
        return False
    y, shown = None, []
    for operands, op in ops[begin + 1:end]:
        if op == b"Tm":
            y = float(operands[5])
        elif op in (b"Td", b"TD", b"T*", b"cm") or (op in (b"'", b'"')):
            return False                        # relative moves: not the simple case this is sure of
        elif op in _SHOW:
            shown.append(y)
    if not shown or any(v is None or not 0 < v < below for v in shown):
        return False
    content.operations = ops[:begin] + ops[end + 1:]
    page.replace_contents(content)
    return True


def _new_folios(style, fonts, parts: list[Part], removed: list[bool]) -> bytes:
    """One page per issue page: the volume's number drawn in the page-number role, over a white box that hides
    the old number where it could not be taken out."""
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    W, H = style.page.width, style.page.height
    c = Canvas(buf, pagesize=(W, H), invariant=1)
    pen = _Pen(c, fonts)
    role = style.role("page-number")
    dash, indent = style.page_number.dash, style.page_number.indent
    at = 0
    for part in parts:
        for i, folio in enumerate(part.folios):
            if folio is not None:
                number = part.first + i
                _, baseline = folio
                if not removed[at + i]:
                    c.setFillColor("#FFFFFF")
                    c.rect(0, baseline - 0.4 * role.size, W, 1.4 * role.size, stroke=0, fill=1)
                label = f"{dash} {number} {dash}" if dash else str(number)
                if number % 2:
                    pen.draw(W - style.page.right - indent, baseline, label, role.font, role.size, role.colour, "right")
                else:
                    pen.draw(style.page.left + indent, baseline, label, role.font, role.size, role.colour)
            c.showPage()
        at += part.pages
    c.save()
    return buf.getvalue()


def bind(parts: list[Part], style, fonts, series, label: str, renumber: bool = False) -> bytes:
    """The volume's PDF: cover, contents, every issue's pages; bookmarks per issue and per article; page labels
    so that a viewer shows the numbers the contents give."""
    from pypdf import PdfReader, PdfWriter

    if not parts:
        raise JianbaoError(_("no issues to bind"))
    first = 1
    for part in parts:
        part.first = first
        first += part.pages
    front, contents_pages = _front(style, fonts, series, label, parts)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)))
    pages, removed = [], []
    for part in parts:
        for i, page in enumerate(PdfReader(io.BytesIO(part.pdf)).pages):
            added = writer.add_page(page)
            pages.append(added)
            removed.append(renumber and part.folios[i] is not None and remove_folio(added, writer, style.page.bottom))
    if renumber:
        overlay = PdfReader(io.BytesIO(_new_folios(style, fonts, parts, removed)))
        for page, new in zip(pages, overlay.pages):
            page.merge_page(new)
    at = len(pages)
    offset = 1 + contents_pages                 # pages before the first issue's
    writer.add_outline_item(title="目录", page_number=1)
    for part in parts:
        start = offset + part.first - 1
        name = f"{part.issue_number} {part.date}" + (f" {part.title}" if len(part.articles) == 1 else "")
        parent = writer.add_outline_item(title=name, page_number=start)
        if len(part.articles) > 1:
            for article in part.articles:
                writer.add_outline_item(title=article.title, page_number=start + article.page, parent=parent)
    writer.set_page_label(0, 0, prefix="封面")
    writer.set_page_label(1, contents_pages, style="/D", prefix="目录", start=1)
    writer.set_page_label(offset, offset + at - 1, style="/D", start=1)
    writer.add_metadata({"/Title": f"{series.masthead.name or '简报'} {label} 合订本", "/Creator": "jianbao",
                         "/Producer": "jianbao"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def select(root: Path, series, year: int | None, first: int | None, last: int | None) -> list[Path]:
    """The issue files of a volume, in the series' order: those of `year` (the year folder of a yearly series, else
    the issue's `date:`), and among them the regular issues numbered first…last when a range is given (a range
    leaves the supplements out, a year alone takes them in)."""
    from .history import issue_refs
    from .schema import load_issue

    chosen = []
    for ref in issue_refs(root):
        ranged = first is not None or last is not None
        if ranged and (ref.supplement or (first is not None and ref.number < first)
                       or (last is not None and ref.number > last)):
            continue
        if year is not None and (ref.year or load_issue(ref.path, series).date.year) != year:
            continue
        chosen.append(ref.path)
    return chosen


def volume_name(year: int | None, chosen: list[Path]) -> str:
    """build/volume-2022.pdf, or build/volume-001-012.pdf for a range of numbers."""
    if year is not None:
        return f"volume-{year}.pdf"
    first, last = chosen[0], chosen[-1]
    years = f"{first.parent.name}-" if first.parent.name != "issues" else ""          # (a yearly series: 2024-)
    return f"volume-{years}{first.stem}-{last.stem}.pdf"


def build_volume(root: Path, *, year: int | None = None, first: int | None = None, last: int | None = None,
                 output: Path | None = None, renumber: bool = False, report=lambda outcome: None) -> tuple[Path, list[Part]]:
    """Bind the chosen issues of the series at `root` into one PDF. Their PDFs are brought up to date first by
    the batch build (`report` sees its outcomes); any that fails stops the volume (nothing is written)."""
    from . import api
    from .batch import build_many
    context = api.Context.for_root(root)
    chosen = select(root, context.series, year, first, last)
    if not chosen:
        folder = root / "issues"
        end = last if last is not None else "…"
        if first is None and last is None:
            message = _("no issues dated {year} in {folder}")
        elif year is None:
            message = _("no issues numbered {first} to {last} in {folder}")
        else:
            message = _("no issues dated {year} and numbered {first} to {last} in {folder}")
        raise JianbaoError(message.format(year=year, first=first or 1, last=end, folder=folder))
    summary = build_many(chosen, formats=("pdf", "docx"), report=report)
    failed = [o for o in summary.outcomes if o.status == "failed"]
    if failed:
        raise JianbaoError(_("the volume is not bound: {count} of its issues did not build (see above)").format(
            count=len(failed)))
    parts, years = [], set()
    for path in chosen:
        issue, _context = api.read_issue(path, context)
        years.add(issue.date.year)
        tree = api.expand(issue, context.template)
        pdf = (api.output_folder(root, path) / f"{path.stem}.pdf").read_bytes()
        part = describe(issue.number, tree, pdf, context.style)
        part.supplement = issue.supplement
        parts.append(part)
    label = f"{min(years)}年" if len(years) == 1 else f"{min(years)}—{max(years)}年"
    data = bind(parts, context.style, context.fonts, context.series, label, renumber)
    target = output or root / "build" / volume_name(year, chosen)
    target.parent.mkdir(parents=True, exist_ok=True)
    api.write_atomic(target, data)
    return target, parts
