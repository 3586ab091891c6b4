"""Put golden questions to the chat API and keep every reply with its latency.

Only the documented HTTP contract of ``POST /chat`` is used, so the same code
scores the app in process (FastAPI's test client, no server) or a running
server at ``--url``.  Multi-turn items send their earlier turns first in the
same conversation; only the last reply is scored, but every reply is kept so
a report can show how a follow-up was reached.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from evals.golden import GoldenItem
from planchat.settings import Settings

CHAT_PATH = "/chat"
RETRIEVED_FIELDS = ("retrieved", "retrieved_chunks", "retrieved_ids", "contexts")  # optional debug fields


class Citation(BaseModel):
    model_config = ConfigDict(extra="allow")

    n: int
    doc_id: str
    doc_title: str | None = None
    section: str | list[str] | None = None
    page: int | None = None
    quote: str = ""
    chunk_id: str | None = None
    record_id: str | None = None


class ChatReply(BaseModel):
    """The chat API's response; unknown fields are kept (``model_extra``) for debug fields."""

    model_config = ConfigDict(extra="allow")

    conversation_id: str | None = None
    answer: str = ""
    citations: list[Citation] = Field(default_factory=list)
    route: str | None = None
    records: list[dict[str, Any]] = Field(default_factory=list)

    def extra(self, name: str) -> Any:
        return (self.model_extra or {}).get(name)

    def retrieved(self) -> list[Any] | None:
        """The retrieved chunks/records when the server exposes them (ids or objects), else None."""
        for name in RETRIEVED_FIELDS:
            value = self.extra(name)
            if isinstance(value, list):
                return value
        debug = self.extra("debug")
        if isinstance(debug, dict):
            for name in RETRIEVED_FIELDS:
                if isinstance(debug.get(name), list):
                    return debug[name]
        return None


class Turn(BaseModel):
    message: str
    reply: ChatReply
    seconds: float


class QuestionRun(BaseModel):
    """Every turn of one golden item; ``error`` is set when a turn failed (HTTP error, bad JSON)."""

    item_id: str
    turns: list[Turn] = Field(default_factory=list)
    error: str | None = None

    @property
    def final(self) -> ChatReply:
        return self.turns[-1].reply if self.turns and not self.error else ChatReply()

    @property
    def seconds(self) -> float | None:
        """Latency of the scored (last) turn."""
        return self.turns[-1].seconds if self.turns and not self.error else None


class Transport(Protocol):
    def post(self, path: str, payload: dict[str, Any]) -> tuple[int, Any]: ...

    def close(self) -> None: ...


class _ClientTransport:
    """Shared by both transports: FastAPI's test client and httpx have the same ``post``."""

    client: Any

    def post(self, path: str, payload: dict[str, Any]) -> tuple[int, Any]:
        response = self.client.post(path, json=payload)
        return response.status_code, _json(response)


class InProcessTransport(_ClientTransport):
    """The real app in this process (``create_app(settings)``), no sockets."""

    def __init__(self, settings: Settings):
        from fastapi.testclient import TestClient

        from app.main import create_app

        self.client = TestClient(create_app(settings))
        self.client.__enter__()  # run the lifespan, like a server would

    def close(self) -> None:
        self.client.__exit__(None, None, None)


class HttpTransport(_ClientTransport):
    """A running planchat server, e.g. ``http://127.0.0.1:8000``."""

    def __init__(self, url: str, timeout: float = 120.0):
        import httpx

        self.client = httpx.Client(base_url=url.rstrip("/"), timeout=timeout)

    def close(self) -> None:
        self.client.close()


def _json(response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


WARM_UP = "What is the Roadmap to Excellence?"


def warm_up(transport: Transport) -> None:
    """One untimed question first: latency is measured on a warm service (models loaded, caches built)."""
    try:
        transport.post(CHAT_PATH, {"message": WARM_UP, "conversation_id": None})
    except Exception:  # noqa: BLE001 - a failing server shows up in the timed questions
        pass


def ask(transport: Transport, item: GoldenItem) -> QuestionRun:
    """All messages of ``item`` in one conversation, timing each turn."""
    run = QuestionRun(item_id=item.id)
    conversation_id: str | None = None
    for message in item.messages:
        started = time.perf_counter()
        try:
            status, body = transport.post(CHAT_PATH, {"message": message, "conversation_id": conversation_id})
        except Exception as exc:  # noqa: BLE001 - a broken server is a scored failure, not a crash
            run.error = f"{type(exc).__name__}: {exc}"
            return run
        seconds = time.perf_counter() - started
        if status != 200 or not isinstance(body, dict):
            run.error = f"HTTP {status}: {str(body)[:300]}"
            return run
        reply = ChatReply.model_validate(body)
        run.turns.append(Turn(message=message, reply=reply, seconds=seconds))
        conversation_id = reply.conversation_id or conversation_id
    return run


def ask_all(transport: Transport, items: list[GoldenItem],
            progress: Callable[[int, int], None] | None = None) -> list[QuestionRun]:
    runs = []
    for done, item in enumerate(items, start=1):
        runs.append(ask(transport, item))
        if progress:
            progress(done, len(items))
    return runs
