"""The OFD (GB/T 33190) output, read back as a reader reads it: ofdkit (an independent OFD reader from PyPI) for
pages, text and run positions, the package's own XML for every glyph's position, fontTools for the embedded fonts,
all compared with the PDF of the same issue (pdfplumber)."""
import hashlib
import io
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import ofdkit
import pdfplumber
import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from pdf_measure import read as read_pdf

MM = 25.4 / 72
O = "{http://www.ofdspec.org/2016}"
BULLETINS = Path(__file__).resolve().parent / "bulletins"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_chars(path: Path) -> list[list[dict]]:
    """Each page's glyphs in drawing order: text, x of the pen and baseline in mm from the paper's top left."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for p in pdf.pages:
            pages.append([{"text": c["text"], "x": c["x0"] * MM, "y": (p.height - c["matrix"][5]) * MM,
                           "size": c["size"] * MM} for c in p.chars if c["text"].strip()])
    return pages


def deltas(value: str | None) -> list[float]:
    """A DeltaX array with the standard's `g N v` abbreviation expanded."""
    tokens, out, i = (value or "").split(), [], 0
    while i < len(tokens):
        if tokens[i] == "g":
            out += [float(tokens[i + 2])] * int(tokens[i + 1])
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def ofd_glyphs(path: Path) -> list[list[dict]]:
    """Each page's glyphs from the package's Content.xml: TextCode X/Y from the object's Boundary, then DeltaX."""
    pages = []
    with zipfile.ZipFile(path) as z:
        document = ET.fromstring(z.read("Doc_0/Document.xml"))
        for page in document.iter(O + "Page"):
            root = ET.fromstring(z.read("Doc_0/" + page.get("BaseLoc")))
            glyphs = []
            for t in root.iter(O + "TextObject"):
                bx, by = map(float, t.get("Boundary").split()[:2])
                for code in t.iter(O + "TextCode"):
                    x, y = bx + float(code.get("X")), by + float(code.get("Y"))
                    steps = deltas(code.get("DeltaX"))
                    assert len(steps) == len(code.text) - 1
                    for i, ch in enumerate(code.text):
                        glyphs.append({"text": ch, "x": x, "y": y, "size": float(t.get("Size")),
                                       "font": t.get("Font"), "object": t})
                        if i < len(steps):
                            x += steps[i]
            pages.append(glyphs)
    return pages


