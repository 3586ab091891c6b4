"""Exact lookups over HTTP: due-by lists, refs, owners and contracts are complete and correct.

Expected sets come from the hand-checked tables in tests/gold, with their
"By when" cells read by ingest.dates in the test itself.
"""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import parse_date
from tests.chat_support import ROADMAP, ask, client, gold, refs  # noqa: F401 - fixture

ACTIONS = gold("roadmap_actions.json")


def due(row: dict) -> date | None:
    return parse_date(row["due_raw"]).end


@pytest.mark.parametrize("question,keep", [
    ("Which Roadmap actions are due by Sep-25?", lambda d: d <= date(2025, 9, 30)),
    ("What Roadmap actions are due before the end of 2025?", lambda d: d <= date(2025, 12, 31)),
    ("Which Roadmap actions are due in July 2025?", lambda d: date(2025, 7, 1) <= d <= date(2025, 7, 31)),
    ("Which Roadmap actions have deadlines later than March 2026?", lambda d: d > date(2026, 3, 31)),
])
def test_roadmap_due_lists_are_complete(client, store, question, keep):
    body = ask(client, store, question)
    expected = {r["ref"] for r in ACTIONS if due(r) and keep(due(r))}
    assert body["route"] == "lookup"
    assert refs(body) == expected
    assert all(r["doc_id"] == ROADMAP for r in body["records"])
    cited = {c["record_id"] for c in body["citations"]}
    assert cited == {r["record_id"] for r in body["records"]}, "every listed record cites its own row"
    assert body["answer"].startswith(f"{len(expected)} actions")


def test_due_by_sep_25_counts_35_and_includes_sept_spelling(client, store):
    body = ask(client, store, "Which Roadmap actions are due by Sep-25?")
    assert len(body["records"]) == 35 and "6.4" in refs(body)  # 6.4 says "Sept-25"
    assert body["records_query"]["due_before"] == "2025-09-30"


def test_priority_filter(client, store):
    body = ask(client, store, "Which Priority Two actions in the Roadmap are due by Sep-25?")
    expected = {r["ref"] for r in ACTIONS if r["section"].startswith("Priority Two") and due(r) <= date(2025, 9, 30)}
    assert refs(body) == expected == {"2.1", "2.2", "2.3", "2.6", "2.9", "2.10", "2.11"}


@pytest.mark.parametrize("question,ref,fact", [
    ("When is action 2.6 due?", "2.6", "May-25"),
    ("What is the deadline for Roadmap action 6.4?", "6.4", "Sept-25"),
    ("When is Roadmap action 2.9 due?", "2.9", "Jul-25"),
])
def test_deadline_of_a_ref(client, store, question, ref, fact):
    body = ask(client, store, question)
    assert body["route"] == "lookup" and refs(body) == {ref}
    assert fact in body["answer"] and "[1]" in body["answer"]
    assert body["citations"][0]["record_id"] == f"{ROADMAP}:action:{ref}"


@pytest.mark.parametrize("question,owner", [
    ("Who owns risk CSSR0005?", "Merlin Joseph"),
    ("Who is responsible for key activity CSKA08?", "Abi Onaboye"),
    ("Who is the indicator owner of KPI RI.49?", "Alex Kubeyinje"),
    ("who owns cssr0011", "Stuart Boffin"),
])
def test_owner_of_a_ref(client, store, question, owner):
    body = ask(client, store, question)
    assert body["route"] == "lookup" and owner in body["answer"]
    assert owner in body["citations"][0]["quote"]


def test_everything_a_person_owns(client, store):
    body = ask(client, store, "What does Cathy Twist own in the Children's Directorate Plan?")
    expected = {r.get("ref") or r.get("code") or r["title"]
                for name in ("directorate_activities.json", "directorate_risks.json", "directorate_kpis.json",
                             "directorate_contracts.json")
                for r in gold(name) if "Cathy Twist" in r.get("owners", [])}
    assert body["route"] == "lookup"
    assert {"CSKA20", "CSKA32", "CSSR0009", "SE180", "Independent Travel Training"} <= refs(body)
    assert len(body["records"]) == len(expected), (sorted(refs(body)), sorted(expected))
    assert all(any("Cathy Twist" in o for o in r["owners"]) for r in body["records"])


def test_partial_name_matches_an_owner(client, store):
    body = ask(client, store, "Which directorate risks does Kubeyinje own?")
    assert refs(body) == {"CSSR0001", "CSSR0002", "CSSR0015"}


def test_contracts_ending_in_2021(client, store):
    body = ask(client, store, "Which of the Directorate Plan's key contracts end in 2021?")
    expected = {r["title"] for r in gold("directorate_contracts.json")
                if (d := parse_date(r["due_raw"]).end) and d.year == 2021}
    assert {r["title"] for r in body["records"]} == expected and len(expected) == 3
    assert all(r["kind"] == "contract" for r in body["records"])


def test_records_endpoints_share_the_filters(client, store):
    listed = client.get("/records", params={"doc": ROADMAP, "kind": "action", "due_before": "2025-09-30"})
    assert listed.status_code == 200 and len(listed.json()) == 35
    csv = client.get("/records.csv", params={"owner": "cathy", "kind": "risk"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("record_id,") and len(lines) == 2 and "CSSR0009" in lines[1]
    assert client.get("/records", params={"colour": "red"}).status_code == 422
    # plan idioms are read by the same date parser as the documents
    idiom = client.get("/records", params={"doc": ROADMAP, "kind": "action", "due_before": "Sep-25"})
    assert [r["record_id"] for r in idiom.json()] == [r["record_id"] for r in listed.json()]
    month = client.get("/records", params={"doc": ROADMAP, "due_in": "Sept-25"}).json()
    assert month and all(r["due_date"] == "2025-09-30" for r in month)
    bad = client.get("/records", params={"due_before": "soonish"})
    assert bad.status_code == 422 and "cannot read 'soonish' as a date" in bad.text
