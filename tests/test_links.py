"""Links and uploaded files as articles: fetched from a real HTTP server on 127.0.0.1 (the fetching
rules: schemes, private addresses, size, redirects, content type), duplicates, bad pages reported
and nothing already indexed lost. Real embedder and Chroma."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from isnad.retrieval.adding import add_file, add_urls
from isnad.retrieval.fetching import FetchError, check_url, fetch
from isnad.retrieval.indexer import update_index
from isnad.retrieval.manifest import Manifest
from tests.conftest import ISNAD, SEEDS, core_cli_env
from tests.pages_site import ARABIC_META, BARE_SENTENCES, MAX_BYTES, NEWS_META, news_page, page_settings, serving


def test_links_are_fetched_indexed_once_and_bad_pages_reported(tmp_path: Path, core_embedder) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    settings = page_settings(tmp_path, corpus)
    update_index(settings, core_embedder, corpus)
    seeds = {i: e.content_hash for i, e in Manifest.load(settings.data_dir).entries.items()}
    with serving() as site:
        urls = [f"{site}/{p}" for p in ("news", "arabic", "moved", "huge", "report.pdf", "loop", "empty", "missing")]
        results, report = add_urls(urls, settings, core_embedder)
        by_url = {r.source.rsplit("/", 1)[1]: r for r in results}
        assert [(by_url[k].title, by_url[k].problem) for k in ("news", "arabic")] == [(NEWS_META["title"], ""), (ARABIC_META["title"], "")]
        assert by_url["moved"].article_id and not by_url["moved"].problem
        problems = {k: by_url[k].problem for k in ("huge", "report.pdf", "loop", "empty", "missing")}
        assert "too large" in problems["huge"] and "not a web page (application/pdf)" in problems["report.pdf"]
        assert "too many redirects" in problems["loop"] and "no article text" in problems["empty"]
        assert "404" in problems["missing"]
        assert sorted(report.added) == sorted(by_url[k].article_id for k in ("news", "arabic", "moved"))

        again, nothing = add_urls([f"{site}/news", f"{site}/news-copy"], settings, core_embedder)
    assert nothing is None
    assert [(r.article_id, r.problem) for r in again] == [(by_url["news"].article_id, f"already indexed as {by_url['news'].article_id!r}")] * 2
    entries = Manifest.load(settings.data_dir).entries
    assert len(entries) == len(seeds) + 3
    assert all(entries[i].content_hash == h for i, h in seeds.items()), "an indexed article was lost or changed"
    bare = entries[by_url["moved"].article_id]
    assert bare.meta.url.endswith("/bare"), "a page without a canonical URL keeps the address it was fetched from"
    assert not list(corpus.glob(".*.part"))


def test_uploaded_files_are_added_and_bad_ones_explained(tmp_path: Path, core_embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    settings = page_settings(tmp_path, corpus)
    [page], _ = add_file("news.html", news_page().encode(), settings, core_embedder)
    [text], _ = add_file("notes.txt", "\n".join(BARE_SENTENCES).encode(), settings, core_embedder)
    [again], nothing = add_file("copy.html", news_page().encode(), settings, core_embedder)
    [binary], _ = add_file("x.txt", b"\x00\x01 binary", settings, core_embedder)
    [pdf], _ = add_file("x.pdf", b"%PDF", settings, core_embedder)
    assert page.title == NEWS_META["title"] and text.article_id.startswith("notes") and not (page.problem or text.problem)
    assert again.problem.startswith("already indexed") and nothing is None
    assert "binary" in binary.problem and ".txt and .html" in pdf.problem
    assert len(Manifest.load(settings.data_dir).entries) == 2


def test_fetching_refuses_other_schemes_and_private_addresses(tmp_path: Path) -> None:
    settings = page_settings(tmp_path, tmp_path, allow_private=False).fetch
    for url in ("file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)"):
        with pytest.raises(FetchError, match="not an http"):
            check_url(url)
    with serving() as site:
        for url in (f"{site}/news", site.replace("127.0.0.1", "localhost") + "/news"):
            with pytest.raises(FetchError, match="private or local address"):
                fetch(url, settings)
        assert fetch(f"{site}/news", settings.model_copy(update={"allow_private": True})).data.startswith(b"<!doctype")


def test_a_host_is_resolved_once_so_a_rebinding_answer_never_reaches_a_private_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the host's first lookup answers a public address, every later one loopback
    (where the test site listens). The fetch must connect to the address it checked."""
    settings = page_settings(tmp_path, tmp_path, allow_private=False, timeout=2).fetch
    real_lookup = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: str, port: int, *args: object, **kwargs: object) -> list:
        if host != "news.rebinding.test":
            return real_lookup(host, port, *args, **kwargs)  # type: ignore[arg-type]
        lookups.append(address := "1.1.1.1" if not lookups else "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    requested: list[str] = []
    with serving(requested=requested) as site:
        port = site.rsplit(":", 1)[1]
        try:
            fetch(f"http://news.rebinding.test:{port}/news", settings)
        except FetchError:
            pass  # whatever the public address does, only the loopback site matters here
    assert lookups == ["1.1.1.1"] and requested == []


def test_isnad_add_prints_titles_and_exits_2_for_bad_links(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    env = core_cli_env(tmp_path / "data", corpus, ISNAD_FETCH_ALLOW_PRIVATE="true", ISNAD_FETCH_MAX_BYTES=str(MAX_BYTES))
    with serving() as site:
        ok = subprocess.run([str(ISNAD), "add", f"{site}/arabic"], env=env, capture_output=True, text=True, timeout=300)
        bad = subprocess.run([str(ISNAD), "add", f"{site}/report.pdf", f"{site}/arabic"], env=env, capture_output=True, text=True, timeout=300)
        refused = subprocess.run([str(ISNAD), "add", f"{site}/bare"], env={**env, "ISNAD_FETCH_ALLOW_PRIVATE": "false"},
                                 capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and ok.stdout.startswith("added ") and ARABIC_META["title"] in ok.stdout, ok.stderr
    assert bad.returncode == 2 and "not a web page" in bad.stdout and "already indexed" in bad.stdout
    assert refused.returncode == 2 and "private or local address" in refused.stdout
    assert "Traceback" not in ok.stderr + bad.stderr + refused.stderr
