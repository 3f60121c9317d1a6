"""What support does with requests: the queue, replies, notes, changes, and its own messages.

Each function that the customer must hear about returns the audiences to tell; the caller
publishes them (:func:`helpmenu.tickets.notifications.publish`) after the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpmenu.auth.models import Staff, StaffRole
from helpmenu.tickets import notifications
from helpmenu.tickets.attachments import IncomingFile
from helpmenu.tickets.models import Attachment, Ticket, TicketMessage, Topic
from helpmenu.tickets.service import (
    IMPORTANCE,
    OPEN_STATUSES,
    RANK,
    STATUSES,
    SUPPORT_TOPIC,
    FieldErrors,
    _attachment,
    _next_number,
    clean_text,
    ensure_site,
)

PAGE = 50


@dataclass(frozen=True)
class InboxFilter:
    status: str | None = "active"  # a status, "active" (new/open/waiting) or None for all
    topic_id: int | None = None
    importance: str | None = None
    account: str | None = None
    assignee_id: int | None = None  # 0: unassigned
    query: str | None = None


async def inbox(session: AsyncSession, site_id: int, flt: InboxFilter,
                page: int = 1) -> tuple[list[Ticket], int]:
    """Seed 000's queue: most important first, then oldest first."""
    where = [Ticket.site_id == site_id]
    if flt.status == "active":
        where.append(Ticket.status.in_(OPEN_STATUSES))
    elif flt.status in STATUSES:
        where.append(Ticket.status == flt.status)
    if flt.topic_id is not None:
        where.append(Ticket.topic_id == flt.topic_id)
    if flt.importance in IMPORTANCE:
        where.append(Ticket.importance == flt.importance)
    if flt.account:
        where.append(Ticket.account == flt.account)
    if flt.assignee_id == 0:
        where.append(Ticket.assignee_id.is_(None))
    elif flt.assignee_id is not None:
        where.append(Ticket.assignee_id == flt.assignee_id)
    if flt.query:
        if flt.query.strip().lstrip("#").isdigit():
            where.append(Ticket.number == int(flt.query.strip().lstrip("#")))
        else:
            where.append(Ticket.subject.contains(flt.query.strip(), autoescape=True))
    total = await session.scalar(select(func.count()).select_from(Ticket).where(*where)) or 0
    rows = await session.scalars(select(Ticket).where(*where)
                                 .order_by(Ticket.importance_rank, Ticket.created_at, Ticket.id)
                                 .offset((page - 1) * PAGE).limit(PAGE))
    return list(rows), int(total)


async def find(session: AsyncSession, site_id: int, number: int) -> Ticket | None:
    return await session.scalar(select(Ticket).where(Ticket.site_id == site_id,
                                                     Ticket.number == number))


async def site_staff(session: AsyncSession, site_id: int) -> list[Staff]:
    return list(await session.scalars(
        select(Staff).join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(StaffRole.site_id == site_id, Staff.is_active.is_(True)).order_by(Staff.name)))


async def accounts(session: AsyncSession, site_id: int) -> list[str]:
    return [a for a in await session.scalars(
        select(Ticket.account).where(Ticket.site_id == site_id, Ticket.account.is_not(None))
        .distinct().order_by(Ticket.account).limit(500)) if a]


async def requesters(session: AsyncSession, site_id: int) -> list[tuple[str, str | None, str]]:
    """Known widget users of the site: (user id, account, name or e-mail), for direct messages."""
    rows = await session.execute(
        select(Ticket.requester_id, Ticket.account, func.max(Ticket.requester_name),
               func.max(Ticket.requester_email))
        .where(Ticket.site_id == site_id, Ticket.source != "support")
        .group_by(Ticket.requester_id, Ticket.account).limit(500))
    return [(uid, acc, name or email or uid) for uid, acc, name, email in rows.all()]


