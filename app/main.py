"""The FastAPI application: documents, health and (in app/routes_*) chat and records."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.chat.conversations import ConversationStore
from app.chat.service import ChatService
from app.state import IndexHolder
from index.store import IndexStore
from planchat.errors import ConversationNotFoundError, IndexMissingError, PlanchatError
from planchat.settings import Settings, get_settings, offline_environment

log = logging.getLogger(__name__)


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    publisher: str | None
    date: str | None
    status: str | None
    kind: str | None
    chunks: int


class Section(BaseModel):
    path: list[str]
    start: int
    end: int


class DocumentDetail(DocumentSummary):
    text: str
    sections: list[Section]
    page_starts: list[int] | None


def create_app(settings: Settings | None = None) -> FastAPI:
    offline_environment()
    settings = settings or get_settings()
    holder = IndexHolder(settings)
    conversations = ConversationStore(settings.conversations_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        threading.Thread(target=app.state.chat.warm, name="planchat-warm", daemon=True).start()
        yield
        holder.close()
        conversations.close()

    app = FastAPI(title="planchat", version="0.1.0", lifespan=lifespan,
                  description="Answers from a council's strategy and plan documents, with citations and exact lookups.")
    app.state.holder = holder
    app.state.settings = settings
    app.state.chat = ChatService(settings, holder, conversations)

    @app.exception_handler(IndexMissingError)
    async def _no_index(_: Request, exc: IndexMissingError):
        return JSONResponse(status_code=503, content={"detail": str(exc)})

    @app.exception_handler(ConversationNotFoundError)
    async def _no_conversation(_: Request, exc: ConversationNotFoundError):
        log.info("request failed: %s", exc)
        return JSONResponse(status_code=404, content={"detail": str(exc)})

    @app.exception_handler(PlanchatError)
    async def _planchat_error(_: Request, exc: PlanchatError):
        log.warning("request failed: %s", exc)
        return JSONResponse(status_code=400, content={"detail": str(exc)})

    @app.get("/health")
    def health(store: IndexStore = Depends(index_store)) -> dict:
        return {"status": "ok", "generation": store.generation, "documents": len(store.titles),
                "chunks": store.chunk_count(), "llm": bool(settings.llm_base_url)}

    @app.get("/documents", response_model=list[DocumentSummary])
    def documents(store: IndexStore = Depends(index_store)):
        return [_summary(d) for d in store.documents()]

    @app.get("/documents/{doc_id}", response_model=DocumentDetail)
    def document(doc_id: str, store: IndexStore = Depends(index_store)):
        row = store.document(doc_id)
        if row is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return DocumentDetail(**_summary(row).model_dump(), text=row.text, page_starts=row.page_starts,
                              sections=_sections(store, doc_id))

    from app.routes_chat import router as chat_router  # imported here: the route modules use index_store
    from app.routes_records import router as records_router
    from app.web import router as web_router  # the chat page (GET /) and its static files
    app.include_router(chat_router)
    app.include_router(records_router)
    app.include_router(web_router)
    return app


def index_store(request: Request) -> IndexStore:
    return request.app.state.holder.current()


def _summary(row) -> DocumentSummary:
    return DocumentSummary(doc_id=row.doc_id, title=row.title, publisher=row.publisher, date=row.date,
                           status=row.status, kind=row.kind, chunks=row.chunk_count)


def _sections(store: IndexStore, doc_id: str) -> list[Section]:
    """Contiguous runs of chunks sharing a section path, for the citation viewer's outline."""
    sections: list[Section] = []
    for chunk in store.chunks_of(doc_id):
        if sections and sections[-1].path == chunk.section:
            sections[-1].end = max(sections[-1].end, chunk.end)
        else:
            sections.append(Section(path=chunk.section, start=chunk.start, end=chunk.end))
    return sections
