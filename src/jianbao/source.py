"""Reading YAML files into nodes that remember where each value was written.

Only the composer runs: no YAML tag is ever constructed, so `!!python/object` and friends can
never execute; the schema (schema.py) turns the nodes into the typed model.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import JianbaoError, Location

MAX_BYTES = 2_000_000        # an issue is a few KB; larger is a mistake, not a bulletin
MAX_NODES = 200_000          # aliases can expand a small file into a huge tree
MAX_DEPTH = 100              # an issue nests a few levels; what walks the tree recursively must never overflow
STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
# libyaml composes twenty times faster than the pure-Python parser, with the same marks
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# what no XML document (the document tree) can hold, also when written as an escape ("\b", "\ud800", "\uffff")
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def location(path: Path | str, node: yaml.Node | None) -> Location:
    if node is None:
        return Location(str(path), 1, 1)
    return Location(str(path), node.start_mark.line + 1, node.start_mark.column + 1)


def read_text(path: Path) -> str:
    """The file's text, or a located error for what would make YAML parsing meaningless."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise JianbaoError(f"cannot read: {e.strerror}", Location(str(path), 1, 1)) from None
    if len(raw) > MAX_BYTES:
        raise JianbaoError(f"file is {len(raw):,} bytes; an issue file is expected to be under {MAX_BYTES:,}",
                           Location(str(path), 1, 1))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        hint = ""
        try:
            raw.decode("gbk")
            hint = " It reads as GBK: convert it with `iconv -f GBK -t UTF-8` (or save as UTF-8 in your editor)."
        except UnicodeDecodeError:
            pass
        raise JianbaoError(f"the file is not UTF-8 (byte 0x{raw[e.start]:02X}).{hint}",
                           Location(str(path), line, col)) from None
    m = CONTROL.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        raise JianbaoError(f"control character U+{ord(m.group()):04X} in the text (delete it)",
                           Location(str(path), line, col))
    return text


def compose(path: Path, text: str | None = None) -> yaml.Node | None:
    """Parse a YAML file (its `text`, when the caller has read it already) into its node tree;
    None for an empty document."""
    text = read_text(path) if text is None else text
    try:
        node = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.MarkedYAMLError as e:
        if "nesting depth" in str(e.problem):
            # libyaml stops at 1,000 levels; the pure-Python parser would recurse until Python's stack gives out
            raise JianbaoError(_too_deep(), _mark_location(path, e)) from None
        node = None   # say it in the words of the pure-Python parser, which are more precise
    except yaml.YAMLError:
        node = None
    except RecursionError:                     # the pure-Python parser (no libyaml)
        raise JianbaoError(_too_deep(), _deepest(path, text)) from None
    else:
        if node is not None:
            _check_nodes(path, node)
        return node
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        problem = e.problem or e.context or "invalid YAML"
        raise JianbaoError(f"YAML syntax: {problem}{_hint(problem)}", _mark_location(path, e)) from None
    except yaml.YAMLError as e:
        raise JianbaoError(f"YAML syntax: {e}", Location(str(path), 1, 1)) from None
    except RecursionError:
        raise JianbaoError(_too_deep(), _deepest(path, text)) from None
    if node is not None:
        _check_nodes(path, node)
    return node


def _mark_location(path: Path, e: yaml.MarkedYAMLError) -> Location:
    mark = e.problem_mark or e.context_mark
    return Location(str(path), mark.line + 1, mark.column + 1) if mark else Location(str(path), 1, 1)


def _too_deep() -> str:
    return (f"lists or mappings nested more than {MAX_DEPTH} levels deep "
            "(an issue needs a few: body, sections, paragraphs; check the [ and { brackets)")


def _deepest(path: Path, text: str) -> Location:
    """Where the flow brackets of `text` first open more than MAX_DEPTH levels (roughly: quotes are not
    followed), else the start of the file."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "[{"
        depth -= ch in "]}"
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, i) + 1
            return Location(str(path), line, i - (text.rfind("\n", 0, i) + 1) + 1)
    return Location(str(path), 1, 1)


def _hint(problem: str) -> str:
    if "alias" in problem or "found '*'" in problem:
        return " (a text that starts with * must be quoted: \"**一是……**……\")"
    if "tab" in problem or "'\\t'" in problem:
        return " (indent with spaces, not tabs)"
    if "mapping values are not allowed" in problem:
        return " (a text containing ': ' must be quoted, or use the full-width colon ：)"
    return ""


def _check_nodes(path: Path, root: yaml.Node) -> None:
    """Reject non-standard tags and alias bombs before anything walks the tree."""
    count = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise JianbaoError(f"the document expands to more than {MAX_NODES:,} values (too many aliases?)",
                               location(path, root))
        if depth > MAX_DEPTH:
            raise JianbaoError(_too_deep(), location(path, node))
        if node.tag not in STANDARD_TAGS:
            raise JianbaoError(f"YAML tag {node.tag!r} is not allowed (write plain text, lists and mappings)",
                               location(path, node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend(((k, depth + 1), (v, depth + 1)))
