"""The Chroma collection of chunk vectors (cosine space, explicit embedder)."""

from __future__ import annotations

from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings

from index.embedding import MiniLMEmbeddingFunction
from ingest.models import Chunk

COLLECTION = "chunks"


class VectorStore:
    def __init__(self, path: Path):
        self.path = path
        self.client = chromadb.PersistentClient(
            path=str(path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        )
        self.collection = self.client.get_or_create_collection(
            COLLECTION, embedding_function=MiniLMEmbeddingFunction(), metadata={"hnsw:space": "cosine"}
        )

    def add(self, views: list[tuple[Chunk, int]], vectors: list[list[float]]) -> None:
        """Store one vector per (chunk, view number); view 0 is the chunk itself."""
        self.collection.add(
            ids=[c.chunk_id if n == 0 else f"{c.chunk_id}#{n}" for c, n in views],
            embeddings=vectors,
            documents=[c.text for c, _ in views],
            metadatas=[
                {"chunk_id": c.chunk_id, "doc_id": c.doc_id, "kind": c.kind, "section": c.section_label, "view": n}
                for c, n in views
            ],
        )

    def delete_document(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})

    def count(self) -> int:
        """Number of chunks (main views), not of vectors."""
        return len(self.collection.get(where={"view": 0}, include=[])["ids"])

    def query(self, vector: list[float], k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) pairs, best first."""
        where = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": doc_ids}}
        n = min(2 * k, self.collection.count())
        if n <= 0:
            return []
        result = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances", "metadatas"])
        best: dict[str, float] = {}
        for meta, dist in zip(result["metadatas"][0], result["distances"][0]):
            best.setdefault(meta["chunk_id"], 1.0 - dist)  # results come best first
        return list(best.items())[:k]

    def close(self) -> None:
        """Release this client's share of the on-disk system (refcounted by Chroma)."""
        self.client.close()
