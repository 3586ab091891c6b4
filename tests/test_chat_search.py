"""Retrieval answers: cited sentences, document filters, diversity, settings honoured, streaming."""

from __future__ import annotations

import json

from app.chat.catalog import catalog_for
from app.chat.retrieve import retrieve
from tests.chat_support import ROADMAP, ask, check_answer, client  # noqa: F401 - fixture

LSCP = "lscp-annual-report-2023-24"


def test_open_question_is_answered_from_sentences(client, store):
    body = ask(client, store, "What are we doing about young carers?")
    assert body["route"] in ("search", "both") and body["citations"]
    assert "young carer" in body["answer"].lower()
    assert "2.11" in {r["ref"] for r in body["records"]}


def test_named_document_filters_the_sources(client, store):
    body = ask(client, store, "What does the LSCP report say about the Missing Persons Unit?")
    assert {c["doc_id"] for c in body["citations"]} == {LSCP}
    body = ask(client, store, "How will the improvement plan help foster parents?")
    assert {c["doc_id"] for c in body["citations"]} == {ROADMAP}


def test_synthesis_draws_on_several_documents(client, store):
    body = ask(client, store, "How serious is youth violence in Lambeth across the documents?")
    assert len({c["doc_id"] for c in body["citations"]}) >= 2


def test_mixed_question_uses_both_routes(client, store):
    body = ask(client, store, "What does Roadmap action 6.5 aim to achieve on absence?")
    assert body["route"] == "both" and "6.5" in {r["ref"] for r in body["records"]}
    assert "absence" in body["answer"].lower()


def test_retrieval_follows_settings(store, built_index):
    catalog = catalog_for(store)
    question = "Signs of Safety practice framework"
    for mode in ("hybrid", "dense", "lexical"):
        settings = built_index.model_copy(update={"retrieval_mode": mode, "top_k": 3})
        passages = retrieve(store, catalog, question, settings)
        assert 1 <= sum(len(p.chunks) for p in passages) <= 3
        assert all((p.dense is None) == (mode == "lexical") for p in passages)
        assert all((p.lexical is None) == (mode == "dense") or p.lexical is None for p in passages)
    section = retrieve(store, catalog, "actions for children", built_index, section="Priority Three")
    assert section and all("Priority Three" in c.section_label for p in section for c in p.chunks)


def test_adjacent_chunks_are_merged(store, built_index):
    catalog = catalog_for(store)
    passages = retrieve(store, catalog, "Permanent recruitment of Training & Development Manager vacancy",
                        built_index.model_copy(update={"top_k": 12}))
    for p in passages:
        assert catalog.texts[p.doc_id][p.start:p.end] == p.text
        ordinals = [c.ordinal for c in p.chunks]
        assert ordinals == sorted(ordinals) and ordinals[-1] - ordinals[0] == len(ordinals) - 1


def test_stream_sends_sentences_then_citations(client, store):
    response = client.post("/chat/stream", json={"message": "What is planned for working with the Lambeth Parent "
                                                            "Forum?", "conversation_id": None})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = []
    for block in response.text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["citations", "final"] and names.count("sentence") >= 2
    final = check_answer(events[-1][1], store)
    assert "".join(data["sentence"] for name, data in events if name == "sentence") == final["answer"]
    assert events[-2][1]["citations"] == final["citations"]


def test_stream_unknown_conversation_is_404(client):
    response = client.post("/chat/stream", json={"message": "hello", "conversation_id": "missing"})
    assert response.status_code == 404


def test_empty_message_is_rejected(client):
    assert client.post("/chat", json={"message": "", "conversation_id": None}).status_code == 422
