"""The lint rules: one small module per rule, and this registry.

Each rule module has ``CODE`` (a letter and three digits, stable forever), ``NAME``
(kebab-case), ``SEVERITY`` (its default), a docstring (what it catches, why it matters, a
bad and a good example, sources where relevant; ``docs/rules.md`` is generated from it)
and ``check(context)``, which yields ``Finding``s. Rules that are not checks of one file
(duplicate ids across files, suppressions) set ``check = None`` and say where they run.

Families: ``L`` limits, ``V`` values, ``T`` targets, ``R`` references, ``S`` safety
guidance, ``X`` suppression comments. ``P`` codes belong to the parser.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

from dsl import model as m
from dsl.diagnostics import Related, Severity

if TYPE_CHECKING:
    from dsl.lint.config import Config
    from dsl.syntax.parser import ParsedFile
    from dsl.timeline.expand import Expansion

MODULES = (
    "limit_exceeded", "group_limit_exceeded", "routine_too_long", "unchecked_total",
    "meaningless_limit_scope",
    "inverted_range", "zero_amount", "cue_after_step_end", "meaningless_tempo",
    "switch_among_steps", "nothing_to_alternate", "untimed_in_time_box", "time_box_too_short",
    "control_character",
    "unknown_target",
    "missing_media", "unknown_variant", "duplicate_id", "duplicate_setting",
    "long_contraction", "long_hold", "contraction_without_relax", "contractions_without_limit",
    "contractions_without_pain_handler", "untimed_hold", "contraction_in_handler",
    "unused_suppression", "invalid_suppression",
)
"""The rule modules, in the order the rule reference lists them."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found: where, what, how to fix it, and related places."""

    span: m.Span
    message: str
    hint: str | None = None
    related: tuple[Related, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A rule as the registry knows it."""

    code: str
    name: str
    severity: Severity
    doc: str
    check: Callable[[Context], Iterable[Finding]] | None

    @property
    def summary(self) -> str:
        """The docstring's first line, without its final period."""
        return self.doc.strip().splitlines()[0].rstrip(".")

    @property
    def family(self) -> str:
        return self.code[0]


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the rule reference's order."""
    rules = []
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        rules.append(_rule_of(module))
    return tuple(rules)


def _rule_of(module: ModuleType) -> Rule:
    code, name, severity = module.CODE, module.NAME, module.SEVERITY
    assert re.fullmatch(r"[LVTRSX]\d{3}", code), code
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name), name
    doc = inspect.cleandoc(module.__doc__ or "")
    return Rule(code, name, severity, doc, getattr(module, "check", None))


@lru_cache(maxsize=1)
def by_code() -> dict[str, Rule]:
    return {rule.code: rule for rule in all_rules()}


def find(code_or_name: str) -> Rule | None:
    """The rule with this code (any case) or kebab-case name, or None."""
    wanted = code_or_name.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    return None


def lookup_selector(selector: str) -> tuple[Rule, ...]:
    """The rules a selector names: a code (``S104``), a prefix (``S``, ``S1``), a name
    (``untimed-hold``) or ``ALL``. Empty when it names none."""
    wanted = selector.strip()
    if wanted.upper() == "ALL":
        return all_rules()
    rule = find(wanted)
    if rule is not None:
        return (rule,)
    if re.fullmatch(r"[A-Za-z]\d{0,2}", wanted):
        return tuple(r for r in all_rules() if r.code.startswith(wanted.upper()))
    return ()


def resolve_selection(config: Config) -> dict[str, Severity]:
    """The codes a configuration enables, with the severity each reports at."""
    if config.select is None:
        chosen = {r.code: r for r in all_rules()}
    else:
        chosen = {r.code: r for s in config.select for r in lookup_selector(s)}
    for selector in config.ignore:
        for rule in lookup_selector(selector):
            chosen.pop(rule.code, None)
    severities: dict[str, Severity] = {code: rule.severity for code, rule in chosen.items()}
    # Prefixes first, exact codes and names last, so the most specific setting wins.
    for selector, level in sorted(config.severity, key=lambda s: len(lookup_selector(s[0])),
                                  reverse=True):
        for rule in lookup_selector(selector):
            if rule.code in severities:
                severities[rule.code] = level
    return severities


