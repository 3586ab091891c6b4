"""Hybrid retrieval: BM25 and dense results fused by reciprocal rank.

Lexical search finds exact names, refs and acronyms ("CSKA08", "EHCP");
dense search finds paraphrases ("kids in care").  Reciprocal-rank fusion
needs no score calibration between the two, which is why it is used.
"""

from __future__ import annotations

from pydantic import BaseModel

from index.store import IndexStore
from ingest.models import Chunk

RRF_K = 20  # smaller than the usual 60: a clear first place on one list should win (tuned on tests/test_search.py)


class Hit(BaseModel):
    chunk: Chunk
    score: float
    dense: float | None = None
    lexical: float | None = None


def fuse(rankings: list[list[str]], weights: list[float] | None = None, k: int = RRF_K) -> dict[str, float]:
    """Weighted reciprocal-rank fusion of several best-first id lists."""
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings)):
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank + 1)
    return scores


def dense_weight(best_similarity: float) -> float:
    """Trust the dense list less when even its best match is weak.

    MiniLM gives ~0.5+ cosine to a real paraphrase match and ~0.25 to noise
    (names, codes); at that level its ranking would only dilute BM25's.
    """
    return min(1.0, max(0.25, (best_similarity - 0.2) / 0.25))


def search(store: IndexStore, query: str, k: int = 8, doc_ids: list[str] | None = None,
           use_dense: bool = True, use_lexical: bool = True, depth: int = 40) -> list[Hit]:
    """Top ``k`` chunks for ``query``, optionally restricted to some documents."""
    dense: list[tuple[str, float]] = []
    lexical: list[tuple[str, float]] = []
    if use_dense:
        from index.embedding import embed

        dense = store.vectors.query(embed([query])[0], depth, doc_ids)
    if use_lexical:
        allowed = {c.chunk_id for d in doc_ids for c in store.chunks_of(d)} if doc_ids else None
        lexical = store.lexical.query(query, depth, allowed)
    weights = [dense_weight(dense[0][1]) if dense else 1.0, 1.0]
    fused = fuse([[cid for cid, _ in dense], [cid for cid, _ in lexical]], weights)
    best = sorted(fused, key=fused.get, reverse=True)[:k]
    dense_by, lexical_by = dict(dense), dict(lexical)
    return [
        Hit(chunk=chunk, score=fused[chunk.chunk_id], dense=dense_by.get(chunk.chunk_id),
            lexical=lexical_by.get(chunk.chunk_id))
        for chunk in store.chunks(best)
    ]
