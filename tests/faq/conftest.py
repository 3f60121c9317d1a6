"""FAQ fixtures: a site with the demo knowledge base imported, and widget sessions for it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from helpmenu.auth import widget_session
from helpmenu.clock import FixedClock
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.faq.kbfiles import import_directory
from helpmenu.settings import Settings
from tests.conftest import NOW, ROOT, SiteFixture, make_site

DEMO_KB = ROOT / "examples" / "demo-kb"
T = TypeVar("T")


def run_db(settings: Settings, work: Callable[..., Awaitable[T]]) -> T:
    """Run `work(session)` in one committed transaction on the test database."""

    async def _run() -> T:
        engine = create_engine(settings.db_url)
        try:
            async with transaction(session_factory(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(_run())


def import_kb(settings: Settings, site_id: int, directory: Path = DEMO_KB) -> None:
    run_db(settings, lambda s: import_directory(s, site_id, directory, now=NOW,
                                                public_origin=settings.public_origin))


@pytest.fixture
def kb_site(settings: Settings) -> SiteFixture:
    """A site whose default language is Ukrainian, with the demo knowledge base."""
    site = make_site(settings, default_locale="uk")
    import_kb(settings, site.id)
    return site


def session_token(
    site: SiteFixture, settings: Settings, clock: FixedClock, visitor: str = "visitor1.sig"
) -> str:
    exp = int((clock.now() + timedelta(minutes=30)).timestamp())
    session = widget_session.for_anonymous(site.id, site.public_key, visitor, exp)
    return widget_session.issue(session, settings.secret_key, clock.now())


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
