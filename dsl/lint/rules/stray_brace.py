"""A brace in quoted text that opens or closes no placeholder.

**What it catches.** A `{` or `}` that is not part of a `{name}` placeholder and not
doubled: `"Hold {the stretch"`, `"Breathe } out"`, `"{ side }"` (no spaces inside a
placeholder). Braces in quoted text are placeholders; `{{` and `}}` write one literal brace.

**Why it matters.** The player shows the brace as written, which is rarely what was meant;
a brace meant as a placeholder with a slip in it would go unfilled.

Bad:

```stretch
routine "Calf stretch"
  hold 30s "Lean in {gently"
```

Good:

```stretch
routine "Calf stretch"
  hold 30s "Lean in {{gently}}"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable
from dsl.lint.rules._texts import quoted_texts
from dsl.model import placeholders

CODE = "V114"
NAME = "stray-brace"
SEVERITY = "warning"
FIX = Fixable("safe", "doubles the brace, so it is shown as one literal brace (as it is now)")


def check(context: Context) -> Iterator[Finding]:
    for quoted in quoted_texts(context):
        for stray in placeholders.scan(quoted.text)[1]:
            what = "opens" if stray.brace == "{" else "closes"
            yield Finding(quoted.span(stray.start, stray.start + 1),
                          f"this `{stray.brace}` {what} no placeholder",
                          f"write `{stray.brace * 2}` for a literal brace, or a placeholder "
                          "such as `{side}`")


def fix(context: Context, found: Diagnostic) -> Fix | None:
    brace = context.text_of(found.span)
    if brace not in ("{", "}"):
        return None
    return Fix(f"Write `{brace * 2}`", FIX.safety, (Edit(found.span, brace * 2),))
