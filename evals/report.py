"""The evaluation report: ``report.json`` (everything), ``report.md`` (for people), PNG charts.

The Markdown puts the verdict first (headline, gate), then where the
assistant fails (per category, then the worst questions with what was
retrieved and why each check failed), so a maintainer can act on it
without opening the JSON.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from evals import charts
from evals.gate import GateResult
from evals.judge import JUDGE_METRICS, JudgeResult
from evals.scoring import METRICS, SPECS, QuestionScore, worst

CATEGORY_COLUMNS = ("hit_at_k", "mrr", "context_recall", "key_fact_recall", "exact_lookup_accuracy",
                    "citation_validity", "refusal_accuracy", "rouge_l", "semantic_similarity", "latency_median_s")
WORST = 12


class RunInfo(BaseModel):
    started: str
    seconds: float
    subset: str
    target: str
    questions: int
    errors: int
    settings: dict[str, str | int | float | bool | None]
    runs: int


class EvalReport(BaseModel):
    info: RunInfo
    headline: dict[str, float | None]
    categories: dict[str, dict[str, float | None]]
    judge: JudgeResult | None = None
    gate: GateResult | None = None
    questions: list[QuestionScore]


def fmt(metric: str, value: float | None) -> str:
    if value is None:
        return "–"
    if SPECS[metric].unit == "seconds":
        return f"{value * 1000:.0f} ms"
    return f"{value:.3f}"


def _headline(report: EvalReport) -> list[str]:
    counts = {spec.name: sum(1 for q in report.questions if q.values.get(spec.name) is not None) for spec in METRICS}
    lines = ["## Headline", "", "| metric | value | questions scored |", "|---|---|---|"]
    for spec in METRICS:
        if spec.group == "judge" and report.judge is None:
            continue
        n = counts[spec.name] or (report.info.questions if spec.group in ("latency", "exact") else 0)
        lines.append(f"| {spec.label} | {fmt(spec.name, report.headline.get(spec.name))} | {n or '–'} |")
    return lines


def _judge(report: EvalReport) -> list[str]:
    lines = ["## LLM-judged metrics (ragas)", ""]
    judge = report.judge
    if judge is None:
        return lines + ["Not run: no judge LLM configured (set `PLANCHAT_JUDGE_BASE_URL`, see the README).", ""]
    lines += [f"Judge `{judge.model}`, {judge.runs} run(s); mean of the per-run means, with their spread.", "",
              "| metric | mean | stdev | min | max |", "|---|---|---|---|---|"]
    for name, s in judge.spread.items():
        lines.append(f"| {SPECS[name].label} | {fmt(name, s.mean)} | {fmt(name, s.stdev)} | {fmt(name, s.min)} "
                     f"| {fmt(name, s.max)} |")
    if judge.errors:
        lines += ["", f"{judge.errors} judge call(s) failed and were skipped; first: `{judge.first_error}`"]
    return lines + ["", "![judge](judge.png)", ""]


def _gate(gate: GateResult | None) -> list[str]:
    if gate is None:
        return []
    verdict = "PASSED" if gate.passed else f"FAILED ({len(gate.breaches)} breach(es))"
    lines = ["## Gate", "", f"**{verdict}** against `evals/thresholds.toml`"
             + (" and `evals/baseline.json`." if gate.baseline_found else "; no baseline stored for this subset."),
             "", "| metric | check | limit | value | ok |", "|---|---|---|---|---|"]
    for c in sorted(gate.checks, key=lambda c: (c.ok, c.metric)):
        lines.append(f"| {c.metric} | {c.kind} {c.note} | {fmt(c.metric, c.limit)} | {fmt(c.metric, c.value)} "
                     f"| {'yes' if c.ok else '**NO**'} |")
    return lines + [""]


def _categories(report: EvalReport) -> list[str]:
    columns = CATEGORY_COLUMNS + (JUDGE_METRICS if report.judge is not None else ())
    header = "| category | n | " + " | ".join(SPECS[m].short for m in columns) + " |"
    lines = ["## Per category", "", header, "|---" * (len(columns) + 2) + "|"]
    for cat, values in report.categories.items():
        n = sum(1 for q in report.questions if q.category == cat)
        lines.append(f"| {cat} | {n} | " + " | ".join(fmt(m, values.get(m)) for m in columns) + " |")
    return lines + ["", "![per category](categories.png)", "", "![latency](latency.png)", ""]


def _worst(report: EvalReport) -> list[str]:
    lines = ["## Worst questions", "",
             "Ranked by the mean of their checks (hit, context recall, lookup, citations, key facts, refusal).", ""]
    for number, q in enumerate(worst(report.questions, WORST), start=1):
        lines.append(f"### {number}. `{q.id}` ({q.category}), score {q.composite:.2f}")
        lines.append("")
        for turn in q.turns:
            lines.append(f"- earlier turn: {turn}")
        lines.append(f"- **question:** {q.question}")
        answer = " ".join(q.answer.split())
        lines.append(f"- **answer** (route `{q.route}`, {fmt('latency_p95_s', q.latency_s)}): "
                     f"{answer[:500]}{'…' if len(answer) > 500 else ''}")
        lines.append("- **why it failed:**")
        lines += [f"  - {reason}" for reason in q.failures[:8]]
        if len(q.failures) > 8:
            lines.append(f"  - … and {len(q.failures) - 8} more")
        lines.append("- **retrieved** (✓ holds a reference quote):")
        for rank, ctx in enumerate(q.retrieved[:8], start=1):
            snippet = " ".join(ctx.text.split())[:120]
            lines.append(f"  {rank}. {'✓' if ctx.hit else '✗'} `{ctx.doc_id}` {ctx.kind}: {snippet}")
        if not q.retrieved:
            lines.append("  (nothing)")
        lines.append("")
    return lines


def markdown(report: EvalReport) -> str:
    info = report.info
    settings = ", ".join(f"{k}={v}" for k, v in info.settings.items())
    lines = [f"# planchat evaluation, {info.started}", "",
             f"{info.questions} questions ({info.subset} set) against {info.target} in {info.seconds:.0f} s; "
             f"{info.errors} request error(s). Settings: {settings}.", ""]
    lines += _gate(report.gate) + _headline(report) + [""] + _judge(report) + _categories(report) + _worst(report)
    lines += ["## Definitions", "",
              "- *hit@k / MRR*: rank of the first retrieved context (server debug list if exposed, else cited chunks "
              "and returned records, in citation order) that contains a reference quote or a run of at least 20 "
              "characters covering half of it.",
              "- *context precision / recall*: ragas `NonLLMContextPrecisionWithReference` / `NonLLMContextRecall` "
              "with that same overlap rule as the string measure.",
              "- *exact-lookup accuracy*: the refs of the returned records equal the expected refs as a set.",
              "- *citation validity*: the quote is verbatim in its cited chunk or record, and overlaps a reference "
              "context, or cites an expected record or a record row holding a reference quote.",
              "- *refusal*: an explicit `refused` flag when the API returns one, else route `none`.",
              "- *key-fact recall*: key facts found in the answer, case-insensitive, whitespace-normalised.",
              "- *latency*: wall time of the scored (last) turn, after one untimed warm-up question.", ""]
    return "\n".join(lines)


def write_report(report: EvalReport, folder: Path) -> list[Path]:
    """Write every report file into ``folder`` (created); returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [charts.category_chart(report.categories, folder / "categories.png"),
             charts.latency_chart([q.latency_s for q in report.questions if q.latency_s is not None],
                                  folder / "latency.png")]
    if report.judge is not None:
        paths.append(charts.judge_chart(report.judge, folder / "judge.png"))
    (folder / "report.json").write_text(report.model_dump_json(indent=1), encoding="utf-8")
    (folder / "report.md").write_text(markdown(report), encoding="utf-8")
    return [folder / "report.md", folder / "report.json", *paths]


