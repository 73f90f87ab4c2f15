"""jianbao's message catalogues: extract, check, update, compile (no dependency beyond Python).

    python scripts/catalogue.py check                  # what is missing, untranslated, obsolete or mismatched
    python scripts/catalogue.py update PO FILE...      # add FILE's new messages to PO (msgstr "" to fill in)
    python scripts/catalogue.py update-click           # add the installed click's new messages to click.po
    python scripts/catalogue.py compile [OUT.mo]        # po/zh_CN/*.po -> src/jianbao/locale/zh_CN/LC_MESSAGES/jianbao.mo

Messages are the string literals of calls to `_`, `N_` and `ngettext` in src/jianbao (and click's `_`/`ngettext`
calls in the installed click: its messages are translated in po/zh_CN/click.po). setup.py compiles the catalogue
when the package is built or installed (an editable install writes the .mo into src/); tests/test_i18n.py runs
`check` and fails on any problem.
"""
from __future__ import annotations

import ast
import re
import string
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "src" / "jianbao"
PO_DIR = REPO / "po" / "zh_CN"
MO_PATH = SOURCE / "locale" / "zh_CN" / "LC_MESSAGES" / "jianbao.mo"
CLICK_PO = "click.po"
HEADER = ('Project-Id-Version: jianbao\nLanguage: zh_CN\nMIME-Version: 1.0\n'
          'Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n'
          'Plural-Forms: nplurals=1; plural=0;\n')


# --- .po files ---------------------------------------------------------------------------------------------

class Entry:
    def __init__(self, msgid: str, plural: str | None = None, msgstr: list[str] | None = None,
                 fuzzy: bool = False, comments: list[str] | None = None, line: int = 0):
        self.msgid, self.plural, self.msgstr = msgid, plural, msgstr or [""]
        self.fuzzy, self.comments, self.line = fuzzy, comments or [], line

    @property
    def key(self) -> str:
        return self.msgid if self.plural is None else f"{self.msgid}\0{self.plural}"

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(self.msgstr)


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, found {text!r}")
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(m.group(1), m.group(0)),
                  text[1:-1])


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    if "\n" in escaped.rstrip("\n"):
        parts = escaped.split("\n")
        lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
        return '""\n' + "\n".join(f'"{p}"' for p in lines)
    return '"' + escaped.replace("\n", "\\n") + '"'


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header entry, msgid "", left out; obsolete #~ entries too)."""
    entries: list[Entry] = []
    current: dict | None = None
    field = None
    comments: list[str] = []
    fuzzy = False

    def finish():
        nonlocal current
        if current is not None and current["msgid"] != "":
            forms = [current["msgstr"][k] for k in sorted(current["msgstr"])] or [""]
            entries.append(Entry(current["msgid"], current.get("plural"), forms, current["fuzzy"],
                                 current["comments"], current["line"]))
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        where = f"{path}:{number}"
        if not line:
            finish()
            field = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            finish()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            comments.append(raw)
            continue
        if line.startswith("msgid_plural "):
            current["plural"] = _unquote(line[len("msgid_plural "):], where)
            field = ("plural",)
        elif line.startswith("msgid "):
            finish()
            current = {"msgid": _unquote(line[6:], where), "msgstr": {}, "fuzzy": fuzzy, "comments": comments,
                       "line": number}
            comments, fuzzy = [], False
            field = ("msgid",)
        elif line.startswith("msgstr["):
            index = int(line[7:line.index("]")])
            current["msgstr"][index] = _unquote(line[line.index("]") + 1:], where)
            field = ("msgstr", index)
        elif line.startswith("msgstr "):
            current["msgstr"][0] = _unquote(line[7:], where)
            field = ("msgstr", 0)
        elif line.startswith('"') and current is not None and field is not None:
            if field[0] == "msgstr":
                current["msgstr"][field[1]] += _unquote(line, where)
            else:
                current[field[0]] = current.get(field[0], "") + _unquote(line, where)
        else:
            raise ValueError(f"{where}: cannot read {raw!r}")
    finish()
    return entries


