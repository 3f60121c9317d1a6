"""The example host apps in examples/, as `helpmenu demo` serves them, in headless Chromium.

The plain and strict-CSP pages are driven by test_widget.py; here: the identified page boots once,
the Python app with a log-in shows each user only their own requests and logs HelpMenu out with
itself, and the single-page app drives the widget from its own Help menu.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import httpx
import pytest

from examples.login_app.users import USERS, User
from examples.signing.sign_token import sign_identity_token
from tests.browser.conftest import Console, Demo

pytestmark = pytest.mark.browser

LAUNCHER = "helpmenu-widget >> button"
FRAME = "helpmenu-widget >> iframe"
# Whether the widget was still on the page when it was left (kept in the tab's sessionStorage,
# which survives the navigation): the log-out must have removed it before the browser moved on.
EXIT_RECORDER = """
if (window.top === window) {
  addEventListener('pagehide', () => sessionStorage.setItem('widget-at-exit',
    String(!!document.querySelector('helpmenu-widget'))));
}
"""


def create_request(demo: Demo, user: User, subject: str) -> int:
    """A request sent by `user` through the widget API, as the widget would send it."""
    assert demo.data_dir is not None
    secret = json.loads((demo.data_dir / "demo.json").read_text())["secret"]
    token = sign_identity_token(secret, sub=user.id, name=user.name, email=user.email,
                                account=user.account)
    with httpx.Client(base_url=demo.backend, headers={"Origin": demo.host}, timeout=10) as http:
        body = json.dumps({"site": demo.site_key, "token": token})
        session = http.post("/api/widget/session", content=body)
        session.raise_for_status()
        bearer = {"Authorization": f"Bearer {session.json()['session']}"}
        topics = http.get("/api/tickets/meta", headers=bearer).json()["topics"]
        fields = {"topic": str(topics[0]["id"]), "subject": subject, "message": f"{subject}: details",
                  "importance": "normal"}
        # The widget sends multipart (a file may come along); (None, value) makes plain fields.
        created = http.post("/api/tickets", headers=bearer,
                            files={name: (None, value) for name, value in fields.items()})
        assert created.status_code == 201, created.text
        return int(created.json()["number"])


def ready_users(page: Any) -> list[dict[str, Any]]:
    return [e["detail"]["user"] for e in page.evaluate("window.__hm") if e["event"] == "ready"]


def log_in(page: Any, login: str, password: str) -> None:
    page.fill("#login", login)
    page.fill("#password", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/app/")


def listed_numbers(page: Any) -> list[int]:
    """The request numbers in the widget's Request history, once it has listed some."""
    cells = page.frame_locator(FRAME).locator("[data-view=history] table.tbl td.num")
    cells.first.wait_for()
    return [int(text.strip()) for text in cells.all_inner_texts()]


def open_request(page: Any, number: int, subject: str) -> None:
    panel = page.frame_locator(FRAME)
    panel.locator(f"[data-view=history] tr:has(td.num:text-is('{number}')) button.go").click()
    panel.locator("[data-view=history] h2", has_text=subject).wait_for()


def test_login_app_shows_each_user_only_their_requests_and_logs_helpmenu_out(
    page: Any, demo: Demo, console: Console, screenshots: Any
) -> None:
    maria, jan = USERS["maria"], USERS["jan"]
    stamp = time.monotonic_ns()
    maria_subject, jan_subject = f"Night audit stuck {stamp}", f"Channel sync late {stamp}"
    maria_number = create_request(demo, maria, maria_subject)
    jan_number = create_request(demo, jan, jan_subject)
    page.context.add_init_script(EXIT_RECORDER)
    session_bodies: list[str] = []
    page.on("request", lambda r: session_bodies.append(r.post_data or "")
            if r.url.endswith("/api/widget/session") else None)

    page.goto(demo.host + "/app/")
    page.wait_for_url("**/app/login")
    assert page.locator("helpmenu-widget").count() == 0
    log_in(page, "maria", "karpaty-demo")
    page.locator(LAUNCHER).wait_for(state="visible")
    assert [u["name"] for u in ready_users(page)] == ["Maria Shevchenko"]
    # Booted once, as Maria: never an anonymous session first.
    assert len(session_bodies) == 1 and '"token"' in session_bodies[0]

    page.get_by_role("button", name="Open my requests").click()
    numbers = listed_numbers(page)
    assert maria_number in numbers and jan_number not in numbers
    open_request(page, maria_number, maria_subject)
    page.screenshot(path=screenshots / "login-app-maria.png")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/app/login?bye")
    assert page.evaluate("sessionStorage.getItem('widget-at-exit')") == "false"
    assert page.locator("helpmenu-widget").count() == 0
    assert page.get_by_text("You have signed out.").is_visible()

    log_in(page, "jan", "novak-demo")
    page.locator(LAUNCHER).wait_for(state="visible")
    assert [u["name"] for u in ready_users(page)] == ["Jan Novák"]

    # Jan's widget session expires: the loader calls the page's token function again, which gets
    # a fresh token from the app's server (the rendered one may be older than five minutes).
    expired: list[str] = []

    def first_list_expired(route: Any) -> None:
        if not expired:
            expired.append(route.request.url)
            route.fulfill(status=401, json={"error": "session_expired", "message": "expired"})
        else:
            route.continue_()

    page.route("**/api/tickets?*", first_list_expired)
    support_menu = page.get_by_role("navigation", name="Support")
    with page.expect_response("**/app/helpmenu-token") as fresh:
        support_menu.get_by_role("button", name="My support requests").click()
    assert fresh.value.status == 200
    numbers = listed_numbers(page)
    assert jan_number in numbers and maria_number not in numbers
    open_request(page, jan_number, jan_subject)
    assert len(expired) == 1 and len(session_bodies) == 3
    assert json.loads(session_bodies[2])["token"] == fresh.value.json()["token"]
    assert console.csp_violations() == []
    assert [m for m in console.messages if m[0] == "pageerror"] == []


