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


def _command_lines(path) -> set[str]:
    """The command lines of a README's code blocks, without their comments."""
    commands, inside = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            inside = not inside
            continue
        command = re.split(r"\s+#\s", line.strip(), maxsplit=1)[0].strip()
        if inside and re.match(r"(jianbao|bash|cd|git|pip|python3?|sudo|apt)(\s|$)|\.venv/bin/|LANG=|JIANBAO_LANG=", command):
            commands.add(command)
    return commands


def test_the_chinese_readme_has_the_commands_of_the_english_one():
    english = _command_lines(REPO / "README.md")
    chinese = _command_lines(REPO / "README.zh-CN.md")
    assert len(english) >= 10
    assert english - chinese == set(), "missing from README.zh-CN.md"
    assert chinese - english == set(), "not in README.md"
    text = (REPO / "README.zh-CN.md").read_text(encoding="utf-8")
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 5000           # a Chinese document, not a stub
    for heading in ("安装", "命令", "字体", "模板", "界面语言"):
        assert re.search(rf"^#+ .*{heading}", text, re.M), heading
