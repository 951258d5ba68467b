"""Text to model: Lark's LALR parser, then a transformer that builds ``dsl.model``.

The Lark parser is built once per process (its grammar analysis is cached on disk), so
parsing a file costs only lexing, parsing and building the model. Syntax errors become
diagnostics in ``dsl.syntax_errors``; values the grammar accepts but the language does not
(``level: expert``) become diagnostics here, so one file can report several of them.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, VisitError
from lark.tree import Meta

from . import model as m
from .diagnostics import Diagnostic
from .lexing import Indenter, IndentationProblem

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """The result of parsing one file: the routine (None if it could not be read), the
    comments (for the formatter), the source text and the diagnostics found on the way."""

    path: str
    source: str
    routine: m.Routine | None
    comments: tuple[m.Comment, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The one Lark parser of this process."""
    return build_parser(cache=True)


def build_parser(*, cache: bool = True, strict: bool = False) -> Lark:
    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        postlex=Indenter(),
        propagate_positions=_counts_for_position,
        maybe_placeholders=False,
        cache=cache,
        strict=strict,
    )


def _counts_for_position(node: object) -> bool:
    """Line breaks and indentation do not count towards a statement's span, so a span
    ends where the statement's last word or quote ends."""
    return not (isinstance(node, Token) and node.type in ("_NL", "_INDENT", "_DEDENT"))


def _has_statement(text: str) -> bool:
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return True
    return False


def parse(text: str, path: str = "<string>") -> ParsedFile:
    """Parse routine source text. Never raises on bad input: problems are diagnostics."""
    # Local import: syntax_errors imports this module for its example-based matching.
    from . import syntax_errors

    text = text.removeprefix("\ufeff")
    # Old Mac and Windows line ends read like Unix ones; columns do not move.
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _has_statement(normalized):
        return ParsedFile(path, text, None, (), (syntax_errors.empty_file(path),))
    parser = lark_parser()
    indenter = cast(Indenter, parser.options.postlex)
    indenter.reset(len(normalized))
    try:
        tree = parser.parse(normalized)
    except (UnexpectedInput, IndentationProblem) as error:
        diagnostic = syntax_errors.describe(error, normalized, path)
        return ParsedFile(path, text, None, tuple(indenter.comments), (diagnostic,))
    comments = tuple(indenter.comments)
    if not any(True for _ in tree.children):
        return ParsedFile(path, text, None, comments, (syntax_errors.empty_file(path),))
    builder = ModelBuilder(path)
    try:
        routine = builder.transform(tree)
    except VisitError as error:  # pragma: no cover - a bug in the builder, not in the input
        raise error.orig_exc from error
    return ParsedFile(path, text, routine, comments, tuple(builder.diagnostics))


def parse_bytes(data: bytes, path: str = "<bytes>") -> ParsedFile:
    """Decode a file's bytes (UTF-8, optional byte order mark) and parse it."""
    from . import syntax_errors

    problem = syntax_errors.undecodable(data, path)
    if problem is not None:
        return ParsedFile(path, "", None, (), (problem,))
    return parse(data.decode("utf-8"), path)


def parse_file(path: str | Path) -> ParsedFile:
    """Read and parse one routine file; ``-`` reads standard input. A file that cannot
    be read is reported as a diagnostic, not raised."""
    name = str(path)
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(path).read_bytes()
    except OSError as error:
        problem = Diagnostic(
            "P123", f"cannot read this file: {error.strerror or error}", name,
            m.Span(1, 1, 1, 1), hint="check the path and the file's permissions",
        )
        return ParsedFile(name, "", None, (), (problem,))
    return parse_bytes(data, "<stdin>" if name == "-" else name)


# --- the model builder -----------------------------------------------------------------

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(s|sec|m|min)")
_UNITS: dict[str, tuple[m.Unit, int]] = {
    "count": ("count", 1), "counts": ("count", 1),
    "breath": ("breath", 1), "breaths": ("breath", 1),
    "s": ("s", 1), "sec": ("s", 1), "secs": ("s", 1), "second": ("s", 1), "seconds": ("s", 1),
    "m": ("s", 60), "min": ("s", 60), "mins": ("s", 60), "minute": ("s", 60), "minutes": ("s", 60),
}
_INTENSITY: dict[str, m.IntensityLevel] = {
    "gently": "gentle", "moderately": "moderate", "firmly": "firm",
    "discomfort": "mild-discomfort", "tension": "mild-tension",
}
_FREQUENCY_WORDS = {"daily": (1, "day"), "weekly": (1, "week"), "monthly": (1, "month")}
_LIMIT_SCOPES = {"side": "side", "routine": "routine", "session": "routine"}


