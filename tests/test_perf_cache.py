"""The speed work, checked for sameness: every cache and shortcut gives what the slow path gave.

* reportlab's parsed fonts kept in the cache directory (jianbao.speed.facecache): loaded instead of parsed, the
  same PDF bytes; a damaged cache file is parsed again;
* the PDF writer's own text objects: the same operators, numbers and escapes as reportlab's PDFTextObject;
* the line breaker's autospace pass: the same units as the loop over every unit it replaced;
* batch: font hashes kept by path, size and mtime; outputs as written not hashed again; the series key once
  per build; a lone issue's DOCX made in a forked process: the same bytes as made in one process;
* the DOCX writer: the document prepared for a style sheet (template, styles, fonts, settings, footers) deep-copied
  for each file: the same bytes;
* api: the style sheet kept in the cache directory; one Jinja environment per template folder that still sees
  an edited template;
* PyYAML's non-printable pattern, seeded in `re`'s cache as its complement: the same characters;
* check: the CJK character classes matched as placeholder characters: the same findings.
"""
from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
try:
    import jianbao  # noqa: F401
except ImportError:          # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

from reportlab.lib.rl_accel import escapePDF, fp_str  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from jianbao import api, batch  # noqa: E402
from jianbao.layout import lay_out, linebreak, page as page_model  # noqa: E402
from jianbao.speed import facecache, pdftext  # noqa: E402
from jianbao.writers import pdf as pdf_writer  # noqa: E402
from jianbao.fonts import cache_dir, system_font_dirs  # noqa: E402

ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _truetype_font() -> Path | None:
    """A glyf TrueType font of the system with Latin, Greek and Cyrillic (more than 256 glyphs to use)."""
    names = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf")
    for d in system_font_dirs():
        for name in names:
            for p in sorted(d.rglob(name)) if d.is_dir() else ():
                with open(p, "rb") as f:
                    if f.read(4) == b"\x00\x01\x00\x00":
                        return p
    return None


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache directory for this test (the machine's converted fonts linked in, so nothing is
    converted again)."""
    real = cache_dir()
    d = tmp_path / "cache"
    d.mkdir()
    if (real / "fonts").is_dir():
        (d / "fonts").symlink_to(real / "fonts", target_is_directory=True)
    monkeypatch.setenv("JIANBAO_CACHE", str(d))
    return d


@pytest.fixture(scope="module")
def ttf() -> Path:
    p = _truetype_font()
    if p is None:
        pytest.skip("no TrueType font with Latin, Greek and Cyrillic on this machine (DejaVu Sans)")
    return p


def _fresh_name(tag: str) -> str:
    return f"jbtest-{tag}-{time.perf_counter_ns()}"


# ---- the face cache ----------------------------------------------------------------------------------------------

def _face_state(font) -> dict:
    skip = {"_ttf_data", "_pdfScale", "glyphToChar", "_glyph_to_char"}
    # glyph offsets and metrics come back from the cache as arrays: the same values in the same order
    return {k: list(v) if k in ("glyphPos", "hmetrics") else v for k, v in font.face.__dict__.items() if k not in skip}


def test_face_cache_restores_what_reportlab_parsed(cache, ttf):
    from reportlab.pdfbase.ttfonts import TTFont

    parsed = TTFont("x", str(ttf))
    before = facecache.FACES_PARSED
    first = facecache.load_ttfont(_fresh_name("a"), str(ttf), 0)       # parsed, then kept
    assert facecache.FACES_PARSED == before + 1
    kept = list((cache / "reportlab").glob(f"{ttf.stem}-0-*.pickle"))
    assert len(kept) == 1
    second = facecache.load_ttfont(_fresh_name("b"), str(ttf), 0)      # loaded
    assert facecache.FACES_PARSED == before + 1
    assert isinstance(second.face, facecache._CachedFace)
    assert _face_state(second) == _face_state(parsed) == _face_state(first)
    # what is made on first use is what reportlab had
    assert second.face._ttf_data[:] == parsed.face._ttf_data      # (the file mapped, not read)
    assert second.face.glyphToChar == parsed.face.glyphToChar
    assert second.face._pdfScale(1234) == parsed.face._pdfScale(1234)
    assert second.stringWidth("Hello, Ωμέγα", 12) == parsed.stringWidth("Hello, Ωμέγα", 12)
    # and the subsets reportlab makes from it are the same bytes
    chars = [ord(c) for c in "ABCabc ÆØÅ ΑΒΓ АБВ"]
    assert second.face.makeSubset(chars) == parsed.face.makeSubset(chars)


def test_face_cache_key_follows_the_file(cache, ttf, tmp_path):
    copy = tmp_path / ttf.name
    shutil.copy(ttf, copy)
    a = facecache._face_cache_path(str(copy), 0)
    os.utime(copy, ns=(time.time_ns(), time.time_ns() + 10**9))
    b = facecache._face_cache_path(str(copy), 0)
    assert a != b and a.parent == b.parent == cache / "reportlab"
    assert facecache._face_cache_path(str(copy), 1) != b


def test_a_damaged_face_cache_file_is_parsed_again(cache, ttf):
    facecache.load_ttfont(_fresh_name("c"), str(ttf), 0)
    kept = facecache._face_cache_path(str(ttf), 0)
    kept.write_bytes(b"\x80\x05not a pickle")
    before = facecache.FACES_PARSED
    font = facecache.load_ttfont(_fresh_name("d"), str(ttf), 0)
    assert facecache.FACES_PARSED == before + 1
    assert font.face.charToGlyph
    assert kept.read_bytes()[:2] == b"\x80\x05" and len(kept.read_bytes()) > 1000     # written anew


def test_the_face_cache_loads_nothing_but_data(cache, ttf):
    import pickle

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo owned",))

    facecache.load_ttfont(_fresh_name("e"), str(ttf), 0)
    kept = facecache._face_cache_path(str(ttf), 0)
    kept.write_bytes(pickle.dumps(({"x": Evil()}, {}), protocol=5))
    with pytest.raises(pickle.UnpicklingError):
        with open(kept, "rb") as f:
            facecache._FaceUnpickler(f).load()
    before = facecache.FACES_PARSED
    facecache.load_ttfont(_fresh_name("f"), str(ttf), 0)
    assert facecache.FACES_PARSED == before + 1


def _build(issue: Path, out: Path, *args: str, env=None) -> None:
    subprocess.run([sys.executable, "-m", "jianbao.cli", "build", "--force", "--out", str(out), *args, str(issue)],
                   check=True, env=env or ENV, capture_output=True, timeout=600)


def _needs_fonts():
    context = api.Context.for_root(ROOT)
    from jianbao.errors import JianbaoError
    try:
        for key in context.style.fonts:
            if key != "fallback":
                context.fonts.primary(key)
    except JianbaoError as e:
        pytest.skip(f"fonts not installed (scripts/install-fonts.sh): {e}")


def test_a_pdf_from_the_face_cache_is_the_same_bytes(cache, tmp_path):
    _needs_fonts()
    env = dict(ENV, JIANBAO_CACHE=str(cache))
    issue = ROOT / "issues" / "011.yaml"
    _build(issue, tmp_path / "a", env=env)                  # fonts parsed and kept
    assert list((cache / "reportlab").glob("*.pickle"))
    probe = ("import sys; from pathlib import Path; from jianbao import api; "
             "from jianbao.speed import facecache; "
             "api.build(Path(sys.argv[1]), Path(sys.argv[2])); print(facecache.FACES_PARSED)")
    out = subprocess.run([sys.executable, "-c", probe, str(issue), str(tmp_path / "b")], env=env,
                         capture_output=True, text=True, check=True, timeout=600).stdout
    assert out.strip() == "0"                                # every font came from the cache
    for name in ("011.pdf", "011.docx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_pdf_streams_are_not_ascii85_and_the_setting_is_restored(tmp_path):
    _needs_fonts()
    from reportlab import rl_config

    before = rl_config.useA85
    api.build(ROOT / "issues" / "011.yaml", tmp_path)
    data = (tmp_path / "011.pdf").read_bytes()
    assert b"/ASCII85Decode" not in data and b"/FlateDecode" in data
    assert rl_config.useA85 == before
    from reportlab.pdfbase import pdfdoc
    assert "encode" not in vars(pdfdoc.PDFZCompress)          # reportlab's own deflate is back


def test_streams_deflated_fast_decode_to_what_reportlab_deflated(tmp_path, monkeypatch):
    """DEFLATE_LEVEL changes the compressed bytes only: every stream and object is the same once decoded."""
    _needs_fonts()
    import re
    import zlib

    def decoded(data: bytes):
        streams = [zlib.decompress(m.group(1)) for m in
                   re.finditer(rb"(?<!end)stream\r?\n(.*?)\r?\nendstream", data, re.S)]
        rest = re.sub(rb"(?<!end)stream\r?\n.*?endstream", b"", data, flags=re.S)
        rest = re.sub(rb"/Length\d? \d+|\d{10} \d{5} [nf]|startxref\s+\d+", b"", rest)
        return streams, rest

    context = api.Context.for_root(ROOT)
    tree = api.build_tree(ROOT / "issues" / "011.yaml", context)
    fast, usual = io.BytesIO(), io.BytesIO()
    pdf_writer.write(tree, lay_out(tree, context.style, context.fonts), context.style, fast)
    monkeypatch.setattr(pdftext, "DEFLATE_LEVEL", 6)             # zlib's default, which reportlab uses
    pdf_writer.write(tree, lay_out(tree, context.style, context.fonts), context.style, usual)
    assert fast.getvalue() != usual.getvalue()
    assert decoded(fast.getvalue()) == decoded(usual.getvalue())


# ---- text objects as reportlab writes them ------------------------------------------------------------------------

def _reference_pieces(c, run):
    """The writer's `_pieces` before it wrote its own text objects."""
    if not run.tc:
        return [(run.x, run.text)]
    font = pdfmetrics.getFont(run.font)
    out = []
    pos, x = 0, run.x
    for _, chunk in font.splitString(run.text, c._doc):
        part = run.text[pos:pos + len(chunk)]
        out.append((x, part))
        x += font.stringWidth(part, run.size) + run.tc * len(part)
        pos += len(chunk)
    return out


