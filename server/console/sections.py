"""The console's entry point (it redirects to the first section) and who-am-I for its scripts."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from helpmenu.console.guard import console, console_api, console_page
from helpmenu.console.rendering import console_base

FIRST_SECTION = "chats"


@console_page
async def index(request: Request) -> Response:
    site = request.query_params.get("site")
    query = "?" + urlencode({"site": site}) if site else ""
    return RedirectResponse(f"{console_base(request)}/{FIRST_SECTION}{query}", status_code=303)


@console_api
async def me(request: Request) -> Response:
    """Who is logged in and where they work, for the console's own scripts."""
    ctx = console(request)
    return JSONResponse(
        {
            "id": ctx.user.staff.id,
            "name": ctx.user.staff.name,
            "email": ctx.user.staff.email,
            "locale": ctx.locale,
            "csrf_token": ctx.user.csrf_token,
            "sites": [{"id": s.id, "name": s.name, "role": s.role} for s in ctx.sites],
        }
    )
