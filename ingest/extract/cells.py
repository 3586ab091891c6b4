"""Cell values: text cleaning, owner splitting and leading refs.

Field values are cleaned for reading (HTML tags stripped, whitespace
collapsed) while the record's ``source`` keeps the row verbatim, so nothing
is lost and OCR slips ("El4", "b lack Caribbean") stay as written.
"""

from __future__ import annotations

import html
import re

_BLOCK_TAG = re.compile(r"</?(?:ul|ol|li|p|br|div|tr|td|th|table|h\d)\b[^<>]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_LEADING_NUMBER = re.compile(r"^(?P<ref>\d{1,2}(?:\.\d{1,3})+[a-z]?)[.:)]?\s+(?=\S)")
_LEADING_CODE = re.compile(r"^(?P<ref>[A-Z][A-Za-z]{0,5}[.\-]?\d{1,5}(?:\.\d{1,3})*[a-z]?)[.:)]?\s+(?=\S)")
_NAME_WORD = re.compile(r"^(?:(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.?"
                        r"|Cllr|Dr|Mr|Mrs|Ms|de|van|von|da|del|la)$")

# Capitalised words that name teams and posts, not people ("Community Safety", "Head of Service").
_ORGANISATION = {
    "adult", "adults", "board", "care", "children", "children's", "commissioning", "community", "council",
    "department", "directorate", "director", "directors", "division", "early", "education", "health", "help",
    "head", "housing", "learning", "lead", "manager", "officer", "partnership", "people", "public", "safety",
    "safeguarding", "school", "schools", "service", "services", "social", "team", "unit", "youth", "all",
}


def clean(value: str | None) -> str | None:
    """Readable text of a cell: HTML tags dropped (block tags leave a space), entities
    decoded, whitespace collapsed; empty -> None."""
    if value is None:
        return None
    if "<" in value or "&" in value:
        value = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", value)))
    text = " ".join(value.split())
    return text or None


def looks_like_name(text: str) -> bool:
    """'Abi Onaboye', 'Cllr Dyer', 'J. Smith': two to four capitalised words."""
    words = text.split()
    return 1 < len(words) <= 4 and all(_NAME_WORD.match(w) and w.lower() not in _ORGANISATION for w in words)


def split_owners(cell: str | None) -> list[str]:
    """Owners in a cell.  '/' always separates owners ("Alex Kubeyinje/ Abi Onaboye",
    "Directors / Adult services"); '&', ',' and ' and ' only when every part reads
    as a person's name, so "Head of Education and Learning" stays whole."""
    text = clean(cell)
    if not text:
        return []
    owners: list[str] = []
    for part in (p.strip() for p in text.split("/")):
        if not part:
            continue
        pieces = [p.strip() for p in re.split(r"\s*(?:&|,|;|\band\b)\s*", part) if p.strip()]
        if len(pieces) > 1 and all(looks_like_name(p) for p in pieces):
            owners.extend(pieces)
        else:
            owners.append(part)
    return owners


def leading_ref(text: str, codes: bool) -> tuple[str | None, str]:
    """Split a leading ref off a title cell: '1.3 Implementation…' -> ('1.3', 'Implementation…').

    Dotted numbers are always refs; letter codes ("LC.06", "SE129", "El4") only
    when ``codes`` says the column is made of them, so "KS4 outcomes" is safe.
    """
    match = _LEADING_NUMBER.match(text) or (_LEADING_CODE.match(text) if codes else None)
    if not match:
        return None, text
    return match["ref"], text[match.end():]


def has_code(text: str) -> bool:
    """True when ``text`` starts with a code-shaped token carrying a digit (for the column vote)."""
    return bool(_LEADING_CODE.match(text))


def strip_trailing(text: str | None, chars: str = ",;") -> str | None:
    if text is None:
        return None
    return text.rstrip(chars).strip() or None