def _reference_draw_row(c, row, x_origin, y):
    """The writer's `_draw_row` before: reportlab's PDFTextObject."""
    text, state = None, {}
    for run in row.runs:
        if run.stroke:
            if text is not None:
                c.drawText(text)
                text = None
            c.saveState()
            colour = pdftext.colour(run.colour)
            c.setStrokeColor(colour)
            c.setLineWidth(run.stroke)
            t = c.beginText()
            t.setTextRenderMode(2)
            t.setFillColor(colour)
            t.setFont(run.font, run.size)
            t.setCharSpace(run.tc)
            for x, part in _reference_pieces(c, run):
                t.setTextOrigin(x_origin + x, y)
                t.textOut(part)
            c.drawText(t)
            c.restoreState()
            state.clear()
            continue
        if text is None:
            text, state = c.beginText(), {}
        if state.get("colour") != run.colour:
            text.setFillColor(pdftext.colour(run.colour))
            state["colour"] = run.colour
        if state.get("font") != (run.font, run.size):
            text.setFont(run.font, run.size)
            state["font"] = (run.font, run.size)
        if state.get("tc") != run.tc:
            text.setCharSpace(run.tc)
            state["tc"] = run.tc
        for x, part in _reference_pieces(c, run):
            text.setTextOrigin(x_origin + x, y)
            text.textOut(part)
    if text is not None:
        c.drawText(text)


