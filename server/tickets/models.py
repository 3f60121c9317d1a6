"""Requests, their threads, attachments, topics and per-recipient popup state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpmenu.db import Base, JSONType, UTCDateTime


class TicketSettings(Base):
    """Per-site settings of the requests feature, and the counter that numbers requests."""

    __tablename__ = "ticket_settings"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    )
    # The last number handed out; the next request gets last_number + 1 (an UPDATE ... RETURNING
    # on this row, which serialises concurrent creators on both databases).
    last_number: Mapped[int] = mapped_column(default=1000)
    snooze_seconds: Mapped[int] = mapped_column(default=3600)
    anonymous_contact: Mapped[bool] = mapped_column(default=True)


class Topic(Base):
    """A message type of seed 004, from the site's own list (admins edit it)."""

    __tablename__ = "ticket_topics"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # "support" for the topic of support's own messages; None for the site's ordinary topics.
    system: Mapped[str | None] = mapped_column(String(20), default=None)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Ticket(Base):
    """A request: numbered within its site, seen by its owner (an account, or one user)."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("site_id", "number", name="uq_tickets_number"),
        # One request per submission: a retried POST with the same Idempotency-Key finds it.
        UniqueConstraint("site_id", "requester_id", "idempotency_key", name="uq_tickets_idempotency"),
        Index("ix_tickets_owner_updated", "site_id", "owner", "updated_at"),
        Index("ix_tickets_queue", "site_id", "status", "importance_rank", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    # "acc:<account>" for an identified user of an account, else the user id ("u:…" / "a:…").
    owner: Mapped[str] = mapped_column(String(310))
    account: Mapped[str | None] = mapped_column(String(300), default=None)
    requester_id: Mapped[str] = mapped_column(String(310))
    requester_name: Mapped[str | None] = mapped_column(String(300), default=None)
    requester_email: Mapped[str | None] = mapped_column(String(254), default=None)
    anonymous: Mapped[bool] = mapped_column(default=False)
    topic_id: Mapped[int] = mapped_column(ForeignKey("ticket_topics.id"))
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text)
    importance: Mapped[str] = mapped_column(String(10))
    importance_rank: Mapped[int] = mapped_column()  # 0 critical … 3 low: the queue order
    status: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10), default="widget")  # widget, support, chat
    context: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), default=None
    )
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)
    rating: Mapped[int | None] = mapped_column(default=None)
    rating_comment: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Attachment(Base):
    """One stored file: a random name on disk, the original name only as metadata."""

    __tablename__ = "ticket_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketMessage(Base):
    """One entry of a request's thread: customer, agent, note (staff only), status, rating."""

    __tablename__ = "ticket_messages"
    __table_args__ = (Index("ix_ticket_messages_thread", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    author_name: Mapped[str | None] = mapped_column(String(300), default=None)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), default=None
    )
    body: Mapped[str] = mapped_column(Text, default="")
    status_from: Mapped[str | None] = mapped_column(String(20), default=None)
    status_to: Mapped[str | None] = mapped_column(String(20), default=None)
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket_attachments.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Notification(Base):
    """News for a widget audience: one user ("u:…", "a:…") or a whole account ("acc:…")."""

    __tablename__ = "ticket_notifications"
    __table_args__ = (Index("ix_ticket_notifications_audience", "site_id", "audience", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(ForeignKey("ticket_messages.id", ondelete="CASCADE"))
    audience: Mapped[str] = mapped_column(String(310))
    kind: Mapped[str] = mapped_column(String(10))  # reply, status, message
    preview: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Receipt(Base):
    """What one recipient did with a notification: snoozed until, dismissed, or read."""

    __tablename__ = "ticket_receipts"
    __table_args__ = (UniqueConstraint("notification_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("ticket_notifications.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column(String(310))
    state: Mapped[str] = mapped_column(String(10))  # snoozed, dismissed, read
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
