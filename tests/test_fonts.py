"""The font book: matching faces by name, fallback coverage, CFF→TTF conversion, the index cache, `describe`.

Uses the real fonts of this machine (scripts/install-fonts.sh) where a test needs them and skips with the
reason when they are missing; small fonts built here with fontTools' FontBuilder cover the rest.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

from jianbao import fonts
from jianbao.errors import JianbaoError
from jianbao.fonts import FontBook, FontIndex, check_coverage, describe, missing_error
from jianbao.stylesheet import load_stylesheet

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = ROOT / "templates" / "default" / "layout.yaml"
KEYS = ["xiaobiaosong", "fangsong", "hei", "kai", "song"]


# ---- fixtures ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def session_cache(tmp_path_factory) -> Path:
    """One cache for the whole run: the system font index is built once, the user's cache is not touched."""
    return tmp_path_factory.mktemp("jianbao-cache")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, session_cache):
    monkeypatch.setenv("JIANBAO_CACHE", str(session_cache))
    monkeypatch.delenv("JIANBAO_FONT_PATH", raising=False)


@pytest.fixture(scope="session")
def style():
    return load_stylesheet(LAYOUT)


@pytest.fixture
def series(tmp_path) -> Path:
    d = tmp_path / "series"
    (d / "fonts").mkdir(parents=True)
    return d


@pytest.fixture
def system_book(style, series) -> FontBook:
    return FontBook.for_series(series, style.fonts)


def need(book: FontBook, name: str) -> fonts.Face:
    """The face `name` on this machine, or skip the test saying which package provides it."""
    found = FontBook({"x": [name]}, book.search_dirs, base_dir=book.base_dir).faces("x")
    if not found:
        package = {"FandolFang": "Fandol (scripts/install-fonts.sh)", "FandolSong": "Fandol (scripts/install-fonts.sh)",
                   "FandolSong-Bold": "Fandol (scripts/install-fonts.sh)",
                   "AR PL UMing CN": "fonts-arphic-uming"}.get(name, name)
        pytest.skip(f"font {name!r} is not installed: install {package}")
    return found[0]


def make_font(path: Path, family, chars: str, *, style: str = "Regular", cff: bool = False, weight: int = 400,
              full: str | None = None) -> Path:
    """A tiny font: a square glyph for each of `chars`. `family` is a str or a {language: name} dict."""
    names = family if isinstance(family, dict) else {"en": family}
    english = names.get("en") or next(iter(names.values()))
    ps = (english.replace(" ", "") + "-" + style.replace(" ", "")).encode("ascii", "replace").decode().replace("?", "X")
    order = [".notdef"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    if cff:
        charstrings = {}
        for g in order:
            pen = T2CharStringPen(1000, None)
            pen.moveTo((100, -50)); pen.lineTo((900, -50)); pen.lineTo((900, 800)); pen.lineTo((100, 800))
            pen.closePath()
            charstrings[g] = pen.getCharString()
        fb.setupCFF(ps, {"FullName": full or f"{english} {style}"}, charstrings, {})
    else:
        glyphs = {}
        for g in order:
            pen = TTGlyphPen(None)
            pen.moveTo((100, -50)); pen.lineTo((100, 800)); pen.lineTo((900, 800)); pen.lineTo((900, -50))
            pen.closePath()
            glyphs[g] = pen.glyph()
        fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({g: (1000, 100) for g in order})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": names, "styleName": style, "fullName": full or f"{english} {style}",
                       "psName": ps, "uniqueFontIdentifier": ps}, mac=False)
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120, usWeightClass=weight)
    fb.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path


# ---- matching ----------------------------------------------------------------------------------------------------

