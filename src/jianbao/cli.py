"""The `jianbao` command: a thin layer over jianbao.api.

Each command imports what it needs when it runs (`jianbao --version` reads no YAML, `build --format pdf`
imports no python-docx): imports are most of a one-issue build in a fresh process.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import JianbaoError, Location
from .i18n import N_, _


def _fail(error: JianbaoError) -> None:
    click.echo(str(error), err=True)


def _parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("{value} is not a date like 2022-01-30").format(value=repr(value))) from None


@contextlib.contextmanager
def _in_language(command: click.Command, ctx: click.Context | None = None):
    """The command's help texts (written in English, marked N_) translated for the time they are shown: the
    language is the one of this run, not of the moment the module was imported."""
    saved = [(command, "help"), (command, "short_help")]
    params = command.get_params(ctx) if ctx is not None else command.params
    saved += [(p, "help") for p in params if isinstance(p, click.Option)]
    values = [getattr(obj, attr) for obj, attr in saved]
    try:
        for (obj, attr), value in zip(saved, values):
            if value:
                setattr(obj, attr, _(value))
        yield
    finally:
        for (obj, attr), value in zip(saved, values):
            setattr(obj, attr, value)


class Command(click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", N_("[OPTIONS]"))
        super().__init__(*args, **kwargs)

    def format_help(self, ctx, formatter):
        with _in_language(self, ctx):
            super().format_help(ctx, formatter)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None and not getattr(option, "worded", False):
            # click words it once, in the language of the run that made it: set back to the message, and translated
            # when shown as the other options are
            option.help, option.worded = N_("Show this message and exit."), True
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        with _in_language(self):
            first = (self.short_help or self.help or "").split("\n\n")[0]
            if "。" in first:                        # Chinese: the first sentence, wrapped rather than cut
                return first.split("。")[0] + "。"
            return super().get_short_help_str(limit)

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        shown = (self.options_metavar, getattr(self, "subcommand_metavar", None))
        return [_(p) if p in shown else p for p in pieces]


class Group(Command, click.Group):
    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", N_("COMMAND [ARGS]..."))
        super().__init__(*args, **kwargs)

    def main(self, *args, **kwargs):
        from .console import wrap_help_by_width
        from .i18n import use_for_click

        use_for_click()                 # click's own messages through jianbao's catalogue
        wrap_help_by_width()            # Chinese help wrapped by display columns
        return super().main(*args, **kwargs)


def _show_version(ctx, param, value):
    if value and not ctx.resilient_parsing:
        click.echo(_("%(prog)s, version %(version)s") % {"prog": "jianbao", "version": __version__})
        ctx.exit()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Typeset bulletins (简报) from YAML into PDF, DOCX and OFD in the official layout."))
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help=N_("Show the version and exit."))
def cli():
    pass


@cli.command(help=N_("Build FILES (issues/NNN.yaml), or every issue of the series in this folder.\n\n"
                     "Issues whose inputs (issue, jianbao.yaml, template, fonts, jianbao version) have not changed "
                     "since the last build are skipped."))
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help=N_("Output folder (default: build/ in the series folder)."))
@click.option("--format", "formats", type=click.Choice(["pdf", "docx", "dotx", "ofd", "png", "html"]), multiple=True,
              help=N_("Write this format (repeatable; default: the series' `formats:`, else pdf and docx). ofd: the "
                      "national fixed-layout format (GB/T 33190); png: one image per page (NNN-1.png …); html: one "
                      "web page (NNN.html); dotx: the DOCX as a Word template (the series' styles, page setup, grid, "
                      "masthead and footers, for issues typed in Word)."))
@click.option("--dpi", type=click.IntRange(min=36, max=600), default=None, metavar="DPI",
              help=N_("Resolution of the page images of --format png (default: 150)."))
@click.option("--force", is_flag=True, help=N_("Rebuild even the issues whose inputs have not changed."))
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help=N_("Parallel builds (default: the number of CPU cores)."))
@click.option("--strict", is_flag=True, help=N_("Do not build an issue with any `jianbao check` finding."))
@click.option("--preprinted", is_flag=True,
              help=N_("For paper with the red masthead printed on it (套打): print nothing red, every other position "
                      "kept."))
def build(files, out_dir, formats, dpi, force, jobs, strict, preprinted):
    from . import api
    from .batch import build_many

    formats = tuple(dict.fromkeys(formats)) or None          # None: each series' own `formats:`
    if dpi is not None and "png" not in (formats or _series_formats(files)):
        raise click.UsageError(_("--dpi is the resolution of the page images: use it with --format png"))
    options = {"dpi": dpi} if dpi else None
    if not files:
        root = api.find_root(Path.cwd())
        files = [_relative(f) for f in api.issue_files(root)]
        if not files:
            raise click.ClickException(_("no issues found in {folder} (create one with `jianbao new`)")
                                       .format(folder=root / "issues"))
    total = len(files)
    bar = None
    if total > 1 and sys.stderr.isatty() and not os.environ.get("CI"):
        # on a terminal a progress bar (stderr) under the lines of written files; in a log, the lines only
        bar = click.progressbar(length=total, label=_("building"), file=sys.stderr, show_pos=True,
                                item_show_func=lambda name: name)

    def report(outcome):
        if bar is not None:
            click.echo("\r\033[K", nl=False, err=True)
        if outcome.status == "failed":
            click.echo(outcome.message, err=True)
        for out in outcome.outputs if outcome.status == "built" else ():
            click.echo(_shown(out))
        for note in outcome.notes:
            click.echo(_("  note: {note}").format(note=note), err=True)
        if bar is not None:
            bar.update(1, outcome.issue.name)

    # (the bar is drawn from the first outcome on, so that the checks' warnings come before it)
    summary = build_many(list(files), out_dir, formats=formats, preprinted=preprinted, force=force, jobs=jobs,
                         report=report, vet=lambda stale: _vet(stale, strict), options=options)
    if bar is not None:
        click.echo("\r\033[K\033[?25h", nl=False, err=True)     # the bar's line cleared, the cursor shown again
    failed = summary.count("failed")
    if total > 1 or summary.count("skipped"):
        click.echo(_("built {built}, skipped {skipped} (unchanged), failed {failed}, in {seconds} s").format(
            built=summary.count("built"), skipped=summary.count("skipped"), failed=failed,
            seconds=f"{summary.seconds:.2f}"), err=True)
    if failed:
        raise SystemExit(1)


def _series_formats(files) -> tuple[str, ...]:
    """What the series of FILES (or of this folder) writes by default: its `formats:` (a broken jianbao.yaml: PDF and
    DOCX here, the build says what is wrong with it)."""
    from . import api
    from .model import DEFAULT_FORMATS

    try:
        return api.Context.for_root(api.find_root(Path(files[0]) if files else Path.cwd())).series.formats
    except JianbaoError:
        return DEFAULT_FORMATS


def _vet(files: list[Path], strict: bool) -> dict[Path, str]:
    """Run `jianbao check` on the issues about to be built and print what it finds (problems that
    stop the build itself are left to the build to report). With `strict`, they are not built."""
    from .check import check_files

    findings = [f for f in check_files(files, dt.date.today(), fonts=False) if f.rule != "invalid"]
    for f in findings:
        click.echo(_shown_finding(f), err=True)
    if not strict:
        return {}
    flagged = {Path(f.file).resolve() for f in findings}
    return {f: _("{file}: not built (--strict: fix the findings above)").format(file=f)
            for f in files if f.resolve() in flagged}


def _shown_finding(finding) -> str:
    """A finding's line, with its severity when it is not a plain warning."""
    if finding.severity == "error":
        return _("{finding} [error]").format(finding=finding)
    if finding.severity == "advice":
        return _("{finding} [advice]").format(finding=finding)
    return str(finding)


