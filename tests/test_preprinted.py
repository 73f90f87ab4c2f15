"""套打: paper with the red masthead printed on it. `jianbao build --preprinted` (or `preprinted: true` in
jianbao.yaml) prints nothing red, and everything else exactly where it is on plain paper."""
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

pdfplumber = pytest.importorskip("pdfplumber")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REPO = Path(__file__).resolve().parents[1]


def chars(path):
    with pdfplumber.open(path) as pdf:
        return [[(c["text"], round(c["x0"], 2), round(c["top"], 2), c["size"], tuple(c["non_stroking_color"] or ()))
                 for c in page.chars] for page in pdf.pages], [
            [tuple(r.get("stroking_color") or ()) for r in page.lines + page.rects] for page in pdf.pages]


def test_preprinted_prints_nothing_red_and_keeps_every_other_position(run, series):
    assert run("build", "--force", "--out", "plain", "issues/011.yaml").exit_code == 0
    result = run("build", "--force", "--preprinted", "--out", "paper", "issues/011.yaml")
    assert result.exit_code == 0, result.output
    plain, plain_rules = chars(series / "plain" / "011.pdf")
    paper, paper_rules = chars(series / "paper" / "011.pdf")
    red = (1, 0, 0)
    assert any(c[4] == red for c in plain[0]) and any(red in page for page in plain_rules)
    assert not any(c[4] == red for page in paper for c in page)
    assert not any(red in page for page in paper_rules)
    # every black character where it was, on the same pages; the black 版记 rules too
    assert [[c for c in page if c[4] != red] for page in plain] == paper
    assert [[r for r in page if r != red] for page in plain_rules] == paper_rules
    # the DOCX: the red masthead paragraphs are empty but keep their height; no red rule
    doc = etree.fromstring(zipfile.ZipFile(series / "paper" / "011.docx").read("word/document.xml"))
    by_style = {}
    for p in doc.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        by_style.setdefault(style.get(f"{W}val") if style is not None else "Normal", []).append(p)
    for sid in ("Series", "MastheadName"):
        (p,) = by_style[sid]
        assert p.find(f"{W}r") is None and p.find(f"{W}pPr/{W}spacing").get(f"{W}line")
    assert "".join(by_style["IssueNumber"][0].itertext()) == "第11期"
    assert not [b for b in doc.iter(f"{W}bottom") if b.get(f"{W}color") == "FF0000"]


def test_a_series_may_always_print_on_preprinted_paper(run, series):
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "preprinted: true\n", encoding="utf-8")
    assert run("build", "--force", "issues/011.yaml").exit_code == 0
    paper, rules = chars(series / "build" / "011.pdf")
    assert not any(c[4] == (1, 0, 0) for page in paper for c in page)
    assert "第11期" in "".join(c[0] for c in paper[0])


def test_preprinted_must_be_true_or_false(run, series):
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "preprinted: maybe\n", encoding="utf-8")
    result = run("build", "issues/011.yaml")
    assert result.exit_code == 1 and "jianbao.yaml:" in result.output and "preprinted" in result.output


@pytest.mark.soffice
def test_libreoffice_renders_the_preprinted_docx_with_the_black_lines_in_place(run, series, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not on PATH")
    assert run("build", "--force", "--out", "plain", "issues/011.yaml").exit_code == 0
    assert run("build", "--force", "--preprinted", "--out", "paper", "issues/011.yaml").exit_code == 0
    env = dict(os.environ, FONTCONFIG_FILE=str(REPO / "src" / "jianbao" / "data" / "fonts.conf"))
    out = {}
    for name in ("plain", "paper"):
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path / name), str(series / name / "011.docx")],
                       env=env, check=True, capture_output=True, timeout=300)
        out[name] = chars(tmp_path / name / "011.pdf")[0]
    plain, paper = out["plain"], out["paper"]
    assert len(plain) == len(paper)
    assert not any(c[4] == (1, 0, 0) for page in paper for c in page)

    def where(page, text):
        line = [c for c in page if c[0] == text[0]]
        return line[0][2] if line else None
    for text in ("第", "领"):                 # 第11期 and the editor line stay where they were
        assert where(paper[0], text) == pytest.approx(where(plain[0], text), abs=1.0)


# ---- the layout-legal squeeze (issue fit) -------------------------------------------------------------------------

def test_squeeze_to_fit_gives_up_the_blank_line_under_the_rule_to_keep_one_page(run, series, own_template,
                                                                                write_issue):
    """An item whose 版记 would go alone onto page 2 stays on one page when the series allows the squeeze
    (body.squeeze_to_fit); off by default. The DOCX follows: its body starts on the same grid line."""
    text = ("各地区各部门要进一步提高认识，压实责任，确保各项改革任务落地见效，" * 20)[:290] + "。"
    write_issue(f"number: 3\ndate: 2022-03-01\ntitle: 关于情况的通报\nbody:\n  - {text}\n"
                "distribution:\n  发: [各单位]\n")
    assert run("build", "--force", "--out", "loose", "issues/003.yaml").exit_code == 0
    with pdfplumber.open(series / "loose" / "003.pdf") as pdf:
        assert len(pdf.pages) == 2                                     # the default: no squeeze
        loose_title = next(c["top"] for c in pdf.pages[0].chars if c["text"] == "关")
    (own_template / "layout.yaml").write_text("body: {squeeze_to_fit: true}\n", encoding="utf-8")
    assert run("build", "--force", "--out", "tight", "issues/003.yaml").exit_code == 0
    with pdfplumber.open(series / "tight" / "003.pdf") as pdf:
        assert len(pdf.pages) == 1
        tight_title = next(c["top"] for c in pdf.pages[0].chars if c["text"] == "关")
        assert "印发" in pdf.pages[0].extract_text()
    pitch = 28.95
    assert loose_title - tight_title == pytest.approx(pitch, abs=0.05)  # one grid line up
    doc = etree.fromstring(zipfile.ZipFile(series / "tight" / "003.docx").read("word/document.xml"))
    loose = etree.fromstring(zipfile.ZipFile(series / "loose" / "003.docx").read("word/document.xml"))

    def after_rule(d):
        border = next(b for b in d.iter(f"{W}bottom") if b.get(f"{W}color") == "FF0000")
        return int(border.getparent().getparent().find(f"{W}spacing").get(f"{W}after"))
    assert after_rule(loose) - after_rule(doc) == 579                   # one grid line (twips) less in Word too
