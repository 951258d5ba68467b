"""The reference player: plays a compiled routine from its JSON document only.

``load_document`` reads a compiled ``.json`` (or compiles a ``.stretch`` file first and
then uses only the resulting dict); ``scripted.run`` gives the event log on a virtual
clock; ``live.play`` drives a terminal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from dsl.source.files import TooLarge, read_input
from dsl.timeline.contract import version_problem
from dsl.timeline.document import Document

MAX_DOCUMENT_SIZE = 64_000_000
"""The largest compiled document read, in bytes (10,000 steps come to a few megabytes)."""


class DocumentError(Exception):
    """A file that cannot be played; ``diagnostics`` holds the routine's problems, if any."""

    def __init__(self, message: str, diagnostics: tuple[Any, ...] = (), source: str = "") -> None:
        super().__init__(message)
        self.diagnostics = diagnostics
        self.source = source


def load_document(path: Path, settings: tuple[str, ...] = (),
                  variants: tuple[str, ...] = (), *, flatten: bool = True) -> Document:
    """The compiled document behind a ``.stretch`` or ``.json`` file; ``settings`` give a
    ``.stretch`` file's parameters their values (``hold=45s``, as ``--set`` takes them);
    ``variants`` choose its variants (``harder``, as ``--variant`` takes them). A compiled
    routine is switched to one variant with its ``variantTimelines``. A session is made
    routine-shaped for the engine (``dsl.player.sessions``) unless ``flatten`` is false:
    then it is as compiled (its parts and announcements kept), for an output that reads
    it whole, such as an audio track."""
    if path.suffix == ".json":
        try:
            document = json.loads(read_input(path, MAX_DOCUMENT_SIZE).decode("utf-8"))
        except TooLarge:
            raise DocumentError(f"{path} is too large for a compiled routine (the most is "
                                f"{MAX_DOCUMENT_SIZE / 1e6:.0f} MB)") from None
        except OSError as error:
            raise DocumentError(f"cannot read {path}: {error.strerror or error}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DocumentError(f"{path} is not valid JSON: {error}") from error
        if isinstance(document, dict) and document.get("kind") in ("session", "programme"):
            return _plan(document, path, variants, flatten)
        problem = version_problem(document)
        if problem is not None:
            raise DocumentError(f"{path}: {problem}")
        if not isinstance(document.get("timeline"), list):
            raise DocumentError(f"{path}: this is not a compiled routine: no `timeline`")
        # Typed as the contract says; the player still reads every field with care, since
        # only the version and the timeline were checked.
        if variants:
            return switched(cast(Document, dict(document)), variants, path)
        return cast(Document, dict(document))
    from dsl import compile_file

    result = compile_file(path, settings=settings, variants=variants)
    if result.document is None:
        raise DocumentError(f"not played: {path} has errors", result.diagnostics, result.source)
    if result.document.get("kind") in ("session", "programme"):
        return _plan(cast("dict[str, Any]", result.document), path, (), flatten)
    return result.document


def _plan(document: dict[str, Any], path: Path, variants: tuple[str, ...],
          flatten: bool = True) -> Document:
    """A compiled session, ready to play (``dsl.player.sessions``); a programme is not
    played whole."""
    from dsl.timeline.sessions import PLAN_VERSION

    version = str(document.get("schemaVersion", ""))
    if version.split(".")[0] != PLAN_VERSION.split(".")[0]:
        raise DocumentError(f"{path}: session schema version {version or '(none)'} is not "
                            f"supported: this player plays version "
                            f"{PLAN_VERSION.split('.')[0]}.x")
    if document.get("kind") == "programme":
        raise DocumentError(f"{path} is a programme: play one of its sessions (each "
                            "`do` line names one), or compile it and let an app follow "
                            "the schedule")
    if variants:
        raise DocumentError(f"{path}: a session chooses its routines' variants itself "
                            "(`variant:` under a `do` line)")
    if not isinstance(document.get("timeline"), list):
        raise DocumentError(f"{path}: this is not a compiled session: no `timeline`")
    if not flatten:
        return cast(Document, document)
    from dsl.player.sessions import playable

    return playable(document)


def switched(document: Document, variants: tuple[str, ...], path: Path) -> Document:
    """A compiled routine switched to one variant, as an app does it (docs/json.md,
    "Variants that change steps"): the fields of its ``variantTimelines`` entry for that
    variant replace the document's own. ``harder`` picks the entry chosen for the whole
    routine; ``e2/harder`` (a section id) the one for that exercise alone."""
    if len(variants) > 1:
        raise DocumentError(f"{path}: a compiled routine holds one variant at a time; to "
                            "combine variants, compile the routine with each --variant")
    scope, _, name = variants[0].rpartition("/")
    entries = document.get("variantTimelines", [])
    for entry in entries:
        if entry.get("variant") == name and entry.get("section") == (scope or None):
            run = dict(document)
            run.pop("variantTimelines", None)
            for key, value in entry.items():
                if key not in ("variant", "section"):
                    run[key] = value
            if "sections" not in entry:
                run.pop("sections", None)
            run["chosenVariants"] = [{"variant": name, "section": scope or None}]
            return cast(Document, run)
    there = ", ".join(sorted({(f"{e['section']}/" if e.get("section") else "") + e["variant"]
                              for e in entries}))
    raise DocumentError(f"{path}: no variant `{variants[0]}` in this compiled routine"
                        + (f" (it has {there})" if there else " (it has none that change steps)"))
