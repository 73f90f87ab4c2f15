"""House numbering styles (`heading_numbers:` in jianbao.yaml, an issue or a section), measured in both writers'
output: the PDF as pdfplumber reads it, the DOCX paragraphs as python-docx reads them."""
from docx import Document

from pdf_measure import read

ISSUE = """\
number: 3
date: 2022-03-01
{issue_setting}
title: 编号样式
body:
  - 导语段落。
  - heading: 总体要求
    body:
      - heading: 跳过一级的小标题
        body:
          - heading: 第三级
            text: 第三级正文。
      - heading: 第二个小标题
        number: 5
        text: 从五开始。
  - heading: 主要做法
    heading_numbers: ["", ①]
    body:
      - heading: 不编号的小标题
        body:
          - heading: 圈号一
            text: 圈号正文。
          - heading: 圈号二
            text: 圈号正文。
"""


def built(run, write_issue, issue_setting=""):
    path = write_issue(ISSUE.format(issue_setting=issue_setting))
    result = run("build", str(path))
    assert result.exit_code == 0, result.output
    root = path.parent.parent / "build"
    pages = read((root / "003.pdf").read_bytes())
    pdf_lines = [line for page in pages for line in page.lines]
    docx = [p.text for p in Document(str(root / "003.docx")).paragraphs if p.text]
    return pdf_lines, docx


def starting(lines, tail):
    return [line for line in lines if line.text.endswith(tail) or tail in line.text][0]


def test_the_default_styles_number_by_depth(run, write_issue):
    lines, docx = built(run, write_issue)
    texts = [line.text for line in lines]
    for want in ("一、总体要求", "（一）跳过一级的小标题", "1.第三级第三级正文。", "（五）第二个小标题从五开始。",
                 "二、主要做法", "不编号的小标题", "①圈号一圈号正文。", "②圈号二圈号正文。"):
        assert any(t.startswith(want) for t in texts), (want, texts)
        assert any(p.startswith(want) for p in docx), (want, docx)


def test_series_styles_skip_a_level_and_keep_each_levels_face(run, series, write_issue):
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "heading_numbers: [一、, 1., （1）]\n", encoding="utf-8")
    lines, docx = built(run, write_issue)
    for want in ("一、总体要求", "1.跳过一级的小标题", "（1）第三级第三级正文。", "5.第二个小标题从五开始。"):
        assert any(line.text.startswith(want) for line in lines), want
        assert want in docx or any(p.startswith(want) for p in docx), (want, docx)
    # the number style changes the text only: level 2 is still set in the level-2 face (楷体), level 1 in 黑体
    # (the digits and the full stop of "1." are in the style sheet's latin face, as in the DOCX)
    level2 = starting(lines, "1.跳过一级的小标题")
    assert all("Kai" in f for f in level2.fonts[2:]) and "Kai" not in "".join(level2.fonts[:2]), level2.fonts
    runin = starting(lines, "5.第二个小标题从五开始。")
    assert all("Kai" in f for f in runin.fonts[2:8]) and all("Fang" in f for f in runin.fonts[8:]), runin.fonts
    assert all("Hei" in f for f in starting(lines, "一、总体要求").fonts[2:])
    # a section's own list numbers its subsections: none for its children, ① for the level under them
    assert "不编号的小标题" in docx and "①圈号一圈号正文。" in docx


def test_an_issue_overrides_the_series_and_none_leaves_the_number_out(run, series, write_issue):
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "heading_numbers: [一、, 1., （1）]\n", encoding="utf-8")
    lines, docx = built(run, write_issue, 'heading_numbers: ["", （一）]')
    texts = [line.text for line in lines]
    assert "总体要求" in texts and "主要做法" in texts
    assert "（一）跳过一级的小标题" in texts and "1.第三级第三级正文。" in [t[:11] for t in texts]
    assert "总体要求" in docx and "（一）跳过一级的小标题" in docx


def test_a_wrong_style_is_a_located_error_with_a_suggestion(run, write_issue, series):
    path = write_issue(ISSUE.format(issue_setting="heading_numbers: [一、, (1), 1]"))
    result = run("build", str(path))
    assert result.exit_code == 1
    assert "003.yaml:3:23: heading_numbers[1]: '(1)' is not a number style" in result.output
    assert "did you mean '（1）'?" in result.output
    assert "003.yaml:3:28: heading_numbers[2]: '1' is not a number style" in result.output
    assert not (series / "build" / "003.pdf").exists()


def test_circled_numbers_end_at_fifty_with_a_located_error(run, write_issue, series):
    path = write_issue("number: 3\ndate: 2022-03-01\nheading_numbers: [①]\ntitle: 标题\nbody:\n"
                       "  - heading: 第五十个\n    number: 50\n    text: 正文。\n"
                       "  - heading: 第五十一个\n    text: 正文。\n")
    result = run("build", str(path))
    assert result.exit_code == 1
    assert "003.yaml:9:5: body[1]: circled numbers go up to ㊿ (50), not 51" in result.output
    assert not (series / "build" / "003.pdf").exists()
    path.write_text(path.read_text(encoding="utf-8").replace("  - heading: 第五十一个\n    text: 正文。\n", ""),
                    encoding="utf-8")
    assert run("build", str(path)).exit_code == 0
    texts = [p.text for p in Document(str(series / "build" / "003.docx")).paragraphs]
    assert "㊿第五十个正文。" in texts
