"""Deterministic metrics: retrieval hits, exact lookups, citations, refusals, key facts, latency.

They need no model, so they are exact and repeatable: a change in them is a
change in the assistant.  Each works on one reply (or a list of outcomes) and
returns plain numbers plus the reasons a report needs to explain a failure.
"""

from __future__ import annotations

import math
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from statistics import median
from typing import Any

from pydantic import BaseModel, Field

from evals.chat_client import ChatReply
from evals.contexts import Context, Sources, citation_source
from evals.golden import ExpectedRef, GoldenItem, RefContext

MIN_RUN = 20  # characters: a shorter common run is chance ("the children"), unless the quote is that short
MIN_SHARE = 0.5  # a context "overlaps substantially" when one run covers half the quote
HIT_K = 8  # hit@k uses the pipeline's default top_k
REFUSAL_ROUTES = frozenset({"none"})
REFUSAL_FLAGS = ("refused", "corrected")  # explicit booleans, used whenever the API sends them
# How the chat words a corrected false premise (app/chat/compose.py: correction, mismatch), which it
# returns on route "lookup" with the nearest real records: no flag marks it, so its opening does.
CORRECTION_OPENINGS = ("there is no ", "there are no ")
CORRECTION_PHRASES = (" is not named as owner of ",)


def normalise(text: str) -> str:
    """Casefolded, NFKC, whitespace collapsed (table tabs and line breaks become spaces)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=200_000)
def _longest_run(quote: str, text: str) -> int:
    if quote in text:
        return len(quote)
    match = SequenceMatcher(None, quote, text, autojunk=False).find_longest_match(0, len(quote), 0, len(text))
    return match.size


def overlaps(quote: str, text: str) -> bool:
    """``text`` contains ``quote`` or a run of it long enough not to be chance.

    A quote can straddle two chunks, so containment alone would miss real
    hits; a run of at least ``MIN_RUN`` characters covering ``MIN_SHARE`` of
    the quote counts too.  Quotes shorter than ``MIN_RUN`` must be contained.
    """
    q, t = normalise(quote), normalise(text)
    if not q or not t:
        return False
    run = _longest_run(q, t)
    return run >= min(len(q), MIN_RUN) and run / len(q) >= MIN_SHARE


def context_hits(context: Context, reference: RefContext) -> bool:
    if context.doc_id and context.doc_id != reference.doc_id:
        return False
    return overlaps(reference.quote, context.text)


# --------------------------------------------------------------------------- retrieval

def first_hit_rank(contexts: list[Context], references: list[RefContext]) -> int | None:
    """1-based rank of the first retrieved context holding any reference quote."""
    for rank, context in enumerate(contexts, start=1):
        if any(context_hits(context, ref) for ref in references):
            return rank
    return None


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def missing_quotes(contexts: list[Context], references: list[RefContext]) -> list[RefContext]:
    """Reference quotes that no retrieved context holds (what context recall missed)."""
    return [ref for ref in references if not any(context_hits(c, ref) for c in contexts)]


# --------------------------------------------------------------------------- exact lookups

def ref_key(doc_id: str, ref: str) -> str:
    return f"{doc_id}:{normalise(ref)}"


def record_ref(record: dict[str, Any]) -> str | None:
    """A record's ref as the golden set writes it: its ref, or a contract's name; None when it has neither.

    Records without a ref (an uncoded KPI, the unnumbered key activity, dated
    prose) are left out of ``expected_refs`` by the golden set, so they are
    not counted as extras either."""
    if record.get("ref"):
        return str(record["ref"])
    if record.get("kind") == "contract" and record.get("title"):
        return str(record["title"])
    return None


class LookupResult(BaseModel):
    correct: bool
    missing: list[str] = Field(default_factory=list)
    extra: list[str] = Field(default_factory=list)


def returned_records(reply: ChatReply, sources: Sources) -> list[dict[str, Any]]:
    """Records in the reply, plus any record only cited (resolved through the record store)."""
    records = list(reply.records)
    listed = {r.get("record_id") for r in records}
    for citation in reply.citations:
        if citation.record_id and citation.record_id not in listed and citation.record_id in sources.records:
            records.append(sources.records[citation.record_id])
            listed.add(citation.record_id)
    return records


def lookup_result(expected: list[ExpectedRef], records: list[dict[str, Any]]) -> LookupResult:
    """Set equality of the expected refs and the refs of the returned records."""
    want = {ref_key(e.doc_id, e.ref): e.ref for e in expected}
    got: dict[str, str] = {}
    for record in records:
        ref = record_ref(record)
        if ref and record.get("doc_id"):
            got[ref_key(record["doc_id"], ref)] = ref
    return LookupResult(correct=want.keys() == got.keys(),
                        missing=sorted(want[k] for k in want.keys() - got.keys()),
                        extra=sorted(got[k] for k in got.keys() - want.keys()))


# --------------------------------------------------------------------------- citations

class CitationCheck(BaseModel):
    n: int
    verbatim: bool = Field(description="The quote is a verbatim substring of its cited chunk or record.")
    relevant: bool = Field(description="The quote overlaps a reference context, or it cites an expected record "
                                       "or a record (table row) holding a reference quote.")
    reason: str = ""


def _quote_on_reference(quote: str, doc_id: str, references: list[RefContext]) -> bool:
    """One contains (most of) the other: a citation may quote part of a reference line, or more than it."""
    return any(ref.doc_id == doc_id and (overlaps(ref.quote, quote) or overlaps(quote, ref.quote))
               for ref in references)


def check_citations(reply: ChatReply, sources: Sources, item: GoldenItem) -> list[CitationCheck]:
    expected = {ref_key(e.doc_id, e.ref) for e in item.expected_refs}
    listed = {r.get("record_id"): r for r in reply.records}
    checks = []
    for citation in reply.citations:
        source = citation_source(citation, reply, sources)
        verbatim = bool(citation.quote) and source is not None and citation.quote in source.text
        record = sources.records.get(citation.record_id or "") or listed.get(citation.record_id)
        ref = record_ref(record) if record else None
        cites_expected = bool(ref) and ref_key(record.get("doc_id", ""), ref) in expected
        row_holds_reference = source is not None and source.kind == "record" and any(
            context_hits(source, r) for r in item.reference_contexts)  # a record is one table row
        relevant = (cites_expected or row_holds_reference
                    or _quote_on_reference(citation.quote, citation.doc_id, item.reference_contexts))
        reason = "source not found" if source is None else "" if verbatim else "quote not verbatim in source"
        if verbatim and not relevant:
            reason = "overlaps no reference context"
        checks.append(CitationCheck(n=citation.n, verbatim=verbatim, relevant=relevant, reason=reason))
    return checks


# --------------------------------------------------------------------------- refusals

def is_refusal(reply: ChatReply) -> bool:
    """Refused or corrected instead of answered.

    The agreed signal, in order: explicit ``refused``/``corrected`` booleans
    when the API sends them; route "none" (the chat's refusal); else a
    correction of a false premise, recognised by how the chat words it."""
    flags = [flag for name in REFUSAL_FLAGS if isinstance(flag := reply.extra(name), bool)]
    if flags:
        return any(flags)
    if (reply.route or "").lower() in REFUSAL_ROUTES:
        return True
    text = normalise(reply.answer)
    return text.startswith(CORRECTION_OPENINGS) or any(phrase in text for phrase in CORRECTION_PHRASES)


def refusal_scores(should_refuse: list[bool], refused: list[bool]) -> tuple[float | None, float | None]:
    """(precision, recall) of refusing, the positive class being "should refuse"; None when undefined."""
    tp = sum(s and r for s, r in zip(should_refuse, refused))
    predicted, actual = sum(refused), sum(should_refuse)
    return (tp / predicted if predicted else None, tp / actual if actual else None)


# --------------------------------------------------------------------------- key facts, latency

def key_fact_recall(facts: list[str], answer: str) -> tuple[float | None, list[str]]:
    """Share of ``facts`` in ``answer`` (case-insensitive, whitespace-normalised) and the missing ones."""
    if not facts:
        return None, []
    text = normalise(answer)
    missing = [fact for fact in facts if normalise(fact) not in text]
    return 1 - len(missing) / len(facts), missing


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), q in 0..100."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(seconds: list[float]) -> dict[str, float | None]:
    return {"latency_median_s": median(seconds) if seconds else None, "latency_p95_s": percentile(seconds, 95)}