def write_po(path: Path, entries: list[Entry], title: str) -> None:
    out = [f"# {title}", "# Chinese (zh_CN) messages of jianbao; `python scripts/catalogue.py check` keeps them complete.",
           'msgid ""', 'msgstr ""'] + [f'"{line}\\n"' for line in HEADER.rstrip("\n").split("\n")] + [""]
    for e in entries:
        out += [c for c in e.comments if not c.startswith("#:")]
        out.append("msgid " + _quote(e.msgid))
        if e.plural is None:
            out.append("msgstr " + _quote(e.msgstr[0]))
        else:
            out.append("msgid_plural " + _quote(e.plural))
            out += [f"msgstr[{i}] " + _quote(s) for i, s in enumerate(e.msgstr)]
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def catalogue() -> dict[str, tuple[Path, Entry]]:
    """Every entry of po/zh_CN/*.po by key (raises on a message listed twice)."""
    found: dict[str, tuple[Path, Entry]] = {}
    for po in sorted(PO_DIR.glob("*.po")):
        for e in read_po(po):
            if e.key in found:
                raise ValueError(f"{po}:{e.line}: {e.msgid!r} is also in {found[e.key][0].name}")
            found[e.key] = (po, e)
    return found


# --- .mo files ---------------------------------------------------------------------------------------------

def compile_mo(out: Path = MO_PATH) -> Path:
    """GNU .mo of every translated entry (sorted: the same catalogue gives the same bytes)."""
    pairs = {"": HEADER}
    for key, (_, e) in catalogue().items():
        if e.translated:
            pairs[key] = "\0".join(e.msgstr)
    keys = sorted(pairs)
    ids = [k.encode("utf-8") for k in keys]
    strs = [pairs[k].encode("utf-8") for k in keys]
    start = 7 * 4 + 16 * len(keys)
    id_table, str_table, blob = [], [], b""
    for data, table in ((ids, id_table), (strs, str_table)):
        for d in data:
            table += [len(d), start + len(blob)]
            blob += d + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    data = header + struct.pack(f"<{len(id_table)}I", *id_table) + struct.pack(f"<{len(str_table)}I", *str_table) + blob
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists() or out.read_bytes() != data:
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
    return out


# --- extraction ----------------------------------------------------------------------------------------------

