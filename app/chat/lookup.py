"""Exact answers from the record store: refs, owners, due-by lists, follow-ups on a list.

A question is a lookup when it names a ref, asks what a known person owns,
asks for records due in a period, narrows an earlier list ("which of those
…"), or asks for a kind of record by section or document.  The result is
the complete list ``query_records`` gives, never a top-k.  Refs that do
not exist (a false premise such as "action 9.4") are reported with the
nearest real records so the answer can correct the question.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, Field

from app.chat.catalog import Catalog, code_family
from app.chat.phrasing import noun, plural
from app.chat.question import Question
from index.records import Record, RecordQuery, natural_key, query_records
from index.store import IndexStore

log = logging.getLogger(__name__)


class Missing(BaseModel):
    """A ref the question assumes but no document has, with what does exist nearby."""

    ref: str
    doc_ids: list[str] = Field(default_factory=list, description="Documents numbered like the ref.")
    nearest: list[Record] = Field(default_factory=list)
    spans: dict[str, str] = Field(default_factory=dict, description="doc_id -> 'first to last' of its numbering.")


class Mismatch(BaseModel):
    """A person the question names as owner of a record they do not own."""

    person: str
    record: Record


class LookupResult(BaseModel):
    mode: str = Field(description="refs | owner | due | within | kind")
    records: list[Record] = Field(default_factory=list)
    missing: list[Missing] = Field(default_factory=list)
    mismatches: list[Mismatch] = Field(default_factory=list)
    query: RecordQuery | None = None
    description: str = ""


def _ordered(records: list[Record]) -> list[Record]:
    docs = list(dict.fromkeys(r.doc_id for r in records))
    return sorted(records, key=lambda r: (docs.index(r.doc_id), natural_key(r.ref), r.start))


def _has(record: Record, field: str) -> bool:
    attr = {"due": "due_raw", "owner": "owners", "where": "where_identified", "rating": "current_rating",
            "baseline": "baseline_value", "value": "annual_value", "mitigation": "mitigation",
            "outcome": "outcome", "lead": "lead_member"}.get(field)
    return bool(getattr(record, attr)) if attr else True


def _missing(ref: str, catalog: Catalog, doc_ids: list[str]) -> Missing:
    family_docs = catalog.code_docs(ref) if code_family(ref) else catalog.dotted_docs()
    if doc_ids and set(doc_ids) & set(family_docs):
        family_docs = [d for d in family_docs if d in doc_ids]
    result = Missing(ref=ref, doc_ids=family_docs)
    major = ref.split(".")[0] if "." in ref and not code_family(ref) else None
    for doc in family_docs:
        family = catalog.family(ref, doc)
        if not family:
            continue
        result.spans[doc] = f"{family[0].ref} to {family[-1].ref}"
        same_major = [r for r in family if major and r.ref.split(".")[0] == major]
        if same_major:
            result.nearest.append(same_major[-1])
            continue
        key = natural_key(ref)
        below = [r for r in family if natural_key(r.ref) < key]
        above = [r for r in family if natural_key(r.ref) > key]
        result.nearest += [r for r in (below[-1] if below else None, above[0] if above else None) if r]
    return result


def _by_refs(q: Question, catalog: Catalog) -> LookupResult:
    result = LookupResult(mode="refs")
    for ref in q.refs:
        found = catalog.find_ref(ref, q.doc_ids)
        if not found and q.doc_ids:
            numbered_alike = catalog.code_docs(ref) if code_family(ref) else catalog.dotted_docs()
            named_has_family = set(q.doc_ids) & set(numbered_alike)
            found = [] if named_has_family else catalog.find_ref(ref)
        if not found:
            result.missing.append(_missing(ref, catalog, q.doc_ids))
            continue
        if q.kind and any(r.kind == q.kind for r in found):
            found = [r for r in found if r.kind == q.kind]
        if len(found) > 1 and q.fields:
            found = [r for r in found if all(_has(r, f) for f in q.fields)] or found
        result.records += [r for r in found if r not in result.records]
    if q.people and "owner" in q.fields and not q.excluding:
        for record in result.records:
            owned = " ".join(record.owners).lower()
            result.mismatches += [Mismatch(person=p, record=record) for p in q.people if p.lower() not in owned]
    return result


def _describe(q: Question, noun: str, catalog: Catalog) -> str:
    parts = [noun]
    if q.doc_ids:
        parts.append("in " + " and ".join(catalog.title(d) for d in q.doc_ids))
    if q.section:
        parts.append(f"under {q.section}")
    if q.people:
        parts.append("owned by " + " or ".join(q.people))
    if q.source_phrase:
        parts.append(f"identified in {q.source_phrase}")
    if q.due:
        parts.append(("due " if noun != "contracts" else "ending ") + q.due.describe())
    if q.overdue:
        parts.append("overdue")
    return " ".join(parts)


def _phrase_filter(records: list[Record], phrase: str | None) -> list[Record]:
    if not phrase:
        return records
    wanted = phrase.lower()
    return [r for r in records if wanted in (r.where_identified or "").lower() or wanted in r.source.lower()]


def _due_filter(records: list[Record], q: Question) -> list[Record]:
    if q.due:
        records = [r for r in records if r.due_date and (not q.due.before or r.due_date <= q.due.before)
                   and (not q.due.after or r.due_date >= q.due.after)]
    return records


def lookup(q: Question, store: IndexStore, catalog: Catalog, within: list[str] | None = None,
           exclude: list[str] | None = None) -> LookupResult | None:
    """The records that answer ``q`` exactly, or None when it is not a lookup question."""
    exclude_ids = set(exclude or [])
    if within:
        records = [catalog.by_id[i] for i in within if i in catalog.by_id]
        if q.kind:
            records = [r for r in records if r.kind == q.kind] or records
        records = _phrase_filter(_due_filter(records, q), q.source_phrase)
        if q.people:
            records = [r for r in records if any(p.lower() in " ".join(r.owners).lower() for p in q.people)]
        return LookupResult(mode="within", records=_ordered(records), description=_describe(q, "of those", catalog))
    if q.refs:
        result = _by_refs(q, catalog)
        if result.records or result.missing:
            return result
    kind_noun = {"action": "actions", "kpi": "KPIs", "risk": "risks", "contract": "contracts"}.get(q.kind or "",
                                                                                                "records")
    doc = q.doc_ids[0] if len(q.doc_ids) == 1 else None
    query: RecordQuery | None = None
    mode = ""
    if q.people and ("owner" in q.fields or q.listing):
        query, mode = RecordQuery(owner=q.people[0], kind=q.kind, doc=doc, section=q.section), "owner"
    elif (q.due or q.overdue) and (q.kind or q.listing or "due" in q.fields):
        query = RecordQuery(kind=q.kind, doc=doc, section=q.section, overdue=q.overdue,
                            due_before=q.due.before if q.due else None, due_after=q.due.after if q.due else None)
        mode = "due"
    elif (q.listing and q.kind and (q.section or q.source_phrase or doc or not q.topic_terms)) or \
            (q.section and not q.topic_terms):  # "which risks are there?", "tell me about Priority Three"
        query, mode = RecordQuery(kind=q.kind, doc=doc, section=q.section, origin="table"), "kind"
    if query is None:
        return None
    records = query_records(store, query)
    if q.doc_ids and not doc:
        records = [r for r in records if r.doc_id in q.doc_ids]
    records = _phrase_filter(records, q.source_phrase)
    records = [r for r in records if r.record_id not in exclude_ids]
    nouns = {noun(r) for r in records}
    if kind_noun == "records" and len(nouns) == 1:
        kind_noun = plural(nouns.pop())
    log.debug("lookup %s: %d records for %s", mode, len(records), query.model_dump(exclude_defaults=True))
    return LookupResult(mode=mode, records=_ordered(records), query=query, description=_describe(q, kind_noun, catalog))