@cli.command(help=N_("Check FILES (or every issue of the series) for mistakes before they go out."))
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True,
              help=N_("Apply the fixes that are certain (see the rule table in the README) in place."))
@click.option("--strict", is_flag=True, help=N_("Treat warnings as errors (exit 1)."))
def check(files, fix, strict):
    from . import api
    from .check import apply_fixes, check_files

    if not files:
        root = api.find_root(Path.cwd())
        files = [_relative(f) for f in api.issue_files(root)]
    else:
        expanded = []
        for f in files:
            if f.is_dir():     # a series folder, its issues/ or a year folder: the issues under it
                inside = f.resolve()
                expanded += [p for p in api.issue_files(api.find_root(f))
                             if inside == p.resolve().parent or inside in p.resolve().parents]
            else:
                expanded.append(f)
        files = expanded
    findings = check_files(list(files), dt.date.today())
    for _round in range(5 if fix else 0):       # a fix can make the next one ('。::' → '。：:' → '。：：')
        fixed = apply_fixes(findings)
        for f in fixed:
            click.echo(_("fixed {finding}").format(finding=f))
        if not fixed:
            break
        findings = check_files(list(files), dt.date.today())
    for f in findings:
        click.echo(_shown_finding(f))
    errors = sum(1 for f in findings if f.severity == "error")
    advice = sum(1 for f in findings if f.severity == "advice")
    warnings = len(findings) - errors - advice
    summary = _("{files} file(s) checked: {errors} error(s), {warnings} warning(s)")
    if advice:
        summary += _(", {advice} advice")
    click.echo(summary.format(files=len(files), errors=errors, warnings=warnings, advice=advice), err=True)
    if errors or (strict and warnings):
        raise SystemExit(1)


