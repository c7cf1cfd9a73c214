"""Settings are written once (the classes' defaults), read from the environment and a `.env`, and a
bad value is one ConfigError naming its variable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from isnad import env_example
from isnad.errors import ConfigError
from isnad.settings import Settings, load_settings

EXAMPLE_ENV = Path(__file__).resolve().parents[1] / "config" / "example.env"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No ISNAD_* or TELEGRAM_* variables, and an empty working directory (no `.env`)."""
    for name in list(os.environ):
        if name.startswith(("ISNAD_", "TELEGRAM_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_example_env_is_generated_from_the_settings() -> None:
    """Regenerate with `python -m isnad.env_example > config/example.env`."""
    assert EXAMPLE_ENV.read_text(encoding="utf-8") == env_example.render()


def test_example_env_names_every_setting_and_loads_as_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for line in EXAMPLE_ENV.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            monkeypatch.setenv(name, value)
    assert load_settings() == Settings()
    assert load_settings().model_dump(mode="json") == Settings().model_dump(mode="json")


@pytest.mark.parametrize(
    ("value", "ids"), [("123", [123]), ("1,2,3", [1, 2, 3]), (" 4 , 5 ", [4, 5]), ("[6, 7]", [6, 7]), ("", [])]
)
def test_id_lists_take_commas_or_json(monkeypatch: pytest.MonkeyPatch, value: str, ids: list[int]) -> None:
    monkeypatch.setenv("ISNAD_BOT_ALLOWED_IDS", value)
    monkeypatch.setenv("ISNAD_BOT_ADMIN_IDS", value)
    settings = load_settings()
    assert settings.bot.allowed_ids == ids and settings.bot.admin_ids == ids


def test_dotenv_in_the_working_directory_is_read_and_the_environment_wins(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / ".env").write_text(
        "ISNAD_LLM_MODEL=from-dotenv\nISNAD_SEARCH_TOP_CHUNKS=4\nTELEGRAM_BOT_TOKEN=123:dotenv-token\n"
        "TELEGRAM_API_URL=http://dotenv/bot\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ISNAD_SEARCH_TOP_CHUNKS", "9")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://environment/bot")
    settings = load_settings()
    assert settings.llm.model == "from-dotenv" and settings.search.top_chunks == 9
    assert settings.telegram.bot_token is not None
    assert settings.telegram.bot_token.get_secret_value() == "123:dotenv-token"
    assert settings.telegram.api_url == "http://environment/bot"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ISNAD_DATA_DIR", "/elsewhere")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:environment-token")
    settings = load_settings(data_dir=tmp_path, telegram={"bot_token": "123:argument-token"})
    assert settings.data_dir == tmp_path
    assert settings.telegram.bot_token is not None
    assert settings.telegram.bot_token.get_secret_value() == "123:argument-token"


def test_an_empty_secret_is_not_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("ISNAD_LLM_API_KEY", " ")
    settings = load_settings()
    assert settings.telegram.bot_token is None and settings.llm.api_key is None


def test_no_settings_class_is_nested_in_another() -> None:
    for field in Settings.model_fields.values():
        assert not (isinstance(field.annotation, type) and issubclass(field.annotation, BaseSettings))


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("ISNAD_LOG_LEVEL", "loud", "'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'"),
        ("ISNAD_BOT_ALLOWED_IDS", "12,abc", "abc"),
        ("ISNAD_BOT_ALLOWED_IDS", "[1,", "separated by commas"),
        ("ISNAD_SEARCH_TOP_CHUNKS", "0", "greater than or equal to 1"),
        ("ISNAD_DATA_DIR", " ", "is empty"),
    ],
)
def test_a_bad_value_is_one_configuration_error_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert f"{name}: " in message and said in message and "\n" not in message


def test_log_level_takes_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISNAD_LOG_LEVEL", "debug")
    assert load_settings().log_level == "DEBUG"
    monkeypatch.setenv("ISNAD_LOG_LEVEL", "")
    assert load_settings().log_level is None
