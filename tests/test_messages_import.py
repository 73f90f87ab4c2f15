"""`jianbao import`, `jianbao new` and `jianbao init` in Chinese (LANG=zh_CN.UTF-8) and in English (LANG=C.UTF-8).

Each message of the importer (errors of the file read, notes on what it recognised, the comments it writes into
the YAML), of `jianbao new` and of `jianbao init` is asserted as the line a user reads, in both languages, and the
Chinese lines hold no English sentence. The scaffolds (jianbao.yaml, the CI workflow, .gitignore, the READMEs,
a new issue) carry Chinese comments under a Chinese locale and the same keys and values in both languages: the
same issue started from the Chinese and from the English scaffold builds to the same PDF text.
"""
from __future__ import annotations

import errno
import io
import random
import re
import shutil
import struct
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml

from messages import english_left, environment, invoke

HERE = Path(__file__).resolve().parent
LANGS = ("zh", "en")

# Lines of these runs that other parts of jianbao print (cli.py's summary lines, check.py's findings on the YAML
# written, issues/NNN.yaml): asserted by their own tests, left out of the English-left check of this area.
OTHERS = re.compile(r"^issues/|\(in the source text\)$|\(from .*\)$|running head|mechanical fix")


def use_locale(monkeypatch, lang: str) -> None:
    """This process's environment that of a user whose locale is `lang`'s (for what no command run reaches)."""
    for var, value in environment(lang).items():
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)


def pick(pairs, lang):
    """The lines of one language from (Chinese, English) pairs."""
    return [zh if lang == "zh" else en for zh, en in pairs]


def assert_lines(output: str, pairs, lang: str) -> None:
    lines = output.splitlines()
    for want in pick(pairs, lang):
        assert want in lines, f"{want!r} not in the output:\n{output}"
    if lang == "zh":
        for line in lines:
            if not OTHERS.search(line):
                assert english_left(line) == [], line


# ---- jianbao import: notes and the comments of the YAML ------------------------------------------------------
RICH = """\
内部资料
某县教育局
工作动态
多出来的一行
第3期（总第5期）
县教育局办公室 2022年2月30日

本期目录
一、甲项工作稳步推进
二、乙项工作取得实效
三、丙项工作有序开展
甲项工作稳步推进
一、第一部分工作
第一部分的正文写在这里。
1.更细的一层
更细一层的正文写在这里。
乙项工作取得实效
乙项工作的正文写在这里。
报：市教育局
县教育局印刷室 2022年3月1印发
这一行放不进版记
（共印100份）
"""
SOURCES = {
    "旧稿-3.txt": RICH,
    "无期号.txt": "这是一段很长的正文，没有标题，也没有期号，直接从正文开始写起，一直写到句号为止。\n第二段正文。\n",
    "稿件7.txt": "本期目录\n一、唯一的一篇文章\n唯一的一篇文章\n正文。\n",
    "第9期稿.txt": "第9期\n本期目录\n攻坚“双减”新任务 构建教育新生态 市教育局扎实推动“双减”工作取得阶段性成效\n正文段落写在这里。\n",
}
SERIES_LINE = "郑州市教育局“能力作风建设年”活动"       # the showcase series' jianbao.yaml
PRINTER = SERIES_LINE + "领导小组办公室"

