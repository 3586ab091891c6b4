"""The planchat command line over the session index."""

import json

from click.testing import CliRunner

from planchat.cli import main


def test_status_lists_documents_and_chunks(built_index, store):
    result = CliRunner().invoke(main, ["status", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert len(info["documents"]) == 5 and info["chunks"] == store.chunk_count() > 500
    assert info["index"] == str(store.folder) and info["last_ingest"]


def test_search_prints_doc_section_offsets_and_score(built_index):
    result = CliRunner().invoke(main, ["search", "Signs of Safety practice framework", "-k", "2"])
    assert result.exit_code == 0, result.output
    first = result.output.split("\n2. ")[0]
    assert first.startswith("1. roadmap-to-excellence-2025 [") and "score" in first
    assert "section: Priority One: Excellent Help and Protection" in first
    assert "1.3 Implementation and embedding of Signs of Safety" in first


def test_ingest_error_is_one_clear_line(tmp_path, monkeypatch):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 nonsense")
    monkeypatch.setenv("PLANCHAT_DATA_DIR", str(tmp_path / "data"))
    from planchat.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["ingest", str(bad)])
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "error: ingest aborted, previous index kept serving" in result.output and "bad.pdf" in result.output
