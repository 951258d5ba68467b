"""``stretch handout``: the printable sheet a clinic hands out, as PDF or HTML
(``dsl.exports.handout``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from dsl.cli.application import (
    EXIT_CLEAN,
    SetOption,
    VariantOption,
    _shown,
    app,
    compiled_for_output,
    usage_error,
)

FORMATS = (".pdf", ".html")
"""What ``-o`` may end with: the format is the file's extension."""


@app.command("handout")
def handout_command(
    path: Annotated[Path, typer.Argument(help="A routine or a session: its .stretch file.",
                                         metavar="ROUTINE|SESSION", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The handout to write: a "
                                         ".pdf (needs the [web] extra) or an .html file.",
                                         metavar="FILE", show_default=False)],
    paper: Annotated[str, typer.Option("--paper", help="The paper size.",
                                       metavar="a4|letter")] = "a4",
    settings: SetOption = None,
    variants: VariantOption = None,
) -> None:
    """Write the handout a clinic hands out: steps in the voice's words, pictures, safety."""
    from dsl.exports.handout import PAPERS, HandoutError, handout_html, handout_pdf

    if paper not in PAPERS:
        usage_error(f"--paper takes `a4` or `letter`, not `{paper}`")
    _check_output(output, path)
    document = _compiled(path, tuple(settings or ()), tuple(variants or ()))
    try:
        made = handout_html(document, base=path.parent, paper=paper)
        data = (handout_pdf(made.html) if output.suffix.lower() == ".pdf"
                else made.html.encode("utf-8"))
    except HandoutError as error:
        usage_error(str(error))
    for warning in made.warnings:
        typer.echo(f"stretch: warning: {_shown(warning)}", err=True)
    from dsl.source.files import write_all

    try:
        write_all([(output, data)])
    except OSError as error:
        usage_error(f"cannot write {output}: {error.strerror or error}")
    typer.echo(f"wrote {_shown(output)}", err=True)
    raise typer.Exit(EXIT_CLEAN)


def _check_output(output: Path, path: Path) -> None:
    """A usage error for an output that is not a handout: a .stretch file (``-o`` and the
    routine swapped would replace what the coach wrote), the routine itself, or a format
    the handout is not written in."""
    suffix = output.suffix.lower()
    if suffix == ".stretch":
        usage_error(f"-o {_shown(output)}: a handout is not written to a .stretch file "
                    "(write it to a .pdf or .html file, such as routine.pdf)")
    if output.exists() and path.exists() and os.path.samefile(output, path):
        usage_error(f"-o {_shown(output)} is the routine itself: write the handout to "
                    "another file, such as routine.pdf")
    if not suffix:
        usage_error(f"-o {_shown(output)}: end the file name with .pdf or .html (the "
                    "extension chooses the format)")
    if suffix not in FORMATS:
        usage_error(f"-o {_shown(output)}: a handout is a .pdf or .html file, not "
                    f"{_shown(suffix)} (the extension chooses the format)")


def _compiled(path: Path, settings: tuple[str, ...],
              variants: tuple[str, ...]) -> dict[str, Any]:
    """The compiled routine or session of ``path``, or its errors printed and exit 1."""
    document = compiled_for_output(path, whose="the routine's", not_done="not written",
                                   settings=settings, variants=variants, stdin=False,
                                   refuse=_not_compiled_json)[1]
    if document.get("kind") == "programme":
        usage_error(f"{_shown(path)} is a programme: make a handout of one of its sessions "
                    "or routines (a programme's calendar is `stretch export ics`)")
    return document


def _not_compiled_json(path: Path) -> None:
    if path.suffix.lower() == ".json":
        usage_error(f"{_shown(path)}: give the routine's .stretch file (its pictures are "
                    "found beside it), not a compiled .json")
