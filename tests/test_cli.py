"""The command line, through click's CliRunner: what a user types and what they get back."""
import datetime as dt

import pytest
import yaml

from jianbao import api
from jianbao.cli import main


def test_new_takes_the_next_number_today_and_the_newest_distribution(run, series):
    newest = series / "issues" / "011.yaml"
    newest.write_text(newest.read_text(encoding="utf-8").replace(
        "发: [局直属学校（单位）党组织", "发: [新增单位, 局直属学校（单位）党组织"), encoding="utf-8")
    result = run("new", "--date", "2022-03-01")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "issues/012.yaml"
    data = yaml.safe_load((series / "issues" / "012.yaml").read_text(encoding="utf-8"))
    assert data["number"] == 12 and data["date"] == dt.date(2022, 3, 1)
    assert data["distribution"]["发"][0] == "新增单位"
    issue, _ = api.read_issue(series / "issues" / "012.yaml")   # the new file is a valid issue
    assert issue.articles[0].body


def test_new_with_a_number_and_default_date(run, series):
    result = run("new", "20")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((series / "issues" / "020.yaml").read_text(encoding="utf-8"))
    assert data["date"] == dt.date.today()


def test_new_refuses_to_overwrite(run, series):
    before = (series / "issues" / "011.yaml").read_bytes()
    result = run("new", "11")
    assert result.exit_code == 1
    assert "011.yaml: already exists; not overwriting it" in result.output
    assert (series / "issues" / "011.yaml").read_bytes() == before


def test_new_refuses_to_reuse_a_number_under_another_name(run, series):
    (series / "issues" / "11.yaml").write_bytes((series / "issues" / "011.yaml").read_bytes())
    (series / "issues" / "011.yaml").unlink()
    result = run("new", "11")
    assert result.exit_code == 1 and "issue 11 already exists as" in result.output


def test_new_in_an_empty_series_takes_the_distribution_from_jianbao_yaml(run, series):
    for p in (series / "issues").iterdir():
        p.unlink()
    result = run("new")
    assert result.exit_code == 0
    data = yaml.safe_load((series / "issues" / "001.yaml").read_text(encoding="utf-8"))
    assert data["distribution"]["报"] == ["市“能力作风建设年”活动领导小组办公室"]


def test_usage_errors_exit_2(run):
    assert run("new", "0").exit_code == 2
    assert run("new", "--date", "2022-13-01").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_tree_command_prints_the_document_tree(run):
    result = run("tree", "issues/011.yaml")
    assert result.exit_code == 0
    assert "<heading level=\"1\" line=\"21\"><num>一、</num>构建“四个体系”，做优推进机制</heading>" in result.output


def test_invalid_issue_reports_location_and_exits_1(run, series):
    (series / "issues" / "003.yaml").write_text("number: 3\ndate: 2022-01-01\ntitel: x\nbody: [a]\n", encoding="utf-8")
    result = run("tree", "issues/003.yaml")
    assert result.exit_code == 1
    assert "issues/003.yaml:3:1: titel: unknown key; did you mean 'title'?" in result.output
    assert "Traceback" not in result.output


def test_a_distribution_block_taller_than_a_page_is_a_located_error(run, series, write_issue):
    names = "\n".join(f"    - 第{i}中学" for i in range(1, 700))
    write_issue(f"number: 3\ndate: 2022-03-01\ntitle: 标题\nbody:\n  - 正文。\ndistribution:\n  发:\n{names}\n")
    result = run("build", "issues/003.yaml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "issues/003.yaml:8:1: the distribution block (版记) is taller than a page" in result.output
    assert "shorten the recipient lists" in result.output
    assert not (series / "build" / "003.pdf").exists() and not (series / "build" / "003.docx").exists()


def test_internal_error_exits_3_with_saved_traceback(monkeypatch, capsys, series):
    monkeypatch.chdir(series)

    def boom(*a, **k):
        raise RuntimeError("boom")
    monkeypatch.setattr(api, "build_tree", boom)
    with pytest.raises(SystemExit) as info:
        main(["tree", "issues/011.yaml"])
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err
    log = err.rsplit("with ", 1)[1].split(")")[0]
    assert "RuntimeError: boom" in open(log, encoding="utf-8").read()


def test_fonts_command_names_the_files_and_the_missing_characters(run, series):
    issue = series / "issues" / "011.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("家长满意度", "李堃家长满意度"), encoding="utf-8")
    result = run("fonts", "issues/011.yaml")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "fangsong (roles:" in out and "DOCX asks for: 仿宋_GB2312" in out
    assert "FandolFang" in out and "堃" in out and "AR PL UMing" in out


def test_the_command_exits_quickly_with_its_exit_code_and_all_its_output(tmp_path):
    """`run()` ends the process with os._exit after the exit handlers and a flush: nothing printed is lost, and
    the exit codes are main()'s."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def jianbao(*args):
        return subprocess.run([sys.executable, "-m", "jianbao.cli", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    r = jianbao("--version")
    assert r.returncode == 0 and "jianbao, version" in r.stdout
    r = jianbao("--help")
    assert r.returncode == 0 and r.stdout.count("\n") > 5 and "build" in r.stdout
    r = jianbao("build", str(tmp_path / "issues" / "001.yaml"))
    assert r.returncode == 1 and "no such issue file" in r.stderr
    r = jianbao("build", "--no-such-option")
    assert r.returncode == 2 and "No such option" in r.stderr
