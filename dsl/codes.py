"""The registry of every code stretch reports: syntax (``P``), lint rules (``L``, ``V``,
``T``, ``R``, ``S``, ``X``), compiling (``C``), starting a routine (``N``) and making an
audio track (``A``).

Each code has a name, a default level, a summary, an explanation and (for rules) an
example, and says where it is reported (``runs``, ``where``). ``stretch explain``,
``stretch rules``, docs/rules.md, the SARIF rule metadata, shell completion and the
language server's hover all read this registry; a test fails when a code is reported that
it lacks.

The lint rules' metadata stays in their modules (``CODE``, ``NAME``, ``SEVERITY``, the
docstring; ``RULES`` for look-alike rules with settings), gathered here on first use; the
syntax codes' in ``dsl.syntax.codes``. Importing this module imports no rule, no parser
and no compiler.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Literal

import msgspec

if TYPE_CHECKING:
    from dsl.diagnostics import Severity
    from dsl.lint.rules import Context, Finding, Fixable, Fixer
    from dsl.syntax.codes import SyntaxCode

Runs = Literal["parser", "per file", "across files", "on suppressions", "on plans",
               "compiler", "new", "audio"]
"""Where a code is reported: by the parser; by a rule's ``check`` on one parsed file; by
the lint run looking at all its files together; while suppression comments are read and
applied; while a session or programme is checked with the files it names; by the compiler;
by ``stretch new`` when it cannot create a routine file; by ``stretch audio`` as it makes a
track."""

RULE_MODULES = (
    "limit_exceeded", "group_limit_exceeded", "routine_too_long", "unchecked_total",
    "session_limit_exceeded", "routine_breaks_as_used",
    "meaningless_limit_scope", "uncapped_repeat",
    "inverted_range", "zero_amount", "cue_after_step_end", "meaningless_tempo",
    "switch_among_steps", "nothing_to_alternate", "untimed_in_time_box", "time_box_too_short",
    "empty_exercise",
    "control_character", "default_out_of_range", "unused_parameter", "too_many_parameters",
    "misplaced_reps", "meaningless_pace", "time_per_rep_without_reps",
    "unknown_placeholder", "stray_brace", "side_word_without_side", "meaningless_side_block",
    "meaningless_side_amount",
    "unknown_target",
    "missing_media", "unknown_variant", "duplicate_id", "duplicate_setting",
    "duplicate_exercise_id",
    "missing_reference", "ambiguous_reference", "reference_cycle", "unknown_override",
    "broken_reference", "unknown_stage", "progression_out_of_range",
    "long_step", "contraction_without_relax", "contractions_without_limit",
    "contractions_without_pain_handler", "untimed_hold", "contraction_in_handler",
    "unused_suppression", "invalid_suppression",
)
"""The modules under ``dsl.lint.rules`` that define rules, in the rule reference's order
(a module may define several look-alike rules: ``RULES`` instead of ``CODE``)."""


class Option(msgspec.Struct, frozen=True):
    """A rule's setting in the configuration: ``key = "20s"`` (a duration, in seconds)."""

    key: str
    default: float
    about: str


class Code(msgspec.Struct, frozen=True):
    """One code as the registry knows it."""

    code: str
    name: str
    severity: Severity  # the default level
    doc: str  # the whole documentation (markdown): summary line first
    runs: Runs
    where: str  # the function that reports it, ``module:function``
    check: Callable[[Context], Iterable[Finding]] | None = None  # rules that run per file
    options: tuple[Option, ...] = ()
    fix: Fixable | None = None  # what its fix does, when a finding can be mended mechanically
    fixer: Fixer | None = None  # builds one finding's fix; run only when fixes are asked for

    @property
    def summary(self) -> str:
        """The documentation's first line, without its final period."""
        return self.doc.strip().splitlines()[0].rstrip(".")

    @property
    def explanation(self) -> str:
        """The documentation after the summary, examples included."""
        return self.doc.strip().partition("\n")[2].strip()

    @property
    def example(self) -> str:
        """The documentation's examples (from "Bad" to the last code block), or ""."""
        text = self.explanation
        start = re.search(r"^Bad\b", text, re.MULTILINE)
        if start is None:
            return ""
        end = text.rfind("```")
        return text[start.start():end + 3] if end > start.start() else ""

    @property
    def family(self) -> str:
        return self.code[0]

    @property
    def is_rule(self) -> bool:
        """Lint rules can be selected, configured and silenced; P, C, N and A codes cannot."""
        return self.family not in "PCNA"


Rule = Code
"""A lint rule is a code of the registry."""


