"""Who may see a console page: the decorator that checks the session, CSRF, origin and site."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from helpmenu.auth.console_session import (
    SAFE_METHODS,
    ConsoleUser,
    csrf_matches,
    current_staff,
    same_origin,
    submitted_csrf,
)
from helpmenu.auth.staff import roles_for
from helpmenu.console.i18n import N_, Translate, translator
from helpmenu.console.rendering import console_base, render
from helpmenu.context import services
from helpmenu.sites.service import list_sites

Endpoint = Callable[[Request], Awaitable[Response]]


class NotFound(Exception):
    """Nothing here for this staff member: unknown, or another site's."""


class Forbidden(Exception):
    """Seen but not allowed: ``reason`` is the locale key that says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SiteRef:
    id: int
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Console:
    """What a console endpoint knows about its request."""

    user: ConsoleUser
    sites: list[SiteRef]
    site: SiteRef | None
    t: Translate

    @property
    def locale(self) -> str:
        return self.user.staff.locale

    def require_site(self) -> SiteRef:
        if self.site is None:
            raise NotFound
        return self.site

    def require_admin(self) -> SiteRef:
        site = self.require_site()
        if not site.is_admin:
            raise Forbidden(N_("errors.admins_only"))
        return site

    def context(self, section: str, **extra: Any) -> dict[str, Any]:
        """The template context shared by every logged-in page."""
        return {
            "staff": self.user.staff,
            "csrf_token": self.user.csrf_token,
            "sites": self.sites,
            "site": self.site,
            "site_query": self.site.id if self.site and len(self.sites) > 1 else None,
            "section": section,
            **extra,
        }


def console(request: Request) -> Console:
    found: Console = request.state.console
    return found


def console_page(endpoint: Endpoint) -> Endpoint:
    """For HTML pages: a visitor not logged in is sent to the log-in page."""
    return _guard(endpoint, api=False)


def console_api(endpoint: Endpoint) -> Endpoint:
    """For JSON endpoints: a visitor not logged in gets 401."""
    return _guard(endpoint, api=True)


def _guard(endpoint: Endpoint, *, api: bool) -> Endpoint:
    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        user = await current_staff(request)
        if user is None:
            if api:
                return JSONResponse({"error": "not_logged_in"}, status_code=401)
            return RedirectResponse(_login_url(request), status_code=303)
        t = translator(user.staff.locale)
        if request.method not in SAFE_METHODS:
            reason = await _unsafe_refusal(request, user)
            if reason is not None:
                return _error(request, user, 403, reason, api=api)
        try:
            request.state.console = await _load(request, user, t)
            return await endpoint(request)
        except NotFound:
            return _error(request, user, 404, N_("errors.not_found"), api=api)
        except Forbidden as exc:
            return _error(request, user, 403, exc.reason, api=api)

    return guarded


async def _unsafe_refusal(request: Request, user: ConsoleUser) -> str | None:
    if not same_origin(request, services(request).settings):
        return N_("errors.bad_origin")
    if not csrf_matches(user.csrf_token, await submitted_csrf(request)):
        return N_("errors.bad_csrf")
    return None


async def _load(request: Request, user: ConsoleUser, t: Translate) -> Console:
    roles = roles_for(user.staff)
    async with services(request).sessions() as session:
        sites = [
            SiteRef(site.id, site.name, roles[site.id])
            for site in await list_sites(session, list(roles))
        ]
    wanted = request.query_params.get("site")
    if wanted is None:
        current = sites[0] if sites else None
    else:
        current = next((s for s in sites if str(s.id) == wanted), None)
        if current is None:
            raise NotFound
    return Console(user=user, sites=sites, site=current, t=t)


def _login_url(request: Request) -> str:
    login = console_base(request) + "/login"
    if request.method != "GET":
        return login
    target = request.url.path + ("?" + request.url.query if request.url.query else "")
    return login + "?" + urlencode({"next": target})


def _error(
    request: Request, user: ConsoleUser, status: int, reason: str, *, api: bool
) -> Response:
    t = translator(user.staff.locale)
    if api:
        return JSONResponse({"error": reason.removeprefix("errors."), "message": t(reason)},
                            status_code=status)
    return render(
        request,
        "error.html",
        {"staff": user.staff, "csrf_token": user.csrf_token, "status": status, "reason": reason},
        locale=user.staff.locale,
        status_code=status,
    )
