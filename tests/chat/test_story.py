"""The chat story on one process, over real websockets: queue, accept, talk, type, end."""

from __future__ import annotations

from starlette.testclient import TestClient

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
from tests.conftest import SiteFixture


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
