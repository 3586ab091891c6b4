"""A small real OpenAI-compatible server for tests: ``POST /v1/chat/completions`` on loopback.

Replies are scripted: each request takes the next entry of ``replies`` — a
string (the assistant's content), an int (an HTTP error status), or a
callable given the request body and returning either.  Every request body
is kept in ``requests`` so a test can check what the client sent.  Streaming
requests (``"stream": true``) are answered as server-sent chunks.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any, Union

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from tests.servers import serve

Reply = Union[str, int, Callable[[dict], Union[str, int]]]


class OpenAIStub:
    def __init__(self, replies: list[Reply] | None = None):
        self.replies: list[Reply] = list(replies or [])
        self.requests: list[dict[str, Any]] = []
        self.url = ""  # set on entering: http://127.0.0.1:<port>/v1
        self._serving: ExitStack | None = None

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
        self._serving = ExitStack()
        self.url = self._serving.enter_context(serve(self.app())) + "/v1"
        return self

    def __exit__(self, *exc) -> None:
        assert self._serving is not None
        self._serving.close()
