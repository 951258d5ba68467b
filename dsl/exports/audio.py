"""A routine or session as one audio track: its words spoken at their times, a beep for
each sound cue, silence between (docs/audio.md).

The track is made from a chosen run (``dsl.timeline.runs.chosen_run``: ranges, passes and
untimed steps decided up front) and the document's own words (its ``speech`` fields and
``announcements``: this module makes no words of its own):

- The opening (``announcements.opening``: the title and what to do on pain, since a fixed
  track cannot run a safety handler) starts the track. The routine's time 0 comes
  ``OPENING_PAUSE`` seconds after the opening's last sample: every time of the run is
  shifted by that lead, and nothing else moves.
- At each moment of the run, its sounds beep first (each ``BEEP_LENGTH`` long, a tone of
  its own per kind) and its words follow ``SPEECH_AFTER_BEEP`` after the moment (at once
  when nothing beeps). Words due at the same moment (a cue given as its step ends, and the
  next step) are said in one breath, in the run's order.
- Words must end ``GAP`` before the next moment, so each thing said or beeped has quiet
  before it. Words that would not are spoken faster, ``RATE_STEP`` words a minute at a
  time, up to ``FASTEST``; beyond that they keep their time, overlap what follows and are
  reported (A001, ``Overrun``). Nothing is ever moved or cut.
- The run ends with the ``end`` beep; the closing (``announcements.closing``) follows
  ``CLOSING_PAUSE`` later (later still when words are said at the very end), and the track
  ends with the closing's last sample.

Speech comes from the espeak-ng program, encoding from the ffmpeg program (a .wav needs no
encoding); both are called, none is imported. The samples are mixed here: 22,050 Hz,
mono, 16 bits, as espeak-ng writes them.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dsl.timeline.runs import Played, run_length

SAMPLE_RATE = 22_050
"""Samples a second: what espeak-ng writes, kept through the mix and the encoding."""
VOICE = "en-us"
WORDS_PER_MINUTE = 160
"""The voice's usual pace (espeak-ng's ``-s``)."""
FASTEST = 260
"""The fastest the voice speaks to fit words before what follows: the floor of the
speed-up, past which the words overlap and A001 is reported."""
RATE_STEP = 20
GAP = 0.5
"""Seconds of quiet the words leave before the next moment (longer than any pause the
voice makes inside its words, so each thing said or beeped stands apart)."""
OPENING_PAUSE = 2.0
"""Seconds from the opening's end to the routine's time 0."""
CLOSING_PAUSE = 1.0
"""Seconds from the routine's end (its ``end`` beep) to the closing."""
BEEP_LENGTH = 0.08
SPEECH_AFTER_BEEP = 0.08
"""Where words start after their moment when something beeps at it."""
BEEP_LEVEL = 0.4
"""A beep's peak, as a fraction of full scale (the voice peaks near full scale)."""

FORMATS = (".wav", ".ogg", ".mp3")
"""The files ``stretch audio`` writes, by their extension."""

_TONES: dict[str, tuple[float, ...]] = {
    # Hz, in equal parts of the beep: rising for a change of sides, falling at the end.
    "start": (880.0,),
    "switch": (660.0, 990.0),
    "halfway": (660.0,),
    "lastSeconds": (1320.0,),
    "end": (660.0, 440.0),
}

_ENCODERS: dict[str, tuple[str, ...]] = {
    ".ogg": ("-c:a", "libvorbis", "-q:a", "4"),
    ".mp3": ("-c:a", "libmp3lame", "-b:a", "64k"),
}

INSTALL: dict[str, str] = {
    "espeak-ng": "the voice",
    "ffmpeg": "the encoder of .ogg and .mp3 files",
}


class AudioError(Exception):
    """A track that cannot be made: a program missing or failing, a document without
    words. The message says what to do."""


def missing_program(program: str) -> AudioError:
    """The error for a program not found on the ``PATH``, saying how to install it."""
    return AudioError(
        f"{program} ({INSTALL[program]}) is not installed: install it with `sudo apt-get "
        f"install {program}` (Debian, Ubuntu), `sudo dnf install {program}` (Fedora) or "
        f"`brew install {program}` (macOS), then run stretch audio again")


