"""Tests for jianbao.layout.linebreak (Chinese line breaking on a 28-character grid)."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.layout.linebreak import (
    NO_END,
    NO_START,
    Box,
    Line,
    break_text,
    layout_paragraph,
)

HAN = "一二三四五六七八九十" * 3  # HAN[:n] = n distinct-enough ideographs
WIDTH = 442.2  # 156 mm
CELL = WIDTH / 28


def measure8(text, style):
    return 8.0 * len(text)


def lay(text, **kw):
    kw.setdefault("width", WIDTH)
    kw.setdefault("cell", CELL)
    kw.setdefault("measure", measure8)
    return layout_paragraph([(text, "body")], **kw)


def texts(lines):
    return ["".join(b.text for b in line.boxes) for line in lines]


# ---------------------------------------------------------------------------
# Break decisions (break_text: CJK = 1 cell, Latin/digit char = 0.5 cell)
# ---------------------------------------------------------------------------


def test_plain_28_per_line():
    lines = break_text(HAN * 2)
    assert [len(x) for x in lines] == [28, 28, 4]


def test_single_comma_hangs():
    assert break_text(HAN[:28] + "，继续") == [HAN[:28] + "，", "继续"]


@pytest.mark.parametrize("mark", list("，。、；：？！"))
def test_each_single_mark_hangs(mark):
    assert break_text(HAN[:28] + mark + "继续") == [HAN[:28] + mark, "继续"]


@pytest.mark.parametrize("mark", list("”’）》"))
def test_a_closing_mark_pulls_a_character_down_as_word_does(mark):
    assert break_text(HAN[:28] + mark + "继续") == [HAN[:27], HAN[27] + mark + "继续"]


@pytest.mark.parametrize("marks", ["。”", "”。", "）。", "！”", "》，"])
def test_two_marks_push_back(marks):
    assert break_text(HAN[:27] + "八" + marks + "继续") == [HAN[:27], "八" + marks + "继续"]


def test_two_marks_push_back_further_over_opener():
    # 27th cell is an opener: pushing 八 down would leave “ at the line end, so it goes too.
    text = HAN[:26] + "“八。”继续"
    assert break_text(text) == [HAN[:26], "“八。”继续"]


def test_opener_not_at_line_end():
    assert break_text(HAN[:27] + "“继续”") == [HAN[:27], "“继续”"]


@pytest.mark.parametrize("opener", list("“‘（《〈「『【〔"))
def test_every_opener_moves_down(opener):
    lines = break_text(HAN[:27] + opener + "继续")
    assert lines == [HAN[:27], opener + "继续"]


def test_latin_run_moves_whole():
    assert break_text(HAN[:25] + "对标B-READY体系") == [HAN[:25] + "对标", "B-READY体系"]


def test_number_moves_whole():
    assert break_text(HAN[:26] + "五六12345.67万元") == [HAN[:26] + "五六", "12345.67万元"]


def test_percentage_never_split():
    lines = break_text(HAN[:25] + "增长91.93%继续")
    assert lines == [HAN[:25] + "增长", "91.93%继续"]


def test_year_range_stays_whole_when_its_first_part_does_not_fit():
    lines = break_text(HAN[:26] + "2020-2035年")      # "2020-" (2.5 cells) does not fit in 2
    assert lines[1].startswith("2020-2035")


def test_number_range_never_breaks_at_its_dash():
    # issue 18: “（2021- / 2035）》” is no longer a place to break; the range goes down with its bracket
    assert break_text(HAN[:24] + "（2021-2035）》，加大") == [HAN[:24], "（2021-2035）》，加大"]
    assert break_text(HAN[:20] + "（2021-2035）》，加大") == [HAN[:20] + "（2021-2035）》，", "加大"]
    assert break_text(HAN[:26] + "B-READY体系") == [HAN[:26], "B-READY体系"]   # a Latin word never


def test_a_web_address_may_break_after_a_slash():
    # as LibreOffice (ICU) does: after a slash, not inside https:// nor between digits (2026/0203, 1/2)
    url = "https://www.example.gov.cn/zwgk/zcwj/2026/0203/index.html"
    assert break_text("请登录" + url + "查阅全文，或者扫描二维码。", indent=2) == \
        ["请登录https://www.example.gov.cn/zwgk/zcwj/", "2026/0203/index.html查阅全文，或者扫描二维码。"]
    lines = break_text(HAN[:20] + "按1/2比例和2026/02/03的口径km/h")
    assert "1/2" in "".join(lines) and all("/" not in l[:1] for l in lines[1:])
    # a part longer than the line is still cut where it must be
    lines = break_text("访问" + "https://a.cn/" + "x" * 80 + ".html")
    assert "".join(lines) == "访问https://a.cn/" + "x" * 80 + ".html" and lines[0].endswith("a.cn/")


@pytest.mark.parametrize("pair", ["——", "……"])
@pytest.mark.parametrize("before", [25, 26, 27, 28])
def test_pairs_never_split(pair, before):
    lines = break_text(HAN[:before] + pair + "继续工作")
    joined = "|".join(lines)
    assert pair in joined
    for line in lines:
        assert not line.startswith(pair[0])
        assert not (line.endswith(pair[0]) and not line.endswith(pair))


def test_space_dropped_at_line_end():
    lines = break_text("hello world " * 10)
    assert all(not x.endswith(" ") and not x.startswith(" ") for x in lines)
    assert " ".join(lines) == ("hello world " * 10).strip()


def test_indent_reduces_first_line_to_26():
    lines = break_text(HAN * 2, indent=2)
    assert [len(x) for x in lines] == [26, 28, 6]


def test_indent_hangs_at_26():
    assert break_text(HAN[:26] + "，继续", indent=2) == [HAN[:26] + "，", "继续"]


def test_ascii_punctuation_rules():
    lines = break_text(HAN[:27] + "(abc)继续")
    assert lines == [HAN[:27], "(abc)继续"]
    lines = break_text(HAN[:27] + "abc, def")
    assert lines == [HAN[:27], "abc, def"]


def test_mixed_run_with_full_width_percent():
    lines = break_text(HAN[:27] + "五％继续")
    assert lines == [HAN[:27], "五％继续"]   # ％ does not hang: 五 comes down with it


# ---------------------------------------------------------------------------
# hang=False: squeeze first, push down second
# ---------------------------------------------------------------------------


def test_no_hang_squeezes_two_marks_to_fit():
    text = HAN[:20] + "，" + HAN[:7] + "，继续"
    assert break_text(text, hang=False) == [HAN[:20] + "，" + HAN[:7] + "，", "继续"]
    lines = lay(text, width=28.0, cell=1.0, measure=lambda s, _: 0.5 * len(s), hang=False)
    first = lines[0]
    assert not first.hanging
    commas = [b for b in first.boxes if b.text == "，"]
    assert [b.width for b in commas] == [0.5, 0.5]
    assert first.boxes[-1].x + first.boxes[-1].width == pytest.approx(28.0)


def test_no_hang_pushes_down_when_nothing_to_squeeze():
    assert break_text(HAN[:28] + "，继续", hang=False) == [HAN[:27], "八，继续"]


def test_no_hang_without_squeezing_pushes_down_as_word_and_libreoffice():
    """squeeze=False (what the layout uses: Word and LibreOffice do not compress a mark at a line end): the mark that
    would start the next line takes the character before it down, and the shorter line is justified."""
    text = HAN[:20] + "，" + HAN[:7] + "，继续"
    lines = lay(text, width=28.0, cell=1.0, measure=lambda s, _: 0.5 * len(s), hang=False, squeeze=False)
    assert ["".join(b.text for b in line.boxes) for line in lines] == [HAN[:20] + "，" + HAN[:6], HAN[6] + "，继续"]
    first = lines[0]
    assert not first.hanging and all(b.width == 1.0 for b in first.boxes)
    assert first.boxes[-1].x + first.boxes[-1].width == pytest.approx(28.0)      # 27 cells spread over 28


def test_no_hang_never_overflows():
    lines = lay(HAN[:28] + "，继续" + HAN * 3, hang=False)
    for line in lines:
        assert not line.hanging
        for b in line.boxes:
            assert b.x + b.width <= WIDTH + 1e-6


# ---------------------------------------------------------------------------
# Orphan (a single ideograph alone on the last line)
# ---------------------------------------------------------------------------


def test_orphan_pulls_one_more_character():
    assert break_text(HAN[:28] + "字") == [HAN[:28], "字"]          # off by default, as in Word
    assert break_text(HAN[:28] + "字", orphans=True) == [HAN[:27], "八字"]


def test_orphan_with_full_stop():
    assert break_text(HAN[:28] + "字。", orphans=True) == [HAN[:27], "八字。"]


def test_orphan_hanging_stop_is_not_an_orphan():
    assert break_text(HAN[:28] + "。") == [HAN[:28] + "。"]


def test_orphan_kept_when_rules_forbid_pulling():
    # The only break before 字 is right in front of it: the line before is all marks.
    text = "，" * 28 + "字"
    lines = break_text(text, orphans=True)
    assert "".join(lines) == text


def test_two_characters_not_an_orphan():
    assert break_text(HAN[:28] + "文字") == [HAN[:28], "文字"]


# ---------------------------------------------------------------------------
# layout_paragraph: positions, styles, justification
# ---------------------------------------------------------------------------


def test_positions_pure_cjk_grid():
    lines = lay(HAN[:28] * 2 + "继续", first_indent=2 * CELL)
    first = lines[0]
    assert first.boxes[0].x == pytest.approx(2 * CELL)
    assert len(first.boxes) == 26
    for k, b in enumerate(first.boxes):
        assert b.x == pytest.approx((k + 2) * CELL, abs=1e-9)
        assert b.width == pytest.approx(CELL)
    assert first.boxes[-1].x + first.boxes[-1].width == pytest.approx(WIDTH, abs=1e-9)
    assert first.natural == pytest.approx(WIDTH)
    last = lines[-1]
    assert last.last and not lines[0].last
    assert last.boxes[0].x == 0.0


def test_hanging_box_sits_at_width():
    lines = lay(HAN[:26] + "，继续", first_indent=2 * CELL)
    first = lines[0]
    assert first.hanging
    assert first.boxes[-1].text == "，"
    assert first.boxes[-1].x == pytest.approx(WIDTH)
    body = first.boxes[-2]
    assert body.x + body.width == pytest.approx(WIDTH)
    assert first.natural == pytest.approx(WIDTH)


def test_justified_mixed_line_ends_at_width():
    text = HAN[:20] + "B-READY" + HAN[:10] + "继续继续"
    lines = lay(text)
    first = lines[0]
    end = first.boxes[-1].x + first.boxes[-1].width
    assert end == pytest.approx(WIDTH, abs=1e-9)
    # slack spread evenly: all gaps equal
    gaps = [b2.x - (b1.x + b1.width) for b1, b2 in zip(first.boxes, first.boxes[1:])]
    assert max(gaps) - min(gaps) < 1e-9
    assert min(gaps) > 0


def test_last_line_natural_positions():
    lines = lay("中国ABC", first_indent=2 * CELL)
    (line,) = lines
    assert line.last
    assert [b.x for b in line.boxes] == pytest.approx([2 * CELL, 3 * CELL, 4 * CELL])
    assert line.natural == pytest.approx(4 * CELL + 24)


def test_styles_kept_and_break_between_runs():
    runs = [("一、总体要求。", "hei"), (HAN[:21] + "继续工作", "fangsong")]
    lines = layout_paragraph(runs, width=WIDTH, cell=CELL, measure=measure8)
    boxes = [b for line in lines for b in line.boxes]
    assert "".join(b.text for b in boxes) == "一、总体要求。" + HAN[:21] + "继续工作"
    assert [b.style for b in boxes[:7]] == ["hei"] * 7
    assert {b.style for b in boxes[7:]} == {"fangsong"}
    assert texts(lines)[0] == "一、总体要求。" + HAN[:21]


def test_rest_indent_hanging_indent():
    lines = lay("发：" + "、".join(["某某单位"] * 12), rest_indent=2 * CELL)
    for line in lines[1:]:
        assert line.boxes[0].x == pytest.approx(2 * CELL)
        if not line.last:
            assert line.natural == pytest.approx(WIDTH)


def test_justify_false_leaves_lines_ragged():
    lines = lay(HAN[:27] + "“继续”", justify=False)
    assert lines[0].natural == pytest.approx(27 * CELL)


def test_pair_boxes_are_cells_and_not_stretched_inside():
    lines = lay(HAN[:10] + "——" + "ABC" + HAN[:20])
    boxes = lines[0].boxes
    k = next(i for i, b in enumerate(boxes) if b.text == "—")
    assert boxes[k].width == pytest.approx(CELL)
    assert boxes[k + 1].x == pytest.approx(boxes[k].x + CELL)


def test_forced_newline():
    lines = lay("第一行\n第二行")
    assert texts(lines) == ["第一行", "第二行"]
    assert all(line.last for line in lines)


def test_empty():
    assert lay("") == []


def test_box_and_line_are_frozen_dataclasses():
    b = lay("中")[0].boxes[0]
    assert b == Box("中", "body", 0.0, CELL)
    assert isinstance(lay("中")[0], Line)
    with pytest.raises(AttributeError):
        b.x = 1.0  # type: ignore[misc]


def test_overlong_latin_run_is_cut_only_as_last_resort():
    url = "https://example.com/" + "a" * 120
    lines = lay(url)
    assert "".join(texts(lines)) == url
    for line in lines:
        assert line.boxes[-1].x + line.boxes[-1].width <= WIDTH + 1e-6


# ---------------------------------------------------------------------------
# balance (titles)
# ---------------------------------------------------------------------------


def test_balance_even_lines():
    title = HAN[:30] + "工作通知"  # 34 characters: greedy 28 + 6
    assert [len(x) for x in texts(lay(title, justify=False))] == [28, 6]
    lines = lay(title, balance=True, justify=False)
    assert [len(x) for x in texts(lines)] == [17, 17]
    assert lines[0].natural == pytest.approx(17 * CELL)
    assert lines[0].boxes[0].x == 0.0


def test_balance_odd_count_and_three_lines():
    lines = lay(HAN[:29], balance=True, justify=False)
    assert sorted(len(x) for x in texts(lines)) == [14, 15]
    lines = lay(HAN * 2, balance=True, justify=False)  # 60 -> 28 + 28 + 4 greedy
    assert [len(x) for x in texts(lines)] == [20, 20, 20]


def test_balance_single_line_untouched():
    lines = lay("关于做好教育工作的通知", balance=True, justify=False)
    assert len(lines) == 1


def title_lines(text):
    """A title in 二号 (22 pt cells) on the 156 mm measure, as the title role sets it."""
    return texts(lay(text, cell=22.0, measure=lambda s, _: 11.0 * len(s), balance=True, justify=False))


@pytest.mark.parametrize("title, lines", [
    # at a bracket rather than inside 方案 (the even split is 方|案)
    ("全县优化营商环境三年行动方案（2026—2028年）实施要点",
     ["全县优化营商环境三年行动方案", "（2026—2028年）实施要点"]),
    # between two words rather than inside 谋划 (both 13/14 splits are equally even)
    ("李堃、王玥同志在全县项目谋划能力提升培训班上作交流发言",
     ["李堃、王玥同志在全县项目谋划", "能力提升培训班上作交流发言"]),
    # 第十五个 stays whole, and nothing breaks inside 《…》 that need not
    ("关于《某某县国民经济和社会发展第十五个五年规划纲要（征求意见稿）》公开征求社会各界意见建议情况的通报",
     ["关于《某某县国民经济和社会发展", "第十五个五年规划纲要（征求意见稿）》", "公开征求社会各界意见建议情况的通报"]),
    # not inside a longer word where a shorter one starts (习近平总|书记: 书记 starts there, 总书记 spans it)
    ("市委常委会召开会议传达学习习近平总书记重要讲话精神研究部署贯彻落实工作",
     ["市委常委会召开会议传达学习习近平总书记", "重要讲话精神研究部署贯彻落实工作"]),
])
def test_balanced_title_breaks_between_words(title, lines):
    assert title_lines(title) == lines


def test_a_title_of_many_lines_is_set_greedily():
    # beyond 8 lines balancing is pointless (and its search grows with the square of the lines): full lines
    title = "关于" + "中国教育发展" * 40
    lines = title_lines(title)
    assert "".join(lines) == title and len(lines) > 8
    assert all(len(line) == 20 for line in lines[:-1])


def test_balanced_title_still_prefers_even_lines_to_a_distant_comma():
    # the comma is 4 characters off the middle: two lines of 7 and 15 are worse than a plain break
    got = title_lines("关于做好，全县春季农业生产和防汛抗旱准备工作的通知")
    assert max(map(len, got)) - min(map(len, got)) <= 3


def test_balance_justify_true_justifies_to_balanced_measure():
    lines = lay(HAN[:20] + "ABC" + HAN[:15], balance=True)
    ends = [line.boxes[-1].x + line.boxes[-1].width for line in lines[:-1]]
    assert all(e == pytest.approx(max(line.natural for line in lines)) for e in ends)


# ---------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------

CJK = st.sampled_from(list("中国教育发展改革委员会推进建设工作字"))
MARKS = st.sampled_from(list("，。、；：？！”’）》“‘（《·…—％") + [",", ".", "(", ")", "%"])
WORDS = st.one_of(
    st.text(alphabet="abcXYZ0123456789", min_size=1, max_size=10),
    st.sampled_from(["91.93%", "2020-2035", "B-READY", "1.81", "12345.67", "e.g."]),
)
TOKENS = st.one_of(CJK, CJK, CJK, CJK, MARKS, WORDS, st.just(" "), st.sampled_from(["——", "……"]))
PARAS = st.lists(TOKENS, min_size=0, max_size=200).map("".join)


SPACES = " \t\r\v\f"  # break opportunities, dropped at a line end


def is_narrow(text):
    """Half-width (measured) box: Latin/digit runs, ASCII marks, NBSP…"""
    eaw = unicodedata.east_asian_width(text[0])
    if unicodedata.category(text[0]) in ("Mn", "Me", "Cf"):  # a stray combining mark
        return True
    return eaw in ("Na", "N", "H") or (eaw == "A" and text[0].isalpha())


def legal_positions(boxes):
    """Positions inside a line where the rules would allow a break (reference check)."""
    out = []
    for j in range(1, len(boxes)):
        a, b = boxes[j - 1], boxes[j]
        if b.text in SPACES or b.text[0] in NO_START:
            continue
        if b.text in "—…" and j + 1 < len(boxes) and boxes[j + 1].text == b.text:
            continue                                # a ——/…… pair never starts a line (a lone — may)
        k = j - 1
        while k >= 0 and boxes[k].text in SPACES:
            k -= 1
        if k < 0 or boxes[k].text[-1] in NO_END:
            continue
        if a.text not in SPACES and is_narrow(a.text) and is_narrow(b.text):
            continue
        if a.text == "—" and b.text == "—" or a.text == "…" and b.text == "…":
            continue
        out.append(j)
    return out


def count_units(boxes):
    """Non-space units in a list of boxes (a ——/…… pair is one unit of two boxes)."""
    n = 0
    merged = False
    prev = None
    for b in boxes:
        if b.text in SPACES:
            prev = None
            continue
        if not merged and prev is not None and b.text == prev.text and b.text in "—…":
            merged = True
        else:
            n += 1
            merged = False
        prev = b
    return n


def check_invariants(text, lines, width, cell, first_indent, justify=True):
    # 1. nothing lost or reordered (only spaces at line ends dropped)
    pos = 0
    for line in lines:
        lt = "".join(b.text for b in line.boxes)
        assert text.startswith(lt, pos), (text, pos, lt)
        pos += len(lt)
        while pos < len(text) and text[pos] in SPACES:
            pos += 1
    assert pos == len(text)
    if not lines:
        return
    assert lines[-1].last and not any(line.last for line in lines[:-1])
    if lines[0].boxes:
        assert lines[0].boxes[0].x == pytest.approx(first_indent)
    for i, line in enumerate(lines):
        body = line.boxes[:-1] if line.hanging else line.boxes
        # boxes never overlap, left to right
        for b1, b2 in zip(line.boxes, line.boxes[1:]):
            assert b2.x >= b1.x + b1.width - 1e-9
        if line.hanging:
            assert line.boxes[-1].text in NO_START
            assert line.boxes[-1].x == pytest.approx(line.natural)
        if body:
            assert body[-1].x + body[-1].width == pytest.approx(line.natural)
        # 2. no line ends with an opener / next starts with a forbidden mark, unless forced
        if i + 1 < len(lines):
            nxt = lines[i + 1].boxes[0].text
            bad = line.boxes[-1].text[-1] in NO_END or nxt[0] in NO_START
            if bad:
                assert legal_positions(list(body)) == [], (texts(lines), i)
        # 3. justification
        units = count_units(body)
        if justify and units >= 2 and (not line.last or line.hanging):
            assert abs(body[-1].x + body[-1].width - width) < 0.01, (texts(lines), i)
            if line.hanging:
                assert abs(line.boxes[-1].x - width) < 0.01
        # only a unit wider than the whole measure may stick out
        assert line.natural <= width + 1e-6 or units == 1


@settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    text=PARAS,
    cells=st.integers(min_value=8, max_value=40),
    indent=st.integers(min_value=0, max_value=4),
    hang=st.booleans(),
)
def test_property_break_text_preserves_and_obeys(text, cells, indent, hang):
    width = float(cells)
    lines = layout_paragraph(
        [(text, None)],
        width=width,
        cell=1.0,
        measure=lambda s, _: 0.5 * len(s),
        first_indent=float(indent),
        hang=hang,
    )
    check_invariants(text, lines, width, 1.0, float(indent))
    if not hang:
        assert not any(line.hanging for line in lines)


@settings(max_examples=150, deadline=None, database=None)
@given(
    parts=st.lists(st.tuples(PARAS, st.sampled_from(["fs", "ht", "kt"])), min_size=1, max_size=4),
    hang=st.booleans(),
    rest=st.sampled_from([0.0, CELL, 2 * CELL]),
)
def test_property_styled_runs_real_metrics(parts, hang, rest):
    def measure(s, style):
        return {"fs": 7.9, "ht": 8.3, "kt": 8.1}[style] * len(s)

    lines = layout_paragraph(
        parts, width=WIDTH, cell=CELL, measure=measure, first_indent=2 * CELL,
        rest_indent=rest, hang=hang,
    )
    text = "".join(t for t, _ in parts)
    check_invariants(text, lines, WIDTH, CELL, 2 * CELL)
    # styles come back in order with their text
    boxes = [b for line in lines for b in line.boxes]
    by_style = {}
    for b in boxes:
        by_style.setdefault(b.style, []).append(b.text)
    for style in by_style:
        src = "".join(t for t, s in parts if s == style).replace(" ", "")
        assert "".join(by_style[style]).replace(" ", "") == src


@settings(max_examples=100, deadline=None, database=None)
@given(text=st.lists(st.one_of(CJK, WORDS, MARKS), min_size=1, max_size=60).map("".join))
def test_property_balance_keeps_line_count_and_evens(text):
    greedy = lay(text, justify=False)
    balanced = lay(text, balance=True, justify=False)
    assert len(balanced) == len(greedy)
    assert "".join(texts(balanced)) == "".join(texts(greedy))
    assert all(l.natural <= WIDTH + 1e-6 for l in balanced)
    check_invariants(text, balanced, WIDTH, CELL, 0.0, justify=False)


def test_balanced_title_does_not_break_inside_quotes():
    lines = layout_paragraph([("市教育局扎实推动“双减”工作取得阶段性成效", None)], width=442.2, cell=22.0,
                             measure=lambda s, _: 11.0 * len(s), justify=False, balance=True)
    # the quoted term stays with the word it modifies (“双减”工作); the break falls before the verb 取得
    assert texts(lines) == ["市教育局扎实推动“双减”工作", "取得阶段性成效"]


def test_a_document_number_stays_whole():
    """〔2022〕34号: a 发文字号 (GB/T 9704) never breaks between its year and its serial (LibreOffice does not either)."""
    text = "为贯彻落实上级要求，根据郑州市教育局转发郑教组函〔2022〕34号文件精神，现将有关事项通知如下。"
    for width in range(14, 30):
        lines = break_text(text, cells=width)
        assert not any(line.endswith("〕") for line in lines[:-1]), (width, lines)


def test_a_lone_connecting_dash_may_start_a_line_a_two_em_dash_never():
    """收集—交办: the connecting dash may begin the next line (JLREQ; LibreOffice breaks so too), rather than pushing
    the character before it down; the 破折号 —— never starts a line."""
    text = HAN[:26] + "收集—交办—办理—反馈"
    lines = break_text(text, cells=28)
    assert lines[0].endswith("收集") and lines[1].startswith("—交办")
    assert not any(line.startswith("——") for line in break_text(HAN[:27] + "——继续工作"))


@pytest.mark.parametrize("cells", range(8, 24))
def test_a_pair_after_numbers_before_a_comma_obeys_the_rules(cells):
    """Hypothesis's example: two ranges, a 破折号 and a comma (the pair may not start a line, nor the comma)."""
    text = "2020-20352020-2035——，"
    lines = layout_paragraph([(text, None)], width=float(cells), cell=1.0, measure=lambda s, _: 0.5 * len(s))
    check_invariants(text, lines, float(cells), 1.0, 0.0)
