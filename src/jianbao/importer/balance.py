"""The line breaks jianbao itself puts into a title: its DOCX writer writes a balanced title's lines as line
breaks, so a DOCX jianbao wrote cannot say which breaks the author forced. The title is set again, alone, in a
DOCX of the same series (through the public `api.render`) and read back: breaks jianbao makes by itself are not
the author's."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..errors import JianbaoError
from .read import read_docx


def title_balance(context):
    from .. import api

    def balance(title: str):
        with tempfile.TemporaryDirectory(prefix="jianbao-import-") as tmp:
            issue = Path(tmp) / "001.yaml"
            issue.write_text(f"number: 1\ndate: 2000-01-03\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                             "body: [正文。]\n", encoding="utf-8")
            try:
                outputs, _ = api.render(issue, context, formats=("docx",))
            except JianbaoError:
                return None          # cannot set it here (fonts): every break is kept
            path = Path(tmp) / "title.docx"
            path.write_bytes(outputs["docx"])
            paras = read_docx(path)
        title_para = next((p for p in paras if p.style == "Title"), None)
        return title_para.text.split("\n") if title_para is not None else None
    return balance
