"""The console's Requests section: the queue, one request, replies and notes, changes, support's
own messages, and the site's topics. Templates live beside this module and extend the console's
layout; strings come from ``locales/`` here, falling back to the console's own catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.templating import Jinja2Templates

from helpmenu.auth.models import Staff
from helpmenu.console import templates_dir as console_templates
from helpmenu.console.guard import Console, NotFound, console, console_page
from helpmenu.console.i18n import feature_translator
from helpmenu.console.rendering import console_base, site_url
from helpmenu.context import Services, services
from helpmenu.db import transaction
from helpmenu.http import ApiError
from helpmenu.tickets import email, notifications, service, staff
from helpmenu.tickets.attachments import (
    AttachmentStore,
    IncomingFile,
    check_name,
    download_response,
    sniff,
)
from helpmenu.tickets.models import Attachment, Ticket, TicketSettings, Topic

HERE = Path(__file__).parent
_env = Environment(
    loader=ChoiceLoader([FileSystemLoader(HERE / "templates"), FileSystemLoader(console_templates)]),
    autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
)
_templates = Jinja2Templates(env=_env)


def render(request: Request, ctx: Console, name: str, context: dict[str, Any],
           status_code: int = 200) -> Response:
    base = console_base(request)
    full = ctx.context("requests", **context)
    site_id = full.get("site_query")

    url = site_url(base, site_id)
    full.update(t=feature_translator(HERE / "locales", ctx.locale), locale=ctx.locale, url=url,
                static=lambda path: f"{base}/static/{path}",
                own_static=lambda path: f"{base}/requests/static/{path}")
    return _templates.TemplateResponse(request, name, full, status_code=status_code)


def _store(svc: Services) -> AttachmentStore:
    return AttachmentStore(svc.settings.data_dir / "attachments")


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


@console_page
async def inbox(request: Request) -> Response:
    ctx = console(request)
    if ctx.site is None:
        return render(request, ctx, "requests_inbox.html", {"rows": [], "total": 0,
                                                              "filters": {}, "page": 1})
    site = ctx.site
    q = request.query_params
    status = q.get("status", "active")
    assignee = q.get("assignee", "")
    flt = staff.InboxFilter(
        status=status or None, topic_id=_int(q.get("topic")), importance=q.get("importance") or None,
        account=q.get("account") or None, query=q.get("q") or None,
        assignee_id=0 if assignee == "none" else _int(assignee))
    page = _int(q.get("page")) or 1
    svc = services(request)
    async with transaction(svc.sessions) as db:
        await service.ensure_site(db, site.id, await _locale(svc, site.id))
        rows, total = await staff.inbox(db, site.id, flt, page)
        topic_list = await service.topics(db, site.id, everything=True)
        people = await staff.site_staff(db, site.id)
        accounts = await staff.accounts(db, site.id)
    return render(request, ctx, "requests_inbox.html", {
        "rows": rows, "total": total, "page": page, "pages": max(1, -(-total // staff.PAGE)),
        "topics": {t.id: t.name for t in topic_list}, "topic_list": topic_list,
        "people": {p.id: p.name for p in people}, "staff_list": people, "accounts": accounts,
        "filters": {"status": status, "topic": q.get("topic", ""), "assignee": assignee,
                    "importance": q.get("importance", ""), "account": q.get("account", ""),
                    "q": q.get("q", "")},
        "statuses": service.STATUSES, "importances": service.IMPORTANCE,
    })


async def _locale(svc: Services, site_id: int) -> str:
    async with svc.sessions() as db:
        from helpmenu.sites.models import Site

        site = await db.get(Site, site_id)
        return site.default_locale if site else "en"


async def _load(svc: Services, site_id: int, number: int) -> Ticket:
    async with svc.sessions() as db:
        ticket = await staff.find(db, site_id, number)
    if ticket is None:
        raise NotFound
    return ticket


@console_page
async def show(request: Request) -> Response:
    return await _show(request)


async def _show(request: Request, *, errors: dict[str, str] | None = None,
                status_code: int = 200) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    svc = services(request)
    async with svc.sessions() as db:
        ticket = await staff.find(db, site.id, request.path_params["number"])
        if ticket is None:
            raise NotFound
        entries = await service.thread(db, ticket, internal=True)
        topic_list = await service.topics(db, site.id, everything=True)
        people = await staff.site_staff(db, site.id)
    return render(request, ctx, "requests_show.html", {
        "ticket": ticket, "entries": entries, "topic_list": topic_list,
        "topics": {t.id: t.name for t in topic_list}, "staff_list": people,
        "people": {p.id: p.name for p in people}, "statuses": service.STATUSES,
        "importances": service.IMPORTANCE, "errors": errors or {},
        "context_items": sorted((ticket.context or {}).items()),
        "notice": request.query_params.get("done"),
    }, status_code=status_code)


async def _upload(svc: Services, form: Any) -> IncomingFile | None:
    """The console form's file (parsed by the console guard, spooled to disk by Starlette), copied
    into the incoming folder with the same limit and content checks as the widget's uploads."""
    files = [v for v in form.getlist("file") if isinstance(v, UploadFile) and v.filename]
    if not files:
        return None
    if len(files) > 1:
        raise ApiError(422, "one_file_only", "only one file can be attached", field="file")
    upload, store = files[0], _store(svc)
    path, size, head = store.new_incoming(), 0, b""
    import hashlib

    digest = hashlib.sha256()
    try:
        with path.open("xb") as out:
            while chunk := await upload.read(64 * 1024):
                size += len(chunk)
                if size > svc.settings.upload_max_bytes:
                    raise ApiError(413, "file_too_large", "the file is too large", field="file")
                head = head if len(head) >= 8192 else head + chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        kind = sniff(head)
        if kind is None:
            raise ApiError(415, "type_not_allowed", "this type of file cannot be attached",
                           field="file")
        check_name(upload.filename or "", kind)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return IncomingFile(path, upload.filename or "file", kind, size, digest.hexdigest())


