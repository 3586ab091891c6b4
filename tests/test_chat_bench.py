"""The chat benchmark as a (slow) test: a real uvicorn server on loopback takes concurrent load without errors."""

from __future__ import annotations

import pytest

from bench.chat_bench import LOOKUP, SEARCH, latency, server, throughput


@pytest.mark.slow
def test_concurrent_chat_has_no_errors_and_sane_latency(built_index):
    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(create_app(built_index)) as client:
        def post(question: str) -> None:
            assert client.post("/chat", json={"message": question, "conversation_id": None}).status_code == 200

        lookup, search = latency(post, LOOKUP, 2), latency(post, SEARCH, 2)
    with server(built_index.data_dir) as url:
        load = throughput(url, LOOKUP + SEARCH, total=48)
    print({"lookup": lookup, "search": search, "concurrent": load})
    assert load["errors"] == 0
    # Generous bounds: the benchmark (make bench) reports the real figures against the targets.
    assert lookup["p95_ms"] < 1000 and search["p95_ms"] < 4000
