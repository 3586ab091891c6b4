"""The exact record store: actions, KPIs, risks and contracts as SQL rows.

"What's due by Sep-25?" or "what does Cathy Twist own?" need exact answers,
not similar chunks, so the extractor's records live in two plain tables on
the index's own metadata (``index/tables.py``; one engine, one transaction
with the chunks):
``records`` (one row per record, indexed on due date, kind and document) and
``record_owners`` (one row per owner, lower-cased, so "cathy" finds Cathy
Twist without scanning JSON).  The SQL is portable: SQLite by default,
PostgreSQL by URL.  ``query_records`` is the one query used by the library,
the CLI and the HTTP API; ``records_csv`` the one CSV layout.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from index.tables import DocumentRow, RecordOwnerRow, RecordRow
from ingest.dates import month_end, parse_date
from ingest.extract import ExtractedRecord, Origin, RecordKind, extract_records
from ingest.models import DocMeta, Document, SECTION_SEP

if TYPE_CHECKING:
    from index.store import IndexStore

_TEXT = ("lead_member", "where_identified", "output", "outcome", "programme", "objective", "borough_plan",
         "baseline_value", "baseline_label", "target", "kpi_type", "current_rating", "target_rating", "mitigation",
         "supplier", "annual_value")


# --------------------------------------------------------------------------- models at the boundary

class Record(ExtractedRecord):
    """A stored record as returned by queries: every extracted field plus the document's title."""

    doc_title: str | None = None


