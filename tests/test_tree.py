"""The document tree the template expands issues into (docs/tree.md)."""
import os
from pathlib import Path

import pytest

from jianbao import api
from jianbao.expand import hanzi
from jianbao.tree import dump, runs, text

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("stem", ["008", "011"])
def test_seed_tree_matches_golden_dump(stem):
    """Regenerate with JIANBAO_UPDATE_GOLDEN=1 after an intended change, and review the diff."""
    got = dump(api.build_tree(REPO / "issues" / f"{stem}.yaml"))
    golden = GOLDEN / f"{stem}.xml"
    if os.environ.get("JIANBAO_UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_issue_8_restarts_numbering_after_the_bridging_paragraph():
    tree = api.build_tree(REPO / "issues" / "008.yaml")
    numbers = [h.find("num").text for h in tree.iter("heading") if h.get("level") == "1"]
    assert numbers == ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "一、", "二、", "三、", "四、"]
    runins = [r.find("num").text for r in tree.iter("runin")]
    assert runins[:4] == ["（一）", "（二）", "（三）", "（四）"]


def test_run_in_heading_and_emphasis_runs():
    tree = api.build_tree(REPO / "issues" / "008.yaml")
    para = next(p for p in tree.iter("para") if p.find("runin") is not None)
    pieces = list(runs(para, "para"))
    assert pieces[0] == ("（一）", "heading-2", False)
    assert pieces[1] == ("加强组织领导。", "heading-2", False)
    assert pieces[2].role == "para" and pieces[2].text.startswith("召开专题党组会")
    tree = api.build_tree(REPO / "issues" / "011.yaml")
    para = next(p for p in tree.iter("para") if p.find("em") is not None)
    assert list(runs(para, "para"))[0] == ("一是构建组织体系。", "para", True)


HOSTILE = """\
number: 3
date: 2022-03-01
total: 58
copies: 200
note: "{{ 7*7 }} <b>编者</b> & {% raw %}"
articles:
  - title: "<![CDATA[x]]> &amp; {{ issue.number }}"
    body:
      - "${x} <para>假</para> **真** * 单星 ** 未闭合"
      - heading: "</heading>"
        text: "{# comment #}"
    source: 县发展改革委供稿
  - title: 第二篇
    subtitle: 副标题
    body: [正文]
distribution:
  报: ["<script>", "&nbsp;"]
  发: []
"""


def test_user_text_is_data_never_markup_or_template(write_issue):
    tree = api.build_tree(write_issue(HOSTILE))
    assert text(tree.find("note")) == "编者按：{{ 7*7 }} <b>编者</b> & {% raw %}"
    article = tree.findall("article")[0]
    assert text(article.find("title")) == "<![CDATA[x]]> &amp; {{ issue.number }}"
    para = article.find("para")
    assert text(para) == "${x} <para>假</para> 真 * 单星 ** 未闭合"
    assert para.find("em").text == "真"
    assert text(article.findall("para")[1]) == "一、</heading>{# comment #}"
    assert text(tree.find("distribution/recipients")) == "报：<script>、&nbsp;"
    # an empty list leaves its line out
    assert [text(r)[:2] for r in tree.iter("recipients")] == ["报："]


def test_multi_article_issue_has_contents_sources_and_counts(write_issue):
    tree = api.build_tree(write_issue(HOSTILE))
    assert [text(e) for e in tree.find("contents")] == [
        "本期目录", "<![CDATA[x]]> &amp; {{ issue.number }}", "第二篇"]
    assert text(tree.find("article/source")) == "（县发展改革委供稿）"
    assert text(tree.find("masthead/issue-number")) == "第3期（总第58期）"
    assert text(tree.find("distribution/printing")) == "郑州市教育局“能力作风建设年”活动领导小组办公室2022年3月1日印发"
    assert text(tree.find("distribution/copies")) == "（共印200份）"
    assert text(tree.findall("article")[1].find("subtitle")) == "副标题"


def test_series_template_overrides_builtin(series, own_template, write_issue):
    template = own_template / "bulletin.xml.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("本期目录", "本期要目"), encoding="utf-8")
    context = api.Context.for_root(series)
    assert context.template == own_template
    issue = write_issue("number: 3\ndate: 2022-03-01\narticles:\n  - {title: 第一篇, body: [正文。]}\n"
                        "  - {title: 第二篇, body: [正文。]}\n")
    tree = api.build_tree(issue, context)                 # the series' own wording, not the built-in one
    assert text(tree.find("contents/contents-title")) == "本期要目"


@pytest.mark.parametrize("n, want", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九"),
                                     (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_numerals(n, want):
    assert hanzi(n) == want