@pytest.fixture
def built(run, series):
    """011 of the showcase series built as PDF and OFD."""
    result = run("build", "--format", "pdf", "--format", "ofd", "issues/011.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["build/011.pdf", "build/011.ofd"]
    return series / "build" / "011.pdf", series / "build" / "011.ofd"


def test_an_ofd_reader_sees_the_pdf_pages_text_and_positions(built):
    pdf, ofd = built
    doc = ofdkit.open(str(ofd))
    assert not doc.warnings
    want = pdf_chars(pdf)
    assert len(doc.pages) == len(want) == 5
    for page, chars in zip(doc.pages, want):
        assert (page.width, page.height) == (210.0, 297.0)
        runs = page.runs
        assert "".join(r.text for r in runs) == "".join(c["text"] for c in chars)       # same text, same order
        at = 0
        for r in runs:                       # every run starts on its PDF glyph, same baseline, same size
            c = chars[at]
            assert abs(r.x - c["x"]) < 0.1 and abs(r.y - c["y"]) < 0.1, (r, c)
            assert abs(r.size - c["size"]) < 0.01
            at += len(r.text)
    info = doc.info
    assert info.author == "领导小组办公室" and info.creation_date == "2022-02-15"   # the editor; the issue's date
    assert info.title.startswith("攻坚“双减”新任务") and info.creator == "jianbao"


def test_every_glyph_is_where_the_pdf_draws_it(built):
    pdf, ofd = built
    for number, (mine, theirs) in enumerate(zip(ofd_glyphs(ofd), pdf_chars(pdf)), 1):
        assert [g["text"] for g in mine] == [c["text"] for c in theirs]
        worst = max(max(abs(g["x"] - c["x"]), abs(g["y"] - c["y"])) for g, c in zip(mine, theirs))
        assert worst < 0.1, f"page {number}: a glyph {worst:.3f} mm off"


def test_red_masthead_rules_and_page_numbers_match_the_pdf(built):
    pdf, ofd = built
    pdf_pages = read_pdf(pdf.read_bytes())
    with zipfile.ZipFile(ofd) as z:
        contents = [ET.fromstring(z.read(f"Doc_0/Pages/Page_{i}/Content.xml")) for i in range(len(pdf_pages))]
    # the name 简报 and the series line are red text; the rule under the masthead is a red path
    red = [t for t in contents[0].iter(O + "TextObject") if t.find(O + "FillColor").get("Value") == "255 0 0"]
    assert "".join(t.findtext(O + "TextCode") for t in red) == "郑州市教育局“能力作风建设年”活动简报"
    for content, view in zip(contents, pdf_pages):
        paths = []
        for p in content.iter(O + "PathObject"):
            x, y = map(float, p.get("Boundary").split()[:2])
            m = p.findtext(O + "AbbreviatedData").split()            # M x0 y0 L x1 y1
            paths.append({"x0": x + float(m[1]), "x1": x + float(m[4]), "y": y + float(m[2]),
                          "width": float(p.get("LineWidth")), "colour": p.find(O + "StrokeColor").get("Value")})
        assert len(paths) == len(view.rules)
        for mine, theirs in zip(sorted(paths, key=lambda r: r["y"]), sorted(view.rules, key=lambda r: r["y"])):
            assert abs(mine["x0"] - theirs["x0"] * MM) < 0.1 and abs(mine["x1"] - theirs["x1"] * MM) < 0.1
            assert abs(mine["y"] - theirs["y"] * MM) < 0.1 and abs(mine["width"] - theirs["width"] * MM) < 0.01
            assert mine["colour"] == " ".join(str(round(v * 255)) for v in theirs["colour"])
    assert [p["colour"] for p in paths] == ["0 0 0"] * 3              # the 版记's rules, on the last page
    assert pdf_pages[0].rules[0]["colour"] == (1.0, 0.0, 0.0)
    # the page number is the last line of every page, as in the PDF
    doc = ofdkit.open(str(ofd))
    for n, page in enumerate(doc.pages, 1):
        # (the digits are a run of their own, in the style sheet's latin face, on the dashes' baseline)
        bottom = max(r.y for r in page.runs)
        last = sorted((r for r in page.runs if abs(r.y - bottom) < 0.5), key=lambda r: r.x)
        assert "".join(r.text for r in last).replace(" ", "") == f"—{n}—"


def test_emphasis_is_filled_and_stroked_as_in_the_pdf(built):
    _, ofd = built
    with zipfile.ZipFile(ofd) as z:
        pages = [ET.fromstring(z.read(n)) for n in sorted(z.namelist()) if n.endswith("Content.xml")]
    bold = [t for root in pages for t in root.iter(O + "TextObject") if t.get("Stroke") == "true"]
    assert "".join(t.findtext(O + "TextCode") for t in bold).startswith("一是构建组织体系。二是构建政策体系。")
    for t in bold:
        assert float(t.get("LineWidth")) > 0 and t.find(O + "StrokeColor") is not None


def embedded_fonts_match_their_faces(ofd: Path, context) -> int:
    """Every character of the OFD maps, in the font its TextObject names, to a glyph drawn exactly as in the face
    the PDF embeds (same outline, same advance). Returns the number of fonts checked."""
    faces = {}
    for key in context.style.fonts:
        for face in context.fonts.chain(key):
            if face.is_cff and not face.is_converted():
                continue
            tt = TTFont(face.reportlab_path(), fontNumber=face.reportlab_index, lazy=True)
            faces[tt["name"].getDebugName(6)] = tt
    with zipfile.ZipFile(ofd) as z:
        res = ET.fromstring(z.read("Doc_0/PublicRes.xml"))
        fonts = {f.get("ID"): (f.get("FontName"), TTFont(io.BytesIO(z.read("Doc_0/Res/" + f.findtext(O + "FontFile")))))
                 for f in res.iter(O + "Font")}
    used: dict[str, set[str]] = {}
    for page in ofd_glyphs(ofd):
        for g in page:
            used.setdefault(g["font"], set()).add(g["text"])
    assert set(used) == set(fonts)
    for fid, chars in used.items():
        name, sub = fonts[fid]
        assert "glyf" in sub and "CFF " not in sub
        original = faces[name]
        sub_cmap, orig_cmap = sub.getBestCmap(), original.getBestCmap()
        sub_glyphs, orig_glyphs = sub.getGlyphSet(), original.getGlyphSet()
        for ch in chars:
            mine, theirs = sub_glyphs[sub_cmap[ord(ch)]], orig_glyphs[orig_cmap[ord(ch)]]
            a, b = RecordingPen(), RecordingPen()
            mine.draw(a)
            theirs.draw(b)
            assert a.value == b.value and a.value, (name, ch)
            assert mine.width == theirs.width
        assert sub["maxp"].numGlyphs <= len(chars) + 1 + 8        # a subset: .notdef and composite parts at most
    return len(used)


def test_each_font_is_embedded_as_a_truetype_subset_of_its_face(built, series):
    from jianbao import api

    _, ofd = built
    assert embedded_fonts_match_their_faces(ofd, api.Context.for_root(series)) == 5     # 4 Chinese faces + latin


def test_fallback_faces_from_collections_and_the_supplementary_planes(tmp_path):
    """A test bulletin set partly in fallback faces (UMing, UKai, WenQuanYi: .ttc collections), and a character
    beyond the BMP (a format 12 cmap)."""
    from jianbao import api

    root = tmp_path / "bulletins"
    shutil.copytree(BULLETINS, root)
    issue = root / "issues" / "009.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("body:\n", "body:\n  - 表彰王𨹥同志。\n", 1),
                     encoding="utf-8")
    context = api.Context.for_root(root)
    result = api.build(issue, root / "build", context, formats=("pdf", "ofd"))
    ofd = root / "build" / "009.ofd"
    assert [p.name for p in result.outputs] == ["009.pdf", "009.ofd"]
    assert embedded_fonts_match_their_faces(ofd, context) >= 7
    mine, theirs = ofd_glyphs(ofd), pdf_chars(root / "build" / "009.pdf")
    assert ["".join(g["text"] for g in p) for p in mine] == ["".join(c["text"] for c in p) for p in theirs]
    assert "表彰王𨹥同志。" in "".join(r.text for p in ofdkit.open(str(ofd)).pages for r in p.runs)


