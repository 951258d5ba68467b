"""``stretch explain``: the documentation of one rule or code.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dsl.cli.application import _complete_code, app, usage_error


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule code or name (S104, untimed-hold) or a "
                                        "syntax code (P102).", metavar="CODE",
                                        show_default=False, autocompletion=_complete_code)],
) -> None:
    """Print the documentation of one rule or code."""
    from dsl.lint import docs

    text = docs.explain(code)
    if text is None:
        close = docs.suggestion(code)
        usage_error(f"no rule or code `{code}`" + (f"; {close}" if close else "")
                    + " (`stretch rules` lists them)")
    sys.stdout.write(text)
