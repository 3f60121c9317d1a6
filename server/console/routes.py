"""Every console route; the app mounts them at ``helpmenu.console.PATH``."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from helpmenu.chat.console import console_routes as chat_routes
from helpmenu.console import account, login, sections, site_settings, site_theme
from helpmenu.faq.console import console_routes as faq_routes
from helpmenu.tickets import console as tickets_console

routes: list[BaseRoute] = [
    Route("/", sections.index, name="console:index"),
    Route("/login", login.login_form, methods=["GET"], name="console:login"),
    Route("/login", login.login, methods=["POST"], name="console:login_post"),
    Route("/logout", login.logout, methods=["POST"], name="console:logout"),
    *chat_routes,
    *tickets_console.console_routes,
    *faq_routes,
    Route("/settings", site_settings.show, methods=["GET"], name="console:settings"),
    Route("/settings", site_settings.save, methods=["POST"], name="console:settings_save"),
    Route("/settings/theme", site_theme.show, methods=["GET"], name="console:theme"),
    Route("/settings/theme", site_theme.save, methods=["POST"], name="console:theme_save"),
    Route("/settings/secrets/rotate", site_settings.rotate, methods=["POST"],
          name="console:secrets_rotate"),
    Route("/settings/secrets/{secret_id:int}/revoke", site_settings.revoke, methods=["POST"],
          name="console:secrets_revoke"),
    Route("/account", account.show, methods=["GET"], name="console:account"),
    Route("/account/language", account.language, methods=["POST"], name="console:language"),
    Route("/account/password", account.password, methods=["POST"], name="console:password"),
    Route("/api/me", sections.me, methods=["GET"], name="console:me"),
]