@console_page
async def reply(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    svc = services(request)
    ticket = await _load(svc, site.id, request.path_params["number"])
    form = await request.form()
    internal = form.get("internal") == "1"
    try:
        file = await _upload(svc, form)
    except ApiError as exc:
        await form.close()
        return await _show(request, errors={"file": exc.code},
                                      status_code=exc.status)
    store = _store(svc)
    try:
        async with transaction(svc.sessions) as db:
            ticket = await _reload(db, ticket)
            me = await db.get(Staff, ctx.user.staff.id)
            assert me is not None  # noqa: S101 - logged in
            audiences = await staff.reply(db, ticket, me, form.get("body"), internal=internal,
                                          now=svc.clock.now(), attachment=file)
            if file is not None:
                with store.placing([file]):
                    await db.flush()
    except service.FieldErrors as exc:
        return await _show(request, errors=exc.errors,
                                      status_code=400)
    finally:
        await form.close()
        if file is not None:
            file.path.unlink(missing_ok=True)
    await notifications.publish(svc.broker, site.id, audiences)
    if not internal:
        email.later(svc.settings, email.reply_mail(ticket.requester_email, ticket.number,
                                                   ticket.subject, str(form.get("body") or "")))
    return _back(request, ctx, ticket.number, "note" if internal else "replied")


async def _reload(db: Any, ticket: Ticket) -> Ticket:
    fresh = await db.get(Ticket, ticket.id)
    if fresh is None:
        raise NotFound
    return fresh  # type: ignore[no-any-return]


@console_page
async def update(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    svc = services(request)
    ticket = await _load(svc, site.id, request.path_params["number"])
    form = await request.form()
    assignee = str(form.get("assignee", ""))
    try:
        async with transaction(svc.sessions) as db:
            ticket = await _reload(db, ticket)
            me = await db.get(Staff, ctx.user.staff.id)
            assert me is not None  # noqa: S101 - logged in
            audiences = await staff.change(
                db, ticket, me, now=svc.clock.now(), status=str(form.get("status")) or None,
                topic_id=_int(str(form.get("topic", ""))),
                importance=str(form.get("importance", "")) or None,
                assignee_id=None if assignee == "none" else _int(assignee) or -1)
    except service.FieldErrors as exc:
        return await _show(request, errors=exc.errors,
                                      status_code=400)
    await notifications.publish(svc.broker, site.id, audiences)
    if audiences:  # the status changed
        email.later(svc.settings, email.status_mail(ticket.requester_email, ticket.number,
                                                    ticket.subject, ticket.status))
    return _back(request, ctx, ticket.number, "saved")


def _back(request: Request, ctx: Console, number: int, done: str) -> Response:
    site = ctx.require_site()
    query = {"site": site.id} if len(ctx.sites) > 1 else {}
    query["done"] = done  # type: ignore[assignment]
    return RedirectResponse(f"{console_base(request)}/requests/{number}?{urlencode(query)}",
                            status_code=303)


@console_page
async def file(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    svc = services(request)
    async with svc.sessions() as db:
        row = (await db.execute(select(Attachment).join(Ticket, Ticket.id == Attachment.ticket_id)
                                .where(Attachment.id == request.path_params["file_id"],
                                       Attachment.site_id == site.id,
                                       Ticket.number == request.path_params["number"]))).first()
    if row is None:
        raise NotFound
    attachment: Attachment = row[0]
    path = _store(svc).path(attachment.storage_name)
    if not path.exists():
        raise NotFound
    response: FileResponse = download_response(path, attachment.original_name,
                                               attachment.content_type)
    return response


@console_page
async def compose(request: Request) -> Response:
    return await _compose(request)


async def _compose(request: Request, *, errors: dict[str, str] | None = None,
                   form: dict[str, str] | None = None, status_code: int = 200) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    svc = services(request)
    async with svc.sessions() as db:
        users = await staff.requesters(db, site.id)
        accounts = await staff.accounts(db, site.id)
    return render(request, ctx, "requests_message.html", {
        "users": users, "accounts": accounts, "errors": errors or {},
        "form": form or {"target": "", "subject": "", "body": ""},
    }, status_code=status_code)


@console_page
async def send(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    svc = services(request)
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("target", "subject", "body")}
    target = values["target"]
    async with svc.sessions() as db:
        known = {uid: acc for uid, acc, _ in await staff.requesters(db, site.id)}
    account = known.get(target)
    if not target.startswith("acc:") and target not in known:
        return await _compose(request, errors={"target": "invalid"},
                                         form=values, status_code=400)
    try:
        async with transaction(svc.sessions) as db:
            me = await db.get(Staff, ctx.user.staff.id)
            assert me is not None  # noqa: S101 - logged in
            ticket, audiences = await staff.support_message(
                db, site.id, me, target=target, account=account, subject=values["subject"],
                body=values["body"], now=svc.clock.now(), site_locale=await _locale(svc, site.id))
    except service.FieldErrors as exc:
        return await _compose(request, errors=exc.errors, form=values,
                                         status_code=400)
    await notifications.publish(svc.broker, site.id, audiences)
    return _back(request, ctx, ticket.number, "sent")


@console_page
async def options(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    svc = services(request)
    errors: dict[str, str] = {}
    status_code = 200
    if request.method == "POST":
        site = ctx.require_admin()
        form = await request.form()
        names = [n.strip() for n in str(form.get("topics", "")).splitlines() if n.strip()]
        snooze = str(form.get("snooze_seconds", ""))
        if not names or any(len(n) > service.LIMITS["topic"] or "\x00" in n for n in names):
            errors["topics"] = "invalid"
        if not snooze.isdigit() or not 1 <= int(snooze) <= 7 * 86400:
            errors["snooze_seconds"] = "invalid"
        if not errors:
            async with transaction(svc.sessions) as db:
                await service.ensure_site(db, site.id, await _locale(svc, site.id))
                await _save_topics(db, site.id, list(dict.fromkeys(names)))
                row = await db.get(TicketSettings, site.id)
                assert row is not None  # noqa: S101 - ensure_site made it
                row.snooze_seconds = int(snooze)
                row.anonymous_contact = form.get("anonymous_contact") == "1"
            return RedirectResponse(console_base(request) + "/requests/options?done=saved"
                                    + (f"&site={site.id}" if len(ctx.sites) > 1 else ""),
                                    status_code=303)
        status_code = 400
    async with transaction(svc.sessions) as db:
        await service.ensure_site(db, site.id, await _locale(svc, site.id))
        topic_list = await service.topics(db, site.id)
        row = await service.site_settings(db, site.id)
    return render(request, ctx, "requests_options.html", {
        "topics_text": "\n".join(t.name for t in topic_list), "options": row, "errors": errors,
        "can_edit": site.is_admin, "notice": request.query_params.get("done"),
    }, status_code=status_code)


async def _save_topics(db: Any, site_id: int, names: list[str]) -> None:
    """Keep topics by name (requests refer to them), hide the removed ones, add the new ones."""
    existing = {t.name: t for t in await service.topics(db, site_id, everything=True)
                if t.system is None}
    for position, name in enumerate(names):
        topic = existing.pop(name, None)
        if topic is None:
            db.add(Topic(site_id=site_id, name=name, position=position, active=True))
        else:
            topic.position, topic.active = position, True
    for topic in existing.values():
        topic.active = False
    await db.flush()


async def stylesheet(request: Request) -> Response:
    return FileResponse(HERE / "static" / "tickets.css", media_type="text/css",
                        headers={"Cache-Control": "public, max-age=300"})


console_routes: list[BaseRoute] = [
    Route("/requests", inbox, name="console:requests"),
    Route("/requests/static/tickets.css", stylesheet, name="console:requests_css"),
    Route("/requests/message", compose, methods=["GET"], name="console:requests_compose"),
    Route("/requests/message", send, methods=["POST"], name="console:requests_send"),
    Route("/requests/options", options, methods=["GET", "POST"], name="console:requests_options"),
    Route("/requests/{number:int}", show, name="console:request"),
    Route("/requests/{number:int}/reply", reply, methods=["POST"], name="console:request_reply"),
    Route("/requests/{number:int}/update", update, methods=["POST"],
          name="console:request_update"),
    Route("/requests/{number:int}/files/{file_id:int}", file, name="console:request_file"),
]
