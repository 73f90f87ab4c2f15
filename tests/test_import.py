"""`jianbao import`: bulletins in text and Word files brought back to YAML.

Measured on what the importer writes, expanded as the build expands it (`api.build_tree`): the two seed
extracts (PDF-to-text, in tests/import/) against issues/008.yaml and 011.yaml; DOCX files jianbao wrote for
the 14 test bulletins against the YAML they were built from; DOCX files made here the way Word users make
them (direct formatting, typed numbers, spaces for indents, a table for the 版记, red masthead text, empty
paragraphs between paragraphs) against the issue they were made from; and hostile files, refused in bounded
time and memory with nothing written.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from jianbao import api
from jianbao.tree import dump

docx = pytest.importorskip("docx")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEEDS = HERE / "import"
BULLETINS = HERE / "bulletins"
ISSUES = sorted(p.stem for p in (BULLETINS / "issues").glob("[0-9][0-9][0-9].yaml"))


def jianbao(*args, cwd, check=False, limit_mb=1024, timeout=60):
    """The real command in a child process, its address space capped (bounded memory is part of the test)."""
    def cap():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb * 2 ** 20, limit_mb * 2 ** 20))
    proc = subprocess.run([sys.executable, "-m", "jianbao.cli", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=cap)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def flat(tree) -> list[tuple[str, str]]:
    """The tree as (element, text) pairs in reading order, without source line numbers."""
    for e in tree.iter():
        e.attrib.pop("line", None)
    out = []
    for e in tree.iter():
        if e.tag in ("para", "heading", "title", "subtitle", "note", "source", "recipients", "printing", "copies",
                     "contents-entry", "issue-number", "date"):
            out.append((e.tag + "".join(f" {k}={v}" for k, v in sorted(e.attrib.items())), dump(e)))
    return out


def new_series(tmp_path, config: Path) -> Path:
    root = tmp_path / "series"
    (root / "issues").mkdir(parents=True)
    shutil.copy(config, root / "jianbao.yaml")
    return root


# ---- the seed extracts ------------------------------------------------------------------------------------------
@pytest.fixture
def seed_series(tmp_path):
    return new_series(tmp_path, REPO / "jianbao.yaml")


def test_seed_011_imports_to_the_tree_of_issue_11(seed_series):
    jianbao("import", SEEDS / "bulletin-011.txt", cwd=seed_series, check=True)
    got = api.build_tree(seed_series / "issues" / "011.yaml")
    assert flat(got) == flat(api.build_tree(REPO / "issues" / "011.yaml"))


def test_seed_008_imports_to_the_tree_of_issue_8_but_for_the_sentence_the_extraction_displaced(seed_series):
    """The extract moved one sentence (目前已召开3次工作例会，编发简报8期。) from the end of 一（三） into the
    middle of 四（三）, across pages (tests/import: seeds README). Nothing in the text says where it came
    from: the importer keeps it where it is. Everything else is the same tree, and those paragraphs hold the
    same characters."""
    proc = jianbao("import", SEEDS / "bulletin-008.txt", cwd=seed_series, check=True)
    assert "bulletin-008.txt:110:1: the 印发 date '2022年1月30' lacks 日 (read as 2022-01-30)" in proc.stderr
    # the seed has the check's fixes of the printed bulletin's punctuation: （2020—2035）, no 、 between 》 and 《
    fixed = jianbao("check", "--fix", "issues/008.yaml", cwd=seed_series).stdout
    assert [line.split(": ")[1] for line in fixed.splitlines() if line.startswith("fixed ")] == \
        ["range", "quote-list", "range"]
    got = flat(api.build_tree(seed_series / "issues" / "008.yaml"))
    want = flat(api.build_tree(REPO / "issues" / "008.yaml"))
    displaced = "目前已召开3次工作例会，编发简报8期。"
    differ_got = [x for x in got if x not in want]
    differ_want = [x for x in want if x not in got]
    assert len(differ_want) == 2 and len(differ_got) == 3
    assert displaced in differ_want[0][1] and "年初在认真审核" in differ_want[1][1]
    assert "年初在" + displaced in differ_got[1][1]
    assert sorted(re.sub(r"<[^>]+>|\s", "", "".join(x[1] for x in differ_got))) == \
        sorted(re.sub(r"<[^>]+>|\s", "", "".join(x[1] for x in differ_want)))
    # the rest in the same order: headings, levels, paragraphs and 版记
    assert [x for x in got if x not in differ_got] == [x for x in want if x not in differ_want]


def test_seed_yaml_reads_as_a_person_writes_it(seed_series):
    jianbao("import", SEEDS / "bulletin-011.txt", cwd=seed_series, check=True)
    text = (seed_series / "issues" / "011.yaml").read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if re.match(r"^[a-z]+:", line)]
    assert keys == ["number", "date", "title", "body"]        # the distribution is the series' own
    assert "{" not in text and "\n  - heading: 构建“四个体系”，做优推进机制\n" in text
    comments = [line for line in text.splitlines() if "#" in line]
    assert comments == ["# Imported by `jianbao import` from bulletin-011.txt.",
                        "title: |  # line breaks guessed from the spaces of the extract"]
    data = yaml.safe_load(text)
    assert data["title"] == "攻坚“双减”新任务 构建教育新生态\n市教育局扎实推动“双减”工作取得阶段性成效\n"
    proc = jianbao("check", "--strict", "issues/011.yaml", cwd=seed_series)
    assert proc.returncode == 0, proc.stdout


def test_gbk_text_is_converted(seed_series, tmp_path):
    gbk = tmp_path / "旧简报11.txt"
    gbk.write_bytes((SEEDS / "bulletin-011.txt").read_text(encoding="utf-8").encode("gb18030"))
    jianbao("import", "--out", "-", SEEDS / "bulletin-011.txt", cwd=seed_series, check=True)
    utf8 = jianbao("import", "--out", "-", SEEDS / "bulletin-011.txt", cwd=seed_series).stdout
    got = jianbao("import", "--out", "-", gbk, cwd=seed_series)
    assert got.returncode == 0, got.stderr
    assert got.stdout.split("\n", 1)[1] == utf8.split("\n", 1)[1]    # the first line names the source
    assert not list((seed_series / "issues").iterdir())               # `-`: nothing written


def test_every_character_of_the_source_is_in_the_yaml(seed_series):
    """Page numbers and running heads are the only text left out; the masthead and the printing office are
    jianbao.yaml's (the same here). A line the importer cannot place is kept, with a comment."""
    from collections import Counter

    src = (SEEDS / "bulletin-011.txt").read_text(encoding="utf-8")
    lines = src.split("\n")
    lines.insert(30, "— 2 —")
    lines.insert(45, "郑州市教育局“能力作风建设年”活动")      # a running head
    lines.insert(66, "某处无法归类的一行")                   # after the 版记: cannot be placed
    source = seed_series / "b11.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    proc = jianbao("import", source, cwd=seed_series, check=True)
    assert "2 page number(s) and running head(s) left out" in proc.stderr
    assert "not placed" in proc.stderr
    text = (seed_series / "issues" / "011.yaml").read_text(encoding="utf-8")
    assert "  - 某处无法归类的一行  # not placed by the importer: move it" in text

    def han(s):
        return Counter(re.findall(r"[\u4e00-\u9fff“”‘’（）《》、，。；：？！%0-9]", s))
    # measured on what the issue expands to: heading numbers and the series' own 版记 come from there
    body = [x for x in lines if x not in ("— 2 —", "郑州市教育局“能力作风建设年”活动")]
    built = "".join(api.build_tree(seed_series / "issues" / "011.yaml").itertext())
    missing = han("".join(body)) - han(built.replace("简报", "简 报", 1))
    assert not missing, missing
    article = [x for x in body[14:] if not re.match("^(报|送|发)：|^市教育局机关各党支部$|.*印发$", x)]
    assert han("".join(article)) - han(text) == han("一、二、三、")       # the numbers jianbao prints


