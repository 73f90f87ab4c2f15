#!/usr/bin/env python3
"""Benchmark jianbao against what offices use today (LibreOffice) and the fastest typesetter (Typst).

    .venv/bin/python bench/run.py [--issue issues/011.yaml] [--series 100] [--repeat 5] [--no-bytecode]

Prints a Markdown table: median wall time, ratio to jianbao's fresh-process build, and peak memory.
Fonts must already be prepared (scripts/install.sh builds the examples, which converts them once).
Not a test: numbers depend on the machine; the README records one run with its date and machine.

jianbao's modules are byte-compiled first, as pip does for an installed package: with
PYTHONDONTWRITEBYTECODE set (some containers and CI images set it) a source checkout is otherwise compiled
again by every process, ~0.15 s each. --no-bytecode measures that case (it removes the compiled files).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def run_child(cmd: list[str], cwd: Path | None = None, env=None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss // 1024


def median_child(cmd, repeat, cwd=None, env=None, before=None):
    times, peaks = [], []
    for _ in range(repeat):
        if before:
            before()
        t, m = run_child(cmd, cwd, env)
        times.append(t)
        peaks.append(m)
    return statistics.median(times), max(peaks)


def bytecode(compiled: bool) -> None:
    """Byte-compile jianbao's modules (as an installed package has them), or remove the compiled files."""
    package = REPO / "src" / "jianbao"
    if compiled:
        import compileall
        compileall.compile_dir(str(package), quiet=1)
    else:
        shutil.rmtree(package / "__pycache__", ignore_errors=True)


def jianbao_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "jianbao.cli", *args]


def make_series(source_root: Path, target: Path, count: int) -> list[Path]:
    """A series of `count` issues made from the seed issues, each with its own number and date."""
    (target / "issues").mkdir(parents=True)
    shutil.copy(source_root / "jianbao.yaml", target / "jianbao.yaml")
    seeds = [(source_root / "issues" / n).read_text(encoding="utf-8") for n in ("008.yaml", "011.yaml")]
    start = dt.date(2022, 1, 1)
    for n in range(1, count + 1):
        text = seeds[n % 2]
        text = re.sub(r"(?m)^number: \d+", f"number: {n}", text)
        text = re.sub(r"(?m)^date: [\d-]+", f"date: {start + dt.timedelta(days=3 * n)}", text)
        (target / "issues" / f"{n:03d}.yaml").write_text(text, encoding="utf-8")
    return sorted((target / "issues").glob("*.yaml"))


# --------------------------------------------------------------------------- Typst

def typst_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def typst_source(tree) -> str:
    """The same bulletin as Typst markup: same page, grid, fonts and parts (no hanging punctuation tweaks)."""
    from jianbao.tree import text

    def s(t):
        return f'#"{typst_escape(t)}"'
    out = ['#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),',
           '  footer: context { let n = counter(page).get().first(); set text(font: "FandolSong", size: 14pt);',
           '    if calc.odd(n) { align(right)[— #n —#h(1em)] } else { align(left)[#h(1em)— #n —] } })',
           '#set text(font: "FandolFang R", size: 16pt, lang: "zh", tracking: -0.21pt)',
           '#set par(justify: true, leading: 12.95pt, spacing: 12.95pt, first-line-indent: (amount: 2em, all: true))']
    m = tree.find("masthead")
    out.append(f'#text(font: "FandolHei")[{s(text(m.find("marking")))}]' if m.find("marking") is not None else "")
    out.append(f'#align(center)[#text(font: "FandolSong", weight: "bold", fill: red, size: 26pt)[{s(text(m.find("series")))}]]')
    out.append(f'#align(center)[#text(font: "FandolSong", weight: "bold", fill: red, size: 66pt, tracking: 0.5em)[{s(text(m.find("name")))}]]')
    out.append(f'#align(center)[{s(text(m.find("issue-number")))}]')
    out.append(f'#grid(columns: (1fr, 1fr), align(left)[{s(text(m.find("editor")))}], align(right)[{s(text(m.find("date")))}])')
    out.append('#v(-2mm)#line(length: 100%, stroke: 2.25pt + red)')
    for article in tree.iter("article"):
        title = text(article.find("title"))
        out.append(f'#align(center)[#text(font: "FandolSong", weight: "bold", size: 22pt)[{s(title)}]]')
        for el in article:
            if el.tag == "para":
                out.append(f"#par[{s(text(el))}]")
            elif el.tag == "heading":
                font = {"1": "FandolHei", "2": "FandolKai"}.get(el.get("level"), "FandolFang R")
                out.append(f'#par[#text(font: "{font}")[{s(text(el))}]]')
    d = tree.find("distribution")
    rows = [f'[#h(1em){s(text(r))}]' for r in d.iter("recipients")]
    printing = d.find("printing")
    block = (f'#place(bottom, float: true)[#set text(size: 14pt); #set par(first-line-indent: 0pt)\n'
             f'#line(length: 100%, stroke: 1pt)#v(-0.6em)\n' + "\n".join(f"#par{r}" for r in rows) +
             f'\n#line(length: 100%, stroke: 0.75pt)#grid(columns: (1fr, auto), [#h(1em){s(text(printing.find("printer")))}],'
             f' [{s(text(printing.find("printed")))}#h(1em)])\n#line(length: 100%, stroke: 1pt)]')
    out.append(block)
    return "\n".join(out) + "\n"


