"""Cross-validated figures of the answer decision, to judge a change to its features.

    python3 bench/decision_cv.py [--folds 4] [--work DIR] [--limit-articles N]

The held-out split of tests/data/xquad/splits.json is one draw of about 200 questions a language:
two versions of the decision measured on it differ by a point or two by chance alone. Here the
XQuAD dev articles are cut into `--folds` folds; the decision is fitted `--folds` times, each
time on all but one fold (and on the seed questions' dev items, as the real fit is), and the
left-out fold is scored. Printed per language, pooled over the folds: the share of answerable
questions with the answer in a claimed reply, at the thresholds that decline 0.86 / 0.87 / 0.88
of the left-out near misses (matched declines, so two versions compare at equal safety); and at
the fitted thresholds themselves, the near misses declined and the evidence claimed (how well
the fit's operating point, TARGET_DECLINED, holds on articles it never saw).

It indexes what `python -m isnad.bot.answer.fitting` indexes (~1 min with a warm `--work`
folder, ~10 min cold) and writes nothing else; bot/answer/decision.json is left alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from isnad.bot.answer import fitting  # noqa: E402
from isnad.bot.answer.eval_sets import SPLITS_FILE  # noqa: E402
from isnad.settings import load_settings  # noqa: E402

DECLINES = (0.86, 0.87, 0.88)


def with_fold_held_out(observed: Sequence[fitting.Observed], fold_of: dict[str, int], held_out: int) -> list[fitting.Observed]:
    """The observations with fold `held_out` as the held-out split and the other folds as the
    fit split; seed questions (no fold) keep their own split."""
    out = []
    for o in observed:
        fold = fold_of.get(o.item.id)
        if fold is not None:
            o = replace(o, item=replace(o.item, split="heldout" if fold == held_out else "fit"))
        out.append(o)
    return out


def _pooled(folds: Sequence[tuple[float, float]]) -> float:
    """The share over all the folds' questions, from each fold's (share, questions)."""
    shares, questions = zip(*folds, strict=True)
    return float(np.average(shares, weights=questions))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--work", type=Path, default=None, help="folder for the indexes (reused between runs)")
    parser.add_argument("--limit-articles", type=int, default=None, help="only the first N XQuAD articles")
    args = parser.parse_args(argv)
    settings = load_settings()
    work = args.work or Path(tempfile.mkdtemp(prefix="isnad-cv-"))
    golden = [fitting.DATA / name for name in fitting.GOLDEN_FILES]
    observed = fitting.collect(settings, work, fitting.XQUAD, golden, args.limit_articles)
    splits = json.loads((fitting.XQUAD / SPLITS_FILE).read_text(encoding="utf-8"))
    fold_of = fitting.article_folds(observed, args.folds, [*splits["fit"], *splits["heldout"]])
    limit = settings.search.max_citations
    pooled: dict[str, dict[float, list[bool]]] = {lang: {d: [] for d in DECLINES} for lang in fitting.LANGUAGES}
    at_fit: dict[str, dict[str, list[tuple[float, float]]]] = {  # (share, questions) a fold
        lang: {"near_miss_declined": [], "evidence": []} for lang in fitting.LANGUAGES
    }
    for held_out in range(args.folds):
        split = with_fold_held_out(observed, fold_of, held_out)
        params = fitting.fit(split, limit, "bench/decision_cv.py", [])
        scored = [o for o in split if o.item.split == "heldout" and o.item.id in fold_of]
        for lang, found in fitting.evidence_at_declines(params, scored, limit, DECLINES).items():
            for decline, hits in found.items():
                pooled[lang][decline] += hits
        for lang, measured in fitting.figures(params, scored, limit).items():
            for name, folds in at_fit[lang].items():
                folds.append((measured[name], measured[f"n_{name}"]))
    print(f"{args.folds}-fold cross-validation over XQuAD dev articles: evidence, claimed, at matched near-miss declines")
    for lang, found in pooled.items():
        figures = "  ".join(f"{d}: {np.mean(hits):.3f}" for d, hits in found.items())
        print(f"  {lang}  {figures}  (n={len(found[DECLINES[0]])})")
    print(f"at the fitted thresholds (TARGET_DECLINED {fitting.TARGET_DECLINED}):")
    for lang, shares in at_fit.items():
        declined, evidence = (_pooled(shares[name]) for name in ("near_miss_declined", "evidence"))
        print(f"  {lang}  near misses declined {declined:.3f}, evidence {evidence:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
