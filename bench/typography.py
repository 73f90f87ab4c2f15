#!/usr/bin/env python3
"""Count the typographic defects a reader notices (issue 18), measured on the PDFs jianbao wrote.

    .venv/bin/python bench/typography.py build/*.pdf            # measure PDFs
    .venv/bin/python bench/typography.py --generate DIR [--count 30] [--seed 1]
                                                                 # write a generated series to DIR (then build it)

Read from the glyphs on the pages (pdfplumber), not from the layout that made them: rows are the glyphs of one
baseline; a row continues into the next when it is justified to the measure (its last glyph ends at the text
block's edge, or hangs past it) and the next row starts at the paragraph's left edge. Counted, per PDF:

* `num|unit`   a row ending in a digit whose paragraph goes on with an ideograph (156 / 项), in body and titles;
* `range`      a row ending in a digit and a hyphen whose paragraph goes on with a digit (2021- / 2035);
* `title-cut`  a title row ending inside a quotation, or between a closing quote and the ideograph after it;
* `loose`      a row whose ideographs stand more than 1.1 cells apart on average;
* `lone-char`  a paragraph's (or a 版记 list's) last row holding one ideograph (and its punctuation);
* `name-cut`   a 版记 recipients row that ends inside a name (not after 、 or the label);
* `lone-last`  the last page with body text holds one body row only;
* `foot-head`  a level-1 heading or an article title with at most one row of its text under it on its page;
* `print-inset` the printing line's printer less than a character in from the left, or its date from the right;
* `overlap`    two glyphs of a row drawn over each other (the advance of one runs into the next).

Exit 0; prints one line per PDF and a total. `--json` prints the counts and the rows found as JSON.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jianbao.layout.linebreak import _PHRASE_VERBS  # noqa: E402  (a break before a verb phrase is a good one)

KINDS = ("num|unit", "range", "title-cut", "loose", "lone-char", "name-cut", "lone-last", "foot-head",
         "print-inset", "overlap")
HALF_MARKS = set("，。、；：？！”’）》〉」』】〕")
PUNCT = set("，。、；：？！”’）》〉」』】〕.,;:)%‰")


def geometry():
    from jianbao.stylesheet import load_stylesheet
    style = load_stylesheet(REPO / "src" / "jianbao" / "templates" / "default" / "layout.yaml")
    left = style.page.left
    return left, left + style.page.text_width, style.grid.cell, style.page.top + style.page.text_height


def ideo(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo"


class Row:
    def __init__(self, chars):
        self.chars = sorted(chars, key=lambda c: c["x0"])
        self.text = "".join(c["text"] for c in self.chars)
        self.size = max(c["size"] for c in self.chars)
        self.top = min(c["top"] for c in self.chars)
        self.x0 = self.chars[0]["x0"]
        self.font = self.chars[0]["fontname"]

    def end(self, right: float) -> float:
        """x of the last glyph's right edge, a pause mark hanging past the edge left out."""
        cs = self.chars
        if len(cs) > 1 and cs[-1]["x0"] >= right - 0.5 and cs[-1]["text"] in PUNCT:
            return cs[-2]["x1"]
        return cs[-1]["x1"]


def rows_of(page, bottom: float):
    groups: dict[int, list] = {}
    for c in page.chars:
        if c["text"].strip():
            groups.setdefault(round(c["bottom"]), []).append(c)
    rows = [Row(v) for _, v in sorted(groups.items())]
    return [r for r in rows if r.top < bottom]          # the page number is under the text block


def forced_breaks(issue: Path | None) -> set[tuple[str, str]]:
    """The title breaks the author forced (a newline in the issue's title): (3 characters before, 3 after)."""
    if issue is None or not issue.exists():
        return set()
    import yaml

    out = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "title" and isinstance(v, str) and "\n" in v.strip():
                    lines = [ln.strip() for ln in v.strip().splitlines()]
                    out.update((a[-3:], b[:3]) for a, b in zip(lines, lines[1:]))
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(yaml.safe_load(issue.read_text(encoding="utf-8")))
    return out


