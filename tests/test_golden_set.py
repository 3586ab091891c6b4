"""Sanity checks for the hand-checked golden evaluation set (evals/golden.jsonl).

These tests do not run the assistant. They check that the gold data itself is
well formed and grounded in the corpus: quotes are verbatim single-line
excerpts, key facts can be found in the cited documents, refs exist, and the
category mix meets the agreed minimums.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "evals" / "golden.jsonl"
CORPUS = ROOT / "corpus"

DOC_IDS = {
    "roadmap-to-excellence-2025",
    "education-and-learning-strategy-2024-30",
    "send-and-ap-strategy-2025-30",
    "childrens-directorate-plan-2020-21",
    "lscp-annual-report-2023-24",
}
ROADMAP = "roadmap-to-excellence-2025"
DIRECTORATE = "childrens-directorate-plan-2020-21"

CATEGORY_MINIMUMS = {
    "fact": 25,
    "deadline": 15,
    "owner": 12,
    "due_by": 10,
    "synthesis": 12,
    "paraphrase": 12,
    "unanswerable": 12,
    "false_premise": 8,
    "multi_turn": 12,
}
REQUIRED_FIELDS = {
    "id": str,
    "category": str,
    "question": str,
    "turns": list,
    "reference_answer": str,
    "reference_contexts": list,
    "expected_refs": list,
    "key_facts": list,
    "answerable": bool,
    "fast": bool,
}
# Headings of the navigation menu that the LSCP report repeats on every page.
LSCP_MENU = {
    "INTRODUCTION",
    "INDEPENDENT CHAIR",
    "AND SCRUTINEER",
    "INDEPENDENT CHAIR AND SCRUTINEER",
    "EXECUTIVE",
    "MEMBERSHIP",
    "EXECUTIVE MEMBERSHIP",
    "REPORT ON",
    "ORGANISATIONAL",
    "PROGRESS",
    "REPORT ON ORGANISATIONAL PROGRESS",
    "WHAT WENT",
    "WELL",
    "WHAT WENT WELL",
    "CHALLENGES &",
    "NEXT STEPS",
    "CHALLENGES & NEXT STEPS",
    "TRAINING &",
    "WORKFORCE",
    "DEVELOPMENT",
    "TRAINING & WORKFORCE DEVELOPMENT",
    "LOOKING AHEAD",
}
PRIORITY_WORDS = {
    "One": 1, "Two": 2, "Three": 3, "Four": 4,
    "Five": 5, "Six": 6, "Seven": 7, "Eight": 8,
}


@pytest.fixture(scope="module")
def items() -> list[dict]:
    assert GOLDEN.exists(), f"missing {GOLDEN}"
    rows = []
    with GOLDEN.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:  # pragma: no cover - reported by assert
                    pytest.fail(f"line {n} is not valid JSON: {exc}")
    return rows


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return {d: (CORPUS / f"{d}.txt").read_text(encoding="utf-8") for d in DOC_IDS}


@pytest.fixture(scope="module")
def roadmap_actions(corpus) -> dict[str, str]:
    """Parse the Roadmap action tables into {ref: by_when}.

    Rows whose first cell has no number take the next number in sequence
    within their priority (e.g. the row between 2.8 and 2.10 is 2.9).
    """
    actions: dict[str, str] = {}
    priority = last = None
    for line in corpus[ROADMAP].split("\n"):
        m = re.match(r"Priority (\w+):", line)
        if m:
            p = PRIORITY_WORDS[m.group(1)]
            if p != priority:
                priority, last = p, 0
            continue
        if "\t" not in line or line.startswith("Action\t"):
            continue
        cells = line.split("\t")
        m = re.match(r"(\d+)\.(\d+) ", cells[0])
        number = int(m.group(2)) if m else last + 1
        last = number
        actions[f"{priority}.{number}"] = cells[3].strip()
    return actions


def test_fields_and_types(items):
    for it in items:
        for field, typ in REQUIRED_FIELDS.items():
            assert field in it, f"{it.get('id')}: missing {field}"
            assert isinstance(it[field], typ), f"{it['id']}: {field} should be {typ.__name__}"
        assert it["category"] in CATEGORY_MINIMUMS, f"{it['id']}: unknown category {it['category']}"
        assert it["question"].strip() and it["reference_answer"].strip(), it["id"]
        for ctx in it["reference_contexts"]:
            assert set(ctx) == {"doc_id", "quote"}, it["id"]
        for ref in it["expected_refs"]:
            assert set(ref) == {"doc_id", "ref"}, it["id"]
        assert all(isinstance(k, str) and k for k in it["key_facts"]), it["id"]


def test_size_and_unique_ids(items):
    assert len(items) >= 120
    ids = [it["id"] for it in items]
    dupes = [i for i, c in Counter(ids).items() if c > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_category_minimums(items):
    counts = Counter(it["category"] for it in items)
    for cat, minimum in CATEGORY_MINIMUMS.items():
        assert counts[cat] >= minimum, f"{cat}: {counts[cat]} < {minimum}"


def test_fast_subset_covers_every_category(items):
    fast = Counter(it["category"] for it in items if it["fast"])
    missing = set(CATEGORY_MINIMUMS) - set(fast)
    assert not missing, f"categories missing from the fast subset: {missing}"
    assert 20 <= sum(fast.values()) <= 45


def test_fact_questions_cover_all_documents(items):
    docs = {c["doc_id"] for it in items if it["category"] == "fact" for c in it["reference_contexts"]}
    assert docs == DOC_IDS


def test_quotes_are_verbatim_single_line(items, corpus):
    for it in items:
        for ctx in it["reference_contexts"]:
            doc, quote = ctx["doc_id"], ctx["quote"]
            assert doc in DOC_IDS, f"{it['id']}: unknown doc_id {doc}"
            assert quote.strip(), f"{it['id']}: empty quote"
            assert "\n" not in quote and "\t" not in quote, f"{it['id']}: quote spans lines/cells: {quote!r}"
            assert quote in corpus[doc], f"{it['id']}: quote not found in {doc}: {quote!r}"
            if doc == "lscp-annual-report-2023-24":
                assert quote.strip() not in LSCP_MENU, f"{it['id']}: quotes the LSCP navigation menu"


def test_key_facts_grounded_in_referenced_documents(items, corpus):
    for it in items:
        if not it["answerable"]:
            continue
        docs = {c["doc_id"] for c in it["reference_contexts"]} | {r["doc_id"] for r in it["expected_refs"]}
        assert docs, f"{it['id']}: answerable item cites no document"
        assert it["key_facts"], f"{it['id']}: answerable item has no key facts"
        for fact in it["key_facts"]:
            assert any(fact in corpus[d] for d in docs), f"{it['id']}: key fact {fact!r} not in {sorted(docs)}"
            assert fact in it["reference_answer"], f"{it['id']}: key fact {fact!r} missing from reference answer"


def test_unanswerable_and_false_premise(items):
    for it in items:
        if it["category"] in ("unanswerable", "false_premise"):
            assert it["answerable"] is False, it["id"]
            assert it["expected_refs"] == [], it["id"]
        else:
            assert it["category"] == "multi_turn" or it["answerable"] is True, it["id"]
        if it["category"] == "unanswerable":
            assert it["reference_contexts"] == [], it["id"]
        elif it["answerable"]:
            assert it["reference_contexts"], f"{it['id']}: answerable item needs a context"


def test_turns(items):
    for it in items:
        if it["category"] == "multi_turn":
            assert it["turns"] and all(isinstance(t, str) and t.strip() for t in it["turns"]), it["id"]
        else:
            assert it["turns"] == [], it["id"]


def test_record_questions_have_refs(items):
    for it in items:
        if it["category"] in ("owner", "due_by"):
            assert it["expected_refs"], f"{it['id']}: {it['category']} needs expected_refs"
        refs = [(r["doc_id"], r["ref"]) for r in it["expected_refs"]]
        assert len(refs) == len(set(refs)), f"{it['id']}: duplicate expected_refs"


def test_roadmap_parse(roadmap_actions):
    assert len(roadmap_actions) == 77
    per_priority = Counter(ref.split(".")[0] for ref in roadmap_actions)
    assert sorted(per_priority) == [str(p) for p in range(1, 9)]


def test_refs_exist(items, corpus, roadmap_actions):
    for it in items:
        for ref in it["expected_refs"]:
            doc, r = ref["doc_id"], ref["ref"]
            assert doc in DOC_IDS, it["id"]
            if doc == ROADMAP:
                assert r in roadmap_actions, f"{it['id']}: no Roadmap action {r}"
            elif doc == DIRECTORATE:
                lines = corpus[DIRECTORATE].split("\n")
                assert any(line.split("\t")[0].startswith(r) for line in lines), f"{it['id']}: no record {r}"
            assert r in it["reference_answer"], f"{it['id']}: ref {r} missing from reference answer"


def test_roadmap_deadlines_match_source(items, roadmap_actions):
    """Each Roadmap ref in a deadline/due_by answer is given with its own By when."""
    for it in items:
        if it["category"] not in ("deadline", "due_by", "multi_turn"):
            continue
        for ref in it["expected_refs"]:
            if ref["doc_id"] != ROADMAP:
                continue
            due = roadmap_actions[ref["ref"]]
            if it["category"] == "deadline":
                assert due in it["key_facts"], f"{it['id']}: {ref['ref']} is due {due}"
            if it["category"] == "due_by":
                assert f"{ref['ref']} ({due})" in it["reference_answer"], f"{it['id']}: {ref['ref']} is due {due}"


def _month_index(by_when: str) -> int:
    months = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7,
              "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
    m = re.fullmatch(r"([A-Za-z]+)[- ](\d{2})", by_when)
    assert m, by_when
    return (2000 + int(m.group(2))) * 12 + months[m.group(1)]


def test_due_by_sep25_is_complete(items, roadmap_actions):
    """The headline due_by question lists exactly the actions due on/before Sep-25."""
    item = next(it for it in items if it["question"] == "Which Roadmap actions are due by Sep-25?")
    expected = {r for r, due in roadmap_actions.items() if _month_index(due) <= _month_index("Sep-25")}
    got = {r["ref"] for r in item["expected_refs"]}
    assert got == expected
