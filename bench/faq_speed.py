"""FAQ search speed over HTTP on a large generated knowledge base, SQLite and PostgreSQL.

    python bench/faq_speed.py [--sizes 10000,100000] [--engines sqlite,postgresql] [--workers 1]
                              [--cache] [--cpu-only]

For each size, articles in three languages (uk, en, cs) are generated from the words of the demo
knowledge base (Zipf-like frequencies, so common words match tens of thousands of articles), analyzed
with the real analyzer and bulk-loaded into the real index tables. Then a `helpmenu serve` process
on 127.0.0.1 answers GET /api/faq/search for a mix of user-like queries (a common word, two or three
words, a 2-4 letter prefix, a one-letter typo), and the script prints p50/p95/p99 latency with 1 and
8 concurrent clients and requests per second with 32. Goal: p50 <= 5 ms, p99 <= 50 ms at 100,000.

Latency on a shared machine is noisy, so it also prints CPU per request: the server process's
(from /proc, over HTTP) and, in-process, `time.process_time()` of the search endpoint called
through the ASGI app with no HTTP, and of `search_articles` alone.

`--cache` keeps each generated database (a SQLite file under the user's cache folder, a PostgreSQL
database named `helpmenu_faqbench_cache_…`) for the next run: generating 100,000 articles takes
minutes. The cache is keyed by the size and a fingerprint of the index rows of the first articles,
so a change to the analyzer, the impacts or the generator makes a new one (and drops the old).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faq_common import (
    DEMO_KB,
    ENGINES,
    KEY,
    PG_ADMIN_URL,
    Server,
    database,
    make_site,
    pg_execute,
    running_server,
)

from helpmenu.faq.analyzer import analyze, analyze_words
from helpmenu.faq.content import IndexEntry, index_entry
from helpmenu.faq.indexer import ToIndex, index_rows
from helpmenu.migrate import upgrade

LANGS = ("uk", "en", "cs")
CHUNK = 5_000
WORD = re.compile(r"[^\W\d_]{2,}")


class Generator:
    """Articles from a language's real words, and the index terms of each (cached per word: for
    text of plain words, analyzing the whole equals joining the analyses of its words)."""

    def __init__(self, lang: str, seed: int) -> None:
        self.lang = lang
        self.rng = random.Random(seed)
        counts: Counter[str] = Counter()
        for path in (DEMO_KB / lang).glob("*.md"):
            counts.update(WORD.findall(path.read_text(encoding="utf-8").split("---", 2)[2]))
        self.words = [w for w, _ in counts.most_common()]
        self.weights = [1.0 / (rank + 8) for rank in range(len(self.words))]
        self._terms: dict[str, list[str]] = {}
        self._pairs: dict[str, list[tuple[str, str]]] = {}

    def text(self, low: int, high: int) -> list[str]:
        return self.rng.choices(self.words, self.weights, k=self.rng.randint(low, high))

    def entry(self, title: list[str], tags: list[str], body: list[str]) -> IndexEntry:
        words: set[tuple[str, str]] = set()
        for word in (*title, *tags, *body):
            words.update(self._pairs_of(word))
        return IndexEntry(title=self._join(title), tags=self._join(tags), body=self._join(body),
                          words=words)

    def _join(self, words: list[str]) -> list[str]:
        out: list[str] = []
        for word in words:
            if word not in self._terms:
                self._terms[word] = analyze(word, self.lang)
            out.extend(self._terms[word])
        return out

    def _pairs_of(self, word: str) -> list[tuple[str, str]]:
        if word not in self._pairs:
            self._pairs[word] = analyze_words(word, self.lang)
        return self._pairs[word]


def generate(size: int, site_id: int) -> Iterator[tuple[tuple[Any, ...], ToIndex]]:
    """(article row, what to index) for `size` articles spread over the three languages."""
    generators = {lang: Generator(lang, seed=i) for i, lang in enumerate(LANGS)}
    now = datetime.now(UTC)
    for i in range(size):
        lang = LANGS[i % len(LANGS)]
        gen = generators[lang]
        title, tags, body = gen.text(4, 8), gen.text(2, 4), gen.text(40, 90)
        title_text, body_text = " ".join(title).capitalize(), " ".join(body)
        if i < 30:  # the shortcut must give exactly what the analyzer gives
            assert gen.entry(title, tags, body) == index_entry(title_text, body_text, tags, lang)
        article_id = i + 1
        row = (article_id, site_id, None, f"gen-{i // len(LANGS)}", lang, title_text, body_text,
               f"<p>{body_text}</p>", body_text, json.dumps(tags, ensure_ascii=False),
               "published", 0, 0, 0, 0, 0, now, now)
        yield row, ToIndex(article_id, site_id, lang, gen.entry(title, tags, body))


ARTICLE_COLUMNS = ("id", "site_id", "category_id", "translation_key", "lang", "title", "body", "html",
                   "plain", "tags", "status", "position", "helpful_yes", "helpful_no", "views",
                   "suggest_opens", "created_at", "updated_at")
TABLES = {
    "faq_docs": (("article_id", "site_id", "lang", "title_terms", "tags_terms", "body_terms"),
                 ("a", "s", "l", "t", "g", "b")),
    "faq_postings": (("site_id", "lang", "term", "impact", "article_id"), ("s", "l", "t", "i", "a")),
    "faq_term_stats": (("site_id", "lang", "term", "df"), ("s", "l", "t", "n")),
    "faq_words": (("site_id", "lang", "word", "stem", "n"), ("s", "l", "w", "t", "n")),
    "faq_word_keys": (("site_id", "lang", "key", "word"), ("s", "l", "k", "w")),
    "faq_corpus": (("site_id", "lang", "n_docs", "len_title", "len_tags", "len_body"),
                   ("s", "l", "n", "t", "g", "b")),
}


class Writer:
    """Bulk loading: sqlite3 executemany in one transaction, or PostgreSQL COPY."""

    def __init__(self, db_url: str) -> None:
        self.sqlite = db_url.startswith("sqlite")
        self.url = db_url
        self.batches: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = []

    def add(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if self.sqlite:
            self._sqlite_write(table, columns, rows)
        else:
            asyncio.run(self._pg_write(table, columns, rows))

    def _sqlite_write(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        path = self.url.split("///", 1)[1]
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA synchronous=OFF")
            marks = ", ".join("?" for _ in columns)
            converted = [tuple(v.replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v
                               for v in row)
                         for row in rows]
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                             converted)

    async def _pg_write(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.url.replace("+asyncpg", ""))
        try:
            if table == "faq_articles":
                # COPY is binary: jsonb is a version byte, then the text
                await conn.set_type_codec("jsonb", encoder=lambda v: b"\x01" + v.encode(),
                                          decoder=lambda b: json.loads(b[1:]),
                                          schema="pg_catalog", format="binary")
            await conn.copy_records_to_table(table, records=rows, columns=list(columns))
        finally:
            await conn.close()


def load(db_url: str, size: int) -> tuple[int, str, float]:
    """Generate and bulk-load `size` articles; return the site and the seconds it took."""
    started = time.perf_counter()

    async def nothing(_session: Any, _site_id: int) -> None:
        return None

    site_id, site_key = make_site(db_url, nothing)
    writer = Writer(db_url)
    df: Counter[tuple[Any, ...]] = Counter()
    words: Counter[tuple[Any, ...]] = Counter()
    keys: set[tuple[Any, ...]] = set()
    corpus: Counter[tuple[Any, ...]] = Counter()
    averages = {(site_id, lang): {"title": 7.0, "tags": 3.5, "body": 70.0} for lang in LANGS}
    chunk_rows: list[tuple[Any, ...]] = []
    chunk_items: list[ToIndex] = []
    postings: list[tuple[Any, ...]] = []

    def flush() -> None:
        writer.add("faq_articles", ARTICLE_COLUMNS, chunk_rows)
        rows = index_rows(chunk_items, averages)
        columns, names = TABLES["faq_docs"]
        writer.add("faq_docs", columns, [tuple(r[n] for n in names) for r in rows.docs])
        # Postings go in at the end, sorted by primary key: appending to a B-tree in order is
        # several times faster than inserting at random places.
        postings.extend((r["s"], r["l"], r["t"], r["i"], r["a"]) for r in rows.postings)
        for r in rows.df:
            df[(r["s"], r["l"], r["t"])] += r["n"]
        for r in rows.words:
            words[(r["s"], r["l"], r["w"], r["t"])] += r["n"]
        keys.update((r["s"], r["l"], r["k"], r["w"]) for r in rows.keys)
        for r in rows.corpus:
            for i, name in enumerate(("n", "t", "g", "b")):
                corpus[(r["s"], r["l"], i)] += r[name]
        chunk_rows.clear()
        chunk_items.clear()

    for row, item in generate(size, site_id):
        chunk_rows.append(row)
        chunk_items.append(item)
        if len(chunk_rows) >= CHUNK:
            flush()
    if chunk_rows:
        flush()
    postings.sort()
    for start in range(0, len(postings), 200_000):
        writer.add("faq_postings", TABLES["faq_postings"][0], postings[start:start + 200_000])
    postings.clear()
    writer.add("faq_term_stats", TABLES["faq_term_stats"][0], [(*k, n) for k, n in df.items()])
    writer.add("faq_words", TABLES["faq_words"][0], [(*k, n) for k, n in words.items()])
    writer.add("faq_word_keys", TABLES["faq_word_keys"][0], sorted(keys))
    writer.add("faq_corpus", TABLES["faq_corpus"][0],
               [(site_id, lang, *(corpus[(site_id, lang, i)] for i in range(4))) for lang in LANGS])
    _analyze_tables(db_url)
    return site_id, site_key, time.perf_counter() - started


def _analyze_tables(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.split("///", 1)[1]) as conn:
            conn.execute("ANALYZE")
        return

    async def run() -> None:
        import asyncpg

        conn = await asyncpg.connect(db_url.replace("+asyncpg", ""))
        try:
            await conn.execute("VACUUM ANALYZE")
        finally:
            await conn.close()

    asyncio.run(run())


def queries(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """User-like queries: (text, lang)."""
    rng = random.Random(seed)
    gens = {lang: Generator(lang, seed=100 + i) for i, lang in enumerate(LANGS)}
    out = []
    for _ in range(count):
        lang = rng.choice(LANGS)
        gen = gens[lang]
        kind = rng.random()
        common = gen.words[: 200]
        if kind < 0.35:
            text = rng.choice(common)
        elif kind < 0.55:
            text = " ".join(gen.text(2, 2))
        elif kind < 0.70:
            text = " ".join(gen.text(3, 3))
        elif kind < 0.85:
            word = rng.choice([w for w in gen.words if len(w) >= 4])
            text = word[: rng.randint(2, 4)]
        else:
            word = rng.choice([w for w in gen.words if len(w) >= 5])
            at = rng.randrange(1, len(word) - 1)
            text = word[:at] + word[at + 1:]
        out.append((text.lower() if rng.random() < 0.7 else text, lang))
    return out


async def measure(url: str, token: str, mix: list[tuple[str, str]], clients: int,
                  total: int | None, seconds: float | None) -> tuple[list[float], float, int]:
    """Latencies (ms) and wall time with `clients` concurrent keep-alive clients."""
    latencies: list[float] = []
    sizes: list[int] = []
    counter = iter(range(10**9))
    deadline = time.perf_counter() + (seconds or 1e9)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"},
                                 limits=limits, timeout=30) as client:

        async def one_client() -> None:
            while True:
                i = next(counter)
                if (total is not None and i >= total) or time.perf_counter() > deadline:
                    return
                text, lang = mix[i % len(mix)]
                started = time.perf_counter()
                response = await client.get("/api/faq/search", params={"q": text, "lang": lang})
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code} for {text!r}")
                sizes.append(len(response.content))

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        wall = time.perf_counter() - started
    return latencies, wall, max(sizes) if sizes else 0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


CACHE_VERSION = 1
"""Bump to drop every cached database (the fingerprint catches index and generator changes)."""


def fingerprint(size: int) -> str:
    """What a cached database depends on: the size and the index rows of the first articles."""
    sample = [item for _, item in itertools.islice(generate(size, 0), 90)]
    rows = index_rows(sample, {(0, lang): None for lang in LANGS})
    digest = hashlib.sha256(f"{CACHE_VERSION}:{size}".encode())
    for table in (rows.docs, rows.postings, rows.df, rows.words, rows.keys, rows.corpus):
        # sorted: the order of some rows follows set iteration, which differs per process
        digest.update(repr(sorted(repr(sorted(row.items())) for row in table)).encode())
    return digest.hexdigest()[:10]


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "helpmenu-faq-bench"


async def _pg_rows(url: str, sql: str) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=5)
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


def _bench_site(url: str) -> tuple[int, str]:
    sql = "SELECT id, public_key FROM sites WHERE name = 'Bench hotel' ORDER BY id LIMIT 1"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.split("///", 1)[1]) as conn:
            site_id, key = conn.execute(sql).fetchone()
    else:
        site_id, key = asyncio.run(_pg_rows(url, sql))[0]
    return int(site_id), str(key)


@contextmanager
def _cached_sqlite(size: int, print_: Any) -> Iterator[tuple[str, int, str, float | None]]:
    folder = _cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{size}-{fingerprint(size)}.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    if path.exists():
        upgrade(url)  # other packages' newer migrations; the FAQ tables are as the key says
        print_(f"(cached database {path.name})")
        yield (url, *_bench_site(url), None)
        return
    for old in folder.glob(f"{size}-*.sqlite3*"):
        old.unlink()
    partial = path.with_suffix(".partial")
    partial_url = f"sqlite+aiosqlite:///{partial}"
    upgrade(partial_url)
    site_id, key, seconds = load(partial_url, size)
    with sqlite3.connect(partial) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    for leftover in folder.glob(f"{partial.name}-*"):
        leftover.unlink()
    yield url, site_id, key, seconds


@contextmanager
def _cached_postgres(size: int, print_: Any) -> Iterator[tuple[str, int, str, float | None]]:
    prefix = f"helpmenu_faqbench_cache_{size}_"
    name = prefix + fingerprint(size)
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    url = f"{base}/{name}"
    # Filtered here, not with LIKE: `_` is LIKE's one-character wildcard (10000_ matches 100000).
    existing = {row[0] for row in asyncio.run(_pg_rows(PG_ADMIN_URL, "SELECT datname FROM pg_database"))
                if row[0].startswith(prefix)}
    if name in existing:
        upgrade(url)
        print_(f"(cached database {name})")
        yield (url, *_bench_site(url), None)
        return
    for old in existing:  # other fingerprints of this size, and an interrupted load
        asyncio.run(pg_execute(PG_ADMIN_URL, f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)'))
    partial = name + "_partial"
    asyncio.run(pg_execute(PG_ADMIN_URL, f'CREATE DATABASE "{partial}"'))
    upgrade(f"{base}/{partial}")
    site_id, key, seconds = load(f"{base}/{partial}", size)
    asyncio.run(pg_execute(PG_ADMIN_URL, f'ALTER DATABASE "{partial}" RENAME TO "{name}"'))
    yield url, site_id, key, seconds


@contextmanager
def prepared(engine: str, size: int, cache: bool) -> Iterator[tuple[str, int, str, float | None]]:
    """(database URL, site id, site key, seconds spent loading or None when cached)."""
    if cache:
        cached = _cached_sqlite if engine == "sqlite" else _cached_postgres
        with cached(size, print) as found:
            yield found
        return
    with database(engine) as url:
        yield (url, *load(url, size))


async def _asgi_get(app: Any, path: str, query: str, token: str) -> tuple[int, bytes]:
    """One GET straight through the ASGI app: the server's work without HTTP parsing."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "", "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())]}
    status, body = 0, bytearray()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(body)


