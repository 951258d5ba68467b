"""stretch: a small text language for stretching routines.

The public Python API. The command line (``stretch``) is a thin shell over it::

    import dsl
    parsed = dsl.parse_file("examples/hip-and-hamstring.stretch")
    for problem in parsed.diagnostics:
        print(problem.code, problem.message)

Names are imported on first use, so ``import dsl`` stays cheap for the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dsl._version import __version__

if TYPE_CHECKING:
    from dsl.diagnostics import Diagnostic
    from dsl.format.formatter import FormatResult, UnsafeFormatting, format_text
    from dsl.lint.checker import check, lint_paths
    from dsl.syntax.parser import ParsedFile, parse, parse_bytes, parse_file
    from dsl.timeline.compiler import compile_routine, dumps

__all__ = [
    "Diagnostic", "FormatResult", "ParsedFile", "UnsafeFormatting", "__version__", "check",
    "compile_routine", "dumps", "format_text", "lint_paths", "parse", "parse_bytes", "parse_file",
]

_LAZY = {
    "check": "lint.checker",
    "lint_paths": "lint.checker",
    "parse": "syntax.parser",
    "parse_bytes": "syntax.parser",
    "parse_file": "syntax.parser",
    "ParsedFile": "syntax.parser",
    "Diagnostic": "diagnostics",
    "compile_routine": "timeline.compiler",
    "dumps": "timeline.compiler",
    "format_text": "format.formatter",
    "FormatResult": "format.formatter",
    "UnsafeFormatting": "format.formatter",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'dsl' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f".{module_name}", __name__)
    return getattr(module, name)
