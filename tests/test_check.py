"""`jianbao check`: each rule on a small bulletin, the exit status, and --fix editing in place."""
import datetime as dt

import pytest
from click.testing import CliRunner

from jianbao.check import check_files
from jianbao.cli import cli

HEAD = "number: 12\ndate: 2022-03-01\ntitle: 标题\nbody:\n"


def findings(write_issue, body, name="012.yaml", head=HEAD):
    path = write_issue(head + body, name)
    return [(f.line, f.column, f.rule) for f in check_files([path], dt.date(2022, 6, 1), fonts=False)
            if f.rule != "series-gap"]


@pytest.mark.parametrize("body, expected", [
    ("  - 市教育局,推进工作。\n", [(5, 9, "halfwidth-punct")]),
    ("  - 会议(扩大)召开。\n", [(5, 7, "halfwidth-punct"), (5, 10, "halfwidth-punct")]),
    ("  - 他说\"好\"。\n", [(5, 7, "straight-quote"), (5, 9, "straight-quote")]),
    ("  - “没有闭合。\n", [(5, 5, "unbalanced")]),
    ("  - 《书名》》。\n", [(5, 9, "unbalanced")]),
    ("  - 新建中小学 22 所。\n", [(5, 10, "stray-space"), (5, 13, "stray-space")]),
    ("  - 段落以逗号结尾，\n", [(5, 12, "paragraph-end")]),
    ("  - 段落没有句号\n", [(5, 10, "paragraph-end")]),
    ("  - 重复标点，，不行。\n", [(5, 9, "doubled-punct")]),
    ("  - 英文 API 与 B-READY 之间的空格，和 3.5 亿元。\n",
     [(5, 7, "stray-space"), (5, 11, "stray-space"), (5, 13, "stray-space"), (5, 21, "stray-space"),
      (5, 29, "stray-space"), (5, 33, "stray-space")]),
    ("  - 正常的句子，没有问题。\n  - 引号“完整”与（括号）都闭合了。\n  - 破折号——省略号……都可以。\n", []),
])
def test_text_rules(write_issue, body, expected):
    assert findings(write_issue, body) == expected


def test_numbering_that_repeats_or_jumps(write_issue):
    body = ("  - heading: 一\n    body: [内容。]\n  - heading: 二\n    number: 1\n    body: [内容。]\n"
            "  - heading: 三\n    number: 5\n    body: [内容。]\n")
    assert findings(write_issue, body) == [(7, 5, "numbering"), (10, 5, "numbering")]


def test_empty_section(write_issue):
    assert findings(write_issue, "  - heading: 空\n    body: []\n") == [(5, 5, "empty-section")]


def test_series_numbers_and_dates(series, write_issue):
    path = write_issue("number: 13\ndate: 2022-01-01\nprinted: 2021-12-31\ntitle: t\nbody: [正文。]\n", "013.yaml")
    found = {(f.rule, f.severity) for f in check_files([path], dt.date(2021, 12, 15), fonts=False)}
    assert found == {("series-gap", "warning"), ("date-order", "warning"), ("date-future", "warning"),
                     ("printed-date", "error")}


def test_duplicate_number_in_the_series(series):
    (series / "issues" / "11.yaml").write_bytes((series / "issues" / "011.yaml").read_bytes().replace(
        b"number: 11", b"number: 11"))
    found = check_files([series / "issues" / "011.yaml"], dt.date(2022, 6, 1), fonts=False)
    assert [f.rule for f in found if f.severity == "error"] == ["series-duplicate"]


def test_invalid_file_is_an_error_finding(write_issue):
    path = write_issue(HEAD + "  - heading: 无内容\n", "012.yaml")
    [f] = check_files([path], dt.date(2022, 6, 1), fonts=False)
    assert (f.line, f.rule, f.severity) == (5, "invalid", "error")


