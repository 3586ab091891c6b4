"""Per-question scores, their reasons, and the aggregates the report and the gate read.

Every metric has one entry in ``METRICS`` (name, label, direction), so the
report tables, the JSON, the thresholds file and the gate all speak of the
same names.  A question's metric is ``None`` when it does not apply (no
reference contexts, no expected refs); aggregates skip those.
"""

from __future__ import annotations

from statistics import mean
from typing import Literal

from pydantic import BaseModel, Field

from evals.chat_client import QuestionRun
from evals.contexts import Context, Sources
from evals.golden import CATEGORIES, GoldenItem
from evals.metrics import (HIT_K, check_citations, context_hits, first_hit_rank, hit_at, is_refusal, key_fact_recall,
                           latency_summary, lookup_result, missing_quotes, reciprocal_rank, refusal_scores,
                           returned_records)


class MetricSpec(BaseModel):
    name: str
    label: str
    short: str = Field(description="Column header in the per-category table.")
    group: Literal["retrieval", "ragas", "exact", "judge", "latency"]
    higher_is_better: bool = True
    unit: Literal["share", "seconds"] = "share"


def _spec(name: str, short: str, label: str, group: str, lower_is_better: bool = False) -> MetricSpec:
    return MetricSpec(name=name, short=short, label=label, group=group, higher_is_better=not lower_is_better,
                      unit="seconds" if name.endswith("_s") else "share")


METRICS: tuple[MetricSpec, ...] = (
    _spec("hit_at_1", "hit@1", "retrieval hit@1", "retrieval"),
    _spec("hit_at_k", f"hit@{HIT_K}", f"retrieval hit@{HIT_K}", "retrieval"),
    _spec("mrr", "MRR", "retrieval MRR", "retrieval"),
    _spec("context_precision", "ctx precision", "context precision (ragas, non-LLM)", "ragas"),
    _spec("context_recall", "ctx recall", "context recall (ragas, non-LLM)", "ragas"),
    _spec("rouge_l", "ROUGE-L", "answer ROUGE-L F1 (ragas)", "ragas"),
    _spec("string_similarity", "string sim", "answer string similarity, Levenshtein (ragas)", "ragas"),
    _spec("semantic_similarity", "semantic sim", "answer semantic similarity, MiniLM (ragas)", "ragas"),
    _spec("exact_lookup_accuracy", "lookups exact", "exact-lookup accuracy (ref sets equal)", "exact"),
    _spec("citation_verbatim", "citations verbatim", "citations verbatim in their source", "exact"),
    _spec("citation_validity", "citations valid", "citations valid (verbatim + on a reference)", "exact"),
    _spec("refusal_precision", "refusal P", "refusal precision", "exact"),
    _spec("refusal_recall", "refusal R", "refusal recall", "exact"),
    _spec("refusal_accuracy", "refusals right", "refusal decisions correct", "exact"),
    _spec("key_fact_recall", "key facts", "key-fact recall", "exact"),
    _spec("faithfulness", "faithfulness", "faithfulness (ragas, LLM judge)", "judge"),
    _spec("answer_relevancy", "relevancy", "response relevancy (ragas, LLM judge)", "judge"),
    _spec("factual_correctness", "factual corr.", "factual correctness (ragas, LLM judge)", "judge"),
    _spec("latency_median_s", "latency p50", "latency median", "latency", lower_is_better=True),
    _spec("latency_p95_s", "latency p95", "latency p95", "latency", lower_is_better=True),
)
SPECS = {spec.name: spec for spec in METRICS}
MEAN_METRICS = ("hit_at_1", "hit_at_k", "mrr", "context_precision", "context_recall", "rouge_l", "string_similarity",
                "semantic_similarity", "exact_lookup_accuracy", "refusal_accuracy", "key_fact_recall", "faithfulness",
                "answer_relevancy", "factual_correctness")
COMPOSITE = ("hit_at_k", "context_recall", "exact_lookup_accuracy", "citation_validity", "key_fact_recall",
             "refusal_accuracy")


class RetrievedBrief(BaseModel):
    key: str
    doc_id: str | None
    kind: str
    hit: bool
    text: str = Field(description="First characters of the context.")


