"""Known passages across all five documents come back first from hybrid search."""

import pytest

from index.search import search

KNOWN = [
    ("Signs of Safety practice framework", "roadmap-to-excellence-2025", "1.3 Implementation and embedding of Signs of Safety"),
    ("young carers identification of a lead", "roadmap-to-excellence-2025", "2.11 Young carers"),
    ("Schools Efficiency Board deficit budgets", "roadmap-to-excellence-2025", "6.11 Establish a Schools Efficiency Board"),
    ("Primary Fair Access Panel gateway", "education-and-learning-strategy-2024-30", "1.1 We will provide a Primary Fair Access Panel"),
    ("Management Information System real time attendance data", "education-and-learning-strategy-2024-30", "Management Information System that provides real time attendance data"),
    ("Over reliance on agency workers covering social worker posts", "childrens-directorate-plan-2020-21", "CSSR0015"),
    ("Independent Travel Training contract HCT", "childrens-directorate-plan-2020-21", "Independent Travel Training\tHCT"),
    ("children live in poverty after housing costs", "lscp-annual-report-2023-24", "live in poverty"),
    ("subgroup Chairs appointed by the LSCP Executive", "lscp-annual-report-2023-24", "appointed by the LSCP Executive"),
    ("preparation for adulthood SEND strategy", "send-and-ap-strategy-2025-30", "adulthood"),
    ("foreword from the independent chair Jim Gamble", "lscp-annual-report-2023-24", "Jim Gamble"),
]


@pytest.mark.parametrize("query,doc_id,passage", KNOWN)
def test_known_passage_is_first(store, query, doc_id, passage):
    hits = search(store, query, k=5)
    top = hits[0].chunk
    assert top.doc_id == doc_id and passage in top.text, [(h.chunk.doc_id, h.chunk.text[:60]) for h in hits]
    doc = store.document(doc_id)
    assert doc.text[top.start:top.end] == top.text


def test_signs_of_safety_row_carries_section_and_offsets(store):
    top = search(store, "Signs of Safety practice framework", k=3)[0].chunk
    assert top.kind == "table_row" and top.section == ["Priority One: Excellent Help and Protection"]
    assert top.header.startswith("Action\tWhere identified?") and top.end > top.start > 0


def test_document_filter_restricts_results(store):
    hits = search(store, "attendance", k=8, doc_ids=["lscp-annual-report-2023-24"])
    assert hits and all(h.chunk.doc_id == "lscp-annual-report-2023-24" for h in hits)


def test_each_side_alone_still_finds_exact_phrase(store):
    for dense, lexical in ((True, False), (False, True)):
        hits = search(store, "Signs of Safety practice framework", k=5, use_dense=dense, use_lexical=lexical)
        assert any("1.3 Implementation" in h.chunk.text for h in hits)