def typst_fonts_dir() -> Path | None:
    from jianbao.fonts import FontBook
    book = FontBook.for_series(REPO, {"fang": ["FandolFang"]})
    faces = book.faces("fang")
    return faces[0].path.parent if faces else None


def bench_typst(tree, repeat):
    try:
        import typst
    except ImportError:
        return None
    fonts = typst_fonts_dir()
    if fonts is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bulletin.typ"
        src.write_text(typst_source(tree), encoding="utf-8")
        compiler = typst.Compiler(root=str(tmp), font_paths=[str(fonts)], ignore_system_fonts=True)
        started = time.perf_counter()
        compiler.compile(input=str(src), format="pdf")
        cold = time.perf_counter() - started
        warm = []
        for _ in range(max(repeat, 5)):
            started = time.perf_counter()
            compiler.compile(input=str(src), format="pdf")
            warm.append(time.perf_counter() - started)
        fresh, peak = median_child([sys.executable, "-c",
                                    "import sys, typst; typst.Compiler(root=sys.argv[3], font_paths=[sys.argv[2]], "
                                    "ignore_system_fonts=True).compile(input=sys.argv[1], format='pdf')",
                                    str(src), str(fonts), str(tmp)], repeat)
    return cold, statistics.median(warm), fresh, peak


def bench_warm_batch(issues: list[Path], out: Path) -> float:
    """Per-issue seconds of jianbao building issues one after another in one warm process."""
    from jianbao import api
    context = api.Context.for_root(api.find_root(issues[0]))
    api.build(issues[0], out, context)   # warm up: fonts registered, modules imported
    started = time.perf_counter()
    for issue in issues:
        api.build(issue, out, context)
    return (time.perf_counter() - started) / len(issues)


