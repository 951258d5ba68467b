"""Sessions resolved and compiled: the routines a session does, found, read with their
overrides, and laid end to end.

``resolve`` follows a session's ``do`` lines to their files (``dsl.source.library``),
parses them, reads each use's overrides (``dsl.timeline.uses``) and goes into sessions a
session does, watching for a session that comes back to itself. It gives the session as
parts in the order they run, or the problems, each at the line of the file that has it.

``document`` compiles a resolved session into its JSON document (docs/json.md,
"Sessions"): each routine compiled as ``stretch compile`` compiles it with the use's
overrides, the session's steps between them, one flat timeline, and the figures summed.
Parts run one after another and each chooses its ranges on its own, so every figure of the
session (its time, contractions, cycles, per side) runs from the sum of the parts' least
to the sum of their most, exactly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from dsl import model as m
from dsl.diagnostics import Diagnostic, Related
from dsl.model import plans
from dsl.source.library import Library, Resolution
from dsl.suggestions import closest, suggestion
from dsl.syntax.parser import ParsedFile, parse_file
from dsl.timeline import voice
from dsl.timeline.uses import OVERRIDE_CODE, Prepared, prepared
from dsl.timeline.voiced import progress

PLAN_VERSION = "1.1.0"
"""The version of the session and programme documents' contract (schema/session.schema.json
and schema/programme.schema.json), apart from the routine's."""

MISSING = "R106"
DUPLICATE = "R107"
CYCLE = "R108"
BROKEN = "R110"
"""The codes of reference problems (``dsl.lint.rules``: ``missing-reference``,
``ambiguous-reference``, ``reference-cycle``, ``broken-reference``; ``unknown-override``,
R109, is ``dsl.timeline.uses``')."""


class RoutinePart(NamedTuple):
    """A routine a session does: the ``do`` line, its file, and the routine as it runs."""

    use: plans.Use
    path: Path
    parsed: ParsedFile
    ready: Prepared


class StepPart(NamedTuple):
    """A ``rest`` or ``setup`` between a session's routines."""

    step: m.Step


Part = RoutinePart | StepPart


class Resolved(NamedTuple):
    """A session with every reference followed: its parts in the order they run (those of
    a session it does, in its place)."""

    path: Path
    session: plans.Session
    parts: tuple[Part, ...]


class Loader:
    """Reads the files references lead to, each once, and knows the library they resolve
    in: ``library`` folders from the configuration, ``roots`` of a lint run."""

    def __init__(self, library: tuple[str, ...] = (), roots: tuple[str, ...] = ()) -> None:
        self.library = library
        self.roots = roots
        self._parsed: dict[Path, ParsedFile] = {}

    def resolve(self, reference: plans.Reference, from_file: str | Path) -> Resolution:
        return Library.for_file(from_file, self.library, self.roots).resolve(
            reference, from_file)

    def load(self, path: Path) -> ParsedFile:
        """The file parsed, named (in diagnostics) by its path from the working folder,
        as the files a command is given are."""
        found = self._parsed.get(path)
        if found is None:
            found = self._parsed[path] = parse_file(displayed(path))
        return found


