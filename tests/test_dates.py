"""Tests for ingest.dates: the shared UK plan date parser."""

from datetime import date

import pytest
from pydantic import ValidationError

from ingest.dates import ParsedDate, find_dates, fy_start_year, month_end, parse_date

D = date


def check(raw, start, end, precision):
    parsed = parse_date(raw)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision), raw
    assert parsed.raw == (raw or "").strip()


# ---------------------------------------------------------------- month
@pytest.mark.parametrize("raw, start, end", [
    ("Sep-25", D(2025, 9, 1), D(2025, 9, 30)),
    ("Sept-25", D(2025, 9, 1), D(2025, 9, 30)),
    ("Mar 26", D(2026, 3, 1), D(2026, 3, 31)),
    ("Mar-26", D(2026, 3, 1), D(2026, 3, 31)),
    ("Jun-25", D(2025, 6, 1), D(2025, 6, 30)),
    ("Sept 2025", D(2025, 9, 1), D(2025, 9, 30)),
    ("March 2026", D(2026, 3, 1), D(2026, 3, 31)),
    ("October 2022", D(2022, 10, 1), D(2022, 10, 31)),
    ("Dec 25", D(2025, 12, 1), D(2025, 12, 31)),
    ("SEP-25", D(2025, 9, 1), D(2025, 9, 30)),
    ("sept 2025", D(2025, 9, 1), D(2025, 9, 30)),
    ("september 2025", D(2025, 9, 1), D(2025, 9, 30)),
    ("Jan–26", D(2026, 1, 1), D(2026, 1, 31)),
    ("Apr '25", D(2025, 4, 1), D(2025, 4, 30)),
    ("Feb-24", D(2024, 2, 1), D(2024, 2, 29)),      # leap year
    ("Feb-25", D(2025, 2, 1), D(2025, 2, 28)),
    ("February 2000", D(2000, 2, 1), D(2000, 2, 29)),
    ("by March 2025", D(2025, 3, 1), D(2025, 3, 31)),
    ("By Sep-25", D(2025, 9, 1), D(2025, 9, 30)),
    ("by end of March 2026", D(2026, 3, 1), D(2026, 3, 31)),
    ("Mar 26 ", D(2026, 3, 1), D(2026, 3, 31)),
    ("  July 2025\n", D(2025, 7, 1), D(2025, 7, 31)),
])
def test_month(raw, start, end):
    check(raw, start, end, "month")


# ---------------------------------------------------------------- day
@pytest.mark.parametrize("raw, day", [
    ("31st March 2021", D(2021, 3, 31)),
    ("1 April 2025", D(2025, 4, 1)),
    ("2nd of June 2024", D(2024, 6, 2)),
    ("March 31st, 2021", D(2021, 3, 31)),
    ("13/12/2020", D(2020, 12, 13)),
    ("13/12/20", D(2020, 12, 13)),
    ("1/4/2025", D(2025, 4, 1)),
    ("13-12-2020", D(2020, 12, 13)),
    ("2025-09-30", D(2025, 9, 30)),
    ("29/02/2024", D(2024, 2, 29)),
    ("by 30/09/2025", D(2025, 9, 30)),
])
def test_day(raw, day):
    check(raw, day, day, "day")


@pytest.mark.parametrize("raw", ["31/02/2021", "29/02/2023", "2025-13-01", "31st June 2025"])
def test_impossible_day_is_not_guessed(raw):
    check(raw, None, None, "none")


# ---------------------------------------------------------------- financial year
@pytest.mark.parametrize("raw, y1", [
    ("2025/26", 2025),
    ("2025-26", 2025),
    ("2025–26", 2025),
    ("2025 — 26", 2025),
    ("2020/21", 2020),
    ("2019/20", 2019),
    ("2099/00", 2099),
    ("2025/2026", 2025),
    ("FY 2025/26", 2025),
    ("financial year 2024-25", 2024),
    ("2024-25 financial year", 2024),
    ("by the end of 2025/26", 2025),
])
def test_financial_year(raw, y1):
    check(raw, D(y1, 4, 1), D(y1 + 1, 3, 31), "financial_year")


@pytest.mark.parametrize("raw, start, end", [
    ("Q1 2025/26", D(2025, 4, 1), D(2025, 6, 30)),
    ("Q2 2025/26", D(2025, 7, 1), D(2025, 9, 30)),
    ("Q3 2025/26", D(2025, 10, 1), D(2025, 12, 31)),
    ("Q4 2025/26", D(2026, 1, 1), D(2026, 3, 31)),   # Jan-Mar: later calendar year
    ("Q4 2023-24", D(2024, 1, 1), D(2024, 3, 31)),
    ("Quarter 2 2024/25", D(2024, 7, 1), D(2024, 9, 30)),
    ("Q1 2026", D(2026, 1, 1), D(2026, 3, 31)),       # calendar quarters
    ("Q2 2026", D(2026, 4, 1), D(2026, 6, 30)),
    ("q4 2025", D(2025, 10, 1), D(2025, 12, 31)),
])
def test_quarter(raw, start, end):
    check(raw, start, end, "quarter")


