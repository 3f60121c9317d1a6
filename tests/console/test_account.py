"""A staff member's own account page: the console language and the password."""

from __future__ import annotations

from starlette.testclient import TestClient

from helpmenu.auth.console_session import COOKIE
from tests.console.conftest import PASSWORD, PATH, StaffFixture, csrf_of, login

NEW = "a much longer passphrase"


def csrf(client: TestClient) -> str:
    return csrf_of(client.get(f"{PATH}/account").text)


def test_the_console_language_is_chosen_per_person(admin_client: TestClient) -> None:
    response = admin_client.post(f"{PATH}/account/language",
                                 data={"csrf_token": csrf(admin_client), "locale": "uk"},
                                 follow_redirects=False)
    assert response.status_code == 303
    page = admin_client.get(response.headers["location"])
    assert "Мову збережено." in page.text and 'lang="uk"' in page.text
    refused = admin_client.post(f"{PATH}/account/language",
                                data={"csrf_token": csrf(admin_client), "locale": "de"})
    assert refused.status_code == 400
    assert 'lang="uk"' in admin_client.get(f"{PATH}/chats").text


def test_changing_the_password(admin_client: TestClient, admin: StaffFixture) -> None:
    def change(current: str, new: str, repeat: str):  # type: ignore[no-untyped-def]
        return admin_client.post(f"{PATH}/account/password", follow_redirects=False, data={
            "csrf_token": csrf(admin_client), "current": current, "new": new, "repeat": repeat})

    wrong = change("not my password", NEW, NEW)
    assert wrong.status_code == 400 and "This is not your current password." in wrong.text
    assert change(PASSWORD, NEW, NEW + "!").status_code == 400
    short = change(PASSWORD, "short", "short")
    assert short.status_code == 400 and "at least 10 characters" in short.text
    assert change(PASSWORD, NEW, NEW).status_code == 303
    assert admin_client.get(f"{PATH}/api/me").status_code == 200  # this session goes on
    admin_client.cookies.clear()
    assert login(admin_client, admin.email, PASSWORD).status_code == 401
    assert login(admin_client, admin.email, NEW).status_code == 303


def test_a_password_change_logs_out_the_other_sessions(
    client: TestClient, admin: StaffFixture
) -> None:
    assert login(client, admin.email, PASSWORD).status_code == 303
    elsewhere = client.cookies.get(COOKIE)
    client.cookies.clear()
    assert login(client, admin.email, PASSWORD).status_code == 303
    here = client.cookies.get(COOKIE)
    client.post(f"{PATH}/account/password", data={
        "csrf_token": csrf(client), "current": PASSWORD, "new": NEW, "repeat": NEW})
    assert client.get(f"{PATH}/api/me").status_code == 200
    client.cookies.clear()
    client.cookies.set(COOKIE, elsewhere)
    assert client.get(f"{PATH}/api/me").status_code == 401
    client.cookies.clear()
    client.cookies.set(COOKIE, here)
    assert client.get(f"{PATH}/api/me").status_code == 200