IMPORT_NOTES = [
    ("旧稿-3.txt:1:1: 认不出报头的这一行：“内部资料”（已略去：报头以 jianbao.yaml 为准）",
     "旧稿-3.txt:1:1: masthead line not recognised: '内部资料' (left out: the masthead is jianbao.yaml's)"),
    ("旧稿-3.txt:2:1: 标注“某县教育局”与 jianbao.yaml 的“内部刊物 注意保存”不同（以 jianbao.yaml 为准）",
     "旧稿-3.txt:2:1: the marking '某县教育局' differs from jianbao.yaml's '内部刊物 注意保存' (jianbao.yaml's is kept)"),
    (f"旧稿-3.txt:3:1: 刊物上行“工作动态”与 jianbao.yaml 的“{SERIES_LINE}”不同（以 jianbao.yaml 为准）",
     f"旧稿-3.txt:3:1: the series line '工作动态' differs from jianbao.yaml's '{SERIES_LINE}' (jianbao.yaml's is kept)"),
    ("旧稿-3.txt:4:1: 刊名“多出来的一行”与 jianbao.yaml 的“简报”不同（以 jianbao.yaml 为准）",
     "旧稿-3.txt:4:1: the series name '多出来的一行' differs from jianbao.yaml's '简报' (jianbao.yaml's is kept)"),
    ("旧稿-3.txt:6:1: 编印单位“县教育局办公室”与 jianbao.yaml 的“领导小组办公室”不同（以 jianbao.yaml 为准）",
     "旧稿-3.txt:6:1: the editing office '县教育局办公室' differs from jianbao.yaml's '领导小组办公室' "
     "(jianbao.yaml's is kept)"),
    ("旧稿-3.txt:12:1: 本期目录列了 3 篇文章，按标题只找到 2 篇",
     "旧稿-3.txt:12:1: 本期目录 lists 3 articles, 2 found by title"),
    ("旧稿-3.txt:15:1: 标题“更细的一层”是第 3 级，却在第 1 级标题之下：按第 2 级导入（序号将按第 2 级的样式印出）",
     "旧稿-3.txt:15:1: heading '更细的一层' at level 3 under level 1: imported at level 2 "
     "(its number will print as level 2's)"),
    ("旧稿-3.txt:20:1: 印发日期“2022年3月1”缺少“日”（按 2022-03-01 读入）",
     "旧稿-3.txt:20:1: the 印发 date '2022年3月1' lacks 日 (read as 2022-03-01)"),
    (f"旧稿-3.txt:22:1: 印发机关“县教育局印刷室”与 jianbao.yaml 的“{PRINTER}”不同（以 jianbao.yaml 为准）",
     f"旧稿-3.txt:22:1: the printing office '县教育局印刷室' differs from jianbao.yaml's '{PRINTER}' "
     "(jianbao.yaml's is kept)"),
    ("旧稿-3.txt:22:1: 无法归类（在版记里），作为一段放在正文末尾：“这一行放不进版记”",
     "旧稿-3.txt:22:1: not placed (in the 版记), kept as a paragraph at the end: '这一行放不进版记'"),
    ("无期号.txt:1:1: 开头几行里没有期号（第N期）：期号和日期是推测的",
     "无期号.txt:1:1: no 期号 (第N期) found in the first lines: number and date guessed"),
    ("无期号.txt:1:1: 没有找到标题：请填写 `title:`", "无期号.txt:1:1: no title found: set `title:`"),
    ("无期号.txt:1:1: 没有找到版记（报/送/发）：沿用本刊 jianbao.yaml 的版记",
     "无期号.txt:1:1: no 版记 (报/送/发) found: the series' distribution applies"),
    ("稿件7.txt:3:1: 本期目录只有一条：按一篇文章导入", "稿件7.txt:3:1: 本期目录 with one entry: read as a single article"),
    ("第9期稿.txt:1:1: 期号后面没有日期：请填写 `date:`", "第9期稿.txt:1:1: no date after the 期号: set `date:`"),
    ("第9期稿.txt:2:1: 本期目录：没有哪篇文章以目录的第一条开头；目录各条作为段落保留",
     "第9期稿.txt:2:1: 本期目录: no article starts with its first entry; entries kept as paragraphs"),
]
YAML_COMMENTS = [
    ("# 由 `jianbao import` 从 旧稿-3.txt 导入。", "# Imported by `jianbao import` from 旧稿-3.txt."),
    ("# 原稿的刊物上行：工作动态（与 jianbao.yaml 不同）", "# source series line: 工作动态 (differs from jianbao.yaml)"),
    ("# 原稿的刊名：多出来的一行（与 jianbao.yaml 不同）", "# source series name: 多出来的一行 (differs from jianbao.yaml)"),
    ("# 原稿的标注：某县教育局（与 jianbao.yaml 不同）", "# source marking: 某县教育局 (differs from jianbao.yaml)"),
    ("# 原稿的编印单位：县教育局办公室（与 jianbao.yaml 不同）",
     "# source 编印单位: 县教育局办公室 (differs from jianbao.yaml)"),
    ("# 原稿的印发机关：县教育局印刷室（与 jianbao.yaml 不同）",
     "# source 印发机关: 县教育局印刷室 (differs from jianbao.yaml)"),
    ("      - 这一行放不进版记  # 导入时无法归类：请移到合适的位置",
     "      - 这一行放不进版记  # not placed by the importer: move it"),
    ("number: 1  # 没有找到期号：请填写", "number: 1  # 期号 not found: set it"),
    ("title: 标题  # 没有找到标题：请填写", "title: 标题  # title not found: set it"),
    ("number: 7  # 没有找到期号：取自文件名", "number: 7  # 期号 not found: taken from the file name"),
    ("title: |  # 换行位置是按原稿里的空格推测的", "title: |  # line breaks guessed from the spaces of the extract"),
]
DATE_COMMENTS = [                       # the date line: today's date, then the comment
    ("  # “2022年2月30日”不是有效的日期：请改正", "  # date '2022年2月30日' is not a date: set it"),
    ("  # 没有找到日期：请填写", "  # date not found: set it"),
]


