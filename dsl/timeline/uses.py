"""A routine as one use of a session runs it: its sides, variants and parameter values as
the ``do`` line's overrides set them (a model-to-model step, before expanding).

``prepared`` reads the overrides against the routine and gives the routine filled with
its values, with the sides set, and the variants chosen; or the problems, each at the line
of the session that says it (the checker reports them; the compiler is never given a use
with problems).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.model import plans, printer
from dsl.model.values import declared, high_end, low_end, same_kind, with_values
from dsl.model.variants import Choice
from dsl.suggestions import closest, suggestion

OVERRIDE_CODE = "R109"
"""The code of an override the routine has nothing for (``dsl.lint.rules``,
``unknown-override``)."""


class Prepared(NamedTuple):
    """A routine ready to expand for one use: filled, sided, and the variants chosen."""

    routine: m.Routine
    choice: Choice | None
    values: dict[str, float]


def prepared(routine: m.Routine, use: plans.Use, path: str,
             extra: Mapping[str, float] | None = None) -> Prepared | list[Diagnostic]:
    """The routine as ``use`` runs it, or what is wrong with the use's overrides (``path``
    is the session's file). ``extra`` are values a programme's progression gives for the
    week, over the use's own (only for parameters the routine declares)."""
    problems: list[Diagnostic] = []
    values = _values(routine, use, path, problems)
    parameters = declared(routine)
    for name, value in (extra or {}).items():
        if name in parameters:
            values[name] = value
    choice = None
    if use.variants:
        from dsl.timeline.choosing import read_variants

        read = read_variants(routine, [p.text for p in use.variants], path)
        if isinstance(read, list):
            by_text = {p.text: p for p in use.variants}
            for problem in read:
                pick = next((p for t, p in by_text.items() if f"`--variant {t}`" in
                             problem.message), use.variants[0])
                message = problem.message.replace(f"`--variant {pick.text}`: ", "").replace(
                    "this routine", f"\"{routine.title}\"")
                hint = (problem.hint or "").replace("`--variant NAME`", "`variant: NAME`")
                problems.append(Diagnostic(OVERRIDE_CODE, message, path, pick.span,
                                           hint=hint or None))
        else:
            choice = read
    sides = use.sides
    if sides is not None and not works_sides(routine):
        problems.append(Diagnostic(
            OVERRIDE_CODE, f"\"{routine.title}\" works no sides: `sides:` changes nothing",
            path, sides.span, hint="leave the `sides:` line out"))
    if problems:
        return problems
    filled = with_values(routine, values)
    return Prepared(with_sides(filled, sides) if sides is not None else filled, choice,
                    values)


def _values(routine: m.Routine, use: plans.Use, path: str,
            problems: list[Diagnostic]) -> dict[str, float]:
    parameters = declared(routine)
    values: dict[str, float] = {}
    for setting in use.settings:
        parameter = parameters.get(setting.name)
        if parameter is None:
            known = tuple(parameters)
            hint = suggestion(closest(setting.name, known)) or (
                "its parameters are " + ", ".join(f"`{n}`" for n in known) if known
                else "it declares no parameters: a value is set where it says `parameter`")
            problems.append(Diagnostic(
                OVERRIDE_CODE, f"\"{routine.title}\" has no parameter `{setting.name}`",
                path, setting.name_span, hint=hint))
            continue
        value = setting.value
        if not same_kind(value, parameter):
            problems.append(Diagnostic(
                OVERRIDE_CODE, f"`{setting.name}` takes "
                f"{printer.parameter_range(parameter)}, not "
                f"`{printer.parameter_value(value)}`", path, value.span,
                hint=f"write a value like `{printer.parameter_value(parameter.default)}`"))
            continue
        number = low_end(value)
        low, high = low_end(parameter.allowed), high_end(parameter.allowed)
        if not low <= number <= high:
            problems.append(Diagnostic(
                OVERRIDE_CODE, f"`{printer.parameter_value(value)}` is outside the range "
                f"of `{setting.name}` ({printer.parameter_range(parameter)})", path,
                value.span, hint=f"choose a value from {printer.parameter_range(parameter)}"))
            continue
        values[setting.name] = number
    return values


def with_sides(routine: m.Routine, sides: m.Sides) -> m.Routine:
    """The routine with every ``sides:`` it (and each of its exercises) says set to
    ``sides``, except ``sides: none`` (a breathing exercise stays without sides); an
    exercise without a ``sides:`` of its own takes the routine's as before."""

    def sided(items: tuple[m.ExerciseItem, ...] | tuple[m.RoutineItem, ...]
              ) -> list[m.RoutineItem]:
        out: list[m.RoutineItem] = []
        for item in items:
            if isinstance(item, m.Sides) and item.mode != "none":
                out.append(m.Sides(sides.mode, sides.first, item.span))
            elif isinstance(item, m.Exercise):
                out.append(m.Exercise(item.title, tuple(sided(item.items)), item.span))
            else:
                out.append(item)
        return out

    return m.Routine(routine.title, tuple(sided(routine.items)), routine.span)


def works_sides(routine: m.Routine) -> bool:
    """Whether the routine (or one of its exercises) works one side at a time."""
    return routine.sides.mode != "none" or any(
        e.sides.mode != "none" for e in routine.exercises)
