from datetime import UTC, datetime

import pytest

from helpmenu.sites.schedule import (
    ScheduleError,
    dump_schedule,
    is_open,
    next_opening,
    parse_schedule,
)

KYIV = {
    "timezone": "Europe/Kyiv",
    "weekly": {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], "sat": [["10:00", "24:00"]]},
    "holidays": ["2026-12-28"],
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-23T09:00:00+02:00", True),  # Monday, opening minute
        ("2026-11-23T08:59:00+02:00", False),
        ("2026-11-23T13:30:00+02:00", False),  # lunch break
        ("2026-11-23T17:59:00+02:00", True),
        ("2026-11-23T18:00:00+02:00", False),  # ranges are half-open
        ("2026-11-24T10:00:00+02:00", False),  # Tuesday is missing: closed
        ("2026-11-28T23:59:00+02:00", True),  # "24:00" ends the day
        ("2026-12-28T10:00:00+02:00", False),  # a Monday, but a holiday
        ("2026-11-23T07:30:00+00:00", True),  # UTC instant that is 09:30 in Kyiv
    ],
)
def test_is_open_reads_local_wall_clock(moment: str, expected: bool) -> None:
    assert is_open(parse_schedule(KYIV), at(moment)) is expected


def test_summer_time_shifts_the_utc_opening() -> None:
    schedule = parse_schedule({"timezone": "Europe/Kyiv", "weekly": {"mon": [["09:00", "10:00"]]}})
    assert is_open(schedule, at("2026-07-06T06:30:00+00:00"))  # 09:30 EEST (UTC+3)
    assert not is_open(schedule, at("2026-12-07T06:30:00+00:00"))  # 08:30 EET (UTC+2)


def test_no_weekly_means_around_the_clock_except_holidays() -> None:
    schedule = parse_schedule({"timezone": "UTC", "holidays": ["2026-12-25"]})
    assert is_open(schedule, at("2026-12-24T03:00:00+00:00"))
    assert not is_open(schedule, at("2026-12-25T12:00:00+00:00"))
    assert next_opening(schedule, at("2026-12-25T12:00:00+00:00")) == at("2026-12-26T00:00:00+00:00")


def test_next_opening_skips_closed_days_and_holidays() -> None:
    schedule = parse_schedule(KYIV)
    # Sunday evening -> Monday 09:00 Kyiv, which is 07:00 UTC in winter.
    assert next_opening(schedule, at("2026-11-22T20:00:00+02:00")) == at("2026-11-23T07:00:00+00:00")
    # During lunch -> 14:00 the same day.
    assert next_opening(schedule, at("2026-11-23T13:10:00+02:00")) == at("2026-11-23T12:00:00+00:00")
    # Monday 28 December is a holiday -> Saturday 2 January 10:00.
    assert next_opening(schedule, at("2026-12-27T23:00:00+02:00")) == at("2027-01-02T08:00:00+00:00")
    now = at("2026-11-23T10:00:00+02:00")
    assert next_opening(schedule, now) == now


def test_never_open_has_no_next_opening() -> None:
    schedule = parse_schedule({"timezone": "UTC", "weekly": {}})
    assert next_opening(schedule, at("2026-11-23T10:00:00+00:00")) is None


def test_dump_is_canonical_and_round_trips() -> None:
    dumped = dump_schedule(parse_schedule(KYIV))
    assert dumped["weekly"] == {"mon": [["09:00", "13:00"], ["14:00", "18:00"]],
                                "sat": [["10:00", "24:00"]]}
    assert dump_schedule(parse_schedule(dumped)) == dumped


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"weekly": {"monday": []}}, "unknown day"),
        ({"weekly": {"mon": [["18:00", "09:00"]]}}, "is not before"),
        ({"weekly": {"mon": [["9", "10:00"]]}}, "is not a time"),
        ({"weekly": {"mon": [["09:00", "25:00"]]}}, "is not a time of day"),
        ({"weekly": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}, "overlap"),
        ({"weekly": {"mon": "09-18"}}, "list"),
        ({"weekly": {"mon": [["09:00"]]}}, "pair"),
        ({"holidays": ["25.12.2026"]}, "is not a date"),
        ({"weekly": ["mon"]}, "weekly must map"),
    ],
)
def test_bad_schedules_say_why(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(raw)
