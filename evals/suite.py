"""One evaluation end to end: ask, score, judge, gate, write the report.

``run_eval`` is what ``planchat eval`` and the tests call.  In process it
scores the real app built from ``settings`` (so a test can pass a degraded
``Settings(top_k=1)``); with ``url`` it scores a running server instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from evals.chat_client import HttpTransport, InProcessTransport, QuestionRun, Transport, ask_all, warm_up
from evals.contexts import Context, Sources, retrieved_contexts
from evals.gate import evaluate_gate, load_baseline, load_thresholds, save_baseline
from evals.golden import GOLDEN_PATH, GoldenItem, Subset, load_golden
from evals.judge import JudgeInput, JudgeResult, run_judge
from evals.report import EvalReport, RunInfo, write_report
from evals.scoring import QuestionScore, aggregate, assess, by_category
from planchat.settings import PROJECT_ROOT, Settings, get_settings

REPORTS_DIR = PROJECT_ROOT / "evals" / "reports"
Notify = Callable[[str], None]


class EvalOptions(BaseModel):
    subset: Subset = "full"
    url: str | None = Field(None, description="Score a running server instead of the app in process.")
    runs: int = Field(1, ge=1, description="Passes of the LLM judge, for its mean and spread.")
    gate: bool = False
    save_baseline: bool = False
    out_dir: Path = REPORTS_DIR
    golden_path: Path = GOLDEN_PATH


def _ensure_index(settings: Settings, notify: Notify) -> None:
    """A fresh clone has no index yet: ingest the corpus once so the run works out of the box."""
    from index import generations

    if generations.active(settings.index_root) is None:
        from ingest.pipeline import ingest

        notify(f"no index under {settings.index_root}: ingesting {settings.corpus_dir} first")
        ingest(None, settings=settings)


def _settings_snapshot(settings: Settings, options: EvalOptions) -> dict[str, str | int | float | bool | None]:
    if options.url:
        return {"url": options.url, "judge": settings.judge_model if settings.judge_base_url else None}
    return {"top_k": settings.top_k, "retrieval_mode": settings.retrieval_mode,
            "answerer": "llm" if settings.llm_base_url else "extractive",
            "judge": settings.judge_model if settings.judge_base_url else None}


def _report_folder(out_dir: Path, started: datetime) -> Path:
    folder = out_dir / started.strftime("%Y%m%d-%H%M%S")
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = out_dir / f"{started.strftime('%Y%m%d-%H%M%S')}-{suffix}"
    return folder


def _add_model_scores(items: list[GoldenItem], runs: list[QuestionRun], contexts: dict[str, list[Context]],
                      scores: list[QuestionScore], settings: Settings, options: EvalOptions,
                      notify: Notify) -> JudgeResult | None:
    """ragas' non-LLM scores always; the judge's when one is configured. Returns the judge result or None."""
    from evals.ragas_scores import RagasInput, score_non_llm

    notify("scoring with ragas (non-LLM metrics)")
    ragas = score_non_llm([RagasInput(id=i.id, answer=r.final.answer, reference_answer=i.reference_answer,
                                      retrieved=[c.text for c in contexts[i.id]],
                                      references=[c.quote for c in i.reference_contexts])
                           for i, r in zip(items, runs)])
    for score in scores:
        score.values.update(ragas[score.id].model_dump())
    if not settings.judge_base_url:
        return None
    notify(f"judging with {settings.judge_model} at {settings.judge_base_url}, {options.runs} run(s)")
    judge = run_judge([JudgeInput(id=i.id, question="\n".join(i.messages), answer=r.final.answer,
                                  reference_answer=i.reference_answer, retrieved=[c.text for c in contexts[i.id]])
                       for i, r in zip(items, runs)], settings, runs=options.runs)
    for score in scores:
        score.values.update(judge.per_question[score.id])
    return judge


def run_eval(options: EvalOptions, settings: Settings | None = None, notify: Notify | None = None,
             progress: Callable[[int, int], None] | None = None) -> tuple[EvalReport, Path]:
    """Score the golden set and write ``<out_dir>/<timestamp>/``; returns the report and that folder."""
    settings = settings or get_settings()
    notify = notify or (lambda _message: None)
    items = load_golden(options.golden_path, options.subset)
    started, clock = datetime.now(), time.perf_counter()
    if options.url:
        transport: Transport = HttpTransport(options.url)
    else:
        _ensure_index(settings, notify)
        transport = InProcessTransport(settings)
    where = f"at {options.url}" if options.url else "in process"
    notify(f"asking {len(items)} questions ({options.subset} set) {where}")
    try:
        warm_up(transport)
        runs = ask_all(transport, items, progress)
    finally:
        transport.close()

    sources = Sources.open(settings)
    try:
        contexts = {item.id: retrieved_contexts(run.final, sources) for item, run in zip(items, runs)}
        scores = [assess(item, run, contexts[item.id], sources) for item, run in zip(items, runs)]
    finally:
        sources.close()
    judge = _add_model_scores(items, runs, contexts, scores, settings, options, notify)

    headline = aggregate(scores)
    gate = None
    if options.gate:
        gate = evaluate_gate(headline, load_thresholds(), load_baseline(options.subset))
    snapshot = _settings_snapshot(settings, options)
    info = RunInfo(started=started.isoformat(timespec="seconds"), seconds=time.perf_counter() - clock,
                   subset=options.subset, target=options.url or "the app in process", questions=len(items),
                   errors=sum(1 for r in runs if r.error), settings=snapshot, runs=options.runs)
    report = EvalReport(info=info, headline=headline, categories=by_category(scores), judge=judge, gate=gate,
                        questions=scores)
    folder = _report_folder(options.out_dir, started)
    write_report(report, folder)
    if options.save_baseline:
        save_baseline(options.subset, headline, len(items), snapshot)
        notify(f"baseline for the {options.subset} set saved to evals/baseline.json")
    return report, folder
