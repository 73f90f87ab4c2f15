"""Building many issues: in parallel across cores, skipping issues whose inputs have not changed.

An issue is rebuilt when the hash of its inputs changes: the issue file and its pictures, jianbao.yaml, every file
of its template, the font files the series can use, and the jianbao version. Content hashes, not
modification times: a CI checkout resets those.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, api, speed
from .errors import JianbaoError
from .i18n import _

CACHE_FILE = ".jianbao-cache.json"


@dataclass
class Outcome:
    issue: Path
    status: str                       # built | skipped | failed
    outputs: tuple[Path, ...] = ()
    message: str = ""                 # the error, for failed
    notes: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


_file_hashes: dict[tuple, str] = {}


def file_hash(path: Path) -> str:
    """Content hash of a file, computed once per process for each (path, size, mtime)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _file_hashes:
        _file_hashes[key] = _sha256(path)
    return _file_hashes[key]


def picture_hashes(issue: Path, root: Path) -> bytes:
    """The pictures an issue names (`image:` keys), each as its path and content hash, so that a changed photo
    rebuilds the issue. A picture that cannot be found counts as its message (the build reports it)."""
    raw = issue.read_bytes()
    if b"image" not in raw:
        return b""
    from . import pictures
    from .source import compose

    try:
        node = compose(issue, raw.decode("utf-8-sig"))
    except (JianbaoError, UnicodeDecodeError):
        return b""                                   # the build reports what is wrong with the file
    out = []
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n.value, list):
            for item in n.value:
                if isinstance(item, tuple):
                    key, value = item
                    if getattr(key, "value", None) == "image" and isinstance(value.value, str):
                        try:
                            digest = file_hash(pictures.resolve(root, value.value.strip()))
                        except (pictures.PictureError, OSError) as e:
                            digest = str(e)
                        out.append(f"{value.value.strip()}\0{digest}")
                    stack.append(value)
                else:
                    stack.append(item)
    return "\n".join(sorted(out)).encode()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class FontHashes:
    """Content hashes of font files, kept in the cache directory (fonthashes.json) by path, size and mtime.

    The fonts a series can use come to ~50 MB (7–9 MB a CJK face): hashing them took most of a build that
    finds nothing to do. Font files are installed on a machine, not checked out, so their modification times
    are meaningful (a checkout resetting them only costs one hash more); the issue, jianbao.yaml and the
    template files are always hashed by content."""

    VERSION = 1

    def __init__(self, path: Path | None = None):
        from .fonts import cache_dir
        self.path = path if path is not None else cache_dir() / "fonthashes.json"
        self.entries: dict[str, list] = {}
        self.dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == self.VERSION and isinstance(data.get("files"), dict):
                self.entries = data["files"]
        except (OSError, ValueError, AttributeError):
            pass

    def get(self, path: Path) -> str:
        st = path.stat()
        entry = self.entries.get(str(path))
        if entry and entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
            return entry[2]
        digest = _sha256(path)
        self.entries[str(path)] = [st.st_size, st.st_mtime_ns, digest]
        self.dirty = True
        return digest

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps({"version": self.VERSION, "files": self.entries}, sort_keys=True).encode()
            api.write_atomic(self.path, data)      # temp file + rename: parallel builds never see half a file
            self.dirty = False
        except OSError:
            pass                                     # an unwritable cache only costs speed


_font_hashes: FontHashes | None = None


def font_hashes() -> FontHashes:
    """The font hash cache of the cache directory in force (read once per process)."""
    global _font_hashes
    from .fonts import cache_dir
    if _font_hashes is None or _font_hashes.path != cache_dir() / "fonthashes.json":
        _font_hashes = FontHashes()
    return _font_hashes


def font_hash(path: Path) -> str:
    """Content hash of a font file, from the machine's font hash cache when its size and mtime are unchanged."""
    hashes = font_hashes()
    digest = hashes.get(path)
    hashes.save()
    return digest


_code_digest: str | None = None