MARKERS = {"_", "N_", "ngettext"}


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract(path: Path) -> tuple[dict[str, int], list[str]]:
    """{key: line} of the messages marked in one Python file, and the calls whose message is not a literal
    (an f-string in `_()` can never be found in a catalogue)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, int] = {}
    problems: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in MARKERS or not node.args:
            continue
        if name == "ngettext":
            if len(node.args) >= 2 and _literal(node.args[0]) is not None and _literal(node.args[1]) is not None:
                found.setdefault(f"{node.args[0].value}\0{node.args[1].value}", node.lineno)
            elif isinstance(node.args[0], ast.JoinedStr):
                problems.append(f"{path}:{node.lineno}: an f-string in ngettext(): use named fields and .format()")
            continue
        text = _literal(node.args[0])
        if text is not None:
            found.setdefault(text, node.lineno)
        elif isinstance(node.args[0], (ast.JoinedStr, ast.BinOp)):
            problems.append(f"{path}:{node.lineno}: the message of {name}() is built at run time "
                            "(an f-string or +): write a literal with named fields and .format()")
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_comprehension = {id(n) for c in ast.walk(function) if isinstance(c, ast.comprehension)
                                for n in ast.walk(c.target)}       # a comprehension's variables are its own
            names = [n for n in ast.walk(function)
                     if isinstance(n, ast.Name) and n.id == "_" and id(n) not in in_comprehension]
            if any(isinstance(n.ctx, ast.Store) for n in names) and any(isinstance(n.ctx, ast.Load) for n in names):
                problems.append(f"{path}:{function.lineno}: `_` is both a throwaway variable and the translation "
                                "function in this function (UnboundLocalError): rename the variable")
    return found, problems


def jianbao_messages() -> tuple[dict[str, str], list[str]]:
    messages: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "i18n.py":
            continue
        found, bad = extract(path)
        problems += bad
        for key, line in found.items():
            messages.setdefault(key, f"{path.relative_to(REPO)}:{line}")
    return messages, problems


def click_messages() -> dict[str, str]:
    import click

    messages: dict[str, str] = {}
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        if path.name == "testing.py":           # click's test runner: never shown to a user of jianbao
            continue
        found, _ = extract(path)
        for key, line in found.items():
            messages.setdefault(key, f"click/{path.name}:{line}")
    return messages


def fields(text: str) -> list[str] | None:
    """The named fields of a str.format template (None when the text is no valid template)."""
    try:
        return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)
    except ValueError:
        return None


def problems() -> list[str]:
    """Everything wrong with the catalogue against the code: a message with no translation, a translation of a
    message that no longer exists, a translation with a {field} its message does not have."""
    out: list[str] = []
    ours, out_calls = jianbao_messages()
    out += out_calls
    theirs = click_messages()
    try:
        known = catalogue()
    except ValueError as e:
        return out + [str(e)]
    for messages in (ours, theirs):
        for key, where in messages.items():
            if key not in known:
                out.append(f"{where}: no translation of {key!r} (python scripts/catalogue.py update …)")
            elif not known[key][1].translated:
                po, e = known[key]
                out.append(f"{po.relative_to(REPO)}:{e.line}: {key!r} is not translated")
    for key, (po, e) in known.items():
        where = f"{po.relative_to(REPO)}:{e.line}"
        if key not in ours and key not in theirs:
            out.append(f"{where}: {e.msgid!r} is no longer a message of the code: delete it")
            continue
        sources = [e.msgid] + ([e.plural] if e.plural is not None else [])
        wanted = fields(sources[-1]) if fields(e.msgid) is not None else None
        for form in e.msgstr:        # a translation may leave a field out (what Chinese need not say), never add one
            found = fields(form)
            if form and wanted is not None and (found is None or not set(found) <= set(wanted + fields(e.msgid))):
                out.append(f"{where}: {form!r} has the fields {fields(form)}, its message {wanted}")
    return out


def add_messages(po: Path, messages: dict[str, str], title: str) -> int:
    """Add `messages` ({key: where it is}) that PO lacks, untranslated, keeping PO's title line when it has one.
    Returns how many were added."""
    entries = read_po(po) if po.exists() else []
    if po.exists():
        title = po.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("# ")
    have = {e.key for e in entries}
    added = 0
    for key, where in messages.items():
        if key not in have:
            msgid, _, plural = key.partition("\0")
            entries.append(Entry(msgid, plural or None, [""], comments=[f"#. {where}"]))
            added += 1
    write_po(po, entries, title)
    return added


def update(po: Path, files: list[Path]) -> int:
    """Add the messages of FILES that no catalogue has to PO, untranslated. Returns how many were added."""
    known = catalogue()
    messages: dict[str, str] = {}
    for path in files:
        found, _ = extract(path) if path.suffix == ".py" else ({}, [])
        where = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        for key in found:
            if key not in known:
                messages.setdefault(key, str(where))
    return add_messages(po, messages, f"po/zh_CN/{po.name}")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "check":
        found = problems()
        for p in found:
            print(p)
        print(f"{len(found)} problem(s)", file=sys.stderr)
        return 1 if found else 0
    if command == "compile":
        print(compile_mo(Path(argv[1]) if len(argv) > 1 else MO_PATH))
        return 0
    if command == "update" and len(argv) >= 3:
        added = update(Path(argv[1]).resolve(), [Path(f).resolve() for f in argv[2:]])
        print(f"{added} message(s) added to {argv[1]}")
        return 0
    if command == "update-click" and len(argv) == 1:
        added = add_messages(PO_DIR / CLICK_PO, click_messages(),
                             "po/zh_CN/click.po: click's own messages (usage errors, help headings)")
        print(f"{added} message(s) added to {PO_DIR / CLICK_PO}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
