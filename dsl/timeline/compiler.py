"""Model to JSON document: the contract app developers build players on.

The document holds the routine's metadata, limits, safety handlers, standing cues and
variants, the structured tree (``body``: steps, repeats, standing cues as written), a table
of repeats, the flat ``timeline`` a simple player runs, and a ``summary``. The timeline is
``dsl.timeline.expand.expand`` (the one shared notion of "the routine as it will run") turned into
plain dicts with resolved times. ``docs/json.md`` describes every field;
``schema/routine.schema.json`` is the schema.

``dumps`` gives the bytes: the same routine always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath
from typing import TypeVar, cast

import orjson

from dsl import model as m
from dsl.model import placeholders, printer
from dsl.model.values import unfilled, with_values
from dsl.model.variants import Choice, alternatives, describe, has_changes, with_variant
from dsl.timeline import document as doc
from dsl.timeline import expand as ex
from dsl.timeline import voice
from dsl.timeline.contract import SCHEMA_ID, SCHEMA_VERSION
from dsl.timeline.voiced import voiced

__all__ = [
    "SCHEMA_ID", "SCHEMA_VERSION", "RoutineTooLong", "compile_routine", "compiled_json",
    "compiled_text", "dumps",
]

STRETCH_KINDS = ("hold", "contract", "relax", "deepen")
"""Step kinds that count as time under stretch (the client is in the stretch position)."""


class RoutineTooLong(Exception):
    """The routine expands to more steps than a player can be given (``MAX_PERFORMED``)."""


def compile_routine(
    routine: m.Routine, *, path: str | None = None, expansion: ex.Expansion | None = None,
    choice: Choice | None = None,
) -> doc.Document:
    """Compile a parsed routine into the JSON document (plain dicts, lists and numbers,
    typed as ``dsl.timeline.document.Document``).

    ``path`` is recorded as ``source.path`` exactly as given (use a relative path so the
    bytes do not depend on where the file lives). ``expansion`` is
    ``dsl.timeline.expand.expand(routine)`` when the caller has it already (the checker
    read the same one); without it the routine is expanded here. Raises
    ``RoutineTooLong`` when the expanded routine has more than
    ``dsl.timeline.expand.MAX_PERFORMED`` steps. A routine with parameters is compiled
    with the values ``dsl.model.values.with_values`` gave it, else its defaults.

    A routine with variants that change steps is compiled with the variants of ``choice``;
    without one, the document also holds every variant's timeline (``variantTimelines``).
    ``expansion`` is then the expansion of ``with_variant(routine, choice)`` when the
    caller has it: the compiler compiles the routine it was made from (``Expansion.
    routine``: it finds the expansion's steps by identity, and each call of
    ``with_variant`` makes new ones).
    """
    document, entries = _document_parts(routine, path, expansion, choice)
    document["timeline"] = list(entries)
    return document


def compiled_text(
    routine: m.Routine, *, path: str | None = None, expansion: ex.Expansion | None = None,
    choice: Choice | None = None,
) -> str:
    """``dumps_compiled(compile_routine(...))`` (same arguments): the text ``stretch
    compile`` writes, whole. Made from ``compiled_json``'s pieces, so the timeline's dicts
    are made and dropped a batch at a time instead of all living until the text is
    written (cheaper to make, and lighter on the collector)."""
    return b"".join(compiled_json(routine, path=path, expansion=expansion,
                                  choice=choice)).decode()


def dumps(document: Mapping[str, object]) -> str:
    """The document as deterministic JSON text: fixed key order, two-space indent, UTF-8
    characters as they are, whole numbers without ``.0``, a final newline.

    orjson writes the same bytes as ``json.dumps(indent=2, ensure_ascii=False)`` some 50
    times faster: the standard library falls back to pure Python whenever it indents.
    """
    return _json_text(_whole_numbers(document))


def dumps_compiled(document: doc.Document) -> str:
    """``dumps`` for a document ``compile_routine`` made, with the same bytes, faster.

    Every number the compiler writes has been through ``_num`` (rounded to the millisecond,
    whole numbers as ints, never NaN or infinite), so the walk ``dumps`` makes to normalise
    documents from elsewhere (most of its cost) has nothing to change here;
    tests/test_compiler.py proves the two agree on every example and on generated routines.
    """
    return _json_text(document)


def compiled_json(
    routine: m.Routine, *, path: str | None = None, expansion: ex.Expansion | None = None,
    choice: Choice | None = None,
) -> Iterator[bytes]:
    """The UTF-8 bytes of ``dumps_compiled(compile_routine(...))`` (same arguments), in
    pieces, for writing to a file as they come: the timeline is made one entry at a time as
    it is written, so neither it nor the text is ever whole in memory (a long routine's
    JSON is some 20 times its source, its dicts several times more). Raises
    ``RoutineTooLong`` at once, before any piece."""
    document, entries = _document_parts(routine, path, expansion, choice)
    return _pieces(document, entries)


def _document_parts(routine: m.Routine, path: str | None, expansion: ex.Expansion | None,
                    choice: Choice | None,
                    ) -> tuple[doc.Document, Iterator[doc.TimelineEntry]]:
    if unfilled(routine):  # its parameters at their defaults
        routine, expansion = with_values(routine), None
    if not has_changes(routine):
        return _Compiler(routine, expansion or ex.expand(routine)).parts(path)
    chosen = expansion.routine if expansion is not None else None
    if expansion is None or chosen is None or has_changes(chosen):
        # None given, or one of the routine as written: the variant's own.
        chosen = with_variant(routine, choice)
        expansion = ex.expand(chosen)
    document, entries = _Compiler(chosen, expansion).parts(path)
    if choice is None or choice.is_base:
        document["variantTimelines"] = [
            _variant_timeline(routine, alternative, path)
            for alternative in alternatives(routine)]
    else:
        document["chosenVariants"] = _chosen(choice)
    return document, entries


_RUN_FIELDS = ("standingCues", "safetyHandlers", "body", "repeats", "timeline", "summary",
               "announcements", "sections")
"""The document's fields a variant changes: what a ``variantTimelines`` entry holds."""


