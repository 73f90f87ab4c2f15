"""`jianbao watch`: a real server on a free port, issue files edited, what the browser would get read over HTTP."""
import http.client
import json
import re
import statistics
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from jianbao.watch import Preview, PreviewServer

LIMIT = 0.5          # seconds from saving the file to the new pages being served (the issue's promise)


def get(url: str, timeout: float = 10) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def state(base: str) -> dict:
    return json.loads(get(base + "state/011")[1])


def wait_for(predicate, timeout: float, step: float = 0.005):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not within {timeout} s")


class Events:
    """A browser's EventSource: reads `data:` lines of /events/011 in a thread."""

    def __init__(self, host: str, port: int, path: str):
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.conn.request("GET", path)
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.received: list[tuple[float, str]] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            for line in self.response:
                line = line.decode().strip()
                if line.startswith("data:"):
                    self.received.append((time.monotonic(), line[5:].strip()))
        except (OSError, ValueError):
            pass

    def close(self):
        self.conn.close()


@pytest.fixture
def server(series):
    preview = Preview([series / "issues" / "011.yaml"], series)
    srv = PreviewServer(preview, "127.0.0.1", 0)
    srv.start()
    yield srv
    started = time.monotonic()
    srv.stop()
    assert time.monotonic() - started < 3, "the server did not stop in time"


def test_serves_on_localhost_and_rebuilds_within_the_limit(series, server):
    host, port = server.server_address[:2]
    assert host == "127.0.0.1" and port > 0
    base = server.url
    status, body, headers = get(base)
    first = wait_for(lambda: (s := state(base))["generation"] >= 1 and s, 120)   # cold: fonts, template
    assert first["error"] is None and first["pages"] == 5

    page = get(base + "issue/011")[1].decode()
    images = re.findall(r'<img src="([^"]+)"', page)
    assert len(images) == 5
    assert "EventSource" in page and "<script src" not in page       # no external JavaScript
    old = get(base + images[0].lstrip("/"))[1]
    assert old[:2] == b"\xff\xd8"                                     # a JPEG

    events = Events(host, port, "/events/011")
    try:
        wait_for(lambda: events.received, 5)
        issue = series / "issues" / "011.yaml"
        text = issue.read_text(encoding="utf-8")
        timings, firsts = [], []
        for n in range(3):
            changed = text.replace("攻坚“双减”新任务", f"攻坚“双减”新任务第{n + 1}次修改", 1)
            assert changed != text
            seen = len(events.received)
            saved = time.monotonic()
            issue.write_text(changed, encoding="utf-8")
            # what the browser does: an event arrives, it reloads the page, then loads the page images
            wait_for(lambda: len(events.received) > seen, 10)
            page = get(base + "issue/011")[1].decode()
            images = re.findall(r'<img src="([^"]+)"', page)
            new = [get(base + images[0].lstrip("/"))[1]]
            firsts.append(time.monotonic() - saved)                   # the first page on screen
            new += [get(base + src.lstrip("/"))[1] for src in images[1:]]
            timings.append(time.monotonic() - saved)                  # all five
            assert len(new) == 5 and new[0] != old                    # the title on page 1 changed
            assert f"generation = {events.received[-1][1]}" in page.replace("var generation = ", "generation = ")
            old = new[0]
            time.sleep(0.1)
        print(f"save to page 1 in the browser: {[round(t, 3) for t in firsts]} s, "
              f"to all 5 pages: {[round(t, 3) for t in timings]} s")
        assert statistics.median(timings) < LIMIT, timings
    finally:
        events.close()


def test_a_broken_issue_shows_its_located_error_and_keeps_the_last_good_pages(series, server):
    base = server.url
    wait_for(lambda: state(base)["generation"] >= 1, 120)
    good = state(base)["good_generation"]
    issue = series / "issues" / "011.yaml"
    text = issue.read_text(encoding="utf-8")
    issue.write_text("<script>alert(1)</script>: 1\n" + text, encoding="utf-8")
    s = wait_for(lambda: (s := state(base))["error"] and s, 10)
    assert re.search(r"011\.yaml:1:1: <script>alert\(1\)</script>: unknown key", s["error"])
    page = get(base + "issue/011")[1].decode()
    assert "<img" not in page                                         # the error in place of the pages
    assert re.search(r'<pre class="error">[^<]*011\.yaml:1:1: &lt;script&gt;alert\(1\)&lt;/script&gt;: unknown', page)
    assert "<script>alert(1)" not in page                            # the issue's text is escaped
    assert 'href="/issue/011?last=1"' in page
    last = get(base + "issue/011?last=1")[1].decode()
    images = re.findall(r'<img src="([^"]+)"', last)
    assert len(images) == 5 and all(f"/{good}/" in src for src in images)
    assert get(base + images[0].lstrip("/"))[0] == 200

    issue.write_text(text, encoding="utf-8")
    s = wait_for(lambda: (s := state(base))["error"] is None and s["good_generation"] > good and s, 10)
    assert s["pages"] == 5

    issue.unlink()                                                    # deleted while watched
    s = wait_for(lambda: (s := state(base))["error"] and s, 10)
    assert "no such issue file" in s["error"]
    issue.write_text(text, encoding="utf-8")
    wait_for(lambda: state(base)["error"] is None, 10)


