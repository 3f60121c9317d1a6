"""Widget sessions: what the loader gets in exchange for an identity token or an anonymous id.

A session is a JWT signed with the server's own secret key (never a site secret), held by the panel
in memory and sent as a Bearer token. It names the site, the user and their account, so every
query the panel causes can be scoped by site and account without a lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import jwt
from starlette.requests import HTTPConnection

from helpmenu.auth.identity import Identity
from helpmenu.http import ApiError

AUDIENCE = "helpmenu:widget"


@dataclass(frozen=True)
class WidgetSession:
    site_id: int
    site_key: str
    user_id: str  # "u:<sub>" for identified users, "a:<id>" for anonymous visitors
    anonymous: bool
    name: str | None
    email: str | None
    account: str | None
    expires_at: int

    def public_user(self) -> dict[str, object]:
        return {
            "id": self.user_id,
            "name": self.name,
            "email": self.email,
            "account": self.account,
            "anonymous": self.anonymous,
        }


def for_identity(site_id: int, site_key: str, identity: Identity, exp: int) -> WidgetSession:
    return WidgetSession(
        site_id, site_key, "u:" + identity.sub, False,
        identity.name, identity.email, identity.account, exp,
    )


def for_anonymous(site_id: int, site_key: str, anonymous_id: str, exp: int) -> WidgetSession:
    token = anonymous_id.split(".", 1)[0]
    return WidgetSession(site_id, site_key, "a:" + token, True, None, None, None, exp)


def issue(session: WidgetSession, key: str, now: datetime) -> str:
    claims = {
        "aud": AUDIENCE,
        "sid": session.site_id,
        "key": session.site_key,
        "sub": session.user_id,
        "anon": session.anonymous,
        "name": session.name,
        "email": session.email,
        "acc": session.account,
        "iat": int(now.timestamp()),
        "exp": session.expires_at,
    }
    return jwt.encode(claims, key, algorithm="HS256")


def verify(token: str, key: str, now: datetime) -> WidgetSession | None:
    """The session a token carries, or None if it is forged, expired or not a widget session."""
    try:
        claims = jwt.decode(
            token, key, algorithms=["HS256"], audience=AUDIENCE, options={"verify_exp": False}
        )
    except jwt.PyJWTError:
        return None
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= now.timestamp():
        return None
    try:
        return WidgetSession(
            int(claims["sid"]), str(claims["key"]), str(claims["sub"]), bool(claims["anon"]),
            claims.get("name"), claims.get("email"), claims.get("acc"), exp,
        )
    except (KeyError, TypeError, ValueError):
        return None


def new_anonymous_id(key: str, site_key: str) -> str:
    token = secrets.token_urlsafe(18)
    return f"{token}.{_anon_signature(key, site_key, token)}"


def check_anonymous_id(value: object, key: str, site_key: str) -> bool:
    """Only ids this server issued for this site are accepted, so none can be made up."""
    if not isinstance(value, str) or len(value) > 100 or "." not in value:
        return False
    token, _, signature = value.partition(".")
    return hmac.compare_digest(signature, _anon_signature(key, site_key, token))


def _anon_signature(key: str, site_key: str, token: str) -> str:
    mac = hmac.new(key.encode(), f"anon:{site_key}:{token}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def bearer_token(conn: HTTPConnection) -> str | None:
    header = conn.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return token.strip()


def require_session(conn: HTTPConnection, key: str, now: datetime) -> WidgetSession:
    """The request's widget session, or a 401 the panel answers by asking for a fresh one."""
    token = bearer_token(conn)
    if token is None:
        raise ApiError(401, "session_required", "a widget session is required")
    session = verify(token, key, now)
    if session is None:
        raise ApiError(401, "session_invalid", "the widget session is invalid or has expired")
    return session
