"""Dated commitments in prose become action records.

Plans promise things in sentences as well as tables: "From September 2024
have a Management Information System…", "…will be in place by April 2021",
"(commissioned until March 2025)".  A sentence counts when it holds a date
that reads as a deadline or a start ("by", "before", "until", "end of"; or
"from"/"in" with a future verb) and does not read as history ("In 2023 we
opened…") or a projection.  A heading that is only a date ("By 2030") dates
the promises ("… will …") in the paragraphs under it.  The sentence is the
record's title and its exact span the source.  Rows of tables that already
yield records are not read again; cells of other tables are read as prose.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from ingest.chunking import sentences
from ingest.dates import ParsedDate, find_dates, parse_date
from ingest.extract.cells import clean
from ingest.extract.models import ExtractedRecord
from ingest.models import Document
from ingest.structure import Block, Heading, Paragraph, Table

_DEADLINE = re.compile(r"^(?:by|before|(?:the\s+)?end\s+of)\b", re.I)
_BEFORE_DATE = re.compile(r"\b(?P<word>until|till|up to|no later than|since|from|starting(?: in| from)?|beginning|"
                          r"commencing|in|during|over|for|within)\s*$", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|we want|we aim|aims? to|plans? to|planned to|intends? to|commit(?:s|ted)? to|"
                     r"going to|expects? to|expected to|seeks? to|are working towards"
                     r"|to be (?:in place|completed|delivered))\b",
                     re.I)
_PAST = re.compile(r"\b(?:was|were|had|did|has been|have been|last year|previously)\b|"
                   r"\b(?:we|they|it|this|which|who|that)\s+(?:have\s+|has\s+)?\w+ed\b", re.I)
_PROJECTION = re.compile(r"\b(?:projected|projections?|forecasts?|forecasted|estimated|predicted)\b", re.I)
_LEAD = re.compile(r"^(?:[-*\u2022\u00b7]\s+|\*\*|\d+\.\s+(?=[A-Z]))+")
_MIN_WORDS = 4


@dataclass(frozen=True)
class _Commitment:
    start: int
    end: int
    due: ParsedDate


def _usable(date: ParsedDate) -> bool:
    return date.end is not None and date.precision not in ("none", "ongoing")


def commitment_date(sentence: str, published: date | None = None) -> ParsedDate | None:
    """The date that makes ``sentence`` a commitment, or None if it is not one.

    A deadline ("by", "until") counts on its own; a start ("from") or a bare
    date needs a future verb (or the sentence opening on it), and must not end
    before the document was published ("…in 2022, the council announced…")."""
    stripped = sentence.strip()
    if len(stripped.split()) < _MIN_WORDS or stripped.endswith((":", "?")) or _PROJECTION.search(stripped):
        return None
    future = bool(_FUTURE.search(stripped))
    if _PAST.search(stripped) and not future:
        return None
    weak: ParsedDate | None = None
    for start, _, found in find_dates(stripped):
        if not _usable(found):
            continue
        if _DEADLINE.match(found.raw):
            return found
        word = _BEFORE_DATE.search(stripped[:start])
        word = word["word"].lower() if word else ""
        if word in ("until", "till", "up to", "no later than"):
            return found
        if published is not None and found.end < published:
            continue
        lead_in = stripped[:start].strip(" -*\u2022(").lower()
        opening = lead_in in ("", "from", "starting from")
        if word.startswith(("from", "starting", "beginning", "commencing")) and (future or opening):
            weak = weak or found
        elif future and word != "since":
            weak = weak or found
    return weak


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop bullets and bold marks from the front of a sentence span."""
    lead = _LEAD.match(text, start, end)
    if lead:
        start = lead.end()
    while end > start and text[end - 2:end] == "**":
        end -= 2
    return start, end


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [_trim(text, s, e) for s, e in sentences(text, start, end)]


def _heading_date(heading: Heading) -> ParsedDate | None:
    """A heading that is nothing but a deadline ("By 2030") dates what follows it."""
    text = heading.line.text.strip().strip("*#").strip()
    found = find_dates(text)
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(text) and _usable(found[0][2]) \
            and _DEADLINE.match(found[0][2].raw):
        return found[0][2]
    return None


def _cell_spans(table: Table) -> list[tuple[tuple[str, ...], int, int]]:
    spans = []
    for row in table.rows:
        offset = row.line.start
        for cell in row.line.text.split("\t"):
            if cell.strip():
                spans.append((table.section, offset, offset + len(cell)))
            offset += len(cell) + 1
    return spans


def find_commitments(document: Document, blocks: list[Block], skip_tables: set[int]) -> list[ExtractedRecord]:
    """Action records (origin 'prose') for every dated commitment outside record tables."""
    text = document.text
    published = parse_date(document.meta.date).start if document.meta.date else None
    found: list[tuple[tuple[str, ...], _Commitment]] = []
    heading_due: ParsedDate | None = None
    for block in blocks:
        if isinstance(block, Heading):
            heading_due = _heading_date(block)
            continue
        if isinstance(block, Paragraph):
            spans = [(block.section, block.lines[0].start, block.lines[-1].end)]
        elif isinstance(block, Table) and id(block) not in skip_tables:
            spans, heading_due = _cell_spans(block), None
        else:
            heading_due = None
            continue
        for section, span_start, span_end in spans:
            for s, e in _sentences(text, span_start, span_end):
                sentence = text[s:e]
                due = commitment_date(sentence, published)
                if due is None and heading_due is not None and _FUTURE.search(sentence) \
                        and not _PAST.search(sentence) and len(sentence.split()) >= _MIN_WORDS:
                    due = heading_due
                if due is not None:
                    found.append((section, _Commitment(s, e, due)))
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return [_record(document, section, c, bisect.bisect_right(starts, c.start)) for section, c in found]


def _record(document: Document, section: tuple[str, ...], c: _Commitment, line: int) -> ExtractedRecord:
    source = document.text[c.start:c.end]
    return ExtractedRecord(
        record_id="", doc_id=document.doc_id, kind="action", origin="prose",
        title=clean(source.replace("**", "")) or source,
        section=section[-1] if section else None, section_path=list(section),
        due_raw=c.due.raw, due_start=c.due.start, due_date=c.due.end, due_precision=c.due.precision,
        page=document.page_at(c.start), line=line, start=c.start, end=c.end, source=source,
    )
