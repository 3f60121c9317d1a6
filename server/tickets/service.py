"""Requests: creation, the customer's view, replies, ratings, and what staff do with them.

Every function takes an open session (the caller owns the transaction), the current time and the
identity it acts for; nothing here imports the app. Widget users reach requests only through
:func:`owner_of`: a user of an account sees the account's requests, any other user (anonymous
visitors included) only their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from helpmenu.tickets.attachments import IncomingFile
from helpmenu.tickets.models import Attachment, Ticket, TicketMessage, TicketSettings, Topic

IMPORTANCE = ("low", "normal", "high", "critical")
RANK = {"critical": 0, "high": 1, "normal": 2, "low": 3}
STATUSES = ("new", "open", "waiting", "resolved", "closed")
OPEN_STATUSES = ("new", "open", "waiting")
LIMITS = {"subject": 300, "message": 10000, "name": 300, "email": 254, "body": 10000,
          "comment": 2000, "topic": 100}
MAX_CONTEXT = 4096
SUPPORT_TOPIC = "support"
DEFAULT_TOPICS = {
    "en": ["General question", "Technical problem", "Billing and payments", "Suggestion"],
    "uk": ["Загальне питання", "Технічна проблема", "Рахунки та оплата", "Пропозиція"],
}
SUPPORT_TOPIC_NAME = {"en": "Message from support", "uk": "Повідомлення від підтримки"}


class Requester(Protocol):
    """Who asks: a WidgetSession fits, and so does anything with these attributes."""

    @property
    def user_id(self) -> str: ...
    @property
    def anonymous(self) -> bool: ...
    @property
    def name(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def account(self) -> str | None: ...


class FieldErrors(Exception):
    """Bad input: one code per field (answered as 422 with one message per field)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Created:
    ticket: Ticket
    created: bool  # False when an earlier submission with the same idempotency key was found


def owner_of(requester: Requester) -> str:
    """The key a request is filed under: the account of an identified user, else the user."""
    if requester.account and not requester.anonymous:
        return "acc:" + requester.account
    return requester.user_id


def audiences_of(requester: Requester) -> list[str]:
    """Notification audiences that reach this user: themselves and, if any, their account."""
    found = [requester.user_id]
    if requester.account and not requester.anonymous:
        found.append("acc:" + requester.account)
    return found


# ---- validation (pure) ---------------------------------------------------------------------

def clean_text(errors: dict[str, str], name: str, value: object, *, required: bool = True,
               limit: int | None = None) -> str:
    """The text as given (never trimmed or rewritten), or an error code for the field."""
    text = value if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[name] = "invalid"
    elif required and not text.strip():
        errors[name] = "required"
    elif len(text) > (limit or LIMITS[name]):
        errors[name] = "too_long"
    elif "\x00" in text:
        errors[name] = "invalid"
    return text if text.strip() else ""


def clean_context(errors: dict[str, str], value: object) -> dict[str, Any]:
    """What the host passed: a flat object of short scalars (app version, page URL, …)."""
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            errors["context"] = "invalid"
            return {}
    if not isinstance(value, dict) or any(
        not isinstance(v, str | int | float | bool) and v is not None for v in value.values()
    ):
        errors["context"] = "invalid"
        return {}
    if len(json.dumps(value)) > MAX_CONTEXT or "\\u0000" in json.dumps(value):
        errors["context"] = "too_long"
        return {}
    return {str(k): v for k, v in value.items()}


def _email_ok(text: str) -> bool:
    local, at, domain = text.rpartition("@")
    return bool(at and local and "." in domain and " " not in text)


# ---- site defaults ---------------------------------------------------------------------------

def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


_ENSURED: set[tuple[str, int]] = set()


def _db_name(session: AsyncSession) -> str:
    bind = session.get_bind()
    return str(bind.engine.url)


async def ensure_site(session: AsyncSession, site_id: int, locale: str = "en") -> None:
    """Create the site's settings row and default topics the first time (idempotent). Each
    process remembers the sites it has seen, so later calls cost nothing."""
    key = (_db_name(session), site_id)
    if key in _ENSURED:
        return
    insert = _insert(session)
    await session.execute(insert(TicketSettings).values(
        site_id=site_id, last_number=1000, snooze_seconds=3600, anonymous_contact=True,
    ).on_conflict_do_nothing())
    have = await session.scalar(select(func.count()).select_from(Topic).where(Topic.site_id == site_id))
    if have:
        _ENSURED.add(key)
        return
    lang = locale if locale in DEFAULT_TOPICS else "en"
    rows = [{"site_id": site_id, "name": name, "position": i, "active": True, "system": None}
            for i, name in enumerate(DEFAULT_TOPICS[lang])]
    rows.append({"site_id": site_id, "name": SUPPORT_TOPIC_NAME[lang], "position": 99,
                 "active": True, "system": SUPPORT_TOPIC})
    await session.execute(insert(Topic).values(rows).on_conflict_do_nothing())
    _ENSURED.add(key)


