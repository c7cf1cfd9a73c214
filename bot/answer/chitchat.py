"""Greetings, thanks and small talk: a short friendly reply, not a search and not a refusal."""

from __future__ import annotations

import re

from isnad.retrieval.arabic import normalise

# Whole messages only (after normalisation, without punctuation or emoji): a question that merely
# starts with "hi" is still a question.
_THANKS = re.compile(
    r"^(?:thanks?(?: you)?(?: so much| a lot)?|thx|ty|cheers|great|perfect|ok(?:ay)?|cool|nice|got it"
    r"|شكرا(?: جزيلا| لك| كتير| كثير)?|مشكور|تسلم|يعطيك العافيه|جزاك الله خيرا|تمام|ممتاز|حلو|اوكي|طيب)$"
)
_GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|yo|good (?:morning|evening|afternoon)|how are you|who are you|what can you do|help"
    r"|مرحبا|اهلا|اهلين|هلا|هاي|السلام عليكم|سلام|صباح الخير|مساء الخير|كيفك|كيف حالك|شلونك|ازيك|عامل ايه"
    r"|مين انت|من انت|شو بتعمل|ماذا تفعل)(?: (?:there|bot|isnad|يا بوت|يا اسناد))?$"
)
_NOISE = re.compile(r"[^\w\s]|_")


def _bare(text: str) -> str:
    return " ".join(_NOISE.sub(" ", normalise(text)).split())


def is_small_talk(text: str) -> bool:
    """A greeting, thanks or acknowledgement with no question in it."""
    bare = _bare(text)
    return bool(bare) and bool(_THANKS.match(bare) or _GREETING.match(bare))


def reply_key(text: str) -> str:
    """The message key of the friendly reply."""
    return "thanks" if _THANKS.match(_bare(text)) else "greeting"
