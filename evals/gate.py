"""The release gate: absolute floors from ``evals/thresholds.toml`` and regressions against a baseline.

Floors catch a bad release outright; the baseline (``evals/baseline.json``,
committed, one entry per subset) catches a slide that stays above the floors.
A metric with a floor that was not measured at all is a breach: a gate must
not pass because a metric silently disappeared.
"""

from __future__ import annotations

import json
import tomllib
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from evals.scoring import SPECS

EVALS_DIR = Path(__file__).resolve().parent
THRESHOLDS_PATH = EVALS_DIR / "thresholds.toml"
BASELINE_PATH = EVALS_DIR / "baseline.json"


class Thresholds(BaseModel):
    minimum: dict[str, float] = Field(default_factory=dict)
    maximum: dict[str, float] = Field(default_factory=dict)
    default_tolerance: float = Field(0.03, description="Allowed fall below the baseline, in the metric's unit.")
    tolerance: dict[str, float] = Field(default_factory=dict, description="Per-metric tolerance overrides.")

    def tolerance_for(self, metric: str) -> float:
        return self.tolerance.get(metric, self.default_tolerance)


class BaselineEntry(BaseModel):
    created: str
    questions: int
    settings: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    headline: dict[str, float | None]


class GateCheck(BaseModel):
    metric: str
    kind: Literal["minimum", "maximum", "baseline"]
    limit: float
    value: float | None
    ok: bool
    note: str = ""


class GateResult(BaseModel):
    passed: bool
    baseline_found: bool
    checks: list[GateCheck]

    @property
    def breaches(self) -> list[GateCheck]:
        return [c for c in self.checks if not c.ok]


def load_thresholds(path: Path = THRESHOLDS_PATH) -> Thresholds:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    regression = data.get("regression", {})
    thresholds = Thresholds(minimum=data.get("minimum", {}), maximum=data.get("maximum", {}),
                            default_tolerance=regression.get("default_tolerance", 0.03),
                            tolerance=regression.get("tolerance", {}))
    unknown = (set(thresholds.minimum) | set(thresholds.maximum) | set(thresholds.tolerance)) - set(SPECS)
    if unknown:
        raise ValueError(f"{path}: unknown metrics {sorted(unknown)}")
    return thresholds


def load_baseline(subset: str, path: Path = BASELINE_PATH) -> BaselineEntry | None:
    if not path.exists():
        return None
    entry = json.loads(path.read_text(encoding="utf-8")).get(subset)
    return BaselineEntry.model_validate(entry) if entry else None


def save_baseline(subset: str, headline: dict[str, float | None], questions: int,
                  settings: dict[str, str | int | float | bool | None], path: Path = BASELINE_PATH) -> BaselineEntry:
    """Store ``headline`` as the baseline of ``subset``, keeping the other subsets' entries."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    entry = BaselineEntry(created=datetime.now(timezone.utc).isoformat(timespec="seconds"), questions=questions,
                          settings=settings, headline={k: (round(v, 4) if v is not None else None)
                                                       for k, v in headline.items()})
    data[subset] = entry.model_dump()
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return entry


def evaluate_gate(headline: dict[str, float | None], thresholds: Thresholds,
                  baseline: BaselineEntry | None) -> GateResult:
    checks: list[GateCheck] = []
    for metric, limit in thresholds.minimum.items():
        value = headline.get(metric)
        checks.append(GateCheck(metric=metric, kind="minimum", limit=limit, value=value,
                                ok=value is not None and value >= limit,
                                note="not measured" if value is None else ""))
    for metric, limit in thresholds.maximum.items():
        value = headline.get(metric)
        checks.append(GateCheck(metric=metric, kind="maximum", limit=limit, value=value,
                                ok=value is not None and value <= limit,
                                note="not measured" if value is None else ""))
    for metric, base in (baseline.headline if baseline else {}).items():
        value = headline.get(metric)
        if base is None or value is None or metric not in SPECS:
            continue  # e.g. judge metrics of a baseline taken with a judge, now run without one
        tolerance = thresholds.tolerance_for(metric)
        if SPECS[metric].higher_is_better:
            limit, ok = base - tolerance, value >= base - tolerance
        else:
            limit, ok = base + tolerance, value <= base + tolerance
        checks.append(GateCheck(metric=metric, kind="baseline", limit=limit, value=value, ok=ok,
                                note=f"baseline {base:.3f} ± {tolerance:g}"))
    return GateResult(passed=all(c.ok for c in checks), baseline_found=baseline is not None, checks=checks)
