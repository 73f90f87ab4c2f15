"""Issue 19: the messages of reading the input in the user's language (po/zh_CN/input.po).

Issue files, jianbao.yaml, a template's layout.yaml and bulletin.xml.j2, the series' folders: every mistake is
run through `jianbao build` (and `jianbao check`) under LANG=zh_CN.UTF-8 and LANG=C.UTF-8, and the lines about
the file are asserted as the user reads them, in both languages; the Chinese lines keep no English sentence
(messages.english_left). Mistakes that can stand together share one file (the schema reports them all at once).
The few guards no command reaches are called directly under the Chinese locale. The last test checks that every
translation of input.po is among the lines asserted here."""
from __future__ import annotations

import ast
import errno
import os
import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from messages import english_left, environment, invoke, run

LANGS = ("zh", "en")
ASSERTED_ZH: list[str] = []        # every Chinese line this module expects (the catalogue test reads it)


def case(name, file, text, zh, en):
    ASSERTED_ZH.append(zh)
    return pytest.param(file, text, {"zh": zh.splitlines(), "en": en.splitlines()}, id=name)


def pair(name, *args):
    """A case of a table whose last two values are the Chinese and the English text."""
    ASSERTED_ZH.append(args[-2])
    return pytest.param(*args, id=name)


def lines_about(output: str, prefix: str) -> list[str]:
    """The lines of the output about one file (not the build's summary, nor another file's findings)."""
    return [line for line in output.splitlines() if line.startswith(prefix)]


def build(series, monkeypatch, lang, target, prefix):
    """`jianbao build TARGET` in the series: the exit status must be 1; the lines starting with PREFIX."""
    monkeypatch.chdir(series)
    result = invoke(["build", target], lang)
    assert result.exit_code == 1, result.output
    lines = lines_about(result.output, prefix)
    if lang == "zh":
        assert english_left("\n".join(lines)) == [], lines
    return lines


def speak(monkeypatch, lang):
    """The environment of a user with only LANG set, for the direct calls."""
    for var, value in environment(lang).items():
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)


@pytest.fixture
def root(series):
    """The series folder as messages name it (resolved), with a small picture for the picture keys."""
    from PIL import Image

    Image.new("RGB", (40, 30), "white").save(series / "photo.png")
    return series.resolve()


def write(path: Path, text) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


# ---- issue files ------------------------------------------------------------------------------------------------

ISSUE_HEAD = '''number: 12
date: 2022-02-30
titel: 标题
printed: 30/01/2022
total: three
copies: 3.5
heading_numbers: [一、, （一）, 1., （1）, ①, "(1)", "1)"]
note: {a: b}
distribution:
  抄: [x]
  发: {a: b}
number: 13
body: [正文。]
'''
ISSUE_BODY = '''number: 12
date: 2022-01-01
title: 标题
subtitle: ""
heading_numbers: [一、, ①]
body:
  - heading: 一
    nmber: 2
    body: [p]
  - text: y
  - heading: 二
  - [a]
  - "a\\bb"
  - heading: 三
    body:
      - heading: 圈
        number: 51
        text: x
  - images: [{image: photo.png}]
  - images: x
  - image: photo.png
    width: 200%
  - table:
      header: [a, b]
      rows:
        - [1, 2, 3]
        - [1, [x]]
        - x
      widths: [1, 0]
      align: [left, middle]
  - table:
      header: [a]
      rows: x
      widths: [1, 2]
      align: x
  - heading: 1
    body:
      - heading: 2
        body:
          - heading: 3
            body:
              - heading: 4
                body:
                  - heading: 5
                    body: [x]
'''
ISSUE_ARTICLES = '''number: 12
date: 2022-01-01
title: 标题
body: [a]
articles: x
heading_numbers: x
copies:
'''
ISSUE_ARTICLE_ITEMS = '''number: 12
date: 2022-01-01
articles:
  - x
  - title: 一
    body: {a: b}
    zzz: 1
  - {title: 二}
'''
ALIAS_BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 9))

