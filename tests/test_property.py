"""Random bulletins: a build either succeeds with every character of the source in the PDF's
text, or fails with a located error. Never a crash, never a silently dropped character."""
import io
import unicodedata

import pdfplumber
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao import api
from jianbao.errors import JianbaoError

ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),          # common ideographs
    st.sampled_from(list("，。、；：？！“”‘’（）《》【】——……·%０１abcXYZ0123456789.-+/ <>&{}%*#@\\\"'")),
    st.sampled_from(list("堃玥昇喆镕珺赟")),                              # rare names: fallback fonts
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp")),
)
TEXT = st.text(ALPHABET, min_size=1, max_size=120).filter(lambda t: t.strip())


def block(depth):
    leaf = TEXT
    if depth >= 4:
        return leaf
    section = st.fixed_dictionaries({"heading": TEXT, "body": st.lists(st.deferred(lambda: block(depth + 1)),
                                                                         min_size=1, max_size=3)})
    runin = st.fixed_dictionaries({"heading": TEXT, "text": TEXT})
    return st.one_of(leaf, leaf, section, runin)


ISSUE = st.fixed_dictionaries({
    "title": TEXT,
    "body": st.lists(block(1), min_size=1, max_size=5),
    "distribution": st.fixed_dictionaries({"报": st.lists(TEXT, max_size=4), "发": st.lists(TEXT, max_size=12)}),
})


ORDER = ("title", "heading", "text", "body", "distribution", "报", "发")   # the order they are printed in


def source_chars(data) -> str:
    out = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            for key in sorted(node, key=ORDER.index):
                walk(node[key])
    walk(data)
    return "".join(ch for ch in "".join(out) if not ch.isspace() and ch != "*")


CONTEXTS = {}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=ISSUE)
def test_random_bulletin_builds_completely_or_fails_with_a_location(series, data):
    if series not in CONTEXTS:      # fonts and style sheet loaded once, as in a batch build
        CONTEXTS[series] = api.Context.for_root(series)
    path = series / "issues" / "012.yaml"
    doc = {"number": 12, "date": "2022-03-01", **data}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        out, _ = api.render(path, CONTEXTS[series], formats=("pdf", "docx"))
    except JianbaoError as e:
        assert str(e).startswith(str(path) + ":") or all(
            line.startswith(str(path) + ":") for line in str(e).splitlines()), str(e)
        return
    with pdfplumber.open(io.BytesIO(out["pdf"])) as pdf:
        got = "".join(c["text"] for page in pdf.pages for c in page.chars)
    got = unicodedata.normalize("NFC", got)
    # every character of the source, in order (as a subsequence: masthead, numbers and labels come between)
    want = unicodedata.normalize("NFC", source_chars(data))
    pos = 0
    for ch in want:
        found = got.find(ch, pos)
        assert found >= 0, f"{ch!r} (U+{ord(ch):04X}) missing from the PDF text"
        pos = found + 1
