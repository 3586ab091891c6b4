"""Optional generation through an OpenAI-compatible endpoint (LangChain ``ChatOpenAI``).

Used only when ``PLANCHAT_LLM_BASE_URL`` is set.  Prompts live in
``prompts/`` so they can be read and changed without touching code.  The
model is asked for JSON ``{"answer", "citations": [{"n", "quote"}]}``; a
reply that is not JSON is read as answer text whose markers are then
repaired or dropped by ``citations.verify``.  Any failure of the endpoint
(connection, timeout, HTTP error, empty reply) is raised as ``LLMError``
so the caller can fall back to the extractive answer.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from string import Template

import httpx
import openai
from pydantic import BaseModel, Field, ValidationError

from app.chat.citations import SourceText
from planchat.errors import LLMError
from planchat.settings import PROJECT_ROOT, Settings

PROMPTS = PROJECT_ROOT / "prompts"
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.I)


class Claimed(BaseModel):
    n: int
    quote: str = ""


class Reply(BaseModel):
    answer: str
    citations: list[Claimed] = Field(default_factory=list)


@lru_cache(maxsize=8)
def prompt(name: str) -> Template:
    return Template((PROMPTS / name).read_text(encoding="utf-8"))


def render_sources(sources: list[SourceText]) -> str:
    """Numbered sources, each fenced by <<< and >>>; fence marks inside document text are
    defused so a passage can neither close its own fence nor fake the start of another."""
    blocks = []
    for s in sources:
        where = " — ".join(filter(None, [s.doc_title, s.section, f"p. {s.page}" if s.page else None]))
        body = s.text.replace(">>>", "> > >").replace("<<<", "< < <")
        blocks.append(f"[{s.n}] {where}\n<<<\n{body}\n>>>")
    return "\n\n".join(blocks)


def parse_reply(content: str) -> Reply:
    """The model's JSON reply, or its text as an answer with no quotes when it is not JSON."""
    text = _FENCE.sub("", content.strip())
    start, end = text.find("{"), text.rfind("}")
    if start >= 0 and end > start:
        try:
            return Reply.model_validate(json.loads(text[start:end + 1]))
        except (json.JSONDecodeError, ValidationError):
            pass
    return Reply(answer=text)


class Generator:
    """One configured chat model; thread-safe to share across requests."""

    def __init__(self, settings: Settings):
        from langchain_openai import ChatOpenAI

        self.base_url = settings.llm_base_url
        self.model = ChatOpenAI(base_url=settings.llm_base_url, api_key=settings.llm_api_key,
                                model=settings.llm_model, timeout=settings.llm_timeout, max_retries=0, temperature=0)

    def generate(self, question: str, sources: list[SourceText]) -> Reply:
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(prompt("answer_system.md").template),
                    HumanMessage(prompt("answer_user.md").substitute(question=question,
                                                                      sources=render_sources(sources)))]
        try:
            reply = self.model.invoke(messages)
        except (openai.APIError, httpx.HTTPError, TimeoutError, ValueError) as exc:
            raise LLMError(f"LLM endpoint {self.base_url} failed: {type(exc).__name__}: {exc}") from exc
        content = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
        if not content.strip():
            raise LLMError(f"LLM endpoint {self.base_url} returned an empty answer")
        parsed = parse_reply(content)
        if not parsed.answer.strip():
            raise LLMError(f"LLM endpoint {self.base_url} returned no answer text")
        return parsed
