"""Checking a routine over every value its parameters allow.

A parameter lets the coach choose a value within a range (``parameter hold: 30s,
20-60s``), so the checks must hold for every value, not only the default. Every figure
the rules compare with a limit (a step's length, the total time, the time per side, how
many contractions and cycles) grows with each amount and each repeat count and never
shrinks, so each figure is at its largest and smallest where every parameter is at one
end of its range: at a *corner* of the box of values (docs/design.md, "Parameters", says
why, and what keeps it true). The rules run at every corner; what they find there that
they did not find at the values the routine runs with is reported once, with the values
that cause it: "with hold = 60s, this hold lasts 60s, longer than ...".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import msgspec.structs

from dsl import model as m
from dsl.diagnostics import Diagnostic, Related
from dsl.model.values import corners, declared, high_end, low_end, uses, value_text

Findings = Callable[[Mapping[str, float]], list[Diagnostic]]
"""What the rules find in the routine with these values."""


def at_corners(routine: m.Routine, checked: list[Diagnostic],
               base: Mapping[str, float], findings: Findings) -> list[Diagnostic]:
    """What ``findings`` gives at the corners of the routine's parameters that ``checked``
    (the findings at the ``base`` values) does not hold, each once, its message starting
    with the values that cause it. For each, the parameters that play no part (the finding
    stays with them at their base value) are put back and left out of the message."""
    parameters = declared(routine)
    if any(low_end(p.allowed) > high_end(p.allowed) for p in parameters.values()):
        return []  # inverted-range (V101) first: the corners mean nothing yet
    seen = {finding_key(d) for d in checked}
    used = uses(routine)  # an unused parameter (V122) causes nothing
    found: list[Diagnostic] = []
    for corner in corners(routine):
        for diagnostic in findings(corner):
            key = finding_key(diagnostic)
            if key in seen:
                continue
            seen.add(key)
            values, diagnostic = _fewest(corner, diagnostic, base, findings)
            said = ", ".join(f"{name} = {value_text(parameters[name], value)}"
                             for name, value in values.items()
                             if name in used and value != base.get(name))
            message = f"with {said}, {diagnostic.message}" if said else diagnostic.message
            found.append(msgspec.structs.replace(diagnostic, message=message))
    return found


def finding_key(diagnostic: Diagnostic) -> tuple[str, m.Span, tuple[Related, ...]]:
    """A finding is the same when it says the same thing at the same place about the same
    limit (its figures may differ from corner to corner)."""
    return (diagnostic.code, diagnostic.span, diagnostic.related)


def _fewest(corner: Mapping[str, float], diagnostic: Diagnostic, base: Mapping[str, float],
            findings: Findings) -> tuple[dict[str, float], Diagnostic]:
    """The corner with each parameter that the finding does not need put back at its base
    value, one at a time, and the finding as the rules word it there."""
    chosen = dict(corner)
    key = finding_key(diagnostic)
    for name, value in corner.items():
        if name not in base or value == base[name]:
            continue
        trial = {**chosen, name: base[name]}
        again = next((d for d in findings(trial) if finding_key(d) == key), None)
        if again is not None:
            chosen, diagnostic = trial, again
    return chosen, diagnostic
