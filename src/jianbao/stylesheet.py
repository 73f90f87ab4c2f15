"""The style sheet of a template as typed values in points: every layout number, written once.

`templates/base.yaml` holds every value; a template's `layout.yaml` (`templates/NAME/layout.yaml`) inherits it and
changes what it wants, section by section and key by key. A role may name a `parent:` role and inherit its keys
(as rst2pdf's style sheets do): `heading-3: {parent: para, indent: 2em}`. The layout stage and the writers read
typed fields only: a key the base lacks is an error here, never a default hidden in a writer.

Lengths take a unit (mm, pt, cm, in, twip) or `em` (one character of the size the section or role names).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Callable

import yaml

from .errors import JianbaoError, Shown, listing
from .i18n import _

PT_PER = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "twip": 1 / 20}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in|twip|em|ch)?\s*$")
BASE = Path(__file__).resolve().parent / "templates" / "base.yaml"


def parse_length(value, em: float | None = None, where: str = "") -> float:
    """'37mm' → 104.88 (pt). 'em'/'ch' need the size of the role they belong to."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _LENGTH.match(str(value))
    if not m:
        raise JianbaoError(_("{where}: {value!r} is not a length (expected e.g. 37mm, 16pt, 2em)").format(
            where=where, value=Shown(value)))
    number, unit = float(m.group(1)), m.group(2) or "pt"
    if unit in ("em", "ch"):
        if em is None:
            raise JianbaoError(_("{where}: {value!r}: em is not defined here (use mm or pt)").format(
                where=where, value=Shown(value)))
        return number * em
    return number * PT_PER[unit]


def parse_colour(value: str, colours: dict[str, str], where: str = "") -> str:
    """A colour name from `colours:` or #RRGGBB → '#RRGGBB'."""
    value = colours.get(value, value)
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", str(value)):
        raise JianbaoError(_("{where}: {value!r} is not a colour (expected #RRGGBB or one of {names})").format(
            where=where, value=Shown(value), names=listing(sorted(colours))))
    return str(value).upper()


# ---------------------------------------------------------------------------------------------------------------
# The typed sections. Each field's metadata says how its YAML value is read: "length" (pt, em = the section's size),
# "em" (a number of ems, `0.2em` or 0.2), "colour", or the field's own type (int, float, bool, str).

#: The font key of digits and Latin letters: the DOCX's Latin face (its first name) and the faces the layout
#: measures and the PDF draws them with (the first one installed; none: the role's own face).
LATIN_KEY = "latin"


def _kind(kind: str):
    from dataclasses import field
    return field(metadata={"kind": kind})


@dataclass(frozen=True)
class Page:
    width: float = _kind("length")
    height: float = _kind("length")
    top: float = _kind("length")
    left: float = _kind("length")
    right: float = _kind("length")
    bottom: float = _kind("length")

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom


@dataclass(frozen=True)
class Grid:
    lines: int = _kind("int")
    chars: int = _kind("int")
    pitch: float = _kind("length")
    cell: float = _kind("derived")        # text width / chars


@dataclass(frozen=True)
class Rule:
    colour: str = _kind("colour")
    width: float = _kind("length")
    gap: float = _kind("length")          # editor/date baseline to the rule's centre line
    double: bool = _kind("bool")          # a thick rule over a thin one
    thin_width: float = _kind("length")
    thin_gap: float = _kind("length")


@dataclass(frozen=True)
class Masthead:
    name_top: float = _kind("length")     # text block top to the first masthead line
    blank_after_name: int = _kind("int")  # grid lines between the name and the 期号
    blank_after_number: int = _kind("int")    # grid lines between the 期号 and the editor/date line
    rule: Rule = _kind("section")
    blank_after_rule: int = _kind("int")  # blank grid lines between the rule and the body


@dataclass(frozen=True)
class Body:
    emphasis_stroke: float = _kind("em")  # synthetic bold: outline width, em of the run's size
    hanging_punctuation: bool = _kind("bool")
    autospace: float = _kind("em")        # between Chinese and digits/Latin, em of the run's size
    keep_units: bool = _kind("bool")      # a digit group never ends a line before its unit (156项)
    loosest: float = _kind("float")       # a justified line's ideographs at most this many cells apart
    squeeze_room: float = _kind("em")     # room a line that squeezes marks keeps to spare, in cells
    blank_before_source: int = _kind("int")
    blank_between_articles: int = _kind("int")
    squeeze_to_fit: bool = _kind("bool")  # give up the blank line after the rule when that saves a page


