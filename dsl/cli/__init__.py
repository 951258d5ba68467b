"""The ``stretch`` command line: a thin shell over the Python API, one module per command.

``app`` (in ``dsl.cli.app``) is the Typer application; importing each command module
registers its command, in the order ``stretch --help`` lists them. The exit codes are
defined in ``dsl.cli.app`` (``EXIT_CLEAN``, ``EXIT_PROBLEMS``, ``EXIT_USAGE``,
``EXIT_INTERRUPTED``).
"""

from __future__ import annotations

import os
import sys

# Each import registers its command; the order is the order `stretch --help` lists them.
# isort: off
from dsl.cli import check, compile, schema, lsp, play, fmt, lint, rules, explain  # noqa: F401
# isort: on
from dsl.cli.app import EXIT_CLEAN, EXIT_INTERRUPTED, EXIT_PROBLEMS, EXIT_USAGE, app

__all__ = ["EXIT_CLEAN", "EXIT_INTERRUPTED", "EXIT_PROBLEMS", "EXIT_USAGE", "app", "run"]


def run() -> None:
    """Run the command line; unexpected failures exit 2 with a message, not a traceback."""
    try:
        app(prog_name="stretch")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:  # a bug: say so plainly, keep the traceback for debugging
        if os.environ.get("STRETCH_DEBUG"):
            raise
        print(f"stretch: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("stretch: set STRETCH_DEBUG=1 to see the traceback, and please report it",
              file=sys.stderr)
        sys.exit(EXIT_USAGE)
