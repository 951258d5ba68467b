"""Sessions: their figures are exact, checked against every run of their routines; their
limits fire exactly when some run of the whole session breaks them; and they compile,
validate and play.

A session's run is one run of each of its routines, in order, with its own rests between
(docs/json.md, "Sessions"). ``tests/reference.py`` enumerates every run of each routine;
here every combination of them is enumerated (the product), which is deliberately the
simplest thing that can be right, and compared with the compiled summary and with the
checker's L107 findings.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timing_strategies import MAX_RUNS, timed_routines

from dsl import compile_file
from dsl.lint.checker import check_file
from dsl.player import load_document
from dsl.player.scripted import run as play
from dsl.timeline.contract import plan_validation_errors

SETTINGS = settings(max_examples=40, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
MAX_COMBINATIONS = 20_000
REST = 7


def _with_id(text: str, name: str) -> str:
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("routine"))
    return "\n".join([*lines[:head + 1], f"  id: {name}", *lines[head + 1:]]) + "\n"


def _figures(run: reference.Run) -> tuple[Fraction, dict[str | None, int]]:
    """A run's time and its contractions by side."""
    total = sum((run.seconds(e) or Fraction(0) for e in run.entries), Fraction(0))
    by_side: dict[str | None, int] = {}
    for entry in run.entries:
        if entry.kind == "contract":
            by_side[entry.side] = by_side.get(entry.side, 0) + 1
    return total, by_side


def _write_session(folder: Path, texts: list[str], limit: str = "") -> Path:
    names = [f"r{i}" for i in range(len(texts))]
    for name, text in zip(names, texts, strict=True):
        (folder / f"{name}.stretch").write_text(_with_id(text, name), encoding="utf-8")
    lines = ['session "Several"', *([f"  {limit}"] if limit else [])]
    for index, name in enumerate(names):
        if index:
            lines.append(f"  rest {REST}s")
        lines.append(f"  do {name}")
    session = folder / "session.stretch"
    session.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return session


@st.composite
def _sessions(draw: st.DrawFn) -> list[str]:
    texts = draw(st.lists(timed_routines(), min_size=2, max_size=3))
    from hypothesis import assume

    from dsl.lint.checker import check
    from dsl.syntax.parser import parse

    # A routine with errors of its own is never compiled into a session.
    assume(all(not [d for d in check(parse(t)) if d.severity == "error"] for t in texts))
    product = 1
    for text in texts:
        product *= reference.count_runs(text, cap=MAX_RUNS)
    assume(product <= MAX_COMBINATIONS)
    return texts


