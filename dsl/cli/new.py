"""``stretch new``: start a routine file from a template that lints clean.

The templates are ``dsl.templates``; this module picks one, names the routine after the
file, and creates the file with ``files.create_exclusively``, which never replaces
anything: a file, a folder or a link already at the name is reported (N001), and so is
one that appears while the file is written. A missing folder is reported (N002), not
made: it is more often a typo than a wish. ``-`` prints the template to standard output
instead, for a look or a pipe. Exit codes: 0 created (or printed, or listed); 2 nothing
was created (N001-N003, or a usage error such as an unknown template).
"""

from __future__ import annotations

import errno
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dsl.cli.application import EXIT_CLEAN, EXIT_USAGE, app, usage_error

if TYPE_CHECKING:
    from collections.abc import Callable

    from dsl.diagnostics import Diagnostic

STDOUT = "-"


def _complete_template(incomplete: str) -> list[tuple[str, str]]:
    from dsl.templates import TEMPLATES

    return [(t.name, t.about) for t in TEMPLATES if t.name.startswith(incomplete.lower())]


def listing() -> str:
    """``stretch new --list``: each template's name and what it is for, the default
    marked."""
    from dsl.templates import DEFAULT, TEMPLATES

    width = max(len(t.name) for t in TEMPLATES)
    lines = [f"{t.name:<{width}}  {t.about}{' (default)' if t.name == DEFAULT else ''}"
             for t in TEMPLATES]
    return "\n".join(lines) + "\n"


def target(written: str) -> Path:
    """The file to create: as written, with ``.stretch`` added to a name without an
    extension (``stretch new hamstring-hold`` creates ``hamstring-hold.stretch``). A name
    ending in ``/`` names a folder, which ``create`` refuses, as it stands."""
    from dsl.source.files import SUFFIX

    path = Path(written)
    if _names_a_folder(written) or path.suffix or path.name.endswith(SUFFIX):
        return path
    return path.with_name(path.name + SUFFIX)


def _names_a_folder(written: str) -> bool:
    return written.endswith(("/", os.sep)) or Path(written).is_dir()


def create(written: str, text: str) -> Diagnostic | None:
    """Create the file ``written`` names (see ``target``) holding ``text``; None when
    done, else the diagnostic that says why nothing was written."""
    from dsl.diagnostics import Diagnostic
    from dsl.model import Span
    from dsl.source.files import create_exclusively

    path = target(written)
    name = written if _names_a_folder(written) else str(path)

    def refused(code: str, message: str, hint: str) -> Diagnostic:
        return Diagnostic(code, message, name, Span(1, 1, 1, 1), hint=hint)

    if _names_a_folder(written):
        if not path.is_dir():
            return _no_folder(refused, name, errno.ENOENT)
        inside = _shown(shlex.quote(os.path.join(name, "my-routine.stretch")))
        return refused("N001", "this is a folder: nothing was written",
                       f"name the routine file to create in it: `stretch new {inside}`")
    try:
        create_exclusively(path, text)
    except FileExistsError:
        return refused("N001", "this file already exists: nothing was written",
                       "stretch new never replaces a file: choose another name, or move "
                       "the existing file away first")
    except (FileNotFoundError, NotADirectoryError) as error:
        return _no_folder(refused, str(path.parent), error.errno)
    except OSError as error:
        return refused("N003", f"cannot create this file: {error.strerror or error}; "
                       "nothing was written",
                       "check the folder's permissions and free space, or write the "
                       "routine somewhere else")
    return None


def _no_folder(refused: Callable[[str, str, str], Diagnostic], folder: str,
               why: int | None) -> Diagnostic:
    if why == errno.ENOTDIR:
        return refused("N002", f"`{_shown(folder)}` is a file, not a folder: nothing was "
                       "written", "check the path: the routine file goes in a folder")
    return refused("N002", f"the folder `{_shown(folder)}` does not exist: nothing was written",
                   "check the path, or make the folder first: "
                   f"`mkdir -p {_shown(shlex.quote(folder))}`")


def _shown(path: str) -> str:
    """A path in a message, on one line: its control characters (a line feed too) escaped,
    where a diagnostic's rendering would keep a line feed."""
    from dsl.diagnostics import escape_controls

    return escape_controls(path, one_line=True)


@app.command("new")
def new_command(
    file: Annotated[str | None, typer.Argument(
        help="The routine file to create (.stretch is added to a name without an "
             "extension); - prints the template instead.",
        metavar="FILE", show_default=False)] = None,
    template: Annotated[str | None, typer.Option(
        "--template", "-t", help="The template to start from: static-hold (the default), "
        "contract-relax, breathing or exercises; --list says what each is for.", metavar="NAME",
        show_default=False,
        autocompletion=_complete_template)] = None,
    list_templates: Annotated[bool, typer.Option(
        "--list", help="List the templates, with what each one is for, and exit.")] = False,
) -> None:
    """Start a routine file from a template that lints clean (never replaces a file)."""
    from dsl import templates

    if list_templates:
        if file is not None or template is not None:
            usage_error("--list only lists the templates: leave out FILE and --template")
        sys.stdout.write(listing())
        raise typer.Exit(EXIT_CLEAN)
    chosen = templates.find(template or templates.DEFAULT)
    if chosen is None:
        from dsl.suggestions import did_you_mean

        close = did_you_mean(template or "", [t.name for t in templates.TEMPLATES])
        usage_error(f"no template `{template}`" + (f"; {close}" if close else "")
                    + " (`stretch new --list` lists them)")
    if file is None or not file.strip():
        usage_error("name the routine file to create: `stretch new hamstring-hold.stretch` "
                    "(or - to print the template)")
    if file == STDOUT:
        sys.stdout.write(chosen.text())
        raise typer.Exit(EXIT_CLEAN)
    from dsl.source.files import SUFFIX

    path = target(file)
    stem = path.name[:-len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    problem = create(file, templates.named(chosen, stem))
    if problem is not None:
        from dsl.outputs.text import render_text, use_color

        typer.echo(render_text(problem, None, color=use_color(sys.stderr)), err=True)
        raise typer.Exit(EXIT_USAGE)
    typer.echo(f"created {_shown(str(path))} from the {chosen.name} template", err=True)
    if not path.name.endswith(SUFFIX):
        typer.echo(f"note: the name does not end in {SUFFIX}, so a search of its folder "
                   f"(`stretch lint FOLDER`) will not find it", err=True)
    typer.echo("next: change the words in quotes, then check it with "
               f"`stretch lint {_shown(shlex.quote(str(path)))}`", err=True)