@pytest.mark.parametrize("day, fy", [
    (D(2026, 1, 1), 2025),
    (D(2026, 3, 31), 2025),
    (D(2026, 4, 1), 2026),
    (D(2025, 12, 31), 2025),
])
def test_fy_start_year_boundaries(day, fy):
    assert fy_start_year(day) == fy
    parsed = parse_date(f"{fy}/{(fy + 1) % 100:02d}")
    assert parsed.start <= day <= parsed.end


def test_financial_year_end_is_31_march():
    assert parse_date("2025/26").end == D(2026, 3, 31)
    assert parse_date("March 2026").end == parse_date("2025/26").end


@pytest.mark.parametrize("raw", ["2025/27q", "Q3 2025/27", "Q5 2025", "FY 2025/27"])
def test_bad_financial_forms_are_not_guessed(raw):
    parsed = parse_date(raw)
    assert parsed.precision != "financial_year" and parsed.precision != "quarter"


# ---------------------------------------------------------------- terms, academic years
@pytest.mark.parametrize("raw, start, end", [
    ("Autumn term 2025", D(2025, 9, 1), D(2025, 12, 31)),
    ("Spring term 2026", D(2026, 1, 1), D(2026, 3, 31)),
    ("Summer term 2026", D(2026, 4, 1), D(2026, 7, 31)),
    ("autumn term 2024", D(2024, 9, 1), D(2024, 12, 31)),
    ("Spring term 2025/26", D(2026, 1, 1), D(2026, 3, 31)),
    ("Autumn term 2025/26", D(2025, 9, 1), D(2025, 12, 31)),
])
def test_term(raw, start, end):
    check(raw, start, end, "term")


def test_term_with_prefix():
    parsed = parse_date("by Summer term 2025")
    assert (parsed.start, parsed.end, parsed.precision) == (D(2025, 4, 1), D(2025, 7, 31), "term")


@pytest.mark.parametrize("raw", [
    "academic year 2025/26", "2025/26 academic year", "Academic Year 2025-26",
    "2025–26 academic year", "academic year 2025/2026",
])
def test_academic_year(raw):
    check(raw, D(2025, 9, 1), D(2026, 8, 31), "academic_year")


# ---------------------------------------------------------------- years
@pytest.mark.parametrize("raw, start, end", [
    ("2030", D(2030, 1, 1), D(2030, 12, 31)),
    ("by 2030", D(2030, 1, 1), D(2030, 12, 31)),
    ("by the end of 2025", D(2025, 1, 1), D(2025, 12, 31)),
    ("end of 2025", D(2025, 1, 1), D(2025, 12, 31)),
    ("before the end of 2025", D(2025, 1, 1), D(2025, 12, 31)),
    ("before 2027", D(2027, 1, 1), D(2027, 12, 31)),
    ("1990", D(1990, 1, 1), D(1990, 12, 31)),
    ("2099", D(2099, 1, 1), D(2099, 12, 31)),
    # ranges of years
    ("2020-23", D(2020, 1, 1), D(2023, 12, 31)),
    ("2024–30", D(2024, 1, 1), D(2030, 12, 31)),
    ("2025–2030", D(2025, 1, 1), D(2030, 12, 31)),
    ("2025-2026", D(2025, 1, 1), D(2026, 12, 31)),
    ("2022 to 2025", D(2022, 1, 1), D(2025, 12, 31)),
    ("2025/28", D(2025, 1, 1), D(2028, 12, 31)),
])
def test_year(raw, start, end):
    check(raw, start, end, "year")


@pytest.mark.parametrize("raw", ["1989", "2100", "1850"])
def test_years_outside_range_are_ignored(raw):
    check(raw, None, None, "none")


# ---------------------------------------------------------------- no date
@pytest.mark.parametrize("raw, precision", [
    ("Ongoing", "ongoing"),
    ("ongoing", "ongoing"),
    ("On-going", "ongoing"),
    ("Continuous", "ongoing"),
    ("N/A", "none"),
    ("n/a", "none"),
    ("TBC", "none"),
    ("tbc", "none"),
    ("TBA", "none"),
    ("", "none"),
    (None, "none"),
    ("   ", "none"),
    ("N/A – part of larger CAMHs contract with CCG", "none"),
    ("soon", "none"),
    ("Immediate", "none"),
    ("2025-12", "none"),          # neither a month nor a year range: don't guess
    ("2025-2020", "none"),
    ("Monthly", "none"),
    ("Summer", "none"),
    ("Q3", "none"),
    ("March", "none"),
])
def test_unparseable_keeps_raw(raw, precision):
    check(raw, None, None, precision)


def test_raw_is_stripped_cell_text():
    assert parse_date("  Ongoing from Sep-25 ").raw == "Ongoing from Sep-25"
    assert parse_date(None).raw == ""


