"""The widget's requests API (Bearer widget session) and the file download links.

    GET  /api/tickets/meta                 topics, importances, statuses, limits, site options
    POST /api/tickets                      multipart: topic, subject, message, importance,
                                           context, name, email, file; Idempotency-Key header
    GET  /api/tickets                      history page: page, per_page, status, topic, from, to
    GET  /api/tickets/{number}             one request with its thread (no internal notes)
    POST /api/tickets/{number}/messages    multipart: body, file
    POST /api/tickets/{number}/rating      JSON: score 1-5, comment
    GET  /api/tickets/files/{id}?u&e&s     a signed, short-lived download link
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from helpmenu.auth.widget_session import WidgetSession, require_session
from helpmenu.context import Services, services
from helpmenu.db import transaction
from helpmenu.http import ApiError, read_json_object
from helpmenu.tickets import email, notifications, service, staff
from helpmenu.tickets.attachments import (
    AttachmentStore,
    MultipartForm,
    download_response,
    read_multipart,
    signed_query,
    verify_link,
)
from helpmenu.tickets.live import popup_socket
from helpmenu.tickets.models import Attachment, Ticket, TicketMessage, Topic

PER_PAGE = 10
MAX_PER_PAGE = 50
MESSAGES = {
    "required": "this field is required",
    "too_long": "this text is too long",
    "invalid": "this value is not valid",
    "not_resolved": "a request can be rated once it is resolved",
}


_WRITERS: dict[int, asyncio.Lock] = {}


def writer(svc: Services) -> contextlib.AbstractAsyncContextManager[object]:
    """SQLite lets one transaction write at a time and makes the others sleep in its busy
    handler; queueing this process's writers on a lock instead keeps them from sleeping."""
    if not svc.settings.is_sqlite:
        return contextlib.nullcontext()
    return _WRITERS.setdefault(id(svc.engine), asyncio.Lock())


def store_of(svc: Services) -> AttachmentStore:
    return AttachmentStore(svc.settings.data_dir / "attachments")


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def field_errors(exc: service.FieldErrors) -> ApiError:
    fields = {name: {"code": code, "message": MESSAGES.get(code, code)}
              for name, code in exc.errors.items()}
    return ApiError(422, "invalid_fields", "some fields need attention", fields=fields)


async def _session(request: Request) -> tuple[Services, WidgetSession]:
    svc = services(request)
    return svc, require_session(request, svc.settings.secret_key, svc.clock.now())


async def meta(request: Request) -> Response:
    svc, session = await _session(request)
    site = await svc.sites.get(session.site_key)
    locale = site.default_locale if site else "en"
    async with transaction(svc.sessions) as db:
        await service.ensure_site(db, session.site_id, locale)
        found = await service.topics(db, session.site_id)
        options = await service.site_settings(db, session.site_id)
    return JSONResponse({
        "topics": [{"id": t.id, "name": t.name} for t in found],
        "importance": list(service.IMPORTANCE),
        "statuses": list(service.STATUSES),
        "max_file": svc.settings.upload_max_bytes,
        "limits": service.LIMITS,
        "contact_required": session.anonymous and options.anonymous_contact,
    }, headers={"Cache-Control": "no-store"})


async def create(request: Request) -> Response:
    svc, session = await _session(request)
    store = store_of(svc)
    key = request.headers.get("idempotency-key") or None
    if key is not None and len(key) > 100:
        raise ApiError(422, "invalid_idempotency_key", "the Idempotency-Key is too long")
    upload = await read_multipart(request, store, max_file=svc.settings.upload_max_bytes)
    site = await svc.sites.get(session.site_key)
    try:
        async with writer(svc), transaction(svc.sessions) as db:
            options = await service.site_settings(db, session.site_id)
            result = await service.create_request(
                db, site_id=session.site_id, requester=session, topic=upload.fields.get("topic"),
                subject=upload.fields.get("subject"), message=upload.fields.get("message"),
                importance=upload.fields.get("importance", "normal"),
                context=upload.fields.get("context"), now=svc.clock.now(),
                attachment=upload.file, idempotency_key=key,
                contact_name=upload.fields.get("name"), contact_email=upload.fields.get("email"),
                require_contact=options.anonymous_contact,
                site_locale=site.default_locale if site else "en",
            )
            if result.created and upload.file is not None:
                with store.placing([upload.file]):
                    await db.flush()
            ticket = result.ticket
    except service.FieldErrors as exc:
        raise field_errors(exc) from None
    except IntegrityError:
        # A retry racing the first submission: the database kept one, so answer with it.
        async with svc.sessions() as db:
            earlier = await db.scalar(select(Ticket).where(
                Ticket.site_id == session.site_id, Ticket.requester_id == session.user_id,
                Ticket.idempotency_key == key)) if key else None
        if earlier is None:
            raise
        ticket, result = earlier, service.Created(earlier, False)
    finally:
        store.discard(upload)
    if result.created and svc.settings.smtp_url:
        async with svc.sessions() as db:
            emails = [p.email for p in await staff.site_staff(db, session.site_id)]
        email.later(svc.settings, email.new_request_mail(emails, ticket.number, ticket.subject,
                                                         ticket.importance))
    body = {"number": ticket.number, "status": ticket.status, "created": result.created}
    return JSONResponse(body, status_code=201 if result.created else 200)


