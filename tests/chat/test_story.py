"""The chat story on one process, over real websockets: queue, accept, talk, type, end."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from tests.chat.conftest import (
    AGENT_URL,
    ORIGIN,
    VISITOR_URL,
    agent_login,
    agent_socket,
    receive,
    send,
    start,
    visitor_session,
    visitor_socket,
)
from tests.conftest import HOST_ORIGIN, SiteFixture, make_site


def test_a_visitor_talks_to_an_agent(client: TestClient, site: SiteFixture, settings: Settings,
                                     clock: FixedClock) -> None:
    csrf = agent_login(client, settings, site)
    with agent_socket(client, csrf, site) as agent, \
            visitor_socket(client, visitor_session(site, settings, clock)) as visitor:
        ready = receive(visitor, "ready")
        assert ready["available"] is True and ready["reason"] is None
        chat = start(visitor)
        assert receive(visitor, "assigned")["agent"] == "Taras Bondar"
        assigned = receive(agent, "assigned")
        assert assigned["chat"] == chat
        assert assigned["visitor"]["name"] == "Olena Kovalenko"
        assert assigned["visitor"]["phone"] == "+380 44 390 0014"

        send(visitor, "message", cid="v1", text="Hello")
        mine = receive(visitor, "message")
        assert (mine["seq"], mine["author"], mine["cid"], mine["text"]) == (1, "visitor", "v1", "Hello")
        assert receive(agent, "message")["text"] == "Hello"

        send(agent, "typing", chat=chat, on=True)
        assert receive(visitor, "typing")["on"] is True
        send(agent, "message", chat=chat, cid="a1", text="Hi, Olena")
        theirs = receive(visitor, "message")
        assert (theirs["seq"], theirs["author"], theirs["name"]) == (2, "agent", "Taras Bondar")
        assert receive(agent, "message")["cid"] == "a1"

        send(visitor, "typing", on=True)
        assert receive(agent, "typing") == {"v": 1, "type": "typing", "chat": chat, "on": True}

        send(agent, "end", chat=chat)
        assert receive(visitor, "ended")["by"] == "agent"
        assert receive(agent, "ended")["chat"] == chat


def test_a_busy_agent_queues_the_next_visitor_who_sees_the_position_move(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    csrf = agent_login(client, settings, site)
    with agent_socket(client, csrf, site, capacity=1) as agent, \
            visitor_socket(client, visitor_session(site, settings, clock, "a:one")) as one, \
            visitor_socket(client, visitor_session(site, settings, clock, "a:two")) as two, \
            visitor_socket(client, visitor_session(site, settings, clock, "a:three")) as three:
        for ws in (one, two, three):
            assert receive(ws, "ready")["available"] is True
        first = start(one, name="One")
        receive(one, "assigned")
        assert receive(agent, "assigned")["chat"] == first
        second = start(two, name="Two")
        assert receive(two, "queued")["position"] == 1
        third = start(three, name="Three")
        assert receive(three, "queued")["position"] == 2
        queue = receive(agent, "queue", skip=("agents", "queue"))
        while [c["name"] for c in queue["chats"]] != ["Two", "Three"]:
            queue = receive(agent, "queue")
        assert queue["chats"][0]["phone"] == "+380 44 390 0014"

        send(agent, "accept", chat=third)  # an agent may pick any waiting chat
        assert receive(three, "assigned")["agent"] == "Taras Bondar"
        assert receive(agent, "assigned")["chat"] == third
        assert receive(two, "queued")["position"] == 1
        send(agent, "accept", chat=third)
        assert receive(agent, "error")["error"] == "already_taken"

        send(one, "end")
        assert receive(one, "ended")["by"] == "visitor"
        ended = receive(agent, "ended")
        assert ended["chat"] == first
        # Capacity 1 and two chats (one accepted past it): ending one leaves no room yet.
        send(three, "end")
        receive(agent, "ended")
        assert receive(agent, "assigned")["chat"] == second  # room again: the queue drains
        assert receive(two, "assigned")["agent"] == "Taras Bondar"


def test_nobody_available_or_outside_hours_is_said_before_the_visitor_starts(
        client: TestClient, settings: Settings, clock: FixedClock) -> None:
    closed = make_site(settings, name="Closed", schedule={
        "timezone": "Europe/Kyiv", "weekly": {"sat": [["10:00", "12:00"]]}, "holidays": []})
    open_site = make_site(settings, name="Open")
    csrf = agent_login(client, settings, closed)
    with agent_socket(client, csrf, closed) as agent, \
            visitor_socket(client, visitor_session(closed, settings, clock)) as visitor:
        assert receive(visitor, "ready") == {"v": 1, "type": "ready", "available": False,
                                             "reason": "closed", "heartbeat": 25}
        send(visitor, "start", name="A", phone="+380441234567", question="q")
        assert receive(visitor, "error")["error"] == "unavailable"
        send(agent, "presence", status="away", capacity=3)
        send(agent, "ping", id=1)
        receive(agent, "pong")
    with visitor_socket(client, visitor_session(open_site, settings, clock)) as visitor:
        assert receive(visitor, "ready")["reason"] == "no_agents"
    clock.advance(days=3)  # Saturday 10:30 UTC is 12:30 in Kyiv: still closed
    with visitor_socket(client, visitor_session(closed, settings, clock)) as visitor:
        assert receive(visitor, "ready")["reason"] == "closed"
    clock.advance(hours=-2)  # Saturday 10:30 in Kyiv: open, and the agent went away
    with visitor_socket(client, visitor_session(closed, settings, clock)) as visitor:
        assert receive(visitor, "ready")["reason"] == "no_agents"


def test_a_visitor_reconnects_and_gets_what_it_missed_once(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    csrf = agent_login(client, settings, site)
    token = visitor_session(site, settings, clock)
    with agent_socket(client, csrf, site) as agent:
        with visitor_socket(client, token) as visitor:
            receive(visitor, "ready")
            send(visitor, "start", name="Olena", phone="+380441234567", question="q")
            started = receive(visitor, "started")
            chat, resume = started["chat"], started["token"]
            receive(visitor, "assigned")
            receive(agent, "assigned")
            send(visitor, "message", cid="v1", text="one")
            assert receive(visitor, "message")["seq"] == 1
            receive(agent, "message")
            send(visitor, "hidden", gone=False)
        assert receive(agent, "peer") == {"v": 1, "type": "peer", "chat": chat,
                                          "connected": False, "grace": 60}
        send(agent, "message", chat=chat, cid="a1", text="two")
        receive(agent, "message")
        with visitor_socket(client, token, resume=resume, seen=1) as visitor:
            resumed = receive(visitor, "resumed")
            assert [(ln["seq"], ln["text"]) for ln in resumed["lines"]] == [(2, "two")]
            assert resumed["state"] == "active" and resumed["agent"] == "Taras Bondar"
            assert receive(agent, "peer")["connected"] is True
            send(visitor, "message", cid="v1", text="one")  # a resend of an unacknowledged line
            again = receive(visitor, "message")
            assert (again["seq"], again["cid"]) == (1, "v1")
            send(visitor, "message", cid="v2", text="three")
            assert receive(visitor, "message")["seq"] == 3
            assert receive(agent, "message")["text"] == "three"  # the resend was not relayed
        other = visitor_session(site, settings, clock, "a:someone-else")
        with pytest.raises(WebSocketDisconnect) as refused, \
                visitor_socket(client, other, resume=resume) as intruder:
            intruder.receive_json()
        assert refused.value.code == 4441


def test_past_the_grace_window_the_chat_ends_for_both(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    client.app.state.services.settings = replace(settings, chat_hidden_grace=0)  # type: ignore[attr-defined]
    csrf = agent_login(client, settings, site)
    token = visitor_session(site, settings, clock)
    with agent_socket(client, csrf, site) as agent:
        with visitor_socket(client, token) as visitor:
            receive(visitor, "ready")
            start(visitor)
            receive(agent, "assigned")
            send(visitor, "hidden", gone=True)  # the page is going away for good
            send(visitor, "ping", id=1)
            receive(visitor, "pong", skip=("assigned",))
        receive(agent, "peer")
        assert receive(agent, "ended")["by"] == "timeout"


def test_transfer_hands_the_chat_and_its_lines_to_another_agent(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    csrf_a = agent_login(client, settings, site)
    with agent_socket(client, csrf_a, site, capacity=1) as a, \
            visitor_socket(client, visitor_session(site, settings, clock)) as visitor:
        receive(visitor, "ready")
        chat = start(visitor)
        receive(visitor, "assigned")
        receive(a, "assigned")
        send(visitor, "message", cid="v1", text="before the transfer")
        receive(visitor, "message")
        receive(a, "message")
        # A second log-in on the same client: the open socket keeps the first agent.
        client.cookies.clear()
        csrf_b = agent_login(client, settings, site, email="iryna@example.com", name="Iryna")
        with agent_socket(client, csrf_b, site, capacity=1) as b:
            send(b, "message", chat=chat, cid="b0", text="not mine")
            assert receive(b, "error")["error"] == "not_yours"
            send(a, "transfer", chat=chat, to=999)
            assert receive(a, "error")["error"] == "unavailable"
            send(a, "transfer", chat=chat, to=b.me["id"])
            assert receive(a, "ended")["reason"] == "transferred"
            got = receive(b, "assigned")
            assert [ln["text"] for ln in got["lines"]] == ["before the transfer"]
            assert receive(visitor, "assigned")["agent"] == "Iryna"
            send(a, "message", chat=chat, cid="a9", text="too late")
            assert receive(a, "error")["error"] == "not_yours"
            send(b, "message", chat=chat, cid="b1", text="Iryna here")
            assert receive(visitor, "message")["name"] == "Iryna"


def test_agents_of_another_site_and_bad_credentials_are_refused(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    csrf = agent_login(client, settings, site)
    elsewhere = make_site(settings, name="Elsewhere")
    for auth in ({"csrf": csrf, "site": elsewhere.id}, {"csrf": "forged", "site": site.id}):
        with pytest.raises(WebSocketDisconnect) as refused, \
                client.websocket_connect(AGENT_URL, headers=ORIGIN) as ws:
            send(ws, "auth", **auth)
            ws.receive_json()
        assert refused.value.code == 4401
    for url in (AGENT_URL, VISITOR_URL):
        with pytest.raises(WebSocketDisconnect) as refused, \
                client.websocket_connect(url, headers={"origin": HOST_ORIGIN}):
            pass
        assert refused.value.code == 4403
    with pytest.raises(WebSocketDisconnect) as refused, \
            visitor_socket(client, "forged.session") as ws:
        ws.receive_json()
    assert refused.value.code == 4401
    with pytest.raises(WebSocketDisconnect) as refused, \
            client.websocket_connect(VISITOR_URL, headers=ORIGIN) as ws:
        send(ws, "ping")
        ws.receive_json()
    assert refused.value.code == 4401


def test_save_as_request_files_the_transcript_once_at_the_visitors_choice(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    from sqlalchemy import select

    from helpmenu.db import create_engine, session_factory
    from helpmenu.tickets.models import Ticket

    csrf = agent_login(client, settings, site)
    with agent_socket(client, csrf, site) as agent, \
            visitor_socket(client, visitor_session(site, settings, clock)) as visitor:
        receive(visitor, "ready")
        send(visitor, "save")
        assert receive(visitor, "error")["error"] == "no_chat"
        chat = start(visitor, name="Olena", question="Invoice 4471 is doubled")
        receive(visitor, "assigned")
        receive(agent, "assigned")
        send(visitor, "message", cid="v1", text="It shows twice")
        receive(visitor, "message")
        send(agent, "message", chat=chat, cid="a1", text="Cancelled the copy")
        receive(visitor, "message")
        send(agent, "end", chat=chat)
        receive(visitor, "ended")
        send(visitor, "save")
        number = receive(visitor, "saved")["number"]
        assert receive(agent, "saved", skip=("agents", "queue", "message", "ended"))["number"] \
            == number
        send(visitor, "save")  # twice: still one request
        assert receive(visitor, "saved")["number"] == number

    async def tickets() -> list[Ticket]:
        engine = create_engine(settings.db_url)
        try:
            async with session_factory(engine)() as session:
                return list(await session.scalars(select(Ticket)))
        finally:
            await engine.dispose()

    [ticket] = asyncio.run(tickets())
    assert ticket.subject == "Invoice 4471 is doubled" and ticket.source == "chat"
    assert ticket.message == ("Invoice 4471 is doubled\n\nOlena: It shows twice\n\n"
                              "Taras Bondar: Cancelled the copy")
