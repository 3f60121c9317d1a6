"""Drive the real widget in headless Chromium against `helpmenu demo`.

The demo serves the backend on 127.0.0.1 and the example host app on localhost: two sites, so
CORS, postMessage origins and storage partitioning are the real thing. Chromium is the system's
(found on PATH at run time); Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, unavailable

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs in every frame before its scripts: records the widget's DOM events on the host page and
# reports CSP violations to the console, where the tests collect them.
RECORDER = """
window.__hm = [];
for (const name of ['ready', 'open', 'close', 'error']) {
  window.addEventListener('helpmenu:' + name, (e) => window.__hm.push({event: name, detail: e.detail}));
}
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
});
"""


LAUNCHER = "helpmenu-widget >> button"
FRAME = "helpmenu-widget >> iframe"


def open_panel(page: Any) -> Any:
    """Click Help and wait until the panel has drawn its section tabs; the panel's frame."""
    page.locator(LAUNCHER).click()
    page.locator(FRAME).wait_for(state="visible")
    panel = page.frame_locator(FRAME)
    panel.locator("nav .tab").first.wait_for()
    return panel


@dataclass
class Demo:
    backend: str
    host: str
    site_key: str
    data_dir: Path | None = None  # holds demo.json (staff log-ins) for tests that use the console


@dataclass
class Console:
    messages: list[tuple[str, str, str]] = field(default_factory=list)  # type, text, url

    def of_type(self, kind: str) -> list[str]:
        return [text for t, text, _ in self.messages if t == kind]

    def csp_violations(self) -> list[str]:
        return [text for _, text, _ in self.messages if "Content Security Policy" in text or "CSP" in text]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"helpmenu demo exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop_process(proc: subprocess.Popen[Any]) -> None:
    """Ask a server to stop, and kill it if it has not within 10 seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def widget_bundle() -> None:
    if (ROOT / "server" / "static" / "dist" / "manifest.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        unavailable("the widget bundle", "npm is missing, so `npm run build` cannot run")
    subprocess.run([npm, "run", "build"], cwd=ROOT, check=True, capture_output=True)


@pytest.fixture(scope="session")
def demo(widget_bundle: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    data_dir = tmp_path_factory.mktemp("demo")
    port, example_port = _free_port(), _free_port()
    command = [
        sys.executable,
        "-m",
        "helpmenu.cli",
        "demo",
        "--data-dir",
        str(data_dir),
        "--port",
        str(port),
        "--example-port",
        str(example_port),
    ]
    log = (data_dir / "demo.log").open("w")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", proc)
        _wait_for(f"http://localhost:{example_port}/", proc)
        state: dict[str, Any] = json.loads((data_dir / "demo.json").read_text())
        yield Demo(f"http://127.0.0.1:{port}", f"http://localhost:{example_port}", state["site_key"],
                   data_dir)
    finally:
        stop_process(proc)
        log.close()


# Module scope, not session: while Playwright's sync API is active it runs an asyncio loop in this
# thread, and the other test packages call asyncio.run(), which refuses to run inside a loop.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        unavailable("Chromium", "no chromium executable on PATH")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.add_init_script(RECORDER)
    yield context
    context.close()


@pytest.fixture
def page(context: Any, console: Console) -> Any:
    page = context.new_page()
    page.on(
        "console",
        lambda message: console.messages.append(
            (message.type, message.text, message.location.get("url", ""))
        ),
    )
    page.on("pageerror", lambda error: console.messages.append(("pageerror", str(error), "")))
    return page


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    path = tmp_path / "screenshots"
    path.mkdir()
    return path
