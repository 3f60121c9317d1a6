"""The loader's popup socket: origin and session checks, state pushed on replies, snooze with the
injected clock, dismiss and read per recipient, every tab of a user, and account-wide messages."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from helpmenu.clock import FixedClock
from tests.conftest import HOST_ORIGIN, SiteFixture
from tests.console.conftest import csrf_of
from tests.tickets.conftest import Widget

URL = "/api/widget/popups"


def connect(widget: Widget, site: SiteFixture, origin: str = HOST_ORIGIN) -> Any:
    return widget.client.websocket_connect(f"{URL}?site={site.public_key}&locale=en",
                                           headers={"origin": origin})


def hello(ws: Any, widget: Widget) -> dict[str, Any]:
    ws.send_json({"type": "auth", "session": widget.token})
    first: dict[str, Any] = ws.receive_json()
    assert first["type"] == "state"
    return first


def console_post(agent_client: TestClient, path: str, **data: str) -> None:
    page = agent_client.get("/console/requests")
    response = agent_client.post(path, data={"csrf_token": csrf_of(page.text), **data},
                                 follow_redirects=False)
    assert response.status_code == 303, response.text


def test_only_allowed_origins_and_a_session_in_the_first_message(
    olena: Widget, site: SiteFixture, stranger: Widget
) -> None:
    for origin in ("https://evil.example", "null"):
        with pytest.raises(WebSocketDisconnect) as refused, connect(olena, site, origin):
            pass
        assert refused.value.code == 4403
    with connect(olena, site) as ws:
        ws.send_json({"type": "auth", "session": "forged"})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4401
    with pytest.raises(WebSocketDisconnect) as unknown, olena.client.websocket_connect(
            f"{URL}?site=pk_nope", headers={"origin": HOST_ORIGIN}):
        pass
    assert unknown.value.code == 4403


def test_a_reply_arrives_snoozes_and_comes_back(
    olena: Widget, colleague: Widget, site: SiteFixture, agent_client: TestClient,
    clock: FixedClock, settings: Any
) -> None:
    number = olena.create(olena.topics()[0]["id"]).json()["number"]
    with connect(olena, site) as ws, connect(olena, site) as second_tab:
        first = hello(ws, olena)
        assert first["items"] == [] and first["unread"] == 0 and "popup.later" in first["strings"]
        hello(second_tab, olena)
        console_post(agent_client, f"/console/requests/{number}/reply", body="Internal only",
                     internal="1")
        console_post(agent_client, f"/console/requests/{number}/reply", body="Try version 4.3")
        state = ws.receive_json()
        assert [(i["number"], i["preview"], i["kind"]) for i in state["items"]] == [
            (number, "Try version 4.3", "reply")]
        assert state["unread"] == 1 and "Internal only" not in str(state)
        assert second_tab.receive_json()["items"] == state["items"]
        item = state["items"][0]["id"]

        ws.send_json({"type": "snooze", "id": item})
        assert ws.receive_json()["items"] == []
        assert second_tab.receive_json()["items"] == []  # every open tab hears it
        clock.advance(minutes=59)
        ws.send_json({"type": "sync"})
        assert ws.receive_json()["items"] == []
        clock.advance(minutes=2)  # the site's default delay is one hour
        ws.send_json({"type": "sync"})
        assert [i["id"] for i in ws.receive_json()["items"]] == [item]

        ws.send_json({"type": "dismiss", "id": item})
        assert ws.receive_json()["items"] == []
        assert second_tab.receive_json()["items"] == []
    # A new page load sees nothing either: the state is on the server.
    with connect(olena, site) as ws:
        again = hello(ws, olena)
        assert again["items"] == [] and again["unread"] == 1  # dismissed, yet still unread
    olena.get(f"/api/tickets/{number}")  # viewing the request reads it
    with connect(olena, site) as ws:
        assert hello(ws, olena)["unread"] == 0
    # The colleague of the same account has their own state: still pending for them.
    with connect(colleague, site) as ws:
        assert [i["number"] for i in hello(ws, colleague)["items"]] == [number]


def test_a_message_from_support_reaches_the_account_only(
    olena: Widget, colleague: Widget, stranger: Widget, site: SiteFixture,
    agent_client: TestClient
) -> None:
    olena.create(olena.topics()[0]["id"])
    with connect(colleague, site) as ws, connect(stranger, site) as other:
        hello(ws, colleague)
        hello(other, stranger)
        console_post(agent_client, "/console/requests/message", target="acc:hotel-dnipro",
                     subject="Maintenance tonight", body="We update the servers at 23:00.")
        state = ws.receive_json()
        assert [(i["subject"], i["support"], i["kind"]) for i in state["items"]] == [
            ("Maintenance tonight", True, "message")]
        other.send_json({"type": "dismiss", "id": state["items"][0]["id"]})  # not theirs
        other.send_json({"type": "sync"})
        assert other.receive_json()["items"] == []
        other.send_json({"type": "ping", "id": 1})
        assert other.receive_json() == {"type": "pong", "id": 1}
    history = olena.get("/api/tickets").json()["items"]
    assert history[0]["subject"] == "Maintenance tonight"
    assert stranger.get("/api/tickets").json()["total"] == 0
    # It can be answered like any request.
    assert olena.reply(history[0]["number"], "Thanks, noted").status_code == 201


def test_a_status_change_is_a_popup_too(olena: Widget, site: SiteFixture,
                                        agent_client: TestClient) -> None:
    number = olena.create(olena.topics()[0]["id"]).json()["number"]
    with connect(olena, site) as ws:
        hello(ws, olena)
        console_post(agent_client, f"/console/requests/{number}/update", status="resolved")
        state = ws.receive_json()
        assert [(i["kind"], i["preview"]) for i in state["items"]] == [("status", "resolved")]