def test_text_objects_are_written_as_reportlab_writes_them(cache, ttf):
    names = [_fresh_name("t1"), _fresh_name("t2")]
    for name in names:
        pdfmetrics.registerFont(facecache.load_ttfont(name, str(ttf), 0))
    font = pdfmetrics.getFont(names[0])
    alphabet = [chr(c) for c in range(0x20, 0x500) if ord(" ") < c and c in font.face.charToGlyph
                and c not in (0xA0, 0xAD)]
    assert len(alphabet) > 600                       # several 256-glyph subsets
    rnd = random.Random(9704)
    rows = []
    for _ in range(300):
        runs, x = [], rnd.uniform(0, 20)
        for _ in range(rnd.randint(1, 5)):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30)))
            size = rnd.choice([14.0, 16.0, 22.0, 10.5])
            run = page_model.GlyphRun(x=x, text=text, font=rnd.choice(names), size=size,
                                      colour=rnd.choice(["#000000", "#FF0000", "#1A2B3C"]),
                                      stroke=rnd.choice([0.0, 0.0, 0.0, 0.32]),
                                      tc=rnd.choice([0.0, -0.206974, 2.993026, rnd.uniform(-1, 5)]), end=0.0)
            runs.append(run)
            x += rnd.uniform(5, 200)
        rows.append((page_model.Row(runs, 16.0), rnd.uniform(-100, 900)))
    a, b = Canvas(io.BytesIO(), invariant=1), Canvas(io.BytesIO(), invariant=1)
    for row, y in rows:
        _reference_draw_row(a, row, 79.37008, y)
        pdftext.draw_row(b, row, 79.37008, y)
    assert b._code == a._code
    assert b._doc.fontMapping == a._doc.fontMapping


