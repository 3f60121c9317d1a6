"""Import and export of a knowledge base as a folder of Markdown files with front matter (the
format of examples/demo-kb, described in docs/faq.md). Import is idempotent: an article is
identified by its translation key and language, so importing again updates, never duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from .indexer import ToIndex, index_articles
from .service import (
    ArticleInput,
    FaqError,
    get_synonyms,
    list_articles,
    list_categories,
    save_article,
    save_category,
    set_synonyms,
)

FRONT_KEYS = ("title", "category", "language", "translation_key", "tags", "status")


@dataclass
class ImportReport:
    categories: int = 0
    articles: int = 0
    synonyms: int = 0


def parse_article(text: str, source: str = "") -> ArticleInput:
    """One Markdown file: `---`, `key: value` lines, `---`, then the body."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in (x.strip() for x in lines[1:]):
        raise FaqError("front_matter", f"{source}: the file must start with a --- front matter")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        if line.strip():
            key, _, value = line.partition(": ")
            meta[key.strip().rstrip(":")] = value.strip()
    missing = [k for k in ("title", "language", "translation_key") if not meta.get(k)]
    if missing:
        raise FaqError("front_matter", f"{source}: missing {', '.join(missing)}")
    tags = meta.get("tags", "").strip()
    tag_list = [t.strip() for t in tags.strip("[]").split(",")] if tags else []
    return ArticleInput(
        translation_key=meta["translation_key"], lang=meta["language"], title=meta["title"],
        body="\n".join(lines[end + 1:]).strip() + "\n", tags=[t for t in tag_list if t],
        status=meta.get("status") or "published", category_key=meta.get("category") or None,
    )


def format_article(value: ArticleInput) -> str:
    front = {
        "title": " ".join(value.title.split()),
        "category": value.category_key or "",
        "language": value.lang,
        "translation_key": value.translation_key,
        "tags": "[" + ", ".join(value.tags) + "]",
        "status": value.status,
    }
    head = "\n".join(f"{k}: {v}" for k, v in front.items() if v or k == "tags")
    return f"---\n{head}\n---\n{value.body.strip()}\n"


def parse_categories(text: str) -> list[tuple[str, dict[str, str]]]:
    """`key:` lines, each followed by indented `lang: Name` lines; order is kept."""
    result: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            result.append((line.strip().rstrip(":"), {}))
        elif result:
            lang, _, name = line.strip().partition(":")
            result[-1][1][lang.strip()] = name.strip()
    return result


def parse_synonym_file(text: str) -> list[list[str]]:
    groups = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- ["):
            members = [m.strip() for m in line[3:].rstrip("]").split(",")]
            groups.append([m for m in members if m])
    return groups


async def import_directory(
    session: AsyncSession, site_id: int, directory: Path, *, now: datetime, public_origin: str = ""
) -> ImportReport:
    """Import categories, synonyms and every `<lang>/<key>.md` of `directory`."""
    if not directory.is_dir():
        raise FaqError("directory", f"{directory} is not a folder")
    report = ImportReport()
    categories = directory / "_categories.yml"
    if categories.exists():
        for position, (key, names) in enumerate(parse_categories(categories.read_text("utf-8"))):
            await save_category(session, site_id, key, names, position=position)
            report.categories += 1
    synonyms = directory / "_synonyms.yml"
    if synonyms.exists():
        groups = parse_synonym_file(synonyms.read_text("utf-8"))
        await set_synonyms(session, site_id, groups, now)
        report.synonyms = len(groups)
    deferred: list[ToIndex] = []
    for path in sorted(directory.glob("*/*.md")):
        value = parse_article(path.read_text("utf-8"), str(path.relative_to(directory)))
        await save_article(session, site_id, value, now=now, public_origin=public_origin,
                           deferred=deferred)
        report.articles += 1
    await index_articles(session, deferred)
    return report


async def export_directory(session: AsyncSession, site_id: int, directory: Path) -> ImportReport:
    """Write the site's knowledge base in the import format (drafts included)."""
    directory.mkdir(parents=True, exist_ok=True)
    report = ImportReport()
    categories = await list_categories(session, site_id)
    keys = {c.id: c.key for c in categories}
    lines = []
    for category in categories:
        lines.append(f"{category.key}:")
        lines += [f"  {lang}: {name}" for lang, name in category.names.items()]
        report.categories += 1
    (directory / "_categories.yml").write_text("\n".join(lines) + "\n", "utf-8")
    groups = await get_synonyms(session, site_id)
    (directory / "_synonyms.yml").write_text(
        "".join("- [" + ", ".join(g) + "]\n" for g in groups), "utf-8")
    report.synonyms = len(groups)
    for article in await list_articles(session, site_id):
        folder = directory / article.lang
        folder.mkdir(exist_ok=True)
        value = ArticleInput(article.translation_key, article.lang, article.title, article.body,
                             article.tags or [], article.status,
                             keys.get(article.category_id) if article.category_id else None)
        (folder / f"{article.translation_key}.md").write_text(format_article(value), "utf-8")
        report.articles += 1
    return report


async def seed_demo_kb(
    session: AsyncSession, site_id: int, directory: Path, *, now: datetime, public_origin: str = ""
) -> ImportReport | None:
    """The demo's knowledge base: imported once, so staff edits made in the demo are kept."""
    if await list_articles(session, site_id):
        return None
    return await import_directory(session, site_id, directory, now=now, public_origin=public_origin)
