"""Shared by the requests benchmarks: a real server process on 127.0.0.1 with a fresh SQLite data
folder, a site, widget sessions minted with the server's key, and a staff log-in."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpmenu.auth import widget_session
from helpmenu.auth.staff import create_staff, grant_role
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.migrate import upgrade
from helpmenu.sites.service import create_site

KEY = "bench-secret-key-" + "k" * 40
ORIGIN = "http://bench.localhost"
STAFF_EMAIL = "agent@bench.example"
STAFF_PASSWORD = "bench password 123"  # noqa: S105 - a throwaway bench account


@dataclass
class Server:
    url: str
    data_dir: Path
    db_url: str
    site_id: int
    site_key: str
    proc: subprocess.Popen[bytes]

    def session(self, user: str, account: str | None = "bench-hotel") -> str:
        now = datetime.now(UTC)
        exp = int((now + timedelta(hours=2)).timestamp())
        anonymous = user.startswith("a:")
        who = widget_session.WidgetSession(self.site_id, self.site_key, user, anonymous,
                                           None if anonymous else user, None,
                                           None if anonymous else account, exp)
        return widget_session.issue(who, KEY, now)

    def rss_kb(self, field: str = "VmRSS") -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _prepare(db_url: str) -> tuple[int, str]:
    engine = create_engine(db_url)
    try:
        async with transaction(session_factory(engine)) as session:
            site, _ = await create_site(session, now=datetime.now(UTC), name="Bench PMS",
                                        allowed_origins=[ORIGIN])
            staff = await create_staff(session, now=datetime.now(UTC), email=STAFF_EMAIL,
                                       name="Bench Agent", password=STAFF_PASSWORD)
            await grant_role(session, staff, site.id, "agent")
            return site.id, site.public_key
    finally:
        await engine.dispose()


@contextmanager
def running_server(*, app: str = "helpmenu.asgi:app", **env: str) -> Iterator[Server]:
    """Start a server process on a free loopback port; stop it when the block ends."""
    with tempfile.TemporaryDirectory(prefix="helpmenu-bench-") as tmp:
        data_dir = Path(tmp)
        db_url = f"sqlite+aiosqlite:///{data_dir / 'helpmenu.sqlite3'}"
        upgrade(db_url)
        site_id, site_key = asyncio.run(_prepare(db_url))
        port = free_port()
        environ = {**os.environ, "HELPMENU_DATA_DIR": str(data_dir),
                   "HELPMENU_PUBLIC_URL": f"http://127.0.0.1:{port}", "HELPMENU_SECRET_KEY": KEY,
                   "HELPMENU_LOG_LEVEL": "warning", **env}
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
             "--no-access-log", "--log-level", "warning", "--ws-per-message-deflate", "false"],
            env=environ)
        try:
            _wait(f"http://127.0.0.1:{port}/healthz", proc)
            yield Server(f"http://127.0.0.1:{port}", data_dir, db_url, site_id, site_key, proc)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def multipart(fields: dict[str, str], file: tuple[str, bytes, str] | None,
              boundary: str = "helpmenubench") -> tuple[bytes, str]:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    if file:
        name, data, kind = file
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{name}"\r\nContent-Type: {kind}\r\n\r\n'.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
