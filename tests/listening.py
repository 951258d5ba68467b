"""Listening to a rendered track as a person would hear it: decoded to samples by ffmpeg,
then where sound starts after quiet (onsets) and how long it lasts.

An onset is where a sound starts after at least ``QUIET`` seconds with no sample above
``FAINT``: its first sample above ``LOUD``. ``QUIET`` is longer than any pause the voice
makes inside its words (about 0.4 s after a full stop at its usual pace) and shorter than
the quiet the track leaves before each thing it says or beeps (``dsl.exports.audio.GAP``),
so each onset is one thing said or beeped, never a word inside a sentence.
"""

from __future__ import annotations

import subprocess
import sys
from array import array
from pathlib import Path

RATE = 22_050
FAINT = 0.02 * 32768
"""Louder than this (-34 dBFS) is sound: the quiet between is digital silence or a
codec's faint noise around it."""
LOUD = 0.05 * 32768
"""Where a sound is said to start: its first sample louder than this (-26 dBFS). Lossy
codecs smear a sharp start a few milliseconds early (pre-echo), faintly; the sound itself
is soon louder."""
QUIET = 0.43
"""Seconds with no sample above ``FAINT`` before a sound that count as quiet."""


def decoded(path: Path, ffmpeg: str) -> array[int]:
    """The track's samples, 22,050 Hz mono 16-bit, as ffmpeg decodes the file."""
    done = subprocess.run(
        [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path),
         "-f", "s16le", "-ac", "1", "-ar", str(RATE), "pipe:1"],
        capture_output=True, check=True)
    samples = array("h", done.stdout)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def onsets(samples: array[int]) -> list[float]:
    """The times (seconds) where sound starts after ``QUIET`` seconds of quiet (or at the
    start of the track): the first sample above ``LOUD`` of each stretch of sound."""
    found: list[float] = []
    quiet_needed = round(QUIET * RATE)
    last_sound = -quiet_needed - 1
    starting = False  # a stretch of sound began: its first loud sample is the onset
    block = 110  # 5 ms: blocks wholly quiet are passed over at the speed of max()
    for begin in range(0, len(samples), block):
        piece = samples[begin:begin + block]
        if max(piece) <= FAINT and min(piece) >= -FAINT:
            continue
        sound = [i for i, value in enumerate(piece, begin) if abs(value) > FAINT]
        if sound[0] - last_sound > quiet_needed:
            starting = True
        last_sound = sound[-1]
        if starting:
            loud = next((i for i in sound if abs(samples[i]) > LOUD), None)
            if loud is not None:
                found.append(loud / RATE)
                starting = False
    return found


def length(samples: array[int]) -> float:
    return len(samples) / RATE


def matched(expected: list[float], heard: list[float], late: float = 0.1) -> tuple[
        list[float], list[float], list[float]]:
    """Each expected time's delay to the first onset at or after it (within ``late``);
    the expected times with no onset so; the onsets with no expected time ``late`` or less
    before them."""
    delays: list[float] = []
    unheard: list[float] = []
    for time in expected:
        near = [onset - time for onset in heard if -1e-9 <= onset - time <= late]
        if near:
            delays.append(min(near))
        else:
            unheard.append(time)
    unexpected = [onset for onset in heard
                  if not any(-1e-9 <= onset - time <= late for time in expected)]
    return delays, unheard, unexpected
