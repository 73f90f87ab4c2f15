"""The line breaks jianbao's own DOCX writer puts into a title (it writes balanced lines as line breaks), so
that importing a DOCX jianbao wrote gives back a one-line title where the author wrote one. Uses the writer's
balancing with the series' style sheet: if the writer moves (the layout refactoring), importing still works
and keeps every break."""
from __future__ import annotations


def title_balance(context):
    try:
        from ..docx_writer import _DocxWriter
        from ..tree import Run
    except ImportError:
        return None
    writer = None

    def balance(title: str):
        nonlocal writer
        if writer is None:
            writer = _DocxWriter(context.style)
        if not hasattr(writer, "_balanced"):
            return None
        pieces = writer._balanced("title", [Run(title, "title", False)])
        text = "".join(p.text for p in pieces)
        return text.split("\n")
    return balance
