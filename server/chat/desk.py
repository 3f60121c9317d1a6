"""The agents' side of the chat desk: what an agent's socket may do, and what the broker brings
for it (frames of its chats, queue and presence changes). The socket itself is the hub's."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from helpmenu.chat import protocol as p
from helpmenu.chat.service import desk_channel, owner_channel
from helpmenu.tasks import stop

if TYPE_CHECKING:
    from helpmenu.chat.hub import ChatHub, Handler, Peer


class Desk:
    """One agent's socket: their actions, and what the broker brings for them."""

    def __init__(self, the_hub: ChatHub, peer: Peer, agent_id: int, name: str, site: int) -> None:
        self.hub, self.peer, self.id, self.name, self.site = the_hub, peer, agent_id, name, site
        self.waiting: dict[str, dict[str, Any]] = {}
        self.available = False
        self.capacity = 3
        # This desk's chats and the process owning each, learnt from the owner's frames: an
        # action goes straight to the owner, without asking Redis whose chat it is each time.
        self.owners: dict[str, str] = {}
        self._refresh: asyncio.Task[None] | None = None

    @property
    def store(self) -> Any:
        return self.hub.service.store

    def handlers(self) -> dict[str, Handler]:
        return {"presence": self.presence, "accept": self.accept, "message": self.relay_op,
                "typing": self.relay_op, "transfer": self.relay_op, "end": self.relay_op,
                "details": self.details}

    async def hello(self) -> None:
        self.peer.send(p.frame("ready", me={"id": self.id, "name": self.name}, site=self.site,
                               status="away", capacity=self.capacity))
        await self.send_agents()
        await self.hub.service.broker.publish(desk_channel(self.site), {"e": "describe"})

    async def stop(self) -> None:
        if self._refresh is not None:
            await stop(self._refresh)

    async def gone(self) -> None:
        if self.available:
            await self.store.set_presence(self.site, self.id, False, self.capacity)
            await self.hub.service.broker.publish(desk_channel(self.site), {"e": "agents"})

    def refresh_agents(self) -> None:
        """Presence changes come in bursts: refresh once per burst, off the relay's path."""
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.create_task(self._refresh_later())

    async def _refresh_later(self) -> None:
        await asyncio.sleep(0.1)
        await self.send_agents()

    async def send_agents(self) -> None:
        self.peer.send(await self.hub.agents_frame(self.site))

    def send_queue(self) -> None:
        items = sorted(self.waiting.values(), key=lambda s: (s["since"], s["chat"]))
        self.peer.send(p.frame("queue", chats=items))

    async def relay(self, sub: Any) -> None:
        async for message in sub:
            data = message.data
            if message.channel.startswith("chat:agent:"):
                self.peer.send(data["raw"])
                if data.get("owner"):
                    self.owners[data["chat"]] = data["owner"]
                if data.get("drop"):
                    self.owners.pop(data.get("chat", ""), None)
                    await self.drain()
                continue
            event = data.get("e")
            if event == "waiting":
                self.waiting[data["chat"]["chat"]] = data["chat"]
                self.send_queue()
                await self.drain()
            elif event == "gone":
                if self.waiting.pop(data["chat"], None) is not None:
                    self.send_queue()
            elif event == "agents":
                self.refresh_agents()

    async def drain(self) -> None:
        """Take waiting chats, oldest first, while this agent is available and has room.

        Every desk hears every new waiting chat: a desk that is full as far as it knows does not
        even ask (a hundred full desks asking Redis for each arrival was a storm)."""
        if not self.available or len(self.owners) >= self.capacity:
            return
        for chat, _ in await self.store.queue(self.site):
            if not await self.store.take(self.site, self.id):
                return
            if not await self._claim(chat):
                await self.store.release(self.site, self.id)

    async def _claim(self, chat: str) -> bool:
        owner = await self.store.owner(chat)
        if owner is None or not await self.store.dequeue(self.site, chat):
            return False
        broker = self.hub.service.broker
        await broker.publish(desk_channel(self.site), {"e": "gone", "chat": chat})
        await broker.publish(owner_channel(owner), {"op": "assign", "agent": self.id, "chat": chat})
        return True

    async def to_owner(self, chat: str, op: dict[str, Any]) -> None:
        """Send an action to the process that owns the chat (known from its frames, else found
        in the store: ids only)."""
        owner = self.owners.get(chat) or await self.store.owner(chat)
        if owner is None:
            raise p.ProtocolError("no_chat", "no such chat")
        await self.hub.service.broker.publish(owner_channel(owner), {**op, "chat": chat})

    async def presence(self, msg: p.Message) -> None:
        self.available, self.capacity = msg["status"] == "available", min(msg["capacity"], 50)
        await self.store.set_presence(self.site, self.id, self.available, self.capacity)
        await self.hub.service.broker.publish(desk_channel(self.site), {"e": "agents"})
        await self.drain()

    async def accept(self, msg: p.Message) -> None:
        await self.store.take(self.site, self.id, force=True)
        if not await self._claim(msg["chat"]):
            await self.store.release(self.site, self.id)
            raise p.ProtocolError("already_taken", "another agent took it, or it ended")

    async def relay_op(self, msg: p.Message) -> None:
        # The owning process checks that the chat is this agent's (it alone knows for sure).
        op = {"op": "msg" if msg.type == "message" else msg.type, "agent": self.id,
              **{k: v for k, v in msg.fields.items() if k != "chat"}}
        await self.to_owner(msg["chat"], op)

    async def details(self, msg: p.Message) -> None:
        await self.to_owner(msg["chat"], {"op": "describe", "reply": True, "agent": self.id,
                                          "site": self.site})
