"""Checks users of 公文 tools asked for: the 版记 on an even page (`distribution.even_page`), punctuation never set in
the Latin face, every font substitution named by `jianbao fonts`; measured in the built PDF and DOCX."""
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pdfplumber
import pytest

from pdf_measure import MM, read

REPO = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "市教育局认真贯彻落实上级部署要求，扎实推进各项工作任务落地见效，取得了明显成效。"
PUNCTUATION = "“”‘’—…"


def issue(*lengths: int) -> str:
    body = "\n".join(f"  - {(S * 40)[:n - 1]}。" for n in lengths)
    return f"number: 3\ndate: 2022-02-15\ntitle: 市教育局召开工作推进会\nbody:\n{body}\n"


@pytest.fixture
def even_page(own_template):
    layout = own_template / "layout.yaml"      # inherits the base style sheet key by key
    layout.write_text(layout.read_text(encoding="utf-8") + "distribution: {even_page: true}\n", encoding="utf-8")
    return own_template


def page_number(page) -> str:
    found = [line.text for line in page.lines if re.fullmatch(r"—\d+—", line.text)]
    return found[0] if found else ""


@pytest.mark.parametrize("lengths, pages, blank", [
    ((40, 40), 2, None),                  # body and 版记 would fit on page 1: the 版记 goes to page 2
    ((300, 300), 2, None),                # body ends on page 2 with room: the 版记 stays there
    ((300, 300, 200), 4, 3),              # body ends on page 2, no room: page 3 stays blank, the 版记 on page 4
    ((300, 300, 300, 300), 4, None),      # body ends on page 3: the 版记 on page 4
])
def test_the_distribution_block_lands_on_an_even_page(run, series, write_issue, even_page, lengths, pages, blank):
    path = write_issue(issue(*lengths))
    result = run("build", str(path))
    assert result.exit_code == 0, result.output
    views = read((series / "build" / "003.pdf").read_bytes())
    assert len(views) == pages
    holding = [v.number for v in views if any("印发" in line.text for line in v.lines)]
    assert holding == [pages] and pages % 2 == 0
    last = views[-1]
    # at the bottom of the text block: its last rule on the block's bottom edge (37 mm + 225 mm from the top)
    bottom = max(rule["y"] for rule in last.rules)
    assert abs(bottom - (37 + 225) * MM) < 1.5
    assert page_number(last) == f"—{pages}—"
    if blank:
        assert views[blank - 1].lines == [] and views[blank - 1].rules == []   # blank and unnumbered
    for v in views[:-1]:
        if v.number != blank:
            assert page_number(v) == f"—{v.number}—"
    # by design, not worth advice; except when a page could be saved (the block fitting on page 2)
    advice = run("check", str(path)).output
    assert ("fit:" in advice) == (blank is not None)


def test_without_even_page_the_block_stays_on_an_odd_last_page(run, series, write_issue, own_template):
    path = write_issue(issue(40, 40))
    assert run("build", str(path)).exit_code == 0
    views = read((series / "build" / "003.pdf").read_bytes())
    assert len(views) == 1 and any("印发" in line.text for line in views[0].lines)


PUNCT_ISSUE = """\
number: 3
date: 2022-02-15
title: 关于“双减”工作——阶段成效…
note: 编者按：“五育并举”——全面落实……
body:
  - 会议强调，要坚持“五育并举”——全面落实……确保‘双减’取得实效。
  - heading: 推进“三个课堂”——建设
    text: 正文“引号”……以及——破折号。
"""


def test_quotes_dashes_and_ellipses_come_from_the_chinese_face(run, series, write_issue):
    path = write_issue(PUNCT_ISSUE)
    assert run("build", str(path)).exit_code == 0
    seen = 0
    with pdfplumber.open(str(series / "build" / "003.pdf")) as pdf:
        for c in pdf.pages[0].chars:
            if c["text"] in PUNCTUATION:
                seen += 1
                face = c["fontname"].split("+")[-1]
                assert re.match(r"(Fandol|AR PL|WenQuanYi|Noto .*CJK|FZ|Sim|ST)", face), (c["text"], face)
                assert abs((c["x1"] - c["x0"]) - c["size"]) < 0.05, (c["text"], face)   # full width
    assert seen >= 20
    with zipfile.ZipFile(series / "build" / "003.docx") as z:
        doc = ET.fromstring(z.read("word/document.xml"))
    runs = [r for r in doc.iter(W + "r")
            if any(ch in PUNCTUATION for t in r.findall(W + "t") for ch in (t.text or ""))]
    assert len(runs) >= 8
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(W + "hint") == "eastAsia", ET.tostring(r, encoding="unicode")


