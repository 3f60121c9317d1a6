"""The agents' chat desk in the console: the page, its script and styles, its socket, and the
canned responses admins manage. ``console_routes`` replaces the console's Chats placeholder."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import delete, select
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.templating import Jinja2Templates

from helpmenu.chat.hub import agent_socket
from helpmenu.chat.models import CannedResponse
from helpmenu.console import templates_dir
from helpmenu.console.guard import console, console_page
from helpmenu.console.i18n import DEFAULT, LOCALES, Translate, translator
from helpmenu.console.rendering import console_base
from helpmenu.context import services
from helpmenu.db import transaction

HERE = Path(__file__).parent
MAX_TITLE, MAX_TEXT = 80, 2000

_env = Environment(
    loader=ChoiceLoader([FileSystemLoader(HERE / "templates"), FileSystemLoader(templates_dir)]),
    autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
)
_templates = Jinja2Templates(env=_env)


@cache
def strings(locale: str) -> dict[str, str]:
    """The desk's own texts (``desk.*``), in ``locales/<locale>.json`` beside this module."""
    data = json.loads((HERE / "locales" / f"{locale}.json").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def desk_translator(locale: str) -> Translate:
    """The desk's texts first, then the console's (its layout, navigation and empty states)."""
    own = strings(locale if locale in LOCALES else DEFAULT)
    fallback = strings(DEFAULT)
    console_t = translator(locale)

    def t(key: str, **values: Any) -> str:
        text = own.get(key) or fallback.get(key)
        if text is None:
            return console_t(key, **values)
        return text.format_map(values) if values else text

    return t


def _render(request: Request, name: str, context: dict[str, Any], locale: str,
            status_code: int = 200) -> Response:
    base = console_base(request)
    site_id = context.get("site_query")

    def url(path: str, **params: Any) -> str:
        query = {k: v for k, v in params.items() if v is not None}
        if site_id is not None and "site" not in params:
            query = {"site": site_id, **query}
        return base + path + ("?" + urlencode(query) if query else "")

    full = {"t": desk_translator(locale), "locale": locale, "url": url,
            "static": lambda path: f"{base}/static/{path}", **context}
    return _templates.TemplateResponse(request, name, full, status_code=status_code)


async def _canned(request: Request, site_id: int) -> list[CannedResponse]:
    async with services(request).sessions() as session:
        rows = await session.scalars(select(CannedResponse).where(CannedResponse.site_id == site_id)
                                     .order_by(CannedResponse.title, CannedResponse.id))
        return list(rows)


@console_page
async def desk(request: Request) -> Response:
    ctx = console(request)
    if ctx.site is None:
        return _render(request, "section.html", ctx.context("chats"), ctx.locale)
    canned = [{"id": c.id, "title": c.title, "text": c.text}
              for c in await _canned(request, ctx.site.id)]
    keys = sorted(k for k in strings(DEFAULT) if k.startswith("desk.js."))
    t = desk_translator(ctx.locale)
    config = {"site": ctx.site.id, "me": ctx.user.staff.id, "csrf": ctx.user.csrf_token,
              "socket": console_base(request) + "/chats/socket", "canned": canned,
              "strings": {k.removeprefix("desk.js."): t(k) for k in keys}, "locale": ctx.locale}
    return _render(request, "chat_desk.html", ctx.context(
        "chats", config=json.dumps(config, ensure_ascii=False)), ctx.locale)


@console_page
async def canned_page(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    return _render(request, "chat_canned.html", ctx.context(
        "chats", canned=await _canned(request, site.id), error=None, form={"title": "", "text": ""}),
        ctx.locale)


@console_page
async def canned_add(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_admin()
    form = await request.form()
    title, text = str(form.get("title", "")).strip(), str(form.get("text", "")).strip()
    error = None
    if not title or not text or "\x00" in title + text:
        error = "desk.canned.required"
    elif len(title) > MAX_TITLE or len(text) > MAX_TEXT:
        error = "desk.canned.too_long"
    if error:
        return _render(request, "chat_canned.html", ctx.context(
            "chats", canned=await _canned(request, site.id), error=error,
            form={"title": title, "text": text}), ctx.locale, status_code=400)
    svc = services(request)
    async with transaction(svc.sessions) as session:
        session.add(CannedResponse(site_id=site.id, title=title, text=text,
                                   created_at=svc.clock.now()))
    return RedirectResponse(_canned_url(request, ctx.context("chats")["site_query"]), 303)


@console_page
async def canned_delete(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_admin()
    async with transaction(services(request).sessions) as session:
        await session.execute(delete(CannedResponse).where(
            CannedResponse.site_id == site.id,
            CannedResponse.id == request.path_params["canned_id"]))
    return RedirectResponse(_canned_url(request, ctx.context("chats")["site_query"]), 303)


def _canned_url(request: Request, site_query: int | None) -> str:
    query = "?" + urlencode({"site": site_query}) if site_query else ""
    return f"{console_base(request)}/chats/canned{query}"


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    media = {"desk.js": "text/javascript; charset=utf-8", "desk.css": "text/css; charset=utf-8",
             "ding.wav": "audio/wav"}.get(name)
    if media is None:
        return Response(status_code=404)
    return FileResponse(HERE / "static" / name, media_type=media,
                        headers={"Cache-Control": "no-cache"})


console_routes: list[BaseRoute] = [
    Route("/chats", desk, name="console:chats"),
    Route("/chats/canned", canned_page, methods=["GET"], name="console:chats_canned"),
    Route("/chats/canned", canned_add, methods=["POST"], name="console:chats_canned_add"),
    Route("/chats/canned/{canned_id:int}/delete", canned_delete, methods=["POST"],
          name="console:chats_canned_delete"),
    Route("/chats/static/{name}", asset, name="console:chats_static"),
    WebSocketRoute("/chats/socket", agent_socket, name="console:chats_socket"),
]
