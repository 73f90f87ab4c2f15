"""Validate YAML nodes into the model, collecting every problem with its place and key path."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import yaml

from . import headings
from .errors import InputErrors, JianbaoError, Shown, listing
from .i18n import _
from .model import (DEFAULT_FORMATS, DISTRIBUTION_LABELS, FORMATS, Article, Block, Issue, Masthead, Paragraph,
                    Picture, Pictures, Recipients, Section, Series, Table)
from .source import NOT_IN_XML, compose, location

MAX_LEVEL = 4
SERIES_KEYS = {"masthead", "printer", "template", "distribution", "absent", "yearly", "first_total", "heading_numbers",
               "preprinted", "formats"}
MASTHEAD_KEYS = {"marking", "series", "name", "editor"}
ISSUE_KEYS = {"number", "date", "printed", "total", "copies", "title", "subtitle", "note", "body",
              "articles", "distribution", "heading_numbers"}
ARTICLE_KEYS = {"title", "subtitle", "body", "source"}
SECTION_KEYS = {"heading", "number", "text", "body", "heading_numbers"}
PICTURE_KEYS = ("image", "caption", "width")
PICTURES_ITEM_KEYS = ("image", "caption")
TABLE_KEYS = ("title", "header", "rows", "widths", "align", "note")
ALIGNS = ("left", "center", "right")
WIDTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*$")
INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# issues/NNN.yaml, issues/zNN.yaml (增刊), and in a yearly series the same in issues/YYYY/
ISSUE_STEM = re.compile(r"(z?)0*(\d+)")
YEAR_FOLDER = re.compile(r"(19|20|21)\d\d")


def _kind(node: yaml.Node | None) -> str:
    """What was written where something else was expected, as the messages' `found …` says it."""
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    if node is None or node.tag == NULL_TAG:
        return _("nothing")
    return _("{value!r}").format(value=Shown(node.value))


