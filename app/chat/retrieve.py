"""Passages for a question: hybrid search, document and section filters, neighbours merged, diversity.

``index.search`` does the ranking (BM25 + dense by reciprocal rank, or one
side alone when ``settings.retrieval_mode`` says so).  Here the hits become
passages: adjacent prose chunks of one document are merged so a sentence
cut by a chunk boundary reads whole; a named section ("Priority Two")
narrows the hits; a synthesis question ("across the documents") gets at
most half its passages from any one document.
"""

from __future__ import annotations

import math

from pydantic import BaseModel

from app.chat.catalog import Catalog
from index.search import Hit, search
from index.store import IndexStore
from ingest.models import Chunk
from planchat.settings import Settings


class Passage(BaseModel):
    doc_id: str
    doc_title: str
    chunks: list[Chunk]
    start: int
    end: int
    text: str
    score: float
    rank: int
    dense: float | None = None
    lexical: float | None = None

    @property
    def kind(self) -> str:
        return self.chunks[0].kind

    @property
    def section(self) -> str:
        return self.chunks[0].section_label

    @property
    def header(self) -> str:
        """The table header a row passage carries ('' for prose)."""
        return self.chunks[0].header or ""

    def chunk_at(self, start: int, end: int) -> tuple[Chunk, int, int] | None:
        """The chunk holding most of the document span [start, end), with the span clipped to it."""
        best, best_overlap = None, 0
        for chunk in self.chunks:
            overlap = min(end, chunk.end) - max(start, chunk.start)
            if overlap > best_overlap:
                best, best_overlap = chunk, overlap
        if best is None:
            return None
        return best, max(start, best.start), min(end, best.end)


def _hits(store: IndexStore, query: str, settings: Settings, k: int, doc_ids: list[str] | None) -> list[Hit]:
    mode = settings.retrieval_mode
    return search(store, query, k=k, doc_ids=doc_ids or None, use_dense=mode != "lexical",
                  use_lexical=mode != "dense")


def _diverse(hits: list[Hit], k: int) -> list[Hit]:
    """Best hits with at most ceil(k/2) from one document, topped up if too few documents answer."""
    cap = max(2, math.ceil(k / 2))
    chosen: list[Hit] = []
    per_doc: dict[str, int] = {}
    for hit in hits:
        if per_doc.get(hit.chunk.doc_id, 0) < cap:
            chosen.append(hit)
            per_doc[hit.chunk.doc_id] = per_doc.get(hit.chunk.doc_id, 0) + 1
        if len(chosen) == k:
            return chosen
    return chosen + [h for h in hits if h not in chosen][:k - len(chosen)]


def _merge(hits: list[Hit], catalog: Catalog) -> list[Passage]:
    """Adjacent or overlapping prose hits of a document become one passage (best score, best rank)."""
    ranked = {h.chunk.chunk_id: n for n, h in enumerate(hits)}
    groups: list[list[Hit]] = []
    for hit in sorted(hits, key=lambda h: (h.chunk.doc_id, h.chunk.ordinal)):
        last = groups[-1][-1].chunk if groups else None
        if (last is not None and hit.chunk.kind == "prose" and last.kind == "prose"
                and last.doc_id == hit.chunk.doc_id and hit.chunk.ordinal - last.ordinal <= 1):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    passages = []
    for group in groups:
        chunks = [h.chunk for h in group]
        doc_id = chunks[0].doc_id
        start, end = min(c.start for c in chunks), max(c.end for c in chunks)
        text = catalog.texts.get(doc_id, "")[start:end] if len(chunks) > 1 else chunks[0].text
        dense = [h.dense for h in group if h.dense is not None]
        lexical = [h.lexical for h in group if h.lexical is not None]
        passages.append(Passage(
            doc_id=doc_id, doc_title=catalog.title(doc_id), chunks=chunks, start=start, end=end, text=text,
            score=max(h.score for h in group), rank=min(ranked[c.chunk_id] for c in chunks),
            dense=max(dense) if dense else None, lexical=max(lexical) if lexical else None))
    return sorted(passages, key=lambda p: p.rank)


def retrieve(store: IndexStore, catalog: Catalog, query: str, settings: Settings, doc_ids: list[str] | None = None,
             section: str | None = None, diverse: bool = False) -> list[Passage]:
    """The top ``settings.top_k`` chunks for ``query`` as merged passages, best first."""
    k = max(1, settings.top_k)
    wide = section is not None or diverse
    hits = _hits(store, query, settings, k * 3 if wide else k, doc_ids)
    if section:
        wanted = section.lower()
        hits = [h for h in hits if wanted in h.chunk.section_label.lower()] or hits
    hits = _diverse(hits, k) if diverse else hits[:k]
    return _merge(hits, catalog)
