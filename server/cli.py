"""The `helpmenu` command: serve, migrate, create-site, create-agent, demo."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from helpmenu.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except (ValueError, RuntimeError) as exc:
        print(f"helpmenu: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="helpmenu", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the server (settings from HELPMENU_* variables)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=_serve)

    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(func=_migrate)

    site = sub.add_parser("create-site", help="create a site and print its keys")
    site.add_argument("--name", required=True)
    site.add_argument("--origin", action="append", default=[], dest="origins",
                      help="an origin allowed to embed the widget (repeatable)")
    site.add_argument("--locale", default="en")
    site.add_argument("--json", action="store_true", help="print the result as JSON")
    site.set_defaults(func=_create_site)

    agent = sub.add_parser("create-agent", help="create a staff account with a role on a site")
    agent.add_argument("--email", required=True)
    agent.add_argument("--name", required=True)
    agent.add_argument("--site", required=True, help="the site's public key")
    agent.add_argument("--role", choices=["agent", "admin"], default="agent")
    agent.add_argument("--locale", choices=["en", "uk"], default="en")
    agent.add_argument("--password-stdin", action="store_true",
                       help="read the password from standard input instead of a prompt")
    agent.set_defaults(func=_create_agent)

    demo = sub.add_parser("demo", help="a demo site, staff and content, and an example host page")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--example-port", type=int, default=None,
                      help="port of the example host page (default: --port plus one)")
    demo.add_argument("--data-dir", type=Path, default=Path("helpmenu-data"))
    demo.set_defaults(func=_demo)

    faq = sub.add_parser("faq", help="import or export a knowledge base (Markdown files)")
    faq_sub = faq.add_subparsers(required=True, metavar="ACTION")
    for action, text in (("import", "read DIR into the site (again: updates, never duplicates)"),
                         ("export", "write the site's knowledge base into DIR")):
        one = faq_sub.add_parser(action, help=text)
        one.add_argument("directory", type=Path, metavar="DIR")
        one.add_argument("--site", required=True, help="the site's public key")
        one.set_defaults(func=_faq, export=action == "export")
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from helpmenu.logs import configure_logging

    settings = Settings.from_env()
    configure_logging(settings.log_level)
    if args.workers > 1:
        if settings.migrate_on_start:
            # Several workers must not race to migrate: do it once, before they start.
            from helpmenu.migrate import upgrade

            upgrade(settings.db_url)
        import os

        os.environ["HELPMENU_AUTO_MIGRATE"] = "false"
    uvicorn.run("helpmenu.asgi:app", host=args.host, port=args.port, workers=args.workers,
                access_log=False, log_config=None, proxy_headers=True, ws_per_message_deflate=False)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from helpmenu.migrate import upgrade

    settings = Settings.from_env()
    upgrade(settings.db_url)
    print("database is up to date")
    return 0


def _create_site(args: argparse.Namespace) -> int:
    from helpmenu.admin_tasks import create_site

    settings = Settings.from_env()
    result = asyncio.run(create_site(settings, args.name, args.origins, args.locale))
    if args.json:
        print(json.dumps(result))
    else:
        print(f"site created: {result['name']}")
        print(f"public key (goes in the script tag): {result['public_key']}")
        print(f"identity secret (keep it on your server): {result['secret']}")
    return 0


def _create_agent(args: argparse.Namespace) -> int:
    from helpmenu.admin_tasks import create_agent

    read = sys.stdin.readline if args.password_stdin else lambda: getpass.getpass("password: ")
    password = read().rstrip("\n")
    settings = Settings.from_env()
    asyncio.run(create_agent(settings, args.email, args.name, password, args.site, args.role,
                             args.locale))
    print(f"{args.role} {args.email} can now log in at {settings.public_url}/console")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from helpmenu.demo import run_demo

    example_port = args.example_port or args.port + 1
    asyncio.run(run_demo(args.data_dir, args.host, args.port, example_port))
    return 0


def _faq(args: argparse.Namespace) -> int:
    from helpmenu.faq.service import FaqError
    from helpmenu.faq.tasks import run_kb_task

    try:
        report = asyncio.run(run_kb_task(Settings.from_env(), args.site, args.directory,
                                         export=args.export))
    except FaqError as exc:
        raise ValueError(str(exc)) from None
    verb = "exported" if args.export else "imported"
    print(f"{verb} {report.articles} articles, {report.categories} categories, "
          f"{report.synonyms} synonym groups")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
