"""The sentence-transformers embedder, with a tiny BERT built locally (nothing downloaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from isnad.bot.answer.answering import Answerer
from isnad.retrieval.embedders import SentenceTransformerEmbedder, load_embedder
from isnad.retrieval.store import EmbedderMismatch, VectorStore
from tests.conftest import SEEDS, core_make_settings, core_seed_texts


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-layer BERT with a WordPiece vocabulary trained on the seeds, saved as a ST model."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers import models as st_models
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny-st")
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer.train_from_iterator(core_seed_texts().values(), trainers.WordPieceTrainer(vocab_size=1500, special_tokens=specials))
    fast = BertTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                             sep_token="[SEP]", mask_token="[MASK]")
    config = BertConfig(vocab_size=fast.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512)
    BertModel(config).save_pretrained(root / "bert")
    fast.save_pretrained(root / "bert")
    word = st_models.Transformer(str(root / "bert"), max_seq_length=256)
    SentenceTransformer(modules=[word, st_models.Pooling(word.get_embedding_dimension())]).save(str(root / "st"))
    return root / "st"


def test_local_sentence_transformers_model_builds_and_answers(tiny_model: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = core_make_settings(tmp_path, embedding={"provider": "sentence-transformers", "model": str(tiny_model)})
    embedder = load_embedder(settings.embedding)
    assert isinstance(embedder, SentenceTransformerEmbedder) and str(tiny_model) in embedder.name
    vectors = embedder.embed_passages(["روسيا وإيران", "Russia and Iran"])
    assert vectors.shape == (2, 32)
    assert abs(float((vectors**2).sum(axis=1)[0]) - 1.0) < 1e-4
    answerer = Answerer(settings, embedder=embedder)
    report = answerer.reindex(SEEDS)
    assert len(report.added) == 5
    answer = answerer.answer("من هو نظير نيكولاي باتروشيف الإيراني؟")
    for citation in answer.citations:
        assert answerer.article_text(citation.article_id)[citation.start : citation.end] == citation.quote


def test_a_store_built_by_another_embedder_is_refused(tiny_model: Path, core_seed_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = core_make_settings(core_seed_dir, embedding={"provider": "sentence-transformers", "model": str(tiny_model)})
    with pytest.raises(EmbedderMismatch, match="re-index"):
        VectorStore(settings.chroma, core_seed_dir, load_embedder(settings.embedding))
