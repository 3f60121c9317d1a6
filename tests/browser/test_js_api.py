"""The host page's JavaScript API end to end (docs/js-api.md): the launcher shown and hidden, `once`,
`setContext`, a token callback, chat events, single-page-app safety, `shutdown`, and the panel
reopening on the next page of the same tab."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.chat_demo import ChatDemo, available_agent, chat_visitor, open_demo
from tests.browser.conftest import RECORDER, Demo

__all__ = ["open_demo"]  # a fixture of the chat tests, used here too

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


# Counts what the page adds to window (the loader's listeners must not pile up) and records the
# widget's DOM events that the shared recorder does not follow.
COUNTERS = """
window.__added = {};
const addToWindow = window.addEventListener;
window.addEventListener = function (type, ...rest) {
  window.__added[type] = (window.__added[type] || 0) + 1;
  return addToWindow.call(this, type, ...rest);
};
window.__dom = [];
for (const name of ['chat:started', 'chat:ended', 'request:created']) {
  addToWindow.call(window, 'helpmenu:' + name, (e) => window.__dom.push({event: name, detail: e.detail}));
}
"""


@pytest.fixture
def counted(context: Any) -> Any:
    context.add_init_script(COUNTERS)
    return context


def dom_events(page: Any, name: str) -> list[dict[str, Any]]:
    return [e["detail"] for e in page.evaluate("window.__dom") if e["event"] == name]


def wait_ready(page: Any, count: int) -> None:
    page.wait_for_function(f"window.__hm.filter(e => e.event === 'ready').length >= {count}")


def widget_count(page: Any) -> tuple[int, int]:
    """Shadow hosts, and iframes inside them, on the page."""
    hosts, frames = page.evaluate(
        """() => {
          const hosts = [...document.querySelectorAll('helpmenu-widget')];
          const frames = hosts.map((h) => h.shadowRoot.querySelectorAll('iframe').length);
          return [hosts.length, frames.reduce((a, b) => a + b, 0)];
        }"""
    )
    return hosts, frames


def test_once_on_off_and_dom_events(page: Any, demo: Demo) -> None:
    page.goto(demo.host + "/")
    wait_ready(page, 1)
    page.evaluate(
        """() => {
          window.__log = [];
          const every = (d) => window.__log.push('on:' + d.section);
          window.__every = every;
          HelpMenu('on', 'open', every);
          HelpMenu('on', 'open', every);  // the same function twice is one listener
          HelpMenu('once', 'open', (d) => window.__log.push('once:' + d.section));
          HelpMenu('once', 'ready', (d) => window.__log.push('ready:' + d.user.anonymous));
        }"""
    )
    page.wait_for_function("window.__log.includes('ready:true')")  # late once('ready') runs at once
    page.evaluate("HelpMenu('open', 'contact')")
    page.evaluate("HelpMenu('close')")
    page.evaluate("HelpMenu('open', 'faq')")
    page.evaluate("HelpMenu('off', 'open', window.__every)")
    page.evaluate("HelpMenu('close')")
    page.evaluate("HelpMenu('open')")
    assert page.evaluate("window.__log") == ["ready:true", "on:contact", "once:contact", "on:faq"]
    # The DOM events on window carry the same details, one per event.
    assert events(page, "open") == [{"section": "contact"}, {"section": "faq"}, {"section": None}]
    page.evaluate("HelpMenu('boot', {})")  # a second ready: the once('ready') listener is gone
    wait_ready(page, 2)
    assert page.evaluate("window.__log.filter(x => x.startsWith('ready')).length") == 1


def test_bad_api_calls_warn_and_change_nothing(page: Any, demo: Demo, console: Any) -> None:
    page.goto(demo.host + "/")
    wait_ready(page, 1)
    page.evaluate("HelpMenu('once', 'no-such-event', () => {})")
    page.evaluate("HelpMenu('on', 'open', 'not a function')")
    page.evaluate("HelpMenu('setContext', {nested: {a: 1}})")
    page.evaluate("HelpMenu('setContext', ['a', 'b'])")
    page.evaluate("HelpMenu('setContext', {big: 'x'.repeat(5000)})")
    warnings = console.of_type("warning")
    assert len(warnings) == 5, warnings
    assert all(w.startswith("HelpMenu: ") for w in warnings)
    page.evaluate("HelpMenu('open', 'contact')")  # still works, and no listener broke it
    page.frame_locator(FRAME).locator("[data-view=contact] h2").wait_for()


def submit_request(panel: Any, subject: str) -> None:
    form = panel.locator("form.rq")
    form.wait_for()
    form.locator("select[name=topic]").select_option(index=1)
    form.locator("input[name=subject]").fill(subject)
    form.locator("textarea[name=message]").fill("The printer does nothing.")
    form.locator("button[type=submit]").click()
    panel.locator(".done .num").wait_for()


def sent_context(page: Any, action: Any) -> dict[str, Any]:
    """The `context` field of the New request form that `action` submits."""
    with page.expect_request(lambda r: r.url.endswith("/api/tickets") and r.method == "POST") as sent:
        action()
    body = sent.value.post_data_buffer.decode("utf-8")
    part = body.split('name="context"', 1)[1].split("\r\n\r\n", 1)[1].split("\r\n--", 1)[0]
    return dict(json.loads(part))


def test_set_context_and_route_changes_reach_the_request(counted: Any, demo: Demo) -> None:
    page = counted.new_page()
    page.goto(demo.host + "/identified.html")
    page.wait_for_function("window.__hm.some(e => e.event === 'ready' && !e.detail.user.anonymous)")
    page.evaluate("HelpMenu('setContext', {module: 'billing', invoice: 'INV-2211', draft: false})")
    page.evaluate("history.pushState({}, '', '/billing/INV-2211')")  # an SPA route
    page.evaluate("HelpMenu('open', 'request')")
    panel = page.frame_locator(FRAME)
    context = sent_context(page, lambda: submit_request(panel, "Invoice INV-2211 does not print"))
    assert context["module"] == "billing" and context["invoice"] == "INV-2211"
    assert context["draft"] is False
    assert context["page_url"] == demo.host + "/billing/INV-2211"
    assert dom_events(page, "request:created")[0]["number"] > 0

    # Changed while the panel is open, and an invalid one keeps the last good one.
    page.evaluate("HelpMenu('setContext', {module: 'rooms'})")
    page.evaluate("HelpMenu('setContext', {module: {deep: true}})")
    page.evaluate("history.pushState({}, '', '/rooms/204')")
    page.evaluate("HelpMenu('close'); HelpMenu('open', 'request', {fresh: true})")
    context = sent_context(page, lambda: submit_request(panel, "Room 204 shows as dirty"))
    assert context["module"] == "rooms" and "invoice" not in context
    assert context["page_url"] == demo.host + "/rooms/204"

    # A boot without context keeps it; setContext(null) clears it.
    page.evaluate("HelpMenu('setContext', null)")
    page.evaluate("HelpMenu('open', 'request', {fresh: true})")
    context = sent_context(page, lambda: submit_request(panel, "Nothing else"))
    assert "module" not in context and context["page_url"] == demo.host + "/rooms/204"


TOKEN_CALLBACK = """() => {
  window.__calls = 0;
  window.__variant = '';
  window.__fetchToken = () => {
    window.__calls += 1;
    return fetch('/helpmenu-token' + window.__variant).then((r) => r.json()).then((b) => b.token);
  };
  HelpMenu('boot', {token: window.__fetchToken});
}"""


def test_token_callback_is_called_at_boot_and_when_the_session_expires(page: Any, demo: Demo) -> None:
    site_calls: list[int] = []

    def first_call_unauthorized(route: Any) -> None:
        site_calls.append(1)
        if len(site_calls) == 1:
            route.fulfill(status=401, json={"error": "session_expired", "message": "expired"})
        else:
            route.continue_()

    page.route("**/api/widget/site", first_call_unauthorized)
    page.goto(demo.host + "/")
    wait_ready(page, 1)  # the anonymous auto-boot
    page.evaluate(TOKEN_CALLBACK)
    page.wait_for_function("window.__hm.some(e => e.event === 'ready' && !e.detail.user.anonymous)")
    assert page.evaluate("window.__calls") == 1
    assert events(page, "ready")[-1]["user"]["name"] == "Olena Kovalenko"
    assert widget_count(page) == (1, 0)

    with page.expect_request("**/api/widget/session"):
        page.locator(LAUNCHER).click()
    panel = page.frame_locator(FRAME)
    panel.locator("nav [data-section=contact]").click()
    panel.locator("a[href='tel:+380443900014']").wait_for()
    assert len(site_calls) == 2
    assert page.evaluate("window.__calls") == 2  # asked again for the renewed session

    # The same function answering for someone else is a different user: logged out first.
    first_frame = page.locator(FRAME).element_handle()
    page.evaluate("window.__variant = '?variant=other'; HelpMenu('boot', {token: window.__fetchToken})")
    page.wait_for_function(
        "window.__hm.some(e => e.event === 'ready' && e.detail.user.name === 'Petro Bondar')"
    )
    assert first_frame.evaluate("f => f.isConnected") is False
    assert widget_count(page) == (1, 0)

    # A callback that fails: an error event, and no widget standing in for the user.
    page.evaluate("HelpMenu('boot', {token: () => Promise.reject(new Error('offline'))})")
    page.wait_for_function("window.__hm.some(e => e.event === 'error')")
    assert events(page, "error") == [{"code": "invalid_token", "reason": "callback"}]
    assert widget_count(page) == (0, 0)
    page.evaluate("HelpMenu('boot', {token: () => 42})")
    page.wait_for_function("window.__hm.filter(e => e.event === 'error').length === 2")
    assert widget_count(page) == (0, 0)


def test_single_page_app_never_duplicates_the_widget_or_its_listeners(counted: Any, demo: Demo) -> None:
    page = counted.new_page()
    page.goto(demo.host + "/")
    wait_ready(page, 1)
    page.evaluate("HelpMenu('open', 'faq')")
    page.frame_locator(FRAME).locator("[data-view=faq] h2").wait_for()
    page.evaluate("HelpMenu('close')")
    added = page.evaluate("({...window.__added})")
    assert added.get("message") == 1

    for step in range(3):
        # Route changes, a boot on each (as SPAs do), the panel used on each route.
        page.evaluate(f"history.pushState({{}}, '', '/route-{step}')")
        page.evaluate("HelpMenu('boot', {})")
        wait_ready(page, step + 2)
        page.evaluate("HelpMenu('toggle')")
        page.locator(FRAME).wait_for(state="visible")
        page.evaluate("HelpMenu('toggle')")
        page.locator(FRAME).wait_for(state="hidden")
    # The loader included a second time (a router re-inserting the tag), then every tag removed.
    page.evaluate(
        """(src) => new Promise((resolve) => {
          const again = document.createElement('script');
          again.src = src;
          again.dataset.site = document.querySelector('script[data-site]').dataset.site;
          again.onload = resolve;
          document.head.append(again);
        })""",
        demo.backend + "/widget.js",
    )
    page.evaluate("document.querySelectorAll('script[src$=\"/widget.js\"]').forEach((s) => s.remove())")
    page.wait_for_timeout(300)  # let a (wrong) second boot of the copy show itself

    assert widget_count(page) == (1, 1)
    assert page.evaluate("({...window.__added})") == added
    assert len(events(page, "ready")) == 4
    page.evaluate("HelpMenu('open', 'contact')")
    page.frame_locator(FRAME).locator("[data-view=contact] h2").wait_for()
    assert events(page, "open")[-1] == {"section": "contact"}
    assert len(events(page, "open")) == 5  # one per open: a second loader would double them


def our_keys(page: Any) -> dict[str, list[str]]:
    return dict(page.evaluate(
        """() => ({
          local: Object.keys(localStorage).filter((k) => k.startsWith('helpmenu')).sort(),
          session: Object.keys(sessionStorage).filter((k) => k.startsWith('helpmenu')).sort(),
        })"""
    ))


def test_shutdown_wipes_local_state(page: Any, demo: Demo) -> None:
    page.goto(demo.host + "/")
    wait_ready(page, 1)
    page.evaluate("localStorage.setItem('host-own', '1'); sessionStorage.setItem('host-own', '1')")
    page.evaluate("HelpMenu('open', 'faq')")
    panel = page.frame_locator(FRAME)
    panel.locator("[data-view=faq] h2").wait_for()
    # A chat resume token, as the panel hands it to the loader while a chat goes on.
    page.evaluate("sessionStorage.setItem('helpmenu.chat', 'r1')")
    page.evaluate(
        """(key) => localStorage.setItem(key, '1')""", f"helpmenu:{demo.site_key}:req"
    )
    assert our_keys(page) == {
        "local": [f"helpmenu:{demo.site_key}:anon", f"helpmenu:{demo.site_key}:req"],
        "session": ["helpmenu.chat", f"helpmenu:{demo.site_key}:panel"],
    }
    page.evaluate("HelpMenu('shutdown')")
    assert our_keys(page) == {"local": [], "session": []}
    host_keys = "[localStorage.getItem('host-own'), sessionStorage.getItem('host-own')]"
    assert page.evaluate(host_keys) == ["1", "1"]
    assert widget_count(page) == (0, 0)

    # The next person: a new anonymous visitor, with no chat to resume (the pre-chat form).
    page.evaluate("HelpMenu('boot', {})")
    wait_ready(page, 2)
    page.evaluate("HelpMenu('open', 'chat')")
    panel.locator("#hm-chat-name").wait_for()
    assert events(page, "ready")[1]["user"]["id"] != events(page, "ready")[0]["user"]["id"]


def test_open_panel_follows_the_tab_to_the_next_page(page: Any, demo: Demo) -> None:
    page.goto(demo.host + "/")
    page.locator(LAUNCHER).click()
    panel = page.frame_locator(FRAME)
    panel.locator("nav [data-section=contact]").click()
    panel.locator("[data-view=contact] h2").wait_for()

    page.locator("nav a").nth(2).click()  # a link of the host app, same tab
    page.wait_for_load_state()
    page.locator(FRAME).wait_for(state="visible")  # reopened without a click
    panel.locator("[data-view=contact] h2").wait_for()
    assert panel.locator("nav [aria-current=page]").get_attribute("data-section") == "contact"
    assert events(page, "open") == [{"section": "contact"}]
    assert page.evaluate("document.activeElement === document.body")  # focus stays with the page
    assert page.locator(LAUNCHER).get_attribute("aria-expanded") == "true"

    # Closed, it stays closed on the next page (and no panel is loaded there at all).
    page.locator(LAUNCHER).click()
    page.locator(FRAME).wait_for(state="hidden")
    page.reload()
    wait_ready(page, 1)
    page.wait_for_timeout(300)
    assert widget_count(page) == (1, 0)

    # The flag belongs to the user it was set for: another user's page does not reopen it.
    page.locator(LAUNCHER).click()
    page.frame_locator(FRAME).locator("nav .tab").first.wait_for()
    page.evaluate(
        """(key) => {
          const [open, section] = JSON.parse(sessionStorage.getItem(key));
          sessionStorage.setItem(key, JSON.stringify([open, section, 'a:someone-else']));
        }""",
        f"helpmenu:{demo.site_key}:panel",
    )
    page.reload()
    wait_ready(page, 1)
    page.wait_for_timeout(300)
    assert widget_count(page) == (1, 0)


def test_chat_events_and_the_chat_following_the_tab_across_pages(
    open_demo: ChatDemo, browser: Any
) -> None:
    """Issue 5: following a link resumes the chat, here without the visitor clicking Help again."""
    demo = open_demo
    agent_ctx = browser.new_context(viewport={"width": 1360, "height": 860})
    visitor_ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="uk-UA")
    visitor_ctx.add_init_script(RECORDER)
    visitor_ctx.add_init_script(COUNTERS)
    errors: list[str] = []
    try:
        agent = available_agent(agent_ctx, demo, errors)

        visitor, panel = chat_visitor(visitor_ctx, demo, errors)
        panel.locator("#hm-chat-name").fill("Ірина")
        panel.locator("#hm-chat-phone").fill("+380 67 555 0101")
        panel.locator("#hm-chat-question").fill("Звіт не відкривається")
        panel.locator(".chat-form button[type=submit]").click()
        visitor.wait_for_function("window.__dom.some(e => e.event === 'chat:started')")
        assert dom_events(visitor, "chat:started") == [{}]
        panel.locator(".chat-head h2", has_text="Olha Admin").wait_for()
        panel.locator(".chat-composer textarea").fill("Перше повідомлення")
        panel.locator(".chat-composer textarea").press("Enter")
        agent.locator(".desk-log .desk-text", has_text="Перше повідомлення").wait_for()

        # A link in the same tab: the panel reopens by itself on the chat, with its transcript.
        visitor.locator("nav a").nth(2).click()
        visitor.wait_for_load_state()
        visitor.locator(FRAME).wait_for(state="visible")
        panel = visitor.frame_locator(FRAME)
        panel.locator(".chat-log .chat-text", has_text="Перше повідомлення").wait_for()
        assert panel.locator(".chat-log .chat-text", has_text="Перше повідомлення").count() == 1
        panel.locator(".chat-composer textarea").fill("Друга сторінка")
        panel.locator(".chat-composer textarea").press("Enter")
        agent.locator(".desk-log .desk-text", has_text="Друга сторінка").wait_for()
        assert dom_events(visitor, "chat:started") == []  # a resumed chat did not start again

        # Closed, then another link: the chat resumes out of sight and is there on the next click.
        visitor.locator(LAUNCHER).click()
        visitor.locator(FRAME).wait_for(state="hidden")
        visitor.locator("nav a").nth(3).click()
        visitor.wait_for_load_state()
        panel = visitor.frame_locator(FRAME)
        panel.locator(".chat-log .chat-text", has_text="Друга сторінка").wait_for(state="attached")
        assert not visitor.locator(FRAME).is_visible()
        agent.locator(".desk-composer textarea").fill("Бачу вас, відповідаю")
        agent.locator(".desk-composer textarea").press("Enter")
        panel.locator(".chat-log .chat-text", has_text="Бачу вас").wait_for(state="attached")
        visitor.locator(LAUNCHER).click()
        panel.locator(".chat-log .chat-text", has_text="Бачу вас").wait_for()

        # The visitor ends it: chat:ended, and the next page neither reopens nor resumes anything.
        panel.locator(".chat-foot button").last.click()
        visitor.wait_for_function("window.__dom.some(e => e.event === 'chat:ended')")
        assert dom_events(visitor, "chat:ended") == [{"by": "visitor"}]
        assert visitor.evaluate("sessionStorage.getItem('helpmenu.chat')") is None
        visitor.locator(LAUNCHER).click()
        visitor.locator(FRAME).wait_for(state="hidden")
        visitor.reload()
        visitor.wait_for_function("window.__hm.some(e => e.event === 'ready')")
        visitor.wait_for_timeout(300)
        assert widget_count(visitor) == (1, 0)
    finally:
        agent_ctx.close()
        visitor_ctx.close()
    assert errors == []