ISSUES = [
    case("schema-head", "012.yaml", ISSUE_HEAD,
     zh="""\
issues/012.yaml:1:1: 缺少必填的键“title”（一期有多篇文章时用“articles:”）
issues/012.yaml:2:7: date：日期 2022-02-30 不存在
issues/012.yaml:3:1: titel：没有这个键，是不是想写“title”？
issues/012.yaml:4:10: printed：应为日期，如 2022-01-30，实际是“30/01/2022”
issues/012.yaml:5:8: total：应为 1 到 99999 的整数，实际是“three”
issues/012.yaml:6:9: copies：应为 1 到 99999 的整数，实际是“3.5”
issues/012.yaml:7:18: heading_numbers：写了 5 个样式，但标题最多只有 4 级
issues/012.yaml:7:40: heading_numbers[5]：“(1)”不是编号样式（可选：一、 （一） 1. （1） ① ""），是不是想写“（1）”？
issues/012.yaml:7:47: heading_numbers[6]：“1)”不是编号样式（可选：一、 （一） 1. （1） ① ""）
issues/012.yaml:8:7: note：应为文字，实际是一组键值
issues/012.yaml:10:3: distribution.抄：没有这个键（可用的键：报、送、发）
issues/012.yaml:11:6: distribution.发：应为名称列表，实际是一组键值
issues/012.yaml:12:1: number：这个键写了两次
""",
     en="""\
issues/012.yaml:1:1: missing required key 'title' (or 'articles:' for an issue with several articles)
issues/012.yaml:2:7: date: impossible date 2022-02-30
issues/012.yaml:3:1: titel: unknown key; did you mean 'title'?
issues/012.yaml:4:10: printed: expected a date like 2022-01-30, found '30/01/2022'
issues/012.yaml:5:8: total: expected a whole number from 1 to 99999, found 'three'
issues/012.yaml:6:9: copies: expected a whole number from 1 to 99999, found '3.5'
issues/012.yaml:7:18: heading_numbers: 5 styles, but headings nest at most 4 levels deep
issues/012.yaml:7:40: heading_numbers[5]: '(1)' is not a number style (one of 一、, （一）, 1., （1）, ①, ""); did you mean '（1）'?
issues/012.yaml:7:47: heading_numbers[6]: '1)' is not a number style (one of 一、, （一）, 1., （1）, ①, "")
issues/012.yaml:8:7: note: expected text, found a mapping
issues/012.yaml:10:3: distribution.抄: unknown key (expected one of: 报, 送, 发)
issues/012.yaml:11:6: distribution.发: expected a list of names, found a mapping
issues/012.yaml:12:1: number: duplicate key
"""),
    case("schema-body", "013.yaml", ISSUE_BODY,
     zh="""\
issues/013.yaml:1:9: number：期号是 12，但文件名是第 13 期（请把文件改名为 012.yaml，或改正期号）
issues/013.yaml:4:11: subtitle：应为文字，实际是空的
issues/013.yaml:8:5: body[0].nmber：没有这个键，是不是想写“number”？
issues/013.yaml:10:5: body[1]：正文中的键值只能是带“heading:”的小节、带“image:”的图片、带“images:”的并排图片或带“table:”的表格（如果这是含有“: ”的段落，请加引号，或改用全角冒号“：”）
issues/013.yaml:11:5: body[2]：标题下要有“body:”（段落列表）或“text:”（接在标题后的段落）
issues/013.yaml:12:5: body[3]：应为段落（文字）或小节（heading:），实际是一个列表
issues/013.yaml:13:5: body[4]：文字中有控制字符 U+0008（引号中 \\b 或 \\u0008 之类的转义）：请删除，它无法打印
issues/013.yaml:17:17: body[5].body[0]：带圈数字最大只到 50，没有 51（请在 heading_numbers: 中另选一种样式）
issues/013.yaml:19:13: body[6].images：应为并排的 2 张或 3 张图片（{image: …, caption: …}）的列表，实际列表中有 1 张
issues/013.yaml:20:13: body[7].images：应为并排的 2 张或 3 张图片（{image: …, caption: …}）的列表，实际是“x”
issues/013.yaml:22:12: body[8].width：应为占版心宽度的百分比，1% 到 100%，如 60%，实际是“200%”
issues/013.yaml:26:11: body[9].table.rows[0]：这一行有 3 个单元格，但表头有 2 列
issues/013.yaml:27:15: body[9].table.rows[1][1]：应为单元格的文字，实际是一个列表
issues/013.yaml:28:11: body[9].table.rows[2]：应为单元格的列表，实际是“x”
issues/013.yaml:29:19: body[9].table.widths[1]：应为相对宽度（大于 0 的数），实际是“0”
issues/013.yaml:30:21: body[9].table.align[1]：应为 left、center、right 之一，实际是“middle”
issues/013.yaml:33:13: body[10].table.rows：应为各行的列表（每行是单元格的列表），实际是“x”
issues/013.yaml:34:15: body[10].table.widths：应为 1 个值的列表，每列一个，实际列表中有 2 个
issues/013.yaml:35:14: body[10].table.align：应为 1 个值的列表，每列一个，实际是“x”
issues/013.yaml:44:21: body[11].body[0].body[0].body[0].body[0]：标题最多只有 4 级（一、（一）1.（1））
""",
     en="""\
issues/013.yaml:1:9: number: is 12 but the file name says 13 (rename the file to 012.yaml or fix the number)
issues/013.yaml:4:11: subtitle: expected text, found an empty string
issues/013.yaml:8:5: body[0].nmber: unknown key; did you mean 'number'?
issues/013.yaml:10:5: body[1]: a mapping in a body must be a section with 'heading:', a picture with 'image:', pictures side by side with 'images:' or a table with 'table:' (if this is a paragraph containing ': ', quote it or use the full-width colon ：)
issues/013.yaml:11:5: body[2]: a heading needs 'body:' (a list of paragraphs) or 'text:' (a run-in paragraph)
issues/013.yaml:12:5: body[3]: expected a paragraph (text) or a section (heading:), found a list
issues/013.yaml:13:5: body[4]: control character U+0008 in the text (an escape such as \\b or \\u0008 in quotes): delete it, it cannot be printed
issues/013.yaml:17:17: body[5].body[0]: circled numbers go up to ㊿ (50), not 51 (choose another style in heading_numbers:)
issues/013.yaml:19:13: body[6].images: expected a list of 2 or 3 pictures ({image: …, caption: …}) to set side by side, found a list of 1
issues/013.yaml:20:13: body[7].images: expected a list of 2 or 3 pictures ({image: …, caption: …}) to set side by side, found 'x'
issues/013.yaml:22:12: body[8].width: expected a share of the text width from 1% to 100%, such as 60%, found '200%'
issues/013.yaml:26:11: body[9].table.rows[0]: 3 cells, but the header has 2 columns
issues/013.yaml:27:15: body[9].table.rows[1][1]: expected the text of a cell, found a list
issues/013.yaml:28:11: body[9].table.rows[2]: expected a list of cells, found 'x'
issues/013.yaml:29:19: body[9].table.widths[1]: expected a relative width (a number above 0), found '0'
issues/013.yaml:30:21: body[9].table.align[1]: expected one of left, center, right, found 'middle'
issues/013.yaml:33:13: body[10].table.rows: expected a list of rows (each a list of cells), found 'x'
issues/013.yaml:34:15: body[10].table.widths: expected a list of 1 values, one per column, found a list of 2
issues/013.yaml:35:14: body[10].table.align: expected a list of 1 values, one per column, found 'x'
issues/013.yaml:44:21: body[11].body[0].body[0].body[0].body[0]: headings nest at most 4 levels deep (一、（一）1.（1）)
"""),
    case("schema-articles", "012.yaml", ISSUE_ARTICLES,
     zh="""\
issues/012.yaml:3:8: title：用了“articles:”的一期，标题和正文写在每篇文章里
issues/012.yaml:4:7: body：用了“articles:”的一期，标题和正文写在每篇文章里
issues/012.yaml:5:11: articles：应为文章列表（每篇都有 title: 和 body:），实际是“x”
issues/012.yaml:6:18: heading_numbers：应为编号样式的列表，每级标题一个，如 [一、, 1., （1）]，实际是“x”
issues/012.yaml:7:8: copies：应为 1 到 99999 的整数，实际是空值
""",
     en="""\
issues/012.yaml:3:8: title: an issue with 'articles:' gives each article its own title and body
issues/012.yaml:4:7: body: an issue with 'articles:' gives each article its own title and body
issues/012.yaml:5:11: articles: expected a list of articles (each with title: and body:), found 'x'
issues/012.yaml:6:18: heading_numbers: expected a list of number styles, one per heading level, such as [一、, 1., （1）], found 'x'
issues/012.yaml:7:8: copies: expected a whole number from 1 to 99999, found nothing
"""),
    case("schema-article-items", "012.yaml", ISSUE_ARTICLE_ITEMS,
     zh="""\
issues/012.yaml:4:5: articles[0]：应为一组键值（body、source、subtitle、title），实际是“x”
issues/012.yaml:6:11: articles[1].body：应为段落和小节的列表，实际是一组键值
issues/012.yaml:7:5: articles[1].zzz：没有这个键（可用的键：body、source、subtitle、title）
issues/012.yaml:8:5: articles[2]：缺少必填的键“body”
""",
     en="""\
issues/012.yaml:4:5: articles[0]: expected a mapping of keys (body, source, subtitle, title), found 'x'
issues/012.yaml:6:11: articles[1].body: expected a list of paragraphs and sections, found a mapping
issues/012.yaml:7:5: articles[1].zzz: unknown key (expected one of: body, source, subtitle, title)
issues/012.yaml:8:5: articles[2]: missing required key 'body'
"""),
    case("quoted-values", "012.yaml", 'number: 12\ndate: 2022-01-01\ntitle: t\nbody: [a]\ntotal: "it\'s"\n'
         'copies: "a\\nb\\\\c"\nprinted: [2022-01-01]\n',
     zh="""\
issues/012.yaml:5:8: total：应为 1 到 99999 的整数，实际是“it's”
issues/012.yaml:6:9: copies：应为 1 到 99999 的整数，实际是“a\\nb\\\\c”
issues/012.yaml:7:10: printed：应为日期，如 2022-01-30，实际是一个列表
""",
     en="""\
issues/012.yaml:5:8: total: expected a whole number from 1 to 99999, found "it's"
issues/012.yaml:6:9: copies: expected a whole number from 1 to 99999, found 'a\\nb\\\\c'
issues/012.yaml:7:10: printed: expected a date like 2022-01-30, found a list
"""),
    case("not-a-mapping", "012.yaml", '- a\n',
     zh="""\
issues/012.yaml:1:1: 应为一组键值（articles、body、copies、date、distribution、heading_numbers、note、number、printed、subtitle、title、total），实际是一个列表
issues/012.yaml:1:1: 缺少必填的键“title”（一期有多篇文章时用“articles:”）
issues/012.yaml:1:1: 缺少必填的键“body”（一期有多篇文章时用“articles:”）
""",
     en="""\
issues/012.yaml:1:1: expected a mapping of keys (articles, body, copies, date, distribution, heading_numbers, note, number, printed, subtitle, title, total), found a list
issues/012.yaml:1:1: missing required key 'title' (or 'articles:' for an issue with several articles)
issues/012.yaml:1:1: missing required key 'body' (or 'articles:' for an issue with several articles)
"""),
    case("empty", "012.yaml", '',
     zh="""\
issues/012.yaml:1:1: 文件是空的（应写这一期的各个键）
""",
     en="""\
issues/012.yaml:1:1: the file is empty (expected the issue's keys)
"""),
    case("too-large", "012.yaml", b"# " + b"x" * 2_000_000 + b"\n",
     zh="""\
issues/012.yaml:1:1: 文件有 2,000,003 字节，一期简报的文件应小于 2,000,000 字节
""",
     en="""\
issues/012.yaml:1:1: file is 2,000,003 bytes; an issue file is expected to be under 2,000,000
"""),
    case("gbk", "012.yaml", "number: 12\ndate: 2022-01-01\ntitle: 标题\n".encode("gbk"),
     zh="""\
issues/012.yaml:3:8: 文件不是 UTF-8 编码（字节 0xB1）。它像是 GBK 编码：请用 `iconv -f GBK -t UTF-8` 转换（或在编辑器中另存为 UTF-8）。
""",
     en="""\
issues/012.yaml:3:8: the file is not UTF-8 (byte 0xB1). It reads as GBK: convert it with `iconv -f GBK -t UTF-8` (or save as UTF-8 in your editor).
"""),
    case("not-utf8", "012.yaml", b'number: 12\ntitle: \xff\xfe\n',
     zh="""\
issues/012.yaml:2:8: 文件不是 UTF-8 编码（字节 0xFF）。
""",
     en="""\
issues/012.yaml:2:8: the file is not UTF-8 (byte 0xFF).
"""),
    case("control", "012.yaml", 'number: 12\ntitle: t\x07\n',
     zh="""\
issues/012.yaml:2:9: 文字中有控制字符 U+0007（请删除）
""",
     en="""\
issues/012.yaml:2:9: control character U+0007 in the text (delete it)
"""),
    case("c1-control", "012.yaml", 'number: 12\ntitle: t\x85x\x90\n',
     zh="""\
issues/012.yaml:2:11: 文字中有控制字符 U+0090（请删除）
""",
     en="""\
issues/012.yaml:2:11: control character U+0090 in the text (delete it)
"""),
    case("tag", "012.yaml", 'number: !!python/object/apply:os.system [ls]\n',
     zh="""\
issues/012.yaml:1:9: 不能使用 YAML 标签“tag:yaml.org,2002:python/object/apply:os.system”（只写文字、列表和键值）
""",
     en="""\
issues/012.yaml:1:9: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (write plain text, lists and mappings)
"""),
    case("aliases", "012.yaml", ALIAS_BOMB,
     zh="""\
issues/012.yaml:1:1: 文件展开后超过 200,000 个值（引用“*”用得太多？）
""",
     en="""\
issues/012.yaml:1:1: the document expands to more than 200,000 values (too many aliases?)
"""),
    case("deep", "012.yaml", "number: 12\nbody: " + "[" * 150 + "]" * 150 + "\n",
     zh="""\
issues/012.yaml:2:107: 列表或键值嵌套超过了 100 层（一期简报只需要几层：body、小节、段落；请检查“[”和“{”是否成对）
""",
     en="""\
issues/012.yaml:2:107: lists or mappings nested more than 100 levels deep (an issue needs a few: body, sections, paragraphs; check the [ and { brackets)
"""),
    case("deeper-than-libyaml", "012.yaml", "number: 12\nbody: " + "[" * 1200 + "]" * 1200 + "\n",
     zh="""\
issues/012.yaml:2:1006: 列表或键值嵌套超过了 100 层（一期简报只需要几层：body、小节、段落；请检查“[”和“{”是否成对）
""",
     en="""\
issues/012.yaml:2:1006: lists or mappings nested more than 100 levels deep (an issue needs a few: body, sections, paragraphs; check the [ and { brackets)
"""),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name, text, expected", ISSUES)
def test_issue_file_mistakes(root, monkeypatch, lang, name, text, expected):
    write(root / "issues" / name, text)
    assert build(root, monkeypatch, lang, f"issues/{name}", "issues/") == expected[lang]


def test_the_examples_of_the_issue(root, monkeypatch):
    """Issue 19's own two lines, exactly, from a separate process with nothing but LANG set."""
    write(root / "issues" / "012.yaml", ISSUE_HEAD)
    result = run(["build", "issues/012.yaml"], "zh", cwd=root)
    assert result.returncode == 1
    lines = result.stderr.decode("utf-8").splitlines()
    assert "issues/012.yaml:3:1: titel：没有这个键，是不是想写“title”？" in lines
    assert "issues/012.yaml:2:7: date：日期 2022-02-30 不存在" in lines
    assert "Traceback" not in result.stderr.decode("utf-8")


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["issues/012.yaml:2:7: invalid: date：日期 2022-02-30 不存在",
            "issues/012.yaml:3:1: invalid: titel：没有这个键，是不是想写“title”？"]),
    ("en", ["issues/012.yaml:2:7: invalid: date: impossible date 2022-02-30",
            "issues/012.yaml:3:1: invalid: titel: unknown key; did you mean 'title'?"]),
])
def test_check_reports_them_in_the_same_words(root, monkeypatch, lang, expected):
    write(root / "issues" / "012.yaml", ISSUE_HEAD)
    monkeypatch.chdir(root)
    result = invoke(["check", "issues/012.yaml"], lang)
    assert result.exit_code == 1
    for line in expected:
        assert any(got.startswith(line) for got in result.output.splitlines()), (line, result.output)