# ---- DOCX written by jianbao ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built_docx(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    ctx = api.Context.for_root(BULLETINS)
    for stem in ISSUES:
        api.build(BULLETINS / "issues" / f"{stem}.yaml", out, ctx, formats=("docx",))
    return out


@pytest.fixture(scope="module")
def round_trip(built_docx, tmp_path_factory):
    root = new_series(tmp_path_factory.mktemp("rt"), BULLETINS / "jianbao.yaml")
    jianbao("import", *sorted(built_docx.glob("*.docx")), cwd=root, check=True)
    return root


def test_jianbao_docx_round_trips_to_the_same_tree(round_trip):
    """Every issue expands to the tree of its source. (A title's line break would be lost where the author's
    break falls where jianbao breaks the title anyway; 006's author breaks after “主动仗”, where jianbao no longer
    does since a quoted term keeps the word after it, so its break survives.)"""
    for stem in ISSUES:
        got = flat(api.build_tree(round_trip / "issues" / f"{stem}.yaml"))
        want = flat(api.build_tree(BULLETINS / "issues" / f"{stem}.yaml"))
        assert got == want, stem


def test_jianbao_docx_round_trips_to_the_same_yaml(round_trip):
    identical = [stem for stem in ISSUES
                 if yaml.safe_load((round_trip / "issues" / f"{stem}.yaml").read_text(encoding="utf-8"))
                 == yaml.safe_load((BULLETINS / "issues" / f"{stem}.yaml").read_text(encoding="utf-8"))]
    # 007: a closing paragraph without a closing word (二季度，…) stays in the last section; 009: a recipient
    # with a 、 in its name
    assert sorted(set(ISSUES) - set(identical)) == ["007", "009"]


