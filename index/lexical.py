"""BM25 over the same chunk texts the vectors see (Chroma has no lexical search locally)."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import Stemmer

_stemmer = Stemmer.Stemmer("english")


def _tokens(texts: list[str]):
    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer, show_progress=False)


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25, ids: list[str]):
        self.retriever = retriever
        self.ids = ids

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "LexicalIndex":
        retriever = bm25s.BM25()
        retriever.index(_tokens(texts), show_progress=False)
        return cls(retriever, ids)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids))

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        return cls(retriever, json.loads((folder / "ids.json").read_text()))

    def query(self, text: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score) pairs with a positive score, best first."""
        if not self.ids:
            return []
        tokens = _tokens([text])
        if not tokens.vocab or not any(tokens.ids):
            return []
        n = len(self.ids) if allowed else min(k, len(self.ids))
        docs, scores = self.retriever.retrieve(tokens, k=n, show_progress=False, n_threads=1)
        hits = []
        for idx, score in zip(docs[0], scores[0]):
            chunk_id = self.ids[int(idx)]
            if score > 0 and (allowed is None or chunk_id in allowed):
                hits.append((chunk_id, float(score)))
        return hits[:k]
