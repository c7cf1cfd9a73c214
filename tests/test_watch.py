"""`isnad ingest --watch`: a running watcher indexes a file dropped into the corpus folder."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import ISNAD, core_cli_env
from tests.pages_site import NEWS_META, news_page

TIMEOUT = 180


def _next_report(process: subprocess.Popen, deadline: float) -> dict:
    """The next JSON report the watcher prints."""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("{"):
            return json.loads(line)
        assert line or process.poll() is None, "the watcher ended"
    raise AssertionError("no report in time")


def test_watch_indexes_a_new_page_and_a_removal(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    (corpus / "first.txt").write_text("The first article says that the river flooded the valley in May.\n", encoding="utf-8")
    process = subprocess.Popen([str(ISNAD), "ingest", "--watch", "--json"], env=core_cli_env(data, corpus),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + TIMEOUT
        assert _next_report(process, deadline)["added"] == 1
        (corpus / "news.html").write_text(news_page(), encoding="utf-8")
        (corpus / ".partial.html.part").write_text("<html>", encoding="utf-8")  # ignored: hidden
        assert _next_report(process, deadline)["added"] == 1
        from isnad.retrieval.manifest import Manifest

        assert Manifest.load(data).entries["news"].meta.title == NEWS_META["title"]
        (corpus / "first.txt").unlink()
        assert _next_report(process, deadline)["removed"] == 1
        assert sorted(Manifest.load(data).entries) == ["news"]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0 and "Traceback" not in stderr, stderr
