"""Support hours: one structured schedule that the contacts view and chat routing both read.

Pure functions, no I/O. A schedule looks like::

    {"timezone": "Europe/Kyiv",
     "weekly": {"mon": [["09:00", "18:00"]], "sat": [["10:00", "14:00"]]},
     "holidays": ["2026-12-25"]}

``weekly`` absent or null means open around the clock (seed 004's 24/7), holidays aside; a day
missing from ``weekly`` is a closed day. Ranges are local wall-clock times; "24:00" ends a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ScheduleError(ValueError):
    """The schedule given is not valid; the message says why, for the person who typed it."""


@dataclass(frozen=True)
class Schedule:
    timezone: str
    weekly: dict[str, tuple[tuple[int, int], ...]] | None  # minutes since midnight
    holidays: frozenset[date]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def parse_schedule(raw: dict[str, Any] | None) -> Schedule:
    raw = raw or {}
    if not isinstance(raw, dict):
        raise ScheduleError("schedule must be an object")
    tz = raw.get("timezone") or "UTC"
    try:
        ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"unknown time zone: {tz}") from None
    weekly_raw = raw.get("weekly")
    weekly: dict[str, tuple[tuple[int, int], ...]] | None = None
    if weekly_raw is not None:
        if not isinstance(weekly_raw, dict):
            raise ScheduleError("weekly must map days (mon..sun) to lists of [from, to] times")
        weekly = {}
        for day, ranges in weekly_raw.items():
            if day not in DAYS:
                raise ScheduleError(f"unknown day {day!r}: use one of {', '.join(DAYS)}")
            weekly[day] = _parse_ranges(day, ranges)
    holidays: set[date] = set()
    for item in raw.get("holidays") or []:
        try:
            holidays.add(date.fromisoformat(str(item)))
        except ValueError:
            raise ScheduleError(f"holiday {item!r} is not a date (YYYY-MM-DD)") from None
    return Schedule(str(tz), weekly, frozenset(holidays))


def dump_schedule(schedule: Schedule) -> dict[str, Any]:
    """The canonical JSON form, as stored and as sent to the panel."""
    weekly = None
    if schedule.weekly is not None:
        weekly = {
            day: [[_fmt(a), _fmt(b)] for a, b in schedule.weekly[day]]
            for day in DAYS
            if day in schedule.weekly
        }
    return {
        "timezone": schedule.timezone,
        "weekly": weekly,
        "holidays": sorted(d.isoformat() for d in schedule.holidays),
    }


def is_open(schedule: Schedule, now: datetime) -> bool:
    """Whether support is working at the instant ``now`` (timezone-aware)."""
    local = now.astimezone(schedule.zone)
    if local.date() in schedule.holidays:
        return False
    if schedule.weekly is None:
        return True
    minute = local.hour * 60 + local.minute
    ranges = schedule.weekly.get(DAYS[local.weekday()], ())
    return any(start <= minute < end for start, end in ranges)


def next_opening(schedule: Schedule, now: datetime, horizon_days: int = 21) -> datetime | None:
    """The next instant support opens, in UTC; ``now`` itself when open; None if never soon."""
    if is_open(schedule, now):
        return now.astimezone(UTC)
    zone = schedule.zone
    local = now.astimezone(zone)
    for offset in range(horizon_days + 1):
        day = local.date() + timedelta(days=offset)
        if day in schedule.holidays:
            continue
        if schedule.weekly is None:
            starts = [0]
        else:
            starts = [start for start, _ in schedule.weekly.get(DAYS[day.weekday()], ())]
        for start in sorted(starts):
            candidate = datetime.combine(day, time(start // 60, start % 60), zone)
            if candidate > local:
                return candidate.astimezone(UTC)
    return None


def _parse_ranges(day: str, ranges: object) -> tuple[tuple[int, int], ...]:
    if not isinstance(ranges, list):
        raise ScheduleError(f"{day}: expected a list of [from, to] pairs")
    parsed: list[tuple[int, int]] = []
    for pair in ranges:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ScheduleError(f"{day}: each range is a pair like [\"09:00\", \"18:00\"]")
        start, end = _minutes(day, pair[0]), _minutes(day, pair[1])
        if start >= end:
            raise ScheduleError(f"{day}: {pair[0]} is not before {pair[1]}")
        parsed.append((start, end))
    parsed.sort()
    for (_, prev_end), (start, _) in pairwise(parsed):
        if start < prev_end:
            raise ScheduleError(f"{day}: ranges overlap")
    return tuple(parsed)


def _minutes(day: str, value: object) -> int:
    text = str(value)
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise ScheduleError(f"{day}: {text!r} is not a time like 09:30")
    total = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or total > 24 * 60:
        raise ScheduleError(f"{day}: {text!r} is not a time of day")
    return total


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
