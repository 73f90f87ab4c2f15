"""The issue as one self-contained web page (HTML5, CSS inline, no script, no font files), from the document
tree (docs/tree.md), for the bureau's website and for reading on a phone.

Every text of the tree is escaped: whatever an issue says (`<script>`, `&`, `{{ }}`) is printed, never run.
Colours and the faces' names come from the style sheet (layout.yaml): the masthead is as red as in print, and
the fonts are named as a web page names them (the official faces first, then the common system ones), so a
reader's machine uses what it has.
"""
from __future__ import annotations

import re
from html import escape
from xml.etree import ElementTree as ET

from ..errors import JianbaoError
from ..i18n import _
from ..tree import runs, text

# Generic families a browser falls back to, by the layout's font keys.
_GENERIC = {"hei": "sans-serif", "kai": "serif", "fangsong": "serif", "song": "serif", "xiaobiaosong": "serif"}
# What the common systems (Windows, macOS, Android/iOS, Linux) call the same styles.
_SYSTEM = {
    "xiaobiaosong": ["方正小标宋简体", "STZhongsong", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC"],
    "fangsong": ["仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC"],
    "hei": ["黑体", "SimHei", "PingFang SC", "Heiti SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"],
    "kai": ["楷体_GB2312", "楷体", "KaiTi", "STKaiti", "Kaiti SC", "Noto Serif CJK SC"],
    "song": ["宋体", "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC"],
}


_FACE_NAME = re.compile(r"[\w .+-]+")


def _families(style, key: str) -> str:
    """A CSS font-family list for one of the layout's font keys: its names, then the usual systems' names."""
    # face names only (not file paths), and only such as cannot end the CSS string or the <style> element
    names = [n for n in style.fonts.get(key, []) if _FACE_NAME.fullmatch(n)]
    names = list(dict.fromkeys(names + _SYSTEM.get(key, [])))
    quoted = ", ".join(f'"{n}"' for n in names)
    return f"{quoted}, {_GENERIC.get(key, 'serif')}" if quoted else _GENERIC.get(key, "serif")


def _colour(style, name: str | None, default: str) -> str:
    value = style.colours.get(name, name) if name else default
    value = str(value or default)
    return value if value.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in value[1:]) else default


def _css(style) -> str:
    def role(name: str) -> tuple[str, str]:
        r = style.role(name)
        return _families(style, r.font), _colour(style, getattr(r, "colour", None), "#000000")

    red = _colour(style, "red", "#FF0000")
    title_font, _ = role("title")
    para_font, _ = role("para")
    h1_font, _ = role("heading-1")
    h2_font, _ = role("heading-2")
    series_font, series_colour = role("series")
    name_font, name_colour = role("name")
    marking_font, _ = role("marking")
    note_font, _ = role("note")
    num = role("page-number")[0]
    kai = role("caption")[0]
    return f"""
:root {{ color-scheme: light; }}
body {{ margin: 0; background: #f4f4f4; color: #000; font-family: {para_font}; font-size: 18px; line-height: 1.8;
  -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
main {{ max-width: 40em; margin: 0 auto; padding: 1.2em 1.1em 2em; background: #fff; }}
header.masthead {{ text-align: center; border-bottom: 3px solid {red}; padding-bottom: .4em; margin-bottom: 1.4em; }}
.marking {{ text-align: left; font-family: {marking_font}; margin: 0; }}
.series {{ color: {series_colour}; font-family: {series_font}; font-size: 1.25em; margin: .3em 0 0; line-height: 1.4; }}
.name {{ color: {name_colour}; font-family: {name_font}; font-weight: bold; font-size: 3.2em; letter-spacing: .5em;
  text-indent: .5em; margin: .1em 0; line-height: 1.2; }}
.issue-number {{ margin: .2em 0; }}
.byline {{ display: flex; justify-content: space-between; flex-wrap: wrap; margin: 0; }}
nav.contents {{ margin: 0 0 1.5em; }}
nav.contents h2 {{ font-family: {h1_font}; font-size: 1em; text-align: center; margin: 0 0 .3em; }}
nav.contents ol {{ margin: 0; padding-left: 2em; }}
nav.contents a {{ color: inherit; text-decoration: none; }}
.note {{ font-family: {note_font}; margin: 0 1em .4em; text-indent: 2em; }}
.note-label {{ font-family: {h1_font}; }}
article {{ margin: 0 0 2em; }}
article h1 {{ font-family: {title_font}; font-size: 1.35em; font-weight: normal; text-align: center; line-height: 1.5;
  margin: .8em 0 .4em; }}
.subtitle {{ text-align: center; font-family: {h2_font}; margin: 0 0 1em; }}
article p {{ text-indent: 2em; margin: 0 0 .2em; text-align: justify; }}
article h2, article h3, article h4, article h5 {{ font-size: 1em; margin: .6em 0 .2em; text-indent: 2em; text-align: justify; }}
article h2 {{ font-family: {h1_font}; font-weight: normal; }}
article h3 {{ font-family: {h2_font}; font-weight: normal; }}
article h4, article h5 {{ font-weight: normal; }}
.runin-1 {{ font-family: {h1_font}; }}
.runin-2 {{ font-family: {h2_font}; }}
article p.source {{ text-align: right; font-family: {h2_font}; text-indent: 0; }}
footer.distribution {{ border-top: 1px solid #000; border-bottom: 1px solid #000; margin-top: 2em; font-size: .85em;
  line-height: 1.7; }}
footer.distribution p {{ margin: .3em .5em; padding-left: 3em; text-indent: -3em; }}
footer.distribution p.copies {{ text-align: right; padding: 0; text-indent: 0; }}
footer.distribution p.printing {{ display: flex; justify-content: space-between; flex-wrap: wrap; padding: .3em 0 0;
  text-indent: 0; border-top: 1px solid #000; margin: .3em .5em; }}
footer.distribution .printing span {{ padding: 0 .5em; }}
.folio {{ font-family: {num}; }}
table {{ border-collapse: collapse; margin: .5em auto; font-size: .9em; }}
th, td {{ border: 1px solid #000; padding: .2em .5em; }}
figure {{ margin: .8em 0; text-align: center; }} .figures {{ display: flex; justify-content: space-between; gap: 1em; }}
figcaption {{ font-family: {kai}; font-size: .9em; }} .table-note {{ font-size: .9em; text-indent: 0; }}
@media (max-width: 30em) {{ body {{ font-size: 17px; }} main {{ padding: .8em .8em 1.5em; }} .name {{ font-size: 2.6em; }} }}
"""


