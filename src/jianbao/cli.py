"""The `jianbao` command: a thin layer over jianbao.api."""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

import click

from . import __version__, api
from .errors import JianbaoError


def _fail(error: JianbaoError) -> None:
    click.echo(str(error), err=True)


def _parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2022-01-30") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jianbao")
def cli():
    """Typeset bulletins (简报) from YAML into PDF and DOCX in the official layout."""


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: build/ in the series folder).")
@click.option("--format", "formats", type=click.Choice(["pdf", "docx"]), multiple=True,
              help="Only this format (repeat for both; default: both).")
def build(files, out_dir, formats):
    """Build FILES (issues/NNN.yaml), or every issue of the series in this folder."""
    formats = tuple(formats) or ("pdf", "docx")
    if not files:
        root = api.find_root(Path.cwd())
        files = api.issue_files(root)
        if not files:
            raise click.ClickException(f"no issues found in {root / 'issues'} (create one with `jianbao new`)")
    contexts: dict[Path, api.Context] = {}
    failed = 0
    for path in files:
        if not path.is_file():
            _fail(JianbaoError(f"{path}: no such issue file"))
            failed += 1
            continue
        started = time.perf_counter()
        try:
            root = api.find_root(path)
            if root not in contexts:
                contexts[root] = api.Context.for_root(root)
            result = api.build(path, out_dir or root / "build", contexts[root], formats)
        except JianbaoError as e:
            _fail(e)
            failed += 1
            continue
        seconds = time.perf_counter() - started
        for out in result.outputs:
            click.echo(f"{_shown(out)}")
        if result.fallbacks:
            chars = "".join(sorted(result.fallbacks))
            families = ", ".join(sorted(set(result.fallbacks.values())))
            click.echo(f"  note: {path}: {chars} set from {families} (not in the role's own font)", err=True)
        if os.environ.get("JIANBAO_TIMING"):
            click.echo(f"  {path}: {result.pages} pages in {seconds:.2f} s", err=True)
    if failed:
        raise SystemExit(1)


@cli.command()
@click.argument("number", required=False, type=click.IntRange(min=1))
@click.option("--date", "date", callback=_parse_date, metavar="YYYY-MM-DD",
              help="The issue date (default: today).")
def new(number, date):
    """Start issue NUMBER (default: the next one) as issues/NNN.yaml."""
    root = api.find_root(Path.cwd())
    try:
        path = api.new_issue(root, number, date or dt.date.today())
    except JianbaoError as e:
        _fail(e)
        raise SystemExit(1)
    click.echo(_shown(path))


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def tree(file):
    """Print the document tree FILE expands to (what the writers receive)."""
    from .tree import dump
    try:
        click.echo(dump(api.build_tree(file)), nl=False)
    except JianbaoError as e:
        _fail(e)
        raise SystemExit(1)


@cli.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def fonts(file):
    """Show the font chosen for each role, and which characters of FILE each one lacks."""
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


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv=None):
    """Entry point: user errors exit 1 (printed by the commands), usage errors 2,
    and an unexpected internal error 3 with its traceback saved to a file."""
    try:
        cli.main(args=argv, prog_name="jianbao", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        raise SystemExit(130)
    except Exception:
        fd, log = tempfile.mkstemp(prefix="jianbao-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"jianbao {__version__}\nargs: {sys.argv}\n\n{traceback.format_exc()}")
        args = " ".join(argv if argv is not None else sys.argv[1:])
        click.echo(f"jianbao: internal error while running `jianbao {args}` "
                   f"(a bug: please report it with {log})", err=True)
        raise SystemExit(3)


if __name__ == "__main__":
    main()
