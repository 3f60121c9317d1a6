"""The loader's popup channel: one websocket per host page, opened from the host's origin.

Unlike the panel's socket (our own origin), this one is opened by the loader in the host page, so
its ``Origin`` is the host app's: it must be one of the site's allowed origins, named by the
site's public key in the URL (a public value, no secret). The widget session comes in the first
message, never in the URL (docs/live.md). The server then sends the user's popup state, and again
whenever a change reaches the user's or their account's broker channel, a snooze runs out, or the
client asks (``sync``). Snooze, dismiss and read travel back over the same socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import datetime
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from helpmenu.auth import widget_session
from helpmenu.auth.widget_session import WidgetSession
from helpmenu.context import Services, services
from helpmenu.db import transaction
from helpmenu.tickets import notifications, service
from helpmenu.widget.live import (
    AUTH_TIMEOUT,
    FORBIDDEN_ORIGIN,
    MAX_MESSAGE,
    UNAUTHORIZED,
    account_channel,
    user_channel,
)

MAX_WAIT = 300.0  # re-check at least this often, whatever the clock says


async def _authenticate(ws: WebSocket, svc: Services) -> tuple[WidgetSession, str] | None:
    site = await svc.sites.get(ws.query_params.get("site", ""))
    if site is None or ws.headers.get("origin") not in site.allowed_origins:
        await ws.close(code=FORBIDDEN_ORIGIN)  # before accept: the handshake gets HTTP 403
        return None
    await ws.accept()
    try:
        message = _parse(await asyncio.wait_for(ws.receive_text(), AUTH_TIMEOUT))
    except (TimeoutError, WebSocketDisconnect):
        with contextlib.suppress(RuntimeError):
            await ws.close(code=4408, reason="no auth message")
        return None
    token = message.get("session") if message and message.get("type") == "auth" else None
    session = widget_session.verify(token, svc.settings.secret_key, svc.clock.now()) \
        if isinstance(token, str) else None
    if session is None or session.site_id != site.id:
        await ws.close(code=UNAUTHORIZED, reason="invalid or expired session")
        return None
    locale = svc.assets.pick_locale(ws.query_params.get("locale"), site.default_locale)
    return session, locale


async def popup_socket(ws: WebSocket) -> None:
    svc = services(ws)
    found = await _authenticate(ws, svc)
    if found is None:
        return
    session, locale = found
    channels = [user_channel(session.site_id, session.user_id)]
    if session.account and not session.anonymous:
        channels.append(account_channel(session.site_id, session.account))
    async with svc.broker.subscribe(*channels) as subscription:
        wake = await _send_state(ws, svc, session, _hello(svc, locale))
        receiver: asyncio.Task[str] = asyncio.create_task(ws.receive_text())
        getter = asyncio.create_task(subscription.get())
        try:
            while True:
                done, _ = await asyncio.wait({receiver, getter}, timeout=_timeout(svc, wake),
                                             return_when=asyncio.FIRST_COMPLETED)
                refresh = not done  # a snooze ran out
                if receiver in done:
                    try:
                        raw = receiver.result()
                    except WebSocketDisconnect:
                        return
                    answer = await _handle(ws, svc, session, raw)
                    if answer is None:
                        return
                    refresh = refresh or answer
                    receiver = asyncio.create_task(ws.receive_text())
                if getter in done:
                    refresh = True
                    getter = asyncio.create_task(subscription.get())
                if refresh:
                    wake = await _send_state(ws, svc, session)
        finally:
            for task in (receiver, getter):
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task


def _hello(svc: Services, locale: str) -> dict[str, Any]:
    """What the loader needs once: the popup chunk's URL and its strings, in the user's language."""
    name = svc.assets.manifest.get("popup")
    strings = {k: v for k, v in svc.assets.strings(locale).items() if k.startswith("popup.")} \
        if svc.assets.built else {}
    return {"popup": f"{svc.settings.public_origin}/widget/assets/{name}" if name else None,
            "strings": strings, "locale": locale}


def _timeout(svc: Services, wake: datetime | None) -> float:
    if wake is None:
        return MAX_WAIT
    return min(MAX_WAIT, max(0.05, (wake - svc.clock.now()).total_seconds()))


async def _send_state(ws: WebSocket, svc: Services, session: WidgetSession,
                      extra: dict[str, Any] | None = None) -> datetime | None:
    async with svc.sessions() as db:
        found = await notifications.state(db, session.site_id, session.user_id,
                                          service.audiences_of(session), svc.clock.now())
    await ws.send_json({"type": "state", "items": found.items, "unread": found.unread,
                        **(extra or {})})
    return found.wake_at


async def _handle(ws: WebSocket, svc: Services, session: WidgetSession,
                  raw: str) -> bool | None:
    """One client message: whether to send the state now (an action is answered through the
    broker instead, as every other tab is), or None when the socket should end."""
    now = svc.clock.now()
    if session.expires_at <= now.timestamp():
        await ws.close(code=UNAUTHORIZED, reason="session expired")
        return None
    message = _parse(raw)
    kind = message.get("type") if message else None
    if kind == "ping":
        await ws.send_json({"type": "pong", "id": message.get("id") if message else None})
    elif kind in notifications.ACTIONS and isinstance(message, dict) \
            and isinstance(message.get("id"), int):
        audiences = service.audiences_of(session)
        async with transaction(svc.sessions) as db:
            options = await service.site_settings(db, session.site_id)
            done = await notifications.act(db, session.site_id, session.user_id, audiences,
                                           message["id"], kind, now, options.snooze_seconds)
        if done:  # this tab and every other tab of this user hear it through the broker
            await notifications.publish(svc.broker, session.site_id, [session.user_id])
        return False
    elif kind == "sync":
        return True
    else:
        await ws.send_json({"type": "error", "error": "unknown_type" if message else "bad_message"})
    return False


def _parse(raw: str) -> dict[str, Any] | None:
    if len(raw) > MAX_MESSAGE:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
