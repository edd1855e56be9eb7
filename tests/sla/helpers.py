"""Shared helpers for the SLA tests: readable instants and a slow, obviously-correct reference."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np

from lead_funnel.sla.clock import WorkingCalendar

UTC = dt.UTC


def ts(text: str) -> np.datetime64:
    """A naive UTC instant, e.g. ``ts("2025-03-07 16:00")``."""
    return np.datetime64(text.replace(" ", "T"), "ns")


def arr(*texts: str) -> np.ndarray:
    """A ``datetime64[ns]`` array; ``"NaT"`` gives a null."""
    return np.array([ts(text) if text != "NaT" else np.datetime64("NaT") for text in texts])


# ----------------------------------------------------------------- reference (per-row, slow)


def _local(calendar: WorkingCalendar, instant: dt.datetime) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(calendar.time_zone)
    return instant.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def _utc(calendar: WorkingCalendar, local: dt.datetime) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(calendar.time_zone)
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC).replace(tzinfo=None)


def _is_working_day(calendar: WorkingCalendar, day: dt.date) -> bool:
    return calendar.weekmask[day.weekday()] == "1" and day not in calendar.holidays


def _window(calendar: WorkingCalendar, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, calendar.work_start)
    end = dt.datetime.combine(day, dt.time()) + dt.timedelta(microseconds=calendar.end_ns / 1000)
    return start, end


def ref_next_working_local(calendar: WorkingCalendar, instant: dt.datetime) -> dt.datetime:
    """The next working minute, as a local wall-clock time."""
    local = _local(calendar, instant)
    start, end = _window(calendar, local.date())
    if _is_working_day(calendar, local.date()) and start <= local < end:
        return local
    if _is_working_day(calendar, local.date()) and local < start:
        return start
    day = local.date() + dt.timedelta(days=1)
    while not _is_working_day(calendar, day):
        day += dt.timedelta(days=1)
    return _window(calendar, day)[0]


def ref_add(calendar: WorkingCalendar, instant: dt.datetime, minutes: int) -> dt.datetime:
    """Walk forward day by day through the working windows (naive UTC result)."""
    local = ref_next_working_local(calendar, instant)
    remaining = dt.timedelta(minutes=minutes)
    while True:
        end = _window(calendar, local.date())[1]
        if remaining <= end - local:
            return _utc(calendar, local + remaining)
        remaining -= end - local
        day = local.date() + dt.timedelta(days=1)
        while not _is_working_day(calendar, day):
            day += dt.timedelta(days=1)
        local = _window(calendar, day)[0]


def ref_between(calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime) -> float:
    """Working hours inside [start, end), summed window by window."""
    if end <= start:
        return 0.0
    local_start, local_end = _local(calendar, start), _local(calendar, end)
    total = dt.timedelta()
    day = local_start.date()
    while day <= local_end.date():
        if _is_working_day(calendar, day):
            open_, close = _window(calendar, day)
            overlap = min(close, local_end) - max(open_, local_start)
            total += max(overlap, dt.timedelta())
        day += dt.timedelta(days=1)
    return total / dt.timedelta(hours=1)
