"""Loaders for .txt, .md, .pdf and .docx, and their clear failures."""

import pytest

from ingest.chunking import chunk_document
from ingest.documents import load_document
from ingest.loaders import load_pages
from planchat.errors import DocumentError
from tests.docs import make_docx, make_pdf

PAGES = [
    ["Youth Offer Plan", "Our commitment to young people in the borough is strong."],
    ["Priority One: Play", "We will open three new adventure playgrounds by March 2026."],
    ["Priority Two: Safety", "Detached youth workers will patrol the parks every summer evening."],
]


def test_pdf_keeps_page_numbers(tmp_path):
    pdf = make_pdf(tmp_path / "youth.pdf", PAGES)
    pages = load_pages(pdf)
    assert len(pages) == 3 and "adventure playgrounds" in pages[1]
    doc = load_document(pdf)
    assert doc.meta.doc_id == "youth" and doc.meta.title == "Youth Offer Plan"
    chunks = chunk_document(doc, 160, 256, 40)
    by_text = {c.page for c in chunks if "adventure playgrounds" in c.text}
    assert by_text == {2}
    assert {c.page for c in chunks if "Detached youth workers" in c.text} == {3}
    assert doc.page_at(doc.text.index("Our commitment")) == 1


def test_docx_paragraphs_and_tables(tmp_path):
    path = make_docx(tmp_path / "plan.docx", "Early Years Plan", ["Nursery places will grow across the borough."],
                     [["Action", "Lead", "Deadline"], ["Open two nurseries", "Jo Bloggs", "Sep-26"]])
    doc = load_document(path)
    assert "Action\tLead\tDeadline" in doc.text and "Open two nurseries\tJo Bloggs\tSep-26" in doc.text
    rows = [c for c in chunk_document(doc, 160, 256, 40) if c.kind == "table_row"]
    assert len(rows) == 1 and rows[0].header == "Action\tLead\tDeadline"
    assert doc.page_starts is None


def test_markdown_and_utf16_text(tmp_path):
    md = tmp_path / "notes.md"
    md.write_text("# Notes\n\nLooked after children need stable homes.\n", encoding="utf-8")
    assert "stable homes" in load_document(md).text
    u16 = tmp_path / "u16.txt"
    u16.write_text("Care leavers get a local offer.", encoding="utf-16")
    assert load_document(u16).text == "Care leavers get a local offer."


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"   \n\n", "empty file"),
        ("latin.txt", "Caf\xe9 au lait \xa3".encode("latin-1"), "not UTF-8"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n%%EOF", "PDF"),
        ("broken.docx", b"PK\x03\x04 definitely not a zip", "DOCX"),
        ("image.png", b"\x89PNG\r\n", "unsupported file type"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert name in str(info.value) and reason in str(info.value)


def test_pdf_drawn_table_becomes_tab_rows(tmp_path):
    pages = [[
        "Priority One: Play and youth",
        "We want every child to have somewhere safe to play, and this plan says who leads each action.",
        "Ref\tDeadline\tAction\tLead",
        "1.1\tSep-25\tOpen three adventure playgrounds in the north of the borough\tJo Bloggs",
        "1.2\tMarch 2026\tRecruit twelve detached youth workers\tSam Smith / Ann Lee",
        "Progress will be reported to the board every quarter, with a summary for young people.",
    ]]
    doc = load_document(make_pdf(tmp_path / "play.pdf", pages))
    assert "Ref\tDeadline\tAction\tLead" in doc.text
    assert "1.1\tSep-25\tOpen three adventure playgrounds in the north of the borough\tJo Bloggs" in doc.text
    assert "1.2\tMarch 2026\tRecruit twelve detached youth workers\tSam Smith / Ann Lee" in doc.text
    assert "Progress will be reported to the board every quarter" in doc.text
    rows = [c for c in chunk_document(doc, 160, 256, 40) if c.kind == "table_row"]
    assert [r.header for r in rows] == ["Ref\tDeadline\tAction\tLead"] * 2 and all(r.page == 1 for r in rows)


def test_pdf_drawn_table_feeds_the_record_extractor(tmp_path):
    from ingest.extract import extract_records

    pages = [[
        "Priority One: Play and youth",
        "Ref\tDeadline\tAction\tLead",
        "1.1\tSep-25\tOpen three adventure playgrounds in the north of the borough\tJo Bloggs",
        "1.2\tMarch 2026\tRecruit twelve detached youth workers\tSam Smith / Ann Lee",
    ]]
    doc = load_document(make_pdf(tmp_path / "play.pdf", pages))
    records = {r.ref: r for r in extract_records(doc) if r.origin == "table"}
    assert set(records) == {"1.1", "1.2"}
    assert records["1.1"].owners == ["Jo Bloggs"] and str(records["1.1"].due_date) == "2025-09-30"
    assert records["1.2"].owners == ["Sam Smith", "Ann Lee"] and str(records["1.2"].due_date) == "2026-03-31"
    assert all(r.source == doc.text[r.start:r.end] and r.page == 1 for r in records.values())
