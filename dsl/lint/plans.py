"""Checking sessions and programmes: their references, their overrides, their limits, and
every week of a programme's progressions.

A session is checked as it runs: each routine as the session does it (its sides, variants
and values) goes through the routine checker, and the session's own limits are held to
the session's figures, summed over its parts (``dsl.timeline.sessions``). A programme is
checked week by week: each week's values must lie within the range of every routine that
declares the parameter, and each week's sessions are checked with them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec.structs

from dsl import model as m
from dsl.diagnostics import Diagnostic, Related
from dsl.lint.config import Config, Resolver
from dsl.model import plans, printer
from dsl.model.values import declared, high_end, low_end, same_kind, value_text
from dsl.syntax.parser import ParsedFile
from dsl.timeline import programmes, sessions
from dsl.timeline.uses import OVERRIDE_CODE, with_sides

SESSION_LIMIT = "L107"
AS_USED = "L108"
OUT_OF_RANGE = "V124"
UNKNOWN_STAGE = "R111"


RoutineCheck = Callable[..., list[Diagnostic]]
"""The routine checker (``dsl.lint.checker.check``), handed in by the checker itself."""


def check_plan(parsed: ParsedFile, config: Config, check: RoutineCheck,
               roots: tuple[str, ...] = ()) -> list[Diagnostic]:
    """Every finding on a session or programme file (already parsed without errors);
    ``check`` checks a routine as a session does it."""
    plan = parsed.plan
    loader = sessions.Loader(config.library, roots)
    if isinstance(plan, plans.Session):
        return check_session(parsed.path, plan, loader, check)
    assert isinstance(plan, plans.Programme)
    return check_programme(parsed.path, plan, loader, check)


def check_session(path: str, session: plans.Session, loader: sessions.Loader,
                  check: RoutineCheck) -> list[Diagnostic]:
    """A session's findings: its references, each routine as it does it, its limits."""
    resolved, problems = sessions.resolve_partly(session, path, loader)
    if problems:  # the routines that were found are still checked as used
        return [*problems, *_as_used(resolved, path, check)]
    return _as_run(resolved, path, check)


def _as_run(resolved: sessions.Resolved, path: str, check: RoutineCheck, week: str = "",
            at: m.Span | None = None) -> list[Diagnostic]:
    """What breaks when the resolved session runs: a routine as used, a session limit."""
    found = _as_used(resolved, path, check, week, at)
    if found:
        return found
    return _limits(resolved, path, week, at)


def _as_used(resolved: sessions.Resolved, path: str, check: RoutineCheck, week: str = "",
             at: m.Span | None = None) -> list[Diagnostic]:
    """The errors each routine of the session has as the session does it (L108)."""
    found: list[Diagnostic] = []
    resolver = Resolver()
    for part in resolved.parts:
        if not isinstance(part, sessions.RoutinePart):
            continue
        written = part.parsed.routine
        assert written is not None
        sides = part.use.sides
        as_used = written if sides is None else with_sides(written, sides)
        parsed = msgspec.structs.replace(part.parsed, routine=as_used)
        errors = [d for d in check(parsed, resolver.for_file(part.path),
                                   values=part.ready.values, choice=part.ready.choice)
                  if d.severity == "error"]
        if errors:
            first = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            found.append(Diagnostic(
                AS_USED, f"{week}as this session does it, \"{written.title}\" has an "
                f"error: {first.message}{more}", path, at or part.use.reference.span,
                hint="change the overrides under `do`, or the routine",
                related=(Related(first.message, first.span, first.path),)))
    return found


def _limits(resolved: sessions.Resolved, path: str, week: str,
            at: m.Span | None) -> list[Diagnostic]:
    limits = resolved.session.limits
    if not limits:
        return []
    summary = sessions.document(resolved, None)["summary"]
    found: list[Diagnostic] = []
    for limit in limits:
        most, what = _most(summary, limit)
        if most > limit.value:
            shown = (printer.duration(most) if limit.subject == "total"
                     else f"{most:g} {limit.subject}")
            found.append(Diagnostic(
                SESSION_LIMIT, f"{week}the session can come to {shown}{what}, over its "
                f"`{printer.limit(limit)}`", path, at or limit.span,
                hint="take a routine out, shorten the rests, or choose lower values",
                related=(Related("the limit", limit.span, str(sessions.displayed(resolved.path))),)
                if at else ()))
    return found


def _most(summary: dict[str, Any], limit: m.Limit) -> tuple[float, str]:
    """The most the session can reach on a limit's subject, and on which side."""
    if limit.subject == "total":
        return summary["duration"]["max"], ""
    key = limit.subject
    if limit.per != "side":
        return summary[key]["max"], ""
    unsided = next((e[key]["max"] for e in summary["perSide"] if e["side"] is None), 0)
    worst, side = unsided, ""
    for entry in summary["perSide"]:
        if entry["side"] is not None and entry[key]["max"] + unsided > worst:
            worst, side = entry[key]["max"] + unsided, entry["side"]
    return worst, f" on the {side} side" if side else ""


# --- programmes ------------------------------------------------------------------------


