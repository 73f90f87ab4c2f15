"""Replacing a file so that nobody ever sees half of it: write a temporary file beside it, then rename.

Used for every file jianbao writes (outputs, caches, converted fonts): a failed or interrupted write leaves
the previous file untouched, and parallel processes never read a file being written.
"""
from __future__ import annotations

import os
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Iterator

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def replacing(target: Path) -> Iterator[str]:
    """A temporary path beside `target` to write; renamed onto `target` (with the usual permissions, not
    mkstemp's 0600) when the block succeeds, removed when it fails."""
    import tempfile                     # (imported when a file is written: a build with nothing to do writes none)

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes(target: Path, data: bytes) -> None:
    """Replace `target` with `data`, flushed to disk before the rename."""
    with replacing(target) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
