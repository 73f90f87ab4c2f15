"""Every way an issue file can be wrong gets a located message naming the key path."""
import pytest

from jianbao import api
from jianbao.errors import JianbaoError

MINIMAL = "number: 3\ndate: 2022-01-01\ntitle: 标题\nbody:\n  - 正文。\n"


def errors_of(write_issue, text, name="003.yaml"):
    path = write_issue(text, name)
    with pytest.raises(JianbaoError) as info:
        api.build_tree(path)
    return [line.split("issues/", 1)[1] for line in str(info.value).splitlines()]


def test_minimal_issue_loads(write_issue):
    issue, _ = api.read_issue(write_issue(MINIMAL))
    assert issue.number == 3 and str(issue.date) == "2022-01-01"
    assert issue.articles[0].title == "标题"


@pytest.mark.parametrize("text, expected", [
    ("number: 3\ndate: 2022-01-01\ntitel: x\nbody: [a]\n",
     ["003.yaml:1:1: missing required key 'title' (or 'articles:' for an issue with several articles)",
      "003.yaml:3:1: titel: unknown key; did you mean 'title'?"]),
    ("number: three\ndate: 2022-01-01\ntitle: t\nbody: [a]\n",
     ["003.yaml:1:9: number: expected a whole number from 1 to 99999, found 'three'"]),
    ("number: 3.5\ndate: 2022-01-01\ntitle: t\nbody: [a]\n",
     ["003.yaml:1:9: number: expected a whole number from 1 to 99999, found '3.5'"]),
    ("number: 3\ndate: 2022-02-30\ntitle: t\nbody: [a]\n",
     ["003.yaml:2:7: date: impossible date 2022-02-30"]),
    ("number: 3\ndate: 30/01/2022\ntitle: t\nbody: [a]\n",
     ["003.yaml:2:7: date: expected a date like 2022-01-30, found '30/01/2022'"]),
    ("number: 3\ndate: 2022-01-01\ntitle: [x]\nbody: [a]\n",
     ["003.yaml:3:8: title: expected text, found a list"]),
    ("number: 3\ndate: 2022-01-01\ntitle: t\nbody:\n  - heading: h\n",
     ["003.yaml:5:5: body[0]: a heading needs 'body:' (a list of paragraphs) or 'text:' (a run-in paragraph)"]),
    ("number: 3\ndate: 2022-01-01\ntitle: t\nbody:\n  - text: y\n",
     ["003.yaml:5:5: body[0]: a mapping in a body must be a section with 'heading:', a picture with 'image:', "
      "pictures side by side with 'images:' or a table with 'table:' (if this is a paragraph containing ': ', "
      "quote it or use the full-width colon ：)"]),
    ("number: 3\ndate: 2022-01-01\ntitle: t\nbody:\n  - heading: g\n    nmber: 2\n    body: [p]\n",
     ["003.yaml:6:5: body[0].nmber: unknown key; did you mean 'number'?"]),
    ("number: 4\ndate: 2022-01-01\ntitle: t\nbody: [a]\n",
     ["003.yaml:1:9: number: is 4 but the file name says 3 (rename the file to 004.yaml or fix the number)"]),
    ("number: 3\ndate: 2022-01-01\ntitle: t\nbody: [a]\ndistribution:\n  抄: [x]\n",
     ["003.yaml:6:3: distribution.抄: unknown key (expected one of: 报, 送, 发)"]),
    ("number: 3\ndate: 2022-01-01\ntitle: t\nbody: [a]\ndistribution:\n  发: {a: b}\n",
     ["003.yaml:6:6: distribution.发: expected a list of names, found a mapping"]),
    ("date: 2022-01-01\ntitle: t\nbody: [a]\n",
     ["003.yaml:1:1: missing required key 'number'"]),
    ("number: 3\ndate: 2022-01-01\narticles:\n  - title: a\n",
     ["003.yaml:4:5: articles[0]: missing required key 'body'"]),
    ("number: 3\ndate: 2022-01-01\ntitle: t\narticles:\n  - {title: a, body: [b]}\n",
     ["003.yaml:3:8: title: an issue with 'articles:' gives each article its own title and body"]),
])
def test_schema_errors(write_issue, text, expected):
    assert errors_of(write_issue, text) == expected


def test_five_levels_deep_is_an_error(write_issue):
    text = MINIMAL.replace("  - 正文。\n", "".join(
        " " * (2 + 4 * i) + "- heading: h%d\n" % i + " " * (4 + 4 * i) + "body:\n" for i in range(5)) + " " * 22 + "- x\n")
    [message] = errors_of(write_issue, text)
    assert message.endswith("body[0].body[0].body[0].body[0].body[0]: headings nest at most 4 levels deep (一、（一）1.（1）)")


@pytest.mark.parametrize("text, expected", [
    ("number: 3\ndate: 2022-01-01\ntitle: t\nbody:\n  - **一是**x\n",
     "003.yaml:5:6: YAML syntax: expected alphabetic or numeric character, but found '*' "
     "(a text that starts with * must be quoted: \"**一是……**……\")"),
    ("number: 3\ndate: 2022-01-01\ntitle: t\nbody:\n\t- a\n",
     "003.yaml:5:1: YAML syntax: found character '\\t' that cannot start any token (indent with spaces, not tabs)"),
    ("number: !!python/object/apply:os.system ['touch /tmp/jianbao-pwned']\ndate: 2022-01-01\ntitle: t\nbody: [a]\n",
     "003.yaml:1:9: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
     "(write plain text, lists and mappings)"),
    ("", "003.yaml:1:1: the file is empty (expected the issue's keys)"),
    ("number: 3\ndate: 2022-01-01\ntitle: t\x07\nbody: [a]\n",
     "003.yaml:3:9: control character U+0007 in the text (delete it)"),
])
def test_syntax_errors(write_issue, text, expected):
    assert errors_of(write_issue, text) == [expected]


def test_gbk_file_says_how_to_convert(series):
    path = series / "issues" / "003.yaml"
    path.write_bytes(MINIMAL.encode("gbk"))
    with pytest.raises(JianbaoError) as info:
        api.build_tree(path)
    assert str(info.value).endswith("003.yaml:3:8: the file is not UTF-8 (byte 0xB1). It reads as GBK: "
                                    "convert it with `iconv -f GBK -t UTF-8` (or save as UTF-8 in your editor).")


def test_byte_order_mark_is_accepted(series):
    path = series / "issues" / "003.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert api.read_issue(path)[0].number == 3


def test_alias_bomb_is_refused_quickly(write_issue):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
              for i in range(1, 9)]
    [message] = errors_of(write_issue, "\n".join(lines) + "\nnumber: 3\n")
    assert "expands to more than 200,000 values" in message


def test_numbering_counts_on_after_an_override(write_issue):
    text = MINIMAL.replace("  - 正文。\n", "  - heading: a\n    body: [x]\n  - heading: b\n    number: 5\n    body: [x]\n"
                           "  - heading: c\n    body: [x]\n")
    issue, _ = api.read_issue(write_issue(text))
    assert [s.number for s in issue.articles[0].body] == [1, 5, 6]
