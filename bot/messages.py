"""Every user-facing sentence, in Arabic and English."""

from __future__ import annotations

from retrieval.models import Language

_TEXTS: dict[str, dict[Language, str]] = {
    "not_found": {
        "ar": "لا تذكر المصادر المتاحة إجابة عن هذا السؤال.",
        "en": "The sources don't say: none of the indexed articles answers this question.",
    },
    "extractive_intro": {
        "ar": "هذا ما تقوله المصادر:",
        "en": "The articles (in Arabic) say the following:",
    },
    "search_unavailable": {
        "ar": "البحث غير متاح الآن، يرجى المحاولة بعد قليل.",
        "en": "Search is unavailable right now; please try again shortly.",
    },
    "empty_question": {
        "ar": "يرجى كتابة سؤال عن المقالات.",
        "en": "Please type a question about the articles.",
    },
    "too_long": {
        "ar": "السؤال طويل جداً (الحد الأقصى {limit} حرفاً). يرجى اختصاره.",
        "en": "That question is too long (at most {limit} characters). Please shorten it.",
    },
    "error": {
        "ar": "حدث خطأ أثناء إعداد الإجابة. يرجى المحاولة مرة أخرى.",
        "en": "Something went wrong while preparing the answer. Please try again.",
    },
    "llm_fallback": {
        "ar": "(تعذّر استخدام نموذج اللغة؛ هذه إجابة مقتبسة مباشرة من المصادر.)",
        "en": "(The language model was unavailable; this answer is quoted directly from the sources.)",
    },
    "no_index": {
        "ar": "لا توجد مقالات مفهرسة بعد. شغّل: isnad ingest",
        "en": "No articles are indexed yet. Run: isnad ingest",
    },
}


def text(key: str, language: Language, **values: object) -> str:
    """The message `key` in `language`, with {placeholders} filled."""
    return _TEXTS[key][language].format(**values)