class QuestionScore(BaseModel):
    id: str
    category: str
    question: str
    turns: list[str]
    answer: str
    route: str | None
    latency_s: float | None
    error: str | None = None
    should_refuse: bool
    refused: bool
    values: dict[str, float | None] = Field(default_factory=dict, description="Per-question metric values.")
    citations: int = 0
    citations_verbatim: int = 0
    citations_checked: int = Field(0, description="Citations whose relevance the golden item can judge.")
    citations_valid: int = 0
    first_hit_rank: int | None = None
    retrieved: list[RetrievedBrief] = Field(default_factory=list)
    failures: list[str] = Field(default_factory=list)

    @property
    def composite(self) -> float:
        """Mean of the pass/fail-like checks that apply; ranks the worst questions."""
        if self.error:
            return 0.0
        present = [v for k in COMPOSITE if (v := self.values.get(k)) is not None]
        return mean(present) if present else 1.0


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def assess(item: GoldenItem, run: QuestionRun, contexts: list[Context], sources: Sources) -> QuestionScore:
    """The deterministic metrics of one question, with the reasons for each failure."""
    reply = run.final
    refused = is_refusal(reply) if not run.error else False
    score = QuestionScore(id=item.id, category=item.category, question=item.question, turns=item.turns,
                          answer=reply.answer, route=reply.route, latency_s=run.seconds, error=run.error,
                          should_refuse=not item.answerable, refused=refused)
    values = score.values
    failures = score.failures
    if run.error:
        failures.append(f"request failed: {run.error}")
    values["refusal_accuracy"] = 1.0 if refused == score.should_refuse else 0.0
    if score.should_refuse and not refused:
        failures.append(f"answered instead of refusing ({item.category}); route {reply.route!r}")
    elif refused and not score.should_refuse:
        failures.append(f"refused an answerable question; route {reply.route!r}")

    refs = item.reference_contexts
    score.retrieved = [RetrievedBrief(key=c.key, doc_id=c.doc_id, kind=c.kind, text=c.text[:160],
                                      hit=any(context_hits(c, r) for r in refs)) for c in contexts]
    if refs:
        rank = score.first_hit_rank = first_hit_rank(contexts, refs)
        values.update(hit_at_1=hit_at(rank, 1), hit_at_k=hit_at(rank, HIT_K), mrr=reciprocal_rank(rank))
        if rank is None:
            failures.append(f"none of the {len(contexts)} retrieved contexts holds a reference quote")
        for ref in missing_quotes(contexts, refs):
            failures.append(f"reference context not retrieved: {ref.doc_id} {_quote(ref.quote)}")

    if item.expected_refs:
        lookup = lookup_result(item.expected_refs, returned_records(reply, sources))
        values["exact_lookup_accuracy"] = 1.0 if lookup.correct else 0.0
        if not lookup.correct:
            failures.append(f"record refs differ: missing {lookup.missing or '-'}; extra {lookup.extra or '-'}")

    checks = check_citations(reply, sources, item)
    score.citations = len(checks)
    score.citations_verbatim = sum(c.verbatim for c in checks)
    if checks:
        values["citation_verbatim"] = score.citations_verbatim / len(checks)
    if checks and (refs or item.expected_refs):
        score.citations_checked = len(checks)
        score.citations_valid = sum(c.verbatim and c.relevant for c in checks)
        values["citation_validity"] = score.citations_valid / len(checks)
    for check in checks:
        if not check.verbatim or (score.citations_checked and not check.relevant):
            failures.append(f"citation [{check.n}]: {check.reason}")

    recall, missing = key_fact_recall(item.key_facts, reply.answer)
    values["key_fact_recall"] = recall
    if missing:
        failures.append(f"key facts missing from the answer: {missing}")
    return score


def aggregate(scores: list[QuestionScore]) -> dict[str, float | None]:
    """Headline values of ``scores``: means, pooled citation shares, refusal P/R, latency."""
    result: dict[str, float | None] = {}
    for name in MEAN_METRICS:
        present = [v for s in scores if (v := s.values.get(name)) is not None]
        result[name] = mean(present) if present else None
    cited = sum(s.citations for s in scores)
    checked = sum(s.citations_checked for s in scores)
    result["citation_verbatim"] = sum(s.citations_verbatim for s in scores) / cited if cited else None
    result["citation_validity"] = sum(s.citations_valid for s in scores) / checked if checked else None
    precision, recall = refusal_scores([s.should_refuse for s in scores], [s.refused for s in scores])
    result["refusal_precision"], result["refusal_recall"] = precision, recall
    result.update(latency_summary([s.latency_s for s in scores if s.latency_s is not None]))
    return {spec.name: result.get(spec.name) for spec in METRICS}


def by_category(scores: list[QuestionScore]) -> dict[str, dict[str, float | None]]:
    return {cat: aggregate(group) for cat in CATEGORIES if (group := [s for s in scores if s.category == cat])}


def worst(scores: list[QuestionScore], n: int = 10) -> list[QuestionScore]:
    failing = [s for s in scores if s.failures]
    return sorted(failing, key=lambda s: (s.composite, -len(s.failures), s.id))[:n]
