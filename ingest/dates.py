"""One date parser for the date idioms used in UK local-authority plans.

Plan documents write deadlines in many shapes: "Sep-25", "31st March 2021",
"2025/26", "Q3 2025/26", "Autumn term 2025", "by 2030", "Ongoing". Three
parts of planchat need to understand them:

* the table extractor, for "By when" / "Deadline" / "End Date" cells;
* the commitment finder, which looks for dated promises in prose;
* the question parser ("what's due by Sep-25?", "before the end of 2025").

They share this module so that a cell, a sentence and a question that mention
the same period always resolve to the same range. Every expression becomes a
``ParsedDate`` with the first (``start``) and last (``end``) day it covers;
``end`` is the value compared for "due by" questions.

The parser never guesses. Text it cannot read keeps its ``raw`` value with
``start = end = None`` and precision "none" ("ongoing" for ongoing work).

Design: a small ordered table of compiled regexes, each paired with a function
that turns a match into (start, end, precision) or rejects it. ``find_dates``
runs every pattern, then keeps the earliest, longest, highest-priority matches
that do not overlap. A rejected match (e.g. "31st June 2025") still claims its
span, so nothing shorter inside it ("June 2025") is read as a guess.
``parse_date`` takes the first of those for a whole cell.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Callable, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

Precision = Literal[
    "day", "month", "quarter", "term", "year",
    "financial_year", "academic_year", "ongoing", "none",
]


class ParsedDate(BaseModel):
    """A date expression resolved to the range of days it covers."""

    model_config = ConfigDict(frozen=True)

    raw: str                # the exact text parsed (stripped)
    start: date | None = None   # earliest day covered
    end: date | None = None     # latest day covered; used for "due by"
    precision: Precision = "none"


def month_end(year: int, month: int) -> date:
    """Last day of the given month (leap years included)."""
    return date(year, month, calendar.monthrange(year, month)[1])


def fy_start_year(day: date) -> int:
    """Start year of the UK financial year (April-March) containing ``day``.

    January to March belong to the financial year that began the April before.
    """
    return day.year if day.month >= 4 else day.year - 1


# --------------------------------------------------------------------------
# Regex building blocks
# --------------------------------------------------------------------------

# "by", "before", "by (the) end of", "(the) end of" belong to the matched span
# but do not change the range.
_PREFIX = r"(?:\b(?:by|before)\s+(?:(?:the\s+)?end\s+of\s+)?|\b(?:the\s+)?end\s+of\s+)?"
# Digit-led expressions must not be glued to a preceding word or number
# ("£2030", "1,2025", "0-25"), and no expression may run on into a following
# one ("2030s", "2025.5", "93%"; "2025-12" is not read as the year 2025).
_LEFT = r"(?<![\w£$€.,:/\-–—])"
_RIGHT = r"(?![\w%]|[.,:/\-–—]\d)"
_DASH = r"\s*[/\-–—]\s*"                    # slash, hyphen, en or em dash
_YEAR = r"(?:19|20)\d\d"
_MONTH = (
    r"\b(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"

_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun",
         "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
_TERMS = {"spring": (1, 3), "summer": (4, 7), "autumn": (9, 12)}
_ONGOING = re.compile(r"\b(?:on-?\s?going|continu(?:ous|al)(?:ly)?)\b", re.IGNORECASE)

Span = tuple[date, date, Precision]


def _month(m: re.Match[str]) -> int:
    return _MONTH_NUMBERS[m["mon"].lower()[:3]]


def _full_year(token: str, century_from: int = 2000) -> int:
    """Four-digit year; two-digit years are read in ``century_from``'s century."""
    return int(token) if len(token) == 4 else century_from // 100 * 100 + int(token)


def _next_year_ok(y1: int, token: str | None) -> bool:
    """True if ``token`` (e.g. the "26" of "2025/26") is the year after ``y1``."""
    if token is None:
        return False
    return int(token) == (y1 + 1) % 100 if len(token) == 2 else int(token) == y1 + 1


# --------------------------------------------------------------------------
# Builders: match -> (start, end, precision), or None to reject the match
# --------------------------------------------------------------------------

def _day(m: re.Match[str]) -> Span | None:
    if m.groupdict().get("sep") == "-" and len(m["y"]) == 2:
        return None  # "5-11-14" is more likely ages than a date
    month = int(m["m"]) if m.groupdict().get("m") else _month(m)
    try:
        day = date(_full_year(m["y"]), month, int(m["d"]))
    except ValueError:
        return None
    return day, day, "day"


def _month_year(m: re.Match[str]) -> Span:
    year, month = _full_year(m["y"]), _month(m)
    return date(year, month, 1), month_end(year, month), "month"


def _quarter(m: re.Match[str]) -> Span | None:
    q, y1 = int(m["q"]), int(m["y1"])
    if m["y2"] is None:                       # calendar quarter: Q1 = Jan-Mar
        year, month = y1, 3 * q - 2
    elif _next_year_ok(y1, m["y2"]):          # financial quarter: Q1 = Apr-Jun
        first = 3 * q + 1                     # 4, 7, 10, 13
        year, month = y1 + (first - 1) // 12, (first - 1) % 12 + 1
    else:
        return None
    return date(year, month, 1), month_end(year, month + 2), "quarter"


