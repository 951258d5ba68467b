"""The routine as one variant makes it: a model-to-model step, like ``values.with_values``.

A variant can change the steps (docs/language.md, "Variants that change steps"): under a
step, ``variant harder: 60s`` gives it another amount, ``variant easier: leave out`` leaves
it out, and ``variant harder:`` with steps indented under it puts those steps in its place;
a ``variant harder only:`` block runs only in that variant. ``with_variant`` gives the
routine with the chosen variant's changes made and every other change gone, so what works
out what the routine does (the expansion, the checks, the compiler) sees ordinary steps and
needs to know nothing of variants.

One variant applies at a time in each *scope*: the routine, and each of its exercises. A
``Choice`` names the variant chosen for the whole routine and, for an exercise, one that
replaces it there (``--variant harder --variant calf/easier``: harder everywhere but in
the exercise ``calf``, which runs easier).
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import msgspec.structs

from dsl import model as m


class Choice(msgspec.Struct, frozen=True):
    """The variants chosen: ``routine`` for every exercise (or the routine's steps), and,
    by exercise (its index among the routine's exercises, from 0), one that replaces it in
    that exercise. None: the routine as written, no variant."""

    routine: str | None = None
    exercises: tuple[tuple[int, str], ...] = ()

    def for_exercise(self, index: int) -> str | None:
        return dict(self.exercises).get(index, self.routine)

    @property
    def is_base(self) -> bool:
        return self.routine is None and not self.exercises


BASE = Choice()
"""No variant: the routine as written, every change left out."""


def with_variant(routine: m.Routine, choice: Choice | None = None) -> m.Routine:
    """The routine with the variants of ``choice`` made (none: the base routine) and every
    change and ``only`` block of other variants gone. A routine with no change is returned
    as it is, and so is one the changes are gone from already. (Each call makes new
    steps: an expansion fits the routine it was made from, not another call's.)"""
    if not has_changes(routine):
        return routine
    choice = choice or BASE
    items: list[m.RoutineItem] = []
    index = 0
    for item in routine.items:
        if isinstance(item, m.Exercise):
            name = choice.for_exercise(index)
            index += 1
            inner: list[m.RoutineItem] = []
            for member in item.items:
                inner.extend(_made(member, name))  # an exercise's items stay its kinds
            items.append(msgspec.structs.replace(item, items=tuple(inner)))
        else:
            items.extend(_made(item, choice.routine))
    return msgspec.structs.replace(routine, items=tuple(items))


def _made(item: m.RoutineItem, name: str | None) -> list[m.RoutineItem]:
    """What a statement becomes when the variant ``name`` is chosen (None: none is)."""
    if isinstance(item, m.Step):
        return list(_step(item, name))
    if isinstance(item, (m.Repeat, m.SideOnly, m.SafetyHandler)):
        body = _block(item.body, name)
        # A block whose every step the variant leaves out is left out with them (its
        # standing cues too: they stood for steps that no longer run).
        if not m.walk_steps(body) and m.walk_steps(item.body):
            return []
        return [msgspec.structs.replace(item, body=body)]
    if isinstance(item, m.VariantOnly):
        return list(_block(item.body, name)) if item.name == name else []
    return [item]


def _block(items: tuple[m.BlockItem, ...], name: str | None) -> tuple[m.BlockItem, ...]:
    found: list[m.BlockItem] = []
    for item in items:
        found.extend(_made(item, name))  # type: ignore[arg-type]  # a block's own kinds
    return tuple(found)


def _step(step: m.Step, name: str | None) -> tuple[m.BlockItem, ...]:
    changes = step.changes
    if not changes:
        return (step,)
    change = next((c for c in changes if c.name == name), None)
    plain = msgspec.structs.replace(step, details=tuple(
        d for d in step.details if not isinstance(d, m.StepChange)))
    if change is None:
        return (plain,)
    if change.leave_out:
        return ()
    if change.amount is not None:
        # The new amount stands where `briefly` stood, if it did.
        return (msgspec.structs.replace(plain, amount=change.amount, by_side=change.by_side,
                                        vague=None),)
    return _block(change.steps, name)


def has_changes(routine: m.Routine) -> bool:
    """Whether the routine has a step change or a ``variant ... only:`` block anywhere.
    (Asked of every routine checked or compiled: a plain loop, no generator.)"""
    return _has_changes(routine.items)


def _has_changes(items: tuple[object, ...]) -> bool:
    for item in items:
        kind = item.__class__
        if kind is m.Step:
            for detail in item.details:  # type: ignore[attr-defined]
                if detail.__class__ is m.StepChange:
                    return True
        elif kind is m.VariantOnly:
            return True
        elif kind in _BLOCKS:
            if _has_changes(item.body):  # type: ignore[attr-defined]
                return True
        elif kind is m.Exercise and _has_changes(item.items):  # type: ignore[attr-defined]
            return True
    return False


_BLOCKS = (m.Repeat, m.SideOnly, m.SafetyHandler)


def _changes(items: tuple[object, ...]) -> Iterator[tuple[str, m.Span]]:
    """Each change's variant name and place, in source order (exercises entered)."""
    for item in items:
        if isinstance(item, m.Step):
            if item.details:
                for change in item.changes:
                    yield change.name, change.span
                    yield from _changes(change.steps)
        elif isinstance(item, m.VariantOnly):
            yield item.name, item.span
            yield from _changes(item.body)
        elif isinstance(item, (m.Repeat, m.SideOnly, m.SafetyHandler)):
            yield from _changes(item.body)
        elif isinstance(item, m.Exercise):
            yield from _changes(item.items)


def changed_by(items: tuple[object, ...]) -> list[str]:
    """The variants that change something among ``items`` (a routine's or an exercise's),
    in the order they are first used."""
    return list(dict.fromkeys(name for name, _ in _changes(items)))


def alternatives(routine: m.Routine) -> list[Choice]:
    """Every way an app can switch the routine to one variant: each variant that changes
    something, chosen for the whole routine, in the order first used; then, in a routine
    with exercises, each exercise's, chosen for that exercise alone (the document's
    ``variantTimelines``, in this order)."""
    found = [Choice(name) for name in changed_by(routine.items)]
    for index, exercise in enumerate(routine.exercises):
        found.extend(Choice(exercises=((index, name),)) for name in changed_by(exercise.items))
    return found


MAX_COMBINATIONS = 64
"""The most choices of a variant (or none) per exercise that the checks run on each of;
beyond it they run on ``alternatives`` (which covers every limit counted per exercise) and,
for the figures counted over the whole routine, on the choices that make each largest
(``dsl.lint.checker``)."""


def options(routine: m.Routine) -> list[list[str | None]]:
    """For each exercise, what may run in it: no variant, or each variant that changes
    something in it."""
    return [[None, *changed_by(e.items)] for e in routine.exercises]


def combination_count(routine: m.Routine) -> int:
    """How many ways there are of choosing one variant or none in each exercise."""
    total = 1
    for option in options(routine):
        total *= len(option)
    return total


def combinations(routine: m.Routine) -> list[Choice]:
    """Every choice the checks run on besides the base routine: ``alternatives``, then, in
    a routine with exercises, every other way of choosing one variant or none in each
    exercise (limits counted over the whole routine depend on what each exercise runs),
    when there are at most ``MAX_COMBINATIONS``."""
    found = alternatives(routine)
    exercises = routine.exercises
    if len(exercises) < 2 or combination_count(routine) > MAX_COMBINATIONS:
        return found
    every: list[tuple[tuple[int, str], ...]] = [()]
    for index, option in enumerate(options(routine)):
        every = [(*chosen, (index, name)) if name is not None else chosen
                 for chosen in every for name in option]
    seen = {_effect(c, len(exercises)) for c in found}
    seen.add(_effect(BASE, len(exercises)))
    for chosen in every:
        choice = Choice(exercises=chosen)
        effect = _effect(choice, len(exercises))
        if effect not in seen:
            seen.add(effect)
            found.append(choice)
    return found


def _effect(choice: Choice, exercises: int) -> tuple[str | None, ...]:
    """What a choice runs in each exercise."""
    return tuple(choice.for_exercise(i) for i in range(exercises))


def describe(choice: Choice, routine: m.Routine) -> str:
    """A choice as a message says it: ``variant `harder```, ``variant `easier` in
    exercise "Calf stretch"``."""
    said: list[str] = []
    if choice.routine is not None:
        said.append(f"variant `{choice.routine}`")
    exercises = routine.exercises
    for index, name in choice.exercises:
        said.append(f"variant `{name}` in exercise \"{exercises[index].title}\"")
    return " and ".join(said) or "no variant"


def declared(items: tuple[object, ...]) -> list[str]:
    """The variants declared among a routine's or an exercise's statements
    (``variant chair "..."``), in order."""
    return [item.name for item in items if isinstance(item, m.Variant)]


BUILT_IN = ("easier", "harder")
"""The variants every routine has without declaring them."""


def known(routine: m.Routine, exercise: m.Exercise | None = None) -> list[str]:
    """The variant names a step of the routine (of ``exercise``, when given) may use."""
    names = [*BUILT_IN, *declared(routine.items)]
    if exercise is not None:
        names.extend(declared(exercise.items))
    return list(dict.fromkeys(names))


def uses(routine: m.Routine) -> Iterator[tuple[str, m.Span, m.Exercise | None]]:
    """Each variant name a change uses, where, and the exercise it is in (None: the
    routine's own steps)."""
    for item in routine.items:
        if isinstance(item, m.Exercise):
            for name, span in _changes(item.items):
                yield name, span, item
        else:
            for name, span in _changes((item,)):
                yield name, span, None
