"""Verifying the identity tokens host backends sign for their logged-in users (docs/identity.md).

HS256 JWTs only, signed with one of the site's active secrets. Expiry is checked against our
injected clock rather than PyJWT's, so tests never depend on the time of day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt

MAX_LIFETIME = 24 * 3600
_TEXT_CLAIMS = {"sub": 255, "name": 200, "email": 254, "account": 255}


class IdentityError(Exception):
    """The token cannot be trusted; ``reason`` is a stable code the widget reports to the host."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Identity:
    sub: str
    name: str | None
    email: str | None
    account: str | None
    expires_at: int


def verify_identity_token(
    token: str, secrets: Sequence[str], now: datetime, leeway: int = 30
) -> Identity:
    if not isinstance(token, str) or not token or len(token) > 8192:
        raise IdentityError("malformed", "the identity token is empty or too long")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise IdentityError("malformed", "the identity token is not a JWT") from None
    if header.get("alg") != "HS256":
        raise IdentityError("bad_algorithm", "identity tokens must be signed with HS256")
    claims = _decode(token, secrets)
    return _identity(claims, now.timestamp(), leeway)


def _decode(token: str, secrets: Sequence[str]) -> dict[str, Any]:
    for secret in secrets:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                secret,
                algorithms=["HS256"],
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                         "verify_aud": False, "verify_sub": False, "verify_jti": False},
            )
            return claims
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError:
            raise IdentityError("malformed", "the identity token cannot be decoded") from None
    raise IdentityError("bad_signature", "the identity token is not signed with this site's secret")


def _identity(claims: dict[str, Any], now: float, leeway: int) -> Identity:
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise IdentityError("missing_claim", "the identity token needs an exp claim")
    if exp + leeway < now:
        raise IdentityError("expired", "the identity token has expired")
    if exp - now > MAX_LIFETIME:
        raise IdentityError("too_long_lived", "identity tokens may live 24 hours at most")
    nbf = claims.get("nbf")
    if isinstance(nbf, int | float) and nbf - leeway > now:
        raise IdentityError("not_yet_valid", "the identity token is not valid yet")
    values: dict[str, str | None] = {}
    for name, limit in _TEXT_CLAIMS.items():
        value = claims.get(name)
        if value is None or value == "":
            values[name] = None
            continue
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise IdentityError("invalid_claim", f"the {name} claim must be a string")
        text = str(value)
        if len(text) > limit:
            raise IdentityError("invalid_claim", f"the {name} claim is over {limit} characters")
        values[name] = text
    sub = values["sub"]
    if sub is None:
        raise IdentityError("missing_claim", "the identity token needs a sub claim")
    return Identity(sub, values["name"], values["email"], values["account"], int(exp))
