"""The record store after a real ingest: every filter, the sort, CSV, the CLI
and incremental rebuilds."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError
from sqlalchemy import delete

from index.records import (CSV_COLUMNS, RecordOwnerRow, RecordQuery, RecordRow, natural_key, query_records,
                           record_count, records_csv)
from planchat.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
FIXTURE = ROOT / "tests" / "fixtures" / "youth-plan.txt"
ROADMAP = "roadmap-to-excellence-2025"
DIRECTORATE = "childrens-directorate-plan-2020-21"
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def q(store, **filters):
    return query_records(store, RecordQuery(**filters))


def gold_due_by(year: int, month: int) -> set[str]:
    """Roadmap refs due on or before the end of (year, month), read from the gold file by hand-rolled parsing."""
    refs = set()
    for row in json.loads((GOLD / "roadmap_actions.json").read_text(encoding="utf-8")):
        m = re.fullmatch(r"([A-Za-z]{3})[a-z]*[\s-]*(\d\d)", row["due_raw"])
        if (2000 + int(m[2]), MONTHS.index(m[1].lower()) + 1) <= (year, month):
            refs.add(row["ref"])
    return refs


# ----------------------------------------------------------------------------- contents

def test_store_holds_every_kind(store):
    counts = record_count(store)
    assert set(counts) == {"action", "kpi", "risk", "contract"}
    assert counts["risk"] == 12 and counts["contract"] == 13
    assert len(q(store, doc=ROADMAP, origin="table")) == 77
    assert len(q(store, doc=DIRECTORATE, kind="kpi")) == 31


def test_records_carry_document_title_and_verbatim_source(store):
    for record in q(store, doc="directorate"):
        document = store.document(record.doc_id)
        assert record.doc_title == document.title
        assert document.text[record.start:record.end] == record.source


# ----------------------------------------------------------------------------- filters

def test_kind_and_origin(store):
    assert {r.kind for r in q(store, kind="contract")} == {"contract"}
    prose = q(store, origin="prose")
    assert prose and all(r.kind == "action" and r.origin == "prose" for r in prose)


def test_due_before_after_and_between(store):
    cutoff = date(2025, 9, 30)
    before = q(store, due_before=cutoff)
    assert before and all(r.due_date <= cutoff for r in before)
    after = q(store, due_after=date(2026, 1, 1))
    assert after and all(r.due_date >= date(2026, 1, 1) for r in after)
    between = q(store, due_after=date(2025, 7, 1), due_before=date(2025, 7, 31))
    assert between and all(r.due_date.month == 7 and r.due_date.year == 2025 for r in between)
    dated = [r for r in q(store) if r.due_date]
    assert len(before) == sum(r.due_date <= cutoff for r in dated)


def test_due_in_month(store):
    september = q(store, due_in="2025-09", doc="roadmap")
    assert {r.ref for r in september} == gold_due_by(2025, 9) - gold_due_by(2025, 8)
    assert RecordQuery(due_in="Sept 2025").due_in == "2025-09"   # a plan's own spelling of the month
    for not_a_month in ("2025", "31/12/2025", "soon"):
        with pytest.raises(ValidationError):
            RecordQuery(due_in=not_a_month)


def test_overdue_as_of(store):
    as_of = date(2021, 1, 1)
    overdue = q(store, overdue=True, as_of=as_of, kind="contract")
    assert {r.title for r in overdue} == {"Independent Travel Training", "Passengers Transport Taxis Framework",
                                          "Short breaks services", "Priority Offenders Service"}
    today = q(store, overdue=True)
    assert today and all(r.due_date < date.today() for r in today)
    assert not q(store, overdue=True, as_of=date(1999, 1, 1))


def test_owner_partial_case_insensitive(store):
    cathy = q(store, owner="Cathy")
    assert cathy and all("Cathy Twist" in r.owners for r in cathy)
    assert {r.kind for r in cathy} == {"action", "kpi", "risk", "contract"}
    onaboye = q(store, owner="onaboye")
    assert {r.ref for r in onaboye if r.kind == "action"} >= {"CSKA08", "CSKA12", "CSKA25", "CSKA32"}
    assert q(store, owner="Abi Onaboye") == onaboye
    assert not q(store, owner="Cllr Davie")                        # a lead member is not an owner
    assert not q(store, owner="%")                                 # LIKE wildcards are escaped


def test_doc_section_ref_and_text(store):
    assert {r.doc_id for r in q(store, doc="roadmap")} == {ROADMAP}
    six = q(store, section="priority six")
    assert {r.doc_id for r in six} == {ROADMAP, "education-and-learning-strategy-2024-30"}
    assert all(any(part.lower().startswith("priority six") for part in r.section_path) for r in six)
    assert [r.record_id for r in q(store, ref="cska12")] == [f"{DIRECTORATE}:action:CSKA12"]
    assert {r.doc_id for r in q(store, ref="1.1")} == {ROADMAP, "education-and-learning-strategy-2024-30"}
    foster = q(store, q="Foster CARERS")
    assert foster and all("foster carers" in (r.source.lower()) for r in foster)
    assert q(store, q="IRIS march", origin="prose")[0].due_date == date(2025, 3, 31)


def test_limit_and_unknown_filter(store):
    assert len(q(store, limit=5)) == 5
    with pytest.raises(ValidationError):
        RecordQuery(due_by="2025-09-30")


# ----------------------------------------------------------------------------- sort

def test_natural_key():
    assert sorted(["1.10", "1.2", "2.1", "CSKA10", "CSKA9", None], key=natural_key) == \
        ["1.2", "1.10", "2.1", "CSKA9", "CSKA10", None]


def test_sorted_by_due_date_then_natural_ref_undated_last(store):
    records = q(store, doc="roadmap")
    keys = [(r.due_date, natural_key(r.ref)) for r in records]
    assert keys == sorted(keys)
    july = [r.ref for r in records if r.due_date == date(2025, 7, 31)]
    assert july.index("1.10") < july.index("2.9") < july.index("2.11")
    directorate = q(store, doc="directorate")
    dated = [r.due_date is not None for r in directorate]
    assert dated == sorted(dated, reverse=True)                    # undated records come last
    actions = [r.ref for r in directorate if r.kind == "action" and r.ref]
    assert actions.index("CSKA09") < actions.index("CSKA10")


# ----------------------------------------------------------------------------- CSV

def test_csv(store):
    records = q(store, owner="Ruth")
    rows = list(csv.DictReader(io.StringIO(records_csv(records))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(records) == 1
    row = rows[0]
    assert row["owners"] == "Ruth Hutt; Abi Onaboye" and row["kind"] == "contract"
    assert row["source"] == records[0].source and "\t" in row["source"]
    assert row["due_date"] == "" and row["due_raw"] == "N/A"


# ----------------------------------------------------------------------------- CLI

def test_cli_due_by_lists_exactly_the_roadmap_actions(built_index):
    result = CliRunner().invoke(main, ["due", "--by", "Sep-25", "--doc", "roadmap", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["ref"] for r in rows} == gold_due_by(2025, 9) and len(rows) == len(gold_due_by(2025, 9))
    assert all(r["due_date"] <= "2025-09-30" and r["section"] and r["source"] for r in rows)

    table = CliRunner().invoke(main, ["due", "--by", "Sep-25", "--doc", "roadmap"])
    assert table.exit_code == 0
    lines = table.output.strip().split("\n")
    assert lines[0].split()[:4] == ["REF", "DUE", "BY", "SECTION"] and lines[-1].startswith(f"{len(rows)} record(s)")
    assert all(f"{ROADMAP} line" in line for line in lines[1:-1])
    assert any(line.startswith("2.9*") for line in lines)          # inferred refs are marked


def test_cli_due_options(built_index):
    result = CliRunner().invoke(main, ["due", "--after", "Jan-26", "--by", "Mar-26", "--kind", "action",
                                       "--owner", "nobody", "--format", "csv"])
    assert result.exit_code == 0 and result.output.strip() == ",".join(CSV_COLUMNS)
    result = CliRunner().invoke(main, ["due", "--in", "Sep-25", "--doc", "roadmap", "--format", "json"])
    assert {r["due_date"] for r in json.loads(result.output)} == {"2025-09-30"}
    result = CliRunner().invoke(main, ["due", "--overdue", "--as-of", "2021-01-01", "--kind", "contract",
                                       "--format", "json"])
    assert len(json.loads(result.output)) == 4
    bad = CliRunner().invoke(main, ["due", "--by", "whenever"])
    assert bad.exit_code == 2 and "cannot read 'whenever' as a date" in bad.output


def test_cli_owner(built_index):
    result = CliRunner().invoke(main, ["owner", "Abi Onaboye", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and all("Abi Onaboye" in row["owners"].split("; ") for row in rows)
    result = CliRunner().invoke(main, ["owner", "cathy", "--kind", "risk", "--quote"])
    assert "CSSR0009" in result.output and "Restructure of staff teams" in result.output


# ----------------------------------------------------------------------------- incremental ingest

def test_ingest_replaces_records_of_changed_documents_only(built_index, tmp_path):
    from index.store import IndexStore
    from ingest.pipeline import ingest
    from planchat.settings import Settings

    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(FIXTURE, plans / "youth-plan.txt")
    shutil.copy(FIXTURE, plans / "youth-plan-2.txt")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=plans)

    def records():
        store = IndexStore.open(settings)
        try:
            return {r.record_id: r for r in query_records(store, RecordQuery())}
        finally:
            store.close()

    ingest([plans], settings=settings)
    first = records()
    assert "youth-plan:action:B3" in first and "youth-plan-2:action:B3" in first

    text = FIXTURE.read_text(encoding="utf-8")
    (plans / "youth-plan.txt").write_text(text.replace("TBC\tB3\t", "Jan-27\tB3\t"), encoding="utf-8")
    (plans / "youth-plan-2.txt").unlink()
    report = ingest([plans], settings=settings)
    assert report.changed == ["youth-plan"] and report.removed == ["youth-plan-2"]
    second = records()
    assert not any(i.startswith("youth-plan-2:") for i in second)
    assert second["youth-plan:action:B3"].due_date == date(2027, 1, 31)
    assert set(second) == {i for i in first if i.startswith("youth-plan:")}

    # An index built before the record store existed: unchanged documents are filled in on the next ingest.
    shutil.copy(FIXTURE, plans / "youth-plan-2.txt")
    ingest([plans], settings=settings)
    store = IndexStore.open(settings)
    with store.session() as s, s.begin():
        s.execute(delete(RecordOwnerRow))
        s.execute(delete(RecordRow))
    store.close()
    (plans / "youth-plan-2.txt").write_text(text + "\nA closing note.\n", encoding="utf-8")
    ingest([plans], settings=settings)
    third = records()
    assert "youth-plan:action:B3" in third and "youth-plan-2:action:B3" in third


def test_index_without_record_tables_gets_them_empty(tmp_path):
    """An index written before the record store existed opens with empty record tables."""
    from sqlalchemy import text

    from index.store import IndexStore
    from ingest.pipeline import ingest
    from planchat.settings import Settings

    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(FIXTURE, plans / "youth-plan.txt")
    settings = Settings(data_dir=tmp_path / "data")
    ingest([plans], settings=settings)
    store = IndexStore.open(settings)
    assert q(store, kind="action")
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE record_owners"))
        conn.execute(text("DROP TABLE records"))
    store.close()
    reopened = IndexStore.open(settings)
    assert q(reopened) == [] and record_count(reopened) == {}
    reopened.close()
