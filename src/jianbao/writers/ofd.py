"""The OFD writer: the page model (jianbao.layout.page), as the PDF writer draws it, as an OFD package (GB/T 33190-2016,
版式文档).

The package, as the standard lays it out (element order as its schemas require):

    OFD.xml                          DocBody: DocInfo (title, author = the editor, creation date = the issue's
                                     date: never the clock) and DocRoot
    Doc_0/Document.xml               CommonData (MaxUnitID, PageArea A4, PublicRes), Pages
    Doc_0/PublicRes.xml              the fonts, each with its FontFile in Res/
    Doc_0/Pages/Page_N/Content.xml   one Layer: ImageObjects for the pictures, PathObjects for the rules (a
                                     table's column rules too), a TextObject per glyph run
    Doc_0/Res/image_N.jpg|png        each picture once, as the PDF embeds it (MultiMedia in PublicRes.xml)
    Doc_0/Res/font_ID.ttf            a TrueType (glyf) subset of each face: a reader needs no font of its own

Units are millimetres, y down from the paper's top, as in the page model (which is in points): every glyph is
where the PDF puts it, by TextCode X/Y and DeltaX, in the same face, size and colour; synthetic bold is the
PDF's fill + stroke. Deterministic: IDs in page order, fixed zip timestamps (the issue's date) and member order.
"""
from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
from typing import BinaryIO, Callable
from xml.etree import ElementTree as ET

from .. import __version__
from ..errors import JianbaoError
from ..i18n import _
from ..layout import LaidOut
from ..stylesheet import StyleSheet

MM = 25.4 / 72                      # mm per pt
NS = "http://www.ofdspec.org/2016"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
DEFLATE_LEVEL = 1                   # as the PDF's streams: level 6 made the package 5 % smaller in half again the time
# characters XML 1.0 does not allow (as the complement of its Char production this took 8 ms to compile)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ---------------------------------------------------------------------------------------------------------------
# Numbers and text

def _n(v: float) -> str:
    """A length in mm: three decimals (a micrometre), no trailing zeros."""
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


_ADVANCES: dict[float, str] = {}


def _d(v: float) -> str:
    """A glyph advance in mm: four decimals, so that forty of them add up to within 0.002 mm (memoised: a page
    has a few distinct advances, hundreds of times each)."""
    s = _ADVANCES.get(v)
    if s is None:
        if len(_ADVANCES) > 100_000:
            _ADVANCES.clear()
        s = f"{v:.4f}".rstrip("0").rstrip(".")
        s = _ADVANCES[v] = "0" if s in ("-0", "") else s
    return s


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _rgb(colour: str) -> str:
    c = colour.lstrip("#")
    return f"{int(c[0:2], 16)} {int(c[2:4], 16)} {int(c[4:6], 16)}"


def _deltas(values: list[str]) -> str:
    """DeltaX with the standard's `g N v` for N equal advances in a row."""
    out, i = [], 0
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i]:
            j += 1
        out.append(f"g {j - i} {values[i]}" if j - i > 1 else values[i])
        i = j
    return " ".join(out)


