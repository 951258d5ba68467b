"""Document symbols: the routine's outline (settings, blocks, steps) for the editor, or a
session's (its ``do`` lines, with what each use changes, and the steps between them) or a
programme's (its schedule, progressions and stages).

Built from the parsed model (``engine.outline_routine`` and ``engine.outline_plan`` say
which routine or plan while the file has errors); each symbol's range is its node's span
and its selection range the statement's first word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dsl import model as m
from dsl.model import plans, printer

SymbolKind = Literal[
    "routine", "setting", "list", "handler", "group", "repeat", "step", "cue", "note",
    "limit", "media", "variant", "exercise", "parameter",
    "session", "programme", "use", "schedule", "progression", "stage", "stage-rule",
]


@dataclass(frozen=True, slots=True)
class Symbol:
    """One outline entry: its name, a detail shown beside it, what kind of statement it
    is, its span, the span of its first word, and what stands inside it."""

    name: str
    detail: str
    kind: SymbolKind
    span: m.Span
    selection: m.Span
    children: tuple[Symbol, ...] = ()


def outline(routine: m.Routine) -> list[Symbol]:
    """The routine as one symbol holding its statements, in source order."""
    children = tuple(_item(item) for item in routine.items)
    return [_symbol(f'routine "{routine.title}"', "", "routine", routine.span, children)]


def _symbol(
    name: str, detail: str, kind: SymbolKind, span: m.Span, children: tuple[Symbol, ...] = ()
) -> Symbol:
    keyword = name.split(" ", 1)[0]
    end = min(span.column + len(keyword), span.end_column) if span.end_line == span.line \
        else span.column + len(keyword)
    selection = m.Span(span.line, span.column, span.line, max(end, span.column))
    return Symbol(name, detail, kind, span, selection, children)


def _quoted(text: str | None) -> str:
    return printer.quote(text) if text is not None else ""


def _amount(amount: m.Amount | None) -> str:
    return "untimed" if amount is None else printer.amount(amount)


_SETTINGS: dict[type, str] = {
    m.RoutineId: "id", m.Targets: "targets", m.Equipment: "equipment",
    m.Position: "position", m.Level: "level", m.Partner: "partner",
    m.Frequency: "frequency", m.Tempo: "tempo", m.Sides: "sides",
}


def _setting_detail(item: m.RoutineItem | m.StepDetail) -> str:
    if isinstance(item, m.Targets):
        return ", ".join(t.name for t in item.targets)
    if isinstance(item, m.Equipment):
        return ", ".join(t.value for t in item.items) or "none"
    if isinstance(item, (m.RoutineId, m.Position, m.Level)):
        return item.value
    if isinstance(item, m.Partner):
        return item.mode
    if isinstance(item, m.Frequency):
        return printer.frequency(item)
    if isinstance(item, m.Tempo):
        return ", ".join(printer.tempo_rate(r) for r in item.rates)
    if isinstance(item, m.Sides):
        return printer.sides(item)
    return ""


def _item(item: m.RoutineItem | m.StepDetail) -> Symbol:
    if type(item) in _SETTINGS:
        return _symbol(_SETTINGS[type(item)], _setting_detail(item), "setting", item.span)
    if isinstance(item, m.Exercise):
        inner = tuple(_item(i) for i in item.items)
        steps = len(m.walk_steps(item.body))
        return _symbol(f"exercise {printer.quote(item.title)}",
                       f"{steps} step{'s' if steps != 1 else ''}", "exercise", item.span, inner)
    if isinstance(item, m.Step):
        name = item.kind if item.amount is None else f"{item.kind} {_amount(item.amount)}"
        if item.by_side is not None:
            name = f"{item.kind} {printer.side_amounts(item.by_side)}"
        details = tuple(_item(d) for d in item.details)
        return _symbol(name, _quoted(item.text), "step", item.span, details)
    if isinstance(item, m.Repeat):
        body = tuple(_item(i) for i in item.body)
        return _symbol(f"repeat {printer.repeat_count(item.count)}", "", "repeat", item.span, body)
    if isinstance(item, m.SideOnly):
        body = tuple(_item(i) for i in item.body)
        return _symbol(printer.side_only(item), "", "group", item.span, body)
    if isinstance(item, m.VariantOnly):
        body = tuple(_item(i) for i in item.body)
        return _symbol(printer.variant_only(item), "", "group", item.span, body)
    if isinstance(item, m.StepChange):
        # `variant harder: 60s` shows what it makes of the step; `variant harder:` with
        # steps under it holds them, as a repeat holds its steps.
        in_place = tuple(_item(i) for i in item.steps)
        detail = f"{len(item.steps)} item{'s' if len(item.steps) != 1 else ''} in its place" \
            if item.steps else ""
        return _symbol(printer.change(item), detail, "variant", item.span, in_place)
    if isinstance(item, m.SafetyHandler):
        body = tuple(_item(i) for i in item.body)
        return _symbol(f"on {item.signal}", _quoted(item.text), "handler", item.span, body)
    if isinstance(item, m.Group):
        inner = tuple(_item(i) for i in item.items)
        return _symbol(f"for {item.name}", "", "group", item.span, inner)
    if isinstance(item, (m.Posture, m.Indications, m.Contraindications)):
        word = {m.Posture: "posture", m.Indications: "indications",
                m.Contraindications: "contraindications"}[type(item)]
        texts = item.cues if isinstance(item, m.Posture) else item.items
        lines = tuple(_symbol(f'"{t.value}"', "", "cue", t.span) for t in texts)
        return _symbol(word, f"{len(texts)} line{'s' if len(texts) != 1 else ''}", "list",
                       item.span, lines)
    if isinstance(item, m.Limit):
        return _symbol(f"limit {item.subject}",
                       printer.limit_value(item) + printer.limit_scope(item), "limit", item.span)
    if isinstance(item, m.Note):
        return _symbol("note", _quoted(item.text), "note", item.span)
    if isinstance(item, m.Media):
        return _symbol(item.kind, _quoted(item.source), "media", item.span)
    if isinstance(item, m.Variant):
        return _symbol(f"variant {item.name}", _quoted(item.text), "variant", item.span)
    if isinstance(item, m.Switch):
        return _symbol("switch", _amount(item.amount), "setting", item.span)
    if isinstance(item, m.Parameter):
        detail = (f"{printer.parameter_value(item.default)}, "
                  f"{printer.parameter_value(item.allowed)}")
        return _symbol(f"parameter {item.name}", detail, "parameter", item.span)
    if isinstance(item, m.Cue):
        word = "partner" if item.for_partner else "cue"
        at = f" at {printer.quantity(item.at)}" if item.at is not None else ""
        return _symbol(f"{word}{at}", _quoted(item.text), "cue", item.span)
    raise TypeError(f"no outline for {type(item).__name__}")  # a new model node


def outline_plan(plan: plans.Plan) -> list[Symbol]:
    """A session or programme as one symbol holding its statements, in source order."""
    if isinstance(plan, plans.Session):
        children = tuple(_session_item(item) for item in plan.items)
        return [_symbol(f'session "{plan.title}"', "", "session", plan.span, children)]
    inner = tuple(_programme_item(item) for item in plan.items)
    return [_symbol(f'programme "{plan.title}"', "", "programme", plan.span, inner)]


def _session_item(item: plans.SessionItem) -> Symbol:
    if isinstance(item, plans.Use):
        changes = ", ".join(printer.use_item(i) for i in item.items)
        return _symbol(f"do {printer.reference(item.reference)}", changes, "use", item.span)
    return _item(item)


def _programme_item(item: plans.ProgrammeItem | plans.StageItem) -> Symbol:
    if isinstance(item, plans.Schedule):
        # The name the line does, and when (what follows the name) beside it.
        name = f"do {printer.reference(item.reference)}"
        return _symbol(name, printer.schedule(item)[len(name):].strip(), "schedule",
                       item.span)
    if isinstance(item, plans.Progression):
        values = printer.progression(item).split(":", 1)[1].strip()
        return _symbol(f"progress {item.parameter}", values, "progression", item.span)
    if isinstance(item, plans.Stage):
        children = tuple(_programme_item(i) for i in item.items)
        return _symbol(f"stage {item.name}", _quoted(item.title), "stage", item.span,
                       children)
    if isinstance(item, plans.StageRule):
        head = "move up" if item.direction == "up" else "step back"
        return _symbol(head, printer.stage_rule(item)[len(head):].strip(), "stage-rule",
                       item.span)
    if isinstance(item, (plans.Weeks, plans.StartDate, plans.StartStage)):
        word, _, value = printer.plan_statement(item).partition(":")
        return _symbol(word, value.strip(), "setting", item.span)
    return _item(item)
