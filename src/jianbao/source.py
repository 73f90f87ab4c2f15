"""Reading YAML files into nodes that remember where each value was written.

Only the composer runs: no YAML tag is ever constructed, so `!!python/object` and friends can
never execute; the schema (schema.py) turns the nodes into the typed model.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import JianbaoError, Location, reason
from .i18n import N_, _

MAX_BYTES = 2_000_000        # an issue is a few KB; larger is a mistake, not a bulletin
MAX_NODES = 200_000          # aliases can expand a small file into a huge tree
MAX_DEPTH = 100              # an issue nests a few levels; what walks the tree recursively must never overflow
STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
# libyaml composes twenty times faster than the pure-Python parser, with the same marks
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# what YAML does not accept in a file (C0 and C1 controls but tab, line breaks and NEL; U+FFFE, U+FFFF)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
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
        raise JianbaoError(_("cannot read: {reason}").format(reason=reason(e)), Location(str(path), 1, 1)) from None
    if len(raw) > MAX_BYTES:
        raise JianbaoError(_("file is {size} bytes; an issue file is expected to be under {limit}").format(
            size=f"{len(raw):,}", limit=f"{MAX_BYTES:,}"), Location(str(path), 1, 1))
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
            hint = _(" It reads as GBK: convert it with `iconv -f GBK -t UTF-8` (or save as UTF-8 in your editor).")
        except UnicodeDecodeError:
            pass
        raise JianbaoError(_("the file is not UTF-8 (byte {byte}).{hint}").format(byte=f"0x{raw[e.start]:02X}",
                                                                                  hint=hint),
                           Location(str(path), line, col)) from None
    m = CONTROL.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        raise JianbaoError(_("control character {code} in the text (delete it)").format(code=f"U+{ord(m.group()):04X}"),
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
    except yaml.YAMLError as e:
        raise syntax_error(path, e) from None
    except RecursionError:
        raise JianbaoError(_too_deep(), _deepest(path, text)) from None
    if node is not None:
        _check_nodes(path, node)
    return node


def syntax_error(path: Path, e: yaml.YAMLError) -> JianbaoError:
    """The located error of what PyYAML could not parse, in the user's language."""
    if not isinstance(e, yaml.MarkedYAMLError):
        return JianbaoError(_("YAML syntax: {problem}{hint}").format(problem=e, hint=""), Location(str(path), 1, 1))
    problem = e.problem or e.context or _("invalid YAML")
    return JianbaoError(_("YAML syntax: {problem}{hint}").format(problem=_problem(problem),
                                                                hint=_hint(problem, e.context or "")),
                        _mark_location(path, e))


def _mark_location(path: Path, e: yaml.MarkedYAMLError) -> Location:
    mark = e.problem_mark or e.context_mark
    return Location(str(path), mark.line + 1, mark.column + 1) if mark else Location(str(path), 1, 1)


def _too_deep() -> str:
    return _("lists or mappings nested more than {depth} levels deep "
             "(an issue needs a few: body, sections, paragraphs; check the [ and {{ brackets)").format(depth=MAX_DEPTH)


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


def _hint(problem: str, context: str = "") -> str:
    if "alias" in problem or "alias" in context or "found '*'" in problem:     # *一是* read as an alias
        return _(" (a text that starts with * must be quoted: \"**一是……**……\")")
    if "tab" in problem or "'\\t'" in problem:
        return _(" (indent with spaces, not tabs)")
    if "mapping values are not allowed" in problem:
        return _(" (a text containing ': ' must be quoted, or use the full-width colon ：)")
    if "unknown escape character" in problem:           # "photos\2022.jpg": a Windows path in double quotes
        return _(" (in double quotes \\ starts an escape: write \\\\ or use single quotes)")
    return ""