def test_the_same_issue_gives_a_byte_identical_package(run, series, tmp_path):
    assert run("build", "--format", "ofd", "issues/011.yaml").exit_code == 0
    first = series / "build" / "011.ofd"
    again = run("build", "--force", "--format", "ofd", "--out", str(tmp_path / "again"), "issues/011.yaml")
    assert again.exit_code == 0
    assert digest(first) == digest(tmp_path / "again" / "011.ofd")
    with zipfile.ZipFile(first) as z:
        names = z.namelist()
        assert names[:3] == ["OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml"]
        assert {i.date_time for i in z.infolist()} == {(2022, 2, 15, 0, 0, 0)}       # the issue's date
        assert z.testzip() is None


def test_series_formats_key_decides_what_build_writes(run, series):
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nformats: [pdf, docx, ofd]\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [f"build/{n}.{ext}" for n in ("008", "011") for ext in ("pdf", "docx", "ofd")]
    pdf_pages = read_pdf((series / "build" / "008.pdf").read_bytes())
    assert len(ofdkit.open(str(series / "build" / "008.ofd")).pages) == len(pdf_pages)
    assert run("build").stdout == ""                                   # unchanged: all three are up to date
    # --format still chooses
    result = run("build", "--force", "--format", "ofd", "issues/011.yaml")
    assert result.stdout.split() == ["build/011.ofd"]
    # one format, without a list
    config.write_text(config.read_text(encoding="utf-8").replace("formats: [pdf, docx, ofd]", "formats: OFD"),
                      encoding="utf-8")
    from jianbao import batch
    batch._contexts.clear()              # (a process keeps each series' settings: a new `jianbao` would read them)
    assert run("build", "--force").stdout.split() == ["build/008.ofd", "build/011.ofd"]


