"""Extraction against the hand-checked gold tables in tests/gold/, field by field.

Every gold row must be found (matched by document and source line, or by
ref), no extra table record may appear inside the tables the gold covers,
and at least 99% of the gold fields must agree.  Figures are printed (run
with -s) so the closing note of the issue can quote them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.documents import load_document, read_manifest
from ingest.extract import ExtractedRecord, extract_records

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = sorted((ROOT / "tests" / "gold").glob("*.json"))
KEYS = {"doc_id", "kind", "line"}
RENAMED = {"code": "ref"}


def norm(value):
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, list):
        return [norm(v) for v in value]
    return value


def raw_lines(doc_id: str, text: str) -> dict[int, int]:
    """Cleaned-text line (1-based) -> line in corpus/<doc_id>.txt: cleaning drops whole lines only."""
    raw = (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n")
    mapping, cursor = {}, 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        while cursor < len(raw) and raw[cursor] != line:
            cursor += 1
        assert cursor < len(raw), f"cleaned line {number} of {doc_id} not found in the source"
        mapping[number] = cursor + 1
        cursor += 1
    return mapping


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[tuple[int, ExtractedRecord]]]:
    """doc_id -> [(source line in corpus file, record)] for table records."""
    out = {}
    for name, meta in read_manifest(CORPUS).items():
        document = load_document(CORPUS / name, meta)
        lines = raw_lines(document.doc_id, document.text)
        out[document.doc_id] = [(lines[r.line], r) for r in extract_records(document) if r.origin == "table"]
    return out


def compare(gold_rows: list[dict], extracted) -> dict:
    found, fields, correct, spurious, errors = 0, 0, 0, [], []
    doc_id, kind = gold_rows[0]["doc_id"], gold_rows[0]["kind"]
    candidates = [(line, r) for line, r in extracted[doc_id] if r.kind == kind]
    lo, hi = min(g["line"] for g in gold_rows), max(g["line"] for g in gold_rows)
    matched_ids = set()
    for gold in gold_rows:
        by_line = [r for line, r in candidates if line == gold["line"]]
        ref = gold.get("ref") or gold.get("code")
        by_ref = [r for _, r in candidates if ref and r.ref == ref]
        record = (by_line or by_ref or [None])[0]
        if record is None:
            errors.append(f"missing: {doc_id} line {gold['line']} {ref}")
            continue
        found += 1
        matched_ids.add(record.record_id)
        for name, expected in gold.items():
            if name in KEYS:
                continue
            fields += 1
            actual = getattr(record, RENAMED.get(name, name))
            if norm(actual) == norm(expected):
                correct += 1
            else:
                errors.append(f"{doc_id} line {gold['line']} {name}: expected {expected!r}, got {actual!r}")
    for line, record in candidates:
        if lo <= line <= hi and record.record_id not in matched_ids:
            spurious.append(f"extra: {record.record_id} line {line}")
    return {"gold": len(gold_rows), "found": found, "fields": fields, "correct": correct,
            "spurious": spurious, "errors": errors}


def test_gold_files_exist():
    assert len(GOLD) == 6


def test_extraction_matches_gold(extracted):
    totals = {"gold": 0, "found": 0, "fields": 0, "correct": 0, "extracted": 0}
    problems: list[str] = []
    print()
    for path in GOLD:
        result = compare(json.loads(path.read_text(encoding="utf-8")), extracted)
        in_scope = result["found"] + len(result["spurious"])
        print(f"{path.name:32} rows {result['found']}/{result['gold']}  extra {len(result['spurious'])}  "
              f"fields {result['correct']}/{result['fields']}")
        for key in ("gold", "found", "fields", "correct"):
            totals[key] += result[key]
        totals["extracted"] += in_scope
        problems += result["errors"] + result["spurious"]
    recall = totals["found"] / totals["gold"]
    precision = totals["found"] / totals["extracted"] if totals["extracted"] else 0.0
    accuracy = totals["correct"] / totals["fields"]
    print(f"recall {recall:.4f} ({totals['found']}/{totals['gold']})  precision {precision:.4f}  "
          f"field accuracy {accuracy:.4f} ({totals['correct']}/{totals['fields']})")
    for problem in problems[:40]:
        print("  ", problem)
    assert recall == 1.0
    assert precision == 1.0
    assert accuracy >= 0.99