def test_jianbao_docx_titles_and_emphasis(round_trip):
    data = yaml.safe_load((round_trip / "issues" / "010.yaml").read_text(encoding="utf-8"))
    assert data["body"][1]["heading"] == "对标**国土空间总体规划（2020-2035年）**，保障项目落地"
    data = yaml.safe_load((round_trip / "issues" / "005.yaml").read_text(encoding="utf-8"))
    assert "\n" not in data["title"]           # jianbao's own balanced breaks are not kept
    data = yaml.safe_load((round_trip / "issues" / "007.yaml").read_text(encoding="utf-8"))
    assert (data["printed"].isoformat(), data["total"], data["copies"]) == ("2026-03-31", 92, 260)
    assert data["distribution"]["送"] == [] and len(data["distribution"]["发"]) == 25


# ---- DOCX written the way Word users write them ----------------------------------------------------------------
def word_user_docx(tree, path: Path, indent: str = "    ") -> None:
    """A bulletin typed in Word from the expanded tree: no styles, red masthead text, typed numbers, spaces
    or full-width spaces for indents, bold by hand, an empty paragraph after every paragraph, the 版记 as a
    table."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    d = docx.Document()

    def para(pieces, align=None, size=16, red=False, bold=False, lead=""):
        p = d.add_paragraph()
        if align:
            p.alignment = align
        if lead:
            p.add_run(lead)
        for text, b in pieces:
            r = p.add_run(text)
            r.font.size = Pt(size)
            r.bold = b or bold
            if red:
                r.font.color.rgb = RGBColor(0xE6, 0x00, 0x12)
        d.add_paragraph()            # the stray empty paragraph
        return p

    def pieces(e, bold=False):
        out = [(e.text or "", bold)]
        for c in e:
            if c.tag == "br":
                out.append(("\n", bold))
            else:
                out.extend(pieces(c, bold or c.tag in ("em",)))
            out.append((c.tail or "", bold))
        return [(t, b) for t, b in out if t]

    C = WD_ALIGN_PARAGRAPH.CENTER
    m = tree.find("masthead")
    para([(m.findtext("marking"), False)], size=12)
    para([(m.findtext("series"), False)], align=C, red=True, size=20)
    para([(" ".join(m.findtext("name")), False)], align=C, red=True, size=48)
    para([(m.findtext("issue-number"), False)], align=C)
    para([(m.findtext("editor") + "          " + m.findtext("date"), False)])
    for e in tree:
        if e.tag == "contents":
            for c in e:
                para([(c.text, False)], align=C if c.tag == "contents-title" else None)
        elif e.tag == "note":
            para(pieces(e), lead=indent)
        elif e.tag == "article":
            for c in e:
                if c.tag == "title":
                    for line in "".join(t for t, _ in pieces(c)).split("\n"):
                        para([(line, False)], align=C, size=22, bold=True)
                elif c.tag == "subtitle":
                    para([(c.text, False)], align=C)
                elif c.tag == "heading":
                    para(pieces(c), lead=indent)
                elif c.tag == "para":
                    runin = c.find("runin")
                    ps = pieces(c)
                    if runin is not None:
                        head = "".join(runin.itertext())
                        ps = [(head, True)] + pieces(c)[1:] if False else [(head, True)] + [
                            (t, b) for t, b in _after_runin(c)]
                    para(ps, lead=indent)
                elif c.tag == "source":
                    para([(c.text, False)], align=WD_ALIGN_PARAGRAPH.RIGHT)
    dist = tree.find("distribution")
    rows = [("".join(r.itertext()),) for r in dist.findall("recipients")]
    if dist.find("copies") is not None:
        rows.append((dist.findtext("copies"),))
    prn = dist.find("printing")
    rows.append((prn.findtext("printer") + "      " + prn.findtext("printed"),))
    table = d.add_table(rows=len(rows), cols=1)
    for row, (text,) in zip(table.rows, rows):
        row.cells[0].text = text
    d.save(str(path))


def _after_runin(para):
    runin = para.find("runin")
    out = [(runin.tail or "", False)]
    for c in list(para)[1:]:
        out.append(("".join(c.itertext()), c.tag == "em"))
        out.append((c.tail or "", False))
    return [(t, b) for t, b in out if t]


@pytest.mark.parametrize("stem,indent", [("002", "    "), ("003", "\u3000\u3000"), ("004", "  "),
                                         ("007", "    "), ("010", "\u3000\u3000"), ("014", "")])
def test_word_user_docx_imports_with_the_same_structure(stem, indent, tmp_path):
    want_tree = api.build_tree(BULLETINS / "issues" / f"{stem}.yaml")
    source = tmp_path / f"第{int(stem)}期.docx"
    word_user_docx(want_tree, source, indent)
    root = new_series(tmp_path, BULLETINS / "jianbao.yaml")
    proc = jianbao("import", source, cwd=root, check=True)
    got = flat(api.build_tree(root / "issues" / f"{stem}.yaml"))
    want = flat(api.build_tree(BULLETINS / "issues" / f"{stem}.yaml"))
    assert got == want, proc.stderr


def test_word_user_seed_docx(tmp_path):
    """Issue 8 as typed in Word: run-in headings bold by hand, the restart of 一、 after the bridging
    paragraph becomes `number: 1`."""
    want_tree = api.build_tree(REPO / "issues" / "008.yaml")
    source = tmp_path / "简报8.docx"
    word_user_docx(want_tree, source)
    root = new_series(tmp_path, REPO / "jianbao.yaml")
    jianbao("import", source, cwd=root, check=True)
    assert flat(api.build_tree(root / "issues" / "008.yaml")) == flat(want_tree)
    data = yaml.safe_load((root / "issues" / "008.yaml").read_text(encoding="utf-8"))
    assert [s.get("number") for s in data["body"] if isinstance(s, dict)] == [None] * 7 + [1, None, None, None]


# ---- the command ------------------------------------------------------------------------------------------------
def test_never_overwrites_without_force(seed_series):
    target = seed_series / "issues" / "011.yaml"
    target.write_text("number: 11\n", encoding="utf-8")
    proc = jianbao("import", SEEDS / "bulletin-011.txt", cwd=seed_series)
    assert proc.returncode == 1 and "exists" in proc.stderr and "--force" in proc.stderr
    assert target.read_text(encoding="utf-8") == "number: 11\n"
    jianbao("import", "--force", SEEDS / "bulletin-011.txt", cwd=seed_series, check=True)
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["number"] == 11


def test_out_folder_and_series_name_warning(seed_series, tmp_path):
    src = (SEEDS / "bulletin-011.txt").read_text(encoding="utf-8").replace(
        "郑州市教育局“能力作风建设年”活动\n", "郑州市教育局“作风建设年”活动\n", 1)
    source = tmp_path / "x.txt"
    source.write_text(src, encoding="utf-8")
    proc = jianbao("import", "--out", tmp_path / "elsewhere", source, cwd=seed_series, check=True)
    assert (tmp_path / "elsewhere" / "011.yaml").is_file()
    assert "郑州市教育局“作风建设年”活动" in proc.stderr and "differs from jianbao.yaml" in proc.stderr
    text = (tmp_path / "elsewhere" / "011.yaml").read_text(encoding="utf-8")
    assert "# source series line: 郑州市教育局“作风建设年”活动 (differs from jianbao.yaml)" in text
    assert (seed_series / "jianbao.yaml").read_text(encoding="utf-8") == (REPO / "jianbao.yaml").read_text(
        encoding="utf-8")


def test_missing_issue_number_is_commented(seed_series, tmp_path):
    src = (SEEDS / "bulletin-011.txt").read_text(encoding="utf-8").replace("第11期\n", "", 1)
    source = tmp_path / "旧稿.txt"
    source.write_text(src, encoding="utf-8")
    proc = jianbao("import", "--out", "-", source, cwd=seed_series, check=True)
    assert "number: 1  # 期号 not found: set it" in proc.stdout
    assert "期号" in proc.stderr


# ---- hostile input ----------------------------------------------------------------------------------------------
def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _hostile(kind: str, tmp: Path) -> Path:
    if kind == "not-a-zip":
        p = tmp / "a.docx"
        p.write_bytes("内部刊物\n第1期\n".encode() * 100)
    elif kind == "zip-bomb":
        p = tmp / "bomb.docx"
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            with z.open("word/document.xml", "w", force_zip64=True) as f:
                chunk = b" " * (1 << 20)
                for _ in range(300):            # 300 MB of spaces, some 300 KB compressed
                    f.write(chunk)
    elif kind == "xml-bomb":
        lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
               + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
               + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
               '<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
        p = _zip(tmp / "lol.docx", {"word/document.xml": lol.encode()})
    elif kind == "big-text":
        p = tmp / "big.txt"
        with open(p, "wb") as f:
            line = ("市教育局积极稳步推进“能力作风建设年”活动。" * 10 + "\n").encode()
            for _ in range(50 * 2 ** 20 // len(line) + 1):
                f.write(line)
    elif kind == "binary-txt":
        import random
        p = tmp / "photo.txt"
        p.write_bytes(random.Random(1).randbytes(200_000))
    elif kind == "gb-noise-txt":
        import random
        rnd = random.Random(2)
        p = tmp / "noise.txt"
        p.write_bytes(bytes(rnd.randrange(0x81, 0xFE) for _ in range(20_000)))
    elif kind == "no-document":
        p = _zip(tmp / "empty.docx", {"word/other.xml": b"<x/>"})
    return p


@pytest.mark.parametrize("kind,message", [
    ("not-a-zip", "not a Word document"),
    ("zip-bomb", "zip bomb"),
    ("xml-bomb", "DTD or entities"),
    ("big-text", "too large"),
    ("binary-txt", "not a text file"),
    ("gb-noise-txt", "not a text file"),
    ("no-document", "no word/document.xml"),
])
def test_hostile_input_is_refused(kind, message, seed_series, tmp_path):
    import time
    path = _hostile(kind, tmp_path)
    before = sorted((seed_series / "issues").iterdir())
    start = time.monotonic()
    proc = jianbao("import", path, cwd=seed_series, limit_mb=400, timeout=30)
    assert time.monotonic() - start < 15
    assert proc.returncode == 1, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{path}:1:1: ") or proc.stderr.startswith(f"{path}:")
    assert sorted((seed_series / "issues").iterdir()) == before


def test_one_bad_file_does_not_stop_the_others(seed_series, tmp_path):
    bad = _hostile("not-a-zip", tmp_path)
    proc = jianbao("import", bad, SEEDS / "bulletin-011.txt", cwd=seed_series)
    assert proc.returncode == 1
    assert (seed_series / "issues" / "011.yaml").is_file()


# ---- text extracted line by line (pdftotext without -layout) --------------------------------------------------------
def line_extract(tree, indent="\u3000\u3000") -> str:
    """The issue as a PDF-to-text tool gives it line by line: 28 characters a line (26 on a paragraph's first,
    which is indented), a title line each, a page number every 22 lines."""
    import unicodedata

    def cells(ch):
        return 0.5 if unicodedata.east_asian_width(ch) in "NaH" else 1

    def wrap(text, first=26, rest=28):
        lines, cur, w, limit = [], "", 0, first
        for ch in text:
            if w + cells(ch) > limit:
                lines.append(cur)
                cur, w, limit = "", 0, rest
            cur += ch
            w += cells(ch)
        return lines + [cur]

    out = ["".join(c.itertext()) for c in tree.find("masthead")]
    for e in tree.iter():
        if e.tag == "title":
            out += [e.text] + [c.tail for c in e]
        elif e.tag == "heading":
            out.append(indent + "".join(e.itertext()))
        elif e.tag == "para":
            lines = wrap("".join(e.itertext()))
            out += [indent + lines[0]] + lines[1:]
        elif e.tag == "recipients":
            out += wrap("".join(e.itertext()), 28, 26)
        elif e.tag == "printing":
            out.append("  ".join(x.text for x in e))
    pages = [out[i:i + 22] + [f"— {i // 22 + 1} —"] for i in range(0, len(out), 22)]
    return "\n".join(line for page in pages for line in page) + "\n"


@pytest.mark.parametrize("issue", [REPO / "issues" / "011.yaml", REPO / "issues" / "008.yaml",
                                   BULLETINS / "issues" / "002.yaml", BULLETINS / "issues" / "004.yaml",
                                   BULLETINS / "issues" / "006.yaml", BULLETINS / "issues" / "012.yaml"])
def test_line_by_line_extract_with_indented_paragraphs(issue, tmp_path):
    want = api.build_tree(issue)
    source = tmp_path / f"extract-{issue.stem}.txt"
    source.write_text(line_extract(want), encoding="utf-8")
    root = new_series(tmp_path, issue.parent.parent / "jianbao.yaml")
    proc = jianbao("import", source, cwd=root, check=True)
    assert "page number(s) and running head(s) left out" in proc.stderr
    got = flat(api.build_tree(root / "issues" / f"{issue.stem}.yaml"))
    assert got == flat(api.build_tree(issue))


HAND_TYPED = """\
内部资料 注意保存
某某县发展和改革委员会
工 作 动 态
第 15 期（总第 93 期）
县发展改革委办公室          2026年7月20日