def _plan_day(value: Any, end: bool) -> Any:
    """Read a filter date like a plan cell: "Sep-25" is 2025-09-30 as an end, 2025-09-01 as a start."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    parsed = parse_date(text)
    day = parsed.end if end else parsed.start
    if day is None:
        raise ValueError(f"cannot read {text!r} as a date (try Sep-25, 2025-09-30 or March 2026)")
    return day


class RecordQuery(BaseModel):
    """Filters shared by the library, ``planchat due/owner`` and ``GET /records``; all optional, ANDed."""

    model_config = ConfigDict(extra="forbid")

    kind: RecordKind | None = None
    origin: Origin | None = None
    due_before: date | None = Field(None, description="Due on or before this day.")
    due_after: date | None = Field(None, description="Due on or after this day.")
    due_in: str | None = Field(None, description="Due within this month, YYYY-MM.")
    overdue: bool = Field(False, description="Due strictly before as_of (default today).")
    as_of: date | None = None
    owner: str | None = Field(None, description="Case-insensitive part of an owner's name.")
    doc: str | None = Field(None, description="Part of a document id.")
    section: str | None = Field(None, description="Part of the section path.")
    ref: str | None = Field(None, description="Exact ref or KPI code, any case.")
    q: str | None = Field(None, description="Words that must all appear in title, output, outcome or source.")
    limit: int | None = Field(None, ge=1, le=100_000)

    @field_validator("due_before", "as_of", mode="before")
    @classmethod
    def _end_day(cls, value: Any) -> Any:
        return _plan_day(value, end=True)

    @field_validator("due_after", mode="before")
    @classmethod
    def _start_day(cls, value: Any) -> Any:
        return _plan_day(value, end=False)

    @field_validator("due_in", mode="before")
    @classmethod
    def _month(cls, value: Any) -> str | None:
        """A month as YYYY-MM or as a plan writes it ("Sep-25", "March 2026")."""
        if value is None or not str(value).strip():
            return None
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
            return text
        parsed = parse_date(text)
        if parsed.precision != "month" or parsed.start is None:
            raise ValueError(f"due_in must be a month, e.g. 2025-09 or Sep-25; got {text!r}")
        return parsed.start.strftime("%Y-%m")

    @field_validator("kind", "origin", "owner", "doc", "section", "ref", "q", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    def month(self) -> tuple[date, date] | None:
        if not self.due_in:
            return None
        year, month = map(int, self.due_in.split("-"))
        return date(year, month, 1), month_end(year, month)


# --------------------------------------------------------------------------- writing

def natural_key(ref: str | None) -> str:
    """Sort key putting 1.2 before 1.10 and CSKA9 before CSKA10; no ref sorts last."""
    if not ref:
        return "~"
    return "".join(part.zfill(8) if part.isdigit() else part for part in re.split(r"(\d+)", ref.lower()))


def _row(record: ExtractedRecord) -> dict[str, Any]:
    data = record.model_dump()
    data.update(
        ref_key=record.ref.lower() if record.ref else None,
        ref_sort=natural_key(record.ref),
        section_key=SECTION_SEP.join(record.section_path).lower(),
        search_text=" ".join(filter(None, (record.title, record.output, record.outcome, record.mitigation,
                                           record.source))).lower(),
    )
    return data


def _document(row: DocumentRow) -> Document:
    meta = DocMeta(doc_id=row.doc_id, title=row.title, publisher=row.publisher, date=row.date, status=row.status,
                   kind=row.kind, file=row.file)
    return Document(meta=meta, text=row.text, page_starts=row.page_starts, sha256=row.sha256,
                    removed_lines=row.removed_lines)


def write_records(session: Session, documents: list[Document], replaced: Iterable[str]) -> int:
    """Replace the records of ``replaced`` and ``documents`` inside the caller's transaction.

    Stored documents that have no records at all (an index built before the
    record store existed) are extracted too, so an incremental ingest never
    leaves unchanged documents out.  Returns the number of records written.
    """
    fresh = {d.doc_id for d in documents}
    gone = set(replaced) | fresh
    if gone:
        ids = select(RecordRow.record_id).where(RecordRow.doc_id.in_(gone))
        session.execute(delete(RecordOwnerRow).where(RecordOwnerRow.record_id.in_(ids)))
        session.execute(delete(RecordRow).where(RecordRow.doc_id.in_(gone)))
    with_records = select(RecordRow.doc_id).distinct()
    missing = session.scalars(select(DocumentRow).where(DocumentRow.doc_id.not_in(gone),
                                                        DocumentRow.doc_id.not_in(with_records))).all()
    records = [r for doc in [*documents, *map(_document, missing)] for r in extract_records(doc)]
    if records:
        session.execute(insert(RecordRow), [_row(r) for r in records])
        owners = [{"record_id": r.record_id, "position": n, "name": name, "name_key": name.lower()}
                  for r in records for n, name in enumerate(r.owners)]
        if owners:
            session.execute(insert(RecordOwnerRow), owners)
    return len(records)


# --------------------------------------------------------------------------- querying

_FIELDS = tuple(Record.model_fields)


def _contains(column, text: str):
    return func.lower(column).contains(text.lower(), autoescape=True)


def _statement(query: RecordQuery):
    stmt = select(RecordRow, DocumentRow.title).outerjoin(DocumentRow, DocumentRow.doc_id == RecordRow.doc_id)
    conditions = []
    if query.kind:
        conditions.append(RecordRow.kind == query.kind)
    if query.origin:
        conditions.append(RecordRow.origin == query.origin)
    if query.due_before:
        conditions.append(RecordRow.due_date <= query.due_before)
    if query.due_after:
        conditions.append(RecordRow.due_date >= query.due_after)
    if (month := query.month()) is not None:
        conditions.append(RecordRow.due_date.between(*month))
    if query.overdue:
        conditions.append(RecordRow.due_date < (query.as_of or date.today()))
    if query.owner:
        owned = select(RecordOwnerRow.record_id).where(RecordOwnerRow.name_key.contains(query.owner.strip().lower(),
                                                                                        autoescape=True))
        conditions.append(RecordRow.record_id.in_(owned))
    if query.doc:
        conditions.append(_contains(RecordRow.doc_id, query.doc.strip()))
    if query.section:
        conditions.append(RecordRow.section_key.contains(query.section.strip().lower(), autoescape=True))
    if query.ref:
        conditions.append(RecordRow.ref_key == query.ref.strip().lower())
    for word in (query.q or "").lower().split():
        conditions.append(RecordRow.search_text.contains(word, autoescape=True))
    stmt = stmt.where(*conditions).order_by(
        RecordRow.due_date.is_(None), RecordRow.due_date, RecordRow.ref_sort, RecordRow.doc_id, RecordRow.start)
    return stmt.limit(query.limit) if query.limit else stmt


def _record(row: RecordRow, title: str | None) -> Record:
    values = {name: getattr(row, name) for name in _FIELDS if name != "doc_title"}
    return Record(**values, doc_title=title)


def query_records(store: IndexStore, query: RecordQuery) -> list[Record]:
    """Records matching every filter, sorted by due date (undated last), then ref in natural order."""
    with store.session() as session:
        return [_record(row, title) for row, title in session.execute(_statement(query)).all()]


def record_count(store: IndexStore) -> dict[str, int]:
    """Records per kind, for status output and tests."""
    with store.session() as session:
        return dict(session.execute(select(RecordRow.kind, func.count()).group_by(RecordRow.kind)).all())


# --------------------------------------------------------------------------- CSV

CSV_COLUMNS = ("record_id", "doc_id", "doc_title", "kind", "origin", "ref", "ref_inferred", "title", "section",
               "section_path", "group", "owners", "due_raw", "due_start", "due_date", "due_precision", *_TEXT,
               "extra", "page", "line", "start", "end", "source")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else ""
    return str(value)


def records_csv(records: Iterable[Record]) -> str:
    """One CSV (header + a row per record) for the CLI and ``GET /records.csv``.

    Owners are joined with '; ', the section path with ' › '; the source row
    keeps its tabs inside a quoted field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        data = record.model_dump()
        data["owners"] = "; ".join(record.owners)
        data["section_path"] = SECTION_SEP.join(record.section_path)
        writer.writerow([_cell(data.get(name)) for name in CSV_COLUMNS])
    return out.getvalue()
