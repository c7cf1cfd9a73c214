"""Write a synthetic corpus of N articles recombined from the seed articles' sentences.

    python bench/make_corpus.py 500 /tmp/corpus-500 [--seed 7]

Each article gets a distinct id and distinct content: a headline line, then 12-28 sentences drawn
(deterministically, from `--seed`) from the seeds' quotable sentences, in paragraphs of 1-3
sentences, with the seeds' page furniture sprinkled in. Sentences repeat across articles (there
are only ~120 distinct ones), chunks mostly do not.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from isnad.retrieval.chunking import split_sentences  # noqa: E402
from isnad.retrieval.corpus import content_lines  # noqa: E402

FURNITURE = ["زر الذهاب إلى الأعلى", "شارك القصة", "تابع القراءة", "سيرجي عليموف | لحظة | صور جيتي"]


def seed_sentences(seeds: Path) -> tuple[list[str], list[str]]:
    """(quotable sentences, headings/short lines) of the seed articles."""
    quotable, headings = [], []
    for path in sorted(seeds.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        for s in split_sentences(path.stem, raw, content_lines(raw)):
            (quotable if s.quotable else headings).append(s.text)
    return list(dict.fromkeys(quotable)), list(dict.fromkeys(headings))


def make_articles(count: int, seed: int, seeds: Path = REPO / "seeds") -> dict[str, str]:
    """Article id -> text, `count` articles with pairwise distinct texts."""
    rng = random.Random(seed)
    quotable, headings = seed_sentences(seeds)
    articles: dict[str, str] = {}
    seen: set[str] = set()
    while len(articles) < count:
        picked = rng.sample(quotable, rng.randint(12, 28))
        paragraphs, i = [], 0
        while i < len(picked):
            step = rng.randint(1, 3)
            paragraphs.append(" ".join(picked[i : i + step]))
            i += step
            if rng.random() < 0.1:
                paragraphs.append(rng.choice(FURNITURE))
        text = rng.choice(headings) + "\n\n" + "\n\n".join(paragraphs) + "\n"
        if text in seen:
            continue
        seen.add(text)
        articles[f"synth_{len(articles):05d}_{seed}"] = text
    return articles


def write_corpus(count: int, folder: Path, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article_id, text in make_articles(count, seed).items():
        path = folder / f"{article_id}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_corpus(args.count, args.folder, args.seed)
    print(f"wrote {len(paths)} articles to {args.folder}")


if __name__ == "__main__":
    main()
