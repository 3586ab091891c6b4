"""Typed shapes that flow from ingestion into the index.

A ``Document`` is the cleaned text of one source file; a ``Chunk`` is a
verbatim span of it (``document.text[start:end] == chunk.text``), so any
quote taken from a chunk can be found again in its document.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class DocMeta(BaseModel):
    doc_id: str
    title: str
    publisher: str | None = None
    date: str | None = None
    status: str | None = None
    kind: str | None = None
    file: str


class Document(BaseModel):
    meta: DocMeta
    text: str = Field(description="Cleaned text; all offsets point into it.")
    page_starts: list[int] | None = Field(None, description="Offset where each page begins (PDF only).")
    sha256: str = Field(description="Hash of the source bytes plus the metadata, to skip unchanged documents.")
    removed_lines: int = 0

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def page_at(self, offset: int) -> int | None:
        """1-based page holding ``offset``, or None when the source has no pages."""
        if not self.page_starts:
            return None
        page = 1
        for number, start in enumerate(self.page_starts, start=1):
            if start <= offset:
                page = number
            else:
                break
        return page


ChunkKind = Literal["prose", "table_row", "table"]
SECTION_SEP = " › "


class Chunk(BaseModel):
    chunk_id: str
    doc_id: str
    kind: ChunkKind
    section: list[str] = Field(default_factory=list, description="Heading path, outermost first.")
    page: int | None = None
    start: int
    end: int
    text: str = Field(description="Verbatim span of the cleaned document text.")
    header: str | None = Field(None, description="Table header row carried by a row chunk.")
    ordinal: int = Field(0, description="Position of the chunk in its document, for neighbours.")

    @property
    def section_label(self) -> str:
        return SECTION_SEP.join(self.section)

    def embed_text(self, title: str) -> str:
        """What the embedder and BM25 see: provenance words help both."""
        parts = [title]
        if self.section:
            parts.append(self.section_label)
        if self.header:
            parts.append(self.header.replace("\t", " | "))
        parts.append(self.text.replace("\t", " | "))
        return "\n".join(parts)

    def views(self, title: str) -> list[str]:
        """Texts embedded for this chunk.  A table row gets a second, focused view
        (its section and first cell, i.e. the action or indicator named), so a
        short question about it is not drowned by the row's other columns."""
        views = [self.embed_text(title)]
        if self.kind == "table_row" and self.header:
            first = self.text.split("\t", 1)[0].strip()
            if len(first.split()) >= 3 and "\t" in self.text:
                views.append(f"{self.section_label}\n{first}")
        return views
