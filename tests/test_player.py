"""The reference player: the conformance suite, the scripted and live modes, bad input."""

from __future__ import annotations

import copy
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from dsl.cli import app
from dsl.player import load_document, switched
from dsl.player.engine import Engine
from dsl.player.live import View, screen
from dsl.player.scripted import Input, ScriptError, parse_inputs, run
from dsl.timeline.document import Document

CONFORMANCE = ROOT / "tests" / "conformance"
CASES = sorted(p for p in CONFORMANCE.iterdir() if (p / "expected.log").is_file())
SEED = ROOT / "examples" / "hip-and-hamstring.stretch"


VOICE = ("say", "sound")
"""The events a voice gives (contract 2.2.0): the conformance logs check them; the tests
here that are about steps, cues and inputs leave them out with ``voice=False``."""


def trace(document: Document, inputs: str = "", *, voice: bool = False,
          **options: Any) -> list[str]:
    return [event.line() for event in run(document, parse_inputs(inputs), **options)
            if voice or event.name not in VOICE]


def doc(path: Path) -> Document:
    return load_document(path)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_conformance(case: Path) -> None:
    """What every player must produce for the suite's documents and inputs."""
    document = json.loads((case / "routine.json").read_text(encoding="utf-8"))
    if document.get("kind") == "session":  # each entry's ids are its part's (docs/json.md)
        from dsl.player.sessions import playable

        document = playable(document)
    variant = case / "variant.txt"
    if variant.is_file():  # played as that variant (docs/json.md, "Variants...")
        document = switched(document, (variant.read_text("utf-8").strip(),), variant)
    inputs = parse_inputs((case / "inputs.txt").read_text(encoding="utf-8"), "inputs.txt")
    produced = "".join(event.line() + "\n" for event in run(document, inputs))
    assert produced == (case / "expected.log").read_text(encoding="utf-8")


def test_conformance_suite_covers_the_rules() -> None:
    logs = "".join((case / "expected.log").read_text(encoding="utf-8") for case in CASES)
    for needed in (" cue ", " ready ", " ignored ", " pause", " resume", " handler-step ",
                   " prompt", " continue ", "reason=user", " stop-request ",
                   "reason=quit", "reason=cramp", "kind=switch", "reason=done",
                   " exercise "):
        assert needed in logs, needed
    assert len(CASES) >= 12