def _inline(element: ET.Element, role: str) -> str:
    """Inline content: text with <em> as <strong>, a run-in heading in its heading's face."""
    out = []
    open_runin = None
    for run in runs(element, role):
        piece = escape(run.text).replace("\n", "<br>")
        if run.emphasis:
            piece = f"<strong>{piece}</strong>"
        if run.role.startswith("heading-") and run.role != role:
            if open_runin != run.role:
                if open_runin:
                    out.append("</span>")
                out.append(f'<span class="runin-{run.role[8:]}">')
                open_runin = run.role
        elif open_runin:
            out.append("</span>")
            open_runin = None
        if run.role == "note-label":
            piece = f'<span class="note-label">{piece}</span>'
        out.append(piece)
    if open_runin:
        out.append("</span>")
    return "".join(out)


def _plain(element: ET.Element) -> str:
    return escape(text(element))


def _unknown(element: ET.Element, parent: str) -> JianbaoError:
    """An element the HTML writer does not know: an error, as in the other writers (never skipped)."""
    line = element.get("line")
    return JianbaoError(_("document tree: unknown element <{tag}> in <{parent}> (HTML writer)").format(
        tag=element.tag, parent=parent), line=int(line) if line and line.isdigit() else None)


def _picture(fig: ET.Element, picture) -> str:
    """A picture as a data: URI of the bytes the layout prepared (the page stays one self-contained file), at its
    printed width (a narrow screen shrinks it), its caption under it."""
    import base64

    data = base64.b64encode(picture.data).decode("ascii")
    caption = fig.find("caption")
    alt = escape(text(caption) if caption is not None else picture.source, quote=True)
    img = (f'<img src="data:image/{picture.format};base64,{data}" alt="{alt}" '
           f'style="width: {picture.width:.0f}pt; max-width: 100%; height: auto">')
    cap = f"<figcaption>{_inline(caption, 'caption')}</figcaption>" if caption is not None else ""
    return f"<figure>{img}{cap}</figure>"


def _figures(element: ET.Element, plan) -> str:
    decided = plan.figures.get(element) if plan is not None else None
    if decided is None:
        raise JianbaoError(_("document tree: <{tag}> was not laid out (HTML writer)").format(tag=element.tag))
    figs = [element] if element.tag == "figure" else list(element)
    inner = "".join(_picture(fig, picture) for fig, picture in zip(figs, decided.pictures))
    return inner if element.tag == "figure" else f'<div class="figures">{inner}</div>'


def _table(element: ET.Element) -> str:
    """A data table: its title as the caption, the header row in <thead>, the columns' alignment."""
    aligns = [col.get("align") for col in element.findall("col")]
    out = ["<table>"]
    title, note = element.find("table-title"), element.find("table-note")
    if title is not None:
        out.append(f"<caption>{_inline(title, 'table-title')}</caption>")
    head, body = [], []
    for tr in element.findall("tr"):
        cells = []
        for i, cell in enumerate(tr):
            role = "table-header" if cell.tag == "th" else "table-cell"
            align = aligns[i] if cell.tag == "td" and i < len(aligns) and aligns[i] else None
            style = f' style="text-align: {align}"' if align else ""
            cells.append(f"<{cell.tag}{style}>{_inline(cell, role)}</{cell.tag}>")
        (head if tr[0].tag == "th" else body).append("<tr>" + "".join(cells) + "</tr>")
    if head:
        out.append("<thead>" + "".join(head) + "</thead>")
    out.append("<tbody>" + "".join(body) + "</tbody></table>")
    if note is not None:
        out.append(f'<p class="table-note">{_inline(note, "table-note")}</p>')
    return "".join(out)


