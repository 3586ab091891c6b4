"""With a judge LLM configured, ragas' LLM-judged metrics run end to end and reach the report.

The judge is a real OpenAI-compatible HTTP server on loopback (the chat's
``tests/openai_stub.py``, scripted by ``tests/judge_stub.py`` to answer
ragas' prompts); ragas talks to it through its own client, so the
wiring (settings → llm_factory → metrics → runs and spread → report) is the
one a real judge would use.
"""

from __future__ import annotations

from evals.golden import load_golden
from evals.judge import JUDGE_METRICS
from evals.suite import EvalOptions, run_eval
from tests.judge_stub import MAX_CALLS, judge_server

PICK = ("fact-001", "deadline-001", "synthesis-001", "paraphrase-001", "unanswerable-001", "multi_turn-009")


def test_llm_judged_metrics_run_and_appear_in_the_report(built_index, tmp_path):
    golden = tmp_path / "golden.jsonl"
    items = [i for i in load_golden() if i.id in PICK]
    golden.write_text("".join(i.model_dump_json() + "\n" for i in items), encoding="utf-8")

    with judge_server() as stub:
        settings = built_index.model_copy(update={"judge_base_url": stub.url, "judge_model": "stub-judge"})
        report, folder = run_eval(EvalOptions(golden_path=golden, runs=2, out_dir=tmp_path / "out"), settings)
        calls = len(stub.requests)

    judge = report.judge
    assert judge is not None and judge.model == "stub-judge" and judge.runs == 2 and len(judge.per_run) == 2
    assert judge.errors == 0, judge.first_error
    assert 2 * len(items) * 3 <= calls < MAX_CALLS  # every metric of every question, twice
    for metric in JUDGE_METRICS:
        spread = judge.spread[metric]
        assert spread.mean is not None and spread.runs == 2 and spread.min <= spread.mean <= spread.max
        assert report.headline[metric] is not None
    assert any(q.values.get("faithfulness") is not None for q in report.questions)

    text = (folder / "report.md").read_text(encoding="utf-8")
    assert "## LLM-judged metrics (ragas)" in text and "Judge `stub-judge`, 2 run(s)" in text
    for label in ("faithfulness (ragas, LLM judge)", "response relevancy (ragas, LLM judge)",
                  "factual correctness (ragas, LLM judge)"):
        assert label in text
    assert (folder / "judge.png").stat().st_size > 0


def test_without_a_judge_the_report_says_so(built_index, tmp_path):
    golden = tmp_path / "golden.jsonl"
    golden.write_text(next(i for i in load_golden() if i.id == "fact-001").model_dump_json() + "\n", encoding="utf-8")
    report, folder = run_eval(EvalOptions(golden_path=golden, out_dir=tmp_path), built_index)
    assert report.judge is None and all(report.headline[m] is None for m in JUDGE_METRICS)
    assert "Not run: no judge LLM configured" in (folder / "report.md").read_text(encoding="utf-8")
