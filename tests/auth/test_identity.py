import base64
import json
from datetime import UTC, datetime

import jwt
import pytest

from helpmenu.auth.identity import IdentityError, verify_identity_token

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
T = int(NOW.timestamp())
SECRET = "sk_current_" + "a" * 32
OLD = "sk_previous_" + "b" * 32


def sign(claims: dict[str, object], key: str = SECRET, **kwargs: object) -> str:
    return jwt.encode(claims, key, algorithm="HS256", **kwargs)  # type: ignore[arg-type]


def claims(**extra: object) -> dict[str, object]:
    return {"sub": "42", "name": "Olena", "email": "o@x.example", "account": "hotel", "exp": T + 300,
            **extra}


def test_a_valid_token_gives_the_identity() -> None:
    identity = verify_identity_token(sign(claims()), [SECRET], NOW)
    assert (identity.sub, identity.name, identity.email, identity.account) == (
        "42", "Olena", "o@x.example", "hotel")


def test_both_active_secrets_verify_during_rotation() -> None:
    assert verify_identity_token(sign(claims(), OLD), [SECRET, OLD], NOW).sub == "42"


def test_numeric_sub_is_accepted_as_text() -> None:
    assert verify_identity_token(sign(claims(sub=42)), [SECRET], NOW).sub == "42"


@pytest.mark.parametrize(
    ("token_claims", "reason"),
    [
        (claims(exp=T - 31), "expired"),
        (claims(exp=T + 25 * 3600), "too_long_lived"),
        (claims(nbf=T + 120), "not_yet_valid"),
        ({"sub": "42"}, "missing_claim"),
        (claims(sub=""), "missing_claim"),
        (claims(sub=["a"]), "invalid_claim"),
        (claims(name="x" * 201), "invalid_claim"),
        (claims(exp="tomorrow"), "missing_claim"),
    ],
)
def test_bad_claims_are_refused_with_a_reason(token_claims: dict[str, object], reason: str) -> None:
    with pytest.raises(IdentityError) as caught:
        verify_identity_token(sign(token_claims), [SECRET], NOW)
    assert caught.value.reason == reason


def test_small_clock_skew_is_tolerated() -> None:
    assert verify_identity_token(sign(claims(exp=T - 20)), [SECRET], NOW, leeway=30).sub == "42"


def test_forged_signature_is_refused() -> None:
    with pytest.raises(IdentityError) as caught:
        verify_identity_token(sign(claims(), "somebody-elses-secret-xxxxxxxxxxxxxxxx"), [SECRET], NOW)
    assert caught.value.reason == "bad_signature"


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("alg", ["none", "HS512", "RS256"])
def test_only_hs256_is_accepted(alg: str) -> None:
    token = f"{_b64({'alg': alg, 'typ': 'JWT'})}.{_b64(claims())}.c2ln"
    with pytest.raises(IdentityError) as caught:
        verify_identity_token(token, [SECRET], NOW)
    assert caught.value.reason == "bad_algorithm"


@pytest.mark.parametrize("token", ["", "a.b", "not a token", "x" * 9000, "eyJ.eyJ.sig"])
def test_garbage_is_malformed(token: str) -> None:
    with pytest.raises(IdentityError) as caught:
        verify_identity_token(token, [SECRET], NOW)
    assert caught.value.reason == "malformed"
