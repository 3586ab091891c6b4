"""Ingest: files → cleaned documents → chunks, vectors, BM25 and records.

The run is incremental and atomic.  Unchanged documents (same bytes and
metadata) are skipped; changed ones are replaced; documents whose source
file has gone are removed.  Every document is read before anything is
written, so one bad file aborts the run with an error naming it, and all
writes go to a new index generation that is published only at the end:
whatever fails, the previous index keeps serving.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import delete, select

from index import generations
from index.records import write_records
from index.store import BM25_DIR, IndexStore
from index.tables import ChunkRow, DocumentRow, IngestRun
from ingest.chunking import chunk_document
from ingest.documents import discover, fingerprint, load_document, read_manifest
from ingest.models import DocMeta, Document
from planchat.errors import DocumentError, IngestError
from planchat.settings import Settings, get_settings

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (stage, done, total)


class IngestReport(BaseModel):
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    unchanged: list[str] = []
    chunks: int = 0
    generation: str | None = None
    seconds: float = 0.0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def _sources(paths: list[Path]) -> list[tuple[Path, DocMeta | None]]:
    manifests: dict[Path, dict[str, DocMeta]] = {}
    found = []
    for path in discover(paths):
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = read_manifest(folder)
        found.append((path, manifests[folder].get(path.name)))
    return found


def _previous(settings: Settings) -> dict[str, tuple[str, str]]:
    """doc_id → (sha256, source path) of the serving generation."""
    folder = generations.active(settings.index_root)
    if folder is None:
        return {}
    store = IndexStore(folder, settings)
    try:
        with store.session() as s:
            return {d: (h, p) for d, h, p in s.execute(select(DocumentRow.doc_id, DocumentRow.sha256, DocumentRow.source_path))}
    finally:
        store.close()


def ingest(paths: list[Path] | None = None, settings: Settings | None = None, progress: Progress | None = None,
           force: bool = False) -> IngestReport:
    settings = settings or get_settings()
    began = time.perf_counter()
    progress = progress or (lambda stage, done, total: None)
    sources = _sources(paths or [settings.corpus_dir])
    previous = _previous(settings)
    report = IngestReport()

    # Read everything first: a failure here changes nothing.
    failures: list[DocumentError] = []
    documents: list[tuple[Document, Path]] = []
    seen: dict[str, Path] = {}
    for i, (path, meta) in enumerate(sources):
        progress("read", i, len(sources))
        try:
            doc_id = meta.doc_id if meta else None
            if doc_id and not force and doc_id in previous and previous[doc_id][0] == fingerprint(path, meta):
                report.unchanged.append(doc_id)
                seen[doc_id] = path
                continue
            document = load_document(path, meta)
        except DocumentError as exc:
            failures.append(exc)
            continue
        if document.doc_id in seen:
            failures.append(DocumentError(str(path), f"document id {document.doc_id!r} is also used by {seen[document.doc_id]}"))
            continue
        seen[document.doc_id] = path
        if not force and document.doc_id in previous and previous[document.doc_id][0] == document.sha256:
            report.unchanged.append(document.doc_id)
        else:
            documents.append((document, path))
            (report.changed if document.doc_id in previous else report.added).append(document.doc_id)
    progress("read", len(sources), len(sources))
    if failures:
        for failure in failures:
            log.error("cannot ingest %s", failure)
        raise IngestError(failures)
    report.removed = sorted(d for d, (_, src) in previous.items() if d not in seen and not Path(src).exists())

    if not report.touched and previous:
        report.generation = generations.active(settings.index_root).name
        report.seconds = time.perf_counter() - began
        return report

    folder = generations.prepare(settings.index_root)
    try:
        _write(folder, settings, documents, report, progress)
        generations.publish(settings.index_root, folder)
    except BaseException:
        generations.discard(folder)
        raise
    report.generation = folder.name
    report.seconds = time.perf_counter() - began
    return report


def _write(folder: Path, settings: Settings, documents: list[tuple[Document, Path]], report: IngestReport,
           progress: Progress) -> None:
    from index.embedding import embed
    from index.lexical import LexicalIndex

    store = IndexStore(folder, settings)
    vectors = store.vectors
    try:
        replaced = report.changed + report.removed
        for doc_id in replaced:
            vectors.delete_document(doc_id)
        chunked = [(doc, path, chunk_document(doc, settings.chunk_target_tokens, settings.chunk_max_tokens,
                                             settings.chunk_overlap_tokens)) for doc, path in documents]
        pending = [((c, n), text) for doc, _, chunks in chunked for c in chunks
                   for n, text in enumerate(c.views(doc.meta.title))]
        batch = settings.embed_batch_size
        for i in range(0, len(pending), batch):
            progress("embed", i, len(pending))
            part = pending[i : i + batch]
            vectors.add([v for v, _ in part], embed([t for _, t in part], batch))
        progress("embed", len(pending), len(pending))

        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with store.session() as s, s.begin():
            for doc_id in replaced:
                s.execute(delete(ChunkRow).where(ChunkRow.doc_id == doc_id))
                s.execute(delete(DocumentRow).where(DocumentRow.doc_id == doc_id))
            for doc, path, chunks in chunked:
                s.add(_document_row(doc, path, len(chunks), now))
                s.flush()
                s.add_all(ChunkRow(chunk_id=c.chunk_id, doc_id=c.doc_id, ordinal=c.ordinal, kind=c.kind,
                                   section=c.section, page=c.page, start=c.start, end=c.end, text=c.text,
                                   header=c.header, embed_text=t)
                          for c, t in ((c, c.embed_text(doc.meta.title)) for c in chunks))
            write_records(s, [doc for doc, _, _ in chunked], replaced)
            rows = s.execute(select(ChunkRow.chunk_id, ChunkRow.embed_text).order_by(ChunkRow.doc_id, ChunkRow.ordinal)).all()
            report.chunks = len(rows)
            s.add(IngestRun(started_at=now, finished_at=datetime.now(timezone.utc).replace(tzinfo=None),
                            added=report.added, changed=report.changed, removed=report.removed,
                            unchanged=report.unchanged, chunks=report.chunks))
        progress("bm25", 0, 1)
        LexicalIndex.build([r[0] for r in rows], [r[1] for r in rows]).save(folder / BM25_DIR)
        progress("bm25", 1, 1)
        if vectors.count() != report.chunks:
            raise RuntimeError(f"vector count {vectors.count()} differs from chunk count {report.chunks}")
    finally:
        store.close()


def _document_row(doc: Document, path: Path, chunks: int, now: datetime) -> DocumentRow:
    m = doc.meta
    return DocumentRow(doc_id=m.doc_id, title=m.title, publisher=m.publisher, date=m.date, status=m.status,
                       kind=m.kind, file=m.file, source_path=str(path.resolve()), sha256=doc.sha256, text=doc.text,
                       page_starts=doc.page_starts, removed_lines=doc.removed_lines, chunk_count=chunks,
                       ingested_at=now)

