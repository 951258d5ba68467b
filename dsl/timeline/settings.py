"""Reading ``--set NAME=VALUE``: the values a coach gives a routine's parameters.

``stretch compile --set hold=45s`` (and ``stretch play``, and ``dsl.compile_file(...,
settings=...)``) names a parameter the routine declares and a value in its unit, within
the range it allows. ``read_settings`` turns the written settings into values for
``dsl.model.values.with_values``, or into the diagnostics that say what is wrong (C002 to
C005): an unknown name, a value out of range, a value that cannot be read, a value in the
wrong unit. The diagnostics point at the parameter's declaration (an unknown name at the
routine's title line), so the message shows the range the value must keep to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.model import printer, words
from dsl.model.values import declared, high_end, low_end, value_text
from dsl.suggestions import closest, suggestion
from dsl.syntax.builder import seconds_of_duration

_DURATION = re.compile(r"\d+(?:\.\d+)?(?:s|sec|m|min)(?:\d+(?:\.\d+)?(?:s|sec))?")
_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?) *([A-Za-z]+)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def read_settings(routine: m.Routine, settings: Sequence[str],
                  path: str) -> dict[str, float] | list[Diagnostic]:
    """The values ``settings`` (``NAME=VALUE`` each) give the routine's parameters, or what
    is wrong with them (every problem, not just the first)."""
    parameters = declared(routine)
    values: dict[str, float] = {}
    problems: list[Diagnostic] = []
    for setting in settings:
        name, equals, written = (part.strip() for part in setting.partition("="))
        parameter = parameters.get(name)
        if parameter is None:
            problems.append(_unknown(routine, setting, name if equals else setting,
                                     parameters, path))
            continue
        if not equals or not written:
            problems.append(Diagnostic(
                "C004", f"`--set {setting}` gives `{name}` no value", path,
                parameter.name_span,
                hint=_write(parameter)))
            continue
        value = _read(parameter, setting, written, path)
        if isinstance(value, Diagnostic):
            problems.append(value)
            continue
        low, high = low_end(parameter.allowed), high_end(parameter.allowed)
        if not low <= value <= high:
            allowed = printer.parameter_range(parameter)
            problems.append(Diagnostic(
                "C003", f"`--set {setting}`: `{written}` is outside the "
                f"range of `{name}` ({allowed})", path, parameter.name_span,
                hint=f"choose a value from {allowed}"))
            continue
        values[name] = value
    return problems or values


def _unknown(routine: m.Routine, setting: str, name: str,
             parameters: dict[str, m.Parameter], path: str) -> Diagnostic:
    span = m.Span(routine.span.line, routine.span.column, routine.span.line,
                  routine.span.column + len("routine"))
    if not parameters:
        return Diagnostic("C002", f"`--set {setting}`: this routine declares no parameters",
                          path, span, hint="leave out --set, or declare the parameter: "
                          f"`parameter {name}: 30s, 20-60s \"...\"`")
    hint = suggestion(closest(name, parameters)) or (
        "its parameters are " + ", ".join(f"`{n}`" for n in parameters))
    return Diagnostic("C002", f"`--set {setting}`: this routine has no parameter `{name}`",
                      path, span, hint=hint)


def _read(parameter: m.Parameter, setting: str, written: str,
          path: str) -> float | Diagnostic:
    """The value as a number in the parameter's unit, or why it cannot be one."""
    text = written.strip()
    unit: m.Unit | None
    value: float
    if _DURATION.fullmatch(text):
        value, unit = float(seconds_of_duration(text)), "s"
    elif (found := _WITH_UNIT.fullmatch(text)) and found.group(2).lower() in words.UNIT_WORDS:
        unit, factor = words.UNIT_WORDS[found.group(2).lower()]
        value = float(found.group(1)) * factor
    elif _NUMBER.fullmatch(text):
        value, unit = float(text), None
    else:
        return Diagnostic(
            "C004", f"`--set {setting}`: `{written}` is not a value", path,
            parameter.name_span, hint=_write(parameter))
    expected = parameter.default.unit if isinstance(parameter.default, m.Amount) else None
    if unit != expected:
        if expected is None:
            message = (f"`--set {setting}`: `{parameter.name}` is a number of repeats, "
                       f"written without a unit")
        elif unit is None:
            message = f"`--set {setting}`: `{written}` has no unit"
        else:
            message = (f"`--set {setting}`: `{parameter.name}` is measured in "
                       f"{_unit_name(expected)}, not {_unit_name(unit)}")
        return Diagnostic("C005", message, path, parameter.name_span,
                          hint=_write(parameter))
    if expected is None and not value.is_integer():
        return Diagnostic(
            "C004", f"`--set {setting}`: `{written}` is not a whole number of repeats", path,
            parameter.name_span, hint=_write(parameter))
    return int(value) if value.is_integer() else value


def _unit_name(unit: m.Unit) -> str:
    return "seconds" if unit == "s" else printer.unit_word(unit, many=True)


def _example(parameter: m.Parameter) -> str:
    """A value the parameter takes, as ``--set`` writes it: its high end, in its unit."""
    high = high_end(parameter.allowed)
    return value_text(parameter, high).replace(" ", "")


def _write(parameter: m.Parameter) -> str:
    """The hint for a value that cannot be used: the range, and how to write a value."""
    return (f"write a value from {printer.parameter_range(parameter)}, such as "
            f"`--set {parameter.name}={_example(parameter)}`")
