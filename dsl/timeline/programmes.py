"""Programmes worked out week by week: the values their progressions give each week, and
the sessions each schedule line does, resolved with those values.

A progression's value holds from its week until the next step: ``20s, 30s from week 3``
is 20 s in weeks 1 and 2, 30 s from week 3 on. A rule (``+5s a week up to 45s``) starts
from the value in force where it stands (week 1 when it comes first, else the week of the
step before it) and adds its step every ``every`` weeks, never past ``up to``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.model import plans
from dsl.timeline.sessions import (
    BROKEN,
    Loader,
    Resolved,
    RoutinePart,
    broken_inner,
    follow,
    heading,
    resolve,
)


def weeks_of(programme: plans.Programme) -> int:
    """How many weeks the programme runs: ``weeks:``, else up to its last ``from week``
    (one week when it says neither)."""
    if programme.weeks is not None:
        return max(1, programme.weeks.count)
    last = [s.week for p in programme.progressions for s in p.steps
            if isinstance(s, plans.ProgressFrom)]
    return max([1, *last])


def _value(value: m.Amount | m.Count) -> float:
    return value.low if isinstance(value, m.Count) else value.low.value


def progression_values(progression: plans.Progression, weeks: int) -> list[float]:
    """The parameter's value in each week, week 1 first. (The parser allows a rule only as
    the last step: P214.)"""
    by_week = [(1, _value(progression.first))]
    rule: plans.ProgressBy | None = None
    for step in progression.steps:
        if isinstance(step, plans.ProgressFrom):
            by_week.append((step.week, _value(step.value)))
        else:
            rule = step
    rule_start, base = by_week[-1]
    values: list[float] = []
    for week in range(1, weeks + 1):
        current = [value for start, value in by_week if start <= week][-1]
        if rule is not None and week >= rule_start:
            grown = base + _value(rule.step) * ((week - rule_start) // rule.every)
            current = min(grown, max(base, _value(rule.up_to)))
        values.append(current)
    return values


def week_values(programme: plans.Programme) -> list[dict[str, float]]:
    """Each week's values of the progressed parameters, by name (week 1 first)."""
    weeks = weeks_of(programme)
    by_week: list[dict[str, float]] = [{} for _ in range(weeks)]
    for progression in programme.progressions:
        for week, value in enumerate(progression_values(progression, weeks)):
            by_week[week].setdefault(progression.parameter, value)
    return by_week


class Line(NamedTuple):
    """A schedule line and the stage it belongs to (None: every stage)."""

    schedule: plans.Schedule
    stage: str | None


def lines(programme: plans.Programme) -> list[Line]:
    """Every schedule line, those outside stages first, then each stage's, in order."""
    found = [Line(s, None) for s in programme.schedule]
    for stage in programme.stages:
        found.extend(Line(s, stage.name) for s in stage.schedule)
    return found


def session_for(line: plans.Schedule, path: str, loader: Loader,
                values: Mapping[str, float]) -> Resolved | list[Diagnostic]:
    """The session a schedule line does in a week with ``values``: the session it names,
    or a session of the one routine it names."""
    problems: list[Diagnostic] = []
    target = follow(line.reference, path, loader, problems)
    if target is None:
        return problems
    parsed = loader.load(target)
    if parsed.routine is not None and parsed.ok:
        use = plans.Use(line.reference, (), line.span)
        alone = plans.Session(parsed.routine.title, (use,), line.span)
        return resolve(alone, path, loader, values)
    if isinstance(parsed.plan, plans.Session) and parsed.ok:
        inner = resolve(parsed.plan, target, loader, values)
        if isinstance(inner, list):
            return [broken_inner(line.reference, path, inner)]
        return inner

    what = ("a programme: a programme schedules sessions and routines"
            if isinstance(parsed.plan, plans.Programme) else f"{parsed.path} has errors")
    return [Diagnostic(BROKEN, f"`{line.reference.value}` cannot be scheduled: {what}", path,
                       line.reference.span,
                       hint="fix that file first (`stretch check` shows its errors)")]


def used_values(resolved: Resolved) -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
    """What tells two weeks' sessions apart: each routine's file and its values."""
    return tuple((str(p.path), tuple(sorted(p.ready.values.items())))
                 for p in resolved.parts if isinstance(p, RoutinePart))


def condition(cond: plans.Condition) -> dict[str, Any]:
    if cond.hours is not None:
        return {"answer": cond.answer, "withinHours": cond.hours,
                "expected": not cond.negated}
    if cond.at_most is not None:
        return {"answer": cond.answer, "atMost": cond.at_most}
    return {"answer": cond.answer, "atLeast": cond.at_least}


def stage_record(stage: plans.Stage) -> dict[str, Any]:
    def rules(direction: str) -> list[dict[str, Any]]:
        return [{"afterSessions": r.after or 1,
                 "conditions": [condition(c) for c in r.conditions]}
                for r in stage.rules if r.direction == direction]

    return {"name": stage.name, "title": stage.title, "moveUp": rules("up"),
            "stepBack": rules("back")}


def document(programme: plans.Programme, path: str | Path, loader: Loader,
             source: str | None) -> dict[str, Any]:
    """The programme's JSON document (docs/json.md, "Programmes"). The programme has been
    checked: every reference resolves, every week's sessions run. Raises
    ``dsl.timeline.compiler.RoutineTooLong`` as compiling a routine does."""
    from dsl.timeline.sessions import document as session_document

    here = Path(os.path.abspath(path)) if str(path) != "-" else Path.cwd() / "-"
    weeks = week_values(programme)
    sessions: list[dict[str, Any]] = []
    known: dict[tuple[object, ...], int] = {}
    schedule: list[dict[str, Any]] = []
    for index, line in enumerate(lines(programme)):
        entry = line.schedule
        problems: list[Diagnostic] = []
        target = follow(entry.reference, str(path), loader, problems)
        assert target is not None, problems
        by_week: list[dict[str, Any]] = []
        for number, values in enumerate(weeks, start=1):
            resolved = session_for(entry, str(path), loader, values)
            assert not isinstance(resolved, list), resolved
            key = (str(target), used_values(resolved))
            if key not in known:
                relative = PurePath(os.path.relpath(target, here.parent)).as_posix()
                known[key] = len(sessions)
                sessions.append(session_document(resolved, relative))
            used = {name for p in resolved.parts if isinstance(p, RoutinePart)
                    for name in p.ready.values}
            by_week.append({"week": number,
                            "values": {k: v for k, v in values.items() if k in used},
                            "session": known[key]})
        schedule.append({
            "index": index,
            "reference": {"text": entry.reference.value, "isPath": entry.reference.is_path},
            "path": PurePath(os.path.relpath(target, here.parent)).as_posix(),
            "stage": line.stage,
            "days": list(entry.days),
            "times": [t.text for t in entry.times],
            "moment": entry.moment,
            "weeks": by_week,
        })
    count = weeks_of(programme)
    return {
        **heading(programme, source),
        "weeks": count,
        "start": None if programme.start is None else programme.start.iso,
        "startStage": (programme.start_stage.name if programme.start_stage is not None
                       else None),
        "progressions": [{"parameter": p.parameter, "unit": _unit(p.first),
                          "values": progression_values(p, count)}
                         for p in programme.progressions],
        "schedule": schedule,
        "sessions": sessions,
        "stages": [stage_record(s) for s in programme.stages],
    }


def _unit(value: m.Amount | m.Count) -> str:
    return "times" if isinstance(value, m.Count) else value.low.unit
