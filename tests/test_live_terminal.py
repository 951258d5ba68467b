"""The live player as a person sees it: the real `stretch play` driven in tmux.

Each test starts the player in a detached tmux session of a given size, types keys with
`send-keys`, reads the screen with `capture-pane -p` and resizes it with `resize-window`.
Nothing waits a fixed time for the player: every check polls the screen until the text
appears (with a generous timeout), so a slow machine only makes the tests slower.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from components import program
from conftest import ROOT

ROUTINE = '''routine "Live"
  on pain "Ouch"
    relax 2s "Breathe out"
  setup "Get ready"
  repeat up to 3:
    hold 10s "Hold it"
    relax 10s "Let go"
  release 6s "Come out"
'''
"""One setup to wait on, a repeat to stop, a step after it. Played at --speed 2."""


class Pane:
    """A tmux session on a socket of its own, running one command."""

    def __init__(self, folder: Path, command: str, width: int, height: int) -> None:
        self.tmux = program("tmux", "apt install tmux")
        self.socket = str(folder / "tmux.sock")
        # The shell stays after the player exits, so its last words and status stay shown.
        self.run("new-session", "-d", "-s", "play", "-x", str(width), "-y", str(height),
                 f"cd {shlex.quote(str(ROOT))} && {command}; echo EXIT=$?; sleep 600")

    def run(self, *arguments: str) -> str:
        return subprocess.run([self.tmux, "-S", self.socket, "-f", "/dev/null", *arguments],
                              check=True, capture_output=True, text=True, timeout=30).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "play")

    def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        """The screen once ``pattern`` (a regular expression) is on it."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            assert "Traceback" not in shown, shown
            if re.search(pattern, shown):
                return shown
            assert time.monotonic() < deadline, f"no {pattern!r} on the screen:\n{shown}"
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "play", *keys)

    def resize(self, width: int, height: int) -> None:
        self.run("resize-window", "-t", "play", "-x", str(width), "-y", str(height))

    def close(self) -> None:
        subprocess.run([self.tmux, "-S", self.socket, "kill-server"], capture_output=True,
                       timeout=30)


Starter = Callable[..., Pane]
"""``pane_at(arguments, width=60, height=14, env="")``: the player on live.stretch."""


@pytest.fixture
def pane_at(tmp_path: Path) -> Iterator[Starter]:
    panes: list[Pane] = []

    def start(arguments: str, width: int = 60, height: int = 14, env: str = "") -> Pane:
        routine = tmp_path / "live.stretch"
        if not routine.exists():
            routine.write_text(ROUTINE, encoding="utf-8")
        command = (f"{env} {shlex.quote(sys.executable)} -m dsl play "
                   f"{shlex.quote(str(routine))} {arguments}")
        pane = Pane(tmp_path, command.strip(), width, height)
        panes.append(pane)
        return pane

    yield start
    for pane in panes:
        pane.close()


def lines(shown: str) -> list[str]:
    return shown.rstrip("\n").split("\n")


def test_the_display_at_60_by_14(pane_at: Starter) -> None:
    pane = pane_at("--speed 2")
    first = pane.wait_for(r"Get ready")
    rows = lines(first)
    assert len(rows) <= 14 and max(len(row) for row in rows) <= 60
    assert rows[0].startswith("Live") and rows[0].endswith("elapsed 0:00")
    assert "SETUP" in first and "waiting for you" in first
    assert "Next: hold 10s Hold it" in first
    # The routine's time: at least one pass (10 + 10 + 6 s), at most three (66 s).
    assert re.search(r"Total \[\.+\]   0%  0:26-1:06 left\n", first), first
    assert rows[-1] == "space pause · enter go on · p pain · s stop · q quit"
    # No event log under the display.
    assert " step index=" not in first and "t=0.0" not in first

    pane.keys("Enter")
    shown = pane.wait_for(r"HOLD\n  Hold it")
    assert "pass 1 of up to 3" in shown and "Next: relax 10s Let go" in shown
    assert re.search(r"\[[#.]+\] +\d+s left", shown)

    # On the last step of a pass, Next is the next pass; after `s`, what follows the repeat.
    shown = pane.wait_for(r"RELAX\n  Let go")
    assert "Next: hold 10s Hold it" in shown and "Stopping" not in shown
    pane.keys("s")
    shown = pane.wait_for(r"» Stopping after this pass")
    assert "Next: release 6s Come out" in shown
    assert re.search(r"Total \[#+\.*\] +\d+%  0:\d\d left\n", shown), shown  # one pass now

    shown = pane.wait_for(r"RELEASE\n  Come out")
    assert "Stopping" not in shown and "Next: the end of the routine" in shown

    # Paused, time stands still: elapsed and the countdown stay as they are.
    pane.keys("Space")
    paused = pane.wait_for(r"\(paused\)")
    time.sleep(1.5)  # three seconds of routine at --speed 2, were it running
    still = pane.screen()
    # Everything but a notice (which goes after a few seconds) stays as it was.
    assert [row for row in lines(still) if "»" not in row] == \
        [row for row in lines(paused) if "»" not in row]
    assert re.search(r"elapsed 0:\d\d\n", still) and re.search(r"\] +\d+s left", still)
    pane.keys("Space")
    pane.wait_for(r"^Live {2,}elapsed")
    pane.keys("q")
    shown = pane.wait_for(r"EXIT=0")
    assert re.search(r"stretch: stopped after 0:[1-3]\d\n", shown), shown


