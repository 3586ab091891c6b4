"""The hand-checked golden set (``evals/golden.jsonl``) as typed items.

Loading goes through pydantic with ``extra="forbid"`` so a mistyped field in
the JSON Lines file fails loudly instead of silently scoring nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

GOLDEN_PATH = Path(__file__).resolve().parent / "golden.jsonl"

Category = Literal["fact", "deadline", "owner", "due_by", "synthesis", "paraphrase", "unanswerable",
                   "false_premise", "multi_turn"]
Subset = Literal["full", "fast"]
CATEGORIES: tuple[str, ...] = Category.__args__  # report order


class RefContext(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str
    quote: str = Field(description="Verbatim single-line excerpt of corpus/<doc_id>.txt.")


class ExpectedRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str
    ref: str = Field(description="Action/risk ref, KPI code, or a contract's name.")


class GoldenItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    category: Category
    question: str = Field(description="The (last) user message.")
    turns: list[str] = Field(default_factory=list, description="Earlier user messages of a multi-turn item.")
    reference_answer: str
    reference_contexts: list[RefContext] = Field(default_factory=list)
    expected_refs: list[ExpectedRef] = Field(default_factory=list)
    key_facts: list[str] = Field(default_factory=list)
    answerable: bool
    fast: bool

    @property
    def messages(self) -> list[str]:
        """Every message to send, in order; the last is the one scored."""
        return [*self.turns, self.question]


def load_golden(path: Path = GOLDEN_PATH, subset: Subset = "full") -> list[GoldenItem]:
    """All items of ``path`` (or only the ``fast`` smoke subset), in file order."""
    items = [GoldenItem.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    ids = [item.id for item in items]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate ids in {path}")
    return [item for item in items if subset == "full" or item.fast]
