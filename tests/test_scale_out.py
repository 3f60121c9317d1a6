"""Two real server processes sharing one database and the real Redis: a change made through one
process reaches the other at once, through the broker (its cache would keep it for minutes)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.conftest import HOST_ORIGIN, make_site
from tests.forms import read_form, replace

pytestmark = pytest.mark.redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "helpmenu.asgi:app", "--host", "127.0.0.1",
             "--port", str(port), "--no-access-log"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"server did not start: {log.read_text()}")


@pytest.fixture
def two_servers(db_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
                ) -> Iterator[tuple[str, str, dict[str, str]]]:
    port_a, port_b = free_port(), free_port()
    env = {
        **os.environ,
        "HELPMENU_DATABASE_URL": db_url,
        "HELPMENU_DATA_DIR": str(tmp_path / "data"),
        "HELPMENU_REDIS_URL": redis_url,
        "HELPMENU_REDIS_PREFIX": redis_prefix,
        "HELPMENU_SECRET_KEY": "scale-out-test-key-" + "s" * 30,
        "HELPMENU_AUTO_MIGRATE": "false",
        "HELPMENU_SITE_CACHE_TTL": "600",
    }
    servers = []
    try:
        for port, name in ((port_a, "a"), (port_b, "b")):
            process_env = {**env, "HELPMENU_PUBLIC_URL": f"http://127.0.0.1:{port}"}
            servers.append(start_server(process_env, port, tmp_path / f"server-{name}.log"))
        yield f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}", env
    finally:
        for process in servers:
            process.terminate()
            process.wait(10)


def session_site_name(base: str, key: str) -> str:
    response = httpx.post(f"{base}/api/widget/session", content=json.dumps({"site": key}),
                          headers={"Origin": HOST_ORIGIN, "Content-Type": "text/plain"})
    assert response.status_code == 200, response.text
    return str(response.json()["site"]["name"])


def test_a_console_change_on_one_process_reaches_the_other(
    two_servers: tuple[str, str, dict[str, str]], settings: object, tmp_path: Path
) -> None:
    a, b, env = two_servers
    site = make_site(settings, name="Before")  # type: ignore[arg-type]
    subprocess.run(
        [sys.executable, "-m", "helpmenu.cli", "create-agent", "--site", site.public_key,
         "--email", "admin@example.com", "--name", "Admin", "--role", "admin", "--password-stdin"],
        input=b"correct horse battery\n", env=env, check=True, capture_output=True,
    )
    assert session_site_name(b, site.public_key) == "Before"  # B caches the site now

    with httpx.Client(base_url=a, headers={"Origin": a}) as console:
        login_page = console.get("/console/login")
        fields = replace(read_form(login_page.text, "/console/login"),
                         email="admin@example.com", password="correct horse battery")
        assert console.post("/console/login", data=dict(fields)).status_code in (302, 303)
        page = console.get("/console/settings")
        assert page.status_code == 200
        form = replace(read_form(page.text, "/console/settings"), name="After")
        saved = console.post("/console/settings", content=urlencode(form), headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert saved.status_code in (302, 303), saved.text

    deadline = time.monotonic() + 5
    while session_site_name(b, site.public_key) != "After":
        assert time.monotonic() < deadline, "process B still serves the old settings"
        time.sleep(0.05)
