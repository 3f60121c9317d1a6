"""Accessibility (issue 6, item 4): axe-core finds nothing in any frame, in every state of the
widget (light and dark, English and Ukrainian), in the reply popup and on the console pages; and
the layout holds at 200% zoom and on 320 px phones, with motion reduced when the user asks.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.a11y import (
    DIALOG,
    FRAME,
    LAUNCHER,
    POPUP,
    assert_no_violations,
    boot_identified,
    staff_login,
)
from tests.browser.chat_demo import OPEN_NOW, ChatDemo, chat_demo_server, console_login
from tests.browser.conftest import RECORDER, Demo

pytestmark = pytest.mark.browser

QUERY = {"en": "invoice", "uk": "рахунок"}
# A custom dark theme, as a host would pass it to boot().
DARK = {"scheme": "dark", "colorPrimary": "#7c3aed"}
COMBOS = [("light", "en"), ("dark", "uk"), ("dark", "en"), ("light", "uk")]


@pytest.fixture(scope="module")
def sent() -> list[int]:
    """Numbers of the requests the state walk sends, for the popup test to answer."""
    return []


def new_page(browser: Any, **options: Any) -> Any:
    defaults: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}, "locale": "en-US"}
    context = browser.new_context(**{**defaults, **options})
    context.add_init_script(RECORDER)
    return context.new_page()


@pytest.mark.parametrize(("scheme", "locale"), COMBOS, ids=[f"{s}-{loc}" for s, loc in COMBOS])
def test_every_widget_state_has_no_violations(
    browser: Any, demo: Demo, sent: list[int], scheme: str, locale: str
) -> None:
    page = new_page(browser)
    boot_identified(page, demo, locale, DARK if scheme == "dark" else {"scheme": "light"})
    assert_no_violations(page, "closed")

    page.locator(LAUNCHER).click()
    panel = page.frame_locator(FRAME)
    panel.locator("[data-view=faq] .faq-body h3").first.wait_for()
    assert panel.locator("html").get_attribute("data-scheme") == scheme
    assert panel.locator("html").get_attribute("lang") == locale
    assert_no_violations(page, "FAQ list", demo)

    panel.locator(".faq-input").fill(QUERY[locale])
    panel.locator(".faq-result").first.wait_for()
    assert_no_violations(page, "FAQ search results", demo)
    panel.locator(".faq-result").first.click()
    panel.locator(".faq-article h2").wait_for()
    assert_no_violations(page, "FAQ article", demo)

    panel.locator("nav [data-section=chat]").click()
    panel.locator(".chat-form input[autocomplete=name]").wait_for()
    panel.locator(".chat-form .availability:not(:empty)").wait_for()
    assert_no_violations(page, "chat pre-chat form", demo)

    panel.locator("nav [data-section=request]").click()
    form = panel.locator("form.rq")
    form.wait_for()
    assert_no_violations(page, "request form", demo)
    form.locator("button[type=submit]").click()
    error = form.locator(".ferr:not([hidden])").first
    error.wait_for()
    # Errors are tied to their fields, and focus goes to the first wrong one.
    subject = form.locator("input[name=subject]")
    assert subject.get_attribute("aria-invalid") == "true"
    described = str(subject.get_attribute("aria-describedby")).split()
    assert any(form.locator(f"[id='{i}']").inner_text().strip() for i in described)
    assert_no_violations(page, "request form with errors", demo)

    form.locator("select[name=topic]").select_option(index=1)
    subject.fill(f"Printer {scheme} {locale} {time.monotonic_ns()}")
    form.locator("textarea[name=message]").fill("The invoice does not print.")
    form.locator("button[type=submit]").click()
    done = panel.locator(".done .num")
    done.wait_for()
    sent.append(int(re.search(r"\d+", done.inner_text()).group(0)))  # type: ignore[union-attr]
    assert_no_violations(page, "request sent", demo)

    panel.locator("nav [data-section=history]").click()
    panel.locator(".tbl tbody tr").first.wait_for()
    assert_no_violations(page, "history list", demo)
    panel.locator(".tbl tbody tr .go").first.click()
    panel.locator(".thread").wait_for()
    assert_no_violations(page, "history thread", demo)

    panel.locator("nav [data-section=contact]").click()
    panel.locator("[data-view=contact] table.week").wait_for()
    assert_no_violations(page, "contact", demo)
    page.context.close()


@pytest.mark.parametrize(("scheme", "locale"), COMBOS[:2], ids=[f"{s}-{loc}" for s, loc in COMBOS[:2]])
def test_reply_popup_is_announced_and_has_no_violations(
    browser: Any, demo: Demo, sent: list[int], agent: Any, scheme: str, locale: str, screenshots: Path
) -> None:
    if not sent:
        pytest.skip("the state walk sent no request to answer")
    page = new_page(browser)
    boot_identified(page, demo, locale, DARK if scheme == "dark" else None)
    page.locator("a").first.focus()  # the user is working in the host app
    popup = page.locator(POPUP)
    popup.wait_for(state="visible", timeout=10000)
    # Announced through a live region, without taking focus from the host page.
    live = page.locator("helpmenu-popup >> [aria-live]")
    assert live.get_attribute("aria-live") == "polite"
    page.wait_for_function(
        "() => document.querySelector('helpmenu-popup').shadowRoot.querySelector('[aria-live]').textContent"
    )
    assert str(sent[0]) in live.inner_text()
    assert page.evaluate("document.activeElement.tagName") == "A"
    assert popup.get_attribute("aria-label")
    # The popup wears the launcher's theme: its scheme, and the host's primary colour.
    assert page.locator("helpmenu-popup").get_attribute("data-scheme") == scheme
    if scheme == "dark":
        assert page.locator("helpmenu-popup").evaluate(
            "h => h.style.getPropertyValue('--hm-color-primary')") == DARK["colorPrimary"]
    page.wait_for_timeout(250)  # the entrance animation, for the screenshot
    page.screenshot(path=screenshots / f"popup-{scheme}-{locale}.png")
    assert_no_violations(page, "reply popup")
    page.context.close()


@pytest.fixture(scope="module")
def agent(browser: Any, demo: Demo, sent: list[int]) -> Iterator[Any]:
    """The agent's console, having answered the first request the state walk sent."""
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
    page = staff_login(context, demo, "agent")
    if sent:
        page.goto(f"{demo.backend}/console/requests/{sent[0]}")
        page.fill("textarea[name=body]", "Please update the printer driver and try again.")
        page.locator("form.tk-reply button[type=submit]").click()
        page.wait_for_url(re.compile(r".*done=replied.*"))
    yield page
    context.close()
    if sent:
        dismiss_popups(browser, demo)


