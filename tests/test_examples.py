"""Every example routine reads as its author meant: it parses cleanly, and what it
declares, how long it runs and what the linter says about it match
``tests/fixtures/examples/<example>.expected``.

The expected file is written from the compiled document's summary (durations in seconds,
each figure as ``min..max``) and the lint findings' codes and positions. After a
deliberate change to an example, regenerate them and read the diff::

    STRETCH_UPDATE_FIXTURES=1 python -m pytest tests/test_examples.py

(The compiled JSON of the seed example is a golden of its own: tests/regenerate_goldens.py.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, UPDATE, example_paths, plan_example_paths

from dsl.lint.checker import check
from dsl.syntax.parser import parse_file
from dsl.timeline.compiler import compile_routine
from dsl.timeline.contract import validation_errors
from dsl.timeline.document import CountRange, SecondsRange

EXPECTED = FIXTURES / "examples"


def _span(figure: CountRange | SecondsRange) -> str:
    return f"{figure['min']}..{figure['max']}"


def _described(path: Path) -> str:
    """What the example declares, how it runs, and what lint says, one fact a line."""
    parsed = parse_file(path.relative_to(ROOT))
    assert parsed.diagnostics == () and parsed.routine is not None
    document = compile_routine(parsed.routine)
    assert validation_errors(document) == []
    meta, summary = document["metadata"], document["summary"]
    targets = "; ".join(
        t["name"] + (f" ({', '.join(t['details'])})" if t["details"] else "")
        for t in meta["targets"])
    lines = [
        f"title: {meta['title']}",
        f"id: {meta['id']}",
        f"targets: {targets}",
        f"variants: {len(document['variants'])}",
        f"groups: {', '.join(g['name'] for g in document['groups']) or '-'}",
        f"safety handlers: {', '.join(h['signal'] for h in document['safetyHandlers']) or '-'}",
        f"limits: {', '.join(limit['subject'] for limit in document['limits']) or '-'}",
        f"duration (s): {_span(summary['duration'])}",
        f"steps: {_span(summary['steps'])} (untimed {_span(summary['untimedSteps'])})",
        f"contractions: {_span(summary['contractions'])}, cycles: {_span(summary['cycles'])}",
    ]
    if "reps" in summary:
        lines.append(f"repetitions: {_span(summary['reps'])}")
    for side in summary["perSide"]:
        lines.append(
            f"side {side['side'] or 'none'}: under stretch (s) "
            f"{_span(side['timeUnderStretch'])}, contractions {_span(side['contractions'])}, "
            f"cycles {_span(side['cycles'])}")
    for section in document.get("sections", []):
        figures = section["summary"]
        meta = section["metadata"]
        lines.append(
            f"exercise {section['index'] + 1}: {section['title']} ({section['libraryId']}), "
            f"sides {meta['sides']['mode']}, position {meta['position']}, "
            f"starts at (s) {_span(section['start'])}, duration (s) "
            f"{_span(figures['duration'])}, steps {_span(figures['steps'])}, "
            f"cycles {_span(figures['cycles'])}")
    for run in document.get("variantTimelines", []):
        figures = run["summary"]
        scope = f" (exercise {run['section']})" if run["section"] else ""
        lines.append(
            f"variant {run['variant']}{scope}: duration (s) {_span(figures['duration'])}, "
            f"steps {_span(figures['steps'])}, contractions {_span(figures['contractions'])}")
    found = check(parsed)
    lines += [f"lint: {d.severity} {d.code} at {d.span.line}:{d.span.column}" for d in found]
    if not found:
        lines.append("lint: nothing to report")
    return "\n".join(lines) + "\n"


def _described_plan(path: Path) -> str:
    """A session's or programme's parts, figures and findings, one fact a line."""
    from dsl import compile_file
    from dsl.timeline.contract import plan_validation_errors

    compiled = compile_file(path.relative_to(ROOT))
    assert compiled.errors == [] and compiled.text is not None
    document: dict[str, Any] = json.loads(compiled.text)
    assert plan_validation_errors(document) == []
    meta = document["metadata"]
    lines = [f"{document['kind']}: {meta['title']}", f"id: {meta['id']}"]
    if document["kind"] == "session":
        for part in document["parts"]:
            what = (f"{part['path']} {part['variants']} {part['values']}"
                    if part["kind"] == "routine" else f"{part['step']['kind']}")
            lines.append(f"part {part['index']}: {what}, starts (s) {_span(part['start'])}")
        summary = document["summary"]
        lines.append(f"duration (s): {_span(summary['duration'])}, contractions "
                     f"{_span(summary['contractions'])}")
    else:
        lines.append(f"weeks: {document['weeks']}, start {document['start']}, "
                     f"start stage {document['startStage']}")
        for progression in document["progressions"]:
            lines.append(f"progress {progression['parameter']}: {progression['values']}")
        for line in document["schedule"]:
            weeks = [w["session"] for w in line["weeks"]]
            lines.append(f"schedule {line['index']}: {line['path']} {line['days']} "
                         f"{line['times']} {line['moment']} stage {line['stage']}, "
                         f"sessions by week {weeks}")
        for session in document["sessions"]:
            lines.append(f"session {session['metadata']['title']}: duration (s) "
                         f"{_span(session['summary']['duration'])}")
    found = compiled.diagnostics
    lines += [f"lint: {d.severity} {d.code} at {d.span.line}:{d.span.column}" for d in found]
    if not found:
        lines.append("lint: nothing to report")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", plan_example_paths(), ids=lambda p: p.stem)
def test_plan_example_reads_as_its_expected_summary(path: Path) -> None:
    actual = _described_plan(path)
    expected = EXPECTED / f"{path.stem}.expected"
    if UPDATE:
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


def test_there_are_at_least_five_examples() -> None:
    assert len(example_paths()) >= 5


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_example_reads_as_its_expected_summary(path: Path) -> None:
    actual = _described(path)
    expected = EXPECTED / f"{path.stem}.expected"
    if UPDATE:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


def test_every_expected_summary_has_its_example() -> None:
    assert sorted(p.stem for p in EXPECTED.glob("*.expected")) == sorted(
        p.stem for p in (*example_paths(), *plan_example_paths()))
