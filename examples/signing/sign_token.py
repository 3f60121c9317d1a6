"""Sign a HelpMenu identity token on your server (Python, PyJWT). See docs/identity.md.

    token = sign_identity_token(SITE_SECRET, sub="42", name="Olena", email="o@x.example",
                                account="hotel-dnipro")

Hand the token to your page (render it, or serve it from an endpoint your page fetches) and call
``HelpMenu('boot', {token})``. Never send the secret to a browser.

Run: .venv/bin/python examples/signing/sign_token.py SITE_SECRET USER_ID
"""

from __future__ import annotations

import time

import jwt  # pip install pyjwt


def sign_identity_token(
    secret: str,
    *,
    sub: str,
    name: str | None = None,
    email: str | None = None,
    account: str | None = None,
    ttl: int = 300,
    now: float | None = None,
) -> str:
    issued = int(time.time() if now is None else now)
    claims: dict[str, object] = {"sub": sub, "iat": issued, "exp": issued + ttl}
    for key, value in (("name", name), ("email", email), ("account", account)):
        if value is not None:
            claims[key] = value
    return jwt.encode(claims, secret, algorithm="HS256")


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3:
        sys.exit("usage: sign_token.py SITE_SECRET USER_ID")
    print(sign_identity_token(sys.argv[1], sub=sys.argv[2]))
