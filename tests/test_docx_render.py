"""The DOCX as offices open it: LibreOffice's render against the PDF, and Microsoft's schema validator.

* LibreOffice (plain `soffice --convert-to pdf`, the machine's fonts, as a user on Linux opens the file; and with
  the shipped fonts.conf): every character of the issue on the page, the PDF's page count, and the PDF's lines
  (measured by tests/docx_agree.py, which also measures a whole set: `.venv/bin/python tests/docx_agree.py`).
* The Open XML SDK validator (npm @ooxml-tools/validate, installed by scripts/test.sh into .tools/ooxml): no
  error for any Office version it knows, Office 2007 to Microsoft 365.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

import docx_agree  # noqa: E402

# Representative issues: 008 has pause marks where the PDF used to hang them (LibreOffice left them off the page),
# 011 quotes and percentages at line ends, 001 a first line of dates and years, 009 rare names from the fallback
# faces and a character a pause mark took down, 010 B-READY and PM2.5, 011 (test) template code in quotes, 012 and
# 013 long articles with digits and percentages, 014 a long 发 list.
REPRESENTATIVE = [REPO / "issues" / "008.yaml", REPO / "issues" / "011.yaml"] + [
    REPO / "tests" / "bulletins" / "issues" / f"{n}.yaml" for n in ("001", "009", "010", "011", "012", "013", "014")]
BULLETINS = sorted((REPO / "tests" / "bulletins" / "issues").glob("[0-9][0-9][0-9].yaml"))
SEEDS = sorted((REPO / "issues").glob("[0-9][0-9][0-9].yaml"))

# The share of the PDF's lines LibreOffice sets alike in each issue, as issue 11 asks: 98 % with plain soffice, 99 %
# with the shipped fonts.conf. The seeds, every test bulletin and generated series are at 100 % today (the plan's word
# joiners, zero-width spaces, condensed tight lines and looser lines where a rule of ours or a pause mark ended a
# line: layout/wordbreaks.py, docs/layout.md).
LINES = 98.0
LINES_FONTS_CONF = 99.0

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) not installed: scripts/test.sh installs it")


def _check(results, min_lines: float):
    for r in results:
        assert r.text_pct == 100.0, (r.name, f"{r.text_pct:.2f} % of the characters on LibreOffice's page")
        assert r.pages[0] == r.pages[1], (r.name, "pages PDF/LibreOffice", r.pages)
        assert r.line_pct >= min_lines, (r.name, f"{r.line_pct:.1f} % of the PDF's lines", "\n".join(r.diff))


@needs_soffice
def test_libreoffice_renders_every_character_on_the_pdfs_lines(tmp_path):
    """Plain soffice, as a user opens the DOCX after scripts/install.sh (Liberation Serif for Times New Roman)."""
    _check(docx_agree.measure(REPRESENTATIVE, tmp_path), LINES)


@needs_soffice
def test_libreoffice_with_the_shipped_fonts_conf(tmp_path):
    _check(docx_agree.measure(REPRESENTATIVE, tmp_path, docx_agree.SHIPPED_FONTS_CONF), LINES_FONTS_CONF)


@needs_soffice
def test_a_generated_series_in_libreoffice(tmp_path):
    """Twelve generated issues (bench/series_agree.py: one to ten pages, digits, years, percentages and per-mille,
    decimals, Latin words, emphasis, headings, articles, long 发 lists), plain soffice: every character, the PDF's
    page count and 98 % of its lines in each."""
    sys.path.insert(0, str(REPO / "bench"))
    import series_agree

    issues = series_agree.write_series(tmp_path / "series", 12, seed=7)
    _check(docx_agree.measure(issues, tmp_path), LINES)


@needs_soffice
def test_every_test_bulletin_is_whole_in_libreoffice(tmp_path):
    """All seeds and test bulletins: every character on the page and the PDF's page count (the lines are measured
    over the whole set by tests/docx_agree.py), and 98 % of the PDF's lines in each."""
    results = docx_agree.measure(SEEDS + BULLETINS, tmp_path)
    _check(results, LINES)
    assert sum(r.same for r in results) / sum(r.lines for r in results) >= 0.95


# ---- the Open XML SDK validator ------------------------------------------------------------------------------

def _validator() -> Path | None:
    for base in (os.environ.get("JIANBAO_OOXML_VALIDATE"), REPO / ".tools" / "ooxml" / "node_modules"):
        if base:
            pkg = Path(base) / "@ooxml-tools" / "validate"
            if (pkg / "package.json").is_file():
                return pkg
    return None


