"""The structured extractor: column meanings, refs, owners, HTML, prose
commitments, and a plan in a layout none of the corpus uses (text, PDF, DOCX)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.documents import load_document, read_manifest
from ingest.extract import extract_records
from ingest.extract.cells import clean, leading_ref, split_owners
from ingest.extract.columns import map_columns, meaning
from ingest.extract.refs import Slot, infer_refs, section_number
from ingest.commitments import commitment_date
from ingest.models import DocMeta, Document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIXTURE = ROOT / "tests" / "fixtures" / "youth-plan.txt"


def document(text: str, doc_id: str = "test-doc", date_: str | None = None) -> Document:
    return Document(meta=DocMeta(doc_id=doc_id, title="Test", file="t.txt", date=date_), text=text, sha256="0")


# ----------------------------------------------------------------------------- columns

@pytest.mark.parametrize("header, field", [
    *((h, "due") for h in ["By when", "Deadline", "Timescale", "End Date", "Due", "Target date", "Contract end",
                           "Completion date"]),
    *((h, "owner") for h in ["Responsible Officer", "Lead", "Owner", "Indicator Owner", "Risk Owner", "Director",
                             "Accountable officer", "Risk lead", "Owner(s)", "Responsible director"]),
    *((h, "lead_member") for h in ["Lead Member", "Cabinet member", "Portfolio holder"]),
    ("Action", "title:action"), ("Actions", "title:action"), ("Activity 2020/21", "title:action"),
    ("High level Activity and Outcome", "title:action"), ("What we will do", "title:action"),
    ("Milestone", "title:action"), ("Key task", "title:action"),
    ("Where identified?", "where_identified"), ("Output", "output"), ("Intended outcomes", "outcome"),
    ("Ref", "ref"), ("Ref no", "ref"), ("ID", "ref"), ("#", "ref"), ("Priorities", "section"), ("Theme", "section"),
    ("Risk", "title:risk"), ("Description of risk", "title:risk"), ("Current Risk Rating", "current_rating"),
    ("Target Risk Rating", "target_rating"), ("Risk Mitigation", "mitigation"), ("Residual score", "target_rating"),
    ("Inherent score", "current_rating"), ("Controls", "mitigation"),
    ("Current Performance Indicator", "title:kpi"), ("Measure", "title:kpi"), ("KPI", "title:kpi"),
    ("2019/20 Outturn", "baseline"), ("Baseline 2024/25", "baseline"), ("Target 2026/27", "target"),
    ("Indicator Type (Borough Plan / Key Service Indicator)", "kpi_type"),
    ("Contract", "title:contract"), ("Service contract", "title:contract"), ("Supplier", "supplier"),
    ("Provider", "supplier"), ("Annual Value", "annual_value"), ("Value per year", "annual_value"),
    ("Directorate objective", "objective"), ("Borough Plan Objective / Goal / Value", "borough_plan"),
    ("Programme, Project or Saving?", "programme"),
    ("Key actions include:", None), ("We will:", None), ("Employee Expenses", None), ("Course name", None),
    ("Strategy", None), ("Workforce", None), ("", None),
])
def test_header_meaning(header, field):
    assert meaning(header) == field


@pytest.mark.parametrize("header, kind", [
    (["Action", "Lead", "Deadline"], "action"),
    (["Deadline", "Lead", "Action"], "action"),
    (["Ref", "Activity 2020/21", "Responsible Officer", "Lead Member"], "action"),
    (["Priorities", "High level Activity and Outcome"], "action"),
    (["Current Performance Indicator", "2019/20 Outturn", "Indicator Owner"], "kpi"),
    (["Ref", "Risk", "Current Risk Rating", "Target Risk Rating", "Risk Mitigation", "Risk Owner"], "risk"),
    (["Contract", "Supplier", "Annual Value", "End Date", "Director"], "contract"),
    (["Description", "Owner", "Due"], "action"),                     # generic title, kind from the other columns
    (["Description", "Supplier", "Value"], "contract"),
    (["", "Employee Expenses", "Non-Employee Expenditure", "Total Expenditure"], None),   # budget
    (["Workforce", "Dec 2019 snapshot"], None),
    (["Ref", "Objective Description", "Borough Plan Objective/Goal/Value"], None),
    (["Ref", "Saving Proposal", "2020/21 Saving £'000", "Saving Proposal Details"], None),
    (["Key actions include:", "We will:"], None),
    (["Indicator", "Definition"], None),                             # a glossary, not KPIs
    (["Risk", "Likelihood"], None),
])
def test_kind_from_columns(header, kind):
    assert map_columns(header).kind == kind


def test_column_map_other_order_and_extra_columns():
    columns = map_columns(["Deadline", "ID", "What we will do", "Accountable officer", "Cabinet member", "Status"])
    assert columns.fields == {"due": 0, "ref": 1, "title": 2, "owner": 3, "lead_member": 4}
    assert columns.extra == {5: "Status"}


def test_lead_member_is_not_owner():
    columns = map_columns(["Ref", "Activity", "Responsible Officer", "Lead Member", "Directorate objective"])
    assert columns.fields["owner"] == 2 and columns.fields["lead_member"] == 3 and columns.fields["objective"] == 4


# ----------------------------------------------------------------------------- cells

@pytest.mark.parametrize("cell, owners", [
    ("Alex Kubeyinje/ Abi Onaboye", ["Alex Kubeyinje", "Abi Onaboye"]),
    ("Ruth Hutt/Abi Onaboye", ["Ruth Hutt", "Abi Onaboye"]),
    ("All Children's Services Directors / Adult services", ["All Children's Services Directors", "Adult services"]),
    ("Priya Shah & Tom O'Neill", ["Priya Shah", "Tom O'Neill"]),
    ("Marcus Reid and Ana Costa", ["Marcus Reid", "Ana Costa"]),
    ("Cathy Twist, Abi Onaboye", ["Cathy Twist", "Abi Onaboye"]),
    ("Head of Community Safety and Transport", ["Head of Community Safety and Transport"]),
    ("Children's Commissioning & Community Safety", ["Children's Commissioning & Community Safety"]),
    ("  Merlin Joseph ", ["Merlin Joseph"]),
    ("<ul><li>Priya Shah</li></ul> / Sam Lee", ["Priya Shah", "Sam Lee"]),
    ("", []), (None, []),
])
def test_split_owners(cell, owners):
    assert split_owners(cell) == owners


@pytest.mark.parametrize("text, codes, ref, rest", [
    ("1.3 Implementation and embedding", False, "1.3", "Implementation and embedding"),
    ("1.10 To ensure that", False, "1.10", "To ensure that"),
    ("LC.06 Percentage of looked after children", True, "LC.06", "Percentage of looked after children"),
    ("El4 Average time between", True, "El4", "Average time between"),
    ("SE129 Proportion of core group", True, "SE129", "Proportion of core group"),
    ("RI.49 Percentage of visits (SG.19)", True, "RI.49", "Percentage of visits (SG.19)"),
    ("KS4 outcomes for pupils", False, None, "KS4 outcomes for pupils"),     # codes only in a coded column
    ("Undertake mapping of Families First", True, None, "Undertake mapping of Families First"),
])
def test_leading_ref(text, codes, ref, rest):
    assert leading_ref(text, codes) == (ref, rest)


def test_html_is_stripped_from_values():
    cell = '<ul style="list-style-type: none"><li>Waiting times</li><li>Budgets &amp; spend</li></ul>'
    assert clean(cell) == "Waiting times Budgets & spend"
    assert clean("a <b>weekend</b> scheme") == "a weekend scheme"
    assert clean("   \t ") is None


def test_html_cell_in_a_record_table_keeps_verbatim_source():
    text = ("Actions\n\nAction\tLead\tDeadline\n"
            "Run <b>weekend</b> clubs<br/>for teens &amp; families\t<ul><li>Jo Bloggs</li></ul>\tSep-25\n")
    doc = document(text)
    [record] = extract_records(doc)
    assert record.title == "Run weekend clubs for teens & families"
    assert record.owners == ["Jo Bloggs"]
    assert record.source == doc.text[record.start:record.end] and "<b>weekend</b>" in record.source


# ----------------------------------------------------------------------------- refs

def _infer(refs, sections):
    slots = [Slot(r, s) for r, s in zip(refs, sections)]
    infer_refs(slots)
    return [(s.ref, s.inferred) for s in slots]


def test_ref_inference_fills_only_unambiguous_gaps():
    p1, p2, p6 = "Priority One: Help", "Priority Two: Groups", "Priority Six: Education"
    refs = [None, "1.2", "1.3", None, "2.2", "2.8", None, "2.10",
            "6.6", None, None, None, None, "6.11", "6.12", "6.13", None]
    sections = [p1] * 3 + [p2] * 5 + [p6] * 9
    got = _infer(refs, sections)
    assert [r for r, _ in got] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.8", "2.9", "2.10",
                                   "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12", "6.13", "6.14"]
    assert [r for r, inferred in got if inferred] == ["1.1", "2.1", "2.9", "6.7", "6.8", "6.9", "6.10", "6.14"]


def test_ref_inference_leaves_a_gap_with_no_free_number():
    assert _infer(["CSKA33", "CSKA34", None, "CSKA35"], ["K"] * 4)[2] == (None, False)


def test_ref_inference_keeps_zero_padding():
    assert _infer(["CSKA08", None, "CSKA10"], ["K"] * 3)[1] == ("CSKA09", True)


def test_ref_inference_skips_codes_that_are_not_a_sequence():
    refs = ["RI.49", "RI.54", "SE135", "SE165", "SE179", None, "SE180", "SE172", None]
    assert all(not inferred for _, inferred in _infer(refs, ["P"] * len(refs)))


def test_ref_inference_uses_the_priority_number_for_a_section_without_refs():
    sections = ["Priority One: A"] * 2 + ["Priority Two: B"] * 2
    got = _infer(["1.1", "1.2", None, None], sections)
    assert got[2:] == [("2.1", True), ("2.2", True)]


def test_no_refs_are_invented_for_an_unnumbered_table():
    assert _infer([None, None], ["Priority One: A"] * 2) == [(None, False), (None, False)]


@pytest.mark.parametrize("section, number", [
    ("Priority Two: Excellent response", 2), ("Priority 6: Inclusion", 6), ("3. Transition and Partnership Work", 3),
    ("Key Activities", None), (None, None),
])
def test_section_number(section, number):
    assert section_number(section) == number


# ----------------------------------------------------------------------------- prose commitments

@pytest.mark.parametrize("sentence, end", [
    ("From September 2024 have a Management Information System that provides real time attendance data.",
     date(2024, 9, 30)),
    ("We want to see a significant reduction in serious violence against young people by 2030.", date(2030, 12, 31)),
    ("Recruitment of a liaison nurse and the IRIS post (commissioned until March 2025).", date(2025, 3, 31)),
    ("A new outreach service is being developed and will be in place by October 2024.", date(2024, 10, 31)),
    ("This will be rolled out to all staff from June 2024.", date(2024, 6, 30)),
    ("We will deliver the 2025/26 actions within the detailed action plan.", date(2026, 3, 31)),
])
def test_commitment_sentences(sentence, end):
    found = commitment_date(sentence)
    assert found is not None and found.end == end


@pytest.mark.parametrize("sentence", [
    "In 2023 we opened two youth hubs in the north of the borough.",
    "The LADO peer review was reported in April 2023.",
    "Pupil numbers are projected to fall by 2030 from 2021.",
    "It sets out three key ambitions for Lambeth by 2030:",
    "We are moving towards placing young people in smaller units from April 2023.",
    "By 2030.",
    "We will keep listening to children and families.",
])
def test_not_commitments(sentence):
    assert commitment_date(sentence) is None


def test_bare_dates_before_publication_are_history():
    sentence = "After consulting children in 2022, the council announced priorities that will underpin the project."
    assert commitment_date(sentence) is not None
    assert commitment_date(sentence, published=date(2024, 7, 1)) is None


def test_a_date_heading_dates_the_promises_under_it():
    text = "Our Plan\n\nBy 2030\n\nEvery child will have a school place near home. In 2022 we built one school.\n"
    records = extract_records(document(text))
    assert [(r.title, r.due_raw, r.due_date) for r in records] == [
        ("Every child will have a school place near home.", "By 2030", date(2030, 12, 31))]


def test_table_rows_are_not_read_again_as_prose():
    meta = read_manifest(CORPUS)["roadmap-to-excellence-2025.txt"]
    records = extract_records(load_document(CORPUS / meta.file, meta))
    assert {r.origin for r in records} == {"table"}          # "by March 2026" inside a row stays in its row


def test_cells_of_other_tables_are_read_as_prose():
    meta = read_manifest(CORPUS)["education-and-learning-strategy-2024-30.txt"]
    prose = [r for r in extract_records(load_document(CORPUS / meta.file, meta)) if r.origin == "prose"]
    [mis] = [r for r in prose if r.title.startswith("From September 2024 have a Management Information System")]
    assert mis.due_date == date(2024, 9, 30) and mis.kind == "action" and mis.ref is None


# ----------------------------------------------------------------------------- corpus-wide invariants

@pytest.fixture(scope="module")
def corpus_records():
    out = {}
    for name, meta in read_manifest(CORPUS).items():
        doc = load_document(CORPUS / name, meta)
        out[doc.doc_id] = (doc, extract_records(doc))
    return out


def test_every_record_points_at_its_verbatim_source(corpus_records):
    for doc, records in corpus_records.values():
        for r in records:
            assert r.source == doc.text[r.start:r.end] and r.source.strip()
            assert doc.text.count("\n", 0, r.start) + 1 == r.line
            assert r.page is None                                   # text sources have no pages


def test_record_ids_are_unique_and_stable(corpus_records):
    ids = [r.record_id for _, records in corpus_records.values() for r in records]
    assert len(ids) == len(set(ids))
    doc, records = corpus_records["roadmap-to-excellence-2025"]
    assert [r.record_id for r in extract_records(doc)] == [r.record_id for r in records]
    assert "roadmap-to-excellence-2025:action:1.10" in ids
    assert "childrens-directorate-plan-2020-21:kpi:LC.06" in ids


def test_tables_without_a_kind_give_no_records(corpus_records):
    doc, records = corpus_records["childrens-directorate-plan-2020-21"]
    sections = {r.section for r in records if r.origin == "table"}
    assert sections == {"Key Activities", "Performance Monitoring", "Key Contracts", "Directorate risks and mitigation"}
    _, lscp = corpus_records["lscp-annual-report-2023-24"]
    assert all(r.origin == "prose" for r in lscp)


def test_send_measures_strip_html(corpus_records):
    _, records = corpus_records["send-and-ap-strategy-2025-30"]
    kpis = [r for r in records if r.kind == "kpi"]
    assert len(kpis) == 7
    assert all("<" not in r.title and "<ul" in r.source for r in kpis)
    assert kpis[0].title.startswith("• Waiting times for assessments")


# ----------------------------------------------------------------------------- a plan in another layout

EXPECTED = {  # ref -> (due_date, owners, section, inferred)
    "A1": (date(2025, 9, 30), ["Priya Shah"], "Priority 1: Safe and Supported", False),
    "A2": (date(2025, 12, 31), ["Priya Shah", "Tom O'Neill"], "Priority 1: Safe and Supported", False),
    "A3": (date(2025, 12, 31), ["Tom O'Neill"], "Priority 1: Safe and Supported", True),
    "A4": (date(2026, 3, 31), ["Head of Community Safety and Transport"], "Priority 1: Safe and Supported", False),
    "A5": (date(2026, 3, 31), ["Priya Shah", "Sam Lee"], "Priority 1: Safe and Supported", False),
    "B1": (date(2026, 7, 31), ["Marcus Reid"], "Priority 2: Learning and Work", True),
    "B2": (None, ["Marcus Reid", "Ana Costa"], "Priority 2: Learning and Work", False),
    "B3": (None, ["Ana Costa"], "Priority 2: Learning and Work", False),
    "YS01": (None, ["Priya Shah"], "Key measures", False),
    "YS02": (None, ["Marcus Reid"], "Key measures", False),
}
PAGES = {"A1": 2, "A2": 2, "A3": 2, "A4": 3, "A5": 3, "B1": 4, "B2": 4, "B3": 4, "YS01": 5, "YS02": 5}


def _pages() -> list[list[str]]:
    return [page.strip("\n").split("\n") for page in FIXTURE.read_text(encoding="utf-8").split("\f\n")]


def _make_pdf(path: Path) -> Path:
    """The fixture as a PDF whose text layer separates cells by tabs, with a running footer."""
    from fpdf import FPDF

    pages = _pages()
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, f"Northbridge Council - page {number} of {len(pages)}", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _make_docx(path: Path) -> Path:
    import docx

    document_ = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            grid = document_.add_table(rows=len(rows), cols=width)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    grid.cell(r, c).text = value
            rows.clear()

    for line in (line for page in _pages() for line in page):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        if line.strip():
            document_.add_paragraph(line)
    flush()
    document_.save(str(path))
    return path


def _check_layout(records) -> None:
    table = {r.ref: r for r in records if r.origin == "table" and r.ref}
    assert set(table) == set(EXPECTED)
    for ref, (due, owners, section, inferred) in EXPECTED.items():
        r = table[ref]
        assert (r.due_date, r.owners, r.section, r.ref_inferred) == (due, owners, section, inferred), ref
    assert table["A2"].title == "Launch a weekend mentoring scheme & helpline"
    assert table["A1"].lead_member == "Cllr Imani Boateng"
    assert table["A1"].extra == {"Partner": "Police", "Status": "On track"}
    assert table["A3"].due_raw == "Q3 2025/26" and table["A3"].due_precision == "quarter"
    assert table["A5"].group == "Online safety" and table["A4"].group is None
    assert table["B2"].due_precision == "ongoing" and table["B3"].due_raw == "TBC"
    kpi = table["YS02"]
    assert (kpi.baseline_value, kpi.baseline_label, kpi.target) == ("54%", "Baseline 2024/25", "70%")
    [risk] = [r for r in records if r.kind == "risk"]
    assert (risk.owners, risk.current_rating, risk.target_rating, risk.mitigation) == (
        ["Marcus Reid"], "16", "9", "Bid to the youth investment fund")
    [contract] = [r for r in records if r.kind == "contract"]
    assert (contract.title, contract.supplier, contract.annual_value, contract.due_date, contract.owners) == (
        "Detached youth work", "StreetReach CIC", "£240,000", date(2026, 8, 31), ["Dana Holt"])
    assert not any("Staffing" in r.source for r in records)               # the budget table gives nothing
    prose = [r for r in records if r.origin == "prose"]
    assert [(r.title, r.due_date) for r in prose] == [
        ("We will open a third youth hub in Southfield by March 2026.", date(2026, 3, 31)),
        ("Every young person will know where to find a trusted adult in their neighbourhood.", date(2027, 12, 31))]


def test_other_layout_as_text():
    doc = load_document(FIXTURE)
    records = extract_records(doc)
    _check_layout(records)
    assert all(r.source == doc.text[r.start:r.end] for r in records)


def test_other_layout_as_pdf(tmp_path):
    doc = load_document(_make_pdf(tmp_path / "youth-plan.pdf"))
    assert doc.page_starts is not None and len(doc.page_starts) == 5
    records = extract_records(doc)
    _check_layout(records)
    for r in records:
        assert r.source == doc.text[r.start:r.end]
        if r.ref in PAGES:
            assert r.page == PAGES[r.ref], r.ref
    assert all("page" not in r.source for r in records)                 # the running footer was dropped


def test_other_layout_as_docx(tmp_path):
    doc = load_document(_make_docx(tmp_path / "youth-plan.docx"))
    _check_layout(extract_records(doc))
