"""Evidence selection rules that do not need a model: multi-source questions, count questions."""

from __future__ import annotations

import pytest

from bot import evidence
from retrieval.models import Sentence
from retrieval.search import Candidate


def _scored(article: str, start: int, score: float) -> evidence.Scored:
    sentence = Sentence(article, start, start + 10, "x" * 10)
    return evidence.Scored(Candidate(sentence, score), coverage=1.0, specific=True, score=score)


RANKED = [_scored("a", 0, 0.95), _scored("a", 50, 0.90), _scored("b", 0, 0.85), _scored("c", 0, 0.84)]


def test_a_distant_other_article_is_left_out_by_default() -> None:
    assert [(s.sentence.article_id, s.sentence.start) for s in evidence.select(RANKED, 3)] == [("a", 0)]


def test_a_multi_source_question_gets_the_second_article_too() -> None:
    chosen = evidence.select(RANKED, 3, multi_source=True)
    assert [s.sentence.article_id for s in chosen] == ["a", "b"]


@pytest.mark.parametrize(
    ("question", "multi"),
    [
        ("Patrushev's trip is covered in two articles. How did each describe it?", True),
        ("What do both reports say about the treaty?", True),
        ("يذكر مقالان اتصالاً هاتفياً. في أي يوم جرى الاتصال في كل منهما؟", True),
        ("Which summit did Putin skip?", False),
        ("ما الطائرات التي أعلنت وزارة الدفاع الروسية عن صفقة لتزويد إيران بها؟", False),
    ],
)
def test_multi_source_cues(question: str, multi: bool) -> None:
    assert bool(evidence._MULTI_SOURCE.search(question)) is multi


def test_a_count_question_needs_a_number_it_did_not_already_contain() -> None:
    terms = evidence.QuestionTerms("en", {}, (), frozenset({"35"}), wants_count=True)
    with_model_numbers = Sentence("a", 0, 60, "صفقة لتزويد إيران بطائرات سوخوي 35 ومروحيات MI-8 منذ 2019")
    with_count = Sentence("a", 0, 40, "أطلقت روسيا أكثر من 300 طائرة مسيرة")
    assert not evidence._has_new_number(with_model_numbers, terms)
    assert evidence._has_new_number(with_count, terms)


def test_the_count_must_be_in_the_best_sentence() -> None:
    terms = evidence.QuestionTerms("ar", {"x": 1.0}, (), frozenset(), wants_count=True)

    def scored(text: str) -> evidence.Scored:
        sentence = Sentence("a", 0, len(text), text)
        return evidence.Scored(Candidate(sentence, 0.9), coverage=1.0, specific=True, score=0.9)

    no_count = scored("بناء مفاعلات نووية جديدة لإيران")
    other_count = scored("أطلقت روسيا أكثر من 300 طائرة مسيرة")
    assert not evidence.answerable([no_count, other_count], terms)
    assert evidence.answerable([other_count, no_count], terms)


def test_loanwords_make_evidence_specific_but_do_not_count_as_names() -> None:
    window = "ووصف أوزجيليك العلاقة بأنها تحالف مصالح تكتيكي تحركه المصالح"
    tactical = evidence.Anchor("tactical", "TKTKL", 3.0)
    weather = evidence.Anchor("weather", "TR", 3.0)
    assert evidence._found([tactical, weather], window) == [tactical]
