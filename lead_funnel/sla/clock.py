"""The SLA working-hours clock: vectorised working-time arithmetic in local wall-clock time.

Rules (contract section 2, "Working-hours clock"):

* A working calendar is a time zone, a working window ``work_start``-``work_end`` in local
  wall-clock time (default 09:00-17:00), a weekmask (default Monday to Friday) and a set of
  holiday dates (local dates). A *working minute* is an instant whose local time ``t`` on a
  working day satisfies ``work_start <= t < work_end``.
* A clock that starts outside working time starts at the next working minute.
* Adding N working hours walks forward through the working windows only. A result that lands
  exactly on the end of a window is that day's ``work_end`` (8 hours from Monday 09:00 is
  Monday 17:00, not Tuesday 09:00). Zero hours from a working minute is the identity.
* The arithmetic is done in local wall-clock time, so a working day is 09:00-17:00 local on
  both sides of a daylight-saving switch. Local times are converted back to UTC with
  ``nonexistent='shift_forward'`` and ambiguous times resolve to the earlier instant.
* An unknown, empty or null time zone means UTC.

Dtype convention: every function takes naive UTC instants as anything
``numpy.asarray``/pandas can read (``numpy.datetime64`` arrays of any unit, pandas Series or
DatetimeIndex, lists of ``datetime``; tz-aware pandas values are converted to UTC) and returns
a numpy array: ``datetime64[ns]`` (naive UTC) for instants, ``float64`` for hours.
Null instants (NaT) propagate as NaT (NaN for hours). Instants outside the ``datetime64[ns]``
range (before 1677 or after 2262) are treated as NaT.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

NS_PER_MINUTE = 60 * 10**9
NS_PER_HOUR = 3600 * 10**9
NS_PER_DAY = 24 * NS_PER_HOUR
NAT_I8 = np.iinfo(np.int64).min

DEFAULT_WORK_START = dt.time(9, 0)
DEFAULT_WORK_END = dt.time(17, 0)
DEFAULT_WEEKMASK = "1111100"
UTC = "UTC"

InstantArray = npt.NDArray[np.datetime64]
FloatArray = npt.NDArray[np.float64]
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --------------------------------------------------------------------------- parsing helpers


@functools.lru_cache(maxsize=1024)
def _normalise_zone_name(name: str) -> str:
    """Return ``name`` if it is a known IANA zone, else ``UTC``."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        return UTC
    return name


def normalise_time_zone(name: object) -> str:
    """The zone a clock runs in: the IANA name when it is known, ``UTC`` when unknown/empty/null."""
    if not isinstance(name, str) or not name.strip():
        return UTC
    return _normalise_zone_name(name.strip())


def parse_time_of_day(value: object) -> dt.time:
    """Read a local wall-clock time given as ``datetime.time``, ``'HH:MM'``, ``'HH:MM:SS'``,
    a ``Timedelta`` since midnight, or ``'24:00'`` (the end of the day)."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, (pd.Timedelta, dt.timedelta)):
        seconds = int(pd.Timedelta(value).total_seconds())
        if seconds == 24 * 3600:
            return dt.time.max
        return (dt.datetime.min + dt.timedelta(seconds=seconds)).time()
    if isinstance(value, str):
        text = value.strip()
        if text in {"24:00", "24:00:00"}:
            return dt.time.max
        return dt.time.fromisoformat(text)
    raise ValueError(f"cannot read a time of day from {value!r}")


def normalise_weekmask(value: object) -> str:
    """A weekmask as numpy's seven ``0``/``1`` characters, Monday first.

    Accepts ``'1111100'``, day names (``'Mon Tue Wed Thu Fri'``) and an integer that lost its
    leading zeros on the way through a CSV seed (``111110`` is ``'0111110'``)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = str(int(value)).zfill(7)
    if not isinstance(value, str):
        raise ValueError(f"cannot read a weekmask from {value!r}")
    text = value.strip()
    if text.isdigit() and len(text) < 7:
        text = text.zfill(7)
    if len(text) == 7 and set(text) <= {"0", "1"}:
        mask = text
    else:
        names = {part[:3].title() for part in text.replace(",", " ").split()}
        if not names or not names <= set(_DAY_NAMES):
            raise ValueError(f"cannot read a weekmask from {value!r}")
        mask = "".join("1" if day in names else "0" for day in _DAY_NAMES)
    if "1" not in mask:
        raise ValueError("a weekmask needs at least one working day")
    return mask