def test_official_font_in_series_fonts_dir_matched_by_chinese_name_and_picked_first(style, series):
    official = make_font(series / "fonts" / "FS_GB2312.TTF", {"en": "FangSong_GB2312", "zh": "仿宋_GB2312"}, "中文")
    chinese = [(r.platformID, r.langID, r.nameID) for r in TTFont(str(official))["name"].names if "仿宋" in r.toUnicode()]
    assert chinese == [(3, 0x804, 1)]                      # the Chinese name is only in the zh-CN record
    book = FontBook.for_series(series, style.fonts)

    face = book.primary("fangsong")
    assert face.path == official and face.index == 0
    assert face.family == "仿宋_GB2312"              # the name as written in layout.yaml
    assert not face.is_cff and face.reportlab_path() == official
    assert book.docx_name("fangsong") == "仿宋_GB2312"
    assert face.has("中") and face.has("文") and not face.has("国")
    assert book.face_for("fangsong", "中") == face
    other = book.face_for("fangsong", "国")            # not in the official stand-in: the next face of the chain
    if other is None:
        pytest.skip("no CJK font installed for the rest of the fangsong chain (scripts/install-fonts.sh)")
    assert other.path != official

    # case, spaces, the English family name, and the file as an explicit path (also with #index)
    for name in ("fangsong_gb2312", " 仿宋_GB2312 ", "FangSong_GB2312", "fonts/FS_GB2312.TTF", "fonts/FS_GB2312.TTF#0"):
        assert FontBook.for_series(series, {"x": [name]}).primary("x").path == official, name
    assert FontBook.for_series(series, {"x": ["fonts/nothing.ttf"]}).faces("x") == []


def test_docx_name_of_an_explicit_file_is_its_chinese_family(series):
    make_font(series / "fonts" / "FZXBSJW.TTF", {"en": "FZXiaoBiaoSong-B05S", "zh": "方正小标宋简体"}, "简报")
    book = FontBook.for_series(series, {"xiaobiaosong": ["fonts/FZXBSJW.TTF", "FandolSong-Bold"]})
    assert book.docx_name("xiaobiaosong") == "方正小标宋简体"
    assert book.primary("xiaobiaosong").path.name == "FZXBSJW.TTF"


def test_full_name_selects_the_bold_file_family_selects_regular(tmp_path):
    d = tmp_path / "fonts"
    regular = make_font(d / "TestSong-Regular.otf", "Test Song", "中", full="Test Song")
    bold = make_font(d / "TestSong-Bold.otf", "Test Song", "中", style="Bold", weight=400, full="Test Song Bold")
    book = FontBook({"b1": ["TestSong-Bold"], "b2": ["test song bold"], "r": ["Test Song"]}, [d])
    assert book.primary("b1").path == bold and book.primary("b1").bold   # weight 400 but style Bold
    assert book.primary("b2").path == bold
    assert book.primary("r").path == regular and not book.primary("r").bold


def test_fandol_names(system_book):
    need(system_book, "FandolSong")
    book = FontBook({"a": ["FandolSong-Bold"], "b": ["FandolSong Bold"], "c": ["FandolSong"],
                     "d": ["FandolFang"], "e": ["FandolFang R"]}, system_book.search_dirs)
    assert book.primary("a").path.name == "FandolSong-Bold.otf"
    assert book.primary("b").path.name == "FandolSong-Bold.otf"
    assert book.primary("c").path.name == "FandolSong-Regular.otf"
    assert book.primary("d").path.name == book.primary("e").path.name == "FandolFang-Regular.otf"
    assert book.primary("a").is_cff and book.primary("a").reportlab_index == 0


def test_ttc_face_by_language_family(tmp_path):
    """Like Noto Serif CJK: one .ttc, face 0 JP … face 2 SC; 'Noto Serif CJK SC' must pick index 2."""
    d = tmp_path / "fonts"
    parts = [make_font(tmp_path / f"{lang}.ttf", f"Test Serif CJK {lang}", "中") for lang in ("JP", "KR", "SC")]
    collection = TTCollection()
    collection.fonts = [TTFont(str(p)) for p in parts]
    d.mkdir()
    collection.save(str(d / "TestSerifCJK-Regular.ttc"))
    book = FontBook({"song": ["Test Serif CJK SC"]}, [d], base_dir=tmp_path)
    face = book.primary("song")
    assert face.path.name == "TestSerifCJK-Regular.ttc" and face.index == 2
    assert face.has("中") and face.reportlab_index == 2
    assert FontBook({"x": ["fonts/TestSerifCJK-Regular.ttc#1"]}, [], base_dir=tmp_path).primary("x").index == 1


def test_primary_error_names_the_key_and_every_name_tried(tmp_path):
    book = FontBook({"hei": ["黑体", "No Such Hei"]}, [tmp_path])
    with pytest.raises(JianbaoError) as e:
        book.primary("hei")
    assert "'hei'" in str(e.value) and "黑体" in str(e.value) and "No Such Hei" in str(e.value)
    assert book.faces("hei") == [] and book.face_for("hei", "中") is None


