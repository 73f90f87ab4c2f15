"""`jianbao check` in Chinese and in English: every message of check.py and textrules.py, each made by a file, asserted
whole (`FILE:LINE:COL: rule-id: key.path：message`) under LANG=zh_CN.UTF-8 and LANG=C.UTF-8, with no English sentence
left in the Chinese findings; the same findings printed by `check --fix` (what it fixed) and by `jianbao build`.

The rules whose messages are made by other modules (`invalid`: the schema's errors, `missing-glyph`: fonts.py, `fit`:
fit.py) are made to fire here too and asserted by place and rule id; their wording is asserted with those modules'.
"""
from __future__ import annotations

import re

import pytest
from PIL import Image

from messages import english_left, invoke

LANGS = ("zh", "en")
OTHERS = {"invalid", "missing-glyph", "fit"}
FINDING = re.compile(r"(?:^|\s)(\S+?:\d+:\d+: ([a-z]+(?:-[a-z]+)*): .*)$")


def finding_lines(output: str, root=None) -> tuple[list[str], list[str]]:
    """(the findings of check.py and textrules.py, the findings of OTHERS) printed in `output`, each without what the
    command line puts around it (a "fixed" before it, a severity after it) and with `root`/ taken out of its paths."""
    ours, others = [], []
    for line in output.splitlines():
        if root is not None:
            line = line.replace(f"{root}/", "")
        m = FINDING.search(line)
        if m:
            text = re.sub(r" \[[^\]]*\]$", "", m.group(1))
            (others if m.group(2) in OTHERS else ours).append(text)
    return ours, others


def line(file: str, row: int, col: int, rule: str, keypath: str | None, message: str, lang: str) -> str:
    where = f"{file}:{row}:{col}: {rule}: "
    if keypath is None:
        return where + message
    return where + keypath + ("：" if lang == "zh" else ": ") + message


def no_english_left(findings: list[str]) -> None:
    """No English sentence in these Chinese findings (the words cli.py prints around them are the command line's)."""
    assert findings and english_left("\n".join(findings)) == [], "\n".join(findings)


# --------------------------------------------------------------------------- the text rules, on one issue

