"""The evaluation suite end to end on the real app and index: report files, and a gate that means it.

The fast subset runs through ``planchat eval`` (in process) and must pass the
gate; the same subset on a deliberately degraded pipeline (one retrieved
chunk, dense retrieval only: no BM25 for refs and names) must fail it.  The
full golden set runs in the slow suite, within its ten-minute budget.
"""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from evals.report import EvalReport
from evals.suite import EvalOptions, run_eval
from planchat.cli import main

REPORT_FILES = {"report.md", "report.json", "categories.png", "latency.png"}


def _only_folder(root):
    folders = [p for p in root.iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    return folders[0]


@pytest.fixture(scope="module")
def fast_run(built_index, tmp_path_factory):
    """``planchat eval --subset fast --gate`` on the session index; (exit code, output, report, folder)."""
    out = tmp_path_factory.mktemp("reports")
    result = CliRunner().invoke(main, ["eval", "--subset", "fast", "--gate", "--out", str(out)])
    folder = _only_folder(out)
    report = EvalReport.model_validate_json((folder / "report.json").read_text(encoding="utf-8"))
    return result.exit_code, result.output, report, folder


def test_fast_subset_writes_every_report_file(fast_run):
    _, output, report, folder = fast_run
    assert REPORT_FILES <= {p.name for p in folder.iterdir()}
    assert all((folder / name).stat().st_size > 0 for name in REPORT_FILES)
    assert report.info.subset == "fast" and report.info.questions == len(report.questions) == 31
    assert report.info.errors == 0, [q.error for q in report.questions if q.error]
    text = (folder / "report.md").read_text(encoding="utf-8")
    for heading in ("## Gate", "## Headline", "## Per category", "## Worst questions"):
        assert heading in text
    assert "report: " in output and "gate: " in output


def test_fast_subset_scores_every_metric(fast_run):
    _, _, report, _ = fast_run
    measured = {k for k, v in report.headline.items() if v is not None}
    assert {"hit_at_k", "mrr", "context_precision", "context_recall", "rouge_l", "semantic_similarity",
            "exact_lookup_accuracy", "citation_validity", "refusal_precision", "refusal_recall", "key_fact_recall",
            "latency_p95_s"} <= measured
    assert set(report.categories) == {q.category for q in report.questions}


def test_gate_passes_on_the_real_pipeline(fast_run):
    code, output, report, _ = fast_run
    assert report.gate is not None and report.gate.baseline_found
    assert report.gate.passed and code == 0, output


def test_gate_fails_on_a_degraded_pipeline(built_index, tmp_path):
    degraded = built_index.model_copy(update={"top_k": 1, "retrieval_mode": "dense"})
    report, folder = run_eval(EvalOptions(subset="fast", gate=True, out_dir=tmp_path), degraded)
    assert report.info.settings["top_k"] == 1 and report.info.settings["retrieval_mode"] == "dense"
    assert report.gate is not None and not report.gate.passed
    breached = {c.metric for c in report.gate.breaches}
    assert breached & {"hit_at_k", "mrr", "context_recall", "key_fact_recall"}, breached
    assert "**FAILED" in (folder / "report.md").read_text(encoding="utf-8")


def test_cli_exits_nonzero_when_the_gate_fails(fast_run, tmp_path, monkeypatch):
    import evals.suite
    from evals.gate import GateCheck, GateResult

    _, _, report, _ = fast_run
    failed = report.model_copy(update={"gate": GateResult(passed=False, baseline_found=True, checks=[
        GateCheck(metric="hit_at_k", kind="minimum", limit=0.9, value=0.5, ok=False)])})
    monkeypatch.setattr(evals.suite, "run_eval", lambda *args, **kwargs: (failed, tmp_path))
    result = CliRunner().invoke(main, ["eval", "--subset", "fast", "--gate"])
    assert result.exit_code == 1, result.output
    assert "gate: FAILED" in result.output and "breach: hit_at_k" in result.output


@pytest.mark.slow
def test_full_golden_set_within_ten_minutes(built_index, tmp_path):
    started = time.perf_counter()
    report, folder = run_eval(EvalOptions(subset="full", gate=True, out_dir=tmp_path), built_index)
    seconds = time.perf_counter() - started
    assert report.info.questions == len(report.questions) >= 120 and report.info.errors == 0
    assert report.gate is not None and report.gate.passed, [c.model_dump() for c in report.gate.breaches]
    assert seconds <= 600, seconds
    assert json.loads((folder / "report.json").read_text(encoding="utf-8"))["info"]["subset"] == "full"
