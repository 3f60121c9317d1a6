"""The services an app instance holds, built in its lifespan and reached from any request."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from helpmenu.broker import Broker
from helpmenu.clock import Clock
from helpmenu.settings import Settings
from helpmenu.sites.directory import SiteDirectory
from helpmenu.widget.assets import WidgetAssets


@dataclass
class Services:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    broker: Broker
    sites: SiteDirectory
    assets: WidgetAssets


def services(conn: HTTPConnection) -> Services:
    svc: Services = conn.app.state.services
    return svc
