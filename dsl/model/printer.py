"""Model pieces back to canonical text: the one way an amount, a limit or a statement is
written, whoever writes it.

``stretch fmt`` lays these out line by line (``dsl.format.formatter``); lint messages
quote them, the language server's outline and hover show them, and the rule reference is
generated from messages that use them. Because all of them call this module, a limit a
diagnostic quotes reads exactly as ``stretch fmt`` writes it (``limit hold 60s``), and a
change of house style is made here once. Nothing else in the package turns an amount
into text (``tests/test_printer.py`` looks).

This module reads the model only: it imports neither the parser nor the formatter, the
checker or the language server, so every stage can use it without an import circle.
"""

from __future__ import annotations

import re
from decimal import Decimal

from dsl import model as m
from dsl.model import plans, words

_PLURAL = words.PLURALS

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(s|m)")


def _read_back(text: str) -> float:
    """The seconds a duration printed here reads back as: the same sum, in the same
    order and arithmetic, that the parser does (``dsl.syntax.builder.seconds_of_duration``;
    ``tests/test_printer.py`` holds the two to the same answers)."""
    total: float = 0
    for value, unit in _DURATION_PART.findall(text):
        part = int(value) if value.isdigit() else float(value)
        total += part * (60 if unit == "m" else 1)
    return total


def number(value: float) -> str:
    """A number as a coach writes it: ``3``, ``1.5``, never ``3.0`` or ``1e-05``."""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")


