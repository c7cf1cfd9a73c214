"""Scripted LangChain chat models for generation tests (subclasses of LangChain's own fake)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk


def scripted(text: str) -> GenericFakeChatModel:
    """Replies once with `text`, streamed word by word."""
    return GenericFakeChatModel(messages=iter([AIMessage(content=text)]))


class SlowChatModel(GenericFakeChatModel):
    """Streams its message one word every `delay` seconds."""

    delay: float = 0.3

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for word in str(next(self.messages).content).split(" "):
            time.sleep(self.delay)
            yield ChatGenerationChunk(message=AIMessageChunk(content=word + " "))


class SilentChatModel(GenericFakeChatModel):
    """Answers with nothing at all."""

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        yield ChatGenerationChunk(message=AIMessageChunk(content=""))


class BrokenChatModel(GenericFakeChatModel):
    """Fails like a dead server."""

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        raise ConnectionError("connection refused")
