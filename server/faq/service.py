"""Knowledge-base services: categories, articles and translations, synonyms, votes, missed
searches. They take a session and the time; they never commit. Every query is scoped by site."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .content import MAX_BODY, MAX_TITLE, clean_tags, index_entry, plain_text, render_markdown
from .indexer import ToIndex, index_articles, unindex_article
from .models import STATUSES, Article, Category, MissedSearch, SiteSynonyms, Vote

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
MAX_QUERY_RECORDED = 200
MAX_SYNONYM_GROUPS = 500


class FaqError(ValueError):
    """Invalid knowledge-base input; ``field`` names what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ArticleInput:
    translation_key: str
    lang: str
    title: str
    body: str
    tags: Sequence[str] = ()
    status: str = "draft"
    category_key: str | None = None


def _check(value: ArticleInput) -> ArticleInput:
    if not KEY_RE.match(value.translation_key):
        raise FaqError("translation_key", "use lower-case letters, digits, - and _ (at most 100)")
    if not LANG_RE.match(value.lang):
        raise FaqError("lang", "a language code such as uk or en")
    title = " ".join(value.title.replace("\x00", "").split())
    if not 1 <= len(title) <= MAX_TITLE:
        raise FaqError("title", f"a title of 1 to {MAX_TITLE} characters")
    body = value.body.replace("\x00", "")
    if len(body) > MAX_BODY:
        raise FaqError("body", f"at most {MAX_BODY} characters")
    if value.status not in STATUSES:
        raise FaqError("status", "draft or published")
    return ArticleInput(value.translation_key, value.lang, title, body, clean_tags(value.tags),
                        value.status, value.category_key)


def _to_index(article: Article) -> ToIndex:
    entry = index_entry(article.title, article.plain, article.tags or [], article.lang)
    return ToIndex(article.id, article.site_id, article.lang, entry)


async def _reindex(
    session: AsyncSession, article: Article, before: ToIndex | None,
    deferred: list[ToIndex] | None = None,
) -> None:
    if before is not None:
        await unindex_article(session, before)
    if article.status == "published":
        if deferred is None:
            await index_articles(session, [_to_index(article)])
        else:
            deferred.append(_to_index(article))


# ---- categories ---------------------------------------------------------------------------

async def list_categories(session: AsyncSession, site_id: int) -> list[Category]:
    rows = await session.scalars(select(Category).where(Category.site_id == site_id)
                                 .order_by(Category.position, Category.id))
    return list(rows)


async def save_category(
    session: AsyncSession, site_id: int, key: str, names: dict[str, str],
    *, position: int | None = None, parent_key: str | None = None,
) -> Category:
    """Create or update a category by key. A parent must itself be top-level (one nesting level)."""
    if not KEY_RE.match(key):
        raise FaqError("key", "use lower-case letters, digits, - and _ (at most 100)")
    clean = {lang: " ".join(name.split())[:100] for lang, name in names.items()
             if LANG_RE.match(lang) and name.strip()}
    if not clean:
        raise FaqError("names", "a category needs a name in at least one language")
    parent_id = None
    if parent_key:
        parent = await _category_by_key(session, site_id, parent_key)
        if parent is None or parent.parent_id is not None or parent.key == key:
            raise FaqError("parent", "the parent must be another top-level category")
        parent_id = parent.id
    category = await _category_by_key(session, site_id, key)
    if category is None:
        count = await session.scalar(select(func.count()).select_from(Category)
                                     .where(Category.site_id == site_id))
        category = Category(site_id=site_id, key=key, names=clean, parent_id=parent_id,
                            position=(count or 0) if position is None else position)
        session.add(category)
    else:
        category.names = clean
        category.parent_id = parent_id
        if position is not None:
            category.position = position
    await session.flush()
    return category


async def _category_by_key(session: AsyncSession, site_id: int, key: str) -> Category | None:
    found: Category | None = await session.scalar(
        select(Category).where(Category.site_id == site_id, Category.key == key))
    return found


async def delete_category(session: AsyncSession, site_id: int, category_id: int) -> None:
    category = await session.get(Category, category_id)
    if category is None or category.site_id != site_id:
        raise FaqError("category", "no such category")
    await session.delete(category)
    await session.flush()


# ---- articles -----------------------------------------------------------------------------

async def get_article(session: AsyncSession, site_id: int, article_id: int) -> Article | None:
    if not 0 < article_id < 2**31:
        return None
    article = await session.get(Article, article_id)
    return article if article is not None and article.site_id == site_id else None


async def find_article(
    session: AsyncSession, site_id: int, translation_key: str, lang: str
) -> Article | None:
    found: Article | None = await session.scalar(select(Article).where(
        Article.site_id == site_id, Article.translation_key == translation_key,
        Article.lang == lang))
    return found


async def save_article(
    session: AsyncSession, site_id: int, value: ArticleInput, *, now: datetime,
    public_origin: str = "", article: Article | None = None,
    deferred: list[ToIndex] | None = None,
) -> Article:
    """Create an article (or a translation), or update `article`, and keep the index in step.
    Saving an existing key and language updates it: imports are idempotent. With `deferred`,
    what to add to the index is collected there, for one `index_articles` call at the end."""
    value = _check(value)
    category_id = None
    if value.category_key:
        category = await _category_by_key(session, site_id, value.category_key)
        if category is None:
            raise FaqError("category", "no such category")
        category_id = category.id
    existing = await find_article(session, site_id, value.translation_key, value.lang)
    if article is None:
        article = existing
    elif existing is not None and existing.id != article.id:
        raise FaqError("lang", "this article already has a translation in that language")
    html = render_markdown(value.body, public_origin)
    if article is None:
        article = Article(site_id=site_id, created_at=now, tags=[])
        session.add(article)
        before = None
    else:
        before = _to_index(article) if article.status == "published" else None
    article.translation_key = value.translation_key
    article.lang = value.lang
    article.title = value.title
    article.body = value.body
    article.html = html
    article.plain = plain_text(html)
    article.tags = list(value.tags)
    article.status = value.status
    article.category_id = category_id
    article.updated_at = now
    await session.flush()
    await _reindex(session, article, before, deferred)
    return article


