"""Errors that reach the user as `FILE:LINE:COL: message` lines, never as tracebacks."""
from __future__ import annotations

from dataclasses import dataclass


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
