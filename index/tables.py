"""SQL tables of the index: documents, chunks, records and ingest runs.

All on one metadata, so one engine and one transaction cover them, and every
engine ``index.store.make_engine`` opens has all of them (an index written
before a table existed gets it empty).  The record queries live in
``index/records.py``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"

    doc_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(Text)
    file: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    page_starts: Mapped[list | None] = mapped_column(JSON)
    removed_lines: Mapped[int] = mapped_column(Integer, default=0)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)


class ChunkRow(Base):
    __tablename__ = "chunks"

    chunk_id: Mapped[str] = mapped_column(String(240), primary_key=True)
    doc_id: Mapped[str] = mapped_column(ForeignKey("documents.doc_id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    section: Mapped[list] = mapped_column(JSON)
    page: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    header: Mapped[str | None] = mapped_column(Text)
    embed_text: Mapped[str] = mapped_column(Text)


class IngestRun(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime] = mapped_column(DateTime)
    added: Mapped[list] = mapped_column(JSON)
    changed: Mapped[list] = mapped_column(JSON)
    removed: Mapped[list] = mapped_column(JSON)
    unchanged: Mapped[list] = mapped_column(JSON)
    chunks: Mapped[int] = mapped_column(Integer)


class RecordRow(Base):
    __tablename__ = "records"
    __table_args__ = (Index("ix_records_kind_due", "kind", "due_date"),)

    record_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    doc_id: Mapped[str] = mapped_column(ForeignKey("documents.doc_id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    origin: Mapped[str] = mapped_column(String(10))
    ref: Mapped[str | None] = mapped_column(String(100))
    ref_key: Mapped[str | None] = mapped_column(String(100), index=True)
    ref_sort: Mapped[str] = mapped_column(String(300))
    ref_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    section_path: Mapped[list] = mapped_column(JSON)
    section_key: Mapped[str] = mapped_column(Text)
    group: Mapped[str | None] = mapped_column("group_label", Text)
    owners: Mapped[list] = mapped_column(JSON)
    due_raw: Mapped[str | None] = mapped_column(Text)
    due_start: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    due_precision: Mapped[str] = mapped_column(String(20))
    lead_member: Mapped[str | None] = mapped_column(Text)
    where_identified: Mapped[str | None] = mapped_column(Text)
    output: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    programme: Mapped[str | None] = mapped_column(Text)
    objective: Mapped[str | None] = mapped_column(Text)
    borough_plan: Mapped[str | None] = mapped_column(Text)
    baseline_value: Mapped[str | None] = mapped_column(Text)
    baseline_label: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
    kpi_type: Mapped[str | None] = mapped_column(Text)
    current_rating: Mapped[str | None] = mapped_column(Text)
    target_rating: Mapped[str | None] = mapped_column(Text)
    mitigation: Mapped[str | None] = mapped_column(Text)
    supplier: Mapped[str | None] = mapped_column(Text)
    annual_value: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict] = mapped_column(JSON)
    page: Mapped[int | None] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)


class RecordOwnerRow(Base):
    __tablename__ = "record_owners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.record_id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, index=True)
