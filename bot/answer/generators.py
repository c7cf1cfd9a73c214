"""Answer generators: extractive (no model) and LangChain chat models.

This is the only module that imports LLM provider packages, each lazily and only when chosen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import httpx
from pydantic import SecretStr

from isnad.bot.answer import messages
from isnad.bot.answer.prompting import Passage, build_messages, condense_messages, translation_messages
from isnad.errors import ConfigError
from isnad.retrieval.models import Language
from isnad.settings import LLMSettings

TextCallback = Callable[[str], None]
_EXTRAS = {"openai": "openai", "ollama": "ollama", "llamacpp": "llamacpp"}


class GenerationTimeout(TimeoutError):
    """The model did not finish within the configured time."""


class Generator(Protocol):
    """Writes answer text with [n] markers from numbered passages."""

    name: str

    def generate(
        self, question: str, language: Language, passages: Sequence[Passage], on_text: TextCallback | None = None
    ) -> str: ...

    def translate(self, text: str) -> str:
        """An English rendering of one Arabic sentence ("" when the generator cannot translate)."""

    def condense(self, question: str, language: Language, previous: str) -> str:
        """A follow-up rewritten to stand alone ("" when the generator cannot)."""


def quoted(intro: str, passages: Sequence[Passage]) -> str:
    """An introduction, then each passage as «quote» [n]."""
    return "\n".join([intro] + [f"«{p.text}» [{p.n}]" for p in passages])


class ExtractiveGenerator:
    """No model: the answer is the verified quotes themselves, each with its marker."""

    name = "extractive"

    def generate(
        self, question: str, language: Language, passages: Sequence[Passage], on_text: TextCallback | None = None
    ) -> str:
        return quoted(messages.text("extractive_intro", language), passages)

    def translate(self, text: str) -> str:
        return ""  # no model, no translation

    def condense(self, question: str, language: Language, previous: str) -> str:
        return ""  # no model: follow-ups are resolved offline


class ChatModelGenerator:
    """Any LangChain chat model, streamed, with an overall deadline; `timeouts` are the exception
    types its client raises when a request times out."""

    def __init__(self, name: str, model: Any, timeout: float, timeouts: tuple[type[BaseException], ...] = ()) -> None:
        self.name = name
        self._model = model
        self._timeout = timeout
        self._timeouts = timeouts

    def generate(
        self, question: str, language: Language, passages: Sequence[Passage], on_text: TextCallback | None = None
    ) -> str:
        return self._run(build_messages(question, language, passages), on_text)

    def translate(self, text: str) -> str:
        """An English rendering of one Arabic sentence."""
        return self._run(translation_messages(text), None).strip()

    def condense(self, question: str, language: Language, previous: str) -> str:
        """A follow-up rewritten by the model to stand alone."""
        return self._run(condense_messages(question, language, previous), None).strip()

    def _run(self, prompt: list[tuple[str, str]], on_text: TextCallback | None) -> str:
        """Stream the model's reply to `prompt`, within the deadline."""
        deadline = time.monotonic() + self._timeout
        parts: list[str] = []
        try:
            for chunk in self._model.stream(prompt):
                if isinstance(chunk.content, str) and chunk.content:
                    parts.append(chunk.content)
                    if on_text:
                        on_text("".join(parts))
                if time.monotonic() > deadline:
                    raise GenerationTimeout(f"no complete answer within {self._timeout:g} s")
        except self._timeouts as exc:
            raise GenerationTimeout(str(exc)) from exc
        return "".join(parts)


def _missing(provider: str) -> ConfigError:
    return ConfigError(
        f"ISNAD_LLM_PROVIDER={provider} needs an extra package: pip install 'isnad[{_EXTRAS[provider]}]'"
    )


def _timeouts(provider: str) -> tuple[type[BaseException], ...]:
    """What a provider's client raises when a request times out: openai's own error (it wraps
    httpx's), httpx's (ollama's client lets them through); llama.cpp runs in-process, no timeout."""
    if provider == "openai":
        import openai

        return (openai.APITimeoutError, httpx.TimeoutException)
    return (httpx.TimeoutException,) if provider == "ollama" else ()


def chat_model(settings: LLMSettings) -> Any:
    """The LangChain chat model for a provider (imported only now)."""
    secret = settings.api_key.get_secret_value() if settings.api_key else None
    if settings.provider == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise _missing("openai") from exc
        # langchain-openai sends `max_completion_tokens`, which llama.cpp's server ignores;
        # `max_tokens` in the body is honoured by OpenAI-compatible servers generally.
        return ChatOpenAI(
            model=settings.model or "gpt-4o-mini",
            base_url=settings.base_url or None,
            api_key=SecretStr(secret or "not-needed"),
            temperature=settings.temperature,
            timeout=settings.timeout,
            max_retries=1,
            extra_body={"max_tokens": settings.max_tokens},
        )
    if settings.provider == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as exc:
            raise _missing("ollama") from exc
        return ChatOllama(
            model=settings.model,
            base_url=settings.base_url or None,
            temperature=settings.temperature,
            num_predict=settings.max_tokens,
            client_kwargs={"timeout": settings.timeout},
        )
    return _llamacpp_model(settings)


def _llamacpp_model(settings: LLMSettings) -> Any:
    """A LangChain chat model over an in-process llama.cpp GGUF (llama-cpp-python).

    Written here rather than taken from langchain-community, which is being sunset; it is the
    two methods LangChain asks of a chat model, with llama.cpp's own chat completion doing the rest.
    """
    try:
        import llama_cpp
    except ImportError as exc:
        raise _missing("llamacpp") from exc
    if not Path(settings.model).is_file():
        raise ConfigError(f"ISNAD_LLM_MODEL={settings.model!r} is not a file: set it to the path of a GGUF model")
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

    roles = {"system": "system", "human": "user", "ai": "assistant"}
    llama = llama_cpp.Llama(
        model_path=settings.model, n_ctx=settings.context_tokens, n_threads=settings.threads, verbose=False
    )
    lock = threading.Lock()  # one llama.cpp context serves one completion at a time

    class LlamaCppChatModel(BaseChatModel):
        @property
        def _llm_type(self) -> str:
            return "llamacpp"

        def _complete(self, messages: list[BaseMessage], stop: list[str] | None, stream: bool) -> Any:
            chat: list[Any] = [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]
            return llama.create_chat_completion(
                messages=chat,
                max_tokens=settings.max_tokens,
                temperature=settings.temperature,
                stop=stop,
                stream=stream,
            )

        def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
            with lock:
                reply = self._complete(messages, stop, stream=False)
            content = reply["choices"][0]["message"].get("content") or ""
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=content))])

        def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
            with lock:
                for chunk in self._complete(messages, stop, stream=True):
                    delta = chunk["choices"][0]["delta"].get("content")
                    if delta:
                        yield ChatGenerationChunk(message=AIMessageChunk(content=delta))

    return LlamaCppChatModel()


def load_generator(settings: LLMSettings) -> Generator:
    """The generator named in settings; a missing extra fails here, at start-up."""
    if settings.provider == "extractive":
        return ExtractiveGenerator()
    return ChatModelGenerator(settings.provider, chat_model(settings), settings.timeout, _timeouts(settings.provider))