def _name(value) -> str:
    """A font name reportlab read from the name table (bytes)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return _NOT_XML.sub("", str(value or "")).strip()


# ---------------------------------------------------------------------------------------------------------------
# The writer

class _Ids:
    def __init__(self):
        self.last = 0

    def __call__(self) -> int:
        self.last += 1
        return self.last


class _Page:
    """One page's Content.xml."""

    def __init__(self, ids: _Ids, font_id, advance: Callable[[str, str], float], left: float):
        self.ids, self.font_id, self.advance, self.left = ids, font_id, advance, left
        self.out: list[str] = []
        self.layer = 0

    def _line(self, box: tuple[float, float, float, float], width: float, colour: str, path: str) -> None:
        """A stroked path in its box (mm), drawn `width` mm wide."""
        x, y, w, h = box
        self.out.append(f'<ofd:PathObject ID="{self.ids()}" Boundary="{_n(x)} {_n(y)} {_n(w)} {_n(h)}" '
                        f'LineWidth="{_n(width)}"><ofd:StrokeColor Value="{_rgb(colour)}"/>'
                        f'<ofd:AbbreviatedData>{path}</ofd:AbbreviatedData></ofd:PathObject>')

    def rule(self, rule) -> None:
        w = rule.width * MM
        x0, x1, y = rule.x0 * MM, rule.x1 * MM, rule.y * MM
        self._line((x0, y - w, x1 - x0, 2 * w), w, rule.colour, f"M 0 {_n(w)} L {_n(x1 - x0)} {_n(w)}")

    def vrule(self, rule) -> None:
        """A vertical rule (a table's column rule)."""
        w = rule.width * MM
        x, y0, y1 = rule.x * MM, rule.y0 * MM, rule.y1 * MM
        self._line((x - w, y0, 2 * w, y1 - y0), w, rule.colour, f"M {_n(w)} 0 L {_n(w)} {_n(y1 - y0)}")

    def image(self, image, resource: int) -> None:
        """A picture: the multimedia resource drawn into its box (the unit square scaled by the CTM)."""
        x, y, w, h = image.x * MM, image.y * MM, image.width * MM, image.height * MM
        self.out.append(f'<ofd:ImageObject ID="{self.ids()}" Boundary="{_n(x)} {_n(y)} {_n(w)} {_n(h)}" '
                        f'CTM="{_n(w)} 0 0 {_n(h)} 0 0" ResourceID="{resource}"/>')

    def row(self, baseline: float, row) -> None:
        for run in row.runs:
            if _NOT_XML.search(run.text):
                bad = _NOT_XML.search(run.text).group()
                raise JianbaoError(_("character U+{code} cannot be written to OFD (XML does not allow it)").format(
                    code=f"{ord(bad):04X}"))
            size, font, advance = run.size, run.font, self.advance
            steps = [_d((advance(font, ch) * size + run.tc) * MM) for ch in run.text[:-1]]
            # the object's box: the run's advances, with room for the glyphs' overhang and the bold stroke
            pad = 0.25 * size + run.stroke
            x = (self.left + run.x - pad) * MM
            top = (baseline - 1.1 * size) * MM
            width = (run.end - run.x + 2 * pad) * MM
            height = 1.5 * size * MM
            colour = _rgb(run.colour)
            attrs = f'ID="{self.ids()}" Boundary="{_n(x)} {_n(top)} {_n(width)} {_n(height)}" ' \
                    f'Font="{self.font_id(run.font)}" Size="{_n(size * MM)}"'
            paint = f'<ofd:FillColor Value="{colour}"/>'
            if run.stroke:
                attrs += f' Stroke="true" LineWidth="{_n(run.stroke * MM)}"'
                paint += f'<ofd:StrokeColor Value="{colour}"/>'
            delta = f' DeltaX="{_deltas(steps)}"' if steps else ""
            self.out.append(f'<ofd:TextObject {attrs}>{paint}<ofd:TextCode X="{_n(pad * MM)}" '
                            f'Y="{_n(1.1 * size * MM)}"{delta}>{_esc(run.text)}</ofd:TextCode></ofd:TextObject>')

    def xml(self) -> bytes:
        return (f'{XML_HEAD}<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="{self.layer}">' + "".join(self.out)
                + "</ofd:Layer></ofd:Content></ofd:Page>").encode("utf-8")


