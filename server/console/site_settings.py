"""Site settings: name, language, origins, contacts, hours, the embed snippet and secrets."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from helpmenu.console import settings_form
from helpmenu.console.guard import Console, NotFound, console, console_page
from helpmenu.console.i18n import N_
from helpmenu.console.rendering import console_base, render
from helpmenu.context import services
from helpmenu.db import transaction
from helpmenu.sites.contacts import EMAIL_KINDS
from helpmenu.sites.models import Site, SiteSecret
from helpmenu.sites.schedule import DAYS
from helpmenu.sites.service import (
    LOCALES,
    SiteError,
    get_site,
    revoke_secret,
    rotate_secret,
    update_site,
)

BLANK_PHONE_ROWS = 1
BLANK_EMAIL_ROWS = 1


@console_page
async def show(request: Request) -> Response:
    ctx = console(request)
    if ctx.site is None:
        return render(request, "section.html", ctx.context("settings"), locale=ctx.locale)
    site, secrets = await _load(request, ctx)
    notice = {"saved": N_("settings.saved"), "revoked": N_("settings.secrets.revoked")}.get(
        request.query_params.get("done", "")
    )
    return _page(request, ctx, site, secrets, settings_form.from_site(site), notice=notice)


@console_page
async def save(request: Request) -> Response:
    ctx = console(request)
    ref = ctx.require_admin()
    form = settings_form.from_post(await request.form())
    changes, errors = settings_form.validate(form)
    svc = services(request)
    if errors:
        site, secrets = await _load(request, ctx)
        return _page(request, ctx, site, secrets, form, errors=errors, status_code=400)
    async with transaction(svc.sessions) as session:
        site = await _get(session, ref.id)
        try:
            await update_site(session, site, now=svc.clock.now(), **changes)
        except SiteError as exc:  # validated above; kept for a race with a changed validator
            errors = {exc.field: settings_form.FieldError(N_("settings.error.generic"), str(exc))}
    if errors:
        site, secrets = await _load(request, ctx)
        return _page(request, ctx, site, secrets, form, errors=errors, status_code=400)
    await svc.sites.changed(site.public_key)
    return _back(request, ctx, "saved")


@console_page
async def rotate(request: Request) -> Response:
    ctx = console(request)
    ref = ctx.require_admin()
    svc = services(request)
    async with transaction(svc.sessions) as session:
        site = await _get(session, ref.id)
        secret = await rotate_secret(session, site, now=svc.clock.now())
    await svc.sites.changed(site.public_key)
    site, secrets = await _load(request, ctx)
    # Shown in this response only: the page after it has no way to show the secret again.
    return _page(request, ctx, site, secrets, settings_form.from_site(site), new_secret=secret)


@console_page
async def revoke(request: Request) -> Response:
    ctx = console(request)
    ref = ctx.require_admin()
    svc = services(request)
    secret_id = request.path_params["secret_id"]
    async with transaction(svc.sessions) as session:
        site = await _get(session, ref.id)
        try:
            await revoke_secret(session, site, secret_id, now=svc.clock.now())
        except SiteError:
            error = True
        else:
            error = False
    if error:
        site, secrets = await _load(request, ctx)
        return _page(request, ctx, site, secrets, settings_form.from_site(site),
                     secret_error=N_("settings.secrets.cannot_revoke"), status_code=400)
    await svc.sites.changed(site.public_key)
    return _back(request, ctx, "revoked")


async def _get(session: Any, site_id: int) -> Site:
    site = await get_site(session, site_id)
    if site is None:
        raise NotFound
    return site


async def _load(request: Request, ctx: Console) -> tuple[Site, list[SiteSecret]]:
    ref = ctx.require_site()
    async with services(request).sessions() as session:
        site = await _get(session, ref.id)
        secrets = list(await session.scalars(
            select(SiteSecret)
            .where(SiteSecret.site_id == site.id, SiteSecret.revoked_at.is_(None))
            .order_by(SiteSecret.id)
        ))
    return site, secrets


def _back(request: Request, ctx: Console, done: str) -> Response:
    site = ctx.require_site()
    query = f"?site={site.id}&done={done}" if len(ctx.sites) > 1 else f"?done={done}"
    return RedirectResponse(f"{console_base(request)}/settings{query}", status_code=303)


def _page(
    request: Request,
    ctx: Console,
    site: Site,
    secrets: list[SiteSecret],
    form: settings_form.SettingsForm,
    *,
    errors: dict[str, settings_form.FieldError] | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    public_url = services(request).settings.public_url.rstrip("/")
    snippet = f'<script async src="{public_url}/widget.js" data-site="{site.public_key}"></script>'
    context = ctx.context(
        "settings",
        form=form,
        errors=errors or {},
        public_key=site.public_key,
        snippet=snippet,
        secrets=[(s.id, _mask(s.secret), s.created_at.date().isoformat()) for s in secrets],
        can_edit=ctx.require_site().is_admin,
        locales=LOCALES,
        email_kinds=EMAIL_KINDS,
        days=DAYS,
        timezones=_timezones(form.timezone),
        blank_phones=BLANK_PHONE_ROWS,
        blank_emails=BLANK_EMAIL_ROWS,
        notice=extra.pop("notice", None),
        new_secret=extra.pop("new_secret", None),
        secret_error=extra.pop("secret_error", None),
    )
    return render(request, "settings.html", context, locale=ctx.locale, status_code=status_code)


def _mask(secret: str) -> str:
    return f"{secret[:3]}\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022{secret[-4:]}"


@cache
def _all_timezones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _timezones(current: str) -> tuple[str, ...]:
    zones = _all_timezones()
    return zones if current in zones else (current, *zones)
