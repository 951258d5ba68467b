"""The compiled figures and the limit checks equal the exhaustive reference, exactly.

``tests/reference.py`` enumerates every run of a small routine (every pass count, both sides,
every ranged amount on its grid) and takes the min and max of each figure over the runs. The
property tests here draw routines from ``tests/timing_strategies.py`` and compare, for each:

- ``summary`` duration, steps, untimedSteps, contractions, cycles and ``perSide``;
- the timeline: the same entries (keyed by origin, source line, side and passes), each one's
  ``start``, each cue's ``time``, and ``optional`` exactly when some run lacks the entry;
- ``repeats[].passes`` (for every repeat some run reaches) and ``safetyHandlers[].duration``;
- the checker's L101 / L102 diagnostics: one (or more) whose related note points at a
  limit's line exactly for the limits some run breaks, with no variant or with any choice
  of variants the checks cover;
- for a routine with variants that change steps, each ``variantTimelines`` entry: the same
  figures against the reference's enumeration of the routine the reference makes for that
  variant (``reference.in_variant``, written from docs/language.md alone), and the same
  bytes, field by field, as the document compiled with that variant chosen.

Times compare with a tolerance of 1 ms (the JSON rounds to the millisecond). A failure prints
the routine with line numbers and the figure that differs.

Profiles: by default (CI) each property runs ``CI_EXAMPLES`` derandomized examples (the same
routines every run, no example database). ``STRETCH_LONG_PROPERTIES=1`` runs
``LONG_EXAMPLES`` random examples each, for a long search before a release or after changing
the expansion: ``STRETCH_LONG_PROPERTIES=1 python -m pytest tests/test_exact_figures.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import reference
from conftest import example_paths
from hypothesis import HealthCheck, Phase, given, settings
from timing_strategies import timed_routines

from dsl import model as m
from dsl.lint.checker import check
from dsl.model.variants import Choice, alternatives
from dsl.syntax.parser import ParsedFile, parse
from dsl.timeline.compiler import compile_routine, dumps

CI_EXAMPLES = 150
LONG_EXAMPLES = 3_000
LONG = os.environ.get("STRETCH_LONG_PROPERTIES") == "1"
TOLERANCE = 0.001
ROOT = Path(__file__).resolve().parents[1]

PROPERTY_SETTINGS = settings(
    max_examples=LONG_EXAMPLES if LONG else CI_EXAMPLES,
    derandomize=not LONG,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
)

Json = Mapping[str, Any]  # the document read as plain JSON, by the reference's names


# --- one routine, analysed once ------------------------------------------------------------


class Analysed:
    """A generated routine: parsed, compiled, checked, and enumerated by the reference.

    A routine with variants that change steps is compiled as written (no variant) and
    enumerated as the reference reads it with no variant (``reference.in_variant``); the
    limits the checker must report are those the reference finds broken with any choice
    of variants the checks cover (``reference.checked_choices``)."""

    def __init__(self, text: str, ends_only: bool = False) -> None:
        self.text = text
        self.parsed: ParsedFile = parse(text)
        assert self.parsed.ok and self.parsed.routine is not None, self.parsed.diagnostics
        self.ends_only = ends_only
        self.document: Json = compile_routine(self.parsed.routine)
        self.figures = figures_with(self.parsed, None, (), ends_only)
        self.index()

    def index(self) -> None:
        self.repeat_lines = {r["id"]: r["span"]["line"] for r in self.document["repeats"]}
        self.section_lines = {s["id"]: s["span"]["line"]
                              for s in self.document.get("sections", [])}

    def key(self, entry: Json) -> reference.Key:
        passes = tuple((self.repeat_lines[p["repeat"]], p["pass"]) for p in entry["passes"])
        if "section" in entry:  # the reference starts an exercise's passes with its line
            passes = ((self.section_lines[entry["section"]], 0), *passes)
        return (entry["origin"], entry["span"]["line"], entry["side"], passes)

    def numbered(self) -> str:
        return "\n".join(f"{n:3} | {line}" for n, line in enumerate(self.text.splitlines(), 1))

    def problem(self, what: str, compiled: object, expected: object) -> str:
        return (f"{what}: compiled {compiled}, reference {expected}\n"
                f"--- routine ---\n{self.numbered()}")


class InVariant(Analysed):
    """One entry of a routine's ``variantTimelines`` (the fields of a document that a
    variant changes) beside the reference's figures for the routine that variant runs."""

    def __init__(self, whole: Analysed, entry: Json, choice: Choice) -> None:
        self.text = whole.text
        self.parsed = whole.parsed
        self.ends_only = whole.ends_only
        self.document = entry
        self.figures = figures_with(whole.parsed, choice.routine, choice.exercises,
                                    whole.ends_only)
        self.index()

    def problem(self, what: str, compiled: object, expected: object) -> str:
        return super().problem(f"variantTimelines {self.document['variant']!r} "
                               f"(section {self.document['section']}): {what}",
                               compiled, expected)