def test_first_expression_in_a_wordy_cell_wins():
    check("Ongoing from Sep-25", D(2025, 9, 1), D(2025, 9, 30), "month")
    check("Review in Q1 2026, then annually", D(2026, 1, 1), D(2026, 3, 31), "quarter")
    check("Sep-25 then Mar-26", D(2025, 9, 1), D(2025, 9, 30), "month")


def test_parsed_date_is_frozen():
    parsed = parse_date("Sep-25")
    with pytest.raises(ValidationError):
        parsed.end = D(2030, 1, 1)
    assert isinstance(parsed, ParsedDate)


# ---------------------------------------------------------------- month_end
@pytest.mark.parametrize("year, month, end", [
    (2024, 2, D(2024, 2, 29)),
    (2025, 2, D(2025, 2, 28)),
    (1900, 2, D(1900, 2, 28)),
    (2000, 2, D(2000, 2, 29)),
    (2025, 4, D(2025, 4, 30)),
    (2025, 12, D(2025, 12, 31)),
])
def test_month_end(year, month, end):
    assert month_end(year, month) == end


# ---------------------------------------------------------------- find_dates
@pytest.mark.parametrize("text, phrase, start, end, precision", [
    ("From September 2024 have a Management Information System",
     "September 2024", D(2024, 9, 1), D(2024, 9, 30), "month"),
    ("The service is commissioned until March 2025.",
     "March 2025", D(2025, 3, 1), D(2025, 3, 31), "month"),
    ("We will be carbon neutral by 2030.", "by 2030", D(2030, 1, 1), D(2030, 12, 31), "year"),
    ("A new hub opens in July 2025 in Brixton", "July 2025", D(2025, 7, 1), D(2025, 7, 31), "month"),
    ("Recruit 40 foster carers by the end of 2025, subject to funding",
     "by the end of 2025", D(2025, 1, 1), D(2025, 12, 31), "year"),
    ("The board agreed the plan on 13/12/2020 after consultation",
     "13/12/2020", D(2020, 12, 13), D(2020, 12, 13), "day"),
    ("what's due by Sep-25?", "by Sep-25", D(2025, 9, 1), D(2025, 9, 30), "month"),
    ("anything before the end of 2025?", "before the end of 2025",
     D(2025, 1, 1), D(2025, 12, 31), "year"),
    ("Spending in 2025/26 rose", "2025/26", D(2025, 4, 1), D(2026, 3, 31), "financial_year"),
    ("Deliver in Q3 2025/26.", "Q3 2025/26", D(2025, 10, 1), D(2025, 12, 31), "quarter"),
    ("Our Lambeth 2030 vision", "2030", D(2030, 1, 1), D(2030, 12, 31), "year"),
    ("This strategy covers 2020-23 and beyond", "2020-23",
     D(2020, 1, 1), D(2023, 12, 31), "year"),
    ("Pilot from the Autumn term 2025 in ten schools", "Autumn term 2025",
     D(2025, 9, 1), D(2025, 12, 31), "term"),
    ("Adopted on 31st March 2021 by Cabinet", "31st March 2021",
     D(2021, 3, 31), D(2021, 3, 31), "day"),
])
def test_find_dates_in_prose(text, phrase, start, end, precision):
    hits = find_dates(text)
    assert len(hits) == 1, hits
    s, e, parsed = hits[0]
    assert text[s:e] == phrase
    assert parsed.raw == phrase
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision)


def test_find_dates_span_offsets():
    text = "From September 2024 have a Management Information System"
    s, e, _ = find_dates(text)[0]
    assert (s, e) == (5, 19)


def test_find_dates_multiple_in_order_non_overlapping():
    text = ("In 2024/25 we began; by Mar-26 we will review, and by 2030 the "
            "Q4 2025/26 target of 1,500 children (93%) must be met.")
    hits = find_dates(text)
    assert [text[s:e] for s, e, _ in hits] == ["2024/25", "by Mar-26", "by 2030", "Q4 2025/26"]
    for (_, e1, _), (s2, _, _) in zip(hits, hits[1:]):
        assert e1 <= s2


@pytest.mark.parametrize("text", [
    "1,500 children were supported",
    "93% of families said so",
    "The 0-25 Service",
    "the 19–25 cohort",
    "an 11-16-year-old pupil",
    "Pillar 2 of the strategy",
    "Goal 2.4 is on track",
    "see paragraph 1.10",
    "section 3.2.1 sets out",
    "budget of £450,000",
    "cost £2030 per place",
    "2,500 homes",
    "page 47",
    "children aged 5-11-14 and 16-18",
    "young people aged 16 to 25",
    "a ratio of 2025:1",
    "in the 2020s",
    "a score of 2025.5",
    "ages 0-19",
    "12,2025 records",
])
def test_find_dates_negative(text):
    assert find_dates(text) == []


def test_find_dates_empty():
    assert find_dates("") == []
