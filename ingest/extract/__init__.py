"""Structured extraction: a document's tables and dated prose → typed records.

``extract_records`` is the one entry point the ingest pipeline calls.  Table
rows come from ``tables.read_tables``; dated commitments in prose (and in
cells of tables that are not record tables) from ``ingest.commitments``.
Each record gets a stable, unique id: ``doc:kind:ref`` when the ref is
unique in its document, else ``doc:kind:L<line>`` (``…s<n>`` for the n-th
commitment on a prose line), so unchanged text keeps its ids across ingests.
"""

from __future__ import annotations

from collections import Counter

from ingest.extract.models import KINDS, ExtractedRecord, Origin, RecordKind
from ingest.models import Document
from ingest.structure import parse

__all__ = ["KINDS", "ExtractedRecord", "Origin", "RecordKind", "extract_records"]


def _assign_ids(records: list[ExtractedRecord]) -> None:
    refs = Counter((r.kind, r.ref.lower()) for r in records if r.origin == "table" and r.ref)
    per_line: Counter[int] = Counter()
    taken: set[str] = set()
    for record in records:
        if record.origin == "table" and record.ref and refs[(record.kind, record.ref.lower())] == 1:
            slug = record.ref
        elif record.origin == "table":
            slug = f"L{record.line}"
        else:
            per_line[record.line] += 1
            slug = f"L{record.line}s{per_line[record.line]}"
        record_id = f"{record.doc_id}:{record.kind}:{slug}"
        while record_id.lower() in taken:  # a ref that looks like a line slug: keep ids unique
            record_id += "+"
        taken.add(record_id.lower())
        record.record_id = record_id


def extract_records(document: Document) -> list[ExtractedRecord]:
    """Every table record and prose commitment of ``document``, in document order."""
    from ingest.commitments import find_commitments
    from ingest.extract.tables import read_tables

    blocks = parse(document.text)
    rows, used = read_tables(document, blocks)
    records = sorted(rows + find_commitments(document, blocks, used), key=lambda r: (r.start, r.origin))
    _assign_ids(records)
    return records
