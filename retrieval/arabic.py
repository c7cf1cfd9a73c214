"""Arabic-aware text normalisation, tokenisation and language detection.

The same functions serve indexing and querying, so an unvocalised question written with bare
alefs or ه for ة still matches the article's spelling. Display text is never normalised.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
import stopwordsiso

from isnad.retrieval.models import Language

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # + tatweel
_LETTER_MAP = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        # Persian keyboards' yeh and kaf look like Arabic ones; Gulf and Iraqi writers spell dialect
        # sounds with Persian letters: گال is قال, حچوا is حكوا, ڤ and پ are ف and ب.
        "ی": "ي", "ک": "ك", "گ": "ق", "چ": "ك", "ڤ": "ف", "پ": "ب", "ژ": "ز",
        "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه",
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4",
        "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    }
)
# Accented Latin letters as plain ones ("Temüjin", "Börte", "Pezeshkián"): one letter for one.
_LATIN_ACCENTS = {
    c: base
    for c in map(chr, range(0xC0, 0x250))
    if len(base := "".join(m for m in unicodedata.normalize("NFKD", c) if not unicodedata.combining(m))) == 1
    and base.isascii() and base.isalpha() and base != c
}
_ACCENT_MAP = str.maketrans(_LATIN_ACCENTS)
_LETTER_MAP.update(_ACCENT_MAP)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LATIN_LETTER = re.compile("[A-Za-z]")
# Conjunction/preposition + article prefixes that Snowball leaves on ("والطائرات").
_CONJUNCTION = re.compile(r"^[وف](?=\w\w)")
_PREFIX = re.compile(r"^(?:[وف]?(?:بال|كال|لل|ال)|[وف](?=\w{3}))")
# What Snowball leaves on that a word may also be read without: a one-letter preposition ("لروسيا",
# "بطهران"), a feminine dual ending ("الحليفتان" is two حليفة, "قلقتان" two قلقة; before its noun
# without ن, "بعملتي البلدين" two عملة), and the plural of
# an adjective in ي ("الأمنيين" is الأمني, which Snowball stems as it stems الأمن).
_PREPOSITION = re.compile(r"^[وف]?[لبك](?=\w{3})")
_FEMININE_DUAL = re.compile(r"(?<=\w{3})ت(?:ان|ين|ا|ي)$")
_ADJECTIVE_PLURAL = re.compile(r"(?<=\w{3}ي)(?:ين|ون)$")
# The second form's verbal noun تفعيل is also read as its verb فعّل: "بتزويد" (by supplying) as
# "زودت" (supplied), "توقيع" as "وقع", "تدريب" as "درب".
_VERBAL_NOUN = re.compile(r"^ت(\w\w)ي(\w)$")
# Pronoun suffixes a noun takes as its possessor ("مدتها": its duration); a verb takes them too.
_POSSESSIVES = ("ها", "هما", "هم", "هن", "ه", "نا", "كم")
# A short feminine noun keeps its ة as ت before a pronoun, which Snowball leaves on: "مدتها" is مدة.
_TA_BEFORE_PRONOUN = re.compile(rf"^(\w{{2,3}})ت(?:{'|'.join(_POSSESSIVES)})$")
# The imperfect's ي before a verb of three letters or more: "يتضمن" is تضمن, "يعمل" عمل.
_IMPERFECT_YA = re.compile(r"^ي(?=\w{3})")
_ARTICLE = re.compile(r"^(?:[وفبكل]?ال|لل)")  # the article, after one proclitic ("للاس" is ل + الاس)


def normalise(text: str) -> str:
    """Fold spelling variants: diacritics, tatweel, alef/hamza forms, ى/ي, ة/ه, digits, Latin accents, case."""
    return _DIACRITICS.sub("", text).translate(_LETTER_MAP).lower()


def without_accents(text: str) -> str:
    """Latin letters without their accents, case kept ("Temüjin" -> Temujin)."""
    return text.translate(_ACCENT_MAP)


def tokens(text: str) -> list[str]:
    """Normalised word tokens (letters and digits)."""
    return _TOKEN.findall(normalise(text))


@lru_cache(maxsize=1)
def _stemmers() -> tuple[Stemmer.Stemmer, Stemmer.Stemmer]:
    return Stemmer.Stemmer("arabic"), Stemmer.Stemmer("english")


# Question words that stopwordsiso's lists lack; they say what is asked, not what about.
# "اذكر" (name one…) opens exam questions as a question word does.
_QUESTION_WORDS = ("لماذا", "بماذا", "ماذا", "متى", "أين", "كيف", "كم", "هل", "أي", "لمن", "ممن", "اذكر", "اذكري", "اذكروا")
# Dialect (Egyptian, Gulf, Iraqi, Levantine, Maghrebi) question words and particles: they carry no
# topic, so they must not count as terms the evidence should contain.
_DIALECT_WORDS = (
    "مين", "منو", "ايش", "إيش", "شو", "شنو", "شنهو", "ليش", "ليه", "امتى", "إمتى", "ايمتى", "وين", "فين",
    "كام", "قديش", "اديش", "ازاي", "إزاي", "كيفاش", "شلون", "رح", "راح", "عم", "هيك", "اللي", "ده", "دي",
    "دا", "دول", "ايه", "إيه", "بدي", "بدك", "عايز", "عاوز", "حد", "يعني", "بتاع", "هاد", "هادا", "هادي",
    "هدول", "مش", "مو", "مب", "شي", "اشي", "حاجة", "كمان", "برضو", "بس", "اللى", "إللي", "إلي", "الي",
    "دلوقتي", "دلوقت", "هلق", "هلأ", "هسه", "هسا", "حدا", "حدش", "كده", "كدا", "هيك", "زي", "اوي", "قوي",
    "بقى", "بقا", "لسه", "لسا", "عشان", "علشان", "مشان", "منشان", "كتير", "شوي", "شوية", "بالظبط", "بالضبط",
    "طيب", "يلا", "ياخي", "يا", "والله", "صح", "ايوه", "اه", "اصلا", "تحديدا", "بالزبط", "شلون", "شكون",
    "وش", "ويش", "رايح", "رايحة", "رايحين", "بدو", "بده", "بدها", "بدهم", "عايزين", "عاوزين",
    "بيه", "بيها", "بيهم", "بيك", "بيكم",  # "with it, them, you" ("يتاجرون بيها")
    "طب", "بدال", "بداله", "بدالها", "بدالهم", "بدالو",  # Egyptian "so, well" ("طب وبعدين؟"); "instead of it"
    "لوحده", "لوحدها", "لوحدهم", "بوحده", "بوحدها", "بوحدهم",  # "alone" ("هتسيبها لوحدها"), not واحد (one)
    "ليها", "ليهم", "ليك", "ليكم",  # "to it, them, you" ("غادي يمشي ليها")
    # Maghrebi: what, why, who, how much, when; of; now; a lot; there is; not; going to; so that; this
    "واش", "شنوة", "علاش", "علاه", "لاش", "اشكون", "قداش", "شحال", "امتا", "إمتا", "وقتاش", "فوقاش",
    "فاش", "ديال", "ديالو", "ديالها", "ديالهم", "تاع", "متاع", "دابا", "توا", "دركا", "دروك", "بزاف", "برشا",
    "راه", "راهي", "راهم", "كاينة", "كاينين", "كاينا", "ماشي", "غادي", "غادية", "غاديين", "باش", "هادشي",
    "هاذا", "هذاك", "واخا", "كيداير",
    # Iraqi and Gulf: when, how much; there is, there is not (not Sudanese متين, "strong" in the standard
    # language, nor Iraqi هواية, "a lot", a hobby)
    "شوكت", "اشوكت", "إمته", "امته", "شكد", "اشكد", "شقد", "شكثر", "اكو", "ماكو",
)
# Inflections of function words and light verbs that stopwordsiso's Arabic list lacks (it has تم, لدى,
# كان, أصبح, قام but not يتم, لديه, كانوا, أصبحت, قامت).
_FUNCTION_INFLECTIONS = (
    "يتم", "تتم", "لديه", "لديها", "لديهم", "لديك", "إليه", "إليها", "إليهم", "عليهم", "تكون", "يكونوا", "تكن",
    "كانوا", "يكن", "قامت", "يقوم", "تقوم", "يقومون", "قاموا", "يوجد", "توجد", "شيء", "أشياء", "جدا",
    "أصبحت", "يصبح", "تصبح", "بينما", "بشأن", "بخصوص",
    # dialect "has" (عنده، عندها) and the Gulf light verb "do" (يسوي), as لديه and يقوم are
    "عنده", "عندها", "عندهم", "عندك", "عندكم", "عندنا", "عندي",
    "يسوي", "يسوو", "يسوون", "بيسوي", "بيسوو", "بيسوون", "تسوي", "بتسوي", "نسوي", "بنسوي",
    "سوت", "سووا", "سوو", "سويت", "سوينا", "سويتوا",  # its past: "ايش سوت ايران" (what did Iran do)
)
# Prepositions with a pronoun ("عنها" about it, "معهم" with them, "بينهما" between them), of which
# stopwordsiso's list holds only some (فيها، منها، عليه، لها); in normalised spelling (على is علي).
_PRONOUN_PREPOSITIONS = ("عن", "من", "في", "علي", "الي", "ل", "ب", "مع", "عند", "لدي", "بين", "حول", "ضد", "دون", "مثل")
_PREPOSITIONS_WITH_PRONOUN = tuple(p + s for p in _PRONOUN_PREPOSITIONS for s in (*_POSSESSIVES, "ك", "ي"))
# Dialect personal pronouns (they, we, you): Egyptian هما، احنا، انتو; Maghrebi هوما، حنا; Levantine هني، هنن; Iraqi همه.
_DIALECT_PRONOUNS = ("هوما", "هني", "هنن", "همه", "احنا", "إحنا", "حنا", "انتو", "انتوا", "إنتو", "انتم")
# Chat shorthand for English function words ("abt", "bc", "wat"), and the Arabic article typed apart ("ال ٢٠ سنه").
_CHAT_WORDS = (
    "abt", "bc", "coz", "cuz", "pls", "plz", "thx", "tho", "wat", "wht", "hows", "whens", "whys", "idk", "ur", "ya",
    "gonna", "wanna", "smth", "sth", "yeah", "ال",
)
# Words that point at the source rather than the topic ("acc to the cnbc piece", "وفقا للمقال"), and
# its act of mentioning ("what does the article mention", "كما ورد في التقرير", "ماذا ذكر المقال"): the
# sentence that answers says it with its own verb, or none.
_SOURCE_WORDS = (
    "acc", "piece", "article", "articles", "story", "mention", "mentions", "mentioned", "stated",
    "refer", "refers", "referred", "regard",  # "did the treaty refer to…", "with regard to…"
    "وفق", "وفقا", "مقال", "مقالة", "المقال", "المقالة", "ذكر", "ذكرت", "يذكر", "تذكر", "ورد", "وردت", "يرد",
    "افاد", "افادت", "يفيد", "تفيد",
)
# Words that frame what kind of answer is asked, not what about: "كيف وصف…" (as English "describe" is a
# stop word; the answer sentence says it with its own verb, أشاد، اعتبر), "ما اسم…", "ما نوع…", "what type
# of…", "what is it called": the answer sentence names the thing without the word "name" or "type".
_FRAMING_WORDS = (
    "وصف", "يصف", "تصف", "وصفت", "وصفه", "وصفها", "وصفوا", "يصفون", "اسم", "ماسم", "نوع", "انواع",
    "type", "types", "sort", "called", "named",
    # how plainly or truly something was said, not what: "did the treaty explicitly mention…", "هل نصّت صراحة"
    "explicitly", "expressly", "precisely", "صراحة", "بصراحة", "بالتحديد", "فعلا", "حقا",
)
# Nouns stopwordsiso's Arabic list holds that name what news is about: a ceasefire (وقف إطلاق النار),
# a visit, a meeting, a force, amounts.
_CONTENT_WORDS = ("وقف", "زيارة", "لقاء", "قوة", "مليار", "مليون")
# One-letter proclitics (and, so, with, for, like) a dialect question word may carry: "بإيش", "وشو".
_PROCLITIC = re.compile(r"^[وفبلك](?=\w\w)")
_CLITICS = re.compile(r"^(?:[وفبلك]?ال|[وفبلك])(?=\w\w)")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Arabic and English function words, question words and words naming a source, normalised like tokens."""
    words = stopwordsiso.stopwords(["ar", "en"]) - set(_CONTENT_WORDS) | set(_QUESTION_WORDS) | set(_DIALECT_WORDS) | set(_SOURCE_WORDS) | set(_FRAMING_WORDS) | set(_CHAT_WORDS) | set(_FUNCTION_INFLECTIONS) | set(_PREPOSITIONS_WITH_PRONOUN) | set(_DIALECT_PRONOUNS)
    return frozenset(normalise(w) for w in words)


