"""The chat service: one question in, one cited answer out, conversation remembered.

Order of work for a message: load the conversation's recent memories and
rewrite a follow-up (``rewrite``); read the question (``question``); try
an exact lookup (``lookup``): false premises are corrected, lists are
answered complete, and a record question with topic words also gets
retrieved sentences ("both"); otherwise retrieve passages, pick supporting
sentences and judge them (``evidence``), refusing when they do not answer.
With an LLM configured, search answers are generated from the same
sources and only verified citations kept; any LLM failure falls back to
the extractive answer.
"""

from __future__ import annotations

import logging
import threading

from pydantic import BaseModel, Field

from app.chat import compose
from app.chat.catalog import Catalog, catalog_for
from app.chat.citations import SourceText, Sources, verify
from app.chat.conversations import ConversationStore, Memory
from app.chat.evidence import judge
from app.chat.extractive import Evidence, candidates, record_sentences, select
from app.chat.lookup import LookupResult, lookup
from app.chat.models import AnsweredBy, ChatRequest, ChatResponse, Citation, Route
from app.chat.question import Question, analyse
from app.chat.retrieve import Passage, retrieve
from app.chat.rewrite import Rewritten, rewrite
from app.chat.text import coverage, stems
from app.state import IndexHolder
from index.records import Record
from index.store import IndexStore
from planchat.errors import IndexMissingError, LLMError
from planchat.settings import Settings

log = logging.getLogger(__name__)

RECORD_FIELDS = {"due", "where", "rating", "baseline", "value", "mitigation", "lead"}  # fields prose rarely states
_CONTEXT_WEIGHT = 0.3  # earlier questions' words count, but less than the follow-up's own


class Outcome(BaseModel):
    """An answer before it is tied to a conversation."""

    answer: str
    citations: list[Citation] = Field(default_factory=list)
    route: Route
    records: list[Record] = Field(default_factory=list)
    records_query: dict | None = None
    answered_by: AnsweredBy = "extractive"
    question: Question
    refused: bool = False
    corrected: bool = False


