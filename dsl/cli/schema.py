"""``stretch schema``: the JSON Schemas of compiled routines, sessions and programmes.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dsl.cli.application import app, usage_error


@app.command("schema")
def schema_command(
    kind: Annotated[str, typer.Argument(help="Which document: routine, session or "
                                        "programme.", metavar="[routine|session|programme]")
                    ] = "routine",
) -> None:
    """Print the JSON Schema of compiled routines (the app developers' contract), or of
    compiled sessions or programmes."""
    from dsl.timeline.contract import SCHEMA_NAMES, schema_text

    if kind not in SCHEMA_NAMES:
        usage_error(f"`stretch schema` takes routine, session or programme, not `{kind}`")
    sys.stdout.write(schema_text(kind))
