"""Pictures and tables (`image:`, `images:`, `table:`): a test series made here with Pillow (sizes, orientations,
formats, the hostile cases), built, and measured in the PDF (pdfplumber) and the DOCX (its XML, and LibreOffice's
rendering of it)."""
from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

import jianbao
from jianbao import api
from jianbao.stylesheet import load_stylesheet

LAYOUT = Path(jianbao.__file__).resolve().parent / "templates" / "default" / "layout.yaml"
FONTS_CONF = Path(jianbao.__file__).resolve().parent / "data" / "fonts.conf"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LOCATED = re.compile(r"^\S+\.yaml:\d+:\d+: ", re.M)


def noisy(size, mode="RGB", seed=1) -> Image.Image:
    """A picture with detail (noise over a gradient), so that it compresses like a photograph."""
    w, h = size
    base = Image.linear_gradient("L").resize((w, h)).convert(mode if mode in ("L", "RGB") else "RGB")
    noise = Image.effect_noise((w, h), 60).convert(base.mode)
    img = Image.blend(base, noise, 0.3)
    return img.convert(mode) if img.mode != mode else img


def exif_rotated(path: Path, size=(1200, 800)) -> None:
    """A landscape JPEG whose EXIF says 'rotate 90° clockwise to view' (orientation 6): printed portrait."""
    img = noisy(size)
    exif = Image.Exif()
    exif[0x0112] = 6
    img.save(path, "JPEG", quality=85, exif=exif.tobytes())


def png_bomb(path: Path, side=100_000) -> None:
    """A PNG of a few dozen bytes that says it is side × side pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


@pytest.fixture
def photos(series):
    folder = series / "photos"
    folder.mkdir()
    noisy((1600, 1200)).save(folder / "landscape.jpg", "JPEG", quality=85)
    noisy((900, 1350)).save(folder / "portrait.png")
    rgba = noisy((800, 600)).convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize((800, 600)))
    rgba.save(folder / "alpha.png")
    noisy((1000, 750)).convert("CMYK").save(folder / "cmyk.jpg", "JPEG", quality=85)
    noisy((800, 600), "L").save(folder / "grey.jpg", "JPEG", quality=85, progressive=True)
    exif_rotated(folder / "rotated.jpg")
    noisy((300, 200)).save(folder / "small.jpg", "JPEG", quality=85)
    return folder


ISSUE = """\
number: 3
date: 2022-03-01
title: 图片与表格
body:
  - 市教育局积极稳步推进各项工作。
  - image: photos/landscape.jpg
    caption: 图为全市“双减”工作推进会现场
    width: 60%
  - images:
      - {image: photos/alpha.png, caption: 金水区}
      - {image: photos/grey.jpg, caption: 二七区}
  - image: photos/rotated.jpg
    caption: 竖拍照片
    width: 40%
  - images:
      - {image: photos/cmyk.jpg, caption: 中原区}
      - {image: photos/portrait.png, caption: 管城区}
      - {image: photos/landscape.jpg, caption: 惠济区}
  - table:
      title: 表1 各区县作业设计情况
      header: [区县, 作业设计数（项）, 占比]
      rows:
        - [金水区, 120, 38.5%]
        - [二七区, 98, 31.2%]
        - [中原区（含经济技术开发区和郑东新区的部分学校）, 94, 30.3%]
      widths: [2, 1, 1]
      align: [left, right, right]
      note: 数据截至2022年1月底。
  - 后续段落。
