"""Routes that serve the widget: loader, assets, the panel page and the panel's site API."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from helpmenu.auth.widget_session import require_session
from helpmenu.context import services
from helpmenu.http import ApiError
from helpmenu.sites.schedule import is_open, next_opening, parse_schedule
from helpmenu.widget.live import live_socket
from helpmenu.widget.session_api import create_session, session_preflight

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
)
# Right-to-left scripts, by language (the panel's i18n.js knows the same list as a fallback).
RTL_LANGUAGES = {"ar", "he", "iw", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"}


def is_rtl(locale: str) -> bool:
    return locale.split("-")[0].lower() in RTL_LANGUAGES


# The loader's URL sits in host pages and cannot carry a version, so it is revalidated often; the
# hashed assets it pulls in never change and are cached for a year.
LOADER_CACHE = "public, max-age=300, stale-while-revalidate=86400"
IMMUTABLE = "public, max-age=31536000, immutable"


async def loader(request: Request) -> Response:
    assets = services(request).assets
    assets.require()
    headers = {"Cache-Control": LOADER_CACHE, "ETag": assets.loader_etag,
               "Access-Control-Allow-Origin": "*"}
    if request.headers.get("if-none-match") == assets.loader_etag:
        return Response(status_code=304, headers=headers)
    path = assets.root / assets.manifest["loader"]
    return FileResponse(path, media_type="text/javascript; charset=utf-8", headers=headers)


async def asset(request: Request) -> Response:
    path = services(request).assets.file(request.path_params["path"])
    if path is None:
        raise ApiError(404, "not_found", "no such widget asset")
    headers = {"Cache-Control": IMMUTABLE, "Access-Control-Allow-Origin": "*"}
    media = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
             ".json": "application/json"}.get(path.suffix)
    return FileResponse(path, media_type=media, headers=headers)


async def panel(request: Request) -> Response:
    """The iframe page. Only the site's own allowed origins may frame it."""
    svc = services(request)
    svc.assets.require()
    site = await svc.sites.get(request.query_params.get("site", ""))
    if site is None:
        raise ApiError(404, "unknown_site", "no site has this key")
    host_origin = request.query_params.get("origin", "")
    if host_origin not in site.allowed_origins:
        raise ApiError(403, "origin_not_allowed", "this site does not allow pages of this origin")
    locale = svc.assets.pick_locale(request.query_params.get("locale"), site.default_locale)
    config = {
        "site": site.public_key,
        "hostOrigin": host_origin,
        "locale": locale,
        "locales": {code: svc.assets.locale_url(code) for code in svc.assets.locales},
        "rtl": [code for code in svc.assets.locales if is_rtl(code)],
        "api": svc.settings.public_origin,
        "version": svc.assets.manifest.get("version", ""),
    }
    html = _templates.get_template("panel.html").render(
        locale=locale,
        direction="rtl" if is_rtl(locale) else "ltr",
        title=svc.assets.strings(locale).get("panel.title", "Help"),
        css=svc.assets.manifest["panel"]["css"],
        js=svc.assets.manifest["panel"]["js"],
        config=json.dumps(config, separators=(",", ":")),
    )
    ws_origin = svc.settings.public_origin.replace("http", "ws", 1)
    csp = "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        f"connect-src 'self' {ws_origin}",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors " + " ".join(sorted(site.allowed_origins)),
    ])
    return HTMLResponse(html, headers={"Content-Security-Policy": csp, "Cache-Control": "no-cache"})


async def site_info(request: Request) -> Response:
    """What the panel's Contact us view shows: contacts and support hours, open or not now."""
    svc = services(request)
    now = svc.clock.now()
    session = require_session(request, svc.settings.secret_key, now)
    site = await svc.sites.get(session.site_key)
    if site is None or site.id != session.site_id:
        raise ApiError(401, "session_invalid", "the widget session's site no longer exists")
    schedule = parse_schedule(site.schedule)
    opening = next_opening(schedule, now)
    return JSONResponse({
        "name": site.name,
        "default_locale": site.default_locale,
        "contacts": site.contacts or {"phones": [], "emails": []},
        "schedule": site.schedule or {"timezone": "UTC", "weekly": None, "holidays": []},
        "open_now": is_open(schedule, now),
        "next_opening": opening.isoformat().replace("+00:00", "Z") if opening else None,
    }, headers={"Cache-Control": "no-store"})


routes: list[BaseRoute] = [
    Route("/widget.js", loader, name="widget:loader"),
    Route("/widget/assets/{path:path}", asset, name="widget:asset"),
    Route("/panel", panel, name="widget:panel"),
    Route("/api/widget/session", create_session, methods=["POST"], name="widget:session"),
    Route("/api/widget/session", session_preflight, methods=["OPTIONS"]),
    Route("/api/widget/site", site_info, name="widget:site"),
    WebSocketRoute("/api/widget/live", live_socket, name="widget:live"),
]