# ---- coverage ----------------------------------------------------------------------------------------------------

def test_rare_name_characters_come_from_ar_pl_uming(style, system_book):
    fang = need(system_book, "FandolFang")
    need(system_book, "AR PL UMing CN")
    assert system_book.primary("fangsong").path == fang.path
    rare = [ch for ch in "堃玥昇" if not fang.has(ch)]
    if not rare:
        pytest.skip("this FandolFang has 堃玥昇: nothing to fall back for")
    tree = ET.fromstring('<bulletin><article><para line="12">张堃、李玥和王昇参加了会议。</para></article></bulletin>')
    cov = check_coverage(tree, style, system_book)
    assert cov.missing == []
    for ch in rare:
        face = cov.fallbacks[("para", ch)]
        assert (face.path.name, face.index, face.family) == ("uming.ttc", 0, "AR PL UMing CN")
    assert ("para", "张") not in cov.fallbacks                 # the primary face has it
    assert any("uming.ttc" in n for n in cov.notes())


def _char_in_no_font(book: FontBook, keys) -> str:
    faces = {f for k in keys for f in book.chain(k)}
    for ch in ("\U00020000", "\U0002A6D6", "\U0003134A", "\U0001FB00"):
        if not any(f.has(ch) for f in faces):
            return ch
    pytest.skip("every candidate character is in some installed font")


def test_character_in_no_font_is_reported_with_its_line(style, system_book):
    need(system_book, "FandolFang")
    ch = _char_in_no_font(system_book, ["fangsong", "kai", "hei"])
    tree = ET.fromstring(
        "<bulletin><note><note-label>编者按：</note-label>说明\u3000。</note><article line='3'>"
        f"<title line='4'>标题</title>"
        f"<para line='7'>这里有\u200b {ch}\t字。</para>"
        f"<para line='9'><runin level='2'><num>（一）</num>加强{ch}领导。</runin>正文</para>"
        f"<para>无行号{ch}</para></article></bulletin>")
    cov = check_coverage(tree, style, system_book)
    assert cov.missing == [(ch, "para", 7), (ch, "heading-2", 9), (ch, "para", 3)]   # the article's line is inherited
    err = missing_error(cov, "issues/011.yaml")
    lines = str(err).splitlines()
    assert lines[0].startswith(f"issues/011.yaml:3:1: character '{ch}' (U+{ord(ch):04X}) is in no font (tried: ")
    assert f"issues/011.yaml:7:1: character '{ch}' (U+{ord(ch):04X}) is in no font (tried: FandolFang" in str(err)
    if any(f.family == "AR PL UMing CN" for f in system_book.chain("fangsong")):
        assert "(tried: FandolFang, AR PL UMing CN, AR PL UKai CN" in lines[1]
    assert isinstance(err, JianbaoError)


def test_character_in_no_font_is_reported_at_its_column(style, system_book, tmp_path):
    need(system_book, "FandolFang")
    ch = _char_in_no_font(system_book, ["fangsong"])
    issue = tmp_path / "005.yaml"
    issue.write_text("number: 5\ndate: 2026-01-01\ntitle: 标题\nbody:\n"
                     f"  - 第一段。\n  - 第二段\n  - 第三段有个字{ch}在这里。\n", encoding="utf-8")
    tree = ET.fromstring(f"<bulletin><article line='3'><para line='7'>第三段有个字{ch}在这里。</para></article></bulletin>")
    err = missing_error(check_coverage(tree, style, system_book), issue)
    assert str(err).startswith(f"{issue}:7:11: character '{ch}'")


def test_no_line_attribute_gives_none(style, system_book):
    need(system_book, "FandolFang")
    ch = _char_in_no_font(system_book, ["fangsong"])
    cov = check_coverage(ET.fromstring(f"<bulletin><article><para>{ch}</para></article></bulletin>"), style, system_book)
    assert cov.missing == [(ch, "para", None)]
    assert str(missing_error(cov, "x.yaml")).startswith("x.yaml: character")


def test_unknown_element_is_an_error(style, system_book):
    need(system_book, "FandolFang")
    with pytest.raises(JianbaoError):
        check_coverage(ET.fromstring("<bulletin><article><para>a<b>x</b></para></article></bulletin>"),
                       style, system_book)


# ---- CFF → TrueType for reportlab ----------------------------------------------------------------------------------

