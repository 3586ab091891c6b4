"""Typed shapes at the chat boundary: the request, the answer, its citations."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from index.records import Record

Route = Literal["lookup", "search", "both", "none"]
AnsweredBy = Literal["extractive", "llm", "rules"]


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=4000, description="The user's question or follow-up.")
    conversation_id: str | None = Field(None, description="Continue this conversation; null starts a new one.")


class Citation(BaseModel):
    """One numbered source of an answer; ``quote`` is a verbatim substring of the chunk text or record source."""

    n: int
    doc_id: str
    doc_title: str
    section: str | None = None
    page: int | None = None
    quote: str
    chunk_id: str | None = None
    record_id: str | None = None
    start: int | None = Field(None, description="Offset of the quote in the document's cleaned text.")
    end: int | None = None


class ChatResponse(BaseModel):
    conversation_id: str
    answer: str = Field(description="Answer text; claims carry [n] markers matching citations[n].")
    citations: list[Citation] = Field(default_factory=list)
    route: Route
    records: list[Record] = Field(default_factory=list, description="Records the answer lists, complete for lookups.")
    question: str = Field("", description="The standalone question answered (a follow-up rewritten).")
    records_query: dict[str, Any] | None = Field(None, description="GET /records filters reproducing the list.")
    refused: bool = Field(False, description="The documents do not support an answer; the reply says so.")
    corrected: bool = Field(False, description="The question's premise was wrong (a ref that does not exist, "
                                               "a wrong owner) and the reply corrects it.")
    answered_by: AnsweredBy = Field("extractive", description="rules: exact lookups; llm: generated and verified.")