async def set_status(session: AsyncSession, article: Article, status: str, now: datetime) -> None:
    if status not in STATUSES:
        raise FaqError("status", "draft or published")
    if status == article.status:
        return
    before = _to_index(article) if article.status == "published" else None
    article.status = status
    article.updated_at = now
    await session.flush()
    await _reindex(session, article, before)


async def delete_article(session: AsyncSession, article: Article) -> None:
    if article.status == "published":
        await unindex_article(session, _to_index(article))
    await session.delete(article)
    await session.flush()


async def list_articles(
    session: AsyncSession, site_id: int, *, published_only: bool = False
) -> list[Article]:
    query = select(Article).where(Article.site_id == site_id)
    if published_only:
        query = query.where(Article.status == "published")
    rows = await session.scalars(query.order_by(Article.position, Article.translation_key,
                                                Article.lang))
    return list(rows)


def pick_translation(translations: Sequence[Article], lang: str, default: str) -> Article | None:
    """The user's language, else the site's default, else any (the first by language code)."""
    by_lang = {a.lang: a for a in translations}
    return by_lang.get(lang) or by_lang.get(default) or (
        by_lang[min(by_lang)] if by_lang else None)


async def translations_of(
    session: AsyncSession, site_id: int, translation_key: str, *, published_only: bool = True
) -> list[Article]:
    query = select(Article).where(Article.site_id == site_id,
                                  Article.translation_key == translation_key)
    if published_only:
        query = query.where(Article.status == "published")
    return list(await session.scalars(query))


# ---- synonyms -----------------------------------------------------------------------------

async def get_synonyms(session: AsyncSession, site_id: int) -> list[list[str]]:
    row = await session.get(SiteSynonyms, site_id)
    return [list(group) for group in row.groups] if row else []


def parse_synonyms(text: str) -> list[list[str]]:
    """One group per line, members separated by commas: `бронювання, резервація, бронь`."""
    groups = []
    for line in text.splitlines():
        members = [" ".join(m.split())[:60] for m in line.strip().strip("-[] ").split(",")]
        members = list(dict.fromkeys(m for m in members if m))
        if len(members) >= 2:
            groups.append(members[:20])
    if len(groups) > MAX_SYNONYM_GROUPS:
        raise FaqError("synonyms", f"at most {MAX_SYNONYM_GROUPS} groups")
    return groups


async def set_synonyms(
    session: AsyncSession, site_id: int, groups: list[list[str]], now: datetime
) -> None:
    row = await session.get(SiteSynonyms, site_id)
    if row is None:
        session.add(SiteSynonyms(site_id=site_id, groups=groups, updated_at=now))
    else:
        row.groups = groups
        row.updated_at = now
    await session.flush()


# ---- feedback -----------------------------------------------------------------------------

async def vote(
    session: AsyncSession, article: Article, visitor: str, helpful: bool, now: datetime
) -> None:
    """One vote per visitor and article; voting again changes it and moves the counts."""
    existing: Vote | None = await session.scalar(
        select(Vote).where(Vote.article_id == article.id, Vote.visitor == visitor))
    if existing is not None and existing.helpful == helpful:
        return
    yes = int(helpful) - (int(existing.helpful) if existing else 0)
    no = int(not helpful) - (int(not existing.helpful) if existing else 0)
    if existing is None:
        session.add(Vote(article_id=article.id, visitor=visitor, helpful=helpful, updated_at=now))
    else:
        existing.helpful = helpful
        existing.updated_at = now
    await session.execute(update(Article).where(Article.id == article.id).values(
        helpful_yes=Article.helpful_yes + yes, helpful_no=Article.helpful_no + no))
    await session.flush()


async def visitor_vote(session: AsyncSession, article_id: int, visitor: str) -> bool | None:
    found: bool | None = await session.scalar(
        select(Vote.helpful).where(Vote.article_id == article_id, Vote.visitor == visitor))
    return found


async def record_view(session: AsyncSession, article: Article, *, suggested: bool) -> None:
    values: dict[str, Any] = {"views": Article.views + 1}
    if suggested:
        values["suggest_opens"] = Article.suggest_opens + 1
    await session.execute(update(Article).where(Article.id == article.id).values(**values))


async def record_missed_search(
    session: AsyncSession, site_id: int, lang: str, query: str, now: datetime
) -> None:
    printable = "".join(ch if ch.isprintable() else " " for ch in query)  # no NUL for PostgreSQL
    text = " ".join(printable.split()).casefold()[:MAX_QUERY_RECORDED]
    if not text:
        return
    row: MissedSearch | None = await session.scalar(select(MissedSearch).where(
        MissedSearch.site_id == site_id, MissedSearch.lang == lang, MissedSearch.query == text))
    if row is None:
        session.add(MissedSearch(site_id=site_id, lang=lang, query=text, count=1, last_at=now))
    else:
        row.count += 1
        row.last_at = now
    await session.flush()


async def missed_searches(session: AsyncSession, site_id: int, limit: int = 100) -> list[MissedSearch]:
    rows = await session.scalars(select(MissedSearch).where(MissedSearch.site_id == site_id)
                                 .order_by(MissedSearch.count.desc(), MissedSearch.last_at.desc())
                                 .limit(limit))
    return list(rows)
