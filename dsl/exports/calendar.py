"""A compiled programme as iCalendar: the sessions on a calendar, week by week.

Every schedule line of the programme (those of one stage, and those outside stages)
becomes recurring events: one series for each span of weeks in which the line does the
same session (same values), and for each time of day the line gives. A series is
``RRULE:FREQ=WEEKLY;BYDAY=...;COUNT=n``: its first event is the first scheduled day of
the span, and ``COUNT`` the number of scheduled days in the span, so the series ends
with the span, never in the next week. A line with no time of day (a moment in words,
``"after a walk"``) gives all-day events named with the moment.

Week N of the programme starts ``7 × (N − 1)`` days after its start date, whatever day of
the week that is. Times are wall-clock times: in ``tz`` (an IANA zone, written with its
``VTIMEZONE``) or, without one, floating times that a calendar shows at that hour wherever
the person is. An event lasts the session's longest duration (untimed steps count 0 s).
The output is the same bytes for the same programme and options: ``UID`` comes from the
programme, the line, the span and the time, and ``DTSTAMP`` from ``SOURCE_DATE_EPOCH``
(else 2000-01-01T00:00:00Z).

``icalendar`` is an optional dependency (``pip install 'stretch-dsl[calendar]'``).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterator
from typing import Any, NamedTuple

from dsl import model as m
from dsl.model import printer

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIXED_STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""``DTSTAMP`` when ``SOURCE_DATE_EPOCH`` is not set."""
INSTALL = "pip install 'stretch-dsl[calendar]'"


class ExportError(Exception):
    """A programme that cannot be put on a calendar as asked (a usage error)."""


class Series(NamedTuple):
    """One recurring event: a schedule line's session over a span of weeks, at one time
    of day (None: all day)."""

    line: dict[str, Any]
    session: dict[str, Any]
    first_week: int
    last_week: int
    days: tuple[dt.date, ...]
    time: dt.time | None


def calendar_bytes(document: dict[str, Any], *, start: dt.date | None = None,
                   tz: str | None = None, alarm: int | None = None,
                   stage: str | None = None) -> bytes:
    """The programme document as an iCalendar file's bytes."""
    try:
        import icalendar
    except ImportError:
        raise ExportError(f"writing iCalendar needs the `icalendar` package: {INSTALL}"
                          ) from None
    first_day = start or _date(document.get("start"))
    if first_day is None:
        raise ExportError("the programme has no `start:` date: give one with "
                          "--start YYYY-MM-DD")
    zone = _zone(tz)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//stretch//stretch programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    title = document["metadata"]["title"]
    calendar.add("x-wr-calname", title)
    stamp = _stamp()
    for series in every_series(document, first_day, chosen_stage(document, stage)):
        calendar.add_component(_event(icalendar, document, series, zone, stamp, alarm))
    if zone is not None:
        calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def chosen_stage(document: dict[str, Any], stage: str | None) -> str | None:
    """The stage whose schedule goes on the calendar: ``stage``, else the programme's
    start stage, else its first (None for a programme without stages)."""
    names = [s["name"] for s in document.get("stages", [])]
    if stage is not None:
        if stage not in names:
            listed = ", ".join(names) if names else "none"
            raise ExportError(f"--stage: the programme has no stage `{stage}` (its stages: "
                              f"{listed})")
        return stage
    return document.get("startStage") or (names[0] if names else None)


def every_series(document: dict[str, Any], start: dt.date,
                 stage: str | None) -> Iterator[Series]:
    """The series of events the programme's schedule gives, line by line."""
    for line in document["schedule"]:
        if line["stage"] not in (None, stage):
            continue
        weekdays = {DAYS.index(day) for day in line["days"]}
        times: list[dt.time | None] = [dt.time(int(t[:2]), int(t[3:]))
                                       for t in line["times"]] or [None]
        for first_week, last_week, session in _spans(line["weeks"]):
            span_start = start + dt.timedelta(days=7 * (first_week - 1))
            span_days = (span_start + dt.timedelta(days=n)
                         for n in range(7 * (last_week - first_week + 1)))
            days = tuple(d for d in span_days if d.weekday() in weekdays)
            if not days:
                continue
            for time in times:
                yield Series(line, document["sessions"][session], first_week, last_week,
                             days, time)


