"""LLM-judged ragas metrics: faithfulness, response relevancy, factual correctness.

A judge LLM is noisy, so each metric is scored over ``runs`` passes and the
report gives the mean with its spread (stdev, min, max of the per-pass
means): a maintainer can then tell a real change from judge jitter.  The
judge is any OpenAI-compatible endpoint (``PLANCHAT_JUDGE_*``); the LLM and
the embeddings are always passed explicitly so ragas never falls back to its
OpenAI defaults.
"""

from __future__ import annotations

import asyncio
import logging
import math
from statistics import mean, pstdev

from pydantic import BaseModel, Field

from planchat.settings import Settings, offline_environment

log = logging.getLogger(__name__)

JUDGE_METRICS = ("faithfulness", "answer_relevancy", "factual_correctness")
CONCURRENCY = 4  # judge calls in flight at once


class JudgeInput(BaseModel):
    id: str
    question: str = Field(description="The user's messages; earlier turns give a follow-up its meaning.")
    answer: str
    reference_answer: str
    retrieved: list[str] = Field(default_factory=list)


class Spread(BaseModel):
    mean: float | None
    stdev: float | None
    min: float | None
    max: float | None
    runs: int


class JudgeResult(BaseModel):
    model: str
    runs: int
    per_question: dict[str, dict[str, float | None]] = Field(description="Mean over runs, by item id then metric.")
    per_run: list[dict[str, float | None]] = Field(description="Mean over questions of each run.")
    spread: dict[str, Spread]
    errors: int = 0
    first_error: str | None = None


def judge_configured(settings: Settings) -> bool:
    return bool(settings.judge_base_url)


def build_judge(settings: Settings):
    """The ragas LLM for ``settings``' judge endpoint (instructor over the async OpenAI client)."""
    offline_environment()
    from openai import AsyncOpenAI
    from ragas.llms import llm_factory

    client = AsyncOpenAI(base_url=settings.judge_base_url, api_key=settings.judge_api_key,
                         timeout=settings.judge_timeout, max_retries=1)
    return llm_factory(settings.judge_model, provider="openai", client=client)


class _Pass:
    """One scoring pass over every input, ``CONCURRENCY`` judge calls at a time."""

    def __init__(self, llm, embeddings):  # noqa: ANN001 - ragas component types
        from ragas.metrics.collections import AnswerRelevancy, FactualCorrectness, Faithfulness

        self.faithfulness = Faithfulness(llm=llm)
        self.relevancy = AnswerRelevancy(llm=llm, embeddings=embeddings)
        self.correctness = FactualCorrectness(llm=llm)
        self.errors: list[str] = []

    async def _guard(self, semaphore: asyncio.Semaphore, call) -> float | None:  # noqa: ANN001
        async with semaphore:
            try:
                value = (await call()).value
            except Exception as exc:  # noqa: BLE001 - one bad judge reply must not sink the run
                self.errors.append(f"{type(exc).__name__}: {exc}"[:300])
                return None
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)

    async def score(self, inputs: list[JudgeInput]) -> dict[str, dict[str, float | None]]:
        semaphore = asyncio.Semaphore(CONCURRENCY)

        async def one(item: JudgeInput) -> dict[str, float | None]:
            if not item.answer.strip():
                return dict.fromkeys(JUDGE_METRICS)
            calls = {
                "answer_relevancy": lambda: self.relevancy.ascore(user_input=item.question, response=item.answer),
                "factual_correctness": lambda: self.correctness.ascore(response=item.answer,
                                                                       reference=item.reference_answer),
            }
            if item.retrieved:
                calls["faithfulness"] = lambda: self.faithfulness.ascore(
                    user_input=item.question, response=item.answer, retrieved_contexts=item.retrieved)
            values = await asyncio.gather(*(self._guard(semaphore, call) for call in calls.values()))
            scores = dict.fromkeys(JUDGE_METRICS)
            scores.update(zip(calls, values))
            return scores

        results = await asyncio.gather(*(one(item) for item in inputs))
        return {item.id: scores for item, scores in zip(inputs, results)}


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return mean(present) if present else None


def _spread(values: list[float | None]) -> Spread:
    present = [v for v in values if v is not None]
    if not present:
        return Spread(mean=None, stdev=None, min=None, max=None, runs=0)
    return Spread(mean=mean(present), stdev=pstdev(present), min=min(present), max=max(present), runs=len(present))


def run_judge(inputs: list[JudgeInput], settings: Settings, runs: int = 1,
              embeddings=None) -> JudgeResult:  # noqa: ANN001 - any ragas BaseRagasEmbedding
    """Score ``inputs`` ``runs`` times with the configured judge."""
    from evals.ragas_scores import minilm

    llm = build_judge(settings)
    passes: list[dict[str, dict[str, float | None]]] = []
    errors: list[str] = []
    for number in range(max(1, runs)):
        judge_pass = _Pass(llm, embeddings or minilm())
        passes.append(asyncio.run(judge_pass.score(inputs)))
        errors += judge_pass.errors
        log.info("judge pass %d/%d done, %d errors", number + 1, runs, len(judge_pass.errors))
    per_question = {item.id: {m: _mean([p[item.id][m] for p in passes]) for m in JUDGE_METRICS} for item in inputs}
    per_run = [{m: _mean([scores[m] for scores in p.values()]) for m in JUDGE_METRICS} for p in passes]
    spread = {m: _spread([r[m] for r in per_run]) for m in JUDGE_METRICS}
    return JudgeResult(model=settings.judge_model, runs=len(passes), per_question=per_question, per_run=per_run,
                       spread=spread, errors=len(errors), first_error=errors[0] if errors else None)
