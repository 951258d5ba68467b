"""``stretch rules``: the list of lint rules and codes.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dsl.cli.application import _complete_rules_format, app, usage_error


@app.command("rules")
def rules_command(
    output_format: Annotated[
        str, typer.Option("--format", help="text, json or markdown (docs/rules.md).",
                          metavar="FORMAT", autocompletion=_complete_rules_format)] = "text",
) -> None:
    """List the lint rules: code, name, default severity, summary."""
    from dsl.lint import docs

    listings = {"text": docs.table, "json": docs.as_json, "markdown": docs.markdown}
    if output_format not in listings:
        usage_error(f"--format takes text, json or markdown, not `{output_format}`")
    sys.stdout.write(listings[output_format]())
