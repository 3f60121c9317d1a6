"""What a small web app needs to keep its log-in honest, with the standard library only:
password hashes (scrypt), a signed session cookie, and a CSRF token bound to that session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

# scrypt work factors (RFC 7914): 16 MiB of memory and ~50 ms per guess on a server core.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SESSION_COOKIE = "hostapp_session"
SESSION_TTL = 8 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$salt$hash`, the parameters stored beside the hash so they can grow later."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, _unb64(digest))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # Passwords longer than this are refused before hashing: the cost must not grow with input.
    if len(password) > 1024:
        raise ValueError("password too long")
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


# Checked against when the user name is unknown, so a wrong name costs as long as a wrong password
# and the response time does not tell which user names exist.
DUMMY_HASH = hash_password(secrets.token_urlsafe(12))


@dataclass(frozen=True)
class Session:
    """The browser's session: a CSRF token always; the user name once logged in."""

    csrf: str
    user: str | None = None
    issued: int = 0

    @classmethod
    def anonymous(cls, now: int) -> Session:
        return cls(csrf=secrets.token_urlsafe(24), issued=now)

    def logged_in(self, user: str, now: int) -> Session:
        # A fresh CSRF token at log-in: whatever token someone planted before stops working.
        return Session(csrf=secrets.token_urlsafe(24), user=user, issued=now)

    def csrf_matches(self, submitted: object) -> bool:
        return isinstance(submitted, str) and hmac.compare_digest(submitted.encode(), self.csrf.encode())


class SessionSigner:
    """Serialises a Session into a cookie value `payload.signature` (HMAC-SHA256) and back.
    A cookie that was altered, signed with another key or is too old reads as no session."""

    def __init__(self, secret: str, ttl: int = SESSION_TTL) -> None:
        if len(secret) < 32:
            raise ValueError("the session secret must be at least 32 characters")
        self._key = hashlib.sha256(b"hostapp-session:" + secret.encode()).digest()
        self.ttl = ttl

    def dumps(self, session: Session) -> str:
        payload = _b64(json.dumps({"c": session.csrf, "u": session.user, "i": session.issued},
                                  separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}"

    def loads(self, value: str | None, now: int) -> Session | None:
        if not value or value.count(".") != 1:
            return None
        payload, signature = value.split(".")
        if not hmac.compare_digest(signature.encode(), self._sign(payload).encode()):
            return None
        try:
            data: Any = json.loads(_unb64(payload))
            session = Session(csrf=str(data["c"]), user=data["u"], issued=int(data["i"]))
        except (ValueError, KeyError, TypeError):
            return None
        if session.user is not None and not isinstance(session.user, str):
            return None
        if not 0 <= now - session.issued <= self.ttl:
            return None
        return session

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

