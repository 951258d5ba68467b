"""``stretch lsp``: the language server over stdio, for editors.
"""

from __future__ import annotations

from typing import Annotated

import typer

from dsl.cli.application import app, usage_error


@app.command()
def lsp(
    stdio: Annotated[bool, typer.Option("--stdio", help="Speak over stdin and stdout (the "
                     "only transport, and the default; editors may pass it).")] = False,
    client_process_id: Annotated[
        int | None,
        typer.Option("--clientProcessId", help="The editor's process id. Accepted and not "
                     "needed: the server ends when the editor closes its stdin.",
                     metavar="PID", show_default=False),
    ] = None,
    pipe: Annotated[
        str | None,
        typer.Option("--pipe", help="Not supported: the server speaks over stdio only.",
                     metavar="NAME", show_default=False),
    ] = None,
    socket: Annotated[
        str | None,
        typer.Option("--socket", help="Not supported: the server speaks over stdio only.",
                     metavar="PORT", show_default=False),
    ] = None,
) -> None:
    """Run the language server on stdin and stdout (for editors)."""
    # vscode-languageclient appends `--stdio` and `--clientProcessId=PID` to the command it
    # starts; other transports are refused plainly rather than half-supported.
    for option, value in (("--pipe", pipe), ("--socket", socket)):
        if value is not None:
            usage_error(f"{option} is not supported: `stretch lsp` speaks over stdin and "
                        "stdout only (in VS Code, TransportKind.stdio)")
    try:
        from dsl.lsp.server import main
    except ImportError as missing:
        package = (missing.name or "pygls").split(".")[0]
        usage_error(f"the language server needs pygls ({package} is not installed): "
                    "pip install 'stretch-dsl[lsp]'")
    main()