def is_function_word(token: str) -> bool:
    """A normalised token that carries no topic: a stop word, also behind one proclitic ("بايش")."""
    stop = stopwords()
    return token in stop or without_proclitic(token) in stop


def without_proclitic(token: str) -> str:
    """A normalised token without one leading proclitic (and, so, with, for, like): "بايش" -> ايش."""
    return _PROCLITIC.sub("", token)


def without_clitics(token: str) -> str:
    """A normalised token without one leading proclitic and the article ("بالتلفون" -> تلفون)."""
    return _CLITICS.sub("", token)


def without_pronoun(token: str) -> frozenset[str]:
    """A normalised token without the pronoun it may end in ("لديهما" -> لدي، لديهم; "ضدها" -> ضد);
    some readings are no word."""
    return frozenset(token[: -len(p)] for p in _POSSESSIVES if token.endswith(p) and len(token) > len(p) + 1)


# Verb morphology a question adds to a word the articles use in another form: a conjunction, a dialect
# aspect prefix (ب، ه، ح، عم's ب; MSA future س), object and subject suffixes ("وقعوها" is وقّعوا + ها).
_CONJUNCTIONS = ("", "و", "ف")
_ASPECTS = ("", "ب", "ه", "ح", "س")
_OBJECTS = ("", *_POSSESSIVES, "ك", "ني")
_SUBJECTS = ("", "وا", "و", "ون", "ين", "ت", "تم", "نا", "ان")
_IMPERFECT = "يتنا"  # person prefixes of the imperfect: "تضرب" -> ضرب
MIN_CORE = 3


