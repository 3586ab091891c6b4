"""What the assistant retrieved for a reply, as texts the metrics can compare.

Context metrics need the full text of every retrieved chunk or record, but a
reply carries only ids and short quotes.  ``Sources`` resolves ids against
the local index (chunks from ``IndexStore.chunks``, records from the record
store).  When the server lists its retrieved ids in a debug field that list
is used, in its order; otherwise the cited chunks and returned records stand
in for "what was retrieved", in citation order.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from pydantic import BaseModel

from evals.chat_client import ChatReply, Citation
from planchat.settings import Settings

log = logging.getLogger(__name__)


class Context(BaseModel):
    key: str
    doc_id: str | None = None
    text: str
    kind: Literal["chunk", "record", "quote"]


class Sources:
    """Chunk texts and record sources by id, from the local index when one is there."""

    def __init__(self, chunks: dict[str, Context] | None = None, records: dict[str, dict[str, Any]] | None = None,
                 store: Any = None):
        self._chunks = chunks or {}
        self.records = records or {}
        self._store = store

    @classmethod
    def open(cls, settings: Settings) -> "Sources":
        """Sources of the active index generation; empty (quotes only) when there is no local index."""
        try:
            from index.records import RecordQuery, query_records
            from index.store import IndexStore

            store = IndexStore.open(settings)
        except Exception as exc:  # noqa: BLE001 - scoring a remote server without a local index still works
            log.warning("no local index to resolve retrieved chunks (%s); using cited quotes only", exc)
            return cls()
        try:
            records = {r.record_id: r.model_dump(mode="json") for r in query_records(store, RecordQuery())}
        except Exception as exc:  # noqa: BLE001 - an index without the record store
            log.warning("record store unavailable: %s", exc)
            records = {}
        return cls(records=records, store=store)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def chunk(self, chunk_id: str) -> Context | None:
        if chunk_id not in self._chunks and self._store is not None:
            for chunk in self._store.chunks([chunk_id]):
                self._chunks[chunk_id] = Context(key=chunk_id, doc_id=chunk.doc_id, text=chunk.text, kind="chunk")
        return self._chunks.get(chunk_id)

    def record(self, record_id: str, reply: ChatReply | None = None) -> Context | None:
        """The record's source text: the record store's (the truth), else what the reply carries."""
        data = self.records.get(record_id) or next(
            (r for r in (reply.records if reply else []) if r.get("record_id") == record_id), None)
        if not data or not data.get("source"):
            return None
        return Context(key=record_id, doc_id=data.get("doc_id"), text=data["source"], kind="record")

    def resolve(self, key: str, reply: ChatReply | None = None) -> Context | None:
        """A chunk or record by id, whichever it is."""
        return self.chunk(key) or self.record(key, reply)


def citation_source(citation: Citation, reply: ChatReply, sources: Sources) -> Context | None:
    """The chunk or record a citation points at, or None when it cannot be found."""
    if citation.chunk_id:
        return sources.chunk(citation.chunk_id)
    if citation.record_id:
        return sources.record(citation.record_id, reply)
    return None


def _from_debug(entry: Any, reply: ChatReply, sources: Sources) -> Context | None:
    if isinstance(entry, str):
        return sources.resolve(entry, reply)
    if not isinstance(entry, dict):
        return None
    key = entry.get("chunk_id") or entry.get("record_id") or entry.get("id")
    found = sources.resolve(str(key), reply) if key else None
    if found is None and entry.get("text") and key:
        found = Context(key=str(key), doc_id=entry.get("doc_id"), text=entry["text"], kind="chunk")
    return found


def retrieved_contexts(reply: ChatReply, sources: Sources) -> list[Context]:
    """Retrieved contexts of ``reply``, best first, without duplicates."""
    found: list[Context] = []
    debug = reply.retrieved()
    if debug is not None:
        found = [c for c in (_from_debug(e, reply, sources) for e in debug) if c is not None]
    else:
        for citation in sorted(reply.citations, key=lambda c: c.n):
            context = citation_source(citation, reply, sources)
            if context is None and citation.quote:
                key = citation.chunk_id or citation.record_id or f"quote:{citation.n}"
                context = Context(key=key, doc_id=citation.doc_id, text=citation.quote, kind="quote")
            if context is not None:
                found.append(context)
        for record in reply.records:
            context = sources.record(str(record.get("record_id")), reply) if record.get("record_id") else None
            if context is not None:
                found.append(context)
    seen: set[str] = set()
    unique = []
    for context in found:
        if context.key not in seen:
            seen.add(context.key)
            unique.append(context)
    return unique
