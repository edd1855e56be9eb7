"""Hand-computed working-hours cases. 2025-03-07 is a Friday, 2025-03-10 a Monday."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lead_funnel.sla.clock import (
    CalendarBook,
    WorkingCalendar,
    add_working_hours,
    apply_by_time_zone,
    as_utc_ns,
    effective_time_zones,
    next_working_minute,
    normalise_weekmask,
    parse_time_of_day,
    working_hours_between,
)

from .helpers import arr, ts

UTC_CAL = WorkingCalendar("UTC")
MONDAY_HOLIDAY = WorkingCalendar("UTC", holidays=(dt.date(2025, 3, 10),))
NEW_YORK = WorkingCalendar("America/New_York")
LONDON = WorkingCalendar("Europe/London")


def one_add(calendar: WorkingCalendar, start: str, hours: float) -> np.datetime64:
    return add_working_hours(calendar, arr(start), hours)[0]


def one_next(calendar: WorkingCalendar, start: str) -> np.datetime64:
    return next_working_minute(calendar, arr(start))[0]


def one_between(calendar: WorkingCalendar, start: str, end: str) -> float:
    return float(working_hours_between(calendar, arr(start), arr(end))[0])


# ----------------------------------------------------------------- next working minute


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2025-03-04 10:15", "2025-03-04 10:15"),  # Tuesday inside 09-17: itself
        ("2025-03-04 07:30", "2025-03-04 09:00"),  # before work_start: same day 09:00
        ("2025-03-04 17:30", "2025-03-05 09:00"),  # after work_end: next working day 09:00
        ("2025-03-04 17:00", "2025-03-05 09:00"),  # 17:00 itself is not a working minute
        ("2025-03-04 09:00", "2025-03-04 09:00"),  # 09:00 is
        ("2025-03-08 11:00", "2025-03-10 09:00"),  # Saturday: Monday 09:00
        ("2025-03-07 17:30", "2025-03-10 09:00"),  # Friday evening: Monday 09:00
    ],
)
def test_next_working_minute_utc(start: str, expected: str) -> None:
    assert one_next(UTC_CAL, start) == ts(expected)


def test_next_working_minute_skips_a_holiday() -> None:
    # Monday 2025-03-10 is a holiday: a Saturday start waits until Tuesday 09:00.
    assert one_next(MONDAY_HOLIDAY, "2025-03-08 11:00") == ts("2025-03-11 09:00")
    assert one_next(MONDAY_HOLIDAY, "2025-03-10 10:00") == ts("2025-03-11 09:00")


def test_next_working_minute_uses_the_local_date() -> None:
    # 2025-03-08 04:30Z is Friday 23:30 EST: local is after hours -> Monday 09:00 EDT (13:00Z,
    # the clocks went forward on Sunday 2025-03-09).
    assert one_next(NEW_YORK, "2025-03-08 04:30") == ts("2025-03-10 13:00")
    # 2025-03-02 23:00Z is Monday 08:00 JST -> Monday 09:00 JST = Monday 00:00Z.
    tokyo = WorkingCalendar("Asia/Tokyo")
    assert one_next(tokyo, "2025-03-02 23:00") == ts("2025-03-03 00:00")
    # 2025-03-03 00:30Z is Monday 09:30 JST: a working minute, unchanged.
    assert one_next(tokyo, "2025-03-03 00:30") == ts("2025-03-03 00:30")


# ----------------------------------------------------------------- add working hours (UTC)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # Friday 16:00 + 2 h: Fri 16-17 (1 h) + Mon 09-10 (1 h) -> Monday 10:00.
        ("2025-03-07 16:00", 2, "2025-03-10 10:00"),
        # Saturday start: the clock starts Monday 09:00; + 1 h -> Monday 10:00.
        ("2025-03-08 11:00", 1, "2025-03-10 10:00"),
        # 07:30 starts at 09:00 the same day; + 3 h -> 12:00.
        ("2025-03-04 07:30", 3, "2025-03-04 12:00"),
        # 17:30 Tuesday starts Wednesday 09:00; + 8 h -> Wednesday 17:00.
        ("2025-03-04 17:30", 8, "2025-03-05 17:00"),
        # 8 h from Monday 09:00 ends Monday 17:00 (end-of-day convention), not Tuesday 09:00.
        ("2025-03-03 09:00", 8, "2025-03-03 17:00"),
        # 16 h from Monday 09:00 -> Tuesday 17:00; 8.5 h -> Tuesday 09:30.
        ("2025-03-03 09:00", 16, "2025-03-04 17:00"),
        ("2025-03-03 09:00", 8.5, "2025-03-04 09:30"),
        # Fractional: 0.5 h from 09:00 -> 09:30; from 16:45 -> 15 min today + 15 min Tue.
        ("2025-03-03 09:00", 0.5, "2025-03-03 09:30"),
        ("2025-03-03 16:45", 0.5, "2025-03-04 09:15"),
        # 40 h = a whole working week: Monday 10:00 -> next Monday 10:00.
        ("2025-03-03 10:00", 40, "2025-03-10 10:00"),
        # Zero hours from a non-working minute = the next working minute.
        ("2025-03-08 11:00", 0, "2025-03-10 09:00"),
    ],
)
def test_add_working_hours_utc(start: str, hours: float, expected: str) -> None:
    assert one_add(UTC_CAL, start, hours) == ts(expected)


def test_zero_hours_from_a_working_minute_is_the_identity() -> None:
    start = np.array(["2025-03-04T10:17:23.123456789"], dtype="datetime64[ns]")
    assert add_working_hours(UTC_CAL, start, 0)[0] == start[0]


def test_add_working_hours_skips_a_holiday() -> None:
    # Monday 2025-03-10 is a holiday: Friday 16:00 + 2 h = Fri 16-17 + Tue 09-10 -> Tuesday 10:00.
    assert one_add(MONDAY_HOLIDAY, "2025-03-07 16:00", 2) == ts("2025-03-11 10:00")


def test_add_working_hours_per_row_hours_and_nulls() -> None:
    starts = arr("2025-03-03 09:00", "NaT", "2025-03-03 09:00", "2025-03-03 09:00")
    hours = np.array([1.0, 1.0, np.nan, 0.25])
    result = add_working_hours(UTC_CAL, starts, hours)
    # 09:00 + 1 h = 10:00; NaT start -> NaT; NaN hours -> NaT; + 15 min = 09:15.
    expected = arr("2025-03-03 10:00", "NaT", "NaT", "2025-03-03 09:15")
    np.testing.assert_array_equal(result, expected)


def test_add_working_hours_rejects_negative_hours() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        add_working_hours(UTC_CAL, arr("2025-03-03 09:00"), -1)


# ----------------------------------------------------------------- daylight-saving switches


def test_new_york_across_march_switch() -> None:
    # Fri 2025-03-07 15:00 EST (UTC-5) = 20:00Z. + 4 h: Fri 15-17 (2 h) + Mon 09-11 (2 h)
    # -> Mon 2025-03-10 11:00 EDT (UTC-4, clocks went forward Sun 03-09) = 15:00Z.
    assert one_add(NEW_YORK, "2025-03-07 20:00", 4) == ts("2025-03-10 15:00")
    # The working day starts at 09:00 local on both sides: Fri 14:00Z, Mon 13:00Z.
    assert one_next(NEW_YORK, "2025-03-07 12:00") == ts("2025-03-07 14:00")
    assert one_next(NEW_YORK, "2025-03-09 12:00") == ts("2025-03-10 13:00")
    # 20:00Z Fri -> 15:00Z Mon is 67 real hours but 4 working hours.
    assert one_between(NEW_YORK, "2025-03-07 20:00", "2025-03-10 15:00") == 4.0


def test_new_york_across_november_switch() -> None:
    # Fri 2025-10-31 15:00 EDT (UTC-4) = 19:00Z. + 4 h -> Mon 2025-11-03 11:00 EST (UTC-5,
    # clocks went back Sun 11-02) = 16:00Z.
    assert one_add(NEW_YORK, "2025-10-31 19:00", 4) == ts("2025-11-03 16:00")
    # + 10 h -> Fri 2 h + Mon 8 h -> Mon 17:00 EST = 22:00Z.
    assert one_add(NEW_YORK, "2025-10-31 19:00", 10) == ts("2025-11-03 22:00")
    assert one_between(NEW_YORK, "2025-10-31 19:00", "2025-11-03 16:00") == 4.0


def test_london_across_march_switch() -> None:
    # Fri 2025-03-28 16:00 GMT = 16:00Z. + 2 h: Fri 16-17 + Mon 09-10 -> Mon 2025-03-31 10:00 BST
    # (UTC+1 from Sun 03-30) = 09:00Z.
    assert one_add(LONDON, "2025-03-28 16:00", 2) == ts("2025-03-31 09:00")
    assert one_between(LONDON, "2025-03-28 16:00", "2025-03-31 09:00") == 2.0


def test_london_across_october_switch() -> None:
    # Fri 2025-10-24 16:00 BST = 15:00Z. + 2 h -> Mon 2025-10-27 10:00 GMT (from Sun 10-26)
    # = 10:00Z.
    assert one_add(LONDON, "2025-10-24 15:00", 2) == ts("2025-10-27 10:00")
    assert one_between(LONDON, "2025-10-24 15:00", "2025-10-27 10:00") == 2.0


def test_nonexistent_and_ambiguous_local_times_do_not_crash() -> None:
    # A night shift calendar whose window starts inside the DST jumps (every day works).
    night = WorkingCalendar(
        "America/New_York", work_start=dt.time(2, 0), work_end=dt.time(10, 0), weekmask="1111111"
    )
    # Sun 2025-03-09 06:30Z = 01:30 EST; 02:00 does not exist that night -> shifted forward to
    # 03:00 EDT = 07:00Z.
    assert one_next(night, "2025-03-09 06:30") == ts("2025-03-09 07:00")
    early = WorkingCalendar(
        "America/New_York", work_start=dt.time(1, 0), work_end=dt.time(10, 0), weekmask="1111111"
    )
    # Sun 2025-11-02 04:30Z = 00:30 EDT; 01:00 happens twice -> the earlier, 01:00 EDT = 05:00Z.
    assert one_next(early, "2025-11-02 04:30") == ts("2025-11-02 05:00")
    # + 2 wall-clock working hours from 01:00 (EDT) -> 03:00 EST = 08:00Z.
    assert one_add(early, "2025-11-02 04:30", 2) == ts("2025-11-02 08:00")


# ----------------------------------------------------------------- working hours between


@pytest.mark.parametrize(
    ("calendar", "start", "end", "hours"),
    [
        # Fri 15:00 -> Tue 11:00 across a weekend: Fri 2 + Mon 8 + Tue 2 = 12 h.
        (UTC_CAL, "2025-03-07 15:00", "2025-03-11 11:00", 12.0),
        # ... and with Monday a holiday: Fri 2 + Tue 2 = 4 h.
        (MONDAY_HOLIDAY, "2025-03-07 15:00", "2025-03-11 11:00", 4.0),
        # A whole day from before to after the window counts its 8 h.
        (UTC_CAL, "2025-03-03 06:00", "2025-03-03 20:00", 8.0),
        # Saturday to Sunday: nothing.
        (UTC_CAL, "2025-03-08 10:00", "2025-03-09 16:00", 0.0),
        # end <= start: 0.
        (UTC_CAL, "2025-03-04 12:00", "2025-03-03 12:00", 0.0),
        (UTC_CAL, "2025-03-04 12:00", "2025-03-04 12:00", 0.0),
        # Half an hour: 16:30 -> 17:00.
        (UTC_CAL, "2025-03-04 16:30", "2025-03-04 17:45", 0.5),
    ],
)
def test_working_hours_between(
    calendar: WorkingCalendar, start: str, end: str, hours: float
) -> None:
    assert one_between(calendar, start, end) == pytest.approx(hours, abs=1e-9)


def test_working_hours_between_nulls_give_nan() -> None:
    result = working_hours_between(
        UTC_CAL, arr("NaT", "2025-03-03 09:00"), arr("2025-03-03", "NaT")
    )
    assert np.isnan(result).all()


# ----------------------------------------------------------------- inputs and calendars


def test_inputs_of_other_units_and_pandas_types() -> None:
    # datetime64[us] Series, tz-aware Series (converted to UTC) and lists of datetimes all work.
    naive = pd.Series(pd.to_datetime(["2025-03-08 11:00", None])).astype("datetime64[us]")
    aware = pd.Series(pd.to_datetime(["2025-03-08 06:00"]).tz_localize("America/New_York"))
    expected = np.array([ts("2025-03-10 09:00"), np.datetime64("NaT")])
    np.testing.assert_array_equal(next_working_minute(UTC_CAL, naive), expected)
    # 06:00 EST = 11:00Z Saturday -> Monday 09:00Z.
    assert next_working_minute(UTC_CAL, aware)[0] == ts("2025-03-10 09:00")
    assert next_working_minute(UTC_CAL, [dt.datetime(2025, 3, 8, 11)])[0] == ts("2025-03-10 09:00")
    assert next_working_minute(UTC_CAL, np.array([], dtype="datetime64[ns]")).shape == (0,)
    # Out of the ns range (a '9999-12-31' sentinel) becomes NaT, not an overflow.
    far = np.array(["9999-12-31T00:00"], dtype="datetime64[s]")
    assert np.isnat(as_utc_ns(far)[0])


def test_calendar_validation_and_parsing() -> None:
    assert WorkingCalendar("Not/AZone").time_zone == "UTC"
    assert WorkingCalendar(None).time_zone == "UTC"  # type: ignore[arg-type]
    assert normalise_weekmask(111110) == "0111110"  # a CSV seed lost the leading zero
    assert normalise_weekmask("Mon Tue Wed Thu Fri") == "1111100"
    assert parse_time_of_day("09:30") == dt.time(9, 30)
    assert parse_time_of_day("17:00:00") == dt.time(17, 0)
    with pytest.raises(ValueError, match="after work_start"):
        WorkingCalendar("UTC", work_start=dt.time(17), work_end=dt.time(9))
    with pytest.raises(ValueError, match="at least one"):
        WorkingCalendar("UTC", weekmask="0000000")


def test_calendar_book_from_seed_frames() -> None:
    business_hours = pd.DataFrame(
        {
            "time_zone": ["*", "Asia/Tokyo"],
            "work_start": ["09:00", "09:30"],
            "work_end": ["17:00", "18:00"],
            "weekmask": ["1111100", "1111110"],
        }
    )
    holidays = pd.DataFrame(
        {
            "holiday_date": ["2025-12-25", "2025-05-26"],
            "holiday_name": ["Christmas", "Spring bank holiday"],
            "time_zone": [None, "Europe/London"],
        }
    )
    book = CalendarBook.from_frames(business_hours, holidays)
    london = book.for_zone("Europe/London")
    assert london.holidays == (dt.date(2025, 5, 26), dt.date(2025, 12, 25))
    assert book.for_zone("America/New_York").holidays == (dt.date(2025, 12, 25),)
    tokyo = book.for_zone("Asia/Tokyo")
    assert (tokyo.work_start, tokyo.work_end, tokyo.weekmask) == (
        dt.time(9, 30),
        dt.time(18),
        "1111110",
    )
    assert book.for_zone(None).time_zone == "UTC"
    assert book.for_zone("Bogus") is book.for_zone("UTC")


def test_apply_by_time_zone_keeps_row_order() -> None:
    # Same UTC instant (Sat 2025-03-08 12:00Z) in three zones, interleaved, plus a null zone.
    zones = pd.Series(["America/New_York", "Asia/Tokyo", None, "America/New_York", "Nope/Zone"])
    starts = np.full(5, ts("2025-03-08 12:00"))
    result = apply_by_time_zone(next_working_minute, zones, CalendarBook(), starts)
    new_york_monday = ts("2025-03-10 13:00")  # Mon 09:00 EDT
    tokyo_monday = ts("2025-03-10 00:00")  # Mon 09:00 JST
    utc_monday = ts("2025-03-10 09:00")
    expected = [new_york_monday, tokyo_monday, utc_monday, new_york_monday, utc_monday]
    np.testing.assert_array_equal(result, np.array(expected))
    assert list(effective_time_zones(zones)) == [
        "America/New_York",
        "Asia/Tokyo",
        "UTC",
        "America/New_York",
        "UTC",
    ]
    hours = apply_by_time_zone(
        working_hours_between, zones, CalendarBook(), starts, result, dtype=np.float64
    )
    np.testing.assert_array_equal(hours, np.zeros(5))
    assert apply_by_time_zone(next_working_minute, [], CalendarBook(), starts[:0]).shape == (0,)


def test_a_million_rows_is_fast() -> None:
    # Vectorised: 1M starts across a year in one zone in well under the 2 s budget per call.
    rng = np.random.default_rng(1)
    starts = np.datetime64("2025-01-01", "ns") + rng.integers(0, 365 * 86400, 1_000_000).astype(
        "timedelta64[s]"
    )
    due = add_working_hours(NEW_YORK, starts, 8.0)
    assert not np.isnat(due).any()
    assert (working_hours_between(NEW_YORK, next_working_minute(NEW_YORK, starts), due) == 8).all()
