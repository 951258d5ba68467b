"""The routine with its parameters' values filled in: a model-to-model step.

A routine declares values the coach sets for each client (``parameter hold: 30s, 20-60s``)
and uses them where an amount goes (``hold {hold}``), as a repeat count
(``repeat {rounds} times:``) and in quoted text (``"Hold for {hold}"``). Before anything
works out what the routine does (the expansion, the checks, the compiler), ``with_values``
gives the same routine with every use replaced by a plain value: an amount of that value,
a repeat of that many passes, the value in words in the texts. Everything after it sees
ordinary amounts and counts and needs to know nothing of parameters.

The filled amounts and counts keep the parameter's name (``Amount.parameter``), so the
printer still writes ``{hold}`` and a diagnostic on the amount points at the use. Texts are
filled with ``placeholders.fill_partly``: the side words (``{side}``) stay for the
compiler to fill per side.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec.structs

from dsl import model as m
from dsl.model import placeholders, printer

Values = Mapping[str, float]
"""A value for each parameter, by name: seconds, counts or breaths (the parameter's unit)
for an amount, a whole number for a repeat count."""


def defaults(routine: m.Routine) -> dict[str, float]:
    """Each parameter's default (the first declaration of a name counts), or the value
    ``with_values`` gave it already."""
    found: dict[str, float] = {}
    for parameter in routine.parameters:
        value = low_end(parameter.default) if parameter.value is None else parameter.value
        found.setdefault(parameter.name, value)
    return found


def unfilled(routine: m.Routine) -> bool:
    """Whether the routine has parameters ``with_values`` has not filled in yet."""
    return any(p.value is None for p in routine.parameters)


def low_end(value: m.Amount | m.Count) -> float:
    return value.low if isinstance(value, m.Count) else value.low.value


def high_end(value: m.Amount | m.Count) -> float:
    return value.high if isinstance(value, m.Count) else value.high.value


def declared(routine: m.Routine) -> dict[str, m.Parameter]:
    """The routine's parameters by name (the first declaration of a name counts)."""
    found: dict[str, m.Parameter] = {}
    for parameter in routine.parameters:
        found.setdefault(parameter.name, parameter)
    return found


def same_kind(value: m.Amount | m.Count, parameter: m.Parameter) -> bool:
    """Whether a value written for a parameter is of its kind: a count for a repeat count,
    an amount in the parameter's unit for an amount (a session's ``set``, a programme's
    ``progress``)."""
    if isinstance(value, m.Count) or parameter.is_count:
        return isinstance(value, m.Count) == parameter.is_count
    default = parameter.default
    return not isinstance(default, m.Amount) or value.low.unit == default.low.unit


def in_words(parameter: m.Parameter, value: float) -> str:
    """A value as a text says it: ``30 seconds``, ``5 breaths``, ``3``."""
    if parameter.is_count:
        return printer.number(value)
    unit = parameter.default.unit if isinstance(parameter.default, m.Amount) else "s"
    return printer.spoken(m.Quantity(value, unit))


def value_text(parameter: m.Parameter, value: float) -> str:
    """A value as the routine would write it: ``60s``, ``5 breaths``, ``3``."""
    if isinstance(parameter.default, m.Amount):
        return printer.quantity(m.Quantity(value, parameter.default.unit))
    return printer.number(value)


def with_values(routine: m.Routine, values: Values | None = None) -> m.Routine:
    """The routine with every use of a parameter filled with its value (``values``, the
    defaults for the parameters it leaves out; filling a filled routine again keeps its
    values). A routine without parameters is returned as it is; so is anything a
    parameter is not used in."""
    parameters = declared(routine)
    if not parameters:
        return routine
    chosen = {**defaults(routine), **(values or {})}
    filler = _Filler(parameters, chosen)
    items = tuple([
        msgspec.structs.replace(item, value=chosen[item.name]) if isinstance(item, m.Parameter)
        else filler.node(item) for item in routine.items])
    return msgspec.structs.replace(routine, items=items)


class _Filler:
    """Walks the model's nodes and rebuilds the ones a parameter is used in."""

    def __init__(self, parameters: dict[str, m.Parameter], values: dict[str, float]) -> None:
        self.parameters = parameters
        self.values = values
        self.words = {name: in_words(parameters[name], value)
                      for name, value in values.items() if name in parameters}

    def node(self, node: Any) -> Any:
        if isinstance(node, m.Amount):
            return self.amount(node)
        if isinstance(node, m.RepeatCount) and node.parameter is not None:
            parameter = self.parameters.get(node.parameter)
            if parameter is None or not parameter.is_count:  # the parser reported it
                return node
            passes = int(self.values[node.parameter])
            return msgspec.structs.replace(node, low=passes, high=passes)
        if isinstance(node, str):
            return placeholders.fill_partly(node, self.words)
        if isinstance(node, tuple):
            return tuple([self.node(item) for item in node])
        if not isinstance(node, m.Node):
            return node
        changed: dict[str, Any] = {}
        for field in node.__struct_fields__:
            value = getattr(node, field)
            if value is None or isinstance(value, (int, float, m.Span)):
                continue
            filled = self.node(value)
            if filled is not value and filled != value:
                changed[field] = filled
        return msgspec.structs.replace(node, **changed) if changed else node

    def amount(self, amount: m.Amount) -> m.Amount:
        parameter = None if amount.parameter is None else self.parameters.get(amount.parameter)
        if parameter is None or not isinstance(parameter.default, m.Amount):
            return amount  # no parameter, or one the parser reported
        unit = parameter.default.unit
        value = m.Quantity(self.values[parameter.name], unit)
        return msgspec.structs.replace(amount, low=value, high=value)


MAX_CORNERS = 64
"""The most combinations of parameters' ends the checks run on (six parameters with a
range each): beyond it, the routine is checked at its defaults only and
``too-many-parameters`` (V123) says so."""


def corners(routine: m.Routine) -> list[dict[str, float]]:
    """Every combination of the parameters' low and high ends (a parameter whose range is
    one value counts once), in declaration order, the first parameter varying slowest: the
    values at which the checks find the worst case of every figure (docs/design.md,
    "Parameters"). Empty when there are more than ``MAX_CORNERS``."""
    ends: list[tuple[str, tuple[float, ...]]] = []
    for name, parameter in declared(routine).items():
        low, high = sorted((low_end(parameter.allowed), high_end(parameter.allowed)))
        ends.append((name, (low,) if low == high else (low, high)))
    total = 1
    for _, values in ends:
        total *= len(values)
    if total > MAX_CORNERS:
        return []
    found: list[dict[str, float]] = [{}]
    for name, values in ends:
        found = [{**corner, name: value} for corner in found for value in values]
    return found


def uses(routine: m.Routine) -> set[str]:
    """The names used in ``{name}`` placeholders anywhere in the routine as written: as an
    amount, a repeat count or in a text (the parameters' own texts left out)."""
    found: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, str):
            if "{" in node:
                found.update(placeholders.names(node))
        elif isinstance(node, tuple):
            for item in node:
                visit(item)
        elif isinstance(node, m.Node) and not isinstance(node, m.Parameter):
            name = getattr(node, "parameter", None)
            if isinstance(name, str):
                found.add(name)
            for field in node.__struct_fields__:
                if field != "parameter":
                    visit(getattr(node, field))

    visit(routine.items)
    return found
