"""What the database keeps of chats: counts and durations for staff statistics, never text;
and the canned responses admins write for their agents (staff content, not chat text)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpmenu.db import Base, UTCDateTime


class ChatStat(Base):
    """One finished chat as numbers: who answered, how long the visitor waited, how long it ran."""

    __tablename__ = "chat_stats"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True, default=None)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered: Mapped[bool] = mapped_column(default=False)
    wait_seconds: Mapped[int] = mapped_column(default=0)
    duration_seconds: Mapped[int] = mapped_column(default=0)
    visitor_messages: Mapped[int] = mapped_column(default=0)
    agent_messages: Mapped[int] = mapped_column(default=0)
    ended_by: Mapped[str] = mapped_column(String(16))
    saved: Mapped[bool] = mapped_column(default=False)


class CannedResponse(Base):
    """A ready answer agents insert with one click; admins manage them per site."""

    __tablename__ = "chat_canned_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
