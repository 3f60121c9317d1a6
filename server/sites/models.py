from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpmenu.db import Base, JSONType, UTCDateTime


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    default_locale: Mapped[str] = mapped_column(String(16), default="en")
    allowed_origins: Mapped[list[str]] = mapped_column(JSONType, default=list)
    contacts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # The widget's look (helpmenu.sites.theme): only what differs from the defaults.
    theme: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    secrets: Mapped[list[SiteSecret]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="SiteSecret.id"
    )


class SiteSecret(Base):
    """A secret that signs identity tokens. Two may be active at once, for rotation."""

    __tablename__ = "site_secrets"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    # Stored as is: HS256 verification needs the key itself, not a hash of it.
    secret: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    site: Mapped[Site] = relationship(back_populates="secrets")
