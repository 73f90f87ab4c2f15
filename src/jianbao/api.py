"""The library API: everything the CLI does, as functions of explicit inputs."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from .atomic import write_bytes as write_atomic  # noqa: F401  (the API's name for it)
from .errors import InputErrors, JianbaoError, Location, Shown, listing, reason
from .i18n import N_, _
from .model import FORMATS, Issue, Series
from .schema import load_issue, load_series
from .stylesheet import StyleSheet, load_stylesheet

BUILTIN_TEMPLATES = Path(__file__).resolve().parent / "templates"


def find_root(start: Path) -> Path:
    """The series folder: the nearest folder at or above `start` holding jianbao.yaml.

    Without one, an issue file's series is the folder above its `issues/` folder (or its own folder).
    """
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "jianbao.yaml").is_file():
            return candidate
    from .history import YEAR

    if folder.parent.name == "issues" and YEAR.match(folder.name):
        folder = folder.parent                 # issues/YYYY/ of a yearly series
    return folder.parent if folder.name == "issues" else folder


def template_dir(series: Series) -> Path:
    """templates/NAME of the series first, then the built-in one."""
    for base in (series.root / "templates", BUILTIN_TEMPLATES):
        candidate = base / series.template
        if (candidate / "bulletin.xml.j2").is_file():
            return candidate
    raise JianbaoError(_("{config}: template {name!r} not found in {folder} nor among the built-in templates "
                         "({names})").format(config=series.root / "jianbao.yaml", name=Shown(series.template),
                                             folder=series.root / "templates", names=listing(builtin_templates())))


def builtin_templates() -> list[str]:
    return sorted(p.name for p in BUILTIN_TEMPLATES.iterdir() if (p / "bulletin.xml.j2").is_file())


def issue_files(root: Path) -> list[Path]:
    """The issue files of a series (issues/NNN.yaml, issues/YYYY/NNN.yaml, zNN.yaml), by year, kind and number."""
    from .history import issue_refs

    return [ref.path for ref in issue_refs(root)]


def output_folder(root: Path, issue: Path, out_dir: Path | None = None) -> Path:
    """Where an issue's outputs go: build/ (or out_dir), in a folder of the same year for issues/YYYY/NNN.yaml."""
    from .history import YEAR

    base = out_dir or root / "build"
    return base / issue.parent.name if YEAR.match(issue.parent.name) else base


@dataclass
class Context:
    """What an issue is built with: its series, template and style sheet (loaded once per series)."""
    series: Series
    template: Path
    style: StyleSheet
    _fonts: object = field(default=None, repr=False)

    @classmethod
    def for_root(cls, root: Path) -> "Context":
        series = _loaded(load_series, root, root / "jianbao.yaml")
        folder = template_dir(series)
        return cls(series, folder, _loaded(load_stylesheet, folder / "layout.yaml", folder / "layout.yaml"))

    @property
    def fonts(self):
        if self._fonts is None:
            from .fonts import FontBook
            self._fonts = FontBook.for_series(self.series.root, self.style.fonts)
        return self._fonts


# ---------------------------------------------------------------- caches (one process)

_LOADED: dict[tuple, object] = {}


def _loaded(loader, arg, source: Path):
    """`loader(arg)`, which reads the file `source`, parsed once per process for each content of the file
    (a series' jianbao.yaml and layout.yaml are read by the build, by the checks and by every worker). What it
    returns is frozen; an error is raised again every time."""
    try:
        content = source.read_bytes()
    except OSError:
        return loader(arg)                 # absent or unreadable: the loader says what that means
    key = (loader.__module__, loader.__qualname__, str(arg), hashlib.sha256(content).hexdigest())
    if key not in _LOADED:
        _LOADED[key] = loader(arg)
    return _LOADED[key]


