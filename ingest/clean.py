"""Remove page furniture that repeats on many pages, keep everything else verbatim.

Furniture is found by repetition, not by a list of strings, with two rules:

* **Menus**: a run of three or more consecutive short lines that each repeat
  across the document (or join repeating phrases, as when a menu item breaks
  over two lines in one place and stays whole in another) is a navigation
  block.  A sub-heading such as "Our challenge" repeats too, but on its own,
  between different paragraphs, so it survives.
* **Running headers and footers**: in paged sources, a line standing first or
  last on many pages ("Page 3 of 12" with digits folded) is dropped.

Table rows are never furniture: a repeated table header is structure the
chunker needs.  Removal is of whole lines only; kept lines are untouched.
"""

from __future__ import annotations

import re
from collections import Counter

MIN_REPEATS = 4
MIN_RUN = 3
MAX_FURNITURE_CHARS = 80
_BLANK_RUN = re.compile(r"\n{3,}")


_MARKUP = re.compile(r"^[\s\-*\u2022#>]+|\*\*")


def _fold(line: str, digits: bool = False) -> str:
    """Compare lines as a reader would: ignore spacing, bullets, heading marks and bold."""
    folded = " ".join(_MARKUP.sub("", line).split())
    return re.sub(r"\d+", "#", folded) if digits else folded


def _candidate(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and "\t" not in line and len(stripped) <= MAX_FURNITURE_CHARS and bool(re.search(r"[A-Za-z]", stripped))


def _joins(words: list[str], phrases: set[str]) -> bool:
    """True when ``words`` split into consecutive repeated phrases (DP over word positions)."""
    reachable = [True] + [False] * len(words)
    for end in range(1, len(words) + 1):
        reachable[end] = any(reachable[start] and " ".join(words[start:end]) in phrases for start in range(end))
    return bool(words) and reachable[-1]


def _menu_lines(lines: list[str], repeated: set[str]) -> set[int]:
    """Indices of lines inside runs of repeated short lines (blank lines don't break a run)."""
    marked: set[int] = set()
    run: list[int] = []

    def close() -> None:
        if len(run) >= MIN_RUN and any(_fold(lines[i]) in repeated for i in run):
            marked.update(run)
        run.clear()

    for i, line in enumerate(lines):
        if not line.strip():
            continue
        key = _fold(line)
        if _candidate(line) and (key in repeated or _joins(key.split(), repeated)):
            run.append(i)
        else:
            close()
    close()
    return marked


def _edge_keys(pages: list[list[str]]) -> set[str]:
    """Digit-folded lines standing first or last on at least half the pages (and 3+)."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        filled = [line for line in lines if line.strip()]
        edges = {_fold(line, digits=True) for line in filled[:1] + filled[-1:] if _candidate(line)}
        counts.update(edges)
    return {key for key, n in counts.items() if n >= max(3, len(pages) // 2)}


def clean_pages(pages: list[str]) -> tuple[str, list[int], int]:
    """Join cleaned pages into one text; return (text, page start offsets, lines removed)."""
    split = [page.split("\n") for page in pages]
    repeated = {k for k, n in Counter(_fold(l) for ls in split for l in ls if _candidate(l)).items() if n >= MIN_REPEATS}
    edges = _edge_keys(split)
    texts: list[str] = []
    removed = 0
    for lines in split:
        drop = _menu_lines(lines, repeated)
        filled = [i for i, line in enumerate(lines) if line.strip()]
        for i in filled[:1] + filled[-1:]:
            if _candidate(lines[i]) and _fold(lines[i], digits=True) in edges:
                drop.add(i)
        removed += len(drop)
        kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
        texts.append(_BLANK_RUN.sub("\n\n", kept).strip("\n"))
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 2
    return "\n\n".join(texts), starts, removed
