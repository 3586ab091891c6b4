"""Numbered citations, and checking a model's citations against their sources.

``Sources`` hands out [n] numbers for chunk sentences and records, one per
distinct (source, quote).  ``verify`` takes a model's answer with [n]
markers and the quotes it claims, keeps a citation only when its quote is
found in the numbered source (``text.locate``: whitespace, quote marks and
dashes folded, the source's own substring returned), repairs a missing or
wrong quote to the source sentence that best matches it, drops the rest,
strips markers left without a citation and renumbers in reading order.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from app.chat.extractive import Evidence
from app.chat.models import Citation
from app.chat.text import locate, stems, units
from index.records import Record
from ingest.models import Chunk

_REPAIR_OVERLAP = 0.6
_MARKER = re.compile(r"\[(\d+(?:\s*(?:,|-|–)\s*\d+)*)\]")


class SourceText(BaseModel):
    """One numbered source shown to a model: a chunk or a record, with its verbatim text."""

    n: int
    text: str
    doc_id: str
    doc_title: str
    section: str | None = None
    page: int | None = None
    start: int
    chunk_id: str | None = None
    record_id: str | None = None


class Sources:
    """Numbers the sources of one answer in the order they are first cited."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, str], int] = {}

    def _add(self, key: tuple[str, str], **fields) -> int:
        if key not in self._numbers:
            n = len(self.citations) + 1
            self.citations.append(Citation(n=n, **fields))
            self._numbers[key] = n
        return self._numbers[key]

    def record(self, record: Record, quote: str) -> int:
        at = record.source.find(quote)
        return self._add((record.record_id, quote), doc_id=record.doc_id, doc_title=record.doc_title or record.doc_id,
                         section=record.section, page=record.page, quote=quote, record_id=record.record_id,
                         start=record.start + max(at, 0), end=record.start + max(at, 0) + len(quote))

    def evidence(self, unit: Evidence, fields: list[str] | tuple[str, ...] = ()) -> int:
        if unit.record is not None:
            from app.chat.phrasing import quote

            return self.record(unit.record, quote(unit.record, fields) if unit.row else unit.quote)
        return self._add((unit.chunk_id or "", unit.quote), doc_id=unit.doc_id, doc_title=unit.doc_title,
                         section=unit.section or None, page=unit.page, quote=unit.quote, chunk_id=unit.chunk_id,
                         start=unit.start, end=unit.end)

    def chunk(self, chunk: Chunk, quote: str, doc_title: str) -> int:
        at = chunk.text.find(quote)
        return self._add((chunk.chunk_id, quote), doc_id=chunk.doc_id, doc_title=doc_title,
                         section=chunk.section_label or None, page=chunk.page, quote=quote, chunk_id=chunk.chunk_id,
                         start=chunk.start + max(at, 0), end=chunk.start + max(at, 0) + len(quote))


# --------------------------------------------------------------------------- checking a model's citations

def expand_markers(text: str) -> str:
    """'[1, 2]' and '[1-3]' become '[1][2]' and '[1][2][3]'."""
    def one(match: re.Match[str]) -> str:
        numbers: list[int] = []
        for part in re.split(r"\s*,\s*", match[1]):
            if re.search(r"[-–]", part):
                a, b = (int(x) for x in re.split(r"\s*[-–]\s*", part))
                numbers += list(range(a, b + 1)) if 0 < b - a < 20 else [a, b]
            else:
                numbers.append(int(part))
        return "".join(f"[{n}]" for n in numbers)

    return _MARKER.sub(one, text)


def _claim_before(text: str, n: int) -> str:
    """The sentence a marker [n] closes: the text before it on its line, back to the previous sentence end."""
    at = text.find(f"[{n}]")
    if at < 0:
        return ""
    line = _MARKER.sub("", text[:at]).rstrip().split("\n")[-1]
    pieces = [p for p in re.split(r"(?<=[.!?])\s+", line) if p.strip()]
    return pieces[-1] if pieces else ""


def repair(claim: str, source: str) -> str | None:
    """The source unit (sentence or cell) that best reproduces ``claim``, if close enough."""
    wanted = set(stems(claim))
    if not wanted:
        return None
    best, best_share = None, 0.0
    for s, e in units(source):
        share = len(wanted & set(stems(source[s:e]))) / len(wanted)
        if share > best_share:
            best, best_share = source[s:e].strip(), share
    return best if best and best_share >= _REPAIR_OVERLAP else None


def verify(answer: str, claimed: list[tuple[int, str]], sources: list[SourceText]) -> tuple[str, list[Citation], int]:
    """Keep the citations whose quotes are in their sources; returns (answer, citations, dropped count)."""
    answer = expand_markers(answer)
    by_n = {s.n: s for s in sources}
    quotes: dict[int, list[str]] = {}
    for n, quote in claimed:
        quotes.setdefault(n, []).append(quote)
    used = [int(m) for m in re.findall(r"\[(\d+)\]", answer)]
    kept: dict[int, str] = {}
    dropped = 0
    for n in dict.fromkeys(used):
        source = by_n.get(n)
        verbatim = None
        if source is not None:
            for quote in quotes.get(n, []):
                verbatim = locate(quote, source.text) or (repair(quote, source.text) if len(quote) > 20 else None)
                if verbatim:
                    break
            if verbatim is None and not quotes.get(n):
                verbatim = repair(_claim_before(answer, n), source.text)
        if verbatim:
            kept[n] = verbatim
        else:
            dropped += 1
    renumber = {old: new for new, old in enumerate(kept, start=1)}

    def mark(match: re.Match[str]) -> str:
        n = int(match[1])
        return f"[{renumber[n]}]" if n in renumber else ""

    text = re.sub(r"\[(\d+)\]", mark, answer)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    citations = []
    for old, quote in kept.items():
        source = by_n[old]
        at = source.text.find(quote)
        citations.append(Citation(n=renumber[old], doc_id=source.doc_id, doc_title=source.doc_title,
                                  section=source.section, page=source.page, quote=quote, chunk_id=source.chunk_id,
                                  record_id=source.record_id, start=source.start + at,
                                  end=source.start + at + len(quote)))
    return text, citations, dropped
