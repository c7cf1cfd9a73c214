"""English questions' vectors moved toward the Arabic side of the embedding space.

multilingual-e5 keeps a text's language in its vector: an English question and its Arabic
translation differ by much the same vector whatever they ask (Libovický et al., 2020, "On the
language neutrality of pre-trained multilingual representations"). Adding the mean of those
differences (of parallel Arabic and English questions) to an English question's vector brings it
nearer to the Arabic sentences that answer it. The shift is fitted by `python -m
isnad.bot.answer.shift_fitting` (data and figures in its docstring) for one embedding model and
kept in language_shift.json beside this module; another model gets none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

SHIFT_FILE = Path(__file__).with_name("language_shift.json")
DECIMALS = 6  # the saved vectors' precision


@dataclass(frozen=True)
class LanguageShift:
    """Per language, the vector added to its questions' vectors."""

    embedder: str = ""
    question: Mapping[str, np.ndarray] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, embedder: str, path: Path = SHIFT_FILE) -> LanguageShift:
        """The saved shifts when `embedder` made them, else none."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if raw.get("embedder") != embedder:
            return cls()
        question = {language: np.asarray(v, dtype=np.float32) for language, v in raw.get("question", {}).items()}
        return cls(embedder, question, raw.get("provenance", {}))

    def save(self, path: Path = SHIFT_FILE) -> None:
        raw = {
            "embedder": self.embedder,
            "question": {language: [round(float(x), DECIMALS) for x in v] for language, v in self.question.items()},
            "provenance": dict(self.provenance),
        }
        path.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def mean_difference(targets: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """The mean of target - source over paired rows: what moves a source vector toward its target."""
    return np.asarray((targets - sources).mean(axis=0), dtype=np.float32)


def moved(vectors: np.ndarray, shift: np.ndarray | None) -> np.ndarray:
    """Unit vectors (a row or a matrix of rows) plus `shift`, normalised again; unchanged without one."""
    if shift is None or not vectors.size:
        return vectors
    shifted = vectors + shift
    return np.asarray(shifted / np.linalg.norm(shifted, axis=-1, keepdims=True), dtype=np.float32)


def cosine_gain(targets: np.ndarray, sources: np.ndarray, shift: np.ndarray) -> float:
    """Mean cosine of each source row with its target, after the shift minus before (unit rows)."""
    before = np.einsum("ij,ij->i", sources, targets)
    after = np.einsum("ij,ij->i", moved(sources, shift), targets)
    return float(np.mean(after - before))