def _time_to_ns(value: dt.time) -> int:
    """Nanoseconds since local midnight; ``time.max`` counts as 24:00."""
    if value == dt.time.max:
        return NS_PER_DAY
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    return seconds * 10**9 + value.microsecond * 1000


# --------------------------------------------------------------------------- the calendar


@dataclass(frozen=True)
class WorkingCalendar:
    """One zone's working time: local window ``[work_start, work_end)`` on the weekmask's days,
    minus ``holidays`` (local dates). ``work_end`` must be after ``work_start`` (no overnight
    windows); ``datetime.time.max`` stands for 24:00."""

    time_zone: str = UTC
    work_start: dt.time = DEFAULT_WORK_START
    work_end: dt.time = DEFAULT_WORK_END
    weekmask: str = DEFAULT_WEEKMASK
    holidays: tuple[dt.date, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "time_zone", normalise_time_zone(self.time_zone))
        object.__setattr__(self, "weekmask", normalise_weekmask(self.weekmask))
        object.__setattr__(self, "holidays", tuple(sorted(set(self.holidays))))
        if self.start_ns >= self.end_ns:
            raise ValueError(f"work_end {self.work_end} must be after work_start {self.work_start}")

    @property
    def start_ns(self) -> int:
        """Start of the working window, in ns since local midnight."""
        return _time_to_ns(self.work_start)

    @property
    def end_ns(self) -> int:
        """End of the working window, in ns since local midnight."""
        return _time_to_ns(self.work_end)

    @property
    def window_ns(self) -> int:
        """Length of one working day, in ns."""
        return self.end_ns - self.start_ns

    @property
    def busdaycalendar(self) -> np.busdaycalendar:
        """The numpy business-day calendar (weekmask + holidays), cached per calendar."""
        return _busdaycalendar(self.weekmask, self.holidays)


@functools.lru_cache(maxsize=256)
def _busdaycalendar(weekmask: str, holidays: tuple[dt.date, ...]) -> np.busdaycalendar:
    return np.busdaycalendar(weekmask=weekmask, holidays=np.array(holidays, dtype="datetime64[D]"))


# --------------------------------------------------------------------------- array conversion


def as_utc_ns(values: object) -> InstantArray:
    """Naive UTC ``datetime64[ns]`` numpy array from any array-like of instants (see module doc)."""
    if isinstance(values, (pd.Series, pd.Index)):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            index = pd.DatetimeIndex(values)
            values = index.tz_convert(UTC).tz_localize(None)
        array = np.asarray(values.to_numpy())
    else:
        array = np.asarray(values)
    if array.dtype.kind != "M":
        if array.size == 0:
            return np.empty(array.shape, dtype="datetime64[ns]")
        converted = pd.to_datetime(pd.Series(array.ravel()), utc=True, errors="coerce")
        array = converted.dt.tz_localize(None).to_numpy().reshape(array.shape)
    unit, _ = np.datetime_data(array.dtype)
    if unit == "ns":
        return array.astype("datetime64[ns]", copy=False)
    return _rescale_to_ns(array, unit)


def _rescale_to_ns(array: np.ndarray, unit: str) -> InstantArray:
    """Convert a coarser/finer datetime64 array to ns; out-of-range values become NaT."""
    raw = array.view("i8") if array.dtype.itemsize == 8 else array.astype("i8")
    per_unit = np.timedelta64(1, unit) / np.timedelta64(1, "ns")
    valid = raw != NAT_I8
    as_float = raw.astype(np.float64) * per_unit
    in_range = valid & (as_float > NAT_I8 + 1) & (as_float < np.iinfo(np.int64).max)
    out = np.full(raw.shape, NAT_I8, dtype=np.int64)
    if per_unit >= 1:
        out[in_range] = raw[in_range] * int(per_unit)
    else:
        out[in_range] = raw[in_range] // round(1 / per_unit)
    return out.view("datetime64[ns]")


