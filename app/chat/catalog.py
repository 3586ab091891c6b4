"""What the chat needs to know about one index generation, computed once.

Every record (for ref checks, owner names and mapping retrieved table rows
back to records), document titles, names and texts, and the stem
vocabulary.  Built lazily per ``IndexStore`` and dropped with it, so a new
ingest (a new store) gets a fresh catalog.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import defaultdict

from app.chat.text import Vocabulary, words
from index.records import Record, RecordQuery, natural_key, query_records
from index.store import IndexStore
from ingest.models import Chunk

_PERSON = re.compile(r"^[A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){1,2}$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})$")
_CODE = re.compile(r"^([a-z]+\.?)0*(\d+)$")


def ref_key(ref: str) -> str:
    """Comparable form of a ref: case, l/I look-alikes (El4, EI16) and zero padding (CSKA8) ignored."""
    key = ref.strip().lower().replace("l", "i")
    match = _CODE.match(key)
    return f"{match[1]}{match[2]}" if match else key


def code_family(ref: str) -> str | None:
    """'CSKA08' -> 'cska', 'RI.49' -> 'ri.'; None for dotted refs (2.6)."""
    match = _CODE.match(ref.strip().lower().replace("l", "i"))
    return match[1] if match else None


class Catalog:
    def __init__(self, store: IndexStore):
        self.titles: dict[str, str] = dict(store.titles)
        self.records: list[Record] = query_records(store, RecordQuery())
        self.by_id = {r.record_id: r for r in self.records}
        self.by_ref: dict[str, list[Record]] = defaultdict(list)
        self._by_doc: dict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            if record.ref:
                self.by_ref[ref_key(record.ref)].append(record)
            self._by_doc[record.doc_id].append(record)
        self.code_families = {f for r in self.records if r.ref and (f := code_family(r.ref))}
        self.people = sorted({o for r in self.records for o in r.owners if _PERSON.match(o)})
        rows = store.documents()
        self.texts = {row.doc_id: row.text for row in rows}
        self.doc_words = {row.doc_id: set(words(" ".join(filter(None, (row.title, row.doc_id.replace("-", " "),
                                                                       row.kind))))) for row in rows}
        self.vocab = Vocabulary(c.text for doc in self.titles for c in store.chunks_of(doc))

    # ------------------------------------------------------------------ refs

    def find_ref(self, ref: str, doc_ids: list[str] | None = None) -> list[Record]:
        found = self.by_ref.get(ref_key(ref), [])
        return [r for r in found if not doc_ids or r.doc_id in doc_ids]

    def is_ref_like(self, token: str) -> bool:
        """A dotted number or a code of a family the plans use (CSKA, CSSR, RI., SE...)."""
        return bool(_DOTTED.match(token)) or code_family(token) in self.code_families

    def dotted_docs(self) -> list[str]:
        return [d for d, recs in self._by_doc.items() if any(r.ref and _DOTTED.match(r.ref) for r in recs)]

    def family(self, ref: str, doc_id: str) -> list[Record]:
        """Records of ``doc_id`` numbered like ``ref`` (same code prefix, or dotted), in natural order."""
        family = code_family(ref)
        same = [r for r in self._by_doc.get(doc_id, []) if r.ref and r.origin == "table" and
                (code_family(r.ref) == family if family else bool(_DOTTED.match(r.ref)))]
        return sorted(same, key=lambda r: natural_key(r.ref))

    def code_docs(self, ref: str) -> list[str]:
        family = code_family(ref)
        return [d for d, recs in self._by_doc.items() if any(r.ref and code_family(r.ref) == family for r in recs)]

    # ------------------------------------------------------------------ chunks and text

    def records_in(self, chunk: Chunk) -> list[Record]:
        """Records whose source is (mostly) this chunk: its table row, or dated sentences inside it."""
        found = []
        for record in self._by_doc.get(chunk.doc_id, []):
            overlap = min(record.end, chunk.end) - max(record.start, chunk.start)
            if overlap <= 0:
                continue
            if record.origin == "table" and chunk.kind != "prose" and overlap >= 0.5 * (chunk.end - chunk.start):
                found.append(record)
            elif record.origin == "prose" and record.start >= chunk.start and record.end <= chunk.end:
                found.append(record)
        return found

    def title(self, doc_id: str) -> str:
        return self.titles.get(doc_id, doc_id)


_catalogs: "weakref.WeakKeyDictionary[IndexStore, Catalog]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def catalog_for(store: IndexStore) -> Catalog:
    """The catalog of ``store``, built on first use (about a second) and reused."""
    found = _catalogs.get(store)
    if found is None:
        with _lock:
            found = _catalogs.get(store)
            if found is None:
                found = _catalogs[store] = Catalog(store)
    return found
