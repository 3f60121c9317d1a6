"""`helpmenu demo`: a demo site, staff and content, plus an example host app on another site.

The backend listens on 127.0.0.1 and the host page on localhost: two different sites, as every
real host app is, so CORS, postMessage origins and storage partitioning are exercised for real.
Re-running on the same data folder reuses the site, staff and secret it made the first time.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from pathlib import Path
from typing import Any

import uvicorn

from helpmenu.app import create_app
from helpmenu.auth.staff import create_staff, get_staff_by_email, grant_role
from helpmenu.clock import SystemClock
from helpmenu.db import create_engine, session_factory, transaction
from helpmenu.demo_host import examples_dir, host_app
from helpmenu.faq.kbfiles import seed_demo_kb
from helpmenu.logs import configure_logging
from helpmenu.migrate import upgrade_async
from helpmenu.settings import Settings
from helpmenu.sites.service import create_site, get_site_by_key, update_site

DEMO_CONTACTS = {
    "phones": [
        {"country": "UA", "number": "+380443900014", "label": "Україна"},
        {"country": "PL", "number": "+48223906200", "label": "Polska"},
    ],
    "emails": [
        {"kind": "general", "address": "info@oteldemo.example"},
        {"kind": "billing", "address": "billing@oteldemo.example"},
        {"kind": "services", "address": "services@oteldemo.example"},
    ],
}
DEMO_SCHEDULE = {
    "timezone": "Europe/Kyiv",
    "weekly": {day: [["09:00", "19:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    | {"sat": [["10:00", "15:00"]]},
    "holidays": ["2026-12-25", "2027-01-01"],
}
STAFF = (("admin", "admin@oteldemo.example", "Olha Admin"),
         ("agent", "agent@oteldemo.example", "Taras Agent"))


async def seed_demo(settings: Settings, example_origin: str) -> dict[str, Any]:
    """Create (or find) the demo site and staff; return what the demo prints and the host needs."""
    state_path = settings.data_dir / "demo.json"
    state: dict[str, Any] = json.loads(state_path.read_text()) if state_path.exists() else {}
    await upgrade_async(settings.db_url)
    engine = create_engine(settings.db_url)
    now = SystemClock().now()
    try:
        async with transaction(session_factory(engine)) as session:
            site = await get_site_by_key(session, state.get("site_key", ""))
            if site is None:
                site, secret = await create_site(
                    session, now=now, name="OtelDemo PMS", allowed_origins=[example_origin],
                    default_locale="uk", contacts=DEMO_CONTACTS, schedule=DEMO_SCHEDULE,
                )
                state.update(site_key=site.public_key, secret=secret, staff={})
            elif example_origin not in site.allowed_origins:
                await update_site(session, site, now=now,
                                  allowed_origins=[*site.allowed_origins, example_origin])
            for role, email, name in STAFF:
                if await get_staff_by_email(session, email) is None:
                    password = secrets.token_urlsafe(9)
                    staff = await create_staff(session, now=now, email=email, name=name,
                                               password=password, locale="uk")
                    await grant_role(session, staff, site.id, role)
                    state["staff"][role] = {"email": email, "password": password}
            await seed_demo_kb(session, site.id, examples_dir() / "demo-kb", now=now,
                               public_origin=settings.public_origin)
    finally:
        await engine.dispose()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state, indent=2))
    state_path.chmod(0o600)
    return state


async def run_demo(data_dir: Path, host: str, port: int, example_port: int) -> None:
    configure_logging("info")
    public_url = f"http://{host}:{port}"
    example_origin = f"http://localhost:{example_port}"
    settings = Settings.from_env(data_dir=data_dir, public_url=public_url)
    state = await seed_demo(settings, example_origin)
    _print_banner(public_url, example_origin, state)
    backend = uvicorn.Server(uvicorn.Config(
        create_app(settings), host=host, port=port, access_log=False, log_config=None,
        ws_per_message_deflate=False,
    ))
    example = uvicorn.Server(uvicorn.Config(
        host_app(examples_dir(), public_url, state["site_key"], state["secret"]),
        host="localhost", port=example_port, access_log=False, log_config=None,
    ))
    await asyncio.gather(backend.serve(), example.serve())


def _print_banner(public_url: str, example_origin: str, state: dict[str, Any]) -> None:
    lines = [
        "",
        "HelpMenu demo is running.",
        f"  Host app (click Help):   {example_origin}/",
        f"  Example apps:            {example_origin}/app/ (log-in: maria / karpaty-demo,"
        " jan / novak-demo)",
        f"                           {example_origin}/spa/ (own Help menu); examples/README.md",
        f"  Agent console:           {public_url}/console",
        f"  Site key:                {state['site_key']}",
    ]
    for role, creds in state.get("staff", {}).items():
        lines.append(f"  {role:<7} log-in:          {creds['email']} / {creds['password']}")
    lines.append("  Stop with Ctrl+C.")
    print("\n".join(lines), flush=True)
