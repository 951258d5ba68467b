"""Steps far longer than stretching guidance recommends, one rule per kind of step:
``long-contraction`` (S101) and ``long-hold`` (S102).

Both measure a step's longest time (counts and breaths converted with the routine's
tempo) against a threshold that the configuration can change (``long-contraction`` and
``long-hold``, durations such as ``"20s"``). They are one check with two sets of words;
their codes stay apart because suppression comments, configurations and code scanning
alerts name them.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from dsl.diagnostics import Severity
from dsl.lint.rules import Context, Finding, _sources
from dsl.model import printer
from dsl.timeline.expand import CONTRACTION, step_seconds

_SETTING = """
**Setting.** `{key} = "{default}"` under `[tool.stretch]` (or in `stretch.toml`) is the
longest {step} allowed before this rule reports it; the default is {default}.
"""

_CONTRACTION_DOC = """A contraction far longer than usual PNF practice.

**What it catches.** A `contract` step that can last more than 20 s (its longest time,
counts converted with the routine's tempo).

**Why it matters.** Contract-relax (PNF) stretching uses short contractions: ACSM
recommends 3-6 s at 20-75% of maximal effort, and the protocols reviewed by Sharman et al.
and by Page use contractions of a few seconds, up to about 10 s. Longer contractions add
no range of motion, tire the muscle, raise blood pressure (clients tend to hold their
breath while they push) and make cramps more likely. The threshold is twice the usual
10 s upper end, so routines inside normal practice (the founding handout's 5-15 counts)
pass, and only a contraction far beyond it is flagged.

Bad:

```stretch
routine "Hamstring PNF"
  contract 45s firmly "Push the heel down"
  relax 10s
```

Good:

```stretch
routine "Hamstring PNF"
  contract 6s gently "Push the heel down"
  relax 10s
```
""" + _SETTING.format(key="long-contraction", default="20s", step="contraction") + """
**Sources.**

- {ACSM}
- {SHARMAN}
- {PAGE}
"""

_HOLD_DOC = """A static hold far longer than stretching guidance recommends.

**What it catches.** A `hold` step that can last more than 2 minutes in one go.

**Why it matters.** ACSM recommends holding a static stretch 10-30 s (30-60 s for older
adults), about 60 s in total per muscle group, split into repetitions; Page's review
reaches the same figures. Behm et al. found that static stretching of 60 s or more per
muscle group brings larger losses of strength and power afterwards, with no matching gain
in injury prevention. A single hold of more than 2 minutes, twice the longest recommended
total, is far outside that guidance and is usually a unit typo (`hold 30m` for `30s`).

Bad:

```stretch
routine "Calf stretch"
  hold 5m to mild tension "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  repeat 3, rest 15s between:
    hold 20-30s to mild tension "Lean into the wall"
```
""" + _SETTING.format(key="long-hold", default="2m", step="hold") + """
**Sources.**

- {ACSM}
- {PAGE}
- {BEHM}
"""


class LongStep(msgspec.Struct, frozen=True):
    """One look-alike rule: which steps it measures, its threshold, and its words."""

    code: str
    name: str
    severity: Severity
    doc: str
    kind: str  # the step kind measured
    what: str  # the step in words: "contraction", "hold"
    longest_seconds: float  # the default threshold; the option of the same name as the rule
    message: str  # with ``{longest}``, the step's longest time
    hint: str

    @property
    def options(self) -> tuple[tuple[str, float, str], ...]:
        """The rule's setting: key, default (seconds), what it means."""
        return ((self.name, self.longest_seconds, f"the longest {self.what} allowed"),)

    def check(self, context: Context) -> Iterator[Finding]:
        threshold = context.config.option(self.name, self.longest_seconds)
        for step in context.steps:
            timed = step_seconds(step, context.rates)
            if step.kind != self.kind or timed is None:
                continue
            longest = timed[1]
            if longest > threshold:
                yield Finding(context.first_line(step.span),
                              self.message.format(longest=printer.duration(longest)), self.hint)


LONG_CONTRACTION = LongStep(
    "S101", "long-contraction", "warning",
    _CONTRACTION_DOC.format(ACSM=_sources.ACSM, SHARMAN=_sources.SHARMAN, PAGE=_sources.PAGE),
    CONTRACTION, "contraction", 20.0,
    "this contraction lasts up to {longest}, far beyond the 3-10s of usual contract-relax "
    "practice",
    "contract for 10 seconds at most (ACSM suggests 3-6 s), then relax; repeat the cycle "
    "instead of lengthening it",
)

LONG_HOLD = LongStep(
    "S102", "long-hold", "warning",
    _HOLD_DOC.format(ACSM=_sources.ACSM, PAGE=_sources.PAGE, BEHM=_sources.BEHM),
    "hold", "hold", 120.0,
    "this hold lasts up to {longest}, far longer than the 10-60s stretching guidance "
    "recommends",
    "hold 10-30 s (30-60 s for older adults) and repeat the hold instead: "
    "`repeat 3, rest 15s between:`",
)

RULES = (LONG_CONTRACTION, LONG_HOLD)