@cli.command(help=N_("Start issue NUMBER (default: the next one) as issues/NNN.yaml (issues/YYYY/NNN.yaml in a "
                     "yearly series)."))
@click.argument("number", required=False, type=click.IntRange(min=1))
@click.option("--date", "date", callback=_parse_date, metavar="YYYY-MM-DD",
              help=N_("The issue date (default: today)."))
@click.option("--supplement", is_flag=True,
              help=N_("A supplement (增刊), numbered apart: issues/[YYYY/]zNN.yaml."))
def new(number, date, supplement):
    from . import api

    root = api.find_root(Path.cwd())
    try:
        path = api.new_issue(root, number, date or dt.date.today(), supplement)
    except JianbaoError as e:
        _fail(e)
        raise SystemExit(1)
    click.echo(_shown(path))


@cli.command(help=N_("Make FOLDER a new bulletin series: jianbao.yaml, issues/, fonts/, .gitignore and a CI "
                     "workflow.\n\nWhat is not given is asked for when run in a terminal."))
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--series", help=N_("The line above the name (e.g. 县发展改革委)."))
@click.option("--name", help=N_("The big red name (default: 简报)."))
@click.option("--editor", help=N_("编印单位, left of the date line."))
@click.option("--printer", help=N_("印发机关, in the printing line (default: the editor)."))
@click.option("--marking", help=N_("Top-left marking (default: 内部资料; \"\" for none)."))
@click.option("--yearly", is_flag=True, help=N_("期号 restarts each year: issues/YYYY/NNN.yaml."))
@click.option("--first-total", type=click.IntRange(min=1), metavar="N", help=N_("总第 of the first issue (jianbao counts on)."))
@click.option("--install", metavar="REQUIREMENT",
              help=N_("What the CI workflow pip-installs (default: this jianbao's git URL and commit, else "
                      "jianbao==VERSION)."))
def init(folder, series, name, editor, printer, marking, yearly, first_total, install):
    from .scaffold import Masthead, init_series

    asked = {"series": series, "name": name, "editor": editor, "printer": printer, "marking": marking}
    prompts = {"series": N_("刊物上行 (series line)"), "name": N_("刊名 (name)"), "editor": N_("编印单位 (editor)"),
               "printer": N_("印发机关 (printer)"), "marking": N_("标注 (marking)")}
    defaults = Masthead()
    interactive = _interactive()
    for key in asked:
        if asked[key] is None:
            default = asked["editor"] if key == "printer" and asked["editor"] else getattr(defaults, key)
            if interactive:
                answer = click.prompt(_('{question} ("" for none)').format(question=_(prompts[key])),
                                      default=default, show_default=True)
                asked[key] = "" if answer.strip() in ('""', "''") else answer.strip()
            else:
                asked[key] = default
    try:
        written = init_series(folder, Masthead(**asked), install, yearly, first_total)
    except JianbaoError as e:
        _fail(e)
        raise SystemExit(1)
    for path in written:
        click.echo(_shown(path))
    click.echo(_("next: cd {folder} && git init && jianbao new && jianbao build").format(folder=_shown(folder)),
               err=True)


@cli.command(help=N_("Bind the issues of YEAR (or numbers --from … --to …) into one PDF (合订本) with a cover, a "
                     "contents page and bookmarks. Issues not yet built, or changed, are built first."))
