"""``stretch schema``: the JSON Schema of compiled routines.
"""

from __future__ import annotations

import sys

from dsl.cli.application import app


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of compiled routines (the app developers' contract)."""
    from dsl.timeline.contract import schema_text

    sys.stdout.write(schema_text())
