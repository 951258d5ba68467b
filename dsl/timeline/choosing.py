"""Reading ``--variant``: the variants a routine is compiled (or played) with.

``stretch compile --variant harder`` chooses ``harder`` for the whole routine;
``--variant calf/easier`` chooses ``easier`` for the exercise ``calf`` alone (its ``id:``,
its number from 1 in the order written, or its section id ``e1``), over a variant chosen
for the whole routine. One variant applies at a time in each of these scopes.
``read_variants`` turns the written choices into a ``dsl.model.variants.Choice``, or into
the diagnostics that say what is wrong (C006 to C008): a variant the scope does not have,
an exercise the routine does not have, two variants for one scope.
"""

from __future__ import annotations

from collections.abc import Sequence

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.model.variants import BUILT_IN, Choice, changed_by, declared
from dsl.suggestions import closest, suggestion


def read_variants(routine: m.Routine, written: Sequence[str],
                  path: str) -> Choice | list[Diagnostic]:
    """The choice the written ``--variant`` values make, or every problem with them."""
    exercises = routine.exercises
    for_routine: str | None = None
    by_exercise: dict[int, str] = {}
    problems: list[Diagnostic] = []
    title = _title_span(routine)
    for choice in written:
        scope, slash, name = choice.strip().rpartition("/")
        name = name.strip().lower()
        index: int | None = None
        if slash:
            index = _exercise(exercises, scope.strip())
            if index is None:
                problems.append(_unknown_exercise(choice, scope.strip(), exercises, path,
                                                  title))
                continue
        where = routine if index is None else exercises[index]
        known = _known(routine, index)
        if name not in known:
            hint = suggestion(closest(name, known)) or (
                "its variants are " + ", ".join(f"`{n}`" for n in known))
            what = "this routine" if index is None else f"exercise \"{where.title}\""
            problems.append(Diagnostic(
                "C006", f"`--variant {choice}`: {what} has no variant `{name}`", path,
                _title_span(where), hint=hint))
            continue
        earlier = for_routine if index is None else by_exercise.get(index)
        if earlier is not None and earlier != name:
            scope_said = ("the routine" if index is None
                          else f"exercise \"{where.title}\"")
            problems.append(Diagnostic(
                "C008", f"`--variant {choice}`: {scope_said} has variant `{earlier}` chosen "
                "already", path, _title_span(where),
                hint="one variant applies at a time: choose one for the whole routine, and "
                "one for an exercise with `--variant EXERCISE/NAME`"))
            continue
        if index is None:
            for_routine = name
        else:
            by_exercise[index] = name
    if problems:
        return problems
    return Choice(for_routine, tuple(sorted(by_exercise.items())))


def _known(routine: m.Routine, index: int | None) -> list[str]:
    """The variants a scope has: easier and harder, the ones declared for it and above it,
    and the ones its steps' changes use (the routine's scope: all of them)."""
    names = [*BUILT_IN, *declared(routine.items)]
    if index is None:
        names.extend(changed_by(routine.items))
        for exercise in routine.exercises:
            names.extend(declared(exercise.items))
    else:
        exercise = routine.exercises[index]
        names.extend([*declared(exercise.items), *changed_by(exercise.items)])
    return list(dict.fromkeys(names))


def _exercise(exercises: tuple[m.Exercise, ...], written: str) -> int | None:
    """The exercise ``written`` names: its ``id:``, its number from 1, or ``e`` and it."""
    for index, exercise in enumerate(exercises):
        if exercise.id == written:
            return index
    number = written[1:] if written[:1] == "e" else written
    if number.isdigit() and 1 <= int(number) <= len(exercises):
        return int(number) - 1
    return None


def _unknown_exercise(choice: str, scope: str, exercises: tuple[m.Exercise, ...],
                      path: str, title: m.Span) -> Diagnostic:
    if not exercises:
        return Diagnostic(
            "C007", f"`--variant {choice}`: this routine has no exercises", path, title,
            hint="choose the variant for the whole routine: `--variant NAME`")
    ids = [e.id for e in exercises if e.id is not None]
    hint = suggestion(closest(scope, ids)) or (
        f"name an exercise by its `id:` or its number, 1 to {len(exercises)}")
    return Diagnostic("C007", f"`--variant {choice}`: this routine has no exercise `{scope}`",
                      path, title, hint=hint)


def _title_span(where: m.Routine | m.Exercise) -> m.Span:
    """The keyword that opens the routine or the exercise: where a choice's problem
    points."""
    word = "routine" if isinstance(where, m.Routine) else "exercise"
    span = where.span
    return m.Span(span.line, span.column, span.line, span.column + len(word))
