"""Logging in and out of the console, throttling, and what the session cookie looks like."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

from sqlalchemy import select
from starlette.responses import Response
from starlette.testclient import TestClient

from helpmenu.auth.console_session import COOKIE, SECURE_COOKIE, set_session_cookie
from helpmenu.auth.models import StaffSession
from helpmenu.clock import FixedClock
from helpmenu.db import create_engine, session_factory
from helpmenu.settings import Settings
from tests.console.conftest import PATH, StaffFixture, csrf_of, login

FAILED = "The e-mail or the password is wrong."


def stored_sessions(settings: Settings) -> list[StaffSession]:
    async def _read() -> list[StaffSession]:
        engine = create_engine(settings.db_url)
        try:
            async with session_factory(engine)() as session:
                return list(await session.scalars(select(StaffSession)))
        finally:
            await engine.dispose()

    return asyncio.run(_read())


def test_pages_send_visitors_to_log_in_and_back(client: TestClient, admin: StaffFixture) -> None:
    response = client.get(f"{PATH}/settings?site=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{PATH}/login?next=%2Fconsole%2Fsettings%3Fsite%3D1"
    page = client.get(response.headers["location"])
    assert 'name="next" value="/console/settings?site=1"' in page.text
    answer = client.post(f"{PATH}/login", follow_redirects=False, data={
        "email": admin.email, "password": admin.password, "csrf_token": csrf_of(page.text),
        "next": "/console/settings?site=1",
    })
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/settings?site=1"


def test_json_endpoints_answer_401(client: TestClient) -> None:
    response = client.get(f"{PATH}/api/me")
    assert response.status_code == 401
    assert response.json() == {"error": "not_logged_in"}


def test_log_in_sets_an_httponly_lax_cookie_and_stores_only_its_hash(
    client: TestClient, admin: StaffFixture, settings: Settings
) -> None:
    response = login(client, admin.email.upper(), admin.password)
    assert response.status_code == 303
    assert response.headers["location"] == f"{PATH}/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(COOKIE + "="))
    token = cookie.split(";")[0].split("=", 1)[1]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # the test server is plain http
    (row,) = stored_sessions(settings)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.token_hash, row.csrf_token)
    me = client.get(f"{PATH}/api/me").json()
    assert (me["email"], me["name"]) == (admin.email, admin.name)


def test_secure_cookies_use_the_host_prefix() -> None:
    settings = Settings(public_url="https://help.example.com", secret_key="k" * 40)  # type: ignore[arg-type]
    response = Response()
    set_session_cookie(response, "token", settings)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(SECURE_COOKIE + "=token;")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie


def test_wrong_password_and_unknown_email_look_the_same(
    client: TestClient, admin: StaffFixture
) -> None:
    wrong = login(client, admin.email, "not the password")
    unknown = login(client, "nobody@example.com", admin.password)
    assert wrong.status_code == unknown.status_code == 401
    assert FAILED in wrong.text and FAILED in unknown.text
    assert wrong.text.replace(csrf_of(wrong.text), "").replace(admin.email, "") == \
        unknown.text.replace(csrf_of(unknown.text), "").replace("nobody@example.com", "")
    assert client.get(f"{PATH}/api/me").status_code == 401


def test_the_stored_hash_is_not_a_password(
    client: TestClient, admin: StaffFixture, settings: Settings
) -> None:
    from helpmenu.auth.staff import get_staff_by_email
    from tests.auth.test_staff import run

    async def stored(session):  # type: ignore[no-untyped-def]
        staff = await get_staff_by_email(session, admin.email)
        return staff.password_hash

    response = login(client, admin.email, run(settings, stored))
    assert response.status_code == 401 and FAILED in response.text


def test_log_in_needs_the_form_token_and_our_origin(client: TestClient, admin: StaffFixture) -> None:
    client.get(f"{PATH}/login")
    forged = client.post(f"{PATH}/login", data={"email": admin.email, "password": admin.password},
                         follow_redirects=False)
    assert forged.status_code == 403
    cross = login(client, admin.email, admin.password, origin="https://evil.example")
    assert cross.status_code == 403
    assert client.get(f"{PATH}/api/me").status_code == 401


def test_next_never_leaves_the_console(client: TestClient, admin: StaffFixture) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/console//evil.example",
                   "/console/\\evil.example", "/widget.js"):
        client.cookies.clear()
        page = client.get(f"{PATH}/login")
        response = client.post(f"{PATH}/login", follow_redirects=False, data={
            "email": admin.email, "password": admin.password, "csrf_token": csrf_of(page.text),
            "next": target,
        })
        assert response.status_code == 303, (target, response.status_code)
        assert response.headers["location"] == f"{PATH}/", target


def test_throttling_refuses_without_checking_the_password(
    client: TestClient, admin: StaffFixture, settings: Settings, clock: FixedClock
) -> None:
    for _ in range(settings.login_max_failures):
        assert login(client, admin.email, "not the password").status_code == 401
    clock.advance(seconds=60)
    refused = login(client, admin.email, admin.password)
    assert refused.status_code == 429
    retry = settings.login_window - 60
    assert refused.headers["retry-after"] == str(retry)
    assert f"Try again in {retry // 60} min." in refused.text
    clock.advance(seconds=retry - 1)
    assert login(client, admin.email, admin.password).status_code == 429
    clock.advance(seconds=1)
    assert login(client, admin.email, admin.password).status_code == 303


def test_one_address_trying_many_accounts_is_throttled(
    client: TestClient, admin: StaffFixture, settings: Settings
) -> None:
    for i in range(settings.login_max_failures * 4):
        assert login(client, f"guess{i}@example.com", "not the password").status_code == 401
    assert login(client, admin.email, admin.password).status_code == 429


def test_a_successful_log_in_forgets_the_email_failures(
    client: TestClient, admin: StaffFixture, settings: Settings
) -> None:
    for _ in range(settings.login_max_failures - 1):
        login(client, admin.email, "not the password")
    assert login(client, admin.email, admin.password).status_code == 303
    client.cookies.clear()
    for _ in range(settings.login_max_failures - 1):
        assert login(client, admin.email, "not the password").status_code == 401
    assert login(client, admin.email, admin.password).status_code == 303


def test_log_out_ends_the_session_for_good(
    admin_client: TestClient, settings: Settings
) -> None:
    page = admin_client.get(f"{PATH}/chats")
    token = admin_client.cookies.get(COOKIE)
    assert token
    refused = admin_client.post(f"{PATH}/logout", follow_redirects=False)
    assert refused.status_code == 403
    assert admin_client.get(f"{PATH}/api/me").status_code == 200
    done = admin_client.post(f"{PATH}/logout", data={"csrf_token": csrf_of(page.text)},
                             follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"{PATH}/login"
    assert stored_sessions(settings) == []
    admin_client.cookies.set(COOKIE, token)  # a copy of the old cookie is worth nothing
    assert admin_client.get(f"{PATH}/api/me").status_code == 401
    assert admin_client.get(f"{PATH}/chats", follow_redirects=False).status_code == 303


def test_sessions_expire(admin_client: TestClient, settings: Settings, clock: FixedClock) -> None:
    clock.advance(seconds=settings.staff_session_ttl - 1)
    assert admin_client.get(f"{PATH}/api/me").status_code == 200
    clock.advance(seconds=1)
    assert admin_client.get(f"{PATH}/api/me").status_code == 401


def test_a_deactivated_account_is_logged_out(
    admin_client: TestClient, admin: StaffFixture, settings: Settings
) -> None:
    from helpmenu.auth.staff import get_staff_by_email
    from tests.auth.test_staff import run

    async def deactivate(session):  # type: ignore[no-untyped-def]
        (await get_staff_by_email(session, admin.email)).is_active = False

    run(settings, deactivate)
    assert admin_client.get(f"{PATH}/api/me").status_code == 401


def test_the_console_root_opens_the_first_section(admin_client: TestClient) -> None:
    response = admin_client.get(f"{PATH}/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{PATH}/chats"
    assert admin_client.get(f"{PATH}/login", follow_redirects=False).status_code == 303


def test_expired_sessions_are_pruned_at_the_next_log_in(
    client: TestClient, admin: StaffFixture, settings: Settings, clock: FixedClock
) -> None:
    login(client, admin.email, admin.password)
    clock.advance(seconds=settings.staff_session_ttl + timedelta(minutes=1).seconds)
    client.cookies.clear()
    login(client, admin.email, admin.password)
    assert len(stored_sessions(settings)) == 1
