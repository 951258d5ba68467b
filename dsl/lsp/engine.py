"""The one seam between the language server and the rest of the toolchain.

Everything the server shows about a document comes through these functions, so the
server never depends on how the checker, the formatter or the vocabulary are built:

- ``diagnose``: what ``stretch lint`` reports for the file (``dsl.lint.checker.check``: syntax,
  values, rules, inline suppressions), with the project configuration that applies to it;
- ``outline``: the routine, session or programme the outline shows, also while the
  document has errors;
- ``format_document``: the canonical text ``stretch fmt`` writes (``dsl.format.formatter``);
- ``fixes`` and ``fix_all``: the fixes ``stretch lint --fix`` applies (``dsl.lint.fixing``),
  one finding's at a time for quick fixes, or every safe one for "fix all";
- ``target_names`` and ``target_description``: the target vocabulary
  (``dsl.model.vocabulary``) and the project's ``extend-targets``.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint import fixing
from dsl.lint.checker import check
from dsl.lint.config import CONFIG_FILES, DEFAULT, Config, ConfigError, Resolver
from dsl.lsp import incremental, references
from dsl.lsp.incremental import Snapshot
from dsl.model import plans, vocabulary
from dsl.model.variants import has_changes
from dsl.source.text import Source
from dsl.syntax.parser import ParsedFile
from dsl.timeline import expand as timeline


def path_of(uri: str) -> str:
    """The file path behind a ``file:`` URI (what diagnostics name); other URIs as given."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return uri
    path = unquote(parsed.path)
    # file:///c:/x on Windows: drop the slash before the drive letter.
    if len(path) > 2 and path[0] == "/" and path[2] == ":":
        path = path[1:]
    return path


def parse_document(text: str, uri: str) -> ParsedFile:
    """Parse a document's text as the file its URI names would be read once saved, so the
    editor and ``stretch lint`` agree (a NUL character is P122, a lone surrogate, which is
    not UTF-8, is P121)."""
    return incremental.parse_text(text, path_of(uri))


# The routine (or session, or programme) each open document last parsed to: the outline
# keeps showing it while the user's typing leaves a syntax error (the editor would
# otherwise empty the outline on nearly every keystroke).
_LAST_OUTLINES: dict[str, m.Routine | plans.Plan] = {}
_PREFIX_TRIES = 8


def outline(text: str, uri: str) -> m.Routine | plans.Plan | None:
    """The routine, session or programme the outline shows: the document's own when it
    parses; while it has a syntax error, the last one it parsed to (positions may be a
    line off until it parses again; the protocol layer clamps them to the text); for a
    document that has not parsed since it was opened, what parses of the lines above the
    first error."""
    parsed = _parse(text, uri)
    top = parsed.routine or parsed.plan
    if top is not None:
        _LAST_OUTLINES[uri] = top
        return top
    last = _LAST_OUTLINES.get(uri)
    if last is not None:
        return last
    if not parsed.diagnostics:
        return None
    # Line numbers as the parser counts them (not str.splitlines, which also breaks at a
    # form feed or a line separator inside a line).
    source = Source(text)
    first_error = min(d.span.line for d in parsed.diagnostics)
    # The lines above the error; a block left open just above it may need a line or two
    # more taken off.
    for keep in range(first_error - 1, max(first_error - 1 - _PREFIX_TRIES, 0), -1):
        above = parse_document(source.text[: source.offset(keep + 1, 1)], uri)
        if above.routine is not None or above.plan is not None:
            return above.routine or above.plan
    return None


_PLAN_START = re.compile(r"(?:[^\S\n]*+(?:#[^\n]*+)?+\n)*+[^\S\n]*+(?:session|programme)(?![\w'-])")


def is_plan(text: str) -> bool:
    """Whether a document is a session or a programme (its first statement says)."""
    return _PLAN_START.match(text) is not None


def reference_at(text: str, uri: str, line: int, column: int) -> references.Found | None:
    """The reference of a session's or programme's `do` line at a position, and where it
    leads (the library of ``stretch lint`` for that file), or None."""
    if not is_plan(text):
        return None
    parsed = _parse(text, uri)
    if parsed.plan is None:
        return None
    return references.reference_at(parsed.plan, line, column, path_of(uri),
                                   config_for(uri).library)


def library_ids(uri: str) -> dict[str, str]:
    """Each id of the library a document's references resolve in (as ``stretch lint``
    resolves them for that file), with where it is declared: the file's path relative to
    the document's folder, or several paths for an id two files declare. A document
    that is not a saved file (``untitled:``) has no folder: its references resolve in the
    folder the server runs in, as the checker resolves them, so completion offers what
    the diagnostics accept."""
    from dsl.source.library import Library

    path = path_of(uri)
    folder = os.path.dirname(os.path.abspath(path))
    found = Library.for_file(path, config_for(uri).library).ids()
    return {name: ", ".join(_shown(p, folder) for p in paths)
            for name, paths in found.items()}


def _shown(path: str, folder: str) -> str:
    relative = os.path.relpath(path, folder)
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def forget(uri: str) -> None:
    """Drop what is remembered about a document the editor closed."""
    _LAST_OUTLINES.pop(uri, None)
    _SNAPSHOTS.pop(uri, None)
    _EXPANSIONS.pop(uri, None)


# The last clean parse of each open document, cut into blocks: the next version parses
# only the blocks its edit touched (``dsl.lsp.incremental``); and its last expansion, so
# the items the edit did not touch are not expanded again.
_SNAPSHOTS: dict[str, Snapshot] = {}
_EXPANSIONS: dict[str, timeline.Expansion] = {}
_FIRST_EXPANSION = timeline.Expansion(())


