"""Helpers for the accessibility tests: axe-core in every frame, and the widget's host-page parts.

axe-core runs inside one document and never crosses into a cross-origin iframe, which is exactly
where the panel lives; so it is injected into each frame Playwright sees (the host page, with the
launcher and popups in open shadow roots, and the panel on the backend's origin) and run there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Demo

LAUNCHER = "helpmenu-widget >> button"
FRAME = "helpmenu-widget >> iframe"
DIALOG = "helpmenu-widget >> [role=dialog]"
POPUP = "helpmenu-popup >> section"

# WCAG 2.0/2.1 A and AA, plus axe's best practices (landmarks, heading order, region...).
AXE_OPTIONS = {
    "iframes": False,
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}


@cache
def axe_source() -> str:
    module = pytest.importorskip("axe_playwright_python")
    return (Path(module.__file__).parent / "axe.min.js").read_text("utf-8")


@dataclass
class FrameScan:
    url: str
    violations: list[str] = field(default_factory=list)  # "rule: target: summary", one per node
    rules_passed: list[str] = field(default_factory=list)


def scan_frame(frame: Any) -> FrameScan:
    if not frame.evaluate("typeof window.axe === 'object'"):
        frame.evaluate(axe_source())
    result = frame.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")
    scan = FrameScan(frame.url, rules_passed=[rule["id"] for rule in result["passes"]])
    for rule in result["violations"]:
        nodes = rule["nodes"]
        summary = " ".join(nodes[0].get("failureSummary", "").split())[:300]
        targets = ", ".join(str(node["target"]) for node in nodes[:4])
        scan.violations.append(f"{rule['id']} on {len(nodes)} node(s), e.g. {targets}: {summary}")
    return scan


def scan_every_frame(page: Any) -> list[FrameScan]:
    return [scan_frame(frame) for frame in page.frames if frame.url.startswith("http")]


def assert_no_violations(page: Any, state: str, demo: Demo | None = None) -> list[FrameScan]:
    """axe in every frame; with `demo`, the panel's frame must be among them and really scanned."""
    scans = scan_every_frame(page)
    problems = [f"{scan.url}\n  {v}" for scan in scans for v in scan.violations]
    assert not problems, f"{state}: axe violations:\n" + "\n".join(problems)
    if demo is not None:
        panel = [scan for scan in scans if scan.url.startswith(demo.backend + "/panel")]
        assert len(panel) == 1, f"{state}: the panel frame was not scanned: {[s.url for s in scans]}"
        # Many rules found something to check there (buttons, landmarks, contrast of real text...).
        assert len(panel[0].rules_passed) >= 15, (state, panel[0].rules_passed)
        assert {"button-name", "color-contrast", "landmark-one-main"} <= set(panel[0].rules_passed)
    return scans


def boot_identified(page: Any, demo: Demo, locale: str, theme: dict[str, Any] | None = None) -> None:
    """The demo's identified page, booted again as the same user with a language and a theme."""
    page.goto(demo.host + "/identified.html")
    page.wait_for_function("window.__hm.some(e => e.event === 'ready')")
    page.evaluate(
        """async ([locale, theme]) => {
          const body = await (await fetch('/helpmenu-token')).json();
          HelpMenu('boot', {token: body.token, locale, theme});
        }""",
        [locale, theme or {}],
    )
    page.wait_for_function("window.__hm.filter(e => e.event === 'ready').length >= 2")
    page.locator(LAUNCHER).wait_for(state="visible")


def staff_login(context: Any, demo: Demo, role: str) -> Any:
    assert demo.data_dir is not None
    creds = json.loads((demo.data_dir / "demo.json").read_text())["staff"][role]
    page = context.new_page()
    page.goto(f"{demo.backend}/console/login")
    page.fill("input[name=email]", creds["email"])
    page.fill("input[name=password]", creds["password"])
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/console/" in url and "/login" not in url)
    return page