class Reader:
    """Reads one file's nodes; every `error` is kept and raised together at the end."""

    def __init__(self, path: Path, root: Path | None = None):
        self.path = path
        self.root = root           # the series folder: pictures are looked for inside it
        self.errors: list[JianbaoError] = []

    def error(self, node: yaml.Node | None, keypath: str, message: str) -> None:
        if keypath:
            message = _("{keypath}: {message}").format(keypath=keypath, message=message)
        self.errors.append(JianbaoError(message, location(self.path, node)))

    def finish(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)

    def mapping(self, node, keypath: str, allowed, required: tuple[str, ...] = ()) -> dict:
        """{key: value node} of a mapping, reporting unknown keys (with a suggestion) and missing ones.

        `allowed` is shown in its own order when it is a tuple, sorted when it is a set."""
        shown = list(allowed) if isinstance(allowed, tuple) else sorted(allowed)
        if not isinstance(node, yaml.MappingNode):
            self.error(node, keypath, _("expected a mapping of keys ({keys}), found {found}").format(
                keys=listing(shown), found=_kind(node)))
            return {}
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            where = f"{keypath}.{key}" if keypath else str(key)
            if key not in allowed:
                close = difflib.get_close_matches(str(key), shown, n=1, cutoff=0.6)
                if close:
                    self.error(key_node, where, _("unknown key; did you mean '{key}'?").format(key=close[0]))
                else:
                    self.error(key_node, where, _("unknown key (expected one of: {keys})").format(keys=listing(shown)))
            elif key in out:
                self.error(key_node, where, _("duplicate key"))
            else:
                out[key] = value_node
        for key in required:
            if key not in out:
                self.error(node, keypath, _("missing required key '{key}'").format(key=key))
        return out

    def text(self, node, keypath: str, required: bool = True) -> str | None:
        """A scalar as the user wrote it (so `2022` stays '2022', never 2022.0)."""
        if isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG:
            value = node.value.strip()
            bad = NOT_IN_XML.search(value)
            if bad:
                self.error(node, keypath, _("control character {code} in the text (an escape such as \\b or \\u0008 in "
                                            "quotes): delete it, it cannot be printed").format(
                    code=f"U+{ord(bad.group()):04X}"))
                return None
            if value or not required:
                return value
            self.error(node, keypath, _("expected text, found an empty string"))
            return None
        if isinstance(node, yaml.ScalarNode) and not required:
            return ""
        self.error(node, keypath, _("expected text, found {found}").format(found=_kind(node)))
        return None

    def integer(self, node, keypath: str) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG:
            try:
                value = int(node.value.replace("_", ""), 0)
            except ValueError:
                value = None
            if value is not None and 0 < value < 100_000:
                return value
        self.error(node, keypath, _("expected a whole number from 1 to 99999, found {found}").format(found=_kind(node)))
        return None

    def boolean(self, node, keypath: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL_TAG:
            return node.value.lower() in ("true", "yes", "on")
        self.error(node, keypath, _("expected true or false, found {found}").format(found=_kind(node)))
        return False

    def heading_numbers(self, node, keypath: str) -> tuple[str, ...]:
        """A list of number styles, one per level: 一、 （一） 1. （1） ① or "" (none)."""
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.error(node, keypath, _("expected a list of number styles, one per heading level, such as "
                                        "[一、, 1., （1）], found {found}").format(found=_kind(node)))
            return ()
        out = []
        for i, item in enumerate(node.value):
            where = f"{keypath}[{i}]"
            value = item.value.strip() if isinstance(item, yaml.ScalarNode) and item.tag != NULL_TAG else None
            if value in headings.STYLES:
                out.append(value)
                continue
            close = headings.suggestion(value) if value is not None else None
            if close is not None:       # (the styles listed are headings.STYLES)
                message = _("{found} is not a number style (one of 一、, （一）, 1., （1）, ①, \"\"); did you mean "
                            "'{style}'?").format(found=_kind(item), style=close)
            else:
                message = _("{found} is not a number style (one of 一、, （一）, 1., （1）, ①, \"\")").format(
                    found=_kind(item))
            self.error(item, where, message)
        if len(out) > MAX_LEVEL:
            self.error(node, keypath, _("{count} styles, but headings nest at most {levels} levels deep").format(
                count=len(out), levels=MAX_LEVEL))
        return tuple(out)

    def date(self, node, keypath: str) -> dt.date | None:
        m = DATE.match(node.value.strip()) if isinstance(node, yaml.ScalarNode) else None
        if m:
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError:
                self.error(node, keypath, _("impossible date {date}").format(date=node.value.strip()))
                return None
        self.error(node, keypath, _("expected a date like 2022-01-30, found {found}").format(found=_kind(node)))
        return None

    def names(self, node, keypath: str) -> tuple[str, ...]:
        """A list of texts; a single text is a list of one; nothing is an empty list."""
        if isinstance(node, yaml.ScalarNode):
            if node.tag == NULL_TAG:
                return ()
            value = self.text(node, keypath)
            return (value,) if value else ()
        if isinstance(node, yaml.SequenceNode):
            out = []
            for i, item in enumerate(node.value):
                value = self.text(item, f"{keypath}[{i}]")
                if value:
                    out.append(value)
            return tuple(out)
        self.error(node, keypath, _("expected a list of names, found {found}").format(found=_kind(node)))
        return ()

    def formats(self, node, keypath: str) -> tuple[str, ...]:
        """`formats: [pdf, docx, ofd]` (or one format): known formats, each once, at least one."""
        if not isinstance(node, (yaml.SequenceNode, yaml.ScalarNode)) or node.tag == NULL_TAG:
            self.error(node, keypath, _("expected a list of formats ({formats}), found {found}").format(
                formats=listing(FORMATS), found=_kind(node)))
            return DEFAULT_FORMATS
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out: list[str] = []
        for i, item in enumerate(items):
            where = f"{keypath}[{i}]" if isinstance(node, yaml.SequenceNode) else keypath
            value = self.text(item, where)
            if value is None:
                continue
            fmt = value.lower()
            if fmt not in FORMATS:
                close = difflib.get_close_matches(fmt, FORMATS, n=1, cutoff=0.6)
                if close:
                    message = _("unknown format {value!r} (expected some of: {formats}); did you mean '{format}'?")
                else:
                    message = _("unknown format {value!r} (expected some of: {formats})")
                self.error(item, where, message.format(value=Shown(value), formats=listing(FORMATS),
                                                       format=close[0] if close else ""))
            elif fmt in out:
                self.error(item, where, _("{format!r} is listed twice").format(format=Shown(fmt)))
            else:
                out.append(fmt)
        if not items:
            self.error(node, keypath, _("expected a list of formats ({formats}), found an empty list").format(
                formats=listing(FORMATS)))
        return tuple(out) or DEFAULT_FORMATS

    def distribution(self, node, keypath: str) -> tuple[Recipients, ...]:
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return ()
        fields = self.mapping(node, keypath, DISTRIBUTION_LABELS)
        return tuple(Recipients(label, self.names(fields[label], f"{keypath}.{label}"), fields[label].start_mark.line + 1)
                     for label in DISTRIBUTION_LABELS if label in fields)

    def paragraphs(self, node, keypath: str) -> tuple[Paragraph, ...]:
        if isinstance(node, yaml.SequenceNode):
            items = [(item, f"{keypath}[{i}]") for i, item in enumerate(node.value)]
        else:
            items = [(node, keypath)]
        out = []
        for item, where in items:
            value = self.text(item, where)
            if value:
                out.append(Paragraph(value, item.start_mark.line + 1))
        return tuple(out)

    def blocks(self, node, keypath: str, level: int, styles: tuple[str, ...] = headings.DEFAULT) -> tuple[Block, ...]:
        """The paragraphs and sections of a body at heading level `level`; `styles` = the number style of every
        level (index 0: level 1)."""
        if not isinstance(node, yaml.SequenceNode):
            if isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG:
                return self.paragraphs(node, keypath)
            self.error(node, keypath, _("expected a list of paragraphs and sections, found {found}").format(
                found=_kind(node)))
            return ()
        out: list[Block] = []
        count = 0
        for i, item in enumerate(node.value):
            where = f"{keypath}[{i}]"
            if isinstance(item, yaml.ScalarNode):
                value = self.text(item, where)
                if value:
                    out.append(Paragraph(value, item.start_mark.line + 1))
            elif isinstance(item, yaml.MappingNode):
                keys = {k.value for k, _ in item.value if isinstance(k, yaml.ScalarNode)}
                if "heading" not in keys:
                    block = self.figure_or_table(item, where, keys)
                    if block is not None:
                        out.append(block)
                    continue
                section = self.section(item, where, level, count, styles)
                if section:
                    count = section.number
                    out.append(section)
            else:
                self.error(item, where, _("expected a paragraph (text) or a section (heading:), found {found}").format(
                    found=_kind(item)))
        return tuple(out)

    def figure_or_table(self, node, keypath: str, keys: set) -> Block | None:
        """A picture (`image:`), pictures side by side (`images:`) or a table (`table:`) in a body."""
        start = (node.start_mark.line + 1, node.start_mark.column + 1)
        if "image" in keys:
            return self.picture(node, keypath, PICTURE_KEYS)
        if "images" in keys:
            fields = self.mapping(node, keypath, ("images",))
            items = fields.get("images")
            if not isinstance(items, yaml.SequenceNode) or not 2 <= len(items.value) <= 3:
                if isinstance(items, yaml.SequenceNode):
                    message = _("expected a list of 2 or 3 pictures ({{image: …, caption: …}}) to set side by side, "
                                "found a list of {count}").format(count=len(items.value))
                else:
                    message = _("expected a list of 2 or 3 pictures ({{image: …, caption: …}}) to set side by side, "
                                "found {found}").format(found=_kind(items))
                self.error(items if items is not None else node, f"{keypath}.images", message)
                return None
            pictures = [self.picture(item, f"{keypath}.images[{i}]", PICTURES_ITEM_KEYS)
                        for i, item in enumerate(items.value)]
            if any(p is None for p in pictures):
                return None
            return Pictures(tuple(pictures), *start)
        if "table" in keys:
            fields = self.mapping(node, keypath, ("table",))
            return self.table(fields["table"], f"{keypath}.table", start) if "table" in fields else None
        self.error(node, keypath, _("a mapping in a body must be a section with 'heading:', a picture with 'image:', "
                                    "pictures side by side with 'images:' or a table with 'table:' (if this is a "
                                    "paragraph containing ': ', quote it or use the full-width colon ：)"))
        return None

    def picture(self, node, keypath: str, allowed: tuple[str, ...]) -> Picture | None:
        from . import pictures

        fields = self.mapping(node, keypath, allowed, ("image",))
        if "image" not in fields:
            return None
        where = f"{keypath}.image"
        written = self.text(fields["image"], where)
        caption = self.text(fields["caption"], f"{keypath}.caption", required=False) if "caption" in fields else None
        width = None
        if "width" in fields:
            w = fields["width"]
            m = WIDTH.match(w.value) if isinstance(w, yaml.ScalarNode) and w.tag != NULL_TAG else None
            width = float(m.group(1)) if m else None
            if width is None or not 1 <= width <= 100:
                self.error(w, f"{keypath}.width", _("expected a share of the text width from 1% to 100%, such as 60%, "
                                                    "found {found}").format(found=_kind(w)))
                width = None
        if written is None:
            return None
        written = written.replace("\\", "/")           # photos\a.jpg as Windows users write it
        if self.root is None:
            self.error(fields["image"], where, _("pictures need the series folder they are in"))
            return None
        try:
            pictures.inspect(self.root, written)
        except pictures.PictureError as e:
            self.error(fields["image"], where, str(e))
            return None
        mark = fields["image"].start_mark
        return Picture(written, caption or None, width, mark.line + 1, mark.column + 1)

    def table(self, node, keypath: str, start: tuple[int, int]) -> Table | None:
        fields = self.mapping(node, keypath, TABLE_KEYS, ("header", "rows"))
        if "header" not in fields or "rows" not in fields:
            return None
        title = self.text(fields["title"], f"{keypath}.title") if "title" in fields else None
        note = self.text(fields["note"], f"{keypath}.note") if "note" in fields else None

        def cells(row_node, where: str) -> tuple[list[str], list[tuple[int, int]]] | None:
            if not isinstance(row_node, yaml.SequenceNode) or not row_node.value:
                self.error(row_node, where, _("expected a list of cells, found {found}").format(found=_kind(row_node)))
                return None
            texts, places = [], []
            for i, cell in enumerate(row_node.value):
                if isinstance(cell, yaml.ScalarNode):
                    texts.append(cell.value.strip() if cell.tag != NULL_TAG else "")
                    places.append((cell.start_mark.line + 1, cell.start_mark.column + 1))
                else:
                    self.error(cell, f"{where}[{i}]", _("expected the text of a cell, found {found}").format(
                        found=_kind(cell)))
                    return None
            return texts, places

        header = cells(fields["header"], f"{keypath}.header")
        columns = len(header[0]) if header else 0
        rows, places = [], []
        rows_node = fields["rows"]
        if not isinstance(rows_node, yaml.SequenceNode) or not rows_node.value:
            self.error(rows_node, f"{keypath}.rows", _("expected a list of rows (each a list of cells), "
                                                       "found {found}").format(found=_kind(rows_node)))
        else:
            for i, row_node in enumerate(rows_node.value):
                got = cells(row_node, f"{keypath}.rows[{i}]")
                if got is None:
                    continue
                if header and len(got[0]) != columns:
                    self.error(row_node, f"{keypath}.rows[{i}]", _("{count} cells, but the header has {columns} "
                                                                   "columns").format(count=len(got[0]),
                                                                                     columns=columns))
                    continue
                rows.append(tuple(got[0]))
                places.append(tuple(got[1]))

        def per_column(key: str, read) -> tuple | None:
            if key not in fields:
                return None
            n = fields[key]
            if not isinstance(n, yaml.SequenceNode) or (header and len(n.value) != columns):
                if isinstance(n, yaml.SequenceNode):
                    message = _("expected a list of {columns} values, one per column, found a list of {count}").format(
                        columns=columns, count=len(n.value))
                else:
                    message = _("expected a list of {columns} values, one per column, found {found}").format(
                        columns=columns, found=_kind(n))
                self.error(n, f"{keypath}.{key}", message)
                return None
            out = [read(item, f"{keypath}.{key}[{i}]") for i, item in enumerate(n.value)]
            return None if any(v is None for v in out) else tuple(out)

        def width(item, where):
            try:
                value = float(item.value) if isinstance(item, yaml.ScalarNode) and item.tag != NULL_TAG else 0.0
            except ValueError:
                value = 0.0
            if value > 0:
                return value
            self.error(item, where, _("expected a relative width (a number above 0), found {found}").format(
                found=_kind(item)))
            return None

        def align(item, where):
            value = item.value.strip().lower() if isinstance(item, yaml.ScalarNode) else None
            value = "center" if value == "centre" else value
            if value in ALIGNS:
                return value
            self.error(item, where, _("expected one of {values}, found {found}").format(values=listing(ALIGNS),
                                                                                      found=_kind(item)))
            return None

        widths = per_column("widths", width)
        aligns = per_column("align", align)
        if header is None or not rows:
            return None
        return Table(title, tuple(header[0]), tuple(rows), widths, aligns, note, *start, cells=tuple(places),
                     head=tuple(header[1]))

    def section(self, node, keypath: str, level: int, previous: int, styles: tuple[str, ...]) -> Section | None:
        fields = self.mapping(node, keypath, SECTION_KEYS, ("heading",))
        if level > MAX_LEVEL:
            self.error(node, keypath, _("headings nest at most {levels} levels deep (一、（一）1.（1）)").format(
                levels=MAX_LEVEL))
            return None
        heading = self.text(fields["heading"], f"{keypath}.heading") if "heading" in fields else None
        number = previous + 1
        if "number" in fields:
            number = self.integer(fields["number"], f"{keypath}.number") or number
        text = self.text(fields["text"], f"{keypath}.text") if "text" in fields else None
        label = ""
        try:
            label = headings.label(styles[level - 1], number)
        except ValueError as e:
            self.error(fields.get("number", node), keypath,
                       _("{reason} (choose another style in heading_numbers:)").format(reason=e))
        if "heading_numbers" in fields:          # the styles of its subsections, from the next level on
            own = self.heading_numbers(fields["heading_numbers"], f"{keypath}.heading_numbers")
            styles = styles[:level] + headings.per_level(own, MAX_LEVEL)[:MAX_LEVEL - level]
        body = self.blocks(fields["body"], f"{keypath}.body", level + 1, styles) if "body" in fields else ()
        if "text" not in fields and "body" not in fields:
            self.error(node, keypath, _("a heading needs 'body:' (a list of paragraphs) or 'text:' "
                                        "(a run-in paragraph)"))
        if heading is None:
            return None
        return Section(heading, level, number, text, body, node.start_mark.line + 1, node.start_mark.column + 1, label)


def _compose_mapping(path: Path, what: str):
    root = compose(path)
    if root is None:
        empty = (_("the file is empty (expected the series's keys)") if what == "series" else
                 _("the file is empty (expected the issue's keys)"))
        raise JianbaoError(empty, location(path, None))
    return root


def load_series(root_dir: Path) -> Series:
    """jianbao.yaml of the series at root_dir; a folder without one gets empty defaults."""
    path = root_dir / "jianbao.yaml"
    if not path.exists():
        return Series(root_dir, Masthead("", "", "简报", ""), "", "default", ())
    r = Reader(path)
    fields = r.mapping(_compose_mapping(path, "series"), "", SERIES_KEYS)
    mfields = r.mapping(fields["masthead"], "masthead", MASTHEAD_KEYS) if "masthead" in fields else {}

    def opt(node_fields, key, keypath, default=""):
        return r.text(node_fields[key], keypath, required=False) if key in node_fields else default

    masthead = Masthead(
        marking=opt(mfields, "marking", "masthead.marking"),
        series=opt(mfields, "series", "masthead.series"),
        name=opt(mfields, "name", "masthead.name", "简报") or "简报",
        editor=opt(mfields, "editor", "masthead.editor"),
    )
    printer = opt(fields, "printer", "printer")
    template = opt(fields, "template", "template", "default") or "default"
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", template) or template.startswith("."):
        r.error(fields.get("template"), "template", _("{name!r} is not a template folder name (letters, digits, - _ .)")
                .format(name=Shown(template)))
    distribution = r.distribution(fields["distribution"], "distribution") if "distribution" in fields else ()
    yearly = r.boolean(fields["yearly"], "yearly") if "yearly" in fields else False
    first_total = r.integer(fields["first_total"], "first_total") if "first_total" in fields else None
    numbers = r.heading_numbers(fields["heading_numbers"], "heading_numbers") if "heading_numbers" in fields else ()
    absent = _absent(r, fields["absent"], yearly) if "absent" in fields else set()
    preprinted = r.boolean(fields["preprinted"], "preprinted") if "preprinted" in fields else False
    formats = r.formats(fields["formats"], "formats") if "formats" in fields else DEFAULT_FORMATS
    r.finish()
    return Series(root_dir, masthead, printer, template, distribution, frozenset(absent), yearly, first_total, numbers,
                  preprinted, formats)


def _absent(r: Reader, node, yearly: bool) -> set[tuple[int | None, int]]:
    """`absent: [9, 10]` (a flat series) or `absent: {2023: [11, 12]}` (a yearly one): (year or None, number)."""
    def numbers(value, keypath):
        items = value.value if isinstance(value, yaml.SequenceNode) else [value]
        return [n for i, item in enumerate(items) if (n := r.integer(item, f"{keypath}[{i}]"))]

    if not yearly:
        if isinstance(node, yaml.MappingNode):
            r.error(node, "absent", _("numbers by year are for a yearly series (`yearly: true`); "
                                      "a flat series lists numbers: absent: [9, 10]"))
            return set()
        return {(None, n) for n in numbers(node, "absent")}
    if not isinstance(node, yaml.MappingNode):
        r.error(node, "absent", _("in a yearly series, list the absent issues by year: absent: {{2023: [11, 12]}}, "
                                  "found {found}").format(found=_kind(node)))
        return set()
    out = set()
    for key, value in node.value:
        year = key.value if isinstance(key, yaml.ScalarNode) else ""
        if not YEAR_FOLDER.fullmatch(str(year)):
            r.error(key, f"absent.{year}", _("expected a year such as 2023"))
            continue
        out |= {(int(year), n) for n in numbers(value, f"absent.{year}")}
    return out


def load_issue(path: Path, series: Series, root: yaml.Node | None = None) -> Issue:
    """The issue in `path` (its YAML nodes `root` when the caller has composed them already)."""
    r = Reader(path, series.root)
    if root is None:
        root = _compose_mapping(path, "issue")
    fields = r.mapping(root, "", ISSUE_KEYS, ("number", "date"))
    number = r.integer(fields["number"], "number") if "number" in fields else None
    date = r.date(fields["date"], "date") if "date" in fields else None
    printed = r.date(fields["printed"], "printed") if "printed" in fields else date
    total = r.integer(fields["total"], "total") if "total" in fields else None
    copies = r.integer(fields["copies"], "copies") if "copies" in fields else None
    note = r.paragraphs(fields["note"], "note") if "note" in fields else ()
    styles = series.heading_numbers
    if "heading_numbers" in fields:
        styles = r.heading_numbers(fields["heading_numbers"], "heading_numbers")
    styles = headings.per_level(styles, MAX_LEVEL)

    m = ISSUE_STEM.fullmatch(path.stem)
    supplement = bool(m and m.group(1))
    if number is not None and m and int(m.group(2)) != number:
        r.error(fields["number"], "number", _("is {number} but the file name says {named} (rename the file to {name} "
                                              "or fix the number)").format(
            number=number, named=int(m.group(2)), name=('z%02d' % number if supplement else '%03d' % number) + ".yaml"))
    year = int(path.parent.name) if YEAR_FOLDER.fullmatch(path.parent.name) else None

    articles: list[Article] = []
    if "articles" in fields:
        for key in ("title", "subtitle", "body"):
            if key in fields:
                r.error(fields[key], key, _("an issue with 'articles:' gives each article its own title and body"))
        node = fields["articles"]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            r.error(node, "articles", _("expected a list of articles (each with title: and body:), found {found}")
                    .format(found=_kind(node)))
        else:
            for i, item in enumerate(node.value):
                where = f"articles[{i}]"
                af = r.mapping(item, where, ARTICLE_KEYS, ("title", "body"))
                if "title" in af and "body" in af:
                    articles.append(Article(
                        title=r.text(af["title"], f"{where}.title") or "",
                        subtitle=r.text(af["subtitle"], f"{where}.subtitle") if "subtitle" in af else None,
                        body=r.blocks(af["body"], f"{where}.body", 1, styles),
                        source=r.text(af["source"], f"{where}.source") if "source" in af else None,
                        line=item.start_mark.line + 1))
    else:
        for key in ("title", "body"):
            if key not in fields:
                r.error(root, "", _("missing required key '{key}' (or 'articles:' for an issue with several "
                                    "articles)").format(key=key))
        if "title" in fields and "body" in fields:
            articles.append(Article(
                title=r.text(fields["title"], "title") or "",
                subtitle=r.text(fields["subtitle"], "subtitle") if "subtitle" in fields else None,
                body=r.blocks(fields["body"], "body", 1, styles),
                source=None,
                line=fields["title"].start_mark.line + 1))
    distribution = (r.distribution(fields["distribution"], "distribution")
                    if "distribution" in fields else series.distribution)
    r.finish()
    return Issue(path=path, series=series, number=number, date=date, printed=printed, total=total,
                 copies=copies, note=note, articles=tuple(articles), distribution=distribution,
                 line_of={key: node.start_mark.line + 1 for key, node in fields.items()},
                 year=year, supplement=supplement)
