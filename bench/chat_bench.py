"""Chat benchmark: warm ``POST /chat`` latency (median, p95) for lookup and search questions, in process,
and requests per second at concurrency 8 against a real uvicorn server on 127.0.0.1, with zero errors.

Runs against the serving index (PLANCHAT_DATA_DIR), ingesting corpus/ into a
temporary data folder first when there is none.  Targets: lookup p95 <= 100 ms,
search p95 <= 400 ms, >= 20 requests/s.  Prints one JSON object with the machine.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.machine import machine
from bench.stats import latency_ms

ROOT = Path(__file__).resolve().parents[1]
LOOKUP = [
    "When is action 2.6 due?",
    "Which Roadmap actions are due by Sep-25?",
    "Who owns risk CSSR0005?",
    "What does Cathy Twist own?",
    "Which of the Directorate Plan's key contracts end in 2021?",
    "Which Priority Two actions are due by Dec-25?",
    "Who is the indicator owner of KPI RI.49?",
    "When is action 9.4 due?",
]
SEARCH = [
    "What are we doing about young carers?",
    "How many children and young people in Lambeth have an EHCP?",
    "What is planned for working with the Lambeth Parent Forum?",
    "How serious is youth violence in Lambeth across the documents?",
    "What does the LSCP report say about the Missing Persons Unit?",
    "How are teachers being trained to help autistic pupils?",
    "What target has the council set for cutting school absence?",
    "What is Andrew Carter's salary?",
]
TARGETS = {"lookup_p95_ms": 100, "search_p95_ms": 400, "requests_per_s": 20}


def latency(post, questions: list[str], rounds: int) -> dict:
    """Median and p95 of ``rounds`` passes over ``questions`` after one warm-up pass."""
    for question in questions:
        post(question)
    samples = []
    for _ in range(rounds):
        for question in questions:
            began = time.perf_counter()
            post(question)
            samples.append((time.perf_counter() - began) * 1000)
    return latency_ms(samples)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(data_dir: Path):
    """A ``planchat``-style uvicorn server in its own process on 127.0.0.1; yields its base URL."""
    port = _free_port()
    code = ("import uvicorn; from app.main import create_app; "
            f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, log_level='warning')")
    env = {**os.environ, "PLANCHAT_DATA_DIR": str(data_dir), "PLANCHAT_LLM_BASE_URL": ""}
    env.pop("PLANCHAT_LLM_BASE_URL")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError("the chat server did not start")
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def throughput(url: str, questions: list[str], total: int, concurrency: int = 8) -> dict:
    """Requests per second for ``total`` requests sent ``concurrency`` at a time; errors counted."""
    with httpx.Client(timeout=60) as client:
        for question in questions:  # warm the server: model, catalog, caches
            client.post(f"{url}/chat", json={"message": question, "conversation_id": None})

        def one(i: int) -> tuple[int, float]:
            began = time.perf_counter()
            try:
                status = client.post(f"{url}/chat", json={"message": questions[i % len(questions)],
                                                          "conversation_id": None}).status_code
            except httpx.HTTPError:
                status = 0
            return status, (time.perf_counter() - began) * 1000

        began = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(one, range(total)))
        seconds = time.perf_counter() - began
    errors = sum(1 for status, _ in results if status != 200)
    return {"requests": total, "concurrency": concurrency, "seconds": round(seconds, 2),
            "requests_per_s": round(total / seconds, 1), "errors": errors,
            "latency": latency_ms([ms for _, ms in results])}


def _data_dir() -> Path:
    from index import generations
    from planchat.settings import get_settings, offline_environment

    offline_environment()
    settings = get_settings()
    if generations.active(settings.index_root) is None:
        from ingest.pipeline import ingest

        folder = Path(tempfile.mkdtemp(prefix="planchat-chat-bench-"))
        print(f"no index at {settings.index_root}; ingesting corpus/ into {folder}", file=sys.stderr)
        settings = settings.model_copy(update={"data_dir": folder})
        ingest([ROOT / "corpus"], settings=settings)
    return settings.data_dir


def main(rounds: int = 5, total: int = 160) -> dict:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from planchat.settings import get_settings

    data_dir = _data_dir()
    settings = get_settings().model_copy(update={"data_dir": data_dir, "llm_base_url": None})
    with TestClient(create_app(settings)) as client:
        def post(question: str) -> None:
            response = client.post("/chat", json={"message": question, "conversation_id": None})
            response.raise_for_status()

        lookup, search = latency(post, LOOKUP, rounds), latency(post, SEARCH, rounds)
    with server(data_dir) as url:
        load = throughput(url, LOOKUP + SEARCH, total)
    report = {
        "benchmark": "chat", "machine": machine(), "index": str(data_dir),
        "lookup_warm": lookup, "search_warm": search, "concurrent": load, "targets": TARGETS,
        "ok": {"lookup_p95": lookup["p95_ms"] <= TARGETS["lookup_p95_ms"],
               "search_p95": search["p95_ms"] <= TARGETS["search_p95_ms"],
               "throughput": load["requests_per_s"] >= TARGETS["requests_per_s"] and load["errors"] == 0},
    }
    print(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    main()