# (the paragraph, [(column, rule, English, Chinese)]) in the order written in issues/012.yaml, from line 13 on
PARAGRAPHS = [
    ('落实\u200b“双减”。', [
        (11, 'invisible-char', 'invisible character U+200B (zero-width, pasted from the web): delete it',
         '不可见字符 U+200B（零宽字符，从网页粘贴而来）：删去'),
    ]),
    ('全市\xa0中小学开学。', [
        (11, 'odd-space', 'no-break space U+00A0 in Chinese text: delete it (the layout indents and spaces)',
         '中文里的不换行空格 U+00A0：删去（缩进和间距由排版处理）'),
    ]),
    ('\u3000\u3000市教育局召开会议。', [
        (9, 'odd-space', 'ideographic space U+3000 in Chinese text: delete it (the layout indents and spaces)',
         '中文里的全角空格 U+3000：删去（缩进和间距由排版处理）'),
    ]),
    ('市教育局\t召开会议。', [
        (13, 'odd-space', 'tab in Chinese text: delete it (the layout indents and spaces)',
         '中文里的制表符：删去（缩进和间距由排版处理）'),
    ]),
    ('全市\u2002中小学开学。', [
        (11, 'odd-space', 'space U+2002 in Chinese text: delete it (the layout indents and spaces)',
         '中文里的特殊空格 U+2002：删去（缩进和间距由排版处理）'),
    ]),
    ('Doing\xa0Business评价。', [
        (14, 'odd-space', 'no-break space U+00A0 (pasted from Word or a web page): write a plain space',
         '不换行空格 U+00A0（从 Word 或网页粘贴而来）：改为普通空格'),
    ]),
    ('会议 期间，代表们认真讨论。', [
        (11, 'space-in-chinese', 'space between Chinese characters: delete it',
         '汉字之间有空格：删去'),
    ]),
    ('会议指出 ，要抓好落实。', [
        (13, 'space-in-chinese', "space next to full-width '，': delete it",
         '全角“，”旁有空格：删去'),
    ]),
    ('市教育局,推进工作。', [
        (13, 'halfwidth-punct', "half-width ',' in Chinese text (use '，')",
         '中文里用了半角“,”（应为“，”）'),
    ]),
    ('测试(test)工作。', [
        (11, 'halfwidth-punct', "half-width '(' next to Chinese text (use '（')",
         '中文旁用了半角“(”（应为“（”）'),
        (16, 'halfwidth-punct', "half-width ')' next to Chinese text (use '）')",
         '中文旁用了半角“)”（应为“）”）'),
    ]),
    ('全年增长了25%.', [
        (17, 'halfwidth-punct', "half-width '.' ends a Chinese paragraph (use '。')",
         '中文段落以半角“.”结尾（应为“。”）'),
    ]),
    ('依据郑政[2025]12号文件。', [
        (13, 'doc-number', 'the year of a document number goes in 〔 〕: write 〔2025〕',
         '发文字号的年份用六角括号〔 〕：写作〔2025〕'),
    ]),
    ('他说"好"。', [
        (11, 'straight-quote', 'straight quote " (use “ ” or ‘ ’)',
         '直引号 "（应为“ ”或‘ ’）'),
        (13, 'straight-quote', 'straight quote " (use “ ” or ‘ ’)',
         '直引号 "（应为“ ”或‘ ’）'),
    ]),
    ('新建中小学 22 所。', [
        (14, 'stray-space', 'space between Chinese text and a number or Latin word',
         '中文与数字或外文之间有空格'),
        (17, 'stray-space', 'space between Chinese text and a number or Latin word',
         '中文与数字或外文之间有空格'),
    ]),
    ('共１２３人。', [
        (10, 'fullwidth-alnum', "full-width '１２３': write '123' (GB/T 15835-2011)",
         '全角“１２３”：写作“123”（GB/T 15835-2011）'),
    ]),
    ('加强宣传、强化督导……。', [
        (20, 'ellipsis', "no '。' after '……': the ellipsis ends the sentence",
         '“……”后不加“。”：省略号已结束句子'),
    ]),
    ('等等..', [
        (11, 'ellipsis', "'..' in Chinese text: write '……' (or '。')",
         '中文里的“..”：写作“……”（或“。”）'),
    ]),
    ('作业、课后服务...各项工作稳步推进。', [
        (16, 'ellipsis', "'...': the ellipsis is two '…' (write '……')",
         '“...”：省略号是两个“…”（写作“……”）'),
    ]),
    ('我们的工作目标—建设一流的教育。', [
        (16, 'dash', "a single '—' is the connector (2026—2030年, 北京—上海); the dash (破折号) is '——'",
         '单个“—”是连接号（2026—2030年、北京—上海）；破折号是“——”'),
    ]),
    ('目标———建设。', [
        (11, 'dash', "'———': the dash (破折号) is two '—' (write '——')",
         '“———”：破折号是两个“—”（写作“——”）'),
    ]),
    ('总体目标--建成高质量教育体系。', [
        (13, 'dash', "'--' in Chinese text: the dash (破折号) is '——'",
         '中文里的“--”：破折号是“——”'),
    ]),
    ('（一）、加强领导。', [
        (12, 'item-number', "no '、' after a bracketed item number (GB/T 15834-2011): delete it",
         '带括号的序号后不加“、”（GB/T 15834-2011）：删去'),
    ]),
    ('主要措施：1、强化领导。', [
        (15, 'item-number', "an Arabic item number takes '.', not '、' (write '1.'; GB/T 15834-2011)",
         '阿拉伯数字序号后用“.”，不用“、”（写作“1.”；GB/T 15834-2011）'),
    ]),
    ('一.总体要求。', [
        (10, 'item-number', "a Chinese item number takes '、', not '.' (write '一、'; GB/T 15834-2011)",
         '汉字数字序号后用“、”，不用“.”（写作“一、”；GB/T 15834-2011）'),
    ]),
    ('1）明确分工。', [
        (10, 'item-number', "an item number with one bracket: write '（1）' or '1.'",
         '序号只有半边括号：写作“（1）”或“1.”'),
    ]),
    ('会议于2026.3.1召开。', [
        (12, 'date-form', 'in Chinese text write a date as 2026年3月1日 (if it is one)',
         '中文里的日期写作 2026年3月1日（如果这是日期）'),
    ]),
    ('各单位要于26年3月前完成。', [
        (14, 'date-form', "short year '26年': write the year in full (2022年; GB/T 15835-2011)",
         '年份“26年”只写了两位：年份要写全（2022年；GB/T 15835-2011）'),
    ]),
    ('会议于2022年02月05日召开。', [
        (17, 'date-form', 'no leading zero in a Chinese date (2月5日, not 02月05日)',
         '中文日期的月、日前不加 0（写 2月5日，不写 02月05日）'),
        (20, 'date-form', 'no leading zero in a Chinese date (2月5日, not 02月05日)',
         '中文日期的月、日前不加 0（写 2月5日，不写 02月05日）'),
    ]),
    ('会议定于4月1号召开。', [
        (16, 'date-form', "write '1日', not '1号', in a written date",
         '书面日期写“1日”，不写“1号”'),
    ]),
    ('二零二二年工作要点。', [
        (9, 'date-form', "the zero of a year in Chinese digits is 〇: write '二〇二二年'",
         '汉字数字年份里的零是“〇”：写作“二〇二二年”'),
    ]),
    ('二〇二二年2月5日印发。', [
        (9, 'date-form', 'a date in mixed digits: write all Arabic (2022年2月5日) or all Chinese (二〇二二年二月五日)',
         '日期混用了阿拉伯数字和汉字数字：全用阿拉伯数字（2022年2月5日）或全用汉字（二〇二二年二月五日）'),
    ]),
    ('活动时间：3月1日-31日。', [
        (18, 'range', "a span of dates takes '—' (3月1日—31日)",
         '日期的起止之间用“—”（3月1日—31日）'),
    ]),
    ('规划期为2026-2030年。', [
        (17, 'range', "a span of years takes '—': write '2026—2030'",
         '年份的起止之间用“—”：写作“2026—2030”'),
    ]),
    ('每次培训3-5天。', [
        (13, 'range', "a range takes '～': write '3～5' (GB/T 15835-2011)",
         '数值范围用“～”：写作“3～5”（GB/T 15835-2011）'),
    ]),
    ('比例控制在15～30%。', [
        (14, 'range', "'%' is written on both ends of a range: write '15%～30%' (GB/T 15835-2011)",
         '范围的两端都要写“%”：写作“15%～30%”（GB/T 15835-2011）'),
    ]),
    ('他强调「要把群众的事办好」。', [
        (12, 'quote-form', "'「' is the traditional form: in simplified text write '“'",
         '直角引号「是繁体文本的用法：简体文本写作“'),
        (21, 'quote-form', "'」' is the traditional form: in simplified text write '”'",
         '直角引号」是繁体文本的用法：简体文本写作”'),
    ]),
    ('会议要求“持续巩固“双减”成果”。', [
        (18, 'nested-quote', 'a quote inside a quote takes ‘ ’: write ‘双减’',
         '引号里的引号用‘ ’：写作‘双减’'),
        (21, 'nested-quote', 'a quote inside a quote takes ‘ ’: write ‘双减’',
         '引号里的引号用‘ ’：写作‘双减’'),
    ]),
    ('扎实推进‘双减’工作。', [
        (13, 'quote-form', 'the outer quotes are “ ” (‘ ’ only inside them): write “双减”',
         '外层引号用“ ”（‘ ’只用在里层）：写作“双减”'),
        (16, 'quote-form', 'the outer quotes are “ ” (‘ ’ only inside them): write “双减”',
         '外层引号用“ ”（‘ ’只用在里层）：写作“双减”'),
    ]),
    ('学习《条例》、《办法》。', [
        (15, 'quote-list', "no '、' between items each in quotes or 《》 (GB/T 15834-2011 4.5.3.5): delete it",
         '各带引号或书名号的并列项之间不加“、”（GB/T 15834-2011 4.5.3.5）：删去'),
    ]),
    ('市、县、乡、等各级单位。', [
        (14, 'wording', "no '、' before 等: write 'A、B等'",
         '“等”前不加“、”：写作“A、B等”'),
    ]),
    ('其它事项另行通知。', [
        (9, 'wording', 'write 其他 (其他 is used for things too: 《现代汉语词典》第7版)',
         '写作“其他”（指事物也用“其他”：《现代汉语词典》第7版）'),
    ]),
    ('截止目前，已完成。', [
        (9, 'wording', 'before a date write 截至 (截止 = to end; 截至 = up to a date)',
         '日期前写“截至”（“截止”是到期停止，“截至”是截到某一时间）'),
    ]),
    ('加强法制建设。', [
        (11, 'wording', 'since 2014 the term is 法治建设 (法制 is the body of laws): write 法治建设 unless the legal system is meant',
         '2014 年以来的提法是“法治建设”（“法制”指法律制度）：除非说的是法律制度，请写“法治建设”'),
    ]),
    ('把问题交待清楚。', [
        (12, 'wording', 'write 交代 (《现代汉语词典》第7版: 交待 is the variant)',
         '写作“交代”（《现代汉语词典》第7版：“交待”是非推荐词形）'),
    ]),
    ('确保汛期通讯畅通。', [
        (13, 'wording', 'write 通信 (telecommunication); 通讯 is a news report',
         '写作“通信”（通信联络）；“通讯”指新闻报道'),
    ]),
    ('及时向上级情况反应。', [
        (16, 'wording', 'write 反映 (to report); 反应 is a reaction',
         '写作“反映”（反映情况）；“反应”指对刺激的反应'),
    ]),
    ('约有3000余人参加培训。', [
        (15, 'wording', "'约' and '余' both say the number is an estimate: keep one (约3000 or 3000余)",
         '“约”和“余”都表示约数：只留一个（“约3000”或“3000余”）'),
    ]),
    ('要进一步进一步压实责任。', [
        (13, 'duplicate-word', "'进一步' written twice: delete one",
         '“进一步”写了两遍：删去一个'),
    ]),
    ('这是我们的的责任。', [
        (14, 'duplicate-word', "'的' written twice: delete one",
         '“的”写了两遍：删去一个'),
    ]),
    ('请各单位认真落实！！', [
        (17, 'doubled-punct', "doubled punctuation '！！'",
         '标点重复：“！！”'),
    ]),
    ('《书名》》。', [
        (13, 'unbalanced', "'》' closes nothing",
         '“》”前面没有与之配对的符号'),
    ]),
    ('“没有闭合。', [
        (9, 'unbalanced', "'“' is never closed (missing '”')",
         '““”没有闭合（缺少“””）'),
    ]),
    ('各单位要高度重视，', [
        (17, 'paragraph-end', "paragraph ends with '，'",
         '段落以“，”结尾'),
    ]),
    ('段落没有句号', [
        (14, 'paragraph-end', 'paragraph has no closing punctuation',
         '段落末尾没有标点'),
    ]),
    ('加强宣传、强化督导…', [
        (18, 'ellipsis', "'…': the ellipsis is two '…' (write '……')",
         '“…”：省略号是两个“…”（写作“……”）'),
    ]),
]


