"""Schema migrations (Alembic), run by `helpmenu migrate` and, for SQLite, on start."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(db_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats % as interpolation; URLs may contain it (encoded passwords).
    config.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    return config


def upgrade(db_url: str, revision: str = "heads") -> None:
    """Bring the database to the newest schema (blocking: runs its own event loop)."""
    if db_url.startswith("sqlite"):
        path = db_url.split("///", 1)[-1]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(db_url), revision)


async def upgrade_async(db_url: str) -> None:
    # Alembic's env.py starts an event loop of its own, so it runs in a worker thread.
    await asyncio.to_thread(upgrade, db_url)
