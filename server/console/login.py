"""Logging in and out of the console."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from helpmenu.auth import throttle
from helpmenu.auth.console_session import (
    clear_session_cookie,
    cookie_name,
    csrf_matches,
    current_staff,
    end_session,
    same_origin,
    set_session_cookie,
    start_session,
)
from helpmenu.auth.staff import authenticate
from helpmenu.console.guard import console_page
from helpmenu.console.i18n import N_
from helpmenu.console.rendering import console_base, public_translator, render
from helpmenu.context import services
from helpmenu.db import transaction

# Before anyone is logged in there is no session to hang a CSRF token on, so the log-in form uses
# a double-submit cookie: a forged form from another site cannot know the cookie's value.
LOGIN_COOKIE = "helpmenu_login"
MAX_FIELD = 1024


async def login_form(request: Request) -> Response:
    if await current_staff(request) is not None:
        return RedirectResponse(_safe_next(request, request.query_params.get("next")), 303)
    return _login_page(request, email="", message=None, status_code=200)


async def login(request: Request) -> Response:
    svc = services(request)
    form = await request.form()
    email = _field(form.get("email")).strip()
    password = _field(form.get("password"))
    next_url = _safe_next(request, _field(form.get("next")))
    if not same_origin(request, svc.settings) or not csrf_matches(
        request.cookies.get(LOGIN_COOKIE, ""), _field(form.get("csrf_token"))
    ):
        return _login_page(request, email, N_("login.expired"), 403, next_url)
    if not email or not password:
        return _login_page(request, email, N_("login.missing"), 400, next_url)
    now = svc.clock.now()
    ip = request.client.host if request.client else "unknown"
    limits = throttle.login_limits(email, ip, svc.settings.login_max_failures)
    window = svc.settings.login_window
    async with transaction(svc.sessions) as session:
        try:
            await throttle.check(session, limits, now=now, window=window)
        except throttle.Throttled as exc:
            minutes = -(-exc.retry_after // 60)
            return _login_page(
                request, email, N_("login.throttled"), 429, next_url,
                headers={"Retry-After": str(exc.retry_after)}, minutes=minutes,
            )
        staff = await authenticate(session, email=email, password=password)
        if staff is None:
            await throttle.record_failure(session, limits, now=now, window=window)
        else:
            await throttle.clear(session, limits[0])
            token, _ = await start_session(
                session, staff, now=now, ttl=svc.settings.staff_session_ttl
            )
    if staff is None:
        return _login_page(request, email, N_("login.failed"), 401, next_url)
    response = RedirectResponse(next_url, status_code=303)
    set_session_cookie(response, token, svc.settings)
    response.delete_cookie(LOGIN_COOKIE, path=console_base(request) + "/login")
    return response


@console_page
async def logout(request: Request) -> Response:
    svc = services(request)
    token = request.cookies.get(cookie_name(svc.settings), "")
    async with transaction(svc.sessions) as session:
        await end_session(session, token)
    response = RedirectResponse(console_base(request) + "/login", status_code=303)
    clear_session_cookie(response, svc.settings)
    return response


def _login_page(
    request: Request,
    email: str,
    message: str | None,
    status_code: int,
    next_url: str | None = None,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> Response:
    svc = services(request)
    locale, _ = public_translator(request)
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        {
            "email": email,
            "message": message,
            "message_values": values,
            "csrf_token": token,
            "next": next_url or _safe_next(request, request.query_params.get("next")),
        },
        locale=locale,
        status_code=status_code,
        headers=headers,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path=console_base(request) + "/login",
        secure=svc.settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )
    return response


def _field(value: object) -> str:
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def _safe_next(request: Request, target: str | None) -> str:
    """Where to go after logging in: a console page of ours, never another site."""
    base = console_base(request)
    if target and target.startswith(base + "/") and "\\" not in target and "//" not in target:
        return target
    return base + "/"