ISSUE_12 = ("number: 12\ndate: 2022-03-01\ntitle: 关于开展安全检查的通报。\nsubtitle: ——副标题。\nbody:\n"
            "  - heading: 一、总体要求\n    body: [正文。]\n"
            "  - heading: 工作安排。\n    body:\n"
            "      - 第一行\n        第二行。\n"
            "      - \"全市\\u00a0中小学开学。\"\n"
            + "".join(f"      - {text}\n" for text, _ in PARAGRAPHS)
            + "  - heading: \"{name}{0}\"\n    body: []\n")          # a section name that looks like a template

FINDINGS_12 = [
    (3, 19, "title-end", "title", "a title does not end in '。': delete it", "标题末尾不加“。”：删去"),
    (4, 16, "title-end", "subtitle", "a subtitle does not end in '。': delete it", "副标题末尾不加“。”：删去"),
    (6, 14, "heading-number", "body[0].heading",
     "the heading types its own number '一、' (headings are numbered for you: it would print twice): delete it",
     "小标题自己写了序号“一、”（小标题会自动编号，这样会印两遍）：删去"),
    (8, 18, "title-end", "body[1].heading", "a heading on its own line does not end in '。': delete it",
     "单独成行的小标题末尾不加“。”：删去"),
    (10, 12, "space-in-chinese", "body[1].body[0]",
     "this line break prints as a space in the Chinese text: join the two lines",
     "这个换行在中文里会印成一个空格：把两行接起来"),
    (12, 9, "odd-space", "body[1].body[1]", "U+00A0 written as an escape in this text: delete it",
     "文字里以转义形式写了 U+00A0：删去"),
] + [(13 + i, col, rule, f"body[1].body[{i + 2}]", en, zh)
     for i, (_, found) in enumerate(PARAGRAPHS) for col, rule, en, zh in found] + [
    (13 + len(PARAGRAPHS), 5, "empty-section", None, "section '{name}{0}' is empty", "“{name}{0}”这一部分没有内容"),
]

