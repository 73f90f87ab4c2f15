"""The command line itself in both languages: the help of every command, click's usage errors, the summaries and
progress lines of cli.py, the crash notice, and a GBK console."""
from __future__ import annotations

import re
import shutil
import unicodedata

import pytest

from jianbao import api
from jianbao.cli import main
from messages import english_left, environment, invoke, run

from conftest import REPO

def display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


COMMANDS = ["build", "check", "new", "init", "volume", "watch", "tree", "fonts", "import"]


@pytest.fixture
def here(series, monkeypatch):
    monkeypatch.chdir(series)
    return series


@pytest.mark.parametrize("command", [None] + COMMANDS)
def test_the_help_of_every_command_is_chinese_under_a_chinese_locale(here, command):
    args = ([command] if command else []) + ["--help"]
    zh = invoke(args, "zh")
    en = invoke(args, "en")
    assert zh.exit_code == 0 and en.exit_code == 0
    assert zh.output.startswith("用法: jianbao") and en.output.startswith("Usage: jianbao")
    assert "[选项]" in zh.output and "选项:" in zh.output and "显示本帮助后退出。" in zh.output
    assert "[OPTIONS]" in en.output and "Options:" in en.output and "Show this message and exit." in en.output
    assert english_left(zh.output) == [], zh.output
    assert max(map(display_width, zh.output.splitlines())) <= 80, zh.output     # wrapped by columns, not cut
    assert "..." not in zh.output.replace("[参数]...", "").replace("[FILES]...", "").replace("FILES...", "")
    if command is None:
        assert "命令:" in zh.output and "命令 [参数]..." in zh.output
        for name in COMMANDS:                      # every command's one-line summary, in Chinese
            line = next(l for l in zh.output.splitlines() if l.strip().startswith(name + " "))
            assert re.search(r"[\u4e00-\u9fff]", line), line
    # every option has its help in the run's language
    lines = zh.output.splitlines()
    options = [l + (lines + [""])[i + 1] for i, l in enumerate(lines) if l.strip().startswith("-")]  # help may wrap
    assert options and all(re.search(r"[\u4e00-\u9fff]", l) for l in options), options


def test_version(here):
    assert invoke(["--version"], "zh").output == "jianbao，版本 0.1.0\n"
    assert invoke(["--version"], "en").output == "jianbao, version 0.1.0\n"


USAGE_ERRORS = [
    (["build", "--formt", "pdf"],
     "错误：没有 '--formt' 这个选项。",
     "Error: No such option '--formt'."),
    (["build", "--format", "pdfx"],
     "错误：'--format' 的值不对：'pdfx' 不在可选的值里（'pdf', 'docx', 'dotx', 'ofd', 'png', 'html'）。",
     "Error: Invalid value for '--format': 'pdfx' is not one of 'pdf', 'docx', 'dotx', 'ofd', 'png', 'html'."),
    (["build", "--dpi", "200"],
     "错误：--dpi 是页面图片的分辨率：要和 --format png 一起用",
     "Error: --dpi is the resolution of the page images: use it with --format png"),
    (["build", "--format", "png", "--dpi", "20"],
     "错误：'--dpi' 的值不对：20 不在 36<=x<=600 的范围内。",
     "Error: Invalid value for '--dpi': 20 is not in the range 36<=x<=600."),
    (["new", "--date", "2022-02-30"],
     "错误：'--date' 的值不对：'2022-02-30' 不是 2022-01-30 这样的日期",
     "Error: Invalid value for '--date': '2022-02-30' is not a date like 2022-01-30"),
    (["new", "zero"],
     "错误：'[NUMBER]' 的值不对：'zero' 不是有效的数。",
     "Error: Invalid value for '[NUMBER]': 'zero' is not a valid integer range."),
    (["volume"],
     "错误：请说明装订哪几期：年份（jianbao volume 2022）或 --from N --to M",
     "Error: say which issues: a YEAR (jianbao volume 2022) or --from N --to M"),
    (["volume", "--from", "5", "--to", "3"],
     "错误：--from 5 在 --to 3 之后",
     "Error: --from 5 is after --to 3"),
    (["import"],
     "错误：缺少参数 'FILES...'.",
     "Error: Missing argument 'FILES...'."),
    (["tree", "issues/404.yaml"],
     "错误：'FILE' 的值不对：'issues/404.yaml' 不存在。",
     "Error: Invalid value for 'FILE': File 'issues/404.yaml' does not exist."),
    (["bild"],
     "错误：没有 'bild' 这个命令。",
     "Error: No such command 'bild'."),
]


@pytest.mark.parametrize("args, zh_line, en_line", USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS])
def test_usage_errors_in_both_languages(here, args, zh_line, en_line):
    zh = invoke(args, "zh")
    en = invoke(args, "en")
    assert zh.exit_code == en.exit_code == 2
    assert zh_line in zh.output, zh.output
    assert en_line in en.output.replace('"', "'"), en.output
    assert "查看帮助。" in zh.output and "for help." in en.output
    assert english_left(zh.output) == [], zh.output


def test_build_and_check_summaries(here):
    assert invoke(["build", "--format", "pdf"], "en").exit_code == 0      # then nothing to do: the summary says so
    en = invoke(["build", "--format", "pdf"], "en")
    zh = invoke(["build", "--format", "pdf"], "zh")
    assert re.search(r"^built 0, skipped 2 \(unchanged\), failed 0, in \d+\.\d\d s$", en.output, re.M), en.output
    assert re.search(r"^生成 0 期，跳过 2 期（未改动），失败 0 期，用时 \d+\.\d\d 秒$", zh.output, re.M), zh.output
    zh = invoke(["check", "issues/011.yaml"], "zh")
    en = invoke(["check", "issues/011.yaml"], "en")
    assert re.search(r"^已检查 1 个文件：错误 0 处，提醒 \d+ 处(，建议 \d+ 条)?$", zh.output, re.M), zh.output
    assert re.search(r"^1 file\(s\) checked: 0 error\(s\), \d+ warning\(s\)(, \d+ advice)?$", en.output, re.M), en.output