async def reply(session: AsyncSession, ticket: Ticket, staff: Staff, body: object, *,
                internal: bool, now: datetime,
                attachment: IncomingFile | None = None) -> list[str]:
    """An agent's reply (the customer is notified) or internal note (never shown to them)."""
    errors: dict[str, str] = {}
    text = clean_text(errors, "body", body, required=attachment is None)
    if errors:
        raise FieldErrors(errors)
    message = TicketMessage(ticket_id=ticket.id, kind="note" if internal else "agent",
                            body=text, staff_id=staff.id, author_name=staff.name, created_at=now)
    if attachment is not None:
        stored: Attachment = _attachment(ticket.site_id, ticket.id, attachment, now)
        session.add(stored)
        await session.flush()
        message.attachment_id = stored.id
    session.add(message)
    await session.flush()
    if internal:
        return []
    if ticket.status == "new":
        ticket.status = "open"
    if ticket.assignee_id is None:
        ticket.assignee_id = staff.id
    ticket.updated_at = now
    notifications.add(session, ticket, message, "reply", ticket.owner, text or
                      (attachment.name if attachment else ""), now)
    await session.flush()
    return [ticket.owner]


async def change(session: AsyncSession, ticket: Ticket, staff: Staff, *, now: datetime,
                 status: str | None = None, topic_id: int | None = None,
                 importance: str | None = None, assignee_id: int | None = -1) -> list[str]:
    """Re-file a request; a status change is written to the thread and notified."""
    errors: dict[str, str] = {}
    if status is not None and status not in STATUSES:
        errors["status"] = "invalid"
    if importance is not None and importance not in IMPORTANCE:
        errors["importance"] = "invalid"
    if topic_id is not None and await session.scalar(select(Topic.id).where(
            Topic.id == topic_id, Topic.site_id == ticket.site_id)) is None:
        errors["topic"] = "invalid"
    if assignee_id not in (-1, None) and assignee_id not in {
            s.id for s in await site_staff(session, ticket.site_id)}:
        errors["assignee"] = "invalid"
    if errors:
        raise FieldErrors(errors)
    if topic_id is not None:
        ticket.topic_id = topic_id
    if importance is not None:
        ticket.importance, ticket.importance_rank = importance, RANK[importance]
    if assignee_id != -1:
        ticket.assignee_id = assignee_id
    ticket.updated_at = now
    if status is None or status == ticket.status:
        await session.flush()
        return []
    message = TicketMessage(ticket_id=ticket.id, kind="status", status_from=ticket.status,
                            status_to=status, staff_id=staff.id, author_name=staff.name,
                            created_at=now)
    ticket.status = status
    session.add(message)
    await session.flush()
    notifications.add(session, ticket, message, "status", ticket.owner, status, now)
    await session.flush()
    return [ticket.owner]


async def support_message(session: AsyncSession, site_id: int, staff: Staff, *, target: str,
                          account: str | None, subject: object, body: object,
                          now: datetime, site_locale: str = "en") -> tuple[Ticket, list[str]]:
    """Support writes first, to one user (``target`` = their user id) or a whole account
    (``target`` = ``"acc:<account>"``): a numbered request under the "Message from support"
    topic that shows in their history, can be answered, and arrives as a popup."""
    errors: dict[str, str] = {}
    clean_subject = clean_text(errors, "subject", subject)
    text = clean_text(errors, "body", body)
    if not target or len(target) > 310 or not target.startswith(("u:", "a:", "acc:")):
        errors["target"] = "invalid"
    if errors:
        raise FieldErrors(errors)
    await ensure_site(session, site_id, site_locale)
    topic = await session.scalar(select(Topic).where(Topic.site_id == site_id,
                                                     Topic.system == SUPPORT_TOPIC))
    assert topic is not None  # noqa: S101 - ensure_site made it
    if target.startswith("acc:"):
        owner, account, requester = target, target[4:], target
    else:
        owner, requester = ("acc:" + account if account else target), target
    ticket = Ticket(site_id=site_id, number=await _next_number(session, site_id), owner=owner,
                    account=account, requester_id=requester, anonymous=target.startswith("a:"),
                    topic_id=topic.id, subject=clean_subject, message=text, importance="normal",
                    importance_rank=RANK["normal"], status="waiting", source="support",
                    context={}, assignee_id=staff.id, created_at=now, updated_at=now)
    session.add(ticket)
    await session.flush()
    message = TicketMessage(ticket_id=ticket.id, kind="agent", body=text, staff_id=staff.id,
                            author_name=staff.name, created_at=now)
    session.add(message)
    await session.flush()
    notifications.add(session, ticket, message, "message", target, text, now)
    await session.flush()
    return ticket, [target]
