"""`helpmenu faq import DIR` and `helpmenu faq export DIR`, as plain async functions."""

from __future__ import annotations

from pathlib import Path

from helpmenu.clock import SystemClock
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.migrate import upgrade_async
from helpmenu.settings import Settings
from helpmenu.sites.service import get_site_by_key

from .kbfiles import ImportReport, export_directory, import_directory


async def run_kb_task(settings: Settings, site_key: str, directory: Path, *, export: bool) -> ImportReport:
    """Import `directory` into the site with this public key, or export the site into it."""
    if settings.migrate_on_start:
        await upgrade_async(settings.db_url)
    engine = create_engine(settings.db_url)
    try:
        async with transaction(session_factory(engine)) as session:
            site = await get_site_by_key(session, site_key)
            if site is None:
                raise ValueError(f"no site has the key {site_key!r}")
            if export:
                return await export_directory(session, site.id, directory)
            return await import_directory(session, site.id, directory, now=SystemClock().now(),
                                          public_origin=settings.public_origin)
    finally:
        await engine.dispose()
