"""Requests fixtures: widget sessions for users of accounts and anonymous visitors, and uploads."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from helpmenu.auth import widget_session
from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from tests.conftest import SiteFixture
from tests.console.conftest import admin, admin_client, agent, agent_client  # noqa: F401


def png(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Widget:
    """A widget user talking to the API with a Bearer session, as the panel does."""

    def __init__(self, client: TestClient, token: str, session: widget_session.WidgetSession):
        self.client = client
        self.token = token
        self.session = session

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self.headers, **kwargs)

    def create(self, topic: int, *, file: tuple[str, bytes, str] | None = None,
               key: str | None = None, **fields: str) -> Any:
        data = {"topic": str(topic), "subject": "Invoice does not print",
                "message": "When I press Print nothing happens.", "importance": "normal",
                **fields}
        headers = dict(self.headers)
        if key:
            headers["Idempotency-Key"] = key
        files = {"file": file} if file else {"_": (None, "")}  # always multipart
        return self.client.post("/api/tickets", data=data, files=files, headers=headers)

    def reply(self, number: int, body: str, file: tuple[str, bytes, str] | None = None) -> Any:
        files = {"file": file} if file else {"_": (None, "")}
        return self.client.post(f"/api/tickets/{number}/messages", data={"body": body},
                                files=files, headers=self.headers)

    def topics(self) -> list[dict[str, Any]]:
        response = self.get("/api/tickets/meta")
        assert response.status_code == 200, response.text
        topics: list[dict[str, Any]] = response.json()["topics"]
        return topics


def make_widget(client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock, *,
                user: str = "u:olena-42", account: str | None = "hotel-dnipro",
                name: str | None = "Olena Kovalenko", ttl: int = 86400) -> Widget:
    exp = int((clock.now() + timedelta(seconds=ttl)).timestamp())
    anonymous = user.startswith("a:")
    session = widget_session.WidgetSession(site.id, site.public_key, user, anonymous,
                                           None if anonymous else name,
                                           None if anonymous else "olena@example.com",
                                           None if anonymous else account, exp)
    return Widget(client, widget_session.issue(session, settings.secret_key, clock.now()), session)


@pytest.fixture
def olena(client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> Widget:
    return make_widget(client, site, settings, clock)


@pytest.fixture
def colleague(client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> Widget:
    return make_widget(client, site, settings, clock, user="u:ivan-7", name="Ivan")


@pytest.fixture
def stranger(client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> Widget:
    return make_widget(client, site, settings, clock, user="u:petro-9", account="hotel-lviv",
                       name="Petro")


@pytest.fixture
def visitor(client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> Widget:
    return make_widget(client, site, settings, clock, user="a:anon123")
