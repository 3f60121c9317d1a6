"""Chat fixtures: a logged-in agent's socket and a visitor's socket on the test app."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from helpmenu.auth import widget_session
from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from tests.conftest import PUBLIC_URL, SiteFixture
from tests.console.conftest import csrf_of, logged_in, make_staff

VISITOR_URL = "/api/chat/socket"
AGENT_URL = "/console/chats/socket"
ORIGIN = {"origin": PUBLIC_URL}


def visitor_session(site: SiteFixture, settings: Settings, clock: FixedClock,
                    user: str = "a:visitor-1") -> str:
    exp = int((clock.now() + timedelta(seconds=600)).timestamp())
    session = widget_session.WidgetSession(site.id, site.public_key, user, user.startswith("a:"),
                                           None, None, None, exp)
    return widget_session.issue(session, settings.secret_key, clock.now())


def send(ws: Any, kind: str, **fields: Any) -> None:
    ws.send_text(json.dumps({"v": 1, "type": kind, **fields}))


def receive(ws: Any, kind: str | None = None, skip: tuple[str, ...] = ("agents", "queue", "queued")
            ) -> dict[str, Any]:
    """The next frame of ``kind`` (frames of the types in ``skip`` are passed over)."""
    while True:
        data: dict[str, Any] = ws.receive_json()
        assert data["v"] == 1
        if kind is None or data["type"] == kind:
            return data
        assert data["type"] in skip, f"expected {kind}, got {data}"


def agent_login(client: TestClient, settings: Settings, site: SiteFixture,
                email: str = "taras@example.com", name: str = "Taras Bondar") -> str:
    staff = make_staff(settings, email=email, name=name, roles={site.id: "agent"})
    logged_in(client, staff)
    return csrf_of(client.get("/console/account").text)


@contextmanager
def agent_socket(client: TestClient, csrf: str, site: SiteFixture, *, capacity: int = 3,
                 available: bool = True) -> Iterator[Any]:
    with client.websocket_connect(AGENT_URL, headers=ORIGIN) as ws:
        send(ws, "auth", csrf=csrf, site=site.id)
        ready = receive(ws, "ready")
        assert ready["status"] == "away"
        ws.me = ready["me"]  # type: ignore[attr-defined]
        if available:
            send(ws, "presence", status="available", capacity=capacity)
            # The socket handles its frames in order: the pong says the presence is stored,
            # so a visitor connecting next finds this agent (no race between two sockets).
            send(ws, "ping", id=0)
            receive(ws, "pong")
        yield ws


@contextmanager
def visitor_socket(client: TestClient, token: str, **auth: Any) -> Iterator[Any]:
    with client.websocket_connect(VISITOR_URL, headers=ORIGIN) as ws:
        send(ws, "auth", session=token, **auth)
        yield ws


StartChat = Callable[..., dict[str, Any]]


def start(ws: Any, name: str = "Olena Kovalenko", phone: str = "+380 44 390 0014",
          question: str = "The night audit fails", page: str = "https://app.example.com/x") -> str:
    send(ws, "start", name=name, phone=phone, question=question, page=page)
    started = receive(ws, "started")
    return str(started["chat"])
