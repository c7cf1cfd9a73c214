"""Follow-up questions: one that leans on the previous turn is read together with it.

"ومتى وقعت؟" after "ما مدة الشراكة الاستراتيجية بين روسيا وإيران؟" asks about the partnership; "and who
else?" means nothing alone. With a language model configured, the model rewrites it as a question
that stands alone (used for search, shown nowhere; a rewrite that is not one line in the
follow-up's language is ignored). Offline, such a question is resolved by appending the previous
(resolved) question, so search and the decision see its key terms. It is answered from the articles
the previous reply cited: the sentences around its quotes are always candidates (but not a quote
lacking the date, number or name the follow-up asks for) and hold the previous question's terms as
the conversation's topic (`question.on_topic`); a photo asked about stays the subject. A question
saying "at that time" or "وقتها" leans on the previous turn whatever else it says. The reply keeps
the new question's language and the kind of answer it asks for; one asking for more ("what else?",
"وغير هيك؟") is not answered with the sentence the last reply quoted first. A
self-contained question ignores the context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from isnad.bot.answer.prompting import MAX_CONDENSED_CHARS
from isnad.bot.answer.types import Answer
from isnad.retrieval.arabic import detect_language, is_function_word, normalise, without_pronoun
from isnad.retrieval.models import Language

# Openings that continue a conversation: "and when…", "what about…", "ومتى…", "طيب وين…", "وشو عن…".
_CONTINUES = re.compile(
    normalise(
        r"^(?:and|also|so|then|but|or|what about|how about|who else|what else|where else|anything else|same for|and the)\b"
        r"|^[وف](?:متى|امتى|إمتى|اين|أين|وين|فين|من|مين|منو|كم|كام|كيف|ازاي|شلون|ماذا|شو|ايش|شنو|هل|لماذا|ليش|ليه|ما|ماذا|لمن|اي|أي)(?:\s|$|[؟?])"
        r"|^(?:طيب|طب|ماذا عن|وماذا عن|وماذا|وما|وكذلك|و?شو عن|و?ايش عن|و?شنو عن|و?ايه عن|ومن غير|ومين كمان|وبعدين)(?:\s|$|[؟?])"
    ),
    re.IGNORECASE,
)
# Words that point back at something named before.
_POINTS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|he|him|his|she|her|there|that|this|these|those|the deal)\b"  # "the same": _REFERS_BACK
    r"|(?:^|\s)(?:هو|هي|هم|هذا|هذه|ذلك|تلك|هناك|دي|ده|هاد|هاي)(?:\s|$|[؟?])",
    re.IGNORECASE,
)
# Phrases that only make sense after something said before, however many terms of its own the
# question has: "which official arrived in tehran at that time?", "since when has moscow built ties like that?".
_REFERS_BACK = re.compile(
    normalise(
        r"\b(?:at that time|at the time(?! of)|by then|back then|that day|the same day|that year|like that|like this|such (?:ties|deals?|talks)"
        r"|after that|before that|since then|the (?:same|above|latter|former))\b"
        r"|(?:^|\s)(?:في ذلك الوقت|في الوقت نفسه|في نفس الوقت|وقتها|وقتذاك|حينها|حينذاك|انذاك|آنذاك|ساعتها|يومها|بعدها|قبلها|بعد ذلك|قبل ذلك"
        r"|منذ ذلك الحين|زي كده|زي هيك|مثل ذلك|مثل هذا|مثل هذه|هكذا)(?:\s|$|[؟?،,])"
    ),
    re.IGNORECASE,
)
# A word that only acknowledges the last reply before the next question: "زين، وأي دولة…", "ok and when".
_ACKNOWLEDGES = re.compile(
    normalise(r"^(?:زين|تمام|اوكي|اوك|ماشي|حلو|طيب|طب|اها|شكرا|ok|okay|alright|cool|great|nice|thanks|thx|hmm+)\s*[,،.!]*\s+"),
    re.IGNORECASE,
)
# A fragment asking for more than the last reply said: "what else?", "anything more", "وغير هيك؟",
# "وتطرقوا لشو كمان؟". With terms of its own ("does russia also talk to the other parties") it asks
# something new, which the last reply may well have quoted. ("other", "أخرى" are left out: "the other
# sides", "أي مناطق أخرى" ask for what the same sentence may go on to say; "بعد" and "آخر" too: mostly
# "after" and "last".)
_ASKS_FOR_MORE = re.compile(
    normalise(
        r"\b(?:else|more|also|too|besides)\b"
        r"|(?:^|\s)[وف]?(?:كمان|أيضا|كذلك|برضه|برضو|غيره|غيرها|غيرهم)(?:\s|$|[؟?])"
        r"|(?:^|\s)[وف]?غير (?:هيك|ذلك|هذا|هاد|كده|كذا|هذول)(?:\s|$|[؟?])"
    ),
    re.IGNORECASE,
)
CitedSpan = tuple[str, int, int]  # (article id, start, end) of a quote
MAX_TERMS_OF_A_FRAGMENT = 2  # a question with this few key terms is a fragment when it points back
MAX_WORDS_OF_A_CONTINUATION = 7  # a short Arabic question opening with و/ف ("وايران قالت ايه؟") continues


@dataclass(frozen=True)
class Turn:
    """A previous question (as resolved, for a follow-up) and the spans its reply quoted."""

    question: str
    cited: tuple[CitedSpan, ...] = ()


def turn_of(answer: Answer) -> Turn:
    """What a conversation keeps of an answered question."""
    cited = tuple((c.article_id, c.start, c.end) for c in answer.citations)
    return Turn(answer.resolved_question or answer.question, cited)


@dataclass(frozen=True)
class Resolved:
    """A follow-up read with the previous turn: the text to search, the previous question, the
    spans its reply quoted and whether the follow-up asks for more than they said."""

    text: str
    previous: str
    cited: tuple[CitedSpan, ...]
    wants_more: bool = False


def _unacknowledged(question: str) -> str:
    """The normalised question without a word acknowledging the last reply ("ok and when" -> "and when")."""
    return _ACKNOWLEDGES.sub("", normalise(question.strip()))


def leans_on_previous(question: str, key_terms: int) -> bool:
    """Whether a question continues the previous turn rather than standing alone."""
    text = _unacknowledged(question)
    if _CONTINUES.search(text):
        return True
    first = text.split()[0] if text.split() else ""
    if re.match(r"^[وف][\u0621-\u064a]", first) and (
        len(text.split()) <= MAX_WORDS_OF_A_CONTINUATION or is_function_word(first[1:])  # "وبشأن أي مناطق أخرى…"
    ):
        return True
    if _REFERS_BACK.search(text):
        return True
    return key_terms == 0 or (key_terms <= MAX_TERMS_OF_A_FRAGMENT and (bool(_POINTS_BACK.search(text)) or _holds_attached_pronoun(text)))


def _holds_attached_pronoun(text: str) -> bool:
    """Whether a function word of the (normalised) question carries a pronoun that points back:
    "عنها" (about it), "بدالها" (instead of it), "فيه" (in it), as a word of its own would."""
    return any(is_function_word(word) and any(map(is_function_word, without_pronoun(word))) for word in re.findall(r"\w+", text))


def continues_nothing(question: str, key_terms: int, previous: Sequence[Turn]) -> bool:
    """A fragment that opens as a continuation ("and when did that happen?", "what about iran?")
    asked with no previous turn: nothing says what it continues, so nothing answers it."""
    text = _unacknowledged(question)
    return not previous and key_terms <= MAX_TERMS_OF_A_FRAGMENT and bool(_CONTINUES.search(text))


def resolve(question: str, key_terms: int, previous: Sequence[Turn]) -> Resolved | None:
    """The question read with the last turn (its resolved question and what its reply quoted),
    or None if it stands alone."""
    if not previous or not leans_on_previous(question, key_terms):
        return None
    last = previous[-1]
    wants_more = key_terms <= MAX_TERMS_OF_A_FRAGMENT and bool(_ASKS_FOR_MORE.search(normalise(question)))
    return Resolved(f"{question.strip()} — {last.question.strip()}", last.question.strip(), last.cited, wants_more)


def usable_condensation(text: str, language: Language) -> bool:
    """A model's rewrite of a follow-up is used only if it is one short line in the follow-up's language."""
    return bool(text) and "\n" not in text and len(text) <= MAX_CONDENSED_CHARS and detect_language(text) == language
