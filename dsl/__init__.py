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

from ._version import __version__

if TYPE_CHECKING:
    from .checker import check, lint_paths
    from .compiler import compile_routine, dumps
    from .diagnostics import Diagnostic
    from .formatter import FormatResult, UnsafeFormatting, format_text
    from .parser import ParsedFile, parse, parse_bytes, parse_file

__all__ = [
    "Diagnostic", "FormatResult", "ParsedFile", "UnsafeFormatting", "__version__", "check",
    "compile_routine", "dumps", "format_text", "lint_paths", "parse", "parse_bytes", "parse_file",
]

_LAZY = {
    "check": "checker",
    "lint_paths": "checker",
    "parse": "parser",
    "parse_bytes": "parser",
    "parse_file": "parser",
    "ParsedFile": "parser",
    "Diagnostic": "diagnostics",
    "compile_routine": "compiler",
    "dumps": "compiler",
    "format_text": "formatter",
    "FormatResult": "formatter",
    "UnsafeFormatting": "formatter",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'dsl' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f".{module_name}", __name__)
    return getattr(module, name)