# ---- YAML syntax: each of PyYAML's problems ---------------------------------------------------------------------

YAML_PROBLEMS = [
    pair("tab", 'number: 12\ndate: 2022-01-01\ntitle: t\nbody:\n\t- a\n',
     '5:1: YAML 语法错误：这里不能出现字符“\\t”（请用空格缩进，不要用制表符 Tab）',
     "5:1: YAML syntax: found character '\\t' that cannot start any token (indent with spaces, not tabs)"),
    pair("star", 'number: 12\nbody:\n  - **一是**抓好落实。\n',
     '3:6: YAML 语法错误：这里应为字母或数字，却是“*”（以 * 开头的文字要加引号："**一是……**……"）',
     '3:6: YAML syntax: expected alphabetic or numeric character, but found \'*\' (a text that starts with * must be quoted: "**一是……**……")'),
    pair("digit-or-dot", '%YAML 1x\n---\na: b\n',
     '1:8: YAML 语法错误：这里应为数字或“.”，却是“x”',
     "1:8: YAML syntax: expected a digit or '.', but found 'x'"),
    pair("digit-or-space", '%YAML 1.1x\n---\na: b\n',
     '1:10: YAML 语法错误：这里应为数字或空格，却是“x”',
     "1:10: YAML syntax: expected a digit or ' ', but found 'x'"),
    pair("digit", '%YAML 1.\n---\na: b\n',
     '1:9: YAML 语法错误：这里应为数字，却是“\\n”',
     "1:9: YAML syntax: expected a digit, but found '\\n'"),
    pair("space", '%TAG !e!x y\n---\na: b\n',
     '1:9: YAML 语法错误：这里应为空格，却是“x”',
     "1:9: YAML syntax: expected ' ', but found 'x'"),
    pair("comment", 'a: |2 x\n  b\n',
     '1:7: YAML 语法错误：这里只能是注释或换行，却是“x”',
     "1:7: YAML syntax: expected a comment or a line break, but found 'x'"),
    pair("chomping", 'a: |x\n  b\n',
     '1:5: YAML 语法错误：“|”或“>”后面只能是“+”“-”或缩进的数字，却是“x”',
     "1:5: YAML syntax: expected chomping or indentation indicators, but found 'x'"),
    pair("end-of-stream", 'title: "标题\nbody: [a]\n',
     '3:1: YAML 语法错误：文件意外结束（引号或括号没有成对？）',
     '3:1: YAML syntax: found unexpected end of stream'),
    pair("bang", '%TAG x !e!\n---\na: b\n',
     '1:6: YAML 语法错误：这里应为“!”，却是“x”',
     "1:6: YAML syntax: expected '!', but found 'x'"),
    pair("uri", 'a: !<> b\n',
     '1:6: YAML 语法错误：这里应为 URI，却是“>”',
     "1:6: YAML syntax: expected URI, but found '>'"),
    pair("colon", 'a: b\n? c\nd\n',
     '4:1: YAML 语法错误：找不到应有的冒号“:”（缩进不齐，或引号没有成对？）',
     "4:1: YAML syntax: could not find expected ':'"),
    pair("sequence-entry", 'title: t\n- a\n',
     '2:1: YAML 语法错误：这里应是上面一段的结尾，却遇到了“-”（缩进不齐？）',
     "2:1: YAML syntax: expected <block end>, but found '-'"),
    pair("mapping-key", 'a: ? b\n',
     '1:4: YAML 语法错误：这里不能有以“? ”开头的键',
     '1:4: YAML syntax: mapping keys are not allowed here'),
    pair("greater-than", 'a: !<x b\n',
     '1:7: YAML 语法错误：这里应为“>”，却是“ ”',
     "1:7: YAML syntax: expected '>', but found ' '"),
    pair("document-separator", 'a: "b\n---\nc"\n',
     '2:1: YAML 语法错误：出现了意外的文档分隔符',
     '2:1: YAML syntax: found unexpected document separator'),
    pair("mapping-value", 'title: 会议强调: 要抓好落实\n',
     '1:12: YAML 语法错误：这里不能有“键: 值”（含有“: ”的文字要加引号，或改用全角冒号“：”）',
     "1:12: YAML syntax: mapping values are not allowed here (a text containing ': ' must be quoted, or use the full-width colon ：)"),
    pair("indentation-zero", 'a: |0\n  b\n',
     '1:5: YAML 语法错误：缩进的数字应为 1 到 9，却是 0',
     '1:5: YAML syntax: expected indentation indicator in the range 1-9, but found 0'),
    pair("uri-escape", 'a: !<%zz> b\n',
     '1:7: YAML 语法错误：URI 转义应为 2 位十六进制数，却是“z”',
     "1:7: YAML syntax: expected URI escape sequence of 2 hexadecimal numbers, but found 'z'"),
    pair("escape", 'image: "photos\\2022.jpg"\n',
     '1:16: YAML 语法错误：“\\”后面不能是“2”（双引号中的“\\”表示转义：要写成“\\\\”，或改用单引号）',
     "1:16: YAML syntax: found unknown escape character '2' (in double quotes \\ starts an escape: write \\\\ or use "
     "single quotes)"),
    pair("hex-escape", 'a: "\\x4g"\n',
     '1:7: YAML 语法错误：转义应为 2 位十六进制数，却是“g”',
     "1:7: YAML syntax: expected escape sequence of 2 hexadecimal numbers, but found 'g'"),
    pair("block-end", 'title: t\nbody:\n  - heading: 一\n   body: [a]\n',
     '4:4: YAML 语法错误：这里应是上面一段的结尾，却遇到了一组键值（缩进不齐？）',
     "4:4: YAML syntax: expected <block end>, but found '<block mapping start>'"),
    pair("document-start", '%YAML 1.1\na: b\n',
     '2:1: YAML 语法错误：这里应为文档开始标记“---”，却遇到了一段文字',
     "2:1: YAML syntax: expected '<document start>', but found '<scalar>'"),
    pair("duplicate-directive", '%YAML 1.1\n%YAML 1.1\n---\na: b\n',
     '2:1: YAML 语法错误：YAML 指令重复',
     '2:1: YAML syntax: found duplicate YAML directive'),
    pair("version", '%YAML 2.0\n---\na: b\n',
     '1:1: YAML 语法错误：不兼容的 YAML 文档（需要 1.* 版）',
     '1:1: YAML syntax: found incompatible YAML document (version 1.* is required)'),
    pair("flow-sequence", 'body: [a, b\ntitle: t\n',
     '2:6: YAML 语法错误：这里应为“,”或“]”，却遇到了“:”（方括号没有成对？）',
     "2:6: YAML syntax: expected ',' or ']', but got ':'"),
    pair("flow-mapping", 'a: {b: c\nd: e\n',
     '2:2: YAML 语法错误：这里应为“,”或“}”，却遇到了“:”（花括号没有成对？）',
     "2:2: YAML syntax: expected ',' or '}', but got ':'"),
    pair("duplicate-handle", '%TAG !e! x\n%TAG !e! y\n---\na: b\n',
     '2:1: YAML 语法错误：标签前缀“!e!”重复',
     "2:1: YAML syntax: duplicate tag handle '!e!'"),
    pair("undefined-handle", 'a: !e!x b\n',
     '1:4: YAML 语法错误：标签前缀“!e!”没有定义',
     "1:4: YAML syntax: found undefined tag handle '!e!'"),
    pair("node-content", 'a: {b: ]}\n',
     '1:8: YAML 语法错误：这里应有内容，却遇到了“]”',
     "1:8: YAML syntax: expected the node content, but found ']'"),
    pair("another-document", 'a: b\n---\nc: d\n',
     '2:1: YAML 语法错误：文件中出现了第二个文档（“---”）',
     '2:1: YAML syntax: but found another document'),
    pair("alias", 'title: *x\n',
     '1:8: YAML 语法错误：引用的“x”没有定义（以 * 开头的文字要加引号："**一是……**……"）',
     '1:8: YAML syntax: found undefined alias \'x\' (a text that starts with * must be quoted: "**一是……**……")'),
    pair("star-word", 'title: *一是*抓好落实\n',
     '1:9: YAML 语法错误：这里应为字母或数字，却是“一”（以 * 开头的文字要加引号："**一是……**……"）',
     '1:9: YAML syntax: expected alphabetic or numeric character, but found \'一\' (a text that starts with * must be quoted: "**一是……**……")'),
    pair("anchor", 'a: &x b\nc: &x d\n',
     '2:4: YAML 语法错误：锚点名称重复',
     '2:4: YAML syntax: second occurrence'),
    pair("end-of-file-token", 'a: [b\n',
     '2:1: YAML 语法错误：这里应为“,”或“]”，却遇到了文件末尾（方括号没有成对？）',
     "2:1: YAML syntax: expected ',' or ']', but got '<stream end>'"),
    pair("document-end-token", 'a: [b\n...\n',
     '2:1: YAML 语法错误：这里应为“,”或“]”，却遇到了文档结束标记“...”（方括号没有成对？）',
     "2:1: YAML syntax: expected ',' or ']', but got '<document end>'"),
    pair("anchor-token", 'a: &x &y b\n',
     '1:7: YAML 语法错误：这里应是上面一段的结尾，却遇到了锚点“&”（缩进不齐？）',
     "1:7: YAML syntax: expected <block end>, but found '<anchor>'"),
    pair("tag-token", 'a: [!x !y b]\n',
     '1:8: YAML 语法错误：这里应为“,”或“]”，却遇到了标签“!”（方括号没有成对？）',
     "1:8: YAML syntax: expected ',' or ']', but got '<tag>'"),
    pair("sequence-entry-here", 'title: - 标题\n',
     '1:8: YAML 语法错误：这里不能有列表项“- ”（缩进不齐，或以“- ”开头的文字没加引号？）',
     '1:8: YAML syntax: sequence entries are not allowed here'),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text, zh, en", YAML_PROBLEMS)
def test_yaml_syntax(root, monkeypatch, lang, text, zh, en):
    write(root / "issues" / "012.yaml", text)
    expected = {"zh": zh, "en": en}[lang]
    assert build(root, monkeypatch, lang, "issues/012.yaml", "issues/") == ["issues/012.yaml:" + expected]


def _pyyaml_problems() -> list[str]:
    """Every problem PyYAML's scanner, parser and composer can report, with a sample for each %r and %d."""
    found = []
    for module in ("scanner", "parser", "composer"):
        tree = ast.parse(Path(yaml.__file__).with_name(f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("ScannerError", "ParserError",
                                                                                  "ComposerError")
                    and len(node.args) >= 3):
                problem = node.args[2]
                text = problem.left if isinstance(problem, ast.BinOp) else problem
                if isinstance(text, ast.Constant) and isinstance(text.value, str):
                    found.append(text.value.replace("%r", repr("x")).replace("%d", "4"))
    return sorted(set(found))


def test_every_problem_pyyaml_can_report_has_its_chinese(monkeypatch):
    """A PyYAML that words a problem differently (or adds one) fails here, not in front of a Chinese user."""
    from jianbao.source import _problem

    speak(monkeypatch, "zh")
    problems = _pyyaml_problems()
    assert len(problems) > 30
    untranslated = [p for p in problems if english_left(_problem(p))]
    assert untranslated == []
    speak(monkeypatch, "en")
    assert [_problem(p) for p in problems] == problems     # PyYAML's own words in English


# ---- jianbao.yaml -------------------------------------------------------------------------------------------------

SERIES_KEYS = '''masthead:
  name: 简报
  titel: x
printr: 某某办公室
template: ../x
yearly: maybe
first_total: 0
heading_numbers: x
absent: {2023: [1]}
formats: [pdf, odf, pdf, xyz]
preprinted: 1
'''

SERIES = [
    case("series-keys", "jianbao.yaml", SERIES_KEYS,
     zh="""\
{root}/jianbao.yaml:3:3: masthead.titel：没有这个键（可用的键：editor、marking、name、series）
{root}/jianbao.yaml:4:1: printr：没有这个键，是不是想写“printer”？
{root}/jianbao.yaml:5:11: template：“../x”不是模板文件夹的名称（只能用字母、数字和 - _ .）
{root}/jianbao.yaml:6:9: yearly：应为 true 或 false，实际是“maybe”
{root}/jianbao.yaml:7:14: first_total：应为 1 到 99999 的整数，实际是“0”
{root}/jianbao.yaml:8:18: heading_numbers：应为编号样式的列表，每级标题一个，如 [一、, 1., （1）]，实际是“x”
{root}/jianbao.yaml:9:9: absent：按年份列出期号只适用于每年重新编号的系列（`yearly: true`）；不按年编号的系列直接列出期号：absent: [9, 10]
{root}/jianbao.yaml:10:16: formats[1]：没有“odf”这种格式（可选：pdf、docx、dotx、ofd、png、html），是不是想写“pdf”？
{root}/jianbao.yaml:10:21: formats[2]：“pdf”写了两次
{root}/jianbao.yaml:10:26: formats[3]：没有“xyz”这种格式（可选：pdf、docx、dotx、ofd、png、html）
{root}/jianbao.yaml:11:13: preprinted：应为 true 或 false，实际是“1”
""",
     en="""\
{root}/jianbao.yaml:3:3: masthead.titel: unknown key (expected one of: editor, marking, name, series)
{root}/jianbao.yaml:4:1: printr: unknown key; did you mean 'printer'?
{root}/jianbao.yaml:5:11: template: '../x' is not a template folder name (letters, digits, - _ .)
{root}/jianbao.yaml:6:9: yearly: expected true or false, found 'maybe'
{root}/jianbao.yaml:7:14: first_total: expected a whole number from 1 to 99999, found '0'
{root}/jianbao.yaml:8:18: heading_numbers: expected a list of number styles, one per heading level, such as [一、, 1., （1）], found 'x'
{root}/jianbao.yaml:9:9: absent: numbers by year are for a yearly series (`yearly: true`); a flat series lists numbers: absent: [9, 10]
{root}/jianbao.yaml:10:16: formats[1]: unknown format 'odf' (expected some of: pdf, docx, dotx, ofd, png, html); did you mean 'pdf'?
{root}/jianbao.yaml:10:21: formats[2]: 'pdf' is listed twice
{root}/jianbao.yaml:10:26: formats[3]: unknown format 'xyz' (expected some of: pdf, docx, dotx, ofd, png, html)
{root}/jianbao.yaml:11:13: preprinted: expected true or false, found '1'
"""),
    case("series-yearly", "jianbao.yaml", 'yearly: true\nabsent: [1]\nformats: []\n',
     zh="""\
{root}/jianbao.yaml:2:9: absent：每年重新编号的系列要按年份列出缺少的期：absent: {2023: [11, 12]}，实际是一个列表
{root}/jianbao.yaml:3:10: formats：应为格式列表（pdf、docx、dotx、ofd、png、html），实际是空列表
""",
     en="""\
{root}/jianbao.yaml:2:9: absent: in a yearly series, list the absent issues by year: absent: {2023: [11, 12]}, found a list
{root}/jianbao.yaml:3:10: formats: expected a list of formats (pdf, docx, dotx, ofd, png, html), found an empty list
"""),
    case("series-absent-years", "jianbao.yaml", 'yearly: true\nabsent: {20x3: [1]}\nformats: {a: b}\n',
     zh="""\
{root}/jianbao.yaml:2:10: absent.20x3：应为年份，如 2023
{root}/jianbao.yaml:3:10: formats：应为格式列表（pdf、docx、dotx、ofd、png、html），实际是一组键值
""",
     en="""\
{root}/jianbao.yaml:2:10: absent.20x3: expected a year such as 2023
{root}/jianbao.yaml:3:10: formats: expected a list of formats (pdf, docx, dotx, ofd, png, html), found a mapping
"""),
    case("series-not-a-mapping", "jianbao.yaml", '- a\n',
     zh="""\
{root}/jianbao.yaml:1:1: 应为一组键值（absent、distribution、first_total、formats、heading_numbers、masthead、preprinted、printer、template、yearly），实际是一个列表
""",
     en="""\
{root}/jianbao.yaml:1:1: expected a mapping of keys (absent, distribution, first_total, formats, heading_numbers, masthead, preprinted, printer, template, yearly), found a list
"""),
    case("series-empty", "jianbao.yaml", '',
     zh="""\
{root}/jianbao.yaml:1:1: 文件是空的（应写简报系列的各个键）
""",
     en="""\
{root}/jianbao.yaml:1:1: the file is empty (expected the series's keys)
"""),
    case("series-template", "jianbao.yaml", 'template: nosuch\n',
     zh="""\
{root}/jianbao.yaml: 找不到模板“nosuch”（{root}/templates 中没有，内置模板 default 中也没有）
""",
     en="""\
{root}/jianbao.yaml: template 'nosuch' not found in {root}/templates nor among the built-in templates (default)
"""),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name, text, expected", SERIES)
def test_series_mistakes(root, monkeypatch, lang, name, text, expected):
    write(root / name, text)
    lines = build(root, monkeypatch, lang, "issues/008.yaml", str(root))
    assert lines == [line.replace("{root}", str(root)) for line in expected[lang]]


@pytest.mark.parametrize("lang, expected", [
    ("zh", "{root}/jianbao.yaml:1:1: 打不开：这是一个文件夹，不是文件"),
    ("en", "{root}/jianbao.yaml:1:1: cannot read: Is a directory"),
])
def test_a_folder_where_jianbao_yaml_should_be(root, monkeypatch, lang, expected):
    (root / "jianbao.yaml").unlink()
    (root / "jianbao.yaml").mkdir()
    assert build(root, monkeypatch, lang, "issues/008.yaml", str(root)) == [expected.replace("{root}", str(root))]


ASSERTED_ZH.append("打不开：这是一个文件夹，不是文件")


# ---- a template's layout.yaml and bulletin.xml.j2 ---------------------------------------------------------------

LAYOUTS = [
    pair("length", 'masthead: {rule: {width: thick}}\n',
     ': masthead.rule.width：“thick”不是长度（应写成 37mm、16pt、2em 这样）',
     ": masthead.rule.width: 'thick' is not a length (expected e.g. 37mm, 16pt, 2em)"),
    pair("em", 'grid: {pitch: 2em}\n',
     ': grid.pitch：“2em”：这里不能用 em（请用 mm 或 pt）',
     ": grid.pitch: '2em': em is not defined here (use mm or pt)"),
    pair("colour", 'roles:\n  para: {colour: rose}\n',
     ': roles.para.colour：“rose”不是颜色（应为 #RRGGBB 或 black、red 之一）',
     ": roles.para.colour: 'rose' is not a colour (expected #RRGGBB or one of black, red)"),
    pair("settings", 'page: 5\n',
     ': page：应为一组设置（键值），实际是“5”',
     ': page: expected a mapping of settings, not 5'),
    pair("setting", 'masthead: {blank_after_nam: 0}\n',
     ': masthead.blank_after_nam：没有这项设置（可用的设置：blank_after_name、blank_after_number、blank_after_rule、name_top）',
     ': masthead.blank_after_nam: unknown setting (expected one of blank_after_name, blank_after_number, blank_after_rule, name_top)'),
    pair("bool", 'body: {hanging_punctuation: 1}\n',
     ': body.hanging_punctuation：“1”不是 true 或 false',
     ': body.hanging_punctuation: 1 is not true or false'),
    pair("int", 'grid: {lines: 1.5}\n',
     ': grid.lines：“1.5”不是整数',
     ': grid.lines: 1.5 is not a whole number'),
    pair("roles", 'roles: [a]\n',
     ': roles：应为各个角色的键值',
     ': roles: expected a mapping of roles'),
    pair("role", 'roles:\n  para: 5\n',
     ': roles.para：应为一组键值',
     ': roles.para: expected a mapping of keys'),
    pair("parent", 'roles:\n  x: {parent: y}\n',
     ': roles.x.parent：没有“y”这个角色',
     ": roles.x.parent: no role 'y'"),
    pair("loop", 'roles:\n  x: {parent: z, font: hei, size: 16}\n  z: {parent: x}\n',
     ': roles.z.parent：x → z → x 形成了循环',
     ': roles.z.parent: x → z → x is a loop'),
    pair("role-keys", 'roles:\n  para: {sise: 16}\n',
     ': roles.para：没有这些键：sise（可用的键：align、balance、bold、break_after、colour、fit、fit_min、font、grid、hang、indent、keep_next、latin_bold、margin_left、margin_right、orphans、outline、parent、size、spacing、word_char_style、word_style）',
     ': roles.para: unknown key(s) sise (expected align, balance, bold, break_after, colour, fit, fit_min, font, grid, hang, indent, keep_next, latin_bold, margin_left, margin_right, orphans, outline, parent, size, spacing, word_char_style, word_style)'),
    pair("font", 'roles:\n  para: {font: nosuch}\n',
     ': roles.para.font：“nosuch”不是 fonts 中的键（fallback、fangsong、hei、kai、latin、song、xiaobiaosong）',
     ": roles.para.font: 'nosuch' is not a key of fonts (fallback, fangsong, hei, kai, latin, song, xiaobiaosong)"),
    pair("size", 'roles:\n  x: {font: hei}\n',
     ': roles.x.size：缺少字号（单位 pt）',
     ': roles.x.size: missing (the type size in pt)'),
    pair("break-after", 'roles:\n  recipients: {break_after: 5}\n',
     ': roles.recipients.break_after：“5”不是一串字符（如 "、"）',
     ': roles.recipients.break_after: 5 is not a string of characters (e.g. "、")'),
    pair("word-style", 'roles:\n  para: {word_style: x}\n',
     ': roles.para.word_style：应为 [样式 ID, 样式名称]',
     ': roles.para.word_style: expected [style id, style name]'),
    pair("sheet", '- a list\n',
     ': 样式表应为各部分的键值（page、grid、fonts、roles……）',
     ': a style sheet is a mapping of sections (page, grid, fonts, roles, …)'),
    pair("grid", 'grid: {lines: 0}\n',
     ': grid：lines 和 chars 至少为 1',
     ': grid: lines and chars must be 1 or more'),
    pair("latin", 'fonts: {latin: []}\n',
     ': fonts.latin：至少要写一种字体（第一种是 DOCX 的西文字体）',
     ": fonts.latin: name at least one face (the first is the DOCX's Latin face)"),
    pair("needed-role", 'roles: null\n',
     ': roles.para：缺少这一项',
     ': roles.para: missing'),
    pair("loosest", 'body: {loosest: 0.9}\n',
     ': body.loosest：0.9 小于 1（两端对齐的行中每个字最多占几格）',
     ': body.loosest: 0.9 is less than 1 (cells a character on a justified line)'),
    pair("syntax", 'page: [\n',
     ':2:1: YAML 语法错误：这里应有内容，却遇到了文件末尾',
     ":2:1: YAML syntax: expected the node content, but found '<stream end>'"),
    pair("not-utf8", b'page: {width: 210mm}\n# \xcb\xb5\xc3\xf7\n',
     ':2:5: 文件不是 UTF-8 编码（字节 0xC3）。它像是 GBK 编码：请用 `iconv -f GBK -t UTF-8` 转换（或在编辑器中另存为 UTF-8）。',
     ':2:5: the file is not UTF-8 (byte 0xC3). It reads as GBK: convert it with `iconv -f GBK -t UTF-8` (or save as UTF-8 in your editor).'),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text, zh, en", LAYOUTS)
def test_style_sheet_mistakes(root, own_template, monkeypatch, lang, text, zh, en):
    layout = own_template.resolve() / "layout.yaml"
    write(layout, text)
    assert build(root, monkeypatch, lang, "issues/008.yaml", str(root)) == [f"{layout}{ {'zh': zh, 'en': en}[lang]}"]


@pytest.mark.parametrize("lang, expected", [
    ("zh", ":1:1: 打不开：找不到这个文件或文件夹"),
    ("en", ":1:1: cannot read: No such file or directory"),
])
def test_a_template_without_its_style_sheet(root, own_template, monkeypatch, lang, expected):
    layout = own_template.resolve() / "layout.yaml"
    layout.unlink()
    assert build(root, monkeypatch, lang, "issues/008.yaml", str(root)) == [f"{layout}{expected}"]


ASSERTED_ZH.append("打不开：找不到这个文件或文件夹")

TEMPLATES = [
    pair("syntax", '<bulletin>{% if %}</bulletin>\n',
     "/bulletin.xml.j2:1: 模板语法错误（Jinja 的原话：“Expected an expression, got 'end of statement block'”）",
     "/bulletin.xml.j2:1: template syntax: Expected an expression, got 'end of statement block'"),
    pair("undefined", '<bulletin>{{ issue.nosuch }}</bulletin>\n',
     "/bulletin.xml.j2: 模板用到了这一期没有的值（Jinja 的原话：“'jianbao.model.Issue object' has no attribute 'nosuch'”）",
     "/bulletin.xml.j2: the template uses what the issue does not have: 'jianbao.model.Issue object' has no attribute 'nosuch'"),
    pair("xml", '<bulletin><p></bulletin>\n',
     '/bulletin.xml.j2: 模板生成的 XML 无效（“mismatched tag: line 1, column 15”）',
     '/bulletin.xml.j2: the template produced invalid XML (mismatched tag: line 1, column 15)'),
    pair("include", '<bulletin>{% include "part.xml.j2" %}</bulletin>\n',
     ': 模板文件夹中没有 part.xml.j2',
     ': no part.xml.j2 in the template folder'),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text, zh, en", TEMPLATES)
def test_template_mistakes(root, own_template, monkeypatch, lang, text, zh, en):
    """Jinja's own words stay as Jinja wrote them, quoted in the Chinese: the template's author reads them."""
    write(own_template / "bulletin.xml.j2", text)
    folder = own_template.resolve()
    assert build(root, monkeypatch, lang, "issues/008.yaml", str(root)) == [f"{folder}{ {'zh': zh, 'en': en}[lang]}"]


# ---- the output folder --------------------------------------------------------------------------------------------

OUTPUT_FOLDER = [
    ("zh", "build", "{root}/build: 输出文件夹的位置上是一个文件（请移走这个文件，或用 --out 另选文件夹）"),
    ("en", "build", "{root}/build: the output folder exists as a file (move the file away, or choose another folder "
                    "with --out)"),
    ("zh", "out", "out: 这是一个文件，不是文件夹，所以无法写入 out/x（请移走这个文件，或用 --out 另选文件夹）"),
    ("en", "out", "out: is a file, not a folder, so out/x cannot be written to (move the file away, or choose "
                  "another folder with --out)"),
]
ASSERTED_ZH.extend(line for lang, _, line in OUTPUT_FOLDER if lang == "zh")


@pytest.mark.parametrize("lang, file, expected", OUTPUT_FOLDER)
def test_an_output_folder_that_is_a_file(root, monkeypatch, lang, file, expected):
    """The series' build/ (or a folder above --out) is a file: the build stops before writing, the file stays."""
    (root / file).write_text("not a folder", encoding="utf-8")
    monkeypatch.chdir(root)
    result = invoke(["build", "issues/008.yaml"] + (["--out", "out/x"] if file == "out" else []), lang)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith((str(root), "out"))]
    assert lines == [expected.replace("{root}", str(root))]
    if lang == "zh":
        assert english_left(lines[0]) == []
    assert (root / file).read_text(encoding="utf-8") == "not a folder"


# ---- guards no command reaches: called directly -----------------------------------------------------------------

OS_REASONS = [
    (errno.ENOENT, "找不到这个文件或文件夹"), (errno.EACCES, "没有权限"), (errno.EISDIR, "这是一个文件夹，不是文件"),
    (errno.ENOTDIR, "路径中有一项不是文件夹"), (errno.ENOSPC, "磁盘空间已满"), (errno.EROFS, "文件系统是只读的"),
    (errno.EEXIST, "文件已存在"), (errno.ENOTEMPTY, "文件夹不是空的"), (errno.ENAMETOOLONG, "文件名太长"),
    (errno.ELOOP, "符号链接层数太多"), (errno.EIO, "读写出错（磁盘或网络故障）"), (errno.EDQUOT, "超出了磁盘配额"),
    (errno.EBUSY, "设备或资源正忙"),
]
ASSERTED_ZH.extend(text for _, text in OS_REASONS)


@pytest.mark.skipif(os.name != "posix", reason="the words of glibc's strerror")
@pytest.mark.parametrize("code, chinese", OS_REASONS)
def test_the_reasons_the_system_gives(monkeypatch, code, chinese):
    from jianbao.errors import reason

    e = OSError(code, os.strerror(code))
    speak(monkeypatch, "zh")
    assert reason(e) == chinese
    speak(monkeypatch, "en")
    assert reason(e) == os.strerror(code)


GUARDS = {
    "zh": ["{layout}: 没有角色“nosuch”的样式（已有的角色：{roles}）",
           "x.yaml: page.height：缺少这项设置（基础样式表 {base} 中有全部设置）",
           "没有“xyz”这种输出格式（可选：pdf、docx、dotx、ofd、png、html）",
           "/proc/jianbao-test: 无法创建输出文件夹（找不到这个文件或文件夹）",
           "<p> 中不应有 <foo>",
           "body[0].image：图片需要知道所在的系列文件夹",
           "x.yaml:1:1: YAML 语法错误：无法读取的 YAML"],
    "en": ["{layout}: no style for role 'nosuch' (roles: {roles})",
           "x.yaml: page.height: missing (the base style sheet {base} has every setting)",
           "unknown output format 'xyz' (expected some of: pdf, docx, dotx, ofd, png, html)",
           "/proc/jianbao-test: cannot create the output folder (No such file or directory)",
           "unexpected <foo> inside <p>",
           "body[0].image: pictures need the series folder they are in",
           "x.yaml:1:1: YAML syntax: invalid YAML"],
}
ASSERTED_ZH.extend(GUARDS["zh"])


@pytest.mark.parametrize("lang", LANGS)
def test_guards(series, monkeypatch, tmp_path, lang):
    from xml.etree import ElementTree as ET

    from jianbao import api, schema, source, stylesheet, tree
    from jianbao.errors import JianbaoError

    speak(monkeypatch, lang)
    expected = GUARDS[lang]
    layout = REPO / "templates" / "default" / "layout.yaml"
    sheet = stylesheet.load_stylesheet(layout)
    with pytest.raises(JianbaoError) as e:
        sheet.role("nosuch")
    roles = {"zh": "、", "en": ", "}[lang].join(sorted(sheet.roles))
    assert str(e.value) == expected[0].format(layout=layout, roles=roles)
    with pytest.raises(JianbaoError) as e:
        stylesheet._section(stylesheet.Page, {"width": 1}, "x.yaml: page", {})
    assert str(e.value) == expected[1].format(base=stylesheet.BASE)
    with pytest.raises(JianbaoError) as e:
        api.formats_of(api.Context.for_root(series), ("xyz",))
    assert str(e.value) == expected[2]
    if Path("/proc/self").is_dir():                      # procfs refuses a new folder, even to root
        with pytest.raises(JianbaoError) as e:
            api.make_output_folder(Path("/proc/jianbao-test"))
        assert str(e.value) == expected[3]
    with pytest.raises(ValueError) as e:
        list(tree.runs(ET.fromstring("<p>a<foo/></p>"), "para"))
    assert str(e.value) == expected[4]
    path = tmp_path / "x.yaml"
    path.write_text("image: a.png\n", encoding="utf-8")
    reader = schema.Reader(path)                          # no series folder
    assert reader.picture(source.compose(path), "body[0]", schema.PICTURE_KEYS) is None
    assert [e.message for e in reader.errors] == [expected[5]]
    assert str(source.syntax_error(Path("x.yaml"), yaml.MarkedYAMLError())) == expected[6]     # PyYAML says nothing
    if lang == "zh":
        assert english_left("\n".join(expected)) == []


# ---- every translation of input.po is asserted above --------------------------------------------------------------

def _translations():
    """The entries of po/zh_CN/input.po, read by scripts/catalogue.py."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("catalogue", REPO / "scripts" / "catalogue.py")
    catalogue = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogue)
    return catalogue.read_po(REPO / "po" / "zh_CN" / "input.po")


def test_every_translation_of_the_input_catalogue_is_asserted():
    """Each msgstr of po/zh_CN/input.po, its {fields} standing for anything, is found in a Chinese line this module
    expects: a message added to the catalogue without a test here fails."""
    asserted = "\n".join(ASSERTED_ZH)
    missing = []
    for entry in _translations():
        for form in entry.msgstr:
            pieces = re.split(r"(?<!\{)\{[^{}]*\}(?!\})", form)
            pattern = ".*?".join(re.escape(p.replace("{{", "{").replace("}}", "}")) for p in pieces)
            if not re.search(pattern, asserted):
                missing.append(form)
    assert missing == []


def test_a_chinese_windows_console_shows_every_translation():
    """GBK (a Chinese Windows console) has every character of input.po's translations: none becomes an escape."""
    outside = [form for entry in _translations() for form in entry.msgstr
               if form.encode("gbk", "replace").decode("gbk") != form]
    assert outside == []
