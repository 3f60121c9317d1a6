"""Console log-in sessions: a random token in a cookie, only its SHA-256 in ``staff_sessions``.

Every session carries its own CSRF token, required on each unsafe console request (form field
``csrf_token`` or header ``X-CSRF-Token``). Unsafe requests must also come from our own origin
when the browser says where they come from (``Origin``, else ``Referer``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from helpmenu.auth.models import Staff, StaffSession
from helpmenu.context import services
from helpmenu.settings import Settings

COOKIE = "helpmenu_console"
# The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and for "/",
# so a sibling subdomain cannot plant a session of its own choosing.
SECURE_COOKIE = "__Host-helpmenu_console"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class ConsoleUser:
    """The staff member behind a request, with the session they are using."""

    staff: Staff
    session_id: int
    csrf_token: str


def cookie_name(settings: Settings) -> str:
    return SECURE_COOKIE if settings.secure_cookies else COOKIE


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(
    session: AsyncSession, staff: Staff, *, now: datetime, ttl: int
) -> tuple[str, StaffSession]:
    """Open a session for ``staff``; return the token for the cookie, and the row."""
    token = secrets.token_urlsafe(32)
    row = StaffSession(
        token_hash=_digest(token),
        staff_id=staff.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
    )
    # Expired rows of everyone go whenever someone logs in: no separate job to run.
    await session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    session.add(row)
    await session.flush()
    return token, row


async def load_session(
    session: AsyncSession, token: str, *, now: datetime
) -> tuple[Staff, StaffSession] | None:
    """The active staff member and unexpired session a cookie token stands for, or None."""
    if not token or len(token) > 128:
        return None
    row = await session.scalar(
        select(StaffSession).where(StaffSession.token_hash == _digest(token))
    )
    if row is None or row.expires_at <= now:
        return None
    staff = await session.get(Staff, row.staff_id)
    if staff is None or not staff.is_active:
        return None
    return staff, row


async def end_session(session: AsyncSession, token: str) -> None:
    """Log out: the token is worthless from now on, whoever holds it."""
    await session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))


async def end_other_sessions(session: AsyncSession, staff_id: int, keep_id: int) -> None:
    """End every session of a staff member but one (after a password change)."""
    await session.execute(
        delete(StaffSession).where(StaffSession.staff_id == staff_id, StaffSession.id != keep_id)
    )


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        cookie_name(settings),
        token,
        max_age=settings.staff_session_ttl,
        path="/",
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(settings),
        path="/",
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )


def same_origin(request: Request, settings: Settings) -> bool:
    """Whether an unsafe request comes from our own pages, as far as the browser tells.

    Browsers send ``Origin`` on every POST; ``Referer`` is the fallback. A request with neither
    (not from a browser) still has to carry the CSRF token, which only our pages know.
    """
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == settings.public_origin
    referer = request.headers.get("referer")
    if referer is not None:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == settings.public_origin
    return True


def csrf_matches(expected: str, given: str | None) -> bool:
    if not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token a request carries: the header, else the form field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def current_staff(request: Request) -> ConsoleUser | None:
    """The logged-in staff member of a request (looked up once per request), or None."""
    cached: ConsoleUser | None = getattr(request.state, "console_user", None)
    if cached is not None:
        return cached
    svc = services(request)
    token = request.cookies.get(cookie_name(svc.settings))
    if not token:
        return None
    async with svc.sessions() as session:
        found = await load_session(session, token, now=svc.clock.now())
    if found is None:
        return None
    staff, row = found
    user = ConsoleUser(staff=staff, session_id=row.id, csrf_token=row.csrf_token)
    request.state.console_user = user
    return user
