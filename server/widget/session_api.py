"""POST /api/widget/session: the loader trades an identity token or anonymous id for a session."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from helpmenu.auth import widget_session
from helpmenu.auth.identity import IdentityError, verify_identity_token
from helpmenu.context import services
from helpmenu.http import ApiError, error_response, read_json_object
from helpmenu.sites.directory import SiteInfo

# The loader sends text/plain so that no CORS preflight costs a round trip before the Help button
# appears; the body is JSON all the same.
CORS_HEADERS = {"Vary": "Origin", "Access-Control-Max-Age": "600"}
MAX_LOCALES = 12


async def session_preflight(request: Request) -> Response:
    # A preflight carries no body, so it cannot know the site: let it through and let the real
    # request be judged by its Origin. Nothing is returned to an origin the site does not allow.
    origin = request.headers.get("origin", "")
    headers = {
        **CORS_HEADERS,
        "Access-Control-Allow-Origin": origin or "*",
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "content-type",
    }
    return Response(status_code=204, headers=headers)


async def create_session(request: Request) -> Response:
    origin = request.headers.get("origin", "")
    cors = {**CORS_HEADERS, "Access-Control-Allow-Origin": origin} if origin else dict(CORS_HEADERS)
    try:
        return await _create_session(request, origin, cors)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, headers=cors, **exc.extra)


async def _create_session(request: Request, origin: str, cors: dict[str, str]) -> Response:
    svc = services(request)
    body = await read_json_object(request)
    key = body.get("site")
    if not isinstance(key, str) or not key:
        raise ApiError(422, "invalid_request", "site is required")
    site = await svc.sites.get(key)
    if site is None:
        raise ApiError(404, "unknown_site", "no site has this key")
    if origin not in site.allowed_origins:
        raise ApiError(403, "origin_not_allowed", "this site does not allow pages of this origin")
    now = svc.clock.now()
    settings = svc.settings
    exp = int((now + timedelta(seconds=settings.widget_session_ttl)).timestamp())
    token = body.get("token")
    anonymous_id: str | None = None
    if token is not None:
        try:
            identity = verify_identity_token(token, site.secrets, now, settings.identity_leeway)
        except IdentityError as exc:
            raise ApiError(401, "invalid_token", exc.message, reason=exc.reason) from None
        session = widget_session.for_identity(site.id, site.public_key, identity, exp)
    else:
        raw_id = body.get("anonymous_id")
        anonymous_id = raw_id if isinstance(raw_id, str) else None
        if not widget_session.check_anonymous_id(anonymous_id, settings.secret_key, key):
            anonymous_id = widget_session.new_anonymous_id(settings.secret_key, key)
        assert anonymous_id is not None  # noqa: S101 - set just above
        session = widget_session.for_anonymous(site.id, site.public_key, anonymous_id, exp)
    return JSONResponse(_payload(request, site, session, anonymous_id, body), headers=cors)


def wanted_locales(raw: object) -> list[str]:
    """The loader's languages, best first: one tag, or a list of them (boot, data-locale, the
    page's lang, the browser's). Anything else is ignored, and the list is capped: it is input."""
    items = raw if isinstance(raw, list) else [raw]
    return [item for item in items[:MAX_LOCALES] if isinstance(item, str) and len(item) <= 35]


def _payload(
    request: Request,
    site: SiteInfo,
    session: widget_session.WidgetSession,
    anonymous_id: str | None,
    body: dict[str, object],
) -> dict[str, object]:
    svc = services(request)
    svc.assets.require()
    locale = svc.assets.pick_locale(*wanted_locales(body.get("locale")), site.default_locale)
    now = svc.clock.now()
    strings = {k: v for k, v in svc.assets.strings(locale).items() if k.startswith("loader.")}
    return {
        "session": widget_session.issue(session, svc.settings.secret_key, now),
        "expires_in": session.expires_at - int(now.timestamp()),
        "user": session.public_user(),
        "anonymous_id": anonymous_id,
        "locale": locale,
        "site": {"name": site.name, "default_locale": site.default_locale},
        "strings": strings,
        # Before the launcher is drawn: only what differs from the defaults (a few dozen bytes).
        "theme": site.theme,
        # The frame chunk the loader imports when the user shows intent: named here, not in the
        # loader, so that a loader cached from an older build still gets a file this server has.
        "frame": "/widget/assets/" + str(svc.assets.manifest["frame"]),
    }
