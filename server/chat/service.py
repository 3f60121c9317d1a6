"""The chat service of one process: the conversations it owns, routing, and the broker relay.

A conversation is owned by the process its visitor first connected to; its text lives in that
process's memory only. Everything between processes goes over the broker (docs/chat-protocol.md,
"Between processes"): agents' actions to ``chat:owner:<chat>``, lines and events for an agent to
``chat:agent:<staff id>``, queue and presence changes to ``chat:desk:<site>``. The store holds ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any, Protocol

from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpmenu.auth.models import Staff
from helpmenu.broker import Broker, Subscription
from helpmenu.chat import protocol as p
from helpmenu.chat.conversation import ACTIVE, ENDED, WAITING, Conversation
from helpmenu.chat.models import ChatStat
from helpmenu.chat.relay import Relay, RemotePeer, visitor_action
from helpmenu.chat.store import ChatStore
from helpmenu.clock import Clock
from helpmenu.db import transaction
from helpmenu.tasks import stop

log = logging.getLogger("helpmenu.chat")

# Queue positions are sent at most this often per site: a burst of arrivals (or an agent taking
# several) makes one update for every waiting visitor, not one per arrival for each of them.
POSITIONS_EVERY = 0.05


def owner_channel(instance: str) -> str:
    """The inbox of one process: agents' actions on the chats it owns."""
    return f"chat:owner:{instance}"


def agent_channel(agent: int) -> str:
    return f"chat:agent:{agent}"


def desk_channel(site: int) -> str:
    return f"chat:desk:{site}"


class Peer(Protocol):
    """A visitor's socket as the service sees it (hub.Peer)."""

    def send(self, text: str) -> None: ...

    def close(self, code: int, reason: str = "") -> None: ...


