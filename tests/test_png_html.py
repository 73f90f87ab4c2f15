"""`jianbao build --format png` (page images from the PDF) and `--format html` (a web page from the document tree)."""
import hashlib
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import html5lib
import pypdf
import pytest
from PIL import Image

from jianbao import api
from jianbao.tree import text as tree_text

HOSTILE = """\
number: 3
date: 2022-03-01
note: 编者按里有<b>粗体</b>和&amp;实体。
title: |
  关于<script>alert("标题")</script>的通报
  第二行 & 符号 {{ x }} {% if %}
body:
  - 正文有<script>alert(1)</script>，还有<img src=x onerror=alert(2)>和<a href="javascript:alert(3)">链接</a>。
  - "**加粗<i>斜体</i>。**后文有 <!-- 注释 --> 与 ]]> 以及 &lt; 符号。"
  - heading: 标题<style>body{display:none}</style>一
    body:
      - 内容<iframe src=//x></iframe>。
      - heading: 小节"引号'单引号'。
        text: 行内正文</p></article><script>alert(4)</script>。
distribution:
  发: [<svg onload=alert(5)>单位, 普通单位]
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pngs(folder: Path, stem: str) -> list[Path]:
    found = [p for p in folder.iterdir() if re.fullmatch(rf"{stem}-\d+\.png", p.name)]
    return sorted(found, key=lambda p: int(p.stem.split("-")[1]))


# ---------------------------------------------------------------- PNG

def test_png_one_image_per_page_at_150_dpi(run, series):
    result = run("build", "issues/011.yaml", "--format", "pdf", "--format", "png")
    assert result.exit_code == 0, result.output
    build = series / "build"
    pages = pypdf.PdfReader(build / "011.pdf").pages
    images = pngs(build, "011")
    assert [p.name for p in images] == [f"011-{n}.png" for n in range(1, len(pages) + 1)] and len(pages) == 5
    assert result.stdout.split() == ["build/011.pdf"] + [f"build/{p.name}" for p in images]
    for page, path in zip(pages, images):
        with Image.open(path) as im:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert abs(im.width - width / 72 * 150) <= 1 and abs(im.height - height / 72 * 150) <= 1
            assert im.width == 1241 and im.height == 1754      # A4 at 150 dpi: a phone's screen, zoomable
            assert round(im.info["dpi"][0]) == 150
    with Image.open(images[0]) as im:                          # the masthead is red, the text black, on white
        rgb = im.convert("RGB")
        top = rgb.crop((0, 0, rgb.width, rgb.height // 3))
        colours = top.getcolors(1 << 16)
        red = sum(n for n, (r, g, b) in colours if r > 200 and g < 90 and b < 90)
        dark = sum(n for n, (r, g, b) in colours if r < 80 and g < 80 and b < 80)
        white = sum(n for n, (r, g, b) in colours if min(r, g, b) > 240)
        assert red > 10000 and dark > 1000 and white > top.width * top.height * 0.7


def test_png_is_deterministic_follows_dpi_and_removes_pages_an_issue_lost(run, series, write_issue):
    assert run("build", "issues/011.yaml", "--format", "png").exit_code == 0
    build = series / "build"
    before = {p.name: digest(p) for p in pngs(build, "011")}
    assert run("build", "issues/011.yaml", "--format", "png", "--force").exit_code == 0
    assert {p.name: digest(p) for p in pngs(build, "011")} == before            # byte-identical
    for p in pngs(build, "011"):
        assert b"tIME" not in p.read_bytes() and b"tEXt" not in p.read_bytes()

    result = run("build", "issues/011.yaml", "--format", "png")                  # unchanged: skipped
    assert "skipped 1" in result.output and result.stdout == ""
    (build / "011-3.png").unlink()                                               # a page image deleted: rebuilt
    result = run("build", "issues/011.yaml", "--format", "png")
    assert (build / "011-3.png").is_file() and "build/011-3.png" in result.stdout

    result = run("build", "issues/011.yaml", "--format", "png", "--dpi", "72")
    assert result.exit_code == 0
    with Image.open(build / "011-1.png") as im:
        assert abs(im.width - 595.3) < 1 and abs(im.height - 841.9) < 1

    text = (series / "issues" / "011.yaml").read_text(encoding="utf-8")
    short = re.sub(r"(?ms)^body:.*", "body:\n  - 只有一段。\n", text)
    (series / "issues" / "011.yaml").write_text(short, encoding="utf-8")
    assert run("build", "issues/011.yaml", "--format", "png").exit_code == 0
    assert [p.name for p in pngs(build, "011")] == ["011-1.png"]


def test_dpi_without_png_is_a_usage_error(run):
    result = run("build", "--dpi", "100")
    assert result.exit_code == 2 and "--format png" in result.output


# ---------------------------------------------------------------- HTML

def parse(path: Path):
    """Strict HTML5 parsing: any parse error (invalid HTML5) raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes())


