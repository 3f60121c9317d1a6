"""The chat sockets: the only module that touches a websocket.

Each socket gets a :class:`Peer`: frames to send go into a bounded queue drained by one writer
task, so a client that stops reading fills its own queue and is closed (4431) without ever
blocking the chat, the broker or anyone else. Every frame read goes through
:func:`protocol.parse` with the side's dispatch table, then through the handler of its type, which
checks that this socket may do it (its own chat, its site).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from redis.exceptions import RedisError
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketDisconnected

from helpmenu.auth import widget_session
from helpmenu.auth.console_session import cookie_name, csrf_matches, load_session
from helpmenu.auth.staff import roles_for
from helpmenu.auth.widget_session import WidgetSession
from helpmenu.chat import protocol as p
from helpmenu.chat.desk import Desk
from helpmenu.chat.relay import Relay, chat_of
from helpmenu.chat.service import (
    ChatService,
    Owned,
    agent_channel,
    desk_channel,
)
from helpmenu.chat.store import create_store
from helpmenu.context import Services, services
from helpmenu.sites.schedule import is_open, parse_schedule
from helpmenu.tasks import stop

log = logging.getLogger("helpmenu.chat")

AUTH_TIMEOUT = 10.0
SEND_QUEUE = 256
STRIKES = 20  # refused-for-rate messages before the socket is closed


class Peer:
    """One socket's sending side: a bounded queue and its writer task."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.closed = False
        self.seen = time.monotonic()  # when the client last sent a frame (heartbeats included)
        self._queue: asyncio.Queue[str | tuple[int, str]] = asyncio.Queue(SEND_QUEUE)
        self._writer = asyncio.create_task(self._write())

    def send(self, text: str) -> None:
        if self.closed:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            self.close(p.SLOW_CONSUMER, "too slow to read")

    def close(self, code: int, reason: str = "", *, flush: bool = False) -> None:
        """Close after what is queued (``flush``, when there is room) or at once: a client
        that resumes gets what it missed anyway."""
        if self.closed:
            return
        self.closed = True
        if not flush or self._queue.full():
            while not self._queue.empty():
                self._queue.get_nowait()
        self._queue.put_nowait((code, reason))

    async def _write(self) -> None:
        with contextlib.suppress(Exception):
            while True:
                item = await self._queue.get()
                if isinstance(item, tuple):
                    await self.ws.close(code=item[0], reason=item[1])
                    return
                await self.ws.send_text(item)

    async def finish(self) -> None:
        self.close(p.NORMAL)
        with contextlib.suppress(asyncio.TimeoutError, Exception):
            await asyncio.wait_for(self._writer, 2)
        self._writer.cancel()


def silent(peers: Iterable[Peer], now: float, silence: float) -> list[Peer]:
    """The sockets whose client sent nothing, not even a ping, for ``silence`` seconds."""
    return [peer for peer in peers if not peer.closed and now - peer.seen > silence]