_figures: dict[tuple[str, str | None, tuple[tuple[int, str], ...], bool],
               reference.Figures] = {}


def figures_with(parsed: ParsedFile, whole: str | None,
                 exercises: tuple[tuple[int, str], ...], ends_only: bool) -> reference.Figures:
    """The reference's figures for the routine as it runs with the variant ``whole`` for
    the routine and ``exercises`` (index, name) for some exercises (cached per file)."""
    key = (parsed.source, whole, exercises, ends_only)
    if key not in _figures:
        if len(_figures) > 2_000:
            _figures.clear()
        _figures[key] = reference.figures(
            reference.in_variant_parsed(parsed, whole, dict(exercises)), ends_only)
    return _figures[key]


def broken_with_any_variant(routine: Analysed) -> set[tuple[str, int]]:
    """The limits the reference finds broken by some run of the routine with some choice
    of variants the checks cover (just its own runs, for a routine with no change)."""
    parsed = routine.parsed
    assert parsed.routine is not None
    loaded = reference.load(parsed).routine
    assert loaded is not None
    broken: set[tuple[str, int]] = set()
    for whole, chosen in reference.checked_choices(loaded):
        broken |= figures_with(parsed, whole, tuple(sorted(chosen.items())),
                               routine.ends_only).broken
    return broken


@lru_cache(maxsize=256)
def analysed(text: str) -> Analysed:
    return Analysed(text)


def show(value: Fraction | tuple[Fraction, Fraction]) -> str:
    if isinstance(value, tuple):
        return f"{{min: {show(value[0])}, max: {show(value[1])}}}"
    return f"{float(value):g}"


def differs(compiled: Mapping[str, float] | None, expected: tuple[Fraction, Fraction]) -> bool:
    if compiled is None:
        return True
    return (abs(compiled["min"] - expected[0]) > TOLERANCE
            or abs(compiled["max"] - expected[1]) > TOLERANCE)


