"""One layout, every writer: the PDF and the DOCX (as LibreOffice renders it) agree on the masthead.

A series with its own template changes what the writers used to decide each in its own way: no blank line after
the name or after the rule, a wider rule gap, a double rule, a series line long enough to shrink and a six-character
name. Both outputs are built with `jianbao build`, the DOCX is rendered by LibreOffice with the project's font
mapping, and both PDFs are measured with pdfplumber: the same sizes (±0.5 pt) and the same baselines of the masthead
lines, the title and the first body line, and the same red rules (±2 pt).
"""
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from jianbao.cli import cli

REPO = Path(__file__).resolve().parents[1]
FONTS_CONF = REPO / "src" / "jianbao" / "data" / "fonts.conf"
pdfplumber = pytest.importorskip("pdfplumber")

HOUSE_LAYOUT = """\
masthead:
  blank_after_name: 0
  blank_after_rule: 0
  rule: {gap: 6mm, double: true, width: 3pt, thin_width: 1pt, thin_gap: 1.5pt}
"""
SERIES = """\
masthead:
  marking: 内部资料 注意保存
  series: 中共某某市委全面深化改革委员会办公室优化营商环境工作
  name: 改革工作动态简报
  editor: 市委改革办秘书处
printer: 中共某某市委全面深化改革委员会办公室
template: house
distribution:
  发: [各区县委改革办, 市直各单位]
"""
ISSUE = """\
number: 5
date: 2026-03-02
title: 关于进一步优化营商环境工作的情况通报
body:
  - 今年以来，全市上下认真贯彻落实市委、市政府决策部署，持续深化“放管服”改革，营商环境持续优化。
  - 各地区各部门要进一步提高认识，压实责任，确保各项改革任务落地见效。
"""


def _lines(page, below: float):
    """(size, baseline, text, red) of each text line above `below`, top to bottom."""
    rows = defaultdict(list)
    for c in page.chars:
        baseline = page.height - c["matrix"][5]
        if baseline < below:
            rows[(round(baseline), round(c["size"] * 2) / 2)].append(c)
    out = []
    for (_, size), chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["x0"])
        text = "".join(c["text"] for c in chars).replace(" ", "")
        red = tuple(chars[0]["non_stroking_color"] or ()) == (1, 0, 0)
        out.append((size, page.height - chars[0]["matrix"][5], text, red))
    return out


def _red_rules(page):
    return sorted(round(r["top"], 2) for r in page.lines + page.rects
                  if tuple(r.get("stroking_color") or r.get("non_stroking_color") or ()) == (1, 0, 0))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not on PATH")
    root = tmp_path_factory.mktemp("house")
    (root / "templates" / "house").mkdir(parents=True)
    shutil.copy(REPO / "templates" / "default" / "bulletin.xml.j2", root / "templates" / "house")
    (root / "templates" / "house" / "layout.yaml").write_text(HOUSE_LAYOUT, encoding="utf-8")
    (root / "jianbao.yaml").write_text(SERIES, encoding="utf-8")
    (root / "issues").mkdir()
    (root / "issues" / "005.yaml").write_text(ISSUE, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["build", "issues/005.yaml"], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    profile = tmp_path_factory.mktemp("lo-profile")
    out = tmp_path_factory.mktemp("lo")
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(root / "build" / "005.docx")], env=env, check=True,
                   capture_output=True, timeout=300)
    with pdfplumber.open(root / "build" / "005.pdf") as ours, pdfplumber.open(out / "005.pdf") as lo:
        yield ((_lines(ours.pages[0], 500), _red_rules(ours.pages[0])),
               (_lines(lo.pages[0], 500), _red_rules(lo.pages[0])))


def test_the_house_template_is_in_force(outputs):
    (lines, rules), _ = outputs
    texts = [t for _, _, t, _ in lines]
    # the long series line shrank below its 26 pt, the six-character name below its 66 pt; a double rule
    series = next(l for l in lines if l[2].startswith("中共某某市委"))
    name = next(l for l in lines if l[2] == "改革工作动态简报")
    assert series[0] < 26 and series[3] and name[0] < 66 and name[3]
    assert len(rules) == 2
    assert texts.index("第5期") == texts.index("改革工作动态简报") + 1


def test_libreoffice_sets_the_masthead_title_and_body_where_the_pdf_does(outputs):
    (ours, our_rules), (lo, lo_rules) = outputs
    wanted = ["内部资料注意保存", "中共某某市委全面深化改革委员会办公室优化营商环境工作", "改革工作动态简报", "第5期",
              "市委改革办秘书处2026年3月2日", "关于进一步优化营商环境工作的情况通报"]
    first_body = "今年以来，全市上下认真贯彻落实市委、市政府决策部署，"
    for text in wanted + [first_body]:
        a = next(l for l in ours if l[2] == text)
        b = next(l for l in lo if l[2] == text)
        assert b[0] == pytest.approx(a[0], abs=0.5), f"size of {text}"
        assert b[1] == pytest.approx(a[1], abs=2.0), f"baseline of {text}"
    # the double rule: the same two lines, each within 2 pt
    assert len(lo_rules) >= 2
    lo_pair = sorted(set(lo_rules))[:2]
    for a, b in zip(our_rules, lo_pair):
        assert b == pytest.approx(a, abs=2.0)