@lru_cache(maxsize=50_000)  # every Arabic question word's, for the dialect list and again for the corpus's forms
def inflection_cores(token: str) -> frozenset[str]:
    """Readings of a normalised word without its verb affixes, and a three-letter core's imperfect:
    "وقعوها" -> وقع، يوقع; "بتضرب" -> تضرب، ضرب; "بيتهم" -> يتهم، بيت; "مضوا" -> مضي. Some readings are
    wrong; a caller keeps those the corpus (or the dialect list) uses."""
    cores: set[str] = set()
    for aspect, prefix in ((a, c + a) for c in _CONJUNCTIONS for a in _ASPECTS):
        for subject, suffix in ((s, s + o) for s in _SUBJECTS for o in _OBJECTS):
            if not (token.startswith(prefix) and token.endswith(suffix)):
                continue
            if aspect and token[len(prefix) : len(prefix) + 1] not in _IMPERFECT:  # بيتهم، هتسيب; not سكان
                continue
            core = token[len(prefix) : len(token) - len(suffix)]
            if len(core) == MIN_CORE - 1 and subject:  # a verb whose last letter is weak drops it: مضوا is مضى + وا
                core += "ي"
            if len(core) < MIN_CORE:
                continue
            cores.add(core)
            if core[0] in _IMPERFECT and len(core) > MIN_CORE:
                cores.add(core[1:])
            if len(core) == MIN_CORE:
                cores.add(_IMPERFECT[0] + core)
    return frozenset(c for c in cores - {token} if not is_function_word(c))


