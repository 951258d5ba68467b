"""``stretch serve [FOLDER]``: the playground and the player page of a folder's routines, as
a local web app (``dsl.web.server``; the ``[web]`` extra).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dsl.cli.application import EXIT_CLEAN, app, usage_error

DEFAULT_PORT = 8700
DISTRIBUTION = "stretch-dsl"
"""The name pip installs the package by (pyproject.toml), for the extra's hint."""


@app.command()
def serve(
    folder: Annotated[
        Path,
        typer.Argument(help="The folder whose .stretch files are served (default: this "
                       "one). Nothing outside it is read or written.", metavar="[FOLDER]",
                       show_default=False),
    ] = Path("."),
    host: Annotated[
        str,
        typer.Option("--host", help="The address to listen on. Anything but loopback "
                     "(127.0.0.1, ::1, localhost) lets other machines in: the server then "
                     "prints a warning and requires a random token in the URL.",
                     metavar="ADDRESS"),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option("--port", help="The port to listen on (0: any free port).", min=0,
                     max=65535, metavar="PORT"),
    ] = DEFAULT_PORT,
) -> None:
    """Serve a folder's routines: a playground to write them with live diagnostics,
    formatting, saving and a timeline view, and a page to play them (Ctrl-C stops)."""
    import socket

    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError as missing:
        package = (missing.name or "starlette").split(".")[0]
        usage_error(f"stretch serve needs the web extra ({package} is not installed): "
                    f"pip install '{DISTRIBUTION}[web]'")
    from dsl.lint.config import ConfigError, Resolver
    from dsl.web.server import create_app, is_loopback, new_token

    if not folder.is_dir():
        usage_error(f"not a folder: {folder}")
    try:
        Resolver().for_file(folder / "routine.stretch")
    except ConfigError as error:
        usage_error(str(error))
    loopback = is_loopback(host)
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listening = socket.socket(family, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
    except (OSError, OverflowError) as error:
        usage_error(f"cannot listen on {host}:{port}: {getattr(error, 'strerror', None) or error}")
    bound = listening.getsockname()[1]
    token = None if loopback else new_token()
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{bound}/" + (f"?token={token}" if token else "")
    if not loopback:
        typer.echo(f"stretch: warning: listening on {host}, not on loopback: other machines "
                   "can reach this server. Every request needs the token in this address "
                   "(keep it to yourself; a new one is made at each start).", err=True)
    typer.echo(f"stretch: serving {folder.resolve()} at {address} (Ctrl-C stops)", err=True)
    application = create_app(folder, token=token, port=None if token else bound)
    server = uvicorn.Server(uvicorn.Config(application, log_level="warning",
                                           access_log=False, lifespan="off"))
    server.run(sockets=[listening])
    raise typer.Exit(EXIT_CLEAN)