@click.argument("year", required=False, type=click.IntRange(min=1900, max=2999))
@click.option("--from", "first", type=click.IntRange(min=1), default=None, metavar="N", help=N_("First issue number to bind."))
@click.option("--to", "last", type=click.IntRange(min=1), default=None, metavar="M", help=N_("Last issue number to bind."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help=N_("The volume's file (default: build/volume-YEAR.pdf or build/volume-FIRST-LAST.pdf)."))
@click.option("--renumber", is_flag=True,
              help=N_("Number the issues' pages through the volume (the old numbers covered)."))
def volume(year, first, last, output, renumber):
    from . import api
    from .volume import build_volume

    if year is None and first is None and last is None:
        raise click.UsageError(_("say which issues: a YEAR (jianbao volume 2022) or --from N --to M"))
    if first is not None and last is not None and first > last:
        raise click.UsageError(_("--from {first} is after --to {last}").format(first=first, last=last))
    root = api.find_root(Path.cwd())

    def report(outcome):
        if outcome.status == "failed":
            click.echo(outcome.message, err=True)
        for out in outcome.outputs if outcome.status == "built" else ():
            click.echo(_shown(out))

    try:
        target, parts = build_volume(root, year=year, first=first, last=last, output=output, renumber=renumber,
                                     report=report)
    except JianbaoError as e:
        _fail(e)
        raise SystemExit(1)
    pages = sum(p.pages for p in parts)
    click.echo(_shown(target))
    click.echo(_("{issues} issue(s), {pages} page(s) of issues, bound with a cover and contents")
               .format(issues=len(parts), pages=pages), err=True)


@cli.command(help=N_("Preview FILES (or every issue of the series) in a browser, rebuilt on every save.\n\n"
                     "Serves http://127.0.0.1:PORT/ until Ctrl-C. An issue is rebuilt when its file, jianbao.yaml, "
                     "the template or a picture of the series changes; the page reloads itself. Nothing is written "
                     "to build/ (run `jianbao build` for the files)."))
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(min=0, max=65535), default=0, metavar="PORT",
              help=N_("Port to listen on (default: a free one, printed)."))
@click.option("--host", default="127.0.0.1", show_default=True, metavar="HOST",
              help=N_("Address to listen on: only this machine unless you say otherwise (e.g. 0.0.0.0)."))
@click.option("--dpi", type=click.IntRange(min=36, max=300), default=None, metavar="DPI",
              help=N_("Resolution of the page images in the browser (default: 110)."))
def watch(files, port, host, dpi):
    import time

    from . import api
    from .watch import PREVIEW_DPI, Preview, PreviewServer

    roots = {api.find_root(f) for f in files} if files else {api.find_root(Path.cwd())}
    if len(roots) > 1:
        raise click.UsageError(_("the files belong to different series (folders with a jianbao.yaml): watch one at a "
                                 "time"))
    root = roots.pop()
    preview = Preview(list(files) or None, root, dpi or PREVIEW_DPI)
    if not preview.views:
        raise click.ClickException(_("no issues found in {folder} (create one with `jianbao new`)")
                                   .format(folder=root / "issues"))
    try:
        server = PreviewServer(preview, host, port)
    except OSError as e:
        raise click.ClickException(_("cannot listen on {address}: {reason}")
                                   .format(address=f"{host}:{port}", reason=e.strerror or e)) from None

    def report(view):
        stamp = time.strftime("%H:%M:%S")
        if view.error:
            click.echo(f"{stamp} {view.error}", err=True)
        else:
            click.echo(_("{time} {file}: {pages} page(s) in {seconds} s").format(
                time=stamp, file=_shown(view.path), pages=len(view.pages), seconds=f"{view.seconds:.2f}"), err=True)

    click.echo(_("previewing {issues} issue(s) of {folder} at {url}  (Ctrl-C stops)")
               .format(issues=len(preview.views), folder=root, url=server.url))
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(_("note: listening on {host}: whoever can reach this machine there can read these issues")
                   .format(host=host), err=True)
    import signal

    def terminate(signum, frame):              # `kill` stops it as Ctrl-C does: the port is released cleanly
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        server.start(report)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo(_("stopping"), err=True)
    finally:
        server.stop(timeout=2)