_PERSON_PREFIX = re.compile(r"^[وف]?س?[يتن](?=\w{3})")  # "وتقول", "سنعمل": a conjunction, the future, a person prefix
_SUBJECT_SUFFIX = re.compile(r"(?<=\w{3})(?:ان|ون|ين|وا|ا)$")  # "يناوران", "تطرقا": a dual or plural subject


def verb_readings(token: str) -> frozenset[str]:
    """A normalised word's readings as an imperfect verb, without its person prefix, a dual or plural
    subject and with a derived verb's ا ("تقول" -> قول, "نتوقع" -> توقع, "يناوران" -> ناور, "تعتبر" ->
    اعتبر); none for a word with no such prefix. Many names read so too ("نيويورك"): a caller asks only
    whether a word is a common verb."""
    prefix = _PERSON_PREFIX.match(token)
    if not prefix:
        return frozenset()
    rest = token[prefix.end() :]
    forms = {rest, _SUBJECT_SUFFIX.sub("", rest)}
    forms |= {f"ا{form}" for form in forms if len(form) >= 4}
    return frozenset().union(*(readings(form) for form in forms if len(form) >= MIN_CORE))


def other_inflections(token: str) -> frozenset[str]:
    """Stems of a normalised word in its other number or gender where Snowball stems them apart: a
    feminine noun and its sound plural without the article ("طائرة" <-> "طائرات"), a perfect verb
    with and without the feminine ت ("أعلن" <-> "أعلنت", "أدى" <-> "أدت"). Some are no word; a
    caller keeps those the corpus uses."""
    if not _ARABIC_LETTER.match(token):
        return frozenset()
    bare = _without_prefix(token)
    if len(bare) < MIN_CORE:
        return frozenset()
    if bare.endswith("ات") and len(bare) > 4:
        return frozenset({stem(f"{bare[:-2]}ه")})
    if bare.endswith("ه"):
        return frozenset({stem(f"{bare[:-1]}ات")})
    if _ARTICLE.match(token):  # a noun: "الاس" (the letter S) is no verb to take a feminine ت
        return frozenset()
    if bare.endswith("ت"):
        masculine = bare[:-1]
        return frozenset({stem(masculine if len(masculine) >= MIN_CORE else f"{masculine}ي")})
    weak_end = len(bare) == MIN_CORE and bare[-1] in "يا"  # أدى -> أدت
    return frozenset({stem(f"{bare[:-1] if weak_end else bare}ت")})


