"""The line breaks jianbao's own DOCX writer puts into a title (it writes balanced lines as line breaks), so
that importing a DOCX jianbao wrote gives back a one-line title where the author wrote one. Uses the writer's
balancing with the series' style sheet; without it (a writer that changed), importing keeps every break."""
from __future__ import annotations


def _writer_class():
    try:
        from ..writers.docx import _DocxWriter
        return _DocxWriter
    except ImportError:
        pass
    try:
        from ..docx_writer import _DocxWriter
        return _DocxWriter
    except ImportError:
        return None


def title_balance(context):
    from ..tree import Run

    cls = _writer_class()
    if cls is None or not hasattr(cls, "_balanced"):
        return None
    writer = None

    def balance(title: str):
        nonlocal writer
        if writer is None:
            writer = cls(context.style)
        pieces = writer._balanced("title", [Run(title, "title", False)])
        return "".join(p.text for p in pieces).split("\n")
    return balance
