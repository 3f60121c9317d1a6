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


FRAME_CHUNK = "**/widget/assets/frame-*.js"


def is_frame_chunk(url: str) -> bool:
    return urlsplit(url).path.startswith("/widget/assets/frame-")


@pytest.mark.parametrize("intent", ["pointer", "focus"])
def test_the_frame_chunk_comes_when_the_user_points_at_the_launcher(
    demo: Demo, page: Any, intent: str
) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if is_frame_chunk(r.url) else None)
    page.goto(demo.host + "/")
    launcher = page.locator(LAUNCHER)
    launcher.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    assert fetched == []  # not part of the page's load

    with page.expect_response(lambda r: is_frame_chunk(r.url)) as chunk:
        if intent == "pointer":
            launcher.hover()
        else:
            launcher.focus()  # a keyboard user tabbing to it
    assert chunk.value.ok
    assert page.locator("helpmenu-widget >> iframe").count() == 0  # still no panel before the click
    launcher.click()
    page.frame_locator("helpmenu-widget >> iframe").locator("nav .tab").first.wait_for()
    assert len(fetched) == 1


def test_calls_made_before_the_frame_chunk_arrives_run_in_order(demo: Demo, page: Any) -> None:
    held: list[Any] = []
    page.route(FRAME_CHUNK, lambda route: held.append(route))  # the chunk is on its way, slowly
    page.goto(demo.host + "/")
    page.wait_for_function("window.__hm.some(e => e.event === 'ready')")
    page.evaluate(
        """() => {
          HelpMenu('open', 'contact');
          HelpMenu('close');
          HelpMenu('open', 'request', {prefill: {subject: 'Held back'}});
        }"""
    )
    page.wait_for_timeout(100)
    # The events fired at the calls, as documented, though no frame exists yet.
    events = page.evaluate("window.__hm.filter(e => e.event !== 'ready')")
    assert events == [
        {"event": "open", "detail": {"section": "contact"}},
        {"event": "close", "detail": {}},
        {"event": "open", "detail": {"section": "request"}},
    ]
    assert page.locator(LAUNCHER).get_attribute("aria-expanded") == "true"
    assert page.locator("helpmenu-widget >> iframe").count() == 0
    assert len(held) == 1  # one fetch for the three calls

    held[0].continue_()
    frame = page.frame_locator("helpmenu-widget >> iframe")
    subject = frame.locator("form.rq input[name=subject]")
    subject.wait_for()
    assert subject.input_value() == "Held back"
    assert page.locator("helpmenu-widget >> iframe").count() == 1
    # The last open was a call of the page's code, not a click: focus went into the panel all the same.
    assert page.evaluate("document.activeElement.tagName") == "HELPMENU-WIDGET"
    frame.locator("nav .tab").first.press("Escape")
    page.locator("helpmenu-widget >> iframe").wait_for(state="hidden")
    assert page.evaluate("document.activeElement.tagName") == "HELPMENU-WIDGET"  # the launcher
    assert page.locator(LAUNCHER).get_attribute("aria-expanded") == "false"


def test_a_frame_chunk_that_cannot_be_fetched_closes_and_the_next_click_tries_again(
    demo: Demo, page: Any, console: Any
) -> None:
    page.route(FRAME_CHUNK, lambda route: route.abort())
    page.goto(demo.host + "/")
    launcher = page.locator(LAUNCHER)
    launcher.click()
    page.wait_for_function("window.__hm.some(e => e.event === 'close')")
    assert launcher.get_attribute("aria-expanded") == "false"
    assert any(w.startswith("HelpMenu: ") for w in console.of_type("warning"))

    page.unroute(FRAME_CHUNK)
    launcher.click()
    page.frame_locator("helpmenu-widget >> iframe").locator("nav .tab").first.wait_for()
    assert launcher.get_attribute("aria-expanded") == "true"