_TOO_MANY_STEPS = """The routine has too many steps to compile.

**What it catches.** A routine that, with its repeats and sides expanded, has more than
10,000 steps. The checks report such a routine first (`routine-too-long`, L103); when a
project turns L103 off, `stretch compile` (and the Python `compile_file`) still refuses
the routine with C001 when it builds the timeline, and writes no output for the file.

**Why it matters.** The compiled timeline lists every step a player runs. Ten thousand
steps is hours of stretching; more is a typo in a repeat count, and a player would have
to hold a timeline that size in memory.

Bad:

```stretch
routine "Calf stretch"
  repeat 500:
    repeat 50:
      hold 10s "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  repeat 5:
    hold 10s "Lean into the wall"
```
"""

_SETTINGS = """**How to give a value.** `stretch compile --set NAME=VALUE` (as often as there are
parameters to set; the others keep their defaults), `stretch play --set ...`, and in
Python `dsl.compile_file(path, settings=["hold=45s"])`. The value is written as in a
routine: an amount with its unit for a parameter declared with one (`45s`, `1m30s`,
`5 counts`, `3 breaths`), a whole number for a repeat count (`4`). It must be within the
range the parameter declares. Nothing is written for a routine with such an error.

```stretch
routine "Calf stretch"
  parameter hold: 30s, 20-60s "How long to hold each stretch"
  parameter rounds: 3, 2-5 "Rounds"
  repeat {rounds} times:
    hold {hold} "Lean into the wall"
```

```sh
stretch compile calf.stretch --set hold=45s --set rounds=4
```
"""

_UNKNOWN_SETTING = """`--set` names a parameter the routine does not declare.

**What it catches.** `--set hodl=45s` when the routine declares `hold`, or any `--set` for
a routine without parameters. The hint suggests the closest name, or lists the routine's
parameters. (`--set` applies to every routine compiled in one run, so each must declare
the names it gives.)

""" + _SETTINGS

_OUT_OF_RANGE = """`--set` gives a parameter a value outside its range.

**What it catches.** `--set hold=90s` for `parameter hold: 30s, 20-60s`. The range is
what the routine was checked for (every limit holds over all of it); a value outside it
was never checked, so the routine is not compiled with it. The message quotes the range.

""" + _SETTINGS

_UNREADABLE_SETTING = """`--set` gives a value that cannot be read.

**What it catches.** `--set hold` (no value), `--set hold=long`, `--set rounds=2.5` (a
repeat count is a whole number).

""" + _SETTINGS

_WRONG_UNIT = """`--set` gives a value in the wrong unit, or none.

**What it catches.** `--set hold=45` for a parameter in seconds (is it seconds or
counts?), `--set hold=5 counts` for one in seconds, `--set rounds=30s` for a repeat
count (written without a unit).

""" + _SETTINGS

_CHOOSING = """**How to choose.** `stretch compile --variant NAME` runs the whole routine as the
variant `NAME`; `--variant EXERCISE/NAME` runs one exercise so (named by its `id:` or its
number from 1), over a variant chosen for the whole routine. One variant applies at a time
for the routine and for each exercise. The same works for `stretch play` and in Python
(`dsl.compile_file(path, variants=["harder"])`). Nothing is written for a routine with
such an error.

```stretch
routine "Calf stretch"
  hold 30s "Lean into the wall"
    variant harder: 60s
```

```sh
stretch compile calf.stretch --variant harder
```
"""

_UNKNOWN_CHOICE = """`--variant` names a variant the routine (or the exercise) does not have.

**What it catches.** `--variant hardr`, or `--variant chair` when no `variant chair "..."`
is declared and no step changes for `chair`. `easier` and `harder` always exist (with no
change for them, the routine runs as written). The hint suggests the closest name, or lists
the variants there are. (`--variant` applies to every routine compiled in one run, so each
must have the variants it names.)

""" + _CHOOSING

_UNKNOWN_EXERCISE = """`--variant EXERCISE/NAME` names an exercise the routine does not have.

**What it catches.** `--variant clf/easier` when the exercise's id is `calf`, a number past
the last exercise, or any `EXERCISE/` for a routine without exercises.

""" + _CHOOSING

_CHOSEN_TWICE = """Two variants chosen for the same scope.

**What it catches.** `--variant easier --variant harder` (both for the whole routine), or two
for one exercise. One variant applies at a time: a step changed by both would not know
which change to make.

""" + _CHOOSING

_PLAN_OPTIONS = """`--set` or `--variant` given for a session or programme.

**What it catches.** `stretch compile session.stretch --set hold=40s` or `--variant
harder`. A session gives each routine it does its own values and variants, under that
routine's `do` line (`set hold: 40s`, `variant: harder`); a programme's `progress` lines
give values week by week. One option for the whole file could not say which routine it
meant.

**What to do.** Write the value or the variant in the session, under the `do` line of
the routine it is for.
"""

