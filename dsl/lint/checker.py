"""Checking routines beyond syntax: the lint rules, suppressions and configuration.

``check(parsed)`` gives every diagnostic for one parsed file: the parser's, then (when
the file parsed without errors) the rules', with inline suppressions applied, sorted.
``lint_paths(paths)`` lints many files, in parallel processes when there are enough of
them to pay for it, and adds the checks that look across files (duplicate ids). Results
always come back in the order of the paths, so output is stable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
import msgspec.structs

from dsl import codes
from dsl import model as m
from dsl.diagnostics import Diagnostic, Severity
from dsl.lint.config import DEFAULT, Config, Resolver
from dsl.lint.corners import at_corners, finding_key
from dsl.lint.rules import WHOLE_ROUTINE_ONLY, WHOLE_ROUTINE_RULES, Reach, contexts
from dsl.lint.rules.duplicate_id import CODE as DUPLICATE_ID
from dsl.lint.rules.duplicate_id import DeclaredId, duplicates
from dsl.lint.rules.duplicate_id import message as duplicate_message
from dsl.lint.suppression import Suppression, apply, find
from dsl.model.values import Values, defaults, unfilled, with_values
from dsl.model.variants import (
    BASE,
    MAX_COMBINATIONS,
    Choice,
    combination_count,
    combinations,
    describe,
    has_changes,
    options,
    with_variant,
)
from dsl.source.text import Source, load
from dsl.syntax.parser import ParsedFile, parse_file
from dsl.workers import run_each

if TYPE_CHECKING:
    from dsl.timeline.document import Summary
    from dsl.timeline.expand import Expansion

class FileReport(msgspec.Struct, frozen=True):
    """One file's findings before suppressions are applied (what a worker sends back)."""

    path: str
    source: str
    diagnostics: tuple[Diagnostic, ...]
    suppressions: tuple[Suppression, ...]
    declared_id: DeclaredId | None
    exercise_ids: tuple[DeclaredId, ...] = ()
    """``routine-id/exercise-id`` of each exercise with an id (the first with each id), in a
    routine that has an id: they take part in the library's id check too."""


class FileResult(msgspec.Struct, frozen=True):
    """One file's final diagnostics, sorted, and its source (for excerpts)."""

    path: str
    source: str
    diagnostics: tuple[Diagnostic, ...]


class LintRun(msgspec.Struct, frozen=True):
    """What ``lint_paths`` found: one result per file, in the order of the paths."""

    files: tuple[FileResult, ...]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for f in self.files for d in f.diagnostics]

    def sources(self) -> dict[str, str]:
        return {f.path: f.source for f in self.files}


