"""Follow-ups rewritten into standalone questions from earlier turns, by rule.

* "the same for Priority Three", "what about Dec-25?", "and for Cathy Twist?"
  swap that slot (priority, date, person, ref) into the previous question;
* "it", "its", "that action", "that risk" name the previous turn's record
  when the follow-up asks about a record field ("who owns it?", "and where
  was it identified?") and become that record ("focus");
* "those", "them", "of these" narrow the previous turn's list ("within");
* "that person", "he", "she" become the person named or the record's owner,
  and "else"/"other" leave out what was already listed;
* any other follow-up ("and how many a year earlier?") keeps its words and
  borrows the earlier questions as retrieval context and their document.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from app.chat.catalog import Catalog
from app.chat.conversations import Memory
from app.chat.phrasing import label
from app.chat.question import ELSE, FIELDS, PRIORITY, analyse, section_of
from ingest.dates import find_dates

_SWAP = re.compile(r"^\W*(?:and\s+|ok(?:ay)?,?\s+|so\s+)?(?:(?:what|how)\s+about|(?:and\s+)?(?:the\s+)?same\s+"
                   r"(?:for|with|in|about)|and\s+(?:for|in|by|with))\s+(?!(?:when|what|who|whom|where|which|why|how)\b)"
                   r"(?P<slot>.+?)\W*$", re.I)
_LEAD = re.compile(r"^\W*(?:and|also|ok(?:ay)?|so|then)\b[,\s]*", re.I)
_RECORD_PRONOUN = re.compile(r"\b(?:that|this|the same)\s+(?P<noun>action|activity|key activity|risk|kpi|indicator|"
                             r"contract|commitment|one|record)\b|\b(?P<pron>its|it)\b", re.I)
_PLURAL = re.compile(r"\b(?:of\s+)?(?:those|these|them|they)\b", re.I)
_PERSON = re.compile(r"\b(?:that|this|the same)\s+(?:person|officer|director|owner)(?P<poss>'s|’s)?|"
                     r"\b(?P<pron>he|she|him|her|his)\b", re.I)
_FOLLOWUP_HINT = re.compile(r"^\W*(?:and|also|what about|how about|then|same)\b|\b(?:it|its|those|them|these|they|"
                            r"earlier|previous|else)\b", re.I)
_NOUN_KIND = {"action": "action", "activity": "action", "key activity": "action", "risk": "risk", "kpi": "kpi",
              "indicator": "kpi", "contract": "contract", "commitment": "action"}
_DATE_PREFIX = re.compile(r"^(?:by|before)\s+(?:the\s+)?(?:end\s+of\s+)?|^(?:the\s+)?end\s+of\s+", re.I)


class Rewritten(BaseModel):
    question: str = Field(description="The standalone question.")
    context: str = Field("", description="Earlier questions, added to the retrieval query only.")
    focus: list[str] = Field(default_factory=list, description="Record ids the follow-up points at.")
    within: list[str] = Field(default_factory=list, description="An earlier list the follow-up narrows.")
    exclude: list[str] = Field(default_factory=list, description="Records already named ('what else').")
    doc_ids: list[str] = Field(default_factory=list, description="Documents carried over from earlier turns.")
    followup: bool = False


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _swap(previous: str, slot: str, catalog: Catalog) -> str:
    """The previous question with one slot (priority, date, person, ref, document) replaced by ``slot``."""
    facts = analyse(slot, catalog)
    old = analyse(previous, catalog)
    if (section := section_of(slot)) is not None:
        if PRIORITY.search(previous):
            return PRIORITY.sub(section, previous, count=1)
        return previous.rstrip(" ?") + f" in {section}?"
    new_dates, old_dates = find_dates(slot), find_dates(previous)
    if new_dates and old_dates:
        start, end, parsed = old_dates[0]
        new_raw = slot[new_dates[0][0]:new_dates[0][1]]
        prefix = _DATE_PREFIX.match(parsed.raw)
        if prefix and not _DATE_PREFIX.match(new_raw):
            new_raw = prefix.group(0) + new_raw
        return previous[:start] + new_raw + previous[end:]
    if facts.people and old.people:
        return _replace_person(previous, old.people[0], facts.people[0])
    if facts.refs and old.refs:
        return previous.replace(old.refs[0], facts.refs[0], 1)
    if facts.doc_phrase and old.doc_phrase:
        return re.sub(r"\s+".join(map(re.escape, old.doc_phrase.split())), slot, previous, count=1, flags=re.I)
    return previous.rstrip(" ?") + f", for {slot}?"


def _replace_person(text: str, old: str, new: str) -> str:
    """Swap a person as the text names them: in full ("Abi Onaboye") or by one name ("Abi")."""
    for name in (old, *old.split()):
        pattern = re.compile(rf"\b{re.escape(name)}\b", re.I)
        if pattern.search(text):
            return pattern.sub(new, text, count=1)
    return text


def _person(last: Memory, catalog: Catalog) -> str | None:
    if last.people:
        return last.people[0]
    owners = [set(catalog.by_id[i].owners) for i in last.record_ids if i in catalog.by_id]
    common = set.intersection(*owners) if owners else set()
    people = [p for p in catalog.people if p in common]
    if len(people) == 1:
        return people[0]
    if len(owners) >= 1 and (first := [p for p in catalog.by_id[last.record_ids[0]].owners if p in catalog.people]):
        return first[0]
    return None


def rewrite(message: str, history: list[Memory], catalog: Catalog) -> Rewritten:
    text = message.strip()
    if not history:
        return Rewritten(question=text)
    last = history[-1]
    if (swap := _SWAP.match(text)) is not None:
        question = _swap(last.question, swap["slot"], catalog)
        return Rewritten(question=question, followup=True)

    body = _cap(_LEAD.sub("", text)) or text
    result = Rewritten(question=body)
    if (person := _PERSON.search(body)) is not None and (name := _person(last, catalog)):
        possessive = person["poss"] or (person["pron"] or "").lower() == "his"
        body = body[:person.start()] + name + ("'s" if possessive else "") + body[person.end():]
        result.question, result.followup = body, True
        if ELSE.search(body):
            result.exclude = list(last.record_ids)
        return result

    records = [catalog.by_id[i] for i in last.record_ids if i in catalog.by_id]
    asks_field = any(p.search(body) for p in FIELDS.values())
    if records and (pron := _RECORD_PRONOUN.search(body)) is not None:
        noun = (pron["noun"] or "").lower()
        kind = _NOUN_KIND.get(noun)
        candidates = [r for r in records if not kind or r.kind == kind] or records
        if noun or asks_field or not analyse(body, catalog).topic_terms:
            target = candidates[0]
            name = label(target) + ("'s" if (pron["pron"] or "").lower() == "its" else "")
            result.question = body[:pron.start()] + name + body[pron.end():]
            result.focus, result.followup = [target.record_id], True
            return result
    if records and _PLURAL.search(body):
        result.within, result.followup = [r.record_id for r in records], True
        return result
    facts = analyse(body, catalog)
    own_subject = facts.refs or facts.people or facts.doc_ids or facts.section or facts.kind or facts.due
    if not own_subject and (_FOLLOWUP_HINT.search(text) or len(text.split()) <= 6):
        result.context = " ".join(m.question for m in history[-2:])
        result.doc_ids = list(last.doc_ids)
        result.followup = True
    return result