@dataclass(frozen=True)
class PageNumber:
    below: float = _kind("length")        # text block bottom to the top of the dashes
    indent: float = _kind("length")       # in from the text block edge (em = the page-number role)
    dash: str = _kind("str")
    dash_top: float = _kind("length")     # the dash's ink above its baseline, where the face does not say


@dataclass(frozen=True)
class Distribution:
    rule_outer: float = _kind("length")
    rule_inner: float = _kind("length")
    pitch: float = _kind("length")
    copies_gap: float = _kind("length")   # the print run's room on the last recipients line (em = the printing role)
    even_page: bool = _kind("bool")
    docx_flow: bool = _kind("bool")       # the DOCX's 版记 in the text flow (a spacer and a table), not a text box


@dataclass(frozen=True)
class Pictures:
    dpi: float = _kind("float")           # embedded pixels per inch at the printed size
    jpeg_max: float = _kind("float")      # a JPEG up to this many times `dpi` is embedded as it is
    jpeg_quality: int = _kind("int")      # quality of a photograph encoded again
    room: float = _kind("length")         # least room between a picture and its band's grid lines
    gap: float = _kind("length")          # between pictures side by side (em = the body size)
    low_dpi: float = _kind("float")       # `jianbao check` warns below this resolution


@dataclass(frozen=True)
class Table:
    rule: float = _kind("length")         # the cell rules' width
    colour: str = _kind("colour")
    padding: float = _kind("length")      # cell text from the vertical rules (em = the table-cell role)


@dataclass(frozen=True)
class Metrics:
    em_ascent: float = _kind("float")     # baseline under the top of the ideographic em box, in em


@dataclass(frozen=True)
class Docx:
    """What the DOCX needs beyond the shared layout: Word's page furniture, and the allowances that keep Word's and
    LibreOffice's own line breaking and rounding from losing a line the plan counted."""
    header: float = _kind("length")       # page top to the (empty) header
    masthead_slack: float = _kind("length")   # the masthead stays this much short of its last grid line
    fit_slack: float = _kind("em")        # room left on a fitted masthead line for the renderer's rounding
    recipients_slack: float = _kind("em")     # a 版记 line may run this much wider in Word than in the plan
    fallback_slack: float = _kind("em")   # more room on the right for a paragraph with fallback-face characters
    tight_slack: float = _kind("em")      # a justified line with less room than this is condensed by the difference
    percent_slack: float = _kind("em")    # and this much more room for each % or ‰ before a full-width mark
    exact_ascent: float = _kind("float")  # LibreOffice's baseline in an exact-height line, of the line's height
    footer_descent: float = _kind("em")   # a single-spaced footer line's bottom under its baseline
    overflow_punct_for_libreoffice: bool = _kind("bool")  # no hanging: w:overflowPunct="1" (LibreOffice's reading)
    table_slack: float = _kind("length")  # a table's first row is this much shorter than its grid lines
    flow_slack: float = _kind("length")   # a 版记 in the text flow (distribution.docx_flow) ends this much higher


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
    break_after: str = ""   # a line ends only after one of these characters where it can (、: between names)
    latin_bold: bool = False    # the DOCX sets the role's Latin letters and digits bold (next to a heavy face)
    orphans: bool = False   # never one ideograph alone on the last line (the DOCX follows through the plan)
    keep_next: bool = False # on the page of what follows
    grid: bool = True       # on the line grid (masthead lines, the 版记 and page numbers are not)
    outline: int | None = None      # outline level (the DOCX navigation pane)
    word_style: tuple[str, str] | None = None     # the DOCX paragraph style: (id, name)
    word_char_style: tuple[str, str] | None = None  # the DOCX character style of a run of this role in another


ROLE_KEYS = {f.name for f in fields(Role)} - {"name"} | {"parent"}
ROLE_LENGTHS = {"indent", "hang", "margin_left", "margin_right", "spacing", "fit_min"}


@dataclass(frozen=True)
class StyleSheet:
    path: Path
    page: Page
    grid: Grid
    colours: dict[str, str]
    fonts: dict[str, list[str]]
    latin: str
    roles: dict[str, Role]
    masthead: Masthead
    body: Body
    page_number: PageNumber
    distribution: Distribution
    metrics: Metrics
    docx: Docx
    pictures: Pictures
    table: Table

    def role(self, name: str) -> Role:
        try:
            return self.roles[name]
        except KeyError:
            raise JianbaoError(_("{file}: no style for role {role!r} (roles: {roles})").format(
                file=self.path, role=Shown(name), roles=listing(sorted(self.roles)))) from None

    def colour(self, name: str) -> str:
        return parse_colour(name, self.colours, str(self.path))