# articles: one with no body, numbering that repeats and jumps after `number:` overrides
ISSUE_13 = ("number: 13\ndate: 2022-03-02\narticles:\n  - title: 第一篇\n    body: []\n  - title: 第二篇\n    body:\n"
            "      - heading: 一\n        body: [内容。]\n"
            "      - heading: 二\n        number: 1\n        body: [内容。]\n"
            "      - heading: 三\n        number: 5\n        body: [内容。]\n")
FINDINGS_13 = [
    (4, 1, "empty-section", None, "article '第一篇' has no body", "文章“第一篇”没有正文"),
    (10, 9, "numbering", "body", "heading number 1 repeats the previous one", "小标题序号 1 与上一个重复"),
    (13, 9, "numbering", "body", "heading numbering jumps from 1 to 5", "小标题序号从 1 跳到了 5"),
]

# a picture too small for its printed width; two tables, each with one cell of the rarer kind of digits
ISSUE_14 = ("number: 14\ndate: 2022-03-03\ntitle: 检查\nbody:\n  - 导语。\n"
            "  - image: photos/small.jpg\n    width: 100%\n"
            "  - table:\n      header: [区县, 数量]\n      rows:\n        - [金水区, 120]\n        - [二七区, ９８]\n"
            "        - [中原区, 75]\n"
            "  - table:\n      header: [区县, 数量]\n      rows:\n        - [金水区, １２０]\n        - [二七区, ９８]\n"
            "        - [中原区, 75]\n")