def expand(issue: Issue, template: Path) -> ET.Element:
    """`jianbao.expand.expand` (one Jinja environment per template folder and process), imported on first use:
    deciding that nothing needs rebuilding takes no Jinja."""
    from .expand import expand as expand_issue

    return expand_issue(issue, template)


@dataclass(frozen=True)
class BuildResult:
    issue: Path
    outputs: tuple[Path, ...]
    pages: int
    fallbacks: dict          # char -> the family that printed it instead of the role's own
    advice: tuple[str, ...] = ()    # fit advice (jianbao.fit): "FILE:LINE: fit: message"


def read_issue(path: Path, context: Context | None = None) -> tuple[Issue, Context]:
    """The issue, with the 总第 its series' history gives it when the file does not say (`first_total:`)."""
    from dataclasses import replace

    from .history import total_of

    context = context or Context.for_root(find_root(path))
    issue = load_issue(path, context.series)
    if issue.total is None and context.series.first_total is not None:
        total = total_of(context.series.root, context.series, issue.year, issue.number, issue.supplement)
        if total is not None:
            issue = replace(issue, total=total)
    return issue, context


def build_tree(path: Path, context: Context | None = None) -> ET.Element:
    issue, context = read_issue(path, context)
    return expand(issue, context.template)


def lay_out(path: Path, context: Context | None = None, preprinted: bool = False):
    """Read, expand and lay out an issue: its document tree, the laid-out bulletin (jianbao.layout) and the
    characters set from a fallback face. A character in no font is a located error before any writer runs.
    `preprinted` (or the series' `preprinted: true`): for paper with the red masthead printed on it (套打)."""
    from .fonts import check_coverage, missing_error
    from .layout import lay_out as lay_out_tree

    issue, context = read_issue(path, context)
    tree = expand(issue, context.template)
    with _located(path):                       # (a font key with no face, a tree the template broke: named)
        coverage = check_coverage(tree, context.style, context.fonts)
    if coverage.missing:
        raise missing_error(coverage, str(path))
    with _located(path):
        laid = lay_out_tree(tree, context.style, context.fonts, preprinted or context.series.preprinted,
                            root=context.series.root)
    fallbacks = {ch: face.family for (role, ch), face in sorted(coverage.fallbacks.items())}
    return tree, laid, fallbacks


def formats_of(context: Context, formats=None) -> tuple[str, ...]:
    """The formats to write: `formats` if given, else the series' `formats:` (PDF and DOCX when it has none)."""
    formats = tuple(dict.fromkeys(formats or context.series.formats))
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise JianbaoError(_("unknown output format {format!r} (expected some of: {formats})").format(
            format=Shown(unknown[0]), formats=listing(FORMATS)))
    return formats


def write_formats(path: Path, tree: ET.Element, laid, context: Context, formats,
                  options: dict | None = None) -> dict[str, bytes]:
    """The bytes of each format of a laid-out issue ({'pdf': …, 'docx': …}); 'png' is a list, one image per page,
    rendered from the PDF (`options`: {'dpi': 150}). Nothing is written."""
    from .writers import writer

    data = {}
    with _located(path):
        for fmt in formats:
            if fmt == "png":
                continue
            buf = io.BytesIO()
            writer(fmt)(tree, laid, context.style, buf)
            data[fmt] = buf.getvalue()
        if "png" in formats:
            from .writers.png import pdf_pages

            data["png"] = pdf_pages(tree, laid, context.style, data.get("pdf"), options)
    return data


