"""PNG charts for the report: scores per category, latency histogram, judge spread.

matplotlib runs on the Agg backend (files only, no display), so the charts
are drawn the same on a laptop, a server and CI.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from evals.judge import JudgeResult  # noqa: E402
from evals.metrics import percentile  # noqa: E402
from evals.scoring import SPECS  # noqa: E402

def _save(fig, path: Path) -> Path:  # noqa: ANN001 - a matplotlib Figure
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


CATEGORY_METRICS = ("hit_at_k", "context_recall", "key_fact_recall", "exact_lookup_accuracy", "citation_validity",
                    "refusal_accuracy", "semantic_similarity")


def category_chart(categories: dict[str, dict[str, float | None]], path: Path) -> Path:
    names = list(categories)
    width = 0.8 / len(CATEGORY_METRICS)
    fig, ax = plt.subplots(figsize=(12, 5))
    for offset, metric in enumerate(CATEGORY_METRICS):
        values = [categories[c].get(metric) for c in names]
        xs = [i + (offset - (len(CATEGORY_METRICS) - 1) / 2) * width for i in range(len(names))]
        ax.bar(xs, [math.nan if v is None else v for v in values], width, label=SPECS[metric].label)
    ax.set_xticks(range(len(names)), names, rotation=20)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (missing bar: metric does not apply)")
    ax.set_title("Scores per question category")
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def latency_chart(seconds: list[float], path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(8, 4))
    if seconds:
        ms = [s * 1000 for s in seconds]
        ax.hist(ms, bins=min(30, max(5, len(ms) // 4)), color="#4c72b0", edgecolor="white")
        for q, style in ((50, "--"), (95, ":")):
            value = percentile(ms, q)
            ax.axvline(value, color="black", linestyle=style, label=f"p{q} {value:.0f} ms")
        ax.legend()
    ax.set_xlabel("latency of the scored turn (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Chat latency per question")
    return _save(fig, path)


def judge_chart(judge: JudgeResult, path: Path) -> Path:
    """Mean of each LLM-judged metric with min–max whiskers over the runs."""
    names = [m for m, s in judge.spread.items() if s.mean is not None]
    fig, ax = plt.subplots(figsize=(7, 4))
    means = [judge.spread[m].mean for m in names]
    low = [judge.spread[m].mean - judge.spread[m].min for m in names]
    high = [judge.spread[m].max - judge.spread[m].mean for m in names]
    ax.bar(names, means, yerr=[low, high], capsize=6, color="#55a868")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"LLM-judged ragas metrics: mean, min–max over {judge.runs} run(s)")
    return _save(fig, path)
