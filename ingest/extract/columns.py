"""Map table columns to record fields by what their headers mean.

Plans name the same column many ways ("By when", "Deadline", "Timescale",
"End Date"); a vocabulary of ordered patterns reads them all, so a new plan
with "Milestone | Accountable officer | Target date" needs no new code.  The
record kind is decided from the mapped columns, never from the document: an
"Action"/"Activity" column makes actions, "Indicator" plus a baseline or
target makes KPIs, "Risk" plus ratings or mitigation makes risks, "Contract"
plus supplier or value makes contracts.  Tables that map to no kind (budgets,
contents, workforce figures) yield no records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Whole-header matches, tried first: short labels that are ambiguous inside longer ones.
_EXACT: list[tuple[str, re.Pattern[str]]] = [
    ("ref", re.compile(r"(?:action |risk |kpi |indicator |item )?"
                       r"(?:ref(?:erence)?(?: no| number)?|no|number|id|code|#)")),
    ("section", re.compile(r"(?:key )?(?:priorit(?:y|ies)|themes?|strands?|areas?(?: of focus)?"
                           r"|workstreams?|pillars?)")),
]

# Ordered: the first pattern found in the header wins.
_SEARCH: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(pattern)) for name, pattern in [
    ("lead_member", r"\b(?:lead members?|cabinet members?|portfolio(?: holders?)?|lead councillors?|councillors?)\b"),
    ("due", r"\b(?:by when|deadlines?|timescales?|time ?frames?|end date|due|target date|completion date"
            r"|date of completion|expiry|expires|delivery date|by date|when|ends?)\b"),
    ("current_rating", r"\b(?:current|inherent|gross)\b.*\b(?:rating|score|rag)\b"),
    ("target_rating", r"\b(?:target|residual|net)\b.*\b(?:rating|score|rag)\b"),
    ("mitigation", r"\b(?:mitigations?|mitigating|controls?)\b"),
    ("owner", r"\b(?:owners?|responsible|responsibility|leads?|directors?|accountable|officers?|who)\b"),
    ("kpi_type", r"\b(?:indicator|kpi|measure) type\b|^type\b"),
    ("title:kpi", r"\b(?:performance )?(?:indicators?|kpis?|measures?|metrics?)\b"),
    ("baseline", r"\b(?:outturn|baseline|actual|current performance|latest|previous)\b"),
    ("target", r"\btargets?\b"),
    ("supplier", r"\b(?:suppliers?|providers?|contractors?|vendors?)\b"),
    ("borough_plan", r"\b(?:borough plan|corporate plan|council plan|goals?)\b"),
    ("annual_value", r"\b(?:annual value|contract value|value|annual cost|cost|annual spend)\b"),
    ("title:contract", r"\bcontracts?\b"),
    ("title:risk", r"\brisks?\b"),
    ("where_identified", r"\bwhere identified\b|\bidentified (?:by|in|through)\b"),
    ("programme", r"\b(?:programmes?|projects?)\b"),
    ("output", r"\b(?:outputs?|deliverables?)\b"),
    ("title:action", r"\b(?:actions?|activit(?:y|ies)|tasks?|what we will do|commitments?|milestones?|steps?)\b"),
    ("outcome", r"\b(?:outcomes?|impact|success (?:measures?|criteria))\b"),
    ("objective", r"\bobjectives?\b"),
    ("title:generic", r"\b(?:description|details?|items?)\b"),
]]

# Columns that must accompany a kind's title column before its rows count as records.
_SUPPORT = {
    "kpi": {"baseline", "target", "owner", "outcome", "kpi_type"},
    "risk": {"current_rating", "target_rating", "mitigation", "owner"},
    "contract": {"supplier", "annual_value", "due", "owner"},
    "action": set(),
}


def normalise_header(text: str) -> str:
    """Lower case words only: 'By when?' -> 'by when'."""
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", text.lower()).split())


def meaning(header: str) -> str | None:
    """The field a header stands for ('title:<kind>' for title columns), or None.

    A header ending in ':' ("Key actions include:") is a lead-in to a list,
    not a column label, so it means nothing.
    """
    if not header.strip() or header.strip().endswith(":"):
        return None
    text = normalise_header(header)
    for name, pattern in _EXACT:
        if pattern.fullmatch(text):
            return name
    for name, pattern in _SEARCH:
        if pattern.search(text):
            return name
    return None


@dataclass
class ColumnMap:
    """Which column holds which field, and the record kind the table yields."""

    fields: dict[str, int] = field(default_factory=dict)   # field -> column index
    labels: dict[str, str] = field(default_factory=dict)   # field -> header text as written
    extra: dict[int, str] = field(default_factory=dict)    # unmapped column index -> header
    kind: str | None = None

    def cell(self, cells: list[str], name: str) -> str | None:
        index = self.fields.get(name)
        return cells[index] if index is not None and index < len(cells) else None


def _kind(titles: dict[str, int], fields: dict[str, int]) -> tuple[str | None, str | None]:
    """(kind, title key) decided from the mapped columns."""
    for key in titles:
        kind = key.split(":", 1)[1]
        if kind == "generic":
            continue
        if not _SUPPORT[kind] or _SUPPORT[kind] & fields.keys():
            return kind, key
    if "title:generic" in titles:
        for kind, signals in (("risk", {"current_rating", "target_rating", "mitigation"}),
                              ("contract", {"supplier", "annual_value"}),
                              ("kpi", {"baseline", "target"}),
                              ("action", {"due", "owner"})):
            if signals & fields.keys():
                return kind, "title:generic"
    return None, None


def map_columns(header: list[str]) -> ColumnMap:
    """Map header cells to fields; the first column claiming a field keeps it."""
    fields: dict[str, int] = {}
    labels: dict[str, str] = {}
    titles: dict[str, int] = {}
    extra: dict[int, str] = {}
    for index, text in enumerate(header):
        name = meaning(text)
        if name and name.startswith("title:"):
            if name not in titles:
                titles[name] = index
                continue
        elif name and name not in fields:
            fields[name] = index
            labels[name] = " ".join(text.split())
            continue
        if text.strip():
            extra[index] = " ".join(text.split())
    kind, title_key = _kind(titles, fields)
    for key, index in titles.items():
        if key == title_key:
            fields["title"] = index
            labels["title"] = " ".join(header[index].split())
        else:
            extra[index] = " ".join(header[index].split())
    return ColumnMap(fields=fields, labels=labels, extra=dict(sorted(extra.items())), kind=kind)