@cli.command(help=N_("Print the document tree FILE expands to (what the writers receive)."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def tree(file):
    from . import api
    from .tree import dump
    try:
        click.echo(dump(api.build_tree(file)), nl=False)
    except JianbaoError as e:
        _fail(e)
        raise SystemExit(1)


@cli.command(help=N_("Show the font chosen for each role, and which characters of FILE each one lacks."))
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def fonts(file):
    from . import api
    from .fonts import describe
    from .tree import text
    try:
        if file:
            root = api.find_root(file)
            context = api.Context.for_root(root)
            sample = text(api.build_tree(file, context))
        else:
            context = api.Context.for_root(api.find_root(Path.cwd()))
            sample = None
        for line in describe(context.fonts, context.style, sample):
            click.echo(line)
    except JianbaoError as e:
        _fail(e)
        raise SystemExit(1)


def _interactive() -> bool:
    """Whether questions can be asked: stdin is a terminal (not a pipe, a file or CI)."""
    return sys.stdin.isatty()


@cli.command("import", help=N_("Import bulletins (.docx, .txt) as issues/NNN.yaml of the series in this folder."))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", default=None, metavar="DIR",
              help=N_("Write NNN.yaml into DIR instead of the series' issues/ ('-': standard output)."))
@click.option("--force", is_flag=True, help=N_("Replace an issue file that exists."))
def import_(files, out, force):
    from . import api
    from .importer import empty_series, findings, import_file, write

    root = api.find_root(Path.cwd())
    try:
        if (root / "jianbao.yaml").is_file():
            context = api.Context.for_root(root)
            series = context.series
        elif out is None:
            raise JianbaoError(_("no jianbao.yaml in {folder} or above: run this in a series folder, or give --out")
                               .format(folder=root))
        else:
            context, series = None, empty_series(root)
    except JianbaoError as e:
        _fail(e)
        raise SystemExit(1)
    out_dir = None if out == "-" else (Path(out) if out else root / "issues")
    failed = 0
    written: set[Path] = set()
    for f in files:
        try:
            imported = import_file(f, series, _title_balance(context))
            target = (out_dir or Path("issues")) / f"{imported.number:03d}.yaml"
            found = findings(imported, series, target)
            if out_dir is None:
                if len(files) > 1:
                    click.echo("---")       # one YAML document per file
                click.echo(imported.yaml, nl=False)
            else:
                if target.resolve() in written:
                    raise JianbaoError(_("a second issue {number} in this run: not written")
                                       .format(number=imported.number), Location(str(f), 1, 1))
                target = write(imported, out_dir, force)
                written.add(target.resolve())
                click.echo(_("{file} (from {source})").format(file=_shown(target), source=f), err=True)
        except JianbaoError as e:
            _fail(e)
            failed += 1
            continue
        for line, message in imported.notes:
            click.echo(f"{f}:{line or 1}:1: {message}", err=True)
        if imported.dropped:
            click.echo(_("{file}: {count} page number(s) and running head(s) left out")
                       .format(file=f, count=len(imported.dropped)), err=True)
        if imported.fixes:
            click.echo(_("{file}: {count} mechanical fix(es) (spaces around numbers, half-width punctuation)")
                       .format(file=f, count=imported.fixes), err=True)
        for x in found:
            click.echo(_("{finding} (in the source text)").format(finding=x), err=True)
    if failed:
        raise SystemExit(1)


def _title_balance(context):
    """How jianbao's DOCX writer breaks a title by itself, to tell its breaks from an author's."""
    if context is None:
        return None
    from .importer.balance import title_balance
    return title_balance(context)


def _relative(path: Path) -> Path:
    """`path` relative to the current folder when it is inside it: what a message about it shows."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv=None):
    """Entry point: user errors exit 1 (printed by the commands), usage errors 2,
    and an unexpected internal error 3 with its traceback saved to a file."""
    from .console import safe_console

    safe_console()
    try:
        cli.main(args=argv, prog_name="jianbao", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo(_("interrupted"), err=True)
        raise SystemExit(130)
    except Exception:
        import tempfile
        import traceback

        fd, log = tempfile.mkstemp(prefix="jianbao-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"jianbao {__version__}\nargs: {sys.argv}\n\n{traceback.format_exc()}")
        args = " ".join(argv if argv is not None else sys.argv[1:])
        click.echo(_("jianbao: internal error while running `jianbao {args}` (a bug: please report it with {log})")
                   .format(args=args, log=log), err=True)
        raise SystemExit(3)


def run() -> None:
    """The `jianbao` command (console script and `python -m jianbao.cli`): `main()`, then the process ends
    without Python's teardown. Freeing every object one by one (the fonts' tables: hundreds of thousands of small
    objects) took 60–80 ms of a one-issue build. What a normal exit does that matters is done first: the exit
    handlers run (logging, multiprocessing, weakref finalizers) and the standard streams are flushed; every file
    jianbao writes is already closed (written through `jianbao.atomic`)."""
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    elif not isinstance(code, int):               # as Python prints a non-integer exit value
        print(code, file=sys.stderr)
        code = 1
    from . import speed

    if not speed.ENABLED:
        raise SystemExit(code)
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):              # a closed pipe: nothing more to say
            code = code or 1
    os._exit(code & 0xFF if code >= 0 else 1)


if __name__ == "__main__":
    run()