def displayed(path: Path) -> Path:
    """A path as diagnostics show it: from the working folder."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive (Windows)
        return path


def resolve(session: plans.Session, path: str | Path, loader: Loader,
            extra: Mapping[str, float] | None = None,
            within: tuple[Path, ...] = ()) -> Resolved | list[Diagnostic]:
    """The session written in ``path``, its references followed, or every problem on its
    ``do`` lines. ``extra``: parameter values a programme gives for a week, over the uses'
    own. ``within``: the sessions (files) that led here, outermost first."""
    resolved, problems = resolve_partly(session, path, loader, extra, within)
    return problems if problems else resolved


def resolve_partly(session: plans.Session, path: str | Path, loader: Loader,
                   extra: Mapping[str, float] | None = None,
                   within: tuple[Path, ...] = ()) -> tuple[Resolved, list[Diagnostic]]:
    """As ``resolve``, both the parts that could be followed and the problems of the
    others (the checker checks the first while it reports the second)."""
    here = Path(os.path.abspath(path)) if str(path) != "-" else Path("-")
    shown = str(path)
    parts: list[Part] = []
    problems: list[Diagnostic] = []
    for item in session.items:
        if isinstance(item, m.Step):
            parts.append(StepPart(item))
            continue
        if not isinstance(item, plans.Use):
            continue
        target = follow(item.reference, shown, loader, problems)
        if target is None:
            continue
        if target == here or target in within:
            chain = " → ".join(p.name for p in (*within, here, target))
            problems.append(_cycle(item.reference, shown, chain))
            continue
        parsed = loader.load(target)
        top = _readable(parsed, item.reference, shown, problems)
        if isinstance(top, m.Routine):
            ready = prepared(top, item, shown, extra)
            if isinstance(ready, list):
                problems.extend(ready)
            else:
                parts.append(RoutinePart(item, target, parsed, ready))
        elif isinstance(top, plans.Session):
            if item.items:
                problems.append(Diagnostic(
                    OVERRIDE_CODE, "sides, variants and values are set for a routine, not "
                    f"for the session `{item.reference.value}`", shown, item.items[0].span,
                    hint="set them on the `do` lines of that session"))
                continue
            inner = resolve(top, target, loader, extra, (*within, here))
            if isinstance(inner, list):
                cycle = next((p for p in inner if p.code == CYCLE), None)
                if cycle is not None:  # the cycle passes through here: say so here
                    chain = cycle.message.rpartition("(")[2].removesuffix(")")
                    problems.append(_cycle(item.reference, shown, chain))
                else:
                    problems.append(broken_inner(item.reference, shown, inner))
            else:
                parts.extend(inner.parts)
        elif isinstance(top, plans.Programme):
            problems.append(Diagnostic(
                BROKEN, f"`{item.reference.value}` is a programme: a session does routines "
                "and sessions", shown, item.reference.span,
                hint="a programme schedules sessions; name a routine or a session here"))
    return Resolved(here, session, tuple(parts)), problems


def _cycle(reference: plans.Reference, shown: str, chain: str) -> Diagnostic:
    """R108 at a reference, with the chain of files that comes back (`a → b → a`)."""
    return Diagnostic(
        CYCLE, f"`{reference.value}` leads back to this session ({chain})", shown,
        reference.span, hint="a session cannot do itself, even through another session")


def follow(reference: plans.Reference, shown: str, loader: Loader,
           problems: list[Diagnostic]) -> Path | None:
    """The file a reference leads to, or None with the problem added to ``problems``."""
    found = loader.resolve(reference, shown)
    if found.path is not None:
        return found.path
    value = reference.value
    if found.problem == "missing-file":
        problems.append(Diagnostic(
            MISSING, f"no file `{value}` next to this one", shown, reference.span,
            hint=suggestion(closest(PurePath(value).name, found.candidates))
            or "a path is relative to the folder of this file"))
    elif found.problem == "unknown-id":
        problems.append(Diagnostic(
            MISSING, f"no routine or session has the id `{value}`", shown, reference.span,
            hint=suggestion(closest(value, found.candidates))
            or "ids are looked up in this folder and the folders under it, and in the "
            "`library` folders of the project's configuration"))
    else:
        related = tuple(Related("declares the id", m.Span(1, 1, 1, 1), str(displayed(Path(p))))
                        for p in found.candidates)
        problems.append(Diagnostic(
            DUPLICATE, f"{len(found.candidates)} files have the id `{value}`", shown,
            reference.span, hint="give each routine its own id, or name the file by its "
            "path: `do \"folder/file.stretch\"`", related=related))
    return None


def _readable(parsed: ParsedFile, reference: plans.Reference, shown: str,
              problems: list[Diagnostic]) -> m.Routine | plans.Plan | None:
    """The routine or plan of a referenced file, or None (its syntax errors reported as
    one problem at the reference: the file's own check shows them)."""
    if parsed.ok and (parsed.routine is not None or parsed.plan is not None):
        return parsed.routine or parsed.plan
    first = next((d for d in parsed.diagnostics if d.severity == "error"), None)
    problems.append(Diagnostic(
        BROKEN, f"`{reference.value}` cannot be read: {parsed.path} has errors", shown,
        reference.span, hint="fix that file first (`stretch check` shows its errors)",
        related=(Related(first.message, first.span, first.path),) if first else ()))
    return None


def broken_inner(reference: plans.Reference, shown: str,
                  inner: list[Diagnostic]) -> Diagnostic:
    first = inner[0]
    return Diagnostic(
        BROKEN, f"the session `{reference.value}` has problems with what it does", shown,
        reference.span, hint="fix that session first (`stretch lint` on it shows them)",
        related=(Related(first.message, first.span, first.path),))


# --- the document ----------------------------------------------------------------------


def document(resolved: Resolved, source: str | None) -> dict[str, Any]:
    """The session's JSON document (``source``: the path recorded, as given). Raises
    ``dsl.timeline.compiler.RoutineTooLong`` as compiling a routine does."""
    from dsl.timeline.compiler import compile_routine

    base = resolved.path.parent
    parts: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = []
    start = (0.0, 0.0)
    summaries: list[dict[str, Any]] = []
    for index, part in enumerate(resolved.parts):
        if isinstance(part, StepPart):
            routine = m.Routine("", (part.step,), part.step.span)
            compiled = compile_routine(routine)
            entries = compiled["timeline"]
            for entry in entries:
                entry["origin"] = "session"  # type: ignore[typeddict-item]
                entry["standingCues"] = []
            record: dict[str, Any] = {
                "index": index, "kind": "step",
                "step": {"kind": part.step.kind, "text": part.step.text},
            }
        else:
            relative = PurePath(os.path.relpath(part.path, base)).as_posix()
            compiled = compile_routine(part.ready.routine, path=relative,
                                       choice=part.ready.choice)
            entries = compiled["timeline"]
            sides = part.use.sides
            record = {
                "index": index, "kind": "routine",
                "reference": {"text": part.use.reference.value,
                              "isPath": part.use.reference.is_path},
                "path": relative,
                "sides": None if sides is None else {"mode": sides.mode,
                                                     "first": sides.first},
                "variants": [p.text for p in part.use.variants],
                "values": {s.name: part.ready.values[s.name] for s in part.use.settings
                           if s.name in part.ready.values},
            }
        summary: dict[str, Any] = dict(compiled["summary"])
        summaries.append(summary)
        duration: dict[str, float] = summary["duration"]
        record["start"] = {"min": start[0], "max": start[1]}
        record["duration"] = dict(duration)
        if record["kind"] == "step":
            record["duration"] = None if entries[0]["duration"] is None else dict(duration)
        else:
            record["routine"] = compiled
        for entry in entries:
            flat: dict[str, Any] = dict(entry)
            flat["index"] = len(timeline)
            flat["start"] = {"min": _num(entry["start"]["min"] + start[0]),
                             "max": _num(entry["start"]["max"] + start[1])}
            flat["part"] = index
            flat["key"] = f"{index}/{entry['key']}"
            timeline.append(flat)
        parts.append(record)
        start = (_num(start[0] + duration["min"]), _num(start[1] + duration["max"]))
    session = resolved.session
    summary = summed(summaries)
    for flat in timeline:  # a fraction of the whole session
        flat["progress"] = progress(flat["start"], summary["duration"])
    return {
        **heading(session, source),
        "limits": [_limit(lim) for lim in session.limits],
        "parts": parts,
        "timeline": timeline,
        "summary": summary,
        "announcements": _announcements(session.title, parts),
    }


def _announcements(title: str, parts: list[dict[str, Any]]) -> dict[str, str]:
    """What a voice says around the session: its title, then the warning of every safety
    handler of its routines in order (each different warning once), then its closing."""
    handlers = [h for part in parts if part["kind"] == "routine"
                for h in part["routine"]["safetyHandlers"]]
    said: list[str] = []
    for warning in map(voice.warning, handlers):
        if warning not in said:
            said.append(warning)
    if not any(h["signal"] == "pain" for h in handlers):
        said.append(voice.STOP_ON_PAIN)
    return {"opening": " ".join([voice.sentence(title), *said]),
            "closing": voice.closing(title)}


def heading(plan: plans.Plan, source: str | None) -> dict[str, Any]:
    """The fields a session's and a programme's documents begin with."""
    return {
        "schemaVersion": PLAN_VERSION,
        "kind": "session" if isinstance(plan, plans.Session) else "programme",
        "source": {"path": source},
        "metadata": {"title": plan.title, "id": plan.id,
                     "notes": [n.text for n in plan.notes]},
    }


def _limit(limit: m.Limit) -> dict[str, Any]:
    return {"subject": limit.subject, "value": limit.value,
            "unit": "s" if limit.subject == "total" else "times",
            "per": "side" if limit.per == "side" else "session"}


def summed(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of parts done one after the other: each range the sum of the parts'."""

    def add(key: str, items: list[dict[str, Any]]) -> dict[str, float]:
        return {"min": _num(sum(s[key]["min"] for s in items)),
                "max": _num(sum(s[key]["max"] for s in items))}

    sides: list[m.Side | None] = [None]
    for summary in summaries:
        for entry in summary["perSide"]:
            if entry["side"] not in sides:
                sides.append(entry["side"])
    per_side = []
    for side in sides:
        found = [e for s in summaries for e in s["perSide"] if e["side"] == side]
        per_side.append({"side": side,
                         "timeUnderStretch": add("timeUnderStretch", found),
                         "contractions": add("contractions", found),
                         "cycles": add("cycles", found)})
    total = {key: add(key, summaries) for key in
             ("duration", "steps", "untimedSteps", "contractions", "cycles")}
    return {**total, "perSide": per_side}


def _num(value: float) -> float:
    """A figure as the compiler writes it: to the millisecond, whole numbers as ints."""
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded
