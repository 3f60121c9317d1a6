"""The one nh3 policy: every piece of user-authored HTML goes through `clean_html` before it is
stored or shown. No script, no event handlers, no `javascript:`/`data:` URLs, no svg, math, style
or iframe; links keep their target but get rel="noopener noreferrer nofollow"; images only from
our own origin's FAQ image URLs (the panel's CSP allows images from itself only).
"""

from __future__ import annotations

import re

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
# Removed together with their content, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "svg", "math", "iframe", "object", "embed",
                                  "template", "noscript", "textarea", "select"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_PATH = "/api/faq/images/"
_IMAGE_NAME = re.compile(r"^[A-Za-z0-9_-]{8,64}\.(?:png|jpg|gif|webp)$")


def image_url_allowed(src: str, public_origin: str = "") -> bool:
    """Only our FAQ images: `/api/faq/images/<name>` on this origin, relative or absolute."""
    path = src
    if public_origin and src.startswith(public_origin + "/"):
        path = src[len(public_origin):]
    return path.startswith(IMAGE_PATH) and bool(_IMAGE_NAME.match(path[len(IMAGE_PATH):]))


def clean_html(html: str, public_origin: str = "") -> str:
    """User HTML made safe to show anywhere (widget and console)."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return value if image_url_allowed(value, public_origin) else None
        return value

    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=keep,
    )
