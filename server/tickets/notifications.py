"""Popup notifications: what a widget user has pending, and what they did with each popup.

A notification is written for an *audience*: one user (``u:…``, ``a:…``) or a whole account
(``acc:…``). Each recipient's own state lives in a receipt: snoozed until a time, dismissed, or
read (they opened the request). A notification is pending for a user while it has no receipt of
theirs, or a snooze that has run out. After every change the audience's broker channel hears
``{"kind": "notifications"}``, and every open tab of every recipient asks for its state again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from helpmenu.broker import Broker
from helpmenu.tickets.models import Notification, Receipt, Ticket, TicketMessage, Topic
from helpmenu.widget.live import account_channel, user_channel

PREVIEW = 240
PENDING_LIMIT = 20
ACTIONS = ("snooze", "dismiss", "read")


def channel_of(site_id: int, audience: str) -> str:
    if audience.startswith("acc:"):
        return account_channel(site_id, audience[4:])
    return user_channel(site_id, audience)


async def publish(broker: Broker, site_id: int, audiences: list[str]) -> None:
    """Tell every open tab of these audiences to fetch their popup state again."""
    for audience in dict.fromkeys(audiences):
        await broker.publish(channel_of(site_id, audience), {"kind": "notifications"})


def preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1].rstrip() + "…"


def add(session: AsyncSession, ticket: Ticket, message: TicketMessage, kind: str, audience: str,
        text: str, now: datetime) -> Notification:
    note = Notification(site_id=ticket.site_id, ticket_id=ticket.id, message_id=message.id,
                        audience=audience, kind=kind, preview=preview(text), created_at=now)
    session.add(note)
    return note


@dataclass(frozen=True)
class PopupState:
    items: list[dict[str, Any]]
    unread: int
    wake_at: datetime | None  # when the earliest snooze of this user runs out


def _mine(user_id: str, *states: str) -> Any:
    return exists().where(Receipt.notification_id == Notification.id,
                          Receipt.user_id == user_id, Receipt.state.in_(states))


async def state(session: AsyncSession, site_id: int, user_id: str, audiences: list[str],
                now: datetime) -> PopupState:
    """The user's pending popups (oldest first), unread count and next snooze expiry."""
    blocked = exists().where(
        Receipt.notification_id == Notification.id, Receipt.user_id == user_id,
        or_(Receipt.state.in_(("dismissed", "read")),
            and_(Receipt.state == "snoozed", Receipt.snoozed_until > now)))
    mine = and_(Notification.site_id == site_id, Notification.audience.in_(audiences))
    rows = (await session.execute(
        select(Notification, Ticket.number, Ticket.subject, Topic.system)
        .join(Ticket, Ticket.id == Notification.ticket_id)
        .join(Topic, Topic.id == Ticket.topic_id)
        .where(mine, ~blocked).order_by(Notification.id).limit(PENDING_LIMIT)
    )).all()
    items = [{"id": n.id, "number": number, "kind": n.kind, "preview": n.preview,
              "subject": subject, "support": system == "support",
              "at": n.created_at.isoformat().replace("+00:00", "Z")}
             for n, number, subject, system in rows]
    unread = await session.scalar(
        select(func.count(func.distinct(Notification.ticket_id))).where(mine, ~_mine(user_id, "read")))
    wake = await session.scalar(
        select(func.min(Receipt.snoozed_until)).join(Notification,
                                                      Notification.id == Receipt.notification_id)
        .where(mine, Receipt.user_id == user_id, Receipt.state == "snoozed",
               Receipt.snoozed_until > now))
    return PopupState(items, int(unread or 0), wake)


async def unread_by_ticket(session: AsyncSession, site_id: int, user_id: str,
                           audiences: list[str], ticket_ids: list[int]) -> dict[int, int]:
    if not ticket_ids:
        return {}
    rows = await session.execute(
        select(Notification.ticket_id, func.count()).where(
            Notification.site_id == site_id, Notification.audience.in_(audiences),
            Notification.ticket_id.in_(ticket_ids), ~_mine(user_id, "read"))
        .group_by(Notification.ticket_id))
    return {ticket_id: int(count) for ticket_id, count in rows.all()}


async def act(session: AsyncSession, site_id: int, user_id: str, audiences: list[str],
              notification_id: int, action: str, now: datetime, snooze_seconds: int) -> bool:
    """Record a recipient's choice on one popup; False if it is not theirs (nothing changes)."""
    if action not in ACTIONS:
        return False
    note = await session.scalar(select(Notification).where(
        Notification.id == notification_id, Notification.site_id == site_id,
        Notification.audience.in_(audiences)))
    if note is None:
        return False
    until = now + timedelta(seconds=snooze_seconds) if action == "snooze" else None
    await _upsert(session, note.id, user_id, "snoozed" if action == "snooze" else
                  "dismissed" if action == "dismiss" else "read", until, now)
    return True


async def mark_read(session: AsyncSession, site_id: int, user_id: str, audiences: list[str],
                    ticket_id: int, now: datetime) -> bool:
    """The user opened the request: its notifications are read (no popup, no unread mark)."""
    ids = list(await session.scalars(select(Notification.id).where(
        Notification.site_id == site_id, Notification.ticket_id == ticket_id,
        Notification.audience.in_(audiences), ~_mine(user_id, "read"))))
    for note_id in ids:
        await _upsert(session, note_id, user_id, "read", None, now)
    return bool(ids)


async def _upsert(session: AsyncSession, note_id: int, user_id: str, state_: str,
                  until: datetime | None, now: datetime) -> None:
    receipt = await session.scalar(select(Receipt).where(Receipt.notification_id == note_id,
                                                         Receipt.user_id == user_id))
    if receipt is not None:
        if receipt.state == "read" and state_ != "read":
            return  # opened already: nothing to snooze or dismiss
        receipt.state, receipt.snoozed_until, receipt.updated_at = state_, until, now
        await session.flush()
        return
    try:
        async with session.begin_nested():
            session.add(Receipt(notification_id=note_id, user_id=user_id, state=state_,
                                snoozed_until=until, updated_at=now))
    except IntegrityError:  # another tab of the same user won the race: update theirs
        await _upsert(session, note_id, user_id, state_, until, now)