FINDINGS_14 = [
    (6, 12, "picture-resolution", None,
     "photos/small.jpg is 300 × 200 pixels: 49 dpi at its printed width of 156 mm (at least 150 wanted); "
     "use a larger picture or a smaller `width:`",
     "photos/small.jpg 为 300 × 200 像素，按印出的宽度 156 mm 只有 49 dpi（至少要 150 dpi）：请换用更大的图片，或把 `width:` 改小"),
    (12, 17, "table-digits", None,
     "'９８' has full-width digits, other cells of the table the other kind; write every number of a table the same way",
     "“９８”用的是全角数字，表格的其他单元格用半角数字：同一张表的数字请统一写法"),
    (19, 17, "table-digits", None,
     "'75' has half-width digits, other cells of the table the other kind; write every number of a table the same way",
     "“75”用的是半角数字，表格的其他单元格用全角数字：同一张表的数字请统一写法"),
]

S = "市教育局认真贯彻落实上级部署要求，扎实推进各项工作任务落地见效，取得了明显成效。"
ISSUE_15 = "number: 15\ndate: 2022-03-04\ntitle: 市教育局召开工作推进会\nbody:\n" + "".join(
    f"  - {(S * 3)[:59]}。\n" for _ in range(3))                     # the 版记 alone on page 2: fit advice
ISSUE_16 = "number: 16\ndate: 2022-03-05\ntitle: 标题\nbody:\n  - 这里有\U000F0001字。\n"   # in no font
ISSUE_17 = "number: 17\ndate: 2022-03-06\ntitel: 标题\nbody:\n  - 正文。\n"                  # does not load


@pytest.fixture
def issues(series, monkeypatch):
    folder = series / "issues"
    for number, text in ((12, ISSUE_12), (13, ISSUE_13), (14, ISSUE_14), (15, ISSUE_15), (16, ISSUE_16),
                         (17, ISSUE_17)):
        (folder / f"0{number}.yaml").write_text(text, encoding="utf-8")
    (series / "photos").mkdir()
    Image.new("RGB", (300, 200), (200, 120, 60)).save(series / "photos" / "small.jpg", "JPEG", quality=85)
    monkeypatch.chdir(series)
    return series


@pytest.mark.parametrize("lang", LANGS)
def test_every_finding_in_both_languages(issues, lang):
    result = invoke(["check"] + [f"issues/0{n}.yaml" for n in range(12, 18)], lang)
    assert result.exit_code == 1, result.output                      # errors: a glyph in no font, a file that does not load
    ours, others = finding_lines(result.output)
    expected = [line(f"issues/0{n}.yaml", *f[:4], f[4] if lang == "en" else f[5], lang)
                for n, found in ((12, FINDINGS_12), (13, FINDINGS_13), (14, FINDINGS_14)) for f in found]
    assert sorted(ours) == sorted(expected)
    # the rules of other modules fire too, each where it should
    assert {tuple(o.split(": ")[0:2]) for o in others} >= {
        ("issues/015.yaml:7:1", "fit"), ("issues/016.yaml:5:8", "missing-glyph"), ("issues/017.yaml:3:1", "invalid")}
    if lang == "zh":
        no_english_left(ours)


