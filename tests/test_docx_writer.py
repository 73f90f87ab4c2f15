"""The DOCX writer (src/jianbao/writers/docx.py): the XML that matters, and a LibreOffice render measured.

The XML tests open the written file and check what Word, WPS and LibreOffice read: styles with the official
East Asian faces and no theme fonts, the page and grid, exact spacing, odd/even footers with PAGE fields, the
distribution block (a table in a bottom-anchored text box), emphasis, deterministic bytes.

The tests marked `soffice` convert the seed issues with LibreOffice (one call for the module) and measure the
PDF with pdfplumber; they are skipped without `soffice` or the Fandol fonts.
"""
from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from lxml import etree

import jianbao
from jianbao import api
from jianbao.layout import lay_out
from jianbao.writers.docx import write
from jianbao.errors import JianbaoError
from jianbao.stylesheet import load_stylesheet

REPO = Path(__file__).resolve().parent.parent
LAYOUT = Path(jianbao.__file__).resolve().parent / "templates" / "default" / "layout.yaml"
FONTS_CONF = Path(jianbao.__file__).resolve().parent / "data" / "fonts.conf"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dcterms": "http://purl.org/dc/terms/",
}
MM = 72 / 25.4

# Every element of docs/tree.md once.
SAMPLE = """\
<bulletin number="3" date="2022-03-01" printed="2022-03-01">
  <masthead>
    <marking>内部资料 注意保存</marking>
    <series>县发展改革委“能力作风建设年”活动</series>
    <name>简报</name>
    <issue-number>第3期（总第58期）</issue-number>
    <editor>县发展改革委办公室</editor>
    <date>2022年3月1日</date>
  </masthead>
  <contents>
    <contents-title>本期目录</contents-title>
    <contents-entry>县发展改革委召开推进会</contents-entry>
    <contents-entry>第二篇文章的标题</contents-entry>
  </contents>
  <note><note-label>编者按：</note-label>编者按的第一段，请各单位结合实际抓好落实。</note>
  <note>编者按的第二段。</note>
  <article>
    <title line="3">县发展改革委召开推进会<br/>部署全年工作</title>
    <subtitle>——副标题</subtitle>
    <para line="5">正文第一段，<em>强调内容</em>，其后是普通文字。</para>
    <heading level="1"><num>一、</num>一级标题</heading>
    <heading level="2"><num>（一）</num>二级标题</heading>
    <heading level="3"><num>1.</num>三级标题</heading>
    <heading level="4"><num>（1）</num>四级标题</heading>
    <para><runin level="2"><num>（一）</num>加强组织领导。</runin>召开专题党组会，<em>研究部署</em>各项工作。</para>
    <source>（县发展改革委供稿）</source>
  </article>
  <article>
    <title>第二篇文章的标题</title>
    <para>第二篇的正文。</para>
  </article>
  <distribution>
    <recipients><label>报：</label>市发展改革委</recipients>
    <recipients><label>发：</label>各乡镇人民政府、县直各单位、县发展改革委机关各科室、各二级机构、各有关企业</recipients>
    <copies>（共印200份）</copies>
    <printing><printer>县发展改革委办公室</printer><printed>2022年3月1日印发</printed></printing>
  </distribution>
</bulletin>
"""

STYLE_NAMES = {  # style id → name; Normal and Title are Word's built-ins (正文, 标题 in Chinese Word/WPS)
    "Normal": "Normal", "Title": "Title", "Subtitle": "Subtitle",
    "Marking": "报头标注", "Series": "报头上行", "MastheadName": "报头名称", "IssueNumber": "期号",
    "EditorDate": "编印单位日期", "ContentsTitle": "目录标题", "Contents": "目录", "EditorNote": "编者按",
    "Heading1": "一级标题", "Heading2": "二级标题", "Heading3": "三级标题", "Heading4": "四级标题",
    "Source": "供稿单位", "Distribution": "版记", "Printing": "印发", "PageNumber": "页码",
    "EditorNoteLabel": "编者按标签", "Heading1Char": "一级标题字符", "Heading2Char": "二级标题字符",
}
STYLE_ROLES = {
    "Normal": "para", "Title": "title", "Subtitle": "subtitle", "Marking": "marking", "Series": "series",
    "MastheadName": "name", "IssueNumber": "issue-number", "EditorDate": "editor", "ContentsTitle": "contents-title",
    "Contents": "contents-entry", "EditorNote": "note", "Heading1": "heading-1", "Heading2": "heading-2",
    "Heading3": "heading-3", "Heading4": "heading-4", "Source": "source", "Distribution": "recipients",
    "Printing": "printing", "PageNumber": "page-number", "EditorNoteLabel": "note-label",
    "Heading2Char": "heading-2",
}


# ---------------------------------------------------------------------------------------------------------------
# helpers

def w(name: str) -> str:
    return f"{{{W}}}{name}"


def wattr(el, name):
    return el.get(w(name))


_FONTS = {}


def render(tree, style) -> bytes:
    """The DOCX of a document tree: laid out with the repository's fonts, then written."""
    if "book" not in _FONTS:
        _FONTS["book"] = api.Context.for_root(REPO).fonts
    buf = io.BytesIO()
    write(tree, lay_out(tree, style, _FONTS["book"]), style, buf)
    return buf.getvalue()


