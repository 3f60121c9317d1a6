"""The console's FAQ section: articles and their translations (Markdown with a server-rendered
preview through the one sanitizer), publishing, categories, images, synonyms, and what readers
tell us (helpful votes, views, suggestions opened, searches that found nothing). Templates and
strings live beside this module and extend the console's layout."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.templating import Jinja2Templates

from helpmenu.console import templates_dir as console_templates
from helpmenu.console.guard import Console, NotFound, console, console_page
from helpmenu.console.i18n import feature_translator
from helpmenu.console.rendering import console_base, site_url
from helpmenu.context import services
from helpmenu.db import transaction
from helpmenu.sites.models import Site
from helpmenu.sites.service import LOCALES as SITE_LOCALES

from . import images
from .content import render_markdown
from .models import STATUSES, Article, Category, Image
from .service import (
    ArticleInput,
    FaqError,
    delete_article,
    delete_category,
    get_article,
    get_synonyms,
    list_articles,
    list_categories,
    missed_searches,
    parse_synonyms,
    save_article,
    save_category,
    set_status,
    set_synonyms,
    translations_of,
)

HERE = Path(__file__).parent
_env = Environment(
    loader=ChoiceLoader([FileSystemLoader(HERE / "templates"), FileSystemLoader(console_templates)]),
    autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
)
_templates = Jinja2Templates(env=_env)
TABS = ("articles", "categories", "insights", "synonyms", "images")


def render(request: Request, ctx: Console, name: str, context: dict[str, Any],
           status_code: int = 200) -> Response:
    base = console_base(request)
    full = ctx.context("faq", **context)
    site_id = full.get("site_query")

    url = site_url(base, site_id)
    full.update(t=feature_translator(HERE / "locales", ctx.locale), locale=ctx.locale, url=url, tabs=TABS,
                static=lambda path: f"{base}/static/{path}",
                own_static=lambda path: f"{base}/faq/static/{path}")
    full.setdefault("tab", "articles")
    return _templates.TemplateResponse(request, name, full, status_code=status_code)


def _redirect(request: Request, ctx: Console, path: str, **params: Any) -> Response:
    query = {k: v for k, v in params.items() if v is not None}
    if ctx.site is not None and len(ctx.sites) > 1:
        query = {"site": ctx.site.id, **query}
    suffix = "?" + urlencode(query) if query else ""
    return RedirectResponse(console_base(request) + path + suffix, status_code=303)


async def _site_locale(request: Request, site_id: int) -> str:
    async with services(request).sessions() as db:
        site = await db.get(Site, site_id)
    return site.default_locale.split("-")[0] if site else "en"


async def stylesheet(request: Request) -> Response:
    return FileResponse(HERE / "static" / "faq-console.css", media_type="text/css",
                        headers={"Cache-Control": "public, max-age=300"})


@console_page
async def index(request: Request) -> Response:
    """Articles grouped by translation key, each language with its status and numbers."""
    ctx = console(request)
    if ctx.site is None:
        return render(request, ctx, "faq_list.html", {"groups": [], "totals": {}})
    site = ctx.site
    default = await _site_locale(request, site.id)
    async with services(request).sessions() as db:
        articles = await list_articles(db, site.id)
        categories = {c.id: c for c in await list_categories(db, site.id)}
    by_key: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_key[article.translation_key].append(article)
    groups: list[dict[str, Any]] = []
    for key, items in by_key.items():
        items.sort(key=lambda a: (a.lang != default, a.lang))
        category = categories.get(items[0].category_id or 0)
        groups.append({
            "key": key, "main": items[0], "items": items,
            "category": _name(category, ctx.locale, default) if category else "",
            "yes": sum(a.helpful_yes for a in items), "no": sum(a.helpful_no for a in items),
            "views": sum(a.views for a in items), "suggested": sum(a.suggest_opens for a in items),
        })
    groups.sort(key=lambda g: (g["category"] == "", g["category"], g["main"].title.casefold()))
    votes = sum(g["yes"] + g["no"] for g in groups)
    totals = {
        "published": sum(1 for a in articles if a.status == "published"),
        "drafts": sum(1 for a in articles if a.status != "published"),
        "views": sum(g["views"] for g in groups),
        "helpful": round(100 * sum(g["yes"] for g in groups) / votes) if votes else None,
        "suggested": sum(g["suggested"] for g in groups),
    }
    return render(request, ctx, "faq_list.html", {"groups": groups, "totals": totals,
                                                  "notice": request.query_params.get("notice")})


def _name(category: Category, *langs: str) -> str:
    for lang in langs:
        if category.names.get(lang):
            return category.names[lang]
    return next(iter(category.names.values()), category.key)


@console_page
async def new(request: Request) -> Response:
    """An empty editor, or a new translation of an existing article (its text to translate)."""
    ctx = console(request)
    site = ctx.require_site()
    q = request.query_params
    form = {"id": "", "translation_key": q.get("key", ""), "lang": q.get("lang", ""),
            "title": "", "body": "", "tags": "", "status": "draft", "category": ""}
    source = None
    if q.get("source", "").isdigit() and len(q["source"]) < 10:
        async with services(request).sessions() as db:
            source = await get_article(db, site.id, int(q["source"]))
        if source is not None:
            form.update(translation_key=source.translation_key, title=source.title,
                        body=source.body, tags=", ".join(source.tags or []),
                        category=await _category_key(request, site.id, source.category_id))
    if not form["lang"]:
        form["lang"] = await _site_locale(request, site.id)
    return await _editor(request, ctx, form, None, source=source)


async def _category_key(request: Request, site_id: int, category_id: int | None) -> str:
    if category_id is None:
        return ""
    async with services(request).sessions() as db:
        category = await db.get(Category, category_id)
    return category.key if category is not None and category.site_id == site_id else ""


@console_page
async def edit(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    async with services(request).sessions() as db:
        article = await get_article(db, site.id, request.path_params["article_id"])
    if article is None:
        raise NotFound
    form = {"id": article.id, "translation_key": article.translation_key, "lang": article.lang,
            "title": article.title, "body": article.body, "tags": ", ".join(article.tags or []),
            "status": article.status,
            "category": await _category_key(request, site.id, article.category_id)}
    notice = request.query_params.get("notice")
    return await _editor(request, ctx, form, article, notice=notice)


async def _editor(
    request: Request, ctx: Console, form: dict[str, Any], article: Article | None, *,
    errors: dict[str, str] | None = None, preview: str | None = None, notice: str | None = None,
    source: Article | None = None, status_code: int = 200,
) -> Response:
    site = ctx.require_site()
    async with services(request).sessions() as db:
        categories = await list_categories(db, site.id)
        translations = (await translations_of(db, site.id, article.translation_key,
                                              published_only=False) if article else [])
    have = {a.lang for a in translations}
    return render(request, ctx, "faq_edit.html", {
        "form": form, "article": article, "errors": errors or {}, "preview": preview,
        "notice": notice, "source": source,
        "categories": [(c.key, _name(c, ctx.locale, form["lang"])) for c in categories],
        "translations": sorted(translations, key=lambda a: a.lang),
        "missing": [code for code in SITE_LOCALES if code not in have],
        "languages": SITE_LOCALES,
    }, status_code=status_code)


@console_page
async def save(request: Request) -> Response:
    """One form, several buttons: preview, save, publish, unpublish, delete."""
    ctx = console(request)
    site = ctx.require_site()
    data = await request.form()
    action = str(data.get("action", "save"))
    form = {name: str(data.get(name, "")) for name in
            ("id", "translation_key", "lang", "title", "body", "tags", "status", "category")}
    if form["status"] not in STATUSES:
        form["status"] = "draft"
    svc = services(request)
    article_id = int(form["id"]) if form["id"].isdigit() and len(form["id"]) < 10 else None
    if action == "preview":
        article = await _find(request, site.id, article_id)
        return await _editor(request, ctx, form, article,
                             preview=render_markdown(form["body"], svc.settings.public_origin))
    status = {"publish": "published", "unpublish": "draft"}.get(action, form["status"] or "draft")
    value = ArticleInput(
        translation_key=form["translation_key"].strip(), lang=form["lang"].strip(),
        title=form["title"], body=form["body"], tags=form["tags"].split(","), status=status,
        category_key=form["category"] or None)
    try:
        async with transaction(svc.sessions) as db:
            article = await get_article(db, site.id, article_id) if article_id else None
            if article_id and article is None:
                raise NotFound
            if action == "delete" and article is not None:
                await delete_article(db, article)
                return _redirect(request, ctx, "/faq", notice="deleted")
            saved = await save_article(db, site.id, value, now=svc.clock.now(),
                                       public_origin=svc.settings.public_origin, article=article)
            if saved.status != status:
                await set_status(db, saved, status, svc.clock.now())
            saved_id = saved.id
    except FaqError as exc:
        article = await _find(request, site.id, article_id)
        return await _editor(request, ctx, form, article, errors={exc.field: str(exc)},
                             status_code=422)
    notice = {"publish": "published", "unpublish": "unpublished"}.get(action, "saved")
    return _redirect(request, ctx, f"/faq/{saved_id}", notice=notice)


async def _find(request: Request, site_id: int, article_id: int | None) -> Article | None:
    if article_id is None:
        return None
    async with services(request).sessions() as db:
        return await get_article(db, site_id, article_id)


@console_page
async def categories(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    async with services(request).sessions() as db:
        items = await list_categories(db, site.id)
        counts: dict[int | None, int] = defaultdict(int)
        for article in await list_articles(db, site.id):
            counts[article.category_id] += 1
    return await _categories_page(request, ctx, items, counts)


async def _categories_page(
    request: Request, ctx: Console, items: list[Category], counts: dict[int | None, int],
    error: str | None = None, status_code: int = 200,
) -> Response:
    parents = {c.id: c.key for c in items}
    return render(request, ctx, "faq_categories.html", {
        "tab": "categories", "items": items, "counts": counts, "parents": parents,
        "top": [c for c in items if c.parent_id is None], "languages": SITE_LOCALES,
        "error": error, "notice": request.query_params.get("notice"),
    }, status_code=status_code)


@console_page
async def save_categories(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    data = await request.form()
    svc = services(request)
    names = {lang: str(data.get(f"name_{lang}", "")) for lang in SITE_LOCALES}
    position = str(data.get("position", ""))
    try:
        async with transaction(svc.sessions) as db:
            if str(data.get("action")) == "delete":
                raw = str(data.get("id", ""))
                await delete_category(db, site.id, int(raw) if raw.isdigit() and len(raw) < 10 else 0)
                return _redirect(request, ctx, "/faq/categories", notice="deleted")
            await save_category(db, site.id, str(data.get("key", "")).strip(), names,
                                position=int(position) if position.isdigit() and len(position) < 6
                                else None,
                                parent_key=str(data.get("parent", "")) or None)
    except FaqError as exc:
        async with svc.sessions() as db:
            items = await list_categories(db, site.id)
        return await _categories_page(request, ctx, items, defaultdict(int), error=str(exc),
                                      status_code=422)
    return _redirect(request, ctx, "/faq/categories", notice="saved")


@console_page
async def insights(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    async with services(request).sessions() as db:
        missed = await missed_searches(db, site.id)
        articles = await list_articles(db, site.id, published_only=True)
    rated = [a for a in articles if a.helpful_yes + a.helpful_no]
    rated.sort(key=lambda a: (a.helpful_yes / (a.helpful_yes + a.helpful_no), -a.helpful_no))
    return render(request, ctx, "faq_insights.html", {
        "tab": "insights", "missed": missed, "least_helpful": rated[:10],
        "most_viewed": sorted(articles, key=lambda a: -a.views)[:10],
    })


@console_page
async def synonyms(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    svc = services(request)
    error = None
    if request.method == "POST":
        text = str((await request.form()).get("synonyms", ""))
        try:
            groups = parse_synonyms(text)
            async with transaction(svc.sessions) as db:
                await set_synonyms(db, site.id, groups, svc.clock.now())
            return _redirect(request, ctx, "/faq/synonyms", notice="saved")
        except FaqError as exc:
            error = str(exc)
    async with svc.sessions() as db:
        groups = await get_synonyms(db, site.id)
    return render(request, ctx, "faq_synonyms.html", {
        "tab": "synonyms", "text": "\n".join(", ".join(g) for g in groups), "error": error,
        "notice": request.query_params.get("notice"), "count": len(groups),
    }, status_code=422 if error else 200)


@console_page
async def image_list(request: Request) -> Response:
    ctx = console(request)
    site = ctx.require_site()
    svc = services(request)
    error = None
    if request.method == "POST":
        async with request.form(max_files=1) as form:
            upload = form.get("file")
            data = (await upload.read(images.MAX_IMAGE_BYTES + 1)
                    if isinstance(upload, UploadFile) else None)
        if data is not None:
            try:
                async with transaction(svc.sessions) as db:
                    await images.save_image(svc, db, site.id, data)
                return _redirect(request, ctx, "/faq/images", notice="uploaded")
            except images.ImageError as exc:
                error = str(exc)
        else:
            error = "no file"
    async with svc.sessions() as db:
        rows = list(await db.scalars(select(Image).where(Image.site_id == site.id)
                                     .order_by(Image.id.desc()).limit(100)))
    return render(request, ctx, "faq_images.html", {
        "tab": "images", "images": rows, "error": error,
        "notice": request.query_params.get("notice"),
    }, status_code=422 if error else 200)


console_routes: list[BaseRoute] = [
    Route("/faq", index, name="console:faq"),
    Route("/faq/static/faq-console.css", stylesheet, name="console:faq_css"),
    Route("/faq/new", new, name="console:faq_new"),
    Route("/faq/save", save, methods=["POST"], name="console:faq_save"),
    Route("/faq/categories", categories, methods=["GET"], name="console:faq_categories"),
    Route("/faq/categories", save_categories, methods=["POST"], name="console:faq_categories_save"),
    Route("/faq/insights", insights, name="console:faq_insights"),
    Route("/faq/synonyms", synonyms, methods=["GET", "POST"], name="console:faq_synonyms"),
    Route("/faq/images", image_list, methods=["GET", "POST"], name="console:faq_images"),
    Route("/faq/{article_id:int}", edit, name="console:faq_edit"),
]