def check_programme(path: str, programme: plans.Programme, loader: sessions.Loader,
                    check: RoutineCheck) -> list[Diagnostic]:
    found: list[Diagnostic] = _stages(path, programme)
    lines = programmes.lines(programme)
    # The routines each line does, with the parameters they declare: what progressions
    # are checked against.
    declaring: dict[str, list[tuple[m.Routine, m.Parameter]]] = {}
    broken = False
    for line in lines:
        resolved = programmes.session_for(line.schedule, path, loader, {})
        if isinstance(resolved, list):
            found.extend(resolved)
            broken = True
            continue
        for part in resolved.parts:
            if isinstance(part, sessions.RoutinePart):
                for name, parameter in declared(part.ready.routine).items():
                    declaring.setdefault(name, []).append((part.ready.routine, parameter))
    if broken:
        return found
    for progression in programme.progressions:
        found.extend(_progression(path, programme, progression, declaring))
    if found:
        return found
    weeks = programmes.week_values(programme)
    reported: set[tuple[object, ...]] = set()
    checked: set[tuple[int, tuple[tuple[str, float], ...]]] = set()
    for line in lines:
        for number, values in enumerate(weeks, start=1):
            key = (id(line), tuple(sorted(values.items())))
            if key in checked:
                continue
            checked.add(key)
            resolved = programmes.session_for(line.schedule, path, loader, values)
            if isinstance(resolved, list):
                continue
            week = _week_words(number, values, resolved)
            for problem in _as_run(resolved, path, check, week,
                                   line.schedule.reference.span):
                # The first week that breaks it is reported, not every week after.
                seen = (problem.code, problem.span.line, problem.span.column,
                        tuple((r.path, r.span.line, r.span.column) for r in problem.related))
                if seen not in reported:
                    reported.add(seen)
                    found.append(problem)
    return found


def _week_words(number: int, values: Mapping[str, float],
                resolved: sessions.Resolved) -> str:
    """``in week 4 (hold = 35s), ``: the week a finding is about and its values."""
    parameters = {name: parameter for p in resolved.parts
                  if isinstance(p, sessions.RoutinePart) and p.parsed.routine is not None
                  for name, parameter in declared(p.parsed.routine).items()}
    shown = ", ".join(f"{name} = {value_text(parameters[name], value)}"
                      for name, value in values.items() if name in parameters)
    return f"in week {number}" + (f" ({shown})" if shown else "") + ", "


def _progression(path: str, programme: plans.Programme, progression: plans.Progression,
                 declaring: dict[str, list[tuple[m.Routine, m.Parameter]]]
                 ) -> list[Diagnostic]:
    users = declaring.get(progression.parameter, [])
    if not users:
        known = sorted(declaring)
        from dsl.suggestions import closest, suggestion

        return [Diagnostic(
            OVERRIDE_CODE, f"no routine of this programme has a parameter "
            f"`{progression.parameter}`", path, progression.name_span,
            hint=suggestion(closest(progression.parameter, tuple(known)))
            or ("its routines' parameters are " + ", ".join(f"`{k}`" for k in known)
                if known else "its routines declare no parameters"))]
    found: list[Diagnostic] = []
    values = programmes.progression_values(progression, programmes.weeks_of(programme))
    for routine, parameter in users:
        sample = progression.first
        if not same_kind(sample, parameter):
            found.append(Diagnostic(
                OVERRIDE_CODE, f"`{progression.parameter}` of \"{routine.title}\" takes "
                f"{printer.parameter_range(parameter)}, not "
                f"`{printer.parameter_value(sample)}`", path, sample.span,
                hint=f"write values like `{printer.parameter_value(parameter.default)}`"))
            continue
        low, high = low_end(parameter.allowed), high_end(parameter.allowed)
        for week, value in enumerate(values, start=1):
            if not low <= value <= high:
                shown = printer.parameter_value(_like(parameter, value))
                found.append(Diagnostic(
                    OUT_OF_RANGE, f"in week {week}, `{progression.parameter}` comes to "
                    f"{shown}, outside its range in \"{routine.title}\" "
                    f"({printer.parameter_range(parameter)})", path, progression.span,
                    hint=f"keep every week within {printer.parameter_range(parameter)}: "
                    "lower the values or the `up to`"))
                break
    return found


def _like(parameter: m.Parameter, value: float) -> m.Amount | m.Count:
    if isinstance(parameter.default, m.Amount):
        quantity = m.Quantity(value, parameter.default.unit)
        return m.Amount(quantity, quantity)
    return m.Count(int(value), int(value))


def _stages(path: str, programme: plans.Programme) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    names: dict[str, plans.Stage] = {}
    for stage in programme.stages:
        if stage.name in names:
            found.append(Diagnostic(
                UNKNOWN_STAGE, f"two stages are named `{stage.name}`", path,
                _head(stage.span, len("stage ") + len(stage.name)),
                hint="give each stage its own name",
                related=(Related("the first stage of that name", _head(
                    names[stage.name].span, len("stage ") + len(stage.name)), path),)))
        names.setdefault(stage.name, stage)
    start = programme.start_stage
    if start is not None and start.name not in names:
        from dsl.suggestions import closest, suggestion

        found.append(Diagnostic(
            UNKNOWN_STAGE, f"no stage is named `{start.name}`", path, start.span,
            hint=suggestion(closest(start.name, tuple(names))) or (
                "its stages are " + ", ".join(f"`{n}`" for n in names) if names
                else "write the stages first: `stage early:`")))
    return found


def _head(span: m.Span, width: int) -> m.Span:
    """The first words of a block's first line (a block's span covers its body too)."""
    return m.Span(span.line, span.column, span.line, span.column + width)
