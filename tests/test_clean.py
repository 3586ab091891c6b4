"""Furniture removal: by repetition, never by a list of strings."""

from ingest.clean import clean_pages
from tests.conftest import CORPUS

MENU = ["INTRODUCTION", "EXECUTIVE MEMBERSHIP", "WHAT WENT WELL", "LOOKING AHEAD", "CHALLENGES & NEXT STEPS"]


def test_safeguarding_menu_is_removed_but_content_stays():
    raw = (CORPUS / "lscp-annual-report-2023-24.txt").read_text()
    text, _, removed = clean_pages([raw])
    assert removed >= 150
    assert "LOOKING AHEAD" not in text and "WHAT WENT\n" not in text
    # repeated lines that are content, not a menu, survive
    assert text.count("8 Weekly") == raw.count("8 Weekly")
    assert text.count("Chair / Deputy Chair") == raw.count("Chair / Deputy Chair")


def test_repeated_subheadings_survive():
    raw = (CORPUS / "send-and-ap-strategy-2025-30.txt").read_text()
    text, _, removed = clean_pages([raw])
    assert removed == 0
    assert text.count("What impact looks like") == raw.count("What impact looks like") >= 4


def test_kept_lines_are_verbatim():
    raw = (CORPUS / "lscp-annual-report-2023-24.txt").read_text()
    text, _, _ = clean_pages([raw])
    raw_lines = set(raw.split("\n"))
    assert all(line in raw_lines for line in text.split("\n"))


def test_running_header_and_page_number_removed_from_pages():
    pages = [f"Lambeth Council plan\n\nBody text {n} about care leavers.\n\nPage {n} of 6" for n in range(1, 7)]
    text, starts, removed = clean_pages(pages)
    assert removed == 12
    assert "Page" not in text and "Lambeth Council plan" not in text
    assert len(starts) == 6 and text[starts[3]:].startswith("Body text 4")


def test_generated_menu_in_a_new_document_is_found():
    menu = "HOME\n\nOUR WORK\n\nCONTACT US\n"
    pages = [f"{menu}\nParagraph number {n} says something different each time." for n in range(5)]
    text, _, removed = clean_pages(["\n\n".join(pages)])
    assert "CONTACT US" not in text and removed == 15
    assert text.count("Paragraph number") == 5
