"""`jianbao build` end to end: what it writes, what it skips, and what it never destroys."""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from docx import Document


SRC = Path(__file__).resolve().parent.parent / "src"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_all_writes_both_formats_and_prints_them(run, series):
    result = run("build")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["build/008.pdf", "build/008.docx", "build/011.pdf", "build/011.docx"]
    with pdfplumber.open(series / "build" / "011.pdf") as pdf:
        # (without spaces: pdfplumber reads the fifth of an em between Chinese and digits as one)
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "")
    assert "攻坚“双减”新任务" in text and "2022年2月15日印发" in text
    paragraphs = [p.text for p in Document(str(series / "build" / "011.docx")).paragraphs]
    assert any(p.startswith("市教育局积极稳步推进") for p in paragraphs)
    assert not [p for p in (series / "build").iterdir() if p.name.endswith(".tmp")]


def test_unchanged_issues_are_skipped_and_changes_rebuild(run, series):
    assert run("build").exit_code == 0
    before = {p.name: os.stat(p).st_mtime_ns for p in (series / "build").glob("0*")}
    result = run("build")
    assert result.stdout == "" and "skipped 2 (unchanged)" in result.stderr
    assert {p.name: os.stat(p).st_mtime_ns for p in (series / "build").glob("0*")} == before
    # the issue file changed: only that issue is rebuilt
    issue = series / "issues" / "011.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("家长满意度达到97%", "家长满意度达到98%"),
                     encoding="utf-8")
    result = run("build")
    assert result.stdout.split() == ["build/011.pdf", "build/011.docx"]
    with pdfplumber.open(series / "build" / "011.pdf") as pdf:
        assert "98%" in pdf.pages[0].extract_text()
    # jianbao.yaml changed: every issue is rebuilt
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: 简报", "name: 工作简报"), encoding="utf-8")
    assert len(run("build").stdout.split()) == 4
    # a damaged output is rebuilt even though the inputs did not change
    (series / "build" / "008.pdf").write_bytes(b"%PDF-1.4 truncated")
    assert run("build").stdout.split() == ["build/008.pdf", "build/008.docx"]
    # --force rebuilds everything
    assert len(run("build", "--force").stdout.split()) == 4


def test_same_input_gives_byte_identical_files(run, series, tmp_path):
    assert run("build", "issues/011.yaml").exit_code == 0
    first = {ext: digest(series / "build" / f"011.{ext}") for ext in ("pdf", "docx")}
    assert run("build", "--force", "--out", str(tmp_path / "again"), "issues/011.yaml").exit_code == 0
    assert first == {ext: digest(tmp_path / "again" / f"011.{ext}") for ext in ("pdf", "docx")}


def test_a_failing_issue_keeps_the_last_good_output_and_does_not_stop_the_others(run, series):
    assert run("build").exit_code == 0
    good = {p.name: digest(p) for p in (series / "build").glob("0*")}
    issue = series / "issues" / "011.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("title: |", "titel: |"), encoding="utf-8")
    other = series / "issues" / "008.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert "issues/011.yaml:15:1: titel: unknown key; did you mean 'title'?" in result.stderr
    assert result.stdout.split() == ["build/008.pdf", "build/008.docx"]      # the other issue was built
    assert digest(series / "build" / "011.pdf") == good["011.pdf"]            # the last good output is intact
    assert digest(series / "build" / "011.docx") == good["011.docx"]
    assert not [p for p in (series / "build").iterdir() if p.name.endswith(".tmp")]


def test_missing_file_and_format_option(run, series):
    result = run("build", "--format", "pdf", "issues/011.yaml", "issues/099.yaml")
    assert result.exit_code == 1
    assert "issues/099.yaml: no such issue file" in result.stderr
    assert sorted(p.name for p in (series / "build").glob("0*")) == ["011.pdf"]