def _article(article: ET.Element, number: int, plan=None) -> list[str]:
    out = [f'<article id="article-{number}">']
    for child in article:
        tag = child.tag
        if tag in ("figure", "figures"):
            out.append(_figures(child, plan))
        elif tag == "table":
            out.append(_table(child))
        elif tag == "title":
            out.append(f"<h1>{_inline(child, 'title')}</h1>")
        elif tag == "subtitle":
            out.append(f'<p class="subtitle">{_plain(child)}</p>')
        elif tag == "para":
            out.append(f"<p>{_inline(child, 'para')}</p>")
        elif tag == "heading":
            level = min(max(int(child.get("level") or 1), 1), 4)
            out.append(f"<h{level + 1}>{_inline(child, f'heading-{level}')}</h{level + 1}>")
        elif tag == "source":
            out.append(f'<p class="source">{_plain(child)}</p>')
        else:
            raise _unknown(child, "article")
    out.append("</article>")
    return out


def _masthead(masthead: ET.Element) -> list[str]:
    parts = {child.tag: child for child in masthead}
    out = ['<header class="masthead">']
    if "marking" in parts:
        out.append(f'<p class="marking">{_plain(parts["marking"])}</p>')
    if "series" in parts:
        out.append(f'<p class="series">{_plain(parts["series"])}</p>')
    if "name" in parts:
        out.append(f'<p class="name">{_plain(parts["name"])}</p>')
    if "issue-number" in parts:
        out.append(f'<p class="issue-number">{_plain(parts["issue-number"])}</p>')
    byline = [f'<span class="{tag}">{_plain(parts[tag])}</span>' for tag in ("editor", "date") if tag in parts]
    if byline:
        out.append(f'<p class="byline">{"".join(byline)}</p>')
    for child in masthead:
        if child.tag not in ("marking", "series", "name", "issue-number", "editor", "date"):
            raise _unknown(child, "masthead")
    out.append("</header>")
    return out


def _distribution(distribution: ET.Element) -> list[str]:
    out = ['<footer class="distribution">']
    for child in distribution:
        if child.tag == "recipients":
            out.append(f'<p class="recipients">{_inline(child, "recipients")}</p>')
        elif child.tag == "copies":
            out.append(f'<p class="copies">{_plain(child)}</p>')
        elif child.tag == "printing":
            spans = "".join(f'<span class="{c.tag}">{_plain(c)}</span>' for c in child)
            out.append(f'<p class="printing">{spans}</p>')
        else:
            raise _unknown(child, "distribution")
    out.append("</footer>")
    return out


def title_text(title: ET.Element) -> str:
    """A title's text on one line: a forced break (<br/>) becomes a space."""
    parts = [title.text or ""]
    for child in title:
        parts.append(" " if child.tag == "br" else text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def page_title(tree: ET.Element) -> str:
    """The browser's title: the series' name, the issue number and the (first) article's title."""
    masthead = tree.find("masthead")
    bits = []
    if masthead is not None:
        for tag in ("name", "issue-number"):
            el = masthead.find(tag)
            if el is not None:
                bits.append(text(el))
    title = tree.find("article/title")
    if title is not None:
        bits.append(title_text(title))
    return " ".join(b.strip() for b in bits if b.strip()) or "简报"


def write(tree: ET.Element, laid, style, out) -> None:
    """The writer of `--format html` (the layout is not used: a web page flows)."""
    out.write(write_html(tree, style, laid.plan if laid is not None else None))


def write_html(tree: ET.Element, style, plan=None) -> bytes:
    """The issue as a UTF-8 HTML5 document (`plan`: the layout's, for the pictures' bytes and sizes)."""
    body: list[str] = ["<main>"]
    articles = 0
    for child in tree:
        if child.tag == "masthead":
            body += _masthead(child)
        elif child.tag == "contents":
            body.append('<nav class="contents">')
            items = []
            for entry in child:
                if entry.tag == "contents-title":
                    body.append(f"<h2>{_plain(entry)}</h2>")
                elif entry.tag == "contents-entry":
                    items.append(f'<li><a href="#article-{len(items) + 1}">{_plain(entry)}</a></li>')
                else:
                    raise _unknown(entry, "contents")
            body.append("<ol>" + "".join(items) + "</ol></nav>")
        elif child.tag == "note":
            body.append(f'<p class="note">{_inline(child, "note")}</p>')
        elif child.tag == "article":
            articles += 1
            body += _article(child, articles, plan)
        elif child.tag == "distribution":
            body += _distribution(child)
        else:
            raise _unknown(child, "bulletin")
    body.append("</main>")
    document = (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="jianbao">\n'
        f"<title>{escape(page_title(tree))}</title>\n"
        f"<style>{_css(style)}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
    return document.encode("utf-8")
