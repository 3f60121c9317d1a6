"""What a host page pays for HelpMenu before its user clicks Help: bytes and sockets.

The budget (widget/README.md, bench/size.py) is at most 5 kB gzipped from our origin and no
websocket for a visitor who has nothing to be told; this measures it on the real demo page.
"""

from __future__ import annotations

import gzip
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import Demo

pytestmark = pytest.mark.browser

BEFORE_CLICK_BUDGET = 5 * 1024
LAUNCHER = "helpmenu-widget >> button"


def test_an_anonymous_visitor_downloads_under_5_kb_and_opens_no_socket(
    demo: Demo, page: Any
) -> None:
    backend = urlsplit(demo.backend).netloc
    bodies: list[tuple[str, bytes]] = []
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on(
        "response",
        lambda r: bodies.append((r.url, r.body())) if urlsplit(r.url).netloc == backend else None,
    )

    page.goto(demo.host + "/")
    page.locator(LAUNCHER).wait_for(state="visible")
    page.wait_for_load_state("networkidle")

    paths = sorted(urlsplit(url).path for url, _ in bodies)
    assert paths == ["/api/widget/session", "/widget.js"], paths
    gzipped = sum(len(gzip.compress(body, 9)) for _, body in bodies)
    assert 0 < gzipped <= BEFORE_CLICK_BUDGET, gzipped
    assert page.locator("helpmenu-widget >> iframe").count() == 0  # the panel waits for the click
    assert sockets == []

    page.locator(LAUNCHER).click()
    page.frame_locator("helpmenu-widget >> iframe").locator("nav .tab").first.wait_for()
    assert any(urlsplit(url).path == "/panel" for url, _ in bodies)
    assert sockets == []  # the FAQ needs no socket either; Chat opens its own when started
