"""POST /api/widget/session: the loader's exchange, with every way it can go wrong."""

import json
import re
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from starlette.testclient import TestClient

from helpmenu.auth import widget_session
from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from tests.conftest import HOST_ORIGIN, SiteFixture, shared_data

URL = "/api/widget/session"


def post(client: TestClient, body: object, origin: str = HOST_ORIGIN) -> "object":
    return client.post(URL, content=json.dumps(body), headers={
        "Origin": origin, "Content-Type": "text/plain;charset=UTF-8"})


def sign(site: SiteFixture, clock: FixedClock, **claims: object) -> str:
    base = {"sub": "u-1", "name": "Olena", "account": "hotel-dnipro",
            "exp": int((clock.now() + timedelta(minutes=5)).timestamp())}
    return jwt.encode({**base, **claims}, site.secret, algorithm="HS256")


def test_anonymous_visitor_gets_a_session_and_a_kept_id(
    client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock
) -> None:
    response = post(client, {"site": site.public_key})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == HOST_ORIGIN
    assert "set-cookie" not in response.headers
    body = response.json()
    assert body["user"]["anonymous"] is True
    assert body["expires_in"] == settings.widget_session_ttl
    assert body["strings"] and all(k.startswith("loader.") for k in body["strings"])
    # Only what the loader uses: everything here counts in the 5 kB before the click.
    assert "panel_url" not in body
    # The frame chunk of this server's build, which the loader imports when the user shows intent.
    assert re.fullmatch(r"/widget/assets/frame-\w+\.js", body["frame"])
    chunk = client.get(body["frame"])
    assert chunk.status_code == 200 and chunk.headers["content-type"].startswith("text/javascript")
    assert "export" in chunk.text and "immutable" in chunk.headers["cache-control"]
    session = widget_session.verify(body["session"], settings.secret_key, clock.now())
    assert session is not None and session.site_id == site.id and session.anonymous
    # The same browser comes back with its id and is the same visitor.
    again = post(client, {"site": site.public_key, "anonymous_id": body["anonymous_id"]}).json()
    assert again["user"]["id"] == body["user"]["id"]
    assert again["anonymous_id"] == body["anonymous_id"]


def test_a_made_up_anonymous_id_is_replaced(client: TestClient, site: SiteFixture) -> None:
    body = post(client, {"site": site.public_key, "anonymous_id": "guess.1234"}).json()
    assert body["anonymous_id"] != "guess.1234"
    assert not body["user"]["id"].startswith("a:guess")


def test_an_anonymous_id_of_another_site_is_not_reused(
    client: TestClient, site: SiteFixture, settings: Settings
) -> None:
    from tests.conftest import make_site

    other = make_site(settings, name="Other")
    foreign = post(client, {"site": other.public_key}).json()["anonymous_id"]
    body = post(client, {"site": site.public_key, "anonymous_id": foreign}).json()
    assert body["anonymous_id"] != foreign


def test_identified_user(client: TestClient, site: SiteFixture, clock: FixedClock) -> None:
    body = post(client, {"site": site.public_key, "token": sign(site, clock)}).json()
    assert body["user"] == {"id": "u:u-1", "name": "Olena", "email": None,
                            "account": "hotel-dnipro", "anonymous": False}
    assert body["anonymous_id"] is None


@pytest.mark.parametrize(
    ("make_token", "reason"),
    [
        (lambda s, c: sign(s, c, exp=int(c.now().timestamp()) - 3600), "expired"),
        (lambda s, c: jwt.encode({"sub": "x", "exp": int(c.now().timestamp()) + 60},
                                 "forged-key-" + "z" * 30, algorithm="HS256"), "bad_signature"),
        (lambda s, c: "garbage", "malformed"),
    ],
)
def test_bad_identity_tokens_are_401_with_the_reason(
    client: TestClient, site: SiteFixture, clock: FixedClock, make_token: object, reason: str
) -> None:
    token = make_token(site, clock)  # type: ignore[operator]
    response = post(client, {"site": site.public_key, "token": token})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response.json()["reason"] == reason
    # The loader must be able to read the error to report it to the host page.
    assert response.headers["access-control-allow-origin"] == HOST_ORIGIN


def test_unknown_site_is_404(client: TestClient) -> None:
    response = post(client, {"site": "pk_nope"})
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_site"
    assert response.headers["access-control-allow-origin"] == HOST_ORIGIN


@pytest.mark.parametrize("origin", ["https://evil.example", "http://app.example.com",
                                    "https://app.example.com:8443", "null", ""])
def test_origins_the_site_does_not_allow_are_403(
    client: TestClient, site: SiteFixture, origin: str
) -> None:
    response = post(client, {"site": site.public_key}, origin=origin)
    assert response.status_code == 403
    assert response.json()["error"] == "origin_not_allowed"
    assert "session" not in response.json()


@pytest.mark.parametrize(
    ("content", "status", "error"),
    [
        ("{not json", 400, "invalid_json"),
        ("[1, 2]", 422, "invalid_request"),
        ('{"site": 5}', 422, "invalid_request"),
        ("{}", 422, "invalid_request"),
        ('{"site": "' + "k" * 70000 + '"}', 413, "too_large"),
    ],
)
def test_bad_bodies_get_clear_errors(
    client: TestClient, content: str, status: int, error: str
) -> None:
    response = client.post(URL, content=content, headers={"Origin": HOST_ORIGIN})
    assert response.status_code == status
    assert response.json()["error"] == error


def test_preflight_is_answered(client: TestClient) -> None:
    response = client.options(URL, headers={
        "Origin": HOST_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-methods"] == "POST"


def test_locale_follows_the_request_then_the_site(client: TestClient, site: SiteFixture) -> None:
    assert post(client, {"site": site.public_key, "locale": "uk-UA"}).json()["locale"] == "uk"
    assert post(client, {"site": site.public_key, "locale": "xx"}).json()["locale"] == "en"


def test_naughty_strings_never_cause_a_500(client: TestClient, site: SiteFixture) -> None:
    strings = json.loads(Path(shared_data("blns.json")).read_text())
    for text in strings:
        for body in ({"site": text}, {"site": site.public_key, "token": text},
                     {"site": site.public_key, "anonymous_id": text, "locale": text}):
            response = post(client, body)
            assert response.status_code in (200, 401, 404, 422), (text, response.text)
            assert response.headers["content-type"] == "application/json"


def test_tokens_are_never_logged(
    client: TestClient, site: SiteFixture, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    token = sign(site, clock)
    with caplog.at_level("DEBUG"):
        body = post(client, {"site": site.public_key, "token": token}).json()
        client.get("/api/widget/site", headers={"Authorization": f"Bearer {body['session']}"})
    assert token not in caplog.text and body["session"] not in caplog.text
    assert "/api/widget/session 200" in caplog.text
