"""The whole story of requests in real Chromium: a user sends a request with a pasted screenshot,
an agent answers in the console (and leaves an internal note), the popup reaches the user's page
without a reload, Remind later / View / Delete do what they say, and the user answers with a file.

The snooze delay is the site's setting, set to two seconds here through the console. The demo
server runs on the real clock; nothing in this test waits on the time of day, only on that delay.
"""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Demo
from tests.tickets.conftest import png

pytestmark = pytest.mark.browser

LAUNCHER = "helpmenu-widget >> button"
FRAME = "helpmenu-widget >> iframe"
POPUP = "helpmenu-popup >> section"
PASTE = """(element, [b64, selector]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], 'image.png', {type: 'image/png'}));
  document.querySelector(selector).dispatchEvent(
    new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def staff_login(context: Any, demo: Demo, role: str) -> Any:
    assert demo.data_dir is not None
    state = json.loads((demo.data_dir / "demo.json").read_text())
    creds = state["staff"][role]
    page = context.new_page()
    page.goto(f"{demo.backend}/console/login")
    page.fill("input[name=email]", creds["email"])
    page.fill("input[name=password]", creds["password"])
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/console/(?!login).*"))
    return page


def test_the_whole_story(page: Any, context: Any, browser: Any, demo: Demo,
                         screenshots: Path) -> None:
    # The admin shortens Remind later to two seconds (a site setting).
    staff_context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
    admin = staff_login(staff_context, demo, "admin")
    admin.goto(f"{demo.backend}/console/requests/options")
    admin.fill("input[name=snooze_seconds]", "2")
    admin.locator("form button[type=submit]").last.click()
    admin.wait_for_url(re.compile(r".*done=saved.*"))

    # An identified user sends a request with a screenshot pasted from the clipboard.
    page.goto(f"{demo.host}/identified.html")
    page.locator(LAUNCHER).wait_for(state="visible")
    page.evaluate("HelpMenu('on', 'request:created', (d) => { window.__created = d; })")
    page.evaluate("HelpMenu('open', 'request', {context: {app_version: '4.2.1'}})")
    panel = page.frame_locator(FRAME)
    form = panel.locator("form.rq")
    form.wait_for()
    form.locator("select[name=topic]").select_option(index=1)
    # While the subject is typed, the FAQ suggests articles; opening one keeps the draft.
    form.locator("input[name=subject]").fill("Як створити рахунок")
    form.locator("textarea[name=message]").fill("Draft text")
    suggestion = panel.locator(".sugg-item").first
    suggestion.wait_for(timeout=5000)
    suggestion.click()
    panel.locator("[data-view=faq]").wait_for(state="visible")
    panel.locator("nav .tab[data-section=request]").click()
    assert form.locator("input[name=subject]").input_value() == "Як створити рахунок"
    assert form.locator("textarea[name=message]").input_value() == "Draft text"
    subject = f"Invoice {time.monotonic_ns()} does not print"
    form.locator("input[name=subject]").fill(subject)
    form.locator("textarea[name=message]").fill("When I press Print, nothing happens.")
    frame = page.frame_locator(FRAME).locator("html")  # evaluate inside the panel's document
    frame.evaluate(PASTE, [base64.b64encode(png(8, 8)).decode(), "textarea[name=message]"])
    assert re.match(r"screenshot-.*\.png", form.locator(".fname").inner_text())
    page.screenshot(path=screenshots / "request-form.png")
    form.locator("button[type=submit]").click()
    done = panel.locator(".done .num")
    done.wait_for()
    number = int(re.search(r"\d+", done.inner_text()).group(0))  # type: ignore[union-attr]
    assert page.evaluate("window.__created") == {"number": number}
    page.screenshot(path=screenshots / "request-sent.png")
    page.locator(LAUNCHER).click()  # close the panel: the popup must come to the page itself

    # The agent answers in the console and leaves an internal note.
    agent_context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
    agent = staff_login(agent_context, demo, "agent")
    agent.goto(f"{demo.backend}/console/requests")
    agent.locator(f"a[href*='/requests/{number}']").first.click()
    assert agent.locator(".tk-file").inner_text().strip().startswith("screenshot-")
    agent.fill("textarea[name=body]", "Secret: the printer driver is broken on our side.")
    agent.check("input[name=internal]")
    agent.locator("form.tk-reply button[type=submit]").click()
    agent.wait_for_url(re.compile(r".*done=note.*"))
    agent.fill("textarea[name=body]", "Please update to version 4.3 and try again.")
    started = time.monotonic()
    agent.locator("form.tk-reply button[type=submit]").click()
    agent.wait_for_url(re.compile(r".*done=replied.*"))

    # The popup appears without a reload: the number and the reply, never the note.
    popup = page.locator(POPUP)
    popup.wait_for(state="visible", timeout=5000)
    assert time.monotonic() - started < 4  # within 2 s of the reply, plus the console round trip
    text = popup.inner_text()
    assert str(number) in text and "update to version 4.3" in text and "Secret" not in text
    assert page.evaluate("document.activeElement === document.body || "
                         "document.activeElement.tagName !== 'HELPMENU-POPUP'")
    page.wait_for_timeout(300)  # let the entrance animation finish for the screenshot
    page.screenshot(path=screenshots / "popup.png")

    # Remind later hides it; it comes back after the (two-second) delay.
    popup.locator("button.l").click()
    popup.wait_for(state="hidden")
    hidden_at = time.monotonic()
    popup.wait_for(state="visible", timeout=8000)
    assert time.monotonic() - hidden_at >= 1.5

    # View opens the panel on that request; the popup is gone for good (read).
    popup.locator("button.v").click()
    popup.wait_for(state="hidden")
    detail = panel.locator(".hist h2")
    detail.wait_for()
    assert detail.inner_text() == subject
    thread = panel.locator(".thread").inner_text()
    assert "update to version 4.3" in thread and "Secret" not in thread
    page.screenshot(path=screenshots / "history-detail.png")

    # A status change brings another popup; Delete removes it, also after a reload.
    agent.select_option("select[name=status]", "waiting")
    agent.locator("form[action*='/update'] button[type=submit]").click()
    agent.wait_for_url(re.compile(r".*done=saved.*"))
    popup.wait_for(state="visible", timeout=5000)
    popup.locator("button.d").click()
    popup.wait_for(state="hidden")
    page.reload()
    page.locator(LAUNCHER).wait_for(state="visible")
    page.wait_for_timeout(1500)  # the channel opens when the page is idle; nothing may show
    assert page.locator(POPUP).count() == 0 or not page.locator(POPUP).is_visible()

    # The user answers with a file; the agent sees it.
    page.evaluate(f"HelpMenu('open', 'history', {{request: {number}}})")
    reply = panel.locator("form.rq")
    reply.wait_for()
    reply.locator("textarea[name=body]").fill("Updated, the log is attached.")
    reply.locator("input[type=file]").set_input_files(
        {"name": "printer.log", "mimeType": "text/plain", "buffer": b"print job 7: ok\n"})
    reply.locator("button[type=submit]").click()
    panel.locator(".msg.mine .file", has_text="printer.log").wait_for()
    panel.locator("button.back").click()
    row = panel.locator(".tbl tbody tr").first
    row.wait_for()
    assert str(number) in row.inner_text()
    # The date filter's calendar speaks the widget's language (Ukrainian: weeks start on Monday).
    panel.locator("button.range").click()
    assert panel.locator(".cal-grid .wd").first.inner_text() == "пн"
    today = panel.locator(".cal-grid .day").nth(int(page.evaluate("new Date().getDate()")) - 1)
    today.click()
    today.click()
    panel.locator(".tbl tbody tr").first.wait_for()
    assert str(number) in panel.locator(".tbl").inner_text()
    page.screenshot(path=screenshots / "history-list.png")
    panel.locator("button.range").click()
    page.screenshot(path=screenshots / "history-calendar.png")
    agent.reload()
    assert "Updated, the log is attached." in agent.locator(".tk-thread").inner_text()
    assert agent.locator(".tk-file", has_text="printer.log").count() == 1
    agent.screenshot(path=screenshots / "console-request.png", full_page=True)
    agent.goto(f"{demo.backend}/console/requests")
    agent.screenshot(path=screenshots / "console-inbox.png")
    staff_context.close()
    agent_context.close()
