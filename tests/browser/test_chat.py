"""Live chat end to end in Chromium: a visitor on the demo host page and an agent in the console.

The backend is reached through a TCP proxy this test runs, so it can cut the visitor's socket for
5 seconds (the browser's offline switch leaves open websockets alone). The server's clock is fixed
inside the demo site's support hours, so nothing depends on the time of day.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from tests.browser.chat_demo import (
    FRAME,
    ChatDemo,
    available_agent,
    chat_visitor,
    closed_demo,
    open_chat,
    open_demo,
)

__all__ = ["closed_demo", "open_demo"]  # fixtures (tests/browser/chat_demo.py), used by name

pytestmark = pytest.mark.browser


NAME, PHONE = "Софія Гуменюк", "+380 67 555 0199"
QUESTION = "Нічний аудит зависає на кроці 3"
HELLO = "Добрий день! Аудит знову завис 🙈"
ANSWER = "Вітаю, Софіє. Зараз перевірю журнал."
DURING_CUT_AGENT = "Поки вас не було: журнал чистий"
DURING_CUT_VISITOR = "Я тут, інтернет зник на хвилинку"
AFTER_LINK = "Перейшла на іншу сторінку, бачу чат"
FIRST_IN_QUEUE = "1-й у черзі"  # noqa: RUF001 - Ukrainian text
SECRETS = [NAME, PHONE, QUESTION, HELLO, ANSWER, DURING_CUT_AGENT, DURING_CUT_VISITOR, AFTER_LINK]


@contextmanager
def filler_chat(demo: ChatDemo) -> Iterator[Any]:
    """A visitor from a plain websocket client, so the agent is busy and the next one queues."""
    session = httpx.post(demo.public + "/api/widget/session", content=json.dumps(
        {"site": demo.site_key}), headers={"Origin": demo.host, "Content-Type": "text/plain"})
    with connect(demo.public.replace("http", "ws") + "/api/chat/socket",
                 origin=demo.public) as ws:  # type: ignore[arg-type,unused-ignore]
        ws.send(json.dumps({"v": 1, "type": "auth", "session": session.json()["session"]}))
        assert json.loads(ws.recv(5))["type"] == "ready"
        ws.send(json.dumps({"v": 1, "type": "start", "name": "Filler", "phone": "+380441112233",
                            "question": "first in line"}))
        yield ws


def bubbles(panel: Any, text: str) -> int:
    return int(panel.locator(".chat-log .chat-text", has_text=text).count())


def test_visitor_and_agent_chat_through_a_cut_and_a_page_change(
    open_demo: ChatDemo, browser: Any, tmp_path: Path
) -> None:
    demo = open_demo
    shots = tmp_path / "shots"
    shots.mkdir()
    agent_ctx = browser.new_context(viewport={"width": 1360, "height": 860})
    visitor_ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="uk-UA")
    errors: list[str] = []
    stack = ExitStack()
    try:
        agent = available_agent(agent_ctx, demo, errors)
        agent.select_option("#desk-capacity", "1")
        stack.enter_context(filler_chat(demo))
        agent.locator(".desk-mine-item").first.wait_for()

        visitor, panel = chat_visitor(visitor_ctx, demo, errors)
        panel.locator("#hm-chat-name").fill(NAME)
        panel.locator("#hm-chat-phone").fill("12")
        panel.locator("#hm-chat-question").fill(QUESTION)
        panel.locator(".chat-form button[type=submit]").click()
        assert panel.locator("#hm-chat-phone[aria-invalid=true]").is_visible()
        panel.locator("#hm-chat-phone").fill(PHONE)
        panel.locator(".chat-form button[type=submit]").click()
        panel.locator(".chat-sub", has_text=FIRST_IN_QUEUE).wait_for()
        assert panel.locator(".chat-notice").is_visible()  # the chat is not saved
        visitor.screenshot(path=shots / "visitor-queued.png")

        waiting = agent.locator(".desk-waiting", has_text=NAME)
        waiting.wait_for()
        assert PHONE in waiting.inner_text() and QUESTION in waiting.inner_text()
        agent.screenshot(path=shots / "agent-queue.png")
        waiting.locator("[data-accept]").click()
        panel.locator(".chat-head h2", has_text="Olha Admin").wait_for()
        agent.locator(".desk-conv h2", has_text=NAME).wait_for()

        # Both type, see each other typing, and talk.
        panel.locator(".chat-composer textarea").type("Добрий")
        agent.locator(".desk-typing", has_text=NAME).wait_for()
        panel.locator(".chat-composer textarea").fill(HELLO)
        panel.locator(".chat-composer textarea").press("Enter")
        agent.locator(".desk-log .desk-text", has_text=HELLO).wait_for()
        agent.locator(".desk-composer textarea").type("Вітаю")
        panel.locator(".chat-typing", has_text="Olha Admin").wait_for()
        agent.locator(".desk-composer textarea").fill(ANSWER)
        agent.locator(".desk-composer textarea").press("Enter")
        panel.locator(".chat-log .chat-text", has_text=ANSWER).wait_for()
        visitor.screenshot(path=shots / "visitor-talking.png")
        agent.screenshot(path=shots / "agent-talking.png")

        # The visitor's connection is cut for 5 s; both sides write meanwhile.
        demo.proxy.cut()
        panel.locator(".chat-banner:not([hidden])").wait_for()
        agent.locator(".desk-note", has_text="обірвалося").wait_for()
        agent.locator(".desk-composer textarea").fill(DURING_CUT_AGENT)
        agent.locator(".desk-composer textarea").press("Enter")
        panel.locator(".chat-composer textarea").fill(DURING_CUT_VISITOR)
        panel.locator(".chat-composer textarea").press("Enter")
        visitor.screenshot(path=shots / "visitor-reconnecting.png")
        time.sleep(5)
        demo.proxy.restore()
        panel.locator(".chat-log .chat-text", has_text=DURING_CUT_AGENT).wait_for(timeout=30000)
        agent.locator(".desk-log .desk-text", has_text=DURING_CUT_VISITOR).wait_for(timeout=30000)
        panel.locator(".chat-banner[hidden]").wait_for(state="attached")
        time.sleep(0.5)
        for text in (HELLO, ANSWER, DURING_CUT_AGENT, DURING_CUT_VISITOR):
            assert bubbles(panel, text) == 1, text
            assert agent.locator(".desk-log .desk-text", has_text=text).count() == 1, text
        assert panel.locator(".chat-line.pending").count() == 0

        # A link on the host site: the next page reopens the panel by itself (it was open) and it
        # rejoins the chat with its whole history.
        visitor.locator("nav a").nth(2).click()
        visitor.wait_for_load_state()
        visitor.locator(FRAME).wait_for(state="visible")
        panel = visitor.frame_locator(FRAME)
        visitor.screenshot(path=shots / "visitor-next-page.png")
        panel.locator(".chat-log .chat-text", has_text=DURING_CUT_VISITOR).wait_for()
        for text in (HELLO, ANSWER, DURING_CUT_AGENT, DURING_CUT_VISITOR):
            assert bubbles(panel, text) == 1, text
        panel.locator(".chat-composer textarea").fill(AFTER_LINK)
        panel.locator(".chat-composer textarea").press("Enter")
        agent.locator(".desk-log .desk-text", has_text=AFTER_LINK).wait_for()

        # The agent ends the chat.
        agent.on("dialog", lambda dialog: dialog.accept())
        agent.locator(".desk-actions .button-danger").click()
        panel.locator(".chat-head h2", has_text="Чат завершено").wait_for()
        visitor.screenshot(path=shots / "visitor-ended.png")
    finally:
        stack.close()
        agent_ctx.close()
        visitor_ctx.close()
    assert errors == []
    time.sleep(1)  # the statistics row is written after the chat ends
    assert_nothing_kept(demo.data_dir, demo.log)


def assert_nothing_kept(data_dir: Path, log: Path) -> None:
    """No byte of the chat, the name or the phone in the database, the logs or the data folder."""
    files = [p for p in data_dir.rglob("*") if p.is_file()] + [log]
    assert any(p.suffix == ".sqlite3" for p in files)
    for path in files:
        raw = path.read_bytes()
        for secret in SECRETS:
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in raw, (path.name, secret)
            assert json.dumps(secret).encode() not in raw, (path.name, secret)


def test_outside_support_hours_the_widget_offers_a_request(
    closed_demo: ChatDemo, browser: Any, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="uk-UA")
    try:
        page = context.new_page()
        page.goto(closed_demo.host + "/")
        panel = open_chat(page)
        panel.locator(".chat .availability.off", has_text="не працює").wait_for()
        submit = panel.locator(".chat-form button[type=submit]")
        assert submit.inner_text() == "Надіслати як звернення"
        panel.locator("#hm-chat-question").fill(QUESTION)
        page.screenshot(path=tmp_path / "closed.png")
        submit.click()
        panel.locator("nav [data-section=request][aria-current=page]").wait_for()
    finally:
        context.close()


def test_the_visitor_saves_the_chat_as_a_request_and_finds_it_in_the_history(
    open_demo: ChatDemo, browser: Any, tmp_path: Path
) -> None:
    demo = open_demo
    agent_ctx = browser.new_context(viewport={"width": 1360, "height": 860})
    visitor_ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="uk-UA")
    errors: list[str] = []
    try:
        agent = available_agent(agent_ctx, demo, errors)

        visitor, panel = chat_visitor(visitor_ctx, demo, errors)
        panel.locator("#hm-chat-name").fill(NAME)
        panel.locator("#hm-chat-phone").fill(PHONE)
        panel.locator("#hm-chat-question").fill(QUESTION)
        panel.locator(".chat-form button[type=submit]").click()
        # A free agent: no queue, the chat goes straight to them.
        panel.locator(".chat-head h2", has_text="Olha Admin").wait_for()
        agent.locator(".desk-mine-item", has_text=NAME).click()
        agent.locator(".desk-conv h2", has_text=NAME).wait_for()

        panel.locator(".chat-composer textarea").fill(HELLO)
        panel.locator(".chat-composer textarea").press("Enter")
        agent.locator(".desk-log .desk-text", has_text=HELLO).wait_for()
        agent.locator(".desk-composer textarea").fill(ANSWER)
        agent.locator(".desk-composer textarea").press("Enter")
        panel.locator(".chat-log .chat-text", has_text=ANSWER).wait_for()
        # Nothing is saved until the visitor asks: the notice says so.
        assert panel.locator(".chat-notice").is_visible()

        panel.get_by_role("button", name="Зберегти як звернення").click()
        saved = panel.locator(".chat-saved:not([hidden])")
        saved.wait_for()
        number = saved.inner_text().split("№", 1)[1].split(":", 1)[0].strip()
        assert number.isdigit(), saved.inner_text()
        assert panel.get_by_role("button", name="Зберегти як звернення").is_hidden()
        # The agent is told that the visitor chose it.
        agent.locator(".desk-note", has_text=f"зберіг цей чат як звернення № {number}").wait_for()
        visitor.screenshot(path=tmp_path / "visitor-saved.png")
        agent.screenshot(path=tmp_path / "agent-saved.png")

        # The request is in the visitor's history: the Chat topic, once, with the transcript.
        panel.locator("nav [data-section=history]").click()
        rows = panel.locator(".hist table.tbl tbody tr")
        rows.first.wait_for()
        assert rows.count() == 1
        assert number in rows.first.inner_text() and "Chat" in rows.first.inner_text()
        rows.first.locator("button.go").click()
        body = panel.locator(".thread .msg .body").first
        body.wait_for()
        text = body.inner_text()
        assert text.startswith(QUESTION)
        assert f"{NAME}: {HELLO}" in text and f"Olha Admin: {ANSWER}" in text
        assert text.index(HELLO) < text.index(ANSWER)
        visitor.screenshot(path=tmp_path / "visitor-history.png")
    finally:
        agent_ctx.close()
        visitor_ctx.close()
    assert errors == []
