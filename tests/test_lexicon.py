"""The term map: corpus words embedded once, kept on disk, English words mapped to their nearest."""

from __future__ import annotations

from pathlib import Path

from isnad.retrieval.lexicon import TermLexicon, WordEmbeddings, vocabulary
from tests.conftest import CountingEmbedder

WORDS = {"الحرب", "النفط", "الجامعة", "الأكسجين", "مهندس", "نهر"}


def test_vocabulary_keeps_arabic_content_words_only() -> None:
    words = vocabulary(["قال الرئيس إن الحرب في عام 2023 كانت طويلة، وفي CNBC."])
    assert {"الرييس", "الحرب", "طويله"} <= words  # normalised forms
    assert not {"في", "ان", "2023", "cnbc", "قال"} & words


def test_sync_embeds_only_new_words_and_survives_a_reload(tmp_path: Path, core_embedder) -> None:  # noqa: ANN001
    counting = CountingEmbedder(core_embedder)
    lexicon = TermLexicon.empty().synced(WORDS, counting)
    assert counting.passages == len(WORDS)
    lexicon.save(tmp_path)
    reloaded = TermLexicon.load(tmp_path)
    assert set(reloaded.words) == WORDS
    grown = reloaded.synced(WORDS | {"مدينة"}, counting)
    assert counting.passages == len(WORDS) + 1
    assert set(grown.words) == WORDS | {"مدينة"}
    shrunk = grown.synced(WORDS, counting)
    assert set(shrunk.words) == WORDS and counting.passages == len(WORDS) + 1
    assert reloaded.synced(WORDS, counting) is reloaded


def test_english_words_map_to_their_arabic_counterparts(core_embedder) -> None:  # noqa: ANN001
    lexicon = TermLexicon.empty().synced(WORDS, core_embedder)
    vectors = WordEmbeddings(core_embedder)(["war", "oil", "river", "engineer"])
    nearest = [found[0][0] for found in lexicon.nearest(vectors, 1, 0.0)]
    assert nearest == ["الحرب", "النفط", "نهر", "مهندس"]


def test_a_missing_lexicon_loads_empty_and_maps_nothing(tmp_path: Path, core_embedder) -> None:  # noqa: ANN001
    lexicon = TermLexicon.load(tmp_path)
    assert lexicon.words == []
    assert lexicon.nearest(WordEmbeddings(core_embedder)(["war"]), 3, 0.0) == [[]]


def test_forms_of_one_stem_are_one_word_and_a_held_stem_is_never_embedded_again(core_embedder) -> None:  # noqa: ANN001
    assert vocabulary(["المسيرات والمسيرات المسيرات بالمسيرات مسيرات"]) == {"المسيرات"}  # the most frequent form
    counting = CountingEmbedder(core_embedder)
    lexicon = TermLexicon.empty().synced({"المسيرات", "النفط"}, counting)
    # the article that made "المسيرات" the most frequent form is gone; another form remains
    kept = lexicon.synced({"مسيرات"}, counting)
    assert kept.words == ["المسيرات"] and counting.passages == 2
