"""``stretch audio``: the track measured as a listener hears it.

Each track is made by the real espeak-ng and ffmpeg, decoded back to samples by ffmpeg, and
listened to (``listening``: where sound starts after quiet). What it must say and beep,
and when, comes from the chosen run (``dsl.timeline.runs.chosen_run``) and the documented
layout (docs/audio.md): the opening at 0, the routine's time 0 two seconds after the
opening's words, the ``end`` beep as the run ends, the closing a second later.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import wave
from pathlib import Path
from typing import Any

import pytest
from components import program, stretch_command
from conftest import FIXTURES
from listening import FAINT, decoded, length, matched, onsets
from typer.testing import CliRunner

from dsl.cli import app
from dsl.cli.audio import overrun_diagnostic
from dsl.codes import by_code
from dsl.exports.audio import Origin, Overrun, beep
from dsl.model import printer
from dsl.player import load_document
from dsl.timeline.runs import RunChoice, chosen_run, run_length

AUDIO = FIXTURES / "audio"
FORMATS = (".wav", ".ogg", ".mp3")
runner = CliRunner()

ESPEAK_INSTALL = "apt-get install espeak-ng"
FFMPEG_INSTALL = "apt-get install ffmpeg"


def espeak() -> str:
    return program("espeak-ng", ESPEAK_INSTALL)


def ffmpeg() -> str:
    return program("ffmpeg", FFMPEG_INSTALL)


def spoken(text: str, folder: Path, rate: int = 160) -> tuple[float, float]:
    """How long espeak-ng's recording of ``text`` lasts, and how long until its last
    sound, in seconds."""
    out = folder / "spoken.wav"
    subprocess.run([espeak(), "-v", "en-us", "-s", str(rate), "-w", str(out), "--stdin"],
                   input=text.encode(), check=True)
    with wave.open(str(out)) as recorded:
        frames = recorded.readframes(recorded.getnframes())
        rate_hz = recorded.getframerate()
    samples = memoryview(frames).cast("h")
    last = max((i for i in range(len(samples)) if samples[i]), default=-1) + 1
    return len(samples) / rate_hz, last / rate_hz


def schedule(document: dict[str, Any], choice: RunChoice,
             folder: Path) -> tuple[list[float], float, list[Any]]:
    """Every time the track must start saying or beeping something, the track's length,
    and the run, as docs/audio.md lays the track out."""
    run = chosen_run(document, choice)
    lead = spoken(document["announcements"]["opening"], folder)[0] + 2.0
    times = {0.0}
    for played in run:
        times.add(lead + played.start)
        times.update(lead + time for time, _ in played.cues)
        times.update(lead + time for time, _ in played.sounds)
    end = lead + run_length(run)
    times |= {end, end + 1.0}
    total = end + 1.0 + spoken(document["announcements"]["closing"], folder)[0]
    return sorted(times), total, run


def moments(times: list[float]) -> int:
    """How many things are heard apart: times within a millisecond are one."""
    return sum(1 for i, t in enumerate(times) if i == 0 or t - times[i - 1] > 0.001)


CASES = {
    "routine-low-fewest": ("calf-sides.stretch", ["--ranges", "low", "--passes", "fewest"],
                           RunChoice("low", "fewest", 10.0)),
    "routine-high-most": ("calf-sides.stretch", ["--untimed", "7s"],
                          RunChoice("high", "most", 7.0)),
    "session": ("evening.stretch", ["--ranges", "low"], RunChoice("low", "most", 10.0)),
}


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_the_track_says_and_beeps_everything_at_its_time(tmp_path: Path, case: str,
                                                         suffix: str) -> None:
    name, options, choice = CASES[case]
    decoder = ffmpeg()
    document: dict[str, Any] = dict(load_document(AUDIO / name, flatten=False))
    times, total, run = schedule(document, choice, tmp_path)
    out = tmp_path / f"track{suffix}"
    result = runner.invoke(app, ["audio", str(AUDIO / name), "-o", str(out), *options])
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr  # every word fits: nothing overlaps
    samples = decoded(out, decoder)
    heard = onsets(samples)
    delays, unheard, unexpected = matched(times, heard, late=0.1)
    assert unheard == []  # every step, cue and beep starts 0 to 100 ms after its time
    assert unexpected == []  # and nothing starts where nothing is due
    assert len(heard) == moments(times)
    assert min(delays) >= 0 and max(delays) <= 0.1
    assert abs(length(samples) - total) <= (0.1 if suffix == ".mp3" else 0.05)
    # The cases hold what a track must handle: sides, cues, untimed steps, repeats.
    kinds = {sound["kind"] for played in run for _, sound in played.sounds}
    assert {"start", "switch", "lastSeconds"} <= kinds
    assert any(played.untimed for played in run) and any(played.cues for played in run)
    if case == "routine-high-most":
        assert "halfway" in kinds and any(p.entry["optional"] for p in run)
        assert [p.length for p in run if p.untimed] == [7.0]
    if case == "routine-low-fewest":
        assert not any(p.entry["optional"] for p in run)


def test_words_too_long_for_their_time_are_spoken_faster(tmp_path: Path) -> None:
    """The 4 s switch of calf-sides: its words take longer than the 3.42 s there are at
    the voice's usual pace (4 s, less the beep, less the half second of quiet), so they are
    said faster, and end before the next step starts."""
    decoder = ffmpeg()
    words = "Take 4 seconds to change to the right side. Change legs."
    usual = spoken(words, tmp_path)[1]
    assert usual > 4 - 0.08 - 0.5
    document: dict[str, Any] = dict(load_document(AUDIO / "calf-sides.stretch", flatten=False))
    _, _, run = schedule(document, RunChoice("low", "fewest", 10.0), tmp_path)
    lead = spoken(document["announcements"]["opening"], tmp_path)[0] + 2.0
    switch = next(p for p in run if p.entry["kind"] == "switch")
    assert switch.entry["speech"] == words
    out = tmp_path / "track.wav"
    result = runner.invoke(app, ["audio", str(AUDIO / "calf-sides.stretch"), "-o", str(out),
                                 "--ranges", "low", "--passes", "fewest"])
    assert result.exit_code == 0 and "warning" not in result.stderr
    samples = decoded(out, decoder)
    start, end = lead + switch.start, lead + switch.start + switch.length
    last = max(i for i in range(round(start * 22050), round(end * 22050))
               if abs(samples[i]) > FAINT) / 22050
    said = last - (start + 0.08)
    assert said < usual - 0.3  # faster than the usual pace
    assert last <= end - 0.5  # and over half a second before the next step


def _bad_and_good() -> tuple[str, str]:
    """A001's documented examples."""
    doc = by_code()["A001"].doc
    bad, good = re.findall(r"```stretch\n(.*?)```", doc, re.S)
    return bad, good