# ---------------------------------------------------------------------------------------------------------------
# Reading

def _merged(base: dict, over: dict) -> dict:
    """`over` on top of `base`, mappings merged key by key (lists and values replaced)."""
    out = dict(base)
    for key, value in (over or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _section(cls, data, where: str, colours: dict, em: float | None = None):
    """A typed section from its mapping: every field present (the base has them all), no unknown key."""
    if not isinstance(data, dict):
        raise JianbaoError(_("{where}: expected a mapping of settings, not {value!r}").format(where=where,
                                                                                           value=Shown(data)))
    known = {f.name: f for f in fields(cls) if f.metadata["kind"] not in ("section", "derived")}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise JianbaoError(_("{where}: unknown setting (expected one of {keys})").format(
            where=f"{where}.{unknown[0]}", keys=listing(sorted(known))))
    values = {}
    for name, f in known.items():
        if name not in data:
            raise JianbaoError(_("{where}: missing (the base style sheet {base} has every setting)").format(
                where=f"{where}.{name}", base=BASE))
        value, here = data[name], f"{where}.{name}"
        kind = f.metadata["kind"]
        if kind == "length":
            values[name] = parse_length(value, em, here)
        elif kind == "em":
            values[name] = parse_length(value, 1.0, here)       # a number of ems
        elif kind == "colour":
            values[name] = parse_colour(value, colours, here)
        elif kind == "bool":
            if not isinstance(value, bool):
                raise JianbaoError(_("{where}: {value!r} is not true or false").format(where=here, value=Shown(value)))
            values[name] = value
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value < 0:
                raise JianbaoError(_("{where}: {value!r} is not a whole number").format(where=here, value=Shown(value)))
            values[name] = int(value)
        elif kind == "float":
            values[name] = parse_length(value, None, here)
        else:
            values[name] = str(value)
    return values


def _roles(spec: dict, colours: dict, fonts: dict, where: str) -> dict[str, Role]:
    """Roles with `parent:` inheritance resolved (a parent's keys first, the role's own on top)."""
    if not isinstance(spec, dict):
        raise JianbaoError(_("{where}: expected a mapping of roles").format(where=f"{where}: roles"))

    def resolved(name: str, seen: tuple[str, ...]) -> dict:
        own = spec[name] or {}
        if not isinstance(own, dict):
            raise JianbaoError(_("{where}: expected a mapping of keys").format(where=f"{where}: roles.{name}"))
        parent = own.get("parent")
        if parent is None:
            return dict(own)
        if parent not in spec:
            raise JianbaoError(_("{where}: no role {role!r}").format(where=f"{where}: roles.{name}.parent",
                                                                   role=Shown(parent)))
        if parent in seen:
            raise JianbaoError(_("{where}: {roles} is a loop").format(where=f"{where}: roles.{name}.parent",
                                                                    roles=" → ".join(seen + (parent,))))
        base = {k: v for k, v in resolved(parent, seen + (parent,)).items() if k not in ("word_style", "outline")}
        return _merged(base, {k: v for k, v in own.items() if k != "parent"})

    return {name: _role(name, resolved(name, (name,)), colours, fonts, where) for name in spec}


def _role(name: str, spec: dict, colours: dict, fonts: dict, where: str) -> Role:
    unknown = set(spec) - ROLE_KEYS
    if unknown:
        raise JianbaoError(_("{where}: unknown key(s) {keys} (expected {allowed})").format(
            where=f"{where}: roles.{name}", keys=listing(sorted(unknown)), allowed=listing(sorted(ROLE_KEYS))))
    if spec.get("font") not in fonts:
        raise JianbaoError(_("{where}: {font!r} is not a key of fonts ({keys})").format(
            where=f"{where}: roles.{name}.font", font=Shown(spec.get("font")), keys=listing(sorted(fonts))))
    if "size" not in spec:
        raise JianbaoError(_("{where}: missing (the type size in pt)").format(where=f"{where}: roles.{name}.size"))
    size = parse_length(spec["size"], where=f"{where}: roles.{name}.size")
    values = {k: v for k, v in spec.items() if k != "parent"}
    values.update(size=size, name=name)
    for key in ROLE_LENGTHS & set(spec):
        values[key] = parse_length(spec[key], em=size, where=f"{where}: roles.{name}.{key}")
    values["colour"] = parse_colour(spec.get("colour", "black"), colours, f"{where}: roles.{name}.colour")
    if not isinstance(values.get("break_after", ""), str):
        raise JianbaoError(_("{where}: {value!r} is not a string of characters (e.g. \"、\")").format(
            where=f"{where}: roles.{name}.break_after", value=Shown(values["break_after"])))
    for key in ("word_style", "word_char_style"):
        if key in values and values[key] is not None:
            pair = values[key]
            if not (isinstance(pair, list) and len(pair) == 2):
                raise JianbaoError(_("{where}: expected [style id, style name]").format(
                    where=f"{where}: roles.{name}.{key}"))
            values[key] = (str(pair[0]), str(pair[1]))
    return Role(**values)


def _read(path: Path) -> dict:
    from .source import read_text, syntax_error

    text = read_text(path)              # a located error when unreadable, not UTF-8 or with a control character
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        try:                            # libyaml's words: say it in the pure-Python parser's (more precise)
            yaml.load(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as again:
            e = again
        except RecursionError:          # nested past Python's stack: libyaml's words then
            pass
        raise syntax_error(path, e) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise JianbaoError(_("{file}: a style sheet is a mapping of sections (page, grid, fonts, roles, …)").format(
            file=path))
    return data


def load_stylesheet(path: Path) -> StyleSheet:
    """The style sheet of `path` (a template's layout.yaml) on top of the base style sheet."""
    where = str(path)
    data = _merged(_read(BASE), _read(path))
    colours = {"black": "#000000", **{k: str(v) for k, v in (data.get("colours") or {}).items()}}
    page = Page(**_section(Page, data.get("page"), f"{where}: page", colours))
    g = _section(Grid, data.get("grid"), f"{where}: grid", colours)
    if g["chars"] < 1 or g["lines"] < 1:
        raise JianbaoError(_("{where}: lines and chars must be 1 or more").format(where=f"{where}: grid"))
    grid = Grid(**g, cell=page.text_width / g["chars"])
    fonts_spec = dict(data.get("fonts") or {})
    fonts = {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in fonts_spec.items()}
    fonts.setdefault(LATIN_KEY, ["Times New Roman"])
    if not fonts[LATIN_KEY]:
        raise JianbaoError(_("{where}: name at least one face (the first is the DOCX's Latin face)").format(
            where=f"{where}: fonts.latin"))
    latin = fonts[LATIN_KEY][0]
    fonts.setdefault("fallback", [])
    roles = _roles(data.get("roles") or {}, colours, fonts, where)
    for needed in ("para", "printing", "page-number", "table-cell"):
        if needed not in roles:
            raise JianbaoError(_("{where}: missing").format(where=f"{where}: roles.{needed}"))
    body = Body(**_section(Body, data.get("body"), f"{where}: body", colours))
    if body.loosest < 1:
        raise JianbaoError(_("{where}: {value} is less than 1 (cells a character on a justified line)").format(
            where=f"{where}: body.loosest", value=body.loosest))
    m = dict(data.get("masthead") or {})
    rule = Rule(**_section(Rule, m.pop("rule", None), f"{where}: masthead.rule", colours, roles["para"].size))
    masthead = Masthead(**_section(Masthead, m, f"{where}: masthead", colours, roles["para"].size), rule=rule)
    return StyleSheet(
        path=path, page=page, grid=grid, colours=colours, fonts=fonts, latin=latin, roles=roles,
        masthead=masthead,
        body=body,
        page_number=PageNumber(**_section(PageNumber, data.get("page_number"), f"{where}: page_number", colours,
                                          roles["page-number"].size)),
        distribution=Distribution(**_section(Distribution, data.get("distribution"), f"{where}: distribution",
                                             colours, roles["printing"].size)),
        metrics=Metrics(**_section(Metrics, data.get("metrics"), f"{where}: metrics", colours)),
        docx=Docx(**_section(Docx, data.get("docx"), f"{where}: docx", colours)),
        pictures=Pictures(**_section(Pictures, data.get("pictures"), f"{where}: pictures", colours,
                                     roles["para"].size)),
        table=Table(**_section(Table, data.get("table"), f"{where}: table", colours, roles["table-cell"].size)),
    )


def in_two_lines(size: float, one_line: float, lay: Callable[[float], list]) -> tuple[float, list]:
    """A `fit` line set in two balanced lines instead of one at `one_line` pt (below its `fit_min`): the size and
    the lines `lay(size)` gives, trying twice `one_line` (in whole half points, at most the role's `size`) and
    half a point less until they are two."""
    size = min(size, math.floor(one_line * 2 * 2) / 2)
    while True:
        lines = lay(size)
        if len(lines) <= 2 or size <= 1:
            return size, lines
        size = round(size - 0.5, 1)