def _variant_timeline(routine: m.Routine, choice: Choice, path: str | None,
                      ) -> doc.VariantTimeline:
    """The routine run with one variant: the fields of its document that a variant changes
    (docs/json.md, "Variants that change steps")."""
    chosen = with_variant(routine, choice)
    try:
        document = _Compiler(chosen, ex.expand(chosen)).document(path)
    except RoutineTooLong as error:
        raise RoutineTooLong(f"with {describe(choice, routine)}, {error}") from None
    entry = cast(doc.VariantTimeline, _chosen(choice)[0])
    for key in _RUN_FIELDS:
        if key in document:
            entry[key] = document[key]  # type: ignore[literal-required]
    return entry


def _chosen(choice: Choice) -> list[doc.ChosenVariant]:
    """The variants chosen, as ``chosenVariants`` lists them: the routine's, then each
    exercise's (by its section id)."""
    found: list[doc.ChosenVariant] = []
    if choice.routine is not None:
        found.append({"variant": choice.routine, "section": None})
    for index, name in choice.exercises:
        found.append({"variant": name, "section": f"e{index + 1}"})
    return found


def _pieces(document: doc.Document, entries: Iterator[doc.TimelineEntry]) -> Iterator[bytes]:
    """orjson's two-space indented text of the document: the fields around the tree and the
    timeline in one call to orjson each, the tree and the timeline a batch of items at a
    time. Every piece is cut out of orjson's text of an object holding the fields (or the
    batch under its key), which orjson indents exactly as they stand in the document, so
    no piece is re-indented; tests/test_compiler.py proves the bytes equal
    ``dumps_compiled``'s."""
    opening = b"{\n  "
    fields: dict[str, object] = {}
    for key, value in document.items():
        if key not in ("body", "timeline"):
            fields[key] = value
            continue
        if fields:
            yield opening + _members(fields)
            opening, fields = b",\n  ", {}
        yield opening + orjson.dumps(key) + b": "
        yield from _list_pieces(key, entries if key == "timeline" else iter(
            cast(list[object], value)))
        opening = b",\n  "
    if fields:
        yield opening + _members(fields)
    yield b"\n}\n"


def _members(fields: dict[str, object]) -> bytes:
    """The fields as members of the document: orjson's text of them as an object, less
    its braces (``{\\n  `` and ``\\n}``)."""
    return orjson.dumps(fields, option=orjson.OPT_INDENT_2)[4:-2]


def _list_pieces(key: str, items: Iterator[object]) -> Iterator[bytes]:
    """The list the document holds under ``key``, ``_BATCH`` items at a time: each batch is
    written as ``{key: batch}`` (one call to orjson), of which the piece is the items."""
    opening = b"[\n    "
    head = len(b'{\n  ' + orjson.dumps(key) + b': [\n    ')
    while batch := list(islice(items, _BATCH)):
        text = orjson.dumps({key: batch}, option=orjson.OPT_INDENT_2)
        yield opening + text[head:-6]  # less the closing b'\n  ]\n}'
        opening = b",\n    "
    yield b"[]" if opening == b"[\n    " else b"\n  ]"


_BATCH = 256
"""Timeline entries (or tree nodes) written at a time: few calls to orjson, little memory."""


def _json_text(document: object) -> str:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def _whole_numbers(value: object) -> object:
    """Whole floats as ints (``30``, not ``30.0``). The compiler already writes them so;
    this keeps ``dumps`` true to its word for documents built or edited elsewhere."""
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


def _num(value: float) -> int | float:
    """Seconds rounded to the millisecond; whole numbers as ints (``30``, not ``30.0``)."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)  # whole already (most times are): nothing to round
    rounded = round(value, 3)  # called for every number of the document: kept lean
    if rounded.is_integer():
        return int(rounded)
    if math.isfinite(rounded):
        return rounded
    raise ValueError(f"not a finite number: {value}")


def _range(low: float, high: float) -> doc.SecondsRange:
    # Every start and cue time of a timeline is a range: the usual whole seconds are
    # made ints here, without a call of `_num` for each (the same value as `_num`'s).
    return {"min": int(low) if low.__class__ is float and low.is_integer() else _num(low),
            "max": int(high) if high.__class__ is float and high.is_integer() else _num(high)}


def _span(span: m.Span) -> doc.Span:
    return {"line": span.line, "column": span.column, "endLine": span.end_line,
            "endColumn": span.end_column}


_REPEAT_MODES: dict[str, doc.RepeatMode] = {
    "times": "times", "up_to": "upTo", "for": "for", "at_least": "atLeast"}


@dataclass
class _Context:
    """Where a node stands: its tree id, the repeats around it (outermost first) and the
    standing cues in force there; for a step, its timeline entries' common part."""

    node_id: str
    repeats: tuple[m.Repeat, ...]
    standing: tuple[str, ...]
    node: doc.StepNode | None = None
    entry: doc.TimelineEntry | None = None
    by_side: dict[m.Side, tuple[doc.TimelineEntry, list[doc.Cue]]] | None = None
    """For a step whose words or amount differ by side: its entries' common part on each
    side (text filled in, that side's amount) and its cues there (filled in)."""


def _step_entry(node: doc.StepNode, listed: list[str]) -> doc.TimelineEntry:
    """What every timeline entry of a step holds, in the entry's key order; an entry is a
    copy (a dict copy is much cheaper than a dict of 17 keys built anew) with its own
    index, side, cue times, start, passes and optional flag put in. The values the entries
    share with the step (duration, intensity, media, variants, span) are the tree node's
    own objects, not copies: a timeline repeats its steps many times, and copies made the
    document several times larger (and slower to build)."""
    entry: doc.TimelineEntry = {  # type: ignore[typeddict-item]  # voice fields: ``voiced``
        "index": 0, "kind": node["kind"], "origin": "step", "stepId": node["id"],
        "side": None, "text": node["text"], "duration": node["duration"],
        "waitForUser": node["waitForUser"], "intensity": node["intensity"], "cues": [],
        "media": node["media"], "variants": node["variants"],
        "start": {"min": 0, "max": 0}, "passes": [], "optional": False,
        "standingCues": listed, "span": node["span"],
    }
    if len(node) != _PLAIN_STEP_KEYS:
        entry = _with_extras(entry, node)
    by_side = node.get("durationBySide")
    return entry if by_side is None else _after_duration(entry, by_side)