@pytest.mark.soffice
def test_libreoffice_sets_the_docx_punctuation_in_the_chinese_face(run, series, write_issue, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not on PATH")
    path = write_issue(PUNCT_ISSUE)
    assert run("build", "--format", "docx", str(path)).exit_code == 0
    env = dict(os.environ, FONTCONFIG_FILE=str(REPO / "src" / "jianbao" / "data" / "fonts.conf"))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(series / "build" / "003.docx")],
                   env=env, check=True, capture_output=True, timeout=300)
    with pdfplumber.open(str(tmp_path / "003.pdf")) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"] in PUNCTUATION]
    assert len(chars) >= 20
    latin = [(c["text"], c["fontname"]) for c in chars if re.search(r"Times|Liberation|DejaVu", c["fontname"])]
    assert not latin


def test_fonts_names_every_substitution_per_role_as_the_pdf_shows_it(run, series, write_issue):
    result = run("fonts")
    assert result.exit_code == 0
    subs = dict(re.findall(r"^  ([a-z0-9-]+): (.+ wanted, .+ used instead)$", result.output, re.M))
    for role, wanted in (("title", "方正小标宋简体"), ("para", "仿宋_GB2312"), ("heading-1", "黑体"),
                         ("heading-2", "楷体_GB2312"), ("page-number", "宋体")):
        assert subs[role].startswith(f"{wanted} wanted, "), (role, subs.get(role))
    used = {role: re.match(r".+ wanted, (\S+)", line).group(1) for role, line in subs.items()}
    # the face named as used is the one in the built PDF
    path = write_issue("number: 3\ndate: 2022-02-15\ntitle: 标题\nbody:\n  - heading: 小标题\n    body: [正文。]\n")
    assert run("build", str(path)).exit_code == 0
    lines = read((series / "build" / "003.pdf").read_bytes())[0].lines
    title = next(line for line in lines if line.text == "标题")
    para = next(line for line in lines if line.text == "正文。")
    heading = next(line for line in lines if line.text.endswith("小标题"))
    assert title.fonts[0].startswith(used["title"].replace(" ", ""))
    assert para.fonts[0].startswith(used["para"].replace(" ", ""))
    assert heading.fonts[-1].startswith(used["heading-1"].replace(" ", ""))


def test_a_role_whose_first_face_is_installed_is_no_substitution(run, series, own_template):
    layout = own_template / "layout.yaml"
    layout.write_text(layout.read_text(encoding="utf-8") + "fonts: {hei: [FandolHei, 黑体, SimHei]}\n",
                      encoding="utf-8")
    out = run("fonts").output
    assert "  heading-1:" not in out and "  marking:" not in out
    assert "  para: 仿宋_GB2312 wanted" in out


@pytest.mark.soffice
def test_the_docx_puts_an_even_page_distribution_block_where_the_pdf_does(run, series, write_issue, even_page,
                                                                          tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not on PATH")
    cases = {"004": (40, 40), "005": (300, 300), "006": (300, 300, 200), "007": (300, 300, 300, 300)}
    for name, lengths in cases.items():
        path = write_issue(issue(*lengths).replace("number: 3", f"number: {int(name)}"), f"{name}.yaml")
        assert run("build", str(path)).exit_code == 0
    env = dict(os.environ, FONTCONFIG_FILE=str(REPO / "src" / "jianbao" / "data" / "fonts.conf"))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *(str(series / "build" / f"{name}.docx") for name in cases)],
                   env=env, check=True, capture_output=True, timeout=300)
    for name in cases:
        ours = read((series / "build" / f"{name}.pdf").read_bytes())
        word = read((tmp_path / f"{name}.pdf").read_bytes())
        assert len(word) == len(ours), name
        on = [v.number for v in word if any("印发" in line.text for line in v.lines)]
        assert on == [len(ours)], (name, on)
