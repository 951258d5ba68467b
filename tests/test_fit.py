"""`stretch export fit`: routines and sessions as FIT workouts, read back with Garmin's own
FIT SDK decoder.

Every example routine and session is exported at each choice of the shared flags
(``--passes fewest|most`` × ``--ranges low|high``, with and without ``--flat``); the
decoder must take the file as FIT, find its CRCs right and report no error; its repeat
steps are then expanded as a watch plays them and compared, entry by entry (name, notes,
seconds), with the compiled run the flags choose.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest
from conftest import EXAMPLES, FIXTURES, example_paths, plan_example_paths
from garmin_fit_sdk import Decoder, Stream
from typer.testing import CliRunner

from dsl import compile_file
from dsl.cli import app
from dsl.exports.fit import (
    FIXED_CREATED,
    NAME_LENGTH,
    TEXT_BYTES,
    ExportError,
    cut,
    fit_bytes,
    short,
    step_name,
)
from dsl.timeline.runs import Passes, Ranges, RunChoice, chosen_run

GOLDEN = FIXTURES / "fit"
RUNNER = CliRunner()
CHOICES: list[tuple[Passes, Ranges, bool]] = list(
    itertools.product(("fewest", "most"), ("low", "high"), (False, True)))


@cache
def compiled(path: Path) -> str:
    result = compile_file(path)
    assert result.text is not None, result.errors
    return result.text


def document(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(compiled(path))
    return loaded


def workout_examples() -> list[Path]:
    """Every example a workout is made from: the routines and the sessions."""
    sessions = [p for p in plan_example_paths()
                if p.read_text(encoding="utf-8").lstrip("# \n").startswith("session")
                or "\nsession " in p.read_text(encoding="utf-8")]
    return example_paths() + sessions


def decoded(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """The file's messages as Garmin's decoder reads them, after its checks."""
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return cast("dict[str, list[dict[str, Any]]]", messages)


def played(steps: list[dict[str, Any]]) -> list[tuple[str, str, float | None]]:
    """The workout steps as a watch plays them: (name, notes, seconds or None for open).

    A repeat step repeats the steps from its ``duration_step`` to itself, those steps
    holding any repeat inside them; a repeat-until-time one plays its passes while less
    than ``repeat_time`` has passed since its first pass began."""
    assert [s["message_index"] for s in steps] == list(range(len(steps)))
    nodes: list[tuple[int, Any]] = []  # (index of its first step, node)
    for step in steps:
        kind = step["duration_type"]
        if kind.startswith("repeat_until"):
            first = step["duration_step"]
            assert 0 <= first < step["message_index"]
            body = [node for start, node in nodes if start >= first]
            nodes = [(start, node) for start, node in nodes if start < first]
            nodes.append((first, (kind, body, step)))
        else:
            assert kind in ("time", "open")
            seconds = step["duration_time"] if kind == "time" else None
            nodes.append((step["message_index"],
                          (step["wkt_step_name"], step.get("notes", ""), seconds)))
    return _expand([node for _, node in nodes])


def _expand(nodes: list[Any]) -> list[tuple[str, str, float | None]]:
    out: list[tuple[str, str, float | None]] = []
    for node in nodes:
        if not isinstance(node[1], list):
            out.append(node)
            continue
        kind, body, step = node
        if kind == "repeat_until_steps_cmplt":
            out += _expand(body) * step["repeat_steps"]
            continue
        assert kind == "repeat_until_time"
        one = _expand(body)
        assert all(seconds is not None for _, _, seconds in one)
        elapsed, passes = 0.0, 0
        while elapsed < step["repeat_time"] - 1e-9:
            out += one
            elapsed += sum(seconds or 0.0 for _, _, seconds in one)
            passes += 1
            assert passes < 10_000
    return out


def chosen(document: dict[str, Any], ranges: Ranges, passes: Passes
           ) -> list[tuple[str, str, float | None]]:
    """The compiled run the flags choose: (name, notes, seconds or None for untimed)."""
    return [(step_name(p.entry["speech"], p.entry["sideLabel"]), cut(p.entry["speech"]),
             None if p.untimed else p.length)
            for p in chosen_run(document, RunChoice(ranges, passes))]


def repeat_steps(data: bytes) -> list[dict[str, Any]]:
    return [s for s in decoded(data)["workout_step_mesgs"]
            if s["duration_type"].startswith("repeat")]


@pytest.mark.parametrize("path", workout_examples(), ids=lambda p: p.stem)
def test_every_example_decodes_and_plays_its_chosen_run(path: Path) -> None:
    for passes, ranges, flat in CHOICES:
        data = fit_bytes(document(path), ranges=ranges, passes=passes, flat=flat)
        messages = decoded(data)
        steps = messages["workout_step_mesgs"]
        expected = chosen(document(path), ranges, passes)
        assert played(steps) == expected, (passes, ranges, flat)
        [workout] = messages["workout_mesgs"]
        assert workout["num_valid_steps"] == len(steps)
        if flat:
            assert not any(s["duration_type"].startswith("repeat") for s in steps)


def test_the_workout_and_file_id_messages() -> None:
    path = EXAMPLES / "hip-flexor-lunge.stretch"
    messages = decoded(fit_bytes(document(path)))
    [file_id] = messages["file_id_mesgs"]
    assert file_id["type"] == "workout"
    assert file_id["time_created"] == FIXED_CREATED
    [workout] = messages["workout_mesgs"]
    assert workout["wkt_name"] == "Kneeling Hip Flexor Stretch"
    assert (workout["sport"], workout["sub_sport"]) == ("training", "flexibility_training")
    assert workout["num_valid_steps"] == len(messages["workout_step_mesgs"])
    assert workout["wkt_description"] == cut(document(path)["announcements"]["opening"])
    assert workout["wkt_description"].startswith(
        "Kneeling Hip Flexor Stretch. If you feel pain: Pinching in the front of the hip.")
    assert len(workout["wkt_description"].encode("utf-8")) <= TEXT_BYTES


def test_a_fixed_count_is_a_repeat_step_and_flat_writes_it_out() -> None:
    path = EXAMPLES / "partner-hamstring-pnf.stretch"  # `repeat 3`, on each side
    repeats = repeat_steps(fit_bytes(document(path)))
    assert [(r["duration_type"], r["repeat_steps"]) for r in repeats] == [
        ("repeat_until_steps_cmplt", 3)] * 2
    assert repeat_steps(fit_bytes(document(path), flat=True)) == []


def test_a_time_box_repeats_until_the_time_its_chosen_passes_take() -> None:
    # box-breathing: `repeat for 2-3m` around four 4-count breaths (16 s a pass): 11
    # passes fit in 3 minutes, 7 in 2.
    path = EXAMPLES / "box-breathing.stretch"
    [most] = repeat_steps(fit_bytes(document(path)))
    assert (most["duration_type"], most["repeat_time"]) == ("repeat_until_time", 176.0)
    [fewest] = repeat_steps(fit_bytes(document(path), passes="fewest"))
    assert fewest["repeat_time"] == 112.0


def test_rests_between_and_alternating_sides_are_written_out() -> None:
    # calf-wall-stretch: `sides: alternating` and a rest between passes.
    path = EXAMPLES / "calf-wall-stretch.stretch"
    data = fit_bytes(document(path))
    assert repeat_steps(data) == []
    names = [name for name, _, _ in played(decoded(data)["workout_step_mesgs"])]
    assert names.count("Rest for 15 seconds.") == 3  # between the 4 passes, not after the last


def test_nested_repeats_nest(tmp_path: Path) -> None:
    path = tmp_path / "nested.stretch"
    path.write_text('routine "Nested"\n'
                    "  repeat 3:\n"
                    '    contract 10s "Squeeze"\n'
                    "    repeat 2:\n"
                    "      inhale 4 counts\n"
                    "      exhale 6 counts\n"
                    '  release "Let go"\n', encoding="utf-8")
    data = fit_bytes(document(path))
    steps = decoded(data)["workout_step_mesgs"]
    kinds = [(s["duration_type"], s.get("duration_step"), s.get("repeat_steps"))
             for s in steps]
    assert kinds == [("time", None, None), ("time", None, None), ("time", None, None),
                     ("repeat_until_steps_cmplt", 1, 2),
                     ("repeat_until_steps_cmplt", 0, 3), ("open", None, None)]
    assert [seconds for _, _, seconds in played(steps)] == [10.0, 4.0, 6.0, 4.0, 6.0] * 3 + [
        None]


def test_a_session_plays_its_parts_in_order() -> None:
    session = document(EXAMPLES / "morning-legs.stretch")
    data = fit_bytes(session)
    # Each part on its own: a routine part's routine, a step part's one entry.
    expected = []
    for part in session["parts"]:
        if part["kind"] == "routine":
            expected += chosen(part["routine"], "high", "most")
        else:
            [own] = [e for e in session["timeline"] if e["part"] == part["index"]]
            speech = own["speech"]
            seconds = None if own["duration"] is None else own["duration"]["max"]
            expected.append((step_name(speech, None), cut(speech), seconds))
    assert len({p["kind"] for p in session["parts"]}) == 2
    assert played(decoded(data)["workout_step_mesgs"]) == expected


def test_both_sides_are_written_out_and_named() -> None:
    path = EXAMPLES / "hip-flexor-lunge.stretch"  # sides: each, left first
    steps = played(decoded(fit_bytes(document(path)))["workout_step_mesgs"])
    names = [name for name, _, _ in steps]
    switch = names.index("Right: Take 5 seconds to change…")
    assert names[:switch] and all(n.startswith("Left: ") for n in names[:switch])
    assert all(n.startswith("Right: ") for n in names[switch:])
    assert len(names) == 2 * switch + 1
    # The words whole in the notes, the side said first as the voice says it.
    assert steps[0][1] == ("Left side. Get into position. Kneel on the cushion with one "
                           "foot forward. Go on when you are ready.")
    assert names[0] == "Left: Get into position. Kneel…"
    assert steps[0][2] is None  # untimed: open, until the lap button
    # `relax 2 breaths`: seconds through the tempo (5 s a breath by default).
    relax = next(step for step in steps if step[0].startswith("Left: Relax for 2 breaths"))
    assert relax[2] == 10.0


def test_names_are_cut_at_a_word_and_notes_keep_the_words() -> None:
    assert step_name("Rest for 15 seconds.", None) == "Rest for 15 seconds."
    assert step_name("Left side. Hold for 30 seconds.", "Left side") == (
        "Left: Hold for 30 seconds.")
    assert step_name("Hold to mild tension for 30 seconds.", "Right side") == (
        "Right: Hold to mild tension for…")
    assert short("Hold the stretch") == "Hold the stretch"
    assert short("Hold: bend the front knee and lean in") == "Hold: bend the front knee and…"
    assert len(short("x" * 100)) == NAME_LENGTH and short("x" * 100).endswith("…")
    words = "Lean in until the back calf stretches. " * 10
    assert cut(words) == " ".join(words.split())[:len(cut(words)) - 1].rstrip(" .") + "…"
    assert len(cut("é" * 300).encode("utf-8")) <= TEXT_BYTES
    assert cut("  Keep   the knee  soft ") == "Keep the knee soft"


def test_long_words_in_any_script_are_cut_within_what_fit_holds(tmp_path: Path) -> None:
    path = tmp_path / "long.stretch"
    words = "Étirez doucement le mollet, genou souple, talon au sol " * 8
    path.write_text(f'routine "Étirement"\n  hold 30s "{words.strip()}"\n', encoding="utf-8")
    [(name, notes, seconds)] = played(decoded(fit_bytes(document(path)))["workout_step_mesgs"])
    speech = document(path)["timeline"][0]["speech"]
    assert len(speech.encode("utf-8")) > TEXT_BYTES
    assert (name, notes, seconds) == (short(speech), cut(speech), 30.0)
    assert notes.endswith("…") and speech.startswith(notes[:-1])
    assert len(notes.encode("utf-8")) <= TEXT_BYTES


def test_the_same_routine_gives_the_same_bytes_and_the_golden_file() -> None:
    path = EXAMPLES / "hip-flexor-lunge.stretch"
    data = fit_bytes(document(path), stamp=FIXED_CREATED)
    assert data == fit_bytes(json.loads(compiled(path)), stamp=FIXED_CREATED)
    golden = GOLDEN / "hip-flexor-lunge.fit"
    assert data == golden.read_bytes(), (
        "run `python tests/regenerate_goldens.py` and review the decoded difference")


def test_source_date_epoch_sets_the_creation_time(monkeypatch: pytest.MonkeyPatch) -> None:
    path = EXAMPLES / "leg-warm-up.stretch"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    [file_id] = decoded(fit_bytes(document(path)))["file_id_mesgs"]
    assert file_id["time_created"] == dt.datetime.fromtimestamp(1800000000, tz=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")  # set to nothing: as if unset
    [file_id] = decoded(fit_bytes(document(path)))["file_id_mesgs"]
    assert file_id["time_created"] == FIXED_CREATED


@pytest.mark.parametrize(("epoch", "message"), [
    ("yesterday", "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 "
                  "UTC, not `yesterday`"),
    ("-5", "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, "
           "not `-5`"),
    ("1.5", "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, "
            "not `1.5`"),
    ("0", "SOURCE_DATE_EPOCH 0 is outside the times a FIT file can hold (1998-07-03 to "
          "2126-02-06)"),
    ("99999999999", "SOURCE_DATE_EPOCH 99999999999 is outside the times a FIT file can "
                    "hold (1998-07-03 to 2126-02-06)"),
])
def test_a_source_date_epoch_a_fit_file_cannot_hold_is_an_error(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, epoch: str, message: str) -> None:
    path = EXAMPLES / "leg-warm-up.stretch"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(ExportError) as raised:
        fit_bytes(document(path))
    assert str(raised.value) == message
    result = _export(str(path), "-o", str(tmp_path / "w.fit"))
    assert (result.exit_code, result.stderr) == (2, f"stretch: error: {message}\n")
    assert not (tmp_path / "w.fit").exists()


def _export(*arguments: str) -> Any:
    return RUNNER.invoke(app, ["export", "fit", *arguments])


def test_the_command_writes_the_file_the_function_makes(tmp_path: Path) -> None:
    path = EXAMPLES / "calf-wall-stretch.stretch"
    out = tmp_path / "workout.fit"
    result = _export(str(path), "-o", str(out), "--ranges", "low", "--passes", "fewest")
    assert (result.exit_code, result.stderr) == (0, f"wrote {out}\n")
    assert out.read_bytes() == fit_bytes(document(path), ranges="low", passes="fewest")
    result = _export(str(path), "-o", "-", "--flat")
    assert result.exit_code == 0
    assert result.stdout_bytes == fit_bytes(document(path), flat=True)


def test_set_and_variant_change_the_workout(tmp_path: Path) -> None:
    path = EXAMPLES / "towel-hamstring-three-ways.stretch"
    plain, other = tmp_path / "plain.fit", tmp_path / "other.fit"
    assert _export(str(path), "-o", str(plain)).exit_code == 0
    result = _export(str(path), "-o", str(other), "--set", "hold=45s", "--variant", "harder")
    assert result.exit_code == 0, result.stderr
    expected = compile_file(path, settings=("hold=45s",), variants=("harder",))
    assert expected.text is not None
    assert other.read_bytes() == fit_bytes(json.loads(expected.text))
    assert other.read_bytes() != plain.read_bytes()


def test_without_fit_tool_the_message_says_how_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "fit_tool"] + ["fit_tool"]:
        monkeypatch.setitem(sys.modules, name, None)  # `from fit_tool... import` fails
    message = "writing FIT needs the `fit-tool` package: pip install 'stretch-dsl[fit]'"
    path = EXAMPLES / "leg-warm-up.stretch"
    with pytest.raises(ExportError) as raised:
        fit_bytes(document(path))
    assert str(raised.value) == message
    result = _export(str(path), "-o", str(tmp_path / "w.fit"))
    assert (result.exit_code, result.stderr) == (2, f"stretch: error: {message}\n")


def test_usage_errors(tmp_path: Path) -> None:
    routine = tmp_path / "calf.stretch"
    routine.write_bytes((EXAMPLES / "leg-warm-up.stretch").read_bytes())
    programme = EXAMPLES / "six-weeks-looser-legs.stretch"
    cases = {
        (str(routine), "-o", str(tmp_path / "other.stretch")):
            f"-o {tmp_path / 'other.stretch'}: a workout is not written to a .stretch file "
            "(write it to a .fit file, such as workout.fit)",
        (str(routine), "-o", str(routine)):
            f"-o {routine}: a workout is not written to a .stretch file (write it to a .fit "
            "file, such as workout.fit)",
        (str(programme), "-o", str(tmp_path / "w.fit")):
            f"{programme} is a programme: a workout is made from a routine or a session "
            "(export one of the sessions its `do` lines name)",
        (str(tmp_path), "-o", str(tmp_path / "w.fit")):
            f"{tmp_path} is a folder: give the routine's or the session's .stretch file",
        (str(tmp_path / "missing.stretch"), "-o", str(tmp_path / "w.fit")):
            f"no such file: {tmp_path / 'missing.stretch'}",
        (str(routine), "-o", str(tmp_path / "w.fit"), "--ranges", "middle"):
            "--ranges takes `high` or `low`, not `middle`",
        (str(routine), "-o", str(tmp_path / "w.fit"), "--passes", "some"):
            "--passes takes `most` or `fewest`, not `some`",
    }
    (tmp_path / "folder").mkdir()
    cases[(str(routine), "-o", str(tmp_path / "folder"))] = (
        f"cannot write {tmp_path / 'folder'}: a folder, not a regular file; nothing was "
        "written")
    for arguments, message in cases.items():
        result = _export(*arguments)
        assert (result.exit_code, result.stderr) == (2, f"stretch: error: {message}\n")
    assert not (tmp_path / "w.fit").exists()
    assert routine.read_bytes() == (EXAMPLES / "leg-warm-up.stretch").read_bytes()
    result = _export(str(routine))
    assert result.exit_code == 2 and "Missing option '--output' / '-o'." in result.stderr


def test_a_run_with_no_steps_is_refused() -> None:
    with pytest.raises(ExportError) as raised:
        fit_bytes({"metadata": {"title": "Nothing", "sides": {"mode": "none", "first": None}},
                   "timeline": [], "repeats": []})
    assert str(raised.value) == "the run has no steps: there is nothing for a watch to play"


def test_the_output_may_not_be_the_file_itself(tmp_path: Path) -> None:
    # A routine read from a file with another suffix: -o naming it would replace it.
    routine = tmp_path / "calf.txt"
    routine.write_bytes((EXAMPLES / "leg-warm-up.stretch").read_bytes())
    result = _export(str(routine), "-o", str(routine))
    message = (f"-o {routine} is the file exported itself: write the workout to another "
               "file, such as workout.fit")
    assert (result.exit_code, result.stderr) == (2, f"stretch: error: {message}\n")
    assert routine.read_bytes() == (EXAMPLES / "leg-warm-up.stretch").read_bytes()


def test_a_routine_with_errors_is_not_exported(tmp_path: Path) -> None:
    routine = tmp_path / "bad.stretch"
    routine.write_text('routine "Bad"\n  hold 30 parsecs\n', encoding="utf-8")
    result = _export(str(routine), "-o", str(tmp_path / "w.fit"))
    assert result.exit_code == 1
    assert result.stderr.endswith(f"not exported: {routine} has errors\n")
    assert f"{routine}:2:" in result.stderr
    assert not (tmp_path / "w.fit").exists()