_Keyed = TypeVar("_Keyed", doc.StepNode, doc.TimelineEntry)


def _after_duration(found: _Keyed, by_side: doc.SideAmounts) -> _Keyed:
    """The node or entry with ``durationBySide`` next to its ``duration`` (the JSON's key
    order follows the dict's)."""
    placed: dict[str, object] = {}
    for key, value in found.items():
        placed[key] = value
        if key == "duration":
            placed["durationBySide"] = by_side
    return cast(_Keyed, placed)


_PLAIN_STEP_KEYS = 11
"""The keys of a step node without repetitions, pace, vague amount or per-side amounts
(contract 2.0.0)."""


def _with_extras(entry: doc.TimelineEntry, node: doc.StepNode) -> doc.TimelineEntry:
    """A timeline entry with the step's repetitions, pace and vague amount (2.1.0)."""
    if "reps" in node:
        entry["reps"] = node["reps"]
        entry["secondsPerRep"] = node["secondsPerRep"]
    if "pace" in node:
        entry["pace"] = node["pace"]
    if "vague" in node:
        entry["vague"] = node["vague"]
    return entry


@dataclass
class _Ids:
    steps: int = 0
    repeats: int = 0
    postures: int = 0
    handlers: int = 0
    one_sides: int = 0
    sections: int = 0
    repeat_ids: dict[int, str] = field(default_factory=dict)

    def next(self, kind: str) -> str:
        value = getattr(self, kind) + 1
        setattr(self, kind, value)
        return {"steps": "s", "repeats": "r", "postures": "p", "handlers": "h",
                "one_sides": "o", "sections": "e"}[kind] + str(value)


@dataclass
class _Section:
    """An exercise being compiled: its tree id, its part of the expansion, the standing
    cues in force in it and its entry in ``sections``."""

    node_id: str
    part: ex.Section
    standing: tuple[str, ...]
    rates: dict[m.Unit, float]
    entry: doc.Section


