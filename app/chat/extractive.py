"""Supporting sentences for a question, picked from retrieved passages without a generative model.

Each passage is cut into quotable units (sentences inside table cells or
prose); a unit scores by the share of the question's idf-weighted stems it
holds, plus a small prior for its passage's retrieval rank (so a dense-only
paraphrase match still yields its passage's best sentence).  A table row
that is a record is one unit, shown as the record's line.  The best units
are kept above half the top score, near-duplicates dropped, then grouped by
document and put back in document order so the answer reads like the source.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from app.chat.catalog import Catalog
from app.chat.retrieve import Passage
from app.chat.text import coverage, join_short, readable, stems, units
from index.records import Record
from ingest.dates import find_dates

_RANK_PRIOR = 0.12
_MIN_WORDS = 6
_ANSWER_TYPE_BONUS = 0.15  # a sentence holding the kind of value asked for (a date, a number)
_NUMBER = re.compile(r"\d")
_LONG_ROW = 60  # words: a longer table row is quoted cell by cell


def _holds(expects: str | None, text: str) -> bool:
    if expects == "number":
        return bool(_NUMBER.search(text))
    if expects == "date":
        return bool(find_dates(text))
    return False


class Evidence(BaseModel):
    """One quotable unit: a sentence of a chunk, or a record row."""

    doc_id: str
    doc_title: str
    section: str
    page: int | None = None
    chunk_id: str | None = None
    start: int
    end: int
    quote: str
    text: str
    score: float
    coverage: float
    rank: int
    record: Record | None = None
    row: bool = Field(False, description="The unit is the record's whole row, shown as the record's line.")


def _record_units(passage: Passage, catalog: Catalog, weights: dict[str, float]) -> list[Evidence]:
    out = []
    for chunk in passage.chunks:
        for record in catalog.records_in(chunk):
            if record.origin != "table":
                continue
            cells = [stems(record.source[a:b]) for a, b in units(record.source)]
            cov = max((coverage(weights, c) for c in cells), default=0.0)  # a row is as good as its best cell
            out.append(Evidence(
                doc_id=record.doc_id, doc_title=passage.doc_title, section=record.section or chunk.section_label,
                page=record.page, start=record.start, end=record.end, quote=record.source, text=record.title,
                score=cov + _RANK_PRIOR / (1 + passage.rank), coverage=cov, rank=passage.rank, record=record,
                row=True))
    return out


def record_sentences(record: Record, weights: dict[str, float], doc_title: str) -> list[Evidence]:
    """The sentences of a record's own row, scored: 'what does action 6.5 aim for on absence?'."""
    out = []
    for s, e in units(record.source):
        quote = record.source[s:e].strip()
        if not quote:
            continue
        cov = coverage(weights, stems(quote))
        start = record.start + record.source.index(quote, s)
        out.append(Evidence(doc_id=record.doc_id, doc_title=doc_title, section=record.section or "", page=record.page,
                            start=start, end=start + len(quote), quote=quote, text=readable(quote), score=cov,
                            coverage=cov, rank=0, record=record))
    return out


def _labelled(row: str, header: str | None) -> str:
    """A table row for reading: 'Agency staff … — Dec 2019 snapshot: 146 (25.26%)' (cells named by the header)."""
    cells = row.split("\t")
    names = (header or "").split("\t")
    if len(cells) < 2 or len(names) != len(cells):
        return readable(row)
    rest = [f"{readable(n)}: {readable(c)}" if readable(n) else readable(c)
            for n, c in zip(names[1:], cells[1:]) if readable(c)]
    return f"{readable(cells[0])} — {'; '.join(rest)}" if rest else readable(cells[0])


def _spans(passage: Passage) -> list[tuple[int, int]]:
    """Quotable spans of a passage: prose sentences (short lines joined); a table row whole, its cells read
    together ("Agency staff … | 146 (25.26%)"), unless the row is too long to read as one unit."""
    if passage.kind == "prose":
        return join_short(passage.text, units(passage.text))
    spans: list[tuple[int, int]] = []
    cursor = 0
    for row in passage.text.split("\n"):
        start, end = cursor, cursor + len(row)
        cursor = end + 1
        if len(row.split()) > _LONG_ROW:
            spans += [(start + a, start + b) for a, b in units(row)]
        elif row.strip():
            spans.append((start + len(row) - len(row.lstrip()), start + len(row.rstrip())))
    return spans


def candidates(passages: list[Passage], catalog: Catalog, weights: dict[str, float],
               expects: str | None = None) -> list[Evidence]:
    """Every unit of every passage, scored; units holding the expected kind of value get a bonus."""
    out: list[Evidence] = []
    for passage in passages:
        rows = _record_units(passage, catalog, weights) if passage.kind != "prose" else []
        if rows:
            out.extend(rows)
            continue
        for s, e in _spans(passage):
            located = passage.chunk_at(passage.start + s, passage.start + e)
            if located is None:
                continue
            chunk, start, end = located
            quote = chunk.text[start - chunk.start:end - chunk.start].strip()
            if not quote:
                continue
            unit_stems = stems(quote)
            n_words = len(quote.split())
            cov = coverage(weights, unit_stems)
            heading = n_words < 12 and quote[-1] not in ".!?:)\"'”"
            scale = min(1.0, n_words / _MIN_WORDS) * (0.6 if heading else 1.0)
            out.append(Evidence(
                doc_id=passage.doc_id, doc_title=passage.doc_title, section=chunk.section_label, page=chunk.page,
                chunk_id=chunk.chunk_id, start=chunk.start + chunk.text.index(quote, start - chunk.start),
                end=0, quote=quote, text=_labelled(quote, chunk.header), coverage=cov * scale, rank=passage.rank,
                score=cov * scale + _RANK_PRIOR / (1 + passage.rank) + (_ANSWER_TYPE_BONUS if cov > 0 and
                                                                         _holds(expects, quote) else 0.0)))
            out[-1].end = out[-1].start + len(quote)
    return out


def _similar(a: Evidence, b: Evidence) -> bool:
    if a.doc_id == b.doc_id and min(a.end, b.end) > max(a.start, b.start):
        return True
    sa, sb = set(stems(a.text)), set(stems(b.text))
    return bool(sa and sb) and len(sa & sb) / len(sa | sb) >= 0.7


def select(found: list[Evidence], limit: int, floor: float = 0.6) -> list[Evidence]:
    """The best units above ``floor`` x the best score, deduplicated, grouped by document, in document order."""
    ranked = sorted(found, key=lambda u: u.score, reverse=True)
    if not ranked:
        return []
    cutoff = ranked[0].score * floor
    chosen: list[Evidence] = []
    for unit in ranked:
        if unit.score < cutoff or len(chosen) >= limit:
            break
        if not any(_similar(unit, c) for c in chosen):
            chosen.append(unit)
    docs = list(dict.fromkeys(u.doc_id for u in chosen))
    return sorted(chosen, key=lambda u: (docs.index(u.doc_id), u.start))
