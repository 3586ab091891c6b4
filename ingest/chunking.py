"""Split a structured document into chunks that keep provenance.

* A table row becomes one chunk that carries its table's header and section,
  so "Sep-25" is never separated from "By when".  A row too long for the
  token limit is cut at sentence (or word) boundaries, every piece keeping
  the header.  Rows of a header-less table (a contents list) are packed
  together.
* Prose is packed sentence by sentence up to a token target, with about
  ``overlap`` tokens of whole sentences repeated at the start of the next
  chunk; a single over-long sentence is cut at word boundaries.  Headings
  open the chunk that follows them, so a heading can be found and quoted.

Every chunk's text is the exact span ``text[start:end]`` of the document.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from ingest.models import Chunk, Document
from ingest.structure import Heading, Paragraph, Table, parse
from planchat.tokens import count_tokens

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9\u00a3])|\n+")

Span = tuple[int, int]


def sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans inside ``text[start:end]``, whitespace trimmed."""
    spans, cursor = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _cut_words(text: str, span: Span, limit: int) -> list[Span]:
    """Cut a span at word boundaries into pieces of at most ``limit`` tokens."""
    pieces, s = [], span[0]
    words = [m.end() for m in re.finditer(r"\S+", text[span[0]:span[1]])]
    piece_start, last_ok = s, None
    for w_end in words:
        e = span[0] + w_end
        if count_tokens(text[piece_start:e]) > limit and last_ok is not None:
            pieces.append((piece_start, last_ok))
            piece_start = last_ok
            while piece_start < span[1] and text[piece_start].isspace():
                piece_start += 1
        last_ok = e
    pieces.append((piece_start, span[1]))
    return [p for p in pieces if p[1] > p[0]]


def pack(text: str, spans: list[Span], target: int, limit: int, overlap: int) -> list[Span]:
    """Group consecutive sentence spans into chunks of about ``target`` tokens."""
    units: list[Span] = []
    for span in spans:
        units.extend(_cut_words(text, span, limit) if count_tokens(text[span[0]:span[1]]) > limit else [span])
    chunks: list[Span] = []
    current: list[Span] = []
    for unit in units:
        if current and count_tokens(text[current[0][0]:unit[1]]) > target:
            chunks.append((current[0][0], current[-1][1]))
            carried: list[Span] = []
            for prev in reversed(current):
                if count_tokens(text[prev[0]:current[-1][1]]) > overlap:
                    break
                carried.insert(0, prev)
            current = carried if carried and count_tokens(text[carried[0][0]:unit[1]]) <= limit else []
        current.append(unit)
    if current:
        chunks.append((current[0][0], current[-1][1]))
    return chunks


def _chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    digest = hashlib.sha1(f"{doc_id}\x00{start}\x00{end}\x00{text}".encode()).hexdigest()[:16]
    return f"{doc_id}:{digest}"


def _spans(document: Document, target: int, limit: int, overlap: int) -> Iterator[tuple[str, tuple[str, ...], Span, str | None]]:
    text = document.text
    units: list[Span] = []  # headings, then sentences of consecutive paragraphs of one section
    section: tuple[str, ...] = ()
    has_body = False

    def flush() -> Iterator[tuple[str, tuple[str, ...], Span, str | None]]:
        nonlocal has_body
        if has_body:
            for piece in pack(text, units, target, limit, overlap):
                yield "prose", section, piece, None
        units.clear()
        has_body = False

    for block in parse(text):
        if isinstance(block, Heading):
            if has_body:
                yield from flush()
            units.append((block.line.start, block.line.end))
            section = block.section
        elif isinstance(block, Paragraph):
            if has_body and block.section != section:
                yield from flush()
            section = block.section
            units.extend(sentences(text, block.lines[0].start, block.lines[-1].end))
            has_body = True
        else:
            yield from flush()  # headings right above a table live on in its section path
            yield from _table_spans(text, block, target, limit)
    yield from flush()


def _table_spans(text: str, table: Table, target: int, limit: int) -> Iterator[tuple[str, tuple[str, ...], Span, str | None]]:
    if table.header is None:
        rows = [(row.line.start, row.line.end) for row in table.rows]
        for piece in pack(text, rows, target, limit, 0):
            yield "table", table.section, piece, None
        return
    header = table.header.text
    room = limit - count_tokens(header) - 1
    for row in table.rows:
        span = (row.line.start, row.line.end)
        section = table.section + ((row.group,) if row.group and row.group != row.cells[0] else ())
        if count_tokens(text[span[0]:span[1]]) <= room:
            yield "table_row", section, span, header
        else:
            for piece in pack(text, sentences(text, *span), room, room, 0):
                yield "table_row", section, piece, header


def chunk_document(document: Document, target: int, limit: int, overlap: int) -> list[Chunk]:
    chunks = []
    for ordinal, (kind, section, (start, end), header) in enumerate(_spans(document, target, limit, overlap)):
        body = document.text[start:end]
        chunks.append(
            Chunk(
                chunk_id=_chunk_id(document.doc_id, start, end, body),
                doc_id=document.doc_id,
                kind=kind,
                section=list(section),
                page=document.page_at(start),
                start=start,
                end=end,
                text=body,
                header=header,
                ordinal=ordinal,
            )
        )
    return chunks
