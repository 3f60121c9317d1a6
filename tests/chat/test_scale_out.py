"""The chat story across two real server processes sharing the real Redis: the visitor on one,
the agent on the other, one queue; then nothing of it in the database, the logs, the data folder
or Redis."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from helpmenu.auth import widget_session
from tests.chat.secrets import assert_absent
from tests.conftest import SiteFixture, make_site
from tests.console.conftest import PASSWORD, make_staff
from tests.forms import read_form, replace
from tests.test_scale_out import (
    free_port,
    start_server,
    two_servers,  # noqa: F401 - the fixture
)

pytestmark = pytest.mark.redis

NAME, PHONE, QUESTION = "Остап Вишневий", "+48 22 390 62 00", "Як перенести бронь на інший номер?"
LINES = ["Бронь B-20935, треба номер 204", "Переношу, хвилинку", "Чудово, дякую!",
         "Сказане під час обриву"]


def session_for(site: SiteFixture, key: str, user: str) -> str:
    now = datetime.now(UTC)
    exp = int((now + timedelta(minutes=10)).timestamp())
    session = widget_session.WidgetSession(site.id, site.public_key, user, True, None, None, None,
                                           exp)
    return widget_session.issue(session, key, now)


def frame(ws: ClientConnection, kind: str, skip: tuple[str, ...] = ("agents", "queue", "queued")
          ) -> dict[str, Any]:
    while True:
        data: dict[str, Any] = json.loads(ws.recv(10))
        if data["type"] == kind:
            return data
        assert data["type"] in skip, f"expected {kind}, got {data}"


def say(ws: ClientConnection, kind: str, **fields: Any) -> None:
    ws.send(json.dumps({"v": 1, "type": kind, **fields}))


@contextmanager
def visitor(base: str, token: str, **auth: Any) -> Iterator[ClientConnection]:
    with connect(base.replace("http", "ws") + "/api/chat/socket", origin=base) as ws:  # type: ignore[arg-type]
        say(ws, "auth", session=token, **auth)
        yield ws


@contextmanager
def agent(base: str, email: str, site: SiteFixture) -> Iterator[ClientConnection]:
    with httpx.Client(base_url=base, headers={"Origin": base}) as http:
        page = http.get("/console/login")
        fields = replace(read_form(page.text, "/console/login"), email=email, password=PASSWORD)
        assert http.post("/console/login", data=dict(fields)).status_code in (302, 303)
        csrf = http.get("/console/api/me").json()["csrf_token"]
        cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    with connect(base.replace("http", "ws") + "/console/chats/socket", origin=base,  # type: ignore[arg-type]
                 additional_headers={"Cookie": cookie}) as ws:
        say(ws, "auth", csrf=csrf, site=site.id)
        frame(ws, "ready")
        yield ws


def test_a_visitor_on_one_process_talks_to_an_agent_on_the_other(
        two_servers: tuple[str, str, dict[str, str]], settings: Any, tmp_path: Path,  # noqa: F811
        redis_url: str) -> None:
    a, b, env = two_servers
    site = make_site(settings)
    make_staff(settings, email="agent@example.com", roles={site.id: "agent"})
    key = env["HELPMENU_SECRET_KEY"]
    with agent(b, "agent@example.com", site) as desk:
        say(desk, "presence", status="available", capacity=1)
        with visitor(a, session_for(site, key, "a:one")) as one, \
                visitor(b, session_for(site, key, "a:two")) as two:
            assert frame(one, "ready")["available"] is True
            assert frame(two, "ready")["available"] is True
            say(one, "start", name=NAME, phone=PHONE, question=QUESTION)
            started = frame(one, "started")
            chat, resume = started["chat"], started["token"]
            assert frame(one, "assigned")["agent"] == "Olena Kovalenko"
            assigned = frame(desk, "assigned")
            assert (assigned["chat"], assigned["visitor"]["phone"]) == (chat, PHONE)

            # One queue: the second visitor, on process B, waits behind the first.
            say(two, "start", name="Second", phone="+380441112233", question="later")
            second = frame(two, "started")["chat"]
            assert frame(two, "queued")["position"] == 1

            say(one, "message", cid="v1", text=LINES[0])
            assert frame(one, "message")["seq"] == 1
            assert frame(desk, "message")["text"] == LINES[0]
            say(desk, "typing", chat=chat, on=True)
            assert frame(one, "typing")["on"] is True
            say(desk, "message", chat=chat, cid="a1", text=LINES[1])
            assert frame(one, "message")["text"] == LINES[1]
            assert frame(desk, "message")["seq"] == 2

        # Visitor one's connection dropped (and two's: their chat waits for its grace).
        assert frame(desk, "peer")["connected"] is False
        say(desk, "message", chat=chat, cid="a2", text=LINES[2])
        assert frame(desk, "message", skip=("agents", "queue", "peer"))["seq"] == 3
        with visitor(a, session_for(site, key, "a:one"), resume=resume, seen=2) as one:
            resumed = frame(one, "resumed")
            assert [ln["text"] for ln in resumed["lines"]] == [LINES[2]]
            say(one, "message", cid="v1", text=LINES[0])  # a resend: answered, not repeated
            assert frame(one, "message")["seq"] == 1
            say(one, "message", cid="v3", text=LINES[3])
            assert frame(one, "message")["seq"] == 4
            assert frame(desk, "peer")["connected"] is True
            assert frame(desk, "message")["text"] == LINES[3]
            say(desk, "end", chat=chat)
            assert frame(one, "ended")["by"] == "agent"
            assert frame(desk, "ended")["chat"] == chat
        # Room again: the queued chat from process B comes to the agent on B.
        assert frame(desk, "assigned", skip=("agents", "queue", "peer"))["chat"] == second
        say(desk, "end", chat=second)
        frame(desk, "ended", skip=("agents", "queue", "peer"))

    logs = "".join(p.read_text() for p in tmp_path.glob("server-*.log"))
    data = tmp_path / "data"
    files = [p for p in data.rglob("*")] if data.exists() else []
    if settings.is_sqlite:
        db_file = Path(settings.db_url.split("///", 1)[1])
        files += [db_file, db_file.with_name(db_file.name + "-wal")]
    keys = assert_absent([NAME, PHONE, QUESTION, *LINES], db_url=settings.db_url, files=files,
                         logs=logs, redis_url=redis_url, redis_prefix=env["HELPMENU_REDIS_PREFIX"])
    assert any(":chat:presence:" in k for k in keys)


def test_a_visitor_reconnecting_to_the_other_process_resumes_through_the_owner(
        two_servers: tuple[str, str, dict[str, str]], settings: Any, tmp_path: Path  # noqa: F811
) -> None:
    # No sticky sessions: the chat lives on A (where it started); the reconnect lands on B,
    # which relays over pub/sub, holding nothing of the chat itself.
    a, b, env = two_servers
    site = make_site(settings)
    make_staff(settings, email="agent@example.com", roles={site.id: "agent"})
    key = env["HELPMENU_SECRET_KEY"]
    token = session_for(site, key, "a:mover")
    with agent(a, "agent@example.com", site) as desk:
        say(desk, "presence", status="available", capacity=2)
        with visitor(a, token) as first:
            frame(first, "ready")
            say(first, "start", name=NAME, phone=PHONE, question=QUESTION)
            started = frame(first, "started")
            chat, resume = started["chat"], started["token"]
            frame(first, "assigned")
            frame(desk, "assigned")
            say(first, "message", cid="v1", text=LINES[0])
            assert frame(first, "message")["seq"] == 1
            assert frame(desk, "message")["text"] == LINES[0]
        assert frame(desk, "peer")["connected"] is False
        say(desk, "message", chat=chat, cid="a1", text=LINES[1])
        frame(desk, "message", skip=("agents", "queue", "peer"))

        # Someone else's token, or a forged secret for this chat: refused on B as on A.
        stranger = session_for(site, key, "a:stranger")
        for who, forged in ((stranger, resume), (token, chat + ".forged")):
            with visitor(b, who, resume=forged, seen=0) as ws, pytest.raises(ConnectionClosed) as closed:
                ws.recv(10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4441

        with visitor(b, token, resume=resume, seen=1) as moved:
            resumed = frame(moved, "resumed")
            assert (resumed["chat"], resumed["state"]) == (chat, "active")
            assert [ln["text"] for ln in resumed["lines"]] == [LINES[1]]
            assert frame(desk, "peer")["connected"] is True
            say(moved, "message", cid="v1", text=LINES[0])  # a resend: answered, not repeated
            assert frame(moved, "message")["seq"] == 1
            say(moved, "typing", on=True)
            assert frame(desk, "typing")["on"] is True
            say(moved, "message", cid="v2", text=LINES[2])
            assert frame(moved, "message")["seq"] == 3
            assert frame(desk, "message")["text"] == LINES[2]
            say(desk, "message", chat=chat, cid="a2", text=LINES[3])
            assert frame(moved, "message")["text"] == LINES[3]
            say(moved, "end")
            assert frame(moved, "ended")["by"] == "visitor"
            assert frame(desk, "ended", skip=("agents", "queue", "message"))["chat"] == chat
            # Saved after the end, from B: the owner files it from its memory, once.
            say(moved, "save")
            number = frame(moved, "saved")["number"]
            say(moved, "save")
            assert frame(moved, "saved")["number"] == number
            # The socket can start a chat of its own now; it lives on B.
            say(moved, "start", name=NAME, phone=PHONE, question="Ще одне питання")
            assert frame(moved, "started")["chat"] != chat
            assert frame(moved, "assigned")["agent"] == "Olena Kovalenko"

    with httpx.Client(base_url=b) as http:
        listed = http.get("/api/tickets", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200, listed.text
    assert [item["number"] for item in listed.json()["items"]] == [number]
    logs = "".join(p.read_text() for p in tmp_path.glob("server-*.log"))
    assert "Traceback" not in logs


def test_a_process_that_stops_ends_its_chats_and_a_reconnect_elsewhere_is_told(
        db_url: str, redis_url: str, redis_prefix: str, settings: Any, tmp_path: Path) -> None:
    # A deploy stops the process that owns a chat: its text goes with its memory. The agent on
    # the other process is told, their load is released, and the visitor's reconnect to the
    # surviving process gets 4441 at once instead of waiting for an owner that is gone.
    key = "scale-out-test-key-" + "s" * 30
    env = {**os.environ, "HELPMENU_DATABASE_URL": db_url, "HELPMENU_REDIS_URL": redis_url,
           "HELPMENU_DATA_DIR": str(tmp_path / "data"), "HELPMENU_REDIS_PREFIX": redis_prefix,
           "HELPMENU_SECRET_KEY": key, "HELPMENU_AUTO_MIGRATE": "false"}
    (port_a, a), (port_b, b) = [(port, f"http://127.0.0.1:{port}")
                                for port in (free_port(), free_port())]
    site = make_site(settings)
    make_staff(settings, email="agent@example.com", roles={site.id: "agent"})
    token = session_for(site, key, "a:leaving")
    owner = start_server({**env, "HELPMENU_PUBLIC_URL": a}, port_a, tmp_path / "server-a.log")
    other = start_server({**env, "HELPMENU_PUBLIC_URL": b}, port_b, tmp_path / "server-b.log")
    try:
        with agent(b, "agent@example.com", site) as desk:
            say(desk, "presence", status="available", capacity=1)
            with visitor(a, token) as ws:
                frame(ws, "ready")
                say(ws, "start", name=NAME, phone=PHONE, question=QUESTION)
                resume = frame(ws, "started")["token"]
                chat = frame(desk, "assigned")["chat"]
                frame(ws, "assigned")
                owner.terminate()
                with pytest.raises(ConnectionClosed) as closed:
                    frame(ws, "never", skip=("ended",))
                # Reconnect with backoff (uvicorn closes the sockets before the app stops).
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
            ended = frame(desk, "ended", skip=("agents", "queue", "peer"))
            assert (ended["chat"], ended["reason"]) == (chat, "server restart")
            with visitor(b, token, resume=resume, seen=0) as ws, \
                    pytest.raises(ConnectionClosed) as closed:
                ws.recv(3)  # well before the relay's 5 s wait for an owner
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4441
            # The agent has room again: a new visitor on B gets them.
            with visitor(b, session_for(site, key, "a:next")) as ws:
                assert frame(ws, "ready")["available"] is True
                say(ws, "start", name="Next", phone="+380441112233", question="next")
                frame(ws, "started")
                assert frame(ws, "assigned")["agent"] == "Olena Kovalenko"
    finally:
        for process in (owner, other):
            process.terminate()
            process.wait(10)
