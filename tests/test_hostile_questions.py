"""Any text a user can send gets an answer object, never an exception; secrets stay out of output."""

from __future__ import annotations

import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ISNAD, core_cli_env

HOSTILE = st.lists(
    st.one_of(
        st.characters(codec=None, categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs")),
        st.sampled_from(["\u200f", "\u200e", "\u200d", "\u0651", "😀", "\x00", "\ud800", "<b>", "&", "[1]", "بوتين", "Putin"]),
    ),
    max_size=120,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=HOSTILE)
def test_any_text_gets_an_answer_with_verbatim_quotes(core_answerer, question: str) -> None:
    answer = core_answerer.answer(question)
    assert answer.language in ("ar", "en") and answer.text
    for citation in answer.citations:
        assert core_answerer.article_text(citation.article_id)[citation.start : citation.end] == citation.quote


def test_api_key_never_reaches_logs_or_output(core_seed_dir) -> None:
    secret = "sk-isnad-test-SECRET-0123456789"
    env = core_cli_env(
        core_seed_dir, ISNAD_LLM_PROVIDER="openai", ISNAD_LLM_BASE_URL="http://127.0.0.1:9/v1",
        ISNAD_LLM_API_KEY=secret, ISNAD_LLM_TIMEOUT="2", ISNAD_LOG_LEVEL="DEBUG",
    )
    done = subprocess.run([str(ISNAD), "ask", "--json", "Which summit did Putin skip?"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert '"fallback": "error"' in done.stdout
    assert "DEBUG" in done.stderr  # the debug logs really were on
    assert secret not in done.stdout and secret not in done.stderr