def dismiss_popups(browser: Any, demo: Demo) -> None:
    """Delete the reply popup this module caused: the demo is shared, and the next module's user
    (the same identified user) must start with nothing pending."""
    page = new_page(browser)
    page.goto(demo.host + "/identified.html")
    popup = page.locator(POPUP)
    popup.wait_for(state="visible", timeout=10000)
    while popup.is_visible():
        popup.locator("button.d").click()
        page.wait_for_timeout(300)  # the next pending popup, if any, takes the place
    page.context.close()


CONSOLE_PAGES = [
    "/console/requests",
    "/console/requests/{number}",
    "/console/requests/message",
    "/console/requests/options",
    "/console/faq",
    "/console/faq/new",
    "/console/faq/categories",
    "/console/faq/insights",
    "/console/faq/synonyms",
    "/console/faq/images",
    "/console/chats",
    "/console/settings",
    "/console/account",
]


def test_console_pages_have_no_violations(browser: Any, demo: Demo, sent: list[int]) -> None:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
    login = context.new_page()
    login.goto(f"{demo.backend}/console/login")
    assert_no_violations(login, "console log-in")
    login.locator("form button[type=submit]").click()  # empty: the form shows its error
    login.wait_for_load_state()
    assert_no_violations(login, "console log-in with an error")

    page = staff_login(context, demo, "admin")
    number = sent[0] if sent else None
    page.goto(f"{demo.backend}/console/faq")
    article = page.evaluate(
        "[...document.links].map(a => a.href).find(h => /\\/console\\/faq\\/\\d+/.test(h))"
    )
    assert article, "no article to edit in the demo knowledge base"
    pages = [p.format(number=number) for p in CONSOLE_PAGES if number or "{number}" not in p]
    pages.append(article)
    for path in pages:
        response = page.goto(path if path.startswith("http") else demo.backend + path)
        assert response.status == 200, path
        assert_no_violations(page, path)

    # The console's other language, chosen per staff member (set back after: the demo is shared).
    try:
        set_console_language(page, demo, "uk")
        # The main page of each section is enough to see the other language's longer words.
        for path in [p for p in pages if not re.search(r"/(message|options|new|categories|synonyms)$", p)]:
            page.goto(path if path.startswith("http") else demo.backend + path)
            assert page.locator("html").get_attribute("lang") == "uk"
            assert_no_violations(page, f"{path} (uk)")
    finally:
        set_console_language(page, demo, "en")
    context.close()


