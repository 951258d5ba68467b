"""Project configuration for ``stretch lint``: ``[tool.stretch]`` in ``pyproject.toml``, or
a ``stretch.toml`` (same keys, at the top level or under ``[tool.stretch]``).

For each routine file the nearest configuration file up from its folder wins; in one
folder ``stretch.toml`` wins over ``pyproject.toml``, and a ``pyproject.toml`` without a
``[tool.stretch]`` table is passed over. Keys (docs/lint.md has the reference)::

    select = ["L", "S101"]        # codes, code prefixes or rule names; default: every rule
    ignore = ["untimed-hold"]     # taken out of the selection
    extend-targets = ["tibialis"] # more muscle names for the target vocabulary
    exclude = ["drafts/**"]       # glob patterns, relative to the configuration file
    library = ["../routines"]     # folders where sessions and programmes find ids
    long-hold = "3m"              # a rule's setting (``stretch explain RULE`` says which)
    [tool.stretch.severity]       # change a rule's severity
    S104 = "error"
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from dsl import codes
from dsl.diagnostics import Severity
from dsl.suggestions import did_you_mean

CONFIG_FILES = ("stretch.toml", "pyproject.toml")
BASE_KEYS = ("select", "ignore", "extend-targets", "exclude", "severity", "library")
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


class ConfigError(Exception):
    """A configuration file that cannot be read or says something we do not understand."""


@dataclass(frozen=True, slots=True)
class Config:
    """Settings for one set of routine files. ``select`` is None for "every rule"."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    extend_targets: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    root: str | None = None  # the folder holding the configuration file
    source: str | None = None  # the configuration file's path
    options: tuple[tuple[str, float], ...] = ()  # rules' settings, in seconds
    library: tuple[str, ...] = ()  # folders (absolute) where references by id are looked up
    _enabled: dict[str, Severity] = field(default_factory=dict, compare=False, repr=False)

    def enabled(self) -> dict[str, Severity]:
        """The codes of the rules that run, with the severity each reports at."""
        if not self._enabled:
            self._enabled.update(resolve_selection(self))
        return self._enabled

    def option(self, key: str, default: float) -> float:
        """A rule's setting (``long-hold``), in seconds, or ``default`` when not set."""
        return next((value for name, value in self.options if name == key), default)

    def excludes(self, path: Path) -> bool:
        """True when ``path`` matches one of the ``exclude`` patterns."""
        if not self.exclude:
            return False
        base = Path(self.root) if self.root else Path.cwd()
        try:
            relative = PurePosixPath(Path(os.path.abspath(path)).relative_to(
                os.path.abspath(base)).as_posix())
        except ValueError:
            relative = PurePosixPath(Path(path).as_posix())
        text = str(relative)
        for pattern in self.exclude:
            pattern = pattern.rstrip("/")
            if fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(text, pattern + "/*"):
                return True
            # A pattern without a slash matches any folder or file name on the way.
            if "/" not in pattern and any(fnmatch.fnmatch(p, pattern) for p in relative.parts):
                return True
        return False

    def with_overrides(
        self, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = ()
    ) -> Config:
        """This configuration with command-line ``--select`` (replaces) and ``--ignore``
        (adds to the configured list)."""
        return Config(
            select if select is not None else self.select, self.ignore + ignore,
            self.severity, self.extend_targets, self.exclude, self.root, self.source,
            self.options, self.library,
        )


DEFAULT = Config()


def resolve_selection(config: Config) -> dict[str, Severity]:
    """The codes a configuration enables, with the severity each reports at."""
    if config.select is None:
        chosen = {r.code: r for r in codes.rules()}
    else:
        chosen = {r.code: r for s in config.select for r in codes.lookup_selector(s)}
    for selector in config.ignore:
        for rule in codes.lookup_selector(selector):
            chosen.pop(rule.code, None)
    severities: dict[str, Severity] = {code: rule.severity for code, rule in chosen.items()}
    # Prefixes first, exact codes and names last, so the most specific setting wins.
    for selector, level in sorted(config.severity,
                                  key=lambda s: len(codes.lookup_selector(s[0])),
                                  reverse=True):
        for rule in codes.lookup_selector(selector):
            if rule.code in severities:
                severities[rule.code] = level
    return severities


def keys() -> tuple[str, ...]:
    """The settings a configuration may have: the general ones and the rules' options."""
    return (*BASE_KEYS, *codes.options())


MAX_CONFIG_SIZE = 1_000_000
"""The largest configuration file read, in bytes (real ones are a few hundred)."""


