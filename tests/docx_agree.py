#!/usr/bin/env python3
"""How the DOCX reads when a user on Linux opens it: LibreOffice's render of jianbao's DOCX against jianbao's PDF.

    .venv/bin/python tests/docx_agree.py [FILES or folders of issues/NNN.yaml …] [--fontsconf FILE] [--diff]
        [--out DIR]

Builds each issue (PDF + DOCX, into --out or a temporary folder), converts every DOCX with one plain
`soffice --headless --convert-to pdf` (the machine's fontconfig, or FONTCONFIG_FILE=--fontsconf) and prints,
per issue and in total:
  * pages: the PDF's and the render's page counts;
  * lines: the share of the PDF's lines whose text is a line of the render, in order (difflib on line texts);
  * text: the share of the issue's characters (the document tree's text) found, in order, in the render.
--diff prints the lines that differ. Also a module: the tests use `measure()`.
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHIPPED_FONTS_CONF = REPO / "src" / "jianbao" / "data" / "fonts.conf"


def pdf_lines(path: Path) -> list[tuple[int, str]]:
    """(page, text) of each visual line (glyphs grouped by baseline, in 3 pt buckets); page numbers
    (a line of dashes and digits only) left out."""
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            rows: dict[int, list] = {}
            for c in page.chars:
                if c["text"].strip():
                    rows.setdefault(round(c["bottom"] / 3.0), []).append(c)
            for key in sorted(rows):
                text = "".join(c["text"] for c in sorted(rows[key], key=lambda c: c["x0"])).replace(" ", "")
                if text.strip("—-0123456789") == "":
                    continue
                out.append((pno, text))
    return out


def norm(s: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", s))


def tree_text(tree) -> str:
    return norm("".join(tree.itertext()))


def render(docxs: list[Path], out: Path, fontsconf: Path | None = None) -> list[Path]:
    """LibreOffice's PDF of each DOCX (one soffice run, a fresh profile), in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("FONTCONFIG_FILE", None)
    if fontsconf:
        env["FONTCONFIG_FILE"] = str(Path(fontsconf).resolve())
    profile = tempfile.mkdtemp(prefix="jianbao-lo-profile-")
    try:
        subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, docxs)],
                       capture_output=True, timeout=120 + 30 * len(docxs), env=env, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return [out / (d.stem + ".pdf") for d in docxs]


@dataclass
class Agreement:
    name: str
    pages: tuple[int, int]          # PDF, render
    lines: int                      # the PDF's lines
    same: int                       # of them, found in order in the render
    chars: int                      # the issue's characters
    found: int                      # of them, found in order in the render
    diff: list[str]

    @property
    def line_pct(self) -> float:
        return 100.0 * self.same / max(self.lines, 1)

    @property
    def text_pct(self) -> float:
        return 100.0 * self.found / max(self.chars, 1)


def compare(name: str, pdf: Path, lo_pdf: Path, text: str) -> Agreement:
    import pdfplumber

    a, b = pdf_lines(pdf), pdf_lines(lo_pdf)
    sm = difflib.SequenceMatcher(None, [t for _, t in a], [t for _, t in b], autojunk=False)
    same = sum(m.size for m in sm.get_matching_blocks())
    diff = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            diff += [f"  pdf p{a[i][0]}: {a[i][1]}" for i in range(i1, i2)]
            diff += [f"  doc p{b[j][0]}: {b[j][1]}" for j in range(j1, j2)]
    with pdfplumber.open(pdf) as p1, pdfplumber.open(lo_pdf) as p2:
        pages = (len(p1.pages), len(p2.pages))
    rendered = norm("".join(t for _, t in b))     # line by line: a fallback glyph's own baseline stays in place
    m = difflib.SequenceMatcher(None, text, rendered, autojunk=False)
    found = sum(b.size for b in m.get_matching_blocks())
    return Agreement(name, pages, len(a), same, len(text), found, diff)


def measure(issues: list[Path], out: Path, fontsconf: Path | None = None) -> list[Agreement]:
    """Build each issue into `out` (PDF + DOCX), render the DOCXs with LibreOffice, compare."""
    sys.path.insert(0, str(REPO / "src"))
    from jianbao import api

    built = []
    for issue in issues:
        context = api.Context.for_root(api.find_root(issue.parent))
        tree, laid, _ = api.lay_out(issue, context)
        data = api.write_formats(issue, tree, laid, context, ("pdf", "docx"))
        stem = f"{issue.parent.parent.name}-{issue.stem}"
        for fmt, blob in data.items():
            (out / f"{stem}.{fmt}").write_bytes(blob)
        built.append((stem, tree_text(tree)))
    rendered = render([out / f"{stem}.docx" for stem, _ in built], out / "lo", fontsconf)
    return [compare(stem, out / f"{stem}.pdf", lo, text) for (stem, text), lo in zip(built, rendered)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--fontsconf", type=Path, help=f"render with FONTCONFIG_FILE (the shipped one: {SHIPPED_FONTS_CONF})")
    ap.add_argument("--diff", action="store_true", help="print the lines that differ")
    ap.add_argument("--out", type=Path, help="keep the PDFs, DOCXs and renders here")
    a = ap.parse_args(argv)
    issues = []
    for p in a.paths or [REPO / "issues", REPO / "tests" / "bulletins" / "issues"]:
        p = p.resolve()
        issues += sorted(p.glob("[0-9][0-9][0-9].yaml")) if p.is_dir() else [p]
    out = a.out or Path(tempfile.mkdtemp(prefix="jianbao-agree-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        results = measure(issues, out, a.fontsconf)
    finally:
        if not a.out:
            shutil.rmtree(out, ignore_errors=True)
    report(results, a.diff)
    return 0


def report(results: list[Agreement], diff: bool = False) -> None:
    print(f"{'issue':<24} {'pages':>7} {'lines':>7} {'text':>8}")
    for r in results:
        print(f"{r.name:<24} {r.pages[0]:>3}/{r.pages[1]:<3} {r.line_pct:6.1f}% {r.text_pct:7.2f}%")
        if diff:
            print("\n".join(r.diff))
    lines = sum(r.lines for r in results)
    same = sum(r.same for r in results)
    chars = sum(r.chars for r in results)
    found = sum(r.found for r in results)
    pages_same = sum(r.pages[0] == r.pages[1] for r in results)
    print(f"{'all ' + str(len(results)):<24} {pages_same:>3}/{len(results):<3} {100.0 * same / max(lines, 1):6.1f}% "
          f"{100.0 * found / max(chars, 1):7.2f}%   (pages: issues with the same count; lines, text: over all)")
    print(f"worst lines {min((r.line_pct for r in results), default=0):.1f}%, "
          f"worst text {min((r.text_pct for r in results), default=0):.2f}%")


if __name__ == "__main__":
    sys.exit(main())
