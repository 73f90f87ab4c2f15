"""Yearly numbering (issues/YYYY/NNN.yaml, 总第 counted from `first_total:`), supplements, and the series checks
that go with them: through the command line, measured in the built PDFs and DOCX files."""
import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from pdf_measure import read

from jianbao.cli import cli

SERIES = """\
masthead:
  marking: 内部资料
  series: 县发展改革委
  name: 工作简报
  editor: 县发展改革委办公室
printer: 县发展改革委办公室
yearly: true
first_total: 120
absent: {2023: [12]}
distribution:
  发: [各乡镇人民政府]
"""


@pytest.fixture
def yearly(tmp_path, monkeypatch):
    root = tmp_path / "yearly"
    root.mkdir()
    (root / "jianbao.yaml").write_text(SERIES, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def jb(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def masthead_number(pdf: Path) -> str:
    """The 期号 line as a reader of the PDF sees it: the text of the line under the red name."""
    page = read(pdf.read_bytes())[0]
    found = [line.text for line in page.lines if "期" in line.text and "第" in line.text]
    assert found, [line.text for line in page.lines]
    return found[0]


def test_new_numbers_within_the_year_and_build_counts_the_total(yearly):
    for args in (["--date", "2023-11-20"], ["11", "--date", "2023-11-21"], ["--date", "2024-01-05"],
                 ["--date", "2024-02-05"], ["--supplement", "--date", "2024-02-06"]):
        result = jb("new", *args)
        assert result.exit_code == 0, result.output
    made = sorted(p.relative_to(yearly).as_posix() for p in (yearly / "issues").rglob("*.yaml"))
    assert made == ["issues/2023/001.yaml", "issues/2023/011.yaml", "issues/2024/001.yaml", "issues/2024/002.yaml",
                    "issues/2024/z01.yaml"]
    data = yaml.safe_load((yearly / "issues/2024/002.yaml").read_text(encoding="utf-8"))
    assert data["number"] == 2 and "total" not in data

    result = jb("build", "-j", "1")               # no files: every issue of every year
    assert result.exit_code == 0, result.output
    # 2023: issue 1 is the earliest in the repository (总第120); 2–10 are missing (a gap the check reports,
    # counted all the same), 11 is here, 12 was published elsewhere (absent); 2024 goes on from 2023's 12.
    assert masthead_number(yearly / "build/2023/001.pdf") == "第1期（总第120期）"
    assert masthead_number(yearly / "build/2023/011.pdf") == "第11期（总第130期）"
    assert masthead_number(yearly / "build/2024/001.pdf") == "第1期（总第132期）"
    assert masthead_number(yearly / "build/2024/002.pdf") == "第2期（总第133期）"
    assert masthead_number(yearly / "build/2024/z01.pdf") == "增刊第1期"
    texts = [p.text for p in Document(str(yearly / "build/2024/002.docx")).paragraphs]
    assert "第2期（总第133期）" in texts

    result = jb("check")
    assert "issue(s) 2–10 missing before issue 11 of 2023" in result.output
    assert result.exit_code == 0                   # a gap is a warning


def test_adding_an_earlier_issue_rebuilds_the_later_ones_with_their_new_total(yearly):
    jb("new", "--date", "2024-01-05")
    jb("new", "--date", "2024-02-05")
    assert jb("build", "-j", "1").exit_code == 0
    assert masthead_number(yearly / "build/2024/002.pdf") == "第2期（总第121期）"
    # the last issue of 2023 is added: it is now the earliest (总第120), and 2024's issues count on from it
    assert jb("new", "12", "--date", "2023-12-20").exit_code == 0
    result = jb("build", "-j", "1")
    assert result.exit_code == 0 and "build/2024/002.pdf" in result.output
    assert masthead_number(yearly / "build/2023/012.pdf") == "第12期（总第120期）"
    assert masthead_number(yearly / "build/2024/002.pdf") == "第2期（总第122期）"


def test_check_reports_a_total_against_the_history_duplicates_and_a_wrong_year(yearly):
    for date in ("2024-01-05", "2024-02-05", "2024-03-05"):
        assert jb("new", "--date", date).exit_code == 0
    third = yearly / "issues/2024/003.yaml"
    third.write_text(third.read_text(encoding="utf-8").replace("date: 2024-03-05", "date: 2025-01-02\ntotal: 125"),
                     encoding="utf-8")
    (yearly / "issues/2024/02.yaml").write_bytes((yearly / "issues/2024/002.yaml").read_bytes())
    result = jb("check", "--strict")
    assert result.exit_code == 1
    out = result.output
    assert "series-total: 总第125期 disagrees with the series' history" in out and "make it 总第122期" in out
    assert "series-duplicate: issue 2 of 2024 is also" in out
    assert "series-year: date 2025-01-02 is not in 2024" in out
    # the written total is printed as written (the check is what stops it in CI)
    assert jb("build", "-j", "1", str(third)).exit_code == 0
    assert masthead_number(yearly / "build/2024/003.pdf") == "第3期（总第125期）"


def test_a_flat_series_with_totals_by_hand_is_checked_against_itself(tmp_path, monkeypatch):
    root = tmp_path / "flat"
    (root / "issues").mkdir(parents=True)
    (root / "jianbao.yaml").write_text(SERIES.replace("yearly: true\nfirst_total: 120\nabsent: {2023: [12]}\n", ""),
                                       encoding="utf-8")
    monkeypatch.chdir(root)
    for n, total in ((1, 50), (2, 51), (4, 54)):
        jb("new", str(n), "--date", f"2024-0{n}-01")
        p = root / f"issues/{n:03d}.yaml"
        p.write_text(p.read_text(encoding="utf-8").replace("date:", f"total: {total}\ndate:"), encoding="utf-8")
    out = jb("check").output
    assert "issue(s) 3 missing before issue 4" in out
    assert "series-total: 总第54期 disagrees with issue 1 (总第50期) and the issues between: expected 总第53期" in out
    assert jb("build", "-j", "1").exit_code == 0
    assert masthead_number(root / "build/002.pdf") == "第2期（总第51期）"


@pytest.mark.parametrize("setting, message", [
    ("absent: [3, 4]", "absent: in a yearly series, list the absent issues by year: absent: {2023: [11, 12]}"),
    ("absent: {23: [1]}", "absent.23: expected a year such as 2023"),
    ("first_total: many", "first_total: expected a whole number"),
    ("yearly: sometimes", "yearly: expected true or false"),
])
def test_bad_series_settings_are_located_errors(yearly, setting, message):
    text = SERIES.replace("absent: {2023: [12]}", "").replace("first_total: 120", "").replace("yearly: true", "")
    key = setting.split(":")[0]
    text = text + ("yearly: true\n" if key != "yearly" else "") + setting + "\n"
    (yearly / "jianbao.yaml").write_text(text, encoding="utf-8")
    result = jb("new", "--date", "2024-01-01")
    assert result.exit_code == 1
    assert "jianbao.yaml:" in result.output and message in result.output
    assert not (yearly / "issues").exists()


def test_a_flat_issue_in_a_yearly_series_is_told_where_it_belongs(yearly):
    (yearly / "issues").mkdir()
    assert jb("new", "--date", "2024-01-05").exit_code == 0
    (yearly / "issues/2024/001.yaml").rename(yearly / "issues/001.yaml")
    out = jb("check").output
    assert "series-year: the series is yearly (`yearly: true`): move this issue into its year's folder, " \
           "issues/2024/001.yaml" in out


def test_new_refuses_a_number_taken_in_the_same_year_only(yearly):
    assert jb("new", "--date", "2024-01-05").exit_code == 0
    result = jb("new", "1", "--date", "2024-03-01")
    assert result.exit_code == 1 and "already exists" in result.output
    assert jb("new", "1", "--date", "2025-01-03").exit_code == 0
    assert (yearly / "issues/2025/001.yaml").is_file()
    today = dt.date.today()
    assert jb("new").exit_code == 0
    assert any((yearly / "issues" / str(today.year)).glob("*.yaml"))


def test_check_of_a_year_folder_checks_that_year_and_supplements_are_numbered_apart(yearly):
    for args in (["--date", "2023-12-01"], ["--date", "2024-01-05"], ["--supplement", "--date", "2024-01-06"]):
        assert jb("new", *args).exit_code == 0
    (yearly / "issues/2024/z1.yaml").write_bytes((yearly / "issues/2024/z01.yaml").read_bytes())
    result = jb("check", "issues/2024")
    assert "issues/2023" not in result.output
    assert "series-duplicate: supplement 1 of 2024 is also" in result.output
    assert "3 file(s) checked" in result.output           # 2024/001, z01, z1
    # a supplement takes no 总第 and does not shift the regular issues' totals
    assert jb("build", "-j", "1").exit_code == 0
    # 2023: issue 1 (总第120) … the absent issue 12 (总第131); 2024's first is 总第132
    assert masthead_number(yearly / "build/2024/001.pdf") == "第1期（总第132期）"
    assert masthead_number(yearly / "build/2024/z01.pdf") == "增刊第1期"