def test_cff_conversion_loads_in_reportlab_and_is_made_once(tmp_path, monkeypatch):
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    d = tmp_path / "fonts"
    make_font(d / "TestCFF-Bold.otf", "Test CFF", "中文", cff=True, style="Bold", weight=400)
    face = FontBook({"x": ["Test CFF Bold"]}, [d]).primary("x")
    assert face.is_cff and not face.is_converted()
    ttf = face.reportlab_path()
    assert ttf != face.path and ttf.suffix == ".ttf" and face.is_converted()
    assert Path(os.environ["JIANBAO_CACHE"]) in ttf.parents
    RLFont("TestCFFBold", str(ttf), subfontIndex=face.reportlab_index)     # reportlab accepts it
    converted = TTFont(str(ttf))
    assert "glyf" in converted and "CFF " not in converted
    assert converted["OS/2"].usWeightClass == 700                          # Bold declared 400, fixed
    mtime = ttf.stat().st_mtime_ns

    def boom(*args, **kwargs):
        raise AssertionError("converted again")
    monkeypatch.setattr(fonts, "_convert_to_ttf", boom)
    assert face.reportlab_path() == ttf and ttf.stat().st_mtime_ns == mtime
    assert FontBook({"x": ["Test CFF Bold"]}, [d]).primary("x").reportlab_path() == ttf   # a new book, same cache


def _fandol_subset(fang, text: str, target: Path):
    """FandolFang cut down to `text` (still CID-keyed CFF, its names kept), saved as `target`; its face found."""
    from fontTools import subset

    font = TTFont(str(fang.path))
    options = subset.Options()
    options.name_IDs = ["*"]
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    target.parent.mkdir(parents=True)
    font.save(str(target))
    return FontBook({"x": ["FandolFang"]}, [target.parent]).primary("x")