def bench_writers(issue: Path, repeat: int) -> dict[str, float]:
    """Median seconds, in a warm process (fonts registered, modules imported), of laying one issue out and of
    each page-model writer drawing the laid-out pages."""
    import io
    from jianbao import api
    from jianbao.writers import writer

    context = api.Context.for_root(api.find_root(issue))
    tree, laid, _ = api.lay_out(issue, context)
    steps = {"layout": lambda: api.lay_out(issue, context)}
    for fmt in ("pdf", "ofd"):
        steps[fmt] = lambda write=writer(fmt): write(tree, laid, context.style, io.BytesIO())
    out = {}
    for name, step in steps.items():
        step()
        times = []
        for _ in range(max(repeat, 5)):
            started = time.perf_counter()
            step()
            times.append(time.perf_counter() - started)
        out[name] = statistics.median(times)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--issue", type=Path, default=REPO / "issues" / "011.yaml")
    ap.add_argument("--series", type=int, default=100, help="issues in the generated series")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-bytecode", action="store_true",
                    help="do not byte-compile jianbao first (measures recompiling it in every process)")
    args = ap.parse_args()
    bytecode(not args.no_bytecode)
    issue = args.issue.resolve()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # warm the font conversion cache and the page count
        subprocess.run(jianbao_cmd("build", "--force", "--out", str(tmp / "one"), str(issue)), check=True,
                       env=env, stdout=subprocess.DEVNULL)
        one, one_mem = median_child(jianbao_cmd("build", "--force", "--out", str(tmp / "one"), str(issue)),
                                    args.repeat, env=env)
        rows.append(("jianbao: one issue, PDF + DOCX, fresh process", one, one_mem))
        # PDF alone and PDF + OFD in turns, so that a change in the machine's load weighs on both alike
        pairs = [median_child(jianbao_cmd("build", "--force", *fmts, "--out", str(tmp / "pdf"), str(issue)), 1, env=env)
                 for _ in range(args.repeat) for fmts in (["--format", "pdf"], ["--format", "pdf", "--format", "ofd"])]
        pdf_only, with_ofd = (statistics.median(t for t, _ in pairs[k::2]) for k in (0, 1))
        rows.append(("jianbao: one issue, PDF only, fresh process", pdf_only, max(m for _, m in pairs[0::2])))
        rows.append(("jianbao: one issue, PDF + OFD, fresh process", with_ofd, max(m for _, m in pairs[1::2])))
        drawn = bench_writers(issue, args.repeat)
        rows.append(("jianbao: layout alone, warm (one process)", drawn["layout"], None))
        rows += [(f"jianbao: {fmt.upper()} writer alone, warm (one process)", drawn[fmt], None) for fmt in ("pdf", "ofd")]

        from jianbao import api
        tree = api.build_tree(issue)
        pages = len(re.findall(rb"/Type /Page\b", (tmp / "one" / f"{issue.stem}.pdf").read_bytes()))

        series = tmp / "series"
        issues = make_series(api.find_root(issue), series, args.series)
        cold, cold_mem = run_child(jianbao_cmd("build"), cwd=series, env=env)
        rows.append((f"jianbao: {args.series}-issue series, cold (all cores)", cold, cold_mem))
        rows.append(("  per issue", cold / args.series, None))
        noop, noop_mem = median_child(jianbao_cmd("build"), args.repeat, cwd=series, env=env)
        rows.append((f"jianbao: {args.series}-issue series, nothing changed", noop, noop_mem))
        changed = issues[len(issues) // 2]

        def touch():
            changed.write_text(changed.read_text(encoding="utf-8") + f"\n# {time.time()}\n", encoding="utf-8")
        one_changed, one_changed_mem = median_child(jianbao_cmd("build"), args.repeat, cwd=series, env=env,
                                                    before=touch)
        rows.append((f"jianbao: {args.series}-issue series, one issue changed", one_changed, one_changed_mem))
        warm = bench_warm_batch(issues[:20], tmp / "warm")
        rows.append(("jianbao: per issue in a warm batch (one process)", warm, None))

        soffice = shutil.which("soffice")
        if soffice:
            profile = tmp / "lo-profile"
            docx = tmp / "one" / f"{issue.stem}.docx"
            lo_cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                      "--outdir", str(tmp / "lo"), str(docx)]
            run_child(lo_cmd)  # first run creates the profile
            lo, lo_mem = median_child(lo_cmd, args.repeat)
            rows.append(("LibreOffice: DOCX → PDF (soffice --convert-to pdf)", lo, lo_mem))
        typ = bench_typst(tree, args.repeat)
        if typ:
            cold_t, warm_t, fresh_t, typ_mem = typ
            rows.append(("Typst: same bulletin, fresh process", fresh_t, typ_mem))
            rows.append(("Typst: first compile in a process", cold_t, None))
            rows.append(("Typst: warm compile", warm_t, None))

    print(f"jianbao benchmark, {dt.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {issue.name}: {pages} pages; jianbao "
          f"{'not ' if args.no_bytecode else ''}byte-compiled\n")
    print("| what | seconds | × jianbao one issue | peak MiB |")
    print("| --- | ---: | ---: | ---: |")
    for name, seconds, mem in rows:
        print(f"| {name} | {seconds:.3f} | {seconds / one:.2f} | {mem if mem is not None else ''} |")
    lo_row = next((r for r in rows if r[0].startswith("LibreOffice")), None)
    typ_row = next((r for r in rows if r[0] == "Typst: warm compile"), None)
    print()
    added = with_ofd - pdf_only
    print(f"OFD adds {added * 1000:.0f} ms to a fresh PDF build ({added / pdf_only:.0%} of its time); warm, the OFD "
          f"writer takes {drawn['ofd'] * 1000:.0f} ms, the PDF writer {drawn['pdf'] * 1000:.0f} ms and the layout "
          f"they share {drawn['layout'] * 1000:.0f} ms.")
    if lo_row:
        print(f"LibreOffice's conversion takes {lo_row[1] / one:.1f}× jianbao's whole build of the issue.")
    if typ_row:
        print(f"Warm per-issue: jianbao {warm * 1000:.0f} ms vs Typst {typ_row[1] * 1000:.0f} ms "
              f"({warm / typ_row[1]:.1f}×).")


if __name__ == "__main__":
    main()