def cpu_in_process(url: str, site_id: int, site_key: str,
                   mix: list[tuple[str, str]]) -> tuple[float, float]:
    """CPU ms per query (time.process_time) of the whole endpoint through the ASGI app, and of
    `search_articles` alone, each over `mix` once after a warm-up."""
    from urllib.parse import urlencode

    from helpmenu.app import create_app
    from helpmenu.faq.search import driver_fetch, search_articles, site_context
    from helpmenu.settings import Settings

    server = Server("", url, site_id, site_key)
    token = server.session()

    async def run() -> tuple[float, float]:
        with tempfile.TemporaryDirectory(prefix="helpmenu-faq-bench-data-") as data:
            settings = Settings(data_dir=Path(data), database_url=url, secret_key=KEY,  # type: ignore[arg-type]
                                auto_migrate=False, public_url="http://127.0.0.1")
            app = create_app(settings)
            async with app.router.lifespan_context(app):
                paths = [urlencode({"q": text, "lang": lang}) for text, lang in mix]
                for query in paths[:100]:
                    await _asgi_get(app, "/api/faq/search", query, token)
                started = time.process_time()
                for query in paths:
                    status, _ = await _asgi_get(app, "/api/faq/search", query, token)
                    if status != 200:
                        raise RuntimeError(f"{status} for {query}")
                endpoint = (time.process_time() - started) * 1000 / len(paths)
                engine = app.state.services.engine
                async with engine.connect() as connection:
                    fetch = await driver_fetch(connection)
                    languages, synonyms = await site_context(fetch, site_id)
                    started = time.process_time()
                    for text, lang in mix:
                        await search_articles(fetch, site_id, text, lang, languages=languages,
                                              synonyms=synonyms, limit=10)
                    alone = (time.process_time() - started) * 1000 / len(mix)
        return endpoint, alone

    return asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes (CPU is counted for the first only when > 1)")
    parser.add_argument("--requests", type=int, default=600, help="per latency run")
    parser.add_argument("--seconds", type=float, default=8.0, help="of the 32-client run")
    parser.add_argument("--cache", action="store_true",
                        help="keep the generated databases for the next run (and reuse them)")
    parser.add_argument("--cpu-only", action="store_true",
                        help="only the in-process CPU figures, no server")
    args = parser.parse_args()
    mix = queries(2_000)
    one_word = [(t, lang) for t, lang in mix if " " not in t][:200]
    print(f"queries: {len(mix)} (common word, 2-3 words, 2-4 letter prefix, one-letter typo); "
          f"server workers: {args.workers}")
    for size in (int(s) for s in args.sizes.split(",")):
        for engine in args.engines.split(","):
            with prepared(engine, size, args.cache) as (url, site_id, site_key, seconds):
                loaded = "cached" if seconds is None else f"generated and loaded in {seconds:.1f} s"
                print(f"\n{engine}, {size:,} articles in {len(LANGS)} languages ({loaded})")
                endpoint, alone = cpu_in_process(url, site_id, site_key, mix[:1000])
                print(f"  in-process CPU: {endpoint:.2f} ms/request through the ASGI app, "
                      f"{alone:.2f} ms in search_articles")
                if not args.cpu_only:
                    _over_http(url, site_id, site_key, args, mix, one_word)
    return 0


