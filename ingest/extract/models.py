"""The typed record the extractor hands to the record store.

One shape for every kind (action, kpi, risk, contract) so that one table,
one query and one CSV layout serve them all; fields a kind does not use stay
``None``.  Every record points back at its exact source: ``source`` is
``document.text[start:end]``, verbatim (HTML and OCR slips included), while
the text fields hold the cleaned cell values.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from ingest.dates import Precision

RecordKind = Literal["action", "kpi", "risk", "contract"]
Origin = Literal["table", "prose"]
KINDS: tuple[str, ...] = ("action", "kpi", "risk", "contract")


class ExtractedRecord(BaseModel):
    record_id: str = Field(description="Stable id: doc:kind:ref, or doc:kind:L<line> when there is no usable ref.")
    doc_id: str
    kind: RecordKind
    origin: Origin = Field(description="'table' for a plan table row, 'prose' for a dated sentence.")
    ref: str | None = Field(None, description="Action/risk ref or KPI code, as written or inferred.")
    ref_inferred: bool = False
    title: str = Field(description="Action text, indicator, risk description or contract name.")
    section: str | None = Field(None, description="Innermost section: priority cell or heading.")
    section_path: list[str] = Field(default_factory=list)
    group: str | None = Field(None, description="Sub-header row label inside the table (e.g. 'Education').")
    owners: list[str] = Field(default_factory=list)
    lead_member: str | None = None
    due_raw: str | None = None
    due_start: date | None = None
    due_date: date | None = Field(None, description="Last day of the due period; compared for 'due by'.")
    due_precision: Precision = "none"
    where_identified: str | None = None
    output: str | None = None
    outcome: str | None = None
    programme: str | None = None
    objective: str | None = None
    borough_plan: str | None = None
    baseline_value: str | None = None
    baseline_label: str | None = Field(None, description="Header of the baseline column, e.g. '2019/20 Outturn'.")
    target: str | None = None
    kpi_type: str | None = None
    current_rating: str | None = None
    target_rating: str | None = None
    mitigation: str | None = None
    supplier: str | None = None
    annual_value: str | None = None
    extra: dict[str, str] = Field(default_factory=dict,
                                  description="Cells of columns with no known meaning, by header.")
    page: int | None = None
    line: int = Field(description="1-based line of the record's start in the cleaned document text.")
    start: int
    end: int
    source: str = Field(description="Verbatim document.text[start:end].")
