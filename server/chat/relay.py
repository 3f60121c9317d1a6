"""Resuming a chat on a process that does not own it: the socket's process relays over pub/sub.

A chat's text lives only in the memory of the process its visitor first connected to (the owner).
When a reconnect lands on another process (no sticky sessions), that process looks the owner up
in the store (the resume token starts with the chat id), and from then on it only forwards: the
visitor's messages go to the owner's inbox as ``v:<type>`` actions, and the owner sends the
visitor's frames to this process's inbox addressed to the socket (``for_socket``), through a
:class:`RemotePeer` that stands for the socket in the owner's memory. Nothing is copied here.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import TYPE_CHECKING, Any

from helpmenu.chat import protocol as p

if TYPE_CHECKING:
    from helpmenu.chat.service import ChatService, Peer

# Seconds the owner has to answer a relayed resume. It answers at once when it is alive; an owner
# that died without ending its chats (killed, not stopped) leaves the visitor told, not waiting.
ATTACH_WAIT = 5.0


def chat_of(token: str) -> str:
    """The chat id a resume token names (``<chat id>.<secret>``); the secret stays unchecked
    until the owner compares it."""
    return token.split(".", 1)[0]


class RemotePeer:
    """The owner's handle on a visitor socket held by another process (``via``)."""

    def __init__(self, service: ChatService, via: str, sid: str) -> None:
        self.service, self.via, self.sid = service, via, sid

    def send(self, text: str) -> None:
        self._post({"raw": text})

    def close(self, code: int, reason: str = "") -> None:
        self._post({"close": code, "reason": reason})

    def _post(self, data: dict[str, Any]) -> None:
        from helpmenu.chat.service import owner_channel

        # Peer.send cannot wait; frames keep their order (the broker queues them in order).
        self.service.spawn(self.service.broker.publish(owner_channel(self.via),
                                                       {"for_socket": self.sid, **data}))


class Relay:
    """This process's side: forwards a visitor socket's messages to the chat's owner."""

    def __init__(self, service: ChatService, peer: Peer, owner: str, chat: str) -> None:
        self.service, self.peer, self.owner, self.chat = service, peer, owner, chat
        self.sid = secrets.token_hex(8)
        self.live = True  # until this socket or the owner closes it
        self.ended = False  # the chat is over: the socket may save it still, or start its own
        self.answered = False

    async def open(self, token: str, seen: int, site: int, user: str) -> None:
        self.service.relays[self.sid] = self
        await self.service.ensure_inbox()
        await self.forward("attach", {"token": token, "seen": seen, "site": site, "user": user})
        self.service.spawn(self._expect_answer())

    async def _expect_answer(self) -> None:
        await asyncio.sleep(ATTACH_WAIT)
        if not self.answered and self.live:
            self.live = False
            self.service.relays.pop(self.sid, None)
            self.peer.close(p.RESUME_FAILED, "the chat's process did not answer")

    async def forward(self, kind: str, fields: dict[str, Any]) -> None:
        from helpmenu.chat.service import owner_channel

        await self.service.broker.publish(owner_channel(self.owner), {
            "op": "v:" + kind, "chat": self.chat, "via": self.service.instance, "sid": self.sid,
            **fields})

    def deliver(self, data: dict[str, Any]) -> None:
        """A frame (or a close) the owner addressed to this socket."""
        self.answered = True
        if "close" in data:
            self.live = False
            self.peer.close(int(data["close"]), str(data.get("reason", "")))
            return
        raw = str(data.get("raw", ""))
        if json.loads(raw).get("type") == "ended":
            self.ended = True
        self.peer.send(raw)

    async def close(self) -> None:
        self.service.relays.pop(self.sid, None)
        if self.live:
            self.live = False
            await self.forward("detach", {})


async def visitor_action(service: ChatService, data: dict[str, Any]) -> None:
    """On the owner: one ``v:<type>`` action from a visitor socket another process holds."""
    kind = str(data.get("op", ""))[2:]
    chat, via, sid = str(data.get("chat")), str(data.get("via")), str(data.get("sid"))
    owned = service.owned.get(chat) or service.lingering.get(chat)
    if kind == "attach":
        found = service.resume(str(data.get("token")), int(data.get("site") or 0),
                               str(data.get("user")))
        if found is None:
            RemotePeer(service, via, sid).close(p.RESUME_FAILED, "nothing to resume")
            return
        await service.attach(found, RemotePeer(service, via, sid), int(data.get("seen") or 0))
        return
    peer = owned.visitor if owned is not None else None
    if owned is None or not isinstance(peer, RemotePeer) or (peer.via, peer.sid) != (via, sid):
        if kind != "detach":  # this socket no longer holds the chat (resumed elsewhere, ended)
            RemotePeer(service, via, sid).send(p.error("no_chat", "start a chat first"))
        return
    try:
        await _act(service, owned, peer, kind, data)
    except p.ProtocolError as exc:
        peer.send(p.error(exc.code, exc.detail))


async def _act(service: ChatService, owned: Any, peer: RemotePeer, kind: str,
               data: dict[str, Any]) -> None:
    if kind == "detach":
        service.lingering.pop(owned.conv.id, None)  # an ended chat's text goes with its socket
        await service.detach(owned, peer)
        return
    if owned.conv.state == "ended" and kind != "save":
        raise p.ProtocolError("no_chat", "start a chat first")
    if kind == "message":
        await service.visitor_message(owned, p.Message("message", {
            "cid": str(data["cid"]), "text": str(data["text"])}))
    elif kind == "typing":
        await service.visitor_typing(owned, bool(data.get("on")))
    elif kind == "page":
        await service.visitor_page(owned, str(data.get("page", "")))
    elif kind == "hidden":
        owned.hidden = bool(data.get("gone"))
    elif kind == "save":
        if not owned.conv.lines:
            raise p.ProtocolError("no_chat", "nothing to save")
        await service.save(owned, owned.requester)
    elif kind == "end":
        await service.end(owned, "visitor")
    elif kind == "seen":
        return
    else:  # "start" while the chat is open, as on the owning process
        raise p.ProtocolError("not_allowed", "a chat is already open")