COMPILE_CODES = (
    Code("C001", "too-many-steps", "error", inspect.cleandoc(_TOO_MANY_STEPS), "compiler",
         "dsl.pipeline:compile_file"),
    Code("C002", "unknown-setting", "error", inspect.cleandoc(_UNKNOWN_SETTING), "compiler",
         "dsl.timeline.settings:read_settings"),
    Code("C003", "setting-out-of-range", "error", inspect.cleandoc(_OUT_OF_RANGE),
         "compiler", "dsl.timeline.settings:read_settings"),
    Code("C004", "unreadable-setting", "error", inspect.cleandoc(_UNREADABLE_SETTING),
         "compiler", "dsl.timeline.settings:read_settings"),
    Code("C005", "setting-unit", "error", inspect.cleandoc(_WRONG_UNIT), "compiler",
         "dsl.timeline.settings:read_settings"),
    Code("C006", "unknown-variant-choice", "error", inspect.cleandoc(_UNKNOWN_CHOICE),
         "compiler", "dsl.timeline.choosing:read_variants"),
    Code("C007", "unknown-exercise-choice", "error", inspect.cleandoc(_UNKNOWN_EXERCISE),
         "compiler", "dsl.timeline.choosing:read_variants"),
    Code("C008", "variant-chosen-twice", "error", inspect.cleandoc(_CHOSEN_TWICE),
         "compiler", "dsl.timeline.choosing:read_variants"),
    Code("C009", "options-for-a-plan", "error", inspect.cleandoc(_PLAN_OPTIONS),
         "compiler", "dsl.pipeline:compile_file"),
)
"""The compiler's codes (C): always errors, reported by ``stretch compile`` only."""


_ALREADY_EXISTS = """The file `stretch new` was asked to create already exists.

**What it catches.** `stretch new FILE` where something is already at `FILE`: a routine,
any other file, a folder or a link. `stretch new` never overwrites: nothing is written, and
what is there stays exactly as it was. This holds even when the file appears while
`stretch new` is writing (another program saving it at the same moment): the new routine is
put in place only if the name is still free.

**What to do.** Choose another name, or move the existing file away first. To look at a
template without creating a file, print it: `stretch new --template NAME -`.

```sh
stretch new routines/hamstring-hold.stretch      # error[N001] if it exists
stretch new routines/hamstring-hold-2.stretch    # a free name
```
"""

_NO_SUCH_FOLDER = """The folder for the new routine does not exist.

**What it catches.** `stretch new routines/calf.stretch` when there is no `routines`
folder (or `routines` is a file). `stretch new` does not make folders: a folder that does
not exist is more often a typo in the path than a wish for a new one. Nothing is written.

**What to do.** Check the spelling of the path, or make the folder first:

```sh
mkdir -p routines && stretch new routines/calf.stretch
```
"""

_CANNOT_CREATE = """The new routine file could not be written.

**What it catches.** The folder exists and the name is free, but the system refused to
create the file: the folder is read-only for you, the disk is full, or the file system
does not allow the name. The message gives the system's reason. Nothing is left behind:
no part-written file, no temporary file.

**What to do.** Fix what the message names (the folder's permissions, free space), or
write the routine somewhere else.
"""

NEW_CODES = (
    Code("N001", "already-exists", "error", inspect.cleandoc(_ALREADY_EXISTS), "new",
         "dsl.cli.new:create"),
    Code("N002", "no-such-folder", "error", inspect.cleandoc(_NO_SUCH_FOLDER), "new",
         "dsl.cli.new:create"),
    Code("N003", "cannot-create", "error", inspect.cleandoc(_CANNOT_CREATE), "new",
         "dsl.cli.new:create"),
)
"""The codes of ``stretch new`` (N): always errors; nothing is written when one is
reported."""


_SPEECH_OVERRUN = """Words of the audio track run into the next cue, even spoken fastest.

**What it catches.** `stretch audio` says each step's and each cue's words at their time,
and leaves half a second of quiet before the next thing it says or beeps. Words that
would run past that are spoken faster, up to 260 words a minute; words that still do not
fit are reported with A001 at the step or cue they come from. The track keeps every word
and every time: those words overlap what follows (a beep, or the next words). The track
is written, and `stretch audio` exits 0.

**Why it matters.** Someone stretching with their eyes closed cannot follow two things
said at once, and words rushed past 260 a minute are hard to follow at all.

**What to do.** Shorten the text, give the step more time, or give the cue a later time.
Short steps need short words: at the usual pace the voice says about 2.5 words a second.

Bad:

```stretch
routine "Calf stretch"
  setup 3s "Stand facing the wall, hands on it, and step one foot back"
  hold 30s "Lean in"
```

Good:

```stretch
routine "Calf stretch"
  setup 10s "Stand facing the wall, hands on it, and step one foot back"
  hold 30s "Lean in"
```
"""

