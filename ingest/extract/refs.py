"""Refs missing from a row, inferred from the sequence around it.

Plans number their rows ("1.1", "1.2", "CSKA01") but conversions drop some
numbers.  A missing ref is filled only when the sequence leaves exactly one
answer: the run of unnumbered rows exactly fills the gap between its
neighbours (2.8, ?, 2.10 -> 2.9; 6.6, ?, ?, ?, ?, 6.11 -> 6.7-6.10), starts a
section just before its first numbered row (?, 1.2 -> 1.1), ends a section's
sequence (6.13, ? -> 6.14), or is a whole section under a numbered heading
("Priority Two" -> 2.1) in a stream numbered that way.  Anything else (CSKA34,
?, CSKA35) stays unknown rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARTS = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")
_DOTTED = re.compile(r"^(?P<major>\d+)\.\d+$")
_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
_SECTION_NUMBER = re.compile(
    r"^(?:(?:priority|objective|theme|section|part|pillar|goal|aim|outcome|area|strand)\s+)?"
    rf"(?P<n>\d{{1,2}}|{'|'.join(_WORDS)})\b", re.I)


@dataclass
class Slot:
    """One row's ref and the section it sits in (the sequence boundary)."""

    ref: str | None
    section: str | None
    inferred: bool = False


def section_number(section: str | None) -> int | None:
    """'Priority Two: …' -> 2, '3. Transition…' -> 3, 'Key Activities' -> None."""
    match = _SECTION_NUMBER.match(section or "")
    if not match:
        return None
    n = match["n"].lower()
    return int(n) if n.isdigit() else _WORDS.index(n)


def _split(ref: str) -> tuple[str, int, int] | None:
    """(prefix, number, zero-padded width) of a sequence ref, or None."""
    match = _PARTS.match(ref)
    if not match:
        return None
    digits = match["number"]
    return match["prefix"], int(digits), len(digits) if digits.startswith("0") else 0


def _make(prefix: str, number: int, width: int) -> str:
    return f"{prefix}{number:0{width}d}" if width else f"{prefix}{number}"


def _fill(slots: list[Slot], run: list[int], refs: list[str]) -> None:
    for index, ref in zip(run, refs):
        slots[index].ref, slots[index].inferred = ref, True


def _numbered_by_section(slots: list[Slot]) -> bool:
    """True when the stream's refs are 'N.M' with N the section's number."""
    dotted = [(s, _DOTTED.match(s.ref)) for s in slots if s.ref and not s.inferred]
    return bool(dotted) and all(m and int(m["major"]) == section_number(s.section) for s, m in dotted)


def sequential(slots: list[Slot], share: float = 0.8) -> bool:
    """Do the known refs count up one row at a time?  KPI codes (RI.49, RI.54,
    SE172 after SE180) do not, so nothing is inferred among them."""
    known = [(i, _split(s.ref)) for i, s in enumerate(slots) if s.ref]
    pairs = [(i, a, j, b) for (i, a), (j, b) in zip(known, known[1:]) if a and b and a[0] == b[0]]
    if not pairs:
        return False
    steady = sum(1 for i, a, j, b in pairs if b[1] - a[1] == j - i)
    return steady / len(pairs) >= share


def infer_refs(slots: list[Slot]) -> None:
    """Fill unknown refs in place where the sequence allows exactly one answer."""
    ordered = sequential(slots)
    by_section = _numbered_by_section(slots)
    if not (ordered or by_section):
        return
    i = 0
    while i < len(slots):
        if slots[i].ref is not None:
            i += 1
            continue
        section = slots[i].section
        j = i
        while j + 1 < len(slots) and slots[j + 1].ref is None and slots[j + 1].section == section:
            j += 1
        run = list(range(i, j + 1))
        prev_index = next((p for p in range(i - 1, -1, -1) if slots[p].ref), None)
        next_index = next((n for n in range(j + 1, len(slots)) if slots[n].ref), None)
        before = after = None
        if prev_index is not None and all(s.section == section for s in slots[prev_index:i]):
            before = _split(slots[prev_index].ref)
        if next_index is not None and all(s.section == section for s in slots[j + 1:next_index + 1]):
            after = _split(slots[next_index].ref)
        k = len(run)
        if ordered and before and after:
            if before[0] == after[0] and after[1] - before[1] - 1 == k:
                _fill(slots, run, [_make(before[0], before[1] + n, before[2]) for n in range(1, k + 1)])
        elif ordered and before:
            _fill(slots, run, [_make(before[0], before[1] + n, before[2]) for n in range(1, k + 1)])
        elif ordered and after:
            if after[1] - k == 1:
                _fill(slots, run, [_make(after[0], n, after[2]) for n in range(1, k + 1)])
        elif not (before or after) and by_section and section_number(section) is not None:
            major = section_number(section)
            _fill(slots, run, [f"{major}.{n}" for n in range(1, k + 1)])
        i = j + 1
