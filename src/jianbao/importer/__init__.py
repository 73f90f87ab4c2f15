"""`jianbao import`: an office's existing bulletins (.docx, .txt extracts) as issues of the series.

    result = import_file(Path("bulletin-011.txt"), series)   # series: model.Series or None
    result.yaml, result.number, result.notes

Reading (read.py: size limits, safe XML), recognising (recognise.py: masthead, contents, 编者按, headings by
their numbering, emphasis, 版记) and writing the YAML (emit.py) are separate steps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import JianbaoError, Location
from ..i18n import _
from .emit import dump
from .read import read_source
from .recognise import Commented, Recogniser, SeriesInfo


@dataclass
class Imported:
    source: Path
    number: int
    yaml: str
    notes: list          # (line, message)
    fixes: int
    dropped: list        # (line, text) page numbers left out


def series_info(series) -> SeriesInfo:
    if series is None:
        return SeriesInfo()
    m = series.masthead
    return SeriesInfo(m.marking, m.series, m.name, m.editor, series.printer,
                      {r.label: list(r.names) for r in series.distribution})


def import_file(path: Path, series=None, balance=None) -> Imported:
    """`balance(title) -> [lines]`: how jianbao's writer breaks a title by itself (to tell its own line breaks
    from the author's in a DOCX it wrote); None to keep every break."""
    paras = read_source(path)
    if not any(p.text.strip() for p in paras):
        raise JianbaoError(_("no text in the file"), Location(str(path), 1, 1))
    digits = re.findall(r"\d+", path.stem)
    rec = Recogniser(paras, series_info(series), path.suffix.lower() == ".txt",
                     int(digits[-1]) if digits else None)
    rec.balance = balance
    result = rec.run()
    issue = result.issue
    header = [_("Imported by `jianbao import` from {name}.").format(name=path.name)]
    header += issue.pop("_masthead", [])
    unplaced = issue.pop("_unplaced", [])
    if unplaced:
        target = issue["body"] if "body" in issue else issue["articles"][-1]["body"]
        target.extend(Commented(t, _("not placed by the importer: move it")) for t in unplaced)
    number = issue["number"].value if isinstance(issue["number"], Commented) else issue["number"]
    return Imported(path, number, dump(issue, header), sorted(result.notes), result.fixes, result.dropped)


def empty_series(root: Path):
    from ..model import Masthead, Series

    return Series(root, Masthead("", "", "", ""), "", "default", ())


def findings(imported: Imported, series, target: Path) -> list:
    """The `jianbao check` findings of the YAML written (as `target`): what the source's own text has
    (stray punctuation, numbering that jumps). Raises JianbaoError if the YAML does not load (a bug here)."""
    import yaml

    from ..check import structure_findings, text_findings
    from ..errors import InputErrors
    from ..schema import load_issue

    root = yaml.compose(imported.yaml)
    try:
        issue = load_issue(target, series, root)
    except InputErrors as e:
        raise JianbaoError(_("{source}: the YAML made from it does not load (a bug in jianbao import, please "
                             "report it):\n{errors}").format(source=imported.source, errors=e)) from None
    return sorted(text_findings(target, imported.yaml, root) + structure_findings(target, issue))


def write(imported: Imported, out_dir: Path, force: bool) -> Path:
    from ..atomic import write_bytes

    target = out_dir / f"{imported.number:03d}.yaml"
    if target.exists() and not force:
        raise JianbaoError(_("{target} exists: not overwritten (--force to replace it)").format(target=target),
                           Location(str(imported.source), 1, 1))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_bytes(target, imported.yaml.encode("utf-8"))
    return target
