"""The example host app with a log-in (examples/login_app): passwords, the signed session cookie,
CSRF, and the identity token it signs for HelpMenu. Driven through TestClient, no mocks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import jwt
import pytest
from starlette.testclient import TestClient

from examples.login_app.app import Config, create_app
from examples.login_app.security import SESSION_COOKIE, Session, SessionSigner, hash_password, verify_password
from examples.login_app.users import USERS
from tests.conftest import shared_data

SECRET = "site-secret-" + "s" * 32
CONFIG = Config(helpmenu_url="http://127.0.0.1:8000", site_key="pk_example", site_secret=SECRET,
                session_secret="session-secret-" + "x" * 32)
NOW = 1_795_000_000.0  # injected: nothing here depends on the real time


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(clock: Clock) -> Iterator[TestClient]:
    with TestClient(create_app(CONFIG, clock=clock), follow_redirects=False) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def log_in(client: TestClient, login: str = "maria", password: str = "karpaty-demo") -> str:  # noqa: S107
    """Log in through the form; return the dashboard's HTML."""
    form = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(form.text), "login": login, "password": password})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    return home.text


def token_in(html: str) -> dict[str, object]:
    match = re.search(r'data-token="([^"]+)"', html)
    assert match
    claims: dict[str, object] = jwt.decode(match.group(1), SECRET, algorithms=["HS256"],
                                           options={"verify_exp": False})
    return claims


def test_demo_passwords_match_their_hashes_and_nothing_else() -> None:
    assert verify_password("karpaty-demo", USERS["maria"].password_hash)
    assert verify_password("novak-demo", USERS["jan"].password_hash)
    assert not verify_password("novak-demo", USERS["maria"].password_hash)
    assert not verify_password("", USERS["maria"].password_hash)
    assert not verify_password("x", "not-a-hash")
    fresh = hash_password("same")
    assert fresh != hash_password("same")  # salted
    assert verify_password("same", fresh)


def test_dashboard_requires_a_log_in(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.get("/helpmenu-token").json()["error"] == "not_logged_in"


def test_log_in_signs_the_users_identity_for_helpmenu(client: TestClient) -> None:
    html = log_in(client, "maria", "karpaty-demo")
    claims = token_in(html)
    maria = USERS["maria"]
    assert claims["sub"] == maria.id and claims["account"] == maria.account
    assert claims["name"] == "Maria Shevchenko" and claims["email"] == maria.email
    assert claims["iat"] == int(NOW) and claims["exp"] == int(NOW) + 300
    assert 'data-site="pk_example"' in html and 'data-auto-boot="false"' in html
    assert SECRET not in html
    fresh = client.get("/helpmenu-token")
    assert fresh.headers["cache-control"] == "no-store"
    assert jwt.decode(fresh.json()["token"], SECRET, algorithms=["HS256"],
                      options={"verify_exp": False})["sub"] == maria.id


def test_pages_carry_a_strict_policy_naming_only_helpmenu(client: TestClient) -> None:
    policy = client.get("/login").headers["content-security-policy"]
    assert "script-src 'self' http://127.0.0.1:8000;" in policy
    assert "connect-src 'self' http://127.0.0.1:8000 ws://127.0.0.1:8000;" in policy
    assert "frame-src http://127.0.0.1:8000;" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(("login", "password"), [("maria", "novak-demo"), ("nobody", "karpaty-demo"),
                                                 ("MARIA ", "wrong")])
def test_wrong_credentials_are_refused_with_a_message(client: TestClient, login: str, password: str) -> None:
    form = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(form.text), "login": login, "password": password})
    assert response.status_code == 401
    assert "Wrong user name or password." in response.text
    assert client.get("/").status_code == 303


def test_empty_fields_get_their_own_message(client: TestClient) -> None:
    form = client.get("/login")
    response = client.post("/login", data={"csrf": csrf_of(form.text), "login": "maria", "password": ""})
    assert response.status_code == 400
    assert "Enter your user name and password." in response.text


def test_login_without_the_forms_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    for data in ({"login": "maria", "password": "karpaty-demo"},
                 {"csrf": "guessed", "login": "maria", "password": "karpaty-demo"}):
        response = client.post("/login", data=data)
        assert response.status_code == 403
        assert "This form has expired" in response.text
    assert client.get("/").status_code == 303


