"""The interface's language: catalogues complete and compiled, the locale followed, click's own messages,
the help of every command in Chinese, a GBK console."""
from __future__ import annotations

import importlib.util
import re

import pytest

from jianbao import i18n
from messages import english_left, environment, invoke, run

from conftest import REPO


def _catalogue_tool():
    spec = importlib.util.spec_from_file_location("catalogue", REPO / "scripts" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_translation():
    """A message marked in the code (or one of click's) without a Chinese translation, a translation of a message
    that is gone, or a translation whose {fields} differ from its message's, fails here."""
    problems = _catalogue_tool().problems()
    assert not problems, "\n".join(problems)


def test_the_installed_catalogue_is_the_compiled_po_files(tmp_path):
    """The .mo the package reads is what po/zh_CN/*.po compile to now (setup.py compiles it on install)."""
    fresh = _catalogue_tool().compile_mo(tmp_path / "jianbao.mo")
    installed = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "jianbao.mo"
    assert installed.is_file(), "not compiled: pip install -e . compiles the catalogue"
    assert installed.read_bytes() == fresh.read_bytes(), "stale catalogue: pip install -e . again"


def test_a_po_file_reads_back_as_written(tmp_path):
    tool = _catalogue_tool()
    entries = [tool.Entry('a "quoted"\tmessage\nover two lines', None, ["“引号”\t消息\n两行"]),
               tool.Entry("{n} issue", "{n} issues", ["{n} 期"])]
    path = tmp_path / "x.po"
    tool.write_po(path, entries, "test")
    back = tool.read_po(path)
    assert [(e.msgid, e.plural, e.msgstr) for e in back] == [(e.msgid, e.plural, e.msgstr) for e in entries]


@pytest.mark.parametrize("env, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({}, "en"),
    ({"LANG": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "en"}, "en"),
    ({"LANG": "C", "LANGUAGE": "zh_CN"}, "en"),            # GNU gettext: LANGUAGE is ignored under the C locale
    ({"LANG": "C.UTF-8", "JIANBAO_LANG": "zh"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "JIANBAO_LANG": "en"}, "en"),
])
def test_the_language_follows_the_locale(monkeypatch, env, expected):
    for var in ("JIANBAO_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.language() == expected