@pytest.mark.parametrize("lang", LANGS)
def test_what_check_fix_fixed_in_both_languages(series, monkeypatch, lang):
    monkeypatch.chdir(series)
    path = series / "issues" / "012.yaml"
    path.write_text("number: 12\ndate: 2022-03-01\ntitle: 标题\nbody:\n  - 市教育局,推进工作。\n  - 其它事项另行通知。\n"
                    "  - 新建中小学 22 所。\n", encoding="utf-8")
    result = invoke(["check", "--fix", "issues/012.yaml"], lang)
    assert result.exit_code == 0, result.output
    fixed = [(5, 9, "halfwidth-punct", "body[0]", "half-width ',' in Chinese text (use '，')", "中文里用了半角“,”（应为“，”）"),
             (6, 5, "wording", "body[1]", "write 其他 (其他 is used for things too: 《现代汉语词典》第7版)",
              "写作“其他”（指事物也用“其他”：《现代汉语词典》第7版）"),
             (7, 10, "stray-space", "body[2]", "space between Chinese text and a number or Latin word", "中文与数字或外文之间有空格"),
             (7, 13, "stray-space", "body[2]", "space between Chinese text and a number or Latin word", "中文与数字或外文之间有空格")]
    ours, _ = finding_lines(result.output)
    assert ours == [line("issues/012.yaml", *f[:4], f[4] if lang == "en" else f[5], lang) for f in fixed]
    assert not any(l.startswith("issues/012.yaml:") for l in result.output.splitlines())   # each one fixed, none left
    assert path.read_text(encoding="utf-8").endswith("  - 市教育局，推进工作。\n  - 其他事项另行通知。\n  - 新建中小学22所。\n")
    if lang == "zh":
        no_english_left(ours)


@pytest.mark.parametrize("lang", LANGS)
def test_the_findings_jianbao_build_prints_in_both_languages(series, monkeypatch, lang):
    monkeypatch.chdir(series)
    (series / "issues" / "012.yaml").write_text("number: 12\ndate: 2022-03-01\ntitle: 标题。\nbody:\n  - 会议(扩大)召开\n",
                                                 encoding="utf-8")
    result = invoke(["build", "--strict", "--format", "pdf", "issues/012.yaml"], lang)  # --strict: not built
    ours, _ = finding_lines(result.output)
    assert ours == [line("issues/012.yaml", *f[:4], f[4] if lang == "en" else f[5], lang) for f in [
        (3, 10, "title-end", "title", "a title does not end in '。': delete it", "标题末尾不加“。”：删去"),
        (5, 7, "halfwidth-punct", "body[0]", "half-width '(' in Chinese text (use '（')", "中文里用了半角“(”（应为“（”）"),
        (5, 10, "halfwidth-punct", "body[0]", "half-width ')' in Chinese text (use '）')", "中文里用了半角“)”（应为“）”）"),
        (5, 12, "paragraph-end", "body[0]", "paragraph has no closing punctuation", "段落末尾没有标点"),
    ]]
    assert not (series / "build" / "012.pdf").exists()
    if lang == "zh":
        no_english_left(ours)


def test_a_paragraph_ending_in_one_ellipsis(monkeypatch):
    """The paragraph-end finding on a single '…' is kept only where the ellipsis rule (which comes first) says nothing
    at that place: no file reaches it, so the rule is called here."""
    from jianbao.textrules import View, ends

    monkeypatch.delenv("JIANBAO_LANG", raising=False)
    for lang, locale, message in (("zh", "zh_CN.UTF-8", "段落以单个“…”结尾（写作“……”）"),
                                  ("en", "C.UTF-8", "paragraph ends with a single '…' (write '……')")):
        monkeypatch.setenv("LANG", locale)
        assert [f[2:4] for f in ends(View("加强宣传、强化督导…", "para"))] == [("paragraph-end", message)]
        if lang == "zh":
            assert english_left(message) == []


# --------------------------------------------------------------------------- the series checks

