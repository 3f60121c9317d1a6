"""Every model, imported in one place so Alembic and create_all see the whole schema."""

import helpmenu.faq.models  # noqa: F401 - the knowledge-base tables
from helpmenu.auth.models import LoginFailure, Staff, StaffRole, StaffSession
from helpmenu.chat.models import CannedResponse, ChatStat
from helpmenu.db import Base
from helpmenu.sites.models import Site, SiteSecret
from helpmenu.tickets.models import (
    Attachment,
    Notification,
    Receipt,
    Ticket,
    TicketMessage,
    TicketSettings,
    Topic,
)

__all__ = ["Base", "CannedResponse", "ChatStat", "LoginFailure", "Site", "SiteSecret", "Staff",
           "StaffRole", "StaffSession"]
__all__ += ["Attachment", "Notification", "Receipt", "Ticket", "TicketMessage", "TicketSettings",
            "Topic"]