def test_numbers_and_escapes_are_reportlabs():
    rnd = random.Random(1)
    values = [0, 0.0, -0.0, 1e-9, -1e-9, 1e-7, 5e-7, 1, -1, 0.5, 16, 16.0, 19.2, 841.8898, 1e6, 123456789.123,
              -0.206974, 2.993026] + [rnd.uniform(-1000, 1000) for _ in range(2000)] + \
             [rnd.uniform(-1, 1) for _ in range(500)]
    for v in values:
        assert pdftext._num(v) == fp_str(v), v
    data = bytes(range(256)) + bytes(rnd.randrange(256) for _ in range(1000))
    assert pdftext._escape(data) == escapePDF(data)


# ---- the line breaker's autospace pass ----------------------------------------------------------------------------

def _reference_autospace(u, space):
    """`_add_autospace` before: a pass over every unit."""
    W, F, T, S = u.W, u.F, u.T, u.S
    out_w, out_f, out_t, out_s = [], [], [], []

    def alnum(i, side):
        return bool(F[i] & linebreak._NARROW) and bool(T[i]) and T[i][side].isalnum() and T[i][side].isascii()

    for i in range(len(W)):
        if i and F[i - 1] & linebreak._IDEO and alnum(i, 0) or i and F[i] & linebreak._IDEO and alnum(i - 1, -1):
            out_w.append(space)
            out_f.append(linebreak._SPACE)
            out_t.append("")
            out_s.append(S[i] if F[i] & linebreak._NARROW else S[i - 1])
        out_w.append(W[i])
        out_f.append(F[i])
        out_t.append(T[i])
        out_s.append(S[i])
    u.W, u.F, u.T, u.S = out_w, out_f, out_t, out_s


