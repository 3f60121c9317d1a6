"""Optional e-mail against a real SMTP server on loopback (aiosmtpd): off by default; with
HELPMENU_SMTP_URL the site's staff hear of a new request and the requester of a reply."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from starlette.testclient import TestClient

from helpmenu.app import create_app
from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from tests.conftest import PUBLIC_URL, SiteFixture
from tests.console.conftest import StaffFixture, csrf_of, logged_in
from tests.tickets.conftest import make_widget


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def wait(self, count: int) -> list[Message]:
        deadline = time.monotonic() + 10
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_mail_goes_out_only_when_configured(
    smtp: tuple[Inbox, int], settings: Settings, clock: FixedClock, site: SiteFixture,
    agent: StaffFixture
) -> None:
    inbox, port = smtp
    # Off by default: nothing is sent.
    with TestClient(create_app(settings, clock=clock), base_url=PUBLIC_URL) as client:
        olena = make_widget(client, site, settings, clock)
        assert olena.create(olena.topics()[0]["id"]).status_code == 201
    time.sleep(0.2)
    assert inbox.messages == []
    mailing = replace(settings, smtp_url=f"smtp://127.0.0.1:{port}",  # type: ignore[arg-type]
                      smtp_from="support@hotel.example")
    with TestClient(create_app(mailing, clock=clock), base_url=PUBLIC_URL) as client:
        olena = make_widget(client, site, mailing, clock)
        number = olena.create(olena.topics()[0]["id"], subject="Printer").json()["number"]
        staff_mail = inbox.wait(1)[0]
        assert staff_mail["To"] == agent.email and f"#{number}" in staff_mail["Subject"]
        logged_in(client, agent)
        page = client.get(f"/console/requests/{number}")
        client.post(f"/console/requests/{number}/reply", data={
            "csrf_token": csrf_of(page.text), "body": "Secret note", "internal": "1"})
        client.post(f"/console/requests/{number}/reply", data={
            "csrf_token": csrf_of(page.text), "body": "Restart the print spooler."})
        reply = inbox.wait(2)[1]
        assert reply["To"] == "olena@example.com" and reply["From"] == "support@hotel.example"
        assert "Restart the print spooler." in reply.get_payload()
        assert all("Secret note" not in str(m.get_payload()) for m in inbox.messages)
