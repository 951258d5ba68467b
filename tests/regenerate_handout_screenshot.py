"""Rewrite docs/images/handout.png: the first page of the example routine's handout, as
README.md and docs/exports.md show it.

    python tests/regenerate_handout_screenshot.py

Needs WeasyPrint (the [web] extra) and poppler's pdftoppm. Run it when the handout's look
changes on purpose, and look at the picture before committing it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUTINE = ROOT / "examples" / "hip-and-hamstring.stretch"
SCREENSHOT = ROOT / "docs" / "images" / "handout.png"


def main() -> None:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is not installed (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "handout.pdf"
        subprocess.run([sys.executable, "-m", "dsl", "handout", str(ROUTINE), "-o", str(pdf)],
                       check=True, cwd=ROOT)
        # 72 dots an inch: an A4 page 595 x 842 pixels, readable on a screen.
        subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(SCREENSHOT.with_suffix(""))], check=True)
    print(f"wrote {SCREENSHOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