def test_parallel_builds_of_the_same_issue_do_not_corrupt_each_other(series):
    env = dict(os.environ, PYTHONPATH=str(SRC))
    cmd = [sys.executable, "-m", "jianbao.cli", "build", "--force", "issues/011.yaml"]
    procs = [subprocess.Popen(cmd, cwd=series, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with pdfplumber.open(series / "build" / "011.pdf") as pdf:
        assert len(pdf.pages) == 5
    Document(str(series / "build" / "011.docx"))
    assert not [p for p in (series / "build").iterdir() if p.name.endswith(".tmp")]


def test_series_with_several_articles_note_and_copies(run, series):
    (series / "issues" / "012.yaml").write_text("""\
number: 12
date: 2022-03-01
total: 59
copies: 200
note: 本期编发两篇经验材料，供参考。
articles:
  - title: 县发展改革委推进营商环境改革
    body:
      - 对标B-READY评价体系，全市营商环境满意度达到91.93%。
      - heading: 主要做法
        body:
          - heading: 强化统筹。
            text: 成立专班，李堃、王玥、赵昇同志具体负责。
    source: 县发展改革委供稿
  - title: 市教育局推动“双减”落地
    body: [“双减”工作取得阶段性成效。]
distribution:
  发: [各县（市、区）教育局]
""", encoding="utf-8")
    result = run("build", "issues/012.yaml")
    assert result.exit_code == 0, result.output
    assert "堃" in result.stderr and "UMing" in result.stderr        # the fallback is reported
    with pdfplumber.open(series / "build" / "012.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        red = {c["text"] for c in pdf.pages[0].chars if c["non_stroking_color"] in ((1, 0, 0), [1, 0, 0])}
    for want in ("本期目录", "编者按：", "第12期（总第59期）", "（县发展改革委供稿）", "李堃、王玥、赵昇",
                 "（共印200份）", "发：各县（市、区）教育局", "B-READY", "91.93%"):
        assert want.replace(" ", "") in text.replace(" ", "").replace("\n", ""), want
    assert {"简", "报"} <= red


def test_check_warnings_before_the_build_and_strict_refusal(run, series):
    (series / "issues" / "012.yaml").write_text(
        "number: 12\ndate: 2022-03-01\ntitle: 标题\nbody:\n  - 新建中小学 22 所,投入使用。\n", encoding="utf-8")
    result = run("build", "--strict", "issues/012.yaml")
    assert result.exit_code == 1
    assert "issues/012.yaml:5:10: stray-space:" in result.stderr
    assert "issues/012.yaml: not built (--strict: fix the findings above)" in result.stderr
    assert not (series / "build" / "012.pdf").exists()
    result = run("build", "issues/012.yaml")            # without --strict: warned, then built
    assert result.exit_code == 0 and "halfwidth-punct" in result.stderr
    assert (series / "build" / "012.pdf").is_file()


@pytest.mark.parametrize("content, message", [
    (b"number: 12\n" + b"# " + b"x" * 10_485_760 + b"\n", "file is 10,485,774 bytes; an issue file is expected"),
    (b"\xff\xfe\x00\x00garbage", "the file is not UTF-8"),
    (b"number: 12\ndate: 2022-03-01\ntitle: [unclosed\n", "YAML syntax"),
], ids=["10MB", "utf-32", "unclosed"])
def test_hostile_files_fail_fast_with_a_location_and_write_nothing(run, series, content, message):
    import time
    (series / "issues" / "012.yaml").write_bytes(content)
    started = time.perf_counter()
    result = run("build", "issues/012.yaml")
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("issues/012.yaml:") and message in result.stderr
    assert not (series / "build").exists() or not list((series / "build").glob("012*"))


def test_hostile_text_prints_literally(run, series):
    (series / "issues" / "012.yaml").write_text(
        'number: 12\ndate: 2022-03-01\ntitle: "{{ issue.number }} <b>标题</b> &amp;"\n'
        'body:\n  - "{% if x %}代码{% endif %} <para>标签</para> 5 * 3 % 2 &nbsp;"\n', encoding="utf-8")
    assert run("build", "issues/012.yaml").exit_code == 0
    with pdfplumber.open(series / "build" / "012.pdf") as pdf:
        text = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "{{issue.number}}<b>标题</b>&amp;" in text
    assert "{%ifx%}代码{%endif%}<para>标签</para>5*3%2&nbsp;" in text
    # (without the DOCX's line-breaking hints: zero-width spaces and word joiners, layout/wordbreaks.py)
    paragraphs = [p.text.replace("\u200b", "").replace("\u2060", "")
                  for p in Document(str(series / "build" / "012.docx")).paragraphs]
    assert any("{% if x %}代码{% endif %} <para>标签</para> 5 * 3 % 2 &nbsp;" in p for p in paragraphs)


def test_a_new_issue_builds_as_it_is(run, series):
    assert run("new", "--date", "2022-03-01").exit_code == 0
    result = run("build", "issues/012.yaml")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(series / "build" / "012.pdf") as pdf:
        text = pdf.pages[0].extract_text().replace(" ", "")    # (pdfplumber reads the space around digits as one)
    assert "第12期" in text and "请在此填写标题" in text


def test_characters_beyond_the_basic_plane_copy_out_of_the_pdf(run, series):
    """U+28E65 (CJK Extension B) comes from a fallback font and must extract as itself."""
    (series / "issues" / "012.yaml").write_text(
        "number: 12\ndate: 2022-03-01\ntitle: 标题\nbody:\n  - 表彰王𨹥同志。\n", encoding="utf-8")
    assert run("build", "--format", "pdf", "issues/012.yaml").exit_code == 0
    with pdfplumber.open(series / "build" / "012.pdf") as pdf:
        text = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "表彰王𨹥同志。" in text
