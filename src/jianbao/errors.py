"""Errors that reach the user as `FILE:LINE:COL: message` lines, never as tracebacks."""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_, _

# The operating system's words (glibc's strerror) for what goes wrong reading and writing files, marked for the
# catalogue: `reason(e)` says them in the user's language (another system's words are shown as they are).
OS_REASONS = (N_("No such file or directory"), N_("Permission denied"), N_("Is a directory"), N_("Not a directory"),
              N_("No space left on device"), N_("Read-only file system"), N_("File exists"),
              N_("Directory not empty"), N_("File name too long"), N_("Too many levels of symbolic links"),
              N_("Input/output error"), N_("Disk quota exceeded"), N_("Device or resource busy"))


def reason(e: OSError) -> str:
    """Why a file could not be read or written, in the user's language."""
    return _(e.strerror) if e.strerror else str(e)


class Shown:
    """A value quoted in a message: `{x!r}` shows it as Python writes it ('abc', 2: the English messages), `{x}` its
    text with the same escapes but no quotes (the Chinese ones quote it “abc”)."""

    def __init__(self, value):
        self.written = repr(value)

    def __repr__(self) -> str:
        return self.written

    def __str__(self) -> str:
        w = self.written
        return w[1:-1] if len(w) >= 2 and w[0] == w[-1] and w[0] in "'\"" else w

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def listing(items) -> str:
    """Names (keys, values, formats) one after the other: `a, b, c` (a、b、c in Chinese)."""
    return _(", ").join(str(item) for item in items)


@dataclass(frozen=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class JianbaoError(Exception):
    """A problem the user can fix; its text is shown as it is."""

    def __init__(self, message: str, location: Location | None = None, line: int | None = None,
                 column: int | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.line = line  # the issue file's line, from a writer that does not know the file (api adds it)
        self.column = column

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class InputErrors(JianbaoError):
    """Every problem found in one input file, reported together."""

    def __init__(self, errors: list[JianbaoError]):
        self.errors = sorted(errors, key=lambda e: (e.location.file, e.location.line, e.location.column)
                             if e.location else ("", 0, 0))
        super().__init__("\n".join(str(e) for e in self.errors))

    def __str__(self) -> str:
        return self.message
