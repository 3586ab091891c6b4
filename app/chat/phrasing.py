"""Records in words: a label ("action 2.6"), a list line, a sentence about asked fields, a quote.

Lines are built from the record's cleaned fields; the quote a citation
carries is always cut from ``record.source`` (the verbatim row), so the
reader can check the line against the document.
"""

from __future__ import annotations

import re

from index.records import Record
from app.chat.text import readable

_QUOTE_WHOLE_ROW = 320  # rows up to this long are quoted whole; longer ones by their title cell


def noun(record: Record) -> str:
    if record.kind == "kpi":
        return "KPI"
    if record.kind in ("risk", "contract"):
        return record.kind
    if record.origin == "prose":
        return "commitment"
    return "key activity" if "activit" in (record.section or "").lower() else "action"


def plural(noun_: str) -> str:
    return {"key activity": "key activities", "KPI": "KPIs"}.get(noun_, noun_ + "s")


def owners_text(record: Record) -> str:
    """The owner cell as the row writes it ('Cathy Twist/ Abi Onaboye'), else the names joined."""
    for start, end in _cells(record.source):
        cell = record.source[start:end]
        if record.owners and all(o in cell for o in record.owners) and len(cell) < 120:
            return readable(cell)
    return " / ".join(record.owners)


def title(record: Record, limit: int = 160) -> str:
    return readable(record.title, limit)


def label(record: Record) -> str:
    """How the answer names the record: 'action 2.6', 'risk CSSR0005', 'the VAWG contract'."""
    if record.kind == "contract":
        return f"the {readable(record.title, 80)} contract"
    if record.ref:
        return f"{noun(record)} {record.ref}"
    return f"the {noun(record)} “{title(record, 80)}”"


def _clauses(record: Record, fields: list[str]) -> list[str]:
    """Verb phrases stating the asked fields ('is due May-25', 'is owned by Merlin Joseph')."""
    out: list[str] = []
    owners = owners_text(record)
    for field in fields:
        if field == "due":
            verb = "ends" if record.kind == "contract" else "is due"
            out.append(f"{verb} {record.due_raw}" if record.due_raw else "has no date given")
        elif field == "owner":
            if not owners:
                out.append("has no owner named")
            elif record.kind == "contract":
                out.append(f"has {owners} as responsible director")
            elif record.kind == "action":
                out.append(f"has {owners} as responsible officer")
            else:
                out.append(f"is owned by {owners}")
        elif field == "where" and record.where_identified:
            out.append(f"was identified in {record.where_identified}")
        elif field == "rating" and (record.current_rating or record.target_rating):
            out.append(f"has a current risk rating of {record.current_rating or 'not given'} and a target rating of "
                       f"{record.target_rating or 'not given'}")
        elif field == "baseline" and record.baseline_value:
            out.append(f"had a {record.baseline_label or 'baseline'} of {record.baseline_value}")
        elif field == "value" and (record.annual_value or record.supplier):
            parts = [f"is worth {record.annual_value} a year" if record.annual_value else "",
                     f"is supplied by {record.supplier}" if record.supplier else ""]
            out.append(" and ".join(p for p in parts if p))
        elif field == "mitigation" and record.mitigation:
            out.append(f"is mitigated by: {readable(record.mitigation, 300)}")
        elif field == "outcome" and record.outcome:
            out.append(f"has the intended outcome: {readable(record.outcome, 300)}")
        elif field == "output" and record.output:
            out.append(f"commits to: {readable(record.output, 300)}")
        elif field == "lead" and record.lead_member:
            out.append(f"has lead member {record.lead_member}")
    return out


def default_fields(record: Record) -> list[str]:
    """The fields worth stating when the question asks for none in particular."""
    by_kind = {"action": ["output", "due", "where", "owner", "lead"], "kpi": ["baseline", "owner"],
               "risk": ["owner", "rating"], "contract": ["value", "due", "owner"]}
    fields = by_kind[record.kind]
    return [f for f in fields if _clauses(record, [f]) and not (f == "owner" and not record.owners)
            and not (f == "due" and not record.due_raw)]


