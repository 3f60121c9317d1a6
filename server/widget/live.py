"""The panel's live socket: one websocket per open panel, over which the server pushes events.

The rules every panel socket follows (docs/live.md): the ``Origin`` must be our own public
origin (the panel's), and the widget session comes in the first message, never in the URL.
Features publish to the user's broker channel (:func:`user_channel`); every process relays
what it receives to the sockets it holds, so it does not matter which process the panel reached.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from helpmenu.auth import widget_session
from helpmenu.auth.widget_session import WidgetSession
from helpmenu.broker import Subscription
from helpmenu.context import Services, services
from helpmenu.tasks import stop

AUTH_TIMEOUT = 10.0
MAX_MESSAGE = 4096

# Close codes (4000-4999 are ours; docs/live.md lists them).
BAD_MESSAGE = 4400
UNAUTHORIZED = 4401
FORBIDDEN_ORIGIN = 4403
AUTH_TIMED_OUT = 4408
SERVICE_RESTART = 1012


def user_channel(site_id: int, user_id: str) -> str:
    """The broker channel of one widget user (identified or anonymous) of one site."""
    return f"widget:{site_id}:{user_id}"


def account_channel(site_id: int, account: str) -> str:
    """The broker channel every user of one account of one site listens to."""
    return f"account:{site_id}:{account}"


async def authenticate(ws: WebSocket, svc: Services) -> WidgetSession | None:
    """Check the origin, accept, and read the session from the first message; None if refused."""
    if ws.headers.get("origin") != svc.settings.public_origin:
        await ws.close(code=FORBIDDEN_ORIGIN)  # before accept: the handshake gets HTTP 403
        return None
    await ws.accept()
    try:
        raw = await asyncio.wait_for(ws.receive_text(), AUTH_TIMEOUT)
    except TimeoutError:
        await ws.close(code=AUTH_TIMED_OUT, reason="no auth message")
        return None
    message = _parse(raw)
    if message is None or message.get("type") != "auth" or not isinstance(message.get("session"), str):
        await ws.close(code=UNAUTHORIZED, reason="the first message must be auth")
        return None
    session = widget_session.verify(message["session"], svc.settings.secret_key, svc.clock.now())
    if session is None:
        await ws.close(code=UNAUTHORIZED, reason="invalid or expired session")
        return None
    return session


async def live_socket(ws: WebSocket) -> None:
    svc = services(ws)
    session = await authenticate(ws, svc)
    if session is None:
        return
    channels = [user_channel(session.site_id, session.user_id)]
    if session.account and not session.anonymous:
        channels.append(account_channel(session.site_id, session.account))
    async with svc.broker.subscribe(*channels) as subscription:
        await ws.send_json({"type": "ready", "user": session.public_user()})
        relay = asyncio.create_task(_relay(ws, subscription))
        try:
            await _read(ws, svc, session)
        finally:
            await stop(relay)


async def _read(ws: WebSocket, svc: Services, session: WidgetSession) -> None:
    try:
        while True:
            raw = await ws.receive_text()
            if session.expires_at <= svc.clock.now().timestamp():
                await ws.close(code=UNAUTHORIZED, reason="session expired")
                return
            message = _parse(raw)
            if message is None:
                await ws.send_json({"type": "error", "error": "bad_message"})
            elif message.get("type") == "ping":
                await ws.send_json({"type": "pong", "id": message.get("id")})
            else:
                await ws.send_json({"type": "error", "error": "unknown_type"})
    except WebSocketDisconnect:
        return


async def _relay(ws: WebSocket, subscription: Subscription) -> None:
    async for message in subscription:
        if ws.application_state != WebSocketState.CONNECTED:
            return
        await ws.send_json({"type": "event", "event": message.data})


def _parse(raw: str) -> dict[str, Any] | None:
    if len(raw) > MAX_MESSAGE:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
