"""Fit advice: `jianbao check` and `jianbao build` say when the last page holds only the 版记 or a line or two,
and by how much to shorten; following the advice (and not less) saves the page in the built PDF."""
import re

from pdf_measure import read

S = "市教育局认真贯彻落实上级部署要求，扎实推进各项工作任务落地见效，取得了明显成效。"


def issue(*lengths: int) -> str:
    """An issue whose paragraphs have these lengths in characters (full width: 28 to a line)."""
    body = "\n".join(f"  - {(S * 40)[:n - 1]}。" for n in lengths)
    return f"number: 3\ndate: 2022-02-15\ntitle: 市教育局召开工作推进会\nbody:\n{body}\n"


def built_pages(run, series, path):
    result = run("build", "--force", str(path))
    assert result.exit_code == 0, result.output
    return read((series / "build" / "003.pdf").read_bytes()), result.output


def shorten_by(output: str) -> int:
    return int(re.search(r"shorten the text by (\d+) lines? \(about (\d+) characters\)", output).group(1))


def test_a_one_page_item_whose_distribution_block_goes_alone_to_page_2(run, series, write_issue):
    path = write_issue(issue(60, 60, 60))            # three paragraphs of three lines each
    result = run("check", "--strict", str(path))
    assert result.exit_code == 0, result.output      # advice never fails a run
    # (6 lines: the showcase's printer does not fit beside the date at full size, so the date has a line of its own)
    assert ("003.yaml:7:1: fit: the 版记 needs 6 lines, 3 are left on page 1, so it stands alone on page 2: "
            "shorten the text by 3 lines (about 84 characters) [advice]") in result.output
    pages, output = built_pages(run, series, path)
    assert "fit: the 版记 needs 6 lines, 3 are left on page 1" in output
    assert len(pages) == 2
    texts = [line.text for line in pages[1].lines]
    assert texts[0].startswith("报：") and "印发" in texts[-2] and not any(S[:6] in t for t in texts)

    # one line less than advised is not enough …
    path.write_text(issue(60 - 28, 60 - 28, 60), encoding="utf-8")
    pages, _ = built_pages(run, series, path)
    assert len(pages) == 2
    # … the three lines advised are
    path.write_text(issue(60 - 28, 60 - 28, 60 - 28), encoding="utf-8")
    pages, output = built_pages(run, series, path)
    assert len(pages) == 1 and any("印发" in line.text for line in pages[0].lines)
    assert "fit:" not in output
    assert "fit:" not in run("check", str(path)).output


def test_a_last_page_with_two_lines_says_how_much_ends_the_issue_a_page_earlier(run, series, write_issue):
    path = write_issue(issue(300, 300, 300, 76))
    result = run("check", str(path))
    assert "fit: page 3 holds only 2 lines of text and the 版记; to end on page 2: shorten the text by 8 lines " \
           "(about 224 characters)" in result.output
    pages, _ = built_pages(run, series, path)
    assert len(pages) == 3
    texts = [line.text for line in pages[2].lines]
    assert len(texts[:texts.index(next(t for t in texts if t.startswith("报：")))]) == 2   # text above the 版记
    n = shorten_by(result.output)
    path.write_text(issue(300, 300, 300 - 28 * (n - 1), 76), encoding="utf-8")
    assert len(built_pages(run, series, path)[0]) == 3
    path.write_text(issue(300, 300, 300 - 28 * n, 76), encoding="utf-8")
    pages, _ = built_pages(run, series, path)
    assert len(pages) == 2 and any("印发" in line.text for line in pages[1].lines)


def test_dropping_the_marking_line_is_offered_when_it_saves_the_page(run, series, write_issue):
    path = write_issue(issue(300, 300, 300, 496))
    result = run("check", str(path))
    assert ("fit: the 版记 needs 6 lines, 5 are left on page 3, so it stands alone on page 4: shorten the text by "
            "1 line (about 28 characters) or drop the marking line (masthead.marking in jianbao.yaml)") in result.output
    assert len(built_pages(run, series, path)[0]) == 4
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("marking: 内部刊物 注意保存", 'marking: ""'),
                      encoding="utf-8")
    pages, _ = built_pages(run, series, path)
    assert len(pages) == 3 and any("印发" in line.text for line in pages[2].lines)