class _Compiler:
    def __init__(self, routine: m.Routine, expansion: ex.Expansion) -> None:
        self.routine = routine
        self.expansion = expansion
        self.rates = ex.seconds_per_unit(routine)
        self.ids = _Ids()
        # Nodes are found again by identity: equal steps written twice are two steps.
        self.context: dict[int, _Context] = {}
        self.standing_cues: list[doc.StandingCues] = []
        self.repeat_table: list[doc.Repeat] = []
        self.required_passes: dict[int, int] = {}  # by id() of the repeat
        self.sections: list[_Section] = []  # a routine with exercises: each, in order
        # Each step's and repeat's part of its entries' keys, by id() (``_name``).
        self.keys: dict[int, str] = {}

    # --- the document ------------------------------------------------------------------

    def document(self, path: str | None) -> doc.Document:
        document, entries = self.parts(path)
        document["timeline"] = list(entries)
        return document

    def parts(self, path: str | None) -> tuple[doc.Document, Iterator[doc.TimelineEntry]]:
        """The document with an empty timeline, and the timeline's entries, made one at a
        time as they are taken."""
        routine = self.routine
        # Routine-wide standing cues hold everywhere, so they are numbered first.
        routine_standing = tuple(
            self._standing(item, "routine", None) for item in routine.items
            if isinstance(item, m.Posture))
        body: list[doc.Node] = []
        handlers: list[doc.SafetyHandler] = []
        expansion = self.expansion
        self._name(routine.items)
        for item in routine.items:
            if isinstance(item, m.SafetyHandler):
                handlers.append(self._handler(item, routine_standing))
            elif isinstance(item, (m.Step, m.Repeat, m.SideOnly)):
                body.append(self._node(item, (), routine_standing))
            elif isinstance(item, m.Posture):
                body.append(self._posture_node(item))
            elif isinstance(item, m.Exercise) and not expansion.truncated:
                body.append(self._section(item, routine_standing))
        if expansion.truncated:
            raise RoutineTooLong(
                f"the routine has more than {ex.MAX_PERFORMED:,} steps once repeats and sides "
                "are expanded")
        entries = self._entries(expansion.performed, routine_standing)
        if self.sections:
            entries = self._section_entries(entries)
        summary = self._summary(expansion.performed)
        entries = voiced(entries, summary["duration"])
        document: doc.Document = {
            "schemaVersion": SCHEMA_VERSION,
            "source": {"path": PurePath(path).as_posix() if path is not None else None},
            "metadata": self._metadata(),
            "variants": [_variant(v) for v in routine.items if isinstance(v, m.Variant)],
            "limits": self._limits(),
            "groups": [
                {"name": g.name, "notes": [n.text for n in g.notes], "span": _span(g.span)}
                for g in routine.items if isinstance(g, m.Group)
            ],
            "standingCues": self.standing_cues,
            "safetyHandlers": handlers,
            "body": body,
            "repeats": self.repeat_table,
            "timeline": [],
            "summary": summary,
            "announcements": {"opening": voice.opening(routine.title, handlers),
                              "closing": voice.closing(routine.title)},
        }
        if self.sections:
            document["sections"] = [section.entry for section in self.sections]
        if any(isinstance(item, m.Parameter) for item in routine.items):
            document["parameters"] = self._parameters()
        return document, entries

    # --- exercises ----------------------------------------------------------------------

    def _section(self, exercise: m.Exercise,
                 routine_standing: tuple[str, ...]) -> doc.SectionNode:
        """An exercise: its tree node, and its entry in ``sections`` (kept for later). Its
        steps are compiled with the exercise seen as a routine (``dsl.model.as_routine``):
        its tempo, its sides."""
        index = len(self.sections)
        part = self.expansion.sections[index]
        assert part.exercise is exercise
        section_id = self.ids.next("sections")
        outer_routine, outer_rates = self.routine, self.rates
        self.routine, self.rates = part.routine, ex.seconds_per_unit(part.routine)
        try:
            standing = routine_standing + tuple(
                self._standing(item, "exercise", section_id) for item in exercise.items
                if isinstance(item, m.Posture))
            self._name(exercise.items)
            body: list[doc.Node] = []
            handlers: list[doc.SafetyHandler] = []
            for item in exercise.items:
                if isinstance(item, (m.Step, m.Repeat, m.SideOnly)):
                    body.append(self._node(item, (), standing))
                elif isinstance(item, m.Posture):
                    body.append(self._posture_node(item))
                elif isinstance(item, m.SafetyHandler):
                    handlers.append(self._handler(item, standing))
            performed = part.expansion.performed
            start = self._section_start()
            own_id = exercise.first(m.RoutineId)
            routine_id = outer_routine.id
            entry: doc.Section = {
                "id": section_id,
                "index": index,
                "title": exercise.title,
                "exerciseId": own_id.value if own_id else None,
                "libraryId": (f"{routine_id}/{own_id.value}"
                              if own_id is not None and routine_id is not None else None),
                "metadata": self._metadata(),
                "limits": self._limits(),
                "variants": [_variant(v) for v in exercise.items if isinstance(v, m.Variant)],
                "safetyHandlers": handlers,
                "timeline": {"first": part.start, "count": len(performed)},
                "start": _range(*start),
                "summary": self._summary(performed),
                "span": _span(exercise.span),
            }
            self.sections.append(_Section(section_id, part, standing, self.rates, entry))
        finally:
            self.routine, self.rates = outer_routine, outer_rates
        return {"type": "section", "id": section_id, "title": exercise.title, "body": body,
                "span": _span(exercise.span)}

    def _section_start(self) -> tuple[float, float]:
        """When the next exercise starts: after every earlier one (the shortest start
        skips their optional passes, the longest runs everything)."""
        low = high = 0.0
        for earlier in self.sections:
            for item in earlier.part.expansion.performed:
                if item.seconds is not None:
                    high += item.seconds[1]
                    if not item.optional:
                        low += item.seconds[0]
        return low, high

    def _section_entries(
            self, entries: Iterator[doc.TimelineEntry]) -> Iterator[doc.TimelineEntry]:
        """The timeline of a routine with exercises: each entry says its exercise, and a
        change of sides (or rest between passes) takes its time at its exercise's tempo and
        its standing cues from its exercise."""
        performed = self.expansion.performed
        sections = iter(self.sections)
        section = next(sections)
        prefix = _exercise_key(section)
        for entry in entries:
            index = entry["index"]
            while index >= section.part.stop:
                section = next(sections)
                prefix = _exercise_key(section)
            entry["key"] = f"{prefix}/{entry['key']}"
            if entry["origin"] != "step":
                source = performed[index].source
                if not isinstance(source, m.Sides) and source.amount is not None:
                    entry["duration"] = _amount_at(source.amount, section.rates)
                if entry["origin"] == "switch":
                    entry["standingCues"] = list(section.standing)
            entry["section"] = section.node_id
            yield entry

    def _parameters(self) -> list[doc.Parameter]:
        found: list[doc.Parameter] = []
        for parameter in self.routine.items:
            if not isinstance(parameter, m.Parameter):
                continue
            default, allowed = parameter.default, parameter.allowed
            low, high = ((allowed.low, allowed.high) if isinstance(allowed, m.Count)
                         else (allowed.low.value, allowed.high.value))
            chosen = default.low if isinstance(default, m.Count) else default.low.value
            found.append({
                "name": parameter.name,
                "text": parameter.text,
                "default": _num(chosen),
                "range": {"min": _num(low), "max": _num(high)},
                "unit": None if isinstance(default, m.Count) else default.unit,
                "value": _num(chosen if parameter.value is None else parameter.value),
                "span": _span(parameter.span),
            })
        return found

    def _metadata(self) -> doc.Metadata:
        r = self.routine
        equipment = r.first(m.Equipment)
        position = r.first(m.Position)
        level = r.first(m.Level)
        partner = r.partner
        frequency = r.first(m.Frequency)
        switch = r.first(m.Switch)
        return {
            "title": r.title,
            "id": r.id,
            "targets": [{"name": t.name, "details": [d.name for d in t.details]}
                        for t in r.targets],
            "equipment": [t.value for t in equipment.items] if equipment else None,
            "position": position.value if position else None,
            "level": cast(doc.Level, level.value) if level else None,
            "partner": {"mode": partner.mode, "text": partner.text} if partner else None,
            "frequency": ({"min": frequency.low, "max": frequency.high,
                           "per": cast(doc.Period, frequency.period)} if frequency else None),
            "sides": {"mode": r.sides.mode, "first": r.sides.first},
            "tempo": {
                "declared": r.tempo is not None,
                "secondsPerCount": _num(self.rates["count"]),
                "secondsPerBreath": _num(self.rates["breath"]),
            },
            "switch": ({"duration": self._duration(switch.amount), "text": switch.text,
                        "span": _span(switch.span)} if switch else None),
            "notes": [n.text for n in r.notes],
            "media": [_media(item) for item in r.items if isinstance(item, m.Media)],
            "indications": [t.value for t in r.indications],
            "contraindications": [t.value for t in r.contraindications],
        }

    def _limits(self) -> list[doc.Limit]:
        found: list[doc.Limit] = []
        for item in self.routine.items:
            if isinstance(item, m.Limit):
                found.append(self._limit(item, None))
            elif isinstance(item, m.Group):
                found.extend(self._limit(limit, item.name) for limit in item.limits)
        return found

    def _limit(self, limit: m.Limit, group: str | None) -> doc.Limit:
        seconds = None
        if limit.unit in ("s", "count", "breath"):
            seconds = _num(ex.seconds(limit.value, limit.unit, self.rates))
        return {
            "subject": limit.subject, "value": _num(limit.value), "unit": limit.unit,
            "seconds": seconds, "per": limit.per, "group": group, "span": _span(limit.span),
        }

    # --- the tree ------------------------------------------------------------------------

    def _standing(self, posture: m.Posture, scope: doc.Scope, within: str | None) -> str:
        posture_id = self.ids.next("postures")
        self.standing_cues.append({
            "id": posture_id, "scope": scope, "within": within,
            "cues": [{"text": t.value, "span": _span(t.span)} for t in posture.cues],
            "span": _span(posture.span),
        })
        self.context[id(posture)] = _Context(posture_id, (), ())
        return posture_id

    def _posture_node(self, posture: m.Posture) -> doc.PostureNode:
        posture_id = self.context[id(posture)].node_id
        return {"type": "posture", "id": posture_id,
                "cues": [t.value for t in posture.cues], "span": _span(posture.span)}

    def _block(self, items: tuple[m.BlockItem, ...], repeats: tuple[m.Repeat, ...],
               standing: tuple[str, ...], scope: doc.Scope, within: str | None) -> list[doc.Node]:
        # A posture block holds for the whole block it stands in, wherever it is written.
        here = standing + tuple(self._standing(item, scope, within) for item in items
                                if isinstance(item, m.Posture))
        self._name(items)
        nodes: list[doc.Node] = []
        for item in items:
            if isinstance(item, m.Posture):
                nodes.append(self._posture_node(item))
            elif not isinstance(item, m.VariantOnly):  # gone once a variant is chosen
                nodes.append(self._node(item, repeats, here, scope, within))
        return nodes

    def _node(self, item: m.Step | m.Repeat | m.SideOnly, repeats: tuple[m.Repeat, ...],
              standing: tuple[str, ...], scope: doc.Scope = "routine",
              within: str | None = None,
              ) -> doc.StepNode | doc.RepeatNode | doc.SideOnlyNode:
        if isinstance(item, m.Step):
            step_id = self.ids.next("steps")
            node = self._step_node(item, step_id)
            common = _step_entry(node, list(standing))
            self.context[id(item)] = _Context(step_id, repeats, standing, node, common,
                                              self._sided_entries(item, node, common))
            return node
        if isinstance(item, m.SideOnly):
            block_id = self.ids.next("one_sides")
            # Its items stand in the block around it (routine, repeat or handler): it adds
            # no repeat, and its posture blocks are scoped as that block's.
            held = self._block(item.body, repeats, standing, scope, within)
            return {"type": "sideOnly", "id": block_id, "side": item.side, "body": held,
                    "span": _span(item.span)}
        repeat_id = self.ids.next("repeats")
        self.ids.repeat_ids[id(item)] = repeat_id
        inner = (*repeats, item)
        entry = self._repeat_entry(item, repeat_id, alternating=ex.alternates(self.routine, item))
        self.repeat_table.append(entry)
        body = self._block(item.body, inner, standing, "repeat", repeat_id)
        if item.rest is not None:
            # The rest between passes is inside the repeat: its standing cues hold there too.
            self.context[id(item.rest)] = _Context(
                repeat_id, inner, self._block_standing(item, standing))
        repeat_node: doc.RepeatNode = {
            "type": "repeat", "id": repeat_id, "mode": entry["mode"], "passes": entry["passes"],
            "timeBound": entry["timeBound"], "restBetween": entry["restBetween"],
            "body": body, "span": _span(item.span),
        }
        if "cap" in entry:
            repeat_node["cap"] = entry["cap"]
        return repeat_node

    def _block_standing(self, repeat: m.Repeat, outer: tuple[str, ...]) -> tuple[str, ...]:
        return outer + tuple(self.context[id(i)].node_id for i in repeat.body
                             if isinstance(i, m.Posture))

    def _repeat_entry(self, repeat: m.Repeat, repeat_id: str, alternating: bool) -> doc.Repeat:
        required, most = self.expansion.passes(repeat)
        self.required_passes[id(repeat)] = required
        count = repeat.count
        rest = repeat.rest
        entry: doc.Repeat = {
            "id": repeat_id,
            "mode": _REPEAT_MODES[count.mode],
            "passes": {"min": required, "max": most},
            "timeBound": self._duration(count.duration) if count.duration else None,
            "restBetween": ({"duration": self._amount(rest.amount), "text": rest.text,
                             "span": _span(rest.span)} if rest else None),
            "alternatesSides": alternating,
            "span": _span(repeat.span),
        }
        if count.mode == "at_least":
            entry["cap"] = self._cap(repeat)
        return entry

    def _cap(self, repeat: m.Repeat) -> doc.Cap:
        """What caps an open repeat, the limit by its index in the ``limits`` table."""
        if repeat.count.high is not None:
            return {"by": "atMost", "limit": None}
        cap = self.expansion.cap(repeat)
        if cap is None or cap.by != "limit":
            return {"by": None, "limit": None}
        index = 0  # counted as ``_limits`` lists them: group limits where the group stands
        for item in self.routine.items:
            if item is cap.limit:
                break
            if isinstance(item, m.Limit):
                index += 1
            elif isinstance(item, m.Group):
                index += len(item.limits)
        return {"by": "limit", "limit": index}

    def _handler(self, handler: m.SafetyHandler,
                 routine_standing: tuple[str, ...]) -> doc.SafetyHandler:
        handler_id = self.ids.next("handlers")
        body = self._block(handler.body, (), routine_standing, "handler", handler_id)
        # The handler's steps run as a routine of their own (no sides: they apply to the
        # side in progress), expanded the same way as the routine.
        tempo = self.routine.tempo
        items: tuple[m.RoutineItem, ...] = ((tempo,) if tempo else ()) + handler.body
        expansion = ex.expand(m.Routine(self.routine.title, items))
        if expansion.truncated:
            raise RoutineTooLong(
                f"the `on {handler.signal}` steps expand to more than {ex.MAX_PERFORMED:,} steps")
        total = self._totals(expansion.performed)
        timeline = list(voiced(self._entries(expansion.performed, routine_standing,
                                             handler.signal), total))
        found: doc.SafetyHandler = {
            # The parser reports any other signal (P205); such a routine is not compiled.
            "id": handler_id, "signal": cast(doc.Signal, handler.signal), "text": handler.text,
            "body": body, "timeline": timeline, "duration": total, "span": _span(handler.span),
            "speech": "",
        }
        found["speech"] = voice.handler_speech(found)
        return found

    def _sided_entries(self, step: m.Step, node: doc.StepNode, entry: doc.TimelineEntry,
                       ) -> dict[m.Side, tuple[doc.TimelineEntry, list[doc.Cue]]] | None:
        """A step's entries' common part on each side, when its texts hold placeholders or
        braces or its amount differs by side (None otherwise: most steps)."""
        texts = [step.text or "", *(c.text for c in step.cues)]
        if step.by_side is None and not any("{" in t or "}" in t for t in texts):
            return None
        found: dict[m.Side, tuple[doc.TimelineEntry, list[doc.Cue]]] = {}
        for side in ("left", "right"):
            words = placeholders.side_words(side)
            here = entry.copy()
            if step.text is not None:
                here["text"] = placeholders.fill(step.text, words)
            if step.by_side is not None:
                here["duration"] = self._amount(step.by_side.on(side))
            found[side] = (here, [_filled_cue(cue, words) for cue in node["cues"]])
        return found

    def _step_node(self, step: m.Step, step_id: str) -> doc.StepNode:
        node = self._plain_step_node(step, step_id)
        if step.by_side is not None:
            by_side: doc.SideAmounts = {"left": self._amount(step.by_side.left),
                                        "right": self._amount(step.by_side.right)}
            node = _after_duration(node, by_side)
        amount = step.amount
        if amount is not None and amount.unit == "rep":
            node["reps"] = _count_range(int(amount.low.value), int(amount.high.value))
            per = ex.seconds_per_rep(step, self.rates)
            node["secondsPerRep"] = None if per is None else _num(per)
        if step.pace is not None:  # the grammar's PACE_WORD and VAGUE_AMOUNT words
            node["pace"] = cast(doc.Pace, step.pace.value)
        if step.vague is not None:
            node["vague"] = cast(doc.Vague, step.vague.value)
        return node

    def _plain_step_node(self, step: m.Step, step_id: str) -> doc.StepNode:
        return {
            "type": "step",
            "id": step_id,
            "kind": step.kind,
            "text": step.text,
            "duration": self._step_duration(step),
            "waitForUser": ex.step_seconds(step, self.rates) is None,
            "intensity": _intensity(step.intensity),
            "cues": [self._cue(c) for c in step.cues],
            "media": [_media(x) for x in step.media],
            "variants": [_variant(v) for v in step.variants],
            "span": _span(step.span),
        }

    def _offset(self, cue: m.Cue) -> float:
        return ex.seconds(cue.at.value, cue.at.unit, self.rates) if cue.at else 0.0

    def _cue(self, cue: m.Cue) -> doc.Cue:
        return {
            "text": cue.text,
            "forPartner": cue.for_partner,
            "offset": _num(self._offset(cue)),
            "at": _cue_time(cue.at),
            "span": _span(cue.span),
        }

    def _step_duration(self, step: m.Step) -> doc.Duration | None:
        """A step's duration; for repetitions, at their time per rep (None: self-paced)."""
        amount = step.amount
        timed = ex.step_seconds(step, self.rates)
        if amount is None or timed is None:
            return None
        return {
            "min": _num(timed[0]), "max": _num(timed[1]),
            "original": {"min": _num(amount.low.value), "max": _num(amount.high.value),
                         "unit": amount.unit},
        }

    def _duration(self, amount: m.Amount | None) -> doc.Duration | None:
        return None if amount is None else self._amount(amount)

    def _amount(self, amount: m.Amount) -> doc.Duration:
        return _amount_at(amount, self.rates)

    # --- the timeline --------------------------------------------------------------------

    def _name(self, items: Sequence[m.BlockItem | m.RoutineItem]) -> None:
        """The keys of a block's steps and repeats (docs/json.md, "Keys"): a step by its
        kind and a digest of its line, so that edits elsewhere leave it alone (the second
        step alike in the same block gets ``~2``); a repeat by its place among the block's
        repeats (``r1``, ``r2``), so that changing its count keeps its steps' keys. A
        ``left only:`` block's items belong to the block around it."""
        flat: list[m.Step | m.Repeat] = []
        for item in items:
            if isinstance(item, m.SideOnly):
                flat.extend(i for i in item.body if isinstance(i, (m.Step, m.Repeat)))
            elif isinstance(item, (m.Step, m.Repeat)):
                flat.append(item)
        seen: dict[str, int] = {}
        repeats = 0
        for item in flat:
            if id(item) in self.keys:
                continue
            if isinstance(item, m.Repeat):
                repeats += 1
                self.keys[id(item)] = f"r{repeats}"
                continue
            line = printer.step(item)
            name = f"{item.kind}-{hashlib.sha1(line.encode()).hexdigest()[:6]}"
            seen[name] = seen.get(name, 0) + 1
            self.keys[id(item)] = name if seen[name] == 1 else f"{name}~{seen[name]}"

    def _key(self, item: ex.Performed, last: str, where: str) -> str:
        """An entry's key: ``where`` (each repeat around it with its pass, ``_where``),
        then ``last``, then its side."""
        key = where + last
        return key if item.side is None else f"{key}/{item.side}"

    def _where(self, item: ex.Performed) -> str:
        """The repeats around an entry with their passes, as its key begins: ``r1.2/``."""
        return "".join(f"{self.keys[id(r)]}.{n}/" for r, n in zip(
            item.repeats, item.passes, strict=True))

    def _entries(self, performed: tuple[ex.Performed, ...],
                 routine_standing: tuple[str, ...],
                 prefix: str | None = None) -> Iterator[doc.TimelineEntry]:
        """The timeline, one entry at a time (a step's entries are copies of
        ``_step_entry``), with its keys (``prefix`` before each: a safety handler's
        signal)."""
        starts = _start_times(performed, self.required_passes)
        repeat_ids = self.ids.repeat_ids
        context = self.context
        # Entries in the same pass of the same repeat run share their list of passes.
        shared_passes: dict[tuple[int, tuple[int, ...]], list[doc.Pass]] = {}
        shared_where: dict[tuple[int, tuple[int, ...]], str] = {}  # their keys' beginning
        for index, (item, start) in enumerate(zip(performed, starts, strict=True)):
            source = item.source
            key = (id(item.repeats), item.passes)
            passes = shared_passes.get(key)
            if passes is None:
                passes = shared_passes[key] = [
                    {"repeat": repeat_ids[id(r)], "pass": n}
                    for r, n in zip(item.repeats, item.passes, strict=True)]
                shared_where[key] = self._where(item)
            where = shared_where[key]
            if isinstance(source, m.Step):
                here = context[id(source)]
                assert here.node is not None and here.entry is not None
                side = item.side
                if here.by_side is not None and side is not None:
                    sided, cues = here.by_side[side]
                    entry = sided.copy()
                    entry["cues"] = [_timed_cue(c, start) for c in cues]
                else:
                    entry = here.entry.copy()
                    entry["cues"] = [_timed_cue(c, start) for c in here.node["cues"]]
                entry["index"] = index
                entry["side"] = side
                entry["start"] = _range(*start)
                entry["passes"] = passes
                entry["optional"] = item.optional
                place = self._key(item, self.keys[id(source)], where)
                entry["key"] = place if prefix is None else f"{prefix}/{place}"
                yield entry
                continue
            # A switch or a rest between passes the expansion inserted.
            standing = routine_standing
            if isinstance(source, m.RestBetween):
                standing = context[id(source)].standing
            place = self._key(item, "switch" if item.kind == "switch" else "rest-between",
                              where)
            yield {
                "index": index, "kind": item.kind,
                "origin": "switch" if item.kind == "switch" else "restBetween",
                "stepId": None, "side": item.side,
                "text": None if isinstance(source, m.Sides) else _filled(source.text, item.side),
                "duration": None if isinstance(source, m.Sides) else self._duration(
                    source.amount),
                "waitForUser": item.seconds is None, "intensity": None, "cues": [],
                "media": [], "variants": [],
                "start": _range(*start), "passes": passes, "optional": item.optional,
                "standingCues": list(standing), "span": _span(source.span),
                "key": place if prefix is None else f"{prefix}/{place}",
            }  # type: ignore[typeddict-item]  # the voice fields come in ``voiced``

    # --- the summary ---------------------------------------------------------------------

    # The summary is added up from the expansion, not from the timeline's entries: the same
    # numbers in the same order (an entry's duration is its step's seconds, rounded once by
    # the expansion), without needing the entries, which a streamed timeline no longer has.

    def _totals(self, performed: Sequence[ex.Performed]) -> doc.SecondsRange:
        low = sum(_shortest(p) for p in performed if not p.optional)
        high = sum(_longest(p) for p in performed)
        return _range(low, high)

    def _summary(self, performed: tuple[ex.Performed, ...]) -> doc.Summary:
        # One pass over the steps, adding in their order: the same sums as adding up each
        # filtered list (a sum starts at 0 and adds in order, untimed steps as 0.0).
        low: float = 0
        high: float = 0
        required = untimed_required = untimed = contractions_required = contractions = 0
        reps_required = reps = 0
        counts_reps = False
        # By side, in the order the sides first come: [time under stretch at the shortest
        # (required steps), at the longest (all), contractions required, contractions].
        by_side: dict[m.Side | None, list[float]] = {}
        for item in performed:
            tally = by_side.get(item.side)
            if tally is None:
                tally = by_side[item.side] = [0, 0, 0, 0]
            shortest, longest = item.seconds if item.seconds is not None else (0.0, 0.0)
            stretch = item.kind in STRETCH_KINDS
            contraction = item.kind == ex.CONTRACTION
            high += longest
            if stretch:
                tally[1] += longest
            if contraction:
                tally[3] += 1
                contractions += 1
            if item.seconds is None:
                untimed += 1
            if item.kind == "move" and item.step is not None and item.step.amount is not None \
                    and item.step.amount.unit == "rep":
                counts_reps = True
                reps += int(item.step.amount.high.value)
                if not item.optional:
                    reps_required += int(item.step.amount.low.value)
            if not item.optional:
                low += shortest
                required += 1
                if stretch:
                    tally[0] += shortest
                if contraction:
                    tally[2] += 1
                    contractions_required += 1
                if item.seconds is None:
                    untimed_required += 1
        # Skipping every optional pass gives the fewest cycles, running all of them the most
        # (a pass only adds entries); the property tests check this against every run.
        fewest = _cycles_by_side([p for p in performed if not p.optional])
        most = _cycles_by_side(list(performed))
        per_side: list[doc.SideSummary] = [{
            "side": side,
            "timeUnderStretch": _range(tally[0], tally[1]),
            "contractions": _count_range(int(tally[2]), int(tally[3])),
            "cycles": _count_range(fewest.get(side, 0), most.get(side, 0)),
        } for side, tally in by_side.items()]
        summary: doc.Summary = {
            "duration": _range(low, high),
            "steps": _count_range(required, len(performed)),
            "untimedSteps": _count_range(untimed_required, untimed),
            "contractions": _count_range(contractions_required, contractions),
            "cycles": _count_range(sum(fewest.values()), sum(most.values())),
            "perSide": per_side,
        }
        if counts_reps:
            summary["reps"] = _count_range(reps_required, reps)
        return summary


