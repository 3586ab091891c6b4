"""The serving index, swapped when an ingest publishes a new generation.

Requests call ``current()``; it reads the small pointer file and reopens
the stores only when the generation changed, so a running server picks up
a new ingest without a restart and never sees a half-built index.
"""

from __future__ import annotations

import threading

from index import generations
from index.store import IndexStore
from planchat.errors import IndexMissingError
from planchat.settings import Settings


class IndexHolder:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._store: IndexStore | None = None
        self._lock = threading.Lock()

    def current(self) -> IndexStore:
        folder = generations.active(self.settings.index_root)
        if folder is None:
            raise IndexMissingError(str(self.settings.index_root))
        store = self._store
        if store is not None and store.folder == folder:
            return store
        with self._lock:
            if self._store is None or self._store.folder != folder:
                self._store = IndexStore(folder, self.settings)  # the old one is left to readers in flight
            return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
