"""Does the retrieved evidence support an answer?  If not, the chat refuses.

Retrieval always returns something, so the question is whether that
something answers.  Four plain checks, each a reason a practitioner would
accept; any one failing means "the documents do not say":

* nothing was retrieved, or nothing shares a content word with the question
  and the dense match is weak;
* the question's subject words appear nowhere in the documents ("what is
  Cathy Twist's salary?"), or some do not ("weather") and the best dense
  match is weak too (a paraphrase such as "kids" has a strong one);
* the question names a period ("2026/27") that no retrieved passage mentions;
* it asks for a count ("how many", "what share") and no supporting
  sentence holds a number.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from app.chat.catalog import Catalog
from app.chat.extractive import Evidence
from app.chat.question import Question
from app.chat.retrieve import Passage
from ingest.dates import find_dates

WEAK_DENSE = 0.36       # MiniLM cosine of an unrelated best match (see index.search.dense_weight)
NO_OVERLAP = 0.12       # share of the question's idf mass: below this nothing matches lexically
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundred|thousand|half|quarter|third|majority|all|none)\b", re.I)


class Verdict(BaseModel):
    supported: bool
    reason: str = ""


def _periods(text: str) -> list[tuple]:
    return [(p.start, p.end) for _, _, p in find_dates(text) if p.start and p.end]


def _mentioned(period: tuple, seen: list[tuple]) -> bool:
    """Some date of the evidence lies within the asked period (or is it)."""
    return any(start >= period[0] and end <= period[1] or (start, end) == period for start, end in seen)


def judge(q: Question, passages: list[Passage], found: list[Evidence], chosen: list[Evidence],
          catalog: Catalog) -> Verdict:
    if not q.terms:
        return Verdict(supported=False, reason="the message has no content words")
    if not passages or not found:
        return Verdict(supported=False, reason="nothing retrieved")
    dense = max((p.dense for p in passages if p.dense is not None), default=None)
    weak = dense is not None and dense < WEAK_DENSE
    best = max(u.coverage for u in found)
    if best < NO_OVERLAP and (dense is None or weak):
        return Verdict(supported=False, reason=f"no overlap (coverage {best:.2f})")
    unknown = [t for t in q.topic_terms if not catalog.vocab.known(t) and len(t) > 2]
    if unknown and len(unknown) == len(q.topic_terms):
        return Verdict(supported=False, reason=f"no word of the question's subject {unknown} is in the documents")
    if unknown and weak:
        return Verdict(supported=False, reason=f"unknown words {unknown} and weak dense match {dense:.2f}")
    asked = _periods(q.text)
    if asked:
        seen = [span for p in passages  # a passage also covers its section's, header's and document's period
                for span in _periods(" \n ".join((p.text, p.section, p.header, catalog.title(p.doc_id))))]
        missing = [a for a in asked if not _mentioned(a, seen)]
        if missing:
            return Verdict(supported=False, reason=f"period {missing[0][0]}..{missing[0][1]} not in the evidence")
    if q.expects == "number" and not any(_NUMBER.search(u.quote) for u in chosen if u.record is None) \
            and not any(u.record is not None for u in chosen):
        return Verdict(supported=False, reason="a count was asked and no sentence holds a number")
    return Verdict(supported=True)