def test_autospace_gives_the_units_it_gave():
    rnd = random.Random(15834)
    pieces = ["中", "国", "，", "。", "“", "”", "2021", "GDP", "91.93%", " ", "a", "Ω", "（", "）", "——", "、", "x1",
              "é", "3.5", "B-READY", "\u0301", "１２"]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25)))
        runs = [(text[:len(text) // 2], "a"), (text[len(text) // 2:], "b")]
        measure = lambda s, st: 0.5 * len(s)   # noqa: E731
        a = linebreak._tokenize(runs, 1.0, measure, 28.0)
        b = linebreak._tokenize(runs, 1.0, measure, 28.0)
        _reference_autospace(a, 0.25)
        linebreak._add_autospace(b, 0.25)
        assert (b.W, b.F, b.T, b.S) == (a.W, a.F, a.T, a.S), text


# ---- batch: hashes, freshness, the split build --------------------------------------------------------------------

def test_font_hashes_are_kept_by_size_and_mtime(tmp_path, monkeypatch):
    font = tmp_path / "a.ttf"
    font.write_bytes(b"x" * 1000)
    store = tmp_path / "fonthashes.json"
    hashed = []
    real = batch._sha256
    monkeypatch.setattr(batch, "_sha256", lambda p: hashed.append(p) or real(p))
    h = batch.FontHashes(store)
    first = h.get(font)
    h.save()
    assert json.loads(store.read_text())["files"][str(font)][2] == first
    again = batch.FontHashes(store)                   # another process: from the file
    assert again.get(font) == first and len(hashed) == 1
    font.write_bytes(b"y" * 1000)                      # same size, new mtime: hashed again
    os.utime(font, ns=(time.time_ns(), time.time_ns() + 10**9))
    changed = again.get(font)
    assert changed != first and len(hashed) == 2
    store.write_text("{not json")
    assert batch.FontHashes(store).get(font) == changed     # a damaged file is ignored


def test_an_output_edited_after_the_build_is_rebuilt(series):
    issue = series / "issues" / "011.yaml"
    out = series / "build"
    out.mkdir()
    outputs = [out / "011.pdf", out / "011.docx"]
    for o in outputs:
        o.write_bytes(b"%PDF-1.4 original")
    cache = batch.Cache(out)
    cache.record(issue, "k", tuple(outputs))
    assert cache.fresh(issue, "k", outputs)
    assert not cache.fresh(issue, "other key", outputs)
    outputs[0].write_bytes(b"%PDF-1.4 EDITED!!")       # same size, new content and mtime
    os.utime(outputs[0], ns=(time.time_ns(), time.time_ns() + 10**9))
    assert not cache.fresh(issue, "k", outputs)
    outputs[0].write_bytes(b"%PDF-1.4 original")        # the content recorded, touched: still fresh
    os.utime(outputs[0], ns=(time.time_ns(), time.time_ns() + 2 * 10**9))
    assert cache.fresh(issue, "k", outputs)
    outputs[1].unlink()
    assert not cache.fresh(issue, "k", outputs)


def test_the_series_key_is_computed_once_per_build(series, monkeypatch):
    calls = []
    real = batch.context_key
    monkeypatch.setattr(batch, "context_key", lambda c: calls.append(c) or real(c))
    monkeypatch.setattr(batch, "_build_one", lambda issue, target, formats, split=False, preprinted=False:
                        batch.Outcome(issue, "failed", message="not built here"))
    batch.build_many(sorted((series / "issues").glob("*.yaml")), jobs=1)
    assert len(calls) == 1


def test_a_lone_issue_built_side_by_side_is_the_same_bytes(series, tmp_path):
    _needs_fonts()
    if batch._fork_context() is None:
        pytest.skip("the side-by-side build needs fork (Linux)")
    issue = series / "issues" / "011.yaml"
    _build(issue, tmp_path / "split")                   # one issue, default jobs: PDF here, DOCX forked
    _build(issue, tmp_path / "one", "-j", "1")          # both in one process
    for name in ("011.pdf", "011.docx"):
        assert (tmp_path / "split" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


def test_a_side_by_side_build_that_fails_writes_nothing(series, tmp_path, monkeypatch):
    issue = series / "issues" / "011.yaml"
    context = api.Context.for_root(series)

    def broken(path, tree, laid, ctx, formats):
        raise batch.JianbaoError(f"{path}: cannot make {','.join(formats)}")
    monkeypatch.setattr(api, "write_formats", broken)
    with pytest.raises(batch.JianbaoError):
        batch._build_split(issue, tmp_path / "out", context, ("pdf", "docx"))
    assert not (tmp_path / "out").exists()


def test_a_side_by_side_build_whose_other_process_crashes_says_so(series, tmp_path, monkeypatch):
    _needs_fonts()
    if not batch._forks():
        pytest.skip("the side-by-side build needs fork (Linux)")
    issue = series / "issues" / "011.yaml"
    context = api.Context.for_root(series)

    def crash(path, tree, laid, context, formats):
        raise ValueError("boom in the DOCX process")
    monkeypatch.setattr(batch, "_write_elsewhere", crash)
    with pytest.raises(RuntimeError, match="boom in the DOCX process"):
        batch._build_split(issue, tmp_path / "out", context, ("pdf", "docx"))
    assert not (tmp_path / "out").exists()


# ---- api: the style sheet kept, the Jinja environment -------------------------------------------------------------

def test_a_changed_style_sheet_is_read_again(series, own_template):
    custom = own_template
    before = api.Context.for_root(series)
    assert before.template == custom
    layout = custom / "layout.yaml"
    layout.write_text(layout.read_text(encoding="utf-8") + "grid: {chars: 27}\n", encoding="utf-8")
    after = api.Context.for_root(series)
    assert (before.style.grid.chars, after.style.grid.chars) == (28, 27)


def test_one_jinja_environment_still_sees_an_edited_template(series, own_template):
    custom = own_template
    issue = series / "issues" / "011.yaml"
    context = api.Context.for_root(series)
    first = api.build_tree(issue, context)
    template = custom / "bulletin.xml.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("</bulletin>", "<note>编者按：模板改了。</note></bulletin>", 1),
                        encoding="utf-8")
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = api.build_tree(issue, context)
    assert first.find("note") is None or len(second.findall("note")) > len(first.findall("note"))
    assert "模板改了" in "".join(second.itertext())


def test_unconverted_faces_are_converted_before_the_builds_in_parallel(series, monkeypatch):
    from jianbao import fonts

    calls = []
    monkeypatch.setattr(fonts, "prepare_reportlab", lambda faces, jobs=None: calls.append((list(faces), jobs)))
    monkeypatch.setattr(batch, "_build_one", lambda issue, target, formats, split=False, preprinted=False:
                        batch.Outcome(issue, "failed", message="not built here"))
    batch.build_many([series / "issues" / "011.yaml"], jobs=3, force=True)
    assert len(calls) == 1 and calls[0][1] == 3
    context = api.Context.for_root(series)
    assert set(calls[0][0]) == {f for key in context.style.fonts for f in context.fonts.chain(key)}
    calls.clear()
    batch.build_many([series / "issues" / "011.yaml"], formats=("docx",), jobs=3, force=True)
    assert len(calls) == 1                              # a DOCX is laid out with the same faces


def test_the_glyf_table_view_slices_as_bytes(cache, ttf):
    facecache.load_ttfont(_fresh_name("g"), str(ttf), 0)
    face = facecache.load_ttfont(_fresh_name("h"), str(ttf), 0).face
    assert isinstance(face, facecache._CachedFace)
    view = face.get_table("glyf")
    pos, length = face.get_table_pos("glyf")
    whole = face._ttf_data[pos:pos + length]
    assert len(view) == len(whole)
    for a, b in ((0, 10), (5, 5), (100, 3000), (length - 7, length + 50), (-20, None)):
        assert view[a:b] == whole[a:b] and type(view[a:b]) is bytes
    assert view[3] == whole[3] and view[-1] == whole[-1]
    assert face.get_table("head") == face._ttf_data[slice(*(lambda p, n: (p, p + n))(*face.get_table_pos("head")))]


# ---- docx_writer: the prepared document, deep-copied -------------------------------------------------------------

def test_docx_from_the_prepared_document_is_the_same_bytes(monkeypatch):
    from jianbao.writers import docx as docx_writer

    context = api.Context.for_root(ROOT)
    trees = {n: api.build_tree(ROOT / "issues" / f"{n}.yaml", context) for n in ("008", "011")}
    laid = {n: lay_out(trees[n], context.style, context.fonts) for n in trees}

    def docx_of(name):
        buf = io.BytesIO()
        docx_writer.write(trees[name], laid[name], context.style, buf)
        return buf.getvalue()

    monkeypatch.setattr(docx_writer._DocxWriter, "_PREPARED", {})
    first = {n: docx_of(n) for n in ("011", "008")}        # 011 prepares the document, 008 copies it
    assert len(docx_writer._DocxWriter._PREPARED) == 1
    for n in ("008", "011", "008"):                         # writing never changes the kept document
        assert docx_of(n) == first[n]
    # and a document prepared afresh for each file is the same bytes
    for n in ("008", "011"):
        monkeypatch.setattr(docx_writer._DocxWriter, "_PREPARED", {})
        assert docx_of(n) == first[n]


# ---- PyYAML's printable-character pattern, compiled fast ---------------------------------------------------------

def test_the_fast_non_printable_pattern_matches_the_same_characters():
    import re

    from jianbao.speed import imports as _yaml_regex

    everything = "".join(map(chr, range(0x110000)))
    fast = re.compile(_yaml_regex.NON_PRINTABLE_FAST)
    slow = re._compiler.compile(_yaml_regex.NON_PRINTABLE) if hasattr(re, "_compiler") else re.sre_compile.compile(
        _yaml_regex.NON_PRINTABLE)                          # (compiled afresh, not from the cache)
    assert [m.start() for m in fast.finditer(everything)] == [m.start() for m in slow.finditer(everything)]


def test_pyyaml_gets_the_fast_pattern():
    probe = ("import jianbao, yaml, sys; from jianbao.speed import imports as y; "
             "sys.exit(yaml.reader.Reader.NON_PRINTABLE.pattern != y.NON_PRINTABLE_FAST)")
    subprocess.run([sys.executable, "-c", probe], env=ENV, check=True, timeout=60)
    # and PyYAML still refuses a control character in a document read by its pure-Python reader
    import yaml
    with pytest.raises(yaml.reader.ReaderError):
        yaml.load("a: b\x07", Loader=yaml.SafeLoader)


# ---- check: the CJK classes matched as placeholders --------------------------------------------------------------

def test_check_patterns_on_placeholders_find_what_the_class_patterns_found():
    import re

    from jianbao import check

    cjk, mark = check.CJK, check.CJK_OR_MARK
    halfwidth = re.compile(rf"(?<={mark})[,;:?!]|[,;:?!](?={cjk})|(?<={cjk})\.(?={cjk}|$)|\((?={cjk})|(?<={mark})\)")
    stray = re.compile(rf"(?<={mark}) +(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%]) +(?={mark})")
    # each class's edges, inside and outside, and the placeholders themselves
    alphabet = ["\u3400", "\u4dbf", "\u4dc0", "\u4e00", "中", "\u9fff", "\ua000", "\uf8ff", "\uf900", "\ufaff",
                "\ufb00", "\U00020000", "\U0003134f", "\U00031350", "\u2fff", "\u3000", "。", "\u303f", "\u3040",
                "\ufeff", "\uff00", "，", "\uffef", "\ufff0", "“", "”", "‘", "’", "\"", "'", "\x00", "\x01", "\x02",
                "\x03", "\n", " ", " ", ",", ";", ":", "?", "!", "(", ")", ".", "%", "0", "9", "a", "Z", "é"]
    rnd = random.Random(9704)
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        classed = check._classed(text)
        assert len(classed) == len(text)
        assert [m.span() + (m.group(),) for m in check.HALFWIDTH.finditer(classed)] == \
            [m.span() + (m.group(),) for m in halfwidth.finditer(text)], text
        assert [m.span() + (m.group(),) for m in check.STRAY_SPACE.finditer(classed)] == \
            [m.span() + (m.group(),) for m in stray.finditer(text)], text
        last = text[-1:]
        assert (check._classed(last) in (check._HAN, check._HAN_ONLY)) == bool(last and re.search(cjk, last))


# ---- imports a build does without --------------------------------------------------------------------------------

def test_fonttools_version_read_without_importing_it():
    probe = ("import sys; from jianbao import fonts; v = fonts._fonttools_version(); "
             "assert 'fontTools' not in sys.modules; import fontTools; assert v == fontTools.version, v")
    subprocess.run([sys.executable, "-c", probe], env=ENV, check=True, timeout=60)


def test_a_pdf_build_imports_no_docx_pil_fonttools_logging_or_multiprocessing(tmp_path):
    _needs_fonts()
    probe = ("import sys; from jianbao.cli import main\n"
             "try:\n    main(['build', '--force', '--format', 'pdf', '--out', sys.argv[1], sys.argv[2]])\n"
             "except SystemExit as e:\n    assert not e.code, e.code\n"
             "loaded = [m for m in ('docx', 'PIL.ExifTags', 'fontTools', 'logging', 'traceback', 'multiprocessing') "
             "if m in sys.modules]\n"
             "assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", probe, str(tmp_path), str(ROOT / "issues" / "011.yaml")], env=ENV,
                   check=True, timeout=600, capture_output=True)


# ---- the switch that turns every speed trick off ------------------------------------------------------------------

def test_without_the_speed_tricks_the_pages_and_the_docx_are_the_same(tmp_path):
    """JIANBAO_NO_SPEEDUPS=1: no face cache, reportlab's own text objects and deflate, no fork, no os._exit. The
    pages carry the same glyphs at the same places; the DOCX is the same bytes."""
    _needs_fonts()
    import pdfplumber

    issue = ROOT / "issues" / "011.yaml"
    for name, extra in (("fast", {}), ("plain", {"JIANBAO_NO_SPEEDUPS": "1"})):
        env = dict(ENV, **extra)
        subprocess.run([sys.executable, "-m", "jianbao.cli", "build", "--force", "--out", str(tmp_path / name),
                        str(issue)], env=env, check=True, capture_output=True, timeout=600)

    def glyphs(path):
        with pdfplumber.open(path) as pdf:
            return [[(c["text"], round(c["x0"], 2), round(c["top"], 2), c["size"], c["non_stroking_color"])
                     for c in page.chars] for page in pdf.pages]
    fast, plain = glyphs(tmp_path / "fast" / "011.pdf"), glyphs(tmp_path / "plain" / "011.pdf")
    assert len(fast) == 5 and fast == plain
    assert (tmp_path / "fast" / "011.pdf").read_bytes() != (tmp_path / "plain" / "011.pdf").read_bytes()
    assert (tmp_path / "fast" / "011.docx").read_bytes() == (tmp_path / "plain" / "011.docx").read_bytes()
