"""`jianbao volume`: the issues' PDFs bound behind a cover and a contents page, with bookmarks."""
import re
import shutil
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner

from jianbao.cli import cli

BULLETINS = Path(__file__).resolve().parent / "bulletins"


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def page_texts(path: Path) -> list[str]:
    return [squash(p.extract_text()) for p in pypdf.PdfReader(path).pages]


def outline(reader: pypdf.PdfReader, items=None, depth=0):
    """(depth, title, page index) of every bookmark, in order."""
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out += outline(reader, item, depth + 1)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item)))
    return out


@pytest.fixture
def bulletins(tmp_path, monkeypatch):
    root = tmp_path / "bulletins"
    shutil.copytree(BULLETINS, root)
    monkeypatch.chdir(root)
    return root


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_volume_of_a_year(run, series):
    result = run("volume", "2022")
    assert result.exit_code == 0, result.output
    volume = series / "build" / "volume-2022.pdf"
    assert "build/volume-2022.pdf" in result.stdout.split()
    assert (series / "build" / "008.pdf").is_file() and (series / "build" / "011.pdf").is_file()   # built first
    issues = [page_texts(series / "build" / f"{n}.pdf") for n in ("008", "011")]
    texts = page_texts(volume)
    # cover + one contents page + the issues' pages, in order, their text unchanged (their own numbers kept)
    assert len(texts) == 1 + 1 + sum(map(len, issues))
    assert texts[2:] == issues[0] + issues[1]
    cover = texts[0]
    for words in ("郑州市教育局“能力作风建设年”活动", "简报", "合订本", "2022年", "第8期—第11期"):
        assert squash(words) in cover, words
    contents = texts[1]
    assert contents.startswith("目录")
    first, second = len(issues[0]) + 1, 1                # through page numbers: 008 starts at 1, 011 after it
    assert contents.index("第8期") < contents.index("第11期")
    assert "2022年1月30日" in contents and "2022年2月15日" in contents
    assert re.search(r"攻坚“双减”新任务构建教育新生态市教育局扎实推动“双减”工作取得阶段性成效" + str(first), contents)
    reader = pypdf.PdfReader(volume)
    marks = outline(reader)
    assert marks[0] == (0, "目录", 1)
    assert [(d, p) for d, t, p in marks[1:]] == [(0, 2), (0, 2 + len(issues[0]))]
    assert marks[1][1].startswith("第8期") and marks[2][1].startswith("第11期 2022年2月15日 攻坚")
    assert reader.page_labels[:4] == ["封面", "目录1", "1", "2"]
    # unchanged folios: 011's first page still says 1
    assert texts[2 + len(issues[0])].endswith("—1—")


def test_volume_renumbered_through(run, series):
    result = run("volume", "--from", "8", "--to", "11", "--renumber", "-o", "out/合订本.pdf")
    assert result.exit_code == 0, result.output
    volume = series / "out" / "合订本.pdf"
    n008 = len(pypdf.PdfReader(series / "build" / "008.pdf").pages)
    with pdfplumber.open(volume) as pdf:
        assert len(pdf.pages) == 2 + n008 + 5
        for index in range(2, len(pdf.pages)):
            page = pdf.pages[index]
            number = index - 1
            bottom = [c for c in page.chars if c["top"] > page.height * 0.88]
            # the old number taken out of the page, the new one in its place: odd pages right, even left
            assert squash("".join(c["text"] for c in bottom)) == f"—{number}—", index
            assert (bottom[0]["x0"] > page.width / 2) == (number % 2 == 1)
            assert abs(bottom[0]["size"] - 14) < 0.01
    # the rest of each page unchanged: the volume's text is the issues' text with the numbers replaced
    texts = page_texts(volume)
    issues = page_texts(series / "build" / "008.pdf") + page_texts(series / "build" / "011.pdf")
    for index, (mine, theirs) in enumerate(zip(texts[2:], issues), 1):
        assert re.sub(r"—\d+—$", "", mine) == re.sub(r"—\d+—$", "", theirs) and mine.endswith(f"—{index}—")


def test_a_folio_that_cannot_be_taken_out_is_covered(run, series, monkeypatch):
    from jianbao import volume as volume_module

    monkeypatch.setattr(volume_module, "remove_folio", lambda page, reader, below: False)
    result = run("volume", "2022", "--renumber")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(series / "build" / "volume-2022.pdf") as pdf:
        for index in range(2, len(pdf.pages)):
            page = pdf.pages[index]
            number = index - 1
            bottom = [c for c in page.chars if c["top"] > page.height * 0.88]
            old, new = bottom[:-len(str(number)) - 4], bottom[-len(str(number)) - 4:]   # (drawn last: on top)
            assert squash("".join(c["text"] for c in new)) == f"—{number}—", index
            assert re.fullmatch(r"—\d+—", squash("".join(c["text"] for c in old)))
            white = [r for r in page.rects if r["fill"] and tuple(r.get("non_stroking_color") or ()) == (1, 1, 1)]
            for c in old:                                       # under a white box drawn before the new number
                assert any(r["x0"] <= c["x0"] and r["x1"] >= c["x1"] and r["top"] <= c["top"] and r["bottom"] >= c["bottom"]
                           for r in white), (index, c["text"])


