"""The widget's chat socket; the agents' socket and desk pages are in ``console``."""

from __future__ import annotations

from starlette.routing import BaseRoute, WebSocketRoute

from helpmenu.chat.hub import visitor_socket

routes: list[BaseRoute] = [
    WebSocketRoute("/api/chat/socket", visitor_socket, name="chat:visitor_socket"),
]
