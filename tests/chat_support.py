"""Helpers shared by the chat tests: one way to ask, and one check applied to every answer.

``ask`` posts to the real app and runs ``check_answer`` on the reply, so no
test can forget it: every quote must be a verbatim substring of its cited
chunk's text or record's source (and sit at its stated document offsets),
and the answer's [n] markers must match the citations exactly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

GOLD = Path(__file__).resolve().parent / "gold"
ROADMAP = "roadmap-to-excellence-2025"
DIRECTORATE = "childrens-directorate-plan-2020-21"


def gold(name: str) -> list[dict]:
    return json.loads((GOLD / name).read_text(encoding="utf-8"))


def check_answer(body: dict, store) -> dict:
    from app.chat.catalog import catalog_for

    catalog = catalog_for(store)
    numbers = [c["n"] for c in body["citations"]]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", body["answer"])}
    assert markers == set(numbers), (markers, numbers, body["answer"])
    for c in body["citations"]:
        quote = c["quote"]
        assert quote.strip(), c
        if c.get("chunk_id"):
            chunks = store.chunks([c["chunk_id"]])
            assert chunks, f"unknown chunk {c['chunk_id']}"
            assert quote in chunks[0].text, (quote, chunks[0].text)
            assert chunks[0].doc_id == c["doc_id"]
        else:
            record = catalog.by_id.get(c["record_id"])
            assert record is not None, f"unknown record {c['record_id']}"
            assert quote in record.source, (quote, record.source)
            assert record.doc_id == c["doc_id"]
        text = catalog.texts[c["doc_id"]]
        assert text[c["start"]:c["end"]] == quote, c
    return body


def ask(client: TestClient, store, message: str, conversation_id: str | None = None, path: str = "/chat") -> dict:
    response = client.post(path, json={"message": message, "conversation_id": conversation_id})
    assert response.status_code == 200, response.text
    return check_answer(response.json(), store)


def refs(body: dict) -> set[str]:
    return {r["ref"] or r["title"] for r in body["records"]}


@pytest.fixture(scope="module")
def client(built_index):
    from app.main import create_app

    with TestClient(create_app(built_index)) as test_client:
        yield test_client
