"""The `do` lines of sessions and programmes in an editor: where a reference leads (go to
definition) and what it names (hover).

A reference resolves as ``stretch lint`` resolves it for that file: in the file's own
folder tree and the ``library`` folders of its configuration (``dsl.source.library``).
Referenced files are read from disk, through the same capped reader as every file: a
referenced document open with unsaved changes is read as it was last saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from dsl import model as m
from dsl.model import plans, printer
from dsl.source.library import Library, Resolution
from dsl.syntax.parser import parse_file


class Found(NamedTuple):
    """A reference under the cursor and where it leads."""

    reference: plans.Reference
    resolution: Resolution


def references(plan: plans.Plan) -> list[plans.Reference]:
    """Every reference of a session or programme, in the order written."""
    if isinstance(plan, plans.Session):
        return [use.reference for use in plan.uses]
    return list(plan.references)


def reference_at(plan: plans.Plan, line: int, column: int, path: str,
                 library: tuple[str, ...]) -> Found | None:
    """The reference at a position (1-based line and column) and where it leads."""
    for reference in references(plan):
        span = reference.span
        if span.line == line and span.column <= column <= span.end_column:
            found = Library.for_file(path, library).resolve(reference, path)
            return Found(reference, found)
    return None


def target_line(path: Path) -> int:
    """The line to show of a referenced file: its `id:` line, else its first."""
    parsed = parse_file(path)
    top = parsed.routine or parsed.plan
    if top is not None:
        for item in top.items:
            if isinstance(item, m.RoutineId):
                return item.span.line
    return 1


def hover_text(found: Found) -> str:
    """What a reference names, in Markdown: its title, kind, duration and what can be
    set; or why it leads nowhere."""
    reference, resolution = found
    if resolution.path is None:
        if resolution.problem == "missing-file":
            return f"`{reference.value}`: no such file next to this one"
        if resolution.problem == "duplicate-id":
            listed = ", ".join(f"`{p}`" for p in resolution.candidates)
            return f"`{reference.value}`: several files have this id: {listed}"
        return f"`{reference.value}`: no routine or session in the library has this id"
    from dsl import compile_file

    compiled = compile_file(resolution.path)
    parsed = parse_file(resolution.path)
    top = parsed.routine or parsed.plan
    kind = ("routine" if parsed.routine is not None else
            "session" if isinstance(parsed.plan, plans.Session) else "programme")
    title = top.title if top is not None else resolution.path.name
    lines = [f"**{title}** ({kind}, `{resolution.path.name}`)"]
    document = compiled.document
    if document is not None and "summary" in document:
        duration = document["summary"]["duration"]
        low, high = printer.duration(duration["min"]), printer.duration(duration["max"])
        lines.append(f"Takes {low}" + ("" if low == high else f" to {high}") + ".")
    elif compiled.errors:
        lines.append(f"It has {len(compiled.errors)} error(s): `stretch lint` shows them.")
    routine = parsed.routine
    if routine is not None:
        if routine.parameters:
            lines.append("Parameters: " + ", ".join(
                f"`{p.name}` ({printer.parameter_range(p)}, default "
                f"{printer.parameter_value(p.default)})" for p in routine.parameters) + ".")
        from dsl.model.variants import changed_by, declared

        names = list(dict.fromkeys([*declared(routine.items), *changed_by(routine.items)]))
        if names:
            lines.append("Variants: " + ", ".join(f"`{n}`" for n in names) + ".")
    lines.append(f"[{resolution.path}]({resolution.path.as_uri()})")
    return "\n\n".join(lines)
