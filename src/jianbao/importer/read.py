"""Reading an office's bulletin (a .txt extract or a .docx) into a flat list of paragraphs, safely.

The file is untrusted: sizes are checked before anything is read or inflated, DOCX XML is parsed by lxml with
entity resolution, DTDs, network access and huge trees off (and a DOCTYPE is refused outright: a DOCX never
has one), and text files must decode as UTF-8 or GB18030 without control characters.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import JianbaoError, Location
from ..i18n import _

MAX_TEXT = 4 * 1024 * 1024          # a bulletin's text is some 20 KB; 4 MB is two hundred bulletins
MAX_DOCX = 50 * 1024 * 1024         # the .docx file itself (pictures included)
MAX_XML = 16 * 1024 * 1024          # one XML part, inflated
MAX_RATIO = 100                     # inflated / deflated size of one XML part
MAX_MEMBERS = 2000

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Run:
    text: str
    bold: bool = False
    char_style: str = ""


@dataclass
class Para:
    """One paragraph of the source: its runs, and what the DOCX says of it (nothing for text files)."""
    runs: list
    line: int                       # 1-based line (text) or paragraph number (DOCX)
    style: str = ""                 # DOCX paragraph style id
    style_name: str = ""
    align: str = ""                 # center, right, both, left
    size: float = 0.0               # largest font size in pt (0: unknown)
    red: bool = False               # red text (mastheads)
    bold: bool = False              # every character bold
    in_table: bool = False
    in_box: bool = False
    blank_before: bool = False      # text files: a blank line before (a page break in PDF extracts)
    indent: int = 0                 # text files: leading spaces (an ideographic space counts two)
    joined: list = field(default_factory=list)   # lines joined into this one (text files)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def _error(path: Path, message: str) -> JianbaoError:
    return JianbaoError(message, Location(str(path), 1, 1))


def _unreadable(path: Path, e: OSError) -> JianbaoError:
    """The reason in the user's language where it is a common one (the system's own text is English)."""
    if isinstance(e, FileNotFoundError):
        return _error(path, _("cannot read: No such file or directory"))
    if isinstance(e, PermissionError):
        return _error(path, _("cannot read: Permission denied"))
    return _error(path, _("cannot read: {reason}").format(reason=e.strerror))


def read_source(path: Path) -> list[Para]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".txt":
        return read_text(path)
    if not suffix:
        raise _error(path, _("cannot import a file without extension (expected .docx or .txt)"))
    raise _error(path, _("cannot import a {suffix} (expected .docx or .txt)").format(suffix=suffix))


# ---- text --------------------------------------------------------------------------------------------------
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(path: Path, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise _error(path, _("not a text file (it contains NUL bytes: a binary file?)"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _error(path, _("not a text file in UTF-8 or GBK/GB18030 (the bytes decode as neither)"))
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise JianbaoError(_("not a text file (control character U+{code:04X})").format(code=ord(bad.group())),
                           Location(str(path), line, bad.start() - text.rfind("\n", 0, bad.start())))
    if encoding == "gb18030" and _implausible(text):
        raise _error(path, _("not a text file in UTF-8 or GBK/GB18030 (as GB18030 it reads as no Chinese text)"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _implausible(text: str) -> bool:
    """Binary data that happens to decode as GB18030: few common Chinese characters among the rest."""
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return False
    common = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or c.isascii() or "\u3000" <= c <= "\u303f"
                 or "\uff00" <= c <= "\uffef" or c in "“”‘’—…·")
    return common / len(letters) < 0.9


def read_text(path: Path) -> list[Para]:
    try:
        size = path.stat().st_size
        if size > MAX_TEXT:
            raise _error(path, _("too large for a bulletin ({size:.1f} MB; at most {limit} MB of text)").format(
                size=size / 2 ** 20, limit=MAX_TEXT // 2 ** 20))
        data = path.read_bytes()
    except OSError as e:
        raise _unreadable(path, e) from None
    text = decode_text(path, data)
    out, blank = [], False
    for i, line in enumerate(text.split("\n"), 1):
        stripped = line.strip(" \t\u3000\u00a0")
        if not stripped:
            blank = True
            continue
        lead = line[:len(line) - len(line.lstrip(" \t\u3000\u00a0"))]
        indent = sum(2 if c == "\u3000" else 4 if c == "\t" else 1 for c in lead)
        out.append(Para([Run(stripped)], i, blank_before=blank, indent=indent))
        blank = False
    return out


# ---- DOCX --------------------------------------------------------------------------------------------------
def _member(path: Path, z: zipfile.ZipFile, name: str, required: bool = True) -> bytes | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        if required:
            raise _error(path, _("not a Word document (no {name} in the package)").format(name=name)) from None
        return None
    if info.file_size > MAX_XML or (info.file_size > 2 ** 20 and info.file_size > MAX_RATIO * info.compress_size):
        raise _error(path, _("{name} inflates to {size} bytes from {compressed}: refused (a zip bomb?)").format(
            name=name, size=info.file_size, compressed=info.compress_size))
    if info.flag_bits & 0x1:
        raise _error(path, _("not a Word document ({name} is encrypted)").format(name=name))
    try:
        with z.open(info) as f:
            data = f.read(MAX_XML + 1)       # the header may lie: never inflate past the limit
    except (zlib.error, EOFError, NotImplementedError):     # damaged data, or a compression Word never uses
        raise _error(path, _("not a Word document (a damaged zip package)")) from None
    if len(data) > MAX_XML:
        raise _error(path, _("{name} inflates past {limit} bytes: refused (a zip bomb?)").format(
            name=name, limit=MAX_XML))
    return data


def _parse(path: Path, name: str, data: bytes):
    from lxml import etree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _error(path, _("{name} declares a DTD or entities, which a Word document never does: refused").format(
            name=name))
    parser = etree.XMLParser(resolve_entities=False, huge_tree=False, no_network=True, load_dtd=False,
                             dtd_validation=False, remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        line, column = e.position
        raise _error(path, _("{name} is not well-formed XML (line {line}, column {column})").format(
            name=name, line=line, column=column)) from None


def read_docx(path: Path) -> list[Para]:
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as e:
        raise _unreadable(path, e) from None
    if magic != b"PK\x03\x04":
        raise _error(path, _("not a Word document (.docx files are zip packages; this one is not)"))
    if size > MAX_DOCX:
        raise _error(path, _("too large ({size:.1f} MB; at most {limit} MB)").format(size=size / 2 ** 20,
                                                                             limit=MAX_DOCX // 2 ** 20))
    try:
        with zipfile.ZipFile(path) as z:
            if len(z.infolist()) > MAX_MEMBERS:
                raise _error(path, _("not a Word document ({count} parts in the package)").format(
                    count=len(z.infolist())))
            document = _parse(path, "word/document.xml", _member(path, z, "word/document.xml"))
            styles_xml = _member(path, z, "word/styles.xml", required=False)
            styles = _parse(path, "word/styles.xml", styles_xml) if styles_xml is not None else None
    except zipfile.BadZipFile:
        raise _error(path, _("not a Word document (a damaged zip package)")) from None
    return _DocxReader(styles).paragraphs(document)


class _Style:
    def __init__(self, name="", based_on="", bold=None, red=None, size=0.0, align=""):
        self.name, self.based_on, self.bold, self.red, self.size, self.align = name, based_on, bold, red, size, align


def _val(el, tag, attr="val"):
    child = el.find(q(tag)) if el is not None else None
    return None if child is None else child.get(q(attr))


def _on(el, tag):
    child = el.find(q(tag)) if el is not None else None
    if child is None:
        return None
    return child.get(q("val"), "true") not in ("0", "false", "off")


def _red(rpr):
    colour = _val(rpr, "color")
    if not colour or colour == "auto" or not re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
        return None
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return r > 180 and g < 90 and b < 90


def _size(rpr):
    sz = _val(rpr, "sz")
    try:
        return int(sz) / 2 if sz else 0.0
    except ValueError:
        return 0.0


class _DocxReader:
    def __init__(self, styles):
        self.styles = {}
        if styles is None:
            return
        for s in styles.iter(q("style")):
            sid = s.get(q("styleId"), "")
            rpr, ppr = s.find(q("rPr")), s.find(q("pPr"))
            self.styles[sid] = _Style(_val(s, "name") or sid, _val(s, "basedOn") or "", _on(rpr, "b"), _red(rpr),
                                      _size(rpr), _val(ppr, "jc") or "")

    def _style_attr(self, sid, attr):
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            st = self.styles.get(sid)
            if st is None:
                return None
            value = getattr(st, attr)
            if value:
                return value
            if value is False:
                return False
            sid = st.based_on
        return None

    def paragraphs(self, document) -> list[Para]:
        body = document.find(q("body"))
        out: list[Para] = []
        if body is None:
            return out
        self._block(body, out, in_table=False, in_box=False)
        return out

    def _block(self, parent, out, in_table, in_box):
        for child in parent:
            if child.tag == q("p"):
                self._para(child, out, in_table, in_box)
            elif child.tag == q("tbl"):
                for tc in child.iter(q("tc")):
                    self._block(tc, out, True, in_box)
            elif child.tag in (q("sdt"), q("customXml")):
                content = child.find(q("sdtContent"))
                self._block(content if content is not None else child, out, in_table, in_box)

    def _para(self, p, out, in_table, in_box):
        ppr = p.find(q("pPr"))
        sid = _val(ppr, "pStyle") or ""
        align = _val(ppr, "jc") or self._style_attr(sid, "align") or ""
        pstyle_bold = bool(self._style_attr(sid, "bold"))
        pstyle_red = bool(self._style_attr(sid, "red"))
        pstyle_size = self._style_attr(sid, "size") or 0.0
        runs, boxes = [], []
        sizes, reds, bolds = [], [], []

        def walk(node):
            for child in node:
                tag = child.tag
                if tag == q("r"):
                    run(child)
                elif tag in (q("hyperlink"), q("ins"), q("smartTag"), q("fldSimple"), q("customXml")):
                    walk(child)
                elif tag == q("sdt"):
                    content = child.find(q("sdtContent"))
                    if content is not None:
                        walk(content)

        def run(r):
            rpr = r.find(q("rPr"))
            cstyle = _val(rpr, "rStyle") or ""
            bold = _on(rpr, "b")
            if bold is None:
                bold = bool(self._style_attr(cstyle, "bold")) if cstyle else pstyle_bold
            red = _red(rpr)
            if red is None:
                red = bool(self._style_attr(cstyle, "red")) if cstyle else pstyle_red
            size = _size(rpr) or (self._style_attr(cstyle, "size") if cstyle else 0) or pstyle_size
            for item in r:
                if item.tag == q("t"):
                    text = item.text or ""
                elif item.tag == q("tab"):
                    text = "\t"
                elif item.tag in (q("br"), q("cr")):
                    text = "\n" if item.get(q("type"), "textWrapping") == "textWrapping" else ""
                elif item.tag == q("noBreakHyphen"):
                    text = "-"
                elif item.tag == f"{{{MC}}}AlternateContent":
                    # the same text box twice (DrawingML, then a VML copy): the first only
                    choice = item.find(f"{{{MC}}}Choice")
                    boxes.extend((choice if choice is not None else item).iter(q("txbxContent")))
                    continue
                elif item.tag in (q("drawing"), q("pict")):
                    boxes.extend(item.iter(q("txbxContent")))
                    continue
                else:
                    continue
                if not text:
                    continue
                runs.append(Run(text, bool(bold), cstyle))
                if text.strip():
                    sizes.append(size or 0.0)
                    reds.append(bool(red))
                    bolds.append(bool(bold))

        walk(p)
        if any(r.text.strip() for r in runs):
            st = self.styles.get(sid)
            out.append(Para(runs, len(out) + 1, style=sid, style_name=st.name if st else sid, align=align,
                            size=max(sizes) if sizes else 0.0, red=bool(reds) and all(reds),
                            bold=bool(bolds) and all(bolds), in_table=in_table, in_box=in_box))
        for box in boxes:
            self._block(box, out, in_table, True)