def mismatches(routine: Analysed, family: str) -> Iterator[str]:
    """Every figure of one family where the compiled document or the checker is not the
    reference's."""
    document, ref = routine.document, routine.figures
    if family == "summary":
        summary = document["summary"]
        for name, expected in ref.summary.items():
            if differs(summary[name], expected):
                yield routine.problem(f"summary.{name}", summary[name], show(expected))
    elif family == "perSide":
        compiled = {s["side"]: s for s in document["summary"]["perSide"]}
        if set(compiled) != set(ref.per_side):
            yield routine.problem("summary.perSide sides", sorted(map(str, compiled)),
                                  sorted(map(str, ref.per_side)))
            return
        for side, names in ref.per_side.items():
            for name, expected in names.items():
                if differs(compiled[side][name], expected):
                    yield routine.problem(f"summary.perSide[{side}].{name}",
                                          compiled[side][name], show(expected))
        order = list(dict.fromkeys(e["side"] for e in document["timeline"]))
        listed = [s["side"] for s in document["summary"]["perSide"]]
        if listed != order:
            yield routine.problem("summary.perSide order (first appearance in the timeline)",
                                  listed, order)
    elif family == "timeline":
        keys = [routine.key(e) for e in document["timeline"]]
        if len(set(keys)) != len(keys):
            twice = sorted({str(k) for k in keys if keys.count(k) > 1})
            yield routine.problem("timeline keys listed twice", twice, "each once")
        if set(keys) != set(ref.starts):
            yield routine.problem(
                "timeline entries (origin, line, side, passes)",
                f"extra {sorted(map(str, set(keys) - set(ref.starts)))}",
                f"missing {sorted(map(str, set(ref.starts) - set(keys)))}")
            return
        for entry, key in zip(document["timeline"], keys, strict=True):
            if differs(entry["start"], ref.starts[key]):
                yield routine.problem(f"start of timeline[{entry['index']}] {key}",
                                      entry["start"], show(ref.starts[key]))
            for cue in entry["cues"]:
                cue_key = (key, cue["span"]["line"])
                if differs(cue["time"], ref.cues[cue_key]):
                    yield routine.problem(
                        f"time of the cue on line {cue['span']['line']} in timeline"
                        f"[{entry['index']}] {key}", cue["time"], show(ref.cues[cue_key]))
    elif family == "optional":
        for entry in document["timeline"]:
            key = routine.key(entry)
            if key in ref.performed and entry["optional"] != ref.optional(key):
                yield routine.problem(
                    f"optional of timeline[{entry['index']}] {key} (performed in "
                    f"{ref.performed[key]} of {ref.runs} runs)", entry["optional"],
                    ref.optional(key))
    elif family == "passes":
        for repeat in document["repeats"]:
            line = repeat["span"]["line"]
            if line in ref.passes:
                low, high = ref.passes[line]
                if (repeat["passes"]["min"], repeat["passes"]["max"]) != (low, high):
                    yield routine.problem(f"repeats[{repeat['id']}] (line {line}).passes",
                                          repeat["passes"], f"{{min: {low}, max: {high}}}")
    elif family == "sections":
        compiled_sections = document.get("sections", [])
        if len(compiled_sections) != len(ref.sections):
            yield routine.problem("sections", len(compiled_sections), len(ref.sections))
            return
        for section, expected_figures in zip(compiled_sections, ref.sections, strict=True):
            for name, expected in expected_figures.items():
                if differs(section["summary"][name], expected):
                    yield routine.problem(f"sections[{section['index']}].summary.{name}",
                                          section["summary"][name], show(expected))
        for section in compiled_sections:
            entries = document["timeline"][section["timeline"]["first"]:][
                :section["timeline"]["count"]]
            if [e["section"] for e in entries] != [section["id"]] * len(entries) or (
                    entries and differs(section["start"], ref.starts[routine.key(entries[0])])):
                yield routine.problem(f"sections[{section['index']}] timeline and start",
                                      section["timeline"], "its entries, from its first start")
    elif family == "handlers":
        handlers = [*document["safetyHandlers"], *(
            h for section in document.get("sections", []) for h in section["safetyHandlers"])]
        for handler in handlers:
            expected = ref.handlers[handler["span"]["line"]]
            if differs(handler["duration"], expected):
                yield routine.problem(f"safetyHandlers[{handler['id']}].duration",
                                      handler["duration"], show(expected))
    else:
        assert family == "limits"
        found = reported_limits(routine.parsed)
        broken = broken_with_any_variant(routine)
        if found != broken:
            yield routine.problem(
                "limits reported (code, limit line)", sorted(found), sorted(broken))


def reported_limits(parsed: ParsedFile) -> set[tuple[str, int]]:
    routine = parsed.routine
    assert routine is not None
    holders = [routine, *routine.exercises]
    limit_lines = {limit.span.line for holder in holders for limit in holder.limits} | {
        limit.span.line for holder in holders for item in holder.items
        if isinstance(item, m.Group) for limit in item.limits}
    return {(d.code, related.span.line) for d in check(parsed) if d.code in ("L101", "L102")
            for related in d.related if related.span.line in limit_lines}


