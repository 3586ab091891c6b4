"""Refusals on questions the documents cannot answer, not on ones they can; false premises corrected."""

from __future__ import annotations

import pytest

from tests.chat_support import DIRECTORATE, ROADMAP, ask, client  # noqa: F401 - fixture

UNANSWERABLE = [
    "What is Andrew Carter's salary as Corporate Director?",
    "What will the weather be like for the SEND-sational Funday at Heron Academy?",
    "What is the Children's Services budget for 2026/27?",
    "How many children were adopted in Lambeth during 2023-24?",
    "How many EHC plans did Lambeth issue in 2031?",
]

ANSWERABLE = [
    ("How many children and young people in Lambeth have an EHCP according to the SEND and AP Strategy?", "3,332"),
    ("What proportion of Lambeth young people aged 16+ are in education, employment or training?", "98.6%"),
    ("How many kids were in care in Lambeth in March 2024?", "464"),
    ("What does the LSCP report say about the Missing Persons Unit?", "Missing"),
    ("What target does the Education and Learning Strategy set for the heritage of new headteacher and governor "
     "appointments?", "40%"),
    ("How many responses did Lambeth's annual SEND family surveys receive?", "140"),
    ("What is planned for working with the Lambeth Parent Forum?", "Lambeth Parent Forum"),
    ("Who owns the pupil place planning risk in the Directorate Plan?", "Maggie Harriott"),
]


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_unanswerable_questions_are_refused(client, store, question):
    body = ask(client, store, question)
    assert body["route"] == "none" and body["records"] == []
    assert body["answer"].startswith("The documents do not answer that question")
    assert body["citations"], "a refusal points to the nearest sections"
    assert "nearest relevant sections" in body["answer"]


@pytest.mark.parametrize("question,fact", ANSWERABLE)
def test_answerable_questions_are_answered(client, store, question, fact):
    body = ask(client, store, question)
    assert body["route"] != "none", body["answer"]
    assert fact in body["answer"]


@pytest.mark.parametrize("question,says,nearest", [
    ("When is action 9.4 due?", "There is no action 9.4", f"{ROADMAP}:action:8.9"),
    ("When is Roadmap action 2.16 due?", "There is no action 2.16", f"{ROADMAP}:action:2.15"),
    ("Who owns directorate risk CSSR0003?", "There is no risk CSSR0003", f"{DIRECTORATE}:risk:CSSR0004"),
    ("Who is the responsible officer for key activity CSKA40?", "There is no key activity CSKA40",
     f"{DIRECTORATE}:action:CSKA36"),
])
def test_false_premise_refs_are_corrected(client, store, question, says, nearest):
    body = ask(client, store, question)
    assert body["answer"].startswith(says)
    assert nearest in {c["record_id"] for c in body["citations"]}
    assert "due" not in body["answer"].split(".")[0].replace(says, "")


def test_wrong_owner_is_corrected(client, store):
    body = ask(client, store, "Why is Cathy Twist the owner of the youth violence risk CSSR0005?")
    assert body["answer"].startswith("Cathy Twist is not named as owner of risk CSSR0005")
    assert "Merlin Joseph" in body["answer"] and "CSSR0009" in body["answer"]


def test_a_follow_up_can_be_unanswerable(client, store):
    first = ask(client, store, "Who owns risk CSSR0009?")
    body = ask(client, store, "What is that person's salary?", first["conversation_id"])
    assert body["question"] == "What is Cathy Twist's salary?" and body["route"] == "none"
