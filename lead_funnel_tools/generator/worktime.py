"""Time arithmetic for the simulation: int64 seconds since the Unix epoch, UTC.

People work Monday to Friday, 09:00-17:00 in their own time zone. ``add_working_hours`` moves
an instant forward through that working time (a delay of 2 working hours from Friday 16:00
lands on Monday 10:00 local), which is how reps' reaction times are simulated; the instant is
converted to local wall-clock time with a per-day UTC-offset table (daylight saving switches
happen at night, so the day's offset is exact during working hours). Holidays are ignored
here: the pipeline's SLA clock removes them, so a touch on a holiday is simply an off-hours touch.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from lead_funnel_tools.generator.vocab import TIME_ZONES

DAY = 86_400
HOUR = 3_600
MINUTE = 60
WORK_START = 9 * HOUR
WORK_SECONDS = 8 * HOUR
NULL_TIME = np.iinfo(np.int64).min
_EPOCH_MONDAY = np.datetime64("2000-01-03", "D")
_TABLE_FIRST_DAY = int(np.datetime64("1995-01-01", "D").astype(np.int64))
_TABLE_DAYS = 365 * 120

IntArray = npt.NDArray[np.int64]


def to_seconds(day: dt.date | dt.datetime) -> int:
    """Seconds since the epoch of a date (its midnight UTC) or a naive UTC datetime."""
    if isinstance(day, dt.datetime):
        return int(day.replace(tzinfo=dt.UTC).timestamp())
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def to_datetime(seconds: int) -> dt.datetime:
    """The naive UTC datetime of an epoch second."""
    return dt.datetime.fromtimestamp(int(seconds), tz=dt.UTC).replace(tzinfo=None)


@lru_cache(maxsize=1)
def _offset_table() -> IntArray:
    """UTC offsets (seconds) per zone (row) and UTC day (column), sampled at noon UTC."""
    days = pd.date_range("1995-01-01 12:00", periods=_TABLE_DAYS, freq="D", tz="UTC")
    rows = []
    for zone in TIME_ZONES:
        local = days.tz_convert(zone).tz_localize(None)
        rows.append(((local - days.tz_localize(None)).total_seconds()).to_numpy(np.int64))
    return np.stack(rows)


def _offsets(seconds: IntArray, tz: IntArray) -> IntArray:
    day = np.clip(seconds // DAY - _TABLE_FIRST_DAY, 0, _TABLE_DAYS - 1)
    return _offset_table()[tz, day]


def to_local(seconds: IntArray, tz: IntArray) -> IntArray:
    """Local wall-clock seconds of UTC instants in zone codes ``tz``."""
    return seconds + _offsets(seconds, tz)


def to_utc(local: IntArray, tz: IntArray) -> IntArray:
    """UTC instants of local wall-clock seconds in zone codes ``tz``."""
    return local - _offsets(local, tz)


def _position(local: IntArray) -> IntArray:
    """Working seconds since the epoch Monday 09:00 up to a local instant."""
    dates = (local // DAY).astype("datetime64[D]")
    count = np.busday_count(_EPOCH_MONDAY, dates).astype(np.int64)
    within = np.clip(local % DAY - WORK_START, 0, WORK_SECONDS)
    return count * WORK_SECONDS + np.where(np.is_busday(dates), within, 0)


def _from_position(position: IntArray) -> IntArray:
    days = np.busday_offset(_EPOCH_MONDAY, position // WORK_SECONDS, roll="forward")
    return days.astype(np.int64) * DAY + WORK_START + position % WORK_SECONDS


def add_working_hours(seconds: IntArray, hours: npt.ArrayLike, tz: IntArray) -> IntArray:
    """``seconds`` moved ``hours`` working hours forward in the zones ``tz`` (Mon-Fri 9-17)."""
    seconds = np.asarray(seconds, dtype=np.int64)
    tz = np.asarray(tz, dtype=np.int64)
    local = to_local(seconds, tz)
    delta = np.round(np.asarray(hours, dtype=np.float64) * HOUR).astype(np.int64)
    return to_utc(_from_position(_position(local) + delta), tz)


def off_hours(rng: np.random.Generator, seconds: IntArray, share: float) -> IntArray:
    """Move a share of instants to the evening of the same day (work done after hours)."""
    moved = rng.random(len(seconds)) < share
    extra = rng.integers(8 * HOUR, 13 * HOUR, len(seconds))
    return np.where(moved, seconds + extra, seconds)


def day_start(seconds: IntArray) -> IntArray:
    return seconds - seconds % DAY


def week_start(seconds: IntArray) -> IntArray:
    """Monday 00:00 UTC of the week of each instant (1970-01-01 was a Thursday)."""
    return seconds - (seconds // DAY + 3) % 7 * DAY - seconds % DAY