class Docx:
    """The parts of a written .docx, parsed."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = self.zip.namelist()
        self.document = self.xml("word/document.xml")
        self.styles = self.xml("word/styles.xml")
        self.settings = self.xml("word/settings.xml")

    def xml(self, name):
        return etree.fromstring(self.zip.read(name))

    def style(self, sid):
        found = self.styles.xpath(f"w:style[@w:styleId='{sid}']", namespaces=NS)
        assert found, f"no style {sid}"
        return found[0]

    def footers(self):
        """{'default': root, 'even': root} through the section's footer references."""
        rels = etree.fromstring(self.zip.read("word/_rels/document.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        out = {}
        for ref in self.document.xpath("//w:sectPr/w:footerReference", namespaces=NS):
            rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            out[wattr(ref, "type")] = self.xml("word/" + target[rid])
        return out

    def body_paragraphs(self):
        return self.document.xpath("/w:document/w:body/w:p", namespaces=NS)

    def text(self, p):
        return "".join(p.xpath("./w:r/w:t/text()", namespaces=NS))


@pytest.fixture(scope="module")
def style():
    return load_stylesheet(LAYOUT)


@pytest.fixture(scope="module")
def sample(style):
    return Docx(render(ET.fromstring(SAMPLE), style))


@pytest.fixture(scope="module")
def seed(style):
    return Docx(render(api.build_tree(REPO / "issues" / "011.yaml"), style))


# ---------------------------------------------------------------------------------------------------------------
# package, defaults, settings

def test_python_docx_opens_it_and_sees_the_styles(sample):
    import docx

    d = docx.Document(io.BytesIO(sample.data))
    names = [p.style.name for p in d.paragraphs]
    assert names[:4] == ["报头标注", "报头上行", "报头名称", "期号"]
    assert "Title" in names and "一级标题" in names and "二级标题" in names and "供稿单位" in names
    assert any(p.text == "正文第一段，强调内容，其后是普通文字。" and p.style.name == "Normal" for p in d.paragraphs)


def test_template_leftovers_are_gone(sample):
    """No theme fonts, Letter size, space after 200, ja-JP, thumbnail, stylesWithEffects (WPS asks for fonts)."""
    for name in sample.names:
        if name.endswith(".xml") and name != "word/theme/theme1.xml":
            text = sample.zip.read(name).decode("utf-8")
            assert not re.search(r'w:(ascii|hAnsi|eastAsia|cs)Theme=|w:cstheme=', text), name
            assert "ja-JP" not in text, name
    assert not any("thumbnail" in n or "stylesWithEffects" in n or n.startswith("customXml") for n in sample.names)
    assert 'w:after="200"' not in sample.zip.read("word/styles.xml").decode()


def test_doc_defaults_are_the_body_face_16pt_chinese(sample, style):
    rpr = sample.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = rpr.find("w:rFonts", NS)
    assert wattr(fonts, "eastAsia") == style.fonts["fangsong"][0] == "仿宋_GB2312"
    assert wattr(fonts, "ascii") == wattr(fonts, "hAnsi") == style.latin
    assert wattr(rpr.find("w:sz", NS), "val") == "32"
    assert wattr(rpr.find("w:lang", NS), "eastAsia") == "zh-CN"
    spacing = sample.styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:spacing", NS)
    assert (wattr(spacing, "line"), wattr(spacing, "lineRule"), wattr(spacing, "after")) == ("579", "exact", "0")


def test_settings_even_and_odd_footers_chinese_theme_language(sample):
    s = sample.settings
    assert s.find("w:evenAndOddHeaders", NS) is not None
    assert wattr(s.find("w:themeFontLang", NS), "eastAsia") == "zh-CN"
    assert wattr(s.find("w:characterSpacingControl", NS), "val") == "doNotCompress"
    children = [etree.QName(c).localname for c in s]
    assert children.index("evenAndOddHeaders") < children.index("characterSpacingControl") < children.index("compat")


def test_font_table_names_the_official_faces_with_alternatives(sample):
    fonts = sample.xml("word/fontTable.xml")
    names = {wattr(f, "name"): f for f in fonts}
    for face, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("黑体", "SimHei"), ("宋体", "SimSun"),
                      ("方正小标宋简体", "方正小标宋_GBK")):
        assert wattr(names[face].find("w:altName", NS), "val") == alt
        assert wattr(names[face].find("w:charset", NS), "val") == "86"
    assert "Times New Roman" in names


def test_core_properties_are_fixed_from_the_bulletin(sample):
    core = sample.xml("docProps/core.xml")
    assert core.find("dcterms:created", NS).text == "2022-03-01T00:00:00Z"
    assert core.find("dcterms:modified", NS).text == "2022-03-01T00:00:00Z"
    assert core.find("cp:revision", NS).text == "1"
    assert "python-docx" not in sample.zip.read("docProps/core.xml").decode()


def test_output_is_byte_identical_and_zip_entries_are_dated_and_ordered(style):
    tree = ET.fromstring(SAMPLE)
    a, b = render(tree, style), render(ET.fromstring(SAMPLE), style)
    assert a == b
    z = zipfile.ZipFile(io.BytesIO(a))
    assert z.namelist()[0] == "[Content_Types].xml"
    assert {i.date_time for i in z.infolist()} == {(2022, 3, 1, 0, 0, 0)}


def test_seed_issue_is_byte_identical_twice(style, seed):
    again = render(api.build_tree(REPO / "issues" / "011.yaml"), style)
    assert again == seed.data


# ---------------------------------------------------------------------------------------------------------------
# page, grid, styles

def test_page_a4_margins_and_line_grid(sample):
    sect = sample.document.find("w:body/w:sectPr", NS)
    pg = sect.find("w:pgSz", NS)
    assert (wattr(pg, "w"), wattr(pg, "h")) == ("11906", "16838")
    mar = sect.find("w:pgMar", NS)
    assert {k: wattr(mar, k) for k in ("top", "bottom", "left", "right")} == \
        {"top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}  # 37/35/28/26 mm
    # page number dashes 7 mm under the text block: footer distance about 25 mm
    assert 24 * 56.7 < int(wattr(mar, "footer")) < 26.5 * 56.7
    grid = sect.find("w:docGrid", NS)
    assert (wattr(grid, "type"), wattr(grid, "linePitch")) == ("lines", "579")
    assert wattr(grid, "charSpace") is None


def test_styles_exist_with_their_names_and_official_faces(sample, style):
    for sid, name in STYLE_NAMES.items():
        s = sample.style(sid)
        assert wattr(s.find("w:name", NS), "val") == name
        role = style.role(STYLE_ROLES.get(sid, "para")) if sid in STYLE_ROLES else None
        fonts = s.find("w:rPr/w:rFonts", NS)
        if role is not None:
            assert wattr(fonts, "eastAsia") == style.fonts[role.font][0], sid
            assert wattr(fonts, "ascii") == wattr(fonts, "hAnsi") == style.latin, sid
            assert wattr(fonts, "hint") == "eastAsia"
            assert wattr(s.find("w:rPr/w:sz", NS), "val") == str(round(role.size * 2)), sid
    assert wattr(sample.style("Heading1").find("w:rPr/w:rFonts", NS), "eastAsia") == "黑体"
    assert wattr(sample.style("Heading2").find("w:rPr/w:rFonts", NS), "eastAsia") == "楷体_GB2312"
    assert wattr(sample.style("Title").find("w:rPr/w:rFonts", NS), "eastAsia") == "方正小标宋简体"
    assert wattr(sample.style("PageNumber").find("w:rPr/w:rFonts", NS), "eastAsia") == "宋体"


def test_body_style_grid_spacing_indent_and_justification(sample):
    normal = sample.style("Normal")
    assert wattr(normal, "default") == "1"
    sp = normal.find("w:pPr/w:spacing", NS)
    assert (wattr(sp, "line"), wattr(sp, "lineRule"), wattr(sp, "before"), wattr(sp, "after")) == \
        ("579", "exact", "0", "0")
    ind = normal.find("w:pPr/w:ind", NS)
    assert (wattr(ind, "firstLineChars"), wattr(ind, "firstLine")) == ("200", "640")
    assert wattr(normal.find("w:pPr/w:jc", NS), "val") == "both"
    # 28 characters a line: 16 pt less 0.25 pt (the 15.79 pt cell, rounded down to Word's 1/20 pt)
    assert wattr(normal.find("w:rPr/w:spacing", NS), "val") == "-5"
    assert wattr(sample.style("Heading1").find("w:rPr/w:spacing", NS), "val") == "-5"
    assert wattr(sample.style("Title").find("w:rPr/w:spacing", NS), "val") == "0"


def test_hanging_punctuation_follows_the_style_sheet(sample, style):
    import dataclasses

    # the default does not hang: 1 is how LibreOffice reads "do not hang" (it inverts the attribute)
    assert not style.body.hanging_punctuation and style.docx.overflow_punct_for_libreoffice
    assert wattr(sample.style("Normal").find("w:pPr/w:overflowPunct", NS), "val") == "1"
    word = dataclasses.replace(style, docx=dataclasses.replace(style.docx, overflow_punct_for_libreoffice=False))
    doc = Docx(render(ET.fromstring(SAMPLE), word))
    assert wattr(doc.style("Normal").find("w:pPr/w:overflowPunct", NS), "val") == "0"   # Word's "do not hang"
    on = dataclasses.replace(style, body=dataclasses.replace(style.body, hanging_punctuation=True))
    doc = Docx(render(ET.fromstring(SAMPLE), on))
    assert doc.style("Normal").find("w:pPr/w:overflowPunct", NS) is None  # Word's default: hang


def test_headings_and_title_keep_with_next_title_centred(sample):
    for sid in ("Title", "Heading1", "Heading2", "Heading3", "Heading4"):
        assert sample.style(sid).find("w:pPr/w:keepNext", NS) is not None, sid
        assert sample.style(sid).find("w:pPr/w:outlineLvl", NS) is not None, sid
    assert wattr(sample.style("Title").find("w:pPr/w:jc", NS), "val") == "center"
    assert wattr(sample.style("Source").find("w:pPr/w:jc", NS), "val") == "right"
    # the note's sides are two grid cells (2 × 15.75 pt), not two 16 pt "characters" (leftChars): LibreOffice
    # and Word count those at the font size, and the note's lines would hold a character less than the PDF's
    note = sample.style("EditorNote").find("w:pPr/w:ind", NS)
    assert (wattr(note, "leftChars"), wattr(note, "left"), wattr(note, "rightChars"), wattr(note, "right")) == \
        (None, "630", None, "630")
    assert (wattr(note, "firstLineChars"), wattr(note, "firstLine")) == ("200", "640")
    # contents entries wrap under the entry text, one character further in
    entry = sample.style("Contents").find("w:pPr/w:ind", NS)
    assert (wattr(entry, "left"), wattr(entry, "hangingChars"), wattr(entry, "hanging")) == ("945", "100", "320")


def _masthead_docx(style, name: str, series: str) -> "Docx":
    tree = ET.fromstring(SAMPLE)
    tree.find("masthead/name").text = name
    tree.find("masthead/series").text = series
    return Docx(render(tree, style))


def test_a_long_masthead_name_loses_spacing_then_size(style):
    doc = _masthead_docx(style, "全省优化营商环境工作简报", "某某县发展和改革委员会")
    p = doc.body_paragraphs()[2]
    runs = p.findall("w:r", NS)
    assert "".join(doc.text(p).split()) == "全省优化营商环境工作简报"
    sizes = {wattr(r.find("w:rPr/w:sz", NS), "val") for r in runs}
    assert len(sizes) == 1 and int(sizes.pop()) / 2 < style.role("name").size     # every run smaller, the same
    # the 12 characters at that size fit the text width (8845 twips, less a quarter character of room)
    size = int(wattr(runs[0].find("w:rPr/w:sz", NS), "val")) / 2
    assert 12 * size * 20 <= 8845
    # a short name keeps its size and its letter spacing
    doc = _masthead_docx(style, "简报", "某某县发展和改革委员会")
    runs = doc.body_paragraphs()[2].findall("w:r", NS)
    assert all(r.find("w:rPr/w:sz", NS) is None for r in runs)


def test_a_series_line_too_long_for_its_minimum_size_takes_two_lines(style):
    series = "中共某某省委全面深化改革委员会办公室暨某某省优化营商环境工作领导小组办公室"
    doc = _masthead_docx(style, "简报", series)
    p = doc.body_paragraphs()[1]
    assert wattr(p.find("w:pPr/w:pStyle", NS), "val") == "Series"
    texts = [t.text for t in p.iter(w("t"))]
    assert texts == ["中共某某省委全面深化改革委员会办公室", "暨某某省优化营商环境工作领导小组办公室"]
    assert len(p.findall("w:r/w:br", NS)) == 1
    sizes = [int(wattr(r.find("w:rPr/w:sz", NS), "val")) / 2 for r in p.findall("w:r", NS) if r.find("w:t", NS) is not None]
    assert len(set(sizes)) == 1 and style.role("series").fit_min <= sizes[0] <= style.role("series").size


def test_paragraphs_reference_styles(sample):
    styles = [wattr(p.find("w:pPr/w:pStyle", NS), "val") if p.find("w:pPr/w:pStyle", NS) is not None else "Normal"
              for p in sample.body_paragraphs()]
    assert styles[:5] == ["Marking", "Series", "MastheadName", "IssueNumber", "EditorDate"]
    for sid in ("ContentsTitle", "Contents", "EditorNote", "Title", "Subtitle", "Heading1", "Heading2",
                "Heading3", "Heading4", "Source"):
        assert sid in styles
    # no direct fonts on body runs: the styles say it
    for r in sample.document.xpath("/w:document/w:body/w:p/w:r/w:rPr/w:rFonts", namespaces=NS):
        assert set(r.attrib) == {w("hint")}


# ---------------------------------------------------------------------------------------------------------------
# masthead, inline content

def test_masthead_red_runs_spaced_name_and_red_rule(sample, style):
    for sid in ("Series", "MastheadName"):
        assert wattr(sample.style(sid).find("w:rPr/w:color", NS), "val") == "FF0000"
    name = sample.style("MastheadName")
    assert wattr(name.find("w:rPr/w:spacing", NS), "val") == str(round(style.role("name").spacing * 20))
    assert name.find("w:rPr/w:b", NS) is not None
    editor = next(p for p in sample.body_paragraphs() if p.find("w:pPr/w:pStyle[@w:val='EditorDate']", NS) is not None)
    assert sample.text(editor) == "县发展改革委办公室2022年3月1日"
    assert editor.find("w:r/w:tab", NS) is not None
    tab = sample.style("EditorDate").find("w:pPr/w:tabs/w:tab", NS)
    assert (wattr(tab, "val"), wattr(tab, "pos")) == ("right", "8845")
    bottom = editor.find("w:pPr/w:pBdr/w:bottom", NS)
    assert (wattr(bottom, "val"), wattr(bottom, "sz"), wattr(bottom, "color")) == ("single", "18", "FF0000")


def test_double_rule_option(style):
    import dataclasses

    masthead = dataclasses.replace(style.masthead, rule=dataclasses.replace(style.masthead.rule, double=True))
    doc = Docx(render(ET.fromstring(SAMPLE), dataclasses.replace(style, masthead=masthead)))
    bottom = doc.document.find(".//w:pBdr/w:bottom", NS)
    assert wattr(bottom, "val") == "thickThinSmallGap"


def test_masthead_ends_on_the_grid(sample, style):
    """Masthead heights + rule + blank line add up to whole grid lines (a few twips short), so the body that follows
    sits on the grid and page 1 keeps its 22nd line."""
    total = 0
    for p in sample.body_paragraphs()[:5]:
        sp = p.find("w:pPr/w:spacing", NS)
        total += int(wattr(sp, "line")) + int(wattr(sp, "before")) + int(wattr(sp, "after"))
        bd = p.find("w:pPr/w:pBdr/w:bottom", NS)
        if bd is not None:
            total += int(wattr(bd, "space")) * 20 + int(wattr(bd, "sz")) * 20 / 8
    rest = (-total) % 579
    assert 0 <= rest <= 20 or total % 579 == 0
    assert sample.body_paragraphs()[4].find("w:pPr/w:snapToGrid", NS) is not None


def test_emphasis_is_bold(seed):
    bold = seed.document.xpath("//w:body/w:p/w:r[w:rPr/w:b]/w:t/text()", namespaces=NS)
    assert "一是构建组织体系。" in bold
    assert all(not t.startswith("市、县两级") for t in bold)


def test_run_in_heading_takes_the_heading_character_style(sample):
    p = next(p for p in sample.body_paragraphs() if sample.text(p).startswith("（一）加强组织领导。"))
    runs = p.findall("w:r", NS)
    assert [wattr(r.find("w:rPr/w:rStyle", NS), "val") if r.find("w:rPr/w:rStyle", NS) is not None else None
            for r in runs][:2] == ["Heading2Char", "Heading2Char"]
    assert p.find("w:pPr/w:pStyle", NS) is None  # the paragraph itself is 正文
    assert any(r.find("w:rPr/w:b", NS) is not None and r.find("w:t", NS).text == "研究部署" for r in runs)


def test_note_label_in_hei_text_in_kai(sample):
    p = next(p for p in sample.body_paragraphs() if sample.text(p).startswith("编者按："))
    first = p.find("w:r", NS)
    assert first.find("w:t", NS).text == "编者按："
    assert wattr(first.find("w:rPr/w:rStyle", NS), "val") == "EditorNoteLabel"
    assert wattr(sample.style("EditorNoteLabel").find("w:rPr/w:rFonts", NS), "eastAsia") == "黑体"
    assert wattr(sample.style("EditorNote").find("w:rPr/w:rFonts", NS), "eastAsia") == "楷体_GB2312"


def test_title_breaks_become_line_breaks(sample, seed):
    title = next(p for p in sample.body_paragraphs() if p.find("w:pPr/w:pStyle[@w:val='Title']", NS) is not None)
    assert len(title.findall("w:r/w:br", NS)) == 1
    assert sample.text(title) == "县发展改革委召开推进会部署全年工作"
    # a forced line longer than the measure is balanced as the PDF balances it: three even lines, not 20 + 1
    title = next(p for p in seed.body_paragraphs() if p.find("w:pPr/w:pStyle[@w:val='Title']", NS) is not None)
    lines = "".join(r.findtext("w:t", "", NS) if r.find("w:br", NS) is None else "\n"
                    for r in title.findall("w:r", NS)).split("\n")
    assert len(lines) == 3 and max(len(x) for x in lines) <= 20


def test_quotes_and_dashes_get_the_east_asian_hint(sample):
    for r in sample.document.xpath("//w:body/w:p/w:r[w:t]", namespaces=NS):
        t = r.find("w:t", NS).text
        if any(ch in t for ch in "“”—…"):
            assert wattr(r.find("w:rPr/w:rFonts", NS), "hint") == "eastAsia", t


def test_unknown_element_raises(style):
    with pytest.raises(JianbaoError, match="unknown element <chart>"):
        render(ET.fromstring("<bulletin><article><chart/></article></bulletin>"), style)
    with pytest.raises(JianbaoError, match="<bulletin>"):
        render(ET.fromstring("<article/>"), style)


# ---------------------------------------------------------------------------------------------------------------
# footers

def test_footers_odd_right_even_left_with_page_field(sample):
    footers = sample.footers()
    assert set(footers) == {"default", "even"}
    for kind, jc, side in (("default", "right", "right"), ("even", "left", "left")):
        p = footers[kind].find("w:p", NS)
        assert wattr(p.find("w:pPr/w:pStyle", NS), "val") == "PageNumber"
        assert wattr(p.find("w:pPr/w:jc", NS), "val") == jc
        ind = p.find("w:pPr/w:ind", NS)
        assert wattr(ind, side) == "280" and wattr(ind, side + "Chars") == "100"  # one 14 pt character
        kinds = [wattr(f, "fldCharType") for f in p.iter(w("fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert p.find("w:r/w:instrText", NS).text.strip() == "PAGE"
        texts = [t.text for t in p.iter(w("t"))]
        assert texts[0] == "— " and texts[-1] == " —"
    pn = sample.style("PageNumber")
    assert wattr(pn.find("w:rPr/w:sz", NS), "val") == "28"


# ---------------------------------------------------------------------------------------------------------------
# distribution block

def test_distribution_is_a_table_in_a_bottom_anchored_text_box(sample):
    last = sample.body_paragraphs()[-1]
    assert sample.document.find("w:body", NS)[-1].tag == w("sectPr")
    anchor = last.find(".//mc:Choice/w:drawing/wp:anchor", NS)
    assert anchor is not None
    assert last.find(".//mc:Fallback/w:pict/v:rect", NS) is not None  # VML copy for old readers
    pos = anchor.find("wp:positionV", NS)
    assert pos.get("relativeFrom") == "margin" and pos.findtext("wp:align", None, NS) == "bottom"
    assert anchor.find("wp:positionH", NS).get("relativeFrom") == "margin"
    assert anchor.find("wp:wrapTopAndBottom", NS) is not None
    tbl = anchor.find(".//wps:txbx/w:txbxContent/w:tbl", NS)
    assert [wattr(g, "w") for g in tbl.findall("w:tblGrid/w:gridCol", NS)] == ["8845"]
    borders = {etree.QName(b).localname: b for b in tbl.find("w:tblPr/w:tblBorders", NS)}
    assert list(borders) == ["top", "left", "bottom", "right", "insideH", "insideV"]
    assert (wattr(borders["top"], "sz"), wattr(borders["bottom"], "sz"), wattr(borders["insideH"], "sz")) == \
        ("8", "8", "6")  # 0.35 mm, 0.35 mm, 0.25 mm in eighths of a point
    for side in ("left", "right", "insideV"):
        assert wattr(borders[side], "val") == "nil"
    rows = tbl.findall("w:tr", NS)
    assert len(rows) == 2  # recipients, then the printing row under the thin rule
    heights = [wattr(r.find("w:trPr/w:trHeight", NS), "val") for r in rows]
    assert [wattr(r.find("w:trPr/w:trHeight", NS), "hRule") for r in rows] == ["exact", "exact"]
    assert heights == [str(3 * 579), str(579)]  # 报 1 line + 发 2 lines (the print run on its last); printing
    extent = anchor.find("wp:extent", NS)
    assert int(extent.get("cy")) == 4 * 579 * 635 and int(extent.get("cx")) == 8845 * 635
    # the text box sits in a paragraph of its own that takes no line of the grid
    assert wattr(last.find("w:pPr/w:spacing", NS), "line") == "1"


def test_recipient_lines_hang_after_the_label(sample):
    tbl = sample.document.find(".//mc:Choice//w:tbl", NS)
    rec = tbl.findall("w:tr", NS)[0].findall("w:tc/w:p", NS)
    assert [sample.text(p)[:2] for p in rec] == ["报：", "发："]
    for p in rec:
        ind = p.find("w:pPr/w:ind", NS)
        assert (wattr(ind, "left"), wattr(ind, "hanging")) == ("840", "560")  # 1 char in + the 2-char label
    style = sample.style("Distribution")
    assert wattr(style.find("w:pPr/w:ind", NS), "right") == "280"
    assert wattr(style.find("w:rPr/w:rFonts", NS), "eastAsia") == "仿宋_GB2312"
    assert wattr(style.find("w:rPr/w:sz", NS), "val") == "28"
    printing = tbl.findall("w:tr", NS)[1].findall("w:tc/w:p", NS)
    assert len(printing) == 1 and sample.text(printing[0]) == "县发展改革委办公室2022年3月1日印发"
    tab = printing[0].find("w:pPr/w:tabs/w:tab", NS)
    assert (wattr(tab, "val"), wattr(tab, "pos")) == ("right", str(8845 - 280))
    # the print run: flush right (a right tab one character in) on the 发 line's last line, which has room
    fa = rec[-1]
    assert sample.text(fa).endswith("各有关企业（共印200份）") and fa.find(".//w:r/w:tab", NS) is not None
    tab = fa.find("w:pPr/w:tabs/w:tab", NS)
    assert (wattr(tab, "val"), wattr(tab, "pos")) == ("right", str(8845 - 280))


def test_long_printer_puts_the_date_on_a_line_of_its_own(seed, style):
    """As the PDF: 011's printer does not fit beside the date a character in from each edge at full size, so the
    date goes right-aligned onto a second line; nothing is condensed (GB/T 9704 7.4.3)."""
    tbl = seed.document.find(".//mc:Choice//w:tbl", NS)
    printing = tbl.findall("w:tr", NS)[1].findall("w:tc/w:p", NS)
    assert [seed.text(p) for p in printing] == ["郑州市教育局“能力作风建设年”活动领导小组办公室", "2022年2月15日印发"]
    assert not printing[0].findall(".//w:rPr/w:spacing", NS)
    jc = printing[1].find("w:pPr/w:jc", NS)
    assert jc is not None and wattr(jc, "val") == "right"
    printing_style = seed.style(style.role("printing").word_style[0])
    ind = printing_style.find("w:pPr/w:ind", NS)
    assert (wattr(ind, "left"), wattr(ind, "right")) == ("280", "280")       # one character (14 pt) in


# ---------------------------------------------------------------------------------------------------------------
# schema order (Word refuses files whose children are out of order; LibreOffice does not notice)

def _python_docx_order(module, cls: str) -> list[str]:
    """The child order python-docx's authors transcribed from ECMA-376 for `cls` (the `_tag_seq` in its source):
    an oracle independent of the writer under test."""
    import ast
    import inspect

    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for st in node.body:
                if isinstance(st, ast.Assign) and getattr(st.targets[0], "id", "") == "_tag_seq":
                    return [v.value.split(":")[1] for v in st.value.elts]
    raise AssertionError(f"no _tag_seq in python-docx's {cls}")


import docx.oxml.text.font  # noqa: E402
import docx.oxml.text.parfmt  # noqa: E402

PPR_ORDER = _python_docx_order(docx.oxml.text.parfmt, "CT_PPr")
RPR_ORDER = _python_docx_order(docx.oxml.text.font, "CT_RPr")
SECT_ORDER = ("headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
              "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
              "printerSettings").split()
TBLPR_ORDER = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
               "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook").split()
BORDER_ORDER = "top left start bottom right end insideH insideV between bar".split()
STYLE_ORDER = ("name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
               "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr").split()


def _check_order(root, tag, order):
    for el in root.iter(w(tag)):
        names = [etree.QName(c).localname for c in el]
        idx = [order.index(n) for n in names]
        assert idx == sorted(idx), f"<w:{tag}> children out of order: {names}"


@pytest.mark.parametrize("which", ["sample", "seed"])
def test_children_in_schema_order(which, request):
    doc = request.getfixturevalue(which)
    parts = [doc.document, doc.styles] + list(doc.footers().values())
    for root in parts:
        _check_order(root, "pPr", PPR_ORDER)
        _check_order(root, "rPr", RPR_ORDER)
        _check_order(root, "sectPr", SECT_ORDER)
        _check_order(root, "tblPr", TBLPR_ORDER)
        _check_order(root, "tblBorders", BORDER_ORDER)
        _check_order(root, "pBdr", BORDER_ORDER)
        _check_order(root, "style", STYLE_ORDER)


# ---------------------------------------------------------------------------------------------------------------
# LibreOffice render, measured (one soffice call for the module)

def _fandol_installed() -> bool:
    return any(Path(d, "FandolFang-Regular.otf").is_file()
               for d in ("/usr/local/share/fonts/fandol", Path.home() / ".local/share/fonts/fandol"))


def _filler_tree(lines: int) -> ET.Element:
    """A bulletin of `lines` one-line paragraphs (26 characters after the indent) and a 3-line 版记."""
    paras = "".join(f"<para>{'国' * 25}{i % 10}</para>" for i in range(lines))
    return ET.fromstring(
        f"<bulletin><article>{paras}</article><distribution>"
        "<recipients><label>报：</label>市发展改革委</recipients>"
        "<recipients><label>发：</label>各乡镇人民政府</recipients>"
        "<printing><printer>县发展改革委办公室</printer><printed>2022年3月1日印发</printed></printing>"
        "</distribution></bulletin>")


def _long_masthead_tree() -> ET.Element:
    """A long name and a series line for two lines, and a title with digits (Latin in the 22 pt title)."""
    tree = ET.fromstring(SAMPLE)
    tree.find("masthead/name").text = "全省优化营商环境工作简报"
    tree.find("masthead/series").text = "中共某某省委全面深化改革委员会办公室暨某某省优化营商环境工作领导小组办公室"
    tree.find("article/title").text = "关于2026年第一季度全省营商环境评价指标监测结果暨重点问题整改情况的通报"
    return tree


def _long_recipients_tree() -> ET.Element:
    """A 发 line of 59 schools with digits: the space around digits makes it a line longer than its characters."""
    tree = _filler_tree(3)
    dist = tree.find("distribution")
    fa = dist.findall("recipients")[-1]
    fa.find("label").tail = "、".join(f"第{i}中学" for i in range(1, 60))
    copies = ET.Element("copies")
    copies.text = "（共印1200份）"
    dist.insert(2, copies)
    return tree


@pytest.fixture(scope="module")
def lo_pdfs(tmp_path_factory, style):
    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not on PATH")
    if not _fandol_installed():
        pytest.skip("the Fandol fonts are not installed (scripts/install-fonts.sh)")
    pdfplumber = pytest.importorskip("pdfplumber")
    out = tmp_path_factory.mktemp("docx-lo")
    docs = {
        "011": api.build_tree(REPO / "issues" / "011.yaml"),
        "008": api.build_tree(REPO / "issues" / "008.yaml"),
        "fit": _filler_tree(22 + 19),      # page 2: 19 lines + 3 版记 lines = 22: the block fits
        "nofit": _filler_tree(22 + 20),    # page 2: 20 lines: the block goes to page 3
        "masthead": _long_masthead_tree(),
        "recipients": _long_recipients_tree(),
    }
    paths = []
    for name, tree in docs.items():
        path = out / f"{name}.docx"
        path.write_bytes(render(tree, style))
        paths.append(str(path))
    profile = tmp_path_factory.mktemp("lo-profile")
    env = dict(__import__("os").environ, FONTCONFIG_FILE=str(FONTS_CONF))
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *paths], env=env, check=True, capture_output=True, timeout=300)
    pdfs = {}
    for name in docs:
        pdf = out / f"{name}.pdf"
        assert pdf.is_file(), f"LibreOffice wrote no {pdf.name}"
        pdfs[name] = pdfplumber.open(pdf)
    yield pdfs
    for pdf in pdfs.values():
        pdf.close()


def lines_of(page, size=None, below=None, above=None):
    """Text lines of a page: (baseline mm, size, chars sorted by x)."""
    rows = {}
    for c in page.chars:
        if not c["text"].strip():
            continue
        rows.setdefault(round(c["bottom"] / 2), []).append(c)
    out = []
    for key in sorted(rows):
        cs = sorted(rows[key], key=lambda c: c["x0"])
        base = statistics.median(c["bottom"] for c in cs) / MM
        sz = statistics.median(c["size"] for c in cs)
        if size is not None and abs(sz - size) > 0.6:
            continue
        if below is not None and base < below or above is not None and base > above:
            continue
        out.append((base, sz, cs))
    return out


def body_lines(page):
    return lines_of(page, size=16, below=37, above=262)


def page_number_line(page):
    cand = [l for l in lines_of(page, below=262) if re.search(r"\d", "".join(c["text"] for c in l[2]))]
    return cand[-1] if cand else None


@pytest.mark.soffice
@pytest.mark.parametrize("name", ["011", "008"])
def test_lo_22_lines_on_full_pages_28_characters_a_line(lo_pdfs, name):
    pages = lo_pdfs[name].pages
    assert len(pages) >= 3
    full = [p for p, after in zip(pages[1:], pages[2:]) if body_lines(after)]  # the body goes on after them
    # a page that ends before a heading the layout moved over with its text (pageBreakBefore) is not full
    after = {p.page_number: a for p, a in zip(pages, pages[1:])}
    full = [p for p in full if not re.match(
        r"[一二三四五六七八九十]+、", "".join(c["text"] for c in body_lines(after[p.page_number])[0][2]))]
    assert len(full) >= 2 if name == "008" else len(full) >= 1
    for page in full:
        assert len(body_lines(page)) == 22, f"page {page.page_number}"
    counts, rights = [], []
    for page in pages:
        for base, size, cs in body_lines(page):
            text = "".join(c["text"] for c in cs)
            if cs[0]["x0"] / MM < 29 and cs[-1]["x1"] / MM > 183 and re.fullmatch(r"[^\x00-\x7f]+", text):
                core = cs[:-1] if cs[-1]["x1"] / MM > 185 else cs  # a mark hanging past the edge
                counts.append(len(core))
                rights.append(core[-1]["x1"] / MM)
    # (fewer: a line the layout ended before a number that keeps its unit, 学校 / 41所, or before a range kept whole,
    # which Word justifies across the line where the PDF leaves it short: at most two such lines a document)
    assert statistics.mode(counts) == 28 and max(counts) == 28 and sum(1 for c in counts if c < 26) <= 2
    assert all(183.3 < r < 184.3 for r in rights), "justified lines end at the 184 mm edge"
    pitches = [b[0] - a[0] for p in full for a, b in zip(body_lines(p), body_lines(p)[1:])]
    assert abs(statistics.mean(pitches) - 28.95 / MM) < 0.05


@pytest.mark.soffice
@pytest.mark.parametrize("name", ["011", "008"])
def test_lo_page_numbers_odd_right_even_left_7mm_under_the_block(lo_pdfs, name):
    for i, page in enumerate(lo_pdfs[name].pages, 1):
        line = page_number_line(page)
        assert line is not None, f"page {i} has no number"
        base, size, cs = line
        text = "".join(c["text"] for c in cs)
        assert re.fullmatch(rf"—\s*{i}\s*—", text), text
        assert abs(size - 14) < 0.5
        if i % 2:
            assert abs(cs[-1]["x1"] / MM - (184 - 14 / MM)) < 0.6  # one 14 pt character in from the right edge
        else:
            assert abs(cs[0]["x0"] / MM - (28 + 14 / MM)) < 0.6
        dash_top = base - 0.311 * 14 / MM  # the em dash's ink top in FandolSong
        assert abs(dash_top - (262 + 7)) < 1.0


@pytest.mark.soffice
def test_lo_masthead_red_name_and_rule(lo_pdfs):
    page = lo_pdfs["011"].pages[0]
    red = [c for c in page.chars if tuple(c.get("non_stroking_color") or ()) == (1, 0, 0)]
    assert max(c["size"] for c in red) >= 42
    assert {c["text"] for c in red} >= set("简报郑州")
    rules = [o for o in page.lines + page.rects if o["width"] > 150 * MM and o["top"] < page.height / 2]
    assert rules and all(tuple(o["stroking_color"]) == (1, 0, 0) for o in rules)
    assert all(75 < o["top"] / MM < 120 for o in rules)
    assert all(abs(o["linewidth"] - 2.25) < 0.1 for o in rules)
    # page 1 holds 22 grid lines too: the last body line sits on the 22nd line (baseline ≈ 259.4 mm), or, when
    # the layout moved the heading at its foot over with two lines of its text, on the 20th
    nxt = "".join(c["text"] for c in body_lines(lo_pdfs["011"].pages[1])[0][2])
    moved = 2 * 579 / 20 / MM if re.match(r"[一二三四五六七八九十]+、", nxt) else 0
    assert abs(body_lines(page)[-1][0] - (259.4 - moved)) < 1.4


@pytest.mark.soffice
@pytest.mark.parametrize("name", ["011", "008", "fit"])
def test_lo_distribution_block_at_the_bottom_of_the_last_page(lo_pdfs, name):
    page = lo_pdfs[name].pages[-1]
    rules = sorted((o for o in page.lines + page.rects if o["width"] > 150 * MM and o["top"] > 100 * MM),
                   key=lambda o: o["top"])
    assert len(rules) == 3
    assert [round(o["linewidth"], 2) for o in rules] == [1.0, 0.75, 1.0]
    assert abs(rules[-1]["top"] / MM - 262) < 0.5  # the last rule lies on the text block's bottom edge
    block = [l for l in lines_of(page, size=14, below=rules[0]["top"] / MM, above=262)]
    assert "".join(c["text"] for c in block[0][2]).startswith("报：")
    assert "印发" in "".join("".join(c["text"] for c in l[2]) for l in block)
    body = body_lines(page)
    assert not body or body[-1][0] < rules[0]["top"] / MM  # never over the body


@pytest.mark.soffice
def test_lo_block_goes_to_a_new_page_when_the_last_page_is_full(lo_pdfs):
    fit, nofit = lo_pdfs["fit"].pages, lo_pdfs["nofit"].pages
    assert len(fit) == 2 and len(body_lines(fit[1])) == 19
    assert len(nofit) == 3
    assert len(body_lines(nofit[1])) == 20  # the body stays where it was
    assert body_lines(nofit[2]) == []      # the block alone on the new page, at the bottom
    assert any("印发" in "".join(c["text"] for c in l[2]) for l in lines_of(nofit[2], size=14))


@pytest.mark.soffice
@pytest.mark.parametrize("name", ["011", "008"])
def test_lo_page_count_equals_the_pdf_writer(lo_pdfs, name):
    try:
        _, result = api.render(REPO / "issues" / f"{name}.yaml", formats=("pdf",))
    except JianbaoError as e:  # e.g. fonts missing for the PDF
        pytest.skip(f"the PDF writer cannot build {name}: {e}")
    assert len(lo_pdfs[name].pages) == result.pages


@pytest.mark.soffice
def test_lo_long_masthead_stays_inside_the_text_block(lo_pdfs, style):
    page = lo_pdfs["masthead"].pages[0]
    lines = ["".join(c["text"] for c in cs) for _, _, cs in lines_of(page)]
    # the series line in the two lines the writer broke it into (no third line of one character)
    assert "中共某某省委全面深化改革委员会办公室" in lines and "暨某某省优化营商环境工作领导小组办公室" in lines
    assert "全省优化营商环境工作简报" in lines                       # the name on one line
    for _, size, cs in lines_of(page, above=150):
        assert cs[0]["x0"] >= 28 * MM - 1 and cs[-1]["x1"] <= 184 * MM + 1
    # the title's lines (digits in them) one grid line apart, as the PDF sets them
    title = [base for base, size, cs in lines_of(page, below=100) if abs(size - 22) < 0.6
             and "".join(c["text"] for c in cs).startswith(("关于", "指标"))]
    assert len(title) == 2 and (title[1] - title[0]) * MM == pytest.approx(style.grid.pitch, abs=0.5)


@pytest.mark.soffice
def test_lo_long_recipient_list_is_not_cut_off(lo_pdfs):
    # the 版记's rows have exact heights: they must count the lines LibreOffice sets, not fewer
    page = lo_pdfs["recipients"].pages[-1]
    text = "".join(page.extract_text().split())
    assert "第58中学、第59中学" in text and "（共印1200份）" in text and "2022年3月1日印发" in text