def measure(pdf_path: Path, geo, issue: Path | None = None) -> dict:
    import pdfplumber

    left, right, cell, bottom = geo
    found = {k: [] for k in KINDS}
    forced = forced_breaks(issue)
    with pdfplumber.open(pdf_path) as pdf:
        pages = []
        for pno, page in enumerate(pdf.pages, 1):
            rows = rows_of(page, bottom)
            if pno == 1:        # the masthead: above the red rule
                reds = [ln["top"] for ln in page.lines if tuple(ln.get("stroking_color") or ()) == (1.0, 0.0, 0.0)]
                if reds:
                    rows = [r for r in rows if r.top > min(reds)]
            # the 版记: rows in 14 pt (recipients, print run, printing line) at the page foot
            body = [r for r in rows if r.size > 15]
            block = [r for r in rows if r.size <= 15]
            pages.append((pno, body, block))

    def edge_of(r: Row) -> float | None:
        """The right edge the row is justified to, or None (a paragraph's last row)."""
        e = r.end(right)
        for edge in (right, right - 2 * cell):
            if abs(e - edge) < 0.6:
                return edge
        return None

    def continues(a: Row, b: Row) -> bool:
        if a.size > 20 and b.size > 20:                  # title rows
            return True
        if abs(a.size - b.size) > 0.5 or a.size > 20:
            return False
        edge = edge_of(a)
        if edge is None:
            return False
        margin = left if edge == right else left + 2 * cell
        return abs(b.x0 - margin) < 0.6 * cell

    # reading order: body rows page after page
    seq = [(pno, r) for pno, body, _ in pages for r in body]
    for k, (pno, r) in enumerate(seq):
        nxt = seq[k + 1][1] if k + 1 < len(seq) else None
        where = f"p{pno}: {r.text[-12:]}"
        if nxt is not None and continues(r, nxt):
            a, b = r.text.rstrip(), nxt.text
            if a[-1:].isdigit() and b[:1] and ideo(b[0]):
                found["num|unit"].append(f"{where} / {b[:4]}")
            if len(a) >= 2 and a[-1] in "-–" and a[-2].isdigit() and b[:1].isdigit():
                found["range"].append(f"{where} / {b[:6]}")
            if r.size > 20 and (a[-3:], b[:3]) not in forced:
                if a.count("“") > a.count("”"):
                    found["title-cut"].append(f"{where} / {b[:4]}")
                elif a[-1] in "”》" and ideo(b[0]) and not b.startswith(_PHRASE_VERBS) and b[0] not in "和与及暨并":
                    found["title-cut"].append(f"{where} / {b[:4]}")
        prev = seq[k - 1][1] if k else None
        if prev is not None and continues(prev, r) and (nxt is None or not continues(r, nxt)):
            ideos = [ch for ch in r.text if ideo(ch)]
            if len(ideos) == 1 and all(ch in PUNCT or ideo(ch) for ch in r.text):
                found["lone-char"].append(f"p{pno}: {prev.text[-6:]} / {r.text}")
        # loose: ideographs next to each other standing more than 1.1 cells apart
        nominal = cell if abs(r.size - 16) < 0.1 else r.size
        steps = [b["x0"] - a["x0"] for a, b in zip(r.chars, r.chars[1:]) if ideo(a["text"]) and ideo(b["text"])]
        if len(steps) >= 3 and sum(steps) / len(steps) > 1.1 * nominal + 0.01:
            found["loose"].append(f"{where} ({sum(steps) / len(steps) / nominal:.2f} cells)")

    # the last page with body rows
    with_body = [(pno, body) for pno, body, _ in pages if body]
    if with_body and len(pages) > 1:
        pno, body = with_body[-1]
        if len(body) == 1 and pno > 1:
            found["lone-last"].append(f"p{pno}: {body[0].text}")

    # headings and titles at a page foot
    for pno, body, _ in pages:
        for k, r in enumerate(body):
            head = r.size > 20 or ("Hei" in r.font and abs(r.x0 - (left + 2 * cell)) < 1)
            if not head:
                continue
            under = body[k + 1:]
            if any(u.size > 20 for u in under):            # a title's own rows
                under = [u for u in under if u.size <= 20]
            if not under:
                continue                                   # (keep_next makes that impossible; a row after it
            if len(under) == 1 and edge_of(under[0]) is not None and k + 1 < len(body) and pno < len(pages):
                found["foot-head"].append(f"p{pno}: {r.text[:12]} + 1 row")

    # the 版记: recipients, print run, printing line
    for pno, _, block in pages:
        recips = []
        for k, r in enumerate(block):
            if "印发" in r.text or (k == len(block) - 1 and r.text.endswith("印发")):
                continue
            recips.append(r)
        for a, b in zip(recips, recips[1:]):
            if b.x0 > a.x0 + 0.5 * cell and not b.text[:2].endswith("：") and "：" not in b.text[:3]:
                t = a.text
                if "（共印" in t:
                    t = t[:t.index("（共印")]
                if b.text.startswith("（共印"):
                    continue
                if t and t[-1] not in "、：:" and not t.endswith("份）"):
                    found["name-cut"].append(f"p{pno}: {t[-6:]} / {b.text[:4]}")
                if len([ch for ch in b.text if ideo(ch)]) == 1:
                    found["lone-char"].append(f"p{pno} 版记: {t[-6:]} / {b.text}")
        if block and any("印发" in r.text for r in block):
            last = block[-1]
            em = last.size
            # the printer starts the printing row, or the row above when the date has a row of its own
            prow = last if not last.text.startswith(tuple("0123456789")) and len(last.text) > 12 else block[-2]
            if prow.x0 - left < em - 0.5:
                found["print-inset"].append(f"p{pno}: printer {prow.x0 - left:.1f} pt in")
            if right - last.chars[-1]["x1"] < em - 0.5:
                found["print-inset"].append(f"p{pno}: date {right - last.chars[-1]['x1']:.1f} pt in")

    # overlaps anywhere
    for pno, body, block in pages:
        for r in body + block:
            for a, b in zip(r.chars, r.chars[1:]):
                over = a["x1"] - b["x0"]
                if a["text"] in HALF_MARKS and over <= a["size"] / 2 + 0.3:
                    continue        # a mark set half a cell wide (its ink is in the left half of its em box)
                if over > 0.3 and abs(a["top"] - b["top"]) < 2:
                    found["overlap"].append(f"p{pno}: {a['text']}{b['text']} by {a['x1'] - b['x0']:.1f} pt")
    return found


