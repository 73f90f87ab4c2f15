"""`jianbao build` of many issues: click's progress bar on a terminal, plain lines in a log."""
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

BULLETINS = Path(__file__).resolve().parent / "bulletins"


def series(tmp_path: Path) -> Path:
    root = tmp_path / "s"
    shutil.copytree(BULLETINS, root)
    return root


def env(**extra):
    e = {k: v for k, v in os.environ.items() if k != "CI"}
    e.update(extra)
    return e


def test_a_terminal_gets_a_progress_bar(tmp_path):
    root = series(tmp_path)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "jianbao.cli", "build", "--format", "html"], cwd=root,
                            stdin=slave, stdout=slave, stderr=slave, env=env(COLUMNS="120"))
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:                     # the terminal closed: the command ended
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(10)
    os.close(master)
    text = out.decode()
    assert proc.returncode == 0, text
    assert "building" in text and "14/14" in text and "[####" in text       # click's bar, advanced to the end
    assert "build/014.html" in text and "built 14, skipped 0" in text
    assert text.rstrip().endswith("s") and "\x1b[?25h" in text               # the bar cleared, the cursor back


def test_a_log_gets_plain_lines(tmp_path):
    root = series(tmp_path)
    for extra in ({}, {"CI": "true"}):
        done = subprocess.run([sys.executable, "-m", "jianbao.cli", "build", "--format", "html", "--force"], cwd=root,
                              capture_output=True, text=True, env=env(**extra), timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == [f"build/{n:03d}.html" for n in range(1, 15)]
        assert "\r" not in done.stderr and "\x1b" not in done.stderr and "[#" not in done.stderr
        assert done.stderr.strip().endswith("s") and "built 14" in done.stderr