FAMILIES = ["summary", "perSide", "timeline", "optional", "passes", "handlers", "limits",
            "sections"]


# --- the properties ------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
@PROPERTY_SETTINGS
@given(text=timed_routines())
def test_compiled_figures_equal_the_reference(family: str, text: str) -> None:
    # One test function for every family: derandomized, each family sees the same routines,
    # so the routine is parsed, compiled and enumerated once (``analysed`` is cached).
    found = list(mismatches(analysed(text), family))
    assert not found, "\n\n".join(found[:3])


VARIANT_FAMILIES = [family for family in FAMILIES if family != "limits"]
RUN_FIELDS = ("standingCues", "safetyHandlers", "body", "repeats", "timeline", "summary",
              "sections")
"""The fields of a document a variant changes: those of a ``variantTimelines`` entry."""


@PROPERTY_SETTINGS
@given(text=timed_routines())
def test_every_variant_timeline_equals_the_reference_and_the_chosen_document(
        text: str) -> None:
    # The same routines as above (derandomized, cached): for each way an app can switch
    # the routine to one variant, the document's `variantTimelines` entry has the figures
    # the reference gives for the routine the reference makes of that variant, and is the
    # document compiled with that variant chosen, field for field, byte for byte.
    found = variant_problems(analysed(text))
    assert not found, "\n\n".join(found[:3])


def variant_problems(whole: Analysed) -> list[str]:
    routine = whole.parsed.routine
    assert routine is not None
    choices = alternatives(routine)
    entries = whole.document.get("variantTimelines")
    if not choices:
        return [] if entries is None else ["variantTimelines in a routine with no change"]
    assert entries is not None and len(entries) == len(choices), whole.numbered()
    found: list[str] = []
    for choice, entry in zip(choices, entries, strict=True):
        named = [*([(choice.routine, None)] if choice.routine else []),
                 *((name, f"e{index + 1}") for index, name in choice.exercises)]
        assert [(entry["variant"], entry["section"])] == named, whole.numbered()
        chosen: Json = compile_routine(routine, choice=choice)
        assert chosen["chosenVariants"] == [{"variant": entry["variant"],
                                             "section": entry["section"]}]
        assert "variantTimelines" not in chosen
        for name in RUN_FIELDS:
            if (name in entry) != (name in chosen) or (
                    name in entry and dumps(entry[name]) != dumps(chosen[name])):
                found.append(f"variantTimelines {entry['variant']!r} ({entry['section']}): "
                             f"{name} is not the document compiled with that variant\n"
                             f"{whole.numbered()}")
        in_variant = InVariant(whole, entry, choice)
        found += [problem for family in VARIANT_FAMILIES
                  for problem in mismatches(in_variant, family)]
    return found


@settings(PROPERTY_SETTINGS, max_examples=40 if not LONG else 400)
@given(text=timed_routines())
def test_the_grid_and_the_ends_of_ranges_give_the_same_figures(text: str) -> None:
    # Every figure is monotone in every amount, so the ends of each range are enough: a
    # check on the reference itself (and what lets the examples below use ``ends_only``).
    full, ends = reference.figures(text), reference.figures(text, ends_only=True)
    for name in ("summary", "per_side", "starts", "cues", "performed", "passes", "handlers",
                 "broken", "sections"):
        if name == "performed":
            assert {k: v < full.runs for k, v in full.performed.items()} == {
                k: v < ends.runs for k, v in ends.performed.items()}, text
        else:
            assert getattr(full, name) == getattr(ends, name), f"{name}\n{text}"