def test_words_that_do_not_fit_even_fastest_are_reported_and_kept(tmp_path: Path) -> None:
    decoder = ffmpeg()
    bad, good = _bad_and_good()
    routine = tmp_path / "calf.stretch"
    routine.write_text(bad, encoding="utf-8")
    out = tmp_path / "calf.ogg"
    result = runner.invoke(app, ["audio", str(routine), "-o", str(out)])
    assert result.exit_code == 0
    document: dict[str, Any] = dict(load_document(routine, flatten=False))
    words = document["timeline"][0]["speech"]
    lead = spoken(document["announcements"]["opening"], tmp_path)[0] + 2.0
    needs = spoken(words, tmp_path, rate=260)[1]
    at = lead + 0.08
    line = '  setup 3s "Stand facing the wall, hands on it, and step one foot back"'
    assert result.stderr == (
        f"warning[A001]: these words take {_tenths(needs)} even at 260 words a minute, but "
        f"the next step or cue comes 2.9s after they start (at {_tenths(at)} in the track): "
        f"they run {_tenths(needs - 2.92)} into it\n"
        f"  --> {routine}:2:3\n"
        f"  |\n"
        f"2 | {line}\n"
        f"  |   {'^' * (len(line) - 2)}\n"
        "  = help: shorten the text or give the step more time; the track keeps every word "
        "at its time, so the two overlap\n"
        "\n"
        f"wrote {out} ({_tenths(length(decoded(out, decoder)))} long; the routine starts at "
        f"{_tenths(lead)}, after the opening)\n")
    # Kept at its time: the setup's words start as it starts, and the hold still beeps
    # at its time, over the end of them.
    heard = onsets(decoded(out, decoder))
    assert any(0 <= t - lead <= 0.1 for t in heard)
    assert not any(0 <= t - (lead + 3) <= 0.1 for t in heard)  # no quiet before it
    routine.write_text(good, encoding="utf-8")
    result = runner.invoke(app, ["audio", str(routine), "-o", str(out)])
    assert result.exit_code == 0 and "A001" not in result.stderr


def _tenths(seconds: float) -> str:
    return printer.duration(round(seconds, 1))


def test_words_that_leave_too_little_quiet_say_so() -> None:
    overrun = Overrun(Origin("calf.stretch", {"line": 4, "column": 5, "endLine": 4,
                                              "endColumn": 20}),
                      "Lean in.", at=12.3, needs=2.2, free=2.0)
    diagnostic = overrun_diagnostic(overrun)
    assert (diagnostic.code, diagnostic.severity, diagnostic.path) == (
        "A001", "warning", "calf.stretch")
    assert (diagnostic.span.line, diagnostic.span.column) == (4, 5)
    assert diagnostic.message == (
        "these words take 2.2s even at 260 words a minute, but the next step or cue comes "
        "2.5s after they start (at 12.3s in the track): they leave 0.3s of quiet before it, "
        "less than the 0.5s the track keeps")


