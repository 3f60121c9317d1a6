"""Creating, finding and changing sites. Services take a session and a clock; they never commit."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpmenu.sites.contacts import parse_contacts
from helpmenu.sites.models import Site, SiteSecret
from helpmenu.sites.schedule import dump_schedule, parse_schedule
from helpmenu.sites.theme import ThemeError, validate_theme

MAX_ACTIVE_SECRETS = 2
LOCALES = ("en", "uk", "ru", "bg", "cs", "sk", "pl")


class SiteError(ValueError):
    """A site setting is not valid; ``field`` names it, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def normalise_origin(value: str) -> str:
    """An origin exactly as browsers send it: scheme://host[:port], lower-case, no path."""
    text = value.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SiteError("allowed_origins", f"{value!r} is not an origin like https://app.example.com")
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        raise SiteError("allowed_origins", f"{value!r} must be an origin, without a path")
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = "" if parts.port in (None, default_port) else f":{parts.port}"
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}"


def validate_settings(
    *,
    name: str | None = None,
    default_locale: str | None = None,
    allowed_origins: list[str] | None = None,
    contacts: dict[str, Any] | None = None,
    schedule: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Check and normalise the editable settings of a site; raise SiteError on the first bad one."""
    values: dict[str, Any] = {}
    if name is not None:
        name = name.strip()
        if "\x00" in name:
            raise SiteError("name", "a name cannot contain NUL characters")
        if not 1 <= len(name) <= 200:
            raise SiteError("name", "a site needs a name of at most 200 characters")
        values["name"] = name
    if default_locale is not None:
        if default_locale not in LOCALES:
            raise SiteError("default_locale", f"the language must be one of {', '.join(LOCALES)}")
        values["default_locale"] = default_locale
    if allowed_origins is not None:
        origins = list(dict.fromkeys(normalise_origin(o) for o in allowed_origins if o.strip()))
        values["allowed_origins"] = origins
    if contacts is not None:
        try:
            values["contacts"] = parse_contacts(contacts)
        except ValueError as exc:
            raise SiteError("contacts", str(exc)) from None
    if schedule is not None:
        try:
            values["schedule"] = dump_schedule(parse_schedule(schedule))
        except ValueError as exc:
            raise SiteError("schedule", str(exc)) from None
    return values


async def create_site(
    session: AsyncSession,
    *,
    now: datetime,
    name: str,
    allowed_origins: list[str],
    default_locale: str = "en",
    contacts: dict[str, Any] | None = None,
    schedule: dict[str, Any] | None = None,
    public_key: str | None = None,
) -> tuple[Site, str]:
    """Create a site with one active secret; return both (the secret is shown once)."""
    values = validate_settings(
        name=name,
        default_locale=default_locale,
        allowed_origins=allowed_origins,
        contacts=contacts or {},
        schedule=schedule or {},
    )
    site = Site(
        public_key=public_key or "pk_" + secrets.token_urlsafe(18),
        created_at=now,
        updated_at=now,
        **values,
    )
    secret = new_secret()
    site.secrets.append(SiteSecret(secret=secret, created_at=now))
    session.add(site)
    await session.flush()
    return site, secret


async def update_site(session: AsyncSession, site: Site, *, now: datetime, **changes: Any) -> Site:
    for key, value in validate_settings(**changes).items():
        setattr(site, key, value)
    site.updated_at = now
    await session.flush()
    return site


async def update_theme(
    session: AsyncSession, site: Site, theme: dict[str, Any], *, now: datetime
) -> Site:
    """Replace the site's theme (raises SiteError, field ``theme.<key>``, on a bad value)."""
    try:
        site.theme = validate_theme(theme)
    except ThemeError as exc:
        raise SiteError(f"theme.{exc.field}", str(exc)) from None
    site.updated_at = now
    await session.flush()
    return site


def new_secret() -> str:
    return "sk_" + secrets.token_urlsafe(32)


async def rotate_secret(session: AsyncSession, site: Site, *, now: datetime) -> str:
    """Add a new secret; when two are already active, the oldest is revoked first."""
    active = [s for s in await _secrets(session, site) if s.revoked_at is None]
    while len(active) >= MAX_ACTIVE_SECRETS:
        active.pop(0).revoked_at = now
    secret = new_secret()
    session.add(SiteSecret(site_id=site.id, secret=secret, created_at=now))
    await session.flush()
    return secret


async def revoke_secret(session: AsyncSession, site: Site, secret_id: int, *, now: datetime) -> None:
    """Revoke one secret; the last active one cannot go (nothing could sign identities then)."""
    active = [s for s in await _secrets(session, site) if s.revoked_at is None]
    target = next((s for s in active if s.id == secret_id), None)
    if target is None:
        raise SiteError("secret", "no such active secret")
    if len(active) == 1:
        raise SiteError("secret", "rotate first: a site keeps at least one active secret")
    target.revoked_at = now
    await session.flush()


async def active_secrets(session: AsyncSession, site_id: int) -> list[str]:
    rows = await session.scalars(
        select(SiteSecret.secret)
        .where(SiteSecret.site_id == site_id, SiteSecret.revoked_at.is_(None))
        .order_by(SiteSecret.id.desc())
    )
    return list(rows)


async def get_site_by_key(session: AsyncSession, public_key: str) -> Site | None:
    return await session.scalar(select(Site).where(Site.public_key == public_key))


async def get_site(session: AsyncSession, site_id: int) -> Site | None:
    return await session.get(Site, site_id)


async def list_sites(session: AsyncSession, site_ids: list[int] | None = None) -> list[Site]:
    query = select(Site).order_by(Site.id)
    if site_ids is not None:
        query = query.where(Site.id.in_(site_ids))
    return list(await session.scalars(query))


async def _secrets(session: AsyncSession, site: Site) -> list[SiteSecret]:
    rows = await session.scalars(
        select(SiteSecret).where(SiteSecret.site_id == site.id).order_by(SiteSecret.id)
    )
    return list(rows)


__all__ = [
    "LOCALES",
    "SiteError",
    "active_secrets",
    "create_site",
    "get_site",
    "get_site_by_key",
    "list_sites",
    "normalise_origin",
    "revoke_secret",
    "rotate_secret",
    "update_site",
    "update_theme",
    "validate_settings",
]
