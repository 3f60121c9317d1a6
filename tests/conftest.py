"""Shared fixtures: a real database (SQLite file and PostgreSQL), an injected clock, the app."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from helpmenu.app import create_app
from helpmenu.clock import FixedClock
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.migrate import upgrade
from helpmenu.settings import Settings
from helpmenu.sites.service import create_site

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
PG_ADMIN_URL = os.environ.get("HELPMENU_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("HELPMENU_TEST_REDIS", "redis://127.0.0.1:6379/0")
HOST_ORIGIN = "https://app.example.com"
PUBLIC_URL = "http://testserver"
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=UTC)  # a Wednesday, inside the demo hours


def unavailable(what: str, reason: str) -> None:
    """Skip when a service is absent on a developer machine; in CI a missing service fails."""
    message = f"{what} is not available ({reason})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run these tests", pytrace=False)
    pytest.skip(message)


def shared_data(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.exists():
        unavailable(f"the test corpus {name}", "the shared/ folder is not beside the repo")
    return path


# ---- databases -------------------------------------------------------------------------------

async def _pg_execute(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def _pg_url(database: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{database}"


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    name = f"helpmenu_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        asyncio.run(_pg_execute(PG_ADMIN_URL, f'CREATE DATABASE "{name}"'))
    except (OSError, Exception) as exc:
        unavailable("PostgreSQL", f"{type(exc).__name__}: {exc}")
    upgrade(_pg_url(name))
    yield name
    asyncio.run(_pg_execute(PG_ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database of each kind, one per test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "helpmenu.sqlite3"
        shutil.copy(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template_name: str = request.getfixturevalue("pg_template")
    name = f"helpmenu_t_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute(PG_ADMIN_URL, f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    yield _pg_url(name)
    asyncio.run(_pg_execute(PG_ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable("Redis", str(exc))
    return REDIS_URL


@pytest.fixture
def redis_prefix() -> str:
    return f"helpmenu-test-{uuid.uuid4().hex[:10]}"


# ---- the app -------------------------------------------------------------------------------

@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=db_url,
        public_url=PUBLIC_URL,
        secret_key="test-secret-key-" + "k" * 32,  # type: ignore[arg-type]
        auto_migrate=False,
    )


@pytest.fixture
def app(settings: Settings, clock: FixedClock):  # type: ignore[no-untyped-def]
    return create_app(settings, clock=clock)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url=PUBLIC_URL) as test_client:
        yield test_client


@dataclass
class SiteFixture:
    id: int
    public_key: str
    secret: str
    origin: str


def make_site(settings: Settings, now: datetime = NOW, **kwargs: object) -> SiteFixture:
    """Create a site directly in the database (a plain factory, usable before the app starts)."""
    values: dict[str, object] = {"name": "Hotel Dnipro PMS", "allowed_origins": [HOST_ORIGIN]}
    values.update(kwargs)

    async def _make() -> SiteFixture:
        engine = create_engine(settings.db_url)
        try:
            async with transaction(session_factory(engine)) as session:
                site, secret = await create_site(session, now=now, **values)  # type: ignore[arg-type]
                return SiteFixture(site.id, site.public_key, secret, HOST_ORIGIN)
        finally:
            await engine.dispose()

    return asyncio.run(_make())


@pytest.fixture
def site(settings: Settings) -> SiteFixture:
    return make_site(settings)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API runs an event loop in the main thread while it is
    active, and the other tests' fixtures call asyncio.run(), which refuses to run inside one."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
