"""The issue as a person writes it: block style, keys in the README's order, text as plain scalars where YAML
reads them back unchanged (double-quoted otherwise), comments only where the importer guessed."""
from __future__ import annotations

import datetime as dt
import json

import yaml

from .recognise import Commented

ORDER = ("number", "date", "printed", "total", "copies", "note", "title", "subtitle", "body", "articles",
         "distribution")
INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def plain_ok(s: str, flow: bool = False) -> bool:
    if not s or s != s.strip() or "\n" in s or "\t" in s or s[0] in INDICATORS:
        return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    if flow and any(c in s for c in ",[]{}"):
        return False
    try:
        return yaml.safe_load(s) == s
    except yaml.YAMLError:
        return False


def scalar(value, flow: bool = False) -> str:
    if isinstance(value, bool):
        raise TypeError("no booleans in an issue")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if plain_ok(value, flow):
        return value
    return json.dumps(value, ensure_ascii=False)   # a JSON string is a YAML double-quoted scalar


def _comment(c: str | None) -> str:
    return f"  # {c}" if c else ""


def _unwrap(value):
    return (value.value, value.comment) if isinstance(value, Commented) else (value, None)


def _block_text(key_prefix: str, text: str, indent: str, comment: str | None) -> list[str]:
    """A text with line breaks (a title) as a literal block: `|` keeps them."""
    lines = text.split("\n")
    if any(line != line.strip() or not line for line in lines):
        return [f"{key_prefix}{json.dumps(text, ensure_ascii=False)}{_comment(comment)}"]
    return [f"{key_prefix}|{_comment(comment)}"] + [f"{indent}  {line}" for line in lines]


def _blocks(blocks: list, indent: str, top: bool = False) -> list[str]:
    out = []
    for i, b in enumerate(blocks):
        b, comment = _unwrap(b)
        if isinstance(b, str):
            out.append(f"{indent}- {scalar(b)}{_comment(comment)}")
            continue
        if top and i:
            out.append("")
        out.extend(_mapping(b, indent, first_prefix=f"{indent}- ", keys=("heading", "number", "text", "body")))
    return out


def _mapping(m: dict, indent: str, first_prefix: str, keys) -> list[str]:
    out = []
    inner = indent + "  "
    for key in keys:
        if key not in m:
            continue
        prefix = first_prefix if not out else inner
        value, comment = _unwrap(m[key])
        if isinstance(value, list):
            if not value:
                out.append(f"{prefix}{key}: []{_comment(comment)}")
            else:
                out.append(f"{prefix}{key}:{_comment(comment)}")
                out.extend(_blocks(value, inner + "  "))
        elif isinstance(value, str) and "\n" in value:
            out.extend(_block_text(f"{prefix}{key}: ", value, inner, comment))
        else:
            out.append(f"{prefix}{key}: {scalar(value)}{_comment(comment)}")
    return out


def _names(label: str, names: list[str], indent: str) -> list[str]:
    flow = f"{indent}{label}: [{', '.join(scalar(n, flow=True) for n in names)}]"
    if all(plain_ok(n, flow=True) for n in names) and len(flow) <= 100:
        return [flow]
    return [f"{indent}{label}:"] + [f"{indent}  - {scalar(n)}" for n in names]


def dump(issue: dict, header: list[str]) -> str:
    out = [f"# {line}" if line else "#" for line in header]
    if out:
        out.append("")
    for key in ORDER:
        if key not in issue:
            continue
        value, comment = _unwrap(issue[key])
        if key in ("number", "date", "printed", "total", "copies", "subtitle"):
            out.append(f"{key}: {scalar(value)}{_comment(comment)}")
        elif key == "title":
            if "\n" in value:
                out.extend(_block_text("title: ", value, "", comment))
            else:
                out.append(f"title: {scalar(value)}{_comment(comment)}")
        elif key == "note":
            if isinstance(value, list):
                out.append("note:")
                out.extend(f"  - {scalar(x)}" for x in value)
            else:
                out.append(f"note: {scalar(value)}")
        elif key == "body":
            out.append(f"body:{_comment(comment)}" if value else f"body: []{_comment(comment)}")
            out.extend(_blocks(value, "  ", top=True))
        elif key == "articles":
            out.append("articles:")
            for i, art in enumerate(value):
                if i:
                    out.append("")
                out.extend(_mapping(art, "  ", "  - ", ("title", "subtitle", "body", "source")))
        elif key == "distribution":
            out.append("")
            out.append("distribution:")
            for label, names in value.items():
                out.extend(_names(label, names, "  "))
    return "\n".join(out) + "\n"
