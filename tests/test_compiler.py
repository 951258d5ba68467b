"""The compiler: golden documents, determinism, and the timeline's times and passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, example_paths
from hypothesis import HealthCheck, given, settings
from regenerate_goldens import compiled_text, golden_pairs
from strategies import routine_sources

from dsl.lint.config import Config
from dsl.model.values import with_values
from dsl.pipeline import compile_file
from dsl.syntax.parser import parse, parse_file
from dsl.timeline.compiler import (
    RoutineTooLong,
    compile_routine,
    compiled_json,
    dumps,
    dumps_compiled,
)
from dsl.timeline.compiler import compiled_text as streamed_text
from dsl.timeline.document import Document, TimelineEntry
from dsl.timeline.expand import expand

GOOD = ROOT / "tests" / "fixtures" / "compile" / "good"


def document(path: Path) -> Document:
    parsed = parse_file(path)
    assert parsed.routine is not None and parsed.ok, parsed.diagnostics
    return compile_routine(parsed.routine, path=path.relative_to(ROOT).as_posix())


def entries(doc: Document, **match: object) -> list[TimelineEntry]:
    return [e for e in doc["timeline"] if all(e.get(k) == v for k, v in match.items())]


@pytest.mark.parametrize("source, golden", golden_pairs(), ids=lambda p: p.name)
def test_golden_document(source: Path, golden: Path) -> None:
    expected = golden.read_text(encoding="utf-8")
    assert compiled_text(source) == expected, (
        f"{golden} differs: if the change is deliberate (or the routine was reformatted), "
        "run `python tests/regenerate_goldens.py` and review the diff")
    # The text `stretch compile` writes, made in pieces without the whole document: the
    # same bytes, compared as they are (not read back and written again).
    parsed = parse_file(source)
    assert parsed.routine is not None
    streamed = streamed_text(parsed.routine, path=source.relative_to(ROOT).as_posix())
    assert streamed == expected


def test_the_seed_routine_has_a_golden_file() -> None:
    sources = [source.name for source, _ in golden_pairs()]
    assert "hip-and-hamstring.stretch" in sources


def test_same_input_same_bytes() -> None:
    path = ROOT / "examples" / "hip-and-hamstring.stretch"
    once, again = parse_file(path).routine, parse_file(path).routine
    assert once is not None and again is not None
    first = dumps(compile_routine(once, path="x.stretch"))
    second = dumps(compile_routine(again, path="x.stretch"))
    assert first == second
    assert first.endswith("}\n")


def test_dumps_prints_whole_numbers_as_integers_and_keeps_unicode() -> None:
    text = dumps({"a": 30.0, "b": [1.5, 2.0], "c": "café", "d": 0.1 + 0.2})
    assert json.loads(text) == {"a": 30, "b": [1.5, 2], "c": "café", "d": 0.3}
    assert '"a": 30,' in text and "café" in text and "2.0" not in text


def test_timeline_is_the_shared_expansion() -> None:
    for path in example_paths():
        routine = parse_file(path).routine
        assert routine is not None
        doc = compile_routine(routine)
        # A routine with parameters runs with their values (here the defaults) filled in.
        performed = expand(with_values(routine)).performed
        assert [e["kind"] for e in doc["timeline"]] == [p.kind for p in performed]
        assert [e["side"] for e in doc["timeline"]] == [p.side for p in performed]
        assert [e["optional"] for e in doc["timeline"]] == [p.optional for p in performed]
        assert [e["index"] for e in doc["timeline"]] == list(range(len(performed)))


def test_seed_routine_sides_switch_and_untimed_steps() -> None:
    doc = document(ROOT / "examples" / "hip-and-hamstring.stretch")
    switch = entries(doc, kind="switch")
    assert len(switch) == 1
    assert switch[0]["origin"] == "switch" and switch[0]["side"] == "right"
    assert switch[0]["waitForUser"] is True and switch[0]["duration"] is None
    assert switch[0]["text"] == "Change legs: bring the other leg in front"
    hold = entries(doc, kind="hold", side="left")[0]
    assert hold["waitForUser"] is True and hold["duration"] is None
    # The setup is untimed (0 s); the first pass is required, passes 2 and 3 optional.
    assert hold["start"] == {"min": 55, "max": 195}
    assert doc["repeats"][0]["mode"] == "upTo"
    assert doc["repeats"][0]["passes"] == {"min": 1, "max": 3}
    left = doc["summary"]["perSide"][0]
    assert left == {"side": "left", "timeUnderStretch": {"min": 15, "max": 75},
                    "contractions": {"min": 2, "max": 6}, "cycles": {"min": 1, "max": 3}}
    assert doc["summary"]["duration"] == {"min": 110, "max": 390}


def test_durations_in_counts_and_breaths_keep_the_original_unit() -> None:
    doc = document(GOOD / "breathing-cycles.stretch")
    contract = entries(doc, kind="contract")[0]
    assert contract["duration"] == {"min": 6, "max": 9,
                                    "original": {"min": 4, "max": 6, "unit": "count"}}
    assert contract["intensity"] == {"level": None, "effort": {"min": 20, "max": 40}}
    relax = entries(doc, kind="relax")[0]
    assert relax["duration"] is not None
    assert relax["duration"]["max"] == 4 and relax["duration"]["original"]["unit"] == "breath"
    assert doc["metadata"]["tempo"] == {"declared": True, "secondsPerCount": 1.5,
                                        "secondsPerBreath": 4}


def test_cue_times_are_resolved() -> None:
    doc = document(GOOD / "breathing-cycles.stretch")
    first, second = entries(doc, kind="contract")[:2]
    cue, partner = first["cues"]
    assert (cue["offset"], cue["at"]) == (3, {"value": 2, "unit": "count"})
    assert cue["time"] == {"min": 3, "max": 3}  # the setup before it is untimed: 0 s
    assert partner["forPartner"] is True and partner["offset"] == 3
    # Pass 2 starts after pass 1 (25-28 s) and the 10 s rest between passes.
    assert second["start"] == {"min": 35, "max": 38}
    assert second["cues"][0]["time"] == {"min": 38, "max": 41}


def test_cue_without_time_fires_at_the_step_start() -> None:
    doc = document(ROOT / "examples" / "hip-and-hamstring.stretch")
    contract = entries(doc, kind="contract")[0]
    assert contract["cues"][0]["offset"] == 0 and contract["cues"][0]["at"] is None
    assert contract["cues"][0]["time"] == contract["start"]


def test_start_times_skip_optional_passes_only_once_they_are_over() -> None:
    doc = document(GOOD / "alternating-nested.stretch")
    timeline = doc["timeline"]
    # Inside the optional second pass of the inner "up to 2": pass 1 had to happen.
    assert timeline[4]["passes"] == [{"repeat": "r1", "pass": 1}, {"repeat": "r2", "pass": 2}]
    assert timeline[4]["start"] == {"min": 20, "max": 30}
    # After the inner repeat: its optional pass may have been skipped.
    assert timeline[6]["start"] == {"min": 20, "max": 40}
    # The release after the 2-3 repeat: the third pass may be skipped.
    assert timeline[-1]["start"] == {"min": 80, "max": 240}
    assert doc["summary"]["duration"] == {"min": 80, "max": 240}


def test_alternating_switches_belong_to_the_pass() -> None:
    doc = document(GOOD / "alternating-nested.stretch")
    switches = entries(doc, kind="switch")
    assert [s["side"] for s in switches] == ["left", "right", "left", "right", "left"]
    assert [s["passes"][0]["pass"] for s in switches] == [1, 2, 2, 3, 3]
    assert all(s["waitForUser"] and s["span"]["line"] == 3 for s in switches)
    assert doc["repeats"][0]["alternatesSides"] is True


def test_standing_cues_reach_every_step() -> None:
    doc = document(GOOD / "breathing-cycles.stretch")
    blocks = {b["id"]: b for b in doc["standingCues"]}
    contract = entries(doc, kind="contract")[0]
    assert [blocks[i]["scope"] for i in contract["standingCues"]] == ["repeat"]
    assert blocks[contract["standingCues"][0]]["within"] == "r2"
    assert [c["text"] for c in blocks[contract["standingCues"][0]]["cues"]] == [
        "Shoulders down", "Chin level"]
    rest_between = entries(doc, origin="restBetween")[0]
    assert rest_between["standingCues"] == contract["standingCues"]
    assert rest_between["text"] == "Shake the arms out"
    assert entries(doc, kind="setup")[0]["standingCues"] == []
    seed = document(ROOT / "examples" / "hip-and-hamstring.stretch")
    assert all(e["standingCues"] == ["p1"] for e in seed["timeline"])


def test_safety_handlers_limits_groups_and_variants_travel() -> None:
    doc = document(GOOD / "breathing-cycles.stretch")
    (handler,) = doc["safetyHandlers"]
    assert handler["signal"] == "cramp" and handler["text"] == "Cramp?"
    assert [e["kind"] for e in handler["timeline"]] == ["breathe", "breathe", "hold"]
    assert handler["timeline"][1]["start"] == {"min": 8, "max": 8}
    assert handler["duration"] == {"min": 16, "max": 16}
    first_block = doc["standingCues"][0]
    assert (first_block["scope"], first_block["within"]) == ("repeat", "r1")
    assert handler["timeline"][0]["standingCues"] == [first_block["id"]]
    limits = {(x["subject"], x["group"]): x for x in doc["limits"]}
    assert limits[("contraction", None)]["seconds"] == 18
    assert limits[("breath-hold", "pregnant clients")]["value"] == 2
    assert limits[("effort", None)]["unit"] == "percent"
    assert doc["groups"] == [{"name": "pregnant clients", "notes": ["Skip the breath holds."],
                              "span": {"line": 16, "column": 3, "endLine": 18,
                                       "endColumn": 34}}]
    assert doc["variants"][0]["name"] == "easier"
    assert entries(doc, kind="contract")[0]["variants"][0]["name"] == "harder"


def test_time_bounded_repeat_table() -> None:
    doc = document(GOOD / "breathing-cycles.stretch")
    repeat = next(r for r in doc["repeats"] if r["mode"] == "for")
    assert repeat["timeBound"] is not None and repeat["restBetween"] is not None
    assert repeat["timeBound"]["min"] == 60 and repeat["timeBound"]["max"] == 120
    # One pass takes up to 28 s (6 counts of 1.5 s, 1 breath of 4 s, twice 2 + 3 counts),
    # a later one 10 s more for the rest: 1 pass fits in 1m at its longest, 3 in 2m.
    assert repeat["passes"] == {"min": 1, "max": 3}
    assert repeat["restBetween"]["duration"]["max"] == 10


def test_a_cycle_is_a_run_of_contractions_ended_by_anything_else() -> None:
    text = ('routine "r"\n  contract 5s\n  contract 5s\n  relax 5s\n  relax 5s\n'
            '  rest 5s\n  contract 5s\n  hold 5s\n  contract 5s\n')
    parsed = parse(text, "r.stretch")
    assert parsed.routine is not None
    assert compile_routine(parsed.routine)["summary"]["cycles"] == {"min": 3, "max": 3}


def test_routine_too_long_is_refused() -> None:
    text = 'routine "Endless"\n  sides: each\n  repeat 6000:\n    hold 1s\n'
    parsed = parse(text, "endless.stretch")
    assert parsed.routine is not None
    with pytest.raises(RoutineTooLong):
        compile_routine(parsed.routine)


def test_compile_file_reports_a_routine_too_long(tmp_path: Path) -> None:
    path = tmp_path / "endless.stretch"
    path.write_text('routine "Endless"\n  repeat 20000:\n    hold 1s\n', encoding="utf-8")
    # The checker's L103 says it first, as `stretch lint` would.
    result = compile_file(path, "endless.stretch")
    assert result.document is None
    assert [d.code for d in result.diagnostics] == ["L103"]
    # With L103 switched off in the configuration, the compiler still refuses.
    result = compile_file(path, "endless.stretch", config=Config(ignore=("L103",)))
    assert result.document is None
    (problem,) = [d for d in result.diagnostics if d.severity == "error"]
    assert problem.code == "C001"
    assert problem.message == ("the routine has more than 10,000 steps once repeats and sides "
                               "are expanded")
    assert (problem.span.line, problem.span.column) == (1, 1)
    assert problem.hint == "a player cannot run that many steps: lower the repeats' upper bounds"


def test_source_path_is_recorded_as_given() -> None:
    routine = parse('routine "r"\n  hold 1s\n').routine
    assert routine is not None
    assert compile_routine(routine, path="a/b.stretch")["source"] == {"path": "a/b.stretch"}
    assert compile_routine(routine)["source"] == {"path": None}


def test_dumps_writes_what_the_standard_library_would() -> None:
    # orjson is used for speed only: the bytes must be json.dumps(indent=2)'s.
    for path in example_paths():
        routine = parse_file(path).routine
        assert routine is not None
        document = compile_routine(routine, path=path.name)
        assert dumps(document) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- writing compiled documents: the fast path gives the same bytes -------------------------


def _compiled_documents() -> list[Path]:
    paths = example_paths()
    return paths + sorted(FIXTURES.rglob("*.stretch"))


def test_dumps_compiled_gives_the_bytes_dumps_gives_for_every_routine_in_the_project() -> None:
    compared = 0
    for path in _compiled_documents():
        parsed = parse_file(path)
        if parsed.routine is None or not parsed.ok:
            continue
        try:
            document = compile_routine(parsed.routine)
        except RoutineTooLong:
            continue
        text = dumps_compiled(document)
        assert text == dumps(document), path
        # What `stretch compile` writes, in pieces as the timeline is made: the same bytes.
        assert b"".join(compiled_json(parsed.routine)) == text.encode("utf-8"), path
        compared += 1
    assert compared >= 50


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(routine_sources())
def test_dumps_compiled_gives_the_bytes_dumps_gives_for_generated_routines(source: str) -> None:
    parsed = parse(source)
    if parsed.routine is None or not parsed.ok:
        return
    document = compile_routine(parsed.routine)
    text = dumps_compiled(document)
    assert text == dumps(document)
    assert b"".join(compiled_json(parsed.routine)) == text.encode("utf-8")


def test_the_pieces_stop_at_once_on_a_routine_too_long() -> None:
    parsed = parse('routine "Long"\n  repeat 20000:\n    hold 1s "Hold"\n')
    assert parsed.routine is not None
    with pytest.raises(RoutineTooLong):
        compiled_json(parsed.routine)  # raised by the call, before any piece is taken


def test_dumps_still_normalises_a_document_made_elsewhere() -> None:
    # dumps is for any document; only the compiler's own output may skip the walk.
    made = {"duration": 30.0, "nested": [{"at": 1.0}]}
    assert dumps(made) == ('{\n  "duration": 30,\n  "nested": [\n    {\n      "at": 1\n'
                           '    }\n  ]\n}\n')
    assert dumps_compiled(made) != dumps(made)  # type: ignore[arg-type]  # not a Document


def test_compile_file_reads_its_document_from_its_text_once() -> None:
    path = ROOT / "examples" / "hip-and-hamstring.stretch"
    result = compile_file(path, source_path="hip.stretch")
    routine = parse_file(path).routine
    assert routine is not None and result.text is not None
    assert result.document == compile_routine(routine, path="hip.stretch")
    assert result.document is result.document  # read once, then kept
    assert result.text == dumps(result.document)
    assert compile_file(ROOT / "tests" / "missing.stretch").document is None
