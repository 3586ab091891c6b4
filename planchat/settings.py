"""All configuration in one place.

Every setting is an environment variable with the ``PLANCHAT_`` prefix and a
documented default, so the same code runs on a laptop, in CI and behind a
reverse proxy without edits.  The README's configuration table mirrors this.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANCHAT_", extra="ignore")

    data_dir: Path = Field(PROJECT_ROOT / "data", description="Generated indexes, databases and caches (git-ignored).")
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Documents ingested by default, with manifest.json.")
    db_url: str | None = Field(None, description="SQLAlchemy URL of the record store; default: SQLite inside the active index generation.")
    chunk_max_tokens: int = Field(256, description="Hard limit of tokens (cl100k) in one chunk, header included.")
    chunk_target_tokens: int = Field(160, description="Prose chunks are packed up to about this many tokens.")
    chunk_overlap_tokens: int = Field(40, description="Prose overlap carried into the next chunk, in whole sentences.")
    embed_batch_size: int = Field(64, description="Texts per embedding batch.")
    top_k: int = Field(8, description="Chunks retrieved per question.")
    retrieval_mode: Literal["hybrid", "dense", "lexical"] = Field(
        "hybrid", description="hybrid fuses BM25 and dense ranks; dense or lexical use one side (for evaluation)."
    )
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint; unset means the extractive answerer.")
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the LLM endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the LLM endpoint.")
    llm_timeout: float = Field(60.0, description="Seconds before an LLM call is abandoned.")
    judge_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint of the evaluation judge; unset means only non-LLM eval metrics.")
    judge_model: str = Field("gpt-4o-mini", description="Model name sent to the judge endpoint.")
    judge_api_key: str = Field("not-needed", description="API key for the judge endpoint.")
    judge_timeout: float = Field(120.0, description="Seconds before one judge call is abandoned.")
    app_db_url: str | None = Field(
        None, description="SQLAlchemy URL of the conversation store; default: SQLite app.db in data_dir (outside "
        "the index generations, which every ingest replaces).")
    answer_sentences: int = Field(6, description="Most supporting sentences an extractive answer quotes.")
    chat_history_turns: int = Field(4, description="Earlier turns of a conversation read to resolve a follow-up.")
    host: str = Field("127.0.0.1", description="Address the web server binds to.")
    port: int = Field(8000, description="Port the web server listens on.")

    @property
    def index_root(self) -> Path:
        return self.data_dir / "index"

    @property
    def conversations_url(self) -> str:
        return self.app_db_url or f"sqlite:///{self.data_dir / 'app.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def offline_environment() -> None:
    """Keep every library away from the network: the machine has none."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