AUDIO_CODES = (
    Code("A001", "speech-overrun", "warning", inspect.cleandoc(_SPEECH_OVERRUN), "audio",
         "dsl.cli.audio:overrun_diagnostic"),
)
"""The codes of ``stretch audio`` (A): warnings about the track; it is written anyway."""


@lru_cache(maxsize=1)
def rules() -> tuple[Code, ...]:
    """Every lint rule, in the rule reference's order."""
    found: list[Code] = []
    for name in RULE_MODULES:
        module = importlib.import_module(f"dsl.lint.rules.{name}")
        found.extend(_rules_of(module))
    return tuple(found)


def _rules_of(module: ModuleType) -> list[Code]:
    """The rules a module defines: ``CODE``, ``NAME``, ``SEVERITY``, the docstring and
    ``check`` (or, for a rule that is not a check of one file, ``RUNS`` and
    ``REPORTED_BY`` instead of ``check``); or ``RULES``, look-alike rules as objects with
    ``code``, ``name``, ``severity``, ``doc``, ``options`` and a ``check`` method."""
    many = getattr(module, "RULES", None)
    if many is not None:
        return [
            _checked(Code(r.code, r.name, r.severity, inspect.cleandoc(r.doc), "per file",
                          f"{module.__name__}:{type(r).__name__}.check", r.check,
                          tuple(Option(*o) for o in r.options)))
            for r in many
        ]
    runs: Runs = getattr(module, "RUNS", "per file")
    check = getattr(module, "check", None)
    where = getattr(module, "REPORTED_BY", f"{module.__name__}:check")
    fix: Fixable | None = getattr(module, "FIX", None)
    fixer: Fixer | None = getattr(module, "fix", None)
    return [_checked(Code(module.CODE, module.NAME, module.SEVERITY,
                          inspect.cleandoc(module.__doc__ or ""), runs, where, check,
                          fix=fix, fixer=fixer))]


def _checked(rule: Code) -> Code:
    assert re.fullmatch(r"[LVTRSX]\d{3}", rule.code), rule.code
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
    assert (rule.check is not None) == (rule.runs == "per file"), rule.code
    assert (rule.fix is None) == (rule.fixer is None), rule.code
    return rule


@lru_cache(maxsize=1)
def syntax_codes() -> tuple[Code, ...]:
    """The parser's codes (P), from ``dsl.syntax.codes``."""
    from dsl.lint.syntax_fixes import FIXES
    from dsl.syntax.codes import SYNTAX_CODES

    return tuple(
        Code(c.code, c.name, "error", f"{c.summary}.\n\n{c.explanation}{_examples(c)}",
             "parser", "dsl.syntax.parser:parse_bytes",
             fix=FIXES[c.code][0] if c.code in FIXES else None,
             fixer=FIXES[c.code][1] if c.code in FIXES else None)
        for c in SYNTAX_CODES
    )


def _examples(code: SyntaxCode) -> str:
    """The bad and good routines of a parser code, as the rules' docs show theirs. The bad
    one is fenced as text: it is not valid stretch, and every stretch block in the docs
    must parse."""
    if not code.bad:
        return ""
    return (f"\n\nBad:\n\n```text\n{code.bad}```\n\nGood:\n\n"
            f"```stretch\n{code.good}```")


def all_codes() -> tuple[Code, ...]:
    """Every code: syntax, rules, compiling, starting a routine, making an audio track."""
    return (*syntax_codes(), *rules(), *COMPILE_CODES, *NEW_CODES, *AUDIO_CODES)


@lru_cache(maxsize=1)
def by_code() -> dict[str, Code]:
    return {entry.code: entry for entry in all_codes()}


def find(code_or_name: str) -> Code | None:
    """The code with this code (any case) or kebab-case name, or None."""
    wanted = code_or_name.strip()
    found = by_code().get(wanted.upper())
    if found is not None:
        return found
    return next((c for c in all_codes() if c.name == wanted.lower()), None)


def find_rule(code_or_name: str) -> Code | None:
    """The lint rule with this code or name, or None (syntax and compile codes are not
    rules: they cannot be selected or silenced)."""
    found = find(code_or_name)
    return found if found is not None and found.is_rule else None


def lookup_selector(selector: str) -> tuple[Code, ...]:
    """The rules a selector names: a code (``S104``), a prefix (``S``, ``S1``), a name
    (``untimed-hold``) or ``ALL``. Empty when it names none."""
    wanted = selector.strip()
    if wanted.upper() == "ALL":
        return rules()
    rule = find_rule(wanted)
    if rule is not None:
        return (rule,)
    if re.fullmatch(r"[A-Za-z]\d{0,2}", wanted):
        return tuple(r for r in rules() if r.code.startswith(wanted.upper()))
    return ()


def options() -> dict[str, tuple[Code, Option]]:
    """Every rule option by its configuration key, with its rule."""
    return {option.key: (rule, option) for rule in rules() for option in rule.options}