class Limits:
    """Messages per second per socket (a token bucket), and sockets per client address."""

    def __init__(self, rate: int) -> None:
        self.rate = float(rate)
        self.tokens = 2.0 * rate
        self.stamp = time.monotonic()
        self.strikes = 0

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(2 * self.rate, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.strikes += 1
        return False


class ChatHub:
    def __init__(self, svc: Services) -> None:
        s = svc.settings
        self.svc = svc
        self.service = ChatService(svc.broker, create_store(s.redis_url, s.redis_prefix),
                                   svc.sessions, svc.clock, resume_grace=s.chat_resume_grace,
                                   hidden_grace=s.chat_hidden_grace)
        self.per_ip: Counter[str] = Counter()
        self.peers: set[Peer] = set()
        self._agents: dict[int, tuple[float, str]] = {}
        self._sweeper: asyncio.Task[None] | None = None

    def watch(self, peer: Peer) -> None:
        """Count a socket in, and make sure someone closes it if its heartbeat stops."""
        self.peers.add(peer)
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.create_task(self._sweep())

    async def _sweep(self) -> None:
        # One task checks every socket each half heartbeat, instead of a timer armed and
        # cancelled around every frame read: per message that was a Timeout, a TimerHandle and
        # a loop timer, and the garbage collector's work along with them.
        while True:
            heartbeat = self.svc.settings.chat_heartbeat
            await asyncio.sleep(heartbeat / 2)
            for peer in silent(self.peers, time.monotonic(), heartbeat * 2.5):
                peer.close(p.HEARTBEAT_MISSED, "no ping")

    async def agents_frame(self, site: int) -> str:
        """The site's ``agents`` frame, read and encoded once per 100 ms for all the desks of
        this process (a burst of assignments would otherwise have each desk build its own)."""
        now = time.monotonic()
        cached = self._agents.get(site)
        if cached is None or cached[0] < now:
            picks = await self.service.store.agents(site)
            names = await self.service.agent_names([pick.agent for pick in picks])
            agents = [{"id": pick.agent, "name": names[pick.agent], "available": pick.available,
                       "capacity": pick.capacity, "load": pick.load}
                      for pick in sorted(picks, key=lambda pick: pick.agent)]
            cached = self._agents[site] = (now + 0.1, p.frame("agents", agents=agents))
        return cached[1]

    async def close(self) -> None:
        if self._sweeper is not None:
            await stop(self._sweeper)
        await self.service.close()  # ends this process's chats: their sides get "ended" first
        for peer in list(self.peers):
            peer.close(p.SERVICE_RESTART, "server restart", flush=True)


def hub(ws: WebSocket) -> ChatHub:
    """The process's hub, made on first use (it needs the services the lifespan built)."""
    state = ws.app.state
    found: ChatHub | None = getattr(state, "chat_hub", None)
    if found is None:
        found = state.chat_hub = ChatHub(services(ws))
    return found


async def shutdown(app: Any) -> None:
    """Close every chat socket with 1012 (clients reconnect with backoff) and stop the service."""
    found: ChatHub | None = getattr(app.state, "chat_hub", None)
    if found is not None:
        await found.close()
        app.state.chat_hub = None


# ---- common socket plumbing ------------------------------------------------------------------

Handler = Callable[[p.Message], Awaitable[None]]


async def _open(ws: WebSocket, the_hub: ChatHub, table: dict[str, p.Spec]
                ) -> tuple[Peer, p.Message] | None:
    """Origin check, accept, per-address limit, and the first message (which must be auth)."""
    if ws.headers.get("origin") != the_hub.svc.settings.public_origin:
        await ws.close(code=p.FORBIDDEN_ORIGIN)  # before accept: the handshake gets HTTP 403
        return None
    await ws.accept()
    address = ws.client.host if ws.client else ""
    if the_hub.per_ip[address] >= the_hub.svc.settings.chat_sockets_per_ip:
        await ws.close(code=p.TOO_MANY_SOCKETS, reason="too many sockets from this address")
        return None
    try:
        async with asyncio.timeout(AUTH_TIMEOUT):
            raw = await ws.receive_text()
        first = p.parse(raw, table)
    except TimeoutError:
        await ws.close(code=p.AUTH_TIMED_OUT, reason="no auth message")
        return None
    except p.ProtocolError as exc:
        code = p.TOO_BIG if exc.code == "too_big" else p.BAD_MESSAGE
        await ws.close(code=code, reason=exc.code)
        return None
    except WebSocketDisconnect:
        return None
    if first.type != "auth":
        await ws.close(code=p.UNAUTHORIZED, reason="the first message must be auth")
        return None
    return Peer(ws), first


async def _serve(ws: WebSocket, the_hub: ChatHub, peer: Peer, table: dict[str, p.Spec],
                 handlers: dict[str, Handler]) -> None:
    """Read frames until the socket closes: parse, rate-limit, dispatch, answer errors."""
    settings = the_hub.svc.settings
    limits = Limits(settings.chat_rate)
    address = ws.client.host if ws.client else ""
    the_hub.per_ip[address] += 1
    the_hub.watch(peer)
    try:
        while not peer.closed:
            try:
                raw = await ws.receive_text()
            except WebSocketDisconnected:  # our writer closed it while this read waited
                break
            peer.seen = time.monotonic()
            try:
                message = p.parse(raw, table)
            except p.ProtocolError as exc:
                if exc.code == "too_big":
                    peer.close(p.TOO_BIG, "frame over 4 kB")
                    break
                peer.send(p.error(exc.code, exc.detail))
                continue
            if message.type == "ping":
                peer.send(p.frame("pong", id=message["id"]))
                continue
            if not limits.allow():
                if limits.strikes >= STRIKES:
                    peer.close(p.RATE_LIMITED, "too many messages")
                    break
                peer.send(p.error("rate_limited", "slow down"))
                continue
            handler = handlers.get(message.type)
            if handler is None:
                peer.send(p.error("not_allowed", message.type))
                continue
            try:
                await handler(message)
            except p.ProtocolError as exc:
                peer.send(p.error(exc.code, exc.detail))
            except (RedisError, OSError) as exc:
                # Redis away or saturated: this message fails, the socket and the chat do not.
                log.warning("chat %s failed: %s", message.type, type(exc).__name__)
                peer.send(p.error("unavailable", "try again"))
    except WebSocketDisconnect:
        pass
    finally:
        the_hub.peers.discard(peer)
        the_hub.per_ip[address] -= 1
        if the_hub.per_ip[address] <= 0:
            del the_hub.per_ip[address]


# ---- the visitor's socket (opened by the panel) ---------------------------------------------------

async def visitor_socket(ws: WebSocket) -> None:
    the_hub = hub(ws)
    opened = await _open(ws, the_hub, p.VISITOR_TYPES)
    if opened is None:
        return
    peer, auth = opened
    svc = the_hub.svc
    session = widget_session.verify(auth["session"], svc.settings.secret_key, svc.clock.now())
    if session is None:
        await ws.close(code=p.UNAUTHORIZED, reason="invalid or expired session")
        return
    visitor = _Visitor(the_hub, peer, session)
    try:
        await _welcome(the_hub, peer, visitor, auth)
        if not peer.closed:
            await _serve(ws, the_hub, peer, p.VISITOR_TYPES, visitor.handlers())
    finally:
        if visitor.owned is not None:
            await the_hub.service.detach(visitor.owned, peer)
        if visitor.relay is not None:
            await visitor.relay.close()
        await peer.finish()


async def _welcome(the_hub: ChatHub, peer: Peer, visitor: _Visitor, auth: p.Message) -> None:
    """Rejoin the chat named by a resume token, or say whether a chat can start."""
    try:
        if auth["resume"] is not None:
            session, service = visitor.session, the_hub.service
            owned = service.resume(auth["resume"], session.site_id, session.user_id)
            if owned is not None:
                visitor.owned = owned
                await service.attach(owned, peer, auth["seen"] or 0)
                return
            # Not ours: another process may own it (no sticky sessions); relay to it.
            chat = chat_of(auth["resume"])
            owner = await service.store.owner(chat)
            if owner is None or owner == service.instance:
                peer.close(p.RESUME_FAILED, "nothing to resume")
                return
            visitor.relay = Relay(service, peer, owner, chat)
            await visitor.relay.open(auth["resume"], auth["seen"] or 0, session.site_id,
                                     session.user_id)
        else:
            peer.send(p.frame("ready", **await visitor.availability()))
    except (RedisError, OSError) as exc:
        log.warning("chat socket could not start: %s", type(exc).__name__)
        peer.close(p.SERVICE_RESTART, "try again")  # the client reconnects with backoff


class _Visitor:
    def __init__(self, the_hub: ChatHub, peer: Peer, session: WidgetSession) -> None:
        self.hub, self.peer, self.session = the_hub, peer, session
        self.owned: Owned | None = None
        self.relay: Relay | None = None  # the chat is another process's: forward to it

    def handlers(self) -> dict[str, Handler]:
        own: dict[str, Handler] = {
            "start": self.start, "message": self.message, "typing": self.typing,
            "seen": self.seen, "page": self.page, "hidden": self.hidden, "save": self.save,
            "end": self.end}
        return {kind: self._routed(kind, handler) for kind, handler in own.items()}

    def _routed(self, kind: str, handler: Handler) -> Handler:
        async def route(msg: p.Message) -> None:
            relay = self.relay
            if relay is None or not relay.live:
                await handler(msg)
            elif kind == "start" and relay.ended:  # a new chat of this socket's own
                self.relay = None
                await relay.close()
                await handler(msg)
            else:
                await relay.forward(kind, dict(msg.fields))

        return route

    async def availability(self) -> dict[str, Any]:
        svc = self.hub.svc
        site = await svc.sites.get(self.session.site_key)
        open_now = site is not None and is_open(parse_schedule(site.schedule), svc.clock.now())
        agents = open_now and await self.hub.service.available(self.session.site_id)
        reason = None if agents else ("closed" if not open_now else "no_agents")
        return {"available": bool(agents), "reason": reason, "heartbeat": svc.settings.chat_heartbeat}

    def _mine(self) -> Owned:
        if self.owned is None or self.owned.conv.state == "ended":
            raise p.ProtocolError("no_chat", "start a chat first")
        return self.owned

    async def start(self, msg: p.Message) -> None:
        if self.owned is not None and self.owned.conv.state != "ended":
            raise p.ProtocolError("not_allowed", "a chat is already open")
        state = await self.availability()
        if not state["available"]:
            raise p.ProtocolError("unavailable", state["reason"])
        self.owned = await self.hub.service.start(self.session.site_id, self.session.user_id,
                                                  self.peer, msg, requester=self.session)

    async def message(self, msg: p.Message) -> None:
        await self.hub.service.visitor_message(self._mine(), msg)

    async def typing(self, msg: p.Message) -> None:
        await self.hub.service.visitor_typing(self._mine(), msg["on"])

    async def seen(self, msg: p.Message) -> None:
        self._mine()

    async def page(self, msg: p.Message) -> None:
        await self.hub.service.visitor_page(self._mine(), msg["page"])

    async def hidden(self, msg: p.Message) -> None:
        self._mine().hidden = msg["gone"]

    async def save(self, msg: p.Message) -> None:
        # Allowed after the end too, while this socket still holds the chat in memory.
        if self.owned is None or not self.owned.conv.lines:
            raise p.ProtocolError("no_chat", "nothing to save")
        await self.hub.service.save(self.owned, self.session)

    async def end(self, msg: p.Message) -> None:
        await self.hub.service.end(self._mine(), "visitor")


# ---- the agent's socket (opened by the console's chat desk) --------------------------------------

async def agent_socket(ws: WebSocket) -> None:
    the_hub = hub(ws)
    opened = await _open(ws, the_hub, p.AGENT_TYPES)
    if opened is None:
        return
    peer, auth = opened
    svc = the_hub.svc
    found = None
    cookie = ws.cookies.get(cookie_name(svc.settings))
    if cookie:
        async with svc.sessions() as session:
            found = await load_session(session, cookie, now=svc.clock.now())
    if found is None or not csrf_matches(found[1].csrf_token, auth["csrf"]) \
            or auth["site"] not in roles_for(found[0]):
        await ws.close(code=p.UNAUTHORIZED, reason="not logged in, bad CSRF token or not your site")
        return
    agent = Desk(the_hub, peer, found[0].id, found[0].name, auth["site"])
    async with svc.broker.subscribe(agent_channel(agent.id), desk_channel(agent.site)) as sub:
        relay = asyncio.create_task(agent.relay(sub))
        try:
            await agent.hello()
            await _serve(ws, the_hub, peer, p.AGENT_TYPES, agent.handlers())
        finally:
            await stop(relay)
            await agent.stop()
            await agent.gone()
            await peer.finish()