def test_a_skip_that_must_wait_for_the_fewest_passes(pane_at: Starter,
                                                     tmp_path: Path) -> None:
    (tmp_path / "live.stretch").write_text(
        'routine "Twice"\n  repeat 2-3:\n    hold 20s "Hold it"\n  release 5s "Out"\n',
        encoding="utf-8")
    pane = pane_at("--speed 2")
    pane.wait_for(r"HOLD\n  Hold it")
    pane.keys("s")
    shown = pane.wait_for(r"» Stopping after pass 2 \(the fewest this repeat allows\)")
    assert "Next: hold 20s Hold it" in shown
    pane.keys("q")
    pane.wait_for(r"EXIT=0")


def test_nothing_to_stop_outside_a_repeat(pane_at: Starter) -> None:
    pane = pane_at("--speed 2")
    pane.wait_for(r"Get ready")
    pane.keys("s")
    pane.wait_for(r"» Nothing to stop: this step is not in a repeat")
    pane.keys("q")
    pane.wait_for(r"EXIT=0")


def test_a_small_terminal_gets_one_line_and_resizes_never_break_it(
        pane_at: Starter) -> None:
    pane = pane_at("--speed 2", 40, 6)
    shown = pane.wait_for(r"SETUP")
    rows = lines(shown)
    assert rows[0] == "SETUP · press enter · 0% 0:26-1:06 left"
    assert len(rows[0]) <= 40 and all(row == "" for row in rows[1:])
    pane.keys("Enter")
    pane.wait_for(r"^HOLD · \d+s · ")
    for width, height in ((60, 14), (20, 3), (100, 30), (59, 14), (60, 13), (1, 1),
                          (200, 60), (60, 14)):
        pane.resize(width, height)
        if width >= 60 and height >= 14:  # redrawn full: its rules are as wide as it
            shown = pane.wait_for(rf"\n-{{{width}}}\n(.|\n)*Total \[")
            assert len(lines(shown)) <= height
            assert all(len(row) <= width for row in lines(shown))
        else:  # one line, cut to the width
            shown = pane.wait_for(r"^(HOLD|RELAX) · " if width > 8 else r"^[HR]\n*$")
            assert len(lines(shown)) <= height and len(lines(shown)[0]) <= width
            assert "Total [" not in shown
    assert "Hold it" in pane.wait_for(r"space pause")
    pane.keys("q")
    shown = pane.wait_for(r"EXIT=0")
    assert "Traceback" not in shown


def test_passes_fewest_stops_every_repeat_when_it_may(pane_at: Starter) -> None:
    pane = pane_at("--speed 2 --passes fewest")
    shown = pane.wait_for(r"Get ready")
    assert re.search(r"0:26 left\n", shown), shown  # one pass only: no range left
    pane.keys("Enter")
    shown = pane.wait_for(r"RELAX\n  Let go")
    assert "Next: release 6s Come out" in shown
    pane.keys("q")
    pane.wait_for(r"EXIT=0")


VOICED = '''routine "Voice"
  sides: each, left first
  setup "Get ready"
  hold 12s "Hold the {side} leg"
    cue at 4s "Breathe out"
  relax 3s "Let go"
'''
"""Entries with sides (words filled per side), a cue, and a hold long enough for its
countdown sounds."""


