"""Console fixtures: staff factories on top of the shared ``settings``, ``site`` and ``client``."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime

import pytest
from starlette.testclient import TestClient

from helpmenu.auth.staff import create_staff, grant_role
from helpmenu.console import PATH
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.settings import Settings
from tests.conftest import NOW

PASSWORD = "correct horse battery"


@dataclass
class StaffFixture:
    id: int
    email: str
    password: str
    name: str


def make_staff(
    settings: Settings,
    *,
    email: str = "olena@example.com",
    name: str = "Olena Kovalenko",
    password: str = PASSWORD,
    roles: dict[int, str] | None = None,
    locale: str = "en",
    now: datetime = NOW,
) -> StaffFixture:
    async def _make() -> StaffFixture:
        engine = create_engine(settings.db_url)
        try:
            async with transaction(session_factory(engine)) as session:
                staff = await create_staff(
                    session, now=now, email=email, name=name, password=password, locale=locale
                )
                for site_id, role in (roles or {}).items():
                    await grant_role(session, staff, site_id, role)
                return StaffFixture(staff.id, staff.email, password, staff.name)
        finally:
            await engine.dispose()

    return asyncio.run(_make())


@pytest.fixture
def admin(settings, site) -> StaffFixture:  # type: ignore[no-untyped-def]
    return make_staff(settings, roles={site.id: "admin"})


@pytest.fixture
def agent(settings, site) -> StaffFixture:  # type: ignore[no-untyped-def]
    return make_staff(settings, email="taras@example.com", name="Taras Bondar",
                      roles={site.id: "agent"})


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD, **headers: str):  # type: ignore[no-untyped-def]
    page = client.get(f"{PATH}/login")
    return client.post(
        f"{PATH}/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
        headers=headers,
        follow_redirects=False,
    )


def logged_in(client: TestClient, staff: StaffFixture) -> TestClient:
    response = login(client, staff.email, staff.password)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def admin_client(client, admin) -> TestClient:  # type: ignore[no-untyped-def]
    return logged_in(client, admin)


@pytest.fixture
def agent_client(client, agent) -> TestClient:  # type: ignore[no-untyped-def]
    return logged_in(client, agent)


def read_site(settings: Settings, site_id: int):  # type: ignore[no-untyped-def]
    """The site as stored, read through its own connection (not the app's)."""
    from helpmenu.sites.models import Site

    async def _read() -> Site:
        engine = create_engine(settings.db_url)
        try:
            async with session_factory(engine)() as session:
                site = await session.get(Site, site_id)
                assert site is not None
                return site
        finally:
            await engine.dispose()

    return asyncio.run(_read())


def active_secrets(settings: Settings, site_id: int) -> list[str]:
    from helpmenu.sites.service import active_secrets as active

    async def _read() -> list[str]:
        engine = create_engine(settings.db_url)
        try:
            async with session_factory(engine)() as session:
                return await active(session, site_id)
        finally:
            await engine.dispose()

    return asyncio.run(_read())
