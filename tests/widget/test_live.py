"""The panel's live socket: origin and session checks, pings, and events relayed from the broker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from helpmenu.auth import widget_session
from helpmenu.clock import FixedClock
from helpmenu.settings import Settings
from helpmenu.widget.live import account_channel, user_channel
from tests.conftest import PUBLIC_URL, SiteFixture

URL = "/api/widget/live"


def session_for(site: SiteFixture, settings: Settings, clock: FixedClock, *, ttl: int = 600,
                account: str | None = "hotel-dnipro") -> tuple[str, widget_session.WidgetSession]:
    exp = int((clock.now() + timedelta(seconds=ttl)).timestamp())
    session = widget_session.WidgetSession(site.id, site.public_key, "u:42", False, "Olena", None,
                                           account, exp)
    return widget_session.issue(session, settings.secret_key, clock.now()), session


def publish(client: TestClient, channel: str, data: dict[str, object]) -> None:
    broker = client.app.state.services.broker  # type: ignore[attr-defined]
    client.portal.call(broker.publish, channel, data)  # type: ignore[union-attr]


def test_events_for_the_user_and_the_account_are_relayed(
    client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock
) -> None:
    token, session = session_for(site, settings, clock)
    with client.websocket_connect(URL, headers={"origin": PUBLIC_URL}) as ws:
        ws.send_json({"type": "auth", "session": token})
        assert ws.receive_json() == {"type": "ready", "user": session.public_user()}
        ws.send_json({"type": "ping", "id": 7})
        assert ws.receive_json() == {"type": "pong", "id": 7}
        publish(client, user_channel(site.id, "u:42"), {"kind": "reply", "request": 1042})
        assert ws.receive_json() == {"type": "event", "event": {"kind": "reply", "request": 1042}}
        publish(client, user_channel(site.id, "u:43"), {"kind": "not for you"})
        publish(client, account_channel(site.id, "hotel-dnipro"), {"kind": "account news"})
        assert ws.receive_json()["event"] == {"kind": "account news"}


def test_another_origin_is_refused_before_the_handshake(client: TestClient) -> None:
    for origin in ("https://app.example.com", "null"):
        with pytest.raises(WebSocketDisconnect) as refused, \
                client.websocket_connect(URL, headers={"origin": origin}):
            pass
        assert refused.value.code == 4403
    with pytest.raises(WebSocketDisconnect), client.websocket_connect(URL):
        pass


@pytest.mark.parametrize(
    "first",
    [{"type": "ping"}, {"type": "auth"}, {"type": "auth", "session": "forged.token.x"}, "not json"],
)
def test_no_valid_session_in_the_first_message_is_refused(
    client: TestClient, first: object
) -> None:
    with client.websocket_connect(URL, headers={"origin": PUBLIC_URL}) as ws:
        if isinstance(first, str):
            ws.send_text(first)
        else:
            ws.send_json(first)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4401


def test_an_expired_session_closes_the_socket(
    client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock
) -> None:
    token, _ = session_for(site, settings, clock, ttl=60)
    with client.websocket_connect(URL, headers={"origin": PUBLIC_URL}) as ws:
        ws.send_json({"type": "auth", "session": token})
        ws.receive_json()
        clock.advance(seconds=61)
        ws.send_json({"type": "ping"})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4401


def test_bad_messages_get_errors_not_a_crash(
    client: TestClient, site: SiteFixture, settings: Settings, clock: FixedClock
) -> None:
    token, _ = session_for(site, settings, clock)
    with client.websocket_connect(URL, headers={"origin": PUBLIC_URL}) as ws:
        ws.send_json({"type": "auth", "session": token})
        ws.receive_json()
        for raw in ("{", "[]", "x" * 5000, '{"type": "launch-missiles"}'):
            ws.send_text(raw)
            assert ws.receive_json()["type"] == "error"
        ws.send_json({"type": "ping", "id": "still alive"})
        assert ws.receive_json()["id"] == "still alive"