def analyse(parsed: ParsedFile, config: Config = DEFAULT,
            expansion: Expansion | None = None, values: Values | None = None,
            choice: Choice | None = None, roots: tuple[str, ...] = ()) -> FileReport:
    """Run the enabled rules over one parsed file (suppressions not applied yet): the
    checker's one entry, run once per file. ``expansion`` is the routine as it will run
    when the caller has it (it compiles the file next); otherwise the rules that need it
    expand the routine once between them. ``values`` are the parameters' values it will
    run with (``--set``; the defaults when None), ``choice`` the variants (``--variant``;
    none when None). A routine with parameters is also checked at every combination of
    their ranges' ends (``dsl.lint.corners``), and one with variants that change steps
    with every variant (``dsl.model.variants.combinations``). The rules read the routine
    ``expansion`` was made from (``Expansion.routine``: each fill of the values and each
    choice of variants makes new steps, and the rules find the expansion's steps by
    identity). A session or programme is checked with the files it names, found in
    ``roots`` (a lint run's folders) or the file's own folder tree, and the configured
    library (``dsl.lint.plans``)."""
    enabled = config.enabled()
    found: list[Diagnostic] = list(parsed.diagnostics)
    declared = None
    exercise_ids: tuple[DeclaredId, ...] = ()
    suppressions: list[Suppression] = []
    if parsed.routine is not None and parsed.ok:
        # Rules read a routine the parser fully understood; values it could not read are
        # replaced by placeholders that would mislead the rules. They read it with its
        # parameters' values filled in (``values``, else the defaults) and the chosen
        # variants made.
        written = parsed.routine
        routine = with_values(written, values)
        changes = has_changes(routine)
        expanded = expansion.routine if expansion is not None else None
        if expanded is not None and not has_changes(expanded) and not unfilled(expanded):
            main = expanded  # the caller's routine, filled and chosen as it will run
        else:
            main = with_variant(routine, choice) if changes else routine
            if main is not expanded:  # new steps: the caller's expansion fits none of them
                expansion = None
        checked = _findings(parsed, main, config, enabled, expansion)
        found.extend(checked)
        base = {**defaults(written), **(values or {})}
        if routine.parameters:
            found.extend(at_corners(written, checked, base, _at(parsed, config, enabled,
                                                                choice)))
        if changes:
            found.extend(_in_variants(parsed, routine, config, enabled, choice, base, found))
        suppressions, problems = find(parsed.comments, parsed.text)
        if "X102" in enabled:
            found.extend(msgspec.structs.replace(p, path=parsed.path, severity=enabled["X102"])
                         for p in problems)
        routine_id = parsed.routine.first(m.RoutineId)
        if routine_id is not None:
            declared = DeclaredId(parsed.path, routine_id.value, routine_id.span)
            exercise_ids = _exercise_ids(parsed.path, routine_id.value, parsed.routine)
    elif parsed.plan is not None and parsed.ok:
        from dsl.lint.plans import check_plan

        enabled_codes = enabled
        found.extend(msgspec.structs.replace(d, severity=enabled_codes[d.code])
                     for d in check_plan(parsed, config, check, roots)
                     if d.code in enabled_codes)
        suppressions, problems = find(parsed.comments, parsed.text)
        if "X102" in enabled:
            found.extend(msgspec.structs.replace(p, path=parsed.path, severity=enabled["X102"])
                         for p in problems)
        plan_id = parsed.plan.id
        if plan_id is not None:
            span = next(i.span for i in parsed.plan.items if isinstance(i, m.RoutineId))
            declared = DeclaredId(parsed.path, plan_id, span)
    return FileReport(parsed.path, parsed.source, tuple(found), tuple(suppressions), declared,
                      exercise_ids)


def _at(parsed: ParsedFile, config: Config, enabled: dict[str, Severity],
        choice: Choice | None) -> Callable[[Mapping[str, float]], list[Diagnostic]]:
    """What the rules find with the parameters at some values and the variants of
    ``choice``."""
    written = parsed.routine
    assert written is not None

    def at(values: Mapping[str, float]) -> list[Diagnostic]:
        return _findings(parsed, with_variant(with_values(written, values), choice), config,
                         enabled)

    return at


def _in_variants(parsed: ParsedFile, routine: m.Routine, config: Config,
                 enabled: dict[str, Severity], choice: Choice | None,
                 base: Mapping[str, float], found: list[Diagnostic]) -> list[Diagnostic]:
    """What the rules find with each other choice of variants (the routine as written
    too, when a variant was chosen) that they did not find already, each once, its
    message starting with the variants that cause it: every variant an app can switch
    to is held to the limits, at every value of the parameters."""
    seen = {finding_key(d) for d in found}
    more: list[Diagnostic] = []
    chosen = choice or BASE
    others = [c for c in (BASE, *combinations(routine)) if c != chosen]
    if combination_count(routine) > MAX_COMBINATIONS:
        others += [c for c in _largest(routine) if c != chosen and c not in others]
    for other in others:
        checked = _findings(parsed, with_variant(routine, other), config, enabled)
        if routine.parameters:
            checked += at_corners(parsed.routine, checked, base,  # type: ignore[arg-type]
                                  _at(parsed, config, enabled, other))
        said = describe(other, routine)
        for diagnostic in checked:
            key = finding_key(diagnostic)
            if key in seen:
                continue
            seen.add(key)
            message = diagnostic.message
            message = (f"with {said} and {message[5:]}" if message.startswith("with ")
                       else f"with {said}, {message}")
            more.append(msgspec.structs.replace(diagnostic, message=message))
    return more


