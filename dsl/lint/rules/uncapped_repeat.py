"""An open repeat that nothing caps.

**What it catches.** `repeat at least N` (or `repeat N or more`) with no `, at most M` and
no limit that more passes would break: no `limit cycles` or `limit contractions` that its
passes count towards, no `limit total`, per side or per routine. Also an open repeat inside
a time box (`repeat for ...`) or a safety handler without `at most`: no limit caps those.

**Why it matters.** "At least 4 times" is a floor, and a player needs a ceiling too: the
timeline lists every pass a client may do, and the checker proves every limit for the
longest run. With no cap there is no longest run, and a keen client could go on for ever.
Such a repeat is planned with its N passes only until it is capped.

Bad:

```stretch
routine "Calf raises"
  repeat at least 4:
    contract 5s "Rise onto your toes"
    relax 5s "Lower slowly"
```

Good:

```stretch
routine "Calf raises"
  limit cycles 6
  repeat at least 4:
    contract 5s "Rise onto your toes"
    relax 5s "Lower slowly"
```
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec.structs

from dsl import model as m
from dsl.lint.rules import Context, Finding
from dsl.lint.rules._walk import repeats
from dsl.model import printer

CODE = "L106"
NAME = "uncapped-repeat"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    routine = context.routine
    for repeat in repeats(routine.body):
        if _uncapped(repeat):
            cap = context.expansion.cap(repeat)
            if cap is None or cap.by is None:
                yield _finding(context, repeat, _body_hint(context, repeat))
    for handler in routine.handlers:
        for repeat in repeats(handler.body):
            if _uncapped(repeat):
                yield _finding(context, repeat, "no limit caps a safety handler's steps: add "
                               f"`{_capped_text(repeat)}`")


def _uncapped(repeat: m.Repeat) -> bool:
    return repeat.count.mode == "at_least" and repeat.count.high is None


def _finding(context: Context, repeat: m.Repeat, hint: str) -> Finding:
    written = f"repeat {context.text_of(repeat.count.span)}"
    return Finding(
        context.first_line(repeat.count.span),
        f"`{written}` has no cap: nothing says how many passes it may run at most", hint)


def _capped_text(repeat: m.Repeat) -> str:
    """The repeat as written, with an `at most` two passes above its floor."""
    capped = msgspec.structs.replace(repeat.count, high=(repeat.count.low or 1) + 2)
    return f"repeat {printer.repeat_count(capped)}"


def _body_hint(context: Context, repeat: m.Repeat) -> str:
    if any(outer.count.mode == "for" and _inside(repeat, outer)
           for outer in repeats(context.routine.body)):
        return ("inside a time box no limit caps it: add `, at most M` "
                f"(`{_capped_text(repeat)}`)")
    return (f"add `, at most M` (`{_capped_text(repeat)}`), or a limit that more passes "
            "would break (`limit cycles 6`, `limit contractions 12`, `limit total 10m`)")


def _inside(repeat: m.Repeat, outer: m.Repeat) -> bool:
    return any(inner is repeat for inner in repeats(outer.body))