def test_identified_page_boots_once_with_its_token(page: Any, demo: Demo) -> None:
    bodies: list[str] = []
    page.on("request", lambda r: bodies.append(r.post_data or "")
            if r.url.endswith("/api/widget/session") else None)
    # The token arrives after the loader: the order in which an anonymous boot would slip in.
    held: list[Any] = []
    page.route("**/helpmenu-token", lambda route: held.append(route))
    page.goto(demo.host + "/identified.html")
    # An anonymous boot would start its fetch in the same task that marks the loader loaded.
    page.wait_for_function("window.HelpMenu && window.HelpMenu.loaded === true")
    held[0].continue_()
    page.locator(LAUNCHER).wait_for(state="visible")
    assert [u["anonymous"] for u in ready_users(page)] == [False]
    assert len(bodies) == 1 and '"token"' in bodies[0]


def test_single_page_app_drives_the_widget_from_its_own_help_menu(
    page: Any, demo: Demo, console: Console, screenshots: Any
) -> None:
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.post_data or "")
            if r.method == "POST" and r.url.endswith("/api/tickets") else None)
    response = page.goto(demo.host + "/spa/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # (No wait_for_function here: its polling evaluates strings, which this page's CSP forbids.)
    page.locator("helpmenu-widget").wait_for(state="attached")  # drawn when ready
    help_button = page.locator("#help-button")
    # The launcher is there but hidden: the app's own Help menu stands in for it.
    assert page.locator("helpmenu-widget").count() == 1
    assert page.locator(LAUNCHER).is_hidden()
    page.evaluate("window.__samePage = true")

    # Client-side routes, Back and Forward: the same page, one widget, booted once.
    nav = page.get_by_role("navigation", name="Розділи")
    for name in ("Бронювання", "Тарифи", "Канали", "Огляд", "Тарифи"):
        nav.get_by_role("link", name=name).click()
        page.get_by_role("heading", level=1).filter(has_text=name).wait_for()
    page.go_back()
    page.get_by_role("heading", name="Огляд").wait_for()
    page.go_forward()
    page.get_by_role("heading", name="Тарифи").wait_for()
    assert page.evaluate("window.__samePage") is True
    assert len(ready_users(page)) == 1

    # Help -> "Знайти відповідь" opens the FAQ searching for what this screen is about.
    help_button.click()
    page.get_by_role("button", name="Знайти відповідь").click()
    panel = page.frame_locator(FRAME)
    search = panel.locator("[data-view=faq] input[type=search]")
    search.wait_for()
    assert search.input_value() == "сезонні ціни"
    first_result = panel.locator("[data-view=faq] .faq-result .faq-rtitle").first
    first_result.wait_for()
    assert first_result.inner_text().strip() == "Тарифи та сезонні ціни"
    header = panel.locator("header").first
    assert "rgb(15, 118, 110)" in header.evaluate(
        "h => getComputedStyle(h).backgroundColor + getComputedStyle(h).backgroundImage")
    page.screenshot(path=screenshots / "spa-faq.png")
    panel.locator("button.close").click()
    page.locator(FRAME).wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "help-button"

    # Help -> "Повідомити про проблему": a prefilled request with a locked topic and the screen.
    nav.get_by_role("link", name="Канали").click()
    help_button.click()
    page.get_by_role("button", name="Повідомити про проблему").click()
    form = panel.locator("form.rq")
    form.wait_for()
    topic = form.locator("select[name=topic]")
    assert topic.is_disabled()
    assert topic.locator("option:checked").inner_text().strip() == "Технічна проблема"
    assert form.locator("input[name=subject]").input_value() == "Проблема в розділі «Канали»"
    form.locator("input[name=name]").fill("Galyna Koval")
    form.locator("input[name=email]").fill("galyna@karpaty.example")
    form.locator("textarea[name=message]").fill("Expedia shows an old rate plan.")
    form.locator("button[type=submit]").click()

    # request:created becomes the app's own toast, once, whose button opens the request.
    toast = page.locator("#toasts .toast")
    toast.wait_for()
    assert toast.count() == 1
    number = re.search(r"Звернення №(\d+) надіслано", toast.inner_text())
    assert number, toast.inner_text()
    context = json.loads(_multipart_field(posted[0], "context"))
    assert context["module"] == "channels" and context["screen"] == "channels"
    assert context["app_version"] == "3.8.2"
    page.screenshot(path=screenshots / "spa-toast.png")
    toast.get_by_role("button", name="Переглянути").click()
    panel.locator("[data-view=history] h2", has_text="Проблема в розділі «Канали»").wait_for()

    assert page.evaluate("document.querySelectorAll('helpmenu-widget').length") == 1
    assert page.evaluate(
        "document.querySelector('helpmenu-widget').shadowRoot.querySelectorAll('iframe').length") == 1
    assert console.csp_violations() == []
    assert [m for m in console.messages if m[0] in ("pageerror", "warning")] == []


def _multipart_field(body: str, name: str) -> str:
    part = body.split(f'name="{name}"', 1)[1]
    return part.split("\r\n\r\n", 1)[1].split("\r\n--", 1)[0]
