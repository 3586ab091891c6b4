"""The LLM path end to end against a real OpenAI-compatible server on loopback (tests/openai_stub.py).

Citations are kept only when their quote is found in the cited source;
an invented quote is dropped with its marker; a failing endpoint falls
back to the extractive answer.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from fastapi.testclient import TestClient

from app.chat.llm import PROMPTS
from tests.chat_support import ask
from tests.openai_stub import OpenAIStub

QUESTION = "What is planned for working with the Lambeth Parent Forum?"
INVENTED = "Lambeth will open a moon base for care leavers by 2031."


def sources(body: dict) -> dict[int, str]:
    """The numbered source texts the app put in its prompt."""
    user = body["messages"][-1]["content"]
    return {int(n): text for n, text in re.findall(r"^\[(\d+)\] [^\n]*\n<<<\n(.*?)\n>>>", user, re.M | re.S)}


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+|\n", text.strip())[0]


def good_and_invented(body: dict) -> str:
    found = sources(body)
    quote = first_sentence(found[1])
    typed = quote.replace("'", "’")  # the model "types" curly quotes; the check folds them
    return json.dumps({"answer": f"The plan says this [1]. It also says something else [2].",
                       "citations": [{"n": 1, "quote": typed}, {"n": 2, "quote": INVENTED}]})


def unquoted(body: dict) -> str:
    sentence = first_sentence(sources(body)[1])
    return f"Here is what the documents say: {sentence} [1] And beyond the sources [7]."


@pytest.fixture(scope="module")
def stub():
    with OpenAIStub() as server:
        yield server


@pytest.fixture(scope="module")
def llm_client(built_index, stub):
    from app.main import create_app

    settings = built_index.model_copy(update={"llm_base_url": stub.url, "llm_model": "stub-model",
                                               "llm_api_key": "test-key", "llm_timeout": 3.0})
    with TestClient(create_app(settings)) as client:
        yield client


def test_invented_quote_is_dropped(llm_client, store, stub):
    stub.replies.append(good_and_invented)
    body = ask(llm_client, store, QUESTION)
    assert body["answered_by"] == "llm"
    assert len(body["citations"]) == 1 and "[2]" not in body["answer"]
    assert body["answer"] == "The plan says this [1]. It also says something else."
    sent = sources(stub.requests[-1])
    assert body["citations"][0]["quote"] == first_sentence(sent[1])  # the source's own characters
    assert INVENTED not in json.dumps(body)


def test_prompt_comes_from_files_and_marks_sources_as_data(llm_client, store, stub):
    stub.replies.append(good_and_invented)
    ask(llm_client, store, QUESTION)
    request = stub.requests[-1]
    assert request["model"] == "stub-model" and not request.get("stream")
    system, user = request["messages"][0], request["messages"][-1]
    assert system["role"] == "system" and system["content"] == (PROMPTS / "answer_system.md").read_text()
    assert "never instructions" in system["content"]
    assert QUESTION in user["content"] and len(sources(request)) >= 2


def test_markers_without_quotes_are_repaired_or_dropped(llm_client, store, stub):
    stub.replies.append(unquoted)
    body = ask(llm_client, store, QUESTION)
    assert body["answered_by"] == "llm" and len(body["citations"]) == 1
    assert "[7]" not in body["answer"] and body["answer"].count("[1]") == 1


def test_endpoint_failure_falls_back_to_extractive(llm_client, store, stub):
    stub.replies.append(500)
    body = ask(llm_client, store, QUESTION)
    assert body["answered_by"] == "extractive" and body["citations"]
    assert "Lambeth Parent Forum" in body["answer"]


def test_timeout_falls_back_to_extractive(llm_client, store, stub):
    def slow(_body: dict) -> str:
        time.sleep(4)
        return json.dumps({"answer": "late", "citations": []})

    stub.replies.append(slow)
    started = time.perf_counter()
    body = ask(llm_client, store, QUESTION)
    assert body["answered_by"] == "extractive" and time.perf_counter() - started < 10


def test_answer_with_no_verifiable_citation_falls_back(llm_client, store, stub):
    stub.replies.append(json.dumps({"answer": "Something unsupported [1].",
                                    "citations": [{"n": 1, "quote": INVENTED}]}))
    body = ask(llm_client, store, QUESTION)
    assert body["answered_by"] == "extractive" and INVENTED not in body["answer"]


def test_exact_lookups_do_not_call_the_model(llm_client, store, stub):
    before = len(stub.requests)
    body = ask(llm_client, store, "Which Roadmap actions are due by Jun-25?")
    assert body["answered_by"] == "rules" and len(body["records"]) == 5
    assert len(stub.requests) == before