def sentence(record: Record, fields: list[str]) -> str:
    """One sentence about one record, e.g. 'Action 2.6 (Realignment of …) is due May-25.'"""
    clauses = _clauses(record, fields) or _clauses(record, default_fields(record))
    name = label(record)
    name = name[0].upper() + name[1:]
    if record.kind != "contract" and record.ref:
        name += f" ({title(record, 140)})"
    if not clauses:
        return f"{name} is listed in {readable(record.section or record.doc_title or record.doc_id, 120)}."
    body = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
    return f"{name} {body}."


def line(record: Record, fields: list[str], with_noun: bool = False, owner_known: bool = False,
         show_section: bool = True) -> str:
    """A list line: '2.6 Realignment of … — due May-25; Priority Two: …'.  ``owner_known``: the list is
    one person's, so only shared ownership is worth a word."""
    head = f"{record.ref} {title(record, 140)}" if record.ref else title(record, 160)
    if with_noun:
        head = f"{noun(record)} {head}"
    facts: list[str] = []
    if "due" in fields or record.kind == "contract":
        if record.due_raw:
            facts.append(("ends " if record.kind == "contract" else "due ") + record.due_raw)
    if "where" in fields and record.where_identified:
        facts.append(f"identified in {record.where_identified}")
    if len(record.owners) > 1:
        facts.append("shared: " + owners_text(record))
    elif record.owners and not owner_known and ("owner" in fields or record.kind in ("contract", "risk", "kpi")):
        facts.append("owner " + owners_text(record))
    if record.kind == "risk" and "rating" in fields:
        facts.append(f"ratings {record.current_rating}/{record.target_rating}")
    if record.kind == "kpi" and record.baseline_value:
        facts.append(f"{record.baseline_label or 'baseline'} {record.baseline_value}")
    if show_section and record.section and record.kind == "action" and record.origin == "table" and record.due_raw:
        facts.append(readable(record.section, 70))
    return head + (" — " + "; ".join(facts) if facts else "")


_FIELD_VALUES = {"due": "due_raw", "where": "where_identified", "rating": "current_rating",
                 "baseline": "baseline_value", "value": "annual_value", "mitigation": "mitigation",
                 "outcome": "outcome", "output": "output", "lead": "lead_member"}


def _cells(source: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank tab-separated cell of a row, whitespace trimmed."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\t\s](?:[^\t]*[^\t\s])?", source)]


def quote(record: Record, fields: list[str] | tuple[str, ...] = ()) -> str:
    """A verbatim part of the record's row that shows what the answer states: the whole row if short,
    else the cells from its title through the asked field's cell, else the title cell."""
    source = record.source
    if len(source.strip()) <= _QUOTE_WHOLE_ROW:
        return source.strip()
    cells = _cells(source)
    if not cells:
        return source.strip()
    probe = " ".join(record.title.split())[:40]
    title = next((i for i, (a, b) in enumerate(cells) if probe and probe in " ".join(source[a:b].split())), 0)
    wanted = [getattr(record, _FIELD_VALUES[f]) for f in fields if f in _FIELD_VALUES]
    if "owner" in fields and record.owners:
        wanted.append(record.owners[0])
    targets = [i for value in wanted if value for i, (a, b) in enumerate(cells)
               if " ".join(value.split())[:30] in " ".join(source[a:b].split())]
    if targets:
        first, last = min([title, *targets]), max([title, *targets])
        span = source[cells[first][0]:cells[last][1]]
        if len(span) <= _QUOTE_WHOLE_ROW * 2.5:
            return span
        return source[cells[targets[0]][0]:cells[targets[0]][1]]
    start, end = cells[title]
    return source[start:min(end, start + _QUOTE_WHOLE_ROW * 2)]