def test_a_change_to_the_series_rebuilds(series, server):
    base = server.url
    wait_for(lambda: state(base)["generation"] >= 1, 120)
    before = state(base)["generation"]
    config = series / "jianbao.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: 简报", "name: 快报"), encoding="utf-8")
    wait_for(lambda: state(base)["generation"] > before, 10)
    before = state(base)["generation"]
    picture = series / "images" / "photo.png"
    picture.parent.mkdir()
    picture.write_bytes(b"\x89PNG first")                            # a picture added (listed once a second)
    wait_for(lambda: state(base)["generation"] > before, 10)
    before = state(base)["generation"]
    picture.write_bytes(b"\x89PNG second, longer")                    # a picture changed
    wait_for(lambda: state(base)["generation"] > before, 10)
    before = state(base)["generation"]
    (series / "build").mkdir(exist_ok=True)
    (series / "build" / "011-1.png").write_bytes(b"output, not input")   # build/ is not watched
    time.sleep(1.5)
    assert state(base)["generation"] == before


def test_a_broken_series_file_is_shown_until_it_is_fixed(series, server):
    base = server.url
    wait_for(lambda: state(base)["generation"] >= 1, 120)
    config = series / "jianbao.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("template: default", "template: nosuch"), encoding="utf-8")
    s = wait_for(lambda: (s := state(base))["error"] and s, 10)
    assert "template 'nosuch' not found" in s["error"]
    time.sleep(0.5)
    assert state(base)["generation"] == s["generation"]           # shown once, not rebuilt over and over
    config.write_text(good, encoding="utf-8")
    wait_for(lambda: state(base)["error"] is None and state(base)["generation"] > s["generation"], 10)


def test_unknown_addresses_and_stopping_with_a_listener(series):
    preview = Preview([series / "issues" / "011.yaml"], series)
    srv = PreviewServer(preview, "127.0.0.1", 0)
    srv.start()
    host, port = srv.server_address[:2]
    try:
        base = srv.url
        assert get(base + "issue/999")[0] == 404
        assert get(base + "issue/011/1/../../etc/passwd")[0] == 404
        assert get(base + "issue/011/0/1.jpg")[0] == 404
        events = Events(host, port, "/events/011")
    finally:
        started = time.monotonic()
        srv.stop()
        assert time.monotonic() - started < 3
    events.thread.join(3)
    assert not events.thread.is_alive()                               # the stream ended with the server
    with pytest.raises(OSError):
        urllib.request.urlopen(base, timeout=2)


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_the_command_prints_its_address_and_stops(series, stop):
    import os
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "jianbao.cli", "watch", "--port", "0"], cwd=series,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            proc.kill()
            pytest.fail(f"no address printed: {line!r}; stderr: {proc.stderr.read()!r}")
        status, body, _ = get(m.group(0))
        assert status == 200 and "011.yaml" in body.decode() and "008.yaml" in body.decode()
    finally:
        proc.send_signal(getattr(signal, stop))
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, proc.stderr.read()
    assert "stopping" in proc.stderr.read()


def test_a_yearly_series_has_one_page_per_issue(tmp_path):
    root = tmp_path / "yearly"
    for year in ("2023", "2024"):
        (root / "issues" / year).mkdir(parents=True)
    (root / "jianbao.yaml").write_text("masthead: {name: 简报, editor: 办公室}\nprinter: 办公室\nyearly: true\n",
                                       encoding="utf-8")
    for year, title in (("2023", "二〇二三年的第一期"), ("2024", "二〇二四年的第一期")):
        (root / "issues" / year / "001.yaml").write_text(
            f"number: 1\ndate: {year}-03-01\ntitle: {title}\nbody: [正文。]\n", encoding="utf-8")
    preview = Preview(None, root)
    srv = PreviewServer(preview, "127.0.0.1", 0)
    srv.start()
    try:
        base = srv.url
        index = get(base)[1].decode()
        assert 'href="/issue/2023-001"' in index and 'href="/issue/2024-001"' in index
        for key in ("2023-001", "2024-001"):
            s = wait_for(lambda: (s := json.loads(get(base + f"state/{key}")[1]))["generation"] >= 1 and s, 120)
            assert s["error"] is None and s["pages"] == 1
            assert s["issue"] == f"{key[:4]}/001.yaml"
    finally:
        srv.stop()