def set_console_language(page: Any, demo: Demo, locale: str) -> None:
    page.goto(f"{demo.backend}/console/account")
    page.check(f"input[name=locale][value={locale}]")
    page.locator("form[action*='/account/language'] button[type=submit]").click()
    page.wait_for_load_state()


def test_panel_is_a_labelled_non_modal_dialog_on_the_desktop(browser: Any, demo: Demo) -> None:
    page = new_page(browser)
    page.goto(demo.host + "/")
    page.locator(LAUNCHER).click()
    dialog = page.locator(DIALOG)
    dialog.wait_for()
    assert dialog.get_attribute("aria-label") == page.locator(FRAME).get_attribute("title")
    assert dialog.get_attribute("aria-modal") is None
    assert page.locator(LAUNCHER).get_attribute("aria-haspopup") == "dialog"
    page.frame_locator(FRAME).locator("nav .tab").first.wait_for()
    # Non-modal: Tab from the panel's last control leaves it for the host page.
    panel = page.frame_locator(FRAME)
    panel.locator("nav [data-section=contact]").focus()
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.tagName === 'HELPMENU-WIDGET'")
    page.context.close()


@pytest.mark.parametrize("width", [360, 320])
def test_phone_panel_is_full_screen_modal_and_keeps_tab_inside(browser: Any, demo: Demo, width: int) -> None:
    page = new_page(browser, viewport={"width": width, "height": 640}, is_mobile=True, has_touch=True)
    page.goto(demo.host + "/")
    page.locator(LAUNCHER).click()
    panel = page.frame_locator(FRAME)
    panel.locator("[data-view=faq] .faq-body h3").first.wait_for()
    box = page.locator(FRAME).bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, width, 640)
    assert page.locator(DIALOG).get_attribute("aria-modal") == "true"
    assert_no_horizontal_scroll(page)

    # Forwards from the last tab wraps to the first control, backwards from the first to the last.
    panel.locator("nav [data-section=contact]").focus()
    page.keyboard.press("Tab")
    assert panel.locator("button.close").evaluate("el => el === document.activeElement")
    page.keyboard.press("Shift+Tab")
    assert panel.locator("nav [data-section=contact]").evaluate("el => el === document.activeElement")
    for _ in range(40):  # a full round and more never leaves the panel
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "HELPMENU-WIDGET"
    assert_no_violations(page, f"phone {width} px", demo)

    page.keyboard.press("Escape")
    page.locator(FRAME).wait_for(state="hidden")
    assert page.locator(DIALOG).get_attribute("aria-modal") is None
    page.context.close()


def assert_no_horizontal_scroll(page: Any) -> None:
    for frame in page.frames:
        if frame.url.startswith("http"):
            overflow = frame.evaluate(
                """() => [...document.querySelectorAll('body *')]
                     .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                                   && el.getClientRects().length && !el.closest('.sr'))
                     .map(el => el.tagName + '.' + el.className).slice(0, 5)"""
            )
            scroll = frame.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert scroll <= 0 and not overflow, (frame.url, scroll, overflow)


def test_200_percent_zoom_needs_no_horizontal_scrolling(browser: Any, demo: Demo) -> None:
    # A 1280 x 800 window at 200% is a 640 x 400 CSS-pixel viewport with twice the device pixels.
    page = new_page(browser, viewport={"width": 640, "height": 400}, device_scale_factor=2)
    boot_identified(page, demo, "uk")
    page.locator(LAUNCHER).click()
    panel = page.frame_locator(FRAME)
    panel.locator("[data-view=faq] .faq-body h3").first.wait_for()
    for section in ["faq", "chat", "request", "history", "contact"]:
        panel.locator(f"nav [data-section={section}]").click()
        panel.locator(f"[data-view={section}] h2").first.wait_for()
        panel.locator(f"[data-view={section}] .loading").wait_for(state="detached")
        assert_no_horizontal_scroll(page)
        # Every tab stays on screen and reachable.
        tab = panel.locator(f"nav [data-section={section}]").bounding_box()
        assert tab["x"] >= 0 and tab["x"] + tab["width"] <= 640 and tab["y"] + tab["height"] <= 400
    page.context.close()


