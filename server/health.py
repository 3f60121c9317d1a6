"""GET /healthz: is the database (and Redis, when configured) answering?"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from helpmenu import __version__
from helpmenu.context import services


async def healthz(request: Request) -> JSONResponse:
    svc = services(request)
    checks: dict[str, str] = {}
    try:
        async with svc.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except (SQLAlchemyError, OSError):
        checks["database"] = "unavailable"
    if svc.settings.redis_url:
        checks["redis"] = "ok" if await svc.broker.ping() else "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "version": __version__, **checks}
    return JSONResponse(body, status_code=200 if healthy else 503,
                        headers={"Cache-Control": "no-store"})


routes = [Route("/healthz", healthz, name="health")]
