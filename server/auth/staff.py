"""Staff accounts and their roles. Services take a session (and ``now``); they never commit."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpmenu.auth.models import ROLES, Staff, StaffRole
from helpmenu.auth.passwords import (
    burn_time,
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
)

CONSOLE_LOCALES = ("en", "uk")
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,189}$")


class StaffError(ValueError):
    """A staff field is not valid; ``field`` names it and ``code`` says why."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def create_staff(
    session: AsyncSession,
    *,
    now: datetime,
    email: str,
    name: str,
    password: str,
    locale: str = "en",
) -> Staff:
    """Create an active staff account with no roles; raise StaffError or PasswordError."""
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise StaffError("email", "invalid")
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise StaffError("name", "invalid")
    if locale not in CONSOLE_LOCALES:
        raise StaffError("locale", "invalid")
    check_policy(password)
    if await get_staff_by_email(session, email) is not None:
        raise StaffError("email", "taken")
    staff = Staff(
        email=email,
        name=name,
        password_hash=hash_password(password),
        locale=locale,
        is_active=True,
        created_at=now,
        roles=[],
    )
    session.add(staff)
    await session.flush()
    return staff


async def grant_role(session: AsyncSession, staff: Staff, site_id: int, role: str) -> StaffRole:
    """Make ``staff`` an agent or admin of a site, replacing any role they had there."""
    if role not in ROLES:
        raise StaffError("role", "invalid")
    existing = next((r for r in staff.roles if r.site_id == site_id), None)
    if existing is None:
        existing = StaffRole(site_id=site_id, role=role)
        staff.roles.append(existing)
    else:
        existing.role = role
    await session.flush()
    return existing


async def revoke_role(session: AsyncSession, staff: Staff, site_id: int) -> None:
    """Remove ``staff`` from a site (nothing happens when they had no role there)."""
    staff.roles = [r for r in staff.roles if r.site_id != site_id]
    await session.flush()


async def get_staff_by_email(session: AsyncSession, email: str) -> Staff | None:
    return await session.scalar(select(Staff).where(Staff.email == normalise_email(email)))


async def get_staff(session: AsyncSession, staff_id: int) -> Staff | None:
    return await session.get(Staff, staff_id)


async def authenticate(session: AsyncSession, *, email: str, password: str) -> Staff | None:
    """The active staff member with this e-mail and password, or None.

    An unknown e-mail costs as much time as a wrong password, so the answer's timing does not
    tell which e-mails have accounts. A hash made with older parameters is upgraded in place.
    """
    staff = await get_staff_by_email(session, email)
    if staff is None:
        burn_time(password)
        return None
    if not verify_password(staff.password_hash, password) or not staff.is_active:
        return None
    if needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
        await session.flush()
    return staff


async def set_password(session: AsyncSession, staff: Staff, password: str) -> None:
    """Replace a staff member's password; raise PasswordError when it breaks the policy."""
    check_policy(password)
    staff.password_hash = hash_password(password)
    await session.flush()


async def set_locale(session: AsyncSession, staff: Staff, locale: str) -> None:
    if locale not in CONSOLE_LOCALES:
        raise StaffError("locale", "invalid")
    staff.locale = locale
    await session.flush()


def roles_for(staff: Staff) -> dict[int, str]:
    """The sites a staff member works for, each with their role there."""
    return {role.site_id: role.role for role in staff.roles}