def _read_toml(path: Path) -> dict[str, Any]:
    """A configuration file's TOML: a regular file only, read up to ``MAX_CONFIG_SIZE``."""
    # Imported here: most routines have no configuration file to read.
    import tomllib

    from dsl.source.files import TooLarge, read_input

    try:
        text = read_input(path, MAX_CONFIG_SIZE, regular_only=True).decode("utf-8")
        return tomllib.loads(text)
    except TooLarge:
        raise ConfigError(f"{path}: too large for a configuration file (the most is "
                          f"{MAX_CONFIG_SIZE / 1e6:.0f} MB)") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def load(path: Path) -> Config:
    """Read one configuration file (stretch.toml or pyproject.toml)."""
    data = _read_toml(path)
    table = _table(data)
    if table is None:
        if path.name == "pyproject.toml":
            raise ConfigError(f"{path}: has no [tool.stretch] table")
        table = data
    return from_table(table, path)


def _table(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    table = tool.get("stretch") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def from_table(table: dict[str, Any], path: Path) -> Config:
    """Check and convert the settings of one ``[tool.stretch]`` table."""
    lookup_selector = codes.lookup_selector
    known = keys()
    for key in table:
        if key not in known:
            close = did_you_mean(key.replace("_", "-"), known, cutoff=0.6)
            hint = f" ({close})" if close else ""
            raise ConfigError(f"{path}: unknown setting `{key}`{hint}; "
                              f"known settings: {', '.join(known)}")
    select = table.get("select")
    selectors = _strings(table, "select", path) if select is not None else None
    ignore = _strings(table, "ignore", path)
    for selector in (*(selectors or ()), *ignore):
        if not lookup_selector(selector):
            raise ConfigError(f"{path}: `{selector}` is not a rule code, prefix or name "
                              "(`stretch rules` lists them)")
    severity: list[tuple[str, Severity]] = []
    raw = table.get("severity", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: `severity` must be a table such as `S104 = \"error\"`")
    for selector, level in sorted(raw.items()):
        if level not in SEVERITIES:
            raise ConfigError(f"{path}: severity of `{selector}` must be one of "
                              f"error, warning, info, not `{level}`")
        if not lookup_selector(selector):
            raise ConfigError(f"{path}: `{selector}` is not a rule code, prefix or name "
                              "(`stretch rules` lists them)")
        severity.append((selector, level))
    return Config(
        selectors, ignore, tuple(severity),
        tuple(t.strip().lower() for t in _strings(table, "extend-targets", path)),
        _strings(table, "exclude", path), str(path.parent), str(path),
        _options(table, path),
        tuple(os.path.normpath(os.path.join(os.path.abspath(path.parent), folder))
              for folder in _strings(table, "library", path)),
    )


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(s|sec|m|min)(?:(\d+(?:\.\d+)?)(s|sec))?")
"""A duration as routines write it: ``20s``, ``2m``, ``1m30s``."""


def _options(table: dict[str, Any], path: Path) -> tuple[tuple[str, float], ...]:
    """The rules' settings in a table, checked: each a positive duration."""
    from dsl.model.printer import duration
    from dsl.syntax.builder import seconds_of_duration

    found: list[tuple[str, float]] = []
    for key, (rule, option) in codes.options().items():
        if key not in table:
            continue
        value = table[key]
        written = isinstance(value, str) and _DURATION.fullmatch(value.strip()) is not None
        # The regex only checks the form; the parser's reading gives the seconds.
        seconds = float(seconds_of_duration(value)) if written else 0.0
        if seconds <= 0:
            raise ConfigError(
                f"{path}: `{key}` must be a duration such as `{key} = "
                f"\"{duration(option.default)}\"` ({rule.code}: {option.about}), "
                f"not `{_toml_text(value)}`")
        found.append((key, seconds))
    return tuple(found)


def _toml_text(value: object) -> str:
    if isinstance(value, str):
        return f"\"{value}\""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _strings(table: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of strings")
    return tuple(value)


class Resolver:
    """Finds the configuration for each file (nearest file up from its folder), reading
    each configuration file once."""

    def __init__(self, explicit: Path | None = None) -> None:
        self._explicit = load(explicit) if explicit is not None else None
        self._by_folder: dict[str, Config] = {}

    def for_file(self, path: Path) -> Config:
        if self._explicit is not None:
            return self._explicit
        if str(path) == "-":
            return self._for_folder(os.path.abspath(os.getcwd()))
        return self._for_folder(os.path.dirname(os.path.abspath(path)))

    def _for_folder(self, folder: str) -> Config:
        found = self._by_folder.get(folder)
        if found is not None:
            return found
        config = self._here(folder)
        if config is None:
            parent = os.path.dirname(folder)
            config = DEFAULT if parent == folder else self._for_folder(parent)
        self._by_folder[folder] = config
        return config

    def _here(self, folder: str) -> Config | None:
        for name in CONFIG_FILES:
            candidate = Path(folder) / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                table = _table(_read_toml(candidate))
                if table is None:
                    continue
                return from_table(table, candidate)
            return load(candidate)
        return None
