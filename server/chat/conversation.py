"""One chat's state in the memory of the process that owns it; pure, no I/O.

The transcript lives here and nowhere else: not in the database, not in Redis, not in a log. Each
line gets the next sequence number; a line is keyed by its sender's client id (``cid``), so a
resend after a reconnect is recognised and answered with the line already stored, never doubled.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

WAITING, ACTIVE, ENDED = "waiting", "active", "ended"


@dataclass
class Line:
    seq: int
    author: str  # "visitor" | "agent" | "system"
    name: str
    text: str
    cid: str
    at: float

    def public(self) -> dict[str, Any]:
        return {"seq": self.seq, "author": self.author, "name": self.name, "text": self.text,
                "cid": self.cid, "at": round(self.at, 3)}


@dataclass
class Pick:
    """Who the router may give a chat to: an agent's presence and current load."""

    agent: int
    available: bool
    capacity: int
    load: int


def pick_agent(candidates: list[Pick], exclude: int | None = None) -> int | None:
    """The available agent with the fewest chats and room for one more (lowest id on a tie)."""
    free = [c for c in candidates if c.available and c.load < c.capacity and c.agent != exclude]
    if not free:
        return None
    return min(free, key=lambda c: (c.load, c.agent)).agent


@dataclass
class Conversation:
    """A chat owned by this process: who, what they asked, the lines so far, and its state."""

    id: str
    site_id: int
    user_id: str
    name: str
    phone: str
    question: str
    page: str
    created: float
    # "<chat id>.<secret>": any process can find the owner from it, only the owner checks it.
    resume_token: str = ""
    state: str = WAITING
    agent: int | None = None
    agent_name: str = ""
    assigned_at: float | None = None
    ended_at: float | None = None
    ended_by: str = ""
    saved: bool = False
    lines: list[Line] = field(default_factory=list)
    _by_cid: dict[str, Line] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.resume_token:
            self.resume_token = f"{self.id}.{secrets.token_urlsafe(24)}"

    def add(self, author: str, name: str, text: str, cid: str, at: float) -> tuple[Line, bool]:
        """Append a line; for a cid already seen, the stored line and False (a resend)."""
        key = f"{author}:{cid}"
        known = self._by_cid.get(key)
        if known is not None:
            return known, False
        line = Line(len(self.lines) + 1, author, name, text, cid, at)
        self.lines.append(line)
        self._by_cid[key] = line
        return line, True

    def since(self, seen: int) -> list[Line]:
        """The lines after ``seen``: what a reconnecting side missed."""
        return self.lines[max(0, seen):]

    def assign(self, agent: int, agent_name: str, at: float) -> None:
        self.state, self.agent, self.agent_name = ACTIVE, agent, agent_name
        if self.assigned_at is None:
            self.assigned_at = at

    def end(self, by: str, at: float) -> bool:
        """Mark the chat over; False if it already was."""
        if self.state == ENDED:
            return False
        self.state, self.ended_by, self.ended_at = ENDED, by, at
        return True

    def summary(self, waiting_since: float | None = None) -> dict[str, Any]:
        """What an agent sees of the visitor: sent over the broker, never stored."""
        return {"chat": self.id, "name": self.name, "phone": self.phone,
                "question": self.question, "page": self.page, "state": self.state,
                "since": round(waiting_since or self.created, 3), "saved": self.saved,
                "agent": self.agent}

    def stats(self) -> dict[str, Any]:
        """Counts and durations only: what the database may keep of a chat."""
        end = self.ended_at or self.created
        wait = (self.assigned_at or end) - self.created
        return {
            "agent_id": self.agent,
            "answered": self.assigned_at is not None,
            "wait_seconds": max(0, round(wait)),
            "duration_seconds": max(0, round(end - (self.assigned_at or end))),
            "visitor_messages": sum(1 for ln in self.lines if ln.author == "visitor"),
            "agent_messages": sum(1 for ln in self.lines if ln.author == "agent"),
            "ended_by": self.ended_by or "unknown",
            "saved": self.saved,
        }
