"""A `{name}` in quoted text that names nothing the routine knows.

**What it catches.** A placeholder whose name is not one of the routine's: the side words
`{side}`, `{other}`, `{Side}`, `{Other}` (when the routine has sides), such as `{sied}` or
`{leg}`. (A side word in a routine without sides is V115.)

**Why it matters.** The player cannot fill a name it does not know: the client would hear
or read the braces and the word, as written.

Bad:

```stretch
routine "Side lunge"
  sides: each, left first
  hold 30s "Reach with your {sied} hand"
```

Good:

```stretch
routine "Side lunge"
  sides: each, left first
  hold 30s "Reach with your {side} hand"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable
from dsl.lint.rules._texts import quoted_texts
from dsl.model import placeholders
from dsl.suggestions import closest, suggestion

CODE = "V113"
NAME = "unknown-placeholder"
SEVERITY = "error"
FIX = Fixable("unsafe", "replaces the name with the one it is closest to (`{sied}` becomes "
              "`{side}`), which changes the words the client hears")


def check(context: Context) -> Iterator[Finding]:
    known = context.routine.placeholder_names
    for quoted in quoted_texts(context):
        for found in placeholders.scan(quoted.text)[0]:
            if found.name in known or found.name in placeholders.SIDE_WORDS:
                continue  # (a side word with no sides to fill it is V115's)
            yield Finding(quoted.span(found.start, found.end),
                          f"unknown placeholder `{{{found.name}}}`", _hint(found.name, known))


def _closest(name: str, known: frozenset[str]) -> str | None:
    """The known name closest to ``name``, one with the same case of first letter first
    (`{sied}` is `{side}`, not `{Side}`)."""
    same_case = sorted(n for n in known if n[:1].islower() == name[:1].islower())
    return closest(name, same_case) or closest(name, sorted(known))


def _hint(name: str, known: frozenset[str]) -> str:
    choice = _closest(name, known)
    hint = suggestion(None if choice is None else f"{{{choice}}}")
    if hint is not None:
        return hint
    if known:
        order = placeholders.SIDE_WORDS
        listed = ", ".join(f"`{{{n}}}`" for n in sorted(
            known, key=lambda n: (order.index(n) if n in order else len(order), n)))
        return f"this routine's placeholders are {listed}; write `{{{{` for a literal brace"
    return "this routine has no placeholders; write `{{` and `}}` for literal braces"


def fix(context: Context, found: Diagnostic) -> Fix | None:
    choice = _closest(context.text_of(found.span).strip("{}"),
                      context.routine.placeholder_names)
    if choice is None or found.span.line != found.span.end_line:
        return None
    return Fix(f"Replace `{context.text_of(found.span)}` with `{{{choice}}}`", FIX.safety,
               (Edit(found.span, f"{{{choice}}}"),))
