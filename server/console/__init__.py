"""The staff console: Jinja2 pages where agents and admins work and sites are configured.

The app mounts ``routes`` at ``PATH`` and serves ``static_dir`` at ``PATH + "/static"``.
"""

from pathlib import Path

PATH = "/console"
static_dir = Path(__file__).parent / "static"
templates_dir = Path(__file__).parent / "templates"
locales_dir = Path(__file__).parent / "locales"
