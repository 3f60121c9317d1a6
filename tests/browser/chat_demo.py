"""The chat demo for browser tests: `helpmenu demo` behind a TCP proxy the test controls (to cut
the visitor's socket), with the server's clock fixed by the test, and the helpers that drive it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import _free_port, _wait_for, stop_process
from tests.chat.proxy import Proxy
from tests.conftest import ROOT

LAUNCHER = "helpmenu-widget >> button"
FRAME = "helpmenu-widget >> iframe"
OPEN_NOW = "2026-11-18T10:30:00+00:00"  # a Wednesday, 12:30 in Kyiv: the demo site is open
CLOSED_NOW = "2026-11-22T03:00:00+00:00"  # a Sunday night: closed


@dataclass
class ChatDemo:
    public: str
    host: str
    site_key: str
    staff: dict[str, dict[str, str]]
    proxy: Proxy
    data_dir: Path
    log: Path


def chat_demo_server(widget_bundle: None, tmp_path: Path, now: str) -> Iterator[ChatDemo]:
    data_dir = tmp_path / "data"
    port, public, example = _free_port(), _free_port(), _free_port()
    proxy = Proxy(public, port)
    proxy.start()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.chat.demo_server", str(data_dir), str(port), str(public),
             str(example), now], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(f"http://127.0.0.1:{public}/healthz", proc)  # type: ignore[arg-type]
        _wait_for(f"http://localhost:{example}/", proc)  # type: ignore[arg-type]
        state = json.loads((data_dir / "demo.json").read_text())
        yield ChatDemo(f"http://127.0.0.1:{public}", f"http://localhost:{example}",
                       state["site_key"], state["staff"], proxy, data_dir, log)
    finally:
        stop_process(proc)
        proxy.stop()


def open_chat(page: Any) -> Any:
    page.locator(LAUNCHER).click()
    panel = page.frame_locator(FRAME)
    panel.locator("nav [data-section=chat]").click()
    return panel


def console_login(page: Any, demo: ChatDemo) -> None:
    creds = demo.staff["admin"]
    page.goto(demo.public + "/console/login")
    page.fill("input[name=email]", creds["email"])
    page.fill("input[name=password]", creds["password"])
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/console/chats**")
    page.locator("#desk-conn.is-online").wait_for()


def available_agent(context: Any, demo: ChatDemo, errors: list[str]) -> Any:
    """An agent's console page on the chat desk, switched to available; page errors go to errors."""
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    console_login(page, demo)
    page.locator(".desk-switch").click()
    return page


def chat_visitor(context: Any, demo: ChatDemo, errors: list[str]) -> tuple[Any, Any]:
    """A visitor on the demo host page with the panel open on Chat, an agent being available:
    the page and the panel's frame."""
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(demo.host + "/")
    panel = open_chat(page)
    panel.locator(".chat .availability.on").wait_for()
    return page, panel


@pytest.fixture
def open_demo(widget_bundle: None, tmp_path: Path) -> Iterator[ChatDemo]:
    yield from chat_demo_server(widget_bundle, tmp_path, OPEN_NOW)


@pytest.fixture
def closed_demo(widget_bundle: None, tmp_path: Path) -> Iterator[ChatDemo]:
    yield from chat_demo_server(widget_bundle, tmp_path, CLOSED_NOW)
