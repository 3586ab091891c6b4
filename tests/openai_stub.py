"""A small real OpenAI-compatible server for tests: ``POST /v1/chat/completions`` on loopback.

Replies are scripted: each request takes the next entry of ``replies`` — a
string (the assistant's content), an int (an HTTP error status), or a
callable given the request body and returning either.  Every request body
is kept in ``requests`` so a test can check what the client sent.  Streaming
requests (``"stream": true``) are answered as server-sent chunks.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, Union

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

Reply = Union[str, int, Callable[[dict], Union[str, int]]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OpenAIStub:
    def __init__(self, replies: list[Reply] | None = None):
        self.replies: list[Reply] = list(replies or [])
        self.requests: list[dict[str, Any]] = []
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def _next(self, body: dict) -> str | int:
        reply: Reply = self.replies.pop(0) if self.replies else 500
        return reply(body) if callable(reply) else reply

    def app(self) -> FastAPI:
        api = FastAPI()

        @api.post("/v1/chat/completions")
        async def completions(request: Request):
            body = await request.json()
            self.requests.append(body)
            reply = self._next(body)
            if isinstance(reply, int):
                return JSONResponse({"error": {"message": "scripted failure", "type": "server_error"}},
                                    status_code=reply)
            created = int(time.time())
            if body.get("stream"):
                def chunks():
                    for piece in [reply[i:i + 40] for i in range(0, len(reply), 40)]:
                        delta = {"id": "stub", "object": "chat.completion.chunk", "created": created,
                                 "model": body.get("model"),
                                 "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                        yield f"data: {json.dumps(delta)}\n\n"
                    yield "data: [DONE]\n\n"
                return StreamingResponse(chunks(), media_type="text/event-stream")
            return {"id": "stub", "object": "chat.completion", "created": created, "model": body.get("model"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": reply},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}

        return api

    def __enter__(self) -> "OpenAIStub":
        config = uvicorn.Config(self.app(), host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.time() + 10
        while not self._server.started:
            if time.time() > deadline:
                raise RuntimeError("OpenAI stub did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None and self._thread is not None
        self._server.should_exit = True
        self._thread.join(timeout=10)
