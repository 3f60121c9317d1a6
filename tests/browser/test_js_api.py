"""The host page's JavaScript API end to end (docs/js-api.md): the launcher shown and hidden, `once`,
`setContext`, a token callback, chat events, single-page-app safety, `shutdown`, and the panel
reopening on the next page of the same tab."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Demo

pytestmark = pytest.mark.browser

LAUNCHER = "helpmenu-widget >> button"
FRAME = "helpmenu-widget >> iframe"


def events(page: Any, name: str) -> list[dict[str, Any]]:
    return [e["detail"] for e in page.evaluate("window.__hm") if e["event"] == name]


def test_hide_keeps_the_api_working_and_returns_focus_to_the_hosts_entry(page: Any, demo: Demo) -> None:
    page.goto(demo.host + "/")
    page.locator(LAUNCHER).wait_for()
    # The host's own Help entry, as an SPA with a Help menu has.
    page.evaluate(
        """() => {
          const entry = document.createElement('button');
          entry.id = 'my-help';
          entry.textContent = 'Help';
          entry.onclick = () => HelpMenu('toggle');
          document.querySelector('.top').append(entry);
          HelpMenu('hide');
        }"""
    )
    page.locator(LAUNCHER).wait_for(state="hidden")
    page.locator("#my-help").click()
    page.locator(FRAME).wait_for(state="visible")
    page.frame_locator(FRAME).locator("nav .tab").first.wait_for()
    box = page.locator(FRAME).bounding_box()
    # The panel takes the launcher's corner: 20 px from the bottom, not above a missing button.
    assert box["y"] + box["height"] == pytest.approx(800 - 20, abs=1)

    page.frame_locator(FRAME).locator("nav .tab").first.press("Escape")
    page.locator(FRAME).wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "my-help"
    assert len(events(page, "close")) == 1

    # A later boot (same user) keeps the page's choice; show brings the launcher back.
    page.evaluate("HelpMenu('boot', {})")
    page.wait_for_function("window.__hm.filter(e => e.event === 'ready').length === 2")
    assert not page.locator(LAUNCHER).is_visible()
    page.evaluate("HelpMenu('show')")
    page.locator(LAUNCHER).wait_for(state="visible")
    page.locator(LAUNCHER).click()
    page.locator(FRAME).wait_for(state="visible")
    page.locator(LAUNCHER).click()
    page.locator(FRAME).wait_for(state="hidden")
    assert page.evaluate("document.activeElement.tagName") == "HELPMENU-WIDGET"
