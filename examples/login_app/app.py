"""A small host web app with its own log-in that embeds HelpMenu for its users.

Its server signs the logged-in user's HelpMenu identity token with the site secret (the secret never
reaches a browser), renders it into the page, and the page boots the widget with it, so each user
sees their own account's requests in the widget's Request history. Logging out of the app logs out
of HelpMenu too (`HelpMenu('shutdown')`).

Run: ./dev demo, then open http://localhost:8001/app/ (on its own: see __main__.py).

    GET  /                 the dashboard (log-in required)
    GET  /login            the log-in form
    POST /login            user name, password and the CSRF token
    POST /logout           the CSRF token
    GET  /helpmenu-token   a fresh identity token, for a page left open longer than a token lives
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from examples.login_app.security import (
    DUMMY_HASH,
    SESSION_COOKIE,
    Session,
    SessionSigner,
    verify_password,
)
from examples.login_app.users import USERS, User
from examples.signing.sign_token import sign_identity_token

HERE = Path(__file__).resolve().parent
MAX_FORM_BYTES = 8 * 1024
TOKEN_TTL = 300  # seconds: identity tokens are short-lived; the page fetches a new one if needed


@dataclass(frozen=True)
class Config:
    helpmenu_url: str  # the HelpMenu server, e.g. https://help.example.com
    site_key: str  # public: goes in the script tag
    site_secret: str  # private: signs identity tokens, stays on this server
    session_secret: str  # signs this app's session cookie
    secure_cookies: bool = False  # set behind HTTPS so cookies never travel in clear

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **given: str | None) -> Config:
        """Arguments win over HOSTAPP_* environment variables; a missing value is a clear error."""
        env = os.environ if env is None else env
        values: dict[str, str] = {}
        for name in ("helpmenu_url", "site_key", "site_secret"):
            value = given.get(name) or env.get(f"HOSTAPP_{name.upper()}")
            if not value:
                flag = "--" + name.replace("_", "-")
                raise ValueError(f"{flag} or HOSTAPP_{name.upper()} is required")
            values[name] = value
        session_secret = given.get("session_secret") or env.get("HOSTAPP_SESSION_SECRET")
        return cls(
            helpmenu_url=values["helpmenu_url"].rstrip("/"),
            site_key=values["site_key"],
            site_secret=values["site_secret"],
            # Without a configured secret, sessions last as long as the process: fine for a demo.
            session_secret=session_secret or secrets.token_urlsafe(32),
            secure_cookies=env.get("HOSTAPP_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
        )


def create_app(config: Config, *, clock: Callable[[], float] = time.time) -> Starlette:
    signer = SessionSigner(config.session_secret)
    templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                            autoescape=select_autoescape(default=True))

    def now() -> int:
        return int(clock())

    def session_of(request: Request) -> Session | None:
        return signer.loads(request.cookies.get(SESSION_COOKIE), now())

    def user_of(session: Session | None) -> User | None:
        return USERS.get(session.user) if session and session.user else None

    def render(request: Request, name: str, session: Session, status: int = 200,
               **context: object) -> Response:
        html = templates.get_template(name).render(
            base=request.scope.get("root_path", ""), csrf=session.csrf, config=config, **context)
        response = HTMLResponse(html, status_code=status, headers=_page_headers(config.helpmenu_url))
        remember(request, response, session)
        return response

    def remember(request: Request, response: Response, session: Session | None) -> None:
        path = request.scope.get("root_path") or "/"
        if session is None:
            response.delete_cookie(SESSION_COOKIE, path=path)
            return
        response.set_cookie(SESSION_COOKIE, signer.dumps(session), max_age=signer.ttl, path=path,
                            httponly=True, samesite="lax", secure=config.secure_cookies)

    def to(request: Request, name: str, session: Session | None) -> Response:
        response = RedirectResponse(request.url_for(name).path, status_code=303)
        remember(request, response, session)
        return response

    async def home(request: Request) -> Response:
        session = session_of(request)
        user = user_of(session)
        if session is None or user is None:
            return to(request, "login", session)
        return render(request, "home.html", session, user=user, token=identity_token(config, user, now()))

    async def login_form(request: Request) -> Response:
        session = session_of(request)
        if user_of(session):
            return to(request, "home", session)
        return render(request, "login.html", session or Session.anonymous(now()),
                      login="", error=None, logged_out="bye" in request.query_params)

    async def login(request: Request) -> Response:
        session = session_of(request)
        try:
            form = await _read_form(request)
        except FormError as exc:
            return render(request, "login.html", session or Session.anonymous(now()), status=exc.status,
                          login="", error=exc.message, logged_out=False)
        if session is None or not session.csrf_matches(form.get("csrf")):
            # No session cookie, or a token from another session: a stale tab or a forged post.
            return render(request, "login.html", Session.anonymous(now()), status=403, login="",
                          error="This form has expired. Please try again.", logged_out=False)
        login_name = form.get("login", "").strip()[:100]
        password = form.get("password", "")
        if not login_name or not password:
            return render(request, "login.html", session, status=400, login=login_name,
                          error="Enter your user name and password.", logged_out=False)
        user = authenticate(login_name, password)
        if user is None:
            return render(request, "login.html", session, status=401, login=login_name,
                          error="Wrong user name or password.", logged_out=False)
        return to(request, "home", session.logged_in(user.login, now()))

    async def logout(request: Request) -> Response:
        session = session_of(request)
        try:
            form = await _read_form(request)
        except FormError as exc:
            return JSONResponse({"error": "bad_form", "message": exc.message}, status_code=exc.status)
        if session is None or not session.csrf_matches(form.get("csrf")):
            return JSONResponse({"error": "csrf", "message": "the form has expired; reload the page"},
                                status_code=403)
        response = RedirectResponse(request.url_for("login").path + "?bye", status_code=303)
        remember(request, response, None)
        return response

    async def token(request: Request) -> Response:
        user = user_of(session_of(request))
        if user is None:
            return JSONResponse({"error": "not_logged_in", "message": "log in first"}, status_code=401)
        return JSONResponse({"token": identity_token(config, user, now())},
                            headers={"Cache-Control": "no-store"})

    return Starlette(routes=[
        Route("/", home, name="home"),
        Route("/login", login_form, methods=["GET"], name="login"),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"], name="logout"),
        Route("/helpmenu-token", token, name="token"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ])


def authenticate(login_name: str, password: str) -> User | None:
    user = USERS.get(login_name.lower())
    # An unknown name is checked against a dummy hash: the same work, so timing reveals nothing.
    ok = verify_password(password, user.password_hash if user else DUMMY_HASH)
    return user if ok and user else None


def identity_token(config: Config, user: User, now: int) -> str:
    """The HelpMenu identity of the logged-in user, signed here (docs/identity.md)."""
    return sign_identity_token(config.site_secret, sub=user.id, name=user.name, email=user.email,
                               account=user.account, ttl=TOKEN_TTL, now=now)


class FormError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def _read_form(request: Request) -> dict[str, str]:
    """The urlencoded form as text fields; anything else is a FormError with its HTTP status."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise FormError(415, "Send the form as application/x-www-form-urlencoded.")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise FormError(413, "The form is too large.")
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _page_headers(helpmenu: str) -> dict[str, str]:
    # The policy names only what HelpMenu needs: its script, its API and popup socket, its panel.
    socket = "ws" + helpmenu.removeprefix("http")
    policy = "; ".join([
        "default-src 'none'",
        f"script-src 'self' {helpmenu}",
        "style-src 'self'",
        "img-src 'self'",
        f"connect-src 'self' {helpmenu} {socket}",
        f"frame-src {helpmenu}",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ])
    return {
        "Content-Security-Policy": policy,
        "Cache-Control": "no-store",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
    }