def seconds(value: float, *, minute_in_minutes: bool = False) -> str:
    """Seconds up to a minute as ``45s`` and ``60s``; longer as ``1m30s`` or ``2m``.

    ``minute_in_minutes`` writes exactly one minute as ``1m`` (the low end of a range
    whose high end is longer, ``1m-1m30s``)."""
    plain = f"{number(value)}s"
    if value < 60 or (value == 60 and not minute_in_minutes):
        return plain
    whole = Decimal(number(value))
    minutes = int(whole // 60)
    rest = whole - minutes * 60
    spelled = f"{minutes}m" if rest == 0 else f"{minutes}m{format(rest.normalize(), 'f')}s"
    # Decimal arithmetic can disagree with the parser's float arithmetic in the last bit;
    # the plain form always reads back exactly.
    return spelled if _read_back(spelled) == value else plain


def figure(value: float) -> str:
    """A worked-out number (a sum, a count at the tempo) to the millisecond, as the
    compiled timeline states times: ``16.667``, not ``16.666666666666668``."""
    return number(round(value, 3))


def duration(value: float) -> str:
    """A worked-out duration as a message quotes it: to the millisecond, then written like
    ``seconds`` (``12.5s``, ``60s``, ``1m30s``)."""
    return seconds(round(value, 3))


def unit_word(unit: m.Unit, *, many: bool) -> str:
    """The noun for counted units: ``count``/``counts``, ``breath``/``breaths``."""
    if unit == "s":
        raise ValueError("seconds are written as a suffix (`30s`), not a word")
    return _PLURAL[unit] if many else unit


def quantity(q: m.Quantity) -> str:
    """``45s``, ``1m30s``, ``1 count``, ``5 counts``, ``1 breath``, ``3 breaths``."""
    if q.unit == "s":
        return seconds(q.value)
    return f"{number(q.value)} {unit_word(q.unit, many=q.value != 1)}"


def spoken(q: m.Quantity) -> str:
    """A quantity in words, as a sentence says it: ``30 seconds``, ``1 minute``,
    ``1 minute 30 seconds``, ``5 counts``, ``1 breath`` (a parameter's value in a text)."""
    if q.unit != "s":
        return f"{number(q.value)} {unit_word(q.unit, many=q.value != 1)}"
    minutes, rest = divmod(Decimal(number(q.value)), 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        shown = format(rest.normalize(), "f") if rest else "0"
        parts.append(f"{shown} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


SPOKEN_NOUNS: dict[str, tuple[str, str]] = {
    "count": ("count", "counts"), "breath": ("breath", "breaths"),
    "rep": ("repetition", "repetitions")}
"""The nouns a voice says counted units with, one and many."""


def spoken_range(low: float, high: float, nouns: tuple[str, str] | None) -> str:
    """A count or range in words: "5 counts", "1 breath", "8 to 12 repetitions"; the bare
    numbers without ``nouns``."""
    said = number(low) if low == high else f"{number(low)} to {number(high)}"
    if nouns is None:
        return said
    return f"{said} {nouns[0] if low == high == 1 else nouns[1]}"


def spoken_amount(low: float, high: float, unit: str) -> str:
    """An amount as a voice says it (docs/voice.md): "30 seconds", "1 minute 30
    seconds", "20 to 30 seconds", "30 seconds to 1 minute", "2 to 3 minutes", "5 counts",
    "1 breath", "4 to 6 breaths"."""
    if unit != "s":
        return spoken_range(low, high, SPOKEN_NOUNS[unit])
    if low == high:
        return spoken(m.Quantity(low, "s"))
    if high < 60:
        return f"{number(low)} to {spoken(m.Quantity(high, 's'))}"
    if low % 60 or high % 60 or high == 60:
        return f"{spoken(m.Quantity(low, 's'))} to {spoken(m.Quantity(high, 's'))}"
    return f"{number(low / 60)} to {number(high / 60)} minutes"


def spoken_written(written: str, noun: str, *, many: bool = False) -> str:
    """A number as an author wrote it in a text, with its unit in words: ("1",
    "second") is "1 second", ("2.5", "minute") "2.5 minutes"; ``many``: plural even
    after 1 (the end of a range, "1 to 1 seconds" never being written)."""
    return f"{written} {noun}" if written == "1" and not many else f"{written} {noun}s"


def amount(a: m.Amount) -> str:
    """A quantity, or a range sharing its unit where the unit allows (``10-30s``,
    ``2-3m``, ``5-15 counts``), otherwise with both ends spelled (``45s-1m30s``); a
    parameter's use as written, ``{hold}``."""
    if a.parameter is not None:
        return f"{{{a.parameter}}}"
    if not a.is_range:
        return quantity(a.low)
    low, high = a.low.value, a.high.value
    if a.unit != "s":
        return f"{number(low)}-{number(high)} {_PLURAL[a.unit]}"
    if low <= 60 and high <= 60:
        return f"{number(low)}-{number(high)}s"
    if low % 60 == 0 and high % 60 == 0 and high > 60:
        low_minutes, high_minutes = number(low / 60), number(high / 60)
        if float(low_minutes) * 60 == low and float(high_minutes) * 60 == high:
            return f"{low_minutes}-{high_minutes}m"
    return f"{seconds(low, minute_in_minutes=True)}-{seconds(high)}"


def percent(value: float) -> str:
    """``30%``, ``12.5%``."""
    return f"{number(value)}%"


_LEVEL_WORDS: dict[str, str] = {
    **{level: word for word, level in words.INTENSITY_WORDS.items()},
    **{level: f"to mild {word}" for word, level in words.MILD_SENSATIONS.items()},
}


def intensity(i: m.Intensity) -> str:
    """``gently``, ``to mild tension``, ``at 30%``, ``at 20-40%``."""
    if i.level is not None:
        return _LEVEL_WORDS[i.level]
    high = number(i.effort_high or 0)
    if i.effort_low is None or i.effort_low == i.effort_high:
        return f"at {high}%"
    return f"at {number(i.effort_low)}-{high}%"


def repeat_count(count: m.RepeatCount) -> str:
    """``3``, ``2-4``, ``up to 3``, ``for 2-3m``, ``at least 4``, ``4 or more, at most 6``
    (the optional ``times`` is left out, but for a parameter: ``{rounds} times``; an open
    repeat keeps the author's words)."""
    if count.mode == "at_least":
        head = f"at least {count.low}" if count.written_open == "at least" \
            else f"{count.low} or more"
        return head if count.high is None else f"{head}, at most {count.high}"
    if count.mode == "for" and count.duration is not None:
        return f"for {amount(count.duration)}"
    if count.parameter is not None:  # `repeat {rounds}:` would not read as a count
        return f"{{{count.parameter}}} times"
    if count.mode == "up_to":
        return f"up to {count.high}"
    if count.low == count.high:
        return f"{count.low}"
    return f"{count.low}-{count.high}"


def count(c: m.Count) -> str:
    """A parameter's whole numbers: ``3``, ``2-5``."""
    return f"{c.low}" if c.low == c.high else f"{c.low}-{c.high}"


def parameter_value(value: m.Amount | m.Count) -> str:
    """A parameter's default or range: ``30s``, ``20-60s``, ``3``, ``2-5``."""
    return count(value) if isinstance(value, m.Count) else amount(value)


def parameter_range(p: m.Parameter) -> str:
    """What a parameter allows, as a message quotes it: ``20-60s``, ``2-5``."""
    return parameter_value(p.allowed)


def parameter(p: m.Parameter) -> str:
    """``parameter hold: 30s, 20-60s "How long to hold each stretch"``."""
    head = f"parameter {p.name}: {parameter_value(p.default)}, {parameter_value(p.allowed)}"
    return _with_text(head, p.text)


_FREQUENCY_WORDS = {period: word for word, (times, period) in words.FREQUENCY_WORDS.items()
                    if times == 1}


def frequency(f: m.Frequency) -> str:
    """``daily``, ``weekly``, ``monthly``, or ``3 times a week``, ``2-3 times a day``."""
    if f.low == f.high == 1 and f.period in _FREQUENCY_WORDS:
        return _FREQUENCY_WORDS[f.period]
    times = f"{f.low}" if f.low == f.high else f"{f.low}-{f.high}"
    return f"{times} times a {f.period}"


def tempo_rate(rate: m.TempoRate) -> str:
    """``1 count = 1s``; a rate with no short decimal form per count is written over a few
    counts (``3 counts = 1s`` rather than ``1 count = 0.3333333333333333s``)."""
    for counted in range(1, 13):
        # At most three decimals, and it must read back to exactly this rate.
        total = seconds(round(rate.seconds * counted, 3))
        if _read_back(total) / counted == rate.seconds:
            word = rate.unit if counted == 1 else _PLURAL[rate.unit]
            return f"{counted} {word} = {total}"
    return f"1 {rate.unit} = {seconds(rate.seconds)}"


def sides(s: m.Sides) -> str:
    """``each, left first``, ``alternating, right first``, ``left only``, ``none``."""
    if s.mode == "none":
        return "none"
    if s.mode == "one":
        return f"{s.first} only"
    return f"{s.mode}, {s.first or 'left'} first"


def limit_value(lim: m.Limit) -> str:
    """What a limit allows: ``3``, ``60s``, ``5 breaths``, ``50%``."""
    if lim.unit == "times":
        return number(lim.value)
    if lim.unit == "percent":
        return percent(lim.value)
    return quantity(m.Quantity(lim.value, lim.unit))


def limit_scope(lim: m.Limit) -> str:
    """`` per routine`` or `` per side`` when it is not the subject's default (which is
    left out), the author's word for a scope that means nothing (L105); else empty."""
    if lim.per == "step" and lim.written_per is not None:
        return f" per {lim.written_per}"
    return f" per {lim.per}" if lim.per != m.default_scope(lim.subject) else ""


def limit(lim: m.Limit) -> str:
    """``limit cycles 3``, ``limit hold 60s``, ``limit effort 50%``, ``limit total 20m
    per side``."""
    return f"limit {lim.subject} {limit_value(lim)}{limit_scope(lim)}"


def quote(text: str) -> str:
    """Text in straight double quotes; only ``"`` and ``\\`` are escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def step(s: m.Step) -> str:
    """A step's own line: ``contract 5-15 counts gently "Press into the floor"``,
    ``move 10 reps, 3s each slowly "Ankle circles"``, ``hold briefly "Pause"``."""
    words: list[str] = [s.kind]
    if s.by_side is not None:
        words.append(side_amounts(s.by_side))
    elif s.amount is not None:
        words.append(amount(s.amount))
    elif s.vague is not None:
        words.append(s.vague.value)
    if s.rep_time is not None:
        words[-1] += f", {quantity(s.rep_time.high)} each"
    if s.intensity is not None:
        words.append(intensity(s.intensity))
    if s.pace is not None:
        words.append(s.pace.value)
    if s.text is not None:
        words.append(quote(s.text))
    return " ".join(words)


def side_amounts(a: m.SideAmounts) -> str:
    """``left 30s, right 45s``, in the order written."""
    second: m.Side = "right" if a.first == "left" else "left"
    return f"{a.first} {amount(a.on(a.first))}, {second} {amount(a.on(second))}"


def side_only(node: m.SideOnly) -> str:
    """A one-side block's line before its colon: ``left only``."""
    return f"{node.side} only"


def variant_only(node: m.VariantOnly) -> str:
    """A variant's block's line before its colon: ``variant harder only``."""
    return f"variant {node.name} only"


def change(node: m.StepChange) -> str:
    """A step's change, the whole line but the colon of one with steps under it:
    ``variant harder: 60s``, ``variant easier: leave out``, ``variant harder``."""
    if node.by_side is not None:
        return f"variant {node.name}: {side_amounts(node.by_side)}"
    if node.amount is not None:
        return f"variant {node.name}: {amount(node.amount)}"
    if node.leave_out:
        return f"variant {node.name}: leave out"
    return f"variant {node.name}"


def statement(node: m.RoutineItem | m.StepDetail) -> str:
    """The canonical text of a one-line statement (a setting, a limit, a note, a cue...)."""
    if isinstance(node, m.RoutineId):
        return f"id: {node.value}"
    if isinstance(node, m.Targets):
        return "targets: " + ", ".join(_target(t) for t in node.targets)
    if isinstance(node, m.Equipment):
        return "equipment: " + (", ".join(t.value for t in node.items) or "none")
    if isinstance(node, m.Position):
        return f"position: {node.value}"
    if isinstance(node, m.Level):
        return f"level: {node.value}"
    if isinstance(node, m.Partner):
        return _with_text(f"partner: {node.mode}", node.text)
    if isinstance(node, m.Frequency):
        return f"frequency: {frequency(node)}"
    if isinstance(node, m.Tempo):
        return "tempo: " + ", ".join(tempo_rate(r) for r in node.rates)
    if isinstance(node, m.Sides):
        return f"sides: {sides(node)}"
    if isinstance(node, m.Switch):
        head = "switch" if node.amount is None else f"switch {amount(node.amount)}"
        return _with_text(head, node.text)
    if isinstance(node, m.Limit):
        return limit(node)
    if isinstance(node, m.Note):
        return f"note {quote(node.text)}"
    if isinstance(node, m.Media):
        return _with_text(f"{node.kind} {quote(node.source)}", node.caption)
    if isinstance(node, m.Variant):
        return f"variant {node.name} {quote(node.text)}"
    if isinstance(node, m.StepChange) and not node.steps:
        return change(node)
    if isinstance(node, m.Parameter):
        return parameter(node)
    if isinstance(node, m.Cue):
        head = "partner" if node.for_partner else "cue"
        if node.at is not None:
            head += f" at {quantity(node.at)}"
        return f"{head} {quote(node.text)}"
    raise TypeError(f"not a one-line statement: {type(node).__name__}")


def _with_text(head: str, text: str | None) -> str:
    return head if text is None else f"{head} {quote(text)}"


def _target(target: m.Target) -> str:
    if not target.details:
        return target.name
    return f"{target.name} ({', '.join(d.name for d in target.details)})"


def opener(head: str) -> str:
    """A block-opening line: a colon after a keyword or an amount, none after text."""
    return head if head.endswith('"') else head + ":"


def repeat_head(node: m.Repeat) -> str:
    """A repeat's line before its colon: the count, and the rest between passes."""
    head = f"repeat {repeat_count(node.count)}"
    if node.rest is not None:
        head = _with_text(f"{head}, rest {amount(node.rest.amount)} between", node.rest.text)
    return head


def exercise_head(node: m.Exercise) -> str:
    """``exercise "Calf stretch":``, the whole line. Unlike other openers that end in text
    (``on pain "Too far"``), it keeps its colon: the title reads as a heading, and the
    documentation and coaches' handouts write it so (the parser takes it without, too)."""
    return f"exercise {quote(node.title)}:"


def handler_head(node: m.SafetyHandler) -> str:
    """A safety handler's line before its colon: the signal and its text."""
    return _with_text(f"on {node.signal}", node.text)


def lines(node: m.BlockItem | m.SafetyHandler) -> list[tuple[int, str]]:
    """A step (with its cues), a repeat or a safety handler as the lines it is written on,
    each with its depth below the node's own line (0): how ``stretch lint --fix`` writes
    the statements it adds, indented to their place in the file."""
    if isinstance(node, m.Step):
        found = [(0, step(node))]
        for detail in node.details:
            if isinstance(detail, m.StepChange) and detail.steps:
                found.append((1, opener(change(detail))))
                found.extend((depth + 2, text) for item in detail.steps
                             for depth, text in lines(item))
            else:
                found.append((1, statement(detail)))
        return found
    if isinstance(node, m.Posture):
        return [(0, opener("posture")), *((1, quote(c.value)) for c in node.cues)]
    if isinstance(node, m.Repeat):
        head = repeat_head(node)
    elif isinstance(node, m.SideOnly):
        head = side_only(node)
    elif isinstance(node, m.VariantOnly):
        head = variant_only(node)
    else:
        head = handler_head(node)
    found = [(0, opener(head))]
    for item in node.body:
        found.extend((depth + 1, text) for depth, text in lines(item))
    return found


# --- sessions and programmes -------------------------------------------------------------


def reference(ref: plans.Reference) -> str:
    return quote(ref.value) if ref.is_path else ref.value


def use_item(item: plans.UseItem) -> str:
    """A line under a session's ``do``: ``sides: left only``, ``variant: harder``,
    ``set hold: 40s``."""
    if isinstance(item, plans.UseVariants):
        return "variant: " + ", ".join(p.text for p in item.picks)
    if isinstance(item, plans.Setting):
        return f"set {item.name}: {parameter_value(item.value)}"
    return f"sides: {sides(item)}"


def schedule(line: plans.Schedule) -> str:
    """``do morning-legs on mon, wed at 07:30 "after a walk"``."""
    words = line.day_words
    if len(words) == 1 and words[0] in plans.EVERY_DAY_WORDS:
        text = f"do {reference(line.reference)} {words[0]}"
    else:
        text = f"do {reference(line.reference)} on " + ", ".join(words)
    if line.times:
        text += " at " + ", ".join(t.text for t in line.times)
    return _with_text(text, line.moment)


def _progress_step(step: plans.ProgressStep) -> str:
    if isinstance(step, plans.ProgressFrom):
        return f"{parameter_value(step.value)} from week {step.week}"
    rate = (f"{step.written_per} week" if step.written_per is not None
            else f"every {step.every} weeks")
    return f"+{parameter_value(step.step)} {rate} up to {parameter_value(step.up_to)}"


def progression(line: plans.Progression) -> str:
    """``progress hold: 20s, 30s from week 3, +5s a week up to 45s``."""
    values = [parameter_value(line.first), *[_progress_step(s) for s in line.steps]]
    return f"progress {line.parameter}: " + ", ".join(values)


def condition(cond: plans.Condition) -> str:
    if cond.hours is not None:
        factor = plans.ANSWER_UNITS.get(cond.written_unit, 1)
        text = f"{cond.answer} within {number(cond.hours / factor)} {cond.written_unit}"
        return f"not {text}" if cond.negated else text
    if cond.at_most is not None:
        return f"{cond.answer} at most {number(cond.at_most)}"
    return f"{cond.answer} at least {number(cond.at_least or 0)}"


def stage_rule(rule: plans.StageRule) -> str:
    head = "move up" if rule.direction == "up" else "step back"
    after = f" after {rule.after} sessions" if rule.after is not None else ""
    return f"{head}{after} when " + ", ".join(condition(c) for c in rule.conditions)


def plan_statement(item: object) -> str:
    """A one-line statement of a session or programme (not a block's head)."""
    if isinstance(item, plans.Weeks):
        return f"weeks: {item.count}"
    if isinstance(item, plans.StartDate):
        return f"start: {item.iso}"
    if isinstance(item, plans.StartStage):
        return f"start stage: {item.name}"
    if isinstance(item, plans.Schedule):
        return schedule(item)
    if isinstance(item, plans.Progression):
        return progression(item)
    if isinstance(item, plans.StageRule):
        return stage_rule(item)
    if isinstance(item, (plans.UseVariants, plans.Setting, m.Sides)):
        return use_item(item)
    return statement(item)  # type: ignore[arg-type]


def use_head(use: plans.Use) -> str:
    text = f"do {reference(use.reference)}"
    return opener(text) if use.items else text


def stage_head(stage: plans.Stage) -> str:
    return opener(_with_text(f"stage {stage.name}", stage.title))