class _located:
    """A layout or writer error about a line of the issue (or about nothing in particular) names the issue file."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, e, tb):
        if kind is None or not issubclass(kind, JianbaoError) or isinstance(e, InputErrors) or e.location is not None:
            return False
        if e.line is not None:
            raise JianbaoError(e.message, Location(str(self.path), e.line, e.column or 1)) from None
        raise JianbaoError(f"{self.path}: {e.message}") from None


def render(path: Path, context: Context | None = None, formats=None,
           preprinted: bool = False, options: dict | None = None) -> tuple[dict[str, bytes], BuildResult]:
    """Build an issue in memory: {'pdf': bytes, 'docx': bytes, …} for `formats` (default: the series' `formats:`,
    else PDF and DOCX). Nothing is written. `options`: {'dpi': 150} for the page images."""
    context = context or Context.for_root(find_root(path))
    formats = formats_of(context, formats)
    tree, laid, fallbacks = lay_out(path, context, preprinted)
    data = write_formats(path, tree, laid, context, formats, options)
    return data, BuildResult(path, (), len(laid.pages), fallbacks, fit_advice(path, tree, laid, context))


def fit_advice(path: Path, tree: ET.Element, laid, context: Context) -> tuple[str, ...]:
    """The fit advice for a laid-out issue (its last page holding only the 版记 or a line or two)."""
    from .fit import advise

    return tuple(f"{path}:{a.line or 1}: fit: {a.message}"
                 for a in advise(tree, context.style, context.fonts, laid))


def check_output_folder(out_dir: Path) -> None:
    """A located error when out_dir cannot be a folder: it, or a folder above it, exists as a file."""
    for candidate in (out_dir, *out_dir.parents):
        if candidate.exists() or candidate.is_symlink():
            if candidate == out_dir and not candidate.is_dir():
                raise JianbaoError(_("{folder}: the output folder exists as a file (move the file away, or "
                                     "choose another folder with --out)").format(folder=out_dir))
            if not candidate.is_dir():
                raise JianbaoError(_("{file}: is a file, not a folder, so {folder} cannot be written to "
                                     "(move the file away, or choose another folder with --out)").format(
                    file=candidate, folder=out_dir))
            return


def make_output_folder(out_dir: Path) -> None:
    check_output_folder(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise JianbaoError(_("{folder}: cannot create the output folder ({reason})").format(folder=out_dir,
                                                                                           reason=reason(e))) from None


def png_name(stem: str, page: int) -> str:
    """build/011-1.png: the page images of an issue, numbered from 1."""
    return f"{stem}-{page}.png"


def write_outputs(out_dir: Path, stem: str, data: dict, formats) -> list[Path]:
    """Write what `render` made, each file atomically, in the order of `formats`; the page images of pages an
    issue no longer has (it got shorter) are removed."""
    make_output_folder(out_dir)
    written = []
    for fmt in formats:
        if fmt == "png":
            for number, image in enumerate(data["png"], 1):
                target = out_dir / png_name(stem, number)
                write_atomic(target, image)
                written.append(target)
            stale = re.compile(rf"^{re.escape(stem)}-(\d+)\.png$")
            for old in out_dir.iterdir():
                m = stale.match(old.name)
                if m and int(m.group(1)) > len(data["png"]):
                    old.unlink()
        else:
            target = out_dir / f"{stem}.{fmt}"
            write_atomic(target, data[fmt])
            written.append(target)
    return written


def build(path: Path, out_dir: Path, context: Context | None = None, formats=None,
          preprinted: bool = False, options: dict | None = None) -> BuildResult:
    """Build one issue into out_dir/NNN.pdf, NNN.docx, … (`formats`: as for `render`); on any error nothing is
    written."""
    context = context or Context.for_root(find_root(path))
    formats = formats_of(context, formats)
    data, result = render(path, context, formats, preprinted, options)
    written = write_outputs(out_dir, path.stem, data, formats)
    return BuildResult(path, tuple(written), result.pages, result.fallbacks, result.advice)


# ---------------------------------------------------------------- jianbao new

NEW_ISSUE = N_("""\
# {heading} — one issue of the bulletin series set up in {config}.
# Build it with:  jianbao build {rel}   (writes {out}.pdf and {out}.docx)

number: {number}          # 期号: must match the file name{kind}
date: {date}      # 编印日期 (also the 印发 date; set `printed:` if it differs)
{total}
# copies: 200         # optional: （共印200份）

