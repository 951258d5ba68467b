"""An image or video file that does not exist.

**What it catches.** `image "..."` and `video "..."` (on the routine or on a step) whose
path, taken relative to the routine file's folder, names no file. Web addresses
(`https://...`) are not fetched or checked.

**Why it matters.** The handout says "as demonstrated in the picture"; when the picture
is missing the app shows an empty frame and the client has to guess the position. A
renamed or forgotten file is easy to miss by eye in a library of routines.

Bad:

```stretch
routine "Hip flexor stretch"
  image "images/no-such-picture.jpg" "Kneeling lunge"
```

Good:

```stretch
routine "Hip flexor stretch"
  image "https://example.org/images/hip-flexor-lunge.jpg" "Kneeling lunge"
```
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding

CODE = "R101"
NAME = "missing-media"
SEVERITY = "warning"

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def check(context: Context) -> Iterator[Finding]:
    media = [i for i in context.routine.items if isinstance(i, m.Media)]
    for step in context.steps:
        media.extend(step.media)
    if not media:
        return
    folder = _folder(context.path)
    for item in media:
        source = item.source
        if _URL.match(source) or source.startswith("data:"):
            continue
        full = os.path.join(folder, source)
        if os.path.isfile(full):
            continue
        shown = os.path.normpath(full)
        yield Finding(
            context.first_line(item.span), f"{item.kind} file `{source}` does not exist",
            f"the path is taken from the routine file's folder (looked for {shown}); "
            "fix the path or add the file",
        )


def _folder(path: str) -> str:
    if path.startswith("<") and path.endswith(">"):  # standard input, a string
        return os.curdir
    return os.path.dirname(path) or os.curdir