def diagnose(text: str, uri: str) -> list[Diagnostic]:
    """Every diagnostic for the document, as ``stretch lint`` reports it for that file,
    in a stable order (line, column, code). After an edit only the blocks the edit
    touched are parsed again; the result is the same as parsing the whole text."""
    parsed = _parse(text, uri)
    top = parsed.routine or parsed.plan
    if top is not None:  # every version that parses, not only those outlined
        _LAST_OUTLINES[uri] = top
    if parsed.routine is None or not parsed.ok:
        return check(parsed, config_for(uri))  # the rules do not run: nothing to expand
    if has_changes(parsed.routine) or parsed.routine.parameters:
        # The checker expands the routine with each variant, and with the parameters'
        # values filled in, itself (``with_variant`` and ``with_values`` make new steps:
        # an expansion of the routine as written fits none of them).
        return check(parsed, config_for(uri))
    # Looked up here, not imported at the top: the expansion is the timeline's one
    # entry, and tests count its calls.
    expansion = timeline.expand(parsed.routine,
                                earlier=_EXPANSIONS.get(uri, _FIRST_EXPANSION))
    _EXPANSIONS[uri] = expansion
    return check(parsed, config_for(uri), expansion=expansion)


def _parse(text: str, uri: str) -> ParsedFile:
    """The document parsed, from its last clean version when there is one (the outline
    asks after every edit too: it must not parse the whole text each time either)."""
    done = incremental.update(_SNAPSHOTS.get(uri), text, path_of(uri))
    if done.snapshot is None:
        _SNAPSHOTS.pop(uri, None)
    else:
        _SNAPSHOTS[uri] = done.snapshot
    return done.parsed


# The configuration of each folder, with the state of the configuration files it was read
# from: re-read as soon as one of them is created, changed or deleted.
_CONFIGS: dict[str, tuple[tuple[tuple[str, int], ...], Config]] = {}


def config_for(uri: str) -> Config:
    """The project configuration for the document (the default one for unsaved documents
    and for a configuration that cannot be read: the lint command reports that)."""
    if urlparse(uri).scheme != "file":
        return DEFAULT
    folder = os.path.dirname(os.path.abspath(path_of(uri)))
    state = _config_files(folder)
    cached = _CONFIGS.get(folder)
    if cached is not None and cached[0] == state:
        return cached[1]
    try:
        config = Resolver().for_file(Path(folder) / "routine.stretch")
    except (ConfigError, OSError):
        config = DEFAULT
    _CONFIGS[folder] = (state, config)
    return config


def _config_files(folder: str) -> tuple[tuple[str, int], ...]:
    """Every configuration file from ``folder`` up to the root, with its modification time."""
    found = []
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(folder, name)
            try:
                found.append((candidate, os.stat(candidate).st_mtime_ns))
            except OSError:
                continue
        parent = os.path.dirname(folder)
        if parent == folder:
            return tuple(found)
        folder = parent


def format_document(text: str, uri: str = "<string>") -> str | None:
    """The document as ``stretch fmt`` writes it, or None when it must be left alone: it
    has errors, or the formatter's self-check refused its own output."""
    from dsl.format.formatter import UnsafeFormatting, format_bytes

    try:
        # As bytes, like parse_document: what `stretch fmt` refuses, this leaves alone.
        result = format_bytes(text.encode("utf-8", "surrogatepass"), path_of(uri))
    except UnsafeFormatting:
        return None
    return result.formatted


def fixes(text: str, uri: str) -> list[fixing.Found]:
    """The fix of each of the document's findings that has one, safe and unsafe, as
    ``stretch lint --fix --unsafe-fixes`` would build them for the file."""
    parsed = parse_document(text, uri)
    config = config_for(uri)
    return fixing.fixes(parsed, check(parsed, config), config, unsafe=True)


def fix_all(text: str, uri: str) -> str:
    """The document with every safe fix applied, as ``stretch lint --fix`` writes it."""
    return fixing.fix_text(text, path_of(uri), config_for(uri)).text


_SECTION = re.compile(r"^#\s*---\s*(.*?)\s*-*\s*$")


@lru_cache(maxsize=1)
def _sections() -> dict[str, str]:
    """Each bundled target name with the heading of its section in the vocabulary file
    ("hip and thigh", "groups and regions"): what hover says about it."""
    names: dict[str, str] = {}
    section = ""
    for line in vocabulary.DATA.read_text(encoding="utf-8").splitlines():
        heading = _SECTION.match(line)
        if heading:
            section = heading.group(1)
            continue
        name = vocabulary.normalize(line.split("#", 1)[0])
        if name:
            names.setdefault(name, section)
    return names


def target_names(uri: str | None = None) -> tuple[str, ...]:
    """The muscle and group names completion offers, sorted: the bundled vocabulary and
    the ``extend-targets`` of the project configuration that applies to the document."""
    extra = config_for(uri).extend_targets if uri is not None else ()
    return tuple(sorted({*vocabulary.target_names(), *map(vocabulary.normalize, extra)}))


def target_description(name: str, uri: str | None = None) -> str | None:
    """What the vocabulary says about a target name, or None if it does not know it."""
    extra = config_for(uri).extend_targets if uri is not None else ()
    if not vocabulary.is_known(name, extra):
        return None
    sections = _sections()
    section = next((sections[f] for f in sorted(vocabulary.forms(vocabulary.normalize(name)))
                    if f in sections), None)
    if section is None:
        return "named in the project's configuration (`extend-targets`)"
    if section == "groups and regions":
        return "a muscle group or body region (bundled vocabulary)"
    return f"{section} (bundled vocabulary)"