@pytest.mark.parametrize("lang", LANGS)
def test_import_notes_and_the_comments_it_writes(lang, series, monkeypatch):
    monkeypatch.chdir(series)
    for name, text in SOURCES.items():
        (series / name).write_text(text, encoding="utf-8")
    result = invoke(["import", "--out", "-", *SOURCES], lang)
    assert result.exit_code == 0, result.output
    assert_lines(result.stderr, IMPORT_NOTES, lang)
    assert_lines(result.stdout, YAML_COMMENTS, lang)
    dates = [line for line in result.stdout.splitlines() if line.startswith("date: ")]
    for comment in pick(DATE_COMMENTS, lang):
        assert any(line.endswith(comment) for line in dates), (comment, dates)
    # the comments are comments: the issues read the same in both languages
    documents = [d for d in yaml.safe_load_all(result.stdout) if d]
    assert [d["number"] for d in documents] == [3, 1, 7, 9]
    assert documents[0]["articles"][1]["body"][-1] == "这一行放不进版记"


@pytest.mark.parametrize("lang", LANGS)
def test_an_article_before_the_first_title_of_the_contents(lang, monkeypatch):
    """A paragraph between the contents and the first article (reached by a Word document whose contents entries
    carry the Contents style): not placed, kept at the end."""
    from jianbao.importer.read import Para, Run
    from jianbao.importer.recognise import Recogniser, SeriesInfo

    use_locale(monkeypatch, lang)
    paras = [Para([Run(t)], i) for i, t in enumerate(["多出的一段。", "甲文", "正文。", "乙文", "正文。"], 1)]
    rec = Recogniser(paras, SeriesInfo(), False, None)
    rec._articles(paras, ["甲文", "乙文"])
    want = pick([("无法归类（在第一篇文章之前），作为一段放在正文末尾：“多出的一段。”",
                  "not placed (before the first article), kept as a paragraph at the end: '多出的一段。'")], lang)
    assert rec.result.notes == [(1, want[0])]


