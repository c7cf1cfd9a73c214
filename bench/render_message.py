"""Look at a bot message as a Telegram client would lay it out: the message's HTML in a chat
bubble, each line its own paragraph with dir=auto (direction from its first strong character,
as Telegram does), screenshotted with headless Chromium. Not a test: for eyes.

    .venv/bin/python bench/render_message.py --ask "من هو نظير باتروشيف؟" --lang en out.png
    .venv/bin/python bench/render_message.py --help-text ar out.png
    .venv/bin/python bench/render_message.py --html-file message.html --visual-order out.png

--visual-order also prints every line's characters in the order they appear on screen, left to
right, to check the layout without reading the picture. --ask needs an indexed data dir (ISNAD_DATA_DIR, as for `isnad ask`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from isnad.bot.answer import messages  # noqa: E402
from isnad.bot.fronts import formatting  # noqa: E402
from isnad.settings import load_settings  # noqa: E402

PAGE = """<!doctype html><meta charset="utf-8"><style>
body {{ background: #8fb88a; margin: 0; padding: 16px; font: 15px/1.35 "Noto Sans", "Noto Sans Arabic", "DejaVu Sans", sans-serif; }}
.bubble {{ background: #fff; border-radius: 12px; padding: 8px 12px; max-width: 420px; margin-bottom: 10px; }}
.line {{ min-height: 1.35em; white-space: pre-wrap; }}
.quote {{ border-inline-start: 3px solid #3a95d5; background: #eaf3fb; padding: 2px 8px; margin: 3px 0; border-radius: 4px; }}
a {{ color: #168acd; }}
</style>{bubbles}"""


class _Lines(HTMLParser):
    """Telegram HTML -> one <div dir=auto> per line; a blockquote becomes a block of lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = ['<div class="line" dir="auto">']
        self.inline: list[str] = []  # open inline start tags, reopened on each new line

    def _new_line(self, block: str = "") -> None:
        self.out += [f"</{t.split()[0][1:].rstrip('>')}>" for t in reversed(self.inline)]
        self.out += ["</div>", block, '<div class="line" dir="auto">', *self.inline]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "blockquote":
            self._new_line('<div class="quote">')
        else:
            start = self.get_starttag_text() or f"<{tag}>"
            self.inline.append(start)
            self.out.append(start)

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self._new_line("</div>")
        else:
            self.inline.pop()
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        for i, line in enumerate(data.split("\n")):
            if i:
                self._new_line()
            self.out.append(escape(line, quote=False))

    def html(self) -> str:
        """The lines; an empty line next to a quote block is dropped (clients show none there)."""
        html = "".join(self.out) + "</div>"
        empty = '<div class="line" dir="auto"></div>'
        return re.sub(f'(?:{empty})+(?=<div class="quote">|</div>)|(?<=<div class="quote">)(?:{empty})+', "", html)


def bubble(message_html: str) -> str:
    parser = _Lines()
    parser.feed(message_html)
    parser.close()
    return f'<div class="bubble">{parser.html()}</div>'


# Lists each line's letters, brackets, "/" and "@" in the order they appear on screen, left to
# right (one visual row after another), so the layout can be checked without reading the image.
VISUAL_ORDER = """<script>
const out = [];
function texts(node, f) { if (node.nodeType === 3) f(node); else node.childNodes.forEach(c => texts(c, f)); }
document.querySelectorAll("div.line").forEach(line => {
  const rows = {};
  texts(line, t => { for (let j = 0; j < t.textContent.length; j++) {
    if (!/[()«»“”\\[\\]\\/@\\w\\u0621-\\u064a]/.test(t.textContent[j])) continue;
    const r = document.createRange(); r.setStart(t, j); r.setEnd(t, j + 1); const box = r.getBoundingClientRect();
    (rows[Math.round(box.y)] ||= []).push([box.x, t.textContent[j]]);
  } });
  const shown = Object.keys(rows).sort((a, b) => a - b).map(y => rows[y].sort((a, b) => a[0] - b[0]).map(p => p[1]).join(""));
  out.push(getComputedStyle(line).direction + ": " + shown.join(" / "));
});
document.body.dataset.order = out.join("\\n");
</script>"""


def _chromium() -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        sys.exit("chromium not found (apt-get install -y chromium)")
    return chromium


def _page(messages_html: list[str], tmp: str, extra: str = "") -> str:
    page = Path(tmp) / "message.html"
    page.write_text(PAGE.format(bubbles="".join(bubble(m) for m in messages_html)) + extra, encoding="utf-8")
    return page.as_uri()


def screenshot(messages_html: list[str], out: Path, width: int = 480) -> None:
    """Write the messages as bubbles on one page and screenshot it to `out` (PNG)."""
    lines = sum(m.count("\n") + 2 + len(m) // 45 for m in messages_html)  # generous: wrapped lines
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--screenshot={out.resolve()}", f"--window-size={width},{60 + lines * 24}", _page(messages_html, tmp)],
            check=True, capture_output=True,
        )


def visual_order(messages_html: list[str], width: int = 480) -> str:
    """Each line's direction and its characters in on-screen order (Arabic letters so appear reversed)."""
    with tempfile.TemporaryDirectory() as tmp:
        dom = subprocess.run(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width},2000", "--dump-dom",
             _page(messages_html, tmp, VISUAL_ORDER)],
            check=True, capture_output=True, text=True,
        ).stdout
    match = re.search(r'data-order="([^"]*)"', dom)
    return unescape(match.group(1)) if match else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--ask", metavar="QUESTION", help="answer QUESTION from the index and render the reply")
    source.add_argument("--help-text", choices=["ar", "en"], help="render /help in this language")
    source.add_argument("--html-file", type=Path, help="render a message's HTML as given")
    parser.add_argument("--lang", choices=["ar", "en"], help="reply language for --ask (as /lang)")
    parser.add_argument("--visual-order", action="store_true", help="also print each line as laid out on screen")
    parser.add_argument("out", type=Path, help="PNG file to write")
    args = parser.parse_args()
    if args.html_file:
        parts = [args.html_file.read_text(encoding="utf-8")]
    elif args.help_text:
        titles = ["بوتين وبيزيشكيان يوقعان شراكة", "Putin and Pezeshkian sign a partnership"]
        text = messages.help_text(args.help_text, titles[::-1] if args.help_text == "en" else titles, "isnad_bot")
        parts = [formatting.text_html(text, args.help_text)]
    else:
        from isnad.bot.answer.answering import Answerer
        from isnad.bot.fronts.replies import compose
        from isnad.bot.fronts.titles import EnglishTitles

        settings = load_settings()
        answer = Answerer(settings).answer(args.ask)
        parts = formatting.render_reply(compose(answer, args.lang, EnglishTitles(settings.data_dir)))
    screenshot(parts, args.out)
    print(args.out)
    if args.visual_order:
        print(visual_order(parts))


if __name__ == "__main__":
    main()
