"""The live voice of ``stretch play --voice``: says the player's words through espeak-ng.

The engine gives the words as ``say`` events (an entry's ``speech`` when it starts, a
cue's when it is given, the closing words at the end); the voice speaks them as they
come, each in an espeak-ng process of its own, so the clock never waits for the voice.
Words are never cut off: what comes while the voice speaks waits its turn, but when a new
entry starts, the words still waiting for earlier entries are dropped (the voice keeps up
with the routine, and the new entry's words come first). Of the sounds,
only the countdown of the last seconds is said (``3``, ``2``, ``1``), and only when the
voice is quiet; the other sounds are not played (the display shows them).

With no audio device espeak-ng fails (it says so on its error output): the voice says
so once and the routine goes on silently. ``STRETCH_VOICE_FILES=DIR`` makes espeak-ng
write each utterance to ``DIR/0001.wav`` ... instead of the speakers, and list them in
``DIR/voice.log`` (one ``t=SECONDS file=NAME key=KEY text="..."`` a line), so a test can
check what was said at which entry.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dsl.player.engine import Engine, Event, format_seconds

PROGRAM = "espeak-ng"
VOICE = ("-v", "en-us", "-s", "160")
"""American English at 160 words a minute."""
FILES = "STRETCH_VOICE_FILES"
"""The environment variable that sends each utterance to a file (for tests)."""
INSTALL = "install it with `apt install espeak-ng` (or your system's package of espeak-ng)"


class VoiceMissing(Exception):
    """espeak-ng is not installed."""


@dataclass(frozen=True, slots=True)
class _Words:
    text: str
    key: str
    time: float


class Voice:
    """Speaks ``say`` events through espeak-ng; ``poll`` it on every frame."""

    def __init__(self, program: str, files: Path | None = None) -> None:
        self.program = program
        self.files = files
        self.queue: deque[_Words] = deque()
        self.speaking: subprocess.Popen[bytes] | None = None
        self.problem: str | None = None  # set once when the voice cannot be heard
        self.spoken = 0
        self.key = "-"  # the key of the entry whose words come next
        self._after_step = False  # the next `say` is an entry's words

    @classmethod
    def open(cls, environ: Mapping[str, str] = os.environ) -> Voice:
        """The voice, or ``VoiceMissing`` with what to do about it."""
        program = shutil.which(PROGRAM, path=environ.get("PATH"))
        if program is None:
            raise VoiceMissing(f"--voice speaks through espeak-ng, which is not installed: "
                               f"{INSTALL}")
        files = environ.get(FILES)
        folder = None
        if files:
            folder = Path(files)
            folder.mkdir(parents=True, exist_ok=True)
        return cls(program, folder)

    def hear(self, events: list[Event], engine: Engine) -> None:
        """Take the words among ``events`` (just given by ``engine``)."""
        for event in events:
            fields = dict(event.fields)
            if event.name in ("step", "handler-step"):
                self._after_step = True
                timeline = engine.track.timeline
                index = int(fields["index"])
                self.key = str(timeline[index].get("key", "-")) if index < len(timeline) \
                    else "-"
            elif event.name == "sound" and fields.get("kind") == "end":
                self.key = "-"  # the closing words belong to no entry
            if event.name == "say" and fields.get("text"):
                words = _Words(str(fields["text"]), self.key, event.time)
                if self._after_step:
                    self.queue.clear()  # a new entry: what still waits for the last goes
                self._after_step = False
                self.queue.append(words)
            elif event.name == "sound" and fields.get("count") is not None and self.quiet:
                self.queue.append(_Words(str(fields["count"]), self.key, event.time))
        self.poll()

    @property
    def quiet(self) -> bool:
        return not self.queue and (self.speaking is None or self.speaking.poll() is not None)

    def poll(self) -> None:
        """Notice an utterance that has ended; start the next one."""
        if self.speaking is not None:
            if self.speaking.poll() is None:
                return
            self._heard(self.speaking)
            self.speaking = None
        if self.problem is not None:
            self.queue.clear()
            return
        if self.queue:
            self._speak(self.queue.popleft())

    def finish(self, *, let_finish: bool, timeout: float = 15.0) -> None:
        """At the end: let the words still to say be said (``let_finish``), or cut them."""
        deadline = time.monotonic() + timeout
        while let_finish and not self.quiet and time.monotonic() < deadline:
            self.poll()
            time.sleep(0.02)
        self._hush()

    def _speak(self, words: _Words) -> None:
        command = [self.program, *VOICE]
        if self.files is not None:
            self.spoken += 1
            name = f"{self.spoken:04d}.wav"
            command += ["-w", str(self.files / name)]
            with open(self.files / "voice.log", "a", encoding="utf-8") as log:
                log.write(f"t={format_seconds(words.time)} file={name} key={words.key} "
                          f"text={json.dumps(words.text, ensure_ascii=False)}\n")
        # `--` so that words starting with a dash are never read as options.
        command += ["--", words.text]
        try:
            self.speaking = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE)
        except OSError as error:
            self.problem = f"--voice: espeak-ng could not be started ({error}); " \
                "playing on without the voice"

    def _heard(self, process: subprocess.Popen[bytes]) -> None:
        """After an utterance: did espeak-ng manage to play it?"""
        errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        if process.stderr:
            process.stderr.close()
        if process.returncode in (0, -15) and "error" not in errors.lower():
            return
        # espeak-ng's last line says why (a carriage return, if any, is stripped with it).
        last = errors.strip().rsplit("\n", 1)[-1].strip() if errors.strip() else \
            f"exit status {process.returncode}"
        self.problem = (f"--voice: no audio device to speak through (espeak-ng: {last}); "
                        "playing on without the voice")

    def _hush(self) -> None:
        self.queue.clear()
        if self.speaking is not None:
            if self.speaking.poll() is None:
                self.speaking.terminate()
                self.speaking.wait()
            if self.speaking.stderr:
                self.speaking.stderr.close()
            self.speaking = None
