"""Shared by the FAQ benchmarks: a fresh database (SQLite file or PostgreSQL), a site, a real
server process on 127.0.0.1 (`helpmenu serve`), and widget sessions minted with its key."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from helpmenu.auth import widget_session
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.migrate import upgrade
from helpmenu.sites.service import create_site

KEY = "bench-secret-key-" + "k" * 40
PG_ADMIN_URL = os.environ.get("HELPMENU_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
ENGINES = ("sqlite", "postgresql")


@dataclass
class Server:
    url: str
    db_url: str
    site_id: int
    site_key: str
    pid: int = 0

    def cpu_seconds(self) -> float:
        """User + system CPU the server process has used so far (Linux /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def session(self, visitor: str = "benchvisitor") -> str:
        now = datetime.now(UTC)
        exp = int((now + timedelta(hours=3)).timestamp())
        who = widget_session.for_anonymous(self.site_id, self.site_key, visitor, exp)
        return widget_session.issue(who, KEY, now)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def pg_execute(url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url, timeout=5)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextmanager
def database(engine: str) -> Iterator[str]:
    """A freshly migrated, empty database of this engine; dropped afterwards."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="helpmenu-faq-bench-") as tmp:
            url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
            upgrade(url)
            yield url
        return
    name = f"helpmenu_faqbench_{uuid.uuid4().hex[:8]}"
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    asyncio.run(pg_execute(PG_ADMIN_URL, f'CREATE DATABASE "{name}"'))
    url = f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        asyncio.run(pg_execute(PG_ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def make_site(
    db_url: str, fill: Callable[[Any, int], Awaitable[None]], locale: str = "uk"
) -> tuple[int, str]:
    """Create a site and let `fill(session, site_id)` put its knowledge base in, in one commit."""

    async def run() -> tuple[int, str]:
        engine = create_engine(db_url)
        try:
            async with transaction(session_factory(engine)) as session:
                site, _ = await create_site(session, now=datetime.now(UTC), name="Bench hotel",
                                            allowed_origins=["http://bench.localhost"],
                                            default_locale=locale)
                await fill(session, site.id)
                return site.id, site.public_key
        finally:
            await engine.dispose()

    return asyncio.run(run())


@contextmanager
def running_server(db_url: str, site_id: int, site_key: str, workers: int = 1) -> Iterator[Server]:
    """`helpmenu serve` on a free loopback port against `db_url`, stopped when the block ends."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="helpmenu-faq-bench-data-") as data:
        env = {**os.environ, "HELPMENU_DATABASE_URL": db_url, "HELPMENU_SECRET_KEY": KEY,
               "HELPMENU_DATA_DIR": data, "HELPMENU_AUTO_MIGRATE": "false",
               "HELPMENU_LOG_LEVEL": "warning", "HELPMENU_PUBLIC_URL": f"http://127.0.0.1:{port}"}
        proc = subprocess.Popen([sys.executable, "-m", "helpmenu.cli", "serve", "--port", str(port),
                                 "--workers", str(workers)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=1):  # noqa: S310 - loopback
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the server did not start") from None
                    time.sleep(0.2)
            yield Server(url, db_url, site_id, site_key, proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


ROOT = Path(__file__).resolve().parent.parent
DEMO_KB = ROOT / "examples" / "demo-kb"
QUERIES = ROOT / "bench" / "faq_queries"
