"""A target that is not a known muscle, muscle group or tendon.

**What it catches.** Names in `targets:` (and the details in parentheses) that the bundled
vocabulary does not know, with the closest known name as a suggestion. The vocabulary
(`dsl/model/vocabulary/targets.txt`) has the common muscle groups and regions (hamstrings, hip
flexors, calves, lower back...), the individual muscles of the trunk and limbs by their
anatomical names (semitendinosus, gastrocnemius, iliopsoas...), the breathing muscles,
and tendons and fascia (achilles tendon, plantar fascia, IT band). Singular and plural
are both accepted. Add your own names with `extend-targets` in `[tool.stretch]`.

**Why it matters.** Apps search and group routines by target; a typo (`hamstrigns`)
hides the routine from everyone looking for hamstring stretches.

Bad:

```stretch
routine "Hamstring stretch"
  targets: hamstrigns (semitendinosus)
```

Good:

```stretch
routine "Hamstring stretch"
  targets: hamstrings (semitendinosus)
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Finding, Fix, Fixable, take_suggestion
from dsl.model import vocabulary
from dsl.suggestions import suggestion

CODE = "T101"
NAME = "unknown-target"
SEVERITY = "warning"
FIX = Fixable("unsafe", "replaces the name with the one known target it is close to (a "
              "close name may be another muscle: check it)")


def check(context: Context) -> Iterator[Finding]:
    extra = context.config.extend_targets
    for target in context.routine.targets:
        for named in (target, *target.details):
            if vocabulary.is_known(named.name, extra):
                continue
            span = named.span
            if named.details:  # point at the name, not at its details in parentheses
                span = m.Span(span.line, span.column, span.line, span.column + len(named.name))
            close = vocabulary.suggest(named.name, extra)
            hint = (suggestion(close)
                    or "if the name is right, add it to `extend-targets` in [tool.stretch]")
            yield Finding(span, f"unknown target `{named.name}`", hint)


def fix(context: Context, found: Diagnostic) -> Fix | None:
    return take_suggestion(context, found, FIX.safety)
