"""Faster ingest must not change what is indexed: embedding sentences and corpus words in large
batches (several articles per call) gives the same vectors as embedding them a few at a time."""

from __future__ import annotations

import numpy as np

from isnad.retrieval.corpus import read_article
from isnad.retrieval.ingest import CachedEmbedder
from isnad.retrieval.lexicon import TermLexicon, vocabulary
from isnad.retrieval.search import index_article
from tests.conftest import SEEDS


def test_large_batches_give_the_same_vectors(core_embedder) -> None:  # noqa: ANN001
    articles = [read_article(p, SEEDS) for p in sorted(SEEDS.glob("*.txt"))]
    sentences = [s.text for a in articles for s in index_article(a, 450).sentences]
    one_call = CachedEmbedder(core_embedder, batch_size=256).embed(sentences)
    a_few = CachedEmbedder(core_embedder, batch_size=4).embed(sentences)
    assert len(sentences) > 100 and one_call.shape == a_few.shape
    np.testing.assert_allclose(one_call, a_few, atol=1e-5)

    words = set(sorted(vocabulary(a.raw_text for a in articles))[:300])
    large = TermLexicon.empty().synced(words, core_embedder)
    small = TermLexicon.empty().synced(words, core_embedder, batch_size=16)
    assert large.words == small.words
    np.testing.assert_allclose(large.vectors, small.vectors, atol=1e-5)
