"""Validate YAML nodes into the model, collecting every problem with its place and key path."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import yaml

from .errors import InputErrors, JianbaoError
from .model import (DISTRIBUTION_LABELS, Article, Block, Issue, Masthead, Paragraph, Recipients,
                    Section, Series)
from .source import NOT_IN_XML, compose, location

MAX_LEVEL = 4
SERIES_KEYS = {"masthead", "printer", "template", "distribution", "absent"}
MASTHEAD_KEYS = {"marking", "series", "name", "editor"}
ISSUE_KEYS = {"number", "date", "printed", "total", "copies", "title", "subtitle", "note", "body",
              "articles", "distribution"}
ARTICLE_KEYS = {"title", "subtitle", "body", "source"}
SECTION_KEYS = {"heading", "number", "text", "body"}
INT_TAG = "tag:yaml.org,2002:int"
NULL_TAG = "tag:yaml.org,2002:null"
DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if node.tag == NULL_TAG:
        return "nothing"
    return f"{node.value!r}"


class Reader:
    """Reads one file's nodes; every `error` is kept and raised together at the end."""

    def __init__(self, path: Path):
        self.path = path
        self.errors: list[JianbaoError] = []

    def error(self, node: yaml.Node | None, keypath: str, message: str) -> None:
        prefix = f"{keypath}: " if keypath else ""
        self.errors.append(JianbaoError(prefix + message, location(self.path, node)))

    def finish(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)

    def mapping(self, node, keypath: str, allowed, required: tuple[str, ...] = ()) -> dict:
        """{key: value node} of a mapping, reporting unknown keys (with a suggestion) and missing ones.

        `allowed` is shown in its own order when it is a tuple, sorted when it is a set."""
        shown = list(allowed) if isinstance(allowed, tuple) else sorted(allowed)
        if not isinstance(node, yaml.MappingNode):
            self.error(node, keypath, f"expected a mapping of keys ({', '.join(shown)}), found {_kind(node)}")
            return {}
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            where = f"{keypath}.{key}" if keypath else str(key)
            if key not in allowed:
                close = difflib.get_close_matches(str(key), shown, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f" (expected one of: {', '.join(shown)})"
                self.error(key_node, where, f"unknown key{hint}")
            elif key in out:
                self.error(key_node, where, "duplicate key")
            else:
                out[key] = value_node
        for key in required:
            if key not in out:
                self.error(node, keypath, f"missing required key '{key}'")
        return out

    def text(self, node, keypath: str, required: bool = True) -> str | None:
        """A scalar as the user wrote it (so `2022` stays '2022', never 2022.0)."""
        if isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG:
            value = node.value.strip()
            bad = NOT_IN_XML.search(value)
            if bad:
                self.error(node, keypath, f"control character U+{ord(bad.group()):04X} in the text (an escape such as "
                           "\\b or \\u0008 in quotes): delete it, it cannot be printed")
                return None
            if value or not required:
                return value
            self.error(node, keypath, "expected text, found an empty string")
            return None
        if isinstance(node, yaml.ScalarNode) and not required:
            return ""
        self.error(node, keypath, f"expected text, found {_kind(node)}")
        return None

    def integer(self, node, keypath: str) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG:
            try:
                value = int(node.value.replace("_", ""), 0)
            except ValueError:
                value = None
            if value is not None and 0 < value < 100_000:
                return value
        self.error(node, keypath, f"expected a whole number from 1 to 99999, found {_kind(node)}")
        return None

    def date(self, node, keypath: str) -> dt.date | None:
        m = DATE.match(node.value.strip()) if isinstance(node, yaml.ScalarNode) else None
        if m:
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError as e:
                self.error(node, keypath, f"impossible date {node.value!r} ({e})")
                return None
        self.error(node, keypath, f"expected a date like 2022-01-30, found {_kind(node)}")
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
        self.error(node, keypath, f"expected a list of names, found {_kind(node)}")
        return ()

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

    def blocks(self, node, keypath: str, level: int) -> tuple[Block, ...]:
        if not isinstance(node, yaml.SequenceNode):
            if isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG:
                return self.paragraphs(node, keypath)
            self.error(node, keypath, f"expected a list of paragraphs and sections, found {_kind(node)}")
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
                    self.error(item, where, "a mapping in a body must be a section with 'heading:' "
                               "(if this is a paragraph containing ': ', quote it or use the full-width colon ：)")
                    continue
                section = self.section(item, where, level, count)
                if section:
                    count = section.number
                    out.append(section)
            else:
                self.error(item, where, f"expected a paragraph (text) or a section (heading:), found {_kind(item)}")
        return tuple(out)

    def section(self, node, keypath: str, level: int, previous: int) -> Section | None:
        fields = self.mapping(node, keypath, SECTION_KEYS, ("heading",))
        if level > MAX_LEVEL:
            self.error(node, keypath, f"headings nest at most {MAX_LEVEL} levels deep (一、（一）1.（1）)")
            return None
        heading = self.text(fields["heading"], f"{keypath}.heading") if "heading" in fields else None
        number = previous + 1
        if "number" in fields:
            number = self.integer(fields["number"], f"{keypath}.number") or number
        text = self.text(fields["text"], f"{keypath}.text") if "text" in fields else None
        body = self.blocks(fields["body"], f"{keypath}.body", level + 1) if "body" in fields else ()
        if "text" not in fields and "body" not in fields:
            self.error(node, keypath, "a heading needs 'body:' (a list of paragraphs) or 'text:' (a run-in paragraph)")
        if heading is None:
            return None
        return Section(heading, level, number, text, body, node.start_mark.line + 1, node.start_mark.column + 1)


def _compose_mapping(path: Path, what: str):
    root = compose(path)
    if root is None:
        raise JianbaoError(f"the file is empty (expected the {what}'s keys)", location(path, None))
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
        r.error(fields.get("template"), "template", f"{template!r} is not a template folder name (letters, digits, - _ .)")
    distribution = r.distribution(fields["distribution"], "distribution") if "distribution" in fields else ()
    absent = set()
    if "absent" in fields:
        node = fields["absent"]
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        absent = {n for i, item in enumerate(items) if (n := r.integer(item, f"absent[{i}]"))}
    r.finish()
    return Series(root_dir, masthead, printer, template, distribution, frozenset(absent))


def load_issue(path: Path, series: Series, root: yaml.Node | None = None) -> Issue:
    """The issue in `path` (its YAML nodes `root` when the caller has composed them already)."""
    r = Reader(path)
    if root is None:
        root = _compose_mapping(path, "issue")
    fields = r.mapping(root, "", ISSUE_KEYS, ("number", "date"))
    number = r.integer(fields["number"], "number") if "number" in fields else None
    date = r.date(fields["date"], "date") if "date" in fields else None
    printed = r.date(fields["printed"], "printed") if "printed" in fields else date
    total = r.integer(fields["total"], "total") if "total" in fields else None
    copies = r.integer(fields["copies"], "copies") if "copies" in fields else None
    note = r.paragraphs(fields["note"], "note") if "note" in fields else ()

    m = re.fullmatch(r"0*(\d+)", path.stem)
    if number is not None and m and int(m.group(1)) != number:
        r.error(fields["number"], "number", f"is {number} but the file name says {int(m.group(1))} "
                f"(rename the file to {number:03d}.yaml or fix the number)")

    articles: list[Article] = []
    if "articles" in fields:
        for key in ("title", "subtitle", "body"):
            if key in fields:
                r.error(fields[key], key, "an issue with 'articles:' gives each article its own title and body")
        node = fields["articles"]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            r.error(node, "articles", f"expected a list of articles (each with title: and body:), found {_kind(node)}")
        else:
            for i, item in enumerate(node.value):
                where = f"articles[{i}]"
                af = r.mapping(item, where, ARTICLE_KEYS, ("title", "body"))
                if "title" in af and "body" in af:
                    articles.append(Article(
                        title=r.text(af["title"], f"{where}.title") or "",
                        subtitle=r.text(af["subtitle"], f"{where}.subtitle") if "subtitle" in af else None,
                        body=r.blocks(af["body"], f"{where}.body", 1),
                        source=r.text(af["source"], f"{where}.source") if "source" in af else None,
                        line=item.start_mark.line + 1))
    else:
        for key in ("title", "body"):
            if key not in fields:
                r.error(root, "", f"missing required key '{key}' (or 'articles:' for an issue with several articles)")
        if "title" in fields and "body" in fields:
            articles.append(Article(
                title=r.text(fields["title"], "title") or "",
                subtitle=r.text(fields["subtitle"], "subtitle") if "subtitle" in fields else None,
                body=r.blocks(fields["body"], "body", 1),
                source=None,
                line=fields["title"].start_mark.line + 1))
    distribution = (r.distribution(fields["distribution"], "distribution")
                    if "distribution" in fields else series.distribution)
    r.finish()
    return Issue(path=path, series=series, number=number, date=date, printed=printed, total=total,
                 copies=copies, note=note, articles=tuple(articles), distribution=distribution,
                 line_of={key: node.start_mark.line + 1 for key, node in fields.items()})
