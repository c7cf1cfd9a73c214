"""👍/👎 votes on replies, kept in a small SQLite file (WAL: several bot processes may write)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

FEEDBACK_FILE = "feedback.sqlite3"
_SCHEMA = """CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    question TEXT NOT NULL,
    status TEXT NOT NULL,
    citations TEXT NOT NULL
)"""


@dataclass(frozen=True)
class Vote:
    """One vote: who, on which question and reply, and the spans that reply cited."""

    chat_id: int
    user_id: int
    up: bool
    question: str
    status: str
    citations: tuple[tuple[str, int, int], ...]  # (article id, start, end)
    at: float = 0.0


class FeedbackStore:
    """Votes in `<data_dir>/feedback.sqlite3`; each call opens its own connection (thread-safe)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FEEDBACK_FILE

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(_SCHEMA)
        return connection

    def record(self, vote: Vote) -> None:
        with self._connect() as connection:
            connection.execute(
                "INSERT INTO votes (at, chat_id, user_id, vote, question, status, citations) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (vote.at or time.time(), vote.chat_id, vote.user_id, 1 if vote.up else -1, vote.question,
                 vote.status, json.dumps(vote.citations)),
            )
        connection.close()

    def recent_down(self, limit: int = 20) -> list[Vote]:
        """The latest 👎 votes, newest first."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT chat_id, user_id, question, status, citations, at FROM votes WHERE vote = -1 "
                "ORDER BY at DESC, id DESC LIMIT ?", (limit,),
            ).fetchall()
        connection.close()
        return [Vote(chat, user, False, question, status, tuple(tuple(c) for c in json.loads(cited)), at)
                for chat, user, question, status, cited, at in rows]


def votes_json(votes: Sequence[Vote]) -> list[dict]:
    """Votes as JSON objects (`isnad feedback --json`)."""
    return [{**asdict(v), "citations": [{"article": a, "start": s, "end": e} for a, s, e in v.citations]} for v in votes]


def votes_text(votes: Sequence[Vote]) -> str:
    """One block per vote for the terminal."""
    blocks = []
    for v in votes:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(v.at))
        cited = ", ".join(f"{a}:{s}-{e}" for a, s, e in v.citations) or "-"
        blocks.append(f"{when}  👎  {v.status}  chat {v.chat_id}\n  {v.question}\n  cited: {cited}")
    return "\n".join(blocks) if blocks else "no 👎 votes yet"