def test_the_voice_says_each_entrys_words_at_its_entry(pane_at: Starter,
                                                        tmp_path: Path) -> None:
    """With the real espeak-ng, writing each utterance to a file: the words of every
    entry and cue are said, in order, at their entries, and each file is what espeak-ng
    makes of those words."""
    espeak = program("espeak-ng", "apt install espeak-ng")
    from dsl import compile_file

    (tmp_path / "live.stretch").write_text(VOICED, encoding="utf-8")
    document = compile_file(tmp_path / "live.stretch").document
    assert document is not None
    said = tmp_path / "said"
    pane = pane_at("--voice --speed 3", env=f"STRETCH_VOICE_FILES={shlex.quote(str(said))}")
    deadline = time.monotonic() + 90
    while "EXIT=" not in (shown := pane.screen()):  # enter at each untimed step
        assert time.monotonic() < deadline, shown
        if "waiting for you" in shown:
            pane.keys("Enter")
            while lines(pane.screen())[2:5] == lines(shown)[2:5]:  # until the step is over
                assert time.monotonic() < deadline, shown
                time.sleep(0.1)
        time.sleep(0.1)
    assert "EXIT=0" in shown, shown
    assert "stretch: routine done after" in shown and "no audio device" not in shown
    log = (said / "voice.log").read_text(encoding="utf-8").splitlines()
    spoken = [re.fullmatch(r't=(\S+) file=(\S+) key=(\S+) text=(".*")', line) for line in log]
    assert all(spoken), log
    heard = [(m[3], json.loads(m[4]), m[2]) for m in spoken if m is not None]
    # The countdown of the last seconds is said only when the voice is quiet: not checked.
    words = [(key, text) for key, text, _ in heard if not text.isdigit()]
    expected: list[tuple[str, str]] = []
    for entry in document["timeline"]:
        expected.append((entry["key"], entry["speech"]))
        expected += [(entry["key"], cue["speech"]) for cue in entry["cues"]]
    expected.append(("-", document["announcements"]["closing"]))
    sides = [text for _, text in words if " leg" in text]
    assert "left leg" in sides[0] and "right leg" in sides[-1]  # the side words filled
    assert [key for key, _ in words[:-1]] == [key for key, _ in expected[:-1]]
    assert [text for _, text in words] == [text for _, text in expected]
    assert "Breathe out." in [text for _, text in words]
    for _, text, name in heard:  # each file: espeak-ng's rendering of those words
        again = tmp_path / "again.wav"
        subprocess.run([espeak, "-v", "en-us", "-s", "160", "-w", str(again), "--", text],
                       check=True, timeout=30)
        assert (said / name).read_bytes() == again.read_bytes(), text


def test_the_voice_without_an_audio_device_says_so_once_and_goes_on(
        pane_at: Starter) -> None:
    program("espeak-ng", "apt install espeak-ng")
    # No sound server and no ALSA configuration: espeak-ng cannot open a device.
    pane = pane_at("--voice --speed 2",
                   env="ALSA_CONFIG_PATH=/nonexistent PULSE_SERVER=unix:/nonexistent")
    shown = pane.wait_for(r"» --voice: no audio device to speak through")
    assert "Get ready" in shown  # the display goes on
    pane.keys("Enter")
    pane.wait_for(r"HOLD\n  Hold it")
    pane.keys("q")
    shown = pane.wait_for(r"EXIT=0")
    assert shown.count("no audio device") == 1
    assert re.search(r"stretch: --voice: no audio device to speak through \(espeak-ng: "
                     r".+\); playing on without the voice", shown.replace("\n", "")), shown


def test_the_arrows_skip_a_step_and_go_back(pane_at: Starter) -> None:
    pane = pane_at("--speed 1")
    pane.wait_for(r"Get ready")
    pane.keys("Enter")
    pane.wait_for(r"HOLD\n  Hold it")
    pane.keys("Right")
    pane.wait_for(r"RELAX\n  Let go")
    pane.keys("Left")
    shown = pane.wait_for(r"HOLD\n  Hold it")
    assert re.search(r"\] +(10|9)s left", shown), shown  # from its start again
    pane.keys("q")
    pane.wait_for(r"EXIT=0")


def test_untimed_steps_go_on_by_themselves_with_untimed(pane_at: Starter) -> None:
    pane = pane_at("--speed 1 --untimed 3s")
    shown = pane.wait_for(r"Get ready")
    assert re.search(r"on in [123]s by itself - or press enter when ready", shown), shown
    pane.wait_for(r"HOLD\n  Hold it")  # no key pressed
    pane.keys("q")
    pane.wait_for(r"EXIT=0")