编者按：本期刊发县发展改革委上半年工作情况，供参考。
县发展改革委上半年工作情况
——重点项目完成投资过半
    上半年，县发展改革委围绕稳增长、抓项目、优环境开展工作, 取得阶段性成效。
一、项目建设
    （一）抓开工。新开工亿元以上项目 12 个。
    （二）抓投资。完成投资 86.4 亿元。
三、营商环境
    一是深化改革。推行“容缺受理”。
    二是优化服务。企业开办压缩至0.5个工作日。
1.下一步打算
    持续抓好项目建设。
报：市发展改革委
抄送：县委办公室、县政府办公室
发：各乡镇人民政府、
    县直各有关单位
县发展改革委办公室        2026年7月21日印发
（共印120份）
"""


def test_hand_typed_gbk_text(tmp_path):
    root = new_series(tmp_path, BULLETINS / "jianbao.yaml")
    source = tmp_path / "2026-15.txt"
    source.write_bytes(HAND_TYPED.replace("\n", "\r\n").encode("gbk"))
    proc = jianbao("import", source, cwd=root, check=True)
    data = yaml.safe_load((root / "issues" / "015.yaml").read_text(encoding="utf-8"))
    assert (data["number"], data["total"], data["date"].isoformat(), data["printed"].isoformat(),
            data["copies"]) == (15, 93, "2026-07-20", "2026-07-21", 120)
    assert data["note"] == "本期刊发县发展改革委上半年工作情况，供参考。"
    assert data["title"] == "县发展改革委上半年工作情况" and data["subtitle"] == "——重点项目完成投资过半"
    body = data["body"]
    assert body[0] == "上半年，县发展改革委围绕稳增长、抓项目、优环境开展工作，取得阶段性成效。"
    assert body[1]["heading"] == "项目建设" and "number" not in body[1]
    assert body[1]["body"][0] == {"heading": "抓开工。", "text": "新开工亿元以上项目12个。"}
    assert body[2]["heading"] == "营商环境" and body[2]["number"] == 3            # the source skips 二、
    assert body[2]["body"][0] == "**一是深化改革。**推行“容缺受理”。"
    # 1. right under 一、's level: imported at level 2 (reported), and the count starts at 1
    assert body[2]["body"][2]["heading"] == "下一步打算"
    assert "at level 3 under level 1" in proc.stderr
    assert data["distribution"] == {"报": ["市发展改革委"], "送": ["县委办公室", "县政府办公室"],
                                    "发": ["各乡镇人民政府", "县直各有关单位"]}
    # the skip is the source's own: reported as a finding of the text, not changed
    assert "numbering: body: heading numbering jumps from 1 to 3 (in the source text)" in proc.stderr


def test_word_heading_styles_without_typed_numbers(tmp_path):
    """Headings marked with Word's built-in heading styles (numbered by Word, not in the text)."""
    d = docx.Document()
    for text, style in [("第2期", None), ("2026年1月6日", None), ("一份工作总结", "Title"),
                        ("开头的一段话。", None), ("第一部分", "Heading 1"), ("第一部分的正文。", None),
                        ("其中一点", "Heading 2"), ("这一点的正文。", None), ("第二部分", "Heading 1"),
                        ("第二部分的正文。", None)]:
        d.add_paragraph(text, style=style)
    source = tmp_path / "styles.docx"
    d.save(str(source))
    root = new_series(tmp_path, BULLETINS / "jianbao.yaml")
    jianbao("import", source, cwd=root, check=True)
    tree = api.build_tree(root / "issues" / "002.yaml")
    assert [("".join(h.itertext()), h.get("level")) for h in tree.iter("heading")] == [
        ("一、第一部分", "1"), ("（一）其中一点", "2"), ("二、第二部分", "1")]
    assert tree.find(".//title").text == "一份工作总结"


def test_a_long_extract_imports_in_linear_time(seed_series, tmp_path):
    """1.5 MB of one paragraph in 28-character lines (the joining once took minutes on this)."""
    import random
    import time
    rnd = random.Random(0)
    chars = "市教育局积极稳步推进能力作风建设年活动有序有力实施改革创新工程扛稳双减工作政治责任"
    text = "".join(rnd.choice(chars) for _ in range(500_000))
    source = tmp_path / "long.txt"
    source.write_text("第12期\n2022年3月1日\n标题\n" + "\n".join(text[i:i + 28] for i in range(0, len(text), 28)),
                      encoding="utf-8")
    start = time.monotonic()
    proc = jianbao("import", "--out", "-", source, cwd=seed_series, check=True)
    assert time.monotonic() - start < 20
    assert text in proc.stdout
