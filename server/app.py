"""create_app(settings): the only place routes, middleware and the lifespan meet."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from helpmenu import console, health
from helpmenu.broker import Broker, create_broker
from helpmenu.chat import hub as chat_hub
from helpmenu.chat import routes as chat_routes
from helpmenu.clock import Clock, SystemClock
from helpmenu.console import routes as console_routes
from helpmenu.context import Services
from helpmenu.db import create_engine, session_factory
from helpmenu.faq import routes as faq_routes
from helpmenu.http import ApiError, api_error_handler, error_response
from helpmenu.middleware import AccessLog, SecurityHeaders
from helpmenu.migrate import upgrade_async
from helpmenu.settings import Settings
from helpmenu.sites.directory import SiteDirectory
from helpmenu.tickets import routes as tickets_routes
from helpmenu.widget import routes as widget_routes
from helpmenu.widget.assets import WidgetAssets

log = logging.getLogger("helpmenu")


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    broker: Broker | None = None,
    assets: WidgetAssets | None = None,
) -> Starlette:
    settings = settings or Settings.from_env()
    clock = clock or SystemClock()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await upgrade_async(settings.db_url)
        engine = create_engine(settings.db_url)
        the_broker = broker or create_broker(settings.redis_url, settings.redis_prefix)
        await the_broker.start()
        sessions = session_factory(engine)
        sites = SiteDirectory(sessions, the_broker, ttl=settings.site_cache_ttl)
        await sites.start()
        app.state.services = Services(
            settings=settings,
            clock=clock,
            engine=engine,
            sessions=sessions,
            broker=the_broker,
            sites=sites,
            assets=assets or WidgetAssets.load(extra_locales=settings.widget_locales),
        )
        await tickets_routes.startup(app.state.services)
        try:
            yield
        finally:
            await chat_hub.shutdown(app)
            await sites.close()
            await the_broker.close()
            await engine.dispose()

    return Starlette(
        debug=settings.debug,
        routes=_routes(),
        middleware=[Middleware(AccessLog), Middleware(SecurityHeaders)],
        exception_handlers={
            ApiError: api_error_handler,
            HTTPException: _http_error,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )


def _routes() -> list[BaseRoute]:
    return [
        *health.routes,
        *widget_routes.routes,
        *faq_routes.routes,
        *chat_routes.routes,
        *tickets_routes.routes,
        Mount(console.PATH + "/static", StaticFiles(directory=console.static_dir), name="console:static"),
        Mount(console.PATH, routes=console_routes.routes),
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for HTTPException only
    codes = {404: "not_found", 405: "method_not_allowed"}
    return error_response(exc.status_code, codes.get(exc.status_code, "http_error"),
                          exc.detail, headers=exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "something went wrong on our side")