async def site_settings(session: AsyncSession, site_id: int) -> TicketSettings:
    found = await session.get(TicketSettings, site_id)
    return found or TicketSettings(site_id=site_id, last_number=1000, snooze_seconds=3600,
                                   anonymous_contact=True)


async def topics(session: AsyncSession, site_id: int, *, everything: bool = False) -> list[Topic]:
    query = select(Topic).where(Topic.site_id == site_id).order_by(Topic.position, Topic.id)
    if not everything:
        query = query.where(Topic.active.is_(True), Topic.system.is_(None))
    return list(await session.scalars(query))


async def _next_number(session: AsyncSession, site_id: int) -> int:
    for _ in range(2):
        number = await session.scalar(
            update(TicketSettings).where(TicketSettings.site_id == site_id)
            .values(last_number=TicketSettings.last_number + 1)
            .returning(TicketSettings.last_number)
        )
        if number is not None:
            return int(number)
        # The row went away (the site was deleted and made again): make it, then number.
        _ENSURED.discard((_db_name(session), site_id))
        await ensure_site(session, site_id)
    raise RuntimeError("no request counter for this site")


def _attachment(site_id: int, ticket_id: int, file: IncomingFile, now: datetime) -> Attachment:
    return Attachment(site_id=site_id, ticket_id=ticket_id, storage_name=file.storage_name,
                      original_name=file.name, content_type=file.content_type, size=file.size,
                      sha256=file.sha256, created_at=now)


# ---- creation --------------------------------------------------------------------------------

async def create_request(
    session: AsyncSession,
    *,
    site_id: int,
    requester: Requester,
    topic: int | str | None,
    subject: object,
    message: object,
    importance: object = "normal",
    context: object = None,
    now: datetime,
    attachment: IncomingFile | None = None,
    idempotency_key: str | None = None,
    contact_name: object = None,
    contact_email: object = None,
    require_contact: bool = False,
    source: str = "widget",
    site_locale: str = "en",
) -> Created:
    """File a new request and return it with its number.

    ``requester`` is the widget identity (a :class:`WidgetSession` or anything with ``user_id``,
    ``anonymous``, ``name``, ``email``, ``account``). ``topic`` is a topic id of the site, or a
    topic name (the chat's "Save as request" passes its own; an unknown name is created). The
    caller owns the transaction and, if ``attachment`` is given, moves the file into place
    inside it (:meth:`AttachmentStore.placing`). With an ``idempotency_key`` a second call for
    the same requester returns the first request (``created=False``); two racing calls are
    settled by the unique constraint (the loser gets ``IntegrityError``; retry to find it).
    Raises :class:`FieldErrors` on bad input.
    """
    await ensure_site(session, site_id, site_locale)
    if idempotency_key:
        earlier = await session.scalar(select(Ticket).where(
            Ticket.site_id == site_id, Ticket.requester_id == requester.user_id,
            Ticket.idempotency_key == idempotency_key))
        if earlier is not None:
            return Created(earlier, False)
    errors: dict[str, str] = {}
    clean_subject = clean_text(errors, "subject", subject)
    clean_message = clean_text(errors, "message", message)
    if importance not in IMPORTANCE:
        errors["importance"] = "invalid"
    clean_ctx = clean_context(errors, context)
    name, email = requester.name, requester.email
    if requester.anonymous:
        name = clean_text(errors, "name", contact_name, required=require_contact) or None
        email = clean_text(errors, "email", contact_email, required=require_contact) or None
        if email and "email" not in errors and not _email_ok(email):
            errors["email"] = "invalid"
    found_topic = await _find_topic(session, site_id, topic, errors, create=source != "widget")
    if errors:
        raise FieldErrors(errors)
    assert found_topic is not None  # noqa: S101 - no errors means a topic was found
    ticket = Ticket(
        site_id=site_id, number=await _next_number(session, site_id), owner=owner_of(requester),
        account=requester.account if not requester.anonymous else None,
        requester_id=requester.user_id, requester_name=name, requester_email=email,
        anonymous=requester.anonymous, topic_id=found_topic.id, subject=clean_subject,
        message=clean_message, importance=str(importance), importance_rank=RANK[str(importance)],
        status="new", source=source, context=clean_ctx, idempotency_key=idempotency_key or None,
        created_at=now, updated_at=now,
    )
    session.add(ticket)
    await session.flush()
    first = TicketMessage(ticket_id=ticket.id, kind="customer", author_name=name,
                          body=clean_message, created_at=now)
    if attachment is not None:
        stored = _attachment(site_id, ticket.id, attachment, now)
        session.add(stored)
        await session.flush()
        first.attachment_id = stored.id
    session.add(first)
    await session.flush()
    return Created(ticket, True)