def _largest(routine: m.Routine) -> list[Choice]:
    """The choices of a variant (or none) per exercise that make each figure counted over
    the whole routine largest: its time, contractions, cycles and steps. Each is a sum of
    the exercises' own figures, and an exercise's figures depend on what runs in it alone,
    so the largest sum takes each exercise's largest: these choices break a limit on the
    whole routine whenever any choice does (docs/design.md, "Variants that change
    steps")."""
    from dsl.timeline.compiler import RoutineTooLong, compile_routine

    def sections(choice: Choice) -> list[Summary] | None:
        try:
            document = compile_routine(with_variant(routine, choice))
        except RoutineTooLong:  # routine-too-long (L103) says so in that choice
            return None
        return [section["summary"] for section in document.get("sections", [])]

    figures: list[dict[str | None, Summary]] = [{} for _ in routine.exercises]
    base = sections(BASE)
    for index, summary in enumerate(base or []):
        figures[index][None] = summary
    for index, option in enumerate(options(routine)):
        for name in option:
            if name is None:
                continue
            made = sections(Choice(exercises=((index, name),)))
            if made is not None:
                figures[index][name] = made[index]
    measures: list[Callable[[Summary], float]] = [
        lambda s: s["duration"]["max"], lambda s: s["contractions"]["max"],
        lambda s: s["cycles"]["max"], lambda s: s["steps"]["max"]]
    found: list[Choice] = []
    for measure in measures:
        picked = []
        for index, by_name in enumerate(figures):
            if by_name:
                name = max(by_name, key=lambda n: measure(by_name[n]))
                if name is not None:
                    picked.append((index, name))
        found.append(Choice(exercises=tuple(picked)))
    return found


def _exercise_ids(path: str, routine_id: str, routine: m.Routine) -> tuple[DeclaredId, ...]:
    """Each exercise's id as the library knows it, ``routine-id/exercise-id``; an id used
    again in the same routine is duplicate-exercise-id's (R105), not counted twice here."""
    found: dict[str, DeclaredId] = {}
    for exercise in routine.exercises:
        own = exercise.first(m.RoutineId)
        if own is not None:
            value = f"{routine_id}/{own.value}"
            found.setdefault(value, DeclaredId(path, value, own.span))
    return tuple(found.values())


def _reaches(code: str, reach: Reach) -> bool:
    if reach == "every rule":
        return True
    if reach == "exercise":
        return code not in WHOLE_ROUTINE_ONLY
    return code in WHOLE_ROUTINE_RULES


def _findings(parsed: ParsedFile, routine: m.Routine, config: Config,
              enabled: dict[str, Severity],
              expansion: Expansion | None = None) -> list[Diagnostic]:
    """What the enabled rules find in one routine: in each exercise seen as a routine, and
    in the routine as a whole (``dsl.lint.rules.contexts``)."""
    found: list[Diagnostic] = []
    checked = contexts(parsed, routine, config, expansion)
    seen: set[tuple[str, m.Span, str]] = set()
    for context, reach in checked:
        for rule in codes.rules():
            # Only rules that run per file have a check (the registry asserts it).
            if rule.check is None or rule.code not in enabled \
                    or not _reaches(rule.code, reach):
                continue
            for finding in rule.check(context):
                if len(checked) > 1:
                    # A routine's setting each exercise inherits is checked with each:
                    # reported once.
                    key = (rule.code, finding.span, finding.message)
                    if key in seen:
                        continue
                    seen.add(key)
                found.append(Diagnostic(
                    rule.code, finding.message, parsed.path, finding.span,
                    enabled[rule.code], finding.hint, finding.related, rule.name,
                ))
    return found


def finish(report: FileReport, config: Config = DEFAULT,
           extra: tuple[Diagnostic, ...] = ()) -> FileResult:
    """Apply the suppressions to a file's findings (and ``extra`` ones from checks across
    files), report unused suppressions, and sort."""
    diagnostics = apply([*report.diagnostics, *extra], list(report.suppressions),
                        config.enabled(), report.path)
    diagnostics.sort(key=Diagnostic.sort_key)
    source = report.source
    if diagnostics and not source and os.path.isfile(report.path):
        # A worker sends no text for a clean file; a check across files found something.
        text = load(report.path)
        if isinstance(text, Source):
            source = text.written
    return FileResult(report.path, source, tuple(diagnostics))


