"""One index generation opened for reading: SQL rows, Chroma vectors, BM25.

``IndexStore.open()`` follows the ``CURRENT`` pointer; the stores inside are
opened lazily so that commands needing only SQL (``status``, ``due``) stay
fast and never load the embedding model.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from index import generations
from index.tables import Base, ChunkRow, DocumentRow, IngestRun
from ingest.models import Chunk
from planchat.errors import IndexMissingError
from planchat.settings import Settings, get_settings

DB_FILE = "planchat.db"
BM25_DIR = "bm25"
CHROMA_DIR = "chroma"


def make_engine(folder: Path, settings: Settings) -> Engine:
    url = settings.db_url or f"sqlite:///{folder / DB_FILE}"
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):  # noqa: ANN001 - SQLAlchemy hook signature
            conn.execute("PRAGMA foreign_keys=ON")

    Base.metadata.create_all(engine)
    return engine


def chunk_from_row(row: ChunkRow) -> Chunk:
    return Chunk(
        chunk_id=row.chunk_id, doc_id=row.doc_id, kind=row.kind, section=row.section, page=row.page,
        start=row.start, end=row.end, text=row.text, header=row.header, ordinal=row.ordinal,
    )


class IndexStore:
    def __init__(self, folder: Path, settings: Settings | None = None):
        self.folder = folder
        self.settings = settings or get_settings()
        self.engine = make_engine(folder, self.settings)

    @classmethod
    def open(cls, settings: Settings | None = None) -> "IndexStore":
        settings = settings or get_settings()
        folder = generations.active(settings.index_root)
        if folder is None:
            raise IndexMissingError(str(settings.index_root))
        return cls(folder, settings)

    @property
    def generation(self) -> str:
        return self.folder.name

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @cached_property
    def vectors(self):
        from index.vectors import VectorStore

        return VectorStore(self.folder / CHROMA_DIR)

    @cached_property
    def lexical(self):
        from index.lexical import LexicalIndex

        return LexicalIndex.load(self.folder / BM25_DIR)

    @cached_property
    def titles(self) -> dict[str, str]:
        with self.session() as s:
            return dict(s.execute(select(DocumentRow.doc_id, DocumentRow.title)).all())

    def documents(self) -> list[DocumentRow]:
        with self.session() as s:
            return list(s.scalars(select(DocumentRow).order_by(DocumentRow.doc_id)))

    def document(self, doc_id: str) -> DocumentRow | None:
        with self.session() as s:
            return s.get(DocumentRow, doc_id)

    @cached_property
    def _chunk_cache(self) -> dict[str, Chunk]:
        with self.session() as s:
            return {row.chunk_id: chunk_from_row(row) for row in s.scalars(select(ChunkRow))}

    def chunks(self, ids: list[str]) -> list[Chunk]:
        cache = self._chunk_cache
        return [cache[i] for i in ids if i in cache]

    @cached_property
    def _chunks_by_doc(self) -> dict[str, list[Chunk]]:
        grouped: dict[str, list[Chunk]] = {}
        for chunk in sorted(self._chunk_cache.values(), key=lambda c: (c.doc_id, c.ordinal)):
            grouped.setdefault(chunk.doc_id, []).append(chunk)
        return grouped

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in order (a copy: callers may not reorder the shared list)."""
        return list(self._chunks_by_doc.get(doc_id, []))

    def chunk_count(self) -> int:
        with self.session() as s:
            return s.scalar(select(func.count()).select_from(ChunkRow)) or 0

    def last_run(self) -> IngestRun | None:
        with self.session() as s:
            return s.scalars(select(IngestRun).order_by(IngestRun.id.desc()).limit(1)).first()

    def close(self) -> None:
        if "vectors" in self.__dict__:
            self.vectors.close()
        self.engine.dispose()