def _without_prefix(token: str) -> str:
    """An Arabic word without its clitic prefixes, as `stem` reads it (a short word keeps them)."""
    return _PREFIX.sub("", token) if len(token) > 4 else token


def stem(token: str) -> str:
    """Light stem of one normalised token: strip clitic prefixes, then Snowball."""
    arabic, english = _stemmers()
    if _ARABIC_LETTER.match(token):
        bare = _without_prefix(token)
        return arabic.stemWord(bare) or bare
    return english.stemWord(token)


_LONG_VOWELS = re.compile(r"(?<=.)[اويء]")
MIN_SPELLING_CONSONANTS = 4  # shorter skeletons are many words ("قال" and "قيل", but also "دار" and "دور")


def consonant_keys(token: str) -> frozenset[str]:
    """A normalised Arabic word, with and without its clitics, less its long vowels and hamza (the
    first letter kept): "بزشكيان", "بيزشكيان" and "بيزيشكيان" all hold بزشكن, as articles spell
    foreign names either way. None with fewer than MIN_SPELLING_CONSONANTS letters left."""
    if not _ARABIC_LETTER.match(token):
        return frozenset()
    keys = (_LONG_VOWELS.sub("", form) for form in {token, without_clitics(token)})
    return frozenset(k for k in keys if len(k) >= MIN_SPELLING_CONSONANTS)


@lru_cache(maxsize=200_000)  # every corpus word's, for its sentence's stems and again for its consonant keys
def readings(token: str) -> frozenset[str]:
    """A normalised token's stem, its stems without a one-letter preposition, a feminine dual ending
    or an adjective's plural ending ("لروسيا" -> لروسي، روسي; "الحليفتان" -> حليفت، حليف; "الأمنيين"
    -> امني، امن), a second-form verbal noun's verb ("بتزويد" -> زود), a short feminine noun before a
    pronoun as the noun ("مدتها" -> مده), an imperfect verb without its ي ("يتضمن" -> تضمن) and, when
    longer, as its perfect ("يعتزم" -> اعتزم), a noun ending in اء without its hamza, as it is spelled
    before a pronoun ("وكلاء" -> كلا, as "وكلاؤها"), and Snowball's stem of the whole word ("وفاته" ->
    وفا, as وفاة). Some readings are no word ("لقاء" -> قاء); a caller matches them against another
    text's readings."""
    forms = {token, _PREPOSITION.sub("", token)}
    forms |= {ending.sub("", form) for form in forms for ending in (_FEMININE_DUAL, _ADJECTIVE_PLURAL)}
    found = {stem(form) for form in forms}
    bare_forms = {_PREFIX.sub("", form) for form in forms}
    verbs = {verb for bare in bare_forms if bare != (verb := _VERBAL_NOUN.sub(r"\1\2", bare))}
    found |= verbs | {stem(verb) for verb in verbs}
    found |= {f"{f[0]}ا{f[2]}" for f in found if len(f) == 3 and f[1] in "وي"}  # a hollow verb's noun: "فوز" as فاز
    found |= {f[:-1] for f in found if len(f) > 3 and f.endswith("اء")}  # "وكلاء" as "وكلاؤها" (the hamza's seat moves)
    found |= {f"{m[1]}ه" for bare in bare_forms if (m := _TA_BEFORE_PRONOUN.match(bare))}
    imperfect = {_IMPERFECT_YA.sub("", bare) for bare in bare_forms if _IMPERFECT_YA.match(bare)}
    imperfect |= {f"ا{verb}" for verb in imperfect if len(verb) >= 4}  # a derived verb's perfect: "يعتزم" as اعتزم
    found |= imperfect | {stem(verb) for verb in imperfect}
    if _ARABIC_LETTER.match(token):  # Snowball's own reading of a first و or ف: "فريقين" -> ريق, as فريق
        found.add(_stemmers()[0].stemWord(token))
    return frozenset(f for f in found if f)


def stems(text: str, drop_stopwords: bool = False) -> list[str]:
    """Stemmed tokens of `text`, optionally without function words."""
    words = tokens(text)
    if drop_stopwords:
        stop = stopwords()
        words = [w for w in words if w not in stop and _CONJUNCTION.sub("", w) not in stop]
    return [stem(w) for w in words]


def detect_language(text: str) -> Language:
    """Arabic when Arabic letters outnumber Latin ones; English otherwise."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "ar" if arabic >= latin and arabic > 0 else "en"
