"""A site's theme end to end in Chromium: an admin picks a dark custom theme in the console and
watches the live preview follow (with a contrast warning on the way), saves it, and the demo host
page draws the launcher on the left with its label and the panel in the dark theme. The host's
boot({theme}) then overrides it token by token, and a yellow it picks gets dark text. The site's
theme is put back at the end, so the other browser tests see the demo as it was."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpmenu.sites.contrast import contrast
from tests.browser.a11y import assert_no_violations
from tests.browser.conftest import Console, Demo

pytestmark = pytest.mark.browser

LAUNCHER = "helpmenu-widget >> button"
FRAME = "helpmenu-widget >> iframe"
PREVIEW_BUTTON = "#theme-widget >> button"
DARK = {
    "colorPrimary": "#0f766e",
    "colorAccent": "#f59e0b",
    "colorText": "#e5e7eb",
    "colorBackground": "#1f2937",
    "radius": "12",
    "offsetX": "28",
    "offsetY": "24",
}


def rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def staff_page(browser: Any, demo: Demo, role: str) -> Any:
    assert demo.data_dir is not None
    creds = json.loads((demo.data_dir / "demo.json").read_text())["staff"][role]
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-US")
    page = context.new_page()
    # The preview runs under the console's CSP: no inline script or style may be needed.
    page.violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.violations.append(m.text))
    page.on("pageerror", lambda error: page.violations.append(str(error)))
    page.goto(f"{demo.backend}/console/login")
    page.fill("input[name=email]", creds["email"])
    page.fill("input[name=password]", creds["password"])
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/console/(?!login).*"))
    return page


@pytest.fixture
def admin(browser: Any, demo: Demo) -> Iterator[Any]:
    page = staff_page(browser, demo, "admin")
    context = page.context
    yield page
    # Back to the demo's own look: every field empty, every choice its default.
    page.goto(f"{demo.backend}/console/settings/theme")
    for name in (*DARK, "zIndex", "fontCustom"):
        page.fill(f"input[name={name}]", "")
    page.select_option("select[name=font]", "system")
    for name, value in (("launcher", "label"), ("position", "right"), ("scheme", "light")):
        page.check(f"input[name={name}][value={value}]")
    page.locator("form#theme-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*done=saved.*"))
    context.close()


def test_a_dark_custom_theme_from_the_console_reaches_the_widget(
    admin: Any, page: Any, demo: Demo, screenshots: Path, console: Console
) -> None:
    admin.goto(f"{demo.backend}/console/settings/theme")
    preview = admin.locator(PREVIEW_BUTTON)
    preview.wait_for()
    assert rgb(preview.evaluate("b => getComputedStyle(b).backgroundColor")) == (79, 70, 229)

    # A yellow primary: white text on it would read at 1.5:1, the preview says so at once.
    admin.fill("input[name=colorPrimary]", "#facc15")
    warnings = admin.locator("#theme-live-warnings")
    warnings.wait_for()
    # (The demo's admin reads the console in Ukrainian.)
    assert re.search(r"1\.5:1.*#000000", warnings.inner_text())
    assert_no_violations(admin, "the appearance page with live warnings")
    assert rgb(preview.evaluate("b => getComputedStyle(b).color")) == (0, 0, 0)

    # The dark custom theme: launcher on the left with its label, a serif-free custom font.
    for name, value in DARK.items():
        admin.fill(f"input[name={name}]", value)
    admin.select_option("select[name=font]", "custom")
    admin.fill("input[name=fontCustom]", '"DejaVu Sans", Verdana, sans-serif')
    admin.check("input[name=launcher][value=label]")
    admin.check("input[name=position][value=left]")
    admin.check("input[name=scheme][value=dark]")
    warnings.wait_for(state="hidden")
    widget = admin.locator("#theme-widget")
    assert widget.get_attribute("data-position") == "left"
    assert widget.get_attribute("data-scheme") == "dark"
    assert rgb(preview.evaluate("b => getComputedStyle(b).backgroundColor")) == (15, 118, 110)
    screen = admin.locator(".theme-screen").bounding_box()
    box = preview.bounding_box()
    assert box["x"] - screen["x"] == pytest.approx(28, abs=2)
    admin.evaluate("scrollTo(0, 0)")
    admin.screenshot(path=str(screenshots / "console-theme.png"))

    admin.locator("form#theme-form button[type=submit]").click()
    admin.wait_for_url(re.compile(r".*done=saved.*"))
    assert admin.locator(".alert-success").is_visible()
    assert admin.violations == []

    # An agent sees the page read-only, and its preview shows the stored theme all the same.
    agent = staff_page(admin.context.browser, demo, "agent")
    agent.goto(f"{demo.backend}/console/settings/theme")
    agent.locator(PREVIEW_BUTTON).wait_for()
    assert agent.locator("#theme-widget").get_attribute("data-position") == "left"
    assert agent.locator("input[name=colorPrimary]").is_disabled()
    agent.context.close()

    # The host page (Ukrainian) draws the launcher on the left, 28 px from the side, with its label.
    page.goto(demo.host + "/")
    launcher = page.locator(LAUNCHER)
    launcher.wait_for()
    assert launcher.inner_text().strip() == "Допомога"
    box = launcher.bounding_box()
    assert box["x"] == pytest.approx(28, abs=1)
    assert box["y"] + box["height"] == pytest.approx(800 - 24, abs=1)
    assert box["width"] > 100  # icon and label, not the round icon-only button
    assert rgb(launcher.evaluate("b => getComputedStyle(b).backgroundColor")) == (15, 118, 110)

    launcher.click()
    panel = page.frame_locator(FRAME)
    panel.locator("nav .tab").first.wait_for()
    frame = page.locator(FRAME).bounding_box()
    assert frame["x"] == pytest.approx(28, abs=1)
    html = panel.locator("html")
    assert html.get_attribute("data-scheme") == "dark"
    colors = html.evaluate("""() => {
      const body = getComputedStyle(document.body);
      const card = document.querySelector('.card') || document.querySelector('.tabs');
      return {text: body.color, font: body.fontFamily, card: getComputedStyle(card).backgroundColor,
              header: getComputedStyle(document.querySelector('.header')).backgroundImage};
    }""")
    assert rgb(colors["text"]) == (229, 231, 235)
    assert rgb(colors["card"]) == (31, 41, 55)
    assert "DejaVu Sans" in colors["font"]
    assert "rgb(15, 118, 110)" in colors["header"]
    assert contrast(rgb(colors["text"]), rgb(colors["card"])) >= 4.5
    assert_no_violations(page, "the panel in the site's dark theme", demo)
    page.wait_for_timeout(300)  # the panel's entry animation (180 ms) ends before the picture
    page.screenshot(path=str(screenshots / "host-dark-theme.png"))
    assert console.csp_violations() == []


def test_the_host_overrides_the_site_theme_token_by_token_and_text_stays_readable(
    admin: Any, page: Any, demo: Demo, screenshots: Path
) -> None:
    admin.goto(f"{demo.backend}/console/settings/theme")
    admin.fill("input[name=colorPrimary]", "#0f766e")
    admin.check("input[name=position][value=left]")
    admin.check("input[name=launcher][value=icon]")
    admin.locator("form#theme-form button[type=submit]").click()
    admin.wait_for_url(re.compile(r".*done=saved.*"))

    page.goto(demo.host + "/")
    launcher = page.locator(LAUNCHER)
    launcher.wait_for()
    box = launcher.bounding_box()
    assert box["x"] == pytest.approx(20, abs=1) and box["width"] == pytest.approx(48, abs=1)
    # Round and icon-only, yet named for screen readers.
    assert launcher.evaluate("b => b.textContent.trim()") == "Допомога"

    # The host picks a yellow primary: only that token changes, and the label turns black.
    page.evaluate("HelpMenu('boot', {theme: {colorPrimary: '#facc15'}})")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('helpmenu-widget').shadowRoot"
        ".querySelector('button')).backgroundColor === 'rgb(250, 204, 21)'"
    )
    assert rgb(launcher.evaluate("b => getComputedStyle(b).color")) == (0, 0, 0)
    assert launcher.bounding_box()["x"] == pytest.approx(20, abs=1)  # still the site's left corner

    launcher.click()
    panel = page.frame_locator(FRAME)
    panel.locator("nav .tab").first.wait_for()
    header = panel.locator(".header").evaluate("h => getComputedStyle(h).color")
    assert contrast(rgb(header), (250, 204, 21)) >= 4.5
    link_color = panel.locator("html").evaluate(
        "() => { const a = document.createElement('a'); a.href = '#'; document.body.append(a);"
        " const color = getComputedStyle(a).color; a.remove(); return color; }"
    )
    assert contrast(rgb(link_color), (255, 255, 255)) >= 4.5  # the yellow as link text, darkened
    assert_no_violations(page, "the panel with the host's yellow", demo)
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / "host-yellow-override.png"))

    # The host app switches to dark mode: the open panel follows without being reloaded.
    page.evaluate("HelpMenu('boot', {theme: {colorPrimary: '#facc15', scheme: 'dark'}})")
    panel.locator("html[data-scheme=dark]").wait_for(state="attached")
    assert panel.locator(".header").is_visible()

    # launcher: 'hidden' from the site hides the button; HelpMenu('show') brings it back.
    admin.check("input[name=launcher][value=hidden]")
    admin.locator("form#theme-form button[type=submit]").click()
    admin.wait_for_url(re.compile(r".*done=saved.*"))
    page.goto(demo.host + "/")
    page.wait_for_function("() => window.__hm.some((e) => e.event === 'ready')")
    assert not page.locator(LAUNCHER).is_visible()
    page.evaluate("HelpMenu('open')")
    page.locator(FRAME).wait_for(state="visible")
    page.wait_for_function(  # the panel's entry animation moves it; measure where it rests
        "() => !document.querySelector('helpmenu-widget').shadowRoot.querySelector('.f')"
        ".getAnimations().length"
    )
    frame = page.locator(FRAME).bounding_box()
    assert frame["y"] + frame["height"] == pytest.approx(800 - 20, abs=1)  # the launcher's corner
    page.evaluate("HelpMenu('close'); HelpMenu('show')")
    page.locator(LAUNCHER).wait_for(state="visible")