@settings(PROPERTY_SETTINGS, max_examples=60 if not LONG else 1_000)
@given(text=timed_routines())
def test_no_run_of_a_time_box_lasts_longer_than_its_bound(text: str) -> None:
    # The promise of `repeat for A-B`, checked on every run: each run of a time box (a
    # stretch of consecutive entries inside the same pass path down to the box) takes at
    # most B, its rests between passes and switches included.
    routine = reference.load(text).routine
    assert routine is not None
    boxes = {r.span.line: r.count.duration for r in _all_repeats(routine)
             if r.count.mode == "for" and r.count.duration is not None}
    if not boxes:
        return
    for run in reference.runs(text):
        spent: dict[tuple[tuple[int, int], ...], Fraction] = {}
        previous: set[tuple[tuple[int, int], ...]] = set()
        for entry in run.entries:
            here = set()
            for level, (line, _) in enumerate(entry.passes):
                if line in boxes:
                    key = (*entry.passes[:level], (line, 0))
                    if key not in previous:
                        spent[key] = Fraction(0)  # a new run of that box begins
                    spent[key] += run.seconds(entry) or 0
                    bound = _fraction_of(boxes[line].high)
                    assert spent[key] <= bound, f"box on line {line} runs {spent[key]} s\n{text}"
                    here.add(key)
            previous = here


def _all_repeats(routine: m.Routine) -> list[m.Repeat]:
    found: list[m.Repeat] = []

    def walk(items: tuple[m.BlockItem, ...]) -> None:
        for item in items:
            if isinstance(item, m.Repeat):
                found.append(item)
                walk(item.body)

    walk(routine.body)
    for exercise in routine.exercises:
        walk(exercise.body)
    return found


def _fraction_of(quantity: m.Quantity) -> Fraction:
    assert quantity.unit == "s"  # the generator writes time boxes in seconds and minutes
    return Fraction(str(quantity.value))


@pytest.mark.parametrize("path", example_paths(),
                         ids=lambda path: path.stem)
def test_the_examples_compile_to_the_reference_figures(path: Path) -> None:
    # Real routines, too big for the full grid: the ends of ranges give the same extremes.
    # Suppression comments are taken out: the reference reports every broken limit.
    text = re.sub(r"#\s*stretch: ignore\[[^\]]*\]", "", path.read_text(encoding="utf-8"))
    routine = Analysed(text, ends_only=True)
    found = [problem for family in FAMILIES for problem in mismatches(routine, family)]
    found += variant_problems(routine)
    assert not found, "\n\n".join(found[:3])


# --- the generator covers what matters -------------------------------------------------------


def features(routine: m.Routine) -> set[str]:
    found: set[str] = set()

    def walk(items: tuple[m.BlockItem, ...], depth: int) -> None:
        for item in items:
            if isinstance(item, m.Repeat):
                found.add(f"repeat {item.count.mode}")
                if depth:
                    found.add("nested repeat")
                if item.rest is not None:
                    found.add("rest between")
                if item.count.mode == "times" and item.count.low != item.count.high:
                    found.add("ranged repeat")
                if item.count.mode == "at_least" and item.count.high is None:
                    found.add("open repeat capped by a limit")
                if item.count.duration is not None and item.count.duration.is_range:
                    found.add("ranged time box")
                walk(item.body, depth + 1)
            elif isinstance(item, m.VariantOnly):
                found.add("variant only block")
                walk(item.body, depth)
            elif isinstance(item, m.Step):
                for change in item.changes:
                    found.add("changed amount" if change.amount is not None
                              else "left out" if change.leave_out else "steps in place")
                    walk(change.steps, depth)
                if item.amount is None:
                    found.add("untimed step")
                elif item.amount.is_range:
                    found.add("ranged amount")
                if item.amount is not None and item.amount.unit != "s":
                    found.add(f"amount in {item.amount.unit}s")
                if item.amount is not None and item.amount.unit == "rep":
                    found.add("timed reps" if item.rep_time is not None else "reps")
                if item.intensity is not None and item.intensity.effort_high is not None:
                    found.add("effort")
                if any(c.at is not None for c in item.cues):
                    found.add("cue at")

    walk(routine.body, 0)
    for exercise in routine.exercises:
        found.add("exercises")
        walk(exercise.body, 0)
        if exercise.first(m.Sides) is not None:
            found.add("exercise sides")
        if exercise.limits:
            found.add("exercise limit")
        found.update(f"limit {limit.subject}" for limit in exercise.limits)
    found.add(f"sides {routine.sides.mode}")
    if routine.first(m.Switch) is not None:
        found.add("switch")
    if routine.first(m.Tempo) is not None:
        found.add("tempo")
    if routine.handlers:
        found.add("handler")
    groups = [item for item in routine.items if isinstance(item, m.Group)]
    if groups:
        found.add("group")
    for limit in [*routine.limits, *(lim for g in groups for lim in g.limits)]:
        found.add(f"limit {limit.subject}")
    return found


