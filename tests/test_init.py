"""`jianbao init`: a new series repository, from an empty folder to a built first issue, as a new user runs it."""
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner

from jianbao import cli as cli_module
from jianbao.cli import cli

REPO = Path(__file__).resolve().parent.parent


def jb(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def git(folder: Path, *args) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


def pdf_text(path: Path) -> str:
    with pdfplumber.open(str(path)) as pdf:
        return "".join(c["text"] for page in pdf.pages for c in page.chars)


def test_init_git_init_new_build_in_an_empty_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = jb("init", "office", "--series", "县发展改革委", "--name", "工作简报", "--editor", "县发展改革委办公室",
                "--printer", "某某县发展和改革委员会办公室", "--marking", "内部资料 注意保存",
                "--install", "git+https://example.org/tools/jianbao@v0.1.0")
    assert result.exit_code == 0, result.output
    root = tmp_path / "office"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == [
        ".github/workflows/bulletins.yml", ".gitignore", "fonts/README.md", "issues/README.md", "jianbao.yaml"]
    git(root, "init", "-q")
    monkeypatch.chdir(root)
    assert jb("new", "--date", "2024-03-01").exit_code == 0
    result = jb("build")
    assert result.exit_code == 0, result.output
    text = pdf_text(root / "build" / "001.pdf")
    for want in ("内部资料", "注意保存", "县发展改革委", "第1期", "县发展改革委办公室", "2024年3月1日", "请在此填写标题",
                 "某某县发展和改革委员会办公室", "2024年3月1日印发"):
        assert want in text, want
    assert "工作简报" in text.replace(" ", "")
    # what CI runs passes on the new series
    assert jb("check", "--strict").exit_code == 0
    # outputs and font files never reach the repository; the README of fonts/ does
    (root / "fonts" / "FZXBSJW.TTF").write_bytes(b"\0" * 16)
    added = git(root, "add", "--all", "--dry-run")
    assert "add 'fonts/README.md'" in added and "issues/001.yaml" in added
    assert "FZXBSJW" not in added and "build/" not in added


def test_the_workflow_installs_the_pinned_jianbao_and_the_open_fonts_then_checks_and_builds(tmp_path):
    spec = "git+https://example.org/tools/jianbao@0123456789abcdef"
    assert jb("init", str(tmp_path / "s"), "--install", spec).exit_code == 0
    flow = yaml.safe_load((tmp_path / "s/.github/workflows/bulletins.yml").read_text(encoding="utf-8"))
    assert set(flow[True]) == {"push", "pull_request"}          # `on:` (YAML 1.1 reads the key as true)
    assert flow["env"]["JIANBAO_INSTALL"] == spec
    steps = flow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any('pip install' in r and '"$JIANBAO_INSTALL"' in r for r in runs)
    fonts = next(r for r in runs if "apt-get install" in r)
    for package in ("fonts-arphic-uming", "fonts-arphic-ukai", "fonts-wqy-zenhei", "texlive-lang-chinese"):
        assert package in fonts
    order = [r for r in runs if r.startswith("jianbao ")]
    assert order == ["jianbao check --strict", "jianbao build"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].split() == ["build/**/*.pdf", "build/**/*.docx", "build/**/*.ofd"]


def test_the_default_install_is_pinned(tmp_path):
    assert jb("init", str(tmp_path / "s")).exit_code == 0
    flow = yaml.safe_load((tmp_path / "s/.github/workflows/bulletins.yml").read_text(encoding="utf-8"))
    spec = flow["env"]["JIANBAO_INSTALL"]
    assert spec.startswith("jianbao==") or ("@" in spec and spec.startswith("git+"))


def test_from_a_checkout_with_a_remote_the_workflow_pins_its_url_and_commit(tmp_path):
    """jianbao run from a git checkout (src/jianbao) whose origin is fetchable: `git+URL@COMMIT`."""
    import shutil
    import sys

    checkout = tmp_path / "jianbao"
    shutil.copytree(REPO / "src" / "jianbao", checkout / "src" / "jianbao", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))
    git(checkout, "init", "-q")
    git(checkout, "remote", "add", "origin", "git@example.org:tools/jianbao.git")
    git(checkout, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "x")
    commit = git(checkout, "rev-parse", "HEAD").strip()
    out = subprocess.run([sys.executable, "-m", "jianbao.cli", "init", str(tmp_path / "s")], cwd=tmp_path,
                         env={"PYTHONPATH": str(checkout / "src"), "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    flow = yaml.safe_load((tmp_path / "s/.github/workflows/bulletins.yml").read_text(encoding="utf-8"))
    assert flow["env"]["JIANBAO_INSTALL"] == f"git+https://example.org/tools/jianbao.git@{commit}"


def test_init_asks_for_what_is_missing_on_a_terminal_only(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_module, "_interactive", lambda: True)
    result = jb("init", str(tmp_path / "asked"), "--name", "简报", input="市教育局\n市教育局办公室\n\n内部刊物\n")
    assert "刊物上行 (series line)" in result.output
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((tmp_path / "asked/jianbao.yaml").read_text(encoding="utf-8"))
    assert config["masthead"] == {"marking": "内部刊物", "series": "市教育局", "name": "简报", "editor": "市教育局办公室"}
    assert config["printer"] == "市教育局办公室"           # an empty answer takes the default: the editor
    result = jb("init", str(tmp_path / "none"), "--series", "x", "--name", "简报", "--editor", "y", "--printer", "z",
                input='""\n')
    assert yaml.safe_load((tmp_path / "none/jianbao.yaml").read_text(encoding="utf-8"))["masthead"]["marking"] == ""
    monkeypatch.setattr(cli_module, "_interactive", lambda: False)
    result = jb("init", str(tmp_path / "quiet"), input="ignored\n")
    assert result.exit_code == 0
    config = yaml.safe_load((tmp_path / "quiet/jianbao.yaml").read_text(encoding="utf-8"))
    assert config["masthead"]["name"] == "简报" and config["masthead"]["series"] == ""


def test_values_are_data_and_a_yearly_series_counts_its_totals(tmp_path, monkeypatch):
    hostile = 'a "quoted" {{ x }} # not a comment\\ & <b>'
    result = jb("init", str(tmp_path / "y"), "--series", hostile, "--yearly", "--first-total", "58")
    assert result.exit_code == 0
    config = yaml.safe_load((tmp_path / "y/jianbao.yaml").read_text(encoding="utf-8"))
    assert config["masthead"]["series"] == hostile and config["yearly"] is True and config["first_total"] == 58
    monkeypatch.chdir(tmp_path / "y")
    assert jb("new", "--date", "2024-05-01").exit_code == 0
    assert jb("new", "--date", "2024-06-01").exit_code == 0
    assert jb("build").exit_code == 0
    text = pdf_text(tmp_path / "y/build/2024/002.pdf")
    assert "第2期（总第59期）" in text
    assert hostile.replace(" ", "") in text.replace(" ", "")


def test_init_never_overwrites_and_writes_nothing_then(tmp_path):
    root = tmp_path / "s"
    root.mkdir()
    (root / ".gitignore").write_text("mine\n")
    result = jb("init", str(root), "--series", "x")
    assert result.exit_code == 1 and "not overwriting" in result.output
    assert (root / ".gitignore").read_text() == "mine\n"
    assert sorted(p.name for p in root.iterdir()) == [".gitignore"]
    result = jb("init", str(tmp_path / "t"), "--install", "")
    assert result.exit_code == 1 and "--install" in result.output


def test_this_repository_has_the_fonts_readme_and_ignores_font_files():
    from jianbao.scaffold import FONTS_README

    assert (REPO / "fonts" / "README.md").read_text(encoding="utf-8") == FONTS_README    # `jianbao init` writes it
    readme = (REPO / "fonts" / "README.md").read_text(encoding="utf-8")
    for face in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert face in readme
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "-C", str(REPO), "check-ignore", "fonts/FZXBSJW.TTF", "fonts/README.md"],
                             capture_output=True, text=True).stdout.split()
    assert ignored == ["fonts/FZXBSJW.TTF"]
