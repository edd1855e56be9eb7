"""Property tests of the working-hours clock (hypothesis), incl. agreement with a slow reference.

Calendars are drawn with windows between 05:00 and 22:00 so no daylight-saving jump (01:00-03:00
local in the zones drawn) falls inside working time; there the wall-clock and the reference
agree exactly.
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lead_funnel.sla.clock import (
    NS_PER_DAY,
    WorkingCalendar,
    add_working_hours,
    next_working_minute,
    utc_to_local,
    working_hours_between,
)

from .helpers import ref_add, ref_between, ref_next_working_local

ZONES = (
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Pacific/Chatham",
)
RANGE_START = np.datetime64("2024-12-01T00:00", "s")
RANGE_SECONDS = 420 * 86400  # into early 2026: both DST switches of 2025 in every zone
MAX_HOURS = 120.0

# LEAD_FUNNEL_HYPOTHESIS_EXAMPLES raises the example count for a soak run (default: fast).
SETTINGS = settings(
    max_examples=int(os.environ.get("LEAD_FUNNEL_HYPOTHESIS_EXAMPLES", "60")), deadline=None
)


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    """A zone, a window inside 05:00-22:00 (quarter hours), a weekmask, a few 2025 holidays."""
    start_q = draw(st.integers(5 * 4, 14 * 4))
    end_q = draw(st.integers(start_q + 1, 22 * 4))
    mask = draw(st.lists(st.booleans(), min_size=7, max_size=7).filter(any))
    holidays = draw(st.lists(st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), max_size=12))
    return WorkingCalendar(
        draw(st.sampled_from(ZONES)),
        work_start=dt.time(start_q // 4, start_q % 4 * 15),
        work_end=dt.time(end_q // 4, end_q % 4 * 15),
        weekmask="".join("1" if day else "0" for day in mask),
        holidays=tuple(holidays),
    )


instants = st.lists(st.integers(0, RANGE_SECONDS), min_size=1, max_size=30).map(
    lambda seconds: (RANGE_START + np.array(seconds, dtype="timedelta64[s]")).astype(
        "datetime64[ns]"
    )
)
hours_values = st.floats(0, MAX_HOURS, allow_nan=False)


def _local_day_and_tod(calendar: WorkingCalendar, utc: np.ndarray) -> tuple[np.ndarray, ...]:
    local = utc_to_local(calendar.time_zone, utc)
    days = np.floor_divide(local, NS_PER_DAY)
    return days.astype("datetime64[D]"), local - days * NS_PER_DAY


@SETTINGS
@given(calendars(), instants, hours_values)
def test_due_is_a_working_minute_or_a_work_end(
    calendar: WorkingCalendar, starts: np.ndarray, hours: float
) -> None:
    due = add_working_hours(calendar, starts, hours)
    day, tod = _local_day_and_tod(calendar, due)
    working_day = np.is_busday(day, busdaycal=calendar.busdaycalendar)
    inside = (tod >= calendar.start_ns) & (tod < calendar.end_ns)
    assert (working_day & (inside | (tod == calendar.end_ns))).all()


@SETTINGS
@given(calendars(), instants, hours_values)
def test_monotone_in_the_start(calendar: WorkingCalendar, starts: np.ndarray, hours: float) -> None:
    ordered = np.sort(starts)
    due = add_working_hours(calendar, ordered, hours)
    assert (np.diff(due.view("i8")) >= 0).all()


@SETTINGS
@given(calendars(), instants, st.lists(hours_values, min_size=2, max_size=2))
def test_monotone_in_the_hours(
    calendar: WorkingCalendar, starts: np.ndarray, pair: list[float]
) -> None:
    low, high = sorted(pair)
    assert (
        add_working_hours(calendar, starts, low) <= add_working_hours(calendar, starts, high)
    ).all()


@SETTINGS
@given(calendars(), instants)
def test_zero_hours_at_a_working_minute_is_the_identity(
    calendar: WorkingCalendar, starts: np.ndarray
) -> None:
    working = next_working_minute(calendar, starts)
    np.testing.assert_array_equal(add_working_hours(calendar, working, 0.0), working)
    np.testing.assert_array_equal(next_working_minute(calendar, working), working)  # idempotent


@SETTINGS
@given(calendars(), instants, st.lists(hours_values, min_size=30, max_size=30))
def test_hours_between_inverts_add(
    calendar: WorkingCalendar, starts: np.ndarray, hours: list[float]
) -> None:
    working = next_working_minute(calendar, starts)
    per_row = np.array(hours[: starts.shape[0]])
    due = add_working_hours(calendar, working, per_row)
    np.testing.assert_allclose(working_hours_between(calendar, working, due), per_row, atol=1e-6)


@SETTINGS
@given(calendars(), instants, st.integers(0, int(MAX_HOURS * 60)))
def test_agrees_with_the_day_by_day_reference(
    calendar: WorkingCalendar, starts: np.ndarray, minutes: int
) -> None:
    due = add_working_hours(calendar, starts, minutes / 60)
    nxt = next_working_minute(calendar, starts)
    between = working_hours_between(calendar, starts, due)
    for index, start in enumerate(starts.astype("datetime64[us]").tolist()):
        expected_due = ref_add(calendar, start, minutes)
        assert due[index] == np.datetime64(expected_due, "ns")
        local_next = utc_to_local(calendar.time_zone, nxt[index : index + 1])[0]
        expected_local = np.datetime64(ref_next_working_local(calendar, start), "ns")
        assert local_next == expected_local.view("i8")
        assert between[index] == pytest.approx(ref_between(calendar, start, expected_due), abs=1e-9)
