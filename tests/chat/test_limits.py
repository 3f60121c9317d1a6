"""Limits: frame size, rate, sockets per address, slow consumers; and naughty strings as text."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from helpmenu.chat import protocol as p
from helpmenu.chat.hub import SEND_QUEUE, Peer, silent
from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from tests.chat.conftest import (
    agent_login,
    agent_socket,
    receive,
    send,
    start,
    visitor_session,
    visitor_socket,
)
from tests.conftest import SiteFixture, shared_data


def configure(client: TestClient, settings: Settings, **changes: Any) -> None:
    client.app.state.services.settings = replace(settings, **changes)  # type: ignore[attr-defined]


def test_a_frame_over_4_kb_closes_the_socket_with_4413(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    with visitor_socket(client, visitor_session(site, settings, clock)) as ws:
        receive(ws, "ready")
        ws.send_text(json.dumps({"v": 1, "type": "message", "cid": "c", "text": "x" * 4100}))
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == p.TOO_BIG


def test_too_many_messages_get_errors_then_a_close(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    configure(client, settings, chat_rate=1)
    with visitor_socket(client, visitor_session(site, settings, clock)) as ws:
        receive(ws, "ready")
        for _ in range(40):
            send(ws, "typing", on=True)
        codes = []
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                codes.append(ws.receive_json()["error"])
    assert "rate_limited" in codes and closed.value.code == p.RATE_LIMITED


def test_sockets_per_address_are_limited(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    configure(client, settings, chat_sockets_per_ip=2)
    token = visitor_session(site, settings, clock)
    with visitor_socket(client, token) as one, visitor_socket(client, token) as two:
        receive(one, "ready")
        receive(two, "ready")
        with pytest.raises(WebSocketDisconnect) as refused, visitor_socket(client, token) as three:
            three.receive_json()
        assert refused.value.code == p.TOO_MANY_SOCKETS


def test_a_reader_that_stops_reading_is_closed_without_blocking_the_sender() -> None:
    class Stuck:
        closed_with: int | None = None

        async def send_text(self, text: str) -> None:
            await asyncio.Event().wait()  # never returns: the client does not read

        async def close(self, code: int, reason: str = "") -> None:
            self.closed_with = code

    async def scenario() -> tuple[bool, object]:
        ws = Stuck()
        peer = Peer(ws)  # type: ignore[arg-type]
        for n in range(SEND_QUEUE + 5):
            peer.send(f"frame {n}")  # returns at once every time
        closed = peer.closed
        waiting = peer._queue.get_nowait()  # what the writer sends once it can: the close
        peer._writer.cancel()
        await asyncio.sleep(0)
        return closed, waiting

    closed, waiting = asyncio.run(scenario())
    assert closed and waiting == (p.SLOW_CONSUMER, "too slow to read")


def test_every_naughty_string_arrives_unchanged(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    strings = [s for s in json.loads(shared_data("blns.json").read_text(encoding="utf-8"))
               if s.strip() and "\x00" not in s and len(s) <= p.MAX_TEXT]
    configure(client, settings, chat_rate=1000)
    csrf = agent_login(client, settings, site)
    with agent_socket(client, csrf, site) as agent, \
            visitor_socket(client, visitor_session(site, settings, clock)) as visitor:
        receive(visitor, "ready")
        chat = start(visitor, name=strings[5][:80] if strings[5].strip() else "x")
        receive(agent, "assigned")
        receive(visitor, "assigned")
        for n, text in enumerate(strings):
            send(visitor, "message", cid=f"v{n}", text=text)
            assert receive(visitor, "message")["text"] == text
            assert receive(agent, "message")["text"] == text
            send(agent, "message", chat=chat, cid=f"a{n}", text=text)
            assert receive(agent, "message")["text"] == text
            assert receive(visitor, "message")["text"] == text
    assert len(strings) > 400


def test_only_sockets_silent_past_the_limit_count_as_gone() -> None:
    class Stub:
        def __init__(self, seen: float, closed: bool = False) -> None:
            self.seen, self.closed = seen, closed

    talking, quiet, gone = Stub(100.0), Stub(30.0), Stub(10.0, closed=True)
    assert silent([talking, quiet, gone], now=100.0, silence=62.5) == [quiet]  # type: ignore[list-item]
    assert silent([talking, quiet], now=92.0, silence=62.5) == []  # type: ignore[list-item]


def test_a_socket_whose_heartbeat_stops_is_closed_with_4432(
        client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock) -> None:
    configure(client, settings, chat_heartbeat=1)
    with visitor_socket(client, visitor_session(site, settings, clock)) as quiet:
        receive(quiet, "ready")
        send(quiet, "ping", id=7)  # a heartbeat: answered, and the socket counts as alive
        assert receive(quiet, "pong")["id"] == 7
        with pytest.raises(WebSocketDisconnect) as closed:
            quiet.receive_json()  # then silence: closed 2.5 to 3 heartbeats later
    assert closed.value.code == p.HEARTBEAT_MISSED