def _spans(weeks: list[dict[str, Any]]) -> Iterator[tuple[int, int, int]]:
    """Runs of consecutive weeks that do the same session: (first, last, session)."""
    run: list[dict[str, Any]] = []
    for week in weeks:
        if run and week["session"] != run[-1]["session"]:
            yield run[0]["week"], run[-1]["week"], run[0]["session"]
            run = []
        run.append(week)
    if run:
        yield run[0]["week"], run[-1]["week"], run[0]["session"]


def _event(icalendar: Any, document: dict[str, Any], series: Series,
           zone: dt.tzinfo | None, stamp: dt.datetime, alarm: int | None) -> Any:
    event = icalendar.Event()
    line, session = series.line, series.session
    moment = line["moment"]
    title = session["metadata"]["title"]
    event.add("summary", f"{title} ({moment})" if moment else title)
    when = "day" if series.time is None else series.time.strftime("%H%M")
    owner = document["metadata"]["id"] or _slug(document["metadata"]["title"])
    event.add("uid", f"{owner}-line{line['index']}-weeks{series.first_week}-"
              f"{series.last_week}-{when}@stretch")
    event.add("dtstamp", stamp)
    if series.time is None:
        event.add("dtstart", series.days[0])
        event.add("duration", dt.timedelta(days=1))
    else:
        event.add("dtstart", dt.datetime.combine(series.days[0], series.time, tzinfo=zone))
        seconds = math.ceil(float(session["summary"]["duration"]["max"]))
        event.add("duration", dt.timedelta(seconds=max(seconds, 60)))
    weekdays = sorted({d.weekday() for d in series.days})
    event.add("rrule", {"freq": "weekly", "byday": [DAYS[d][:2].upper() for d in weekdays],
                        "count": len(series.days)})
    event.add("description", description(document, series))
    if alarm is not None and series.time is not None:
        reminder = icalendar.Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", f"{title} in {alarm} minutes")
        reminder.add("trigger", dt.timedelta(minutes=-alarm))
        event.add_component(reminder)
    return event


def description(document: dict[str, Any], series: Series) -> str:
    """What to do, in words: the programme, the weeks, the values, the session's parts."""
    line, session = series.line, series.session
    weeks = (f"week {series.first_week}" if series.first_week == series.last_week
             else f"weeks {series.first_week} to {series.last_week}")
    lines = [f"{document['metadata']['title']}, {weeks} of {document['weeks']}."]
    if line["moment"]:
        lines.append(f"When: {line['moment']}.")
    values: dict[str, float] = next(
        (w["values"] for w in line["weeks"] if w["week"] == series.first_week), {})
    if values:
        lines.append(("This week: " if series.first_week == series.last_week
                      else "Each week: ") + ", ".join(
            f"{name} {_value(name, value, document)}" for name, value in values.items()) + ".")
    for number, part in enumerate(session["parts"], start=1):
        duration = part["duration"]
        length = "untimed" if duration is None else _range(duration)
        if part["kind"] == "routine":
            name = part["routine"]["metadata"]["title"]
        else:
            name = part["step"]["text"] or part["step"]["kind"].capitalize()
        lines.append(f"{number}. {name} ({length})")
    lines.append(f"In all: {_range(session['summary']['duration'])}.")
    return "\n".join(lines)


def _value(name: str, value: float, document: dict[str, Any]) -> str:
    unit = next((p["unit"] for p in document["progressions"] if p["parameter"] == name), "")
    for measured in ("s", "count", "breath"):
        if unit == measured:
            return printer.spoken(m.Quantity(value, measured))
    return printer.number(value)  # a repeat count


def _range(duration: dict[str, float]) -> str:
    low, high = (printer.spoken(m.Quantity(round(duration[end]), "s"))
                 for end in ("min", "max"))
    return low if low == high else f"{low} to {high}"


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) else None


def _zone(name: str | None) -> dt.tzinfo | None:
    if name is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ExportError(f"--tz: unknown time zone `{name}` (write an IANA name such as "
                          "Europe/Berlin or America/New_York)") from None


def _stamp() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return FIXED_STAMP


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())