def test_cli_check_exit_status_and_fix_keeps_comments(series, monkeypatch):
    monkeypatch.chdir(series)
    path = series / "issues" / "012.yaml"
    path.write_text(HEAD + "  # 注释保留\n  - 新建中小学 22 所,投入使用。   # 行尾注释\n"
                    "  - \"会议(扩大)召开\"\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "issues/012.yaml"])
    assert result.exit_code == 0, result.output         # warnings only
    assert "issues/012.yaml:6:10: stray-space:" in result.output
    assert runner.invoke(cli, ["check", "--strict", "issues/012.yaml"]).exit_code == 1
    result = runner.invoke(cli, ["check", "--fix", "issues/012.yaml"])
    assert result.output.count("fixed ") == 5
    assert path.read_text(encoding="utf-8") == (
        HEAD + "  # 注释保留\n  - 新建中小学22所，投入使用。   # 行尾注释\n  - \"会议（扩大）召开\"\n")
    result = runner.invoke(cli, ["check", "issues/012.yaml"])
    assert "paragraph-end" in result.output and "stray-space" not in result.output


def test_seed_issues_have_only_their_genuine_findings(series, monkeypatch):
    """The seeds are the printed bulletins' own text: issue 8 writes （2020-2035） twice and 》、《, which GB/T
    15834/15835 want otherwise; nothing else is found (no false finding on real prose)."""
    monkeypatch.chdir(series)
    result = CliRunner().invoke(cli, ["check", "issues/"])
    assert result.exit_code == 0, result.output
    import re
    found = [f"{m.group(1)}:{m.group(2)}" for line in result.output.splitlines()
             if (m := re.search(r"(\d+\.yaml):\d+:\d+: ([\w-]+):", line)) and "[advice]" not in line]
    assert sorted(found) == ["008.yaml:quote-list", "008.yaml:range", "008.yaml:range"], result.output


# ---- crashes that are located errors, and one bad file that stops nothing else -----------------------------------

def deep(n):
    return "number: 12\ndate: 2022-03-01\ntitle: 标题\nbody: " + "[" * n + "]" * n + "\n"


@pytest.mark.parametrize("depth", [150, 5000])
def test_deep_nesting_is_a_located_error(write_issue, depth):
    path = write_issue(deep(depth), "012.yaml")
    [f] = check_files([path], dt.date(2022, 6, 1), fonts=False)
    assert (f.line, f.rule, f.severity) == (4, "invalid", "error") and "nested more than 100" in f.message


def test_deep_nesting_without_libyaml(write_issue, monkeypatch):
    import yaml

    from jianbao import source
    monkeypatch.setattr(source, "FAST_LOADER", yaml.SafeLoader)
    path = write_issue(deep(5000), "012.yaml")
    [f] = check_files([path], dt.date(2022, 6, 1), fonts=False)
    assert (f.line, f.rule) == (4, "invalid") and "nested more than 100" in f.message


def test_a_bad_issue_stops_neither_the_checks_nor_the_builds_of_the_others(series, write_issue, run):
    write_issue(deep(5000), "012.yaml")
    result = run("check", "issues/011.yaml")
    assert result.exit_code == 0, result.output
    result = run("build", "--format", "pdf", "issues/011.yaml")
    assert result.exit_code == 0, result.output
    assert (series / "build" / "011.pdf").read_bytes().startswith(b"%PDF")
    result = run("check")
    assert result.exit_code == 1 and "012.yaml:4:" in result.output
    result = run("build", "--format", "pdf")                    # the whole series: the others are built
    assert result.exit_code == 1 and "012.yaml:4:" in result.stderr
    assert result.stdout.split() == ["build/008.pdf"] and "built 1, skipped 1 (unchanged), failed 1" in result.stderr


def test_a_control_character_escape_is_a_located_error(write_issue, run):
    write_issue(HEAD + '  - 正文。\n  - "退格\\b字符。"\n', "012.yaml")
    result = run("check", "issues/012.yaml")
    assert result.exit_code == 1
    assert "issues/012.yaml:6:5: invalid: body[1]: control character U+0008" in result.output
    result = run("build", "issues/012.yaml")
    assert result.exit_code == 1
    assert "issues/012.yaml:6:5: body[1]: control character U+0008" in result.stderr


def test_an_output_folder_that_is_a_file(series, run):
    (series / "build").write_text("not a folder")
    result = run("build", "issues/011.yaml")
    assert result.exit_code == 1
    assert f"{series / 'build'}: the output folder exists as a file" in result.stderr
    assert (series / "build").read_text() == "not a folder"
    (series / "out").write_text("")
    result = run("build", "--out", "out/x", "issues/011.yaml")
    assert result.exit_code == 1 and "out: is a file, not a folder, so out/x cannot be written to" in result.stderr
