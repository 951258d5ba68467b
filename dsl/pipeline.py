"""Compiling files: parse, expand once, check, decide whether the routine may be compiled,
compile, and name the output files. ``dsl.compile_file`` (the public API) and, through it,
the ``stretch compile`` command and the player are thin shells over this module.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, cast

from dsl.diagnostics import Diagnostic
from dsl.source.files import Staged, discard, stage
from dsl.syntax.parser import ParsedFile, parse_file

if TYPE_CHECKING:
    from dsl.lint.config import Config
    from dsl.model import Routine
    from dsl.model.values import Values
    from dsl.model.variants import Choice
    from dsl.timeline.document import Document
    from dsl.timeline.expand import Expansion


@dataclass(frozen=True)
class CompiledFile:
    """One input: its diagnostics and, when it compiled, the document's JSON text."""

    path: Path
    source: str
    diagnostics: tuple[Diagnostic, ...]
    text: str | None

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that stopped the routine from compiling (empty when it did)."""
        return blocking(self.diagnostics)

    @cached_property
    def document(self) -> Document | None:
        """The document as dicts (as ``compile_routine`` gives it), read from ``text`` the
        first time it is asked for: most callers want only the text, and a document's
        dicts cost more to make and to keep than the text itself."""
        if self.text is None:
            return None
        import orjson

        return cast("Document", orjson.loads(self.text))


def problems(parsed: ParsedFile, config: Config | None = None,
             expansion: Expansion | None = None, values: Values | None = None,
             choice: Choice | None = None) -> tuple[Diagnostic, ...]:
    """Everything to report about a file before compiling it: exactly what ``stretch lint``
    reports for it, with the same configuration and suppressions. ``expansion`` is the
    routine as it will run, when the caller has it (it is handed on, not made again), with
    its parameters at ``values`` (the defaults when None) and the variants of ``choice``."""
    from dsl.lint.checker import check

    return tuple(check(parsed, config, expansion=expansion, values=values, choice=choice))


def blocking(diagnostics: tuple[Diagnostic, ...]) -> list[Diagnostic]:
    """The diagnostics that stop a routine from being compiled: every error (warnings and
    notes are printed but do not block)."""
    return [d for d in diagnostics if d.severity == "error"]


def compile_file(
    path: Path, source_path: str | None = None, config: Config | None = None,
    settings: Sequence[str] = (), variants: Sequence[str] = (),
) -> CompiledFile:
    """Parse, check and compile one file. ``source_path`` is recorded in the document
    (default: the path as given, with / separators; None for standard input); ``config``
    is the lint configuration that applies to the file (default: the built-in one);
    ``settings`` give parameters their values (``hold=45s``, as ``--set`` takes them);
    ``variants`` choose variants (``harder``, ``calf/easier``, as ``--variant`` takes
    them)."""
    compiled = compile_pieces(path, source_path, config, settings, variants)
    text = None if compiled.pieces is None else b"".join(compiled.pieces).decode()
    return CompiledFile(path, compiled.source, compiled.diagnostics, text)


@dataclass(frozen=True, slots=True)
class CompiledPieces:
    """One input, compiled for writing: its diagnostics and, when it compiled, the bytes of
    ``CompiledFile.text`` in pieces, made as they are taken (``compiled_json``)."""

    path: Path
    source: str
    diagnostics: tuple[Diagnostic, ...]
    pieces: Iterator[bytes] | None

    @property
    def errors(self) -> list[Diagnostic]:
        return blocking(self.diagnostics)


def compile_pieces(
    path: Path, source_path: str | None = None, config: Config | None = None,
    settings: Sequence[str] = (), variants: Sequence[str] = (),
) -> CompiledPieces:
    """As ``compile_file``, the JSON as pieces of bytes instead of a document and its text:
    what the ``stretch compile`` command writes, without the whole document or text in
    memory at once (same bytes; tests/test_compile_cli.py compares them)."""
    from dsl.timeline.compiler import RoutineTooLong, compiled_json

    checked = _checked(path, config, settings, variants)
    parsed, routine, found = checked.parsed, checked.routine, checked.found
    if parsed.plan is not None and not blocking(found):
        return _plan_pieces(path, parsed, config, source_path, found, settings, variants)
    if blocking(found) or routine is None:
        return CompiledPieces(path, parsed.source, found, None)
    recorded = source_path if source_path is not None else _recorded_path(path)
    try:
        pieces = compiled_json(routine, path=recorded, expansion=checked.expansion,
                               choice=checked.choice)
    except RoutineTooLong as error:
        return CompiledPieces(path, parsed.source, (*found, _too_long(parsed, error)), None)
    return CompiledPieces(path, parsed.source, found, pieces)


def _plan_pieces(path: Path, parsed: ParsedFile, config: Config | None,
                 source_path: str | None, found: tuple[Diagnostic, ...],
                 settings: Sequence[str], variants: Sequence[str]) -> CompiledPieces:
    """A checked session or programme compiled into its document
    (``dsl.timeline.sessions``, ``dsl.timeline.programmes``)."""
    from dsl.model import plans
    from dsl.timeline import programmes, sessions
    from dsl.timeline.compiler import RoutineTooLong, dumps

    plan = parsed.plan
    assert plan is not None
    if settings or variants:
        option = "--set" if settings else "--variant"
        where = "`set NAME: VALUE` and `variant:` under its `do` lines"
        return CompiledPieces(path, parsed.source, (*found, Diagnostic(
            "C009", f"{option} is for a routine; a {type(plan).__name__.lower()} sets its "
            f"routines' values and variants itself", parsed.path, plan.span,
            hint=f"write them in the file: {where}")), None)
    library = config.library if config is not None else ()
    loader = sessions.Loader(library)
    recorded = source_path if source_path is not None else _recorded_path(path)
    try:
        if isinstance(plan, plans.Session):
            resolved = sessions.resolve(plan, parsed.path, loader)
            assert not isinstance(resolved, list), resolved  # the checker reported them
            document = sessions.document(resolved, recorded)
        else:
            document = programmes.document(plan, parsed.path, loader, recorded)
    except RoutineTooLong as error:
        return CompiledPieces(path, parsed.source, (*found, Diagnostic(
            "C001", str(error), parsed.path, plan.span,
            hint="a player cannot run that many steps: lower the repeats' upper bounds")),
            None)
    return CompiledPieces(path, parsed.source, found, iter([dumps(document).encode()]))


@dataclass(frozen=True, slots=True)
class StagedOutput:
    """What compiling one input into its output file did, before the file is put in place
    (what a worker process sends back): the errors that stopped it (with the source, to
    show them), or the output staged beside its target, or why it could not be written."""

    path: Path
    source: str
    errors: tuple[Diagnostic, ...]
    staged: Staged | None
    failure: str | None = None


Task = tuple[Path, Path, "Config | None", tuple[str, ...], tuple[str, ...]]
"""One file to compile: its path, its output's path, its configuration, the ``--set``
settings, the ``--variant`` choices."""


def compile_and_stage(task: Task) -> StagedOutput:
    """Compile ``path`` and write its JSON to a temporary file beside ``target``
    (``dsl.source.files.stage``); ``install`` puts it in place once every file of the run
    is written. Never raises on bad input or a failed write."""
    path, target, config, settings, variants = task
    compiled = _pieces_or_errors(path, config, settings, variants)
    if isinstance(compiled, StagedOutput):
        return compiled
    return _stage(path, target, compiled)


def compile_and_stage_all(
    tasks: Sequence[Task],
    each: Callable[[StagedOutput], object] | None = None,
) -> list[StagedOutput]:
    """``compile_and_stage`` on each task in this process, each output written by a
    thread while the next routine compiles: creating and writing a file mostly waits on
    the file system, which then costs no compute time. At most a few outputs wait to be
    written, so memory stays bounded. ``each`` is called on every output once it is
    written (from that thread), as ``dsl.workers.run_each`` calls it."""
    if len(tasks) == 1:  # nothing to overlap: write the pieces as they come
        return [_told(compile_and_stage(tasks[0]), each)]
    from concurrent.futures import Future, ThreadPoolExecutor

    results: list[Future[StagedOutput] | StagedOutput] = []
    waiting: list[Future[StagedOutput]] = []
    with ThreadPoolExecutor(max_workers=1) as writer:
        try:
            for path, target, config, settings, variants in tasks:
                compiled = _pieces_or_errors(path, config, settings, variants)
                if isinstance(compiled, StagedOutput):
                    results.append(_told(compiled, each))
                    continue
                if len(waiting) >= _WAITING:
                    waiting.pop(0).result()
                waiting.append(writer.submit(_stage_and_tell, path, target,
                                             b"".join(compiled), each))
                results.append(waiting[-1])
        except BaseException:  # Ctrl-C: remove what was written, once the thread is done
            writer.shutdown(wait=True)
            written = [r.result().staged for r in results if isinstance(r, Future)]
            discard(staged for staged in written if staged is not None)
            raise
    return [r.result() if isinstance(r, Future) else r for r in results]


def _stage_and_tell(path: Path, target: Path, data: bytes,
                    each: Callable[[StagedOutput], object] | None) -> StagedOutput:
    return _told(_stage(path, target, data), each)


def _told(output: StagedOutput, each: Callable[[StagedOutput], object] | None) -> StagedOutput:
    if each is not None:
        each(output)
    return output


_WAITING = 4
"""Outputs compiled but not yet written, at most (``compile_and_stage_all``)."""


def _pieces_or_errors(path: Path, config: Config | None,
                      settings: Sequence[str], variants: Sequence[str],
                      ) -> Iterator[bytes] | StagedOutput:
    """The JSON of ``path`` in pieces, or the output that reports the errors stopping it."""
    result = compile_pieces(path, config=config, settings=settings, variants=variants)
    errors = tuple(result.errors)
    if result.pieces is None or errors:
        return StagedOutput(path, result.source, errors, None)
    return result.pieces


def _stage(path: Path, target: Path, data: bytes | Iterator[bytes]) -> StagedOutput:
    try:
        staged = stage(target, data)
    except OSError as error:
        return StagedOutput(path, "", (), None,
                            f"cannot write {target}: {error.strerror or error}")
    return StagedOutput(path, "", (), staged)


@dataclass(frozen=True, slots=True)
class _Checked:
    """A file ready to compile: the parsed file; the routine as it will be compiled, its
    parameters filled with their values (None when it cannot be); the variants chosen and
    the expansion of the routine they make; and everything to report."""

    parsed: ParsedFile
    routine: Routine | None
    found: tuple[Diagnostic, ...]
    choice: Choice | None = None
    expansion: Expansion | None = None


def _checked(path: Path, config: Config | None, settings: Sequence[str],
             variants: Sequence[str] = ()) -> _Checked:
    """The file parsed, read with its settings and variants, expanded and checked."""
    from dsl.model.values import with_values
    from dsl.model.variants import with_variant
    from dsl.timeline.expand import expand

    parsed = parse_file(path)
    if parsed.routine is None or not parsed.ok:
        # A file with syntax errors is neither checked nor compiled, so it is not
        # expanded either.
        return _Checked(parsed, None, problems(parsed, config))
    values = None
    wrong: list[Diagnostic] = []
    if settings:
        from dsl.timeline.settings import read_settings

        read = read_settings(parsed.routine, settings, parsed.path)
        if isinstance(read, list):
            wrong.extend(read)
        else:
            values = read
    choice = None
    if variants:
        from dsl.timeline.choosing import read_variants

        read_choice = read_variants(parsed.routine, variants, parsed.path)
        if isinstance(read_choice, list):
            wrong.extend(read_choice)
        else:
            choice = read_choice
    if wrong:  # checked as written, not compiled
        return _Checked(parsed, None, (*problems(parsed, config), *wrong))
    # The routine as it will run is worked out once: the rules check it, the compiler
    # writes its timeline from it.
    routine = with_values(parsed.routine, values)
    expansion = expand(with_variant(routine, choice))
    return _Checked(parsed, routine, problems(parsed, config, expansion, values, choice),
                    choice, expansion)


def _too_long(parsed: ParsedFile, error: Exception) -> Diagnostic:
    assert parsed.routine is not None
    return Diagnostic(
        "C001", str(error), parsed.path, parsed.routine.span,
        hint="a player cannot run that many steps: lower the repeats' upper bounds",
    )


def _recorded_path(path: Path) -> str | None:
    if str(path) == "-":
        return None
    if path.is_absolute():
        # Keep the bytes free of where the checkout lives when the file is under cwd.
        with contextlib.suppress(ValueError):
            path = path.relative_to(Path.cwd())
    return PurePath(path).as_posix()


def output_paths(inputs: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Where each input's JSON goes under ``out_dir``: its path relative to the deepest
    folder holding every input, with ``.json`` for ``.stretch``."""
    folders = [os.path.abspath(p.parent) for p in inputs]
    base = os.path.commonpath(folders)
    outputs: dict[Path, Path] = {}
    for path in inputs:
        relative = Path(os.path.relpath(os.path.abspath(path), base))
        outputs[path] = out_dir / relative.with_suffix(".json")
    return outputs
