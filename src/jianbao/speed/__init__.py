"""Every trick jianbao plays for speed, in one place, behind one switch.

Set `JIANBAO_NO_SPEEDUPS=1` to turn them all off (for debugging and profiling): jianbao then runs the plain way,
through reportlab's, PyYAML's and Python's public behaviour only. Outputs stay deterministic either way; with the
switch the PDF's streams are deflated at reportlab's own level, so their bytes (not their content) differ.

| module | what it does | what it gains | private interface it touches |
| --- | --- | --- | --- |
| `imports` | Pillow's `PIL.Image` imported lazily (reportlab imports it at start; jianbao needs it only for an issue with pictures); PyYAML's non-printable character class seeded in `re`'s cache in its fast form | 30–70 ms and 10–35 ms per process | `sys.modules`; `re._cache` |
| `facecache` | what reportlab parses of a TrueType face (names, metrics, cmap, glyph offsets) kept in the cache directory, glyph tables read through `mmap` | 120–300 ms per CJK face and process | `TTFont`/`TTFontFace` attributes, `TTFontFace.get_table` |
| `pdftext` | PDF text objects written directly, as reportlab's `PDFTextObject` writes them (the same bytes); streams deflated at zlib level 1 instead of 6, without ASCII85 | ~40 % of the drawing, a third of `save()` (files ~6 % larger) | `Canvas._code`, `Canvas._doc`, `TTFont.splitString`, `rl_config.useA85`, `pdfdoc.PDFZCompress.encode` |
| `pdfimage` | a JPEG's image XObject made from its header and bytes, every picture named by a hash of its file, not of its decoded pixels (reportlab's `drawImage` decodes a JPEG in full to name it) | ~0.1 s a 12-megapixel photo | `Canvas._doc`, `Canvas._code`, `Canvas._formsinuse`, `Canvas._setXObjects`, `PDFImageXObject` fields |
| `jianbao.batch` (fork) | a lone issue's DOCX made in a forked process beside the PDF; batch workers forked after the fonts and writers are loaded | ~45 ms a lone issue; the imports of every worker | `os.fork` (Linux only) |
| `jianbao.cli.run` (`os._exit`) | the command ends without the interpreter's teardown, after the exit handlers and a flush | 60–80 ms a command | `atexit._run_exitfuncs` |
"""
from __future__ import annotations

import os

#: False when JIANBAO_NO_SPEEDUPS is set (to anything but "" or "0").
ENABLED = os.environ.get("JIANBAO_NO_SPEEDUPS", "") in ("", "0")
