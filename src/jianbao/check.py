"""`jianbao check`: the mistakes of text copied out of Word and WeChat, found before a bulletin goes out.

Each finding is `FILE:LINE:COL: rule-id: message`. Text rules look at the source text of every
scalar the user wrote, so locations point into the file and `--fix` can edit the file in place,
keeping comments and layout.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import api, textrules
from .errors import JianbaoError
from .source import compose, read_text
from .textrules import View


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    rule: str
    message: str
    severity: str = "warning"           # warning | error
    fix: tuple[int, int, str] | None = None   # (start, end, replacement) in the file's text

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.rule}: {self.message}"


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# --------------------------------------------------------------------------- walking the file

def _scalars(node, path: str, kind: str, level: int = 0):
    """(node, key path, kind, heading level) of each text scalar the user wrote, wherever it sits: the kinds of
    textrules.View (para for body, text and note paragraphs)."""
    if isinstance(node, yaml.ScalarNode):
        yield node, path, kind, level
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
                yield from _scalars(v, where, "runin" if "text" in keys else "heading", level + 1)
            elif key == "body":
                yield from _scalars(v, where, "para", level + 1 if "heading" in keys else level)
            elif key in ("text", "note"):
                yield from _scalars(v, where, "para", level)
            elif key in ("title", "subtitle", "source"):
                yield from _scalars(v, where, key, level)
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


def text_findings(path: Path, text: str, root) -> list[Finding]:
    out = []
    for node, keypath, kind, level in _scalars(root, "", ""):
        if node.tag != "tag:yaml.org,2002:str" and kind != "para":
            continue
        view, pos = scalar_view(text, node, kind, level)
        escapes = node.style in ('"', "'")      # never cut into an escape sequence or a doubled ''
        for a, b, rule_id, message, replacement in textrules.findings(view):
            line, col = _position(text, pos[a])
            fix = None
            if replacement is not None and pos[b] - pos[a] == b - a and "\n" not in view.raw[a:b] and \
                    not (escapes and ("\\" in view.raw[a:b] or "'" in view.raw[a:b])) and \
                    (node.style or _plain_after(view.raw, a, b, replacement)):
                fix = (pos[a], pos[b], replacement)
            out.append(Finding(str(path), line, col, rule_id, f"{keypath}: {message}", "warning", fix))
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
                               f"{keypath}: U+{ord(m.group()[0]):04X} written as an escape in this text: delete it"))
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


def series_findings(issues: list[tuple[Path, object]], today: dt.date, absent=frozenset()) -> list[Finding]:
    """Numbers duplicated or missing in the series; dates out of order or in the future."""
    out = []
    by_number: dict[int, list[Path]] = {}
    ordered = sorted(issues, key=lambda pi: (pi[1].number, str(pi[0])))
    for path, issue in ordered:
        by_number.setdefault(issue.number, []).append(path)
    for path, issue in ordered:
        twins = [str(p) for p in by_number[issue.number] if p != path]
        if twins:
            out.append(Finding(str(path), issue.line_of.get("number", 1), 1, "series-duplicate",
                               f"issue {issue.number} is also {', '.join(twins)}", "error"))
        date_line = issue.line_of.get("date", 1)
        if issue.date > today:
            out.append(Finding(str(path), date_line, 1, "date-future", f"date {issue.date} is in the future"))
        if issue.printed < issue.date:
            out.append(Finding(str(path), issue.line_of.get("printed", date_line), 1, "printed-date",
                               f"printed {issue.printed} is before the issue date {issue.date}", "error"))
        elif (issue.printed - issue.date).days > 31:
            out.append(Finding(str(path), issue.line_of.get("printed", date_line), 1, "printed-date",
                               f"printed {issue.printed} is more than a month after the issue date {issue.date}"))
    for (p1, a), (p2, b) in zip(ordered, ordered[1:]):
        missing = [n for n in range(a.number + 1, b.number) if n not in absent]
        if missing:
            shown = str(missing[0]) if len(missing) == 1 else f"{missing[0]}–{missing[-1]}"
            out.append(Finding(str(p2), b.line_of.get("number", 1), 1, "series-gap",
                               f"issue(s) {shown} missing before issue {b.number} "
                               f"(list numbers published elsewhere under `absent:` in jianbao.yaml)"))
        if b.number > a.number and b.date < a.date:
            out.append(Finding(str(p2), b.line_of.get("date", 1), 1, "date-order",
                               f"date {b.date} is before issue {a.number}'s date {a.date}"))
    return out


def font_findings(path: Path, tree, context) -> list[Finding]:
    from .fonts import check_coverage, missing_characters
    coverage = check_coverage(tree, context.style, context.fonts)
    return [Finding(str(path), line or 1, col, "missing-glyph", message, "error")
            for line, col, message in missing_characters(coverage, path)]


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
        if fonts:
            findings += font_findings(path, api.expand(issue, context.template), context)
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
        series = series_findings(issues + others, today, contexts[root].series.absent)
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
        text = original = raw.decode("utf-8-sig")
        last, done = len(text) + 1, []
        for f in sorted(items, key=lambda f: f.fix[0], reverse=True):
            start, end, replacement = f.fix
            if end > last:  # overlapping fixes: keep the first
                continue
            text = text[:start] + replacement + text[end:]
            last = start
            done.append(f)
        if not _same_yaml_shape(path, original, text):
            continue                        # a fix never changes what YAML reads beyond the text it fixes
        api.write_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        fixed += done
    return sorted(fixed)