def test_the_cli_plays_the_conformance_documents() -> None:
    case = CONFORMANCE / "04-safety-handler"
    result = CliRunner().invoke(app, ["play", str(case / "routine.json"), "--events-file",
                                      str(case / "inputs.txt")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (case / "expected.log").read_text(encoding="utf-8")


def test_a_stretch_file_plays_like_its_compiled_json(tmp_path: Path) -> None:
    compiled = tmp_path / "seed.json"
    assert CliRunner().invoke(app, ["compile", str(SEED), "-o", str(compiled)]).exit_code == 0
    from_source = CliRunner().invoke(app, ["play", str(SEED), "--script"])
    from_json = CliRunner().invoke(app, ["play", str(compiled), "--script"])
    assert from_source.exit_code == from_json.exit_code == 0
    assert from_source.stdout == from_json.stdout
    assert from_source.stdout.splitlines()[-1].endswith("end reason=done")


def test_unknown_fields_are_ignored_within_a_major_version() -> None:
    document = doc(SEED)
    future = copy.deepcopy(document)
    future["schemaVersion"] = "1.4.0"
    # Fields a later minor version adds: not in this version's types, so mypy objects.
    future["newThing"] = {"anything": True}  # type: ignore[typeddict-unknown-key]
    for entry in future["timeline"]:
        entry["haptics"] = "buzz"  # type: ignore[typeddict-unknown-key]
    assert trace(future, "pain@40")[1:] == trace(document, "pain@40")[1:]


def test_ranges_low_and_ready_after_the_low_end() -> None:
    document = doc(CONFORMANCE / "02-untimed-and-ranges" / "routine.stretch")
    low = trace(document, "ready@0", ranges="low")
    assert "t=0.0 step index=1 kind=hold side=- seconds=10.0 passes=- text=\"Hug the knees\"" in low


def test_untimed_steps_go_on_by_themselves_when_the_script_runs_out() -> None:
    lines = trace(doc(SEED), auto_ready=2)
    assert lines[2] == "t=2.0 ready index=0 auto=yes"
    assert lines[-1].endswith("end reason=done")


def test_a_pause_without_resume_stalls() -> None:
    lines = trace(doc(SEED), "pause@1")
    assert lines[-2:] == ["t=1.0 pause", "t=1.0 end reason=stalled"]


def test_a_time_bounded_repeat_never_goes_past_its_bound() -> None:
    document = doc(ROOT / "tests" / "fixtures" / "compile" / "good" / "breathing-cycles.stretch")
    (box,) = [r for r in document["repeats"] if r["mode"] == "for"]
    assert box["timeBound"] is not None
    lines = trace(document, "ready@0")
    inside = [line for line in lines if " step " in line and f"passes={box['id']}:" in line]
    first = float(inside[0].split()[0][2:])
    after = next(line for line in lines if " step " in line and
                 float(line.split()[0][2:]) > float(inside[-1].split()[0][2:]))
    # Every pass planned at its longest: three passes end by 104 s, within the 120 s bound.
    assert float(after.split()[0][2:]) - first == 104
    assert float(after.split()[0][2:]) - first <= box["timeBound"]["max"]
    assert inside[-1].split()[6] == "passes=r2:3,r3:2"


def test_stop_is_ignored_outside_repeats_and_input_is_ignored_when_paused() -> None:
    engine = Engine(doc(SEED))
    engine.start()
    assert [e.line() for e in engine.press("stop")] == ["t=0.0 ignored input=stop"]
    engine.press("pause")
    assert [e.line() for e in engine.press("ready")] == ["t=0.0 ignored input=ready"]
    assert [e.line() for e in engine.press("toggle")] == ["t=0.0 resume"]


def test_parse_inputs() -> None:
    assert parse_inputs("pain@40, ready@12\n# note\nquit@50.5") == [
        Input(12.0, "ready"), Input(40.0, "pain"), Input(50.5, "quit")]
    with pytest.raises(ScriptError) as bad:
        parse_inputs("ready@x")
    assert str(bad.value) == "--events: expected NAME@SECONDS such as `ready@12`, found `ready@x`"
    with pytest.raises(ScriptError) as unknown:
        parse_inputs("ready@1\njump@3", "inputs.txt")
    assert str(unknown.value) == (
        "inputs.txt: line 2: unknown input `jump`; use one of ready, pause, resume, toggle, "
        "skip, back, stop, quit, pain, cramp, dizziness, numbness")


def test_play_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["play", str(SEED), "--events", "ready@x"])
    assert result.exit_code == 2
    assert result.stderr == ("stretch: error: --events: expected NAME@SECONDS such as "
                             "`ready@12`, found `ready@x`\n")
    result = CliRunner().invoke(app, ["play", str(tmp_path / "nothing.json")])
    assert result.exit_code == 2
    assert result.stderr == f"stretch: error: no such file: {tmp_path / 'nothing.json'}\n"
    result = CliRunner().invoke(app, ["play", str(SEED), "--ranges", "middle"])
    assert result.exit_code == 2
    assert result.stderr == "stretch: error: --ranges takes `high` or `low`, not `middle`\n"


def test_play_refuses_an_unknown_major_version_and_bad_json(tmp_path: Path) -> None:
    for version in ("3.0.0", "1.0.0"):  # a newer major, and 1.x (time boxes changed)
        other = tmp_path / f"v{version}.json"
        other.write_text(f'{{"schemaVersion": "{version}", "timeline": []}}', encoding="utf-8")
        result = CliRunner().invoke(app, ["play", str(other)])
        assert result.exit_code == 1
        assert result.stderr == (f"stretch: {other}: schema version {version} is not "
                                 "supported: this player plays version 2.x\n")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(app, ["play", str(broken)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"stretch: {broken} is not valid JSON: ")


def test_play_reports_a_routine_with_errors() -> None:
    bad = ROOT / "tests" / "fixtures" / "compile" / "bad" / "no-unit.stretch"
    result = CliRunner().invoke(app, ["play", str(bad)])
    assert result.exit_code == 1
    assert "error[P102]: this amount has no unit" in result.stderr
    assert result.stderr.endswith(f"stretch: not played: {bad} has errors\n")


def test_the_screen_shows_step_side_countdown_cue_and_next() -> None:
    engine = Engine(doc(SEED))
    engine.start()
    engine.press("ready")
    engine.advance(33.5)  # into the first contraction, its cue given
    lines = screen(engine, 100)
    text = "\n".join(lines)
    assert "LEFT side  ·  pass 1 of up to 3" in text
    assert "CONTRACT  (gentle)" in text
    assert "  Press your heel straight down into the floor" in text
    assert "] " in text and "2s left" in text  # 3.5 s into 5 s
    assert "» (cue) This engages the major hip muscles" in text
    assert "Keep in mind: Keep your spine straight" in text
    assert "Next: contract 5-15s Try to drag your heel back toward your hip" in text
    engine.press("pain")
    assert "SAFETY: Ouch: you went too far" in "\n".join(screen(engine, 100))


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_live_mode_in_a_terminal(tmp_path: Path) -> None:
    """Drive the live display through a pseudo-terminal: enter, p, q."""
    import pty

    routine = tmp_path / "r.stretch"
    routine.write_text('routine "Live"\n  on pain "Ouch"\n    relax 1s\n  setup "Get ready"\n'
                       '  hold 30s "Hold it"\n', encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the player on the terminal
        os.execv(sys.executable, [sys.executable, "-m", "dsl", "play", str(routine),
                                  "--speed", "10"])
    seen = ""

    def read_until(text: str, timeout: float = 10.0) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while text not in seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {text!r} in {seen[-800:]!r}"
            if select.select([fd], [], [], remaining)[0]:
                try:
                    seen += os.read(fd, 4096).decode("utf-8", "replace")
                except OSError:
                    break

    try:
        read_until("Get ready")
        os.write(fd, b"\r")
        read_until("Hold it")
        os.write(fd, b"p")
        read_until("SAFETY: Ouch")
        read_until("Press enter to go on")
        os.write(fd, b"q")
        read_until("stretch: stopped after")
    finally:  # the player ends; if a check failed, it is ended after a while
        deadline = time.monotonic() + 10
        while (ended := os.waitpid(pid, os.WNOHANG))[0] == 0:
            if time.monotonic() > deadline:
                os.kill(pid, 9)
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 4096).decode("utf-8", "replace")
                except OSError:
                    time.sleep(0.1)
        status = ended[1]
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert "\x1b[?1049l" in seen  # the terminal was given back


def test_scripted_mode_when_output_is_not_a_terminal() -> None:
    result = subprocess.run([sys.executable, "-m", "dsl", "play", str(SEED), "--auto-ready", "1"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('t=0.0 start title="Hip and Hamstring Stretch" ')


def test_voice_without_espeak_ng_says_how_to_install_it(tmp_path: Path) -> None:
    result = CliRunner(env={"PATH": str(tmp_path)}).invoke(app, ["play", str(SEED), "--voice"])
    assert result.exit_code == 1
    assert result.stderr == ("stretch: error: --voice speaks through espeak-ng, which is not "
                             "installed: install it with `apt install espeak-ng` (or your "
                             "system's package of espeak-ng)\n")


def test_voice_is_for_the_live_display(tmp_path: Path) -> None:
    espeak = tmp_path / "espeak-ng"  # found on PATH; never run by the event log
    espeak.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    espeak.chmod(0o755)
    result = CliRunner(env={"PATH": str(tmp_path)}).invoke(
        app, ["play", str(SEED), "--voice", "--script"])
    assert result.exit_code == 2
    assert result.stderr == ("stretch: error: --voice speaks along with the live display, on "
                             "a terminal; the event log has the words as `say` lines\n")


def test_passes_fewest_stops_each_repeat_as_soon_as_it_may() -> None:
    document = doc(CONFORMANCE / "05-stop-a-repeat" / "routine.json")
    lines = trace(document, passes="fewest")
    assert [line for line in lines if " skip " in line] == [
        "t=25.0 skip repeat=r1 after=2 reason=user",
        "t=35.0 skip repeat=r2 after=1 reason=user"]
    from dsl.timeline.runs import RunChoice, chosen_run

    run = chosen_run(document, RunChoice(passes="fewest"))  # the fixed outputs agree
    steps = [line for line in lines if " step " in line]
    assert [float(line.split()[0][2:]) for line in steps] == [p.start for p in run]
    result = CliRunner().invoke(app, ["play", str(CONFORMANCE / "05-stop-a-repeat" /
                                                   "routine.json"), "--script", "--passes",
                                      "fewest"])
    assert result.exit_code == 0
    assert "t=25.0 skip repeat=r1 after=2 reason=user" in result.stdout
    result = CliRunner().invoke(app, ["play", str(SEED), "--passes", "all"])
    assert result.exit_code == 2
    assert result.stderr == "stretch: error: --passes takes `most` or `fewest`, not `all`\n"


def test_the_screen_shows_every_cue_at_one_offset_at_60_by_14() -> None:
    """The fix for cues at one offset (conformance 10) holds in the smallest full view."""
    engine = Engine(json.loads((CONFORMANCE / "10-cues-at-one-offset" / "routine.json")
                               .read_text(encoding="utf-8")))
    engine.start()
    text = "\n".join(View(engine).frame(60, 14))
    assert "» (cue) Breathe out" in text and "» (cue) Let the heel sink" in text


def test_the_screen_confirms_a_stop_and_shows_what_really_comes_next() -> None:
    document = doc(CONFORMANCE / "05-stop-a-repeat" / "routine.json")
    engine = Engine(document)
    engine.start()
    view = View(engine)
    engine.advance(15)  # the second pass's hold: the repeat may stop after it (2-4)
    assert "Next: rest 5s" in "\n".join(view.frame(60, 14))
    assert _forecast(view) == (15.0, 25.0, 75.0)  # 10 s of r1 at least, r2 once, release
    view.took(engine.press("stop"), None)
    text = "\n".join(view.frame(60, 14))
    assert "» Stopping after this pass" in text
    assert "Next: contract 5s Press" in text
    assert _forecast(view) == (15.0, 25.0, 45.0)  # r2 may still go on to three passes
    assert re.search(r"Total \[#+\.+\]  25%  0:25-0:45 left", text), text
    engine.advance(10)  # the stop is done: the next repeat
    assert "Stopping" not in "\n".join(view.frame(60, 14))
    first = Engine(document)
    first.start()
    first.press("stop")  # in the first pass: held to the second, the fewest allowed
    assert "» Stopping after pass 2 (the fewest this repeat allows)" in \
        "\n".join(View(first).frame(60, 14))


def _forecast(view: View) -> tuple[float, float, float]:
    forecast = view.forecast()
    return forecast.done, forecast.low, forecast.high


def test_time_stands_still_on_screen_while_paused() -> None:
    engine = Engine(doc(CONFORMANCE / "05-stop-a-repeat" / "routine.json"))
    engine.start()
    engine.advance(3)
    engine.press("pause")
    before = View(engine).frame(60, 14)
    engine.advance(100)
    after = View(engine).frame(60, 14)
    assert after == before and after[0].endswith("elapsed 0:03")
    assert "(paused)" in after[0]
    engine.press("resume")
    engine.advance(2)
    assert View(engine).frame(60, 14)[0].endswith("elapsed 0:05")


def test_every_size_gets_a_screen_that_fits() -> None:
    """From 1x1 up: the full view from 60x14, one compact line below; never too wide or
    too tall, whatever is on screen (a handler, a prompt, a pause, the end)."""
    engine = Engine(doc(SEED))
    moments = []
    engine.start()
    for action in ("ready", 20.0, "stop", 17.0, "pain", 3.0, 40.0, "pause", "resume",
                   "ready", "quit"):
        if isinstance(action, float):
            engine.advance(action)
        else:
            engine.press(action)
        moments.append(copy.deepcopy(engine))
    for moment in moments:
        view = View(moment)
        for width in (1, 2, 20, 40, 59, 60, 61, 100, 240):
            for height in (1, 2, 6, 13, 14, 15, 40):
                lines = view.frame(width, height)
                assert len(lines) <= height
                assert all(len(line) <= width for line in lines)
                if width >= 60 and height >= 14:
                    assert lines[0].rstrip().endswith(f"elapsed {moment.active // 60:.0f}:"
                                                      f"{int(moment.active) % 60:02d}")
                else:
                    assert len(lines) == 1


def test_keys_and_arrows_typed_in_the_terminal() -> None:
    from dsl.player.live import inputs

    assert inputs("s\x1b[C\x1b[Dq") == ["stop", "skip", "back", "quit"]
    assert inputs("\x1bOC\x1bOD") == ["skip", "back"]  # arrows in application mode
    # The up arrow and ctrl-right are passed over whole: their C is not cramp.
    assert inputs("\x1b[A\x1b[1;5C \r") == ["toggle", "ready"]


def test_untimed_is_the_scripted_auto_ready() -> None:
    timed = CliRunner().invoke(app, ["play", str(SEED), "--script", "--untimed", "1s"])
    auto = CliRunner().invoke(app, ["play", str(SEED), "--script", "--auto-ready", "1"])
    assert timed.exit_code == auto.exit_code == 0
    assert timed.stdout == auto.stdout and "auto=yes" in timed.stdout
    result = CliRunner().invoke(app, ["play", str(SEED), "--untimed", "soon"])
    assert result.exit_code == 2
    assert result.stderr == ("stretch: error: --untimed takes a time such as `10s`, `1m` or "
                             "`1m30s` (more than 0, at most 1h), not `soon`\n")


def test_the_notices_for_inputs_that_do_nothing_now(tmp_path: Path) -> None:
    routine = tmp_path / "n.stretch"
    routine.write_text('routine "Notices"\n  on pain "Ouch"\n    relax 2s "Breathe"\n'
                       '  hold 10s "Fixed"\n  hold 5-15s "Ranged"\n', encoding="utf-8")
    engine = Engine(doc(routine))
    view = View(engine)
    engine.start()

    def notice(name: str) -> str | None:
        view.notice = None
        view.took(engine.press(name), None)
        return view.current_notice()

    assert notice("stop") == "Nothing to stop: this step is not in a repeat"
    assert notice("ready") == "This step ends by itself"
    engine.advance(10)
    assert notice("ready") == "This step ends by itself (enter ends it after 5s)"
    assert notice("pause") is None
    assert notice("stop") == "Paused: space goes on"
    assert notice("resume") is None
    assert notice("pain") is None  # the safety steps start
    assert notice("cramp") == "The safety steps are under way"
    engine.advance(2)
    assert engine.prompting
    assert notice("pain") == "Safety steps done: enter goes on, q stops"


def test_the_notice_when_a_stop_is_done() -> None:
    engine = Engine(doc(CONFORMANCE / "05-stop-a-repeat" / "routine.json"))
    view = View(engine)
    engine.start()
    engine.advance(15)
    view.took(engine.press("stop"), None)
    view.took(engine.advance(10), None)
    assert view.current_notice() == "Repeat stopped after pass 2"
