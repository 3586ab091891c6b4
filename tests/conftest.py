"""Shared fixtures: one real index of the corpus per test session.

Tests run against real parts (Chroma on disk, SQLite, the bundled MiniLM),
so the corpus is ingested once into a temporary data folder and shared.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planchat import settings as settings_module
from planchat.settings import PROJECT_ROOT, offline_environment

offline_environment()
CORPUS = PROJECT_ROOT / "corpus"


def use_data_dir(path: Path, **extra: str) -> settings_module.Settings:
    """Point planchat at ``path`` (and any other PLANCHAT_ settings) for this process."""
    os.environ["PLANCHAT_DATA_DIR"] = str(path)
    for key, value in extra.items():
        os.environ[f"PLANCHAT_{key.upper()}"] = value
    settings_module.get_settings.cache_clear()
    return settings_module.get_settings()


@pytest.fixture(scope="session")
def built_index(tmp_path_factory):
    """Settings of a data folder holding a full ingest of corpus/."""
    from ingest.pipeline import ingest

    settings = use_data_dir(tmp_path_factory.mktemp("data"))
    ingest([CORPUS], settings=settings)
    yield settings


@pytest.fixture(scope="session")
def store(built_index):
    from index.store import IndexStore

    store = IndexStore.open(built_index)
    yield store
    store.close()
