"""Run the example host app on its own, against any HelpMenu server:

    HOSTAPP_HELPMENU_URL=https://help.example.com HOSTAPP_SITE_KEY=pk_… HOSTAPP_SITE_SECRET=… \\
        python -m examples.login_app --port 8002

The site must allow this app's origin (`helpmenu create-site --origin http://localhost:8002`).
With `./dev demo` nothing of this is needed: the demo serves this app at http://localhost:8001/app/.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import uvicorn

from examples.login_app.app import Config, create_app


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m examples.login_app", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--helpmenu-url", help="the HelpMenu server (HOSTAPP_HELPMENU_URL)")
    parser.add_argument("--site-key", help="the site's public key (HOSTAPP_SITE_KEY)")
    parser.add_argument("--site-secret", help="the site's identity secret (HOSTAPP_SITE_SECRET)")
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=8002)
    args = parser.parse_args(argv)
    try:
        config = Config.from_env(helpmenu_url=args.helpmenu_url, site_key=args.site_key,
                                 site_secret=args.site_secret)
    except ValueError as exc:
        print(f"login_app: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(create_app(config), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
