"""The knowledge base: categories, articles and their translations, the search index, feedback.

The search index tables hold what `helpmenu.faq.analyzer` produced, never the engines' own text
analysis, so SQLite and PostgreSQL store and answer the same (docs/search.md, "Engines").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpmenu.db import Base, JSONType, UTCDateTime

STATUSES = ("draft", "published")


class Category(Base):
    """A thematic section of a site's knowledge base; `parent_id` allows one level of nesting."""

    __tablename__ = "faq_categories"
    __table_args__ = (UniqueConstraint("site_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("faq_categories.id", ondelete="SET NULL"), default=None
    )
    position: Mapped[int] = mapped_column(default=0)
    names: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)


class Article(Base):
    """One language of an article. Translations share `translation_key`."""

    __tablename__ = "faq_articles"
    __table_args__ = (
        UniqueConstraint("site_id", "translation_key", "lang"),
        Index("ix_faq_articles_site_lang_status", "site_id", "lang", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("faq_categories.id", ondelete="SET NULL"), default=None, index=True
    )
    translation_key: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    plain: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    position: Mapped[int] = mapped_column(default=0)
    helpful_yes: Mapped[int] = mapped_column(default=0)
    helpful_no: Mapped[int] = mapped_column(default=0)
    views: Mapped[int] = mapped_column(default=0)
    suggest_opens: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IndexedArticle(Base):
    """The analyzed fields of a published article, space-separated terms in order (for ranking)."""

    __tablename__ = "faq_docs"
    __table_args__ = (Index("ix_faq_docs_site_lang", "site_id", "lang"),)

    article_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    site_id: Mapped[int] = mapped_column(Integer)
    lang: Mapped[str] = mapped_column(String(16))
    title_terms: Mapped[str] = mapped_column(Text)
    tags_terms: Mapped[str] = mapped_column(Text)
    body_terms: Mapped[str] = mapped_column(Text)


class Posting(Base):
    """Term → article, with a precomputed impact (the saturated BM25F term frequency, x1000).

    The primary key orders each term's list by impact, so an engine reads the best few articles
    of a common term without touching the thousands of others: ranking stays bounded.
    """

    __tablename__ = "faq_postings"

    site_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    impact: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class TermStat(Base):
    """Document frequency of an index term, per site and language."""

    __tablename__ = "faq_term_stats"

    site_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    df: Mapped[int] = mapped_column(default=0)


class Corpus(Base):
    """Published article count and summed field lengths, per site and language (for BM25)."""

    __tablename__ = "faq_corpus"

    site_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    n_docs: Mapped[int] = mapped_column(default=0)
    len_title: Mapped[int] = mapped_column(default=0)
    len_tags: Mapped[int] = mapped_column(default=0)
    len_body: Mapped[int] = mapped_column(default=0)


class Word(Base):
    """A folded word (or stem) of the site's published articles and the stem it indexes under;
    `n` counts the articles that hold it. Prefixes are a range scan on `word`."""

    __tablename__ = "faq_words"

    site_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    stem: Mapped[str] = mapped_column(String(100), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class WordKey(Base):
    """One delete key of a word (the word minus one letter, or itself): the typo lookup."""

    __tablename__ = "faq_word_keys"

    site_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    word: Mapped[str] = mapped_column(String(100), primary_key=True)


class Vote(Base):
    """"Was this article helpful?": one answer per visitor and article, changeable."""

    __tablename__ = "faq_votes"
    __table_args__ = (UniqueConstraint("article_id", "visitor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("faq_articles.id", ondelete="CASCADE"))
    visitor: Mapped[str] = mapped_column(String(200))
    helpful: Mapped[bool] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MissedSearch(Base):
    """A settled search that found nothing: what content is missing."""

    __tablename__ = "faq_missed_searches"
    __table_args__ = (UniqueConstraint("site_id", "lang", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(16))
    query: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SiteSynonyms(Base):
    """A site's synonym groups: a list of lists of one-word members."""

    __tablename__ = "faq_synonyms"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    groups: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Image(Base):
    """An image uploaded for articles, stored under the data folder with a random name."""

    __tablename__ = "faq_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