# note: 编者按的文字。   # optional: 编者按, printed before the title

title: 请在此填写标题   # a long title is broken into balanced lines; a newline forces a break

body:
  # A text is a paragraph (indented two characters). **…** marks emphasis (bold).
  - 请在此填写导语段落。
  # A section: `heading:` plus `body:`; headings are numbered for you (一、（一）1.（1）by depth,
  # or the styles of `heading_numbers:`).
  - heading: 第一部分的标题
    body:
      - "**一是要点。**正文段落，以加粗的要点开头时整段需加引号。"
      # A run-in section: heading and first paragraph in one paragraph (`text:` instead of `body:`).
      - heading: 小标题。
        text: 紧接小标题的正文。

# 版记 (报/送/发), carried over from {origin}; edit for this issue if needed.
{distribution}""")


def _distribution_yaml(recipients) -> str:
    import yaml

    mapping = {r.label: list(r.names) for r in recipients}
    if not mapping:
        return "# distribution:\n#   发: [收文单位]\n"
    return yaml.safe_dump({"distribution": mapping}, allow_unicode=True, default_flow_style=None,
                          sort_keys=False, width=4096)


def new_issue(root: Path, number: int | None, date: dt.date, supplement: bool = False) -> Path:
    """Write the file of the next (or given) issue: issues/NNN.yaml, or issues/YYYY/NNN.yaml in a yearly series
    (YYYY: the year of `date`); a supplement (增刊) is zNN.yaml, numbered apart. Never overwrite or reuse a number."""
    from .history import file_name, issue_folder, issue_refs

    context = Context.for_root(root)
    series = context.series
    year = date.year if series.yearly else None
    refs = issue_refs(root)
    same = {}
    for ref in refs:
        if ref.sequence == (year or 0, supplement):
            same.setdefault(ref.number, ref.path)
    if number is None:
        number = max(same, default=0) + 1
    if number < 1:
        raise JianbaoError(_("issue number must be 1 or more, not {number}").format(number=number))
    target = issue_folder(root, year) / file_name(number, supplement)
    if target.exists():
        raise JianbaoError(_("{target}: already exists; not overwriting it (choose another number)").format(
            target=target))
    if number in same:
        taken = (_("supplement {number} of {year} already exists as {path}") if supplement and year else
                 _("supplement {number} already exists as {path}") if supplement else
                 _("issue {number} of {year} already exists as {path}") if year else
                 _("issue {number} already exists as {path}"))
        raise JianbaoError(taken.format(number=number, year=year, path=same[number]))
    distribution, origin = series.distribution, "jianbao.yaml"
    regular = [ref for ref in refs if not ref.supplement]
    if refs:
        newest = (regular or refs)[-1].path
        try:
            distribution = load_issue(newest, series).distribution
            origin = str(newest.relative_to(root))
        except JianbaoError as e:
            raise JianbaoError(_("cannot carry the distribution over from {path}: {error}").format(
                path=newest, error=e)) from None
    rel = target.relative_to(root)
    out = output_folder(root, target).relative_to(root) / target.stem
    if series.first_total is not None and not supplement:
        total = _("# total:             # 总第: counted by jianbao from `first_total:` in jianbao.yaml")
    elif supplement:
        total = _("# a supplement (增刊) has no 总第")
    else:
        total = _("# total: 58          # optional: 总第58期")
    text = _(NEW_ISSUE).format(
        heading=(f"{year}年" if year else "") + ("增刊" if supplement else "") + f"第{number}期",
        config="../" * (len(rel.parts) - 1) + "jianbao.yaml", rel=rel.as_posix(), out=out.as_posix(),
        number=number, kind=_("  (增刊: numbered apart, file zNN.yaml)") if supplement else "",
        date=date.isoformat(), total=total, origin=origin, distribution=_distribution_yaml(distribution))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:  # "x": refuse to replace a file created meanwhile
        f.write(text)
    return target
