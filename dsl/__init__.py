"""stretch: a small text language for stretching routines.

The public Python API (docs/api.md lists every name). The command line (``stretch``) is a
thin shell over it::

    import dsl
    parsed = dsl.parse_file("examples/hip-and-hamstring.stretch")
    for problem in dsl.lint_parsed(parsed):  # what `stretch lint` reports
        print(problem.code, problem.message)

Names are imported on first use, so ``import dsl`` stays cheap for the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dsl._version import __version__

if TYPE_CHECKING:
    from dsl.api import compile_file, config_for, lint_file, lint_parsed
    from dsl.diagnostics import Diagnostic
    from dsl.format.formatter import FormatResult, UnsafeFormatting, format_text
    from dsl.lint.checker import LintRun, lint_paths
    from dsl.lint.config import Config, ConfigError
    from dsl.lint.fixing import Fixed, fix_text
    from dsl.pipeline import CompiledFile
    from dsl.syntax.parser import ParsedFile, parse, parse_bytes, parse_file
    from dsl.timeline.compiler import RoutineTooLong, compile_routine, dumps

    check = lint_parsed  # deprecated: see _DEPRECATED

__all__ = [
    "CompiledFile", "Config", "ConfigError", "Diagnostic", "Fixed", "FormatResult",
    "LintRun", "ParsedFile", "RoutineTooLong", "UnsafeFormatting", "__version__",
    "compile_file", "compile_routine", "config_for", "dumps", "fix_text", "format_text",
    "lint_file", "lint_parsed", "lint_paths", "parse", "parse_bytes", "parse_file",
]

_LAZY = {
    "parse": "syntax.parser",
    "parse_bytes": "syntax.parser",
    "parse_file": "syntax.parser",
    "ParsedFile": "syntax.parser",
    "Diagnostic": "diagnostics",
    "lint_parsed": "api",
    "lint_file": "api",
    "config_for": "api",
    "lint_paths": "lint.checker",
    "LintRun": "lint.checker",
    "Config": "lint.config",
    "ConfigError": "lint.config",
    "fix_text": "lint.fixing",
    "Fixed": "lint.fixing",
    "compile_file": "api",
    "CompiledFile": "pipeline",
    "compile_routine": "timeline.compiler",
    "RoutineTooLong": "timeline.compiler",
    "dumps": "timeline.compiler",
    "format_text": "format.formatter",
    "FormatResult": "format.formatter",
    "UnsafeFormatting": "format.formatter",
}

REMOVED_IN = "0.3.0"
"""The release that drops the deprecated names: they work, with a warning, until then."""

_DEPRECATED = {
    # `dsl.check` ran the whole linter while `stretch check` checks syntax only.
    "check": "lint_parsed",
}


def __getattr__(name: str) -> Any:
    replacement = _DEPRECATED.get(name)
    if replacement is not None:
        import warnings

        warnings.warn(
            f"dsl.{name} is deprecated and will be removed in stretch {REMOVED_IN}: use "
            f"dsl.{replacement} (same arguments)", DeprecationWarning, stacklevel=2)
        name = replacement
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'dsl' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f".{module_name}", __name__)
    return getattr(module, name)