class Owned:
    """A conversation this process owns, with its visitor's socket (None while reconnecting)."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv
        self.visitor: Peer | None = None
        self.hidden = False
        self.grace: asyncio.Task[None] | None = None
        self.requester: Any = None  # the visitor's widget session: a save files the request as them


class ChatService:
    def __init__(self, broker: Broker, store: ChatStore, sessions: async_sessionmaker[AsyncSession],
                 clock: Clock, *, resume_grace: float, hidden_grace: float,
                 monotonic: Callable[[], float] = time.time) -> None:
        self.broker = broker
        self.store = store
        self.sessions = sessions
        self.clock = clock
        self.resume_grace = resume_grace
        self.hidden_grace = hidden_grace
        self.now = monotonic  # wall seconds for waiting times shown to people, never for the schedule
        self.owned: dict[str, Owned] = {}
        self.by_token: dict[str, str] = {}
        self._watchers: dict[int, asyncio.Task[None]] = {}
        self._positioning: dict[int, asyncio.Task[None]] = {}
        self._names: dict[int, str] = {}
        self._names_lock = asyncio.Lock()
        self.instance = secrets.token_hex(8)
        self.relays: dict[str, Relay] = {}  # visitor sockets here whose chat another process owns
        self.lingering: dict[str, Owned] = {}  # ended, while a relayed socket may still save them
        self._inbox: asyncio.Task[None] | None = None
        self._inbox_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()

    # ---- visitor side (called by the hub for the sockets it holds) ----------------------------

    async def available(self, site: int) -> bool:
        """Whether an agent is available (maybe busy: then the chat queues for them)."""
        return any(a.available and a.capacity > 0 for a in await self.store.agents(site))

    async def start(self, site: int, user_id: str, visitor: Peer, msg: p.Message,
                    requester: Any = None) -> Owned:
        conv = Conversation(secrets.token_hex(12), site, user_id, msg["name"].strip(),
                            msg["phone"], msg["question"].strip(), msg["page"] or "", self.now())
        owned = Owned(conv)
        owned.visitor, owned.requester = visitor, requester
        self.owned[conv.id] = owned
        self.by_token[conv.resume_token] = conv.id
        await self.ensure_inbox()
        await self.store.set_owner(conv.id, self.instance)
        visitor.send(p.frame("started", chat=conv.id, token=conv.resume_token, since=conv.created))
        await self._route(owned)
        return owned

    async def visitor_message(self, owned: Owned, msg: p.Message) -> None:
        conv = owned.conv
        if conv.state != ACTIVE or conv.agent is None:
            raise p.ProtocolError("not_allowed", "no agent has joined yet")
        line, new = conv.add("visitor", conv.name, msg["text"], msg["cid"], self.now())
        out = p.frame("message", chat=conv.id, **line.public())
        if owned.visitor is not None:
            owned.visitor.send(out)
        if new:
            await self.broker.publish(agent_channel(conv.agent), {"raw": out, "chat": conv.id})

    async def visitor_typing(self, owned: Owned, on: bool) -> None:
        if owned.conv.agent is not None and owned.conv.state == ACTIVE:
            await self._to_agent(owned.conv, "typing", on=on)

    async def visitor_page(self, owned: Owned, page: str) -> None:
        owned.conv.page = page
        await self._announce(owned)

    async def ensure_inbox(self) -> None:
        """Listen on this process's inbox (agents' actions, relayed visitors' traffic); on
        return the subscription is in place, so an answer to what the caller sends next
        cannot arrive before it."""
        async with self._inbox_lock:
            if self._inbox is None:
                sub = self.broker.subscribe(owner_channel(self.instance))
                await sub.__aenter__()
                self._inbox = self._spawn(self._listen(sub))

    def resume(self, token: str, site: int, user_id: str) -> Owned | None:
        chat = self.by_token.get(token)
        owned = self.owned.get(chat) if chat else None
        if owned is None or owned.conv.site_id != site or owned.conv.user_id != user_id:
            return None
        return owned

    async def attach(self, owned: Owned, visitor: Peer, seen: int) -> None:
        if owned.grace is not None:
            owned.grace.cancel()
            owned.grace = None
        if owned.visitor is not None and owned.visitor is not visitor:
            owned.visitor.close(p.REPLACED, "resumed elsewhere")
        owned.visitor, owned.hidden = visitor, False
        conv = owned.conv
        visitor.send(p.frame("resumed", chat=conv.id, state=conv.state, agent=conv.agent_name,
                             since=conv.created, question=conv.question,
                             lines=[ln.public() for ln in conv.since(seen)]))
        if conv.state == WAITING:
            await self._positions(conv.site_id)
        elif conv.agent is not None:
            await self._to_agent(conv, "peer", connected=True)

    async def detach(self, owned: Owned, visitor: Peer) -> None:
        """The visitor's socket closed: wait out the grace window, then end the chat."""
        if owned.visitor is not visitor or owned.conv.state == ENDED:
            return
        owned.visitor = None
        grace = self.hidden_grace if owned.hidden else self.resume_grace
        owned.grace = self._spawn(self._expire(owned, grace))
        if owned.conv.agent is not None:
            await self._to_agent(owned.conv, "peer", connected=False, grace=grace)

    async def end(self, owned: Owned, by: str, reason: str = "") -> None:
        conv = owned.conv
        if not conv.end(by, self.now()):
            return
        self.owned.pop(conv.id, None)
        self.by_token.pop(conv.resume_token, None)
        if isinstance(owned.visitor, RemotePeer):
            self.lingering[conv.id] = owned
        await self.store.drop_owner(conv.id)  # first: a resume anywhere now gets 4441 at once
        if owned.grace is not None and owned.grace is not asyncio.current_task():
            owned.grace.cancel()
        if await self.store.dequeue(conv.site_id, conv.id):
            await self.broker.publish(desk_channel(conv.site_id), {"e": "gone", "chat": conv.id})
        if conv.agent is not None:
            await self.store.release(conv.site_id, conv.agent)
            await self._to_agent(conv, "ended", by=by, reason=reason)
            await self.broker.publish(desk_channel(conv.site_id), {"e": "agents"})
        if owned.visitor is not None:
            owned.visitor.send(p.frame("ended", chat=conv.id, by=by, reason=reason))
        self._maybe_unwatch(conv.site_id)
        self._spawn(self._record(conv))

    async def save(self, owned: Owned, requester: Any) -> int:
        """The visitor asked to keep this chat: file a request from the transcript in memory,
        through the tickets service (the site's "Chat" topic, the question as the subject, each
        line with its author), once: a second press answers the same request."""
        from helpmenu.tickets.service import LIMITS, create_request

        conv = owned.conv
        lines = [f"{ln.name or ln.author}: {ln.text}" for ln in conv.lines]
        message = "\n\n".join([conv.question, *lines])
        if len(message) > LIMITS["message"]:
            message = message[: LIMITS["message"] - 1] + "…"
        async with transaction(self.sessions) as session:
            created = await create_request(
                session, site_id=conv.site_id, requester=requester, topic="Chat",
                subject=conv.question, message=message, context={"source": "chat"},
                now=self.clock.now(), idempotency_key=f"chat:{conv.id}", contact_name=conv.name,
                source="chat")
            number = int(created.ticket.number)
        conv.saved = True
        if owned.visitor is not None:
            owned.visitor.send(p.frame("saved", chat=conv.id, number=number))
        if conv.agent is not None:
            await self._to_agent(conv, "saved", number=number)
        return number

    # ---- agents' actions, relayed to the owner ------------------------------------------------

    async def _listen(self, sub: Subscription) -> None:
        """One subscription per process: agents' actions name the chat they are about; frames
        for a relayed visitor socket name the socket (``for_socket``), its actions start with ``v:``."""
        try:
            async for message in sub:
                data = message.data
                if "for_socket" in data:
                    relay = self.relays.get(str(data["for_socket"]))
                    if relay is not None:
                        relay.deliver(data)
                    continue
                if str(data.get("op", "")).startswith("v:"):
                    try:
                        await visitor_action(self, data)
                    except Exception:  # one bad action must not stop the others
                        log.exception("relayed chat action failed")
                    continue
                owned = self.owned.get(str(message.data.get("chat")))
                if owned is None:
                    continue
                try:
                    await self._act(owned, message.data)
                except Exception:  # one bad action must not stop the others
                    log.exception("chat action failed")
        finally:
            await sub.__aexit__(None, None, None)

    async def _act(self, owned: Owned, op: dict[str, Any]) -> None:
        conv, kind, agent = owned.conv, op.get("op"), op.get("agent")
        if kind == "describe":
            if op.get("reply") is None:
                await self._announce(owned)
            elif conv.site_id == op.get("site") and conv.agent == agent and agent is not None:
                await self._details(owned, int(agent))
            return
        if kind == "assign":
            await self._assign_taken(owned, int(op["agent"]))
            return
        if conv.agent is None or conv.agent != agent or conv.state != ACTIVE:
            await self.broker.publish(agent_channel(int(agent or 0)), {"raw": p.error(
                "not_yours", "this chat is not yours", chat=conv.id)})
            return
        if kind == "msg":
            line, new = conv.add("agent", conv.agent_name, str(op["text"]), str(op["cid"]),
                                 self.now())
            out = p.frame("message", chat=conv.id, **line.public())
            await self.broker.publish(agent_channel(conv.agent), {"raw": out, "chat": conv.id})
            if new and owned.visitor is not None:
                owned.visitor.send(out)
        elif kind == "typing":
            if owned.visitor is not None:
                owned.visitor.send(p.frame("typing", on=bool(op.get("on"))))
        elif kind == "end":
            await self.end(owned, "agent")
        elif kind == "transfer":
            await self._transfer(owned, int(op["to"]))

    async def _transfer(self, owned: Owned, to: int) -> None:
        conv = owned.conv
        old = conv.agent
        assert old is not None  # noqa: S101 - checked by _act
        if to == old or not await self.store.take(conv.site_id, to):
            await self.broker.publish(agent_channel(old), {"raw": p.error(
                "unavailable", "that agent cannot take a chat now", chat=conv.id)})
            return
        await self.store.release(conv.site_id, old)
        await self._to_agent(conv, "ended", by="agent", reason="transferred")
        await self._assign(owned, to)

    # ---- routing -------------------------------------------------------------------------------

    async def _route(self, owned: Owned) -> None:
        conv = owned.conv
        agent = await self.store.take_least_loaded(conv.site_id)
        if agent is not None:
            await self._assign(owned, agent)
            return
        await self.store.enqueue(conv.site_id, conv.id, conv.created)
        self._watch(conv.site_id)
        await self._announce(owned)
        await self._positions(conv.site_id)

    async def _assign_taken(self, owned: Owned, agent: int) -> None:
        """An agent took this chat from the queue (their load is already counted)."""
        if owned.conv.state != WAITING:
            await self.store.release(owned.conv.site_id, agent)
            return
        await self._assign(owned, agent)
        await self._positions(owned.conv.site_id)

    async def _assign(self, owned: Owned, agent: int) -> None:
        conv = owned.conv
        name = await self.agent_name(agent)
        conv.assign(agent, name, self.now())
        await self.broker.publish(agent_channel(agent), {"raw": p.frame(
            "assigned", chat=conv.id, visitor=conv.summary(),
            connected=owned.visitor is not None,
            lines=[ln.public() for ln in conv.lines]), "chat": conv.id, "add": True,
            "owner": self.instance})
        await self.broker.publish(desk_channel(conv.site_id), {"e": "agents"})
        if owned.visitor is not None:
            owned.visitor.send(p.frame("assigned", chat=conv.id, agent=name))

    async def _announce(self, owned: Owned) -> None:
        """Tell the desks (or one agent) what they show about this chat; text over pub/sub only."""
        conv = owned.conv
        summary = conv.summary()
        summary["connected"] = owned.visitor is not None
        if conv.state == WAITING:
            await self.broker.publish(desk_channel(conv.site_id), {"e": "waiting", "chat": summary})
        elif conv.agent is not None:
            await self.broker.publish(agent_channel(conv.agent), {
                "raw": p.frame("details", chat=conv.id, visitor=summary), "chat": conv.id,
                "owner": self.instance})

    async def _details(self, owned: Owned, agent: int) -> None:
        """Everything the assigned agent sees: after a reconnect their desk catches up from this."""
        conv = owned.conv
        summary = conv.summary()
        summary["connected"] = owned.visitor is not None
        await self.broker.publish(agent_channel(agent), {"raw": p.frame(
            "details", chat=conv.id, visitor=summary, lines=[ln.public() for ln in conv.lines]),
            "chat": conv.id, "owner": self.instance})

    async def _to_agent(self, conv: Conversation, kind: str, **fields: Any) -> None:
        if conv.agent is not None:
            await self.broker.publish(agent_channel(conv.agent), {
                "raw": p.frame(kind, chat=conv.id, **fields), "chat": conv.id,
                "drop": kind == "ended"})

    # ---- queue positions for this process's waiting visitors ------------------------------------

    def _watch(self, site: int) -> None:
        if site not in self._watchers:
            self._watchers[site] = self._spawn(self._watch_desk(site))

    def _maybe_unwatch(self, site: int) -> None:
        if not any(o.conv.site_id == site and o.conv.state == WAITING for o in self.owned.values()):
            task = self._watchers.pop(site, None)
            if task is not None and task is not asyncio.current_task():
                task.cancel()

    async def _watch_desk(self, site: int) -> None:
        async with self.broker.subscribe(desk_channel(site)) as sub:
            async for message in sub:
                event = message.data.get("e")
                if event in ("waiting", "gone"):
                    await self._positions(site)
                elif event == "describe":  # a desk just connected: show it who waits here
                    for owned in list(self.owned.values()):
                        if owned.conv.site_id == site and owned.conv.state == WAITING:
                            await self._announce(owned)

    async def _positions(self, site: int) -> None:
        """Send every waiting visitor of this process their place, soon and once per burst."""
        if site not in self._positioning:
            self._positioning[site] = self._spawn(self._positions_later(site))

    async def _positions_later(self, site: int) -> None:
        try:
            await asyncio.sleep(POSITIONS_EVERY)
        finally:
            del self._positioning[site]  # an arrival from now on schedules the next update
        try:
            await self._send_positions(site)
        except (RedisError, OSError) as exc:  # the next change sends them again
            log.warning("chat queue positions not sent: %s", type(exc).__name__)

    async def _send_positions(self, site: int) -> None:
        queue = await self.store.queue(site)
        for position, (chat, since) in enumerate(queue, start=1):
            owned = self.owned.get(chat)
            if owned is not None and owned.visitor is not None and owned.conv.state == WAITING:
                owned.visitor.send(p.frame("queued", chat=chat, position=position, since=since))

    # ---- helpers ----------------------------------------------------------------------------------

    async def agent_name(self, agent: int) -> str:
        return (await self.agent_names([agent]))[agent]

    async def agent_names(self, agents: list[int]) -> dict[int, str]:
        """Staff names, cached: one query for all the missing ones, never two at once (a desk
        full of agents connecting together would otherwise ask for every name many times)."""
        if any(a not in self._names for a in agents):
            async with self._names_lock:
                missing = [a for a in agents if a not in self._names]
                if missing:
                    async with self.sessions() as session:
                        rows = await session.execute(
                            select(Staff.id, Staff.name).where(Staff.id.in_(missing)))
                        self._names.update({row.id: row.name for row in rows})
                    for agent in missing:
                        self._names.setdefault(agent, "")
        return {a: self._names[a] for a in agents}

    async def _expire(self, owned: Owned, grace: float) -> None:
        await asyncio.sleep(grace)
        await self.end(owned, "timeout", "the visitor did not come back")

    async def _record(self, conv: Conversation) -> None:
        """Keep the numbers of a finished chat; its text is dropped with the conversation."""
        try:
            async with transaction(self.sessions) as session:
                session.add(ChatStat(site_id=conv.site_id, ended_at=self.clock.now(), **conv.stats()))
        except Exception:
            log.exception("could not record chat statistics")

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        """Run a task the service stops on shutdown."""
        return self._spawn(coro)

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def close(self) -> None:
        """Shutting down: this process's chats end here (their text goes with its memory), so
        agents are told, their loads released and the owners' entries removed; a visitor's
        reconnect elsewhere then gets 4441 instead of waiting for an owner that is gone."""
        for owned in list(self.owned.values()):
            with contextlib.suppress(RedisError, OSError):
                await self.end(owned, "timeout", "server restart")
        await asyncio.gather(*(stop(task) for task in list(self._tasks)))
        await self.store.close()
