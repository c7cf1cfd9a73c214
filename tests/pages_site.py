"""Saved web pages made for the tests, and a real HTTP server on 127.0.0.1 that serves them (with a
huge page, a PDF, a redirect and a redirect loop)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from isnad.settings import Settings
from tests.conftest import core_make_settings

MAX_BYTES = 100_000  # fetch.max_bytes in the tests: /huge is larger


def page_settings(tmp_path: Path, corpus: Path, **fetch: object) -> Settings:
    """Settings for a test data dir and corpus, fetching allowed from 127.0.0.1."""
    return core_make_settings(tmp_path / "data", corpus, fetch={"allow_private": True, "max_bytes": MAX_BYTES, "timeout": 5, **fetch})


NEWS_SENTENCES = (
    "Russia and Iran set up a factory in the Tatarstan region in 2023 to manufacture Iranian attack drones, officials said on Thursday.",
    "The plant in the Alabuga special economic zone is expected to produce six thousand drones by the summer of 2025.",
    "Western governments condemned the cooperation and imposed new sanctions on companies in both countries.",
)
NEWS_META = {"title": "Russia and Iran open a drone factory in Tatarstan", "publisher": "Example News Agency",
             "date": "2024-05-02", "url": "https://news.example.com/2024/05/drone-factory", "language": "en"}
BOILERPLATE = ("Share this article", "Subscribe now to our newsletter", "All rights reserved", "Cookie settings",
               "Photo: Sergei Ivanov | AFP | Getty")

ARABIC_SENTENCES = (
    "وقّع الرئيس الروسي فلاديمير بوتين ونظيره الإيراني مسعود بيزيشكيان يوم الجمعة معاهدة شراكة استراتيجية شاملة مدتها عشرون عاماً.",
    "وتنص المعاهدة على تعزيز التعاون في مجالات الطاقة والنقل والأمن بين البلدين خلال العقدين المقبلين.",
    "وقال بوتين إن العمل على خط أنابيب لنقل الغاز الروسي إلى إيران عبر أذربيجان يتقدم رغم الصعوبات.",
)
ARABIC_META = {"title": "بوتين وبيزيشكيان يوقعان شراكة لعشرين عاماً", "publisher": "وكالة الأنباء المثال",
               "date": "2025-01-17", "url": "https://ar.example.org/news/partnership", "language": "ar"}

BARE_SENTENCES = (
    "The city council of Springfield approved a new budget for public libraries on Monday evening after a long debate.",
    "Under the plan, every branch library will stay open until nine o'clock on weekdays starting next spring.",
)


def news_page() -> str:
    """An English news page: menus, share and subscribe prompts, a photo credit, JSON-LD and OpenGraph."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": NEWS_META["title"],
          "datePublished": NEWS_META["date"] + "T09:30:00Z", "publisher": {"@type": "Organization", "name": NEWS_META["publisher"]},
          "mainEntityOfPage": NEWS_META["url"]}
    paragraphs = "".join(f"<p>{s}</p>\n" for s in NEWS_SENTENCES)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{NEWS_META['title']} | Example News</title>
<meta property="og:title" content="{NEWS_META['title']}"><meta property="og:site_name" content="Example News">
<link rel="canonical" href="{NEWS_META['url']}">
<script type="application/ld+json">{json.dumps(ld)}</script></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/share">{BOILERPLATE[0]}</a></nav></header>
<div class="newsletter">{BOILERPLATE[1]}</div>
<article><h1>{NEWS_META['title']}</h1>
{paragraphs}<figure><img src="/drone.jpg" alt=""><figcaption>{BOILERPLATE[4]}</figcaption></figure>
</article>
<aside><h3>Related articles</h3><ul><li><a href="/a">Oil prices rise</a></li><li><a href="/b">Elections</a></li></ul></aside>
<footer><p>© 2024 Example News. {BOILERPLATE[2]}.</p><a href="/cookies">{BOILERPLATE[3]}</a></footer></body></html>"""


def arabic_page() -> str:
    """An Arabic news page with OpenGraph and article meta tags (no JSON-LD)."""
    paragraphs = "".join(f"<p>{s}</p>\n" for s in ARABIC_SENTENCES)
    return f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{ARABIC_META['title']}</title>
<meta property="og:title" content="{ARABIC_META['title']}"><meta property="og:site_name" content="{ARABIC_META['publisher']}">
<meta property="og:url" content="{ARABIC_META['url']}"><meta property="article:published_time" content="{ARABIC_META['date']}T12:00:00+03:00">
</head><body><nav><a href="/">الرئيسية</a> <a href="/world">أخبار دولية</a></nav>
<article><h1>{ARABIC_META['title']}</h1>{paragraphs}</article>
<div class="share">شارك المقال</div><footer>جميع الحقوق محفوظة</footer></body></html>"""


def bare_page() -> str:
    """A page with no metadata at all: no title, no meta tags, no language."""
    return "<html><body>" + "".join(f"<p>{s}</p>" for s in BARE_SENTENCES) + "</body></html>"


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}
    requested: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.requested.append(self.path)
        status, kind, body, headers = self.routes.get(self.path, (404, "text/plain", b"not found", {}))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _html(text: str) -> tuple[int, str, bytes, dict[str, str]]:
    return 200, "text/html; charset=utf-8", text.encode("utf-8"), {}


@contextmanager
def serving(huge_bytes: int = 300_000, requested: list[str] | None = None) -> Iterator[str]:
    """Serve the test pages on 127.0.0.1; yields the base URL (http://127.0.0.1:PORT). The paths
    asked for are appended to `requested`."""
    routes = {
        "/news": _html(news_page()),
        "/news-copy": _html(news_page().replace(f'<link rel="canonical" href="{NEWS_META["url"]}">', "")),
        "/arabic": _html(arabic_page()),
        "/bare": _html(bare_page()),
        "/huge": _html("<html><body>" + "<p>" + "word " * (huge_bytes // 5) + "</p></body></html>"),
        "/report.pdf": (200, "application/pdf", b"%PDF-1.4 not a page", {}),
        "/moved": (301, "text/html", b"", {"Location": "/bare"}),
        "/loop": (302, "text/html", b"", {"Location": "/loop"}),
        "/empty": _html("<html><body><nav><a href='/'>Home</a></nav></body></html>"),
    }
    handler = type("Handler", (_Handler,), {"routes": routes, "requested": [] if requested is None else requested})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