def _over_http(url: str, site_id: int, site_key: str, args: argparse.Namespace,
               mix: list[tuple[str, str]], one_word: list[tuple[str, str]]) -> None:
    with running_server(url, site_id, site_key, workers=args.workers) as server:
        token = server.session()
        asyncio.run(measure(server.url, token, mix, 4, 200, None))  # warm up
        for clients in (1, 8):
            cpu = server.cpu_seconds()
            lat, wall, _ = asyncio.run(measure(server.url, token, mix[200:], clients,
                                               args.requests * clients // 2 + 300, None))
            used = (server.cpu_seconds() - cpu) * 1000 / len(lat)
            print(f"  {clients} client{'s' if clients > 1 else ' '}: "
                  f"p50 {pct(lat, 50):6.1f} ms   p95 {pct(lat, 95):6.1f} ms   "
                  f"p99 {pct(lat, 99):6.1f} ms   ({len(lat)} requests, "
                  f"{len(lat) / wall:,.0f} req/s, server CPU {used:.1f} ms/request)")
        lat, wall, _ = asyncio.run(measure(server.url, token, mix, 32, None, args.seconds))
        print(f"  32 clients: {len(lat) / wall:,.0f} req/s over {wall:.1f} s "
              f"(p50 {pct(lat, 50):.1f} ms, p99 {pct(lat, 99):.1f} ms)")
        _, _, largest = asyncio.run(measure(server.url, token, one_word, 1, len(one_word), None))
        print(f"  largest one-word result page: {largest:,} bytes of JSON")


if __name__ == "__main__":
    raise SystemExit(main())