def _hours_to_ns(hours: object, size: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Hours (scalar or array, fractional, >= 0) as int64 ns and a validity mask (NaN = invalid)."""
    values = np.asarray(hours, dtype=np.float64)
    values = np.broadcast_to(values, (size,)) if values.ndim == 0 else values.ravel()
    if values.shape != (size,):
        raise ValueError(f"hours has {values.shape[0]} values for {size} instants")
    valid = np.isfinite(values)
    if np.any(values[valid] < 0):
        raise ValueError("working hours to add must be >= 0")
    ns = np.zeros(size, dtype=np.int64)
    ns[valid] = np.rint(values[valid] * NS_PER_HOUR).astype(np.int64)
    return ns, valid


# --------------------------------------------------------------------------- local time


def utc_to_local(time_zone: str, utc: InstantArray) -> npt.NDArray[np.int64]:
    """Local wall-clock time (as int64 ns since the local epoch) of naive UTC instants."""
    if time_zone == UTC:
        return utc.view("i8")
    local = pd.DatetimeIndex(utc).tz_localize(UTC).tz_convert(time_zone).tz_localize(None)
    return np.asarray(local.asi8)


def local_to_utc(time_zone: str, local_i8: npt.NDArray[np.int64]) -> InstantArray:
    """Naive UTC instants of local wall-clock times (int64 ns). A time skipped by a
    daylight-saving jump moves forward to the first valid instant; a repeated time takes the
    earlier of its two instants."""
    local = local_i8.view("datetime64[ns]")
    if time_zone == UTC:
        return local.copy()
    earlier = np.ones(local.shape, dtype=bool)  # True = the DST reading = the earlier instant
    aware = pd.DatetimeIndex(local).tz_localize(
        time_zone, ambiguous=earlier, nonexistent="shift_forward"
    )
    return np.asarray(aware.tz_convert(UTC).tz_localize(None).asi8).view("datetime64[ns]")


def _split_day(local_i8: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], np.ndarray]:
    """Split local ns into (local date as days since epoch, ns since local midnight)."""
    days = np.floor_divide(local_i8, NS_PER_DAY)
    return days, local_i8 - days * NS_PER_DAY


def _days(days: npt.NDArray[np.int64]) -> np.ndarray:
    return days.astype("datetime64[D]")


def _next_working_local(
    calendar: WorkingCalendar, local_i8: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """For valid local times: (day of the next working minute, its ns since midnight,
    whether the input already was a working minute)."""
    cal = calendar.busdaycalendar
    days, tod = _split_day(local_i8)
    working_day = np.is_busday(_days(days), busdaycal=cal)
    inside = working_day & (tod >= calendar.start_ns) & (tod < calendar.end_ns)
    before = working_day & (tod < calendar.start_ns)
    following = np.busday_offset(_days(days + 1), 0, roll="forward", busdaycal=cal)
    next_day = np.where(before, days, following.astype(np.int64))
    next_day = np.where(inside, days, next_day)
    next_tod = np.where(inside, tod, calendar.start_ns)
    return next_day, next_tod, inside


# --------------------------------------------------------------------------- public arithmetic


def next_working_minute(calendar: WorkingCalendar, instants_utc: object) -> InstantArray:
    """The instant itself when it is a working minute, else the start of the next working window
    (later today when before ``work_start`` on a working day, else the next working day)."""
    utc = as_utc_ns(instants_utc)
    out = np.full(utc.shape, np.datetime64("NaT"), dtype="datetime64[ns]")
    valid = ~np.isnat(utc)
    if not valid.any():
        return out
    local = utc_to_local(calendar.time_zone, utc[valid])
    day, tod, inside = _next_working_local(calendar, local)
    moved = local_to_utc(calendar.time_zone, day * NS_PER_DAY + tod)
    out[valid] = np.where(inside, utc[valid], moved)
    return out


def add_working_hours(
    calendar: WorkingCalendar, instants_utc: object, hours: object
) -> InstantArray:
    """``next_working_minute(instant)`` plus ``hours`` working hours (scalar or per-row array,
    fractional allowed, >= 0; NaN hours give NaT). A result exactly at the end of a working
    window stays on that day's ``work_end``; zero hours returns the (moved) start unchanged."""
    utc = as_utc_ns(instants_utc)
    add_ns, hours_ok = _hours_to_ns(hours, utc.shape[0])
    out = np.full(utc.shape, np.datetime64("NaT"), dtype="datetime64[ns]")
    valid = ~np.isnat(utc) & hours_ok
    if not valid.any():
        return out
    local = utc_to_local(calendar.time_zone, utc[valid])
    day0, tod0, inside = _next_working_local(calendar, local)
    total = (tod0 - calendar.start_ns) + add_ns[valid]  # working ns since day0's work_start
    whole_days, rest = np.divmod(total, calendar.window_ns)
    at_day_end = (rest == 0) & (whole_days > 0)
    day_steps = np.where(at_day_end, whole_days - 1, whole_days)
    tod = np.where(at_day_end, calendar.end_ns, calendar.start_ns + rest)
    day = np.busday_offset(
        _days(day0), day_steps, roll="forward", busdaycal=calendar.busdaycalendar
    )
    result = local_to_utc(calendar.time_zone, day.astype(np.int64) * NS_PER_DAY + tod)
    identity = inside & (add_ns[valid] == 0)  # keep the exact instant, even in a repeated hour
    out[valid] = np.where(identity, utc[valid], result)
    return out


def _working_ns_into_day(
    calendar: WorkingCalendar, days: npt.NDArray[np.int64], tod: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Working ns elapsed on the local day ``days`` up to ``tod`` (0 on non-working days)."""
    working_day = np.is_busday(_days(days), busdaycal=calendar.busdaycalendar)
    elapsed = np.clip(tod - calendar.start_ns, 0, calendar.window_ns)
    return np.where(working_day, elapsed, 0)


def working_hours_between(
    calendar: WorkingCalendar, start_utc: object, end_utc: object
) -> FloatArray:
    """Working hours from ``start`` to ``end`` as float hours: the working windows' time inside
    ``[start, end)``; 0 when ``end <= start``; NaN when either is null."""
    start = as_utc_ns(start_utc)
    end = as_utc_ns(end_utc)
    if start.shape != end.shape:
        start, end = np.broadcast_arrays(start, end)
    out = np.full(start.shape, np.nan, dtype=np.float64)
    valid = ~np.isnat(start) & ~np.isnat(end)
    if not valid.any():
        return out
    start_day, start_tod = _split_day(utc_to_local(calendar.time_zone, start[valid]))
    end_day, end_tod = _split_day(utc_to_local(calendar.time_zone, end[valid]))
    full_days = np.busday_count(
        _days(start_day), _days(end_day), busdaycal=calendar.busdaycalendar
    ).astype(np.int64)
    elapsed = (
        full_days * calendar.window_ns
        - _working_ns_into_day(calendar, start_day, start_tod)
        + _working_ns_into_day(calendar, end_day, end_tod)
    )
    elapsed = np.where(end[valid] > start[valid], np.maximum(elapsed, 0), 0)
    out[valid] = elapsed / NS_PER_HOUR
    return out


# --------------------------------------------------------------------------- calendars per zone


@dataclass(frozen=True, eq=False)
class CalendarBook:
    """Working calendars for every zone, built from the business-hours and holiday seeds.

    ``hours`` maps a zone (or ``'*'``, the default for every zone) to
    ``(work_start, work_end, weekmask)``; ``holidays`` maps a zone (or ``'*'``, every zone) to
    its holiday dates. A zone's calendar is its own hours row, else the ``'*'`` row, else
    09:00-17:00 Monday-Friday; its holidays are the ``'*'`` dates plus its own."""

    hours: Mapping[str, tuple[dt.time, dt.time, str]] = field(default_factory=dict)
    holidays: Mapping[str, tuple[dt.date, ...]] = field(default_factory=dict)
    _cache: dict[str, WorkingCalendar] = field(default_factory=dict, repr=False)

    def for_zone(self, time_zone: object) -> WorkingCalendar:
        """The calendar of a (possibly unknown or null) zone; unknown zones run on UTC."""
        zone = normalise_time_zone(time_zone)
        if zone not in self._cache:
            self._cache[zone] = self._build(zone)
        return self._cache[zone]

    def _build(self, zone: str) -> WorkingCalendar:
        default = (DEFAULT_WORK_START, DEFAULT_WORK_END, DEFAULT_WEEKMASK)
        start, end, weekmask = self.hours.get(zone, self.hours.get("*", default))
        dates = tuple(self.holidays.get("*", ())) + tuple(self.holidays.get(zone, ()))
        return WorkingCalendar(zone, start, end, weekmask, dates)

    @classmethod
    def from_frames(
        cls, business_hours: pd.DataFrame | None, holidays: pd.DataFrame | None
    ) -> CalendarBook:
        """Build from seed frames: ``business_hours(time_zone, work_start, work_end, weekmask)``
        with ``'*'`` as the default row, ``holidays(holiday_date, holiday_name, time_zone)``
        where an empty/null/``'*'`` zone applies to every zone."""
        return cls(hours=_hours_from_frame(business_hours), holidays=_holidays_from_frame(holidays))


def _zone_key(value: object) -> str:
    """Seed zone key: ``'*'`` for empty/null/``'*'``, else the normalised zone name."""
    if not isinstance(value, str) or value.strip() in {"", "*"}:
        return "*"
    return normalise_time_zone(value)


def _hours_from_frame(frame: pd.DataFrame | None) -> dict[str, tuple[dt.time, dt.time, str]]:
    hours: dict[str, tuple[dt.time, dt.time, str]] = {}
    if frame is None:
        return hours
    for row in frame.to_dict("records"):
        hours[_zone_key(row.get("time_zone"))] = (
            parse_time_of_day(_or_default(row.get("work_start"), DEFAULT_WORK_START)),
            parse_time_of_day(_or_default(row.get("work_end"), DEFAULT_WORK_END)),
            normalise_weekmask(_or_default(row.get("weekmask"), DEFAULT_WEEKMASK)),
        )
    return hours


def _holidays_from_frame(frame: pd.DataFrame | None) -> dict[str, tuple[dt.date, ...]]:
    found: dict[str, set[dt.date]] = {}
    if frame is None or frame.empty:
        return {}
    dates = pd.to_datetime(frame["holiday_date"], errors="coerce")
    zones = frame["time_zone"] if "time_zone" in frame else pd.Series([None] * len(frame))
    for when, zone in zip(dates, zones, strict=True):
        if pd.notna(when):
            found.setdefault(_zone_key(zone), set()).add(when.date())
    return {zone: tuple(sorted(days)) for zone, days in found.items()}


def _or_default(value: Any, default: Any) -> Any:
    """``default`` when ``value`` is null/NaN/empty text."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return default
    if isinstance(value, str) and not value.strip():
        return default
    return value


def apply_by_time_zone(
    func: Callable[..., np.ndarray],
    time_zones: Iterable[object] | pd.Series,
    calendar_for: Callable[[object], WorkingCalendar] | CalendarBook,
    *columns: object,
    dtype: npt.DTypeLike = "datetime64[ns]",
) -> np.ndarray:
    """Run ``func(calendar, *column_slices)`` once per time-zone group and reassemble the
    results in the original row order. ``time_zones`` holds one zone per row (unknown/null zones
    fall into the UTC group); ``columns`` are row-aligned arrays (scalars are broadcast)."""
    lookup = calendar_for.for_zone if isinstance(calendar_for, CalendarBook) else calendar_for
    codes, names = _zone_codes(time_zones)
    size = codes.shape[0]
    arrays = [_row_aligned(column, size) for column in columns]
    out = np.empty(size, dtype=dtype)
    if size == 0:
        return out
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    for group, zone in enumerate(names):
        rows = order[bounds[group] : bounds[group + 1]]
        if rows.size:
            out[rows] = func(lookup(zone), *(array[rows] for array in arrays))
    return out


def _zone_codes(time_zones: Iterable[object] | pd.Series) -> tuple[npt.NDArray[np.intp], list[str]]:
    """(per-row index into the distinct effective zone names, those names); each distinct raw
    value is normalised once, and values naming the same effective zone share a code."""
    values = time_zones if isinstance(time_zones, pd.Series) else pd.Series(list(time_zones))
    raw_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    effective = [normalise_time_zone(zone) for zone in uniques] + [UTC]  # -1 (null) -> UTC
    names = sorted(set(effective))
    remap = np.array([names.index(zone) for zone in effective], dtype=np.intp)
    return remap[raw_codes], names


def effective_time_zones(time_zones: Iterable[object] | pd.Series) -> np.ndarray:
    """Per-row zone a clock runs in (object array of IANA names, ``UTC`` for unknown/null),
    normalising each distinct value once."""
    codes, names = _zone_codes(time_zones)
    return np.array(names, dtype=object)[codes]


def _row_aligned(column: object, size: int) -> np.ndarray:
    if isinstance(column, (pd.Series, pd.Index)):
        if isinstance(column.dtype, pd.DatetimeTZDtype) or column.dtype.kind == "M":
            return as_utc_ns(column)
        return column.to_numpy()
    array = np.asarray(column)
    if array.ndim == 0:
        return np.broadcast_to(array, (size,))
    if array.dtype.kind == "M":
        return as_utc_ns(array)
    return array


__all__: Sequence[str] = (
    "CalendarBook",
    "WorkingCalendar",
    "add_working_hours",
    "apply_by_time_zone",
    "as_utc_ns",
    "effective_time_zones",
    "local_to_utc",
    "next_working_minute",
    "normalise_time_zone",
    "normalise_weekmask",
    "parse_time_of_day",
    "utc_to_local",
    "working_hours_between",
)
