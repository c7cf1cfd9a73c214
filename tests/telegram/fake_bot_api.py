"""A fake Telegram Bot API server over real HTTP (aiohttp), for driving a real bot in tests.

It serves the methods the bot uses, records every request with its decoded parameters, long-polls
getUpdates like Telegram does, and can answer the next calls of a method with 429 Too Many
Requests. Update payloads are built with :func:`message_update`, :func:`callback_update` and
:func:`inline_update`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 900001
BOT_USERNAME = "isnad_test_bot"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Isnad", "username": BOT_USERNAME}

# Parameters PTB sends as JSON-encoded strings in form data, and ones that are integers.
_JSON_FIELDS = {"reply_markup", "entities", "allowed_updates", "link_preview_options", "reply_parameters", "commands",
                "results"}
_INT_FIELDS = {"chat_id", "message_id", "offset", "timeout", "limit", "reply_to_message_id"}


@dataclass
class Request:
    """One call the bot made: method name, decoded parameters, and whether it was accepted."""

    method: str
    params: dict[str, Any]
    ok: bool = True
    at: float = field(default_factory=time.monotonic)


def _decode(params: dict[str, Any]) -> dict[str, Any]:
    decoded = {}
    for key, value in params.items():
        if isinstance(value, str) and key in _JSON_FIELDS:
            value = json.loads(value)
        elif isinstance(value, str) and key in _INT_FIELDS and value.lstrip("-").isdigit():
            value = int(value)
        decoded[key] = value
    return decoded


class FakeBotAPI:
    """The server: start(), point the bot at .base_url, push updates, inspect .requests, stop()."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.requests: list[Request] = []
        self.webhook_url = ""
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._failures: dict[str, tuple[int, int]] = {}  # method -> (remaining, retry_after)
        self._outages: dict[str, int] = {}  # method -> remaining 502 answers
        self._files: dict[str, bytes] = {}  # file_id -> content (getFile, then /file/bot<token>/<path>)
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{file_id}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Release pending long polls, then shut the server down."""
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- test controls ---------------------------------------------------------------------
    async def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update = {"update_id": next(self._update_ids), **update}
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()
        return update["update_id"]

    def fail_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 and this retry_after."""
        self._failures[method] = (times, retry_after)

    def break_next(self, method: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with 502 Bad Gateway (a network fault)."""
        self._outages[method] = times

    def put_file(self, file_id: str, data: bytes) -> None:
        """Make a file downloadable by the bot (as if a user had sent it)."""
        self._files[file_id] = data

    def calls(self, method: str, **where: Any) -> list[Request]:
        """Accepted calls of `method` whose parameters include `where`."""
        return [
            r for r in self.requests
            if r.method == method and r.ok and all(r.params.get(k) == v for k, v in where.items())
        ]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10, **where: Any) -> list[Request]:
        """Wait until at least `count` accepted calls of `method` matching `where` arrived."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.calls(method, **where)) >= count), timeout)
        return self.calls(method, **where)

    # -- HTTP ------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        params = _decode(params)
        if self._outages.get(method):
            self._outages[method] -= 1
            await self._record(Request(method, params, ok=False))
            return web.Response(status=502, text="Bad Gateway")
        remaining, retry_after = self._failures.get(method, (0, 0))
        if remaining:
            self._failures[method] = (remaining - 1, retry_after)
            await self._record(Request(method, params, ok=False))
            return web.json_response(
                {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry_after}",
                 "parameters": {"retry_after": retry_after}},
                status=429,
            )
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        await self._record(Request(method, params))
        return web.json_response({"ok": True, "result": await handler(params)})

    async def _record(self, request: Request) -> None:
        async with self._changed:
            self.requests.append(request)
            self._changed.notify_all()

    # -- methods ---------------------------------------------------------------------------
    async def _api_getMe(self, params: dict) -> dict:
        return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": True}

    async def _api_getUpdates(self, params: dict) -> list:
        offset = params.get("offset") or 0
        timeout = float(params.get("timeout") or 0)

        def pending() -> list:
            return [u for u in self._updates if u["update_id"] >= offset]

        async with self._changed:
            self._updates = pending()  # Telegram forgets confirmed updates
            if timeout and not self._closing:
                try:
                    await asyncio.wait_for(self._changed.wait_for(lambda: pending() or self._closing), timeout)
                except TimeoutError:
                    pass
            return [] if self._closing else pending()

    def _message(self, params: dict) -> dict:
        chat_id = params["chat_id"]
        return {"message_id": next(self._message_ids), "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "text": params.get("text", "")}

    async def _api_sendMessage(self, params: dict) -> dict:
        return self._message(params)

    async def _api_editMessageText(self, params: dict) -> dict:
        return {**self._message(params), "message_id": params["message_id"]}

    async def _api_sendChatAction(self, params: dict) -> bool:
        return True

    async def _api_answerCallbackQuery(self, params: dict) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict) -> bool:
        return True

    async def _api_answerInlineQuery(self, params: dict) -> bool:
        return True

    async def _api_getFile(self, params: dict) -> dict:
        file_id = params["file_id"]
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self._files[file_id]), "file_path": file_id}

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token or request.match_info["file_id"] not in self._files:
            return web.Response(status=404)
        return web.Response(body=self._files[request.match_info["file_id"]])

    async def _api_setWebhook(self, params: dict) -> bool:
        self.webhook_url = params.get("url", "")
        return True

    async def _api_deleteWebhook(self, params: dict) -> bool:
        self.webhook_url = ""
        return True

    async def _api_getWebhookInfo(self, params: dict) -> dict:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}


# -- update payloads -------------------------------------------------------------------------

_ids = itertools.count(1)


def user(user_id: int, language_code: str = "en") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": language_code}


def message_update(
    chat_id: int,
    text: str | None = None,
    *,
    user_id: int | None = None,
    language_code: str = "en",
    reply_to: dict[str, Any] | None = None,
    **content: Any,
) -> dict[str, Any]:
    """A `message` update; a negative chat_id is a supergroup. Commands get their entity."""
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
    if chat_id < 0:
        chat["title"] = "Test group"
    message: dict[str, Any] = {
        "message_id": next(_ids), "date": int(time.time()), "chat": chat,
        "from": user(user_id or abs(chat_id), language_code), **content,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}]
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return {"message": message}


def document_update(chat_id: int, file_id: str, file_name: str, size: int, *, user_id: int | None = None,
                    language_code: str = "en") -> dict[str, Any]:
    """A file sent to the bot (put its content on the server with FakeBotAPI.put_file)."""
    document = {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name, "file_size": size}
    return message_update(chat_id, user_id=user_id, language_code=language_code, document=document)


def bot_message(chat_id: int, message_id: int, text: str = "…") -> dict[str, Any]:
    """A message previously sent by the bot (to reply to it)."""
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
    return {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": BOT_USER, "text": text}


def callback_update(user_id: int, data: str, message: dict[str, Any], language_code: str = "en") -> dict[str, Any]:
    """A button press on `message` (a bot message)."""
    return {"callback_query": {"id": str(next(_ids)), "from": user(user_id, language_code),
                               "chat_instance": "1", "data": data, "message": message}}


def inline_update(user_id: int, query: str, language_code: str = "en") -> dict[str, Any]:
    """`@bot query` typed in any chat."""
    return {"inline_query": {"id": str(next(_ids)), "from": user(user_id, language_code), "query": query, "offset": ""}}
