"""Read a standalone question into typed facts: refs, documents, sections, people, dates, intent.

All rules are deterministic and checked against what the index holds: a
code counts as a ref only when its family exists (CSKA, CSSR, RI., ...), a
name only when it is an owner in the record store, a document only when a
document-type word ("plan", "strategy", "report", "Roadmap") and the words
before it single one out.  Dates go through ``ingest.dates``, the parser the
extractor used, so "by Sep-25" here and "Sep-25" in a cell are one range.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from app.chat.catalog import Catalog
from app.chat.text import STOP_WORDS, stems, words
from ingest.dates import find_dates
from ingest.extract import RecordKind

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "thirteen", "fourteen", "fifteen"]
DOC_NOUNS = ("plan", "strategy", "report", "roadmap", "review", "policy", "statement", "framework")

_DOTTED_AFTER = re.compile(r"\b(?:actions?|refs?|items?|activit(?:y|ies)|row)\s+"
                           r"(\d{1,2}\.\d{1,2}(?:\s*(?:,|and|&|or)\s*\d{1,2}\.\d{1,2})*)(?![\d%])", re.I)
_BARE_DOTTED = re.compile(r"^\W*(?:and\s+|what\s+about\s+|how\s+about\s+)?(?:action\s+)?(\d{1,2}\.\d{1,2})\W*$", re.I)
_CODE = re.compile(r"(?<![\w.])([A-Za-z]{2,5}\.?\d{1,4})(?![\w.]*\d)", re.I)
PRIORITY = re.compile(rf"\bpriority\s+({'|'.join(NUMBER_WORDS)}|\d{{1,2}})\b", re.I)
_KINDS: list[tuple[RecordKind, re.Pattern[str]]] = [
    ("risk", re.compile(r"\brisks?\b", re.I)),
    ("kpi", re.compile(r"\b(?:kpis?|indicators?|performance measures?)\b", re.I)),
    ("contract", re.compile(r"\bcontracts?\b", re.I)),
    ("action", re.compile(r"\b(?:actions?|key activit(?:y|ies)|activit(?:y|ies))\b", re.I)),
]
FIELDS: dict[str, re.Pattern[str]] = {
    "due": re.compile(r"(?:^\W*|[,;]\s*|\band\s+)(?:by\s+)?when\b|\b(?:due|deadlines?|timescales?|end date|ends?|"
                      r"expir\w*|finish\w*)\b", re.I),
    "owner": re.compile(r"(?:^\W*|[,;]\s*|\band\s+)who\b|\b(?:whose|owns?|owned|owners?|responsible|director|"
                        r"accountable|officer)\b", re.I),
    "where": re.compile(r"\b(?:identified|came from|come from|source of)\b", re.I),
    "rating": re.compile(r"\bratings?\b|\bscores?\b", re.I),
    "baseline": re.compile(r"\b(?:outturn|baseline)\b", re.I),
    "value": re.compile(r"\b(?:annual value|worth|cost|value|suppliers?|provider)\b", re.I),
    "mitigation": re.compile(r"\bmitigat\w*", re.I),
    "outcome": re.compile(r"\b(?:outcomes?|aims?|achieve|intended)\b", re.I),
    "lead": re.compile(r"\blead member\b|\bcllr\b|\bcouncillor\b", re.I),
}
_LISTING = re.compile(r"^\W*(?:which|what|list|show|give|name)\b.*\b(?:actions|risks|kpis|indicators|contracts|"
                      r"activities|records)\b|\b(?:own|owns|responsible for)\s*\??\s*$|\bwhat(?:'s| is) due\b", re.I)
ELSE = re.compile(r"\b(?:else|other|others|besides|apart from|as well as)\b", re.I)
_SOURCE_PHRASE = re.compile(r"\b(?:identified\s+(?:in|through|by|at|from|via)|came\s+from|come\s+from|from|through|via)"
                            r"\s+(?:the\s+)?([A-Z0-9][\w'’&/-]*(?:\s+(?:of\s+)?[A-Z0-9][\w'’&/-]*)*)")
_SYNTHESIS = re.compile(r"\b(?:across|overall|themes?|compare|common|together|summar\w*|what are we doing|"
                        r"approach(?:es)? to|how (?:is|are|does|do) (?:lambeth|the council|we)|"
                        r"all (?:the )?documents)\b", re.I)
COUNT = re.compile(r"^\W*(?:and\s+)?(?:how many|how much|what (?:share|proportion|percentage|number|rate)|"
                   r"what is the (?:number|rate|share|proportion|percentage))\b", re.I)
_WHEN = re.compile(r"^\W*(?:and\s+)?(?:by\s+)?when\b|\b(?:what|which) (?:date|year|month)\b|\bdeadline\b", re.I)
_AFTER = re.compile(r"(?:after|later than|beyond|since|from|starting|on or after)\s*$", re.I)
_BEFORE = re.compile(r"(?:until|till|up to|no later than|on or before|earlier than|ahead of)\s*$", re.I)
_BETWEEN = re.compile(r"\bbetween\s*$", re.I)
_DUE_CONTEXT = re.compile(r"\b(?:due|deadlines?|by when|ends?|ended|ending|end date|expir\w*|timescales?|"
                          r"actions|contracts|activities|overdue)\b", re.I)
# Words that say what kind of answer is wanted, not what it is about.
_STRUCTURAL = set(stems(
    "action actions activity activities key risk risks kpi kpis indicator indicators contract contracts due deadline "
    "deadlines when owner owners own owns owned responsible director officer identified priority priorities roadmap "
    "plan strategy report document documents directorate rating ratings current target outturn baseline value annual "
    "end ends date dates month year lead member record records many much number time timescale involve involves mean "
    "describe cover covers detail details happen commit commits committed ref reference code supplier whose person "
    "aim aims achieve intended outcome outcomes", keep_stop=True))


class DueFilter(BaseModel):
    before: date | None = None
    after: date | None = None
    phrase: str = Field(description="The date words of the question, e.g. 'by Sep-25'.")

    def describe(self) -> str:
        fmt = lambda d: f"{d.day} {d:%B %Y}"  # noqa: E731
        if self.before and self.after:
            if self.after.day == 1 and self.after.month == 1 and self.before == date(self.after.year, 12, 31):
                return f"in {self.after.year}"
            if self.after.day == 1 and self.before.month == self.after.month and self.before.year == self.after.year:
                return f"in {self.after:%B %Y}"
            return f"between {fmt(self.after)} and {fmt(self.before)}"
        if self.before:
            return f"on or before {fmt(self.before)}"
        return f"after {fmt(self.after - timedelta(days=1))}" if self.after else ""


class Question(BaseModel):
    text: str
    refs: list[str] = Field(default_factory=list, description="Refs and codes as written, e.g. '2.6', 'CSKA08'.")
    doc_ids: list[str] = Field(default_factory=list)
    doc_phrase: str | None = None
    section: str | None = Field(None, description="A named section, e.g. 'Priority Two'.")
    people: list[str] = Field(default_factory=list)
    due: DueFilter | None = None
    overdue: bool = False
    kind: RecordKind | None = None
    fields: list[str] = Field(default_factory=list)
    listing: bool = False
    excluding: bool = Field(False, description="'else' / 'other': leave out what was already named.")
    source_phrase: str | None = Field(None, description="'came from the Focused Visit 2024' -> 'Focused Visit 2024'.")
    terms: list[str] = Field(default_factory=list, description="Content stems.")
    topic_terms: list[str] = Field(default_factory=list, description="Content stems naming a subject, not a field.")
    synthesis: bool = False
    expects: Literal["date", "number"] | None = Field(None, description="The kind of value the answer must hold.")


def _refs(text: str, catalog: Catalog) -> list[str]:
    found: list[str] = []
    for match in _DOTTED_AFTER.finditer(text):
        found += re.findall(r"\d{1,2}\.\d{1,2}", match[1])
    if (bare := _BARE_DOTTED.match(text)) is not None:
        found.append(bare[1])
    for match in _CODE.finditer(text):
        token = match[1]
        if not re.search(r"\d", token) or re.fullmatch(r"\d{1,2}\.\d{1,2}", token):
            continue
        if catalog.is_ref_like(token) or catalog.find_ref(token):
            found.append(token)
    return list(dict.fromkeys(found))


def _documents(text: str, catalog: Catalog) -> tuple[list[str], str | None]:
    """Documents the question names: a singular document word ("plan", "Roadmap") with the
    name words right before it ("the Directorate Plan", "SEND and AP Strategy")."""
    tokens = words(text)
    all_names = set().union(*catalog.doc_words.values()) if catalog.doc_words else set()
    chosen: list[str] = []
    phrase = None
    for i, noun in enumerate(tokens):
        if noun not in DOC_NOUNS:
            continue
        candidates = [d for d, names in catalog.doc_words.items() if noun in names]
        modifiers: list[str] = []
        first = j = i
        while j > 0 and (tokens[j - 1] in STOP_WORDS or tokens[j - 1].isdigit() or tokens[j - 1] in all_names):
            j -= 1
            if tokens[j] in all_names and tokens[j] not in STOP_WORDS and not tokens[j].isdigit():
                modifiers.append(tokens[j])
                first = j
        if len(candidates) > 1:
            counts = {d: sum(t in catalog.doc_words[d] for t in modifiers) for d in candidates}
            best = max(counts.values(), default=0)
            candidates = [d for d, c in counts.items() if c == best] if best else []
        if len(candidates) == 1 and candidates[0] not in chosen:
            chosen.append(candidates[0])
            phrase = " ".join(tokens[first:i + 1])
    return chosen, phrase


def _people(text: str, catalog: Catalog) -> list[str]:
    lowered = text.lower().replace("’", "'")
    found = [p for p in catalog.people if re.search(rf"\b{re.escape(p.lower())}\b", lowered)]
    if found:
        return found
    mixed_case = text != text.lower()
    for token in re.findall(r"[A-Za-z][a-z'’\-]{2,}", text):
        if (mixed_case and not token[0].isupper()) or token.lower() in STOP_WORDS:
            continue
        matches = [p for p in catalog.people if token.lower() in p.lower().split()]
        if len(matches) == 1 and matches[0] not in found:
            found.append(matches[0])
    return found


def _due(text: str, name: str | None = None) -> DueFilter | None:
    """The question's date as a due-date filter, when it reads as one ("due by Sep-25", "end in 2021").
    A date inside a name ("the Focused Visit 2024") is part of the name, not a filter."""
    if not _DUE_CONTEXT.search(text):
        return None
    found = find_dates(text)
    if name and (at := text.find(name)) >= 0:
        found = [f for f in found if not (at <= f[0] and f[1] <= at + len(name))]
    if not found:
        return None
    start, end, parsed = found[0]
    if parsed.start is None or parsed.end is None:
        return None
    before_text = text[:start]
    raw = parsed.raw.lower()
    if len(found) > 1 and _BETWEEN.search(before_text) and found[1][2].end:
        return DueFilter(after=parsed.start, before=found[1][2].end, phrase=text[start:found[1][1]])
    if _AFTER.search(before_text):
        return DueFilter(after=parsed.end + timedelta(days=1), phrase=text[start:end])
    if raw.startswith(("by", "before", "end", "the end")) or _BEFORE.search(before_text):
        return DueFilter(before=parsed.end, phrase=text[start:end])
    return DueFilter(after=parsed.start, before=parsed.end, phrase=text[start:end])


def section_of(text: str) -> str | None:
    match = PRIORITY.search(text)
    if not match:
        return None
    number = match[1].lower()
    if number.isdigit() and int(number) < len(NUMBER_WORDS):
        number = NUMBER_WORDS[int(number)]
    return f"Priority {number.title()}"


def analyse(text: str, catalog: Catalog) -> Question:
    refs = _refs(text, catalog)
    doc_ids, doc_phrase = _documents(text, catalog)
    people = _people(text, catalog)
    kinds = [kind for kind, pattern in _KINDS if pattern.search(text)]
    fields = [name for name, pattern in FIELDS.items() if pattern.search(text)]
    source = _SOURCE_PHRASE.search(text)
    source_phrase = source[1] if source and "where" in fields else None
    terms = stems(text)
    named = set(stems(" ".join(refs + people + [doc_phrase or ""] + [section_of(text) or ""])))
    due = _due(text, source_phrase)
    if due:
        named |= set(stems(due.phrase))
    topic = [t for t in dict.fromkeys(terms) if t not in _STRUCTURAL and t not in named and not t.isdigit()]
    return Question(
        text=text, refs=refs, doc_ids=doc_ids, doc_phrase=doc_phrase, section=section_of(text), people=people,
        due=due, overdue=bool(re.search(r"\boverdue\b", text, re.I)),
        kind=kinds[0] if len(kinds) == 1 else None, fields=fields, listing=bool(_LISTING.search(text)),
        excluding=bool(ELSE.search(text)), source_phrase=source_phrase, terms=terms, topic_terms=topic,
        synthesis=bool(_SYNTHESIS.search(text)) and not doc_ids,
        expects="number" if COUNT.search(text) else "date" if _WHEN.search(text) else None,
    )
