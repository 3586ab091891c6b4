"""Incremental, atomic ingest: skip unchanged, replace changed, drop removed, fail safe."""

import shutil

import pytest

from index import generations
from index.search import search
from index.store import IndexStore
from ingest.pipeline import ingest
from planchat.errors import IngestError
from planchat.settings import Settings
from tests.conftest import CORPUS
from tests.docs import make_pdf

DOCS = ["roadmap-to-excellence-2025.txt", "childrens-directorate-plan-2020-21.txt"]


@pytest.fixture
def workspace(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in DOCS:
        shutil.copy(CORPUS / name, corpus / name)
    return corpus, Settings(data_dir=tmp_path / "data", corpus_dir=corpus)


def test_incremental_cycle(workspace):
    corpus, settings = workspace
    first = ingest([corpus], settings=settings)
    assert sorted(first.added) == ["childrens-directorate-plan-2020-21", "roadmap-to-excellence-2025"]
    assert first.chunks > 200

    again = ingest([corpus], settings=settings)
    assert again.unchanged and not again.touched and again.generation == first.generation

    path = corpus / DOCS[0]
    path.write_text(path.read_text() + "\n\nA new closing paragraph about holiday clubs for every child.\n")
    changed = ingest([corpus], settings=settings)
    assert changed.changed == ["roadmap-to-excellence-2025"] and changed.unchanged == ["childrens-directorate-plan-2020-21"]
    store = IndexStore.open(settings)
    assert "holiday clubs" in search(store, "holiday clubs for every child", k=1)[0].chunk.text
    assert store.vectors.count() == store.chunk_count() == changed.chunks
    store.close()

    (corpus / DOCS[1]).unlink()
    removed = ingest([corpus], settings=settings)
    assert removed.removed == ["childrens-directorate-plan-2020-21"]
    store = IndexStore.open(settings)
    assert [d.doc_id for d in store.documents()] == ["roadmap-to-excellence-2025"]
    assert store.vectors.count() == store.chunk_count()
    store.close()


def test_failed_ingest_keeps_previous_index_serving(workspace, tmp_path):
    corpus, settings = workspace
    ingest([corpus], settings=settings)
    before = generations.active(settings.index_root)
    (corpus / "corrupt.pdf").write_bytes(b"%PDF-1.7\n garbage \n%%EOF")
    (corpus / "empty.txt").write_bytes(b"")
    path = corpus / DOCS[0]
    path.write_text(path.read_text().replace("Signs of Safety", "Signs of Danger"))
    with pytest.raises(IngestError) as info:
        ingest([corpus], settings=settings)
    message = str(info.value)
    assert "corrupt.pdf" in message and "empty.txt" in message and "previous index kept" in message
    assert generations.active(settings.index_root) == before
    assert sorted(p.name for p in settings.index_root.glob("gen-*")) == [before.name]
    store = IndexStore.open(settings)
    assert "Signs of Safety" in search(store, "Signs of Safety practice framework", k=1)[0].chunk.text
    store.close()


def test_pdf_ingest_records_pages(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    make_pdf(folder / "short-breaks.pdf", [["Short Breaks Plan", "Overview of respite."],
                                            ["Respite nights", "Families get twelve respite nights a year."]])
    settings = Settings(data_dir=tmp_path / "data")
    ingest([folder], settings=settings)
    store = IndexStore.open(settings)
    hit = search(store, "respite nights a year", k=1)[0].chunk
    assert hit.doc_id == "short-breaks" and hit.page == 2
    store.close()