async def _find_topic(session: AsyncSession, site_id: int, topic: object,
                      errors: dict[str, str], *, create: bool) -> Topic | None:
    if isinstance(topic, str) and topic.strip().isdigit():
        topic = int(topic.strip())
    if isinstance(topic, int) and not isinstance(topic, bool):
        found = await session.scalar(select(Topic).where(
            Topic.id == topic, Topic.site_id == site_id, Topic.active.is_(True),
            Topic.system.is_(None)))
        if found is None:
            errors["topic"] = "invalid"
        return found
    if isinstance(topic, str) and topic.strip() and create:
        name = topic.strip()[: LIMITS["topic"]]
        found = await session.scalar(select(Topic).where(Topic.site_id == site_id,
                                                         Topic.name == name))
        if found is None:
            found = Topic(site_id=site_id, name=name, position=50, active=False, system=None)
            session.add(found)
            await session.flush()
        return found
    errors["topic"] = "required" if not topic else "invalid"
    return None


# ---- the customer's side -------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryFilter:
    status: str | None = None
    topic_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


async def history(session: AsyncSession, site_id: int, owner: str, flt: HistoryFilter,
                  *, page: int, per_page: int) -> tuple[list[tuple[Ticket, str]], int]:
    """A page of the owner's requests with their topic names, newest activity first, and how
    many there are."""
    where = [Ticket.site_id == site_id, Ticket.owner == owner]
    if flt.status:
        where.append(Ticket.status == flt.status)
    if flt.topic_id is not None:
        where.append(Ticket.topic_id == flt.topic_id)
    if flt.since is not None:
        where.append(Ticket.updated_at >= flt.since)
    if flt.until is not None:
        where.append(Ticket.updated_at < flt.until)
    total = await session.scalar(select(func.count()).select_from(Ticket).where(*where)) or 0
    rows = await session.execute(select(Ticket, Topic.name).join(Topic, Topic.id == Ticket.topic_id)
                                 .where(*where)
                                 .order_by(Ticket.updated_at.desc(), Ticket.id.desc())
                                 .offset((page - 1) * per_page).limit(per_page))
    return [(t, name) for t, name in rows.all()], int(total)


async def find_for_owner(session: AsyncSession, site_id: int, owner: str,
                         number: int) -> Ticket | None:
    """A request the owner may see, or None (another account's number is simply not found)."""
    return await session.scalar(select(Ticket).where(
        Ticket.site_id == site_id, Ticket.owner == owner, Ticket.number == number))


async def thread(session: AsyncSession, ticket: Ticket, *,
                 internal: bool) -> list[tuple[TicketMessage, Attachment | None]]:
    """The thread in order; internal notes only when ``internal`` (staff)."""
    query = (select(TicketMessage, Attachment)
             .outerjoin(Attachment, Attachment.id == TicketMessage.attachment_id)
             .where(TicketMessage.ticket_id == ticket.id).order_by(TicketMessage.id))
    if not internal:
        query = query.where(TicketMessage.kind != "note")
    return [(m, a) for m, a in (await session.execute(query)).all()]


async def customer_reply(session: AsyncSession, ticket: Ticket, requester: Requester,
                         body: object, *, now: datetime,
                         attachment: IncomingFile | None = None) -> TicketMessage:
    """The customer answers: a resolved or waiting request opens again."""
    errors: dict[str, str] = {}
    text = clean_text(errors, "body", body, required=attachment is None)
    if errors:
        raise FieldErrors(errors)
    message = TicketMessage(ticket_id=ticket.id, kind="customer", body=text, created_at=now,
                            author_name=requester.name or ticket.requester_name)
    if attachment is not None:
        stored = _attachment(ticket.site_id, ticket.id, attachment, now)
        session.add(stored)
        await session.flush()
        message.attachment_id = stored.id
    session.add(message)
    if ticket.status in ("waiting", "resolved", "closed"):
        ticket.status = "open"
    ticket.updated_at = now
    await session.flush()
    return message


async def rate(session: AsyncSession, ticket: Ticket, score: object, comment: object,
               *, now: datetime) -> None:
    errors: dict[str, str] = {}
    if ticket.status not in ("resolved", "closed"):
        errors["score"] = "not_resolved"
    elif not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        errors["score"] = "invalid"
    text = clean_text(errors, "comment", comment, required=False)
    if errors:
        raise FieldErrors(errors)
    assert isinstance(score, int)  # noqa: S101 - checked above
    ticket.rating = score
    ticket.rating_comment = text or None
    session.add(TicketMessage(ticket_id=ticket.id, kind="rating", body=text,
                              status_to=str(score), created_at=now,
                              author_name=ticket.requester_name))
    await session.flush()
