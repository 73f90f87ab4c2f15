#!/usr/bin/env python3
"""LibreOffice's render of a generated series against jianbao's PDF (tests/docx_agree.py on many issues).

    .venv/bin/python bench/series_agree.py [--issues 30] [--seed 1] [--fontsconf src/jianbao/data/fonts.conf]
        [--keep DIR] [--diff]

Writes a series of N issues into a temporary folder (or --keep DIR): one to ten pages each, digits, years and
dates, percentages and per-mille, decimals, Latin words (GDP, PM2.5, B-READY, 5G), emphasis, headings, several
articles with a contents list in some, and long 发 lists; then builds each one (PDF + DOCX), converts the DOCXs
with plain `soffice --convert-to pdf` and prints, per issue and in total, the pages, the share of the PDF's lines
found in LibreOffice's render and the share of the issue's characters on its pages. Deterministic for a --seed.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import docx_agree  # noqa: E402

PLACES = ["城关镇", "河口镇", "新华街道", "县发展改革委", "县财政局", "县教育局", "县卫生健康委", "经开区管委会",
          "县市场监管局", "县自然资源局", "县住房城乡建设局", "县农业农村局"]
THINGS = ["重点项目", "民生实事", "招商引资", "营商环境", "乡村振兴", "安全生产", "生态环境", "数字政府",
          "城市更新", "基层治理", "就业创业", "义务教育"]
LATIN = ["GDP", "PM2.5", "B-READY", "5G", "RCEP", "CPI", "PPP", "12345热线", "AI", "ISO9001"]
VERBS = ["扎实推进", "统筹推进", "持续深化", "全面落实", "大力实施", "加快推进", "认真组织", "稳步开展"]
RECIPIENTS = ["各乡镇人民政府", "各街道办事处", "县直各有关单位", "县委各部门", "县人大常委会办公室",
              "县政协办公室", "县法院", "县检察院", "县人武部", "各人民团体", "经开区管委会", "高新区管委会",
              "县属国有企业", "驻县各单位", "委机关各股室"]


def number(rng: random.Random) -> str:
    kind = rng.randrange(7)
    if kind == 0:
        return f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"
    if kind == 1:
        return f"{rng.randint(1, 999)}.{rng.randint(10, 99)}亿元"
    if kind == 2:
        return f"{rng.randint(2019, 2027)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    if kind == 3:
        return f"{rng.randint(1, 9999)}个"
    if kind == 4:
        return f"{rng.randint(1, 30)}.{rng.randint(1, 9)}‰"
    if kind == 5:
        return f"{rng.randint(1, 99)}.{rng.randint(1, 99)}/10万"
    return f"{rng.randint(10, 500)}万人次"


def sentence(rng: random.Random) -> str:
    parts = [rng.choice(PLACES), rng.choice(VERBS), rng.choice(THINGS), "工作，"]
    for _ in range(rng.randint(1, 3)):
        parts += [rng.choice(["完成", "达到", "同比增长", "累计", "新增", "占比"]), number(rng),
                  rng.choice(["，", "；", "，其中", "，较上年提高"])]
        if rng.random() < 0.3:
            parts += ["依托", rng.choice(LATIN), rng.choice(["平台", "项目", "指标", "评价"]), "，"]
    parts += [rng.choice(["取得明显成效", "推动工作落地见效", "群众满意度持续提升", "形成了可复制的经验"]), "。"]
    text = "".join(parts).replace("，。", "。").replace("；。", "。")
    if rng.random() < 0.15:
        text = "**" + text[:8] + "**" + text[8:]
    return text


def paragraph(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(1, 4)))


def body(rng: random.Random, paragraphs: int) -> list:
    out: list = []
    n = 0
    while n < paragraphs:
        if rng.random() < 0.3:
            k = rng.randint(1, 4)
            out.append({"heading": f"{rng.choice(VERBS)}{rng.choice(THINGS)}，{rng.choice(['夯实基础', '提升质效', '补齐短板'])}",
                        "body": [paragraph(rng) for _ in range(k)]})
            n += k
        else:
            out.append(paragraph(rng))
            n += 1
    return out


def issue_yaml(rng: random.Random, number_: int) -> str:
    import yaml

    pages = rng.randint(1, 10)
    paragraphs = max(1, pages * 3 + rng.randint(-2, 2))
    data: dict = {"number": number_, "date": f"2026-{(number_ - 1) % 12 + 1:02d}-{rng.randint(1, 28):02d}"}
    if pages >= 3 and rng.random() < 0.5:
        k = rng.randint(2, 4)
        data["articles"] = [{"title": f"{rng.choice(PLACES)}{rng.choice(VERBS)}{rng.choice(THINGS)}",
                             "body": body(rng, max(1, paragraphs // k)),
                             **({"source": f"（{rng.choice(PLACES)}供稿）"} if rng.random() < 0.6 else {})}
                            for _ in range(k)]
    else:
        data["title"] = f"{rng.choice(PLACES)}{rng.choice(VERBS)}{rng.choice(THINGS)}工作取得新进展"
        data["body"] = body(rng, paragraphs)
    if rng.random() < 0.5:
        data["distribution"] = {"报": ["市发展改革委", "县委办公室", "县政府办公室"],
                                "发": rng.sample(RECIPIENTS, rng.randint(6, len(RECIPIENTS)))}
    if rng.random() < 0.4:
        data["copies"] = rng.choice([80, 120, 200, 350])
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def write_series(root: Path, issues: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    (root / "issues").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "tests" / "bulletins" / "jianbao.yaml", root / "jianbao.yaml")
    paths = []
    for n in range(1, issues + 1):
        path = root / "issues" / f"{n:03d}.yaml"
        path.write_text(issue_yaml(rng, n), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--issues", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fontsconf", type=Path)
    ap.add_argument("--keep", type=Path, help="write the series and the outputs here")
    ap.add_argument("--diff", action="store_true")
    a = ap.parse_args(argv)
    root = a.keep or Path(tempfile.mkdtemp(prefix="jianbao-series-"))
    try:
        issues = write_series(root / "series", a.issues, a.seed)
        out = root / "out"
        out.mkdir(parents=True, exist_ok=True)
        results = docx_agree.measure(issues, out, a.fontsconf)
    finally:
        if not a.keep:
            shutil.rmtree(root, ignore_errors=True)
    docx_agree.report(results, a.diff)
    return 0


if __name__ == "__main__":
    sys.exit(main())