@SETTINGS
@given(texts=_sessions())
def test_a_sessions_figures_are_those_of_every_run_of_its_routines(
        texts: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("session")
    session = _write_session(folder, texts)
    per_routine = [[_figures(r) for r in reference.runs(text)] for text in texts]
    rests = REST * (len(texts) - 1)
    totals = []
    sides: dict[str | None, list[int]] = {}
    for combination in itertools.product(*per_routine):
        totals.append(sum(t for t, _ in combination) + rests)
        for side in {s for _, by_side in combination for s in by_side} | {None}:
            sides.setdefault(side, []).append(
                sum(by_side.get(side, 0) for _, by_side in combination))
    compiled = compile_file(session)
    assert compiled.errors == [], [d.message for d in compiled.errors]
    document: dict[str, Any] = json.loads(compiled.text or "null")
    summary = document["summary"]
    assert abs(float(summary["duration"]["min"]) - float(min(totals))) < 0.001
    assert abs(float(summary["duration"]["max"]) - float(max(totals))) < 0.001
    listed = {entry["side"]: entry["contractions"] for entry in summary["perSide"]}
    for side, counts in sides.items():
        found = listed.get(side, {"min": 0, "max": 0})
        assert (found["min"], found["max"]) == (min(counts), max(counts)), side
    assert plan_validation_errors(document) == []


@SETTINGS
@given(texts=_sessions(), slack=st.integers(-2, 1))
def test_a_session_limit_fires_exactly_when_some_run_breaks_it(
        texts: list[str], slack: int, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("limit")
    per_routine = [[_figures(r) for r in reference.runs(text)] for text in texts]
    most = 0
    for combination in itertools.product(*per_routine):
        unsided = sum(by_side.get(None, 0) for _, by_side in combination)
        for side in ("left", "right"):
            most = max(most, unsided + sum(b.get(side, 0) for _, b in combination))
        most = max(most, unsided)
    limit = max(most + slack, 0)
    session = _write_session(folder, texts, f"limit contractions {limit}")
    fired = [d for d in check_file(session) if d.code == "L107"]
    assert bool(fired) == (most > limit), (most, limit, [d.message for d in fired])


# --- by hand ---------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_example_session_compiles_validates_and_plays() -> None:
    compiled = compile_file(EXAMPLES / "morning-legs.stretch")
    assert compiled.errors == []
    document: dict[str, Any] = json.loads(compiled.text or "null")
    assert plan_validation_errors(document) == []
    kinds = [(p["kind"], p.get("path")) for p in document["parts"]]
    assert kinds == [("routine", "leg-warm-up.stretch"), ("step", None),
                     ("routine", "calf-wall-stretch.stretch"), ("step", None),
                     ("routine", "towel-hamstring-three-ways.stretch"), ("step", None),
                     ("routine", "hip-flexor-lunge.stretch"),
                     ("routine", "box-breathing.stretch")]
    towel = document["parts"][4]
    assert towel["values"] == {"hold": 30, "rounds": 2}
    assert document["parts"][6]["variants"] == ["easier"]
    # The flat timeline: each part's entries, in order, started where the part starts.
    for entry in document["timeline"]:
        part = document["parts"][entry["part"]]
        if part["kind"] == "routine":
            own = part["routine"]["timeline"]
            first = next(e for e in document["timeline"] if e["part"] == entry["part"])
            inner = own[entry["index"] - first["index"]]
            assert entry["start"]["max"] == pytest.approx(
                inner["start"]["max"] + part["start"]["max"], abs=0.001)
            assert entry["text"] == inner["text"]
    events = [e.line() for e in play(load_document(EXAMPLES / "morning-legs.stretch"), [])]
    assert events[0].startswith('t=0.0 start title="Morning Legs"')
    assert sum(1 for e in events if " exercise " in e) == 5
    assert events[-1].endswith("end reason=done")


def test_the_example_programmes_compile_week_by_week() -> None:
    compiled = compile_file(EXAMPLES / "six-weeks-looser-legs.stretch")
    assert compiled.errors == []
    document: dict[str, Any] = json.loads(compiled.text or "null")
    assert plan_validation_errors(document) == []
    assert document["weeks"] == 6 and document["start"] == "2027-01-04"
    hold = next(p for p in document["progressions"] if p["parameter"] == "hold")
    assert hold["values"] == [20, 25, 25, 30, 30, 35]
    rounds = next(p for p in document["progressions"] if p["parameter"] == "rounds")
    assert rounds["values"] == [1, 1, 2, 2, 2, 2]
    morning = document["schedule"][0]
    assert morning["days"] == ["mon", "wed", "fri"] and morning["times"] == ["07:30"]
    assert [w["values"] for w in morning["weeks"]][:3] == [
        {"hold": 20, "rounds": 1}, {"hold": 25, "rounds": 1}, {"hold": 25, "rounds": 2}]
    sessions = [w["session"] for w in morning["weeks"]]
    assert sessions == [0, 1, 2, 3, 3, 4]
    towel = next(p for p in document["sessions"][4]["parts"]
                 if p.get("path") == "towel-hamstring-three-ways.stretch")
    assert towel["values"] == {"hold": 35, "rounds": 2}
    stages: dict[str, Any] = json.loads(
        compile_file(EXAMPLES / "hamstring-rehab-stages.stretch").text or "null")
    assert plan_validation_errors(stages) == []
    assert stages["startStage"] == "gentle"
    gentle = stages["stages"][0]
    assert gentle["moveUp"] == [{"afterSessions": 3, "conditions": [
        {"answer": "pain", "atMost": 2}, {"answer": "effort", "atMost": 5},
        {"answer": "settled", "withinHours": 24, "expected": True}]}]
    assert stages["stages"][1]["stepBack"][1] == {"afterSessions": 1, "conditions": [
        {"answer": "settled", "withinHours": 48, "expected": False}]}
    assert [line["stage"] for line in stages["schedule"]] == ["gentle", "stronger",
                                                              "maintain"]


def test_a_compiled_session_plays_from_its_json(tmp_path: Path) -> None:
    compiled = compile_file(EXAMPLES / "morning-legs.stretch")
    path = tmp_path / "morning.json"
    path.write_text(compiled.text or "", encoding="utf-8")
    again = load_document(path)
    assert len(again["timeline"]) == len(json.loads(compiled.text or "null")["timeline"])
    programme = tmp_path / "plan.json"
    programme.write_text(compile_file(EXAMPLES / "six-weeks-looser-legs.stretch").text or "",
                         encoding="utf-8")
    from dsl.player import DocumentError

    with pytest.raises(DocumentError, match="is a programme: play one of its sessions"):
        load_document(programme)
    document = json.loads(compiled.text or "{}")
    document["schemaVersion"] = "2.0.0"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DocumentError, match=r"session schema version 2\.0\.0 is not supported"):
        load_document(path)