class ChatService:
    def __init__(self, settings: Settings, holder: IndexHolder, conversations: ConversationStore):
        self.settings = settings
        self.holder = holder
        self.conversations = conversations
        self._generator = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ entry point

    def warm(self) -> None:
        """Load what the first question would wait for (catalog, embedding model); run at start-up."""
        try:
            catalog_for(self.holder.current())
        except IndexMissingError:
            return
        from index.embedding import embed

        embed(["warm up"])

    def answer(self, request: ChatRequest) -> ChatResponse:
        store = self.holder.current()
        catalog = catalog_for(store)
        conversation_id = request.conversation_id
        history: list[Memory] = []
        if conversation_id:
            history = self.conversations.history(conversation_id, self.settings.chat_history_turns)
        else:
            conversation_id = self.conversations.start()
        rewritten = rewrite(request.message, history, catalog)
        outcome = self.respond(store, catalog, rewritten)
        shown = rewritten.question + (f" (following: {rewritten.context})" if rewritten.context else "")
        q = outcome.question
        memory = Memory(question=rewritten.question, route=outcome.route,
                        record_ids=list(dict.fromkeys(r.record_id for r in outcome.records)),
                        people=q.people, doc_ids=q.doc_ids, section=q.section, kind=q.kind)
        self.conversations.append(conversation_id, request.message, outcome.answer, memory)
        return ChatResponse(conversation_id=conversation_id, answer=outcome.answer, citations=outcome.citations,
                            route=outcome.route, records=outcome.records, question=shown,
                            records_query=outcome.records_query, answered_by=outcome.answered_by,
                            refused=outcome.refused, corrected=outcome.corrected)

    # ------------------------------------------------------------------ routing

    def respond(self, store: IndexStore, catalog: Catalog, rw: Rewritten) -> Outcome:
        q = analyse(rw.question, catalog)
        if rw.doc_ids and not q.doc_ids:
            q.doc_ids = rw.doc_ids
        if rw.focus:
            result: LookupResult | None = LookupResult(mode="refs", records=[catalog.by_id[i] for i in rw.focus
                                                                             if i in catalog.by_id])
        else:
            result = lookup(q, store, catalog, within=rw.within, exclude=rw.exclude)
        sources, draft = Sources(), compose.Draft()
        if result is not None and (result.missing or result.mismatches):
            for missing in result.missing:
                compose.correction(missing, q, catalog, sources, draft)
            for item in result.mismatches:
                compose.mismatch(item, store, sources, draft)
            return self._outcome(draft, sources, "lookup", q, "rules").model_copy(update={"corrected": True})
        if result is not None and (result.records or result.mode != "refs"):
            compose.records_answer(result, q, sources, draft)
            query = result.query.model_dump(mode="json", exclude_defaults=True) if result.query else None
            route: Route = "lookup"
            if result.mode == "refs" and result.records and self._wants_text(q, result):
                extra = self._supporting(store, catalog, q, rw, result)
                if extra:
                    compose.evidence_answer(extra, q, sources, draft)
                    route = "both"
            return self._outcome(draft, sources, route, q, "rules" if route == "lookup" else "extractive", query)
        return self._search(store, catalog, q, rw, sources, draft)

    @staticmethod
    def _wants_text(q: Question, result: LookupResult) -> bool:
        """Topic words beyond what the records' titles already say ('… on short breaks')."""
        titles = set(stems(" ".join(r.title for r in result.records)))
        return any(t not in titles for t in q.topic_terms)

    def _supporting(self, store: IndexStore, catalog: Catalog, q: Question, rw: Rewritten,
                    result: LookupResult) -> list[Evidence]:
        """Sentences about the question's topic words from the records' own documents."""
        docs = list(dict.fromkeys(r.doc_id for r in result.records))
        passages = retrieve(store, catalog, f"{rw.question} {rw.context}".strip(), self.settings, doc_ids=docs)
        topic = catalog.vocab.weights(q.topic_terms)
        shown = {r.record_id for r in result.records}
        own = [u for r in result.records for u in record_sentences(r, topic, catalog.title(r.doc_id))]
        found = [u for u in own + candidates(passages, catalog, topic)
                 if u.coverage >= 0.5 and not (u.row and u.record.record_id in shown)]
        return select(found, limit=min(3, self.settings.answer_sentences))

    def _search(self, store: IndexStore, catalog: Catalog, q: Question, rw: Rewritten, sources: Sources,
                draft: compose.Draft) -> Outcome:
        query = f"{rw.question} {rw.context}".strip()
        passages = retrieve(store, catalog, query, self.settings, doc_ids=q.doc_ids, section=q.section,
                            diverse=q.synthesis)
        weights = catalog.vocab.weights(q.topic_terms or q.terms)  # document names and field words only filter
        for term, weight in catalog.vocab.weights(stems(rw.context)).items():
            weights.setdefault(term, weight * _CONTEXT_WEIGHT)
        found = candidates(passages, catalog, weights, q.expects)
        chosen = select(found, self.settings.answer_sentences)
        verdict = judge(q, passages, found, chosen, catalog)
        if not verdict.supported:
            log.info("refusing %r: %s", rw.question, verdict.reason)
            compose.refusal(select(found, 3, floor=0.0), sources, draft)
            return self._outcome(draft, sources, "none", q, "extractive").model_copy(update={"refused": True})
        chosen = self._record_focus(q, found, chosen, catalog)
        if self.settings.llm_base_url:
            generated = self._generate(rw.question, passages, chosen, q)
            if generated is not None:
                return generated
        compose.evidence_answer(chosen, q, sources, draft)
        route: Route = "both" if draft.records else "search"
        return self._outcome(draft, sources, route, q, "extractive")

    @staticmethod
    def _record_focus(q: Question, found: list[Evidence], chosen: list[Evidence], catalog: Catalog) -> list[Evidence]:
        """A record question ("who owns the pupil place planning risk?") is answered by its best records,
        ranked by the question's topic words (not 'owner' or 'contract', which every row of a kind shares)."""
        if not (RECORD_FIELDS & set(q.fields) or q.kind) or not found:
            return chosen
        topic = catalog.vocab.weights(q.topic_terms)
        rows: dict[str, tuple[float, Evidence]] = {}
        for unit in found:
            if unit.record is not None and (not q.kind or unit.record.kind == q.kind):
                cov = (coverage(topic, stems(unit.record.source)) + coverage(topic, stems(unit.record.title))) / 2 \
                    if topic else unit.coverage  # what the row is about (its title) breaks ties
                rows.setdefault(unit.record.record_id, (cov, unit))
        if not rows:
            return chosen
        ranked = sorted(rows.values(), key=lambda pair: pair[0], reverse=True)
        best = ranked[0][0]
        top = max(u.score for u in found)
        if best < 0.5 or (not q.kind and ranked[0][1].score < 0.8 * top):
            return chosen
        lead = ranked[0][1].score
        return [unit for cov, unit in ranked if cov >= 0.95 * best and unit.score >= 0.7 * lead][:3]

    # ------------------------------------------------------------------ LLM

    def _generate(self, question: str, passages: list[Passage], chosen: list[Evidence], q: Question) -> Outcome | None:
        texts: list[SourceText] = []
        for passage in passages:
            for chunk in passage.chunks:
                texts.append(SourceText(n=len(texts) + 1, text=chunk.text, doc_id=chunk.doc_id,
                                        doc_title=passage.doc_title, section=chunk.section_label or None,
                                        page=chunk.page, start=chunk.start, chunk_id=chunk.chunk_id))
        records = [u.record for u in chosen if u.record is not None]
        for record in records:
            texts.append(SourceText(n=len(texts) + 1, text=record.source, doc_id=record.doc_id,
                                    doc_title=record.doc_title or record.doc_id, section=record.section,
                                    page=record.page, start=record.start, record_id=record.record_id))
        try:
            reply = self.generator().generate(question, texts)
        except LLMError as exc:
            log.warning("LLM failed, answering extractively: %s", exc)
            return None
        answer, citations, dropped = verify(reply.answer, [(c.n, c.quote) for c in reply.citations], texts)
        if dropped:
            log.info("dropped %d unverifiable citation(s) from the LLM answer", dropped)
        if not citations:
            log.warning("LLM answer had no verifiable citation, answering extractively")
            return None
        cited = {c.record_id for c in citations if c.record_id}
        used = [r for r in records if r.record_id in cited]
        return Outcome(answer=answer, citations=citations, route="both" if used else "search", records=used,
                       answered_by="llm", question=q)

    def generator(self):
        with self._lock:
            if self._generator is None:
                from app.chat.llm import Generator

                self._generator = Generator(self.settings)
            return self._generator

    @staticmethod
    def _outcome(draft: compose.Draft, sources: Sources, route: Route, q: Question, by: AnsweredBy,
                 query: dict | None = None) -> Outcome:
        records = list({r.record_id: r for r in draft.records}.values())
        return Outcome(answer=draft.text, citations=sources.citations, route=route, records=records,
                       records_query=query, answered_by=by, question=q)
