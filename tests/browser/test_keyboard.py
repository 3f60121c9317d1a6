"""Keyboard only (issue 6, item 4): Tab to the launcher, Enter opens the panel, every section is
reached with Tab and Enter, a New request is filled and sent (with a wrong first try whose error
takes the focus), Esc closes and focus is back on the launcher. No mouse event is used; the file
is attached with set_input_files, as a file chooser is the operating system's dialog.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.a11y import FRAME, LAUNCHER
from tests.browser.conftest import Demo

pytestmark = pytest.mark.browser

SECTIONS = ["faq", "chat", "request", "history", "contact"]


def panel_frame(page: Any, demo: Demo) -> Any:
    frames = [f for f in page.frames if f.url.startswith(demo.backend + "/panel")]
    assert len(frames) == 1
    return frames[0]


def focused(frame: Any, selector: str) -> bool:
    return bool(frame.evaluate("(s) => document.hasFocus() && document.activeElement.matches(s)", selector))


def press_until(page: Any, frame: Any, key: str, selector: str, limit: int = 60) -> int:
    """Press `key` until the focus is on `selector` in `frame`; returns how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if focused(frame, selector):
            return presses
    raise AssertionError(f"{key} x {limit} never reached {selector}")


def focus_ring(frame: Any) -> str:
    """The focused element's outline: a visible focus indicator, not the browser's nothing."""
    return str(frame.evaluate(
        """() => { let el = document.activeElement;
                   while (el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
                   const s = getComputedStyle(el); return s.outlineStyle + ' ' + s.outlineWidth; }"""
    ))


def test_keyboard_only_help_from_the_launcher_to_a_sent_request(browser: Any, demo: Demo) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    page.goto(demo.host + "/identified.html")
    page.locator(LAUNCHER).wait_for()

    # Tab through the host page to the launcher; its focus ring shows.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "HELPMENU-WIDGET":
            break
    launcher = page.locator(LAUNCHER)
    assert launcher.evaluate("b => b.getRootNode().activeElement === b")
    assert focus_ring(page.main_frame).startswith("solid")
    assert launcher.get_attribute("aria-expanded") == "false"

    # Enter opens the panel; focus goes to the section's heading inside it.
    page.keyboard.press("Enter")
    page.locator(FRAME).wait_for(state="visible")
    assert launcher.get_attribute("aria-expanded") == "true"
    page.frame_locator(FRAME).locator("[data-view=faq] .faq-body h3").first.wait_for()
    panel = panel_frame(page, demo)
    page.wait_for_function("document.activeElement.tagName === 'HELPMENU-WIDGET'")
    assert focused(panel, "[data-view=faq] h2")

    # The FAQ search: type, arrow to a result; Esc clears the search and leaves the panel open.
    press_until(page, panel, "Tab", ".faq-input")
    page.keyboard.type("рахунок")
    page.frame_locator(FRAME).locator(".faq-result").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert panel.evaluate("document.activeElement.getAttribute('aria-activedescendant')") == "hm-faq-r0"
    page.keyboard.press("Escape")
    assert panel.evaluate("document.activeElement.value") == ""
    page.frame_locator(FRAME).locator("[data-view=faq] .faq-body h3").first.wait_for()
    assert page.locator(FRAME).is_visible() and launcher.get_attribute("aria-expanded") == "true"

    # Every section, through the tab bar: Tab to it, Enter, and its view shows.
    press_until(page, panel, "Tab", "nav [data-section=faq]")
    for section in SECTIONS:
        if section != "faq":
            page.keyboard.press("Tab")
        assert focused(panel, f"nav [data-section={section}]")
        assert focus_ring(panel).startswith("solid")
        page.keyboard.press("Enter")
        view = page.frame_locator(FRAME).locator(f"[data-view={section}]")
        view.locator("h2").first.wait_for()
        assert view.is_visible()
        assert panel.evaluate(
            "(s) => document.querySelector(`nav [data-section=${s}]`).getAttribute('aria-current')", section
        ) == "page"

    # New request: Enter on its tab, then back into the form with Shift+Tab.
    press_until(page, panel, "Tab", "nav [data-section=request]")
    page.keyboard.press("Enter")
    form = page.frame_locator(FRAME).locator("form.rq")
    form.wait_for()
    press_until(page, panel, "Shift+Tab", "form.rq button[type=submit]")
    page.keyboard.press("Enter")  # empty: errors, and focus on the first wrong field
    form.locator(".ferr:not([hidden])").first.wait_for()
    assert focused(panel, "form.rq select[name=topic][aria-invalid=true]"), panel.evaluate(
        "document.activeElement.outerHTML")

    page.keyboard.press("ArrowDown")  # the first real topic
    assert form.locator("select[name=topic]").input_value() != ""
    page.keyboard.press("Tab")
    assert focused(panel, "input[name=subject]")
    page.keyboard.type("Keyboard only: the invoice does not print")
    press_until(page, panel, "Tab", "textarea[name=message]")
    page.keyboard.type("I pressed Print with the keyboard and nothing happened.")
    press_until(page, panel, "Tab", "select[name=importance]")
    page.keyboard.press("ArrowDown")
    press_until(page, panel, "Tab", ".drop button")  # the file picker's button is reachable
    form.locator("input[type=file]").set_input_files(
        {"name": "print.log", "mimeType": "text/plain", "buffer": b"spooler: job 12 stuck\n"}
    )
    form.locator(".fname", has_text="print.log").wait_for()
    press_until(page, panel, "Tab", "form.rq button[type=submit]")
    page.keyboard.press("Enter")
    done = page.frame_locator(FRAME).locator(".done .num")
    done.wait_for()
    number = re.search(r"\d+", done.inner_text()).group(0)  # type: ignore[union-attr]
    page.wait_for_function("true")  # the heading takes focus on the next task
    assert focused(panel, ".done h2")

    # View request, with Tab and Enter: the thread in the history section.
    press_until(page, panel, "Tab", ".done .actions .btn:not(.secondary)")
    page.keyboard.press("Enter")
    thread = page.frame_locator(FRAME).locator(".thread")
    thread.wait_for()
    assert "print.log" in thread.inner_text()
    assert number in page.frame_locator(FRAME).locator("[data-view=history]").inner_text()

    # Esc closes the panel and focus is back on the launcher.
    page.keyboard.press("Escape")
    page.locator(FRAME).wait_for(state="hidden")
    assert launcher.get_attribute("aria-expanded") == "false"
    assert launcher.evaluate("b => document.activeElement === b.getRootNode().host "
                             "&& b.getRootNode().activeElement === b")
    context.close()