def test_the_same_routine_gives_the_same_bytes(tmp_path: Path) -> None:
    ffmpeg()
    source = AUDIO / "breath.stretch"
    compiled = tmp_path / "breath.json"
    assert runner.invoke(app, ["compile", str(source), "-o", str(compiled)]).exit_code == 0
    for suffix in FORMATS:
        first, second, third = (tmp_path / f"{n}{suffix}" for n in ("a", "b", "c"))
        for out, given in ((first, source), (second, source), (third, compiled)):
            result = runner.invoke(app, ["audio", str(given), "-o", str(out)])
            assert result.exit_code == 0, result.stderr
        assert first.read_bytes() == second.read_bytes() == third.read_bytes()


def test_each_kind_of_sound_has_its_own_tone() -> None:
    def crossings(kind: str) -> tuple[int, ...]:
        samples = beep(kind)
        half = len(samples) // 2
        return tuple(sum(1 for a, b in itertools.pairwise(part) if a < 0 <= b)
                     for part in (samples[:half], samples[half:]))

    tones = {kind: crossings(kind) for kind in
             ("start", "switch", "halfway", "lastSeconds", "end")}
    assert len(set(tones.values())) == 5
    assert tones["switch"][0] < tones["switch"][1]  # rising: a change of sides
    assert tones["end"][0] > tones["end"][1]  # falling: the end


# --- the programs missing -------------------------------------------------------------


