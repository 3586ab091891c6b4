"""Conversations kept server-side in SQL, apart from the index.

The index folder is replaced by every ingest, so conversations live in
their own database (``settings.conversations_url``: SQLite ``app.db`` in
the data folder by default, any SQLAlchemy URL otherwise).  Each turn keeps
the user's message, the standalone question answered, the answer and a
small ``Memory`` of what a follow-up may point back to.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pydantic import BaseModel, Field
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from planchat.errors import ConversationNotFoundError


class Memory(BaseModel):
    """What a later turn may refer back to: records listed, people named, document and section."""

    question: str
    route: str = "search"
    record_ids: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list)
    section: str | None = None
    kind: str | None = None


class _Base(DeclarativeBase):
    pass


class ConversationRow(_Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class TurnRow(_Base):
    __tablename__ = "turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    route: Mapped[str] = mapped_column(String(10))
    memory: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class ConversationStore:
    def __init__(self, url: str):
        sqlite = url.startswith("sqlite")
        if sqlite and url.startswith("sqlite:///"):
            from pathlib import Path

            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, future=True,
                                    connect_args={"check_same_thread": False, "timeout": 30} if sqlite else {})
        if sqlite:
            @event.listens_for(self.engine, "connect")
            def _pragmas(conn, _record):  # noqa: ANN001 - SQLAlchemy hook signature
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
        _Base.metadata.create_all(self.engine)

    def start(self) -> str:
        conversation_id = uuid.uuid4().hex
        with Session(self.engine) as s, s.begin():
            s.add(ConversationRow(id=conversation_id, created_at=_now()))
        return conversation_id

    def history(self, conversation_id: str, limit: int) -> list[Memory]:
        """The last ``limit`` turns' memories, oldest first; unknown ids raise ConversationNotFoundError."""
        with Session(self.engine) as s:
            if s.get(ConversationRow, conversation_id) is None:
                raise ConversationNotFoundError(conversation_id)
            rows = s.scalars(select(TurnRow.memory).where(TurnRow.conversation_id == conversation_id)
                             .order_by(TurnRow.id.desc()).limit(max(0, limit))).all()
        return [Memory.model_validate(m) for m in reversed(rows)]

    def turns(self, conversation_id: str) -> list[TurnRow]:
        with Session(self.engine, expire_on_commit=False) as s:
            if s.get(ConversationRow, conversation_id) is None:
                raise ConversationNotFoundError(conversation_id)
            return list(s.scalars(select(TurnRow).where(TurnRow.conversation_id == conversation_id)
                                  .order_by(TurnRow.id)))

    def append(self, conversation_id: str, message: str, answer: str, memory: Memory) -> None:
        with Session(self.engine) as s, s.begin():
            s.add(TurnRow(conversation_id=conversation_id, message=message, question=memory.question, answer=answer,
                          route=memory.route, memory=memory.model_dump(), created_at=_now()))

    def close(self) -> None:
        self.engine.dispose()