class Context:
    """What a rule looks at: the parsed file, its routine and configuration, and the
    routine as it will run (given by the caller that will compile it too, or expanded
    here on first use: either way once per file)."""

    def __init__(self, parsed: ParsedFile, routine: m.Routine, config: Config,
                 expansion: Expansion | None = None) -> None:
        self.parsed = parsed
        self.routine = routine
        self.config = config
        self.path = parsed.path
        if expansion is not None:
            self.expansion = expansion

    @cached_property
    def expansion(self) -> Expansion:
        """``dsl.timeline.expand.expand(routine)``: the one notion of "the routine as it runs"."""
        from dsl.timeline.expand import expand

        return expand(self.routine)

    @cached_property
    def rates(self) -> dict[m.Unit, float]:
        """Seconds per second, count and breath (the routine's tempo over the defaults)."""
        from dsl.timeline.expand import seconds_per_unit

        return seconds_per_unit(self.routine)

    @cached_property
    def lines(self) -> list[str]:
        return self.parsed.source.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    @cached_property
    def _comment_columns(self) -> dict[int, int]:
        return {c.line: c.column for c in self.parsed.comments}

    @cached_property
    def steps(self) -> list[m.Step]:
        """Every step as written: the body's and the safety handlers', repeats entered."""
        steps = m.walk_steps(self.routine.body)
        for handler in self.routine.handlers:
            steps.extend(m.walk_steps(handler.body))
        return steps

    def first_line(self, span: m.Span) -> m.Span:
        """The span cut to its first line (a step's cues and details left out), without
        a trailing comment."""
        if span.line < 1 or span.end_line == span.line:
            return span
        text = self.lines[span.line - 1] if span.line <= len(self.lines) else ""
        end = len(text) + 1
        comment = self._comment_columns.get(span.line)
        if comment is not None:
            end = comment
        end = len(text[: end - 1].rstrip()) + 1
        return m.Span(span.line, span.column, span.line, max(end, span.column + 1))

    def text_of(self, span: m.Span) -> str:
        """The source text of a one-line span (for quoting a statement as written)."""
        if span.line < 1 or span.line > len(self.lines):
            return ""
        line = self.lines[span.line - 1]
        if span.end_line != span.line:
            return line[span.column - 1:].strip()
        return line[span.column - 1 : span.end_column - 1]


def seconds_text(seconds: float) -> str:
    """``90`` as ``1m30s``, ``12.5`` as ``12.5s``: durations the way a coach writes them."""
    value = round(seconds, 3)
    if value >= 60:
        minutes, rest = divmod(value, 60)
        rest = round(rest, 3)
        whole = f"{int(minutes)}m"
        return whole + (f"{_number(rest)}s" if rest else "")
    return f"{_number(value)}s"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def quantity_text(quantity: m.Quantity) -> str:
    """A quantity as written: ``30s``, ``5 counts``, ``1 breath``."""
    if quantity.unit == "s":
        return seconds_text(quantity.value)
    noun = quantity.unit + ("" if quantity.value == 1 else "s")
    return f"{_number(quantity.value)} {noun}"


def limit_text(limit: m.Limit) -> str:
    """A limit as a coach writes it: ``limit cycles 3``, ``limit hold 60s``."""
    if limit.unit == "times":
        value = _number(limit.value)
    elif limit.unit == "percent":
        value = f"{_number(limit.value)}%"
    else:
        value = quantity_text(m.Quantity(limit.value, limit.unit))
    scope = f" per {limit.per}" if limit.per != m.default_scope(limit.subject) else ""
    return f"limit {limit.subject} {value}{scope}"