def token_span(token: Token) -> m.Span:
    return m.Span(token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)


def meta_span(meta: Meta) -> m.Span:
    if getattr(meta, "empty", True):
        return m.NO_SPAN
    return m.Span(meta.line, meta.column, meta.end_line, meta.end_column)


def unquote(token: Token) -> str:
    """The text between the quotes; ``\\"`` and ``\\\\`` are the only escapes."""
    body = str(token)[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\([\"\\])", r"\1", body)


def number(token: Token) -> float:
    text = str(token)
    return int(text) if text.isdigit() else float(text)


def seconds_of_duration(text: str) -> float:
    total: float = 0
    for value, unit in _DURATION_PART.findall(text):
        amount = int(value) if value.isdigit() else float(value)
        total += amount * (60 if unit in ("m", "min") else 1)
    return total


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def _one_of(choices: tuple[str, ...]) -> str:
    quoted = [f"`{c}`" for c in choices]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


@v_args(meta=True)
class ModelBuilder(Transformer[Token, m.Routine]):
    """Builds the model from Lark's tree; value problems go to ``self.diagnostics``."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def _problem(self, code: str, message: str, span: m.Span, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, self.path, span, hint=hint))

    def _choice(self, token: Token, choices: tuple[str, ...], code: str, what: str) -> str:
        """The word if it is one of the choices; otherwise a diagnostic, and the word."""
        word = str(token).lower()
        if word not in choices:
            hint = did_you_mean(word, choices) or f"use {_one_of(choices)}"
            self._problem(code, f"unknown {what} `{token}`", token_span(token), hint)
        return word

    def _whole(self, token: Token) -> int:
        value = number(token)
        if not isinstance(value, int):
            self._problem(
                "P207", f"`{token}` is not a whole number", token_span(token),
                "counts of times and repeats are whole numbers: `3`, not `2.5`",
            )
            return int(value)
        return value

    # --- structure -------------------------------------------------------------------

    def start(self, meta: Meta, children: list[Any]) -> m.Routine:
        return cast(m.Routine, children[0])

    def routine(self, meta: Meta, children: list[Any]) -> m.Routine:
        title, *items = children
        return m.Routine(unquote(title), tuple(items), meta_span(meta))

    def words(self, meta: Meta, children: list[Token]) -> m.Text:
        return m.Text(" ".join(str(w) for w in children), meta_span(meta))

    def text_line(self, meta: Meta, children: list[Token]) -> m.Text:
        return m.Text(unquote(children[0]), token_span(children[0]))

    # --- settings ----------------------------------------------------------------------

    def id_decl(self, meta: Meta, children: list[Token]) -> m.RoutineId:
        return m.RoutineId(str(children[0]), meta_span(meta))

    def targets_decl(self, meta: Meta, children: list[m.Target]) -> m.Targets:
        return m.Targets(tuple(children), meta_span(meta))

    def target(self, meta: Meta, children: list[m.Text]) -> m.Target:
        name, *details = children
        parts = tuple(m.Target(d.value, (), d.span) for d in details)
        return m.Target(name.value, parts, meta_span(meta))

    def equipment_decl(self, meta: Meta, children: list[m.Text]) -> m.Equipment:
        if len(children) == 1 and children[0].value.lower() == "none":
            return m.Equipment((), meta_span(meta))
        return m.Equipment(tuple(children), meta_span(meta))

    def position_decl(self, meta: Meta, children: list[m.Text]) -> m.Position:
        return m.Position(children[0].value, meta_span(meta))

    def level_decl(self, meta: Meta, children: list[Token]) -> m.Level:
        return m.Level(self._choice(children[0], m.LEVELS, "P201", "level"), meta_span(meta))

    def partner_decl(self, meta: Meta, children: list[Token]) -> m.Partner:
        mode = self._choice(children[0], m.PARTNER_MODES, "P202", "partner setting")
        text = unquote(children[1]) if len(children) > 1 else None
        return m.Partner(cast(m.PartnerMode, mode), text, meta_span(meta))

    def frequency_decl(self, meta: Meta, children: list[Any]) -> m.Frequency:
        span = meta_span(meta)
        if len(children) == 1:  # daily, weekly, monthly
            word = self._choice(children[0], tuple(_FREQUENCY_WORDS), "P206", "frequency")
            times, period = _FREQUENCY_WORDS.get(word, (1, "day"))
            return m.Frequency(times, times, period, span)
        (low, high), period_token = children
        period = self._choice(period_token, m.PERIODS, "P206", "period")
        return m.Frequency(low, high, period, span)

    def tempo_decl(self, meta: Meta, children: list[m.TempoRate]) -> m.Tempo:
        return m.Tempo(tuple(children), meta_span(meta))

    def tempo_rate(self, meta: Meta, children: list[Any]) -> m.TempoRate:
        count, unit_token, seconds = children
        unit, _ = _UNITS[str(unit_token).lower()]
        span = meta_span(meta)
        if unit == "s" or seconds.unit != "s":
            self._problem(
                "P208", "a tempo says how long one count or one breath lasts", span,
                "write it as `1 count = 1s` or `1 breath = 5s`",
            )
            return m.TempoRate("count", 1, span)
        per = number(count)
        if per <= 0:
            self._problem("P208", "a tempo needs a positive number of counts", span,
                          "write it as `1 count = 1s`")
            return m.TempoRate(unit, seconds.value, span)
        return m.TempoRate(unit, seconds.value / per, span)

    def sides_decl(self, meta: Meta, children: list[m.Sides]) -> m.Sides:
        sides = children[0]
        return m.Sides(sides.mode, sides.first, meta_span(meta))

    def sides_spec(self, meta: Meta, children: list[Token]) -> m.Sides:
        words = [str(t) for t in children if str(t) != ","]
        side = next((cast(m.Side, w) for w in words if w in ("left", "right")), None)
        if words[0] == "none":
            return m.Sides("none")
        if words[-1] == "only":
            return m.Sides("one", side)
        return m.Sides(cast(m.SidesMode, words[0]), side or "left")

    def switch_decl(self, meta: Meta, children: list[Any]) -> m.Switch:
        amount = next((c for c in children if isinstance(c, m.Amount)), None)
        text = next((unquote(c) for c in children if isinstance(c, Token)), None)
        return m.Switch(amount, text, meta_span(meta))

    def limit(self, meta: Meta, children: list[Any]) -> m.Limit:
        span = meta_span(meta)
        subject_token, value, *scope = children
        subject = cast(m.LimitSubject, self._choice(
            subject_token, m.LIMIT_SUBJECTS, "P203", "limit"))
        per: str = "side"
        if scope:
            per = self._choice(scope[0], tuple(_LIMIT_SCOPES), "P209", "limit scope")
            per = _LIMIT_SCOPES.get(per, "side")
        if subject not in m.LIMIT_SUBJECTS:
            return m.Limit("cycles", 0, "times", "side", span)
        if subject in m.COUNTED_LIMITS:
            if isinstance(value, Token) and value.type == "NUMBER":
                return m.Limit(subject, self._whole(value), "times",
                               cast(Any, per), span)
            expected = "a number of times, such as `3`"
        elif subject == "effort":
            if isinstance(value, Token) and value.type == "PERCENT":
                return m.Limit(subject, number(Token("N", str(value)[:-1])), "percent",
                               cast(Any, per), span)
            expected = "a percentage, such as `50%`"
        else:
            if isinstance(value, m.Quantity):
                return m.Limit(subject, value.value, value.unit, cast(Any, per), span)
            expected = "an amount with a unit, such as `30s` or `5 counts`"
        self._problem("P204", f"a `{subject}` limit takes {expected}", span,
                      f"for example `limit {subject} {_LIMIT_EXAMPLES[subject]}`")
        return m.Limit(subject, 0, "times", "side", span)

    def indications(self, meta: Meta, children: list[m.Text]) -> m.Indications:
        return m.Indications(tuple(children), meta_span(meta))

    def contraindications(self, meta: Meta, children: list[m.Text]) -> m.Contraindications:
        return m.Contraindications(tuple(children), meta_span(meta))

    def posture(self, meta: Meta, children: list[m.Text]) -> m.Posture:
        return m.Posture(tuple(children), meta_span(meta))

    def note(self, meta: Meta, children: list[Token]) -> m.Note:
        return m.Note(unquote(children[0]), meta_span(meta))

    def media(self, meta: Meta, children: list[Token]) -> m.Media:
        kind = cast(Any, str(children[0]))
        caption = unquote(children[2]) if len(children) > 2 else None
        return m.Media(kind, unquote(children[1]), caption, meta_span(meta))

    def variant(self, meta: Meta, children: list[Token]) -> m.Variant:
        return m.Variant(str(children[0]).lower(), unquote(children[1]), meta_span(meta))

    def safety_handler(self, meta: Meta, children: list[Any]) -> m.SafetyHandler:
        signal_token, *rest = children
        signal = self._choice(signal_token, m.SIGNALS, "P205", "signal")
        text = None
        if rest and isinstance(rest[0], Token):
            text = unquote(rest.pop(0))
        return m.SafetyHandler(signal, tuple(rest), text, meta_span(meta))

    def group(self, meta: Meta, children: list[Any]) -> m.Group:
        name, *items = children
        return m.Group(name.value, tuple(items), meta_span(meta))

    # --- steps and repeats -----------------------------------------------------------

    def step(self, meta: Meta, children: list[Any]) -> m.Step:
        kind = cast(m.StepKind, str(children[0]))
        amount = intensity = text = None
        details: list[m.StepDetail] = []
        for child in children[1:]:
            if isinstance(child, m.Amount):
                amount = child
            elif isinstance(child, m.Intensity):
                intensity = child
            elif isinstance(child, Token):
                text = unquote(child)
            else:
                details.append(child)
        return m.Step(kind, amount, intensity, text, tuple(details), meta_span(meta))

    def cue(self, meta: Meta, children: list[Any]) -> m.Cue:
        at = children[0] if len(children) > 1 else None
        return m.Cue(unquote(children[-1]), at, False, meta_span(meta))

    def partner_cue(self, meta: Meta, children: list[Any]) -> m.Cue:
        at = children[0] if len(children) > 1 else None
        return m.Cue(unquote(children[-1]), at, True, meta_span(meta))

    def repeat(self, meta: Meta, children: list[Any]) -> m.Repeat:
        count, *rest = children
        between = rest.pop(0) if rest and isinstance(rest[0], m.RestBetween) else None
        return m.Repeat(count, tuple(rest), between, meta_span(meta))

    def repeat_times(self, meta: Meta, children: list[tuple[int, int]]) -> m.RepeatCount:
        low, high = children[0]
        return m.RepeatCount("times", low, high, None, meta_span(meta))

    def repeat_up_to(self, meta: Meta, children: list[Token]) -> m.RepeatCount:
        return m.RepeatCount("up_to", 1, self._whole(children[0]), None, meta_span(meta))

    def repeat_for(self, meta: Meta, children: list[m.Amount]) -> m.RepeatCount:
        return m.RepeatCount("for", None, None, children[0], meta_span(meta))

    def rest_between(self, meta: Meta, children: list[Any]) -> m.RestBetween:
        text = unquote(children[1]) if len(children) > 1 else None
        return m.RestBetween(children[0], text, meta_span(meta))

    def count_range(self, meta: Meta, children: list[Token]) -> tuple[int, int]:
        low = self._whole(children[0])
        high = self._whole(children[1]) if len(children) > 1 else low
        return low, high

    # --- amounts -----------------------------------------------------------------------

    def quantity(self, meta: Meta, children: list[Token]) -> m.Quantity:
        if len(children) == 1:
            return m.Quantity(seconds_of_duration(str(children[0])), "s")
        unit, factor = _UNITS[str(children[1]).lower()]
        return m.Quantity(number(children[0]) * factor, unit)

    def amount(self, meta: Meta, children: list[m.Quantity]) -> m.Amount:
        return m.Amount(children[0], children[0], meta_span(meta))

    def unit_range(self, meta: Meta, children: list[Token]) -> m.Amount:
        unit, factor = _UNITS[str(children[2]).lower()]
        low = m.Quantity(number(children[0]) * factor, unit)
        high = m.Quantity(number(children[1]) * factor, unit)
        return m.Amount(low, high, meta_span(meta))

    def duration_range(self, meta: Meta, children: list[Token]) -> m.Amount:
        high = m.Quantity(seconds_of_duration(str(children[1])), "s")
        first = children[0]
        if first.type == "NUMBER":
            # "10-30s" and "1-2m": a bare low end takes the high end's unit.
            factor = 60 if str(children[1]).rstrip("0123456789.").endswith(("m", "min")) else 1
            low = m.Quantity(number(first) * factor, "s")
        else:
            low = m.Quantity(seconds_of_duration(str(first)), "s")
        return m.Amount(low, high, meta_span(meta))

    def intensity(self, meta: Meta, children: list[Token]) -> m.Intensity:
        span = meta_span(meta)
        last = children[-1]
        if last.type == "PERCENT":
            high = number(Token("N", str(last)[:-1]))
            low = number(children[0]) if len(children) > 1 else high
            return m.Intensity(None, low, high, span)
        return m.Intensity(_INTENSITY[str(last)], None, None, span)


_LIMIT_EXAMPLES = {
    "cycles": "3", "contractions": "6", "contraction": "10s", "hold": "60s",
    "breath-hold": "2 counts", "effort": "50%", "total": "20m",
}
