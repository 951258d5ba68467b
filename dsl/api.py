"""The functions of the public API that are not a stage's own: linting and compiling one
file the way the ``stretch lint`` and ``stretch compile`` commands do, and finding the
configuration they use. ``dsl/__init__.py`` exports them with the stages' own names
(``parse_file``, ``compile_routine``, ``format_text`` …); docs/api.md lists them all.

The work is imported when a function is called, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dsl.diagnostics import Diagnostic
    from dsl.lint.config import Config
    from dsl.pipeline import CompiledFile
    from dsl.syntax.parser import ParsedFile

__all__ = ["compile_file", "config_for", "lint_file", "lint_parsed"]


def config_for(path: str | PathLike[str]) -> Config:
    """The lint configuration ``stretch lint`` and ``stretch compile`` apply to the file at
    ``path``: the nearest ``stretch.toml`` (or ``pyproject.toml`` with a ``[tool.stretch]``
    table) from its folder up, else the built-in one. Raises ``dsl.lint.config.ConfigError``
    when that file cannot be read or is not valid."""
    from dsl.lint.config import Resolver

    return Resolver().for_file(Path(path))


def lint_parsed(parsed: ParsedFile, config: Config | None = None) -> list[Diagnostic]:
    """Every diagnostic for a parsed file, as ``stretch lint`` reports it: the parser's,
    then (when it parsed without errors) the rules', inline suppressions applied, sorted by
    position. ``config`` defaults to the built-in configuration (see ``config_for``)."""
    from dsl.lint.checker import check

    return check(parsed, config)


def lint_file(path: str | PathLike[str], config: Config | None = None) -> list[Diagnostic]:
    """Read, parse and lint one file (``-`` is standard input); as ``lint_parsed``. A file
    that cannot be read is a diagnostic, not an exception."""
    from dsl.syntax.parser import parse_file

    return lint_parsed(parse_file(Path(path)), config)


def compile_file(
    path: str | PathLike[str], *, source_path: str | None = None, config: Config | None = None,
    settings: Sequence[str] = (), variants: Sequence[str] = (),
) -> CompiledFile:
    """Read, lint and compile one file, as ``stretch compile`` does: a ``CompiledFile``
    with every diagnostic and, when no error blocks it, the document (``document``) and its
    JSON text (``text``). ``source_path`` is recorded in the document (default: the path as
    given, relative to the working folder when under it); ``config`` defaults to the built-in
    configuration (see ``config_for``). ``settings`` give the routine's parameters their
    values as ``stretch compile --set`` does (``["hold=45s", "rounds=4"]``; the defaults
    for the others); a setting that cannot be used is a C002-C005 diagnostic. ``variants``
    choose variants as ``stretch compile --variant`` does (``["harder"]``,
    ``["calf/easier"]``); a choice that cannot be made is a C006-C008 diagnostic. Never
    raises on bad input."""
    from dsl.pipeline import compile_file as compile_path

    return compile_path(Path(path), source_path, config, settings, variants)
