"""FAQ search quality through the real HTTP API, on SQLite and PostgreSQL, against the demo KB.

    python bench/faq_quality.py [--engines sqlite,postgresql] [--misses]

For each language of bench/faq_queries/*.tsv (a query a real user would type, the article that
answers it, the kind of query), the query goes to GET /api/faq/search?lang=<lang> of a running
server, and the position of the right article among that language's results is graded:
success@1, success@3 and MRR, per language and per kind of query.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faq_common import DEMO_KB, ENGINES, QUERIES, database, make_site, running_server

from helpmenu.faq.kbfiles import import_directory


def grade(server: Any, lang: str, show_misses: bool) -> dict[str, Any]:
    rows = [line.split("\t") for line in
            (QUERIES / f"{lang}.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    token = server.session()
    keys: dict[int, str] = {}
    per_kind: dict[str, list[int]] = defaultdict(list)
    positions = []
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as client:
        for query, key, kind in rows:
            response = client.get("/api/faq/search", params={"q": query, "lang": lang})
            response.raise_for_status()
            found = []
            for hit in response.json()["results"]:
                if hit["lang"] != lang:
                    continue
                if hit["id"] not in keys:
                    keys[hit["id"]] = _key(client, hit["id"], lang)
                found.append(keys[hit["id"]])
            position = found.index(key) + 1 if key in found else 0
            positions.append(position)
            per_kind[kind].append(position)
            if show_misses and position != 1:
                print(f"    miss [{kind}] {query!r} → {key} at {position or '-'}: {found[:3]}")
    return {"all": _scores(positions), "kinds": {k: _scores(v) for k, v in per_kind.items()}}


def _key(client: httpx.Client, article_id: int, lang: str) -> str:
    # The widget API does not expose translation keys; the title identifies the article in the
    # demo KB, whose titles are unique per language.
    title = client.get(f"/api/faq/articles/{article_id}", params={"lang": lang}).json()["title"]
    return TITLES[lang][title]


TITLES: dict[str, dict[str, str]] = defaultdict(dict)


def _load_titles() -> None:
    for path in DEMO_KB.glob("*/*.md"):
        text = path.read_text(encoding="utf-8")
        title = next(line[7:] for line in text.splitlines() if line.startswith("title: "))
        TITLES[path.parent.name][" ".join(title.split())] = path.stem


async def _import_demo(session: Any, site_id: int) -> None:
    await import_directory(session, site_id, DEMO_KB, now=datetime.now(UTC))


def _scores(positions: list[int]) -> tuple[float, float, float, int]:
    n = len(positions) or 1
    return (sum(p == 1 for p in positions) / n, sum(0 < p <= 3 for p in positions) / n,
            sum(1 / p for p in positions if p) / n, len(positions))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--misses", action="store_true", help="print every query not ranked first")
    args = parser.parse_args()
    _load_titles()
    langs = sorted(p.stem for p in QUERIES.glob("*.tsv"))
    worst = 1.0
    for engine in args.engines.split(","):
        with database(engine) as url:
            site_id, site_key = make_site(url, _import_demo)
            with running_server(url, site_id, site_key) as server:
                print(f"\n{engine}: demo knowledge base, GET /api/faq/search over HTTP")
                print(f"  {'lang':<5}{'queries':>8}{'success@1':>11}{'success@3':>11}{'MRR':>8}")
                kinds: dict[str, list[tuple[float, float, float, int]]] = defaultdict(list)
                for lang in langs:
                    result = grade(server, lang, args.misses)
                    s1, s3, mrr, n = result["all"]
                    worst = min(worst, s1)
                    print(f"  {lang:<5}{n:>8}{s1:>11.3f}{s3:>11.3f}{mrr:>8.3f}")
                    for kind, value in result["kinds"].items():
                        kinds[kind].append(value)
                print("  by kind of query (all languages):")
                for kind, values in sorted(kinds.items()):
                    n = sum(v[3] for v in values)
                    s1 = sum(v[0] * v[3] for v in values) / n
                    s3 = sum(v[1] * v[3] for v in values) / n
                    print(f"    {kind:<15}{n:>5}  success@1 {s1:.3f}  success@3 {s3:.3f}")
    return 0 if worst >= 0.90 else 1


if __name__ == "__main__":
    raise SystemExit(main())
