"""Parse tree to model: the transformer Lark runs while it parses.

Values the grammar accepts but the language does not (``level: expert``) become
diagnostics here, so one file can report several of them.

Each callback's ``children`` are typed from its grammar rule: every token of the rule
(``Token``) and the model nodes its sub-rules built. ``_tokens`` and ``_nodes`` split them;
``tests/test_builder_types.py`` checks the types against what Lark really passes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, Protocol, TypeVar, cast

import msgspec

from dsl import model as m
from dsl.diagnostics import Diagnostic, Related
from dsl.model import plans, printer, words
from dsl.suggestions import closest, did_you_mean, suggestion
from dsl.syntax.standalone import Token

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(s|sec|m|min)")
_UNITS = words.UNIT_WORDS
_INTENSITY: dict[str, m.IntensityLevel] = {**words.INTENSITY_WORDS, **words.MILD_SENSATIONS}
_FREQUENCY_WORDS = words.FREQUENCY_WORDS
_LIMIT_SCOPES = words.LIMIT_SCOPES


# Tokens that carry a value; the others (keywords, punctuation, line structure) only mark
# where a statement starts and ends.
_VALUE_TOKENS = frozenset({
    "STRING", "DURATION", "PERCENT", "NUMBER", "WORD", "STEP_KIND", "MEDIA_KIND", "SIDE",
    "INTENSITY_WORD", "MILD_SENSATION", "UNIT", "PACE_WORD", "VAGUE_AMOUNT", "PLACEHOLDER",
})
_LAYOUT_TOKENS = frozenset({"_NL", "_INDENT", "_DEDENT"})


class _Spanned(Protocol):
    """A model node: it knows where it stands."""

    @property
    def span(self) -> m.Span: ...


_Node = TypeVar("_Node", bound=_Spanned)
_Kind = TypeVar("_Kind")


def token_span(token: Token) -> m.Span:
    return m.Span(token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)


def unquote(token: Token) -> str:
    """The text between the quotes; ``\\"`` and ``\\\\`` are the only escapes."""
    body = str(token)[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\([\"\\])", r"\1", body)


def number(token: Token | str) -> float:
    text = str(token).rstrip("%")
    return int(text) if text.isdigit() else float(text)


def seconds_of_duration(text: str) -> float:
    total: float = 0
    for value, unit in _DURATION_PART.findall(text):
        amount = int(value) if value.isdigit() else float(value)
        total += amount * (60 if unit in ("m", "min") else 1)
    return total


def _one_of(choices: tuple[str, ...]) -> str:
    quoted = [f"`{c}`" for c in choices]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _span(children: Sequence[Token | _Spanned]) -> m.Span:
    """From the first word of a statement to its last (line breaks not included)."""
    # Called for every statement: written out rather than through helpers.
    for child in children:
        if isinstance(child, Token):
            if child.type not in _LAYOUT_TOKENS:
                line, column = child.line or 0, child.column or 0
                break
        elif child.span.line:
            line, column = child.span.line, child.span.column
            break
    else:
        return m.NO_SPAN
    for child in reversed(children):
        if isinstance(child, Token):
            if child.type not in _LAYOUT_TOKENS:
                return m.Span(line, column, child.end_line or 0, child.end_column or 0)
        elif child.span.line:
            return m.Span(line, column, child.span.end_line, child.span.end_column)
    return m.NO_SPAN


def _tokens(children: Sequence[Token | _Spanned]) -> list[Token]:
    """The tokens that carry a value (not keywords, punctuation or line structure)."""
    return [c for c in children if isinstance(c, Token) and c.type in _VALUE_TOKENS]


def _nodes(children: Sequence[Token | _Node]) -> list[_Node]:
    """The model nodes the rule's sub-rules built, in order."""
    return [c for c in children if not isinstance(c, Token)]


def _the(kind: type[_Kind], nodes: Sequence[object]) -> _Kind:
    """The one node of this kind that the grammar puts in the rule."""
    for node in nodes:
        if isinstance(node, kind):
            return node
    raise ValueError(f"the grammar promised a {kind.__name__} here")


class _CountRange(msgspec.Struct, frozen=True):
    low: int
    high: int
    span: m.Span


class _Days(msgspec.Struct, frozen=True):
    """The days of a schedule line, as written (kept apart while building)."""

    words: tuple[str, ...]
    span: m.Span


class _Times(msgspec.Struct, frozen=True):
    """The times of day of a schedule line (kept apart while building)."""

    times: tuple[plans.TimeOfDay, ...]
    span: m.Span


class _RepTime(msgspec.Struct, frozen=True):
    """``, 3s each`` on a step (kept apart from the step's own amount while building)."""

    amount: m.Amount
    span: m.Span


class ModelBuilder:
    """Lark callbacks, one per grammar rule, that build the model while the LALR parser
    reduces (no parse tree is built). Each receives every token of its rule, keywords
    included, so it can compute its span; value problems go to ``self.diagnostics``."""

    def __init__(self) -> None:
        self.path = "<string>"
        self.diagnostics: list[Diagnostic] = []
        # Every `{name}` written where an amount or a repeat count goes, in order: the
        # routine's callback checks them against its parameters.
        self.parameter_uses: list[tuple[m.Amount | m.RepeatCount, m.Span]] = []
        self.declared_parameters = False
        self.broken_parameters: set[str] = set()  # declarations reported as P138

    def reset(self, path: str) -> None:
        self.path = path
        self.diagnostics = []
        self.parameter_uses = []
        self.declared_parameters = False
        self.broken_parameters = set()

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

    def start(self, children: list[Token | m.Routine | plans.Plan]) -> m.Routine | plans.Plan:
        return cast("m.Routine | plans.Plan", _nodes(children)[0])

    def routine(self, children: list[Token | m.RoutineItem]) -> m.Routine:
        title = _tokens(children)[0]
        items: list[m.RoutineItem] = _nodes(children)
        if any(item.__class__ is m.Exercise for item in items):
            self._steps_beside_exercises(items)
        routine = m.Routine(unquote(title), tuple(items), _span(children))
        if self.parameter_uses or self.declared_parameters:
            self.diagnostics.extend(parameter_problems(
                routine, self.parameter_uses, self.path, self.broken_parameters))
        return routine

    def exercise(self, children: list[Token | m.ExerciseItem]) -> m.Exercise:
        title = _tokens(children)[0]
        return m.Exercise(unquote(title), tuple(_nodes(children)), _span(children))

    # --- sessions and programmes -------------------------------------------------------

    def session(self, children: list[Token | plans.SessionItem]) -> plans.Session:
        title = _tokens(children)[0]
        items: list[plans.SessionItem] = _nodes(children)
        for item in items:
            if isinstance(item, m.Step) and item.kind not in plans.SESSION_STEP_KINDS:
                self._problem(
                    "P211", f"a session has no `{item.kind}` steps of its own",
                    _first_line(item.span, len(item.kind)),
                    "between its routines a session takes `rest` and `setup` steps; put "
                    f"the `{item.kind}` in a routine and `do` that routine here")
            elif isinstance(item, m.Limit) and item.subject not in _SESSION_LIMITS:
                self._problem(
                    "P211", f"a session has no `{item.subject}` limit",
                    _first_line(item.span, 5),
                    f"a session limits {_one_of(_SESSION_LIMITS)} across its routines; "
                    f"`limit {item.subject}` goes in each routine")
        for _, span in self.parameter_uses:
            self._problem("P211", "a session has no parameters", span,
                          "write the amount, or give a routine's parameter a value with "
                          "`set NAME: VALUE` under its `do` line")
        return plans.Session(unquote(title), tuple(items), _span(children))

    def use(self, children: list[Token | plans.Reference | plans.UseItem]) -> plans.Use:
        reference, *items = _nodes(children)
        return plans.Use(cast(plans.Reference, reference),
                         tuple(cast(list[plans.UseItem], items)), _span(children))

    def reference(self, children: list[Token]) -> plans.Reference:
        token = _tokens(children)[0]
        if token.type == "STRING":
            return plans.Reference(unquote(token), True, token_span(token))
        return plans.Reference(str(token), False, token_span(token))

    def use_variants(self, children: list[Token | plans.VariantPick]) -> plans.UseVariants:
        return plans.UseVariants(tuple(_nodes(children)), _span(children))

    def variant_pick(self, children: list[Token]) -> plans.VariantPick:
        names = [str(t) for t in _tokens(children)]
        if len(names) == 1:
            return plans.VariantPick(names[0].lower(), None, _span(children))
        return plans.VariantPick(names[1].lower(), names[0], _span(children))

    def use_setting(self, children: list[Token | m.Amount | _CountRange]) -> plans.Setting:
        name = _tokens(children)[0]
        value = self._one_value(_value(cast("m.Amount | _CountRange", _nodes(children)[0])),
                                "a setting")
        # (`set hold: {hold}` is P212 already, not a use of a parameter in the session.)
        self.parameter_uses = [u for u in self.parameter_uses if u[1] != value.span]
        return plans.Setting(str(name), value, _span(children), token_span(name))

    def _one_value(self, value: m.Amount | m.Count, what: str) -> m.Amount | m.Count:
        """A value a setting or a progression gives: one value, not a range (it says what
        the person does, not what the coach may choose)."""
        low, high = ((value.low, value.high) if isinstance(value, m.Count)
                     else (value.low.value, value.high.value))
        if low != high:
            self._problem("P212", f"{what} gives one value, not a range", value.span,
                          "choose the value within the range: "
                          f"`{printer.parameter_value(_low_end_of(value))}`")
        if isinstance(value, m.Amount) and value.parameter is not None:
            self._problem("P212", f"{what} gives a value, not a parameter", value.span,
                          "write the value: `45s`, `3 breaths`, `2`")
        return value

    def programme(self, children: list[Token | plans.ProgrammeItem]) -> plans.Programme:
        title = _tokens(children)[0]
        return plans.Programme(unquote(title), tuple(_nodes(children)), _span(children))

    def weeks_decl(self, children: list[Token]) -> plans.Weeks:
        token = _tokens(children)[0]
        count = self._whole(token)
        if count < 1:
            self._problem("P213", "a programme runs for at least one week",
                          token_span(token), "write the number of weeks: `weeks: 6`")
        return plans.Weeks(count, _span(children))

    def start_decl(self, children: list[Token]) -> plans.StartDate:
        year, month, day = (str(t) for t in _tokens(children))
        span = _span(children)
        import datetime

        try:
            if len(year) != 4 or len(month) != 2 or len(day) != 2:
                raise ValueError
            date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            self._problem("P213", f"`{year}-{month}-{day}` is not a date", span,
                          "write the date as year-month-day: `start: 2026-12-07`")
            return plans.StartDate(2000, 1, 1, span)
        return plans.StartDate(date.year, date.month, date.day, span)

    def start_stage(self, children: list[Token]) -> plans.StartStage:
        return plans.StartStage(str(_tokens(children)[0]).lower(), _span(children))

    def schedule(self, children: list[Token | plans.Reference | _Days | _Times]
                 ) -> plans.Schedule:
        reference = _the(plans.Reference, children)
        days = _the(_Days, children)
        times = next((c.times for c in children if isinstance(c, _Times)), ())
        moment = next((unquote(t) for t in _tokens(children) if t.type == "STRING"), None)
        return plans.Schedule(reference, days.words, times, moment, _span(children))

    def schedule_days(self, children: list[Token]) -> _Days:
        words_ = _tokens(children)
        span = _span(children)
        if not any(c.type != "WORD" for c in children):
            word = str(words_[0]).lower()  # no `on`: `daily`
            if word in plans.DAY_WORDS:
                self._problem("P210", f"`on` goes before the days: `on {word}`",
                              token_span(words_[0]), f"write `on {word}`, or `daily`")
                return _Days((word,), span)
            choice = self._choice(words_[0], plans.EVERY_DAY_WORDS, "P210", "schedule")
            return _Days((choice,), span)
        return _Days(tuple(self._choice(w, tuple(plans.DAY_WORDS), "P210", "day")
                           for w in words_), span)

    def schedule_times(self, children: list[Token | plans.TimeOfDay]) -> _Times:
        return _Times(tuple(_nodes(children)), _span(children))

    def time_of_day(self, children: list[Token]) -> plans.TimeOfDay:
        hour, minute = _tokens(children)
        span = _span(children)
        if (not str(hour).isdigit() or not str(minute).isdigit() or len(str(minute)) != 2
                or int(hour) > 23 or int(minute) > 59):
            self._problem("P213", f"`{hour}:{minute}` is not a time of day", span,
                          "write hours and minutes on the 24-hour clock: `07:30`, `18:00`")
            return plans.TimeOfDay(0, 0, span)
        return plans.TimeOfDay(int(hour), int(minute), span)

    def progression(self, children: list[Token | m.Amount | _CountRange
                                     | plans.ProgressStep]) -> plans.Progression:
        name = _tokens(children)[0]
        nodes = _nodes(children)
        first = self._one_value(_value(cast(m.Amount | _CountRange, nodes[0])),
                                "a progression")
        steps = tuple(cast(list[plans.ProgressStep], nodes[1:]))
        span = _span(children)
        week = 1
        for step in steps:
            if isinstance(step, plans.ProgressFrom):
                if step.week <= week:
                    self._problem(
                        "P214", f"week {step.week} comes after week {week} here",
                        step.span, "list the weeks in order, each after the last: "
                        "`progress hold: 20s, 30s from week 3, 45s from week 5`")
                week = max(week, step.week)
            elif step is not steps[-1]:
                self._problem("P214", "nothing can follow a rule that goes on to the end",
                              steps[steps.index(step) + 1].span,
                              "put the steps by week before the rule: `progress hold: 20s, "
                              "30s from week 3, +5s a week up to 45s`")
        return plans.Progression(str(name), first, steps, span, token_span(name))

    def progress_from(self, children: list[Token | m.Amount | _CountRange]) -> plans.ProgressFrom:
        value = self._one_value(_value(cast("m.Amount | _CountRange", _nodes(children)[0])),
                                "a progression")
        week = self._whole(_tokens(children)[-1])
        return plans.ProgressFrom(value, week, _span(children))

    def progress_by(self, children: list[Token | m.Amount | _CountRange]) -> plans.ProgressBy:
        step, up_to = (self._one_value(_value(cast("m.Amount | _CountRange", n)),
                                       "a progression") for n in _nodes(children))
        every_token = next((t for t in _tokens(children) if t.type == "NUMBER"
                            and any(str(c) == "every" for c in children)), None)
        every = self._whole(every_token) if every_token is not None else 1
        span = _span(children)
        if every < 1:
            self._problem("P214", "a progression steps every week or more",
                          token_span(every_token) if every_token else span,
                          "write `a week`, or `every 2 weeks`")
            every = 1
        per = next((cast(Literal["a", "per"], str(c)) for c in children
                    if isinstance(c, Token) and c.type == "_PER"), None)
        return plans.ProgressBy(step, every, up_to, span, per)

    def stage(self, children: list[Token | plans.StageItem]) -> plans.Stage:
        name, *title = _tokens(children)
        return plans.Stage(str(name).lower(), unquote(title[0]) if title else None,
                           tuple(_nodes(children)), _span(children))

    def move_up(self, children: list[Token | int | plans.Condition]) -> plans.StageRule:
        kind = next(c for c in children if isinstance(c, Token) and c.type == "STEP_KIND")
        if str(kind) != "move":
            self._problem("P215", f"`{kind} up` is not a stage rule", token_span(kind),
                          "a stage rule is `move up when ...` or `step back when ...`")
        return self._stage_rule("up", children)

    def step_back(self, children: list[Token | int | plans.Condition]) -> plans.StageRule:
        return self._stage_rule("back", children)

    def _stage_rule(self, direction: Literal["up", "back"],
                    children: list[Token | int | plans.Condition]) -> plans.StageRule:
        after = next((c for c in children if isinstance(c, int)), None)
        conditions = tuple(c for c in children if isinstance(c, plans.Condition))
        spanned = [c for c in children if not isinstance(c, int)]
        return plans.StageRule(direction, conditions, after, _span(spanned))

    def after_sessions(self, children: list[Token]) -> int:
        token = _tokens(children)[0]
        count = self._whole(token)
        if count < 1:
            self._problem("P215", "a stage rule counts one session or more",
                          token_span(token), "write `after 3 sessions`, or leave it out "
                          "to decide after each session")
            return 1
        return count

    def condition_at_most(self, children: list[Token]) -> plans.Condition:
        answer, value = _tokens(children)
        return plans.Condition(self._score(answer), at_most=self._out_of_ten(value),
                               span=_span(children))

    def condition_at_least(self, children: list[Token]) -> plans.Condition:
        answer, value = _tokens(children)
        return plans.Condition(self._score(answer), at_least=self._out_of_ten(value),
                               span=_span(children))

    def condition_within(self, children: list[Token]) -> plans.Condition:
        answer, value, unit = _tokens(children)[-3:]
        negated = any(isinstance(c, Token) and c.type == "NOT" for c in children)
        name = self._choice(answer, plans.TIMED_ANSWERS, "P215", "answer")
        unit_word = self._choice(unit, tuple(plans.ANSWER_UNITS), "P215", "unit of time")
        hours = number(value) * plans.ANSWER_UNITS.get(unit_word, 1)
        return plans.Condition(name, hours=hours, negated=negated, span=_span(children),
                               written_unit=unit_word)

    def _score(self, token: Token) -> str:
        return self._choice(token, plans.SCORED_ANSWERS, "P215", "answer")

    def _out_of_ten(self, token: Token) -> float:
        value = number(token)
        if value > 10:
            self._problem("P215", f"`{token}` is more than 10", token_span(token),
                          "pain and effort are answered out of 10: `pain at most 2`")
        return value

    def _steps_beside_exercises(self, items: list[m.RoutineItem]) -> None:
        """Steps and repeats belong to an exercise once the routine has exercises: which
        exercise's sides and settings would a step between them run with? (Standing cues
        may stay: they hold for every exercise.)"""
        for item in items:
            if isinstance(item, (m.Step, m.Repeat, m.SideOnly, m.VariantOnly)):
                what, word = ("step", item.kind) if isinstance(item, m.Step) else (
                    ("repeat", "repeat") if isinstance(item, m.Repeat)
                    else ("one-side block", item.side) if isinstance(item, m.SideOnly)
                    else ("variant block", "variant"))
                self._problem(
                    "P135", f"a {what} outside the exercises of a routine that has exercises",
                    _first_line(item.span, len(word)),
                    "indent it under an `exercise \"...\":` (a warm-up can be an exercise of "
                    "its own: `exercise \"Warm-up\":`)")

    def words(self, children: list[Token]) -> m.Text:
        return m.Text(" ".join(str(w) for w in children), _span(children))

    def text_line(self, children: list[Token]) -> m.Text:
        return m.Text(unquote(children[0]), token_span(children[0]))

    # --- settings ----------------------------------------------------------------------

    def id_decl(self, children: list[Token]) -> m.RoutineId:
        return m.RoutineId(str(_tokens(children)[0]), _span(children))

    def targets_decl(self, children: list[Token | m.Target]) -> m.Targets:
        return m.Targets(tuple(_nodes(children)), _span(children))

    def target(self, children: list[Token | m.Text]) -> m.Target:
        name, *details = _nodes(children)
        parts = tuple(m.Target(d.value, (), d.span) for d in details)
        return m.Target(name.value, parts, _span(children))

    def equipment_decl(self, children: list[Token | m.Text]) -> m.Equipment:
        items = _nodes(children)
        if len(items) == 1 and items[0].value.lower() == "none":
            return m.Equipment((), _span(children))
        return m.Equipment(tuple(items), _span(children))

    def position_decl(self, children: list[Token | m.Text]) -> m.Position:
        return m.Position(_nodes(children)[0].value, _span(children))

    def level_decl(self, children: list[Token]) -> m.Level:
        word = _tokens(children)[0]
        return m.Level(self._choice(word, m.LEVELS, "P201", "level"), _span(children))

    def partner_decl(self, children: list[Token]) -> m.Partner:
        values = _tokens(children)
        mode = self._choice(values[0], m.PARTNER_MODES, "P202", "partner setting")
        text = unquote(values[1]) if len(values) > 1 else None
        return m.Partner(cast(m.PartnerMode, mode), text, _span(children))

    def frequency_decl(self, children: list[Token | _CountRange]) -> m.Frequency:
        span = _span(children)
        (word_token,) = _tokens(children)
        counted = _nodes(children)
        if not counted:  # daily, weekly, monthly
            word = self._choice(word_token, tuple(_FREQUENCY_WORDS), "P206", "frequency")
            times, period = _FREQUENCY_WORDS.get(word, (1, "day"))
            return m.Frequency(times, times, period, span)
        period = self._choice(word_token, m.PERIODS, "P206", "period")
        return m.Frequency(counted[0].low, counted[0].high, period, span)

    def tempo_decl(self, children: list[Token | m.TempoRate]) -> m.Tempo:
        return m.Tempo(tuple(_nodes(children)), _span(children))

    def tempo_rate(self, children: list[Token]) -> m.TempoRate:
        count, unit_token, *rest = _tokens(children)
        span = _span(children)
        unit, _ = _UNITS[str(unit_token).lower()]
        seconds = _quantity(rest)
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

    def sides_decl(self, children: list[Token | m.Sides]) -> m.Sides:
        sides = _nodes(children)[0]
        return m.Sides(sides.mode, sides.first, _span(children))

    def sides_spec(self, children: list[Token]) -> m.Sides:
        words = [str(t) for t in children if str(t) != ","]
        side = next((cast(m.Side, w) for w in words if w in ("left", "right")), None)
        span = m.Span(children[0].line or 0, children[0].column or 0,
                      children[-1].end_line or 0, children[-1].end_column or 0)
        if words[0] == "none":
            return m.Sides("none", None, span)
        if words[-1] == "only":
            return m.Sides("one", side, span)
        return m.Sides(cast(m.SidesMode, words[0]), side or "left", span)

    def switch_decl(self, children: list[Token | m.Amount]) -> m.Switch:
        amount = next(iter(_nodes(children)), None)
        text = next((unquote(c) for c in _tokens(children)), None)
        return m.Switch(amount, text, _span(children))

    def limit(self, children: list[Token]) -> m.Limit:
        span = _span(children)
        subject_token, *rest = _tokens(children)
        scope = rest.pop() if len(rest) > 1 and rest[-1].type == "WORD" else None
        subject = cast(m.LimitSubject, self._choice(
            subject_token, m.LIMIT_SUBJECTS, "P203", "limit"))
        if subject not in m.LIMIT_SUBJECTS:
            return m.Limit("cycles", 0, "times", "side", span)
        per = m.default_scope(subject)
        scope_span = written = None
        if scope is not None:
            scope_span = _span([scope])
            written = cast(Literal["side", "routine"], _LIMIT_SCOPES.get(
                self._choice(scope, tuple(_LIMIT_SCOPES), "P209", "limit scope"), "side"))
            if per != "step":  # a `per` on a one-step limit means nothing: L105 says so
                per = written
        kinds = [t.type for t in rest]
        if subject in m.COUNTED_LIMITS:
            if kinds == ["NUMBER"]:
                return m.Limit(subject, self._whole(rest[0]), "times", per, span,
                               scope_span, written)
            expected = "a number of times, such as `3`"
        elif subject == "effort":
            if kinds == ["PERCENT"]:
                return m.Limit(subject, number(rest[0]), "percent", per, span,
                               scope_span, written)
            expected = "a percentage, such as `50%`"
        else:
            if kinds in (["DURATION"], ["NUMBER", "UNIT"]):
                value = _quantity(rest)
                return m.Limit(subject, value.value, value.unit, per, span,
                               scope_span, written)
            expected = "an amount with a unit, such as `30s` or `5 counts`"
        self._problem("P204", f"a `{subject}` limit takes {expected}", span,
                      f"for example `limit {subject} {_LIMIT_EXAMPLES[subject]}`")
        return m.Limit(subject, 0, "times", "side", span)

    def indications(self, children: list[Token | m.Text]) -> m.Indications:
        return m.Indications(tuple(_nodes(children)), _span(children))

    def contraindications(self, children: list[Token | m.Text]) -> m.Contraindications:
        return m.Contraindications(tuple(_nodes(children)), _span(children))

    def posture(self, children: list[Token | m.Text]) -> m.Posture:
        return m.Posture(tuple(_nodes(children)), _span(children))

    def note(self, children: list[Token]) -> m.Note:
        return m.Note(unquote(_tokens(children)[0]), _span(children))

    def media(self, children: list[Token]) -> m.Media:
        kind, source, *caption = _tokens(children)
        text = unquote(caption[0]) if caption else None
        # MEDIA_KIND matches `image` and `video` only.
        media_kind = cast(Literal["image", "video"], str(kind))
        return m.Media(media_kind, unquote(source), text, _span(children))

    def variant(self, children: list[Token]) -> m.Variant:
        name, text = _tokens(children)
        return m.Variant(str(name).lower(), unquote(text), _span(children))

    def safety_handler(self, children: list[Token | m.BlockItem]) -> m.SafetyHandler:
        signal_token, *words = _tokens(children)
        signal = self._choice(signal_token, m.SIGNALS, "P205", "signal")
        text = unquote(words[0]) if words else None
        return m.SafetyHandler(signal, tuple(_nodes(children)), text, _span(children))

    def parameter_decl(self, children: list[Token | m.Amount | _CountRange]) -> m.Parameter:
        self.declared_parameters = True
        name, *text = _tokens(children)
        span = _span(children)
        written: list[m.Amount | _CountRange] = _nodes(children)
        default, allowed = (_value(v) for v in written)
        problem = declaration_problem(default, allowed)
        if problem is not None:
            message, hint, where = problem
            self._problem("P138", message, where, hint)
            self.broken_parameters.add(str(name))  # its uses are not checked against it
        return m.Parameter(str(name), default, allowed, unquote(text[0]) if text else None,
                           span, token_span(name))

    def group(self, children: list[Token | m.Text | m.Limit | m.Note]) -> m.Group:
        nodes: list[m.Text | m.Limit | m.Note] = _nodes(children)
        name = _the(m.Text, nodes)
        items = tuple(n for n in nodes if not isinstance(n, m.Text))
        return m.Group(name.value, items, _span(children))

    # --- steps and repeats -----------------------------------------------------------

    def step(self, children: list[Token | m.Amount | m.SideAmounts | m.Intensity | _RepTime
                                  | m.StepDetail]) -> m.Step:
        kind_token, *words = _tokens(children)
        kind = cast(m.StepKind, str(kind_token))
        text = pace = vague = None
        for word in words:
            if word.type == "STRING":
                text = unquote(word)
            elif word.type == "PACE_WORD":
                pace = m.Word(str(word), token_span(word))
            else:
                vague = m.Word(str(word), token_span(word))
        amount = intensity = rep_time = by_side = None
        details: list[m.StepDetail] = []
        nodes: list[m.Amount | m.SideAmounts | m.Intensity | _RepTime | m.StepDetail] = \
            _nodes(children)
        for child in nodes:
            if isinstance(child, m.Amount):
                amount = child
            elif isinstance(child, m.SideAmounts):
                by_side = child
                amount = child.longest
            elif isinstance(child, m.Intensity):
                intensity = child
            elif isinstance(child, _RepTime):
                rep_time = child.amount
            else:
                details.append(child)
        if len(details) > 1:
            self._one_change_per_variant(details)
        if amount is not None and amount.unit == "rep" and not (
                float(amount.low.value).is_integer() and float(amount.high.value).is_integer()):
            self._problem("P207", "repetitions are a whole number", amount.span,
                          "count whole repetitions: `10 reps`, not `10.5 reps`")
        return m.Step(kind, amount, intensity, text, tuple(details), _span(children),
                      rep_time, pace, vague, by_side)

    def _one_change_per_variant(self, details: list[m.StepDetail]) -> None:
        """One variant changes a step one way: two changes for the same variant (``60s``
        and ``leave out``) would leave the player to pick."""
        seen: dict[str, m.StepChange] = {}
        for change in details:
            if not isinstance(change, m.StepChange):
                continue
            first = seen.setdefault(change.name, change)
            if first is not change:
                self._problem(
                    "P141", f"variant `{change.name}` already changes this step on line "
                    f"{first.span.line}", _first_line(change.span, len("variant")),
                    f"say the change once: one `variant {change.name}: ...` line under a "
                    "step (to put several steps in its place, indent them under "
                    f"`variant {change.name}:`)")

    def rep_time(self, children: list[Token]) -> _RepTime:
        quantity = _quantity(_tokens(children))
        span = _span([c for c in children if c.type != "COMMA"])
        return _RepTime(m.Amount(quantity, quantity, span), span)

    def side_amounts(self, children: list[Token | m.Amount]) -> m.SideAmounts:
        first, second = (cast(m.Side, str(t)) for t in _tokens(children))
        amounts = _nodes(children)
        span = _span(children)
        if first == second:
            other = "right" if first == "left" else "left"
            self._problem(
                "P132", f"both amounts are for the {first} side", span,
                f"give the second amount to the other side: `{second} ...` becomes "
                f"`{other} ...`")
            return m.SideAmounts(amounts[0], amounts[0], first, span)
        if amounts[0].unit != amounts[1].unit and amounts[0].parameter is None \
                and amounts[1].parameter is None:
            # Which side is longer depends on the tempo then: the model's `amount` (what a
            # reader that knows no side sees) could be the shorter one.
            names = {"s": "seconds", "count": "counts", "breath": "breaths", "rep": "reps"}
            self._problem(
                "P134", f"the {first} side's amount is in {names[amounts[0].unit]}, the "
                f"{second} side's in {names[amounts[1].unit]}", amounts[1].span,
                "write both sides' amounts in the same unit")
        left, right = amounts if first == "left" else amounts[::-1]
        return m.SideAmounts(left, right, first, span)

    def cue(self, children: list[Token]) -> m.Cue:
        *at, text = _tokens(children)
        return m.Cue(unquote(text), _quantity(at) if at else None, False, _span(children))

    def partner_cue(self, children: list[Token]) -> m.Cue:
        *at, text = _tokens(children)
        return m.Cue(unquote(text), _quantity(at) if at else None, True, _span(children))

    def repeat(self, children: list[Token | m.RepeatCount | _CountRange | m.RestBetween
                                    | m.BlockItem]) -> m.Repeat:
        nodes: list[m.RepeatCount | _CountRange | m.RestBetween | m.BlockItem] = \
            _nodes(children)
        count = _the(m.RepeatCount, nodes)
        most = next((n for n in nodes if isinstance(n, _CountRange)), None)
        if most is not None:
            count = self._capped(count, most)
        between = next((n for n in nodes if isinstance(n, m.RestBetween)), None)
        body = tuple(n for n in nodes
                     if not isinstance(n, (m.RepeatCount, _CountRange, m.RestBetween)))
        if count.mode == "for" and self.parameter_uses:
            self._parameters_in_time_box(body, between)
        return m.Repeat(count, body, between, _span(children))

    def side_only(self, children: list[Token | m.BlockItem]) -> m.SideOnly:
        side = cast(m.Side, str(_tokens(children)[0]))
        return m.SideOnly(side, tuple(_nodes(children)), _span(children))

    # --- variants that change steps -----------------------------------------------------

    def variant_only(self, children: list[Token | m.BlockItem]) -> m.VariantOnly:
        name = str(_tokens(children)[0]).lower()
        return m.VariantOnly(name, tuple(_nodes(children)), _span(children))

    def change_amount(self, children: list[Token | m.Amount | m.SideAmounts]) -> m.StepChange:
        name = str(_tokens(children)[0]).lower()
        nodes = _nodes(children)
        by_side = next((n for n in nodes if isinstance(n, m.SideAmounts)), None)
        if by_side is not None:
            return m.StepChange(name, by_side.longest, by_side, span=_span(children))
        return m.StepChange(name, _the(m.Amount, nodes), span=_span(children))

    def change_leave_out(self, children: list[Token]) -> m.StepChange:
        return m.StepChange(str(_tokens(children)[0]).lower(), leave_out=True,
                            span=_span(children))

    def change_steps(self, children: list[Token | m.BlockItem]) -> m.StepChange:
        name = str(_tokens(children)[0]).lower()
        return m.StepChange(name, steps=tuple(_nodes(children)), span=_span(children))

    def _capped(self, count: m.RepeatCount, most: _CountRange) -> m.RepeatCount:
        """An open repeat with its ``, at most M``; on any other count the cap is a slip."""
        if count.mode != "at_least":
            self._problem(
                "P129", "`at most` caps an open repeat only", most.span,
                f"write `repeat at least {count.low or 1}, at most {most.high}:` for an open "
                f"repeat, or `repeat {count.low or 1}-{most.high}:` for a range"
                if count.mode == "times" else "remove `, at most ...`, or open the repeat: "
                f"`repeat at least 1, at most {most.high}:`",
            )
            return count
        span = m.Span(count.span.line, count.span.column, most.span.end_line,
                      most.span.end_column)
        return msgspec.structs.replace(count, high=most.high, span=span)

    def _parameters_in_time_box(self, body: tuple[m.BlockItem, ...],
                                between: m.RestBetween | None) -> None:
        """A parameter inside a `repeat for` time box is an error (P140): how many passes
        fit jumps up and down as its value grows, so checking the ends of its range would
        not cover the values between (docs/design.md, "Parameters")."""
        for name, span in _parameters_in(body, between):
            self._problem(
                "P140", f"`{{{name}}}` is used inside a `repeat for` time box", span,
                "how many passes fit would jump with its value, so its range cannot be "
                "checked: write the amount out here, or repeat a set number of times "
                "(`repeat {rounds} times:`)")

    def repeat_times(self, children: list[Token | _CountRange]) -> m.RepeatCount:
        counted = _nodes(children)[0]
        return m.RepeatCount("times", counted.low, counted.high, None, _span(children))

    def repeat_up_to(self, children: list[Token]) -> m.RepeatCount:
        most = self._whole(_tokens(children)[0])
        return m.RepeatCount("up_to", 1, most, None, _span(children))

    def repeat_parameter(self, children: list[Token]) -> m.RepeatCount:
        token = _tokens(children)[0]
        count = m.RepeatCount("times", 0, 0, None, _span(children), parameter=str(token)[1:-1])
        self.parameter_uses.append((count, token_span(token)))  # the `{name}` itself
        return count

    def repeat_for(self, children: list[Token | m.Amount]) -> m.RepeatCount:
        return m.RepeatCount("for", None, None, _nodes(children)[0], _span(children))

    def repeat_at_least(self, children: list[Token]) -> m.RepeatCount:
        return self._open_repeat(children, "at least")

    def repeat_or_more(self, children: list[Token]) -> m.RepeatCount:
        return self._open_repeat(children, "or more")

    def _open_repeat(self, children: list[Token],
                     written: Literal["at least", "or more"]) -> m.RepeatCount:
        least = self._whole(_tokens(children)[0])
        return m.RepeatCount("at_least", least, None, None, _span(children), written)

    def at_most(self, children: list[Token]) -> _CountRange:
        most = self._whole(_tokens(children)[0])
        return _CountRange(most, most, _span(children))

    def rest_between(self, children: list[Token | m.Amount]) -> m.RestBetween:
        text = _tokens(children)
        amount = _nodes(children)[0]
        return m.RestBetween(amount, unquote(text[0]) if text else None, _span(children))

    def count_range(self, children: list[Token]) -> _CountRange:
        values = _tokens(children)
        low = self._whole(values[0])
        high = self._whole(values[1]) if len(values) > 1 else low
        return _CountRange(low, high, _span(children))

    # --- amounts -----------------------------------------------------------------------

    def amount(self, children: list[Token]) -> m.Amount:
        quantity = _quantity(children)
        return m.Amount(quantity, quantity, _span(children))

    def unit_range(self, children: list[Token]) -> m.Amount:
        low_token, high_token, unit_token = _tokens(children)
        unit, factor = _UNITS[str(unit_token).lower()]
        low = m.Quantity(number(low_token) * factor, unit)
        high = m.Quantity(number(high_token) * factor, unit)
        return m.Amount(low, high, _span(children))

    def duration_range(self, children: list[Token]) -> m.Amount:
        first, last = _tokens(children)
        high = m.Quantity(seconds_of_duration(str(last)), "s")
        if first.type == "NUMBER":
            # "10-30s" and "1-2m": a bare low end takes the high end's unit.
            factor = 60 if str(last).rstrip("0123456789.").endswith(("m", "min")) else 1
            low = m.Quantity(number(first) * factor, "s")
        else:
            low = m.Quantity(seconds_of_duration(str(first)), "s")
        return m.Amount(low, high, _span(children))

    def amount_parameter(self, children: list[Token]) -> m.Amount:
        token = _tokens(children)[0]
        unset = m.Quantity(0, "s")
        amount = m.Amount(unset, unset, token_span(token), str(token)[1:-1])
        self.parameter_uses.append((amount, amount.span))
        return amount

    def intensity(self, children: list[Token]) -> m.Intensity:
        span = _span(children)
        values = _tokens(children)
        last = values[-1]
        if last.type == "PERCENT":
            high = number(last)
            low = number(values[0]) if len(values) > 1 else high
            return m.Intensity(None, low, high, span)
        return m.Intensity(_INTENSITY[str(last)], None, None, span)


def _first_line(span: m.Span, word: int) -> m.Span:
    """A statement's span, or its first word's when it runs over several lines."""
    if span.end_line == span.line:
        return span
    return m.Span(span.line, span.column, span.line, span.column + word)


def _parameters_in(body: tuple[m.BlockItem, ...],
                   between: m.RestBetween | None = None) -> list[tuple[str, m.Span]]:
    """The parameters used as amounts or repeat counts in a block (repeats entered)."""
    found: list[tuple[str, m.Span]] = []
    if between is not None and between.amount.parameter is not None:
        found.append((between.amount.parameter, between.amount.span))
    for item in body:
        if isinstance(item, m.Step) and item.amount is not None and item.amount.parameter:
            found.append((item.amount.parameter, item.amount.span))
        if isinstance(item, m.Step):
            for change in item.changes:
                if change.amount is not None and change.amount.parameter is not None:
                    found.append((change.amount.parameter, change.amount.span))
                found.extend(_parameters_in(change.steps))
        elif isinstance(item, m.Repeat):
            count = item.count
            if count.parameter is not None:
                found.append((count.parameter, count.span))
            elif count.duration is not None and count.duration.parameter is not None:
                found.append((count.duration.parameter, count.duration.span))
            found.extend(_parameters_in(item.body, item.rest))
        elif isinstance(item, (m.SideOnly, m.VariantOnly)):
            found.extend(_parameters_in(item.body))
    return found


_SESSION_LIMITS: tuple[str, ...] = ("total", "contractions", "cycles")
"""What a session's own limits bound: figures that add up across its routines."""


def _low_end_of(value: m.Amount | m.Count) -> m.Amount | m.Count:
    if isinstance(value, m.Count):
        return m.Count(value.low, value.low, value.span)
    return m.Amount(value.low, value.low, value.span)


def _value(node: m.Amount | _CountRange) -> m.Amount | m.Count:
    """A parameter's default or range as the model keeps it."""
    if isinstance(node, _CountRange):
        return m.Count(node.low, node.high, node.span)
    return node


def declaration_problem(default: m.Amount | m.Count,
                        allowed: m.Amount | m.Count) -> tuple[str, str, m.Span] | None:
    """Why a parameter's default and range cannot go together (message, hint, where),
    or None."""
    if (isinstance(default, m.Amount) and default.parameter is not None) or (
            isinstance(allowed, m.Amount) and allowed.parameter is not None):
        return ("a parameter's default and range are written out, not taken from "
                "another parameter", "write the values: `parameter hold: 30s, 20-60s`",
                default.span if isinstance(default, m.Amount) and default.parameter
                else allowed.span)
    if (isinstance(default, m.Amount) and default.is_range) or (
            isinstance(default, m.Count) and default.low != default.high):
        return ("a parameter's default is one value, not a range",
                "write the default, then the range: `parameter hold: 30s, 20-60s`", default.span)
    if isinstance(default, m.Count) != isinstance(allowed, m.Count):
        if isinstance(default, m.Count):
            return (f"the default `{default.low}` has no unit but the range "
                    f"`{printer.amount(cast(m.Amount, allowed))}` has one",
                    "give both a unit (`30s, 20-60s`) or neither (`3, 2-5` for repeats)",
                    allowed.span)
        written = printer.count(cast(m.Count, allowed))
        return (f"the default `{printer.amount(default)}` has a unit but the range "
                f"`{written}` has none",
                f"write the range with the default's unit: `{written}{_unit_suffix(default)}`",
                allowed.span)
    if isinstance(default, m.Amount) and isinstance(allowed, m.Amount) and (
            default.unit != allowed.unit):
        return (f"the default `{printer.amount(default)}` and the range "
                f"`{printer.amount(allowed)}` are in different units",
                "write both in seconds (or minutes), both in counts or both in breaths",
                allowed.span)
    return None


def _unit_suffix(amount: m.Amount) -> str:
    return "s" if amount.unit == "s" else f" {printer.unit_word(amount.unit, many=True)}"


def parameter_problems(routine: m.Routine, uses: list[tuple[m.Amount | m.RepeatCount, m.Span]],
                       path: str, broken: set[str]) -> list[Diagnostic]:
    """A name declared twice (P138); the ``{name}`` uses that name no parameter of the
    routine (P139), or a parameter of the other kind (P140: a repeat count where an amount
    goes, or an amount as a count). Uses of a declaration reported already (``broken``)
    are left alone."""
    declared: dict[str, m.Parameter] = {}
    found: list[Diagnostic] = []
    for parameter in routine.parameters:
        first = declared.setdefault(parameter.name, parameter)
        if first is not parameter:
            found.append(Diagnostic(
                "P138", f"the parameter `{parameter.name}` is declared twice", path,
                parameter.name_span,
                hint="give each parameter its own name, or remove one of the declarations",
                related=(Related("declared first here", first.name_span),)))
    for use, span in uses:
        name = cast(str, use.parameter)
        if name in broken:
            continue
        target = declared.get(name)
        where = f"`{{{name}}}`"
        if target is None:
            close = closest(name, tuple(declared))
            hint = suggestion(None if close is None else f"{{{close}}}")
            found.append(Diagnostic(
                "P139", f"{where} names no parameter of this routine", path, span,
                hint=hint or f"declare it: `parameter {name}: "
                f"{'3, 2-5' if isinstance(use, m.RepeatCount) else '30s, 20-60s'}`"))
        elif isinstance(use, m.RepeatCount) and not target.is_count:
            found.append(Diagnostic(
                "P140", f"{where} is an amount ({printer.parameter_range(target)}), "
                "not a number of repeats", path, span,
                hint=f"repeat with a parameter declared without a unit, such as "
                f"`parameter rounds: 3, 2-5`, or use `{{{name}}}` as a step's amount"))
        elif isinstance(use, m.Amount) and target.is_count:
            found.append(Diagnostic(
                "P140", f"{where} is a number of repeats "
                f"({printer.parameter_range(target)}), not an amount", path, span,
                hint=f"use it as `repeat {{{name}}} times:`, or give the parameter a unit "
                "(`parameter hold: 30s, 20-60s`)"))
    return found


def _quantity(tokens: list[Token]) -> m.Quantity:
    """``30s`` (one DURATION token) or ``5 counts`` (NUMBER and UNIT tokens)."""
    values = _tokens(tokens)
    if len(values) == 1:
        return m.Quantity(seconds_of_duration(str(values[0])), "s")
    unit, factor = _UNITS[str(values[1]).lower()]
    return m.Quantity(number(values[0]) * factor, unit)


_LIMIT_EXAMPLES = {
    "cycles": "3", "contractions": "6", "contraction": "10s", "hold": "60s",
    "breath-hold": "2 counts", "effort": "50%", "total": "20m",
}
