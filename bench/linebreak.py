#!/usr/bin/env python3
"""The line breaker alone: 10,000 characters (a 20-page bulletin's body) broken into 28-cell lines.

    .venv/bin/python bench/linebreak.py

Prints the best of five runs in ms. Not a test: the figure depends on the machine (bench/RESULTS.md records it).
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from jianbao.layout.linebreak import layout_paragraph  # noqa: E402

WIDTH = 442.2                   # 156 mm
CELL = WIDTH / 28
PARA = ("为深入贯彻落实党中央、国务院关于优化营商环境的决策部署，对标B-READY体系，"
        "全市营商环境满意度达到91.93%，较2022年提高1.81个百分点。“放管服”改革——"
        "持续深化……各单位要高度重视（具体见附件），确保2020-2035年规划落地见效。")


def measure(text, _style):
    return 8.0 * len(text)


def main() -> None:
    paras = [PARA * 2] * (10000 // (2 * len(PARA)) + 1)
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for p in paras:
            layout_paragraph([(p, "fs")], width=WIDTH, cell=CELL, measure=measure, first_indent=2 * CELL)
        best = min(best, time.perf_counter() - t0)
    print(f"line breaker: {sum(len(p) for p in paras)} characters in {best * 1000:.1f} ms (best of 5)")


if __name__ == "__main__":
    main()
