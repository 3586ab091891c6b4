"""Rebuild tab-separated tables from a PDF page's layout text.

pypdf's plain extraction flattens a drawn table into loose words, losing which
words form a cell.  Its layout mode keeps horizontal positions instead, so a
table can be rebuilt the way a reader sees it: a header line with several
label-like segments fixes the column positions; each later segment falls in
the column it starts under; a line with text in the first column anchors a
row, and wrapped cell lines (which a vertically centred cell puts above as
well as below its anchor) join the nearest anchor.  The result uses the same
convention as the rest of the corpus: one row per line, cells split by tabs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.structure import looks_like_header

_SEGMENT = re.compile(r"\S+(?: \S+)*")  # words joined by single spaces; wider gaps separate cells
SLACK = 2  # columns of tolerance when a segment starts a little left of its column


@dataclass(frozen=True)
class Segment:
    start: int
    text: str


def segments(line: str) -> list[Segment]:
    return [Segment(m.start(), m.group()) for m in _SEGMENT.finditer(line)]


def _column(start: int, columns: list[int]) -> int:
    index = 0
    for k, column in enumerate(columns):
        if start + SLACK >= column:
            index = k
    return index


def _ends_table(segs: list[Segment], columns: list[int]) -> bool:
    """A line of prose across the first column's boundary ends the table."""
    return len(segs) == 1 and segs[0].start < columns[1] - SLACK and segs[0].start + len(segs[0].text) > columns[1] + SLACK


def _rows(body: list[tuple[int, dict[int, str]]], width: int) -> list[str]:
    anchors = [i for i, (_, cells) in enumerate(body) if 0 in cells]
    if not anchors:
        return []
    parts: dict[int, list[dict[int, str]]] = {a: [] for a in anchors}
    for i, (number, cells) in enumerate(body):
        if i in parts:
            parts[i].append(cells)
            continue
        nearest = min(anchors, key=lambda a: (abs(body[a][0] - number), a))
        parts[nearest].append(cells)
    rows = []
    for anchor in anchors:
        merged = [" ".join(c[k] for c in parts[anchor] if k in c) for k in range(width)]
        rows.append("\t".join(merged))
    return rows


def _header(lines: list[str], i: int) -> tuple[list[int], list[str], int, int]:
    """Columns and labels of a header whose labels may wrap onto the lines
    touching line ``i`` (a centred label puts words above and below it)."""
    top = i
    while top > 0 and lines[top - 1].strip() and all(len(s.text) < 30 for s in segments(lines[top - 1])):
        top -= 1
    bottom = i
    while bottom + 1 < len(lines) and lines[bottom + 1].strip() and \
            all(len(s.text) < 30 for s in segments(lines[bottom + 1])):
        bottom += 1
    starts: list[int] = []
    for line in lines[top : bottom + 1]:
        for seg in segments(line):
            if not any(abs(seg.start - c) <= SLACK for c in starts):
                starts.append(seg.start)
    columns = sorted(starts)
    labels: list[list[str]] = [[] for _ in columns]
    for line in lines[top : bottom + 1]:
        for seg in segments(line):
            labels[_column(seg.start, columns)].append(seg.text)
    return columns, [" ".join(words) for words in labels], top, bottom


def rebuild(layout_text: str) -> str:
    """The page text with drawn tables as tab-separated rows and prose spacing folded."""
    lines = layout_text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        segs = segments(lines[i])
        if len(segs) >= 2 and looks_like_header([s.text for s in segs]):
            columns, labels, top, bottom = _header(lines, i)
            body: list[tuple[int, dict[int, str]]] = []
            j = bottom + 1
            while j < len(lines):
                row_segs = segments(lines[j])
                if row_segs and _ends_table(row_segs, columns):
                    break
                cells: dict[int, str] = {}
                for seg in row_segs:
                    k = _column(seg.start, columns)
                    cells[k] = f"{cells[k]} {seg.text}" if k in cells else seg.text
                if cells:
                    body.append((j, cells))
                j += 1
            rows = _rows(body, len(columns))
            if rows:
                del out[len(out) - (i - top):]  # label words above the header line
                out.append("\n" + "\t".join(labels))
                out.extend(rows)
                out.append("")
                i = j
                continue
        out.append(" ".join(lines[i].split()))
        i += 1
    return "\n".join(out)