def _exercise_key(section: _Section) -> str:
    """An exercise's part of its entries' keys: its ``id:``, else its section id (``e2``)."""
    own = section.part.exercise.first(m.RoutineId)
    return own.value if own is not None else section.node_id


def _filled(text: str | None, side: m.Side | None) -> str | None:
    """A text as an entry of ``side`` says it: its side words filled in (a template where
    the side is not known: docs/json.md, "Placeholders")."""
    if text is None or side is None or ("{" not in text and "}" not in text):
        return text
    return placeholders.fill(text, placeholders.side_words(side))


def _filled_cue(cue: doc.Cue, words: dict[str, str]) -> doc.Cue:
    return {"text": placeholders.fill(cue["text"], words), "forPartner": cue["forPartner"],
            "offset": cue["offset"], "at": cue["at"], "span": cue["span"]}


def _amount_at(amount: m.Amount, rates: dict[m.Unit, float]) -> doc.Duration:
    """An amount in seconds at a tempo, and as written."""
    low, high = ex.amount_seconds(amount, rates)
    return {
        "min": _num(low), "max": _num(high),
        "original": {"min": _num(amount.low.value), "max": _num(amount.high.value),
                     "unit": amount.unit},
    }


def _timed_cue(cue: doc.Cue, start: tuple[float, float]) -> doc.TimedCue:
    """A step's cue in a timeline: its time from the start of the routine (or handler)
    too. ``offset`` is the cue's offset in seconds, already rounded to the millisecond, so
    adding it is exact as before."""
    offset = cue["offset"]
    return {  # type: ignore[typeddict-item]  # its ``speech`` comes in ``voiced``
        "text": cue["text"],
        "forPartner": cue["forPartner"],
        "offset": offset,
        "at": cue["at"],
        "time": _range(start[0] + offset, start[1] + offset),
        "span": cue["span"],
    }


