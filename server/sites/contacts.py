"""Support contacts shown when a user cannot log in (seed 004): phones per country, e-mails per kind."""

from __future__ import annotations

import re
from typing import Any

EMAIL_KINDS = ("general", "billing", "services", "technical", "sales")
_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class ContactsError(ValueError):
    """The contacts given are not valid; the message says which entry and why."""


def parse_contacts(raw: dict[str, Any] | None) -> dict[str, Any]:
    """Validate and normalise contacts: phones are stored in E.164 form (+380443900014)."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise ContactsError("contacts must be an object with phones and emails")
    phones = []
    for i, item in enumerate(raw.get("phones") or []):
        if not isinstance(item, dict):
            raise ContactsError(f"phone {i + 1}: expected an object")
        number = normalise_phone(str(item.get("number", "")))
        if number is None:
            raise ContactsError(f"phone {i + 1}: {item.get('number')!r} is not a phone number")
        country = str(item.get("country", "")).upper()
        if not _COUNTRY.match(country):
            raise ContactsError(f"phone {i + 1}: country must be a two-letter code like UA")
        phones.append({"country": country, "number": number, "label": _label(i, item)})
    emails = []
    for i, item in enumerate(raw.get("emails") or []):
        if not isinstance(item, dict):
            raise ContactsError(f"e-mail {i + 1}: expected an object")
        kind = str(item.get("kind", "general"))
        if kind not in EMAIL_KINDS:
            raise ContactsError(f"e-mail {i + 1}: kind must be one of {', '.join(EMAIL_KINDS)}")
        address = str(item.get("address", "")).strip()
        if not _EMAIL.match(address):
            raise ContactsError(f"e-mail {i + 1}: {address!r} is not an e-mail address")
        emails.append({"kind": kind, "address": address})
    return {"phones": phones, "emails": emails}


def normalise_phone(text: str) -> str | None:
    """Strictly check a phone number, allowing the spaces, dashes and brackets people type."""
    compact = re.sub(r"[\s\-().]", "", text.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    return compact if _PHONE.match(compact) else None


def _label(index: int, item: dict[str, Any]) -> str:
    label = str(item.get("label") or "")
    if len(label) > 80:
        raise ContactsError(f"phone {index + 1}: the label is over 80 characters")
    if "\x00" in label:
        raise ContactsError(f"phone {index + 1}: the label cannot contain NUL characters")
    return label