# --------------------------------------------------------------------------- a generated series

PLACES = ["县发展改革委", "县教育局", "城关镇", "县卫生健康委", "县自然资源局", "县人力资源社会保障局", "县财政局",
          "县市场监管局", "县住房城乡建设局", "县农业农村局"]
TERMS = ["“三个一”", "“放管服”", "“四个一”", "“能力作风建设年”", "“双随机、一公开”", "“一网通办”", "“最多跑一次”"]
UNITS = ["项", "个", "所", "家", "万人", "亿元", "万元", "人次", "批次", "亩", "件", "条", "年度", "名", "场"]
NAMES = ["张喆", "王玥", "李堃", "赵昇", "刘洋", "陈静"]
VERBS = ["推动", "加快", "持续推进", "扎实开展", "全面落实", "着力构建", "深化"]
OBJECTS = ["重点项目建设", "营商环境优化", "民生实事办理", "基层治理创新", "数字政府建设", "安全生产监管",
           "乡村振兴", "高质量发展"]
FILLER = ("围绕中心、服务大局，坚持问题导向和目标导向，细化工作措施，压实工作责任，加强督促检查，"
          "确保各项任务落地见效，形成了上下联动、齐抓共管的良好工作格局，")


def _sentence(rng: random.Random) -> str:
    n = rng.choice([str(rng.randint(2, 999)), f"{rng.randint(1, 99)}.{rng.randint(1, 99)}", str(rng.randint(1000, 9999))])
    parts = [
        f"{rng.choice(PLACES)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}，",
        f"全年共完成{rng.choice(['任务', '项目', '培训', '检查'])}{n}{rng.choice(UNITS)}，",
        f"落实{rng.choice(TERMS)}机制，",
        "，".join(FILLER.split("，")[: rng.randint(2, 7)]) + "，",
        f"出生率下降{rng.randint(0, 9)}.{rng.randint(10, 99)}‰、",
        f"编制《{rng.choice(PLACES)}国土空间总体规划（{rng.randint(2019, 2023)}-2035）》，",
        f"{rng.randint(2019, 2025)}年度考核位列全市第{rng.choice('一二三四五')}名，",
        f"同比增长{rng.randint(1, 30)}.{rng.randint(1, 9)}%。",
    ]
    rng.shuffle(parts)
    text = "".join(parts)
    return text.rstrip("，、") .rstrip("。") + "。"