# PyYAML's problems (the words of its pure-Python parser) as templates: {x!r} is what PyYAML quotes, a character or
# a token. The English is PyYAML's own text; a problem no template matches is shown as PyYAML wrote it.
YAML_PROBLEMS = (
    N_("found character {char!r} that cannot start any token"),
    N_("expected alphabetic or numeric character, but found {char!r}"),
    N_("expected a digit or '.', but found {char!r}"),
    N_("expected a digit or ' ', but found {char!r}"),
    N_("expected a digit, but found {char!r}"),
    N_("expected ' ', but found {char!r}"),
    N_("expected a comment or a line break, but found {char!r}"),
    N_("expected chomping or indentation indicators, but found {char!r}"),
    N_("found unexpected end of stream"),
    N_("expected '!', but found {char!r}"),
    N_("expected URI, but found {char!r}"),
    N_("could not find expected ':'"),
    N_("sequence entries are not allowed here"),
    N_("mapping keys are not allowed here"),
    N_("expected '>', but found {char!r}"),
    N_("found unexpected document separator"),
    N_("mapping values are not allowed here"),
    N_("expected indentation indicator in the range 1-9, but found 0"),
    N_("expected URI escape sequence of 2 hexadecimal numbers, but found {char!r}"),
    N_("found unknown escape character {char!r}"),
    N_("expected escape sequence of {length} hexadecimal numbers, but found {char!r}"),
    N_("expected <block end>, but found {token!r}"),
    N_("expected '<document start>', but found {token!r}"),
    N_("found duplicate YAML directive"),
    N_("found incompatible YAML document (version 1.* is required)"),
    N_("expected ',' or ']', but got {token!r}"),
    N_("expected ',' or '}}', but got {token!r}"),
    N_("duplicate tag handle {handle!r}"),
    N_("found undefined tag handle {handle!r}"),
    N_("expected the node content, but found {token!r}"),
    N_("but found another document"),
    N_("found undefined alias {alias!r}"),
    N_("second occurrence"),
)
# PyYAML's names of the tokens its problems can name, as a user reads them (another token is shown quoted)
YAML_TOKENS = {
    "<stream end>": N_("the end of the file"), "<document start>": N_("the document start marker ---"),
    "<document end>": N_("the document end marker ..."), "<block sequence start>": N_("a list"),
    "<block mapping start>": N_("a mapping"), "<alias>": N_("an alias (*)"), "<anchor>": N_("an anchor (&)"),
    "<tag>": N_("a tag (!)"), "<scalar>": N_("a text"),
}


def _pattern(template: str) -> re.Pattern:
    out, pos = [], 0
    for m in re.finditer(r"\{(\w+)(!r)?\}", template):
        out.append(re.escape(template[pos:m.start()].replace("{{", "{").replace("}}", "}")))
        out.append(rf"(?P<{m.group(1)}>'.*'|\".*\")" if m.group(2) else rf"(?P<{m.group(1)}>\d+)")
        pos = m.end()
    out.append(re.escape(template[pos:].replace("{{", "{").replace("}}", "}")))
    return re.compile("".join(out))


_PATTERNS: list[tuple[re.Pattern, str]] = []


class _Quoted:
    """What PyYAML quoted in a problem: as PyYAML wrote it in English ({x!r}), else the character “as it is” or the
    token's name."""

    def __init__(self, written: str):
        self.written = written

    def __repr__(self) -> str:
        return self.written

    def __str__(self) -> str:
        inner = self.written[1:-1]
        return _(YAML_TOKENS[inner]) if inner in YAML_TOKENS else _("'{char}'").format(char=inner)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _problem(problem: str) -> str:
    """PyYAML's `problem` in the user's language."""
    if not _PATTERNS:
        _PATTERNS.extend((_pattern(t), t) for t in YAML_PROBLEMS)
    for pattern, template in _PATTERNS:
        m = pattern.fullmatch(problem)
        if m:
            return _(template).format(**{k: v if v.isdigit() else _Quoted(v) for k, v in m.groupdict().items()})
    return problem


def _check_nodes(path: Path, root: yaml.Node) -> None:
    """Reject non-standard tags and alias bombs before anything walks the tree."""
    count = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise JianbaoError(_("the document expands to more than {count} values (too many aliases?)").format(
                count=f"{MAX_NODES:,}"), location(path, root))
        if depth > MAX_DEPTH:
            raise JianbaoError(_too_deep(), location(path, node))
        if node.tag not in STANDARD_TAGS:
            raise JianbaoError(_("YAML tag {tag!r} is not allowed (write plain text, lists and mappings)").format(
                tag=node.tag), location(path, node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend(((k, depth + 1), (v, depth + 1)))
