"""Every user-facing sentence, in Arabic and English."""

from __future__ import annotations

from isnad.retrieval.models import Language

_TEXTS: dict[str, dict[Language, str]] = {
    "not_found": {
        "ar": "لا تذكر المصادر المتاحة إجابة عن هذا السؤال.",
        "en": "The sources don't say: none of the indexed articles answers this question.",
    },
    "coverage_hint": {
        "ar": "المقالات المفهرسة تتناول مثلاً: {titles}",
        "en": "The indexed articles cover, for example: {titles}",
    },
    "greeting": {
        "ar": "أهلاً بك! اسألني عن المقالات المفهرسة، مثلاً: {example}",
        "en": "Hello! Ask me about the indexed articles, for example: {example}",
    },
    "thanks": {
        "ar": "على الرحب والسعة! هل لديك سؤال آخر عن المقالات؟",
        "en": "You're welcome! Anything else you'd like to know from the articles?",
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
    "translation_label": {
        "ar": "ترجمة آلية:",
        "en": "Machine translation, not a quote:",
    },
    "no_index": {
        "ar": "لا توجد مقالات مفهرسة بعد. شغّل: isnad ingest",
        "en": "No articles are indexed yet. Run: isnad ingest",
    },
    # -- Telegram bot ------------------------------------------------------------------------
    "bot_intro": {
        "ar": "مرحباً! أنا «إسناد»: أجيب عن الأسئلة من مقالات إخبارية مفهرسة، وأقتبس نصوصها حرفياً مع ذكر مصدر كل اقتباس.",
        "en": "Hello! I'm Isnad: I answer questions from a set of indexed news articles, quoting them word for word and citing every source.",
    },
    "how_to_ask": {
        "ar": "اكتب سؤالك بالعربية أو بالإنجليزية.\nفي المجموعات: اذكرني (@{username}) أو ردّ على إحدى رسائلي أو اكتب /ask ثم سؤالك.\nاضغط زر المقال تحت الإجابة لقراءة الفقرة كاملة.",
        "en": "Type your question in Arabic or English.\nIn groups: mention me (@{username}), reply to one of my messages, or write /ask followed by your question.\nTap an article's button under an answer to read the whole passage.",
    },
    "help": {
        "ar": "الأوامر:\n/ask سؤالك — اطرح سؤالاً (في المجموعات)\n/sources — المقالات المفهرسة\n/lang ar|en|auto — لغة ردودي\n/new — محادثة جديدة (أنسى الأسئلة السابقة)\n/help — هذه المساعدة\n/reindex — تحديث الفهرس (للمشرفين)",
        "en": "Commands:\n/ask your question — ask (in groups)\n/sources — the indexed articles\n/lang ar|en|auto — the language of my replies\n/new — a new conversation (earlier questions are forgotten)\n/help — this help\n/reindex — refresh the index (admins)",
    },
    "help_examples": {
        "ar": "أمثلة على الأسئلة:",
        "en": "Example questions:",
    },
    "example_question": {
        "ar": "ماذا تقول المقالات عن «{title}»؟",
        "en": "What do the articles say about “{title}”?",
    },
    "help_groups": {
        "ar": "في المجموعات: اكتب /ask ثم سؤالك، أو اذكرني (@{username}). وفي أي محادثة: اكتب @{username} ثم سؤالك لإرسال الإجابة فيها.",
        "en": "In groups: write /ask followed by your question, or mention me (@{username}). In any chat: type @{username} and your question to share the answer there.",
    },
    "command_start": {"ar": "التعريف بالبوت والمقالات", "en": "What this bot does, and its articles"},
    "command_help": {"ar": "الأوامر وأمثلة على الأسئلة", "en": "Commands and example questions"},
    "command_ask": {"ar": "اطرح سؤالاً (في المجموعات)", "en": "Ask a question (in groups)"},
    "command_sources": {"ar": "المقالات المفهرسة", "en": "The indexed articles"},
    "command_lang": {"ar": "لغة الردود: ar أو en أو auto", "en": "Reply language: ar, en or auto"},
    "command_new": {"ar": "محادثة جديدة", "en": "Start a new conversation"},
    "sources_header": {
        "ar": "المقالات المفهرسة ({count}):",
        "en": "Indexed articles ({count}):",
    },
    "no_sources": {
        "ar": "لا توجد مقالات مفهرسة بعد.",
        "en": "No articles are indexed yet.",
    },
    "lang_set": {
        "ar": "سأكتب ردودي بالعربية.",
        "en": "I'll write my replies in English.",
    },
    "lang_auto": {
        "ar": "سأتبع لغة تيليجرام لديك ولغة أسئلتك.",
        "en": "I'll follow your Telegram language and the language of your questions.",
    },
    "lang_usage": {
        "ar": "الاستخدام: /lang ar أو /lang en أو /lang auto",
        "en": "Usage: /lang ar, /lang en or /lang auto",
    },
    "not_allowed": {
        "ar": "عذراً، هذا البوت خاص. (معرّفك: {user_id})",
        "en": "Sorry, this bot is private. (Your id: {user_id})",
    },
    "admins_only": {
        "ar": "هذا الأمر للمشرفين فقط.",
        "en": "Only administrators can do that.",
    },
    "reindex_started": {
        "ar": "جارٍ تحديث الفهرس… سأواصل الإجابة في أثناء ذلك.",
        "en": "Refreshing the index… I'll keep answering meanwhile.",
    },
    "reindex_done": {
        "ar": "تم تحديث الفهرس: أضيف {added}، وحُدّث {updated}، وحُذف {removed}، ولم يتغير {unchanged}.",
        "en": "Index refreshed: {added} added, {updated} updated, {removed} removed, {unchanged} unchanged.",
    },
    "reindex_busy": {
        "ar": "تحديث الفهرس جارٍ بالفعل.",
        "en": "The index is already being refreshed.",
    },
    "reindex_failed": {
        "ar": "تعذّر تحديث الفهرس. راجع سجلات البوت.",
        "en": "Refreshing the index failed. Please check the bot's logs.",
    },
    "non_text": {
        "ar": "لا أقرأ إلا الأسئلة المكتوبة. يرجى كتابة سؤالك نصاً.",
        "en": "I can only read text questions. Please type your question.",
    },
    "slow_down": {
        "ar": "تمهّل قليلاً من فضلك: الحد {limit} أسئلة في الدقيقة.",
        "en": "Please slow down a little: at most {limit} questions a minute.",
    },
    "expired": {
        "ar": "انتهت صلاحية هذه الإجابة؛ يرجى طرح السؤال مجدداً.",
        "en": "This answer has expired; please ask again.",
    },
    "back": {
        "ar": "↩ رجوع إلى الإجابة",
        "en": "↩ Back to the answer",
    },
    "related_intro": {
        "ar": "لا يجيب أي مقال عن هذا مباشرة؛ هذه أقرب المقاطع (ليست إجابة):",
        "en": "No article answers this directly; the closest passages are (not an answer):",
    },
    "sources_hint": {
        "ar": "أرسل /sources لترى المقالات التي أجيب منها.",
        "en": "Send /sources to see which articles I answer from.",
    },
    "chitchat": {
        "ar": "أهلاً! اسألني عن المقالات الإخبارية المفهرسة؛ يعرض /help أمثلة على الأسئلة.",
        "en": "Hello! Ask me about the indexed news articles; /help shows example questions.",
    },
    "translation_hint": {
        "ar": "الاقتباسات بالعربية. للحصول على ترجمة آلية اضبط ISNAD_LLM_PROVIDER (انظر README).",
        "en": "The quotes are in Arabic. For machine translations, set ISNAD_LLM_PROVIDER (see the README).",
    },
    "draft": {
        "ar": "✍️ مسودة — لم يُتحقق منها بعد",
        "en": "✍️ draft — not yet checked",
    },
    "new_done": {
        "ar": "بدأنا محادثة جديدة: نسيت أسئلتك السابقة.",
        "en": "New conversation: I've forgotten your earlier questions.",
    },
    "new_button": {
        "ar": "🆕 موضوع جديد",
        "en": "🆕 New topic",
    },
    "vote_thanks": {
        "ar": "شكراً على ملاحظتك.",
        "en": "Thanks for the feedback.",
    },
    "link": {
        "ar": "الرابط",
        "en": "link",
    },
    "add_usage": {
        "ar": "أرسل /add ثم رابط المقال (http أو https)، أو أرسل الرابط وحده، أو ملف ‎.html‎ أو ‎.txt‎.",
        "en": "Send /add followed by the article's link (http or https), or just the link, or an .html or .txt file.",
    },
    "add_started": {
        "ar": "جارٍ إضافة المقال…",
        "en": "Adding the article…",
    },
    "add_admins_only": {
        "ar": "إضافة المقالات للمشرفين فقط. يمكنك طرح الأسئلة عن المقالات المفهرسة.",
        "en": "Only administrators can add articles. You can ask questions about the indexed ones.",
    },
    "add_done": {
        "ar": "أضيف المقال: {title}",
        "en": "Article added: {title}",
    },
    "add_duplicate": {
        "ar": "هذا المقال مفهرس من قبل: {title}",
        "en": "This article is already indexed: {title}",
    },
    "add_failed": {
        "ar": "تعذرت إضافة {source}: {problem}",
        "en": "Could not add {source}: {problem}",
    },
    "add_too_large": {
        "ar": "الملف كبير جداً (الحد {limit} بايت).",
        "en": "The file is too large (limit {limit} bytes).",
    },
    "subscribed": {
        "ar": "اشتركت: سأرسل هنا إشعاراً قصيراً عند فهرسة مقالات جديدة. لإلغاء الاشتراك: /unsubscribe",
        "en": "Subscribed: I'll post a short notice here when new articles are indexed. To stop: /unsubscribe",
    },
    "unsubscribed": {
        "ar": "ألغيت الاشتراك: لن تصلك إشعارات المقالات الجديدة.",
        "en": "Unsubscribed: no more notices of new articles.",
    },
    "new_article": {
        "ar": "📰 مقال جديد: {title}",
        "en": "📰 New article: {title}",
    },
    "command_subscribe": {"ar": "إشعار عند فهرسة مقالات جديدة", "en": "Get a notice when new articles are indexed"},
    "command_unsubscribe": {"ar": "إيقاف إشعارات المقالات الجديدة", "en": "Stop notices of new articles"},
}


def text(key: str, language: Language, **values: object) -> str:
    """The message `key` in `language`, with {placeholders} filled."""
    return _TEXTS[key][language].format(**values)


def help_text(language: Language, titles: list[str], username: str, examples: int = 2) -> str:
    """/help: the commands, example questions made from the shortest article titles, and how to
    ask in groups and inline."""
    lines = [text("help", language), ""]
    if titles:
        lines.append(text("help_examples", language))
        lines += [f"• {text('example_question', language, title=t)}" for t in sorted(titles, key=len)[:examples]]
        lines.append("")
    lines.append(text("help_groups", language, username=username))
    return "\n".join(lines)
