"""Reading helpers over the document tree (see docs/tree.md), shared by both writers."""
from __future__ import annotations

from typing import Iterator, NamedTuple
from xml.etree import ElementTree as ET

from .i18n import _


class Run(NamedTuple):
    text: str
    role: str        # a role of layout.yaml: the run-in heading's `heading-N`, else the enclosing role
    emphasis: bool   # inside <em>


def runs(element: ET.Element, role: str) -> Iterator[Run]:
    """The inline text of `element` in reading order, each piece with its role and emphasis.

    `<runin level=N>` switches to role `heading-N` for its content; `<em>` sets emphasis;
    `<note-label>` has its own role; `<num>` and `<label>` are plain text of their parent's role.
    """
    yield from _walk(element, role, False)


def _walk(element: ET.Element, role: str, emphasis: bool) -> Iterator[Run]:
    if element.text:
        yield Run(element.text, role, emphasis)
    for child in element:
        if child.tag == "runin":
            yield from _walk(child, f"heading-{child.get('level')}", emphasis)
        elif child.tag == "em":
            yield from _walk(child, role, True)
        elif child.tag == "note-label":
            yield from _walk(child, "note-label", emphasis)
        elif child.tag in ("num", "label"):
            yield from _walk(child, role, emphasis)
        elif child.tag == "br":
            yield Run("\n", role, emphasis)
        else:
            raise ValueError(_("unexpected <{tag}> inside <{parent}>").format(tag=child.tag, parent=element.tag))
        if child.tail:
            yield Run(child.tail, role, emphasis)


def text(element: ET.Element) -> str:
    """All text of an element, markup removed."""
    return "".join(element.itertext())


def dump(root: ET.Element) -> str:
    """A stable, indented serialisation (golden files, `jianbao build --tree`)."""
    copy = ET.fromstring(ET.tostring(root, encoding="unicode"))
    _indent(copy, 0)
    return ET.tostring(copy, encoding="unicode") + "\n"


CONTAINERS = frozenset({"bulletin", "masthead", "contents", "article", "distribution", "figures", "figure", "table",
                        "tr"})


def _indent(element: ET.Element, depth: int) -> None:
    """Indent container elements only: whitespace inside inline content would change the text."""
    if element.tag not in CONTAINERS or len(element) == 0:
        return
    element.text = "\n" + "  " * (depth + 1)
    for child in element:
        _indent(child, depth + 1)
        child.tail = "\n" + "  " * (depth + 1)
    element[-1].tail = "\n" + "  " * depth
