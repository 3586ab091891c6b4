"""Answer text without a generative model: record lists, record sentences, cited sentences, corrections, refusals.

Every line that states something from the documents ends with its [n];
headers only count or name what follows ("35 actions … :").
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.chat.catalog import Catalog
from app.chat.citations import Sources
from app.chat.extractive import Evidence
from app.chat.lookup import LookupResult, Missing, Mismatch
from app.chat.phrasing import label, line, noun, plural, quote, sentence, title
from app.chat.question import Question
from app.chat.text import readable
from index.records import Record, RecordQuery, query_records
from index.store import IndexStore


class Draft(BaseModel):
    """An answer under construction: text plus the numbered sources it cites."""

    parts: list[str] = Field(default_factory=list)
    records: list[Record] = Field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)

    @property
    def text(self) -> str:
        return "\n".join(p for p in self.parts if p is not None).strip()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def cited(text: str, n: int) -> str:
    """``text`` with its [n] marker placed before the closing full stop."""
    text = text.rstrip()
    if text.endswith(".") and not text.endswith(".."):
        return f"{text[:-1]} [{n}]."
    return f"{text} [{n}]"


def short_title(title: str) -> str:
    """'Roadmap to Excellence — Children, …' -> 'Roadmap to Excellence' for running text."""
    return title.split(" — ")[0].strip()


def records_answer(result: LookupResult, q: Question, sources: Sources, draft: Draft) -> None:
    """One sentence per record when a few named records are asked about; otherwise a complete list."""
    records = result.records
    if result.mode == "refs" and len(records) <= 3:
        for record in records:
            draft.add(cited(sentence(record, q.fields), sources.record(record, quote(record, q.fields))))
        draft.records += records
        return
    if result.mode == "within":
        conditions = [f"identified in {q.source_phrase}" if q.source_phrase else "",
                      f"due {q.due.describe()}" if q.due else ""]
        detail = " and ".join(c for c in conditions if c)
        detail = f" ({detail})" if detail else ""
        if not records:
            draft.add(f"None of those match{detail}.")
            return
        draft.add(f"{'One' if len(records) == 1 else len(records)} of those "
                  f"{'matches' if len(records) == 1 else 'match'}{detail}:")
    elif not records:
        draft.add(f"No {result.description} are listed in the documents." if result.description else
                  "No records match that question.")
        return
    else:
        what = result.description
        if len(records) == 1:
            what = what.replace(plural(noun(records[0])), noun(records[0]), 1)
        draft.add(f"{len(records)} {what}:")
    docs = {r.doc_id for r in records}
    by_section = (len(docs) == 1 and result.mode != "owner" and all(r.kind == "action" and r.section for r in records)
                  and len({r.section for r in records}) > 1)
    groups: dict[str, list[Record]] = {}
    for record in records:
        if by_section:
            key = readable(record.section or "", 120)
        else:
            key = _cap(plural(noun(record))) + (f" in {short_title(record.doc_title or record.doc_id)}"
                                                 if len(docs) > 1 else "")
        groups.setdefault(key, []).append(record)
    for key, members in groups.items():
        if len(groups) > 1:
            draft.add(f"{key}:")
        fields = list(dict.fromkeys([*q.fields, "due"])) if result.mode == "due" else q.fields
        for record in members:
            text = line(record, fields, owner_known=bool(q.people), show_section=not (by_section or q.section))
            draft.add(f"- {cited(text, sources.record(record, quote(record, q.fields)))}")
    draft.records += records


def correction(missing: Missing, q: Question, catalog: Catalog, sources: Sources, draft: Draft) -> None:
    """'There is no action 9.4 …' with the numbering that does exist, cited."""
    kind_noun = {"risk": "risk", "kpi": "KPI", "contract": "contract"}.get(q.kind or "", "")
    if not kind_noun:
        kind_noun = noun(missing.nearest[0]) if missing.nearest else "record"
    where = " or ".join(f"the {short_title(catalog.title(d))}" for d in missing.spans) if missing.spans else \
        "the documents"
    draft.add(f"There is no {kind_noun} {missing.ref} in {where}.")
    for doc_id, span in missing.spans.items():
        nearest = [r for r in missing.nearest if r.doc_id == doc_id]
        nearby = "; ".join(f"{label(r)} ({title(r, 90)}{', due ' + r.due_raw if r.due_raw else ''}) "
                           f"[{sources.record(r, quote(r, q.fields))}]" for r in nearest)
        family = catalog.family(missing.ref, doc_id)
        listing = (": " + ", ".join(r.ref for r in family)) if 1 < len(family) <= 16 else f" from {span}"
        kinds = plural(noun(family[0])) if family else "records"
        text = f"The {short_title(catalog.title(doc_id))} numbers its {kinds}{listing}."
        if nearest:
            text += f" The nearest: {nearby}."
        draft.add(text)
    draft.records += missing.nearest


def mismatch(item: Mismatch, store: IndexStore, sources: Sources, draft: Draft) -> None:
    """'No: CSSR0005 is owned by Merlin Joseph' and what the named person does own of that kind."""
    record = item.record
    draft.add(f"{item.person} is not named as owner of {label(record)}. "
              + cited(sentence(record, ['owner']), sources.record(record, quote(record, ['owner']))))
    theirs = query_records(store, RecordQuery(owner=item.person, kind=record.kind, doc=record.doc_id))
    if theirs:
        named = ", ".join(f"{label(r)} ({title(r, 70)}) [{sources.record(r, quote(r, ['owner']))}]" for r in theirs[:8])
        draft.add(f"{item.person} is named as owner of {named}.")
    draft.records.append(record)


def evidence_answer(units: list[Evidence], q: Question, sources: Sources, draft: Draft) -> None:
    """Cited sentences and record lines grouped by document."""
    groups: dict[str, list[Evidence]] = {}
    for unit in units:
        groups.setdefault(unit.doc_title, []).append(unit)
    for doc_title, members in groups.items():
        items = []
        for unit in members:
            if unit.record is not None and unit.row:
                text = sentence(unit.record, q.fields) if q.fields else line(unit.record, q.fields, with_noun=True)
                draft.records.append(unit.record)
            else:
                text = unit.text
            items.append(cited(text, sources.evidence(unit, q.fields)))
        if len(units) == 1:
            draft.add(f"According to the {short_title(doc_title)}: {items[0]}")
        else:
            draft.add(f"According to the {short_title(doc_title)}:")
            draft.parts += [f"- {item}" for item in items]


def refusal(best: list[Evidence], sources: Sources, draft: Draft) -> None:
    """Say plainly that the documents do not answer, and point at the nearest sections (cited)."""
    draft.add("The documents do not answer that question: I could not find a passage that supports an answer.")
    pointers = []
    seen: set[tuple[str, str]] = set()
    for unit in best:
        key = (unit.doc_id, unit.section)
        if key in seen or len(pointers) >= 3:
            continue
        seen.add(key)
        where = f"“{unit.section}” in the {short_title(unit.doc_title)}" if unit.section else \
            f"the {short_title(unit.doc_title)}"
        pointers.append(f"{where} [{sources.evidence(unit)}]")
    if pointers:
        draft.add("The nearest relevant sections are " + ("; ".join(pointers[:-1]) + " and " + pointers[-1]
                                                          if len(pointers) > 1 else pointers[0]) + ".")
