"""The chat protocol: typed, versioned JSON messages, parsed and validated without any I/O.

Every frame is one JSON object ``{"v": 1, "type": "<type>", ...fields}`` of at most
``MAX_FRAME`` bytes. :data:`VISITOR_TYPES` and :data:`AGENT_TYPES` are the fixed dispatch tables
of what each side may send: a type absent from a side's table is refused for that side, which is
the first of the per-type authorisation checks (the hub does the rest: whose chat it is).
:data:`SERVER_TYPES` names what the server sends. docs/chat-protocol.md documents every entry,
and a test fails when one is missing there.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

VERSION = 1
MAX_FRAME = 4096
MAX_TEXT = 2000
MAX_NAME = 80
MAX_QUESTION = 300
MAX_PAGE = 500

# Close codes: 1000-1999 are the standard ones, 4000-4999 ours. docs/chat-protocol.md lists them.
NORMAL = 1000
GOING_AWAY = 1001
SERVICE_RESTART = 1012
BAD_MESSAGE = 4400
UNAUTHORIZED = 4401
FORBIDDEN_ORIGIN = 4403
AUTH_TIMED_OUT = 4408
TOO_BIG = 4413
TOO_MANY_SOCKETS = 4429
RATE_LIMITED = 4430
SLOW_CONSUMER = 4431
HEARTBEAT_MISSED = 4432
CHAT_ENDED = 4440
RESUME_FAILED = 4441
REPLACED = 4442

CLOSE_CODES: dict[int, str] = {
    NORMAL: "closed normally",
    GOING_AWAY: "the server or the page went away",
    SERVICE_RESTART: "the server is restarting: reconnect with backoff and jitter",
    BAD_MESSAGE: "a frame that is not a protocol message, before authentication",
    UNAUTHORIZED: "no valid session (or CSRF token) in the first message",
    FORBIDDEN_ORIGIN: "wrong Origin, refused before the upgrade",
    AUTH_TIMED_OUT: "no auth message in time",
    TOO_BIG: "a frame over the size limit",
    TOO_MANY_SOCKETS: "too many sockets from one address",
    RATE_LIMITED: "too many messages per second",
    SLOW_CONSUMER: "the client does not read what it is sent",
    HEARTBEAT_MISSED: "no ping within the heartbeat timeout",
    CHAT_ENDED: "the chat is over",
    RESUME_FAILED: "the chat to resume is unknown here or its grace window closed",
    REPLACED: "the same chat was resumed on another socket",
}

# Error codes of {"type": "error"}: the socket stays open.
ERRORS = (
    "bad_json", "bad_version", "unknown_type", "not_allowed", "bad_field", "too_big",
    "no_chat", "not_yours", "unavailable", "rate_limited", "already_taken",
)


class ProtocolError(ValueError):
    """A frame that breaks the protocol; ``code`` is one of :data:`ERRORS`."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Message:
    """A parsed, validated client message: its type and its fields (only the declared ones)."""

    type: str
    fields: Mapping[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]


Check = Callable[[Any], Any]


