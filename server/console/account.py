"""A staff member's own account: the console language and their password."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from helpmenu.auth.console_session import end_other_sessions
from helpmenu.auth.passwords import MIN_LENGTH, PasswordError, verify_password
from helpmenu.auth.staff import CONSOLE_LOCALES, StaffError, get_staff, set_locale, set_password
from helpmenu.console.guard import Console, console, console_page
from helpmenu.console.i18n import N_
from helpmenu.console.rendering import console_base, render
from helpmenu.context import services
from helpmenu.db import transaction


@console_page
async def show(request: Request) -> Response:
    ctx = console(request)
    notice = {"language": N_("account.language_saved"),
              "password": N_("account.password_saved")}.get(request.query_params.get("done", ""))
    return _page(request, ctx, notice=notice)


@console_page
async def language(request: Request) -> Response:
    ctx = console(request)
    form = await request.form()
    locale = form.get("locale")
    svc = services(request)
    async with transaction(svc.sessions) as session:
        staff = await get_staff(session, ctx.user.staff.id)
        if staff is None or not isinstance(locale, str):
            return _page(request, ctx, errors={"locale": N_("account.error.locale")}, status=400)
        try:
            await set_locale(session, staff, locale)
        except StaffError:
            return _page(request, ctx, errors={"locale": N_("account.error.locale")}, status=400)
    return _back(request, ctx, "language")


@console_page
async def password(request: Request) -> Response:
    ctx = console(request)
    form = await request.form()
    current, new, repeat = (_text(form.get(k)) for k in ("current", "new", "repeat"))
    if not verify_password(ctx.user.staff.password_hash, current):
        return _page(request, ctx, errors={"current": N_("account.error.current")}, status=400)
    if new != repeat:
        return _page(request, ctx, errors={"repeat": N_("account.error.repeat")}, status=400)
    svc = services(request)
    async with transaction(svc.sessions) as session:
        staff = await get_staff(session, ctx.user.staff.id)
        if staff is None:
            return _page(request, ctx, errors={"current": N_("account.error.current")}, status=400)
        try:
            await set_password(session, staff, new)
        except PasswordError as exc:
            key = {"too_short": N_("account.error.too_short"),
                   "too_long": N_("account.error.too_long")}[exc.code]
            return _page(request, ctx, errors={"new": key}, status=400)
        # Whoever else was logged in as this person (a stolen session, say) is logged out.
        await end_other_sessions(session, staff.id, ctx.user.session_id)
    return _back(request, ctx, "password")


def _page(
    request: Request,
    ctx: Console,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
    notice: str | None = None,
) -> Response:
    context: dict[str, Any] = ctx.context(
        "account",
        errors=errors or {},
        notice=notice,
        console_locales=CONSOLE_LOCALES,
        min_length=MIN_LENGTH,
    )
    return render(request, "account.html", context, locale=ctx.locale, status_code=status)


def _back(request: Request, ctx: Console, done: str) -> Response:
    site = f"site={ctx.site.id}&" if ctx.site and len(ctx.sites) > 1 else ""
    return RedirectResponse(f"{console_base(request)}/account?{site}done={done}", status_code=303)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
