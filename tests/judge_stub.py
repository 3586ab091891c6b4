"""A judge LLM for the evaluation tests: the loopback OpenAI stub answering ragas' prompts.

The server is ``tests/openai_stub.py`` (a real OpenAI-compatible HTTP
server), so ragas' own judge client (instructor over the OpenAI SDK, JSON
mode) runs unmodified.  Each reply reads which ragas prompt is asked from
its output schema's title and the ``input:`` JSON at the end of the prompt,
and judges crudely but honestly: statements are the answer's sentences, and
a statement is supported when most of its words occur in the context.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.openai_stub import OpenAIStub

MAX_CALLS = 5000  # the stub serves one scripted reply per request
_WORD = re.compile(r"[a-z0-9]+")
_TITLE = re.compile(r'"title":\s*"(\w+Output)"')
NONCOMMITTAL = ("do not say", "does not say", "do not answer", "could not find", "no information")


def _sentences(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+|\n+", text) if p.strip()]
    return parts or [text.strip() or "(empty)"]


def _supported(statement: str, context: str) -> int:
    words = set(_WORD.findall(statement.lower()))
    known = set(_WORD.findall(context.lower()))
    return int(bool(words) and len(words & known) / len(words) >= 0.6)


def judge(prompt: str) -> dict[str, Any]:
    """The structured reply to one ragas prompt (its schema title picks the task)."""
    titles = _TITLE.findall(prompt.split("Now perform the same with the following input")[0])
    title = titles[-1] if titles else ""
    data = json.loads(prompt.rsplit("input:", 1)[1].rsplit("Output:", 1)[0])
    if title == "StatementGeneratorOutput":
        return {"statements": _sentences(data["answer"])}
    if title == "ClaimDecompositionOutput":
        return {"claims": _sentences(data["response"])}
    if title == "NLIStatementOutput":
        return {"statements": [{"statement": s, "reason": "word overlap with the context",
                                "verdict": _supported(s, data["context"])} for s in data["statements"]]}
    if title == "AnswerRelevanceOutput":
        response = data["response"]
        return {"question": "What does the plan say about " + _sentences(response)[0].rstrip(".") + "?",
                "noncommittal": int(any(p in response.lower() for p in NONCOMMITTAL))}
    raise ValueError(f"the judge stub does not know the prompt {title or '(no schema)'}")


def judge_reply(body: dict) -> str | int:
    """An OpenAIStub reply: the judgement as JSON content, or HTTP 400 for a prompt it does not know."""
    prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    try:
        return json.dumps(judge(prompt))
    except (ValueError, KeyError, IndexError):
        return 400


def judge_server() -> OpenAIStub:
    """``with judge_server() as stub: stub.url``; ``len(stub.requests)`` counts the judge calls."""
    return OpenAIStub(replies=[judge_reply] * MAX_CALLS)
