"""Follow-ups: a question leaning on the previous turn is read with it; one that stands alone is not."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from isnad.bot.answer import evidence, followup, messages
from isnad.bot.answer.answering import FOLLOW_UP_REACH, Answerer
from isnad.bot.answer.eval_sets import load_items
from isnad.bot.answer.followup import Turn
from isnad.retrieval.arabic import stems
from tests.conftest import ISNAD, QUESTIONS_FILE, core_cli_env

FIRST_AR = "ما مدة الشراكة الاستراتيجية بين روسيا وإيران؟"
THEN_AR = "ومتى تم ذلك؟"  # "and when did that happen?": nothing to stand on alone ("ومتى وقعت؟" alone finds the only signing)
THEN_EN = "and when did that happen?"  # as THEN_AR ("and when was it signed?" alone finds the only signing)
SIGNED_ON = "يوم الجمعة"  # the article: the partnership was signed on Friday
CITED = (("003_c4a9f35214ecb214", 10, 80),)  # a span the previous reply quoted


@pytest.mark.parametrize(
    ("question", "key_terms", "leans"),
    [
        ("ومتى وقعت؟", 1, True),
        ("and when was it signed?", 1, True),
        ("what about iran?", 1, True),
        ("who else?", 0, True),
        ("وايران قالت ايه؟", 2, True),
        ("what did they sign", 1, True),
        ("ما مدة الشراكة الاستراتيجية بين روسيا وإيران؟", 4, False),
        ("وبشأن أي مناطق أخرى في العالم تشاور البلدان عن كثب؟", 4, True),  # "and about…": long, still a continuation
        ("وقعت روسيا وإيران معاهدة شراكة استراتيجية لمدة عشرين عاما؟", 5, False),  # و of the verb وقع, not "and"
        ("when did putin visit armenia", 3, False),
        ("زين، وأي دولة ناوي يزورها بدالها؟", 3, True),  # "ok, and which country…": the acknowledgement comes off
        ("ok what about the drones", 1, True),
        ("تمام", 0, True),  # nothing of its own: leans as any bare word does
        ("great, when did putin visit armenia", 3, False),
        ("Which Russian official met Ahmadian in Tehran?", 4, False),
        ("which minister travelled with the president at that time", 3, True),  # "at that time": said before
        ("ما الذي قاله الكرملين بعد ذلك عن المحادثات؟", 3, True),  # "after that"
        ("did russia sign deals like that with other countries", 4, True),
        ("what did the kremlin say about the talks", 3, False),
        ("what did putin say at the time of the signing", 3, False),  # "at the time of" names its own time
        ("طب هيروح فين بدالها وامتى؟", 1, True),  # "so where will he go instead of it": the pronoun of بدالها points back
        ("شو قال عنها بوتين", 2, True),  # "what did Putin say about it"
        ("شو قال بوتين عن المعاهدة", 3, False),
    ],
)
def test_what_leans_on_the_previous_turn(question: str, key_terms: int, leans: bool) -> None:
    assert followup.leans_on_previous(question, key_terms) is leans


@pytest.mark.parametrize(
    ("question", "key_terms", "previous", "nothing"),
    [
        ("and when did that happen?", 1, [], True),
        ("what about iran?", 1, [], True),
        ("and when did that happen?", 1, [Turn(FIRST_AR, CITED)], False),  # it continues the partnership
        ("so is russia actually gonna give iran s-400s?", 3, [], False),  # "so" opening a question of its own
        ("what did they sign", 1, [], False),  # a pronoun, not an opening that continues
    ],
)
def test_a_continuation_with_nothing_before_it_continues_nothing(question: str, key_terms: int, previous: list[Turn], nothing: bool) -> None:
    assert followup.continues_nothing(question, key_terms, previous) is nothing


def test_resolve_needs_a_previous_turn() -> None:
    assert followup.resolve(THEN_AR, 1, []) is None
    resolved = followup.resolve(THEN_AR, 1, [Turn("أ"), Turn(FIRST_AR, CITED)])
    assert resolved == followup.Resolved(f"{THEN_AR} — {FIRST_AR}", FIRST_AR, CITED)


@pytest.mark.parametrize(
    ("question", "more"),
    [
        ("what else?", True),
        ("and what else did she say", True),
        ("وغير هيك؟", True),
        ("وتطرقوا لشو كمان؟", True),
        ("and when?", False),
        ("what about the other sides in the conflict?", False),  # what the same sentence may go on to say
        ("وبشأن أي مناطق أخرى تشاور البلدان؟", False),
    ],
)
def test_a_follow_up_asking_for_more(question: str, more: bool) -> None:
    resolved = followup.resolve(question, 1, [Turn(FIRST_AR, CITED)])
    assert resolved is not None and resolved.wants_more is more


def test_a_follow_up_with_terms_of_its_own_asks_something_new() -> None:
    asking = "and does russia also keep talking to the other parties in the conflict"
    resolved = followup.resolve(asking, 4, [Turn(FIRST_AR, CITED)])
    assert resolved is not None and not resolved.wants_more


def test_what_else_is_not_answered_with_the_last_reply_s_first_quote(core_answerer: Answerer) -> None:
    first = core_answerer.answer("what did putin and raisi focus on in saturday's call")
    assert first.answered
    said = first.citations[0]
    _, result, _ = core_answerer.retrieve("وتطرقوا لشو كمان؟", "ar", [followup.turn_of(first)])
    assert result.candidates
    assert not any(
        c.sentence.article_id == said.article_id and c.sentence.start < said.end and said.start < c.sentence.end
        for c in result.candidates
    )
    _, plain, _ = core_answerer.retrieve("وتطرقوا لشو؟", "ar", [followup.turn_of(first)])
    assert any(c.sentence.article_id == said.article_id and said.start <= c.sentence.start < said.end for c in plain.candidates)


def test_the_previous_question_keeps_its_own_language(core_answerer: Answerer) -> None:
    """An Arabic follow-up to an English question still finds the English names (spelled in Arabic)."""
    asked, result, view = core_answerer.retrieve("ومتى وقعوها؟", "ar", [Turn("what did putin and pezeshkian sign")])
    [name] = [t for t in asked.terms if t.text == "pezeshkian"]
    assert name.strength == 1.0 and set(stems("بيزشكيان")) <= name.forms
    assert any(evidence.features(asked, result, view)[:, evidence.FEATURES.index("coverage")] > 0)


def test_a_follow_up_is_decided_in_the_language_most_of_its_terms_are_in(core_answerer: Answerer) -> None:
    """The decision's parameters are fitted per language of the terms: a bare Arabic "and when?"
    after an English question is mostly English terms; a follow-up with terms of its own keeps its language."""
    bare, _, _ = core_answerer.retrieve("ومتى وقعوها؟", "ar", [Turn("what did putin and pezeshkian sign")])
    assert bare.language == "en"
    full, _, _ = core_answerer.retrieve(
        "وهل حضر وزير الدفاع الروسي توقيع المعاهدة في موسكو؟", "ar", [Turn("what did putin sign")]
    )
    assert full.language == "ar"


def test_a_follow_up_may_quote_the_sentences_around_the_previous_quotes(core_answerer: Answerer) -> None:
    turn = followup.turn_of(core_answerer.answer(FIRST_AR))
    asked, result, view = core_answerer.retrieve(THEN_EN, "en", [turn])
    around = {s.span_id for s in view.around(turn.cited, FOLLOW_UP_REACH)}
    undated_quotes = {s.span_id for s in view.around(turn.cited, 0) if evidence.lacks_kind_asked(asked, s, view)}
    assert around - undated_quotes and around - undated_quotes <= {c.sentence.span_id for c in result.candidates}


def test_the_previous_question_s_terms_are_held_around_the_previous_quotes(core_answerer: Answerer) -> None:
    """The terms a follow-up takes from the previous question count as held by the sentences
    around the previous reply's quotes (the conversation's topic), and only there by that token."""
    turn = followup.turn_of(core_answerer.answer(FIRST_AR))
    asked, result, view = core_answerer.retrieve(THEN_AR, "ar", [turn])
    around = {s.span_id for s in view.around(turn.cited, FOLLOW_UP_REACH)}
    assert asked.topic_spans == around and asked.topic_terms
    assert asked.topic_terms == {t.text for t in asked.terms} - {t.text for t in core_answerer.retrieve(THEN_AR, "ar")[0].terms}
    coverage = evidence.FEATURES.index("coverage")
    topic_share = sum(t.weight for t in asked.terms if t.text in asked.topic_terms) / asked.total_weight
    with_topic = evidence.features(asked, result, view)[:, coverage]
    without = evidence.features(replace(asked, topic_spans=frozenset()), result, view)[:, coverage]
    near = [c.sentence.span_id in around for c in result.candidates]
    assert all(held >= topic_share - 1e-6 for held, is_near in zip(with_topic, near, strict=True) if is_near)
    assert any(held > alone for held, alone in zip(with_topic, without, strict=True))
    assert all(held == alone for held, alone, is_near in zip(with_topic, without, near, strict=True) if not is_near)


def test_a_follow_up_asking_when_is_not_answered_by_a_quote_without_a_date(core_answerer: Answerer) -> None:
    """The last reply's quotes answered the last question: one holding no date does not answer
    "and when?" (it ranks high only because the follow-up is read with that question); one that
    holds a date may."""
    view = core_answerer.retrieve(FIRST_AR, "ar")[2]
    sentences = [s for s in view.articles[CITED[0][0]].sentences if s.quotable]
    undated = next(s for s in sentences if not evidence.has_date(s))
    dated = next(s for s in sentences if evidence.has_date(s))
    cited = tuple((s.article_id, s.start, s.end) for s in (undated, dated))
    _, result, _ = core_answerer.retrieve(THEN_AR, "ar", [Turn(FIRST_AR, cited)])
    candidates = {c.sentence.span_id for c in result.candidates}
    assert undated.span_id not in candidates and dated.span_id in candidates
    _, asked_what, _ = core_answerer.retrieve("وماذا عن ذلك؟", "ar", [Turn(FIRST_AR, cited)])  # asks for no kind of answer
    assert undated.span_id in {c.sentence.span_id for c in asked_what.candidates}


def test_a_picture_asked_about_stays_the_subject_of_its_follow_ups(core_answerer: Answerer) -> None:
    """Photo captions are candidates for a follow-up to a question about a picture ("and when was
    that?" after "where was the photo … taken?"), as for the question itself, and not after others."""
    captions = {c.span_id for c in core_answerer.retrieve(FIRST_AR, "ar")[2].captions}
    _, after_photo, _ = core_answerer.retrieve(THEN_EN, "en", [Turn("where was the photo of putin and pezeshkian taken?")])
    _, after_text, _ = core_answerer.retrieve(THEN_EN, "en", [Turn(FIRST_AR)])
    assert captions & {c.sentence.span_id for c in after_photo.candidates}
    assert not captions & {c.sentence.span_id for c in after_text.candidates}


@pytest.mark.parametrize("follow", [THEN_AR, THEN_EN])
def test_a_follow_up_is_answered_from_the_previous_topic(core_answerer: Answerer, follow: str) -> None:
    alone = core_answerer.answer(follow)
    assert not any(SIGNED_ON in c.quote for c in alone.citations if alone.answered)
    answer = core_answerer.answer(follow, context=[followup.turn_of(core_answerer.answer(FIRST_AR))])
    assert answer.resolved_question.startswith(follow) and FIRST_AR in answer.resolved_question
    assert answer.language == ("ar" if follow == THEN_AR else "en")  # the reply keeps the new question's language
    assert answer.status in ("answered", "related") and any(SIGNED_ON in c.quote for c in answer.citations)


def test_a_self_contained_question_ignores_the_context(core_answerer: Answerer) -> None:
    question = "من هو نظير نيكولاي باتروشيف الإيراني الذي التقاه في طهران؟"
    alone, in_context = core_answerer.answer(question), core_answerer.answer(question, context=[Turn(FIRST_AR)])
    assert in_context.resolved_question == ""
    assert (in_context.status, in_context.citations) == (alone.status, alone.citations)


def test_self_contained_questions_in_one_conversation_are_answered_as_alone(core_answerer: Answerer) -> None:
    """The public questions asked one after another in one chat: none leans on the one before, so
    each reply is the one it gets alone (the follow-up rule does not touch the public evaluation)."""
    questions = [item["question"] for item in load_items(QUESTIONS_FILE)]
    context: list[Turn] = []
    for question in questions:
        alone, in_chat = core_answerer.answer(question), core_answerer.answer(question, context=context)
        assert in_chat.resolved_question == "", question
        assert (in_chat.status, in_chat.citations) == (alone.status, alone.citations), question
        context.append(followup.turn_of(in_chat))


def test_batch_json_lines_keep_conversations_apart(core_seed_dir: Path, tmp_path: Path) -> None:
    lines = [
        {"question": FIRST_AR, "conversation": "a"},
        {"question": THEN_AR, "conversation": "b"},  # another chat: nothing to lean on
        {"question": THEN_EN, "conversation": "a"},
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\nhi\n", encoding="utf-8")
    done = subprocess.run(
        [str(ISNAD), "ask", "--json", "--batch", str(batch)], capture_output=True, text=True, encoding="utf-8",
        env=core_cli_env(core_seed_dir), timeout=300,
    )
    assert done.returncode == 0, done.stderr
    first, other, follow, plain = (json.loads(line) for line in done.stdout.splitlines())
    assert [o["question"] for o in (first, other, follow, plain)] == [FIRST_AR, THEN_AR, THEN_EN, "hi"]
    assert "resolved_question" not in first and "resolved_question" not in other and "resolved_question" not in plain
    assert follow["resolved_question"] == f"{THEN_EN} — {FIRST_AR}"
    assert any(SIGNED_ON in c["quote"] for c in follow["citations"])


def test_the_terminal_chat_follows_up_until_new(core_seed_dir: Path) -> None:
    done = subprocess.run(
        [str(ISNAD), "chat"], input=f"{FIRST_AR}\n{THEN_EN}\n/new\n{THEN_EN}\n", capture_output=True, text=True,
        encoding="utf-8", env=core_cli_env(core_seed_dir), timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # The two English replies: the follow-up's (its quotes, as an answer or as the closest passages:
    # whether it is claimed is the decision's call, measured by the follow-up evaluation) and, after
    # /new, the same words with nothing to lean on: not an answer, and not the signing day.
    frames = [messages.text(k, "en") for k in ("extractive_intro", "related_intro", "not_found")]
    starts = [m.start() for m in re.finditer("|".join(map(re.escape, frames)), done.stdout)]
    assert len(starts) == 2, done.stdout
    follow_up, after_new = done.stdout[starts[0] : starts[1]], done.stdout[starts[1] :]
    assert SIGNED_ON in follow_up
    assert not after_new.startswith(messages.text("extractive_intro", "en")) and SIGNED_ON not in after_new