def body_text(root) -> str:
    return "".join(root.find("body").itertext())


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.parametrize("stem", ["008", "011"])
def test_html_is_valid_complete_and_semantic(run, series, stem):
    result = run("build", f"issues/{stem}.yaml", "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [f"build/{stem}.html"]
    doc = parse(series / "build" / f"{stem}.html")
    # every character of the issue, as the document tree has it, in order (the name's spacing is CSS)
    tree = api.build_tree(series / "issues" / f"{stem}.yaml")
    assert squash(body_text(doc)) == squash(tree_text(tree))
    header = doc.find(".//header")
    assert "简报" in "".join(header.itertext()) and "第" in "".join(header.itertext())
    articles = doc.findall(".//article")
    assert len(articles) == len(tree.findall("article"))
    h1 = articles[0].find("h1")
    assert squash("".join(h1.itertext())) == squash(tree_text(tree.find("article/title")))
    headings = [squash("".join(h.itertext())) for h in articles[0].findall("h2")]
    assert headings == [squash(tree_text(h)) for h in tree.findall("article/heading[@level='1']")]
    footer = doc.find(".//footer")
    assert squash("".join(footer.itertext())) == squash(tree_text(tree.find("distribution")))
    # self-contained: no script, no external resource, fonts named, not loaded
    assert doc.findall(".//script") == [] and doc.findall(".//link") == [] and doc.findall(".//img") == []
    css = "".join(s.text for s in doc.iter("style"))
    assert "@font-face" not in css and "url(" not in css
    assert re.search(r'\.name \{ color: #FF0000; font-family: "方正小标宋简体"', css)
    assert re.search(r'\.series \{ color: #FF0000;', css)
    assert doc.find(".//meta[@name='viewport']").get("content").startswith("width=device-width")
    assert doc.tag == "html" and doc.get("lang") == "zh-CN"


def test_html_prints_user_markup_and_runs_none_of_it(run, series, write_issue):
    write_issue(HOSTILE)
    result = run("build", "issues/003.yaml", "--format", "html")
    assert result.exit_code == 0, result.output
    path = series / "build" / "003.html"
    doc = parse(path)
    elements = list(doc.iter())
    assert [e for e in elements if e.tag in ("script", "img", "iframe", "svg", "a", "i", "b", "object")] == []
    assert len([e for e in elements if e.tag == "style"]) == 1                       # ours, in <head>
    assert all(not name.lower().startswith("on") for e in elements for name in e.attrib)
    text = body_text(doc)
    for fragment in ['<script>alert("标题")</script>', "<script>alert(1)</script>", "<img src=x onerror=alert(2)>",
                     '<a href="javascript:alert(3)">链接</a>', "<style>body{display:none}</style>",
                     "<iframe src=//x></iframe>", "</p></article><script>alert(4)</script>", "<svg onload=alert(5)>",
                     "<b>粗体</b>和&amp;实体", "{{ x }} {% if %}", "<!-- 注释 -->", "]]>", "&lt; 符号", "<i>斜体</i>",
                     "小节\"引号'单引号'"]:
        assert fragment in text, fragment
    tree = api.build_tree(series / "issues" / "003.yaml")
    assert squash(text) == squash(tree_text(tree))
    strong = doc.find(".//article//strong")
    assert "".join(strong.itertext()) == "加粗<i>斜体</i>。"                        # **…** is the one markup


def test_html_of_an_issue_with_articles_has_a_linked_contents(tmp_path, monkeypatch):
    import shutil

    from click.testing import CliRunner
    from jianbao.cli import cli

    root = tmp_path / "s"
    shutil.copytree(Path(__file__).parent / "bulletins", root)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["build", "--format", "html"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for path in sorted((root / "build").glob("*.html")):
        doc = parse(path)
        tree = api.build_tree(root / "issues" / f"{path.stem}.yaml")
        assert squash(body_text(doc)) == squash(tree_text(tree)), path.name
    doc = parse(root / "build" / "014.html")
    links = doc.findall(".//nav//a")
    articles = doc.findall(".//article")
    assert len(links) == len(articles) > 1
    for link, article in zip(links, articles):
        assert link.get("href") == f"#{article.get('id')}"
        assert squash("".join(link.itertext())) == squash("".join(article.find("h1").itertext()))


def test_html_fails_loudly_on_an_element_it_does_not_know(series):
    from jianbao.writers.html import write_html

    context = api.Context.for_root(series)
    tree = api.build_tree(series / "issues" / "011.yaml", context)
    article = tree.find("article")
    ET.SubElement(article, "chart", line="19")
    with pytest.raises(api.JianbaoError, match=r"unknown element <chart> in <article>") as caught:
        write_html(tree, context.style)
    assert caught.value.line == 19


def test_html_names_only_safe_faces_from_a_template(series):
    """A series' own template is data too: a face name that would end the CSS string or the <style> element is
    left out of the page."""
    import dataclasses

    from jianbao.writers.html import write_html

    context = api.Context.for_root(series)
    fonts = dict(context.style.fonts)
    fonts["fangsong"] = ['</style><script>alert(1)</script>', 'x"; } body { display: none', "fonts/my.ttf",
                         "FandolFang R"] + fonts["fangsong"]
    style = dataclasses.replace(context.style, fonts=fonts)
    page = write_html(api.build_tree(series / "issues" / "011.yaml", context), style)
    doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    assert doc.findall(".//script") == [] and len(doc.findall(".//style")) == 1
    css = doc.find(".//style").text
    assert "alert" not in css and "display: none" not in css and "my.ttf" not in css
    assert '"FandolFang R"' in css
