import os
import shutil
from pathlib import Path

import pytest

# The suite asserts jianbao's English messages whatever the machine's locale; the tests of the Chinese
# interface (test_i18n.py, test_messages_*.py) set the locale of each run themselves (tests/messages.py).
os.environ["JIANBAO_LANG"] = "en"

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def series(tmp_path):
    """A copy of the showcase series (jianbao.yaml + the two seed issues) in a temporary folder."""
    root = tmp_path / "series"
    (root / "issues").mkdir(parents=True)
    shutil.copy(REPO / "jianbao.yaml", root / "jianbao.yaml")
    for name in ("008.yaml", "011.yaml"):
        shutil.copy(REPO / "issues" / name, root / "issues" / name)
    return root


@pytest.fixture
def write_issue(series):
    """Write issues/NNN.yaml in the temporary series and return its path."""
    def write(text, name="003.yaml"):
        path = series / "issues" / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


@pytest.fixture
def run(series, monkeypatch):
    """Run `jianbao ARGS…` in the temporary series through click's CliRunner."""
    from click.testing import CliRunner
    from jianbao.cli import cli

    monkeypatch.chdir(series)

    def invoke(*args):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return invoke


@pytest.fixture
def own_template(series):
    """The series uses its own template `templates/mine`, a copy of the built-in default."""
    own = series / "templates" / "mine"
    shutil.copytree(REPO / "templates" / "default", own)
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("template: default", "template: mine"),
                      encoding="utf-8")
    return own