def test_volume_with_articles_bookmarks_each_article(bulletins):
    result = invoke("volume", "--from", "12", "--to", "14")
    assert result.exit_code == 0, result.output
    volume = bulletins / "build" / "volume-012-014.pdf"
    reader = pypdf.PdfReader(volume)
    sizes = [len(pypdf.PdfReader(bulletins / "build" / f"0{n}.pdf").pages) for n in (12, 13, 14)]
    assert len(reader.pages) == 2 + sum(sizes)
    marks = outline(reader)
    issues = [m for m in marks if m[0] == 0][1:]
    articles = [m for m in marks if m[0] == 1]
    assert [t.split()[0] for _, t, _ in issues] == ["第12期", "第13期", "第14期"]
    assert len(articles) == 4                                  # 014 has four articles
    texts = page_texts(volume)
    for _, title, page in articles:
        assert squash(title) in texts[page]                    # each bookmark opens the page with its title
    contents = texts[1]
    for _, title, page in articles:                            # the contents list them with their page numbers
        assert re.search(re.escape(squash(title)) + str(page - 1), contents), title


def test_volume_of_a_year_without_issues_fails_cleanly(run, series):
    result = run("volume", "2019")
    assert result.exit_code == 1 and "no issues dated 2019" in result.output
    assert not (series / "build" / "volume-2019.pdf").exists()
    assert run("volume").exit_code == 2


def test_volume_is_not_bound_when_an_issue_fails(run, series):
    assert run("volume", "2022").exit_code == 0
    volume = series / "build" / "volume-2022.pdf"
    before = volume.read_bytes()
    issue = series / "issues" / "011.yaml"
    issue.write_text(re.sub(r"(?m)^title:", "titel:", issue.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    result = run("volume", "--from", "1", "--to", "20", "-o", "build/volume-2022.pdf")
    assert result.exit_code == 1
    assert re.search(r"011\.yaml:\d+:\d+: titel", result.output)
    assert volume.read_bytes() == before                       # the last good volume is kept


def test_volume_is_deterministic(run, series):
    assert run("volume", "2022").exit_code == 0
    first = (series / "build" / "volume-2022.pdf").read_bytes()
    assert run("volume", "2022", "--renumber", "-o", "build/r.pdf").exit_code == 0
    assert run("volume", "2022").exit_code == 0
    assert (series / "build" / "volume-2022.pdf").read_bytes() == first


def test_a_long_contents_runs_over_pages_and_keeps_each_issue_whole(run, series):
    """bind() on forty issues (the same PDF under forty numbers): the contents take several pages, the page
    numbers they give are those of the pages where each issue starts."""
    import copy

    from jianbao import api
    from jianbao.volume import bind, describe

    assert run("build", "issues/011.yaml", "--format", "pdf").exit_code == 0
    context = api.Context.for_root(series)
    pdf = (series / "build" / "011.pdf").read_bytes()
    tree = api.build_tree(series / "issues" / "011.yaml", context)
    base = describe(11, tree, pdf, context.style)
    parts = []
    for n in range(1, 41):
        part = copy.deepcopy(base)
        part.number, part.issue_number = n, f"第{n}期"
        parts.append(part)
    data = bind(parts, context.style, context.fonts, context.series, "2022年")
    reader = pypdf.PdfReader(__import__("io").BytesIO(data))
    labels = reader.page_labels
    contents = [i for i, label in enumerate(labels) if label.startswith("目录")]
    assert len(contents) > 1 and contents == list(range(1, 1 + len(contents)))
    assert len(reader.pages) == 1 + len(contents) + 40 * base.pages
    text = "".join(squash(reader.pages[i].extract_text()) for i in contents)
    for n in range(1, 41):                          # each issue listed once, with the page it starts on
        assert re.search(rf"第{n}期2022年2月15日.*?阶段性成效{(n - 1) * base.pages + 1}(?!\d)", text), n
    for i in contents:                              # an issue's entry is not split between two pages
        page = squash(reader.pages[i].extract_text())
        assert page.startswith("目录第") and re.search(r"成效\d+$", page)
    marks = outline(reader)
    assert [p for d, t, p in marks if d == 0][1:] == [1 + len(contents) + k * base.pages for k in range(40)]


from test_yearly import SERIES as _YEARLY_WITH_ABSENT  # noqa: E402  (the yearly series of those tests)

YEARLY = _YEARLY_WITH_ABSENT.replace("absent: {2023: [12]}\n", "")


def test_volume_of_a_yearly_series_with_a_supplement(tmp_path, monkeypatch):
    root = tmp_path / "yearly"
    root.mkdir()
    (root / "jianbao.yaml").write_text(YEARLY, encoding="utf-8")
    monkeypatch.chdir(root)
    for args in (["--date", "2023-11-20"], ["--date", "2024-01-05"], ["--date", "2024-02-05"],
                 ["--supplement", "--date", "2024-02-06"]):
        assert invoke("new", *args).exit_code == 0
    result = invoke("volume", "2024")
    assert result.exit_code == 0, result.output
    volume = root / "build" / "volume-2024.pdf"
    assert (root / "build" / "2024" / "001.pdf").is_file()                  # built where a build puts them
    reader = pypdf.PdfReader(volume)
    issues = [t for d, t, p in outline(reader) if d == 0][1:]
    assert [t.split()[0] for t in issues] == ["第1期（总第121期）", "第2期（总第122期）", "增刊第1期"]
    cover = squash(reader.pages[0].extract_text())
    assert "2024年" in cover and "第1期—第2期" in cover and "2023" not in cover
    parts = [pypdf.PdfReader(root / "build" / "2024" / f"{s}.pdf") for s in ("001", "002", "z01")]
    assert len(reader.pages) == 2 + sum(len(p.pages) for p in parts)

    result = invoke("volume", "2024", "--from", "2", "--to", "2")         # a range leaves supplements out
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(root / "build" / "volume-2024.pdf")
    assert [t.split()[0] for d, t, p in outline(reader) if d == 0][1:] == ["第2期（总第122期）"]
