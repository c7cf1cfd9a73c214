"""When an article was published: asked of a report ("when was the cnbc report published?",
"ما تاريخ نشر تقرير العربي؟"), answered by its dateline, the line of page furniture that says it
("الخميس 19 Sep / September 2024"), which is otherwise never evidence."""

from __future__ import annotations

import re

from isnad.retrieval.arabic import normalise
from isnad.retrieval.corpus import dateline_spans
from isnad.retrieval.models import Article, Sentence

# Publishing asked about (Arabic نشر also means "deploy": "متى نشرت إيران أفرادا في القرم" is not about
# the article), so a word for the article must be there too.
_PUBLISHING = re.compile(
    normalise(r"\b(?:published|publish|publication|came out|come out)\b|(?:^|\s)(?:تاريخ|متى|امتى|إمتى|وقتاش|ايمتى)\s+(?:\S+\s+)?(?:نشر|صدر|صدور|نشره|نشرها)")
)
_THE_ARTICLE = re.compile(
    normalise(r"\b(?:article|report|piece|story|it|this|that)\b|(?:^|\s)[وفبل]?(?:ال)?(?:مقال|مقالة|تقرير|خبر|موضوع)(?:ها|ه)?(?:\s|$|[؟?،,])"),
)


def asks_when_published(question: str) -> bool:
    """Whether the question asks when an article was published."""
    text = normalise(question)
    return bool(_PUBLISHING.search(text)) and bool(_THE_ARTICLE.search(text))


def datelines(article: Article) -> list[Sentence]:
    """The article's datelines as unquotable sentences of its raw text."""
    raw = article.raw_text
    return [Sentence(article.article_id, start, end, raw[start:end], quotable=False) for start, end in dateline_spans(raw)]
