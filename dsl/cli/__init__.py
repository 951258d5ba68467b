"""The ``stretch`` command line: a thin shell over the Python API, one module per command.

``dsl.cli.application`` holds the Typer application; importing a command module registers its
command. ``app`` taken from this package has every command registered, in the order
``stretch --help`` lists them (``COMMANDS``); the ``stretch`` command itself
(``dsl.cli.application.run``) registers only the one it runs. The exit codes are defined in
``dsl.cli.application`` (``EXIT_CLEAN``, ``EXIT_PROBLEMS``, ``EXIT_USAGE``, ``EXIT_INTERRUPTED``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dsl.cli.application import (
    EXIT_CLEAN,
    EXIT_INTERRUPTED,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    register,
    run,
)

if TYPE_CHECKING:
    import typer

__all__ = ["EXIT_CLEAN", "EXIT_INTERRUPTED", "EXIT_PROBLEMS", "EXIT_USAGE", "app", "run"]


def __getattr__(name: str) -> typer.Typer:
    # Not imported with the package: `stretch lint` imports dsl.cli.application and registers
    # one command, and this package is imported on the way.
    if name == "app":
        from dsl.cli.application import app

        register()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