def test_error_findings_and_strict_builds(here):
    text = (here / "issues" / "011.yaml").read_text(encoding="utf-8")
    (here / "issues" / "011.yaml").write_text(text.replace("date: 2022-02-15", "date: 2022-02-15\nprinted: 2022-02-10"),
                                              encoding="utf-8")
    zh = invoke(["check", "issues/011.yaml"], "zh")
    en = invoke(["check", "issues/011.yaml"], "en")
    assert zh.exit_code == en.exit_code == 1
    assert re.search(r"^issues/011\.yaml:\d+:\d+: printed-date: .* \[错误\]$", zh.output, re.M), zh.output
    assert re.search(r"^issues/011\.yaml:\d+:\d+: printed-date: .* \[error\]$", en.output, re.M), en.output
    assert "已检查 1 个文件：错误 1 处" in zh.output
    zh = invoke(["build", "--strict", "--format", "pdf", "issues/011.yaml"], "zh")
    en = invoke(["build", "--strict", "--format", "pdf", "issues/011.yaml"], "en")
    assert "issues/011.yaml：未生成（--strict：请先改正上面查出的问题）" in zh.output, zh.output
    assert "issues/011.yaml: not built (--strict: fix the findings above)" in en.output, en.output


def test_init_tells_what_comes_next(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    zh = invoke(["init", "甲", "--series", "县发展改革委"], "zh")
    en = invoke(["init", "b", "--series", "县发展改革委"], "en")
    assert "下一步：cd 甲 && git init && jianbao new && jianbao build" in zh.output, zh.output
    assert "next: cd b && git init && jianbao new && jianbao build" in en.output, en.output


def test_no_issues_and_no_series(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    tmp_path = tmp_path / "series"
    tmp_path.mkdir()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jianbao.yaml").write_text((REPO / "jianbao.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    zh = invoke(["build"], "zh")
    en = invoke(["build"], "en")
    assert zh.exit_code == en.exit_code == 1
    assert f"错误：{tmp_path / 'issues'} 里没有期次文件（用 `jianbao new` 新建一期）" in zh.output, zh.output
    assert f"Error: no issues found in {tmp_path / 'issues'} (create one with `jianbao new`)" in en.output
    monkeypatch.chdir(empty)
    shutil.copy(REPO / "tests" / "import" / "bulletin-011.txt", empty / "b.txt")
    zh = invoke(["import", "b.txt"], "zh")
    en = invoke(["import", "b.txt"], "en")
    assert "没有 jianbao.yaml：请在刊物文件夹中运行，或者给出 --out" in zh.output, zh.output
    assert "or above: run this in a series folder, or give --out" in en.output, en.output


def test_import_reports_in_both_languages(here):
    shutil.copy(REPO / "tests" / "import" / "bulletin-011.txt", here / "b.txt")
    (here / "issues" / "011.yaml").unlink()
    zh = invoke(["import", "--out", "zh", "b.txt"], "zh")
    en = invoke(["import", "--out", "en", "b.txt"], "en")
    assert zh.exit_code == en.exit_code == 0, zh.output + en.output
    assert "zh/011.yaml（来自 b.txt）" in zh.output and "en/011.yaml (from b.txt)" in en.output
    assert re.search(r"^b\.txt：做了 \d+ 处机械改正（数字两边的空格、半角标点）$", zh.output, re.M), zh.output
    assert re.search(r"^b\.txt: \d+ mechanical fix\(es\) \(spaces around numbers, half-width punctuation\)$",
                     en.output, re.M), en.output
    zh = invoke(["import", "--out", "zh", "b.txt"], "zh")             # exists: refused, and a second one in a run
    assert zh.exit_code == 1


def test_the_crash_notice(here, monkeypatch, capsys):
    def boom(*a, **k):
        raise RuntimeError("boom")
    monkeypatch.setattr(api, "build_tree", boom)
    for var, value in environment("zh").items():
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    with pytest.raises(SystemExit) as info:
        main(["tree", "issues/011.yaml"])
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("jianbao：运行 `jianbao tree issues/011.yaml` 时出现内部错误（这是程序的缺陷：请连同 ")
    assert err.rstrip().endswith(" 一起报告）") and "Traceback" not in err
    assert english_left(err) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_gbk_console_gets_every_message_without_a_crash(here, lang):
    """A Windows console in GBK (cp936) cannot show every character: jianbao's messages still arrive, a character
    GBK lacks written as an escape, and the command ends as it should (exit 1, not a UnicodeEncodeError)."""
    (here / "issues" / "003.yaml").write_text("number: 𪚥\ndate: 2022-03-01\ntitle: 标题\nbody: [正文]\n",
                                             encoding="utf-8")
    done = run(["build", "issues/003.yaml"], lang, cwd=here, extra_env={"PYTHONIOENCODING": "gbk"})
    assert done.returncode == 1, done.stderr
    err = done.stderr.decode("gbk")                  # every byte is GBK
    assert "Traceback" not in err and "UnicodeEncodeError" not in err
    assert "issues/003.yaml:1:9: " in err and "\\U0002a6a5" in err
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", err.split("issues/003.yaml:1:9: ", 1)[1]), err
