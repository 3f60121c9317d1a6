"""The widget's knowledge-base API under /api/faq (widget session required, except images).

Thin endpoints: parse, call a service or the search engine, answer JSON. Any query string is
safe: the analyzer turns it into plain terms, and a bad parameter falls back to a default.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from helpmenu.auth.widget_session import WidgetSession, require_session
from helpmenu.context import Services, services
from helpmenu.db import transaction
from helpmenu.http import ApiError, read_json_object

from . import images
from .models import Article
from .search import driver_fetch, search_site
from .service import (
    LANG_RE,
    get_article,
    list_articles,
    list_categories,
    pick_translation,
    record_missed_search,
    record_view,
    translations_of,
    visitor_vote,
    vote,
)

MAX_RESULTS = 10
MAX_SUGGESTIONS = 5
NO_STORE = {"Cache-Control": "no-store"}


async def _context(request: Request) -> tuple[Services, WidgetSession, str, str]:
    """The services, the session, the language asked for, and the site's default language."""
    svc = services(request)
    session = require_session(request, svc.settings.secret_key, svc.clock.now())
    site = await svc.sites.get(session.site_key)
    if site is None or site.id != session.site_id:
        raise ApiError(401, "session_invalid", "the widget session's site no longer exists")
    default = site.default_locale.split("-")[0]
    wanted = request.query_params.get("lang", "")
    lang = wanted.split("-")[0].lower() if LANG_RE.match(wanted) else default
    return svc, session, lang, default


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return min(max(number, low), high)


def _summary(article: Article) -> dict[str, Any]:
    return {"id": article.id, "title": article.title, "lang": article.lang}


async def categories(request: Request) -> Response:
    """Categories in order, each with its published articles in the user's language (falling
    back to the site's default), and articles without a category."""
    svc, session, lang, default = await _context(request)
    async with svc.sessions() as db:
        cats = await list_categories(db, session.site_id)
        articles = await list_articles(db, session.site_id, published_only=True)
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[article.translation_key].append(article)
    by_category: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for translations in groups.values():
        chosen = pick_translation(translations, lang, default)
        if chosen is not None:
            by_category[chosen.category_id].append(_summary(chosen))
    payload = [
        {"id": c.id, "key": c.key, "parent_id": c.parent_id,
         "name": c.names.get(lang) or c.names.get(default) or next(iter(c.names.values()), c.key),
         "articles": by_category.get(c.id, [])}
        for c in cats
    ]
    known = {c.id for c in cats}
    loose = [a for cid, items in by_category.items() if cid not in known for a in items]
    return JSONResponse({"lang": lang, "categories": payload, "uncategorized": loose},
                        headers=NO_STORE)


async def article(request: Request) -> Response:
    """An article in the user's language if it is translated, else the site's default."""
    svc, session, lang, default = await _context(request)
    article_id = request.path_params["article_id"]
    suggested = request.query_params.get("via") == "suggest"
    async with transaction(svc.sessions) as db:
        found = await get_article(db, session.site_id, article_id)
        if found is None or found.status != "published":
            raise ApiError(404, "not_found", "no such article")
        translations = await translations_of(db, session.site_id, found.translation_key)
        chosen = pick_translation(translations, lang, default) or found
        if chosen.lang != lang and found.lang == lang:
            chosen = found
        await record_view(db, chosen, suggested=suggested)
        my_vote = await visitor_vote(db, chosen.id, session.user_id)
        category_name = None
        if chosen.category_id is not None:
            cats = {c.id: c for c in await list_categories(db, session.site_id)}
            cat = cats.get(chosen.category_id)
            if cat is not None:
                category_name = cat.names.get(chosen.lang) or cat.names.get(default) or cat.key
    return JSONResponse({
        "id": chosen.id,
        "lang": chosen.lang,
        "title": chosen.title,
        "html": chosen.html,
        "tags": chosen.tags or [],
        "category": {"id": chosen.category_id, "name": category_name} if category_name else None,
        "updated_at": chosen.updated_at.isoformat().replace("+00:00", "Z"),
        "vote": my_vote,
        "translations": sorted(a.lang for a in translations),
    }, headers=NO_STORE)


async def _run_search(request: Request, limit: int) -> tuple[Services, WidgetSession, str, list[Any]]:
    svc, session, lang, default = await _context(request)
    text = request.query_params.get("q", "")
    async with svc.engine.connect() as connection:
        fetch = await driver_fetch(connection)
        hits = await search_site(fetch, session.site_id, text, lang, default, limit=limit)
    return svc, session, lang, hits


async def search(request: Request) -> Response:
    """Results as the user types. `final=1` marks a search the user settled on: only those are
    recorded when they find nothing."""
    limit = _int(request.query_params.get("limit"), MAX_RESULTS, 1, MAX_RESULTS)
    svc, session, lang, hits = await _run_search(request, limit)
    text = request.query_params.get("q", "")
    if not hits and request.query_params.get("final") == "1" and text.strip():
        async with transaction(svc.sessions) as db:
            await record_missed_search(db, session.site_id, lang, text, svc.clock.now())
    return JSONResponse({"query": text[:200], "lang": lang,
                         "results": [hit.as_json() for hit in hits]}, headers=NO_STORE)


async def suggest(request: Request) -> Response:
    """Articles for free text (a request's subject): `[{id, title, snippet, highlight}]`, the
    snippet as plain text and `highlight` as the same text in segments."""
    limit = _int(request.query_params.get("limit"), 3, 1, MAX_SUGGESTIONS)
    _, _, _, hits = await _run_search(request, limit)
    return JSONResponse([{"id": h.article_id, "title": h.title,
                          "snippet": "".join(t for t, _ in h.snippet),
                          "highlight": [[t, m] for t, m in h.snippet]} for h in hits],
                        headers=NO_STORE)


async def vote_article(request: Request) -> Response:
    """Was this article helpful? One vote per visitor and article; voting again changes it."""
    svc, session, _, _ = await _context(request)
    body = await read_json_object(request)
    helpful = body.get("helpful")
    if not isinstance(helpful, bool):
        raise ApiError(422, "invalid_request", "helpful must be true or false")
    async with transaction(svc.sessions) as db:
        found = await get_article(db, session.site_id, request.path_params["article_id"])
        if found is None or found.status != "published":
            raise ApiError(404, "not_found", "no such article")
        await vote(db, found, session.user_id, helpful, svc.clock.now())
    return JSONResponse({"vote": helpful}, headers=NO_STORE)


async def image(request: Request) -> Response:
    """An uploaded article image. Public (an <img> carries no session), random unguessable name."""
    svc = services(request)
    found = await images.open_image(svc, request.path_params["name"])
    if found is None:
        raise ApiError(404, "not_found", "no such image")
    path, content_type = found
    return FileResponse(path, media_type=content_type, headers={
        "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })


routes: list[BaseRoute] = [
    Route("/api/faq/categories", categories, name="faq:categories"),
    Route("/api/faq/articles/{article_id:int}", article, name="faq:article"),
    Route("/api/faq/articles/{article_id:int}/vote", vote_article, methods=["POST"],
          name="faq:vote"),
    Route("/api/faq/search", search, name="faq:search"),
    Route("/api/faq/suggest", suggest, name="faq:suggest"),
    Route("/api/faq/images/{name}", image, name="faq:image"),
]
