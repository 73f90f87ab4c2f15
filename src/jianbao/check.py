"""`jianbao check`: the mistakes of text copied out of Word and WeChat, found before a bulletin goes out.

Each finding is `FILE:LINE:COL: rule-id: message`. Text rules look at the source text of every
scalar the user wrote, so locations point into the file and `--fix` can edit the file in place,
keeping comments and layout.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import api, textrules
from .errors import JianbaoError
from .i18n import N_, _
from .source import compose, read_text
from .textrules import View


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    rule: str
    message: str
    severity: str = "warning"           # warning | error | advice (never fails a run, even --strict)
    fix: tuple[int, int, str] | None = None   # (start, end, replacement) in the file's text

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.rule}: {self.message}"


# --------------------------------------------------------------------------- walking the file

def _scalars(node, path: str, kind: str, level: int = 0, section=None):
    """(node, key path, kind, heading level, section) of each text scalar the user wrote, wherever it sits: the
    kinds of textrules.View (para for body, text and note paragraphs); `section`: the (line, column) of the section
    a heading belongs to."""
    if isinstance(node, yaml.ScalarNode):
        yield node, path, kind, level, section
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _scalars(item, f"{path}[{i}]", kind, level)
    elif isinstance(node, yaml.MappingNode):
        keys = {getattr(k, "value", None) for k, _ in node.value}
        for k, v in node.value:
            key = getattr(k, "value", "")
            where = f"{path}.{key}" if path else str(key)
            if kind == "name":
                yield from _scalars(v, where, "name", level)
            elif key == "heading":
                yield from _scalars(v, where, "runin" if "text" in keys else "heading", level + 1,
                                    (node.start_mark.line + 1, node.start_mark.column + 1))
            elif key == "body":
                yield from _scalars(v, where, "para", level + 1 if "heading" in keys else level)
            elif key in ("text", "note"):
                yield from _scalars(v, where, "para", level)
            elif key in ("title", "subtitle", "source"):
                yield from _scalars(v, where, key, level)
            elif key == "caption":                 # a picture's caption: the rules of a line, no end rule
                yield from _scalars(v, where, "source", level)
            elif key == "images":
                yield from _scalars(v, where, kind, level)
            elif key == "distribution":
                yield from _scalars(v, where, "name", level)
            elif key == "articles":
                yield from _scalars(v, where, kind, level)


def scalar_view(text: str, node: yaml.ScalarNode, kind: str, level: int) -> tuple[View, list[int]]:
    """The scalar's text as the rules see it (textrules.View) and, for each of its characters (and its end), the
    index in the file's text: block indentation, the indicator line of `|` and `>`, and the indentation of the
    continuation lines of a multi-line text are left out; lines are joined by \\n."""
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("|", ">"):
        start = text.index("\n", start) + 1 if "\n" in text[start:end] else end
        lines, pos, indent = [], [], None
        for line in text[start:end].split("\n"):
            stripped = line.lstrip(" ")
            if stripped and indent is None:
                indent = len(line) - len(stripped)
            if stripped and len(line) - len(stripped) < (indent or 0):
                break
            cut = min(indent or 0, len(line) - len(stripped))
            lines.append((start, cut, line[cut:]))
            start += len(line) + 1
        while lines and not lines[-1][2].strip():
            lines.pop()
    else:
        if node.style in ('"', "'"):
            start, end = start + 1, end - 1
        lines, pos = [], []
        for i, line in enumerate(text[start:end].split("\n")):
            cut = len(line) - len(line.lstrip(" \t")) if i else 0
            lines.append((start, cut, line[cut:]))
            start += len(line) + 1
    raw = []
    for n, (offset, cut, line) in enumerate(lines):
        if n:
            raw.append("\n")
            pos.append(offset - 1)           # the line break in the file
        raw.append(line)
        pos.extend(range(offset + cut, offset + cut + len(line)))
    pos.append(pos[-1] + 1 if pos else node.start_mark.index)
    return View("".join(raw), kind, level, folded=node.style != "|"), pos


def text_findings(path: Path, text: str, root, unnumbered=frozenset()) -> list[Finding]:
    """The text rules' findings on every text of the file; `unnumbered`: the (line, column) of the sections whose
    number style prints no number (there a heading may carry its own)."""
    out = []
    starts = [0] + [m.end() for m in re.finditer("\n", text)]       # where each line begins

    def position(index: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, index)
        return line, index - starts[line - 1] + 1
    for node, keypath, kind, level, section in _scalars(root, "", ""):
        if node.tag != "tag:yaml.org,2002:str" and kind != "para":
            continue
        view, pos = scalar_view(text, node, kind, level)
        escapes = node.style in ('"', "'")      # never cut into an escape sequence or a doubled ''
        for a, b, rule_id, message, replacement in textrules.findings(view):
            if rule_id == "heading-number" and section in unnumbered:
                continue
            line, col = position(pos[a])
            fix = None
            if replacement is not None and pos[b] - pos[a] == b - a and "\n" not in view.raw[a:b] and \
                    not (escapes and ("\\" in view.raw[a:b] or "'" in view.raw[a:b])) and \
                    (node.style or _plain_after(view.raw, a, b, replacement)):
                fix = (pos[a], pos[b], replacement)
            message = _("{keypath}: {message}").format(keypath=keypath, message=message)
            out.append(Finding(str(path), line, col, rule_id, message, "warning", fix))
        if node.style == '"' and "\\" in view.raw:
            out += _escaped_spaces(path, node, keypath, view.raw)
    return out


PLAIN_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")


def _plain_after(raw: str, a: int, b: int, replacement: str) -> bool:
    """Whether an unquoted text stays the same text for YAML once raw[a:b] is replaced: it must not start with an
    indicator (deleting the pasted indentation of '　　**一是……**' would make an alias of it), nor gain a comment
    (' #') or a mapping (': ')."""
    new = raw[:a] + replacement + raw[b:]
    if not new.strip() or new.startswith(PLAIN_INDICATORS):
        return False
    return all(new.count(s) == raw.count(s) for s in (" #", "\t#", "\n#", ": "))


def _escaped_spaces(path: Path, node, keypath: str, raw: str) -> list[Finding]:
    """Invisible characters and odd spaces written as escapes ("\\t", "\\u00a0") in a double-quoted text."""
    out = []
    for m in (*textrules.INVISIBLE.finditer(node.value), *textrules.ODD_SPACE.finditer(node.value)):
        if m.group()[0] not in raw:
            rule_id = "invisible-char" if textrules.INVISIBLE.match(m.group()) else "odd-space"
            out.append(Finding(str(path), node.start_mark.line + 1, node.start_mark.column + 1, rule_id,
                               _("{keypath}: U+{code} written as an escape in this text: delete it").format(
                                   keypath=keypath, code=f"{ord(m.group()[0]):04X}")))
    return out


def _unnumbered(issue) -> frozenset:
    """(line, column) of the sections printed without a number (the number style "" of `heading_numbers:`)."""
    out = set()

    def walk(blocks):
        for block in blocks:
            if hasattr(block, "heading"):
                if not block.label:
                    out.add((block.line, block.column))
                walk(block.body)
    for article in issue.articles:
        walk(article.body)
    return frozenset(out)


def structure_findings(path: Path, issue) -> list[Finding]:
    """Numbering that skips or repeats after `number:` overrides; sections with nothing in them."""
    out = []

    def walk(blocks, where):
        previous = 0
        for block in blocks:
            if hasattr(block, "heading"):
                if block.number == previous:
                    out.append(Finding(str(path), block.line, block.column, "numbering",
                                       _("{where}: heading number {number} repeats the previous one").format(
                                           where=where, number=block.number)))
                elif block.number > previous + 1 and previous:
                    out.append(Finding(str(path), block.line, block.column, "numbering",
                                       _("{where}: heading numbering jumps from {previous} to {number}").format(
                                           where=where, previous=previous, number=block.number)))
                previous = block.number
                if not block.body and not block.text:
                    out.append(Finding(str(path), block.line, block.column, "empty-section",
                                       _("section '{heading}' is empty").format(heading=block.heading)))
                walk(block.body, where)
    for article in issue.articles:
        walk(article.body, "body")
        if not article.body:
            out.append(Finding(str(path), article.line, 1, "empty-section",
                               _("article '{title}' has no body").format(title=article.title)))
    return out


def series_findings(issues: list[tuple[Path, object]], today: dt.date, absent=frozenset(), series=None) -> list[Finding]:
    """Numbers duplicated or missing in the series, 总第 that disagree with its history, issues in the wrong year
    folder; dates out of order or in the future. `absent`: (year or None, number) of the issues published
    elsewhere (plain numbers: a flat series); `series`: its settings (yearly, first_total, absent)."""
    from .history import issue_refs

    if series is not None:
        absent = series.absent
    absent = {a if isinstance(a, tuple) else (None, a) for a in absent}
    absent = {(year or 0, n) for year, n in absent}
    out = []
    ordered = sorted(issues, key=lambda pi: (pi[1].year or 0, pi[1].supplement, pi[1].number, str(pi[0])))
    sequences: dict[tuple[int, bool], list[tuple[Path, object]]] = {}
    for path, issue in ordered:
        sequences.setdefault((issue.year or 0, issue.supplement), []).append((path, issue))

    def name(issue, number=None) -> str:
        number = issue.number if number is None else number
        if issue.supplement:
            shown = _("supplement {number} of {year}") if issue.year else _("supplement {number}")
        else:
            shown = _("issue {number} of {year}") if issue.year else _("issue {number}")
        return shown.format(number=number, year=issue.year)

    for path, issue in ordered:
        twins = [str(p) for p, other in sequences[(issue.year or 0, issue.supplement)]
                 if other.number == issue.number and p != path]
        if twins:
            out.append(Finding(str(path), issue.line_of.get("number", 1), 1, "series-duplicate",
                               _("{name} is also {files}").format(name=name(issue), files=_join(twins)), "error"))
        date_line = issue.line_of.get("date", 1)
        if issue.date > today:
            out.append(Finding(str(path), date_line, 1, "date-future",
                               _("date {date} is in the future").format(date=issue.date)))
        if issue.printed < issue.date:
            out.append(Finding(str(path), issue.line_of.get("printed", date_line), 1, "printed-date",
                               _("printed {printed} is before the issue date {date}").format(
                                   printed=issue.printed, date=issue.date), "error"))
        elif (issue.printed - issue.date).days > 31:
            out.append(Finding(str(path), issue.line_of.get("printed", date_line), 1, "printed-date",
                               _("printed {printed} is more than a month after the issue date {date}").format(
                                   printed=issue.printed, date=issue.date)))
        if issue.year and issue.date.year != issue.year:
            out.append(Finding(str(path), date_line, 1, "series-year",
                               _("date {date} is not in {year}, the year of the folder issues/{year}/").format(
                                   date=issue.date, year=issue.year)))
        if series is not None and series.yearly and not issue.year:
            out.append(Finding(str(path), issue.line_of.get("number", 1), 1, "series-year",
                               _("the series is yearly (`yearly: true`): move this issue into its year's folder, "
                                 "issues/{year}/{file}").format(year=issue.date.year, file=path.name)))
        if series is not None and not series.yearly and issue.year:
            out.append(Finding(str(path), issue.line_of.get("number", 1), 1, "series-year",
                               _("an issue in a year folder, but jianbao.yaml does not say `yearly: true`")))
    first_year = min((i.year or 0 for _, i in ordered if not i.supplement), default=0)
    for (year, supplement), items in sequences.items():
        present = {i.number for _, i in items}
        known = present | ({n for y, n in absent if y == year} if not supplement else set())
        # a year's numbering starts at 1, except in the year the repository starts
        start = items[0][1].number if year == first_year or supplement else 1
        run: list[int] = []
        for n in range(start, max(known) + 2):
            if n not in known and n <= max(known):
                run.append(n)
            elif run:
                after = [pi for pi in items if pi[1].number > run[-1]]
                path, issue = after[0] if after else items[-1]
                out.append(_gap(path, issue, run, name, after=not after))
                run = []
    regular = [pi for pi in ordered if not pi[1].supplement]
    for chain in [regular] + [items for (_, supplement), items in sequences.items() if supplement]:
        for (p1, a), (p2, b) in zip(chain, chain[1:]):
            if (a.year or 0, a.number) < (b.year or 0, b.number) and b.date < a.date:
                out.append(Finding(str(p2), b.line_of.get("date", 1), 1, "date-order",
                                   _("date {date} is before {name}'s date {other}").format(
                                       date=b.date, name=name(a), other=a.date)))
    out += _total_findings(regular, series, absent, issue_refs(series.root) if series is not None else None, name)
    return out


GAP = {   # missing numbers before an issue, of supplements; after the last issue, before an absent one
    "before": N_("issue(s) {numbers} missing before {name} "
                 "(list numbers published elsewhere under `absent:` in jianbao.yaml)"),
    "supplements": N_("supplement(s) {numbers} missing before {name} "
                      "(list numbers published elsewhere under `absent:` in jianbao.yaml)"),
    "after": N_("issue(s) {numbers} missing after {name}, before the absent issue {next} "
                "(list numbers published elsewhere under `absent:` in jianbao.yaml)"),
}


def _gap(path: Path, issue, missing: list[int], name, after: bool = False) -> Finding:
    """`after`: no issue follows the gap, an absent one does (supplements have no absent numbers)."""
    shown = str(missing[0]) if len(missing) == 1 else f"{missing[0]}–{missing[-1]}"
    message = GAP["after" if after else "supplements" if issue.supplement else "before"]
    return Finding(str(path), issue.line_of.get("number", 1), 1, "series-gap",
                   _(message).format(numbers=shown, name=name(issue), next=missing[-1] + 1))


def _join(items: list[str]) -> str:
    """Items listed in a sentence: "a, b, c" (in Chinese a、b、c)."""
    out = items[0] if items else ""
    for item in items[1:]:
        out = _("{items}, {item}").format(items=out, item=item)
    return out


def _total_findings(regular, series, absent, refs, name) -> list[Finding]:
    """A written 总第 that disagrees with the history: with `first_total:` the total the history gives; without it,
    the totals written in the other issues (each issue after another adds one)."""
    from .history import IssueRef, totals

    if refs is None:
        refs = [IssueRef(i.year or 0, False, i.number, p) for p, i in regular]
    first_total = series.first_total if series is not None else None
    counted = totals(refs, first_total if first_total is not None else 0, absent)
    out = []
    offset = None                      # total minus count, from the earliest issue that writes its total
    for path, issue in regular:
        key = (issue.year or 0, issue.number)
        if issue.total is None or key not in counted:
            continue
        line = issue.line_of.get("total", 1)
        if first_total is not None:
            if issue.total != counted[key]:
                out.append(Finding(str(path), line, 1, "series-total",
                                   _("总第{total}期 disagrees with the series' history: first_total "
                                     "{first_total} in jianbao.yaml and the issues before {name} make it "
                                     "总第{counted}期 (remove `total:` to have it counted)").format(
                                       total=issue.total, first_total=first_total, name=name(issue),
                                       counted=counted[key]), "error"))
        elif offset is None:
            offset, since = issue.total - counted[key], issue
        elif issue.total - counted[key] != offset:
            want = counted[key] + offset
            out.append(Finding(str(path), line, 1, "series-total",
                               _("总第{total}期 disagrees with {name} (总第{since}期) and the "
                                 "issues between: expected 总第{expected}期").format(
                                   total=issue.total, name=name(since), since=since.total, expected=want), "error"))
    return out


def font_findings(path: Path, tree, context) -> list[Finding]:
    from .fonts import check_coverage, missing_characters
    coverage = check_coverage(tree, context.style, context.fonts)
    return [Finding(str(path), line or 1, col, "missing-glyph", message, "error")
            for line, col, message in missing_characters(coverage, path)]


def fit_findings(path: Path, tree, context) -> list[Finding]:
    """A last page holding only the 版记 or fewer than three lines, with what to shorten (jianbao.fit), and the
    pictures printed at too low a resolution: both measured on the issue laid out once."""
    from .fit import advise
    from .layout import lay_out
    root = context.series.root
    try:
        laid = lay_out(tree, context.style, context.fonts, context.series.preprinted, root=root)
        advice = advise(tree, context.style, context.fonts, laid)
    except JianbaoError:
        return []                        # what stops the layout is the build's to report
    return picture_findings(path, laid, context) + [
        Finding(str(path), a.line or 1, 1, "fit", a.message, "advice") for a in advice]


def picture_findings(path: Path, laid, context) -> list[Finding]:
    """A picture printed at fewer than `pictures.low_dpi` pixels per inch (it will look blurred)."""
    low = context.style.pictures.low_dpi
    out = []
    for element, figures in laid.plan.figures.items():
        places = [element] if element.tag == "figure" else list(element)
        for fig, picture in zip(places, figures.pictures):
            if picture.dpi < low - 1e-6:
                w, h = picture.pixels
                out.append(Finding(str(path), int(fig.get("line", 1)), int(fig.get("col", 1)), "picture-resolution",
                                   _("{picture} is {w} × {h} pixels: {dpi} dpi at its printed width of {mm} mm "
                                     "(at least {low} wanted); use a larger picture or a smaller `width:`").format(
                                       picture=picture.source, w=w, h=h, dpi=f"{picture.dpi:.0f}",
                                       mm=f"{picture.width / 72 * 25.4:.0f}", low=f"{low:.0f}")))
    return out


FULL_DIGITS = re.compile("[０-９]")
HALF_DIGITS = re.compile("[0-9]")
TABLE_FULL = N_("{text!r} has full-width digits, other cells of the table the other kind; "
                "write every number of a table the same way")
TABLE_HALF = N_("{text!r} has half-width digits, other cells of the table the other kind; "
                "write every number of a table the same way")


def table_findings(path: Path, issue) -> list[Finding]:
    """A table whose numbers mix half-width (0-9) and full-width (０-９) digits: each cell of the rarer kind."""
    from .model import Section, Table

    out = []

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Section):
                walk(block.body)
            elif isinstance(block, Table):
                cells = [(text, place) for row, places in zip(block.rows, block.cells) for text, place in zip(row, places)]
                full = [(t, p) for t, p in cells if FULL_DIGITS.search(t)]
                half = [(t, p) for t, p in cells if HALF_DIGITS.search(t)]
                if full and half:
                    rare, message = (full, TABLE_FULL) if len(full) <= len(half) else (half, TABLE_HALF)
                    for text, (line, col) in rare:
                        out.append(Finding(str(path), line, col, "table-digits", _(message).format(text=text)))
    for article in issue.articles:
        walk(article.body)
    return out


def check_files(paths: list[Path], today: dt.date, fonts: bool = True) -> list[Finding]:
    """Every finding for these issue files (and the series they belong to), sorted."""
    findings: list[Finding] = []
    loaded: dict[Path, list[tuple[Path, object]]] = {}
    contexts: dict[Path, api.Context] = {}
    for path in paths:
        try:
            root = api.find_root(path)
            if root not in contexts:
                contexts[root] = api.Context.for_root(root)
            context = contexts[root]
            text = read_text(path)
            node = compose(path, text)
            issue = api.load_issue(path, context.series, node)
        except JianbaoError as e:
            for err in getattr(e, "errors", [e]):
                loc = err.location
                findings.append(Finding(loc.file if loc else str(path), loc.line if loc else 1,
                                        loc.column if loc else 1, "invalid", err.message, "error"))
            continue
        findings += text_findings(path, text, node, _unnumbered(issue))
        findings += structure_findings(path, issue)
        findings += table_findings(path, issue)
        if fonts:
            tree = api.expand(issue, context.template)
            glyphs = font_findings(path, tree, context)
            findings += glyphs or fit_findings(path, tree, context)
        loaded.setdefault(root, []).append((path, issue))
    for root, issues in loaded.items():
        # the whole series takes part in the number and date checks, even when one file is checked
        names = {p.resolve() for p, _ in issues}
        others = []
        for other in api.issue_files(root):
            if other.resolve() not in names:
                try:
                    others.append((other, api.load_issue(other, contexts[root].series)))
                except JianbaoError:
                    pass
        series = series_findings(issues + others, today, series=contexts[root].series)
        findings += [f for f in series if Path(f.file).resolve() in names]
    return sorted(set(findings))


def _same_yaml_shape(path: Path, before: str, after: str) -> bool:
    """Whether `after` still loads into the same tree of lists, mappings and texts, with no comment or ': ' more."""
    if any(before.count(s) != after.count(s) for s in (" #", "\t#", "\n#", ": ")):
        return False
    try:
        old, new = compose(path, before), compose(path, after)
    except JianbaoError:
        return False

    def shape(node):
        if isinstance(node, yaml.ScalarNode):
            return "s"
        items = node.value if isinstance(node, yaml.SequenceNode) else [x for kv in node.value for x in kv]
        return (type(node).__name__, tuple(shape(x) for x in items))
    return old is not None and new is not None and shape(old) == shape(new)


def apply_fixes(findings: list[Finding]) -> list[Finding]:
    """Apply the mechanical fixes to the files in place; return the findings fixed."""
    fixed = []
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        if f.fix:
            by_file.setdefault(f.file, []).append(f)
    for file, items in by_file.items():
        path = Path(file)
        raw = path.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        original = raw.decode("utf-8-sig")
        pieces, last, done = [], len(original), []
        for f in sorted(items, key=lambda f: f.fix[0], reverse=True):
            start, end, replacement = f.fix
            if end > last:  # overlapping fixes: keep the first
                continue
            pieces += [original[end:last], replacement]
            last = start
            done.append(f)
        text = original[:last] + "".join(reversed(pieces))
        if not _same_yaml_shape(path, original, text):
            continue                        # a fix never changes what YAML reads beyond the text it fixes
        api.write_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        fixed += done
    return sorted(fixed)
