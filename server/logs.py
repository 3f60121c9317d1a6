"""Logging set-up: plain lines on stderr. Uvicorn's own access log stays off (it prints query
strings); helpmenu.middleware.AccessLog writes ours."""

from __future__ import annotations

import logging


def configure_logging(level: str = "info") -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("uvicorn.access").disabled = True
