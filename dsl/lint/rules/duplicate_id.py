"""Two routine files in one library have the same id.

**What it catches.** An `id:` that another file in the same `stretch lint` run already
uses. The first file (in the sorted order of paths) keeps the id; each later one is
reported, with a note pointing at the first. The ids of a routine's exercises take part
as `routine-id/exercise-id` (in a routine that has an id). (An `id:` given twice in one
file is `duplicate-setting`, R104; two exercises of one routine with the same id,
`duplicate-exercise-id`, R105.)

**Why it matters.** Apps store progress, favourites and links by routine id. Two routines
with one id overwrite each other's history, and a link opens the wrong routine.

Bad (two files):

```stretch
routine "Calf stretch"
  id: calf-stretch
```

```stretch
routine "Calf stretch, bent knee"
  id: calf-stretch
```

Good:

```stretch
routine "Calf stretch, bent knee"
  id: calf-stretch-bent-knee
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import msgspec

from dsl import model as m
from dsl.diagnostics import Related

CODE = "R103"
NAME = "duplicate-id"
SEVERITY = "error"

RUNS = "across files"
REPORTED_BY = "dsl.lint.checker:across_files"
"""Not a check of one file: the lint run collects every file's ``id:`` and
``dsl.lint.checker.across_files`` reports the ``duplicates`` with ``message``."""


class DeclaredId(msgspec.Struct, frozen=True):
    """One file's ``id:``, as the run collects them."""

    path: str
    value: str
    span: m.Span


class Duplicate(msgspec.Struct, frozen=True):
    """A later file that reuses an id, and where the id was first declared."""

    declared: DeclaredId
    first: DeclaredId


def duplicates(ids: Iterable[DeclaredId]) -> Iterator[Duplicate]:
    """Every id declared again after its first file (``ids`` in the run's order)."""
    first: dict[str, DeclaredId] = {}
    for declared in ids:
        earlier = first.setdefault(declared.value, declared)
        if earlier is not declared:
            yield Duplicate(declared, earlier)


def message(duplicate: Duplicate) -> tuple[str, str, Related]:
    """The message, hint and note for one duplicate."""
    exercise = "/" in duplicate.declared.value  # `routine-id/exercise-id`
    return (
        f"the id `{duplicate.declared.value}` is already used by {duplicate.first.path}",
        "give each exercise of a routine its own id: apps keep progress and links by "
        "`routine-id/exercise-id`" if exercise
        else "give each routine its own id: apps keep progress and links by id",
        Related("the id is first used here", duplicate.first.span, duplicate.first.path),
    )
