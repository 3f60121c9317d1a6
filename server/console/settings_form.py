"""The site settings form: from a site to form fields, and from a posted form to changes.

Pure functions, no I/O. Each part of the form is checked on its own with the sites service's own
validation, so every mistake is shown beside its field at once rather than one per submit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from helpmenu.console.i18n import N_
from helpmenu.sites.contacts import EMAIL_KINDS
from helpmenu.sites.models import Site
from helpmenu.sites.schedule import DAYS
from helpmenu.sites.service import SiteError, validate_settings

LABEL_MAX = 80
_PLAIN_FIELDS = frozenset({"name", "default_locale"})
_RANGE_SPLIT = re.compile(r"[,;]")
_DASH = re.compile(r"\s*[-\u2013\u2014]\s*")


@dataclass
class PhoneRow:
    country: str = ""
    number: str = ""
    label: str = ""


@dataclass
class EmailRow:
    kind: str = "general"
    address: str = ""


@dataclass
class SettingsForm:
    name: str = ""
    default_locale: str = "en"
    allowed_origins: str = ""
    phones: list[PhoneRow] = field(default_factory=list)
    emails: list[EmailRow] = field(default_factory=list)
    timezone: str = "UTC"
    always_open: bool = True
    days: dict[str, str] = field(default_factory=dict)
    holidays: str = ""


@dataclass(frozen=True)
class FieldError:
    """Why a field was refused: a locale key, and the validator's own words when it has them."""

    key: str
    detail: str = ""


def from_site(site: Site) -> SettingsForm:
    contacts = site.contacts or {}
    schedule = site.schedule or {}
    weekly = schedule.get("weekly")
    return SettingsForm(
        name=site.name,
        default_locale=site.default_locale,
        allowed_origins="\n".join(site.allowed_origins or []),
        phones=[
            PhoneRow(str(p.get("country", "")), str(p.get("number", "")), str(p.get("label", "")))
            for p in contacts.get("phones") or []
        ],
        emails=[
            EmailRow(str(e.get("kind", "general")), str(e.get("address", "")))
            for e in contacts.get("emails") or []
        ],
        timezone=str(schedule.get("timezone") or "UTC"),
        always_open=weekly is None,
        days={
            day: ", ".join(f"{a}-{b}" for a, b in (weekly or {}).get(day, []))
            for day in DAYS
        },
        holidays="\n".join(schedule.get("holidays") or []),
    )


def from_post(form: FormData) -> SettingsForm:
    def text(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    def texts(name: str) -> list[str]:
        return [v if isinstance(v, str) else "" for v in form.getlist(name)]

    phones = [
        PhoneRow(c.strip(), n.strip(), label)
        for c, n, label in zip(
            texts("phone_country"), texts("phone_number"), texts("phone_label"), strict=False
        )
        if c.strip() or n.strip() or label
    ]
    emails = [
        EmailRow(kind, address.strip())
        for kind, address in zip(texts("email_kind"), texts("email_address"), strict=False)
        if address.strip()
    ]
    return SettingsForm(
        name=text("name"),
        default_locale=text("default_locale"),
        allowed_origins=text("allowed_origins"),
        phones=phones,
        emails=emails,
        timezone=text("timezone").strip() or "UTC",
        always_open=text("always_open") == "on",
        days={day: text(f"day_{day}").strip() for day in DAYS},
        holidays=text("holidays"),
    )


def validate(form: SettingsForm) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """The changes for ``update_site``, and the errors by field (changes only when none)."""
    errors: dict[str, FieldError] = {}
    changes: dict[str, Any] = {}

    def check(name: str, key: str, run: Callable[[], Any]) -> Any:
        try:
            return run()
        except SiteError as exc:
            # The validator's words help where they quote the value at fault, not elsewhere.
            detail = "" if name in _PLAIN_FIELDS else str(exc)
            errors[name] = FieldError(key, detail)
            return None

    if "\x00" in form.name:
        errors["name"] = FieldError(N_("settings.error.characters"))
    else:
        changes |= check("name", N_("settings.error.name"),
                         lambda: validate_settings(name=form.name)) or {}
    changes |= check("default_locale", N_("settings.error.default_locale"),
                     lambda: validate_settings(default_locale=form.default_locale)) or {}
    changes |= check("allowed_origins", N_("settings.error.allowed_origins"),
                     lambda: validate_settings(allowed_origins=_lines(form.allowed_origins))) or {}
    phones = [_phone(i, row, errors, check) for i, row in enumerate(form.phones)]
    emails = [_email(i, row, errors, check) for i, row in enumerate(form.emails)]
    changes["contacts"] = {"phones": phones, "emails": emails}
    schedule = _schedule(form, errors, check)
    if errors:
        return {}, errors
    changes["schedule"] = schedule
    return changes, errors


Check = Callable[[str, str, Callable[[], Any]], Any]


def _phone(i: int, row: PhoneRow, errors: dict[str, FieldError], check: Check) -> Any:
    name = f"phones.{i}"
    if "\x00" in row.label:
        errors[name] = FieldError(N_("settings.error.characters"))
        return None
    if len(row.label) > LABEL_MAX:
        errors[name] = FieldError(N_("settings.error.label_length"))
        return None
    raw = {"country": row.country, "number": row.number, "label": row.label}
    values = check(name, N_("settings.error.phone"),
                   lambda: validate_settings(contacts={"phones": [raw]}))
    return values["contacts"]["phones"][0] if values else None


def _email(i: int, row: EmailRow, errors: dict[str, FieldError], check: Check) -> Any:
    raw = {"kind": row.kind, "address": row.address}
    values = check(f"emails.{i}", N_("settings.error.email"),
                   lambda: validate_settings(contacts={"emails": [raw]}))
    return values["contacts"]["emails"][0] if values else None


def _schedule(form: SettingsForm, errors: dict[str, FieldError], check: Check) -> Any:
    check("timezone", N_("settings.error.timezone"),
          lambda: validate_settings(schedule={"timezone": form.timezone}))
    holidays = _lines(form.holidays.replace(",", "\n"))
    check("holidays", N_("settings.error.holidays"),
          lambda: validate_settings(schedule={"holidays": holidays}))
    weekly: dict[str, list[list[str]]] | None = None
    if not form.always_open:
        weekly = {}
        for day in DAYS:
            ranges = _ranges(form.days.get(day, ""))
            if ranges is None:
                errors[f"days.{day}"] = FieldError(N_("settings.error.day_format"))
                continue
            if ranges:
                weekly[day] = ranges
                one_day = {"weekly": {day: ranges}}
                check(f"days.{day}", N_("settings.error.day"),
                      functools.partial(validate_settings, schedule=one_day))
    return {"timezone": form.timezone, "weekly": weekly, "holidays": holidays}


def _ranges(text: str) -> list[list[str]] | None:
    """``"09:00-13:00, 14:00-18:00"`` as pairs; an empty text is a closed day; None if unreadable."""
    pairs = []
    for part in _RANGE_SPLIT.split(text):
        if not part.strip():
            continue
        ends = _DASH.split(part.strip())
        if len(ends) != 2:
            return None
        pairs.append(ends)
    return pairs


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


__all__ = ["EMAIL_KINDS", "EmailRow", "FieldError", "PhoneRow", "SettingsForm"]
