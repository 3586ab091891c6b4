"""Read plan tables (from ``ingest.structure.parse``) into records.

Works from structure alone: the header row names the columns
(``columns.map_columns``), sub-header rows give a group ("Education"), a
"Priorities"-style first column is carried down to continuation rows whose
first cell is empty, and refs missing from rows are inferred across every
table of the same layout in the document (a plan's tables break at page
ends but its numbering runs on).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.dates import parse_date
from ingest.extract.cells import clean, has_code, leading_ref, split_owners, strip_trailing
from ingest.extract.columns import ColumnMap, map_columns
from ingest.extract.models import ExtractedRecord
from ingest.extract.refs import Slot, infer_refs
from ingest.models import Document
from ingest.structure import Block, Row, Table

# Cell fields copied as cleaned text.
_TEXT_FIELDS = ("where_identified", "output", "outcome", "programme", "objective", "borough_plan",
                "baseline_value", "target", "kpi_type", "current_rating", "target_rating", "mitigation",
                "supplier", "annual_value")
_CELL_OF = {"baseline_value": "baseline"}  # record field -> column meaning, where they differ
CODE_SHARE = 0.5  # share of title cells starting with a code for the column to count as coded
MAX_REF = 40      # a longer "ref" cell is prose in the wrong column, kept under its header instead


@dataclass
class _Draft:
    record: ExtractedRecord
    stream: tuple[str, ...]   # tables with the same header and kind share one numbering


def _is_label_row(row: Row) -> bool:
    return row.group is not None and row.cells[0] == row.group and not any(row.cells[1:])


def _coded(table: Table, columns: ColumnMap) -> bool:
    """Do the title cells of this table start with codes ("LC.06 …", "SE129 …")?"""
    titles = [clean(columns.cell(r.cells, "title")) for r in table.rows if not _is_label_row(r)]
    titles = [t for t in titles if t]
    return bool(titles) and sum(has_code(t) for t in titles) / len(titles) >= CODE_SHARE


def _row_record(document: Document, table: Table, columns: ColumnMap, row: Row, section_cell: str | None,
                coded: bool) -> ExtractedRecord | None:
    cells = row.cells
    title = clean(columns.cell(cells, "title"))
    if not title:
        return None
    ref = clean(columns.cell(cells, "ref")) if "ref" in columns.fields else None
    extra = {label: value for index, label in columns.extra.items()
             if index < len(cells) and (value := clean(cells[index]))}
    if ref and len(ref) > MAX_REF:
        extra[columns.labels["ref"]], ref = ref, None
    if "ref" not in columns.fields:
        ref, title = leading_ref(title, coded)
        title = clean(title) or title
    path = [*table.section, *([section_cell] if section_cell else [])]
    due = parse_date(clean(columns.cell(cells, "due")))
    values = {name: clean(columns.cell(cells, _CELL_OF.get(name, name))) for name in _TEXT_FIELDS}
    start, end = row.line.start, row.line.end
    return ExtractedRecord(
        record_id="", doc_id=document.doc_id, kind=columns.kind, origin="table", ref=ref, title=title,
        section=path[-1] if path else None, section_path=path,
        group=None if row.group is None or "section" in columns.fields else clean(row.group),
        owners=split_owners(columns.cell(cells, "owner")),
        lead_member=strip_trailing(clean(columns.cell(cells, "lead_member"))),
        due_raw=due.raw or None, due_start=due.start, due_date=due.end, due_precision=due.precision,
        baseline_label=columns.labels.get("baseline"), extra=extra, **values,
        page=document.page_at(start), line=row.line.number + 1, start=start, end=end,
        source=document.text[start:end],
    )


def read_tables(document: Document, blocks: list[Block]) -> tuple[list[ExtractedRecord], set[int]]:
    """Records from every table that maps to a kind, and the ids of the tables used."""
    drafts: list[_Draft] = []
    used: set[int] = set()
    for table in (b for b in blocks if isinstance(b, Table)):
        if table.header is None:
            continue
        columns = map_columns(table.columns)
        if columns.kind is None:
            continue
        used.add(id(table))
        coded = "ref" not in columns.fields and _coded(table, columns)
        stream = (columns.kind, *table.columns)
        carried: str | None = None
        section_index = columns.fields.get("section")
        for row in table.rows:
            if section_index is not None and section_index < len(row.cells) and row.cells[section_index]:
                carried = clean(row.cells[section_index])
            if _is_label_row(row):
                continue
            record = _row_record(document, table, columns, row, carried, coded)
            if record is not None:
                drafts.append(_Draft(record, stream))
    _infer(drafts)
    return [d.record for d in drafts], used


def _infer(drafts: list[_Draft]) -> None:
    streams: dict[tuple[str, ...], list[_Draft]] = {}
    for draft in drafts:
        streams.setdefault(draft.stream, []).append(draft)
    for members in streams.values():
        slots = [Slot(d.record.ref, d.record.section) for d in members]
        infer_refs(slots)
        for draft, slot in zip(members, slots):
            if slot.inferred:
                draft.record.ref, draft.record.ref_inferred = slot.ref, True
