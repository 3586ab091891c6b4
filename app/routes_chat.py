"""``POST /chat`` and ``POST /chat/stream`` (server-sent events) over ``ChatService``.

The stream is computed first and then sent sentence by sentence: citations
are verified against their sources before anything is shown, so no token
the reader sees can later lose its citation.  Events: ``meta``
(conversation id, route), one ``sentence`` per sentence or line (their
texts concatenate to the answer), ``citations``, then ``final`` (the whole
``ChatResponse``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from app.chat.models import ChatRequest, ChatResponse
from app.chat.service import ChatService

router = APIRouter(tags=["chat"])
_BREAK = re.compile(r"(?<=[.!?\]:])[ \t]+(?=[A-Z\-•(“\"])|\n")


def chat_service(request: Request) -> ChatService:
    return request.app.state.chat


def pieces(answer: str) -> list[str]:
    """The answer cut after each sentence or line; the pieces concatenate back to ``answer``."""
    out, cursor = [], 0
    for match in _BREAK.finditer(answer):
        out.append(answer[cursor:match.end()])
        cursor = match.end()
    if cursor < len(answer):
        out.append(answer[cursor:])
    return out


def _event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/chat", response_model=ChatResponse, summary="Ask a question; the answer cites its sources")
def chat(body: ChatRequest, service: ChatService = Depends(chat_service)) -> ChatResponse:
    return service.answer(body)


@router.post("/chat/stream", summary="The same answer as server-sent events: sentences, citations, final")
def chat_stream(body: ChatRequest, service: ChatService = Depends(chat_service)) -> StreamingResponse:
    response = service.answer(body)

    def events() -> Iterator[str]:
        yield _event("meta", {"conversation_id": response.conversation_id, "route": response.route,
                              "question": response.question})
        for piece in pieces(response.answer):
            yield _event("sentence", {"sentence": piece})
        yield _event("citations", {"citations": [c.model_dump(mode="json") for c in response.citations]})
        yield _event("final", response.model_dump(mode="json"))

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
