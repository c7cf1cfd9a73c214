"""bench/decision_cv.py: the folds it scores on."""

from __future__ import annotations

import numpy as np

from bench.decision_cv import with_fold_held_out
from isnad.bot.answer import fitting


def _observed(item_id: str, kind: str, article: str | None, split: str = "fit") -> fitting.Observed:
    spans = [(article, 0, 5)] if article else []
    item = fitting.Item(item_id, "ar", "?", kind, split, spans)
    return fitting.Observed(item, None, [], np.zeros((0, 0)), np.zeros(0), {})


def test_each_xquad_article_is_held_out_in_exactly_one_fold_and_seed_questions_keep_their_split() -> None:
    observed = [
        _observed("1", "answerable", "xq_a"), _observed("1", "near_miss", None), _observed("2", "answerable", "xq_b"),
        _observed("3", "answerable", "xq_c"), _observed("4", "off_corpus", None),
        _observed("chat-1", "answerable", "000_seed", "heldout"), _observed("chat-2", "unanswerable", None, "fit"),
    ]
    fold_of = fitting.article_folds(observed, 2, ["xq_a", "xq_b", "xq_c"])
    held = [[o for o in with_fold_held_out(observed, fold_of, k) if o.item.split == "heldout"] for k in (0, 1)]
    ids = [{o.item.id for o in h} for h in held]
    assert ids[0] & ids[1] == {"chat-1"}  # a seed question keeps its own split in every fold
    assert (ids[0] | ids[1]) >= {"1", "2", "3", "4"}  # every XQuAD question is held out once
    assert {"1", "3"} <= ids[0] and "2" in ids[1]  # xq_a and xq_c share fold 0
    assert sum(o.item.kind == "near_miss" for o in held[0]) == 1  # a near miss goes with its question's article
    assert "chat-1" not in fold_of and "chat-2" not in fold_of


def test_another_way_of_dealing_the_articles_keeps_each_article_whole_in_one_fold() -> None:
    """decline_level pools several ways of dealing articles into folds: each is a partition of the
    articles (an article's questions stay together), and they differ from one another."""
    articles = [f"xq_{i:02d}" for i in range(12)]
    observed = [_observed(f"{a}-{k}", "answerable", a) for a in articles for k in range(2)]
    ways = [fitting.article_folds(observed, 4, shuffle=seed) for seed in range(3)]
    for fold_of in ways:
        by_article = {a: {fold_of[f"{a}-{k}"] for k in range(2)} for a in articles}
        assert all(len(folds) == 1 for folds in by_article.values())
        assert sorted(sum(fold_of[f"{a}-0"] == f for a in articles) for f in range(4)) == [3, 3, 3, 3]
    assert ways[0] != ways[1] != ways[2]