def test_a_token_from_another_browser_does_not_work(clock: Clock) -> None:
    with TestClient(create_app(CONFIG, clock=clock)) as attacker, \
            TestClient(create_app(CONFIG, clock=clock), follow_redirects=False) as victim:
        planted = csrf_of(attacker.get("/login").text)
        victim.get("/login")
        response = victim.post("/login", data={"csrf": planted, "login": "maria", "password": "karpaty-demo"})
        assert response.status_code == 403


def test_log_in_rotates_the_csrf_token(client: TestClient) -> None:
    before = csrf_of(client.get("/login").text)
    after = csrf_of(log_in(client))
    assert before != after


def test_a_tampered_or_expired_cookie_is_no_session(client: TestClient, clock: Clock) -> None:
    log_in(client)
    cookie = client.cookies[SESSION_COOKIE]
    payload, signature = cookie.split(".")
    forged = SessionSigner("another-secret-" + "y" * 32).dumps(Session(csrf="c", user="jan", issued=int(NOW)))
    for value in (payload + "." + signature[:-2] + "AA", forged, "garbage", "a.b.c", "Zm9v.", "."):
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, value)
        assert client.get("/").status_code == 303, value
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    assert client.get("/").status_code == 200
    clock.now += 8 * 3600 + 1
    assert client.get("/").status_code == 303


def test_session_cookie_is_http_only_and_same_site(client: TestClient) -> None:
    header = client.get("/login").headers["set-cookie"]
    assert "HttpOnly" in header and "SameSite=lax" in header and "Path=/" in header


def test_logout_needs_the_csrf_token_and_ends_the_session(client: TestClient) -> None:
    html = log_in(client)
    refused = client.post("/logout", data={"csrf": "nope"})
    assert refused.status_code == 403 and refused.json()["error"] == "csrf"
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf": csrf_of(html)})
    assert response.status_code == 303 and response.headers["location"] == "/login?bye"
    assert client.get("/").status_code == 303
    assert "You have signed out." in client.get("/login?bye").text


def test_forms_of_the_wrong_kind_or_size_get_a_clear_error(client: TestClient) -> None:
    csrf = csrf_of(client.get("/login").text)
    as_json = client.post("/login", content=json.dumps({"csrf": csrf}),
                          headers={"content-type": "application/json"})
    assert as_json.status_code == 415
    huge = client.post("/login", data={"csrf": csrf, "login": "maria", "password": "p" * 9000})
    assert huge.status_code == 413 and "too large" in huge.text


def test_naughty_strings_never_break_the_login(client: TestClient) -> None:
    strings = json.loads(shared_data("blns.json").read_text())
    csrf = csrf_of(client.get("/login").text)
    for text in strings[::7]:
        response = client.post("/login", data={"csrf": csrf, "login": text, "password": text or "x"})
        assert response.status_code in (400, 401), text
        assert "<script>" not in response.text.split("<body", 1)[1], text  # escaped on the way out


def test_config_comes_from_arguments_or_the_environment() -> None:
    env = {"HOSTAPP_HELPMENU_URL": "https://help.example.com/", "HOSTAPP_SITE_KEY": "pk_env",
           "HOSTAPP_SITE_SECRET": "from-env"}
    config = Config.from_env(env, site_key="pk_arg")
    assert (config.helpmenu_url, config.site_key, config.site_secret) == (
        "https://help.example.com", "pk_arg", "from-env")
    assert len(config.session_secret) >= 32
    with pytest.raises(ValueError, match="--site-secret or HOSTAPP_SITE_SECRET is required"):
        Config.from_env({"HOSTAPP_HELPMENU_URL": "x", "HOSTAPP_SITE_KEY": "y"})


def test_standalone_command_explains_a_missing_setting(capsys: pytest.CaptureFixture[str]) -> None:
    from examples.login_app.__main__ import main

    assert main(["--helpmenu-url", "http://127.0.0.1:8000"]) == 2
    assert "--site-key or HOSTAPP_SITE_KEY is required" in capsys.readouterr().err