@pytest.mark.parametrize("value, message", [
    ("[pdf, odf]", "formats[1]: unknown format 'odf' (expected some of: pdf, docx, dotx, ofd, png, html); did you mean 'pdf'?"),
    ("[pdf, pdf]", "formats[1]: 'pdf' is listed twice"),
    ("[]", "formats: expected a list of formats (pdf, docx, dotx, ofd, png, html), found an empty list"),
    ("", "formats: expected a list of formats (pdf, docx, dotx, ofd, png, html), found nothing"),
    ("{pdf: yes}", "formats: expected a list of formats (pdf, docx, dotx, ofd, png, html), found a mapping"),
    ("[[pdf]]", "formats[0]: expected text, found a list"),
])
def test_a_bad_formats_key_is_a_located_error(run, series, value, message):
    config = series / "jianbao.yaml"
    lines = config.read_text(encoding="utf-8").count("\n")
    config.write_text(config.read_text(encoding="utf-8") + f"formats: {value}\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"jianbao.yaml:{lines + 1}:" in result.stderr and message in result.stderr
    assert not (series / "build").exists() or not list((series / "build").glob("0*"))


def test_a_failed_ofd_leaves_the_last_good_one(run, series, monkeypatch):
    """A character no font has stops the build before any writer, with its place in the file; a failure inside
    the OFD writer writes nothing either; the last good package stays as it was, no temporary file is left."""
    assert run("build", "--format", "pdf", "--format", "ofd", "issues/011.yaml").exit_code == 0
    good = {p.name: digest(p) for p in (series / "build").glob("011.*")}
    issue = series / "issues" / "011.yaml"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("家长满意度", "家长\ue000满意度"), encoding="utf-8")
    result = run("build", "--format", "pdf", "--format", "ofd", "issues/011.yaml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("issues/011.yaml:") and "U+E000" in result.stderr

    from jianbao.writers import ttf_subset
    from jianbao.errors import JianbaoError

    def broken(face, chars):
        raise JianbaoError("the disk is full")
    monkeypatch.setattr(ttf_subset, "subset", broken)
    issue.write_text(text.replace("家长满意度达到97%", "家长满意度达到98%"), encoding="utf-8")
    result = run("build", "--format", "pdf", "--format", "ofd", "issues/011.yaml")
    assert result.exit_code == 1 and "the disk is full" in result.stderr
    assert {p.name: digest(p) for p in (series / "build").glob("011.*")} == good
    assert not [p for p in (series / "build").iterdir() if p.name.endswith(".tmp")]


def test_hostile_text_is_written_literally(run, series):
    (series / "issues" / "012.yaml").write_text(
        'number: 12\ndate: 2022-03-01\ntitle: "{{ issue.number }} <b>标题</b> &amp; \\"引号\\""\n'
        'body:\n  - "{% if x %}代码{% endif %} <para>标签</para> 5 * 3 % 2 &nbsp; ]]> <!-- -->"\n', encoding="utf-8")
    result = run("build", "--format", "pdf", "--format", "ofd", "issues/012.yaml")
    assert result.exit_code == 0, result.output
    doc = ofdkit.open(str(series / "build" / "012.ofd"))
    text = "".join(r.text for p in doc.pages for r in p.runs)
    assert '{{issue.number}}<b>标题</b>&amp;"引号"' in text
    assert "{%ifx%}代码{%endif%}<para>标签</para>5*3%2&nbsp;]]><!---->" in text
    assert doc.info.title == '{{ issue.number }} <b>标题</b> &amp; "引号"'
    assert doc.info.creation_date == "2022-03-01"


def test_a_blank_page_before_an_even_page_distribution_block(tmp_path):
    """With `distribution.even_page`, a blank unnumbered page can come before the 版记: the OFD has it too, empty."""
    import dataclasses
    import sys

    from jianbao.fonts import FontBook
    from jianbao.layout import lay_out
    from jianbao.stylesheet import load_stylesheet
    from jianbao.writers import ofd as ofd_writer, pdf as pdf_writer

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pdf_trees as T

    root = Path(__file__).resolve().parents[1]
    style = load_stylesheet(root / "templates" / "default" / "layout.yaml")
    fonts = FontBook.for_series(root, style.fonts)
    even = dataclasses.replace(style, distribution=dataclasses.replace(style.distribution, even_page=True))
    for k in range(8, 60):
        tree = T.tree(T.short_tree(k, 2))
        laid = lay_out(tree, even, fonts)
        pages = laid.pages
        if any(p.blank for p in pages):
            break
    else:
        pytest.fail("no tree puts a blank page before the distribution block")
    pdf, ofd = tmp_path / "x.pdf", tmp_path / "x.ofd"
    with open(pdf, "wb") as f:
        pdf_writer.write(tree, laid, even, f)
    with open(ofd, "wb") as f:
        ofd_writer.write(tree, laid, even, f)
    blank = [i for i, p in enumerate(pages) if p.blank]
    mine, theirs = ofd_glyphs(ofd), pdf_chars(pdf)
    assert len(mine) == len(theirs) == len(pages) and len(pages) % 2 == 0
    assert [i for i, p in enumerate(mine) if not p] == blank == [len(pages) - 2]
    for a, b in zip(mine, theirs):
        assert [g["text"] for g in a] == [c["text"] for c in b]
        assert all(abs(g["x"] - c["x"]) < 0.1 and abs(g["y"] - c["y"]) < 0.1 for g, c in zip(a, b))
    doc = ofdkit.open(str(ofd))
    assert not doc.warnings and len(doc.pages) == len(pages) and doc.pages[blank[0]].runs == []
    assert doc.info.creation_date is None and doc.info.author == "领导小组办公室"


def test_the_ofd_costs_no_more_than_the_pdf(series):
    """Warm, drawing the laid-out pages as OFD takes at most about what drawing them as PDF takes; subsetting the
    fonts with fontTools.subset, which recompiles every outline, took 0.3 s for the body face of issue 011 alone."""
    import time

    from jianbao import api
    from jianbao.writers import ofd, pdf

    context = api.Context.for_root(series)
    tree, laid, _ = api.lay_out(series / "issues" / "011.yaml", context)

    def best(write) -> float:
        times = []
        for _ in range(4):
            started = time.perf_counter()
            write(tree, laid, context.style, io.BytesIO())
            times.append(time.perf_counter() - started)
        return min(times[1:])
    pdf_time, ofd_time = best(pdf.write), best(ofd.write)
    assert ofd_time < 0.2 and ofd_time < 2 * pdf_time, f"OFD {ofd_time * 1000:.0f} ms, PDF {pdf_time * 1000:.0f} ms"
