"""A setting, limit, handler or variant given twice in one routine.

**What it catches.** A second `id:`, `equipment:`, `position:`, `level:`, `partner:`,
`frequency:`, `tempo:`, `sides:` or `switch`; a second limit on the same thing (two
`limit hold` lines, in the routine or in one group); a second `on pain` (or `on cramp`...)
handler; a routine variant declared twice with the same name.

**Why it matters.** Only the first one counts: the second is silently ignored, and it is
usually the one the author meant (an edit added at the bottom of the settings).

Bad:

```stretch
routine "Calf stretch"
  sides: each, left first
  limit hold 60s
  sides: alternating, left first
```

Good:

```stretch
routine "Calf stretch"
  sides: alternating, left first
  limit hold 60s
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Diagnostic, Related
from dsl.lint.rules import Context, Finding, Fix, Fixable

CODE = "R104"
NAME = "duplicate-setting"
SEVERITY = "error"
FIX = Fixable("safe", "removes a setting given again (`id:`, `sides:`, `tempo:`...), which "
              "counts for nothing; limits, handlers and variants given twice are left to you")

_SETTINGS: dict[type, str] = {
    m.RoutineId: "`id:`", m.Equipment: "`equipment:`", m.Position: "`position:`",
    m.Level: "`level:`", m.Partner: "`partner:`", m.Frequency: "`frequency:`",
    m.Tempo: "`tempo:`", m.Sides: "`sides:`", m.Switch: "`switch`",
}


def check(context: Context) -> Iterator[Finding]:
    first: dict[object, m.Span] = {}

    def seen(key: object, span: m.Span, what: str, hint: str) -> Iterator[Finding]:
        earlier = first.get(key)
        if earlier is None:
            first[key] = span
        else:
            yield Finding(context.first_line(span), f"{what} is given twice",
                          hint, (Related("first given here", context.first_line(earlier)),))

    only_first = "only the first one counts: keep the one you mean and remove the other"
    for item in context.routine.items:
        if type(item) in _SETTINGS:
            yield from seen(type(item), item.span, _SETTINGS[type(item)], only_first)
        elif isinstance(item, m.Limit):
            yield from seen(("limit", None, item.subject, item.per), item.span,
                            f"`limit {item.subject}`", only_first)
        elif isinstance(item, m.Group):
            for limit in item.limits:
                yield from seen(("limit", item.name, limit.subject, limit.per), limit.span,
                                f"`limit {limit.subject}` for {item.name}", only_first)
        elif isinstance(item, m.SafetyHandler):
            yield from seen(("on", item.signal), item.span, f"`on {item.signal}`",
                            "a player runs one handler per signal: merge the steps into one")
        elif isinstance(item, m.Variant):
            yield from seen(("variant", item.name), item.span, f"variant `{item.name}`",
                            "give each variant its own name")


def fix(context: Context, found: Diagnostic) -> Fix | None:
    """Only the first of a setting counts, so removing a later one changes nothing. A
    line with a comment is left alone: the comment would go with it."""
    seen: set[type] = set()
    for item in context.routine.items:
        kind = type(item)
        if kind not in _SETTINGS:
            continue
        if kind in seen and context.first_line(item.span) == found.span:
            first, last = item.span.line, item.span.end_line
            if context.has_comment(first, last):
                return None
            return Fix(f"Remove the second {_SETTINGS[kind]}", FIX.safety,
                       (context.delete_lines(first, last),))
        seen.add(kind)
    return None