def test_fandol_cid_cff_converts(system_book, tmp_path):
    """The real thing, cut down: FandolFang subset to a few characters (still CID-keyed CFF) → TTF → reportlab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    fang = need(system_book, "FandolFang")
    face = _fandol_subset(fang, "中华人民共和国 ", tmp_path / "fonts" / "MiniFang.otf")
    assert face.is_cff
    ttf = face.reportlab_path()
    pdfmetrics.registerFont(RLFont("MiniFang", str(ttf)))
    assert pdfmetrics.stringWidth("中华", "MiniFang", 16) == pytest.approx(32, abs=0.5)
    converted = ttf.stat().st_mtime_ns
    assert face.reportlab_path() == ttf and ttf.stat().st_mtime_ns == converted      # kept, not converted again


# ---- the index -------------------------------------------------------------------------------------------------------

def test_index_is_reused_and_refreshed_only_for_changed_files(tmp_path):
    d = tmp_path / "fonts"
    a = make_font(d / "a.ttf", "Index A", "中")
    b = make_font(d / "sub" / "b.ttf", "Index B", "文")
    (d / "notes.txt").write_text("not a font")
    index_file = tmp_path / "cache" / "fontindex.json"
    families = {"a": ["Index A"], "b": ["Index B"]}

    first = FontIndex(index_file)
    book = FontBook(families, [d], index=first)
    assert book.primary("a").path == a and book.primary("b").path == b
    assert first.parsed == 2 and index_file.exists()
    data = json.loads(index_file.read_text(encoding="utf-8"))
    assert set(data["files"]) == {str(a), str(b)}

    second = FontIndex(index_file)
    assert FontBook(families, [d], index=second).primary("b").path == b
    assert second.parsed == 0                                  # nothing read again

    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    third = FontIndex(index_file)
    assert FontBook(families, [d], index=third).primary("a").path == a
    assert third.parsed == 1                                   # only the touched file

    nested = FontIndex(index_file)            # a search directory inside another one: scanned once, kept
    assert FontBook(families, [d / "sub", d], index=nested).primary("b").path == b
    again = FontIndex(index_file)
    assert FontBook(families, [d / "sub", d], index=again).primary("a").path == a
    assert nested.parsed == again.parsed == 0 and not again.dirty

    b.unlink()
    fourth = FontIndex(index_file)
    assert FontBook(families, [d], index=fourth).faces("b") == []
    assert str(b) not in json.loads(index_file.read_text(encoding="utf-8"))["files"]


def test_a_warm_scan_of_the_system_reads_no_font_file(style, series):
    FontBook.for_series(series, style.fonts).faces("fangsong")        # warm the index
    for _ in range(2):
        book = FontBook.for_series(series, style.fonts)
        for key in KEYS:
            book.faces(key)
        assert book.index.parsed == 0                   # every file known from the index: no font file opened


def test_segments_split_text_by_face(system_book):
    fang = need(system_book, "FandolFang")
    need(system_book, "AR PL UMing CN")
    if fang.has("堃"):
        pytest.skip("this FandolFang has 堃")
    segs = system_book.segments("fangsong", "张堃 同志")
    assert [s for _, s in segs] == ["张", "堃 ", "同志"] or [s for _, s in segs] == ["张", "堃", " 同志"]
    assert segs[0][0] == fang and segs[1][0].path.name == "uming.ttc" and segs[-1][0] == fang


# ---- describe ----------------------------------------------------------------------------------------------------------

def test_describe_mentions_the_chosen_files_and_sources(style, system_book):
    fang = need(system_book, "FandolFang")
    need(system_book, "AR PL UMing CN")
    text = "中堃" + "\U00020000"
    lines = describe(system_book, style, text)
    out = "\n".join(lines)
    assert str(fang.path) in out and "uming.ttc" in out
    block = out[out.index("fangsong"):out.index("\nhei")]
    assert "roles:" in block and "para" in block
    assert "not found: 仿宋_GB2312" in block and "DOCX asks for: 仿宋_GB2312" in block
    assert "CFF" in block
    if not fang.has("堃"):
        assert "lacks 堃 (U+5803): AR PL UMing CN (uming.ttc)" in block
    if not any(f.has("\U00020000") for f in system_book.chain("fangsong")):
        assert "lacks \U00020000 (U+20000): MISSING" in block
    assert "lacks 中" not in block


def test_the_installed_fontconfig_aliases_map_the_official_names_to_fandol(tmp_path):
    # what scripts/install-fonts.sh puts in fontconfig's conf.d, read by fontconfig itself in a scratch setup
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig's fc-match is not installed")
    dirs = [d for d in ("/usr/local/share/fonts/fandol", Path.home() / ".local/share/fonts/fandol")
            if Path(d, "FandolSong-Bold.otf").is_file()]
    if not dirs:
        pytest.skip("the Fandol fonts are not installed (scripts/install-fonts.sh)")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
        <dir>{dirs[0]}</dir><cachedir>{tmp_path / 'cache'}</cachedir>
        <include>{ROOT / 'src/jianbao/data/65-jianbao-open-faces.conf'}</include></fontconfig>""", encoding="utf-8")

    def match(name):
        out = subprocess.run(["fc-match", "-f", "%{file}", name], capture_output=True, text=True, check=True,
                             env=dict(os.environ, FONTCONFIG_FILE=str(conf)))
        return Path(out.stdout).name

    assert match("仿宋_GB2312") == "FandolFang-Regular.otf"
    assert match("黑体") == "FandolHei-Regular.otf"
    assert match("楷体_GB2312") == "FandolKai-Regular.otf"
    assert match("宋体") == "FandolSong-Regular.otf"
    assert match("方正小标宋简体") == "FandolSong-Bold.otf"        # the heavy Song, without asking for bold


def test_two_files_with_one_postscript_name_keep_their_own_widths(system_book, tmp_path):
    """reportlab keeps one font per PostScript name: a face whose name another file already registered (here a
    subset of FandolFang, without 国) must not lend its widths to the real one."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    from jianbao.layout.metrics import Metrics

    fang = need(system_book, "FandolFang")
    same = _fandol_subset(fang, "中华", tmp_path / "subset" / "Same.otf")
    pdfmetrics.registerFont(RLFont("SameNameFirst", str(same.reportlab_path())))   # the subset's name first
    metrics = Metrics(system_book, 0.88)
    # (not a digit: digits come from the style sheet's latin face)
    name, advance = metrics.glyph("fangsong", "国", "para")
    assert advance == pytest.approx(1.0, abs=0.02)          # an ideograph is an em in FandolFang (the subset has none)
    # the real face's converted file (its name carries a hash of its content: an earlier test of the same process may
    # have registered the same file from another cache folder)
    assert Path(pdfmetrics.getFont(name).face.filename).name == fang.reportlab_path().name
