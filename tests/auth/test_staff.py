"""Staff services on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import AsyncSession

from helpmenu.auth.passwords import PasswordError
from helpmenu.auth.staff import (
    StaffError,
    authenticate,
    create_staff,
    get_staff_by_email,
    grant_role,
    revoke_role,
    roles_for,
    set_password,
)
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.settings import Settings
from tests.conftest import NOW, make_site

T = TypeVar("T")
PASSWORD = "correct horse battery"


def run(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed transaction on the test database."""

    async def _run() -> T:
        engine = create_engine(settings.db_url)
        try:
            async with transaction(session_factory(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(_run())


async def _olena(session: AsyncSession) -> None:
    await create_staff(session, now=NOW, email="  Olena@Example.COM ", name=" Olena ",
                       password=PASSWORD, locale="uk")


def test_create_staff_normalises_and_hashes(settings: Settings) -> None:
    run(settings, _olena)

    async def check(session: AsyncSession) -> None:
        staff = await get_staff_by_email(session, "OLENA@example.com")
        assert staff is not None
        assert (staff.email, staff.name, staff.locale) == ("olena@example.com", "Olena", "uk")
        assert staff.password_hash.startswith("$argon2id$")
        assert PASSWORD not in staff.password_hash
        assert staff.created_at == NOW

    run(settings, check)


def test_an_email_has_one_account_whatever_its_case(settings: Settings) -> None:
    run(settings, _olena)

    async def again(session: AsyncSession) -> None:
        await create_staff(session, now=NOW, email="OLENA@example.com", name="Other",
                           password=PASSWORD)

    with pytest.raises(StaffError) as caught:
        run(settings, again)
    assert (caught.value.field, caught.value.code) == ("email", "taken")


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"email": "not an e-mail"}, "email"), ({"name": "   "}, "name"), ({"locale": "de"}, "locale")],
)
def test_create_staff_checks_its_fields(settings: Settings, changes: dict[str, str],
                                        field: str) -> None:
    values = {"email": "a@example.com", "name": "A", "password": PASSWORD, **changes}

    async def make(session: AsyncSession) -> None:
        await create_staff(session, now=NOW, **values)

    with pytest.raises(StaffError) as caught:
        run(settings, make)
    assert caught.value.field == field


def test_passwords_need_ten_characters(settings: Settings) -> None:
    async def make(session: AsyncSession) -> None:
        await create_staff(session, now=NOW, email="a@example.com", name="A", password="123456789")

    with pytest.raises(PasswordError):
        run(settings, make)


def test_authenticate(settings: Settings) -> None:
    run(settings, _olena)

    async def check(session: AsyncSession) -> None:
        staff = await authenticate(session, email="OLENA@example.com", password=PASSWORD)
        assert staff is not None and staff.email == "olena@example.com"
        assert await authenticate(session, email="olena@example.com", password="wrong password") is None
        assert await authenticate(session, email="nobody@example.com", password=PASSWORD) is None
        assert await authenticate(session, email="olena@example.com",
                                  password=staff.password_hash) is None
        staff.is_active = False
        assert await authenticate(session, email="olena@example.com", password=PASSWORD) is None

    run(settings, check)


def test_an_old_hash_is_upgraded_at_log_in(settings: Settings) -> None:
    run(settings, _olena)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)

    async def weaken(session: AsyncSession) -> None:
        staff = await get_staff_by_email(session, "olena@example.com")
        assert staff is not None
        staff.password_hash = weak

    async def log_in(session: AsyncSession) -> str:
        staff = await authenticate(session, email="olena@example.com", password=PASSWORD)
        assert staff is not None
        return staff.password_hash

    run(settings, weaken)
    upgraded = run(settings, log_in)
    assert upgraded != weak and upgraded.startswith("$argon2id$v=19$m=65536")


def test_set_password(settings: Settings) -> None:
    run(settings, _olena)

    async def change(session: AsyncSession) -> None:
        staff = await get_staff_by_email(session, "olena@example.com")
        assert staff is not None
        with pytest.raises(PasswordError):
            await set_password(session, staff, "short")
        await set_password(session, staff, "a new long passphrase")

    run(settings, change)

    async def check(session: AsyncSession) -> None:
        assert await authenticate(session, email="olena@example.com", password=PASSWORD) is None
        assert await authenticate(session, email="olena@example.com",
                                  password="a new long passphrase") is not None

    run(settings, check)


def test_roles_are_granted_per_site_and_replaced(settings: Settings) -> None:
    first, second = make_site(settings), make_site(settings, name="Second")
    run(settings, _olena)

    async def grant(session: AsyncSession) -> dict[int, str]:
        staff = await get_staff_by_email(session, "olena@example.com")
        assert staff is not None
        await grant_role(session, staff, first.id, "agent")
        await grant_role(session, staff, second.id, "agent")
        await grant_role(session, staff, first.id, "admin")
        with pytest.raises(StaffError):
            await grant_role(session, staff, first.id, "owner")
        return roles_for(staff)

    assert run(settings, grant) == {first.id: "admin", second.id: "agent"}

    async def reload(session: AsyncSession) -> dict[int, str]:
        staff = await get_staff_by_email(session, "olena@example.com")
        assert staff is not None
        roles = roles_for(staff)
        await revoke_role(session, staff, second.id)
        return roles

    assert run(settings, reload) == {first.id: "admin", second.id: "agent"}

    async def after(session: AsyncSession) -> dict[int, str]:
        staff = await get_staff_by_email(session, "olena@example.com")
        assert staff is not None
        return roles_for(staff)

    assert run(settings, after) == {first.id: "admin"}
