"""Generate realistic routine files for the benchmarks.

Each routine is built from the same parts coaches use (settings, posture cues, a pain
handler, repeats with contract-relax cycles, holds, breathing), varied by a seeded random
generator so the corpus is the same on every machine.

    python bench/corpus.py OUT_DIR [COUNT]    # write COUNT routine files into OUT_DIR
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

_TARGETS = [
    "hamstrings (semitendinosus, semimembranosus, biceps femoris)",
    "calves (gastrocnemius, soleus)",
    "hip flexors (iliopsoas, rectus femoris)",
    "quadriceps",
    "hip extensors",
    "diaphragm, intercostals",
]
_POSITIONS = ["standing", "seated", "kneeling lunge", "lying on the back"]
_CUES = [
    "Keep your spine long",
    "Breathe slowly through the nose",
    "Relax the shoulders away from the ears",
    "Keep the knee soft, never locked",
    "Do not bounce",
]


def routine_text(index: int, seed: int = 0) -> str:
    """One routine's source text; the same (index, seed) always gives the same text."""
    rng = random.Random(seed * 1_000_003 + index)
    sides = rng.choice(["each, left first", "alternating, right first", "left only", "none"])
    lines = [
        f"# Generated routine {index}",
        f'routine "Routine {index}"',
        f"  id: routine-{seed}-{index}",
        f"  targets: {rng.choice(_TARGETS)}",
        "  equipment: mat",
        f"  position: {rng.choice(_POSITIONS)}",
        f"  level: {rng.choice(['beginner', 'intermediate', 'advanced'])}",
        "  partner: none",
        f"  frequency: {rng.randint(1, 3)} times a day",
        f"  sides: {sides}",
        "  tempo: 1 count = 1s",
        "  limit cycles {cycles}",
        "  limit hold 60s",
        "",
        '  note "Stop if anything hurts and tell your coach."',
        "",
        "  indications:",
        '    "Stiffness after sitting"',
        '    "Tight muscles after training"',
        "",
        "  posture:",
    ]
    lines += [f'    "{cue}"' for cue in rng.sample(_CUES, 2)]
    lines += [
        "",
        '  switch 5s "Change sides"',
        "",
        '  on pain "Too far: ease off"',
        '    release "Move back out of the stretch a little"',
        "    relax 30s",
        "",
        '  setup "Get into position"',
        "",
    ]
    cycles = 0
    for block in range(rng.randint(1, 3)):
        passes = rng.choice(["3", "2-3", "up to 3"])
        cycles += 3  # one contract-relax cycle a pass, at most 3 passes
        rest = rng.choice([10, 15, 20])
        lines.append(f"  repeat {passes}, rest {rest}s between:  # block {block}")
        lines.append(f'    contract {rng.randint(3, 6)}-{rng.randint(7, 10)} counts gently '
                     '"Press into the floor"')
        lines.append('    relax 2 breaths "Let go and breathe out"')
        lines.append(f'    hold {rng.randint(10, 20)}-{rng.randint(25, 45)}s to mild tension '
                     '"Ease a little deeper and hold"')
        lines.append(f'      cue at {rng.randint(3, 9)}s "{rng.choice(_CUES)}"')
        if rng.random() < 0.3:
            lines.append("    repeat 2:")
            lines.append('      inhale 4 counts "Breathe in"')
            lines.append('      exhale 6 counts "Breathe out slowly"')
        lines.append("")
    lines.append('  release "Come out of the stretch slowly"')
    # A coach declares the limit the routine keeps (a little headroom at times).
    return "\n".join(lines).replace("{cycles}", str(cycles + rng.randint(0, 2))) + "\n"


def long_routine(lines: int, seed: int = 0) -> str:
    """One flat routine of about ``lines`` lines: timed steps with five cues each, six lines
    a step, so 50,000 lines stay under the 10,000-step cap (L103). The shape for measuring
    how compile cost grows with a routine's length."""
    rng = random.Random(seed)
    out = [f'routine "Long routine of {lines} lines"', "  id: long", "  sides: none", ""]
    step = 0
    while len(out) < lines:
        step += 1
        kind = rng.choice(["hold", "relax", "breathe"])
        out.append(f'  {kind} {rng.randint(20, 30)}-{rng.randint(31, 45)}s "Step {step}"')
        out += [f'    cue at {3 * cue + 2}s "{rng.choice(_CUES)}"' for cue in range(5)]
    return "\n".join(out) + "\n"


def generate_library(directory: Path, count: int, seed: int = 0) -> list[Path]:
    """Write ``count`` routine files into ``directory`` (in a few sub-folders, as a real
    library would be) and return their paths."""
    paths = []
    for index in range(count):
        folder = directory / f"group-{index % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"routine-{index:05d}.stretch"
        path.write_text(routine_text(index, seed), encoding="utf-8")
        paths.append(path)
    return paths


def routine_texts(lines: int, seed: int = 0) -> list[str]:
    """Routine texts adding up to at least ``lines`` lines."""
    texts: list[str] = []
    total = 0
    while total < lines:
        texts.append(routine_text(len(texts), seed))
        total += texts[-1].count("\n")
    return texts


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    made = generate_library(out, int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    print(f"wrote {len(made)} routine files to {out}")