def _cycles_by_side(performed: list[ex.Performed]) -> dict[m.Side | None, int]:
    counts: dict[m.Side | None, int] = {}
    for cycle in ex.contraction_cycles(performed):
        side = cycle[0].side
        counts[side] = counts.get(side, 0) + 1
    return counts


def _count_range(low: int, high: int) -> doc.CountRange:
    return {"min": low, "max": high}


def _shortest(performed: ex.Performed) -> float:
    return performed.seconds[0] if performed.seconds is not None else 0.0


def _longest(performed: ex.Performed) -> float:
    return performed.seconds[1] if performed.seconds is not None else 0.0


def _start_times(performed: tuple[ex.Performed, ...],
                 required_passes: dict[int, int]) -> list[tuple[float, float]]:
    """Each step's shortest and longest start time (untimed steps count as 0 s).

    The longest start adds up every earlier step at its longest. The shortest start adds up
    every earlier step at its shortest except those the client may skip on the way: a step
    in an optional pass (beyond its repeat's minimum) of a repeat run the step is not in.
    A step inside pass 3 still needs passes 1 and 2, so those count.
    """
    starts: list[tuple[float, float]] = []
    base = 0.0  # shortest time of the earlier steps no one may skip
    longest = 0.0
    # Shortest time of skippable earlier steps, by the repeat run they may be skipped from.
    pending: dict[int, float] = {}
    previous: list[tuple[int, int, tuple[int, ...]]] = []  # (run, repeat, passes) by level
    previous_passes: tuple[int, ...] = ()
    previous_repeats: tuple[m.Repeat, ...] = ()
    live: set[int] = set()
    innermost: int | None = None
    runs = 0
    for item in performed:
        if not item.repeats:  # outside every repeat (most steps of most routines)
            pending.clear()
            starts.append((base, longest))
            if item.seconds is not None:
                base += item.seconds[0]
                longest += item.seconds[1]
            previous, previous_passes, previous_repeats = [], item.passes, item.repeats
            continue
        # The next step of the same pass (the usual case) is in the same runs as the step
        # before, with nothing pending ended: only a new pass or repeat needs working out.
        if item.repeats is not previous_repeats or item.passes != previous_passes:
            current: list[tuple[int, int, tuple[int, ...]]] = []
            for level, repeat in enumerate(item.repeats):
                outer = item.passes[:level]
                if (level < len(previous) and previous[level][1:] == (id(repeat), outer)
                        and item.passes[level] >= previous_passes[level]):
                    current.append(previous[level])  # the same run of this repeat goes on
                else:
                    runs += 1
                    current.append((runs, id(repeat), outer))
            live = {run for run, _, _ in current}
            for gone in [run for run in pending if run not in live]:
                del pending[gone]  # that run is over: its optional passes could be skipped
            # The innermost repeat whose pass is optional by itself decides which run the
            # step can be skipped from.
            innermost = None
            for level, (repeat, number) in enumerate(
                    zip(item.repeats, item.passes, strict=True)):
                if number > required_passes[id(repeat)]:
                    innermost = level
            previous, previous_passes, previous_repeats = current, item.passes, item.repeats
        if pending:
            starts.append((base + sum([pending.get(run, 0.0) for run in live]), longest))
        else:
            starts.append((base, longest))
        low, high = item.seconds if item.seconds is not None else (0.0, 0.0)
        longest += high
        if innermost is None:
            base += low
        else:
            run = previous[innermost][0]
            pending[run] = pending.get(run, 0.0) + low
    return starts


def _intensity(intensity: m.Intensity | None) -> doc.Intensity | None:
    if intensity is None:
        return None
    effort = None
    if intensity.effort_high is not None:
        low = intensity.effort_low if intensity.effort_low is not None else intensity.effort_high
        effort = _range(low, intensity.effort_high)
    return {"level": intensity.level, "effort": effort}


def _cue_time(at: m.Quantity | None) -> doc.CueTime | None:
    return None if at is None else {"value": _num(at.value), "unit": at.unit}


def _media(media: m.Media) -> doc.Media:
    return {"kind": media.kind, "source": media.source, "caption": media.caption}


def _variant(variant: m.Variant) -> doc.Variant:
    return {"name": variant.name, "text": variant.text, "span": _span(variant.span)}
