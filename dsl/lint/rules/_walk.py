"""Walking a routine's statements (as written, not expanded) for the value rules."""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m


def blocks(routine: m.Routine) -> Iterator[tuple[m.BlockItem, ...]]:
    """The routine's body and each safety handler's body."""
    yield routine.body
    for handler in routine.handlers:
        yield handler.body


def repeats(items: tuple[m.BlockItem, ...]) -> Iterator[m.Repeat]:
    """Every repeat in a block, nested ones included, in source order."""
    for item in items:
        if isinstance(item, m.Repeat):
            yield item
            yield from repeats(item.body)
        elif isinstance(item, m.SideOnly):
            yield from repeats(item.body)


def side_blocks(items: tuple[m.BlockItem, ...]) -> Iterator[m.SideOnly]:
    """Every one-side block (``left only:``) in a block, nested ones included, in source
    order."""
    for item in items:
        if isinstance(item, m.SideOnly):
            yield item
            yield from side_blocks(item.body)
        elif isinstance(item, m.Repeat):
            yield from side_blocks(item.body)


def all_repeats(routine: m.Routine) -> Iterator[m.Repeat]:
    for block in blocks(routine):
        yield from repeats(block)


def all_steps(routine: m.Routine) -> Iterator[m.Step]:
    for block in blocks(routine):
        yield from m.walk_steps(block)


def amounts(routine: m.Routine) -> Iterator[m.Amount]:
    """Every amount written in the routine: steps, the switch, rests between passes and
    time-bounded repeats."""
    for step in all_steps(routine):
        if step.by_side is not None:
            yield step.by_side.left
            yield step.by_side.right
        elif step.amount is not None:
            yield step.amount
    switch = routine.first(m.Switch)
    if switch is not None and switch.amount is not None:
        yield switch.amount
    for repeat in all_repeats(routine):
        if repeat.rest is not None:
            yield repeat.rest.amount
        if repeat.count.duration is not None:
            yield repeat.count.duration


def intensities(routine: m.Routine) -> Iterator[m.Intensity]:
    for step in all_steps(routine):
        if step.intensity is not None:
            yield step.intensity


def steps_start(routine: m.Routine) -> m.RoutineItem | None:
    """Where the routine's steps start: its first safety handler, step, repeat or standing
    cue (the settings and limits a fix adds go just before it)."""
    return next((i for i in routine.items
                 if isinstance(i, (m.SafetyHandler, m.Step, m.Repeat, m.Posture, m.SideOnly))),
                None)


def all_limits(routine: m.Routine) -> Iterator[m.Limit]:
    """The routine's limits and every group's."""
    for item in routine.items:
        if isinstance(item, m.Limit):
            yield item
        elif isinstance(item, m.Group):
            yield from item.limits
