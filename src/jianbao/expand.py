"""Expand an issue through its template into the document tree (docs/tree.md)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jinja2
from markupsafe import Markup, escape

from .errors import JianbaoError
from .headings import hanzi  # noqa: F401  (the template filter; also used by house templates)
from .i18n import _
from .model import Issue

TEMPLATE_FILE = "bulletin.xml.j2"
EMPHASIS = re.compile(r"\*\*(.+?)\*\*", re.S)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def inline(text: str) -> Markup:
    """Escape user text; `**…**` becomes <em>. Nothing else is markup."""
    out, pos = [], 0
    for m in EMPHASIS.finditer(text):
        out.append(escape(text[pos:m.start()]))
        out.append(Markup("<em>%s</em>") % m.group(1))
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def lines(text: str) -> Markup:
    """A title: forced line breaks (newlines the author wrote) become <br/>."""
    return Markup("<br/>").join(escape(part.strip()) for part in text.splitlines() if part.strip())


def oneline(text: str) -> str:
    return "".join(part.strip() for part in text.splitlines())


def source_line(text: str) -> str:
    """（…供稿）: brackets added unless the author wrote them."""
    return text if text.startswith(("（", "(")) else f"（{text}）"


def environment(template_dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(hanzi=hanzi, cn_date=cn_date, inline=inline, lines=lines, oneline=oneline,
                       source=source_line)
    return env


_ENVIRONMENTS: dict[tuple[str, ...], jinja2.Environment] = {}


def cached_environment(template_dirs: list[Path]) -> jinja2.Environment:
    """One environment per template folder and process, instead of one per issue: compiling the template took
    50–90 ms of every build. Jinja still reloads a template whose file changed (auto_reload), and keeps the
    compiled template in the cache directory for the next process (bytecode keyed by the template's source)."""
    key = tuple(str(d) for d in template_dirs)
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = _ENVIRONMENTS[key] = environment(template_dirs)
        env.bytecode_cache = _bytecode_cache()
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    from .fonts import cache_dir

    folder = cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(folder))


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """An unreadable or unwritable cache only costs speed."""

    def load_bytecode(self, bucket):
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket):
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def expand(issue: Issue, template_dir: Path) -> ET.Element:
    """The document tree of `issue`, from `template_dir/bulletin.xml.j2`."""
    env = cached_environment([template_dir])
    try:
        template = env.get_template(TEMPLATE_FILE)
        xml = template.render(issue=issue, series=issue.series, masthead=issue.series.masthead)
    except jinja2.TemplateSyntaxError as e:
        # Jinja's own words (English) stay quoted: the template's author reads them
        raise JianbaoError(_("{file}:{line}: template syntax: {message}").format(
            file=e.filename or template_dir / TEMPLATE_FILE, line=e.lineno, message=e.message)) from None
    except jinja2.TemplateNotFound as e:           # bulletin.xml.j2, or a template it includes
        raise JianbaoError(_("{folder}: no {file} in the template folder").format(
            folder=template_dir, file=e.name or TEMPLATE_FILE)) from None
    except jinja2.UndefinedError as e:
        raise JianbaoError(_("{file}: the template uses what the issue does not have: {message}").format(
            file=template_dir / TEMPLATE_FILE, message=e.message)) from None
    try:
        return ET.fromstring(xml)
    except ET.ParseError as e:
        raise JianbaoError(_("{file}: the template produced invalid XML ({reason})").format(
            file=template_dir / TEMPLATE_FILE, reason=e)) from None
