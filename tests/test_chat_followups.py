"""Conversations: follow-ups are rewritten from earlier turns kept server-side in SQL."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.chat_support import ask, client, gold, refs  # noqa: F401 - fixture


def test_it_refers_to_the_previous_record(client, store):
    first = ask(client, store, "When is action 2.6 due?")
    body = ask(client, store, "And where was it identified?", first["conversation_id"])
    assert body["conversation_id"] == first["conversation_id"]
    assert body["question"] == "Where was action 2.6 identified?"
    assert "Contextual Safeguarding Plan" in body["answer"] and refs(body) == {"2.6"}
    owner = ask(client, store, "who owns it?", body["conversation_id"])
    assert "no owner" in owner["answer"] and refs(owner) == {"2.6"}


def test_that_person_and_what_else(client, store):
    first = ask(client, store, "Who is responsible for CSKA08?")
    body = ask(client, store, "What else does that person own?", first["conversation_id"])
    assert body["question"] == "What else does Abi Onaboye own?"
    expected = {r["ref"] for r in gold("directorate_activities.json") if "Abi Onaboye" in r["owners"]} - {"CSKA08"}
    got = refs(body)
    assert "CSKA08" not in got and expected <= got and "VAWG" in got


def test_its_fields_of_a_kpi_and_a_contract(client, store):
    first = ask(client, store, "What is KPI SE180?")
    body = ask(client, store, "What was its 2019/20 outturn, and who owns it?", first["conversation_id"])
    assert "56.1%" in body["answer"] and "Cathy Twist" in body["answer"]
    first = ask(client, store, "What is the annual value of the VAWG contract?")
    assert "£887,892" in first["answer"]
    body = ask(client, store, "When does it end, and which director is responsible?", first["conversation_id"])
    assert "31st March 2021" in body["answer"] and "Abi Onaboye" in body["answer"]


def test_those_narrows_the_previous_list(client, store):
    first = ask(client, store, "Which Roadmap actions are due by Jun-25?")
    assert refs(first) == {"1.5", "1.6", "2.6", "2.10", "5.2"}
    body = ask(client, store, "Which of those came from the Focused Visit 2024?", first["conversation_id"])
    assert refs(body) == {"1.5"}


def test_the_same_for_another_priority(client, store):
    first = ask(client, store, "Which Priority Two actions are due by Sep-25?")
    body = ask(client, store, "The same for Priority Three", first["conversation_id"])
    assert body["question"] == "Which Priority Three actions are due by Sep-25?"
    assert body["records"] and all(r["section"].startswith("Priority Three") for r in body["records"])
    later = ask(client, store, "what about Dec-25?", body["conversation_id"])
    assert later["question"] == "Which Priority Three actions are due by Dec-25?"
    assert len(later["records"]) > len(body["records"])


def test_follow_up_on_a_retrieved_action(client, store):
    first = ask(client, store, "Is there anything in the Roadmap about young carers?")
    assert "2.11" in refs(first)
    body = ask(client, store, "Where was that action identified, and when is it due?", first["conversation_id"])
    assert "SEF" in body["answer"] and "Jul-25" in body["answer"]


def test_unknown_conversation_is_404(client):
    response = client.post("/chat", json={"message": "When is action 2.6 due?", "conversation_id": "nope"})
    assert response.status_code == 404 and "conversation" in response.json()["detail"]


def test_conversations_live_outside_the_index(client, store, built_index):
    first = ask(client, store, "When is action 1.3 due?")
    ask(client, store, "who owns it?", first["conversation_id"])
    db = built_index.data_dir / "app.db"
    assert db.exists() and store.folder not in db.parents
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT message, question FROM turns WHERE conversation_id = :c ORDER BY id"),
                            {"c": first["conversation_id"]}).all()
    engine.dispose()
    assert [r[0] for r in rows] == ["When is action 1.3 due?", "who owns it?"]
    assert rows[1][1] == "Who owns action 1.3?"


def test_the_same_for_another_person(client, store):
    first = ask(client, store, "What does Abi own?")
    assert first["records"] and all("Abi Onaboye" in r["owners"] for r in first["records"])
    body = ask(client, store, "the same for Cathy Twist", first["conversation_id"])
    assert body["question"] == "What does Cathy Twist own?"
    assert body["records"] and all(any("Cathy Twist" in o for o in r["owners"]) for r in body["records"])


def test_a_new_subject_is_not_a_follow_up(client, store):
    first = ask(client, store, "Which Roadmap actions are due by Jun-25?")
    body = ask(client, store, "Which risks are there?", first["conversation_id"])
    assert body["question"] == "Which risks are there?" and len(body["records"]) == 12