"""

CAPTIONS = ["图为全市“双减”工作推进会现场", "金水区", "二七区", "竖拍照片", "中原区", "管城区", "惠济区"]
CELLS = ["金水区", "120", "38.5%", "二七区", "98", "31.2%", "94", "30.3%", "占比"]


@pytest.fixture
def built(photos, write_issue, run, series):
    path = write_issue(ISSUE)
    result = run("build", "issues/003.yaml")
    assert result.exit_code == 0, result.stderr
    return series / "build" / "003.pdf", series / "build" / "003.docx"


def _words(page):
    return page.extract_words(keep_blank_chars=False, use_text_flow=True)


def test_every_picture_inside_the_text_block_with_its_caption_under_it(built):
    pdf_path, _ = built
    style = load_stylesheet(LAYOUT)
    left, top = style.page.left, style.page.top
    right, bottom = left + style.page.text_width, top + style.page.text_height
    with pdfplumber.open(pdf_path) as pdf:
        images = [(page, im) for page in pdf.pages for im in page.images]
        assert len(images) == 7
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace("\n", "").replace(" ", "")
        for page, im in images:
            assert left - 0.01 <= im["x0"] < im["x1"] <= right + 0.01
            assert top - 0.01 <= im["top"] < im["bottom"] <= bottom + 0.01
        for caption in CAPTIONS:
            assert caption in text
        # each caption's characters: under a picture of the same page, centred on it
        for caption in ("金水区", "竖拍照片", "惠济区"):
            for page in pdf.pages:
                chars = [c for c in page.chars if c["text"] == caption[0]]
                hits = [c for c in chars if "".join(x["text"] for x in page.chars
                                                    if abs(x["top"] - c["top"]) < 1 and x["x0"] >= c["x0"] - 0.1
                                                    )[:len(caption)] == caption]
                if not hits:
                    continue
                c = hits[0]
                centre = c["x0"] + len(caption) * c["size"] / 2
                under = [im for im in page.images if im["bottom"] <= c["top"] + 0.01 and im["x0"] - 20 <= centre
                         <= im["x1"] + 20 and c["top"] - im["bottom"] < 40]
                assert under, f"no picture right above the caption {caption}"
                break
            else:
                raise AssertionError(f"caption {caption} not found")


def test_pictures_embedded_as_the_layout_says(built, photos):
    pdf_path, _ = built
    data = pdf_path.read_bytes()
    # a JPEG small enough is passed through: its own bytes are in the PDF
    assert (photos / "grey.jpg").read_bytes() in data
    with pdfplumber.open(pdf_path) as pdf:
        images = [im for page in pdf.pages for im in page.images]
    by_size = {im["srcsize"]: im for im in images}
    # the EXIF-rotated photo (1200 × 800 stored, orientation 6) is printed upright: portrait
    rotated = [im for im in images if im["srcsize"][1] > im["srcsize"][0] and im["width"] < 200]
    assert rotated and all(im["height"] > im["width"] for im in rotated)
    # the CMYK JPEG is embedded as RGB; no embedded picture is CMYK
    for im in images:
        assert "CMYK" not in str(im["colorspace"])
    # the transparent PNG was flattened onto white: no soft mask
    assert b"/SMask" not in data
    assert (800, 600) in by_size or any(s[0] <= 800 for s in by_size)


def test_a_large_photo_is_scaled_to_300_dpi_and_a_jpeg_within_twice_is_kept(series, write_issue, run):
    folder = series / "photos"
    folder.mkdir()
    big = noisy((6000, 4000))
    big.save(folder / "big.jpg", "JPEG", quality=80)
    big.resize((3000, 2000)).save(folder / "twice.jpg", "JPEG", quality=80)
    big.resize((3000, 2000)).save(folder / "big.png")
    write_issue("number: 3\ndate: 2022-03-01\ntitle: 大图\nbody:\n  - image: photos/big.jpg\n"
                "  - image: photos/twice.jpg\n  - image: photos/big.png\n")
    assert run("build", "issues/003.yaml").exit_code == 0
    pdf_path = series / "build" / "003.pdf"
    data = pdf_path.read_bytes()
    style = load_stylesheet(LAYOUT)
    wanted = style.page.text_width / 72 * 300          # pixels across the text width at 300 dpi
    with pdfplumber.open(pdf_path) as pdf:
        images = [im for page in pdf.pages for im in page.images]
    assert len(images) == 3
    widths = sorted(im["srcsize"][0] for im in images)
    assert widths[-1] == 3000                           # the JPEG within twice 300 dpi: as it is
    assert (folder / "twice.jpg").read_bytes() in data
    assert all(abs(w - wanted) <= 1 for w in widths[:2])   # the 6000-pixel JPEG and the PNG: scaled to 300 dpi
    assert (folder / "big.jpg").read_bytes()[:4000] not in data
    # the PDF is about the size of the pictures it carries, not of the 24-megapixel photo decoded
    assert len(data) < 3 * (folder / "twice.jpg").stat().st_size + 3_000_000


def test_the_docx_has_inline_pictures_with_captions_and_real_tables(built):
    _, docx_path = built
    with zipfile.ZipFile(docx_path) as z:
        document = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    from lxml import etree
    root = etree.fromstring(document.encode())
    ns = {"w": W_NS, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    inline = root.findall(".//w:drawing/wp:inline", ns)
    assert len(inline) == 7
    assert media
    captions = ["".join(p.itertext()) for p in root.iter(f"{{{W_NS}}}p")
                if p.find("w:pPr/w:pStyle[@w:val='Caption']", ns) is not None]
    assert sorted(captions) == sorted(CAPTIONS)
    assert '<w:name w:val="caption"/>' in styles
    tables = [t for t in root.iter(f"{{{W_NS}}}tbl") if t.find("w:tblPr/w:tblStyle", ns) is not None]
    assert len(tables) == 1
    tbl = tables[0]
    assert tbl.find("w:tblPr/w:tblStyle", ns).get(f"{{{W_NS}}}val") == "BulletinTable"
    cols = [int(c.get(f"{{{W_NS}}}w")) for c in tbl.findall("w:tblGrid/w:gridCol", ns)]
    assert len(cols) == 3 and cols[0] > cols[1]                     # widths [2, 1, 1]
    rows = tbl.findall("w:tr", ns)
    assert rows[0].find("w:trPr/w:tblHeader", ns) is not None
    assert all(r.find("w:trPr/w:tblHeader", ns) is None for r in rows[1:])
    assert all(r.find("w:trPr/w:cantSplit", ns) is not None for r in rows)
    texts = ["".join(tc.itertext()) for tc in tbl.iter(f"{{{W_NS}}}tc")]
    for cell in CELLS:
        assert any(cell in t for t in texts)
    assert 'w:styleId="BulletinTable"' in styles and "简报表格" in styles
    assert "Theme" not in document and "Theme" not in styles        # no theme fonts (asciiTheme, …)


def test_every_cell_text_in_the_pdf(built):
    pdf_path, _ = built
    with pdfplumber.open(pdf_path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "").replace("\n", "")
    for cell in CELLS + ["表1各区县作业设计情况", "数据截至2022年1月底。"]:
        assert cell in text


def _table_issue(rows: int) -> str:
    body = "\n".join(f"        - [第{i}区, {i * 7}, {i}.5%]" for i in range(1, rows + 1))
    return ("number: 3\ndate: 2022-03-01\ntitle: 长表\nbody:\n  - 导语。\n  - table:\n"
            "      header: [区县, 数量, 占比]\n      rows:\n" + body + "\n")


def test_a_long_table_repeats_its_header_row_and_never_splits_a_row(series, write_issue, run):
    write_issue(_table_issue(40))
    assert run("build", "issues/003.yaml").exit_code == 0
    style = load_stylesheet(LAYOUT)
    with pdfplumber.open(series / "build" / "003.pdf") as pdf:
        pages = [p for p in pdf.pages if "第" in (p.extract_text() or "") and "区" in (p.extract_text() or "")]
        assert len(pages) >= 2
        for page in pages:
            lines = [ln.replace(" ", "") for ln in (page.extract_text() or "").splitlines()]
            table_lines = [ln for ln in lines if ln.startswith("区县") or re.match(r"第\d+区", ln)]
            assert table_lines[0].startswith("区县"), table_lines[:2]     # the header first on every page
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace(" ", "")
        for i in range(1, 41):
            assert f"第{i}区" in text
        # every rule of the table inside the text block
        for page in pdf.pages:
            for line in page.lines:
                assert style.page.top - 1 <= line["top"] <= style.page.top + style.page.text_height + 1 \
                    or line["top"] > style.page.top + style.page.text_height   # (the 版记's rules are lower)


def test_a_table_too_wide_for_any_layout_names_the_column(series, write_issue, run):
    long = "1234567890123456789012345678901234567890"
    write_issue("number: 3\ndate: 2022-03-01\ntitle: 宽表\nbody:\n  - table:\n"
                "      header: [编号, 名称, 代码]\n      rows:\n"
                f"        - [1, 甲, {long}{long}]\n")
    result = run("build", "issues/003.yaml")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"issues/003\.yaml:8:18: table: too wide .*column 3 \(代码\)", result.stderr), result.stderr
    assert not (series / "build" / "003.pdf").exists()


def test_given_widths_too_narrow_name_the_column(series, write_issue, run):
    write_issue("number: 3\ndate: 2022-03-01\ntitle: 宽表\nbody:\n  - table:\n"
                "      header: [编号, 名称]\n      widths: [50, 1]\n      rows:\n"
                "        - [1, 2022000000000]\n")
    result = run("build", "issues/003.yaml")
    assert result.exit_code == 1
    assert re.search(r"issues/003\.yaml:9:\d+: table: column 2 \(名称\) is [\d.]+ pt wide", result.stderr), result.stderr


HOSTILE = {
    "dotdot": ("../../etc/passwd", "leads outside the series folder"),
    "absolute": ("/etc/passwd", "is an absolute path"),
    "symlink": ("photos/link.jpg", "leads outside the series folder"),
    "missing": ("photos/nothere.jpg", "no such file"),
    "not-an-image": ("photos/text.jpg", "is not a picture"),
    "truncated": ("photos/truncated.jpg", "damaged or truncated"),
    "corrupt": ("photos/corrupt.png", "damaged or truncated"),
    "bomb": ("photos/bomb.png", "decompression bomb"),
    "directory": ("photos", "is not a file"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_pictures_are_refused_with_a_location(case, series, write_issue, run, tmp_path):
    folder = series / "photos"
    folder.mkdir()
    outside = tmp_path / "outside.jpg"
    noisy((200, 100)).save(outside, "JPEG")
    os.symlink(outside, folder / "link.jpg")
    (folder / "text.jpg").write_text("这不是图片\n", encoding="utf-8")
    buf = io.BytesIO()
    noisy((1200, 900)).save(buf, "JPEG", quality=90)
    (folder / "truncated.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    buf = io.BytesIO()
    noisy((400, 300)).save(buf, "PNG")
    raw = bytearray(buf.getvalue())
    raw[200:1200] = bytes(1000)                        # zeroes over the compressed pixels
    (folder / "corrupt.png").write_bytes(bytes(raw))
    png_bomb(folder / "bomb.png")
    written, message = HOSTILE[case]
    run("build", "issues/011.yaml")                    # a good output that the failed build must leave alone
    write_issue(f"number: 3\ndate: 2022-03-01\ntitle: 图片\nbody:\n  - 导语。\n  - image: {written}\n"
                "    caption: 说明\n")
    before = sorted(p.name for p in (series / "build").iterdir())
    result = run("build", "issues/003.yaml")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"issues/003.yaml:6:12: body[1].image: " in result.stderr, result.stderr
    assert message in result.stderr
    assert sorted(p.name for p in (series / "build").iterdir()) == before     # nothing written
    # `jianbao check` reports the same, located
    checked = run("check", "issues/003.yaml")
    assert checked.exit_code == 1 and "issues/003.yaml:6:12:" in checked.stdout + checked.stderr


def test_pillow_pixel_limit_is_set_explicitly():
    from jianbao import pictures
    pictures._pil()
    assert Image.MAX_IMAGE_PIXELS == pictures.MAX_PIXELS == 60_000_000


def test_a_changed_photo_rebuilds_the_issue(photos, series, write_issue, run):
    write_issue("number: 3\ndate: 2022-03-01\ntitle: 图片\nbody:\n  - image: photos/small.jpg\n")
    assert run("build", "issues/003.yaml").exit_code == 0
    first = (series / "build" / "003.pdf").read_bytes()
    again = run("build", "issues/003.yaml")
    assert "up to date" in (again.stdout + again.stderr).lower() or (series / "build" / "003.pdf").read_bytes() == first
    noisy((300, 200), seed=2).transpose(Image.FLIP_LEFT_RIGHT).save(photos / "small.jpg", "JPEG", quality=85)
    assert run("build", "issues/003.yaml").exit_code == 0
    assert (series / "build" / "003.pdf").read_bytes() != first
    from jianbao.batch import picture_hashes
    key = picture_hashes(series / "issues" / "003.yaml", series)
    assert b"photos/small.jpg" in key


def test_check_warns_about_low_resolution_and_mixed_digits(photos, series, write_issue, run):
    write_issue("number: 3\ndate: 2022-03-01\ntitle: 检查\nbody:\n  - 导语。\n"
                "  - image: photos/small.jpg\n    width: 100%\n  - table:\n      header: [区县, 数量]\n"
                "      rows:\n        - [金水区, 120]\n        - [二七区, ９８]\n        - [中原区, 75]\n")
    result = run("check", "issues/003.yaml")
    out = result.stdout + result.stderr
    assert re.search(r"issues/003\.yaml:6:12: picture-resolution: photos/small\.jpg is 300 × 200 pixels: \d+ dpi", out), out
    assert "issues/003.yaml:12:17: table-digits: '９８' has full-width digits" in out, out
    assert out.count("table-digits") == 1


def test_the_same_input_gives_the_same_bytes(photos, series, write_issue):
    path = write_issue(ISSUE)
    a, _ = api.render(path)
    b, _ = api.render(path)
    assert a == b


def _soffice_pages(docx: Path, out: Path) -> int:
    profile = out / "profile"
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(docx)], env=env, check=True, capture_output=True, timeout=300)
    with pdfplumber.open(out / (docx.stem + ".pdf")) as pdf:
        return len(pdf.pages), sum(len(p.images) for p in pdf.pages)


def _rows_by_page(pdf_path: Path) -> list[list[str]]:
    with pdfplumber.open(pdf_path) as pdf:
        # (x_tolerance 4: the fifth of an em between Chinese and digits is not a word gap)
        return [[w["text"] for w in page.extract_words(x_tolerance=4) if re.fullmatch(r"第\d+区", w["text"])]
                for page in pdf.pages]


@pytest.mark.soffice
def test_libreoffice_renders_the_docx_with_the_pdfs_page_count(built, tmp_path, series, write_issue, run):
    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not on PATH")
    pdf_path, docx_path = built
    with pdfplumber.open(pdf_path) as pdf:
        pages = len(pdf.pages)
    lo_pages, lo_images = _soffice_pages(docx_path, tmp_path / "lo")
    assert (lo_pages, lo_images) == (pages, 7)
    # pictures, then two tables, the second over two pages: LibreOffice repeats the header row and puts the same
    # rows on each page as the PDF
    rows = "\n".join(f"        - [第{i}区, {i * 7}, {i}.5%]" for i in range(1, 31))
    text = (ISSUE.replace("number: 3", "number: 4").replace("  - 后续段落。\n", "")
            + f"  - table:\n      title: 表2 长表\n      header: [区县, 数量, 占比]\n      rows:\n{rows}\n  - 后续段落。\n")
    (series / "issues" / "004.yaml").write_text(text, encoding="utf-8")
    assert run("build", "issues/004.yaml").exit_code == 0
    lo_pages, _ = _soffice_pages(series / "build" / "004.docx", tmp_path / "lo2")
    ours = _rows_by_page(series / "build" / "004.pdf")
    theirs = _rows_by_page(tmp_path / "lo2" / "004.pdf")
    assert lo_pages == len(ours)
    assert theirs == ours
    assert sum(1 for page in ours if page) >= 2
    with pdfplumber.open(tmp_path / "lo2" / "004.pdf") as pdf:
        for page, page_rows in zip(pdf.pages, theirs):
            if page_rows:
                assert "区县" in [w["text"] for w in page.extract_words()]     # the header row, repeated


def test_the_web_page_shows_the_pictures_and_the_tables(photos, write_issue, run, series):
    import base64

    import html5lib
    write_issue(ISSUE)
    result = run("build", "issues/003.yaml", "--format", "html", "--format", "pdf")
    assert result.exit_code == 0, result.output
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    doc = parser.parse((series / "build" / "003.html").read_bytes())
    images = doc.findall(".//figure/img")
    assert len(images) == 7
    with pdfplumber.open(series / "build" / "003.pdf") as pdf:
        sizes = sorted(im["srcsize"] for page in pdf.pages for im in page.images)
    decoded = []
    for img in images:
        src = img.get("src")
        assert src.startswith(("data:image/jpeg;base64,", "data:image/png;base64,"))
        decoded.append(Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).size)
    assert sorted(decoded) == sizes                      # the same pictures as the PDF's
    captions = ["".join(c.itertext()) for c in doc.iter("figcaption")]
    assert sorted(captions) == sorted(CAPTIONS)
    table = doc.find(".//table")
    assert [c.text for c in table.findall("thead/tr/th")] == ["区县", "作业设计数（项）", "占比"]
    cells = ["".join(c.itertext()) for c in table.iter("td")]
    for cell in CELLS:
        if cell != "占比":
            assert cell in cells
    assert "".join(table.find("caption").itertext()) == "表1 各区县作业设计情况"


def test_the_ofd_draws_every_picture_and_column_rule_where_the_pdf_does(photos, write_issue, run, series):
    """The OFD writer reads the same page model: an ImageObject per picture in the PDF's box (mm), each picture's
    bytes once in Res/ as a MultiMedia, and the table's vertical rules as PathObjects."""
    import re
    import zipfile

    write_issue(ISSUE)
    assert run("build", "--format", "pdf", "--format", "ofd", "issues/003.yaml").exit_code == 0
    mm = 25.4 / 72
    with pdfplumber.open(series / "build" / "003.pdf") as pdf:
        boxes = [(i, round(im["x0"] * mm, 1), round(im["top"] * mm, 1), round(im["width"] * mm, 1))
                 for i, page in enumerate(pdf.pages) for im in page.images]
        vertical = sum(1 for page in pdf.pages for line in page.lines if abs(line["x0"] - line["x1"]) < 0.01)
    package = zipfile.ZipFile(series / "build" / "003.ofd")
    names = package.namelist()
    found, ofd_vertical = [], 0
    for i in range(len([n for n in names if n.endswith("Content.xml")])):
        xml = package.read(f"Doc_0/Pages/Page_{i}/Content.xml").decode()
        for x, y, w in re.findall(r'<ofd:ImageObject [^>]*Boundary="([\d.]+) ([\d.]+) ([\d.]+) [\d.]+"', xml):
            found.append((i, round(float(x), 1), round(float(y), 1), round(float(w), 1)))
        ofd_vertical += len(re.findall(r"<ofd:AbbreviatedData>M ([\d.]+) 0 L \1 [\d.]+<", xml))
    assert len(boxes) == 7 and sorted(found) == sorted(boxes)
    res = package.read("Doc_0/PublicRes.xml").decode()
    media = re.findall(r'<ofd:MediaFile>([^<]+)</ofd:MediaFile>', res)
    assert media and all(f"Doc_0/Res/{m}" in names for m in media)
    assert (photos / "grey.jpg").read_bytes() in [package.read(f"Doc_0/Res/{m}") for m in media]
    assert ofd_vertical == vertical
