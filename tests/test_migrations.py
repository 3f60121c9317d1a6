"""The migrations build exactly the schema the models describe, on every backend."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from helpmenu.db import create_engine
from helpmenu.models import Base


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def test_models_and_migrations_agree(db_url: str) -> None:
    async def run() -> list[object]:
        engine = create_engine(db_url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(_diff)
        finally:
            await engine.dispose()

    assert asyncio.run(run()) == []