def generate(target: Path, count: int, seed: int) -> None:
    """A series of `count` issues of varied text: numbers with units, year ranges, quoted terms, ‰, rare names,
    titles with years, headings, recipients lists of many names, and a long printer."""
    import yaml

    rng = random.Random(seed)
    (target / "issues").mkdir(parents=True, exist_ok=True)
    series = {
        "masthead": {"marking": "内部资料 注意保存", "series": "某某县人民政府办公室", "name": "政务信息",
                     "editor": "县政府办公室"},
        "printer": "某某县人民政府办公室综合信息科",
        "template": "default",
        "distribution": {"报": ["市政府办公室"], "发": ["各乡镇人民政府", "县直各有关单位"]},
    }
    (target / "jianbao.yaml").write_text(yaml.safe_dump(series, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for n in range(1, count + 1):
        year = rng.randint(2019, 2025)
        title = rng.choice([
            f"{rng.choice(PLACES)}{year}年度{rng.choice(OBJECTS)}绩效管理年终考评自查情况",
            f"{rng.choice(PLACES)}{rng.choice(TERMS)}机制推动{rng.choice(OBJECTS)}取得实效",
            f"关于{rng.choice(PLACES)}{rng.choice(OBJECTS)}工作情况的报告",
            f"{rng.choice(PLACES)}扎实开展{rng.choice(TERMS)}活动",
        ])
        sections = []
        for s in range(rng.randint(2, 4)):
            body = [_sentence(rng) + (_sentence(rng) if rng.random() < 0.5 else "") for _ in range(rng.randint(1, 3))]
            sections.append({"heading": f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}", "body": body})
        names = "、".join(rng.sample(NAMES, 4))
        issue = {
            "number": n, "date": f"2025-{1 + n % 12:02d}-{1 + n % 27:02d}",
            "title": title,
            "body": [f"会议由{names}等同志主持。" + _sentence(rng)] + sections,
            "distribution": {
                "报": rng.sample(["市政府办公室", "市发展改革委", "市委办公室", "市人大常委会办公室", "市政协办公室"], 3),
                "发": rng.sample(["各乡镇人民政府", "县直各有关单位", "委机关各股室", "各处室", "县属各国有企业",
                                  "各街道办事处", "县经济开发区管委会"], rng.randint(2, 6)),
            },
        }
        (target / "issues" / f"{n:03d}.yaml").write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False),
                                                         encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--generate", type=Path, help="write a generated series here and exit")
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--issues", type=Path, action="append", default=[],
                    help="a folder of the issues the PDFs were built from (NNN.pdf ← NNN.yaml): titles broken "
                         "where the author forced a break are not counted")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every defect found")
    a = ap.parse_args()
    if a.generate:
        generate(a.generate, a.count, a.seed)
        return
    geo = geometry()
    total = {k: 0 for k in KINDS}
    report = {}
    for pdf in a.pdfs:
        issue = next((d / (pdf.stem + ".yaml") for d in a.issues if (d / (pdf.stem + ".yaml")).exists()), None)
        found = measure(pdf, geo, issue)
        report[str(pdf)] = found
        for k in KINDS:
            total[k] += len(found[k])
        if not a.json:
            print(f"{pdf}: " + " ".join(f"{k}={len(v)}" for k, v in found.items() if v) or "clean")
            if a.verbose:
                for k, v in found.items():
                    for item in v:
                        print(f"    {k}: {item}")
    if a.json:
        print(json.dumps({"total": total, "found": report}, ensure_ascii=False, indent=1))
    else:
        print("TOTAL " + " ".join(f"{k}={v}" for k, v in total.items()))


if __name__ == "__main__":
    main()
