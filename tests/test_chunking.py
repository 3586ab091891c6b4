"""Chunk statistics over the whole corpus: provenance, headers, limits."""

import re

import pytest

from ingest.chunking import chunk_document, sentences
from ingest.documents import load_document, read_manifest
from planchat.settings import Settings
from planchat.tokens import count_tokens
from tests.conftest import CORPUS

SETTINGS = Settings()


@pytest.fixture(scope="module")
def chunked():
    manifest = read_manifest(CORPUS)
    out = {}
    for name, meta in manifest.items():
        doc = load_document(CORPUS / name, meta)
        out[doc.doc_id] = (doc, chunk_document(doc, SETTINGS.chunk_target_tokens, SETTINGS.chunk_max_tokens,
                                               SETTINGS.chunk_overlap_tokens))
    return out


def test_every_chunk_is_a_verbatim_span(chunked):
    for doc, chunks in chunked.values():
        for c in chunks:
            assert doc.text[c.start:c.end] == c.text and c.text.strip()


def test_no_chunk_exceeds_token_limit(chunked):
    for _, chunks in chunked.values():
        for c in chunks:
            assert count_tokens((c.header or "") + "\n" + c.text) <= SETTINGS.chunk_max_tokens


def test_no_table_row_chunk_lacks_its_header(chunked):
    rows = 0
    for doc, chunks in chunked.values():
        for c in (c for c in chunks if c.kind == "table_row"):
            rows += 1
            assert c.header and c.header in doc.text and c.header.split("\t")[0] != c.text.split("\t")[0]
    assert rows > 250


def test_every_roadmap_action_row_is_one_chunk_with_header_and_priority(chunked):
    doc, chunks = chunked["roadmap-to-excellence-2025"]
    rows = [c for c in chunks if c.kind == "table_row"]
    assert len(rows) == 77
    assert all(c.header.startswith("Action\tWhere identified?\tOutput\tBy when") for c in rows)
    assert all(c.section[0].startswith("Priority ") for c in rows)
    row = next(c for c in rows if c.text.startswith("2.6 "))
    assert row.section[0].startswith("Priority Two: Excellent response to vulnerable groups")


def test_navigation_menu_in_at_most_one_chunk(chunked):
    _, chunks = chunked["lscp-annual-report-2023-24"]
    items = ["INTRODUCTION", "EXECUTIVE", "MEMBERSHIP", "WHAT WENT", "LOOKING AHEAD", "NEXT STEPS", "ORGANISATIONAL"]
    menus = [c for c in chunks if sum(item in c.text for item in items) >= 3]
    assert len(menus) <= 1


def test_chunk_ids_are_stable_and_unique(chunked):
    doc, chunks = chunked["send-and-ap-strategy-2025-30"]
    again = chunk_document(doc, SETTINGS.chunk_target_tokens, SETTINGS.chunk_max_tokens, SETTINGS.chunk_overlap_tokens)
    assert [c.chunk_id for c in chunks] == [c.chunk_id for c in again]
    all_ids = [c.chunk_id for _, cs in chunked.values() for c in cs]
    assert len(all_ids) == len(set(all_ids))


def test_prose_chunks_overlap_and_end_on_sentence_boundaries(chunked):
    doc, chunks = chunked["education-and-learning-strategy-2024-30"]
    prose = [c for c in chunks if c.kind == "prose"]
    overlapping = sum(1 for a, b in zip(prose, prose[1:]) if b.start < a.end)
    assert overlapping >= 5
    for c in prose:
        assert re.search(r"[.!?:)\w\u201d\"'%]$", c.text)


def test_sentence_splitter_keeps_offsets():
    text = "Lambeth will act. By 2030 we will be zero exclusion! Is it done? Yes."
    spans = sentences(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == ["Lambeth will act.", "By 2030 we will be zero exclusion!",
                                             "Is it done?", "Yes."]


def test_headings_open_the_following_chunk(chunked):
    _, chunks = chunked["lscp-annual-report-2023-24"]
    assert any(c.text.startswith("Foreword from Jim Gamble") for c in chunks)


def test_two_tables_separated_by_a_blank_line_stay_apart():
    from ingest.structure import Table, parse

    text = ("Plan\n\nAction\tLead\tDeadline\nOpen a hub\tJo Bloggs\tSep-26\n\n"
            "Contract\tSupplier\tEnd Date\nYouth work\tVarious\tMarch 2027\n")
    tables = [b for b in parse(text) if isinstance(b, Table)]
    assert [t.columns for t in tables] == [["Action", "Lead", "Deadline"], ["Contract", "Supplier", "End Date"]]
    assert [len(t.rows) for t in tables] == [1, 1]