YEARLY = """\
masthead: {marking: 内部资料, series: 县发展改革委, name: 工作简报, editor: 县发展改革委办公室}
printer: 县发展改革委办公室
yearly: true
first_total: 120
absent: {2023: [12]}
"""
FLAT = """\
masthead: {marking: 内部资料, series: 县发展改革委, name: 工作简报, editor: 县发展改革委办公室}
printer: 县发展改革委办公室
absent: [6]
"""


def write_series(root, config: str, issues: dict[str, str]):
    (root / "issues").mkdir(parents=True)
    (root / "jianbao.yaml").write_text(config, encoding="utf-8")
    for name, head in issues.items():
        path = root / "issues" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(head + "title: 标题\nbody: [正文。]\n", encoding="utf-8")


ABSENT_EN = " (list numbers published elsewhere under `absent:` in jianbao.yaml)"
ABSENT_ZH = "（在别处发过的期号请列入 jianbao.yaml 的 `absent:`）"
SERIES_FINDINGS = {
    "yearly": [
        ("issues/005.yaml", 1, "series-year",
         "the series is yearly (`yearly: true`): move this issue into its year's folder, issues/2024/005.yaml",
         "本系列按年编号（`yearly: true`）：请把这一期移到所属年份的文件夹（issues/2024/005.yaml）"),
        ("issues/2023/001.yaml", 2, "date-order", "date 2023-01-05 is before issue 5's date 2024-05-05",
         "第 5 期的日期是 2024-05-05，这一期的日期 2023-01-05 却更早"),
        ("issues/2023/003.yaml", 1, "series-gap", "issue(s) 2 missing before issue 3 of 2023" + ABSENT_EN,
         "2023 年第 3 期之前缺第 2 期" + ABSENT_ZH),
        ("issues/2023/003.yaml", 1, "series-gap",
         "issue(s) 4–11 missing after issue 3 of 2023, before the absent issue 12" + ABSENT_EN,
         "2023 年第 3 期之后、在别处发过的第 12 期之前，缺第 4–11 期" + ABSENT_ZH),
        ("issues/2024/002.yaml", 1, "series-duplicate", "issue 2 of 2024 is also issues/2024/02.yaml",
         "2024 年第 2 期与 issues/2024/02.yaml 期号相同"),
        ("issues/2024/02.yaml", 1, "series-duplicate", "issue 2 of 2024 is also issues/2024/002.yaml",
         "2024 年第 2 期与 issues/2024/002.yaml 期号相同"),
        ("issues/2024/003.yaml", 2, "series-year", "date 2025-01-02 is not in 2024, the year of the folder issues/2024/",
         "日期 2025-01-02 不在 2024 年（这一期放在年份文件夹 issues/2024/ 里）"),
        ("issues/2024/003.yaml", 3, "series-total",
         "总第999期 disagrees with the series' history: first_total 120 in jianbao.yaml and the issues before issue 3 "
         "of 2024 make it 总第135期 (remove `total:` to have it counted)",
         "总第 999 期与本系列的历史不符：jianbao.yaml 的 first_total 是 120，2024 年第 3 期之前各期依次排下来，"
         "这一期应为总第 135 期（删去 `total:` 即自动计算）"),
        ("issues/2024/z03.yaml", 1, "series-gap", "supplement(s) 2 missing before supplement 3 of 2024" + ABSENT_EN,
         "2024 年增刊第 3 期之前缺增刊第 2 期" + ABSENT_ZH),
    ],
    "flat": [
        ("issues/001.yaml", 1, "series-duplicate", "issue 1 is also issues/01.yaml, issues/1.yaml",
         "第 1 期与 issues/01.yaml、issues/1.yaml 期号相同"),
        ("issues/001.yaml", 4, "printed-date", "printed 2023-12-01 is before the issue date 2024-01-01",
         "印发日期 2023-12-01 早于本期日期 2024-01-01"),
        ("issues/01.yaml", 1, "series-duplicate", "issue 1 is also issues/001.yaml, issues/1.yaml",
         "第 1 期与 issues/001.yaml、issues/1.yaml 期号相同"),
        ("issues/1.yaml", 1, "series-duplicate", "issue 1 is also issues/001.yaml, issues/01.yaml",
         "第 1 期与 issues/001.yaml、issues/01.yaml 期号相同"),
        ("issues/002.yaml", 2, "date-future", "date 2099-01-01 is in the future", "日期 2099-01-01 晚于今天"),
        ("issues/004.yaml", 1, "series-gap", "issue(s) 3 missing before issue 4" + ABSENT_EN, "第 4 期之前缺第 3 期" + ABSENT_ZH),
        ("issues/004.yaml", 1, "series-gap", "issue(s) 5 missing after issue 4, before the absent issue 6" + ABSENT_EN,
         "第 4 期之后、在别处发过的第 6 期之前，缺第 5 期" + ABSENT_ZH),
        ("issues/004.yaml", 2, "date-order", "date 2024-04-01 is before issue 2's date 2099-01-01",
         "第 2 期的日期是 2099-01-01，这一期的日期 2024-04-01 却更早"),
        ("issues/004.yaml", 3, "series-total",
         "总第54期 disagrees with issue 1 (总第50期) and the issues between: expected 总第53期",
         "总第 54 期与前面对不上：第 1 期是总第 50 期，加上其间各期，这一期应为总第 53 期"),
        ("issues/004.yaml", 4, "printed-date", "printed 2024-06-01 is more than a month after the issue date 2024-04-01",
         "印发日期 2024-06-01 比本期日期 2024-04-01 晚一个多月"),
        ("issues/2024/009.yaml", 1, "series-gap", "issue(s) 1–8 missing before issue 9 of 2024" + ABSENT_EN,
         "2024 年第 9 期之前缺第 1–8 期" + ABSENT_ZH),
        ("issues/2024/009.yaml", 1, "series-year",
         "an issue in a year folder, but jianbao.yaml does not say `yearly: true`",
         "这一期放在年份文件夹里，但 jianbao.yaml 没有写 `yearly: true`"),
        ("issues/z03.yaml", 1, "series-gap", "supplement(s) 2 missing before supplement 3" + ABSENT_EN,
         "增刊第 3 期之前缺增刊第 2 期" + ABSENT_ZH),
    ],
}