EXPECTED_FEATURES = {
    "nested repeat", "ranged amount", "ranged repeat", "repeat for", "repeat up_to",
    "repeat at_least", "open repeat capped by a limit",
    "ranged time box", "rest between", "untimed step", "amount in counts", "amount in breaths",
    "effort", "cue at", "tempo", "amount in reps", "timed reps", "reps", "sides none",
    "sides one", "sides each", "sides alternating",
    "switch", "handler", "group", "limit cycles", "limit contractions", "limit contraction",
    "limit hold", "limit breath-hold", "limit effort", "limit total", "exercises",
    "exercise sides", "exercise limit", "changed amount", "left out", "steps in place",
    "variant only block",
}


def test_the_generator_covers_every_feature_often() -> None:
    drawn: list[set[str]] = []
    boxes: list[tuple[int, int]] = []  # the pass range of every time box drawn

    @settings(max_examples=400, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(text=timed_routines())
    def collect(text: str) -> None:
        parsed = parse(text)
        assert parsed.ok and parsed.routine is not None, text
        drawn.append(features(parsed.routine))
        bodies = [parsed.routine.body, *(e.body for e in parsed.routine.exercises)]
        lines = {r.span.line for body in bodies for r in _repeats(body)
                 if r.count.mode == "for"}
        if lines:
            passes = reference.figures(parsed, ends_only=True).passes
            boxes.extend(passes[line] for line in lines if line in passes)

    collect()
    assert len(drawn) >= 300
    shares = {name: sum(name in f for f in drawn) / len(drawn) for name in EXPECTED_FEATURES}
    rare = {name: share for name, share in shares.items() if share < 0.05}
    assert not rare, rare
    # The boundary cases of the pass-count rule: a box that never runs, a range of passes,
    # several passes.
    assert any(high == 0 for _, high in boxes), "no time box that never runs"
    assert sum(low < high for low, high in boxes) >= 5, "few time boxes with a range"
    assert sum(high >= 2 for _, high in boxes) >= 20, "few time boxes of several passes"


def _repeats(items: tuple[m.BlockItem, ...]) -> Iterator[m.Repeat]:
    for item in items:
        if isinstance(item, m.Repeat):
            yield item
            yield from _repeats(item.body)


# --- the reference on routines worked out by hand --------------------------------------------


def fig(text: str, ends_only: bool = False) -> reference.Figures:
    return reference.figures(text, ends_only)


def F(value: float) -> Fraction:
    return Fraction(str(value))


def R(low: float, high: float) -> tuple[Fraction, Fraction]:
    return (F(low), F(high))


def test_reference_pnf_cycles_break_the_limit() -> None:
    text = ('routine "PNF"\n  limit cycles 2\n  repeat 4:\n    contract 10s "Push"\n'
            '    hold 30s "Stretch"\n')
    result = fig(text)
    assert result.runs == 1
    assert result.summary["cycles"] == R(4, 4)
    assert result.summary["contractions"] == R(4, 4)
    assert result.summary["duration"] == R(160, 160)
    assert result.per_side == {None: {"timeUnderStretch": R(160, 160),
                                      "contractions": R(4, 4), "cycles": R(4, 4)}}
    assert result.broken == {("L101", 2)}


def test_reference_alternating_time_box_plans_passes_at_their_longest() -> None:
    # P = 20 + 5 + 20 = 45, G = 5 (the switch back): 3 passes take 3*45 + 2*5 = 145 <= 180,
    # 4 would take 195.
    text = ('routine "Alt"\n  sides: alternating, left first\n  switch 5s\n'
            '  limit total 3m\n  repeat for 3m:\n    hold 20s\n')
    result = fig(text)
    assert result.passes == {5: (3, 3)}
    assert result.summary["duration"] == R(145, 145)
    assert result.summary["steps"] == R(11, 11)  # 3 in pass 1, 4 in passes 2 and 3
    assert result.per_side["left"]["timeUnderStretch"] == R(60, 60)
    assert result.broken == set()
    switch_back = ("switch", 3, "left", ((5, 2),))
    assert result.starts[switch_back] == R(45, 45)
    assert ("switch", 3, "left", ((5, 1),)) not in result.starts  # pass 1 starts on the left


def test_reference_time_box_with_a_ranged_step() -> None:
    result = fig('routine "Box"\n  repeat for 1m:\n    hold 20-60s\n')
    assert result.passes == {2: (1, 1)}  # planned at 60 s a pass: one fits
    assert result.summary["duration"] == R(20, 60)
    assert result.runs == 41  # 20, 21, ..., 60 s


def test_reference_time_box_bounds_and_rest_between() -> None:
    # P = 10, G = 5: k passes take 15k - 5 s. max: 15k - 5 <= 50 -> 3; min: <= 25 -> 2.
    text = 'routine "Box"\n  repeat for 25-50s, rest 5s between:\n    hold 10s\n  rest 1s\n'
    result = fig(text)
    assert result.passes == {2: (2, 3)}
    third = ("step", 3, None, ((2, 3),))
    assert result.optional(third) and not result.optional(("step", 3, None, ((2, 2),)))
    assert result.starts[("restBetween", 2, None, ((2, 3),))] == R(25, 25)
    assert result.starts[("step", 4, None, ())] == R(25, 40)
    assert result.summary["duration"] == R(26, 41)
    assert result.summary["steps"] == R(4, 6)


def test_reference_time_box_too_short_never_runs() -> None:
    result = fig('routine "Box"\n  setup "Get ready"\n  repeat for 5s:\n    hold 6s\n')
    assert result.passes == {3: (0, 0)}
    assert set(result.starts) == {("step", 2, None, ())}
    assert result.summary["untimedSteps"] == R(1, 1)


def test_reference_repeat_counts() -> None:
    text = ('routine "Counts"\n  repeat 0-2:\n    hold 1s\n  repeat 0:\n    hold 2s\n'
            '  repeat up to 3:\n    contract 1s\n')
    result = fig(text)
    assert result.passes == {2: (1, 2), 4: (0, 0), 6: (1, 3)}  # `repeat 0` runs no pass
    assert ("step", 5, None, ((4, 1),)) not in result.starts
    assert result.summary["cycles"] == R(1, 3)


def test_reference_cycles_end_at_pass_boundaries_sides_and_other_entries() -> None:
    alone = fig('routine "C"\n  repeat 4:\n    contract 1s\n')
    assert alone.summary["cycles"] == R(4, 4)
    together = fig('routine "C"\n  contract 1s\n  contract 1s\n  relax 1s\n')
    assert together.summary["cycles"] == R(1, 1)
    nested = fig('routine "C"\n  repeat 2:\n    repeat 2:\n      contract 1s\n')
    assert nested.summary["cycles"] == R(4, 4)
    # The last contraction of pass 1 of an inner repeat and the first of the next repeat
    # are consecutive with no boundary between them: one cycle.
    joined = fig('routine "C"\n  repeat 1:\n    contract 1s\n  repeat 1:\n    contract 1s\n')
    assert joined.summary["cycles"] == R(1, 1)
    into = fig('routine "C"\n  repeat 2:\n    contract 1s\n    repeat 1:\n      contract 1s\n')
    assert into.summary["cycles"] == R(2, 2)  # step then inner pass 1: no boundary


def test_reference_each_side_and_the_switch_side() -> None:
    text = ('routine "Each"\n  sides: each\n  switch 2-3s\n  limit total 4s\n'
            '  limit total 4s per side\n  limit total 3.5s a side\n  contract 1s\n')
    result = fig(text)
    assert result.summary["duration"] == R(4, 5)
    assert result.summary["cycles"] == R(2, 2)
    assert result.per_side["left"]["cycles"] == R(1, 1)
    assert result.starts[("switch", 3, "right", ())] == R(1, 1)
    assert result.starts[("step", 7, "right", ())] == R(3, 4)
    # Routine: 5 > 4. Per side: the right side has the switch (3 s) and the step (1 s).
    assert result.broken == {("L101", 4), ("L101", 6)}


def test_reference_each_side_chooses_its_own_passes() -> None:
    result = fig('routine "Each"\n  sides: each, right first\n  repeat 1-2:\n    hold 1s\n')
    assert result.runs == 4
    assert result.summary["duration"] == R(2, 4)
    assert result.optional(("step", 4, "left", ((3, 2),)))
    assert ("switch", 2, "left", ()) in result.starts  # no switch statement: the sides line


def test_reference_alternating_without_a_repeat_has_no_sides() -> None:
    result = fig('routine "Alt"\n  sides: alternating\n  hold 2s\n  contract 1s\n')
    assert set(result.per_side) == {None}
    assert result.summary["steps"] == R(2, 2)


def test_reference_tempo_cues_and_starts() -> None:
    text = ('routine "Tempo"\n  tempo: 1 count = 2s, 1 breath = 3s\n  rest 1-2s\n'
            '  hold 5s\n    cue at 2 counts "Now"\n    cue "Start"\n  hold-breath 1 breath\n')
    result = fig(text)
    hold = ("step", 4, None, ())
    assert result.starts[hold] == R(1, 2)
    assert result.cues[(hold, 5)] == R(5, 6)
    assert result.cues[(hold, 6)] == R(1, 2)
    assert result.summary["duration"] == R(9, 10)
    halves = fig('routine "Half"\n  tempo: 2 counts = 1s\n  hold 3 counts\n')
    assert halves.summary["duration"] == R(1.5, 1.5)


def test_reference_step_limits_effort_and_groups() -> None:
    text = ('routine "Limits"\n  limit effort 40%\n  limit contraction 2 counts\n'
            '  limit hold 10s\n  for pregnant clients:\n    limit breath-hold 2s\n'
            '    limit contractions 1\n  contract 2s at 20-50%\n  hold 10s at 40%\n'
            '  hold-breath 2-3s\n  contract 1s\n')
    # effort 50 > 40; contraction 2 s is not more than 2 counts; hold 10 s is not more
    # than 10 s; breath-hold 3 s > 2 s; two contractions > 1.
    assert fig(text).broken == {("L101", 2), ("L102", 6), ("L102", 7)}


def test_reference_contractions_per_routine_and_per_side() -> None:
    text = ('routine "Sides"\n  sides: each\n  limit contractions 1\n'
            '  limit contractions 1 per routine\n  limit cycles 2 per side\n  contract 1s\n')
    assert fig(text).broken == {("L101", 4)}


def test_reference_handler_duration_and_repeats() -> None:
    text = ('routine "Handler"\n  on pain "Stop":\n    rest 10-20s\n    release\n'
            '    repeat 2:\n      breathe 1 breath\n  hold 1s\n')
    result = fig(text)
    assert result.handlers == {2: R(20, 30)}
    assert result.passes == {5: (2, 2)}


def test_reference_on_the_seed_example() -> None:
    # `repeat up to 3` of two contractions in a row, on each side: 1 to 3 cycles a side.
    result = fig((ROOT / "examples" / "hip-and-hamstring.stretch").read_text(encoding="utf-8"),
                 ends_only=True)
    for side in ("left", "right"):
        assert result.per_side[side]["cycles"] == R(1, 3)
        assert result.per_side[side]["contractions"] == R(2, 6)
    assert result.summary["cycles"] == R(2, 6)
    assert result.broken == set()  # `limit cycles 3`, per side


def test_the_reference_refuses_what_has_no_runs() -> None:
    with pytest.raises(ValueError, match="parses cleanly"):
        reference.figures('routine "Bad"\n  repeat 2.5:\n    hold 1s\n')
