"""The language jianbao speaks: Chinese under a Chinese locale, English otherwise.

Messages are written in English in the code, marked `_("…")` (translated where they are made) or `N_("…")`
(marked only, for text kept in tables and translated where it is shown), and formatted with named fields
after translation: `_("unknown key; did you mean '{key}'?").format(key=...)`. Their Chinese lives in the
gettext catalogues `po/zh_CN/*.po`, compiled into `jianbao/locale/zh_CN/LC_MESSAGES/jianbao.mo` when the
package is built or installed (setup.py; `scripts/catalogue.py` extracts, checks and compiles them).
click's own messages (usage errors, help headings) are in the same catalogue: `use_for_click()` routes them
through it.

The language is looked up on every translation, so a test can run the CLI under different locales in one
process: `JIANBAO_LANG` first (zh… or en…), then the locale variables in POSIX's order (`LC_ALL`,
`LC_MESSAGES`, `LANG`; `LANGUAGE` before them unless the locale is C/POSIX, as GNU gettext does), then
on Windows the user's interface language.
"""
from __future__ import annotations

import gettext as _gettext
import os
import sys
from pathlib import Path

DOMAIN = "jianbao"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_catalogues: dict[str, _gettext.NullTranslations] = {}


def language() -> str:
    """'zh' or 'en', from the environment as it is now."""
    chosen = os.environ.get("JIANBAO_LANG", "").strip()
    if chosen:
        return "zh" if chosen.lower().startswith("zh") else "en"
    locale_name = ""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        locale_name = os.environ.get(var, "")
        if locale_name:
            break
    if locale_name and locale_name.split(".")[0] not in ("C", "POSIX"):
        first = os.environ.get("LANGUAGE", "").split(":")[0]
        if first:
            locale_name = first
    if not locale_name and sys.platform == "win32":
        locale_name = _windows_ui_language()
    return "zh" if locale_name.lower().startswith("zh") else "en"


def _windows_ui_language() -> str:
    try:
        import ctypes

        lang_id = ctypes.windll.kernel32.GetUserDefaultUILanguage()
    except (AttributeError, OSError):
        return ""
    return "zh" if lang_id & 0x3FF == 0x04 else "en"        # LANG_CHINESE, any sublanguage


def catalogue(lang: str | None = None) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang` (default: the current language); English is the messages as written."""
    lang = lang or language()
    found = _catalogues.get(lang)
    if found is None:
        found = _gettext.NullTranslations()
        if lang == "zh":
            try:
                with open(LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
                    found = _gettext.GNUTranslations(f)
            except OSError:                 # not compiled (a source tree never built): English rather than nothing
                pass
        _catalogues[lang] = found
    return found


def _(message: str) -> str:
    """`message` in the current language."""
    return catalogue().gettext(message)


def N_(message: str) -> str:
    """Marks `message` for the catalogue without translating it (it is translated where it is shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that counts `n` things, in the current language."""
    return catalogue().ngettext(singular, plural, n)


def use_for_click() -> None:
    """Send click's own messages (usage errors, `--help` headings, prompts) through jianbao's catalogue.
    click's modules bind `gettext.gettext` and `gettext.ngettext` as `_` and `ngettext` when imported."""
    import click

    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if getattr(module, "_", None) is _gettext.gettext:
                module._ = _
            if getattr(module, "ngettext", None) is _gettext.ngettext:
                module.ngettext = ngettext
    del click