def _term(m: re.Match[str]) -> Span | None:
    first, last = _TERMS[m["season"].lower()]
    year = int(m["y1"])
    if m["y2"] is not None:                   # "Spring term 2025/26" -> 2026
        if not _next_year_ok(year, m["y2"]):
            return None
        if m["season"].lower() != "autumn":
            year += 1
    return date(year, first, 1), month_end(year, last), "term"


def _academic_year(m: re.Match[str]) -> Span | None:
    y1 = int(m["y1"])
    if not _next_year_ok(y1, m["y2"]):
        return None
    return date(y1, 9, 1), date(y1 + 1, 8, 31), "academic_year"


def _year_pair(m: re.Match[str]) -> Span | None:
    """'2025/26' or '2025-26' is a financial year; '2020-23' a span of years."""
    y1, token = int(m["y1"]), m["y2"]
    consecutive = _next_year_ok(y1, token)
    financial = bool(m["fy"] or m["fy2"]) or (
        consecutive and (len(token) == 2 or m["sep"].strip() == "/"))
    if financial:
        return (date(y1, 4, 1), date(y1 + 1, 3, 31), "financial_year") if consecutive else None
    y2 = _full_year(token, y1)
    if y2 <= y1:
        return None                           # "2025-12" etc.: don't guess
    return date(y1, 1, 1), date(y2, 12, 31), "year"


def _year(m: re.Match[str]) -> Span:
    year = int(m["y"])
    return date(year, 1, 1), date(year, 12, 31), "year"


class _Rule(NamedTuple):
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], Span | None]


def _rule(body: str, build: Callable[[re.Match[str]], Span | None],
          digit_led: bool = False) -> _Rule:
    left = _LEFT if digit_led else ""
    return _Rule(re.compile(_PREFIX + left + body + _RIGHT, re.IGNORECASE), build)


# Order is priority when two matches start at the same place with equal length.
_RULES: list[_Rule] = [
    _rule(rf"\bQ(?:uarter\s*)?(?P<q>[1-4])\s+(?P<y1>{_YEAR})(?:{_DASH}(?P<y2>\d\d))?",
          _quarter),
    _rule(rf"\bacademic\s+year\s+(?P<y1>{_YEAR}){_DASH}(?P<y2>\d\d(?:\d\d)?)",
          _academic_year),
    _rule(rf"(?P<y1>{_YEAR}){_DASH}(?P<y2>\d\d(?:\d\d)?)\s+academic\s+year",
          _academic_year, digit_led=True),
    _rule(rf"\b(?P<season>autumn|spring|summer)\s+term\s+(?P<y1>{_YEAR})"
          rf"(?:{_DASH}(?P<y2>\d\d))?", _term),
    _rule(rf"(?P<y>{_YEAR})-(?P<m>\d\d)-(?P<d>\d\d)", _day, digit_led=True),
    _rule(rf"(?P<d>\d{{1,2}})(?P<sep>[/\-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>{_YEAR}|\d\d)",
          _day, digit_led=True),
    _rule(rf"(?P<d>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+(?P<y>{_YEAR})",
          _day, digit_led=True),
    _rule(rf"{_MONTH}\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>{_YEAR})", _day),
    _rule(rf"{_MONTH}\s*[\-–/'’]?\s*(?P<y>{_YEAR}|\d\d)", _month_year),
    _rule(rf"(?P<fy>\b(?:financial\s+year|FY)\s*)?(?P<y1>{_YEAR})"
          rf"(?P<sep>{_DASH}|\s+to\s+)(?P<y2>\d\d(?:\d\d)?)(?P<fy2>\s+financial\s+year)?",
          _year_pair, digit_led=True),
    _rule(r"(?P<y>199\d|20\d\d)", _year, digit_led=True),
]


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

def find_dates(text: str) -> list[tuple[int, int, ParsedDate]]:
    """Every date expression in ``text`` as (start, end, ParsedDate).

    Spans are character offsets (``text[start:end]`` is the expression), in
    order and non-overlapping. When candidates overlap, the one that starts
    first wins, then the longest, then the earlier rule in ``_RULES``.
    """
    candidates = [
        (m.start(), -(m.end() - m.start()), priority, m.end(), rule.build(m))
        for priority, rule in enumerate(_RULES)
        for m in rule.pattern.finditer(text)
    ]
    candidates.sort(key=lambda c: c[:3])

    found: list[tuple[int, int, ParsedDate]] = []
    last_end = 0
    for start, _, _, end, built in candidates:
        if start < last_end:
            continue
        last_end = end           # a rejected match still claims its span
        if built is not None:
            first, last, precision = built
            parsed = ParsedDate(raw=text[start:end], start=first, end=last, precision=precision)
            found.append((start, end, parsed))
    return found


def parse_date(raw: str | None) -> ParsedDate:
    """Parse a whole cell or phrase; the first date expression in it wins.

    Cells with no date get start = end = None and precision "ongoing" (if they
    say ongoing/continuous) or "none" ("N/A", "TBC", "Immediate", "soon", "").
    """
    text = (raw or "").strip()
    found = find_dates(text)
    if found:
        return found[0][2].model_copy(update={"raw": text})
    return ParsedDate(raw=text, precision="ongoing" if _ONGOING.search(text) else "none")
