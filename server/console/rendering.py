"""The console's Jinja2 environment and the context every page gets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from helpmenu.console import PATH, templates_dir
from helpmenu.console.i18n import Translate, pick_locale, translator

_env = Environment(
    loader=FileSystemLoader(templates_dir),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_env)


def console_base(request: Request) -> str:
    """Where the console lives on this server (behind a proxy, under its root path)."""
    return str(request.scope.get("app_root_path", "")) + PATH


def site_url(base: str, site_id: object) -> Callable[..., str]:
    """``url(path, **params)`` for console links that keep the current site (``?site=``)."""

    def url(path: str, **params: Any) -> str:
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        if site_id is not None and "site" not in params:
            query = {"site": site_id, **query}
        return base + path + ("?" + urlencode(query) if query else "")

    return url


def public_translator(request: Request) -> tuple[str, Translate]:
    locale = pick_locale(request.headers.get("accept-language"))
    return locale, translator(locale)


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    locale: str,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """Render a console template with ``t``, ``url`` and ``static`` at hand."""
    base = console_base(request)
    site_id = context.get("site_query")

    def url(path: str, **params: Any) -> str:
        query = {k: v for k, v in params.items() if v is not None}
        if site_id is not None and "site" not in params:
            query = {"site": site_id, **query}
        return base + path + ("?" + urlencode(query) if query else "")

    def static(path: str) -> str:
        return f"{base}/static/{path}"

    full = {
        "t": translator(locale),
        "locale": locale,
        "url": url,
        "static": static,
        **context,
    }
    return templates.TemplateResponse(
        request, name, full, status_code=status_code, headers=headers
    )