# ---- jianbao import: files it refuses ----------------------------------------------------------------------------
def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def hostile_files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    f = {}
    f["pdf"] = folder / "a.pdf"
    f["pdf"].write_bytes(b"%PDF-1.4")
    f["noext"] = folder / "稿件"
    f["noext"].write_text("第1期\n", encoding="utf-8")
    f["missing"] = folder / "missing.txt"
    f["nul"] = folder / "nul.txt"
    f["nul"].write_bytes(b"abc\x00def")
    f["control"] = folder / "ctl.txt"
    f["control"].write_text("第1期\n正文\x07。\n", encoding="utf-8")
    f["neither"] = folder / "bytes.txt"
    f["neither"].write_bytes(b"\x80\x80\xff\xff")
    f["noise"] = folder / "noise.txt"
    rnd = random.Random(2)
    f["noise"].write_bytes(bytes(rnd.randrange(0x81, 0xFE) for _ in range(20_000)))
    f["empty"] = folder / "empty.txt"
    f["empty"].write_text("\n  \n\u3000\n", encoding="utf-8")
    f["big"] = folder / "big.txt"
    with open(f["big"], "wb") as out:
        out.truncate(5 * 2 ** 20)               # sparse: refused by its size before it is read
    f["plain"] = folder / "plain.docx"
    f["plain"].write_text("第1期\n", encoding="utf-8")
    f["bigdocx"] = folder / "big.docx"
    with open(f["bigdocx"], "wb") as out:
        out.write(b"PK\x03\x04")
        out.truncate(51 * 2 ** 20)
    f["damaged"] = folder / "damaged.docx"
    f["damaged"].write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    f["parts"] = _zip(folder / "parts.docx", {f"p{i}.xml": b"<x/>" for i in range(2001)})
    f["nodoc"] = _zip(folder / "nodoc.docx", {"word/other.xml": b"<x/>"})
    f["dtd"] = _zip(folder / "dtd.docx",
                    {"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'})
    f["badxml"] = _zip(folder / "badxml.docx", {"word/document.xml": b"<a>\n<b>\n</a>"})
    f["bomb"] = _zip(folder / "bomb.docx", {"word/document.xml": b" " * (17 * 2 ** 20)})
    f["corrupt"] = _damaged(_zip(folder / "corrupt.docx", {"word/document.xml": b"<w:document/>" * 100}), "data")
    f["encrypted"] = _damaged(_zip(folder / "encrypted.docx", {"word/document.xml": b"<w:document/>"}), "flag")
    return f


def _damaged(path: Path, how: str) -> Path:
    """The package's one member with its deflated data overwritten (0xFF starts a deflate block of the reserved
    type: zlib refuses it), or marked encrypted (bit 0 of the flags, in the local and the central header)."""
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).infolist()[0]
    start = info.header_offset
    if how == "data":
        name_len, extra_len = struct.unpack("<HH", data[start + 26:start + 30])
        begin = start + 30 + name_len + extra_len
        data[begin:begin + info.compress_size] = b"\xff" * info.compress_size
    else:
        central = data.rfind(b"PK\x01\x02")
        data[start + 6] |= 1
        data[central + 8] |= 1
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("lang", LANGS)
def test_import_refuses_what_it_cannot_read_one_file_at_a_time(lang, series, monkeypatch):
    monkeypatch.chdir(series)
    files = hostile_files(Path("bad"))
    shutil.copy(HERE / "import" / "bulletin-011.txt", "bulletin-011.txt")      # issues/011.yaml exists
    bomb = zipfile.ZipFile(files["bomb"]).getinfo("word/document.xml")
    target = Path.cwd() / "issues" / "011.yaml"
    result = invoke(["import", *files.values(), "bulletin-011.txt"], lang)
    assert result.exit_code == 1
    assert_lines(result.output, [
        ("bad/a.pdf:1:1: 不能导入 .pdf 文件（应为 .docx 或 .txt 文件）",
         "bad/a.pdf:1:1: cannot import a .pdf (expected .docx or .txt)"),
        ("bad/稿件:1:1: 不能导入没有扩展名的文件（应为 .docx 或 .txt 文件）",
         "bad/稿件:1:1: cannot import a file without extension (expected .docx or .txt)"),
        ("bad/missing.txt:1:1: 打不开：找不到这个文件", "bad/missing.txt:1:1: cannot read: No such file or directory"),
        ("bad/nul.txt:1:1: 不是文本文件（含有 NUL 字节，可能是二进制文件）",
         "bad/nul.txt:1:1: not a text file (it contains NUL bytes: a binary file?)"),
        ("bad/ctl.txt:2:3: 不是文本文件（含有控制字符 U+0007）", "bad/ctl.txt:2:3: not a text file (control character U+0007)"),
        ("bad/bytes.txt:1:1: 不是 UTF-8 或 GBK/GB18030 编码的文本文件（按这两种编码都读不通）",
         "bad/bytes.txt:1:1: not a text file in UTF-8 or GBK/GB18030 (the bytes decode as neither)"),
        ("bad/noise.txt:1:1: 不是 UTF-8 或 GBK/GB18030 编码的文本文件（按 GB18030 读出来不是中文）",
         "bad/noise.txt:1:1: not a text file in UTF-8 or GBK/GB18030 (as GB18030 it reads as no Chinese text)"),
        ("bad/empty.txt:1:1: 文件里没有文字", "bad/empty.txt:1:1: no text in the file"),
        ("bad/big.txt:1:1: 文件太大，不像一期简报（5.0 MB；文本最大 4 MB）",
         "bad/big.txt:1:1: too large for a bulletin (5.0 MB; at most 4 MB of text)"),
        ("bad/plain.docx:1:1: 不是 Word 文档（.docx 文件是 zip 压缩包，这个文件不是）",
         "bad/plain.docx:1:1: not a Word document (.docx files are zip packages; this one is not)"),
        ("bad/big.docx:1:1: 文件太大（51.0 MB；最大 50 MB）", "bad/big.docx:1:1: too large (51.0 MB; at most 50 MB)"),
        ("bad/damaged.docx:1:1: 不是 Word 文档（zip 压缩包已损坏）",
         "bad/damaged.docx:1:1: not a Word document (a damaged zip package)"),
        ("bad/parts.docx:1:1: 不是 Word 文档（压缩包里有 2001 个部件）",
         "bad/parts.docx:1:1: not a Word document (2001 parts in the package)"),
        ("bad/nodoc.docx:1:1: 不是 Word 文档（压缩包里没有 word/document.xml）",
         "bad/nodoc.docx:1:1: not a Word document (no word/document.xml in the package)"),
        ("bad/dtd.docx:1:1: word/document.xml 声明了 DTD 或实体，Word 文档从不这样做：拒绝读取",
         "bad/dtd.docx:1:1: word/document.xml declares a DTD or entities, which a Word document never does: refused"),
        ("bad/badxml.docx:1:1: word/document.xml 不是格式正确的 XML（第 3 行第 5 列）",
         "bad/badxml.docx:1:1: word/document.xml is not well-formed XML (line 3, column 5)"),
        (f"bad/bomb.docx:1:1: word/document.xml 由 {bomb.compress_size} 字节解压为 {bomb.file_size} 字节："
         "拒绝读取（可能是压缩炸弹）",
         f"bad/bomb.docx:1:1: word/document.xml inflates to {bomb.file_size} bytes from {bomb.compress_size}: "
         "refused (a zip bomb?)"),
        ("bad/corrupt.docx:1:1: 不是 Word 文档（zip 压缩包已损坏）",
         "bad/corrupt.docx:1:1: not a Word document (a damaged zip package)"),
        ("bad/encrypted.docx:1:1: 不是 Word 文档（word/document.xml 是加密的）",
         "bad/encrypted.docx:1:1: not a Word document (word/document.xml is encrypted)"),
        (f"bulletin-011.txt:1:1: {target} 已经存在，没有覆盖（要替换它，请加 --force）",
         f"bulletin-011.txt:1:1: {target} exists: not overwritten (--force to replace it)"),
    ], lang)
    assert sorted(p.name for p in (series / "issues").iterdir()) == ["008.yaml", "011.yaml"]


@pytest.fixture
def chinese(monkeypatch):
    use_locale(monkeypatch, "zh")


def test_guards_no_command_reaches_speak_chinese(chinese, tmp_path):
    from jianbao.errors import JianbaoError
    from jianbao.importer import Imported, empty_series, findings
    from jianbao.importer import read

    path = tmp_path / "稿.txt"
    # reasons a file cannot be read, beyond the usual ones (a root user reads files whatever their mode)
    assert str(read._unreadable(path, PermissionError(errno.EACCES, "Permission denied"))) == \
        f"{path}:1:1: 打不开：没有读取权限"
    assert str(read._unreadable(path, OSError(errno.EIO, "设备出错"))) == f"{path}:1:1: 打不开：设备出错"

    # a zip member whose header says less than it inflates to (zipfile stops at the header's size today)
    class Lying:
        def getinfo(self, name):
            return zipfile.ZipInfo(name)

        def open(self, info):
            return io.BytesIO(b" " * (read.MAX_XML + 10))
    with pytest.raises(JianbaoError) as e:
        read._member(path, Lying(), "word/document.xml")
    assert str(e.value) == f"{path}:1:1: word/document.xml 解压后超过 {read.MAX_XML} 字节：拒绝读取（可能是压缩炸弹）"

    # the YAML the importer wrote does not load: a bug, reported as one
    broken = Imported(path, 1, "number: 一\ndate: 2022-01-01\nbody: [正文。]\n", [], 0, [])
    with pytest.raises(JianbaoError) as e:
        findings(broken, empty_series(tmp_path), tmp_path / "issues" / "001.yaml")
    first = str(e.value).splitlines()[0]
    assert first == f"{path}：由它生成的 YAML 读不进来（这是 `jianbao import` 的缺陷，请报告）："
    assert english_left(first) == []


# ---- jianbao new --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_new_refuses_to_overwrite_or_reuse_a_number(lang, series, monkeypatch):
    monkeypatch.chdir(series)
    root = Path.cwd()
    result = invoke(["new", "11"], lang)
    assert result.exit_code == 1
    assert_lines(result.output, [
        (f"{root}/issues/011.yaml：已经存在，不会覆盖（请换一个期号）",
         f"{root}/issues/011.yaml: already exists; not overwriting it (choose another number)")], lang)
    (series / "issues" / "011.yaml").rename(series / "issues" / "11.yaml")
    result = invoke(["new", "11"], lang)
    assert result.exit_code == 1
    assert_lines(result.output, [(f"第 11 期已经有了：{root}/issues/11.yaml",
                                  f"issue 11 already exists as {root}/issues/11.yaml")], lang)
    assert not (series / "issues" / "011.yaml").exists()


@pytest.mark.parametrize("lang", LANGS)
def test_new_in_a_yearly_series_refuses_to_reuse_a_number_or_a_supplement_number(lang, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke(["init", "s", "--yearly", "--install", "jianbao==1"], lang).exit_code == 0
    monkeypatch.chdir(tmp_path / "s")
    root = Path.cwd()
    assert invoke(["new", "--date", "2024-03-01"], lang).exit_code == 0
    assert invoke(["new", "--supplement", "--date", "2024-03-02"], lang).exit_code == 0
    (root / "issues/2024/001.yaml").rename(root / "issues/2024/1.yaml")
    (root / "issues/2024/z01.yaml").rename(root / "issues/2024/z1.yaml")
    output = invoke(["new", "1", "--date", "2024-04-01"], lang).output
    output += invoke(["new", "1", "--supplement", "--date", "2024-04-01"], lang).output
    assert_lines(output, [
        (f"2024 年第 1 期已经有了：{root}/issues/2024/1.yaml", f"issue 1 of 2024 already exists as {root}/issues/2024/1.yaml"),
        (f"2024 年增刊第 1 期已经有了：{root}/issues/2024/z1.yaml",
         f"supplement 1 of 2024 already exists as {root}/issues/2024/z1.yaml"),
    ], lang)
    # in a series without years
    (root / "jianbao.yaml").write_text((root / "jianbao.yaml").read_text(encoding="utf-8").replace(
        "yearly: true", "yearly: false"), encoding="utf-8")
    (root / "issues/z1.yaml").write_bytes((root / "issues/2024/z1.yaml").read_bytes())
    output = invoke(["new", "1", "--supplement", "--date", "2024-04-01"], lang).output
    assert_lines(output, [(f"增刊第 1 期已经有了：{root}/issues/z1.yaml",
                           f"supplement 1 already exists as {root}/issues/z1.yaml")], lang)


@pytest.mark.parametrize("lang", LANGS)
def test_new_cannot_carry_over_the_distribution_of_a_broken_issue(lang, series, monkeypatch):
    monkeypatch.chdir(series)
    newest = Path.cwd() / "issues" / "011.yaml"
    newest.write_text("number: 11\ndate: 2022-02-15\ntitel: x\nbody: [a]\n", encoding="utf-8")
    result = invoke(["new"], lang)
    assert result.exit_code == 1 and not (series / "issues" / "012.yaml").exists()
    first = result.output.splitlines()[0]
    prefix = {"zh": f"无法沿用 {newest} 的版记：{newest}:",
              "en": f"cannot carry the distribution over from {newest}: {newest}:"}[lang]
    assert first.startswith(prefix), first
    if lang == "zh":                         # what follows is the schema's message (its own area)
        assert english_left(prefix) == []


def test_new_refuses_a_number_below_one(chinese, series):
    from jianbao import api
    from jianbao.errors import JianbaoError
    import datetime as dt

    with pytest.raises(JianbaoError) as e:
        api.new_issue(series, 0, dt.date(2024, 1, 1))
    assert str(e.value) == "期号应为 1 或更大，不能是 0"


# ---- jianbao init ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_init_refuses_a_bad_requirement_an_existing_series_and_a_file(lang, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("taken").mkdir()
    Path("taken/.gitignore").write_text("mine\n", encoding="utf-8")
    Path("a-file").write_text("x", encoding="utf-8")
    output = "".join(invoke(args, lang).output for args in (
        ["init", "new-series", "--install", ""], ["init", "taken", "--install", "x"],
        ["init", "a-file", "--install", "x"]))
    assert_lines(output, [
        ("--install：“”不是 pip 能安装的要求（应为一行：git 地址、名称==版本，或路径）",
         "--install: '' is not a pip requirement (one line: a git URL, name==version or path)"),
        ("taken：里面已有 taken/.gitignore；不会覆盖（请换一个新文件夹）",
         "taken: already holds taken/.gitignore; not overwriting (init a new folder)"),
        ("a-file：这是一个文件，不是文件夹", "a-file: is a file, not a folder"),
    ], lang)
    assert Path("taken/.gitignore").read_text(encoding="utf-8") == "mine\n" and not Path("new-series").exists()


def comments(text: str) -> list[str]:
    """The comments of a YAML file (whole lines and the ends of lines), shell comments of `run:` scripts too."""
    out = []
    for line in text.splitlines():
        m = re.match(r"^\s*#\s?(.*)$", line) or re.search(r"\s#\s(.*)$", line)
        if m:
            out.append(m.group(1))
    return out


def without_comments(text: str) -> list[str]:
    return [re.sub(r"\s+#\s.*$", "", line).rstrip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def run_scripts_without_comments(flow: dict) -> dict:
    for step in flow["jobs"]["build"]["steps"]:
        if "run" in step:
            step["run"] = "\n".join(line for line in step["run"].splitlines() if not line.lstrip().startswith("#"))
    return flow


INIT = ["--series", "县发展改革委", "--name", "工作简报", "--editor", "县发展改革委办公室",
        "--printer", "某某县发展和改革委员会办公室", "--install", "git+https://example.org/tools/jianbao@v0.1.0"]
CHINESE_COMMENTS = {
    "jianbao.yaml": ["# 报头：第一页顶端的红色部分", '  # 左上角的标注（内部资料、内部刊物 注意保存…）；不要标注就写 ""',
                     "# 印发机关，印在最后一行（… 2024年1月30日印发）", "# 本仓库最早一期是总第几期：其余各期由 jianbao 往下数"],
    ".gitignore": ["# 字体文件按单位授权，从不提交：见 fonts/README.md"],
    ".github/workflows/bulletins.yml": ["  # `pip install` 安装的 jianbao，版本固定，每次运行都用同一个 jianbao。可以是 git 地址",
                                        "          # Fandol 字体（仿宋、黑体、楷体、宋体），从 texlive-lang-chinese 包里取出，不必安装 TeX"],
    "issues/README.md": ["每期一个文件，以期号命名：`001.yaml`、`002.yaml` …（按年编号的刊物放在当年的文件夹里："
                         "`2024/001.yaml`）；增刊是 `z01.yaml`，单独编号。`jianbao new` 写出下一期；`jianbao build` "
                         "把各期都生成到 `build/` 里。"],
    "fonts/README.md": ["# fonts/：本刊的正式字体（从不提交）", "## 单位从哪里合法取得这些字体"],
    "issues/001.yaml": ["title: 请在此填写标题   # 长标题自动分成长短均衡的几行；要在某处换行就在那里另起一行",
                        "# 版记（报/送/发），沿用 jianbao.yaml 的；本期如有不同请修改。", "number: 1          # 期号：须与文件名一致",
                        "# total: 58          # 可不写：总第58期"],
    "issues/2024/001.yaml": ["# total:             # 总第：由 jianbao 按 jianbao.yaml 的 `first_total:` 往下数",
                             "# 2024年第1期：本简报的一期（全刊的设置在 ../../jianbao.yaml）。"],
    "issues/2024/z01.yaml": ["number: 1          # 期号：须与文件名一致（增刊：单独编号，文件名 zNN.yaml）", "# 增刊没有总第",
                             "# 版记（报/送/发），沿用 issues/2024/001.yaml 的；本期如有不同请修改。"],
}


def pdf_text(path: Path) -> str:
    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def scaffold(tmp_path, monkeypatch, lang: str, yearly: bool) -> Path:
    """A series started and its first issue(s) built as a user of `lang` does."""
    folder = tmp_path / f"{lang}-{'yearly' if yearly else 'flat'}"
    monkeypatch.chdir(tmp_path)
    extra = ["--yearly", "--first-total", "58"] if yearly else []
    assert invoke(["init", folder.name, *INIT, *extra], lang).exit_code == 0
    monkeypatch.chdir(folder)
    assert invoke(["new", "--date", "2024-03-01"], lang).exit_code == 0
    if yearly:
        assert invoke(["new", "--supplement", "--date", "2024-03-02"], lang).exit_code == 0
    result = invoke(["build"], lang)
    assert result.exit_code == 0, result.output
    return folder


@pytest.mark.parametrize("yearly", [False, True], ids=["flat", "yearly"])
def test_the_scaffolds_teach_in_chinese_and_build_the_same_issue(yearly, tmp_path, monkeypatch):
    zh, en = (scaffold(tmp_path, monkeypatch, lang, yearly) for lang in LANGS)
    written = sorted(p.relative_to(zh).as_posix() for p in zh.rglob("*") if p.is_file() and "build" not in p.parts)
    assert written == sorted(p.relative_to(en).as_posix() for p in en.rglob("*") if p.is_file()
                             and "build" not in p.parts)
    for rel in written:
        zh_text, en_text = ((folder / rel).read_text(encoding="utf-8") for folder in (zh, en))
        assert zh_text != en_text, f"{rel}: not translated"
        for want in CHINESE_COMMENTS.get(rel, []):
            assert want in zh_text.splitlines(), (rel, want)
        if rel.endswith(".md"):
            assert english_left(zh_text, {"readme", "fandol", "ar", "pl"}) == [], rel
            continue
        assert english_left("\n".join(comments(zh_text))) == [], rel
        # the same keys and values: comments are all that differs
        if rel.endswith(".yml"):
            assert run_scripts_without_comments(yaml.safe_load(zh_text)) == \
                run_scripts_without_comments(yaml.safe_load(en_text))
        elif rel.endswith(".yaml"):
            assert yaml.safe_load(zh_text) == yaml.safe_load(en_text), rel
        assert without_comments(zh_text) == without_comments(en_text), rel
    pdfs = sorted(p.relative_to(en).as_posix() for p in (en / "build").rglob("*.pdf"))
    assert pdfs == (["build/2024/001.pdf", "build/2024/z01.pdf"] if yearly else ["build/001.pdf"])
    for rel in pdfs:
        text = pdf_text(zh / rel)
        assert "请在此填写标题" in text and "县发展改革委办公室" in text
        assert text == pdf_text(en / rel), rel