def console_summary(report: EvalReport, folder: Path) -> str:
    """A few lines for the terminal: headline, judge spread, gate verdict and breaches, where the report is."""
    info = report.info
    lines = [f"{info.questions} questions ({info.subset}) in {info.seconds:.0f} s, {info.errors} error(s)"]
    for spec in METRICS:
        value = report.headline.get(spec.name)
        if spec.group == "judge" and report.judge is not None:
            s = report.judge.spread[spec.name]
            lines.append(f"  {spec.label:<48} {fmt(spec.name, s.mean)}  (sd {fmt(spec.name, s.stdev)}, "
                         f"{fmt(spec.name, s.min)}–{fmt(spec.name, s.max)}, {report.judge.runs} runs)")
        elif spec.group != "judge":
            lines.append(f"  {spec.label:<48} {fmt(spec.name, value)}")
    if report.gate is not None:
        gate = report.gate
        lines.append(f"gate: {'PASSED' if gate.passed else 'FAILED'} ({len(gate.checks)} checks"
                     f"{'' if gate.baseline_found else ', no baseline for this subset'})")
        for c in gate.breaches:
            lines.append(f"  breach: {c.metric} {fmt(c.metric, c.value)} vs {c.kind} {fmt(c.metric, c.limit)} {c.note}")
    lines.append(f"report: {folder / 'report.md'}")
    return "\n".join(lines)
