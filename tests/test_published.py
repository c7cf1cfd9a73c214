"""When an article was published: asked of a report, answered by its dateline and nothing else."""

from __future__ import annotations

import pytest

from isnad.bot.answer import published
from isnad.bot.answer.answering import Answerer
from isnad.retrieval.models import Article


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ('ما تاريخ نشر تقرير "العربي" عن اتصال بوتين برئيسي؟', True),
        ("متى نُشر التقرير؟", True),
        ("امتى نشروا المقال ده؟", True),
        ("when was the cnbc report published?", True),
        ("what date was the article published", True),
        ("when was it published", True),
        ("متى نشرت إيران أفرادا في القرم؟", False),  # نشر as "deployed": no article asked about
        ("when did the new york times publish the ukrainian statement", False),  # a statement, not the article
        ("when was the treaty signed", False),
    ],
)
def test_what_asks_when_an_article_was_published(question: str, asks: bool) -> None:
    assert published.asks_when_published(question) is asks


def test_an_articles_datelines_are_its_lines_that_only_date_it() -> None:
    raw = "العنوان\n\n الخميس 19 Sep / September 2024 \n\nوقال بوتين في 19 سبتمبر 2024 إن التعاون مستمر.\n"
    (dateline,) = published.datelines(Article("a", "a.txt", raw, "0"))
    assert dateline.text == "الخميس 19 Sep / September 2024" == raw[dateline.start : dateline.end]
    assert not dateline.quotable
    assert not published.datelines(Article("b", "b.txt", "وقال بوتين في 19 سبتمبر 2024 إن التعاون مستمر.\n", "0"))


def test_the_report_a_question_names_is_dated_by_its_dateline(core_answerer: Answerer) -> None:
    """The report العربي published carries a dateline; the question names it by its publisher or by
    its headline, in either language, and the dateline is the answer's only quote, verbatim."""
    for question in ('ما تاريخ نشر تقرير "العربي" عن اتصال بوتين برئيسي؟', "when was the report on putin phoning raisi published"):
        answer = core_answerer.answer(question)
        assert answer.answered and answer.status == "answered"
        (citation,) = answer.citations
        raw = core_answerer.article_text(citation.article_id)
        assert citation.publisher == "العربي" and raw[citation.start : citation.end] == citation.quote
        assert published.datelines(core_answerer.retrieve(question, answer.language)[2].articles[citation.article_id].article)


def test_a_report_without_a_dateline_is_answered_as_any_question(core_answerer: Answerer) -> None:
    """The CNBC report carries no dateline: the question goes through the decision, and no line of
    page furniture is quoted."""
    question = "when was the cnbc report published?"
    assert published.asks_when_published(question)
    answer = core_answerer.answer(question)
    view = core_answerer.retrieve(question, "en")[2]
    furniture = {(d.article_id, d.start) for a in view.articles.values() for d in published.datelines(a.article)}
    assert not {(c.article_id, c.start) for c in answer.citations} & furniture