def test_docx_is_valid_for_every_office_version(tmp_path):
    if shutil.which("node") is None:
        pytest.skip("node not installed: the Open XML SDK validator (npm @ooxml-tools/validate) needs it")
    pkg = _validator()
    if pkg is None:
        pytest.skip("@ooxml-tools/validate not installed: scripts/test.sh installs it into .tools/ooxml "
                    "(or set JIANBAO_OOXML_VALIDATE to a node_modules folder that has it)")
    from jianbao import api

    files = []
    flowing = _flowing_series(tmp_path / "flow") / "issues" / "014.yaml"     # and a 版记 in the text flow
    for issue in SEEDS + BULLETINS + [flowing]:
        context = api.Context.for_root(api.find_root(issue.parent))
        tree, laid, _ = api.lay_out(issue, context)
        out = tmp_path / f"{issue.parent.parent.name}-{issue.stem}{'-flow' if issue == flowing else ''}.docx"
        out.write_bytes(api.write_formats(issue, tree, laid, context, ("docx",))["docx"])
        files.append(str(out))
        if issue.stem == "008" and issue.parent.parent == REPO:      # and one Word template
            from jianbao.writers.dotx import as_template
            (tmp_path / "008.dotx").write_bytes(as_template(out.read_bytes()))
            files.append(str(tmp_path / "008.dotx"))
    proc = subprocess.run(["node", str(REPO / "tests" / "tools" / "ooxml_validate.mjs"), str(pkg), *files],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert {"Office2007", "Microsoft365"} <= set(report["versions"])
    errors = {(Path(f).name, v): [(e["id"], e["description"], e["path"]["xpath"]) for e in errs]
              for f, by in report["results"].items() for v, errs in by.items() if errs}
    assert len(report["results"]) == len(files)
    assert errors == {}


# ---- the Word template -----------------------------------------------------------------------------------------

def test_dotx_is_the_docx_as_a_word_template(tmp_path):
    """`jianbao build --format dotx`: the same package as the DOCX (styles, page setup and grid, masthead, footers,
    版记), its main part declared a template, as Word saves a .dotx."""
    import zipfile

    from click.testing import CliRunner
    from jianbao.cli import cli

    shutil.copytree(REPO / "issues", tmp_path / "issues")
    shutil.copy(REPO / "jianbao.yaml", tmp_path / "jianbao.yaml")
    result = CliRunner().invoke(cli, ["build", "--format", "docx", "--format", "dotx", "--out",
                                      str(tmp_path / "out"), str(tmp_path / "issues" / "008.yaml")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / "008.docx") as d, zipfile.ZipFile(tmp_path / "out" / "008.dotx") as t:
        assert d.namelist() == t.namelist()
        for name in d.namelist():
            if name != "[Content_Types].xml":
                assert d.read(name) == t.read(name), name
        types = t.read("[Content_Types].xml").decode()
        assert 'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.' \
               'wordprocessingml.template.main+xml"' in types
        assert "wordprocessingml.document.main+xml" not in types
        styles = t.read("word/styles.xml").decode()
        assert 'w:styleId="Heading1"' in styles and "w:docGrid" in t.read("word/document.xml").decode()
        assert any(n.startswith("word/footer") for n in t.namelist())


@needs_soffice
def test_a_flowing_distribution_block_lands_where_the_pdf_has_it(tmp_path):
    """`distribution.docx_flow: true`: the 版记 in the text flow (a spacer, then the table; no text box). LibreOffice
    puts it on the PDF's last page, at most `docx.flow_slack` above the PDF's place, with every line as the PDF."""
    import pdfplumber
    from lxml import etree

    series = _flowing_series(tmp_path)
    for name in ("008.yaml", "011.yaml"):
        shutil.copy(REPO / "issues" / name, series / "issues" / f"9{name[1:]}")
        text = (series / "issues" / f"9{name[1:]}").read_text(encoding="utf-8")
        number = int(name[:3])
        (series / "issues" / f"9{name[1:]}").write_text(
            text.replace(f"number: {number}\n", f"number: {900 + number}\n"), encoding="utf-8")
    issues = sorted((series / "issues").glob("*.yaml"))
    out = tmp_path / "out"
    out.mkdir()
    results = docx_agree.measure(issues, out)
    _check(results, LINES)
    for r in results:
        docx = zipfile_text(out / f"{r.name}.docx")
        body = etree.fromstring(docx)
        assert not body.xpath("//w:txbxContent", namespaces=W), r.name                # no text box
        assert body.xpath("/w:document/w:body/w:tbl[last()]", namespaces=W), r.name   # the 版记's table in the body
        with pdfplumber.open(out / f"{r.name}.pdf") as pdf, pdfplumber.open(out / "lo" / f"{r.name}.pdf") as lo:
            # the 版记's three rules (a one-page issue has the masthead's red rule above them)
            want = sorted(round(x["top"], 1) for x in pdf.pages[-1].lines + pdf.pages[-1].rects)[-3:]
            got = sorted(round(x["top"], 1) for x in lo.pages[-1].lines + lo.pages[-1].rects)[-3:]
        assert len(got) == len(want) == 3, (r.name, want, got)
        for a, b in zip(want, got):
            assert -0.5 <= a - b <= 3.5, (r.name, want, got)


W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _flowing_series(tmp_path: Path) -> Path:
    """A copy of the test bulletins' series whose template sets `distribution.docx_flow: true`."""
    series = tmp_path / "series"
    shutil.copytree(REPO / "tests" / "bulletins", series)
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("template: default", "template: flow"),
                      encoding="utf-8")
    (series / "templates" / "flow").mkdir(parents=True)
    shutil.copy(REPO / "templates" / "default" / "bulletin.xml.j2", series / "templates" / "flow")
    (series / "templates" / "flow" / "layout.yaml").write_text("distribution:\n  docx_flow: true\n", encoding="utf-8")
    assert "template: flow" in config.read_text(encoding="utf-8")
    return series


def zipfile_text(path: Path) -> bytes:
    import zipfile
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")