async def list_requests(request: Request) -> Response:
    svc, session = await _session(request)
    q = request.query_params
    page = _int(q.get("page"), 1, 1, 10_000)
    per_page = _int(q.get("per_page"), PER_PAGE, 1, MAX_PER_PAGE)
    status = q.get("status") or None
    if status is not None and status not in service.STATUSES:
        raise ApiError(422, "invalid_status", "unknown status")
    flt = service.HistoryFilter(
        status=status, topic_id=_int(q.get("topic"), 0, 0, 2**31) or None,
        since=_date(q.get("from")), until=_date(q.get("to"), days=1))
    audiences = service.audiences_of(session)
    async with svc.sessions() as db:
        rows, total = await service.history(db, session.site_id, service.owner_of(session), flt,
                                            page=page, per_page=per_page)
        unread = await notifications.unread_by_ticket(db, session.site_id, session.user_id,
                                                      audiences, [t.id for t, _ in rows])
    return JSONResponse({
        "items": [{"number": t.number, "topic": topic, "subject": t.subject,
                   "status": t.status, "importance": t.importance, "updated_at": iso(t.updated_at),
                   "created_at": iso(t.created_at), "unread": unread.get(t.id, 0)}
                  for t, topic in rows],
        "total": total, "page": page, "per_page": per_page,
    }, headers={"Cache-Control": "no-store"})


async def detail(request: Request) -> Response:
    svc, session = await _session(request)
    now = svc.clock.now()
    audiences = service.audiences_of(session)
    async with transaction(svc.sessions) as db:
        ticket = await _ticket(db, request, session)
        entries = await service.thread(db, ticket, internal=False)
        names = await _topic_names(db, [ticket.topic_id])
        changed = await notifications.mark_read(db, session.site_id, session.user_id, audiences,
                                                ticket.id, now)
    if changed:
        await notifications.publish(svc.broker, session.site_id, [session.user_id])
    return JSONResponse(_detail(svc, session, ticket, names, entries),
                        headers={"Cache-Control": "no-store"})


async def reply(request: Request) -> Response:
    svc, session = await _session(request)
    store = store_of(svc)
    async with svc.sessions() as db:
        await _ticket(db, request, session)  # 404 before reading a byte of another's upload
    upload: MultipartForm | None = None
    try:
        upload = await read_multipart(request, store, max_file=svc.settings.upload_max_bytes)
        async with writer(svc), transaction(svc.sessions) as db:
            ticket = await _ticket(db, request, session)
            message = await service.customer_reply(db, ticket, session, upload.fields.get("body"),
                                                   now=svc.clock.now(), attachment=upload.file)
            if upload.file is not None:
                with store.placing([upload.file]):
                    await db.flush()
    except service.FieldErrors as exc:
        raise field_errors(exc) from None
    finally:
        store.discard(upload)
    return JSONResponse({"id": message.id, "status": ticket.status}, status_code=201)


async def rating(request: Request) -> Response:
    svc, session = await _session(request)
    body = await read_json_object(request)
    try:
        async with transaction(svc.sessions) as db:
            ticket = await _ticket(db, request, session)
            await service.rate(db, ticket, body.get("score"), body.get("comment"),
                               now=svc.clock.now())
    except service.FieldErrors as exc:
        raise field_errors(exc) from None
    return JSONResponse({"rating": ticket.rating, "comment": ticket.rating_comment})


