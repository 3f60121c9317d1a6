"""The chat protocol's pure parts: parsing, validation, the dispatch tables, and the docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpmenu.chat import protocol as p
from helpmenu.chat.conversation import Conversation, Pick, pick_agent

DOC = Path(__file__).resolve().parents[2] / "docs" / "chat-protocol.md"


def frame(**data: object) -> str:
    return json.dumps({"v": 1, **data})


def test_a_valid_message_is_parsed_with_its_declared_fields_only() -> None:
    msg = p.parse(frame(type="message", cid="c1", text="Привіт 👋", extra="ignored"), p.VISITOR_TYPES)
    assert msg.type == "message" and dict(msg.fields) == {"cid": "c1", "text": "Привіт 👋"}


@pytest.mark.parametrize(("raw", "code"), [
    ("not json", "bad_json"),
    ("[1, 2]", "bad_json"),
    (json.dumps({"type": "ping"}), "bad_version"),
    (json.dumps({"v": 2, "type": "ping"}), "bad_version"),
    (frame(type=7), "unknown_type"),
    (frame(type="shout"), "unknown_type"),
    (frame(type="accept", chat="x"), "not_allowed"),  # an agent's type from a visitor
    (frame(type="message", cid="c1"), "bad_field"),
    (frame(type="message", cid="c 1", text="x"), "bad_field"),
    (frame(type="message", cid="c1", text=""), "bad_field"),
    (frame(type="message", cid="c1", text="a\x00b"), "bad_field"),
    (frame(type="message", cid="c1", text="x" * (p.MAX_TEXT + 1)), "too_big"),
    (frame(type="typing", on="yes"), "bad_field"),
    (frame(type="seen", seq=-1), "bad_field"),
    (frame(type="seen", seq=True), "bad_field"),
    (frame(type="start", name="Olena", phone="12", question="q"), "bad_field"),
    (frame(type="start", name="Olena", phone="call me maybe", question="q"), "bad_field"),
    (frame(type="start", name=" ", phone="+380441234567", question="q"), "bad_field"),
    ("x" * (p.MAX_FRAME + 1), "too_big"),
])
def test_bad_frames_are_refused_with_a_code(raw: str, code: str) -> None:
    with pytest.raises(p.ProtocolError) as refused:
        p.parse(raw, p.VISITOR_TYPES)
    assert refused.value.code == code
    assert code in p.ERRORS


def test_agent_types_are_refused_to_visitors_and_the_other_way() -> None:
    assert p.parse(frame(type="presence", status="available", capacity=2), p.AGENT_TYPES).type \
        == "presence"
    with pytest.raises(p.ProtocolError, match="not_allowed"):
        p.parse(frame(type="presence", status="available", capacity=2), p.VISITOR_TYPES)
    with pytest.raises(p.ProtocolError, match="not_allowed"):
        p.parse(frame(type="start", name="a", phone="+380441234567", question="q"), p.AGENT_TYPES)
    with pytest.raises(p.ProtocolError, match="bad_field"):
        p.parse(frame(type="presence", status="busy", capacity=2), p.AGENT_TYPES)


def test_phones_are_checked_loosely() -> None:
    for good in ("+380 44 390 0014", "(044) 390-00-14", "+48.22.390.62.00"):
        assert p.phone(good) == good
    for bad in ("12345", "+380 44 390 0014 ext 5", "1" * 16):
        with pytest.raises(p.ProtocolError):
            p.phone(bad)


def test_server_frames_carry_the_version_and_only_known_types() -> None:
    assert json.loads(p.frame("pong", id=3)) == {"v": 1, "type": "pong", "id": 3}
    with pytest.raises(KeyError):
        p.frame("nonsense")


def test_the_doc_names_every_type_and_close_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M))
    for table in (p.VISITOR_TYPES, p.AGENT_TYPES):
        missing = sorted(set(table) - rows)
        assert missing == [], f"chat message types missing from docs/chat-protocol.md: {missing}"
    assert sorted(set(p.SERVER_TYPES) - rows) == []
    codes = set(re.findall(r"^\| (\d{4}) \|", text, flags=re.M))
    assert sorted(str(c) for c in p.CLOSE_CODES if str(c) not in codes) == []
    for code in p.ERRORS:
        assert f"`{code}`" in text


def test_the_router_picks_the_least_busy_available_agent_with_room() -> None:
    agents = [Pick(1, True, 3, 2), Pick(2, True, 3, 1), Pick(3, False, 5, 0), Pick(4, True, 1, 1),
              Pick(5, True, 2, 1)]
    assert pick_agent(agents) == 2
    assert pick_agent(agents, exclude=2) == 5
    assert pick_agent([Pick(1, True, 1, 1), Pick(2, False, 3, 0)]) is None


def test_a_resent_line_is_answered_with_the_stored_one() -> None:
    conv = Conversation("c", 1, "a:x", "Olena", "+380441234567", "q", "", 100.0)
    first, new = conv.add("visitor", "Olena", "hi", "v1", 101.0)
    again, new_again = conv.add("visitor", "Olena", "hi", "v1", 105.0)
    other, _ = conv.add("agent", "Taras", "hello", "v1", 106.0)  # same cid, other author
    assert new and not new_again and again is first and first.seq == 1 and other.seq == 2
    assert [ln.seq for ln in conv.since(1)] == [2]
    conv.assign(7, "Taras", 110.0)
    conv.end("agent", 170.0)
    assert conv.stats() == {"agent_id": 7, "answered": True, "wait_seconds": 10,
                            "duration_seconds": 60, "visitor_messages": 1, "agent_messages": 1,
                            "ended_by": "agent", "saved": False}
    assert not conv.end("visitor", 171.0)