def check(parsed: ParsedFile, config: Config | None = None, *,
          expansion: Expansion | None = None, values: Values | None = None,
          choice: Choice | None = None) -> list[Diagnostic]:
    """Every diagnostic for one parsed file: syntax, rules, suppressions applied, sorted.
    ``expansion``, ``values`` and ``choice``: as for ``analyse``."""
    chosen = config or DEFAULT
    return list(finish(analyse(parsed, chosen, expansion, values, choice),
                       chosen).diagnostics)


def check_file(path: str | Path, config: Config | None = None) -> list[Diagnostic]:
    """Parse one file and check it."""
    return check(parse_file(path), config)


def lint_paths(
    paths: list[Path], *, resolver: Resolver | None = None,
    select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (),
    jobs: int | None = None, roots: tuple[str, ...] = (),
) -> LintRun:
    """Lint routine files (already discovered), each with its nearest configuration,
    ``select``/``ignore`` from the command line on top. Excluded files are skipped.

    ``jobs``: worker processes, as ``dsl.workers.run_each`` takes them (None: one per core
    from ``PARALLEL_THRESHOLD`` files; 1: everything in this process).
    """
    resolver = resolver or Resolver()
    tasks: list[tuple[str, Config, tuple[str, ...]]] = []
    for path in paths:
        config = resolver.for_file(path)
        if select is not None or ignore:
            config = _overridden(config, select, ignore)
        if str(path) != "-" and config.excludes(path):
            continue
        tasks.append((str(path), config, roots))
    reports = _run(tasks, jobs)
    configs = {report.path: config
               for report, (_, config, _) in zip(reports, tasks, strict=True)}
    extra = across_files(reports, configs)
    return LintRun(tuple(
        finish(report, configs[report.path], tuple(extra.get(report.path, ())))
        for report in reports
    ))


@lru_cache(maxsize=64)
def _overridden(config: Config, select: tuple[str, ...] | None,
                ignore: tuple[str, ...]) -> Config:
    # One overridden Config per configuration, so its enabled rules are resolved once.
    return config.with_overrides(select, ignore)


def _analyse_path(task: tuple[str, Config, tuple[str, ...]]) -> FileReport:
    path, config, roots = task
    report = analyse(parse_file(path), config, roots=roots)
    if not report.diagnostics and not report.suppressions:
        # Nothing to show: do not ship the text back.
        return msgspec.structs.replace(report, source="")
    return report


def _run(tasks: list[tuple[str, Config, tuple[str, ...]]],
         jobs: int | None) -> list[FileReport]:
    from dsl.syntax.grammar import lark_parser

    return run_each(_analyse_path, tasks, jobs, here=lambda task: task[0] == "-",
                    prepare=lark_parser)


def across_files(
    reports: list[FileReport], configs: dict[str, Config]
) -> dict[str, list[Diagnostic]]:
    """Duplicate ids across the files of one run (R103): routines' ids, and exercises' as
    ``routine-id/exercise-id``."""
    extra: dict[str, list[Diagnostic]] = {}
    declared: list[DeclaredId] = []
    for report in reports:
        if report.declared_id is not None:
            declared.append(report.declared_id)
        declared.extend(report.exercise_ids)
    for duplicate in duplicates(declared):
        path = duplicate.declared.path
        enabled = configs[path].enabled()
        if DUPLICATE_ID not in enabled:
            continue
        text, hint, related = duplicate_message(duplicate)
        extra.setdefault(path, []).append(Diagnostic(
            DUPLICATE_ID, text, path, duplicate.declared.span, enabled[DUPLICATE_ID], hint,
            (related,), "duplicate-id",
        ))
    return extra


def counts(files: Sequence[FileResult]) -> dict[Severity, int]:
    """How many diagnostics of each severity the files have."""
    found: dict[Severity, int] = {"error": 0, "warning": 0, "info": 0}
    for result in files:
        for diagnostic in result.diagnostics:
            found[diagnostic.severity] += 1
    return found