def find_program(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise missing_program(program)
    return found


@dataclass(frozen=True)
class Origin:
    """Where words come from in the source: a step's or a cue's file and place."""

    path: str
    span: Mapping[str, Any]


@dataclass(frozen=True)
class Words:
    text: str
    origin: Origin


@dataclass
class Moment:
    """Everything due at one time of the run: beeps (kinds) and words, in the run's order."""

    time: float
    sounds: list[str] = field(default_factory=list)
    words: list[Words] = field(default_factory=list)


@dataclass(frozen=True)
class Overrun:
    """Words that do not end ``GAP`` before the next moment even at ``FASTEST``."""

    origin: Origin
    text: str
    at: float
    """Where the words start in the track, in seconds."""
    needs: float
    """How long they last at ``FASTEST``."""
    free: float
    """The seconds there are from their start to ``GAP`` before the next moment."""


@dataclass(frozen=True)
class Track:
    samples: array[int]
    lead: float
    """Where the routine's time 0 is in the track, in seconds."""
    overruns: tuple[Overrun, ...]

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def check_voiced(document: Mapping[str, Any]) -> str | None:
    """Why a document has no words to say (compiled before contract 2.2.0), or None."""
    announcements = document.get("announcements")
    if not isinstance(announcements, Mapping) or not all(
            isinstance(e, Mapping) and "speech" in e and "sounds" in e
            for e in document.get("timeline", [])):
        return ("it was compiled before contract 2.2.0 and has no words for a voice: "
                "compile its .stretch file again")
    return None


def source_paths(document: Mapping[str, Any], given: str) -> Callable[[Mapping[str, Any]], str]:
    """The file each entry's spans are in: a session's entries are in the files of its
    routines (beside the session), a routine's in the routine's file (``given``, the file
    named on the command line, for a .stretch file; the one it was compiled from for a
    .json file)."""
    source = document.get("source")
    own = given
    if given.endswith(".json") and isinstance(source, Mapping) and source.get("path"):
        own = str(source["path"])
    parts: dict[int, str] = {}
    for part in document.get("parts") or []:
        routine = part.get("routine") if isinstance(part, Mapping) else None
        path = (routine or {}).get("source", {}).get("path")
        if path:
            parts[int(part["index"])] = str(Path(own).parent / path)

    def path_of(entry: Mapping[str, Any]) -> str:
        part = entry.get("part")
        return parts.get(part, own) if isinstance(part, int) else own

    return path_of


def moments(run: Sequence[Played], path_of: Callable[[Mapping[str, Any]], str]) -> list[Moment]:
    """What the run says and beeps, gathered by time (from the routine's start): each
    entry's words and sounds, its cues', and the ``end`` beep as the run ends."""
    found: dict[float, Moment] = {}

    def at(time: float) -> Moment:
        # Times are sums of seconds: equal to the microsecond is the same moment.
        key = round(time, 6)
        if key not in found:
            found[key] = Moment(time)
        return found[key]

    for played in run:
        entry = played.entry
        path = path_of(entry)
        for time, sound in played.sounds:
            at(time).sounds.append(sound["kind"])
        pending = [(played.start, Words(entry["speech"], Origin(path, entry["span"])))]
        pending += [(time, Words(cue["speech"], Origin(path, cue["span"])))
                    for time, cue in played.cues]
        for time, words in sorted(pending, key=lambda pair: pair[0]):
            at(time).words.append(words)
    if run:
        at(run_length(list(run))).sounds.append("end")
    return [found[key] for key in sorted(found)]


class Voice:
    """espeak-ng, called once for each text at each pace (the same words recur in repeats
    and on both sides)."""

    def __init__(self, folder: Path) -> None:
        self.program = find_program("espeak-ng")
        self.folder = folder
        self.said: dict[tuple[str, int], array[int]] = {}

    def say(self, text: str, rate: int = WORDS_PER_MINUTE) -> array[int]:
        """The samples of ``text`` at ``rate`` words a minute, its trailing quiet kept."""
        known = self.said.get((text, rate))
        if known is not None:
            return known
        out = self.folder / f"said-{len(self.said)}.wav"
        # The text goes in on stdin: a text starting with "-" is not an option.
        done = subprocess.run(
            [self.program, "-v", VOICE, "-s", str(rate), "-b", "1", "-w", str(out),
             "--stdin"], input=text.encode("utf-8"), capture_output=True, check=False)
        if done.returncode != 0 or not out.exists():
            problem = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise AudioError(f"espeak-ng failed: {problem}")
        with wave.open(str(out), "rb") as spoken:
            if (spoken.getframerate(), spoken.getnchannels(), spoken.getsampwidth()) != (
                    SAMPLE_RATE, 1, 2):
                raise AudioError("espeak-ng wrote an unexpected format: "
                                 f"{spoken.getframerate()} Hz, {spoken.getnchannels()} "
                                 f"channels, {8 * spoken.getsampwidth()} bits")
            samples = _samples(spoken.readframes(spoken.getnframes()))
        out.unlink()
        self.said[text, rate] = samples
        return samples


def sounding(samples: array[int]) -> int:
    """How many samples there are up to the last one that is not silent."""
    end = len(samples)
    while end and samples[end - 1] == 0:
        end -= 1
    return end


def beep(kind: str) -> array[int]:
    """A beep of ``BEEP_LENGTH``: its tones in equal parts, with a short fade in and out so
    it does not click."""
    tones = _TONES[kind]
    length = round(BEEP_LENGTH * SAMPLE_RATE)
    fade = round(0.005 * SAMPLE_RATE)
    part = length // len(tones)
    out = array("h", bytes(2 * length))
    phase = 0.0
    for i in range(length):
        hz = tones[min(i // part, len(tones) - 1)]
        phase += 2 * math.pi * hz / SAMPLE_RATE
        envelope = min(1.0, i / fade, (length - 1 - i) / fade)
        out[i] = round(32767 * BEEP_LEVEL * envelope * math.sin(phase))
    return out


def render(run: Sequence[Played], opening: str, closing: str, voice: Voice,
           path_of: Callable[[Mapping[str, Any]], str]) -> Track:
    """The track of a run: the opening, the run's moments, the closing."""
    placed: list[tuple[int, array[int]]] = []
    said = voice.say(opening)
    placed.append((0, said))
    lead = len(said) / SAMPLE_RATE + OPENING_PAUSE
    beeps = {kind: beep(kind) for kind in _TONES}
    overruns: list[Overrun] = []
    found = moments(run, path_of)
    quiet_from = 0.0  # where the last words placed end, in the track
    for index, moment in enumerate(found):
        time = lead + moment.time
        for kind in moment.sounds:
            placed.append((_sample(time), beeps[kind]))
        if not moment.words:
            continue
        start = time + (SPEECH_AFTER_BEEP if moment.sounds else 0.0)
        text = " ".join(w.text for w in moment.words)
        following = found[index + 1].time + lead if index + 1 < len(found) else None
        samples, overrun = _fitted(voice, text, start, following)
        if overrun is not None:
            overruns.append(Overrun(moment.words[0].origin, text, start, *overrun))
        placed.append((_sample(start), samples))
        quiet_from = max(quiet_from, start + len(samples) / SAMPLE_RATE)
    ended = lead + run_length(list(run))
    said = voice.say(closing)
    at = max(ended + CLOSING_PAUSE, quiet_from + GAP) if run else lead
    placed.append((_sample(at), said))
    return Track(_mixed(placed), lead, tuple(overruns))


def _fitted(voice: Voice, text: str, start: float,
            following: float | None) -> tuple[array[int], tuple[float, float] | None]:
    """The words at the slowest pace that ends them ``GAP`` before ``following``, their
    trailing quiet cut; at ``FASTEST`` with (needs, free) when none does."""
    rate = WORDS_PER_MINUTE
    while True:
        said = voice.say(text, rate)
        samples = said[:sounding(said)]
        if following is None:
            return samples, None
        free = following - GAP - start
        needs = len(samples) / SAMPLE_RATE
        if needs <= free:
            return samples, None
        if rate >= FASTEST:
            return samples, (needs, free)
        rate = min(FASTEST, rate + RATE_STEP)


def _sample(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def _mixed(placed: list[tuple[int, array[int]]]) -> array[int]:
    """One track of the pieces at their samples: copied where nothing else sounds, added
    (and held to full scale) where pieces overlap (only ever after A001)."""
    length = max((start + len(samples) for start, samples in placed), default=0)
    track = array("h", bytes(2 * length))
    sounding_to = 0
    for start, samples in sorted(placed, key=lambda piece: piece[0]):
        end = start + len(samples)
        if start >= sounding_to:
            track[start:end] = samples
        else:
            for i, value in enumerate(samples, start):
                track[i] = max(-32768, min(32767, track[i] + value))
        sounding_to = max(sounding_to, end)
    return track


def _samples(data: bytes) -> array[int]:
    samples = array("h", data)
    if sys.byteorder == "big":  # WAV samples are little-endian
        samples.byteswap()
    return samples


def _little_endian(samples: array[int]) -> bytes:
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def needs_encoder(suffix: str) -> bool:
    return suffix in _ENCODERS


def encode(track: Track, suffix: str) -> bytes:
    """The track as a file's bytes: WAV written here, Ogg Vorbis and MP3 by ffmpeg, the
    same bytes for the same track (no dates, no encoder versions, fixed stream numbers)."""
    pcm = _little_endian(track.samples)
    if suffix == ".wav":
        out = io.BytesIO()
        with wave.open(out, "wb") as written:
            written.setnchannels(1)
            written.setsampwidth(2)
            written.setframerate(SAMPLE_RATE)
            written.writeframes(pcm)
        return out.getvalue()
    program = find_program("ffmpeg")
    with tempfile.TemporaryDirectory(prefix="stretch-audio-") as folder:
        # A file, not a pipe: the MP3 encoder goes back to its start to say how much
        # padding to skip, which keeps the track's length exact.
        target = Path(folder) / f"track{suffix}"
        done = subprocess.run(
            [program, "-nostdin", "-hide_banner", "-loglevel", "error",
             "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "pipe:0",
             *_ENCODERS[suffix], "-fflags", "+bitexact", "-flags:a", "+bitexact",
             "-map_metadata", "-1", "-y", str(target)],
            input=pcm, capture_output=True, check=False)
        if done.returncode != 0:
            problem = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise AudioError(f"ffmpeg failed: {problem}")
        return target.read_bytes()
