"""Two slow imports made fast (see `jianbao.speed`). `jianbao/__init__.py` imports this module first.

1. PyYAML's `yaml.reader` compiles, when PyYAML is imported, a character class of everything printable
   (`[^\\x09\\x0A\\x0D\\x20-\\x7E\\x85\\xA0-\\uD7FF\\uE000-\\uFFFD\\U00010000-\\U0010ffff]`): Python's regex compiler
   walks the ~55,000 code points of its ranges one by one, 10–35 ms of every jianbao process (jianbao parses YAML
   with libyaml, which does not even use it). The same set is the complement written out,
   `[\\x00-\\x08…\\uFFFE\\uFFFF]`, which compiles in ~1 ms: it is put in the `re` module's cache of compiled
   patterns under the original's text, so that `re.compile(original)` returns it. Both match exactly the same
   characters (a test checks every code point). Nothing happens if PyYAML is already imported or `re` keeps its
   cache differently (the original is compiled).

2. reportlab imports Pillow's `PIL.Image` when it starts (30–70 ms: its EXIF tag tables are enums) for bitmap
   images. It is imported lazily instead (the standard library's `importlib.util.LazyLoader`): the module is
   run the first time something reads one of its attributes. `lazy_pil_image()` is called before reportlab is
   imported (by `jianbao.layout.metrics`).
"""
import importlib.util
import re
import sys

from . import ENABLED

NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
NON_PRINTABLE_FAST = "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]"


def seed_yaml_regex() -> None:
    cache = getattr(re, "_cache", None)
    if not ENABLED or "yaml.reader" in sys.modules or not isinstance(cache, dict):
        return
    cache.setdefault((str, NON_PRINTABLE, 0), re.compile(NON_PRINTABLE_FAST))


def lazy_pil_image() -> None:
    if not ENABLED or "PIL.Image" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("PIL.Image")
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    spec.loader.exec_module(module)
    sys.modules["PIL"].Image = module


seed_yaml_regex()
