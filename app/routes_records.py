"""``GET /records`` and ``GET /records.csv``: the record store's one query, as JSON or CSV.

Query parameters are ``RecordQuery``'s fields (kind, origin, due_before,
due_after, due_in, overdue, as_of, owner, doc, section, ref, q, limit);
unknown ones are rejected (422) rather than silently ignored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from app.main import index_store
from index.records import Record, RecordQuery, query_records, records_csv
from index.store import IndexStore

router = APIRouter(tags=["records"])


@router.get("/records", response_model=list[Record], summary="Actions, KPIs, risks and contracts matching filters")
def records(query: Annotated[RecordQuery, Query()], store: IndexStore = Depends(index_store)) -> list[Record]:
    return query_records(store, query)


@router.get("/records.csv", summary="The same records as CSV")
def records_as_csv(query: Annotated[RecordQuery, Query()], store: IndexStore = Depends(index_store)) -> Response:
    return Response(records_csv(query_records(store, query)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="records.csv"'})