async def download(request: Request) -> Response:
    """A file through a link minted for one widget user; anything else is 404."""
    svc = services(request)
    now = svc.clock.now()
    attachment_id = request.path_params["file_id"]
    user_id = verify_link(svc.settings.secret_key, attachment_id, dict(request.query_params),
                          now.timestamp())
    if user_id is None:
        raise ApiError(404, "not_found", "no such file, or the link has expired")
    async with svc.sessions() as db:
        row = (await db.execute(select(Attachment, Ticket).join(Ticket, Ticket.id ==
                                                                 Attachment.ticket_id)
                                .where(Attachment.id == attachment_id))).first()
    if row is None:
        raise ApiError(404, "not_found", "no such file, or the link has expired")
    attachment, ticket = row
    # The link names the user it was made for and the owner whose requests they saw it in.
    if user_id.partition("|")[2] != ticket.owner:
        raise ApiError(404, "not_found", "no such file, or the link has expired")
    path = store_of(svc).path(attachment.storage_name)
    if not path.exists():
        raise ApiError(404, "not_found", "the file is no longer stored")
    return download_response(path, attachment.original_name, attachment.content_type)


def file_link(svc: Services, session: WidgetSession, attachment: Attachment) -> str:
    """A download URL bound to this session's user, the owner they see it under, and the file."""
    who = f"{session.user_id}|{service.owner_of(session)}"
    query = signed_query(svc.settings.secret_key, attachment_id=attachment.id, user_id=who,
                         now=svc.clock.now().timestamp(), session_expires=session.expires_at)
    return f"{svc.settings.public_origin}/api/tickets/files/{attachment.id}?{query}"


def _detail(svc: Services, session: WidgetSession, ticket: Ticket, names: dict[int, str],
            entries: list[tuple[TicketMessage, Attachment | None]]) -> dict[str, Any]:
    return {
        "number": ticket.number, "topic": names.get(ticket.topic_id, ""),
        "subject": ticket.subject, "status": ticket.status, "importance": ticket.importance,
        "created_at": iso(ticket.created_at), "updated_at": iso(ticket.updated_at),
        "rating": ticket.rating, "rating_comment": ticket.rating_comment,
        "support": ticket.source == "support",
        "thread": [{
            "id": m.id, "kind": m.kind, "author": m.author_name, "body": m.body,
            "status": m.status_to, "at": iso(m.created_at),
            "file": None if a is None else {"name": a.original_name, "size": a.size,
                                            "type": a.content_type,
                                            "url": file_link(svc, session, a)},
        } for m, a in entries],
    }


async def _ticket(db: Any, request: Request, session: WidgetSession) -> Ticket:
    raw = request.path_params["number"]
    ticket = await service.find_for_owner(db, session.site_id, service.owner_of(session), raw)
    if ticket is None:
        raise ApiError(404, "not_found", "no such request")
    return ticket


async def _topic_names(db: Any, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await db.execute(select(Topic.id, Topic.name).where(Topic.id.in_(set(ids))))
    return dict(rows.all())


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ApiError(422, "invalid_query", "a number in the query is out of range")
    return int(raw)


def _date(raw: str | None, days: int = 0) -> datetime | None:
    if not raw:
        return None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise ApiError(422, "invalid_date", "dates are written YYYY-MM-DD") from None
    return day + timedelta(days=days)


routes: list[BaseRoute] = [
    Route("/api/tickets/meta", meta, name="tickets:meta"),
    Route("/api/tickets", create, methods=["POST"], name="tickets:create"),
    Route("/api/tickets", list_requests, methods=["GET"], name="tickets:list"),
    Route("/api/tickets/files/{file_id:int}", download, name="tickets:file"),
    Route("/api/tickets/{number:int}", detail, name="tickets:detail"),
    Route("/api/tickets/{number:int}/messages", reply, methods=["POST"], name="tickets:reply"),
    Route("/api/tickets/{number:int}/rating", rating, methods=["POST"], name="tickets:rating"),
    WebSocketRoute("/api/widget/popups", popup_socket, name="tickets:popups"),
]


async def startup(svc: Services) -> int:
    """Remove what interrupted uploads left on disk (run once when the app starts)."""
    store = store_of(svc)
    if not store.root.exists():
        return 0
    async with svc.sessions() as db:
        known = set(await db.scalars(select(Attachment.storage_name)))
    return await asyncio.to_thread(store.cleanup, known.__contains__)
