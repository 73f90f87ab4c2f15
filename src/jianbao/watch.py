"""`jianbao watch`: a local preview that rebuilds an issue when its files change and shows its pages in a browser.

One resident process: the series' context (style sheet, fonts registered with reportlab, the compiled template)
is loaded once and reused by every rebuild (`api.render`), so that a rebuild takes the time of the layout alone.
A thread polls the files' modification times (no extra dependency, works on every system and network drive);
the pages are rendered from the PDF (pypdfium2) and kept in memory, nothing is written to build/. The browser's
page listens to server-sent events and reloads itself after each rebuild; while an issue does not build, its
located error is shown in place of the pages, the last good pages one click away.

The server is the standard library's ThreadingHTTPServer, bounded: at most MAX_STREAMS event streams, each of
which ends within a second of the server stopping.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from . import api
from .errors import JianbaoError
from .i18n import _

POLL = 0.05              # seconds between two looks at the watched files' modification times
SETTLE = 0.02            # a change is built once the files have stayed as they are this long (a save in steps)
RESCAN = 1.0             # seconds between two listings of the series folder (new pictures, new issues)
MAX_FILES = 5000         # pictures watched at most (a series folder, not a disk)
MAX_STREAMS = 32         # browser tabs listening at once
PREVIEW_DPI = 110        # the pages as the browser shows them (a phone's or a screen's width)
PICTURES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".svg", ".webp"}
SKIP_DIRS = {"build", "node_modules", "__pycache__", ".venv", "venv"}


class Pages:
    """The page images of one good build, each rendered from its PDF when first asked for (by the browser, or ahead
    of it by the watcher) and kept: the first page is on screen before the last one is rendered."""

    def __init__(self, pdf: bytes, count: int, dpi: int):
        self.pdf, self.count, self.dpi = pdf, count, dpi
        self._images: dict[int, bytes] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self.count

    def image(self, number: int) -> bytes:
        """Page `number` (1-based) as a JPEG."""
        from .writers.png import page_jpeg

        with self._lock:
            if number not in self._images:
                self._images[number] = page_jpeg(self.pdf, number - 1, self.dpi)
            return self._images[number]


def view_key(path: Path) -> str:
    """An issue's name in the preview's addresses: 011, or 2024-001 in a yearly series (issues/2024/001.yaml)."""
    from .history import YEAR

    return f"{path.parent.name}-{path.stem}" if YEAR.match(path.parent.name) else path.stem


@dataclass
class IssueView:
    """What the browser is shown for one issue."""
    path: Path
    generation: int = 0              # counts the rebuilds that changed what is shown (0: not built yet)
    pages: Pages | list = field(default_factory=list)     # the last good build's pages
    good_generation: int = 0         # the generation those pages were made at
    error: str | None = None         # the located error of the last rebuild, when it failed
    seconds: float = 0.0             # how long the last rebuild took
    changed_at: float = 0.0          # time.time() when the change that caused it was seen
    built_at: float = 0.0            # time.time() when it was done

    @property
    def name(self) -> str:
        """011.yaml, or 2024/001.yaml in a yearly series."""
        from .history import YEAR

        p = self.path
        return f"{p.parent.name}/{p.name}" if YEAR.match(p.parent.name) else p.name


class Preview:
    """The issues being watched, their builds, and the change detection. Thread-safe: the server's threads
    read the views under `lock`; only the watcher thread builds."""

    def __init__(self, files: list[Path] | None, root: Path, dpi: int = PREVIEW_DPI):
        self.root = root
        self.fixed = [Path(f) for f in files] if files else None     # None: every issue of the series, as it comes
        self.dpi = dpi
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.views: dict[str, IssueView] = {}
        self.context: api.Context | None = None
        self.context_error: str | None = None
        self.stopping = threading.Event()
        self._stamps: dict[Path, tuple] = {}
        self._pictures: list[Path] = []
        self._listed = 0.0
        self._series_files: list[Path] = []
        self._seen: set[str] = set()             # issues built at least once
        self._primed = False                     # the series' files have been looked at once
        for path in self._issue_paths():
            self.views[view_key(path)] = IssueView(path)

    # -- what is watched ---------------------------------------------------------------------------------------
    def _issue_paths(self) -> list[Path]:
        return list(self.fixed) if self.fixed is not None else api.issue_files(self.root)

    def _list(self) -> None:
        """The series' files besides the issues: jianbao.yaml, the template's files, the pictures (and new issues)."""
        self._listed = time.monotonic()
        series = [self.root / "jianbao.yaml"]
        if self.context is not None:
            series += sorted(p for p in self.context.template.rglob("*") if p.is_file())
        else:                                             # no context (a broken jianbao.yaml): any template of the series
            series += sorted(p for p in (self.root / "templates").rglob("*") if p.is_file())
        self._series_files = series
        pictures = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
            pictures += [Path(folder) / n for n in sorted(names) if Path(n).suffix.lower() in PICTURES]
            if len(pictures) >= MAX_FILES:
                break
        self._pictures = pictures[:MAX_FILES]
        if self.fixed is None:
            with self.lock:
                for path in api.issue_files(self.root):
                    self.views.setdefault(view_key(path), IssueView(path))

    @staticmethod
    def _stamp(path: Path):
        try:
            st = path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def poll(self) -> tuple[bool, list[str]]:
        """(whether a file of the series changed, the issues whose own file changed), since the last call."""
        if time.monotonic() - self._listed > RESCAN:
            self._list()
        series_changed = False
        for path in (*self._series_files, *self._pictures):
            stamp = self._stamp(path)
            if path in self._stamps:
                series_changed |= self._stamps[path] != stamp
            else:                                   # a file that appeared (a picture added): a change, but
                series_changed |= self._primed      # not the ones there at the start
            self._stamps[path] = stamp
        self._primed = True
        issues = []
        with self.lock:
            views = list(self.views.items())
        for stem, view in views:
            stamp = self._stamp(view.path)
            if stem not in self._seen or self._stamps.get(view.path) != stamp:
                issues.append(stem)
            self._stamps[view.path] = stamp
            self._seen.add(stem)
        return series_changed, issues

    # -- building ----------------------------------------------------------------------------------------------
    def _load_context(self) -> None:
        """The series' context, again (jianbao.yaml or the template changed); the fonts are kept when the style
        sheet names the same ones."""
        try:
            context = api.Context.for_root(self.root)
        except JianbaoError as e:
            self.context, self.context_error = None, str(e)
            return
        old = self.context
        if old is not None and old._fonts is not None and old.style.fonts == context.style.fonts:
            context._fonts = old._fonts
        self.context, self.context_error = context, None

    def rebuild(self, stem: str, seen_at: float) -> None:
        with self.lock:
            view = self.views[stem]
        started = time.perf_counter()
        stamp = self._stamp(view.path)
        pages, error = None, None
        if self.context is None:
            error = self.context_error or _("the series could not be loaded")
        elif not view.path.is_file():
            error = _("{issue}: no such issue file (moved or deleted?)").format(issue=view.path)
        else:
            try:
                data, result = api.render(view.path, self.context, ("pdf",))
                pages = Pages(data["pdf"], result.pages, self.dpi)
            except JianbaoError as e:
                error = str(e)
            except Exception as e:                 # a bug: shown in the page, the server goes on watching
                import traceback
                error = (_("internal error (a bug in jianbao): {error}").format(error=e)
                         + f"\n\n{traceback.format_exc()}")
        if self._stamp(view.path) != stamp:
            return                               # changed while it was built: the next look builds it again
        with self.changed:
            view.generation += 1
            view.seconds = time.perf_counter() - started
            view.changed_at, view.built_at = seen_at, time.time()
            view.error = error
            if pages is not None:
                view.pages, view.good_generation = pages, view.generation
            self.changed.notify_all()
        if pages is not None:                    # rendered ahead of the browser, first pages first, until the issue
            for number in range(1, len(pages) + 1):        # changes again (the browser then asks for new ones)
                if self.stopping.is_set() or self._stamp(view.path) != stamp:
                    break
                pages.image(number)

    def step(self, report=None) -> None:
        """One look at the files, and the rebuilds it calls for."""
        series_changed, issues = self.poll()
        if not (series_changed or issues):
            return
        seen_at = time.time()
        for _ in range(25):                      # an editor's save may come in steps: wait until they are done
            self.stopping.wait(SETTLE)
            more_series, more = self.poll()
            if not (more_series or more):
                break
            series_changed |= more_series
            issues += [stem for stem in more if stem not in issues]
        if series_changed:                       # (a broken jianbao.yaml is read again when it changes, not before)
            self._load_context()
            self._list()
            with self.lock:
                issues = list(self.views)
        for stem in issues:
            self.rebuild(stem, seen_at)
            if report:
                report(self.views[stem])

    def run(self, report=None) -> None:
        """The watcher thread: look, rebuild, sleep, until stopped."""
        self._load_context()
        self._list()
        while not self.stopping.is_set():
            self.step(report)
            self.stopping.wait(POLL)

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()


# ---------------------------------------------------------------------------------------------------------------
# The pages the browser gets

_STYLE = """
body { margin: 0; background: #525659; font-family: system-ui, sans-serif; color: #222; }
header { position: sticky; top: 0; background: #f7f7f7; padding: .5em 1em; border-bottom: 1px solid #ccc;
  display: flex; gap: 1em; align-items: baseline; flex-wrap: wrap; z-index: 1; }
header h1 { font-size: 1em; margin: 0; }
header .status { color: #555; font-size: .9em; }
header a { color: #06c; }
.pages { display: flex; flex-direction: column; align-items: center; gap: 12px; padding: 12px; }
.pages img { width: 100%; max-width: 820px; height: auto; background: #fff; box-shadow: 0 1px 4px #0008; }
.error { background: #fff4f4; border: 2px solid #c00; color: #600; margin: 1em auto; padding: 1em; max-width: 820px;
  white-space: pre-wrap; font: 14px/1.5 ui-monospace, monospace; overflow-wrap: anywhere; }
.stale { background: #fff8d8; padding: .4em 1em; text-align: center; }
ul.issues { background: #fff; max-width: 40em; margin: 2em auto; padding: 1em 2em; }
"""

_SCRIPT = """
(function () {
  var generation = %d, url = %s;
  function check(value) { if (String(value) !== String(generation)) location.reload(); }
  if (window.EventSource) {
    var events = new EventSource(url);
    events.onmessage = function (e) { check(e.data); };
  } else {
    setInterval(function () {
      var r = new XMLHttpRequest(); r.open('GET', url + '?poll=1');
      r.onload = function () { check(r.responseText); }; r.send();
    }, 500);
  }
})();
"""


def _document(title: str, body: str, script: str = "") -> bytes:
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>{body}"
            + (f"<script>{script}</script>" if script else "") + "</body></html>\n").encode("utf-8")


def issue_page(view: IssueView, stem: str, show_last: bool, several: bool = True) -> bytes:
    name = view.name
    when = time.strftime("%H:%M:%S", time.localtime(view.built_at)) if view.built_at else ""
    pages = "".join(f'<img src="/issue/{stem}/{view.good_generation}/{n}.jpg" alt="第{n}页" loading="lazy">'
                    for n in range(1, len(view.pages) + 1))
    if view.generation == 0:
        status, main = _("building…"), ""
    elif view.error is None:
        status = _("{count} page(s), built at {time} in {seconds} s").format(
            count=len(view.pages), time=when, seconds=f"{view.seconds:.2f}")
        main = f'<div class="pages">{pages}</div>'
    else:
        status = _("does not build (checked at {time})").format(time=when)
        if show_last and view.pages:
            main = (f'<div class="stale">{escape(_("the last good pages, before the error"))} · '
                    f'<a href="/issue/{stem}">{escape(_("show the error"))}</a></div><div class="pages">{pages}</div>')
        else:
            last = (f'<p><a href="/issue/{stem}?last=1">{escape(_("show the last good pages"))}</a></p>'
                    if view.pages else "")
            main = (f'<pre class="error">{escape(view.error)}</pre>'
                    f'<div class="stale">{last or escape(_("no good build yet"))}</div>')
    body = (f'<header><h1>{escape(name)}</h1><span class="status">{escape(status)}</span>'
            + (f'<a href="/">{escape(_("all issues"))}</a>' if several else "") + f'</header>{main}')
    return _document(_("{issue} – jianbao watch").format(issue=name), body,
                     _SCRIPT % (view.generation, json.dumps(f"/events/{stem}")))


def index_page(preview: Preview) -> bytes:
    with preview.lock:
        items = [(stem, v) for stem, v in sorted(preview.views.items())]
    rows = "".join(f'<li><a href="/issue/{escape(stem)}">{escape(v.name)}</a>'
                   + (escape(_(" — does not build")) if v.error else "") + "</li>" for stem, v in items)
    generation = sum(v.generation for _, v in items) + len(items) * 1000
    rows = rows or f"<li>{escape(_('no issues'))}</li>"
    return _document(_("jianbao watch"), f'<ul class="issues">{rows}</ul>',
                     _SCRIPT % (generation, json.dumps("/events/")))


class _Handler(BaseHTTPRequestHandler):
    server_version = "jianbao-watch"
    protocol_version = "HTTP/1.1"

    @property
    def preview(self) -> Preview:
        return self.server.preview

    def log_message(self, format, *args):        # quiet: the command prints the rebuilds, not every request
        pass

    def _send(self, status: int, body: bytes, ctype: str, cache: str = "no-store", extra: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found(self):
        self._send(404, (_("not found") + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        preview = self.preview
        with preview.lock:
            views = dict(preview.views)
        if path == "/":
            if len(views) == 1:
                stem = next(iter(views))
                return self._send(302, b"", "text/plain", extra={"Location": f"/issue/{stem}"})
            return self._send(200, index_page(preview), "text/html; charset=utf-8")
        m = re.fullmatch(r"/issue/([\w.-]+)", path)
        if m and m.group(1) in views:
            with preview.lock:
                body = issue_page(views[m.group(1)], m.group(1), "last" in query, len(views) > 1)
            return self._send(200, body, "text/html; charset=utf-8")
        m = re.fullmatch(r"/issue/([\w.-]+)/(\d+)/(\d+)\.jpg", path)
        if m and m.group(1) in views:
            view = views[m.group(1)]
            with preview.lock:
                pages = view.pages if str(view.good_generation) == m.group(2) else []
            n = int(m.group(3))
            if 1 <= n <= len(pages):
                # the generation is in the address: a page image never changes under it
                return self._send(200, pages.image(n), "image/jpeg", cache="max-age=31536000, immutable")
            return self._not_found()
        m = re.fullmatch(r"/state/([\w.-]+)", path)
        if m and m.group(1) in views:
            view = views[m.group(1)]
            with preview.lock:
                state = {"issue": view.name, "generation": view.generation, "pages": len(view.pages),
                         "good_generation": view.good_generation, "error": view.error, "seconds": view.seconds,
                         "changed_at": view.changed_at, "built_at": view.built_at}
            return self._send(200, json.dumps(state, ensure_ascii=False).encode(), "application/json; charset=utf-8")
        m = re.fullmatch(r"/events/([\w.-]*)", path)
        if m and (m.group(1) in views or m.group(1) == ""):
            return self._events(m.group(1), "poll" in query)
        return self._not_found()

    def _generation(self, stem: str) -> int:
        views = self.preview.views
        if stem:
            return views[stem].generation
        return sum(v.generation for v in views.values()) + len(views) * 1000    # (as index_page counts it)

    def _events(self, stem: str, poll: bool):
        preview = self.preview
        if poll:
            with preview.lock:
                return self._send(200, str(self._generation(stem)).encode(), "text/plain")
        if not self.server.streams.acquire(blocking=False):
            return self._send(503, b"too many listeners\n", "text/plain", extra={"Retry-After": "5"})
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            last = None
            waited = 0.0
            while not preview.stopping.is_set():
                with preview.changed:
                    current = self._generation(stem)
                    if current == last:
                        preview.changed.wait(1.0)          # (woken by a rebuild or by stop; else once a second)
                        current = self._generation(stem)
                if current != last:
                    self.wfile.write(f"retry: 500\ndata: {current}\n\n".encode())
                    self.wfile.flush()
                    last, waited = current, 0.0
                else:
                    waited += 1.0
                    if waited >= 15:                         # a comment now and then: a gone browser is noticed
                        self.wfile.write(b": still here\n\n")
                        self.wfile.flush()
                        waited = 0.0
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass                                             # the browser went away
        finally:
            self.server.streams.release()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, preview: Preview, host: str = "127.0.0.1", port: int = 0):
        self.preview = preview
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        super().__init__((host, port), _Handler)
        self._workers: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def start(self, report=None) -> None:
        """Serve and watch in background threads (what the tests do; the command serves in its own thread)."""
        watcher = threading.Thread(target=self.preview.run, args=(report,), name="jianbao-watch", daemon=True)
        server = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="jianbao-serve",
                                  daemon=True)
        self._workers = [watcher, server]
        for t in self._workers:
            t.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching and serving; the event streams end within a second."""
        deadline = time.monotonic() + timeout
        self.preview.stop()
        if any(t.name == "jianbao-serve" and t.is_alive() for t in self._workers):
            self.shutdown()                      # (waits for serve_forever to return: only when it runs)
        self.server_close()
        for t in self._workers:                  # (a rebuild under way is not interrupted: not waited for past the deadline)
            t.join(max(0.0, deadline - time.monotonic()))