def _without(tmp_path: Path, keep: tuple[str, ...]) -> dict[str, str]:
    """An environment whose PATH holds only ``keep`` of the programs."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in keep:
        (folder / name).symlink_to(program(name, f"apt-get install {name}"))
    return {**os.environ, "PATH": str(folder)}


ESPEAK_MISSING = (
    "stretch: error: espeak-ng (the voice) is not installed: install it with `sudo apt-get "
    "install espeak-ng` (Debian, Ubuntu), `sudo dnf install espeak-ng` (Fedora) or `brew "
    "install espeak-ng` (macOS), then run stretch audio again\n")
FFMPEG_MISSING = (
    "stretch: error: ffmpeg (the encoder of .ogg and .mp3 files) is not installed: install "
    "it with `sudo apt-get install ffmpeg` (Debian, Ubuntu), `sudo dnf install ffmpeg` "
    "(Fedora) or `brew install ffmpeg` (macOS), then run stretch audio again\n")


def test_without_espeak_ng_it_says_how_to_install_it(tmp_path: Path) -> None:
    out = tmp_path / "track.wav"
    done = subprocess.run([stretch_command(), "audio", str(AUDIO / "breath.stretch"), "-o",
                           str(out)], capture_output=True, text=True,
                          env=_without(tmp_path, ()), check=False)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", ESPEAK_MISSING)
    assert not out.exists()


def test_without_ffmpeg_only_a_wav_can_be_made(tmp_path: Path) -> None:
    env = _without(tmp_path, ("espeak-ng",))
    for suffix in (".ogg", ".mp3"):
        out = tmp_path / f"track{suffix}"
        done = subprocess.run([stretch_command(), "audio", str(AUDIO / "breath.stretch"),
                               "-o", str(out)], capture_output=True, text=True, env=env,
                              check=False)
        assert (done.returncode, done.stderr) == (2, FFMPEG_MISSING)
        assert not out.exists()
    out = tmp_path / "track.wav"
    done = subprocess.run([stretch_command(), "audio", str(AUDIO / "breath.stretch"), "-o",
                           str(out)], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    with wave.open(str(out)) as written:
        assert (written.getframerate(), written.getnchannels()) == (22050, 1)


# --- usage errors ---------------------------------------------------------------------


ROUTINE = str(AUDIO / "breath.stretch")


@pytest.mark.parametrize(("arguments", "message"), [
    (["-o", "breath.stretch"], "-o breath.stretch: the track is not written to a .stretch "
     "file (write it to a .ogg, .mp3 or .wav file, such as routine.ogg)"),
    (["-o", "BREATH.STRETCH"], "-o BREATH.STRETCH: the track is not written to a .stretch "
     "file (write it to a .ogg, .mp3 or .wav file, such as routine.ogg)"),
    (["-o", "breath.flac"], "-o breath.flac: write the track to a file ending in .wav, .ogg, "
     ".mp3 (the extension says the format)"),
    (["-o", "breath"], "-o breath: write the track to a file ending in .wav, .ogg, .mp3 (the "
     "extension says the format)"),
    (["-o", "-"], "-o -: write the track to a file ending in .wav, .ogg, .mp3 (the "
     "extension says the format)"),
    (["-o", "b.ogg", "--ranges", "middle"], "--ranges takes `high` or `low`, not `middle`"),
    (["-o", "b.ogg", "--passes", "all"], "--passes takes `most` or `fewest`, not `all`"),
    (["-o", "b.ogg", "--untimed", "soon"], "--untimed takes a time such as `10s`, `1m` or "
     "`1m30s` (more than 0, at most 1h), not `soon`"),
])
def test_usage_errors(tmp_path: Path, arguments: list[str], message: str) -> None:
    result = runner.invoke(app, ["audio", ROUTINE, *arguments])
    assert (result.exit_code, result.stderr) == (2, f"stretch: error: {message}\n")


def test_a_missing_file_and_set_for_a_compiled_routine(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.stretch"
    result = runner.invoke(app, ["audio", str(missing), "-o", str(tmp_path / "t.ogg")])
    assert (result.exit_code, result.stderr) == (2, f"stretch: error: no such file: {missing}\n")
    compiled = tmp_path / "breath.json"
    assert runner.invoke(app, ["compile", ROUTINE, "-o", str(compiled)]).exit_code == 0
    result = runner.invoke(app, ["audio", str(compiled), "-o", str(tmp_path / "t.ogg"),
                                 "--set", "hold=40s"])
    assert (result.exit_code, result.stderr) == (
        2, "stretch: error: --set gives values to a .stretch file's parameters; a compiled "
        "routine has them already (compile it again with --set)\n")


def test_a_routine_with_errors_writes_no_track(tmp_path: Path) -> None:
    espeak()
    routine = tmp_path / "broken.stretch"
    routine.write_text('routine "Broken"\n  hold 0s\n  hold "no amount"\n  hodl 5s\n',
                       encoding="utf-8")
    out = tmp_path / "t.wav"
    result = runner.invoke(app, ["audio", str(routine), "-o", str(out)])
    assert result.exit_code == 1
    assert "error[P" in result.stderr
    assert result.stderr.endswith(f"stretch: no track written: {routine} has errors\n")
    assert not out.exists()


def test_a_session_takes_no_variant_and_a_programme_is_no_track(tmp_path: Path) -> None:
    espeak()
    out = tmp_path / "t.wav"
    result = runner.invoke(app, ["audio", str(AUDIO / "evening.stretch"), "-o", str(out),
                                 "--variant", "harder"])
    assert result.exit_code == 1 and "error[C009]" in result.stderr
    assert not out.exists()
    programme = FIXTURES.parent.parent / "examples" / "six-weeks-looser-legs.stretch"
    result = runner.invoke(app, ["audio", str(programme), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"stretch: {programme} is a programme: play one of its sessions (each `do` line "
        "names one), or compile it and let an app follow the schedule\n")


def test_a_routine_compiled_without_words_is_refused(tmp_path: Path) -> None:
    espeak()
    compiled = tmp_path / "old.json"
    assert runner.invoke(app, ["compile", ROUTINE, "-o", str(compiled)]).exit_code == 0
    document = json.loads(compiled.read_text(encoding="utf-8"))
    del document["announcements"]
    for entry in document["timeline"]:
        del entry["speech"]
    compiled.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["audio", str(compiled), "-o", str(tmp_path / "t.wav")])
    assert (result.exit_code, result.stderr) == (
        1, f"stretch: {compiled}: it was compiled before contract 2.2.0 and has no words for "
        "a voice: compile its .stretch file again\n")


def test_a_track_that_cannot_be_written_leaves_nothing(tmp_path: Path) -> None:
    espeak()
    folder = tmp_path / "track.wav"
    folder.mkdir()
    result = runner.invoke(app, ["audio", ROUTINE, "-o", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"stretch: error: cannot write {folder}: ")
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "track.wav"]


# --- the documentation ----------------------------------------------------------------


def _fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def test_the_documented_example_is_what_audio_prints(tmp_path: Path) -> None:
    ffmpeg()
    text = (FIXTURES.parents[1] / "docs" / "audio.md").read_text(encoding="utf-8")
    command = _fenced(text, "sh")[0].splitlines()[1]
    assert command.startswith("stretch audio examples/")
    arguments = command.split()[2:]
    arguments[0] = str(FIXTURES.parents[1] / arguments[0])
    done = subprocess.run([stretch_command(), "audio", *arguments], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stderr == _fenced(text, "text")[0]


def test_the_documented_warning_is_what_audio_prints(tmp_path: Path) -> None:
    espeak()
    text = (FIXTURES.parents[1] / "docs" / "audio.md").read_text(encoding="utf-8")
    bad, _ = _bad_and_good()
    (tmp_path / "calf.stretch").write_text(bad, encoding="utf-8")
    done = subprocess.run([stretch_command(), "audio", "calf.stretch", "-o", "calf.wav"],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stderr.split("\n\n")[0] + "\n" == _fenced(text, "text")[1]
