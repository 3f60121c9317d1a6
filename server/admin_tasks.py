"""What the CLI does to the database, as plain async functions (also used by the demo)."""

from __future__ import annotations

from typing import Any

from helpmenu.auth.passwords import PasswordError
from helpmenu.auth.staff import StaffError, create_staff, get_staff_by_email, grant_role
from helpmenu.clock import SystemClock
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.migrate import upgrade_async
from helpmenu.settings import Settings
from helpmenu.sites.service import create_site as _create_site
from helpmenu.sites.service import get_site_by_key

PASSWORD_MESSAGES = {
    "too_short": "the password must be at least 10 characters long",
    "too_long": "the password is too long",
}


async def create_site(
    settings: Settings, name: str, origins: list[str], locale: str = "en"
) -> dict[str, Any]:
    if settings.migrate_on_start:
        await upgrade_async(settings.db_url)
    engine = create_engine(settings.db_url)
    try:
        async with transaction(session_factory(engine)) as session:
            site, secret = await _create_site(
                session, now=SystemClock().now(), name=name, allowed_origins=origins,
                default_locale=locale,
            )
            return {"name": site.name, "public_key": site.public_key, "secret": secret,
                    "allowed_origins": site.allowed_origins}
    finally:
        await engine.dispose()


async def create_agent(
    settings: Settings, email: str, name: str, password: str, site_key: str, role: str,
    locale: str = "en",
) -> None:
    if settings.migrate_on_start:
        await upgrade_async(settings.db_url)
    engine = create_engine(settings.db_url)
    try:
        async with transaction(session_factory(engine)) as session:
            site = await get_site_by_key(session, site_key)
            if site is None:
                raise ValueError(f"no site has the key {site_key!r}")
            staff = await get_staff_by_email(session, email)
            try:
                if staff is None:
                    staff = await create_staff(session, now=SystemClock().now(), email=email,
                                               name=name, password=password, locale=locale)
                await grant_role(session, staff, site.id, role)
            except PasswordError as exc:
                raise ValueError(PASSWORD_MESSAGES.get(exc.code, "the password is not allowed")) from None
            except StaffError as exc:
                raise ValueError(f"the {exc.field} is {exc.code.replace('_', ' ')}") from None
    finally:
        await engine.dispose()
