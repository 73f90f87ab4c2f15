"""PyYAML's one slow import, made fast: imported by jianbao before PyYAML.

`yaml.reader` compiles, when PyYAML is imported, a character class of everything printable
(`[^\\x09\\x0A\\x0D\\x20-\\x7E\\x85\\xA0-\\uD7FF\\uE000-\\uFFFD\\U00010000-\\U0010ffff]`): Python's regex compiler walks
the ~55,000 code points of its ranges one by one, 10–35 ms of every jianbao process (jianbao parses YAML with
libyaml, which does not even use it). The same set is the complement written out, `[\\x00-\\x08…\\uFFFE\\uFFFF]`,
which compiles in ~1 ms: it is put in the `re` module's cache of compiled patterns under the original's text, so
that `re.compile(original)` returns it. Both match exactly the same characters (a test checks every code point).
Nothing happens if PyYAML is already imported or `re` keeps its cache differently (the original is compiled).
"""
import re
import sys

NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
NON_PRINTABLE_FAST = "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]"


def seed() -> None:
    cache = getattr(re, "_cache", None)
    if "yaml.reader" in sys.modules or not isinstance(cache, dict):
        return
    cache.setdefault((str, NON_PRINTABLE, 0), re.compile(NON_PRINTABLE_FAST))


seed()