# Every element of the document and of its open shadow roots (the launcher, popups) whose computed
# style moves it: a CSS animation or a transition with a duration.
MOVING = """() => {
  const moving = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(el, pseudo);
        const timed = (value) => value.split(',').some((v) => parseFloat(v) > 0);
        const animated = style.animationName !== 'none' && timed(style.animationDuration);
        if (animated || timed(style.transitionDuration)) {
          moving.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
            ? '.' + el.className : '') + (pseudo || ''));
        }
      }
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return moving;
}"""


def moving_elements(page: Any) -> list[str]:
    return [name for frame in page.frames if frame.url.startswith("http") for name in frame.evaluate(MOVING)]


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_reduced_motion_turns_animations_off(browser: Any, demo: Demo, motion: str) -> None:
    page = new_page(browser, reduced_motion=motion)
    page.goto(demo.host + "/")
    launcher = page.locator(LAUNCHER)
    launcher.hover()  # the launcher lifts on hover
    launcher.click()
    panel = page.frame_locator(FRAME)
    panel.locator("nav .tab").first.wait_for()
    panel.locator("nav [data-section=request]").hover()
    panel.locator("nav [data-section=request]").click()
    panel.locator("form.rq").wait_for()
    moving = moving_elements(page)
    if motion == "reduce":
        assert moving == []
    else:  # the check sees motion where there is some: the launcher, the panel's entrance, buttons
        assert {"button", "div.f"} <= set(moving), moving
    page.context.close()


@pytest.fixture
def chat_demo(widget_bundle: None, tmp_path: Path) -> Iterator[ChatDemo]:
    """The chat test's demo server, its clock inside support hours, so an agent can answer."""
    yield from chat_demo_server(widget_bundle, tmp_path, OPEN_NOW)


def test_chat_states_and_the_chat_desk_have_no_violations(browser: Any, chat_demo: ChatDemo) -> None:
    agent_context = browser.new_context(viewport={"width": 1360, "height": 860}, locale="en-US")
    agent = agent_context.new_page()
    console_login(agent, chat_demo)
    agent.locator(".desk-switch").click()
    assert_no_violations(agent, "chat desk, available")

    page = new_page(browser, color_scheme="dark")
    page.goto(chat_demo.host + "/")
    page.locator(LAUNCHER).click()
    panel = page.frame_locator(FRAME)
    panel.locator("nav [data-section=chat]").click()
    panel.locator(".chat .availability.on").wait_for()
    panel.locator(".chat-form button[type=submit]").click()  # empty: errors tied to the fields
    phone = panel.locator("#hm-chat-phone")
    assert phone.get_attribute("aria-invalid") == "true"
    error = panel.locator(f"[id='{phone.get_attribute('aria-describedby')}']")
    assert error.is_visible() and error.inner_text().strip()
    assert_no_violations(page, "chat form with errors", Demo(chat_demo.public, chat_demo.host, ""))

    panel.locator("#hm-chat-name").fill("Sofia")
    phone.fill("+380 67 555 0199")
    panel.locator("#hm-chat-question").fill("The night audit stops at step 3")
    panel.locator(".chat-form button[type=submit]").click()
    agent.locator(".desk-mine-item, .desk-waiting").first.wait_for()
    waiting = agent.locator(".desk-waiting [data-accept]")
    if waiting.count():
        waiting.first.click()
    log = panel.locator(".chat-log")
    log.wait_for()
    assert log.get_attribute("role") == "log"
    agent.locator(".desk-composer textarea").fill("Hello Sofia, let me check the journal.")
    agent.locator(".desk-composer textarea").press("Enter")
    panel.locator(".chat-log .chat-text", has_text="check the journal").wait_for()
    assert_no_violations(page, "chat conversation", Demo(chat_demo.public, chat_demo.host, ""))
    assert_no_violations(agent, "chat desk, in a chat")
    page.context.close()
    agent_context.close()