@pytest.fixture
def two_series(tmp_path):
    """A yearly series (numbers per year, 总第 from `first_total:`, supplements apart) and a flat one (总第 written by
    hand), each with every mistake the series checks find."""
    write_series(tmp_path / "yearly", YEARLY, {
        "2023/001.yaml": "number: 1\ndate: 2023-01-05\n",
        "2023/003.yaml": "number: 3\ndate: 2023-03-05\n",
        "2024/001.yaml": "number: 1\ndate: 2024-01-05\n",
        "2024/002.yaml": "number: 2\ndate: 2024-02-05\n",
        "2024/02.yaml": "number: 2\ndate: 2024-02-05\n",
        "2024/003.yaml": "number: 3\ndate: 2025-01-02\ntotal: 999\n",
        "2024/z01.yaml": "number: 1\ndate: 2024-02-06\n",
        "2024/z03.yaml": "number: 3\ndate: 2024-03-06\n",
        "005.yaml": "number: 5\ndate: 2024-05-05\n",            # outside the year folders
    })
    write_series(tmp_path / "flat", FLAT, {
        "001.yaml": "number: 1\ndate: 2024-01-01\ntotal: 50\nprinted: 2023-12-01\n",
        "01.yaml": "number: 1\ndate: 2024-01-01\n",
        "1.yaml": "number: 1\ndate: 2024-01-01\n",
        "002.yaml": "number: 2\ndate: 2099-01-01\ntotal: 51\n",
        "004.yaml": "number: 4\ndate: 2024-04-01\ntotal: 54\nprinted: 2024-06-01\n",
        "2024/009.yaml": "number: 9\ndate: 2024-09-01\n",       # a year folder in a flat series
        "z01.yaml": "number: 1\ndate: 2024-02-06\n",
        "z03.yaml": "number: 3\ndate: 2024-03-06\n",
    })
    return tmp_path


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["yearly", "flat"])
def test_every_series_finding_in_both_languages(two_series, monkeypatch, kind, lang):
    root = two_series / kind
    monkeypatch.chdir(root)
    result = invoke(["check"], lang)
    assert result.exit_code == 1, result.output
    ours, others = finding_lines(result.output, root)
    assert others == []
    expected = [line(file, row, 1, rule, None, en if lang == "en" else zh, lang)
                for file, row, rule, en, zh in SERIES_FINDINGS[kind]]
    assert sorted(ours) == sorted(expected)
    if lang == "zh":
        no_english_left(ours)
