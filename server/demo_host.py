"""The example host app the demo serves: static pages from examples/, an identity endpoint that
signs the logged-in user's token on the server, as a real host backend would, and the example
Python app with a log-in (examples/login_app) under /app/."""

from __future__ import annotations

import importlib
import secrets
import sys
import time
from pathlib import Path
from types import ModuleType

import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

import helpmenu

PAGES = {
    "/": ("plain/index.html", None),
    "/strict-csp.html": ("strict-csp/index.html", "strict"),
    "/identified.html": ("identified/index.html", None),
    "/spa/": ("spa/index.html", "strict"),
}
SPA_PAGE = "/spa/"
DEMO_USER = {"sub": "olena-42", "name": "Olena Kovalenko", "email": "olena@hotel-dnipro.example",
             "account": "hotel-dnipro"}


def examples_dir() -> Path:
    path = Path(helpmenu.__file__).resolve().parent.parent / "examples"
    if not (path / "plain" / "index.html").exists():
        raise RuntimeError("the demo runs from a source checkout: examples/ was not found")
    return path


def host_app(root: Path, backend: str, site_key: str, secret: str) -> Starlette:
    def page(request: Request) -> Response:
        # Every path of the single-page app is its one page; its router draws the screen.
        path = SPA_PAGE if request.url.path.startswith("/spa/") else request.url.path
        relative, policy = PAGES[path]
        html = (root / relative).read_text("utf-8")
        html = html.replace("%HELPMENU_URL%", backend).replace("%SITE_KEY%", site_key)
        headers = {"Cache-Control": "no-store"}
        if policy == "strict":
            headers["Content-Security-Policy"] = strict_csp(backend)
        return HTMLResponse(html, headers=headers)

    def token(request: Request) -> Response:
        # A real host app signs for whoever is logged in to it; the demo has one user. The
        # ?variant= switch lets tests see how the widget treats a forged or an expired token.
        now = int(time.time())
        claims = {**DEMO_USER, "iat": now, "exp": now + 300}
        key = secret
        variant = request.query_params.get("variant")
        if variant == "forged":
            key = "not-the-site-secret-" + "x" * 20
        elif variant == "expired":
            claims.update(iat=now - 4000, exp=now - 3600)
        elif variant == "other":
            claims.update(sub="petro-7", name="Petro Bondar", email="petro@hotel-lviv.example",
                          account="hotel-lviv")
        return JSONResponse({"token": jwt.encode(claims, key, algorithm="HS256")},
                            headers={"Cache-Control": "no-store"})

    routes: list[BaseRoute] = [Route(path, page) for path in PAGES]
    routes.append(Route("/spa", lambda request: RedirectResponse("/spa/", status_code=308)))
    routes.append(Mount("/spa/assets", StaticFiles(directory=root / "spa" / "assets")))
    routes.append(Route("/spa/{screen:path}", page))
    routes.append(Route("/helpmenu-token", token))
    login_app = example_module("login_app")
    config = login_app.Config(helpmenu_url=backend, site_key=site_key, site_secret=secret,
                              session_secret=secrets.token_urlsafe(32))
    routes.append(Route("/app", lambda request: RedirectResponse("/app/", status_code=308)))
    routes.append(Mount("/app", login_app.create_app(config)))
    routes.append(Route("/favicon.ico", lambda request: Response(status_code=204)))
    app = Starlette(routes=routes)
    app.mount("/static", StaticFiles(directory=root / "shared"), name="static")
    return app


def example_module(name: str) -> ModuleType:
    """`examples.<name>.app` of the checkout. The examples are not part of the installed package;
    putting the checkout on the path makes them import as they do with `python -m examples.<name>`."""
    root = str(examples_dir().parent)
    if root not in sys.path:
        sys.path.append(root)
    return importlib.import_module(f"examples.{name}.app")


def strict_csp(backend: str) -> str:
    """What a host page with a strict policy adds for HelpMenu: our origin for the script, the
    session request, the popup socket (ws: or wss:, which http: and https: do not cover) and the
    panel frame. No inline scripts or styles are needed."""
    return "; ".join([
        "default-src 'none'",
        f"script-src 'self' {backend}",
        "style-src 'self'",
        "img-src 'self'",
        f"connect-src 'self' {backend} {'ws' + backend.removeprefix('http')}",
        f"frame-src {backend}",
        "base-uri 'none'",
        "form-action 'self'",
    ])
