"""`stretch export ics`: a programme on a calendar, every event where it belongs.

The events are found by expanding each written series with dateutil (as calendar apps
do) and compared with a brute-force list: every day of every week of the programme, kept
when the schedule names its weekday, at each time of day. The real `khal` then imports
the file and lists the events.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from components import program
from conftest import EXAMPLES
from dateutil.rrule import rrulestr
from typer.testing import CliRunner

from dsl import compile_file
from dsl.cli import app
from dsl.exports.calendar import DAYS, ExportError, calendar_bytes

runner = CliRunner()

ROUTINE = '''routine "Towel"
  id: towel
  sides: each
  parameter hold: 30s, 20-45s "Hold"
  hold {hold} "Draw the leg up"
'''
BREATHING = '''routine "Breathing"
  id: breathing
  breathe 1m "Breathe slowly"
'''


def _programme(tmp_path: Path, text: str) -> dict[str, Any]:
    (tmp_path / "towel.stretch").write_text(ROUTINE, encoding="utf-8")
    (tmp_path / "breathing.stretch").write_text(BREATHING, encoding="utf-8")
    path = tmp_path / "plan.stretch"
    path.write_text(text, encoding="utf-8")
    compiled = compile_file(path)
    assert compiled.errors == [], [d.message for d in compiled.errors]
    loaded: dict[str, Any] = json.loads(compiled.text or "null")
    return loaded


def _expanded(data: bytes) -> list[tuple[Any, str]]:
    """Every occurrence of every event (its start, and its summary), expanded by dateutil."""
    calendar = icalendar.Calendar.from_ical(data)
    found: list[tuple[Any, str]] = []
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        rule = event.get("rrule").to_ical().decode()
        occurrences: list[Any]
        if isinstance(start, dt.datetime):
            occurrences = list(rrulestr(rule, dtstart=start))
        else:
            begin = dt.datetime.combine(start, dt.time())
            occurrences = [o.date() for o in rrulestr(rule, dtstart=begin)]
        found += [(o, str(event["summary"])) for o in occurrences]
    return sorted(found, key=lambda pair: (str(pair[0]), pair[1]))


def _brute_force(document: dict[str, Any], start: dt.date, stage: str | None = None,
                 zone: dt.tzinfo | None = None) -> list[Any]:
    """Every scheduled moment, day by day."""
    expected: list[Any] = []
    for line in document["schedule"]:
        if line["stage"] not in (None, stage):
            continue
        for week in range(1, document["weeks"] + 1):
            for offset in range(7):
                day = start + dt.timedelta(days=7 * (week - 1) + offset)
                if DAYS[day.weekday()] not in line["days"]:
                    continue
                if not line["times"]:
                    expected.append(day)
                for time in line["times"]:
                    expected.append(dt.datetime.combine(
                        day, dt.time(int(time[:2]), int(time[3:])), tzinfo=zone))
    return sorted(expected, key=str)


PROGRAMMES = {
    "values change in weeks 3 and 5, start on a Wednesday": (
        'programme "P"\n  weeks: 6\n  start: 2027-01-06\n'
        '  do towel on mon, wed, fri at 07:30\n'
        '  progress hold: 20s, 30s from week 3, 40s from week 5\n'),
    "twice a day, daily, and a rule every week": (
        'programme "P"\n  weeks: 4\n  start: 2027-03-01\n'
        '  do towel daily at 07:00, 18:30\n'
        '  progress hold: 20s, +5s a week up to 45s\n'),
    "weekdays and a moment on weekends": (
        'programme "P"\n  weeks: 3\n  start: 2027-02-13\n'
        '  do towel on weekdays at 12:00\n'
        '  do breathing on weekends "after a walk"\n'),
}


@pytest.mark.parametrize("text", PROGRAMMES.values(), ids=list(PROGRAMMES))
def test_the_events_are_every_scheduled_day_and_time(tmp_path: Path, text: str) -> None:
    document = _programme(tmp_path, text)
    start = dt.date.fromisoformat(document["start"])
    found = _expanded(calendar_bytes(document))
    assert [when for when, _ in found] == _brute_force(document, start)
    # One series per span of weeks with the same values (and per time of day).
    calendar = icalendar.Calendar.from_ical(calendar_bytes(document))
    spans = sum(len({w["session"] for w in line["weeks"]}) * max(len(line["times"]), 1)
                for line in document["schedule"])
    assert len(calendar.walk("VEVENT")) == spans


def test_a_moment_is_an_all_day_event_named_with_it(tmp_path: Path) -> None:
    document = _programme(tmp_path, PROGRAMMES["weekdays and a moment on weekends"])
    found = _expanded(calendar_bytes(document))
    walks = [when for when, summary in found if summary == "Breathing (after a walk)"]
    assert walks == [dt.date(2027, 2, 13), dt.date(2027, 2, 14), dt.date(2027, 2, 20),
                     dt.date(2027, 2, 21), dt.date(2027, 2, 27), dt.date(2027, 2, 28)]


def test_a_time_zone_gives_the_right_instants_across_a_change_of_clocks(
        tmp_path: Path) -> None:
    document = _programme(tmp_path, PROGRAMMES["twice a day, daily, and a rule every week"]
                          .replace("2027-03-01", "2027-03-22"))
    data = calendar_bytes(document, tz="Europe/Berlin")
    text = data.decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Berlin" in text
    assert "DTSTART;TZID=Europe/Berlin:20270322T070000" in text
    zone = ZoneInfo("Europe/Berlin")
    found = [when for when, _ in _expanded(data)]
    assert found == _brute_force(document, dt.date(2027, 3, 22), zone=zone)
    # Clocks go forward on 28 March 2027: 07:00 is 06:00 UTC before, 05:00 UTC after.
    utc = [w.astimezone(dt.UTC) for w in found if w.hour == 7]
    assert utc[0].hour == 6 and utc[-1].hour == 5


def test_duration_summary_description_and_reminder(tmp_path: Path) -> None:
    document = _programme(tmp_path, PROGRAMMES["values change in weeks 3 and 5, start on "
                                               "a Wednesday"])
    calendar = icalendar.Calendar.from_ical(calendar_bytes(document, alarm=15))
    events = calendar.walk("VEVENT")
    first, third = events[0], events[1]
    # hold 20s on each side; the session's longest duration (at least a minute).
    assert first.decoded("duration") == dt.timedelta(minutes=1)
    assert str(first["summary"]) == "Towel"
    description = str(third["description"])
    assert description.startswith("P, weeks 3 to 4 of 6.\nEach week: hold 30 seconds.\n1. Towel")
    (alarm,) = first.walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(minutes=-15)
    assert str(alarm["action"]) == "DISPLAY"


def test_the_same_programme_gives_the_same_bytes(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    document = _programme(tmp_path, PROGRAMMES["twice a day, daily, and a rule every week"])
    assert calendar_bytes(document, tz="Europe/Berlin") == calendar_bytes(
        document, tz="Europe/Berlin")
    assert b"DTSTAMP:20000101T000000Z" in calendar_bytes(document)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert b"DTSTAMP:20270115T080000Z" in calendar_bytes(document)


def test_stages_choose_the_lines(tmp_path: Path) -> None:
    text = ('programme "Rehab"\n  weeks: 2\n  start stage: later\n'
            '  do breathing on sun at 20:00\n'
            '  stage early:\n    do towel on mon at 08:00\n'
            '  stage later:\n    do towel on tue at 09:00\n')
    document = _programme(tmp_path, text)
    start = dt.date(2027, 1, 4)
    for stage in ("later", "early"):
        chosen = None if stage == "later" else stage
        found = [w for w, _ in _expanded(calendar_bytes(document, start=start, stage=chosen))]
        assert found == _brute_force(document, start, stage)
    with pytest.raises(ExportError, match="no stage `nope` \\(its stages: early, later\\)"):
        calendar_bytes(document, start=start, stage="nope")


def test_the_command_writes_the_file_and_says_what_is_wrong(tmp_path: Path) -> None:
    document_text = PROGRAMMES["weekdays and a moment on weekends"].replace(
        "  start: 2027-02-13\n", "")
    _programme(tmp_path, document_text.replace("weeks: 3", "weeks: 3\n  start: 2027-02-13"))
    plan = tmp_path / "plan.stretch"
    plan.write_text(document_text, encoding="utf-8")
    target = tmp_path / "plan.ics"
    result = runner.invoke(app, ["export", "ics", str(plan), "-o", str(target)])
    assert result.exit_code == 2
    assert result.stderr == ("stretch: error: the programme has no `start:` date: give one "
                             "with --start YYYY-MM-DD\n")
    result = runner.invoke(app, ["export", "ics", str(plan), "-o", str(target),
                                 "--start", "2027-02-13", "--tz", "Europe/Berlin"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {target}\n"
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    for args, message in [
            (["--start", "13/02/2027"], "--start takes a date as YYYY-MM-DD, not `13/02/2027`"),
            (["--start", "2027-02-13", "--tz", "Mars/Olympus"],
             "--tz: unknown time zone `Mars/Olympus` (write an IANA name such as "
             "Europe/Berlin or America/New_York)")]:
        result = runner.invoke(app, ["export", "ics", str(plan), "-o", "-", *args])
        assert result.exit_code == 2 and result.stderr == f"stretch: error: {message}\n"
    result = runner.invoke(app, ["export", "ics", str(tmp_path / "towel.stretch"), "-o", "-"])
    assert result.exit_code == 2
    assert result.stderr == ("stretch: error: towel.stretch is a routine: a calendar is made "
                             "from a programme, which says on which days and at what "
                             "times\n").replace("towel.stretch", str(tmp_path / "towel.stretch"))
    (tmp_path / "broken.stretch").write_text('programme "B"\n  do nowhere daily\n',
                                             encoding="utf-8")
    result = runner.invoke(app, ["export", "ics", str(tmp_path / "broken.stretch"), "-o", "-"])
    assert result.exit_code == 1
    assert "error[R106]: no routine or session has the id `nowhere`" in result.stderr
    assert result.stderr.endswith("not exported: " + str(tmp_path / "broken.stretch")
                                  + " has errors\n")


def test_khal_imports_the_example_programme_and_lists_its_events(tmp_path: Path) -> None:
    khal = program("khal", "apt-get install khal")
    target = tmp_path / "plan.ics"
    result = runner.invoke(app, ["export", "ics", str(EXAMPLES / "six-weeks-looser-legs.stretch"),
                                 "-o", str(target), "--tz", "Europe/Berlin"])
    assert result.exit_code == 0, result.stderr
    calendars = tmp_path / "calendars" / "plan"
    calendars.mkdir(parents=True)
    config = tmp_path / "khal.conf"
    config.write_text(
        "[calendars]\n[[plan]]\npath = " + str(calendars) + "\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = Europe/Berlin\ndefault_timezone = Europe/Berlin\n",
        encoding="utf-8")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    run = subprocess.run([khal, "-c", str(config), "import", "--batch", "-a", "plan",
                          str(target)], capture_output=True, text=True, env=env, timeout=120,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    listed = subprocess.run(
        [khal, "-c", str(config), "list", "--format", "{start} {title}",
         "2027-01-04", "2027-02-15"], capture_output=True, text=True, env=env,
        timeout=120, check=False)
    assert listed.returncode == 0, listed.stderr
    lines = [line for line in listed.stdout.splitlines() if "Morning Legs" in line]
    # Six weeks of Monday, Wednesday and Friday at 07:30.
    assert len(lines) == 18, listed.stdout
    assert lines[0] == "2027-01-04 07:30 Morning Legs"
    assert lines[-1] == "2027-02-12 07:30 Morning Legs"
    walks = [line for line in listed.stdout.splitlines() if "after a walk" in line]
    assert len(walks) == 18
