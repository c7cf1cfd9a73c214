"""Answer generators: turn chosen evidence into answer text with [n] markers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot import messages
from retrieval.models import Language


@dataclass(frozen=True)
class Evidence:
    """One numbered, verified quote offered to a generator."""

    n: int
    quote: str
    title: str


class ExtractiveGenerator:
    """No model: the answer is the verified quotes themselves, each with its marker."""

    name = "extractive"

    def generate(self, question: str, language: Language, evidence: Sequence[Evidence]) -> str:
        lines = [messages.text("extractive_intro", language)]
        lines += [f"«{item.quote}» [{item.n}]" for item in evidence]
        return "\n".join(lines)
