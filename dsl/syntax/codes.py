"""The parser's codes (P1xx syntax, P2xx values), which the registry (``dsl.codes``) lists
for `stretch explain`, the rule reference and SARIF metadata. The parser
(``dsl.syntax.parser``, ``dsl.syntax.errors``) reports them; this table only describes
them. Syntax problems are always errors and cannot be silenced.
"""

from __future__ import annotations

import msgspec


class SyntaxCode(msgspec.Struct, frozen=True):
    """One parser code. ``bad`` is a routine that gets this code and ``good`` the same
    routine mended (tests/test_codes.py parses both); codes about the file itself (its
    bytes, its size, tabs, nesting hundreds deep) have no routine to show."""

    code: str
    name: str
    summary: str
    explanation: str
    bad: str = ""
    good: str = ""


SYNTAX_CODES: tuple[SyntaxCode, ...] = (
    SyntaxCode("P101", "syntax-error", "The line does not fit the language here",
               "The parser expected something else at this point; the message says what it "
               "expected (in words) and what it found. Check the line against the language "
               "reference (docs/language.md).",
               bad=('routine "Calf stretch"\n'
                    '  hold 30s "Lean in" "Breathe out"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean in and breathe out"\n')),
    SyntaxCode("P102", "missing-unit", "An amount without a unit",
               "Every amount has a unit: `30s`, `1m30s`, `5 counts`, `3 breaths`. `hold 30` "
               "could mean seconds or counts, so the language asks you to say which.",
               bad=('routine "Calf stretch"\n'
                    '  hold 30 "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P103", "unknown-statement", "A line starts with a word that is not a step or "
               "setting", "A line starts with a step (`hold`, `contract`, `relax`...) or a "
               "setting (`targets:`, `sides:`...). Often a typo such as `contrct`; the hint "
               "suggests the closest word.",
               bad=('routine "Calf stretch"\n'
                    '  hodl 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P104", "unquoted-text", "The client's words are not in double quotes",
               "Free text (what the client is told) goes in double quotes: "
               "`hold 30s \"Lean into the wall\"`.",
               bad=('routine "Calf stretch"\n'
                    '  hold 30s Lean into the wall\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P105", "unclosed-quote", "Text with no closing quote",
               "A text starts with `\"` but the line ends before the closing `\"`. Text "
               "cannot run over several lines.",
               bad=('routine "Calf stretch"\n'
                    '  hold 30s "Lean into the wall\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P106", "typographic-quote", "Typographic quotes instead of straight ones",
               "Word processors replace `\"...\"` with curly quotes; the language only reads "
               "straight double quotes.",
               bad=('routine "Calf stretch"\n'
                    '  hold 30s “Lean into the wall”\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P107", "outside-routine", "A line that should be indented under the routine",
               "Everything after `routine \"...\"` belongs to the routine and is indented "
               "under it.",
               bad=('routine "Calf stretch"\n'
                    'hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P108", "no-routine-header", "The file does not start with `routine \"Title\"`",
               "A routine file starts with a `routine \"Title\"` line (comments and blank "
               "lines may come before it).",
               bad=('hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P109", "missing-title", "The routine has no title in double quotes",
               "Write the routine's title in double quotes: `routine \"Calf stretch\"`.",
               bad=('routine\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P110", "unexpected-indent", "A line is indented under a line that opens no "
               "block", "Only `routine`, `repeat`, `on pain`, `for ...:`, lists such as "
               "`posture:` and steps (for their cues) take indented lines under them.",
               bad=('routine "Calf stretch"\n'
                    "  note \"Stand an arm's length from a wall\"\n"
                    '    hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     "  note \"Stand an arm's length from a wall\"\n"
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P111", "missing-block", "A block opener with nothing indented under it",
               "`repeat 3:`, `posture:`, `on pain` and similar lines need the lines that "
               "belong to them indented under them.",
               bad=('routine "Calf stretch"\n'
                    '  repeat 3:\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  repeat 3:\n'
                     '    hold 30s "Lean into the wall"\n')),
    SyntaxCode("P112", "nul-character", "The file contains a NUL character",
               "A routine file is plain text; a NUL character usually means a binary file or "
               "a damaged one."),
    SyntaxCode("P113", "inconsistent-dedent", "A line's indentation matches no outer block",
               "When a block ends, the next line must line up exactly with an outer block.",
               bad=('routine "Calf stretch"\n'
                    '  repeat 3:\n'
                    '      hold 30s "Lean into the wall"\n'
                    '    rest 10s\n'),
               good=('routine "Calf stretch"\n'
                     '  repeat 3:\n'
                     '    hold 30s "Lean into the wall"\n'
                     '    rest 10s\n')),
    SyntaxCode("P114", "mixed-indentation", "Tabs and spaces mixed in the indentation",
               "The file mixes tabs and spaces differently from line to line; indent with "
               "spaces only (or tabs only)."),
    SyntaxCode("P115", "misspelt-word", "A misspelt keyword",
               "A word in the line is close to a keyword the language expects here; the hint "
               "names it.",
               bad=('routine "Calf stretch"\n'
                    '  hold 30s gentley "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s gently "Lean into the wall"\n')),
    SyntaxCode("P116", "unexpected-character", "A character no statement can contain",
               "Symbols such as `;` or `@` only appear inside quoted text or after `#`.",
               bad=('routine "Calf stretch"\n'
                    '  hold 30s; "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P117", "too-deep", "Blocks nested too deeply",
               "Repeats and blocks nest only a limited number of levels; real routines need "
               "a few. Split the routine into simpler repeats."),
    SyntaxCode("P118", "number-too-large", "A number too large to be meant",
               "Numbers in a routine go up to 999,999,999 (nine digits before the decimal "
               "point). A longer one is a typo, or text pasted in the wrong place; it "
               "could not be timed or compiled.",
               bad=('routine "Calf stretch"\n'
                    '  hold 3000000000s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P120", "empty-file", "The file has no routine",
               "The file is empty or holds only comments.",
               bad=('# Calf stretch: to be written\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P121", "not-utf8", "The file is not valid UTF-8",
               "Routine files are UTF-8 text; save the file as UTF-8 in your editor."),
    SyntaxCode("P122", "binary-file", "The file is not a text file",
               "The file contains NUL bytes: it is probably not a routine file."),
    SyntaxCode("P123", "unreadable-file", "The file cannot be read",
               "The file does not exist or its permissions do not allow reading it."),
    SyntaxCode("P124", "file-too-large", "The file is too large for a routine",
               "Files over 4 MB are refused before they are read: a routine is a few "
               "kilobytes, and a file that large is almost always the wrong file."),
    SyntaxCode("P125", "misplaced-cue", "A cue that is not indented under its step",
               "`cue` and `partner` lines say something during a step, so they are indented "
               "under the step they belong to; at the step's own indentation they belong to "
               "nothing.",
               bad=('routine "Calf stretch"\n'
                    '  hold 30s "Lean into the wall"\n'
                    '  cue "Keep the back heel down"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n'
                     '    cue "Keep the back heel down"\n')),
    SyntaxCode("P126", "step-word-order", "A step's amount, intensity and text out of order",
               "A step reads in one order: the kind, the amount, the intensity, then the "
               "text: `hold 30s gently \"Lean in\"`. The hint shows the line in that order.",
               bad=('routine "Calf stretch"\n'
                    '  hold gently 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s gently "Lean into the wall"\n')),
    SyntaxCode("P127", "position-detail", "A detail in parentheses after `position:`",
               "`position:` takes a few plain words (`position: standing`); unlike "
               "`targets:`, it has no details in parentheses. Write the words without them, "
               "or put the detail in a note.",
               bad=('routine "Calf stretch"\n'
                    '  position: standing (facing a wall)\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  position: standing facing a wall\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P128", "too-many-syntax-errors", "More syntax errors than are reported",
               "Every syntax error in a file is reported, up to 50; where a 51st begins, this "
               "says so and the rest of the file is not checked. So many errors usually "
               "mean the file is not a routine, or a mistake repeated on every line (such as "
               "text not in quotes): fix the first ones and check again."),
    SyntaxCode("P129", "at-most-on-closed-repeat", "`at most` on a repeat that is not open",
               "`, at most M` caps an open repeat (`repeat at least N` or `repeat N or "
               "more`). A fixed count, a range, `up to` or a time box already says how many "
               "passes there are: write a range (`repeat 4-6:`) or open the repeat "
               "(`repeat at least 4, at most 6:`).",
               bad=('routine "Calf raises"\n'
                    '  repeat 4, at most 6:\n'
                    '    hold 30s "Lean into the wall"\n'),
               good=('routine "Calf raises"\n'
                     '  repeat at least 4, at most 6:\n'
                     '    hold 30s "Lean into the wall"\n')),
    SyntaxCode("P132", "same-side-twice", "A per-side amount that names one side twice",
               "`hold left 30s, right 45s` gives each side its own amount: the two amounts "
               "are for `left` and `right`, one each, in either order.",
               bad=('routine "Calf stretch"\n'
                    '  sides: each, left first\n'
                    '  hold left 30s, left 45s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  sides: each, left first\n'
                     '  hold left 30s, right 45s "Lean into the wall"\n')),
    SyntaxCode("P133", "side-amounts-comma", "Per-side amounts without a comma between them",
               "`hold left 30s, right 45s` gives each side its own amount: a comma separates "
               "the two.",
               bad=('routine "Calf stretch"\n'
                    '  sides: each, left first\n'
                    '  hold left 30s right 45s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  sides: each, left first\n'
                     '  hold left 30s, right 45s "Lean into the wall"\n')),
    SyntaxCode("P134", "side-amounts-units", "Per-side amounts in different units",
               "`hold left 30s, right 45s` gives each side its own amount. Both are in the "
               "same unit (seconds, counts, breaths or reps), so the tools can tell which side "
               "takes longer whatever the tempo.",
               bad=('routine "Calf stretch"\n'
                    '  sides: each, left first\n'
                    '  hold left 30s, right 20 counts "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  sides: each, left first\n'
                     '  hold left 30s, right 20s "Lean into the wall"\n')),
    SyntaxCode("P135", "step-outside-exercises", "A step beside the exercises of a routine",
               "Once a routine has `exercise` blocks, every step and repeat belongs to one of "
               "them: each exercise runs with its own sides, position and settings, and a "
               "step between them would have none. Indent it under an exercise; a warm-up or "
               "a closing breath is an exercise of its own. Standing cues (`posture`) may "
               "stay at the routine's level: they hold for every exercise.",
               bad=('routine "Daily calf care"\n'
                    '  breathe 30s "Settle your breathing"\n'
                    '  exercise "Calf stretch":\n'
                    '    hold 30s "Lean into the wall"\n'),
               good=('routine "Daily calf care"\n'
                     '  exercise "Warm-up":\n'
                     '    breathe 30s "Settle your breathing"\n'
                     '  exercise "Calf stretch":\n'
                     '    hold 30s "Lean into the wall"\n')),
    SyntaxCode("P136", "nested-exercise", "An exercise inside another block",
               "`exercise \"...\":` blocks stand at the routine's level, one after the "
               "other: an exercise does not hold another, and a repeat or a safety handler "
               "cannot hold one. Indent it as much as the routine's settings.",
               bad=('routine "Daily calf care"\n'
                    '  exercise "Calf stretch":\n'
                    '    hold 30s "Lean into the wall"\n'
                    '    exercise "Calf raise":\n'
                    '      hold 5s "Rise onto the toes"\n'),
               good=('routine "Daily calf care"\n'
                     '  exercise "Calf stretch":\n'
                     '    hold 30s "Lean into the wall"\n'
                     '  exercise "Calf raise":\n'
                     '    hold 5s "Rise onto the toes"\n')),
    SyntaxCode("P137", "routine-only-setting", "`partner:` or `frequency:` inside a block",
               "`partner:` and `frequency:` say how the whole routine is done (with a "
               "partner, how often), so they go among the routine's settings, not in an "
               "exercise, a repeat or a safety handler.",
               bad=('routine "Daily calf care"\n'
                    '  exercise "Calf stretch":\n'
                    '    frequency: daily\n'
                    '    hold 30s "Lean into the wall"\n'),
               good=('routine "Daily calf care"\n'
                     '  frequency: daily\n'
                     '  exercise "Calf stretch":\n'
                     '    hold 30s "Lean into the wall"\n')),
    SyntaxCode("P138", "bad-parameter", "A parameter declaration that cannot be used",
               "`parameter NAME: DEFAULT, LOW-HIGH \"what it is\"` declares a value the "
               "coach sets for each client. The default is one value and the range two, in "
               "the same unit: an amount (`parameter hold: 30s, 20-60s`) for a parameter "
               "used where an amount goes, plain whole numbers (`parameter rounds: 3, 2-5`) "
               "for one used as a repeat count. Each name is declared once.",
               bad=('routine "Calf stretch"\n'
                    '  parameter hold: 30s, 20-60 counts "How long to hold"\n'
                    '  hold {hold} "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  parameter hold: 30s, 20-60s "How long to hold"\n'
                     '  hold {hold} "Lean into the wall"\n')),
    SyntaxCode("P139", "unknown-parameter", "A `{name}` where an amount or a repeat count goes "
               "that names no parameter",
               "`hold {hold}` and `repeat {rounds} times:` take their value from a parameter "
               "the routine declares (`parameter hold: 30s, 20-60s`). The name is not "
               "declared: often a typo, and the hint suggests the closest parameter.",
               bad=('routine "Calf stretch"\n'
                    '  parameter hold: 30s, 20-60s "How long to hold"\n'
                    '  hold {hodl} "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  parameter hold: 30s, 20-60s "How long to hold"\n'
                     '  hold {hold} "Lean into the wall"\n')),
    SyntaxCode("P140", "parameter-kind", "A repeat-count parameter used as an amount, or an "
               "amount as a repeat count",
               "A parameter declared with a unit (`parameter hold: 30s, 20-60s`) is an "
               "amount: it goes where `30s` would (`hold {hold}`). One declared without a "
               "unit (`parameter rounds: 3, 2-5`) counts passes: it goes where `3` would "
               "(`repeat {rounds} times:`).",
               bad=('routine "Calf stretch"\n'
                    '  parameter rounds: 3, 2-5 "Rounds"\n'
                    '  hold {rounds} "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  parameter rounds: 3, 2-5 "Rounds"\n'
                     '  repeat {rounds} times:\n'
                     '    hold 30s "Lean into the wall"\n')),
    SyntaxCode("P141", "variant-changes-twice", "Two changes for the same variant under "
               "one step",
               "A variant changes a step one way: a new amount (`variant harder: 60s`), "
               "`leave out`, or the steps indented under `variant harder:` that take its "
               "place. Two changes for the same variant would leave the player to pick one.",
               bad=('routine "Calf stretch"\n'
                    '  hold 30s "Lean into the wall"\n'
                    '    variant harder: 60s\n'
                    '    variant harder: leave out\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n'
                     '    variant harder: 60s\n'
                     '    variant easier: leave out\n')),
    SyntaxCode("P142", "variant-change-form", "A variant's change written in a form it "
               "does not take",
               "Under a step, a variant changes it in one of three ways: `variant harder: "
               "60s` (another amount), `variant easier: leave out`, or `variant harder:` "
               "with the steps that take its place indented under it. `variant harder "
               "only:` blocks stand among the steps, not under one. The hint writes the "
               "line the way it was meant: the colon before an amount, `leave out` for "
               "`skip` or `remove`, the whole step under `variant harder:` to change its "
               "words too.",
               bad=('routine "Calf stretch"\n'
                    '  hold 30s "Lean into the wall"\n'
                    '    variant easier: skip\n'),
               good=('routine "Calf stretch"\n'
                     '  hold 30s "Lean into the wall"\n'
                     '    variant easier: leave out\n')),
    SyntaxCode("P143", "plan-statement-form", "A session's or programme's line in a form "
               "it does not take",
               "A session does its routines in order (`do calf-wall`): when to do them is a "
               "programme's schedule. A programme's `do` line says on which days (`daily`, "
               "`on mon, wed, fri`) and may give times of day with hours and minutes (`at "
               "07:30`). A progression's later values start `from week N`.",
               bad=('programme "Six weeks"\n'
                    '  do morning-legs\n'),
               good=('programme "Six weeks"\n'
                     '  do morning-legs on mon, wed, fri\n')),
    SyntaxCode("P201", "unknown-level", "An unknown `level:`",
               "`level:` is `beginner`, `intermediate` or `advanced`.",
               bad=('routine "Calf stretch"\n'
                    '  level: expert\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  level: advanced\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P202", "unknown-partner-setting", "An unknown `partner:` setting",
               "`partner:` is `none`, `optional` or `required`, with an optional text.",
               bad=('routine "Calf stretch"\n'
                    '  partner: maybe\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  partner: optional\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P203", "unknown-limit", "An unknown kind of limit",
               "Limits are `cycles`, `contractions`, `contraction`, `hold`, `breath-hold`, "
               "`effort` and `total`.",
               bad=('routine "Calf stretch"\n'
                    '  limit cycle 3\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  limit cycles 3\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P204", "bad-limit-value", "A limit with the wrong kind of value",
               "Counted limits take a number (`limit cycles 3`), duration limits an amount "
               "with a unit (`limit hold 60s`), `effort` a percentage (`limit effort 50%`).",
               bad=('routine "Calf stretch"\n'
                    '  limit hold 60\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  limit hold 60s\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P205", "unknown-signal", "An unknown signal after `on`",
               "Safety handlers are `on pain`, `on cramp`, `on dizziness` and `on numbness`.",
               bad=('routine "Calf stretch"\n'
                    '  on pian "Ease off"\n'
                    '    relax 10s\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  on pain "Ease off"\n'
                     '    relax 10s\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P206", "unknown-frequency", "An unknown frequency or period",
               "Write `daily`, `weekly`, `monthly`, or `3 times a day` (`day`, `week`, "
               "`month`).",
               bad=('routine "Calf stretch"\n'
                    '  frequency: fortnightly\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  frequency: weekly\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P207", "not-whole-number", "A fractional count of times",
               "Repeat counts, counted limits and frequencies are whole numbers: `3`, not "
               "`2.5`.",
               bad=('routine "Calf stretch"\n'
                    '  repeat 2.5:\n'
                    '    hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  repeat 3:\n'
                     '    hold 30s "Lean into the wall"\n')),
    SyntaxCode("P208", "bad-tempo", "A tempo that does not say how long a count or breath "
               "lasts", "A tempo reads `1 count = 1s` or `1 breath = 5s`: counts or breaths "
               "on the left, seconds on the right.",
               bad=('routine "Calf stretch"\n'
                    '  tempo: 1 breath = 2 counts\n'
                    '  hold 5 counts "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  tempo: 1 count = 1s\n'
                     '  hold 5 counts "Lean into the wall"\n')),
    SyntaxCode("P209", "unknown-limit-scope", "An unknown scope after a limit",
               "Counted limits are per side by default; add `per routine` to count all "
               "sides together.",
               bad=('routine "Calf stretch"\n'
                    '  limit cycles 3 per week\n'
                    '  hold 30s "Lean into the wall"\n'),
               good=('routine "Calf stretch"\n'
                     '  limit cycles 3 per routine\n'
                     '  hold 30s "Lean into the wall"\n')),
    SyntaxCode("P210", "unknown-day", "An unknown day in a programme's schedule",
               "A schedule line says `daily`, or `on` and the days: `mon` to `sun`, the "
               "days' full names, `weekdays`, `weekends`.",
               bad=('programme "Six weeks"\n'
                    '  do morning-legs on mon, wensday\n'),
               good=('programme "Six weeks"\n'
                     '  do morning-legs on mon, wednesday\n')),
    SyntaxCode("P211", "not-in-a-session", "A statement a session does not take",
               "Between its routines a session takes `rest` and `setup` steps only; its "
               "limits are `total`, `contractions` and `cycles` (which add up across its "
               "routines); it has no parameters. Steps a person does with their body, "
               "and the limits on them, belong in a routine the session does.",
               bad=('session "Morning legs"\n'
                    '  do calf-wall\n'
                    '  hold 30s "Touch your toes"\n'),
               good=('session "Morning legs"\n'
                     '  do calf-wall\n'
                     '  do toe-touch\n')),
    SyntaxCode("P212", "setting-not-one-value", "A range or a parameter where one value goes",
               "`set NAME: VALUE` under a `do` line and the values of a `progress` line "
               "each give one value: the coach has chosen it.",
               bad=('session "Morning legs"\n'
                    '  do towel-hamstring:\n'
                    '    set hold: 20-40s\n'),
               good=('session "Morning legs"\n'
                     '  do towel-hamstring:\n'
                     '    set hold: 30s\n')),
    SyntaxCode("P213", "bad-date-or-time", "A date, time of day or number of weeks that "
               "cannot be",
               "Dates are written year-month-day (`start: 2026-12-07`), times of day on "
               "the 24-hour clock (`at 07:30`), and a programme runs at least one week.",
               bad=('programme "Six weeks"\n'
                    '  start: 2026-02-30\n'
                    '  do morning-legs daily at 07:30\n'),
               good=('programme "Six weeks"\n'
                     '  start: 2026-03-02\n'
                     '  do morning-legs daily at 07:30\n')),
    SyntaxCode("P214", "progression-order", "A progression's steps out of order",
               "After the first value, a progression lists its changes by week, each "
               "week after the one before (`30s from week 3, 45s from week 5`), and may "
               "end with one rule that goes on to the end (`+5s a week up to 45s`).",
               bad=('programme "Six weeks"\n'
                    '  do towel-hamstring daily\n'
                    '  progress hold: 20s, 40s from week 5, 30s from week 3\n'),
               good=('programme "Six weeks"\n'
                     '  do towel-hamstring daily\n'
                     '  progress hold: 20s, 30s from week 3, 40s from week 5\n')),
    SyntaxCode("P215", "unknown-answer", "An answer a stage rule cannot ask for",
               "A stage moves a person up or back on the answers they give at the end of "
               "a session: `pain` and `effort` out of 10 (`pain at most 2`, `effort at "
               "least 4`), and whether soreness `settled within 24 hours` (hours or "
               "days; `not settled within 2 days`).",
               bad=('programme "Hamstring rehab"\n'
                    '  stage early:\n'
                    '    do gentle-hamstring daily\n'
                    '    move up when soreness at most 2\n'),
               good=('programme "Hamstring rehab"\n'
                     '  stage early:\n'
                     '    do gentle-hamstring daily\n'
                     '    move up when pain at most 2\n')),
)

