"""The site's theme in the console: a form beside a live preview, with contrast warnings.

Same rules as the site settings: everyone on the site sees the page, admins change it. The preview
is drawn by a script built with the widget (widget/js/preview), so it uses the loader's own CSS and
the panel's contrast code; without it the form still works and the warnings come on save.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from helpmenu.console.guard import Console, NotFound, console, console_page
from helpmenu.console.i18n import N_
from helpmenu.console.rendering import console_base, render
from helpmenu.context import services
from helpmenu.db import transaction
from helpmenu.sites.models import Site
from helpmenu.sites.service import SiteError, get_site, update_theme
from helpmenu.sites.theme import (
    CHOICES,
    COLORS,
    FONT_STACKS,
    LENGTHS,
    check_theme,
    contrast_issues,
    font_choice,
)

# The form's own text fields, beside the colours and the choices.
_TEXT_FIELDS = (*COLORS, *LENGTHS, "zIndex")
_ERRORS = {
    **{key: N_("theme.error.color") for key in COLORS},
    **{key: N_("theme.error.length") for key in LENGTHS},
    "zIndex": N_("theme.error.z_index"),
    "fontFamily": N_("theme.error.font"),
    **{key: N_("theme.error.choice") for key in CHOICES},
}


@dataclass
class ThemeForm:
    """What the form shows: text as typed, so a mistake comes back to be corrected."""

    values: dict[str, str]
    font: str
    font_custom: str


def form_of_theme(theme: dict[str, str]) -> ThemeForm:
    values = {key: theme.get(key, "") for key in _TEXT_FIELDS}
    for key in LENGTHS:
        values[key] = values[key].removesuffix("px")
    for key, choices in CHOICES.items():
        values[key] = theme.get(key, choices[0])
    font, custom = font_choice(theme.get("fontFamily"))
    return ThemeForm(values, font, custom)


def form_of_post(data: FormData) -> ThemeForm:
    def text(name: str) -> str:
        value = data.get(name)
        return value.strip() if isinstance(value, str) else ""

    values = {key: text(key) for key in (*_TEXT_FIELDS, *CHOICES)}
    return ThemeForm(values, text("font") or "system", text("fontCustom"))


def theme_of_form(form: ThemeForm) -> tuple[dict[str, str], dict[str, str]]:
    """The theme to store and the errors by field, each a locale key."""
    raw: dict[str, Any] = dict(form.values)
    raw["fontFamily"] = form.font_custom if form.font == "custom" else form.font
    theme, errors = check_theme(raw)
    if form.font not in FONT_STACKS and (form.font != "custom" or not form.font_custom):
        errors["fontFamily"] = "choose a font, or write a custom stack"
    return theme, {key: _ERRORS.get(key, N_("theme.error.choice")) for key in errors}


@console_page
async def show(request: Request) -> Response:
    ctx = console(request)
    if ctx.site is None:
        return render(request, "section.html", ctx.context("settings"), locale=ctx.locale)
    site = await _load(request, ctx)
    saved = request.query_params.get("done") == "saved"
    return _page(request, ctx, site, form_of_theme(site.theme or {}), saved=saved)


@console_page
async def save(request: Request) -> Response:
    ctx = console(request)
    ref = ctx.require_admin()
    form = form_of_post(await request.form())
    theme, errors = theme_of_form(form)
    svc = services(request)
    if not errors:
        async with transaction(svc.sessions) as session:
            stored = await get_site(session, ref.id)
            if stored is None:
                raise NotFound
            key = stored.public_key
            try:
                await update_theme(session, stored, theme, now=svc.clock.now())
            except SiteError:  # checked above; kept for a race with a changed validator
                errors = {"theme": N_("theme.error.choice")}
    if errors:
        return _page(request, ctx, await _load(request, ctx), form, errors=errors,
                     status_code=400)
    await svc.sites.changed(key)
    query = f"?site={ref.id}&done=saved" if len(ctx.sites) > 1 else "?done=saved"
    return RedirectResponse(f"{console_base(request)}/settings/theme{query}", status_code=303)


async def _load(request: Request, ctx: Console) -> Site:
    ref = ctx.require_site()
    async with services(request).sessions() as session:
        site = await get_site(session, ref.id)
    if site is None:
        raise NotFound
    return site


def _page(
    request: Request,
    ctx: Console,
    site: Site,
    form: ThemeForm,
    *,
    errors: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    assets = services(request).assets
    preview = assets.manifest.get("preview") if assets.built else None
    context = ctx.context(
        "settings",
        form=form,
        errors=errors or {},
        saved=saved,
        can_edit=ctx.require_site().is_admin,
        fonts=[*FONT_STACKS, "custom"],
        choices=CHOICES,
        lengths=LENGTHS,
        issues=[] if errors else contrast_issues(site.theme or {}),
        preview_script=f"/widget/assets/{preview}" if preview else None,
        preview_strings=json.dumps(_preview_strings(ctx, site)),
        preview_fonts=json.dumps(FONT_STACKS),
    )
    return render(request, "theme.html", context, locale=ctx.locale, status_code=status_code)


def _preview_strings(ctx: Console, site: Site) -> dict[str, Any]:
    t = ctx.t
    return {
        "site": site.name,
        "launcher": t(N_("theme.preview.launcher")),
        "status": t(N_("theme.preview.status")),
        "heading": t(N_("theme.preview.heading")),
        "text": t(N_("theme.preview.text")),
        "muted": t(N_("theme.preview.muted")),
        "link": t(N_("theme.preview.link")),
        "primary": t(N_("theme.preview.primary")),
        "secondary": t(N_("theme.preview.secondary")),
        "tabs": [t(N_("theme.preview.tab.faq")), t(N_("theme.preview.tab.chat")),
                 t(N_("theme.preview.tab.request")), t(N_("theme.preview.tab.history")),
                 t(N_("theme.preview.tab.contact"))],
        "issue": t(N_("theme.contrast.live")),
        # The custom properties the widget overrides (themeIssues in contrast.js), by pair.
        "pairs": {"--op": t(N_("theme.contrast.pair.on_primary")),
                  "--tx": t(N_("theme.contrast.pair.text")),
                  "--mu": t(N_("theme.contrast.pair.muted")),
                  "--pt": t(N_("theme.contrast.pair.primary_text"))},
    }