def write(tree: ET.Element, laid: LaidOut, style: StyleSheet, out: BinaryIO) -> None:
    """Write the laid-out pages as an OFD package to `out`. DocInfo: the PDF's title, the editor as author and the
    issue's date (a value of the tree, never the clock) as creation date."""
    from reportlab.pdfbase import pdfmetrics

    from . import ttf_subset

    meta = laid.plan.metadata
    pages, advance = laid.pages, laid.metrics.advance
    ids = _Ids()
    page_ids = [ids() for _ in pages]

    font_ids: dict[str, int] = {}               # reportlab font name → Font ID, in order of first use
    chars: dict[str, set[str]] = {}

    def font_id(name: str) -> int:
        fid = font_ids.get(name)
        if fid is None:
            fid = font_ids[name] = ids()
            chars[name] = set()
        return fid

    media: dict[bytes, tuple[int, str]] = {}   # picture bytes → (MultiMedia ID, file name), one resource each

    def media_id(image) -> int:
        found = media.get(image.data)
        if found is None:
            mid = ids()
            found = media[image.data] = (mid, f"image_{mid}.{'jpg' if image.format == 'jpeg' else 'png'}")
        return found[0]

    contents = []
    left = style.page.left
    for page in pages:
        p = _Page(ids, font_id, advance, left)
        p.layer = ids()
        for image in page.images:
            p.image(image, media_id(image))
        for rule in page.rules:
            p.rule(rule)
        for rule in page.vrules:
            p.vrule(rule)
        rows = list(page.rows) + ([page.folio] if page.folio is not None else [])
        for baseline, row in rows:
            for run in row.runs:
                font_id(run.font)
                chars[run.font].update(run.text)
            p.row(baseline, row)
        contents.append(p)
    page_xml = [p.xml() for p in contents]

    font_files = {}
    res = []
    for name, fid in font_ids.items():
        face = pdfmetrics.getFont(name).face          # what reportlab parsed of the face the layout registered
        try:
            font_files[fid] = ttf_subset.subset(face, chars[name])
        except (KeyError, IndexError, ValueError, struct.error) as e:   # (reportlab read it: only a damaged font)
            raise JianbaoError(_("cannot embed the font {font} in the OFD: {reason}").format(
                font=_name(face.name), reason=e)) from None
        bold = ' Bold="true"' if getattr(laid.metrics.face_of.get(name), "bold", False) else ""
        res.append(f'<ofd:Font ID="{fid}" FontName="{_esc(_name(face.name))}" '
                   f'FamilyName="{_esc(_name(face.familyName))}"{bold}><ofd:FontFile>font_{fid}.ttf</ofd:FontFile>'
                   f'</ofd:Font>')
    pictures = [f'<ofd:MultiMedia ID="{mid}" Type="Image" Format="{"JPEG" if name.endswith(".jpg") else "PNG"}">'
                f'<ofd:MediaFile>{name}</ofd:MediaFile></ofd:MultiMedia>' for mid, name in media.values()]
    public_res = (f'{XML_HEAD}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
                  + (f'<ofd:Fonts>{"".join(res)}</ofd:Fonts>' if res else "")
                  + (f'<ofd:MultiMedias>{"".join(pictures)}</ofd:MultiMedias>' if pictures else "")
                  + "</ofd:Res>").encode("utf-8")

    W, H = style.page.width * MM, style.page.height * MM
    document = (f'{XML_HEAD}<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>{ids.last}</ofd:MaxUnitID>'
                f'<ofd:PageArea><ofd:PhysicalBox>0 0 {_n(W)} {_n(H)}</ofd:PhysicalBox>'
                f'<ofd:ApplicationBox>0 0 {_n(W)} {_n(H)}</ofd:ApplicationBox></ofd:PageArea>'
                f'<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>'
                + "".join(f'<ofd:Page ID="{pid}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                          for i, pid in enumerate(page_ids))
                + "</ofd:Pages></ofd:Document>").encode("utf-8")

    doc_id = hashlib.sha256(b"\0".join([document, public_res, *page_xml])).hexdigest()[:32]
    title = laid.flow.title_text or "简报"
    info = [f"<ofd:DocID>{doc_id}</ofd:DocID>", f"<ofd:Title>{_esc(_NOT_XML.sub('', title))}</ofd:Title>"]
    if meta.editor:
        info.append(f"<ofd:Author>{_esc(_NOT_XML.sub('', meta.editor))}</ofd:Author>")
    if meta.date is not None:
        info.append(f"<ofd:CreationDate>{meta.date.isoformat()}</ofd:CreationDate>")
    info += ["<ofd:Creator>jianbao</ofd:Creator>", f"<ofd:CreatorVersion>{__version__}</ofd:CreatorVersion>"]
    ofd = (f'{XML_HEAD}<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
           f'<ofd:DocInfo>{"".join(info)}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
           f'</ofd:DocBody></ofd:OFD>').encode("utf-8")

    members = [("OFD.xml", ofd), ("Doc_0/Document.xml", document), ("Doc_0/PublicRes.xml", public_res)]
    members += [(f"Doc_0/Pages/Page_{i}/Content.xml", xml) for i, xml in enumerate(page_xml)]
    members += [(f"Doc_0/Res/font_{fid}.ttf", data) for fid, data in font_files.items()]
    members += [(f"Doc_0/Res/{name}", data) for data, (_, name) in media.items()]
    date = meta.date
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0) if date is not None else (1980, 1, 1, 0, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            member = zipfile.ZipInfo(name, date_time=stamp)
            member.create_system = 3                  # (zipfile's default depends on the platform)
            member.external_attr = 0o644 << 16
            member.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(member, data, compresslevel=DEFLATE_LEVEL)
    out.write(buf.getvalue())