def text(limit: int, *, empty: bool = False) -> Check:
    """A string of at most ``limit`` characters, trimmed at the ends unless it is message text."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or "\x00" in value:
            raise ProtocolError("bad_field", "a string is expected")
        if len(value) > limit:
            raise ProtocolError("too_big", f"at most {limit} characters")
        if not empty and not value.strip():
            raise ProtocolError("bad_field", "must not be empty")
        return value

    return check


def token(value: Any, limit: int = 200) -> str:
    """An opaque id or token: printable ASCII without spaces, 1 to ``limit`` characters."""
    if not isinstance(value, str) or not 0 < len(value) <= limit or not value.isascii() \
            or not value.isprintable() or " " in value:
        raise ProtocolError("bad_field", "an id is expected")
    return value


def session(value: Any) -> str:
    """A signed widget session (longer than an id)."""
    return token(value, 2000)


def count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise ProtocolError("bad_field", "a whole number is expected")
    return value


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ProtocolError("bad_field", "true or false is expected")
    return value


def choice(*options: str) -> Check:
    def check(value: Any) -> str:
        if value not in options:
            raise ProtocolError("bad_field", f"one of {', '.join(options)}")
        return str(value)

    return check


def phone(value: Any) -> str:
    """Checked loosely, as the widget does: digits with the usual separators, 6 to 15 digits."""
    number = str(text(32)(value)).strip()
    digits = sum(ch.isdigit() for ch in number)
    if not 6 <= digits <= 15 or any(not (ch.isdigit() or ch in "+-() .") for ch in number):
        raise ProtocolError("bad_field", "a phone number is expected")
    return number


def optional(check: Check) -> Check:
    def maybe(value: Any) -> Any:
        return None if value is None else check(value)

    maybe.optional = True  # type: ignore[attr-defined]
    return maybe


@dataclass(frozen=True)
class Spec:
    """One row of a dispatch table: the fields of a message type and what each must be."""

    fields: Mapping[str, Check]
    doc: str


_AUTH_VISITOR = Spec({"session": session, "resume": optional(token), "seen": optional(count)},
                     "first message: the widget session, and a resume token to rejoin a chat")
_AUTH_AGENT = Spec({"csrf": token, "site": count}, "first message: the console CSRF token and site")
_PING = Spec({"id": optional(count)}, "heartbeat; answered by pong")

VISITOR_TYPES: dict[str, Spec] = {
    "auth": _AUTH_VISITOR,
    "ping": _PING,
    "start": Spec({"name": text(MAX_NAME), "phone": phone, "question": text(MAX_QUESTION),
                   "page": optional(text(MAX_PAGE, empty=True))}, "ask for a chat"),
    "message": Spec({"cid": token, "text": text(MAX_TEXT)}, "a line of the conversation"),
    "typing": Spec({"on": flag}, "typing started or stopped"),
    "seen": Spec({"seq": count}, "the highest seq received, so the server need not resend it"),
    "page": Spec({"page": text(MAX_PAGE, empty=True)}, "the host page the visitor is on now"),
    "hidden": Spec({"gone": flag}, "the page is going away (true) or came back (false)"),
    "save": Spec({}, "save the transcript as a request (only when the visitor asks)"),
    "end": Spec({}, "end the chat"),
}

AGENT_TYPES: dict[str, Spec] = {
    "auth": _AUTH_AGENT,
    "ping": _PING,
    "presence": Spec({"status": choice("available", "away"), "capacity": count},
                     "available or away, and how many chats at once"),
    "accept": Spec({"chat": token}, "take a waiting chat from the queue"),
    "message": Spec({"chat": token, "cid": token, "text": text(MAX_TEXT)},
                    "a line of the conversation"),
    "typing": Spec({"chat": token, "on": flag}, "typing started or stopped"),
    "transfer": Spec({"chat": token, "to": count}, "hand the chat to another available agent"),
    "end": Spec({"chat": token}, "end the chat"),
    "details": Spec({"chat": token}, "ask the owning process for the visitor's details now"),
}

SERVER_TYPES: dict[str, str] = {
    "ready": "authenticated; carries the availability (visitor) or the desk state (agent)",
    "pong": "answer to ping",
    "error": "the last message was refused; the socket stays open",
    "started": "the chat exists: its id and the resume token",
    "resumed": "a reconnect rejoined the chat: its state and what was missed",
    "queued": "waiting: the position in the queue and since when",
    "assigned": "an agent joined (visitor), or a chat was given to this agent (agent)",
    "message": "a line of the conversation, with its seq, author and the sender's cid",
    "typing": "the other side started or stopped typing",
    "ended": "the chat is over: who ended it and why",
    "saved": "the chat was saved as a request, at the visitor's choice: its number",
    "peer": "the other side disconnected or came back (reconnecting state)",
    "queue": "agent: the waiting chats with the visitors' details",
    "agents": "agent: the site's agents, their status and load",
    "details": "agent: the visitor's details, fetched live from the owning process",
}

TABLES: dict[str, dict[str, Spec]] = {"visitor": VISITOR_TYPES, "agent": AGENT_TYPES}


def parse(raw: str | bytes, table: Mapping[str, Spec]) -> Message:
    """Parse one frame against a side's dispatch table, or raise :class:`ProtocolError`."""
    if len(raw) > MAX_FRAME:
        raise ProtocolError("too_big", f"a frame holds at most {MAX_FRAME} bytes")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("bad_json") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad_json", "an object is expected")
    if data.get("v") != VERSION:
        raise ProtocolError("bad_version", f"this server speaks version {VERSION}")
    kind = data.get("type")
    if not isinstance(kind, str):
        raise ProtocolError("unknown_type")
    spec = table.get(kind)
    if spec is None:
        known = any(kind in t for t in TABLES.values())
        raise ProtocolError("not_allowed" if known else "unknown_type", kind[:40])
    fields: dict[str, Any] = {}
    for name, check in spec.fields.items():
        if name not in data and not getattr(check, "optional", False):
            raise ProtocolError("bad_field", f"{name} is missing")
        try:
            fields[name] = check(data.get(name))
        except ProtocolError as exc:
            raise ProtocolError(exc.code, f"{name}: {exc.detail}") from None
    return Message(kind, fields)


def frame(kind: str, **fields: Any) -> str:
    """A server frame, as the text sent on the socket."""
    if kind not in SERVER_TYPES:
        raise KeyError(kind)
    return json.dumps({"v": VERSION, "type": kind, **fields}, ensure_ascii=False,
                      separators=(",", ":"))


def error(code: str, detail: str = "", **extra: Any) -> str:
    return frame("error", error=code, message=detail, **extra)
