"""`jianbao check`: the mistakes of text copied out of Word and WeChat, found before a bulletin goes out.

Each finding is `FILE:LINE:COL: rule-id: message`. Text rules look at the source text of every
scalar the user wrote, so locations point into the file and `--fix` can edit the file in place,
keeping comments and layout.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import api
from .errors import JianbaoError
from .source import compose, read_text

CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
CJK_OR_MARK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’]"
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "〈": "〉", "「": "」", "『": "』"}
CLOSING_END = tuple("。！？…”’）》」』】") + ("——",)
TEXT_KEYS = {"title", "subtitle", "note", "body", "heading", "text", "source", "articles"}


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


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# --------------------------------------------------------------------------- text rules

RULES = []


def rule(fn):
    RULES.append(fn)
    return fn


# HALFWIDTH and STRAY_SPACE as written with CJK and CJK_OR_MARK took Python's regex compiler 25–35 ms (it walks the
# ~28,000 code points of each class, five times over). They are matched instead on the text with every character of
# the classes replaced by one placeholder character (`_classed`): positions and every other character unchanged.
_HAN, _HAN_ONLY, _MARK_ONLY = "\x01", "\x02", "\x03"    # in both classes; in CJK only; in CJK_OR_MARK only
_CJK = f"[{_HAN}{_HAN_ONLY}]"
_CJK_OR_MARK = f"[{_HAN}{_MARK_ONLY}]"


class _Placeholders(dict):
    """str.translate table: code point → the placeholder of its class; the placeholders themselves → NUL."""

    def __missing__(self, cp: int) -> int:
        if 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF:
            v = 1
        elif 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3134F:
            v = 2
        elif 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF or cp in (0x201C, 0x201D, 0x2018, 0x2019):
            v = 3
        elif cp in (1, 2, 3):
            v = 0
        else:
            v = cp
        self[cp] = v
        return v


_PLACEHOLDERS = _Placeholders()


def _classed(raw: str) -> str:
    return raw.translate(_PLACEHOLDERS)


HALFWIDTH = re.compile(rf"(?<={_CJK_OR_MARK})[,;:?!]|[,;:?!](?={_CJK})|(?<={_CJK})\.(?={_CJK}|$)|"
                       rf"\((?={_CJK})|(?<={_CJK_OR_MARK})\)")          # on _classed(text)
STRAIGHT = re.compile(r"[\"']")
STRAY_SPACE = re.compile(rf"(?<={_CJK_OR_MARK}) +(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%]) +(?={_CJK_OR_MARK})")  # on _classed
DOUBLED = re.compile(r"([，。、；：？！])\1+")
BRACKETS = re.compile("[" + "".join(PAIRS) + "".join(PAIRS.values()) + "]")


@rule
def halfwidth_punctuation(raw: str):
    """, ; : ? ! ( ) . between or after Chinese characters: the full-width form belongs there."""
    for m in HALFWIDTH.finditer(_classed(raw)):
        full = HALF_TO_FULL[m.group()]
        yield m.start(), m.end(), "halfwidth-punct", f"half-width '{m.group()}' in Chinese text (use '{full}')", full


@rule
def straight_quotes(raw: str):
    for m in STRAIGHT.finditer(raw):
        if m.group() == "'" and re.match(r"[A-Za-z]'[A-Za-z]", raw[max(0, m.start() - 1):m.end() + 1]):
            continue  # an apostrophe in a Latin word
        yield m.start(), m.end(), "straight-quote", f"straight quote {m.group()} (use “ ” or ‘ ’)", None


@rule
def stray_space(raw: str):
    """Spaces between Chinese and digits/Latin, left over from PDFs (新建中小学 22 所)."""
    for m in STRAY_SPACE.finditer(_classed(raw)):
        yield m.start(), m.end(), "stray-space", "space between Chinese text and a number or Latin word", ""


@rule
def doubled_punctuation(raw: str):
    for m in DOUBLED.finditer(raw):
        yield m.start(), m.end(), "doubled-punct", f"doubled punctuation {m.group()!r}", None


def unbalanced(raw: str):
    stack = []
    closers = {v: k for k, v in PAIRS.items() if k != v}
    for m in BRACKETS.finditer(raw):
        i, ch = m.start(), m.group()
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in closers:
            if stack and stack[-1][0] == closers[ch]:
                stack.pop()
            else:
                yield i, i + 1, "unbalanced", f"'{ch}' closes nothing", None
    for ch, i in stack:
        yield i, i + 1, "unbalanced", f"'{ch}' is never closed (missing '{PAIRS[ch]}')", None


RULES.append(unbalanced)


def paragraph_end(raw: str, value: str):
    stripped = value.rstrip()
    if stripped.endswith(("，", ",", "、", "；")):
        yield len(raw.rstrip()) - 1, len(raw.rstrip()), "paragraph-end", f"paragraph ends with '{stripped[-1]}'", None
    elif stripped and not stripped.replace("**", "").endswith(CLOSING_END) and _classed(stripped[-1:]) in (_HAN, _HAN_ONLY):
        yield len(raw.rstrip()) - 1, len(raw.rstrip()), "paragraph-end", "paragraph has no closing punctuation", None


# --------------------------------------------------------------------------- walking the file

def _scalars(node, path: str, kind: str):
    """(node, key path, kind) of each text scalar; kind is 'para' for paragraph texts."""
    if isinstance(node, yaml.ScalarNode):
        yield node, path, kind
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _scalars(item, f"{path}[{i}]", kind)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = getattr(k, "value", "")
            if key in TEXT_KEYS:
                yield from _scalars(v, f"{path}.{key}" if path else key,
                                    "para" if key in ("body", "text", "note") else "line")


def _raw_span(text: str, node: yaml.ScalarNode) -> tuple[int, int]:
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ('"', "'"):
        start, end = start + 1, end - 1
    return start, end


def text_findings(path: Path, text: str, root) -> list[Finding]:
    out = []
    for node, keypath, kind in _scalars(root, "", ""):
        if node.tag != "tag:yaml.org,2002:str" and kind != "para":
            continue
        if node.style in ("|", ">"):
            continue   # block scalars: locating a fix would need indentation-aware mapping
        plain = not node.style     # None from PyYAML, "" from libyaml
        start, end = _raw_span(text, node)
        raw = text[start:end]
        found = [x for fn in RULES for x in fn(raw)]
        if kind == "para":
            found += list(paragraph_end(raw, node.value))
        for a, b, rule_id, message, replacement in found:
            line, col = _position(text, start + a)
            editable = plain or "\\" not in raw[a:b]   # never cut into an escape sequence
            fix = (start + a, start + b, replacement) if replacement is not None and editable else None
            out.append(Finding(str(path), line, col, rule_id, f"{keypath}: {message}",
                               "warning", fix))
    return out


def structure_findings(path: Path, issue) -> list[Finding]:
    """Numbering that skips or repeats after `number:` overrides; sections with nothing in them."""
    out = []

    def walk(blocks, where):
        previous = 0
        for block in blocks:
            if hasattr(block, "heading"):
                if block.number == previous:
                    out.append(Finding(str(path), block.line, block.column, "numbering",
                                       f"{where}: heading number {block.number} repeats the previous one"))
                elif block.number > previous + 1 and previous:
                    out.append(Finding(str(path), block.line, block.column, "numbering",
                                       f"{where}: heading numbering jumps from {previous} to {block.number}"))
                previous = block.number
                if not block.body and not block.text:
                    out.append(Finding(str(path), block.line, block.column, "empty-section", f"section '{block.heading}' is empty"))
                walk(block.body, where)
    for article in issue.articles:
        walk(article.body, "body")
        if not article.body:
            out.append(Finding(str(path), article.line, 1, "empty-section", f"article '{article.title}' has no body"))
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
        kind = "supplement" if issue.supplement else "issue"
        return f"{kind} {issue.number if number is None else number}" + (f" of {issue.year}" if issue.year else "")

    for path, issue in ordered:
        twins = [str(p) for p, other in sequences[(issue.year or 0, issue.supplement)]
                 if other.number == issue.number and p != path]
        if twins:
            out.append(Finding(str(path), issue.line_of.get("number", 1), 1, "series-duplicate",
                               f"{name(issue)} is also {', '.join(twins)}", "error"))
        date_line = issue.line_of.get("date", 1)
        if issue.date > today:
            out.append(Finding(str(path), date_line, 1, "date-future", f"date {issue.date} is in the future"))
        if issue.printed < issue.date:
            out.append(Finding(str(path), issue.line_of.get("printed", date_line), 1, "printed-date",
                               f"printed {issue.printed} is before the issue date {issue.date}", "error"))
        elif (issue.printed - issue.date).days > 31:
            out.append(Finding(str(path), issue.line_of.get("printed", date_line), 1, "printed-date",
                               f"printed {issue.printed} is more than a month after the issue date {issue.date}"))
        if issue.year and issue.date.year != issue.year:
            out.append(Finding(str(path), date_line, 1, "series-year",
                               f"date {issue.date} is not in {issue.year}, the year of the folder issues/{issue.year}/"))
        if series is not None and series.yearly and not issue.year:
            out.append(Finding(str(path), issue.line_of.get("number", 1), 1, "series-year",
                               f"the series is yearly (`yearly: true`): move this issue into its year's folder, "
                               f"issues/{issue.date.year}/{path.name}"))
        if series is not None and not series.yearly and issue.year:
            out.append(Finding(str(path), issue.line_of.get("number", 1), 1, "series-year",
                               "an issue in a year folder, but jianbao.yaml does not say `yearly: true`"))
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
                                   f"date {b.date} is before {name(a)}'s date {a.date}"))
    out += _total_findings(regular, series, absent, issue_refs(series.root) if series is not None else None, name)
    return out


def _gap(path: Path, issue, missing: list[int], name, after: bool = False) -> Finding:
    shown = str(missing[0]) if len(missing) == 1 else f"{missing[0]}–{missing[-1]}"
    where = f"after {name(issue)}, before the absent issue {missing[-1] + 1}" if after else f"before {name(issue)}"
    return Finding(str(path), issue.line_of.get("number", 1), 1, "series-gap",
                   f"{'supplement' if issue.supplement else 'issue'}(s) {shown} missing {where} "
                   f"(list numbers published elsewhere under `absent:` in jianbao.yaml)")


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
                                   f"总第{issue.total}期 disagrees with the series' history: first_total "
                                   f"{first_total} in jianbao.yaml and the issues before {name(issue)} make it "
                                   f"总第{counted[key]}期 (remove `total:` to have it counted)", "error"))
        elif offset is None:
            offset, since = issue.total - counted[key], issue
        elif issue.total - counted[key] != offset:
            want = counted[key] + offset
            out.append(Finding(str(path), line, 1, "series-total",
                               f"总第{issue.total}期 disagrees with {name(since)} (总第{since.total}期) and the "
                               f"issues between: expected 总第{want}期", "error"))
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
                                   f"{picture.source} is {w} × {h} pixels: {picture.dpi:.0f} dpi at its printed width "
                                   f"of {picture.width / 72 * 25.4:.0f} mm (at least {low:.0f} wanted); use a "
                                   f"larger picture or a smaller `width:`"))
    return out


FULL_DIGITS = re.compile("[０-９]")
HALF_DIGITS = re.compile("[0-9]")


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
                    rare, kind = (full, "full-width") if len(full) <= len(half) else (half, "half-width")
                    for text, (line, col) in rare:
                        out.append(Finding(str(path), line, col, "table-digits",
                                           f"{text!r} has {kind} digits, other cells of the table the other kind; "
                                           f"write every number of a table the same way"))
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
        findings += text_findings(path, text, node)
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
        text = raw.decode("utf-8-sig")
        last = len(text) + 1
        for f in sorted(items, key=lambda f: f.fix[0], reverse=True):
            start, end, replacement = f.fix
            if end > last:  # overlapping fixes: keep the first
                continue
            text = text[:start] + replacement + text[end:]
            last = start
            fixed.append(f)
        api.write_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return sorted(fixed)
