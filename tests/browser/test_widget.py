"""The widget shell end to end: launcher, panel, sections, focus, CSP, identity, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import FRAME, LAUNCHER, RECORDER, Console, Demo, open_panel

pytestmark = pytest.mark.browser

SECTIONS = ["faq", "chat", "request", "history", "contact"]


def launcher_expanded(page: Any) -> str:
    return str(page.locator(LAUNCHER).get_attribute("aria-expanded"))


def shadow_focus(page: Any) -> str | None:
    """The tag of the element focused inside our shadow root (None if focus is elsewhere)."""
    return page.evaluate(
        """() => {
          const host = document.querySelector('helpmenu-widget');
          if (document.activeElement !== host) return null;
          return host.shadowRoot.activeElement && host.shadowRoot.activeElement.tagName;
        }"""
    )


def events(page: Any, name: str) -> list[dict[str, Any]]:
    return [e["detail"] for e in page.evaluate("window.__hm") if e["event"] == name]


def check_open_switch_and_close(page: Any, screenshots: Path, name: str) -> None:
    page.locator(LAUNCHER).wait_for(state="visible")
    page.screenshot(path=screenshots / f"{name}-launcher.png")
    assert launcher_expanded(page) == "false"
    assert page.locator(LAUNCHER).inner_text().strip() == "Допомога"  # the host page is lang="uk"

    panel = open_panel(page)
    assert launcher_expanded(page) == "true"
    assert page.locator(FRAME).get_attribute("title") == "Допомога та підтримка"
    tabs = panel.locator("nav .tab")
    assert [tabs.nth(i).get_attribute("data-section") for i in range(tabs.count())] == SECTIONS
    assert panel.locator("nav [aria-current=page]").get_attribute("data-section") == "faq"
    assert panel.locator("[data-view=faq] h2").first.inner_text().strip()
    assert shadow_focus(page) == "IFRAME"
    page.screenshot(path=screenshots / f"{name}-panel.png")

    # Each section renders its own heading (their texts belong to the section's own issue).
    headings = {}
    for section in SECTIONS[1:]:
        panel.locator(f"nav [data-section={section}]").click()
        heading = panel.locator(f"[data-view={section}] h2").first
        heading.wait_for()
        headings[section] = heading.inner_text().strip()
        assert panel.locator("nav [aria-current=page]").get_attribute("data-section") == section
        assert panel.locator(f"[data-view={section}]").is_visible()
        assert not panel.locator("[data-view=faq]").is_visible()
    assert all(headings.values()) and len(set(headings.values())) == 4, headings
    assert headings["contact"] == "Зв’язатися з нами"

    panel.locator("a[href='tel:+380443900014']").wait_for()
    assert panel.locator("a[href^='mailto:']").count() == 3
    assert panel.locator("table.week tr").count() == 7
    page.screenshot(path=screenshots / f"{name}-contact.png")

    panel.locator("[data-view=contact] h2").first.press("Escape")
    page.locator(FRAME).wait_for(state="hidden")
    assert launcher_expanded(page) == "false"
    assert shadow_focus(page) == "BUTTON"
    assert [len(events(page, "open")), len(events(page, "close"))] == [1, 1]


def test_host_page_launcher_panel_sections_and_focus(
    page: Any, demo: Demo, console: Console, screenshots: Path
) -> None:
    page.goto(demo.host + "/")
    check_open_switch_and_close(page, screenshots, "plain")
    ready = events(page, "ready")
    assert len(ready) == 1 and ready[0]["user"]["anonymous"] is True
    assert console.of_type("warning") == []


def test_strict_csp_page_works_without_violations(
    page: Any, demo: Demo, console: Console, screenshots: Path
) -> None:
    response = page.goto(demo.host + "/strict-csp.html")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    check_open_switch_and_close(page, screenshots, "strict")
    assert console.csp_violations() == []
    assert [m for m in console.messages if m[0] == "pageerror"] == []


def test_close_button_launcher_toggle_and_api(page: Any, demo: Demo) -> None:
    page.goto(demo.host + "/")
    page.locator(LAUNCHER).wait_for()
    page.evaluate("HelpMenu('open', 'contact')")
    panel = page.frame_locator(FRAME)
    panel.locator("[data-view=contact] h2").wait_for()
    assert events(page, "open") == [{"section": "contact"}]

    panel.locator("button.close").click()
    page.locator(FRAME).wait_for(state="hidden")
    assert shadow_focus(page) == "BUTTON"

    page.locator(LAUNCHER).click()  # reopens where the user left off
    assert panel.locator("nav [aria-current=page]").get_attribute("data-section") == "contact"
    page.locator(LAUNCHER).click()
    page.locator(FRAME).wait_for(state="hidden")

    page.evaluate("HelpMenu('open', 'chat')")
    panel.locator("[data-view=chat] h2").wait_for()
    page.evaluate("HelpMenu('toggle')")
    page.locator(FRAME).wait_for(state="hidden")
    assert launcher_expanded(page) == "false"


def test_small_screens_get_a_full_screen_panel(context: Any, demo: Demo) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 760})
    # No entrance animation: the box is measured at once, and mid-slide it is 12 px lower.
    page.emulate_media(reduced_motion="reduce")
    page.goto(demo.host + "/")
    open_panel(page)
    box = page.locator(FRAME).bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 760)


def test_unknown_site_key_draws_nothing_and_warns_once(page: Any, demo: Demo, console: Console) -> None:
    html = (
        "<!doctype html><html lang=en><title>host</title><body><p>host</p>"
        f"<script>{RECORDER}</script>"  # document.open() dropped the init script's listeners
        f'<script async src="{demo.backend}/widget.js" data-site="pk_no_such_site"></script>'
    )
    # Written into a page of the host origin: a page fulfilled by page.route() would count as a
    # public address space, and Chromium would then refuse it requests to the loopback backend.
    page.goto(demo.host + "/no-such-page")
    with page.expect_response(lambda r: r.url.endswith("/api/widget/session")) as session:
        page.set_content(html)
    assert session.value.status == 404
    page.wait_for_function("window.__hm.length > 0")
    assert page.locator("helpmenu-widget").count() == 0
    assert len(console.of_type("warning")) == 1
    assert "unknown_site" in console.of_type("warning")[0]
    assert events(page, "error")[0]["code"] == "unknown_site"


def test_unknown_command_warns_once(page: Any, demo: Demo, console: Console) -> None:
    page.goto(demo.host + "/")
    page.locator(LAUNCHER).wait_for()
    page.evaluate("HelpMenu('explode')")
    assert len(console.of_type("warning")) == 1


def test_identified_user_boots_with_the_host_signed_token(page: Any, demo: Demo) -> None:
    page.goto(demo.host + "/identified.html")
    page.wait_for_function("window.__hm.some(e => e.event === 'ready' && !e.detail.user.anonymous)")
    ready = [e for e in events(page, "ready") if not e["user"]["anonymous"]]
    assert ready[0]["user"]["name"] == "Olena Kovalenko"
    assert events(page, "error") == []
    panel = open_panel(page)
    panel.locator("nav [data-section=history]").click()
    panel.locator("[data-view=history] h2").wait_for()
    assert panel.locator("[data-view=history] .note").count() == 0  # no "sign in" hint


def test_forged_token_fires_error_and_does_not_fall_back(page: Any, demo: Demo) -> None:
    page.goto(demo.host + "/identified.html?variant=forged")
    page.wait_for_function("window.__hm.some(e => e.event === 'error')")
    error = events(page, "error")[0]
    assert error["code"] == "invalid_token"
    assert error["reason"] == "bad_signature"
    # The page had booted anonymously before its token arrived; a failed identity must not leave
    # the anonymous widget standing in for the user.
    page.wait_for_timeout(300)
    assert page.locator("helpmenu-widget").count() == 0
    assert page.evaluate("window.helpmenuErrors.length") == 1


def test_shutdown_forgets_the_anonymous_visitor(page: Any, demo: Demo) -> None:
    page.goto(demo.host + "/")
    page.locator(LAUNCHER).wait_for()
    key = f"helpmenu:{demo.site_key}:anon"
    assert page.evaluate(f"localStorage.getItem('{key}')")
    page.evaluate("HelpMenu('shutdown')")
    assert page.locator("helpmenu-widget").count() == 0
    assert page.evaluate(f"localStorage.getItem('{key}')") is None


def test_theme_reaches_the_launcher_and_the_panel(page: Any, demo: Demo) -> None:
    page.goto(demo.host + "/")
    page.locator(LAUNCHER).wait_for()
    page.evaluate("HelpMenu('boot', {theme: {colorPrimary: '#0f766e', scheme: 'dark', position: 'left'}})")
    page.wait_for_function("window.__hm.filter(e => e.event === 'ready').length === 2")
    launcher = page.locator(LAUNCHER)
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(15, 118, 110)"
    assert launcher.bounding_box()["x"] < 100  # position: left
    panel = open_panel(page)
    header = panel.locator("header")
    assert "rgb(15, 118, 110)" in header.evaluate("h => getComputedStyle(h).backgroundImage")
    assert panel.locator("html").get_attribute("data-scheme") == "dark"


def test_expired_session_is_renewed_through_the_loader(page: Any, demo: Demo) -> None:
    calls: list[str] = []

    def first_call_unauthorized(route: Any) -> None:
        calls.append(route.request.headers.get("authorization", ""))
        if len(calls) == 1:
            route.fulfill(
                status=401,
                json={"error": "session_expired", "message": "the widget session has expired"},
            )
        else:
            route.continue_()

    page.route("**/api/widget/site", first_call_unauthorized)
    page.goto(demo.host + "/")
    page.locator(LAUNCHER).wait_for()
    with page.expect_request("**/api/widget/session"):
        panel = open_panel(page)
    panel.locator("nav [data-section=contact]").click()
    panel.locator("a[href='tel:+380443900014']").wait_for()
    assert len(calls) == 2
    assert calls[0].startswith("Bearer ") and calls[1].startswith("Bearer ")