def code_digest() -> str:
    """jianbao's version and its own modules and data by name, size and modification time (a development checkout
    changes without a new version number; a fresh checkout only costs one rebuild). Stat calls, not hashes: a build
    that finds nothing to do reads no module."""
    global _code_digest
    if _code_digest is None:
        package = Path(__file__).resolve().parent
        h = hashlib.sha256(__version__.encode())
        for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".txt", ".conf", ".yaml", ".j2")):
            st = path.stat()
            h.update(f"{path.relative_to(package)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        _code_digest = h.hexdigest()
    return _code_digest


def context_key(context: api.Context) -> str:
    """Everything an issue's output depends on besides the issue file itself."""
    parts = [code_digest().encode()]
    config = context.series.root / "jianbao.yaml"
    if config.is_file():
        parts.append(file_hash(config).encode())
    from .stylesheet import BASE
    parts.append(file_hash(BASE).encode())      # the base style sheet every template inherits
    if context.series.first_total is not None:    # the 总第 of each issue comes from the list of the issues
        from .history import issue_refs
        parts += [str(ref.path.relative_to(context.series.root)).encode() for ref in issue_refs(context.series.root)]
    for path in sorted(p for p in context.template.rglob("*") if p.is_file()):
        parts.append(str(path.relative_to(context.template)).encode() + file_hash(path).encode())
    faces = {str(f.path) for key in context.style.fonts for f in context.fonts.faces(key)}
    hashes = font_hashes()
    for face_path in sorted(faces):
        parts.append(face_path.encode() + hashes.get(Path(face_path)).encode())
    hashes.save()                            # once, if any font was hashed
    return _digest(*parts)


class Cache:
    """build/.jianbao-cache.json: for each issue, the key it was built with and its outputs' hashes."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / CACHE_FILE
        self.dirty = False
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def outputs(self, issue: Path, target: Path, formats) -> list[Path] | None:
        """The files an issue's build makes in `target`; the page images (one per page) as recorded by its last
        build, None when there is no record of them."""
        outputs = []
        for fmt in formats:
            if fmt == "png":
                recorded = self.entries.get(issue.name, {}).get("outputs", {})
                names = sorted((n for n in recorded if re.fullmatch(rf"{re.escape(issue.stem)}-\d+\.png", n)),
                               key=lambda n: int(n[len(issue.stem) + 1:-4]))
                if not names:
                    return None
                outputs += [target / n for n in names]
            else:
                outputs.append(target / f"{issue.stem}.{fmt}")
        return outputs

    def fresh(self, issue: Path, key: str, outputs: list[Path]) -> bool:
        entry = self.entries.get(issue.name)
        if not entry or entry.get("key") != key:
            return False
        stats = entry.get("stats", {})
        for out in outputs:
            try:
                st = out.stat()
            except OSError:
                return False
            # an output still as it was written (same size, mtime and inode) is not hashed again
            if stats.get(out.name) == [st.st_size, st.st_mtime_ns, st.st_ino]:
                continue
            if not out.is_file() or entry.get("outputs", {}).get(out.name) != file_hash(out):
                return False
        return True

    def record(self, issue: Path, key: str, outputs: tuple[Path, ...]) -> None:
        self.dirty = True
        stats = {}
        for o in outputs:
            st = o.stat()
            stats[o.name] = [st.st_size, st.st_mtime_ns, st.st_ino]
        self.entries[issue.name] = {"key": key, "outputs": {o.name: file_hash(o) for o in outputs},
                                    "stats": stats}

    def save(self) -> None:
        """Written when a build recorded something (a build that found nothing to do writes nothing)."""
        if not self.dirty:
            return
        api.make_output_folder(self.path.parent)
        api.write_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True).encode())
        self.dirty = False


# One context per series and process: workers load the style sheet and fonts once.
_contexts: dict[Path, api.Context] = {}


def _context(root: Path) -> api.Context:
    """The kept context of the series, unless its jianbao.yaml or style sheet changed since (a long-lived process:
    the settings are parsed once per content of their files, so an unchanged series gives the same objects)."""
    fresh = api.Context.for_root(root)
    kept = _contexts.get(root)
    if kept is None or kept.series is not fresh.series or kept.style is not fresh.style or kept.template != fresh.template:
        _contexts[root] = kept = fresh
    return kept


# Made here, in a lone issue's own process: the PDF, the page images (made from the PDF) and the OFD (its ~12 ms of
# drawing gain little from a process of their own: interleaved fresh builds of 011 on a busy machine, PDF + OFD in
# turn against forked, 0.53 / 0.59 s, 0.63 / 0.74 s, 0.40 / 0.38 s). The others (the DOCX: python-docx's imports
# and the document take longer than the PDF) are written in a forked process beside them.
HERE = ("pdf", "png", "ofd")


def _forked(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The formats of a lone issue to write in a forked process (the first one stays here if none is of HERE)."""
    here = tuple(f for f in formats if f in HERE) or formats[:1]
    return tuple(f for f in formats if f not in here)


def _given(options: dict | None) -> dict:
    """`options=…` for a call, when there are any (the calls without them are as they were)."""
    return {"options": options} if options else {}


def _write_elsewhere(issue: Path, tree, laid, context: api.Context, formats: tuple[str, ...],
                     options: dict | None = None) -> tuple[str, object]:
    """(In a forked process.) The bytes of `formats`, or the message of the error that stopped them."""
    try:
        return "ok", api.write_formats(issue, tree, laid, context, formats, **_given(options))
    except JianbaoError as e:
        return "failed", str(e)


def _build_split(issue: Path, out_dir: Path, context: api.Context, formats: tuple[str, ...],
                 preprinted: bool = False, options: dict | None = None) -> api.BuildResult:
    """`api.build`, with the issue laid out once, then the PDF (its page images, the OFD) drawn here and the other
    formats written in a forked process at the same time (which inherits the layout): for a lone issue on a machine
    with a core to spare, python-docx's imports and the DOCX overlap the PDF. As in `api.build`, an error in any
    format writes nothing (an error here is the one reported, as it comes first).

    A bare fork and a pipe, not a one-worker ProcessPoolExecutor: importing concurrent.futures and
    multiprocessing and running the pool took ~45 ms of a one-issue build, the fork itself ~5 ms (jianbao.speed)."""
    import pickle                                  # (only here: a build that finds nothing to do needs none)

    tree, laid, fallbacks = api.lay_out(issue, context, preprinted)
    there = _forked(formats)
    here = tuple(f for f in formats if f not in there)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:                                   # the child: the other formats, pickled down the pipe
        code = 0
        try:
            os.close(reader)
            try:
                outcome = _write_elsewhere(issue, tree, laid, context, there, **_given(options))
            except BaseException:
                import traceback
                outcome = ("crashed", traceback.format_exc())
            with os.fdopen(writer, "wb") as f:
                f.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
        except BaseException:                      # the parent stopped listening (its PDF failed)
            code = 1
        finally:
            os._exit(code)                         # (nothing of the parent's: no atexit, no buffers flushed)
    os.close(writer)
    try:
        with os.fdopen(reader, "rb") as pipe:
            data = api.write_formats(issue, tree, laid, context, here, **_given(options))
            received = pipe.read()
    finally:
        os.waitpid(pid, 0)
    try:
        status, value = pickle.loads(received)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
        raise RuntimeError(f"the process making the {'/'.join(there)} of {issue} ended without a result") from None
    if status == "crashed":
        raise RuntimeError(f"making the {'/'.join(there)} of {issue} failed:\n{value}")
    if status == "failed":
        raise JianbaoError(value)
    data.update(value)
    written = api.write_outputs(out_dir, issue.stem, data, formats)
    return api.BuildResult(issue, tuple(written), len(laid.pages), fallbacks, api.fit_advice(issue, tree, laid, context))


def _build_one(issue: Path, out_dir: Path, formats: tuple[str, ...], split: bool = False,
               preprinted: bool = False, options: dict | None = None) -> Outcome:
    started = time.perf_counter()
    try:
        context = _context(api.find_root(issue))
        if split:
            result = _build_split(issue, out_dir, context, formats, preprinted, **_given(options))
        else:
            result = api.build(issue, out_dir, context, formats, preprinted, **_given(options))
    except JianbaoError as e:
        return Outcome(issue, "failed", message=str(e), seconds=time.perf_counter() - started)
    notes = ()
    if result.fallbacks:
        chars = "".join(sorted(result.fallbacks))
        families = ", ".join(sorted(set(result.fallbacks.values())))
        notes = (_("{issue}: {chars} set from {families} (not in the role's own font)").format(
            issue=issue, chars=chars, families=families),)
    notes += result.advice
    return Outcome(issue, "built", result.outputs, notes=notes, seconds=time.perf_counter() - started)


def _forks() -> bool:
    """Whether workers are forked here (what `_fork_context` says, without importing multiprocessing)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and speed.ENABLED


def _fork_context():
    """Workers forked from this process (Linux) start with what it has loaded: modules, style sheets, fonts.
    Elsewhere the platform's default start method (spawn on macOS and Windows), where each worker loads them
    once, through `_context`."""
    if _forks():
        import multiprocessing
        return multiprocessing.get_context("fork")
    return None


def _convert_fonts(todo: list[tuple[Path, Path, str, tuple[str, ...]]], jobs: int) -> None:
    """Convert the faces of each series not yet converted for the PDF, in `jobs` processes at once (the first
    build on a machine: 10–20 s a CJK face), instead of one after another as the build reaches them. Whatever
    fails here is left for the builds to report."""
    from .fonts import prepare_reportlab

    for root in dict.fromkeys(api.find_root(issue) for issue, _, _, _ in todo):
        try:
            context = _context(root)
            prepare_reportlab(dict.fromkeys(f for key in context.style.fonts for f in context.fonts.chain(key)), jobs)
        except (JianbaoError, OSError):
            continue                                # left for the builds to report


def _prepare_workers(todo: list[tuple[Path, Path, str, tuple[str, ...]]], jobs: int) -> None:
    """Load, once and before the workers are forked, what every build needs: the writers' modules (reportlab,
    python-docx: about 0.3 s of imports), the fonts registered with reportlab, the DOCX writer's prepared document
    and the compiled template of each series. Whatever fails here is left for the builds to report."""
    formats = tuple(dict.fromkeys(fmt for _, _, _, fmts in todo for fmt in fmts))
    try:
        from .layout import prepare_fonts
        from .writers import writer

        for fmt in formats:
            writer("pdf" if fmt == "png" else fmt)  # imports the writer's module (the page images: the PDF's)
        seen: set[Path] = set()
        for issue, _, _, _ in todo:
            root = api.find_root(issue)
            if root in seen:
                continue
            seen.add(root)
            context = _context(root)
            prepare_fonts(context.style, context.fonts, jobs)
            if "docx" in formats or "dotx" in formats:
                from .writers import docx
                docx.prepare(context.style)             # the document prepared for the style sheet (kept)
            api.build_tree(issue, context)          # compiles the template (kept per process)
    except (JianbaoError, OSError):
        return                                      # left for the builds to report


def build_many(issues: list[Path], out_dir: Path | None = None, *, formats=None, preprinted=False,
               force: bool = False, jobs: int | None = None, report=lambda outcome: None,
               vet=None, options: dict | None = None) -> Summary:
    """Build every issue (out_dir: default build/ of each issue's series), `report` called as each ends.
    `formats`: what to write (default: each series' `formats:` in its jianbao.yaml, else PDF and DOCX).

    `vet(paths) -> {path: reason}`, when given, sees the issues that are about to be built (not
    the unchanged ones) and may refuse some: they fail with the reason."""
    started = time.perf_counter()
    issues = list(dict.fromkeys(issues))      # the same file named twice is built once
    summary = Summary()
    todo: list[tuple[Path, Path, str, tuple[str, ...]]] = []
    caches: dict[Path, Cache] = {}
    context_keys: dict[Path, str] = {}       # one per series: its template, config and fonts
    for issue in issues:
        try:
            if not issue.is_file():
                raise JianbaoError(_("{issue}: no such issue file").format(issue=issue))
            root = api.find_root(issue)
            context = _context(root)
            target = api.output_folder(root, issue, out_dir)      # build/YYYY/ for issues/YYYY/NNN.yaml
            api.check_output_folder(target)
            if target not in caches:
                caches[target] = Cache(target)
            cache = caches[target]
            if root not in context_keys:
                context_keys[root] = context_key(context)
            fmts = api.formats_of(context, formats)
            key = _digest(context_keys[root].encode(), file_hash(issue).encode(), ",".join(fmts).encode(),
                          b"preprinted" if preprinted else b"",
                          *([f"dpi={options.get('dpi')}".encode()] if "png" in fmts and options else []),
                          picture_hashes(issue, root))
        except JianbaoError as e:
            outcome = Outcome(issue, "failed", message=str(e))
            summary.outcomes.append(outcome)
            report(outcome)
            continue
        outputs = cache.outputs(issue, target, fmts)
        if not force and outputs is not None and cache.fresh(issue, key, outputs):
            outcome = Outcome(issue, "skipped", tuple(outputs))
            summary.outcomes.append(outcome)
            report(outcome)
        else:
            todo.append((issue, target, key, fmts))
    if vet and todo:
        refused = vet([issue for issue, _, _, _ in todo])
        for issue, *_others in todo:
            if issue in refused:
                outcome = Outcome(issue, "failed", message=refused[issue])
                summary.outcomes.append(outcome)
                report(outcome)
        todo = [t for t in todo if t[0] not in refused]

    # outcomes are reported in the order the issues were given, whatever order the workers finish in
    position = {issue: i for i, (issue, _, _, _) in enumerate(todo)}
    waiting: dict[int, Outcome] = {}
    next_up = 0

    def finished(outcome: Outcome, target: Path, key: str):
        nonlocal next_up
        if outcome.status == "built":
            caches[target].record(outcome.issue, key, outcome.outputs)
        summary.outcomes.append(outcome)
        waiting[position[outcome.issue]] = outcome
        while next_up in waiting:
            report(waiting.pop(next_up))
            next_up += 1

    cores = max(1, jobs or os.cpu_count() or 1)
    jobs = max(1, min(cores, len(todo)))
    if jobs == 1:
        # one issue and a core to spare: its formats are made side by side
        split = len(todo) == 1 and cores > 1 and _forks() and speed.ENABLED and bool(_forked(todo[0][3]))
        if todo:
            _convert_fonts(todo, cores)
        for issue, target, key, fmts in todo:
            finished(_build_one(issue, target, fmts, split, preprinted, **_given(options)), target, key)
    else:
        if _fork_context() is not None:
            _prepare_workers(todo, jobs)               # the workers are forked from this process: they inherit it
        else:
            _convert_fonts(todo, jobs)                 # spawned workers load the rest themselves
        from concurrent.futures import ProcessPoolExecutor, as_completed   # (not needed to find nothing to do)

        with ProcessPoolExecutor(max_workers=jobs, mp_context=_fork_context()) as pool:
            futures = {pool.submit(_build_one, issue, target, fmts, False, preprinted, **_given(options)): (target, key)
                       for issue, target, key, fmts in todo}
            for future in as_completed(futures):
                target, key = futures[future]
                finished(future.result(), target, key)
    for cache in caches.values():
        if cache.entries:
            try:
                cache.save()
            except (JianbaoError, OSError):
                pass                  # the outputs are written; a cache that cannot be kept only costs speed
    order = {p: i for i, p in enumerate(issues)}
    summary.outcomes.sort(key=lambda o: order.get(o.issue, 0))
    summary.seconds = time.perf_counter() - started
    return summary
