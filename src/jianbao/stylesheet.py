"""The style sheet of a template (`templates/NAME/layout.yaml`) as typed values in points.

Writers read every size, font, colour and distance from here; none is hard-coded in them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from .errors import JianbaoError

PT_PER = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "twip": 1 / 20}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in|twip|em|ch)?\s*$")


def parse_length(value, em: float | None = None, where: str = "") -> float:
    """'37mm' → 104.88 (pt). 'em'/'ch' need the size of the role they belong to."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _LENGTH.match(str(value))
    if not m:
        raise JianbaoError(f"{where}: {value!r} is not a length (expected e.g. 37mm, 16pt, 2em)")
    number, unit = float(m.group(1)), m.group(2) or "pt"
    if unit in ("em", "ch"):
        if em is None:
            raise JianbaoError(f"{where}: {value!r}: em is not defined here (use mm or pt)")
        return number * em
    return number * PT_PER[unit]


def parse_colour(value: str, colours: dict[str, str], where: str = "") -> str:
    """A colour name from `colours:` or #RRGGBB → '#RRGGBB'."""
    value = colours.get(value, value)
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", str(value)):
        raise JianbaoError(f"{where}: {value!r} is not a colour (expected #RRGGBB or one of {sorted(colours)})")
    return str(value).upper()


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    top: float
    left: float
    right: float
    bottom: float

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom


@dataclass(frozen=True)
class Grid:
    lines: int
    chars: int
    pitch: float
    cell: float  # text width / chars


@dataclass(frozen=True)
class Role:
    name: str
    font: str               # a key of StyleSheet.fonts
    size: float             # pt
    colour: str = "#000000"
    bold: bool = False
    align: str = "left"     # left | center | right | justify
    indent: float = 0.0     # first-line indent, pt
    hang: float = 0.0       # indent of wrapped lines, pt
    margin_left: float = 0.0
    margin_right: float = 0.0
    spacing: float = 0.0    # extra letter spacing, pt
    fit: bool = False       # shrink to fit the text width on one line
    fit_min: float = 0.0    # … but not below this size: two balanced lines instead (0: no limit)
    balance: bool = False   # balanced line lengths (titles)
    orphans: bool = False   # never one ideograph alone on the last line (PDF; the line count stays Word's)


@dataclass(frozen=True)
class StyleSheet:
    path: Path
    page: Page
    grid: Grid
    colours: dict[str, str]
    fonts: dict[str, list[str]]
    latin: str
    roles: dict[str, Role]
    masthead: dict = field(default_factory=dict)
    body: dict = field(default_factory=dict)
    page_number: dict = field(default_factory=dict)
    distribution: dict = field(default_factory=dict)

    def role(self, name: str) -> Role:
        try:
            return self.roles[name]
        except KeyError:
            raise JianbaoError(f"{self.path}: no style for role {name!r} (roles: {', '.join(sorted(self.roles))})") from None

    def colour(self, name: str) -> str:
        return parse_colour(name, self.colours, str(self.path))


ROLE_KEYS = {"font", "size", "colour", "bold", "align", "indent", "hang", "margin_left", "margin_right",
             "spacing", "fit", "fit_min", "balance", "orphans"}
LENGTH_KEYS = {"indent", "hang", "margin_left", "margin_right", "spacing", "fit_min"}


def _role(name: str, spec: dict, colours: dict, fonts: dict, where: str) -> Role:
    unknown = set(spec) - ROLE_KEYS
    if unknown:
        raise JianbaoError(f"{where}: roles.{name}: unknown key(s) {', '.join(sorted(unknown))} (expected {', '.join(sorted(ROLE_KEYS))})")
    if spec.get("font") not in fonts:
        raise JianbaoError(f"{where}: roles.{name}.font: {spec.get('font')!r} is not a key of fonts ({', '.join(sorted(fonts))})")
    size = parse_length(spec.get("size", 16), where=f"{where}: roles.{name}.size")
    values = dict(spec, size=size, name=name)
    for key in LENGTH_KEYS & set(spec):
        values[key] = parse_length(spec[key], em=size, where=f"{where}: roles.{name}.{key}")
    values["colour"] = parse_colour(spec.get("colour", "black"), colours, f"{where}: roles.{name}.colour")
    return Role(**values)


def _lengths(section: dict, em: float | None, where: str) -> dict:
    """Convert every string value that reads as a length; leave other values as they are."""
    out = {}
    for key, value in (section or {}).items():
        if isinstance(value, dict):
            out[key] = _lengths(value, em, f"{where}.{key}")
        elif isinstance(value, str) and _LENGTH.match(value):
            unit = _LENGTH.match(value).group(2)
            out[key] = float(_LENGTH.match(value).group(1)) if unit in ("em", "ch") and em is None else parse_length(value, em, f"{where}.{key}")
        else:
            out[key] = value
    return out


def load_stylesheet(path: Path) -> StyleSheet:
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise JianbaoError(f"{where}: cannot read the style sheet: {e}") from None
    colours = {"black": "#000000", **{k: str(v) for k, v in (data.get("colours") or {}).items()}}
    p = data.get("page") or {}
    page = Page(**{k: parse_length(p.get(k, d), where=f"{where}: page.{k}") for k, d in
                   (("width", "210mm"), ("height", "297mm"), ("top", "37mm"), ("left", "28mm"),
                    ("right", "26mm"), ("bottom", "35mm"))})
    g = data.get("grid") or {}
    chars = int(g.get("chars", 28))
    grid = Grid(lines=int(g.get("lines", 22)), chars=chars,
                pitch=parse_length(g.get("pitch", "28.95pt"), where=f"{where}: grid.pitch"),
                cell=page.text_width / chars)
    fonts_spec = dict(data.get("fonts") or {})
    latin = str(fonts_spec.pop("latin", "Times New Roman"))
    fonts = {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in fonts_spec.items()}
    fonts.setdefault("fallback", [])
    roles = {name: _role(name, spec or {}, colours, fonts, where) for name, spec in (data.get("roles") or {}).items()}
    pn_size = roles["page-number"].size if "page-number" in roles else 14.0
    return StyleSheet(
        path=path, page=page, grid=grid, colours=colours, fonts=fonts, latin=latin, roles=roles,
        masthead=_lengths(data.get("masthead"), 16.0, f"{where}: masthead"),
        body=_lengths(data.get("body"), None, f"{where}: body"),
        page_number=_lengths(data.get("page_number"), pn_size, f"{where}: page_number"),
        distribution=_lengths(data.get("distribution"), 14.0, f"{where}: distribution"),
    )


def in_two_lines(size: float, one_line: float, lay: Callable[[float], list]) -> tuple[float, list]:
    """A `fit` line set in two balanced lines instead of one at `one_line` pt (below its `fit_min`): the size and
    the lines `lay(size)` gives, trying twice `one_line` (in whole half points, at most the role's `size`) and
    half a point less until they are two. Both writers use it, so that they agree on the size."""
    size = min(size, math.floor(one_line * 2 * 2) / 2)
    while True:
        lines = lay(size)
        if len(lines) <= 2 or size <= 1:
            return size, lines
        size = round(size - 0.5, 1)
